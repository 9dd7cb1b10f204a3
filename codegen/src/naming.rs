//! Every Rust name the generator emits is decided here.
//!
//! Model names are cased with heck, then made safe: Rust keywords become raw
//! identifiers, the few words that cannot be raw get a suffix, a leading digit
//! gets a prefix, and names that clash with the generated API itself are renamed.
//! Renderers never re-case a name; they take what lowering decided through these
//! functions.

use heck::ToUpperCamelCase;

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
    "new",
    "set_meta",
];

/// Type names the generated crate defines in the same module as model types.
const RESERVED_TYPE_NAMES: &[&str] = &["Builders", "Error", "Self"];

/// Error structure names that would clash with an operation error's own
/// `Unhandled` variant, or cannot be a type name at all.
const RESERVED_ERROR_NAMES: &[&str] = &["Unhandled", "Self"];

/// Client methods the generated `Client` defines itself; an operation whose
/// module (and method) would take one gets an `_operation` suffix.
const RESERVED_OPERATION_NAMES: &[&str] = &["config", "from_conf"];

/// Variant names the generated enums and unions define themselves.
const RESERVED_VARIANT_NAMES: &[&str] = &["Unknown", "Unhandled", "SelfValue", "Self"];

/// The snake_case form of a model name, for modules and functions, with the
/// words aws-sdk-rust splits it into: `SetUserMFAPreference` →
/// `set_user_mfa_preference`, `CallbackURLs` → `callback_urls`,
/// `SizeInGiB` → `size_in_gib`, `ChecksumCRC32C` → `checksum_crc32_c`. Only
/// ASCII letters and digits survive; anything else separates words.
pub fn snake(name: &str) -> String {
    SNAKE.with(|cache| {
        cached(cache, name, |name| {
            let cased = snake_words(&ascii_words(name)).join("_");
            if cased.is_empty() {
                return "empty".to_owned();
            }
            cased
        })
    })
}

/// Words kept whole in snake_case although their casing alone would split
/// them: `IPv4`, `SigV4`, `GiB`, `TtL`.
const WHOLE_WORDS: &[&str] = &["ipv4", "ipv6", "sigv4", "mib", "gib", "kib", "ttl"];

/// The lowercased words of an ASCII name, split where aws-sdk-rust splits
/// them: at anything not a letter or digit; before an uppercase letter that
/// follows a lowercase letter or a digit; before a lowercase letter that
/// follows a digit when the whole name is lowercase (`s3key`); and before the
/// last capital of an acronym that starts a word (`DB|Proxy`), except before
/// a plural `s` (`ARNs`, `URLs`) or a version (`DBv2`). A [`WHOLE_WORDS`]
/// word under way is split only at the end of an acronym.
fn snake_words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let all_lowercase = !name.contains(|c: char| c.is_ascii_uppercase());
    let mut words = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            continue;
        }
        if !word.is_empty() && word_ends_before(&word, &chars[i..], all_lowercase) {
            words.push(std::mem::take(&mut word));
        }
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word);
    }
    words.iter().map(|w| w.to_ascii_lowercase()).collect()
}

/// Whether `word` (not empty) ends before `rest[0]`, the next character of
/// the name (a letter or digit); see [`snake_words`].
fn word_ends_before(word: &str, rest: &[char], all_lowercase: bool) -> bool {
    let last = word.chars().next_back().unwrap_or(' ');
    let (next, peek, peek2) = (rest[0], rest.get(1).copied(), rest.get(2).copied());
    let whole_word_under_way = !WHOLE_WORDS.contains(&word.to_ascii_lowercase().as_str())
        && WHOLE_WORDS.iter().any(|whole| {
            let mut ahead = word.chars().chain(rest.iter().copied());
            whole
                .chars()
                .all(|w| ahead.next().is_some_and(|c| c.to_ascii_lowercase() == w))
        });
    if !whole_word_under_way {
        if next.is_ascii_uppercase() && (last.is_ascii_lowercase() || last.is_ascii_digit()) {
            return true;
        }
        if all_lowercase && last.is_ascii_digit() && next.is_ascii_lowercase() {
            return true;
        }
    }
    let plural = peek == Some('s') && !peek2.is_some_and(|c| c.is_ascii_lowercase());
    let version = peek == Some('v') && peek2.is_some_and(|c| c.is_ascii_digit());
    last.is_ascii_uppercase()
        && next.is_ascii_uppercase()
        && peek.is_some_and(|c| c.is_ascii_lowercase())
        && !plural
        && !version
}

/// The UpperCamelCase form of a model name, for types: `SMSMfaSettingsType` → `SmsMfaSettingsType`.
/// Only ASCII letters and digits survive; anything else separates words.
pub fn camel(name: &str) -> String {
    CAMEL.with(|cache| {
        cached(cache, name, |name| {
            let cased = ascii_words(name).to_upper_camel_case();
            if cased.is_empty() {
                return "Empty".to_owned();
            }
            cased
        })
    })
}

type CaseCache = std::cell::RefCell<std::collections::HashMap<Box<str>, Box<str>>>;

thread_local! {
    /// The cased forms of names met before on this thread: lowering asks for
    /// the same names many times (a type's name, then its module, for each
    /// use), and casing is a good part of lowering's time.
    static SNAKE: CaseCache = Default::default();
    static CAMEL: CaseCache = Default::default();
}

/// Names cached per thread: past this many, a cache starts again empty, so a
/// long-lived process generating many models holds a bounded amount.
const CASE_CACHE_LIMIT: usize = 1 << 16;

fn cached(cache: &CaseCache, name: &str, case: impl FnOnce(&str) -> String) -> String {
    if let Some(cased) = cache.borrow().get(name) {
        return cased.to_string();
    }
    let cased = case(name);
    let mut cache = cache.borrow_mut();
    if cache.len() >= CASE_CACHE_LIMIT {
        cache.clear();
    }
    cache.insert(name.into(), cased.as_str().into());
    cased
}

/// `name` with every character that is not an ASCII letter or digit turned
/// into a word separator, so casing never yields a non-ASCII identifier.
fn ascii_words(name: &str) -> std::borrow::Cow<'_, str> {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return std::borrow::Cow::Borrowed(name);
    }
    std::borrow::Cow::Owned(
        name.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect(),
    )
}

/// The `n`th (counting from 1) of several snake_case names that would
/// otherwise be equal: `foo_bar`, then `foo_bar_2`, `foo_bar_3`...
/// (`r#type` → `type_2`, `self_` → `self_2`). Lowering picks the smallest
/// `n` whose name is still free.
pub fn numbered_snake(name: &str, n: usize) -> String {
    if n <= 1 {
        return name.to_owned();
    }
    format!(
        "{}_{n}",
        name.trim_start_matches("r#").trim_end_matches('_')
    )
}

/// The `n`th (counting from 1) of several UpperCamelCase names that would
/// otherwise be equal: `FooBar`, then `FooBar2`, `FooBar3`...
pub fn numbered_camel(name: &str, n: usize) -> String {
    if n <= 1 {
        return name.to_owned();
    }
    format!("{}{n}", name.trim_start_matches("r#"))
}

/// Whether `word` is a Rust keyword (strict or reserved, in any edition).
pub fn is_keyword(word: &str) -> bool {
    RAW_KEYWORDS.contains(&word) || NON_RAW_KEYWORDS.contains(&word)
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

/// A module name for an operation: `SetUserMFAPreference` → `set_user_mfa_preference`;
/// `Config` → `config_operation`, as `Client::config` is taken.
pub fn operation_module(operation: &str) -> String {
    let cased = snake(operation);
    if RESERVED_OPERATION_NAMES.contains(&cased.as_str()) {
        return format!("{cased}_operation");
    }
    escape_ident(&cased)
}

/// The client method that starts an operation (same as its module name).
pub fn operation_method(operation: &str) -> String {
    operation_module(operation)
}

/// The operation's own type keeps the operation's model spelling, as
/// aws-sdk-rust's does: `SetUserMFAPreference`.
pub fn operation_struct(operation: &str) -> String {
    escape_ident(&preserve_type_name(operation))
}

/// The operation's input type: `SetUserMfaPreferenceInput`.
pub fn operation_input(operation: &str) -> String {
    escape_ident(&format!("{}Input", camel(operation)))
}

/// The operation's output type: `SetUserMfaPreferenceOutput`.
pub fn operation_output(operation: &str) -> String {
    escape_ident(&format!("{}Output", camel(operation)))
}

/// The operation's error enum keeps the operation's model spelling:
/// `SetUserMFAPreference` → `SetUserMFAPreferenceError`.
pub fn operation_error(operation: &str) -> String {
    escape_ident(&format!("{}Error", preserve_type_name(operation)))
}

/// The fluent builder the client returns: `SetUserMFAPreferenceFluentBuilder`.
pub fn fluent_builder(operation: &str) -> String {
    escape_ident(&format!("{}FluentBuilder", preserve_type_name(operation)))
}

/// A builder's type name: `SmsMfaSettingsType` → `SmsMfaSettingsTypeBuilder`.
/// The function in a structure's module that prints its members for
/// `Debug`, when its builder holds it: `fmt_` and the type's snake-case name
/// (no other generated item in a module starts with `fmt_`).
pub fn debug_members_fn(type_name: &str) -> String {
    format!("fmt_{}", snake(type_name))
}

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

/// An error structure's type, and its variant in operation errors, is
/// UpperCamelCase like other types, as in aws-sdk-rust:
/// `SoftwareTokenMFANotFoundException` → `SoftwareTokenMfaNotFoundException`.
pub fn error_type_name(shape_name: &str) -> String {
    let name = camel(shape_name);
    if RESERVED_ERROR_NAMES.contains(&name.as_str()) {
        return format!("{name}Value");
    }
    escape_ident(&name)
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

/// Methods the generated structures, builders and fluent builders define
/// themselves, which no member's methods (`x`, `set_x`, `get_x`) may take.
pub fn generated_methods() -> &'static [&'static str] {
    RESERVED_MEMBER_NAMES
}

/// What every generated enum or union defines itself, which no variant (or a
/// union variant's `is_`/`as_` method) may take.
pub fn generated_variant_items() -> &'static [&'static str] {
    &["Unknown", "is_unknown"]
}

/// The name used after `set_`/`get_` prefixes for a field: never a raw
/// identifier, and without the `_` a leading digit gets (`_1st` → `set_1st`).
pub fn field_suffix(field: &str) -> String {
    field
        .trim_start_matches("r#")
        .trim_start_matches('_')
        .to_owned()
}

/// Whether a method of this name, as an accessor (`fn x(&self)`) or a builder
/// setter (`fn x(self, value)`), has the shape of a standard trait's method,
/// which clippy's `should_implement_trait` flags.
pub fn is_trait_method_name(name: &str) -> bool {
    [
        "as_ref", "borrow", "clone", "deref", "add", "sub", "mul", "div", "rem", "shl", "shr",
        "bitand", "bitor", "bitxor",
    ]
    .contains(&name)
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
/// A name Cargo rejects (a leading digit, a keyword, a built-in crate) gets a
/// `service` prefix or suffix.
pub fn crate_name(sdk_id: &str) -> String {
    let name: String = sdk_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let name = name.trim_matches(['-', '_']);
    if name.is_empty() {
        "service".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("service-{name}")
    } else if is_keyword(&name.replace('-', "_"))
        || ["std", "core", "alloc", "proc_macro", "test"].contains(&name)
    {
        format!("{name}-service")
    } else {
        name.to_owned()
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

/// The waiter builders' method that waits (`wait(max_wait)`).
pub fn waiter_wait_method() -> &'static str {
    "wait"
}

/// A waiter's module under `waiters`: `TableExists` → `table_exists`.
pub fn waiter_module(waiter: &str) -> String {
    escape_ident(&snake(waiter))
}

/// The `client::Waiters` method of a waiter: `wait_until_table_exists`.
pub fn waiter_method(waiter: &str) -> String {
    format!("wait_until_{}", snake(waiter))
}

/// The builder a waiter's method returns: `TableExistsFluentBuilder`.
pub fn waiter_fluent_builder(waiter: &str) -> String {
    escape_ident(&format!("{}FluentBuilder", camel(waiter)))
}

/// The alias of a waiter's final poll: `TableExistsFinalPoll`.
pub fn waiter_final_poll(waiter: &str) -> String {
    escape_ident(&format!("{}FinalPoll", camel(waiter)))
}

/// The alias of a waiter's error: `WaitUntilTableExistsError`.
pub fn waiter_error(waiter: &str) -> String {
    escape_ident(&format!("WaitUntil{}Error", camel(waiter)))
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
                "SetUserMFAPreference",
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
        assert_eq!(field_suffix("_1st_value"), "1st_value");
    }

    /// Each expected name is the one aws-sdk-rust gives the same model name
    /// (aws-sdk-cognitoidentityprovider 1.144.0, aws-sdk-lambda 1.156.0), or
    /// follows its rules where those crates have no such name.
    #[test]
    fn snake_case_splits_words_as_aws_sdk_rust() {
        let cases = [
            ("SetUserMFAPreference", "set_user_mfa_preference"),
            ("GetCSVHeader", "get_csv_header"),
            ("CallbackURLs", "callback_urls"),
            ("LogoutURLs", "logout_urls"),
            (
                "ExecutionEnvironmentMemoryGiBPerVCpu",
                "execution_environment_memory_gib_per_v_cpu",
            ),
            ("S3Bucket", "s3_bucket"),
            ("AssumeRoleWithSAML", "assume_role_with_saml"),
            ("SizeInGiB", "size_in_gib"),
            ("Ipv6Address", "ipv6_address"),
            ("IPv6Address", "ipv6_address"),
            ("SigV4Auth", "sigv4_auth"),
            ("MaxTTL", "max_ttl"),
            ("DBProxy", "db_proxy"),
            ("IAMUser", "iam_user"),
            ("ListACLs", "list_acls"),
            ("DynamoDBv2", "dynamo_dbv2"),
            ("ChecksumCRC32C", "checksum_crc32_c"),
            ("s3key", "s3_key"),
            ("nodejs18x", "nodejs18_x"),
            ("snake_case_already", "snake_case_already"),
            ("Value", "value"),
        ];
        for (name, expected) in cases {
            assert_eq!(snake(name), expected, "snake of {name}");
        }
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
        let cases = [
            ("123 Service", "service-123service"),
            ("-_x_-", "x"),
            ("Self", "self-service"),
            ("Fn", "fn-service"),
            ("Std", "std-service"),
            ("Test", "test-service"),
            ("Élan Vital", "lanvital"),
            ("my-service", "my-service"),
        ];
        for (sdk_id, expected) in cases {
            assert_eq!(crate_name(sdk_id), expected, "crate for sdkId {sdk_id:?}");
        }
    }

    #[test]
    fn casing_keeps_only_ascii_letters_and_digits() {
        let cases = [
            ("fooBar", "foo_bar", "FooBar"),
            ("Ünïcødé", "n_c_d", "NCD"),
            ("日本", "empty", "Empty"),
            ("a-b", "a_b", "AB"),
            ("a b", "a_b", "AB"),
            ("*/ fn x() {}", "fn_x", "FnX"),
            ("", "empty", "Empty"),
            ("__", "empty", "Empty"),
        ];
        for (name, snake_case, camel_case) in cases {
            assert_eq!(snake(name), snake_case, "snake of {name:?}");
            assert_eq!(camel(name), camel_case, "camel of {name:?}");
        }
    }

    #[test]
    fn waiter_names_are_aws_sdk_rust_names() {
        let names = |w: &str| {
            (
                waiter_module(w),
                waiter_method(w),
                waiter_fluent_builder(w),
                waiter_final_poll(w),
                waiter_error(w),
            )
        };
        assert_eq!(
            names("TableExists"),
            (
                "table_exists".to_owned(),
                "wait_until_table_exists".to_owned(),
                "TableExistsFluentBuilder".to_owned(),
                "TableExistsFinalPoll".to_owned(),
                "WaitUntilTableExistsError".to_owned()
            )
        );
        assert_eq!(names("FunctionActiveV2").0, "function_active_v2");
        assert_eq!(names("FunctionActiveV2").1, "wait_until_function_active_v2");
        assert_eq!(names("FunctionActiveV2").2, "FunctionActiveV2FluentBuilder");
        // A waiter named like a keyword still gives a module name.
        assert_eq!(waiter_module("Match"), "r#match");
        assert_eq!(waiter_method("Match"), "wait_until_match");
    }

    #[test]
    fn numbered_names() {
        let cases = [
            ("foo_bar", 1, "foo_bar", "foo_bar"),
            ("foo_bar", 2, "foo_bar_2", "foo_bar2"),
            ("r#type", 2, "type_2", "type2"),
            ("self_", 3, "self_3", "self_3"),
        ];
        for (name, n, snake_case, camel_case) in cases {
            assert_eq!(numbered_snake(name, n), snake_case, "{name} #{n}");
            assert_eq!(numbered_camel(name, n), camel_case, "{name} #{n}");
        }
    }

    #[test]
    fn operation_modules_avoid_keywords_and_client_methods() {
        let cases = [
            ("Config", "config_operation"),
            ("FromConf", "from_conf_operation"),
            ("Type", "r#type"),
            ("Match", "r#match"),
            ("Self", "self_"),
            ("Super", "super_"),
            ("Ok", "ok"),
            ("GetFooBar", "get_foo_bar"),
            ("Get_Foo_Bar", "get_foo_bar"),
        ];
        for (op, module) in cases {
            assert_eq!(operation_module(op), module, "module of {op}");
        }
        assert_eq!(operation_struct("Self"), "Self_");
    }

    #[test]
    fn error_names_avoid_the_error_enum_own_names() {
        let cases = [
            ("Unhandled", "UnhandledValue"),
            ("Self", "SelfValue"),
            ("Error", "Error"),
            ("ForbiddenException", "ForbiddenException"),
            ("bad_name", "BadName"),
            ("BadThing_Exception", "BadThingException"),
            (
                "SoftwareTokenMFANotFoundException",
                "SoftwareTokenMfaNotFoundException",
            ),
            ("EC2AccessDeniedException", "Ec2AccessDeniedException"),
            ("EFSIOException", "EfsioException"),
            ("InvalidSubnetIDException", "InvalidSubnetIdException"),
        ];
        for (shape, expected) in cases {
            assert_eq!(error_type_name(shape), expected, "error type for {shape}");
        }
    }

    #[test]
    fn member_method_names_and_trait_lookalikes() {
        for name in [
            "build", "builder", "send", "new", "set_meta", "meta", "as_input",
        ] {
            assert!(generated_methods().contains(&name), "{name}");
            assert_eq!(field_name(name), format!("{name}_value"));
        }
        for name in ["clone", "add", "deref", "as_ref"] {
            assert!(is_trait_method_name(name), "{name}");
        }
        for name in ["default", "hash", "eq", "next", "value"] {
            assert!(!is_trait_method_name(name), "{name}");
        }
        assert_eq!(generated_variant_items(), ["Unknown", "is_unknown"]);
    }

    #[test]
    fn every_escaped_name_is_a_rust_identifier() {
        let hostile = [
            "",
            "_",
            "__",
            "1",
            "1st",
            "_1st",
            "a-b",
            "*/",
            "\"",
            "r#type",
            "Self_",
            "日本",
            "a\nb",
            "\u{202e}x",
            "#[cfg(any())]",
            "fn injected() {}",
            "Option",
            "Result",
        ];
        let words = RAW_KEYWORDS.iter().chain(NON_RAW_KEYWORDS).chain(&hostile);
        for word in words {
            for name in [
                field_name(word),
                type_name(word),
                variant_name(word),
                error_type_name(word),
                operation_module(word),
                operation_struct(word),
                operation_error(word),
                fluent_builder(word),
                operation_input(word),
                operation_output(word),
                type_module(&type_name(word)),
                is_variant_fn(&variant_name(word)),
                as_variant_fn(&variant_name(word)),
                format!("set_{}", field_suffix(&field_name(word))),
            ] {
                let plain = name.strip_prefix("r#").unwrap_or(&name);
                assert!(
                    plain.is_ascii()
                        && (syn::parse_str::<syn::Ident>(&name).is_ok()
                            || (name.starts_with("r#") && RAW_KEYWORDS.contains(&plain))),
                    "{word:?} became {name:?}, which is not an identifier"
                );
            }
        }
    }
}
