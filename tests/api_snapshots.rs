//! The public API of every generated crate in the repository, as a user
//! sees it after the runtime's macros are expanded, is an insta snapshot
//! beside the crate (`public-api.snap`): a model, generator or runtime-macro
//! change that changes the API shows there as a diff of whole signatures.
//! The listing's format is described in `support/api_listing/mod.rs`.
//!
//! After a change, review with `cargo insta review`.

use std::path::PathBuf;

use smithgen_tests::api_listing;
use smithgen_tests::project_root;

/// The workspace's target directory: the crates' dependencies are already
/// checked there by the rest of the test command.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| project_root().join("target"))
}

/// Lists `package` (in the workspace) and compares it with the snapshot
/// `public-api.snap` in `dir`.
fn check(package: &str, dir: &str) {
    let listing =
        api_listing::package_listing(&project_root().join("Cargo.toml"), package, &target_dir())
            .unwrap_or_else(|e| panic!("{package}: {e}"));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path(project_root().join(dir));
    settings.set_description(format!(
        "The public API of the crate in {dir}, after macro expansion (tests/api_snapshots.rs)"
    ));
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("public-api", listing));
}

/// Every generated crate in the repository: package and directory.
const CRATES: &[(&str, &str)] = &[
    ("cognitoidentityprovider", "generated"),
    ("protocol-aws-json-10", "tests/protocol/aws-json-10"),
    ("protocol-aws-json-11", "tests/protocol/aws-json-11"),
    ("protocol-rest-json", "tests/protocol/rest-json"),
    ("smithgen-paginated-client", "tests/paginated-client"),
    ("protocol-glacier", "tests/protocol/glacier"),
    (
        "protocol-rest-json-validation",
        "tests/protocol/rest-json-validation",
    ),
    (
        "protocol-query-compatible-json-10",
        "tests/protocol/query-compatible-json-10",
    ),
    ("protocol-apigateway", "tests/protocol/apigateway"),
    (
        "protocol-machine-learning",
        "tests/protocol/machine-learning",
    ),
    (
        "protocol-rest-json-errors",
        "tests/protocol/rest-json-errors",
    ),
    ("smithgen-waiter-client", "tests/waiter-client"),
];

/// One test per crate of [`CRATES`], so that each fails on its own.
macro_rules! api_tests {
    ($($test:ident $index:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                check(CRATES[$index].0, CRATES[$index].1);
            }
        )*

        /// Every crate of [`CRATES`] has its test above.
        #[test]
        fn every_crate_has_a_test() {
            assert_eq!([$($index),*].len(), CRATES.len());
        }
    };
}

api_tests! {
    generated_crate_api 0,
    aws_json_10_protocol_crate_api 1,
    aws_json_11_protocol_crate_api 2,
    rest_json_protocol_crate_api 3,
    paginated_client_api 4,
    glacier_protocol_crate_api 5,
    rest_json_validation_protocol_crate_api 6,
    query_compatible_protocol_crate_api 7,
    apigateway_protocol_crate_api 8,
    machine_learning_protocol_crate_api 9,
    rest_json_errors_protocol_crate_api 10,
    waiter_client_api 11,
}

/// `smithgen diff` calls added members, enum values, union variants and
/// errors not breaking because callers can neither build a generated
/// struct with a literal nor match a generated enum exhaustively: every
/// public enum, and every struct whose fields are all public, is
/// `#[non_exhaustive]` in every crate's API (the snapshots the tests above
/// keep current).
#[test]
fn additions_cannot_break_callers() {
    let mut checked = 0;
    for (_, dir) in CRATES {
        let path = project_root().join(dir).join("public-api.snap");
        let listing =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for line in listing.lines() {
            let constructible = line.starts_with("pub enum ")
                || (line.starts_with("pub struct ")
                    && !line.contains("{ private fields }")
                    && !line.contains("(_"));
            if constructible {
                checked += 1;
                assert!(
                    line.ends_with("#[non_exhaustive]"),
                    "{dir}: a type callers could build or match exhaustively: {line}"
                );
            }
        }
    }
    assert!(checked > 100, "only {checked} types checked");
}

/// A scratch directory under the target directory, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = target_dir().join("api-listing/scratch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// The listing of a crate without dependencies whose `lib.rs` holds
/// `macros` (a copy of the runtime's `macros/api.rs`) and a structure and
/// builder whose methods those macros declare, as generated code declares
/// them.
fn macro_probe_listing(variant: &str, macros: &str) -> String {
    let dir = scratch(&format!("macro-probe-{variant}"));
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"macro-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n",
    )
    .expect("write Cargo.toml");
    // Written out rather than `include!`d: a `#[macro_export]` macro that
    // is itself macro-expanded cannot be named by `$crate::` paths, which
    // the runtime's macros use for their inner rules. The file's inner doc
    // comment would be out of place after the crate's own.
    let macros: String = macros
        .lines()
        .filter(|l| !l.starts_with("//!"))
        .map(|l| format!("{l}\n"))
        .collect();
    let lib = format!(
        "//! Probes the runtime's macros.\n#![allow(dead_code)]\n{macros}\n\
         /// Settings.\npub struct Settings {{ enabled: Option<bool>, name: Option<String> }}\n\
         impl Settings {{\n\
             getter!(copy_opt enabled, bool, \" Whether it is on.\");\n\
             getter!(str_opt name, \" The name.\");\n\
         }}\n\
         /// A builder of settings.\n#[derive(Default)]\n\
         pub struct SettingsBuilder {{ enabled: Option<bool>, name: Option<String> }}\n\
         impl SettingsBuilder {{\n\
             builder_setters!(value enabled set_enabled get_enabled, bool, \" Whether it is on.\");\n\
             builder_setters!(value name set_name get_name, String, \" The name.\");\n\
         }}\n"
    );
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(dir.join("src/lib.rs"), lib).expect("write lib.rs");
    api_listing::package_listing(&dir.join("Cargo.toml"), "macro-probe", &dir.join("target"))
        .unwrap_or_else(|e| panic!("macro probe ({variant}): {e}"))
}

/// `getter!`'s `copy_opt` arm changed to return the value itself
/// (`unwrap_or_default()`), as a runtime change might.
fn change_copy_opt_getter(macros: &str) -> String {
    let start = macros
        .find("(copy_opt $name:ident, $ty:ty, $doc:literal) => {")
        .expect("getter! has a copy_opt arm; update this test if it changed");
    let end = start + macros[start..].find("\n    };").expect("the arm ends");
    let arm = &macros[start..end];
    let changed = arm
        .replacen("-> ::std::option::Option<$ty> {", "-> $ty {", 1)
        .replacen("self.$name\n", "self.$name.unwrap_or_default()\n", 1);
    assert_eq!(
        changed.matches("unwrap_or_default").count(),
        1,
        "getter!'s copy_opt arm no longer reads `self.$name`; update this test:\n{arm}"
    );
    assert!(
        !changed.contains("Option<$ty>"),
        "getter!'s copy_opt arm no longer returns `Option<$ty>`; update this test:\n{arm}"
    );
    format!("{}{changed}{}", &macros[..start], &macros[end..])
}

/// Lines of `a` that `b` does not have.
fn missing_from<'a>(a: &'a str, b: &str) -> Vec<&'a str> {
    let b: std::collections::BTreeSet<&str> = b.lines().collect();
    a.lines().filter(|l| !b.contains(l)).collect()
}

/// A change to a runtime macro that changes the methods it declares shows
/// in the listing: the probe crate is listed with the runtime's
/// `macros/api.rs` as it is and with `getter!` changed, and the two
/// listings differ in exactly the changed getter.
#[test]
fn a_changed_runtime_macro_shows_in_the_listing() {
    let macros = std::fs::read_to_string(project_root().join("codegen/runtime/src/macros/api.rs"))
        .expect("read the runtime's macros");
    let before = macro_probe_listing("as-is", &macros);
    let after = macro_probe_listing("changed", &change_copy_opt_getter(&macros));
    for line in [
        "pub fn crate::Settings::enabled(&self) -> Option<bool>",
        "pub fn crate::Settings::name(&self) -> Option<&str>",
        "pub fn crate::SettingsBuilder::set_name(self, input: Option<String>) -> Self",
        "pub fn crate::SettingsBuilder::name(self, input: impl Into<String>) -> Self",
        "pub fn crate::SettingsBuilder::get_enabled(&self) -> &Option<bool>",
    ] {
        assert!(
            before.lines().any(|l| l == line),
            "the listing lacks `{line}`:\n{before}"
        );
    }
    assert_eq!(
        missing_from(&before, &after),
        ["pub fn crate::Settings::enabled(&self) -> Option<bool>"]
    );
    assert_eq!(
        missing_from(&after, &before),
        ["pub fn crate::Settings::enabled(&self) -> bool"]
    );
}

/// A model with something to redact in every way generated code does (the
/// member `Whole` is redacted because its target is sensitive).
const SENSITIVE_MODEL: &str = r#"{
  "smithy": "2.0",
  "shapes": {
    "ex#Svc": {"type": "service", "version": "1", "operations": [{"target": "ex#Put"}],
               "traits": {"aws.protocols#awsJson1_1": {}, "aws.auth#sigv4": {"name": "svc"},
                          "aws.api#service": {"sdkId": "Svc"}}},
    "ex#Put": {"type": "operation", "input": {"target": "ex#PutInput"},
               "output": {"target": "smithy.api#Unit"}, "errors": [{"target": "ex#Denied"}]},
    "ex#PutInput": {"type": "structure", "members": {
        "Name": {"target": "smithy.api#String"},
        "Pin": {"target": "smithy.api#String", "traits": {"smithy.api#sensitive": {}}},
        "Whole": {"target": "ex#Whole"},
        "Choice": {"target": "ex#Choice"}}},
    "ex#Whole": {"type": "structure", "traits": {"smithy.api#sensitive": {}},
                 "members": {"A": {"target": "smithy.api#String"}}},
    "ex#Secret": {"type": "string", "traits": {"smithy.api#sensitive": {}}},
    "ex#Choice": {"type": "union", "members": {
        "Plain": {"target": "smithy.api#String"},
        "Hidden": {"target": "ex#Secret"}}},
    "ex#Denied": {"type": "structure", "traits": {"smithy.api#error": "client"},
                  "members": {"message": {"target": "ex#Secret"}}}
  }
}"#;

/// Hand-written `Debug` impls say what they redact, and a `Display` that
/// hides a sensitive message says so.
#[test]
fn the_listing_says_what_debug_and_display_redact() {
    let dir = scratch("sensitive");
    let model = dir.join("sensitive.json");
    std::fs::write(&model, SENSITIVE_MODEL).expect("write the model");
    let out = dir.join("crate");
    smithgen::Config::new()
        .model(&model)
        .crate_name("api-listing-sensitive")
        .runtime_dependency(smithgen::RuntimeDependency::Path(
            project_root().join("codegen/runtime"),
        ))
        .write_crate(&out)
        .expect("the model generates");
    // The workspace's lock file and profile, so that the dependencies
    // already checked in the target directory are used as they are.
    std::fs::copy(project_root().join("Cargo.lock"), out.join("Cargo.lock")).expect("Cargo.lock");
    let mut manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    manifest.push_str(
        "\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
    );
    std::fs::write(out.join("Cargo.toml"), manifest).expect("write Cargo.toml");
    let listing = api_listing::package_listing(
        &out.join("Cargo.toml"),
        "api-listing-sensitive",
        &target_dir(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for line in [
        "impl Debug for crate::operation::put::PutInput (hand-written; redacts pin, whole)",
        "impl Debug for crate::operation::put::PutInputBuilder (hand-written; redacts pin, whole)",
        "impl Debug for crate::types::Whole (hand-written; redacts the whole value)",
        "impl Debug for crate::types::Choice (hand-written; redacts Hidden)",
        "impl Display for crate::types::error::Denied (redacts the message)",
        "impl Debug for crate::types::error::Denied (hand-written; redacts message)",
    ] {
        assert!(
            listing.lines().any(|l| l == line),
            "the listing lacks `{line}`:\n{listing}"
        );
    }
}
