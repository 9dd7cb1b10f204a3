//! Every Rust name the generator emits is decided here.
//!
//! Model names are cased with heck, then made safe: Rust keywords become raw
//! identifiers, the few words that cannot be raw get a suffix, a leading digit
//! gets a prefix, and names that clash with the generated API itself are renamed.
//! Renderers never re-case a name; they take what lowering decided through these
//! functions.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords (strict and reserved, all editions) that can be written as raw identifiers.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Words that are keywords but cannot be raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Method names the generated API defines on structures, builders and fluent
/// builders; a member with one of these names gets a `_value` suffix.
const RESERVED_MEMBER_NAMES: &[&str] = &[
    "build",
    "builder",
    "send",
    "customize",
    "as_input",
    "meta",
    "config",
    "handle",
    "inner",
];

/// Type names the generated crate defines in the same module as model types.
const RESERVED_TYPE_NAMES: &[&str] = &["Builders", "Error", "Self"];

/// Variant names the generated enums and unions define themselves.
const RESERVED_VARIANT_NAMES: &[&str] = &["Unknown", "Unhandled", "SelfValue", "Self"];

/// The snake_case form of a model name, for modules and functions:
/// `SetUserMFAPreference` → `set_user_mfa_preference`.
pub fn snake(name: &str) -> String {
    let cased = name.to_snake_case();
    if cased.is_empty() {
        return "empty".to_owned();
    }
    cased
}

/// The UpperCamelCase form of a model name, for types: `SMSMfaSettingsType` → `SmsMfaSettingsType`.
pub fn camel(name: &str) -> String {
    let cased = name.to_upper_camel_case();
    if cased.is_empty() {
        return "Empty".to_owned();
    }
    cased
}

/// Makes `ident` a valid Rust identifier as written in source (possibly `r#type`).
pub fn escape_ident(ident: &str) -> String {
    let ident = if ident.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{ident}")
    } else {
        ident.to_owned()
    };
    if NON_RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// A module name for an operation: `SetUserMFAPreference` → `set_user_mfa_preference`.
pub fn operation_module(operation: &str) -> String {
    escape_ident(&snake(operation))
}

/// The client method that starts an operation (same as its module name).
pub fn operation_method(operation: &str) -> String {
    operation_module(operation)
}

/// The operation's own type: `SetUserMFAPreference` → `SetUserMfaPreference`.
pub fn operation_struct(operation: &str) -> String {
    escape_ident(&camel(operation))
}

/// The operation's input type: `SetUserMfaPreferenceInput`.
pub fn operation_input(operation: &str) -> String {
    format!("{}Input", camel(operation))
}

/// The operation's output type: `SetUserMfaPreferenceOutput`.
pub fn operation_output(operation: &str) -> String {
    format!("{}Output", camel(operation))
}

/// The operation's error enum keeps the operation's model spelling:
/// `SetUserMFAPreference` → `SetUserMFAPreferenceError`.
pub fn operation_error(operation: &str) -> String {
    format!("{}Error", preserve_type_name(operation))
}

/// The fluent builder the client returns: `SetUserMFAPreferenceFluentBuilder`.
pub fn fluent_builder(operation: &str) -> String {
    format!("{}FluentBuilder", preserve_type_name(operation))
}

/// A builder's type name: `SmsMfaSettingsType` → `SmsMfaSettingsTypeBuilder`.
pub fn builder_type(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// The Rust type for a named model shape (structure, union, enum, error).
pub fn type_name(shape_name: &str) -> String {
    let cased = camel(shape_name);
    let cased = if RESERVED_TYPE_NAMES.contains(&cased.as_str()) {
        format!("{cased}Value")
    } else {
        cased
    };
    escape_ident(&cased)
}

/// Error shapes keep their model spelling when it is already a valid type name
/// (`ForbiddenException`), as the operation error's variants do.
pub fn error_type_name(shape_name: &str) -> String {
    escape_ident(&preserve_type_name(shape_name))
}

/// A name kept as written when it is a valid UpperCamelCase-ish identifier,
/// re-cased otherwise.
fn preserve_type_name(name: &str) -> String {
    let valid = name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    if valid {
        name.to_owned()
    } else {
        camel(name)
    }
}

/// The private module file that holds a named type: `SmsMfaSettingsType` → `_sms_mfa_settings_type`.
pub fn type_module(type_name: &str) -> String {
    format!("_{}", snake(type_name.trim_start_matches("r#")))
}

/// A structure field or accessor name: `SMSMfaSettings` → `sms_mfa_settings`,
/// `type` → `r#type`, `build` → `build_value`.
pub fn field_name(member: &str) -> String {
    let cased = snake(member);
    if RESERVED_MEMBER_NAMES.contains(&cased.as_str()) {
        return format!("{cased}_value");
    }
    escape_ident(&cased)
}

/// The name used after `set_`/`get_` prefixes for a field (never a raw identifier).
pub fn field_suffix(field: &str) -> String {
    field.trim_start_matches("r#").to_owned()
}

/// `is_<error>` helper on an operation error: `ForbiddenException` → `is_forbidden_exception`.
pub fn is_variant_fn(variant: &str) -> String {
    format!("is_{}", snake(variant))
}

/// `as_<variant>` accessor on a union.
pub fn as_variant_fn(variant: &str) -> String {
    format!("as_{}", snake(variant))
}

/// An enum or union variant: `SMS_MFA` → `SmsMfa`; `Unknown` → `UnknownValue`.
pub fn variant_name(member: &str) -> String {
    let cased = camel(member);
    if RESERVED_VARIANT_NAMES.contains(&cased.as_str()) {
        return format!("{}Value", cased.trim_end_matches("Value"));
    }
    escape_ident(&cased)
}

/// The default crate name for a service: the `sdkId` lowercased without spaces,
/// as aws-sdk-rust does (`Cognito Identity Provider` → `cognitoidentityprovider`).
pub fn crate_name(sdk_id: &str) -> String {
    let name: String = sdk_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        "service".to_owned()
    } else {
        name
    }
}

/// The module under an operation's module that holds its paginator.
pub fn paginator_module() -> String {
    "paginator".to_owned()
}

/// A paginated operation's paginator type, UpperCamelCase as aws-sdk-rust
/// spells it: `ListUsers` → `ListUsersPaginator`, `ListMFADevices` → `ListMfaDevicesPaginator`.
pub fn paginator_type(operation: &str) -> String {
    escape_ident(&format!("{}Paginator", camel(operation)))
}

/// The paginator over a paginated operation's items: `ListUsersPaginatorItems`.
pub fn paginator_items_type(operation: &str) -> String {
    escape_ident(&format!("{}PaginatorItems", camel(operation)))
}

/// The fluent builder's method that turns a request into a paginator.
pub fn into_paginator_method() -> String {
    "into_paginator".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names() {
        let cases = [
            (
                "SetUserMFAPreference",
                "set_user_mfa_preference",
                "SetUserMfaPreferenceInput",
                "SetUserMfaPreferenceOutput",
                "SetUserMFAPreferenceError",
                "SetUserMFAPreferenceFluentBuilder",
                "SetUserMfaPreference",
            ),
            (
                "ListUsers",
                "list_users",
                "ListUsersInput",
                "ListUsersOutput",
                "ListUsersError",
                "ListUsersFluentBuilder",
                "ListUsers",
            ),
        ];
        for (op, module, input, output, error, fluent, strukt) in cases {
            assert_eq!(operation_module(op), module, "module of {op}");
            assert_eq!(operation_method(op), module, "method of {op}");
            assert_eq!(operation_input(op), input, "input of {op}");
            assert_eq!(operation_output(op), output, "output of {op}");
            assert_eq!(operation_error(op), error, "error of {op}");
            assert_eq!(fluent_builder(op), fluent, "fluent builder of {op}");
            assert_eq!(operation_struct(op), strukt, "struct of {op}");
        }
    }

    #[test]
    fn field_names() {
        let cases = [
            ("SMSMfaSettings", "sms_mfa_settings"),
            ("AccessToken", "access_token"),
            ("PreferredMfa", "preferred_mfa"),
            ("message", "message"),
            ("type", "r#type"),
            ("Type", "r#type"),
            ("match", "r#match"),
            ("self", "self_"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("build", "build_value"),
            ("builder", "builder_value"),
            ("send", "send_value"),
            ("customize", "customize_value"),
            ("meta", "meta_value"),
            ("1stValue", "_1st_value"),
            ("fooBar", "foo_bar"),
        ];
        for (member, expected) in cases {
            assert_eq!(field_name(member), expected, "field for member {member}");
        }
        assert_eq!(field_suffix("r#type"), "type");
    }

    #[test]
    fn type_names() {
        let cases = [
            ("SMSMfaSettingsType", "SmsMfaSettingsType"),
            ("TokenModelType", "TokenModelType"),
            ("Option", "Option"),
            ("String", "String"),
            ("Error", "ErrorValue"),
            ("Builders", "BuildersValue"),
            ("Self", "SelfValue"),
            ("3DSecure", "_3dSecure"),
        ];
        for (shape, expected) in cases {
            assert_eq!(type_name(shape), expected, "type for shape {shape}");
        }
        assert_eq!(error_type_name("ForbiddenException"), "ForbiddenException");
        assert_eq!(error_type_name("bad_name"), "BadName");
        assert_eq!(type_module("SmsMfaSettingsType"), "_sms_mfa_settings_type");
        assert_eq!(
            builder_type("SmsMfaSettingsType"),
            "SmsMfaSettingsTypeBuilder"
        );
    }

    #[test]
    fn variant_names() {
        let cases = [
            ("SMS_MFA", "SmsMfa"),
            ("SOFTWARE_TOKEN_MFA", "SoftwareTokenMfa"),
            ("Unknown", "UnknownValue"),
            ("UNKNOWN", "UnknownValue"),
            ("Self", "SelfValue"),
            ("Unhandled", "UnhandledValue"),
            ("1Day", "_1day"),
            ("type", "Type"),
        ];
        for (member, expected) in cases {
            assert_eq!(variant_name(member), expected, "variant for {member}");
        }
        assert_eq!(
            is_variant_fn("ForbiddenException"),
            "is_forbidden_exception"
        );
        assert_eq!(as_variant_fn("StringValue"), "as_string_value");
    }

    #[test]
    fn crate_names() {
        assert_eq!(
            crate_name("Cognito Identity Provider"),
            "cognitoidentityprovider"
        );
        assert_eq!(crate_name("Secrets Manager"), "secretsmanager");
        assert_eq!(crate_name("!!!"), "service");
    }

    #[test]
    fn every_escaped_name_is_a_rust_identifier() {
        for word in RAW_KEYWORDS.iter().chain(NON_RAW_KEYWORDS) {
            for name in [field_name(word), type_name(word), variant_name(word)] {
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok() || name.starts_with("r#"),
                    "{word} became {name}, which is not an identifier"
                );
            }
        }
    }
}
