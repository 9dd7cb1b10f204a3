//! The generated redaction tests can fail: a crate generated with
//! `--redaction-tests` from `tests/models/sensitive-kinds.json` (a sensitive
//! member of every simple Smithy type, and in a list, a map, a union, a
//! nested structure, a structure sensitive as a whole, an output and an
//! error) passes them as generated; a copy whose redacting `Debug`
//! implementations print each value after the placeholder fails every one of
//! them but the credentials test, each for the reason its kind calls for.
//!
//! Two crates are built with Cargo, in the workspace's target directory and
//! with the workspace's `Cargo.lock`, so that the runtime and its
//! dependencies are the ones the workspace builds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use smithgen::{Config, RuntimeDependency};

const REDACTED: &str = "\"*** Sensitive Data Redacted ***\"";

/// Why a test of the leaking crate must fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caught {
    /// The output shows what the secret printed (its text, or the `Debug`
    /// or `Display` of a distinctive value).
    Shown,
    /// The output is not the same with the other secret (`true`, a byte).
    Changed,
}

/// Each redaction test of the model, and why it fails once values leak.
const EXPECTED: &[(&str, Caught)] = &[
    ("store_input_string", Caught::Shown),
    ("store_input_blob", Caught::Shown),
    ("store_input_boolean", Caught::Changed),
    ("store_input_byte", Caught::Changed),
    ("store_input_short", Caught::Shown),
    ("store_input_integer", Caught::Shown),
    ("store_input_long", Caught::Shown),
    ("store_input_float", Caught::Shown),
    ("store_input_double", Caught::Shown),
    ("store_input_big_integer", Caught::Shown),
    ("store_input_big_decimal", Caught::Shown),
    ("store_input_timestamp", Caught::Shown),
    ("store_input_document", Caught::Shown),
    ("store_input_string_enum", Caught::Shown),
    ("store_input_int_enum", Caught::Shown),
    // A list of booleans, a list of timestamps, and a map of bytes (whose
    // key is a secret string).
    ("store_input_flags", Caught::Changed),
    ("store_input_stamps", Caught::Shown),
    ("store_input_sizes", Caught::Shown),
    // A member holding a structure sensitive as a whole, and that structure.
    ("store_input_whole", Caught::Shown),
    ("whole_as_a_whole", Caught::Shown),
    ("store_output_expires", Caught::Shown),
    ("nested_tiny", Caught::Changed),
    ("denied_code", Caught::Shown),
    ("choice_flag", Caught::Changed),
    ("choice_bytes", Caught::Shown),
];

/// What a leaking test's message must quote for kinds whose printed form
/// the old tests never found: a timestamp as a date, a blob as hex.
const PRINTED: &[(&str, &str)] = &[
    ("store_input_timestamp", "as \"1999-02-0"),
    ("store_input_stamps", "as \"1999-02-0"),
    ("store_output_expires", "as \"1999-02-0"),
    // "smithgen-secret-" in hex.
    ("store_input_blob", "736d69746867656e2d7365637265742d"),
    ("choice_bytes", "736d69746867656e2d7365637265742d"),
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace holds codegen")
        .to_path_buf()
}

/// Generates the crate into `target/redaction-leaks/<name>`, with the
/// workspace's lock file. Each crate has a name of its own: Cargo would take
/// two crates of one name, each the root of its own workspace, for the same,
/// and could run one's tests for the other's.
fn generate(name: &str) -> PathBuf {
    let root = workspace();
    let out = root.join("target/redaction-leaks").join(name);
    let _ = fs::remove_dir_all(&out);
    Config::new()
        .model(root.join("tests/models/sensitive-kinds.json"))
        .crate_name(format!("redaction-leaks-{name}"))
        .redaction_tests(true)
        .runtime_dependency(RuntimeDependency::Path(root.join("codegen/runtime")))
        .write_crate(&out)
        .expect("the model generates");
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("copy Cargo.lock");
    out
}

/// Runs the crate's redaction tests: whether all passed, each test's result
/// (`None` when it passed, else its failure message), and the whole output.
fn run_tests(dir: &Path) -> (bool, BTreeMap<String, Option<String>>, String) {
    let output = Command::new(env!("CARGO"))
        .arg("test")
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        // The workspace's profile, so that its dependencies are shared.
        .args(["--config", "profile.dev.debug=\"line-tables-only\""])
        .args(["--config", "profile.dev.package.\"*\".debug=false"])
        .args(["--", "redaction_tests::", "--test-threads=2"])
        .env("CARGO_TARGET_DIR", workspace().join("target"))
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run cargo test");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let all = format!("{stdout}\n{stderr}");
    let mut results = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test redaction_tests::") else {
            continue;
        };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            results.insert(name.to_owned(), None);
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            let header = format!("---- redaction_tests::{name} stdout ----");
            let message = stdout
                .split_once(&header)
                .map(|(_, after)| after.split("\n---- ").next().unwrap_or(after))
                .unwrap_or_else(|| panic!("no output of the failed {name}:\n{all}"));
            results.insert(name.to_owned(), Some(message.to_owned()));
        }
    }
    // The tests run are this crate's own.
    let name = dir.file_name().expect("crate directory").to_string_lossy();
    let binary = format!("/redaction_leaks_{name}-");
    assert!(all.contains(&binary), "not the tests of {name}:\n{all}");
    (output.status.success(), results, all)
}

/// Makes the redacting `Debug` of every sensitive value print the value
/// after the placeholder, as a derived `Debug` would print it.
fn leak(dir: &Path) {
    // What a type sensitive as a whole is made of, by type.
    let wholes: BTreeMap<&str, &str> = [
        ("Whole", "(&self.on, &self.when)"),
        ("WholeBuilder", "(&self.on, &self.when)"),
        ("SecretEnum", "self.as_str()"),
    ]
    .into();
    let mut rewritten = 0;
    for path in rust_files(&dir.join("src")) {
        if path.ends_with("redaction_tests.rs") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("read source");
        let lines: Vec<&str> = text.lines().collect();
        let mut out = String::new();
        // The type whose `Debug` is being read.
        let mut debug_for = "";
        let field = format!(", &{REDACTED});");
        let variant = format!(".field(&{REDACTED})");
        for (i, line) in lines.iter().enumerate() {
            if let Some(rest) = line.trim().strip_prefix("impl ::std::fmt::Debug for ") {
                debug_for = rest.trim_end_matches(" {");
            }
            let mut line = (*line).to_owned();
            // A member: `formatter.field("name", &REDACTED);`.
            if let Some(start) = line.find("formatter.field(\"") {
                if line.ends_with(&field) {
                    let name = &line[start + "formatter.field(\"".len()..line.len() - field.len()];
                    let name = name.trim_end_matches('"').to_owned();
                    line = line.replace(&field, &format!(", &crate::leak::Shown(&self.{name}));"));
                    rewritten += 1;
                }
            }
            // A union variant: `Union::Variant(_) => f.debug_tuple(..).field(&REDACTED)`,
            // on one line or two.
            let arm = lines[i..].iter().take(2).any(|l| l.contains(&variant));
            if line.contains("(_) =>") && arm {
                line = line.replace("(_) =>", "(value) =>");
            }
            if line.contains(&variant) {
                line = line.replace(&variant, ".field(&crate::leak::Shown(value))");
                rewritten += 1;
            }
            // A whole value: `f.write_str(REDACTED)`.
            if line.trim() == format!("f.write_str({REDACTED})") {
                let parts = wholes
                    .get(debug_for)
                    .unwrap_or_else(|| panic!("what is {debug_for} made of?"));
                line = line.replace(
                    &format!("f.write_str({REDACTED})"),
                    &format!("::std::fmt::Debug::fmt(&crate::leak::Shown({parts}), f)"),
                );
                rewritten += 1;
            }
            out.push_str(&line);
            out.push('\n');
        }
        assert!(
            !out.contains(REDACTED),
            "{} still redacts somewhere:\n{out}",
            path.display()
        );
        fs::write(&path, out).expect("write source");
    }
    assert!(rewritten > 40, "only {rewritten} redactions rewritten");
    let lib = dir.join("src/lib.rs");
    let mut text = fs::read_to_string(&lib).expect("read lib.rs");
    text.push_str(
        "\n/// A sensitive value printed after the placeholder: a leak.\n\
         mod leak {\n\
             pub(crate) struct Shown<T>(pub(crate) T);\n\
             impl<T: ::std::fmt::Debug> ::std::fmt::Debug for Shown<T> {\n\
                 fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {\n\
                     f.write_str(\"*** Sensitive Data Redacted *** \")?;\n\
                     self.0.fmt(f)\n\
                 }\n\
             }\n\
         }\n",
    );
    fs::write(&lib, text).expect("write lib.rs");
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

#[test]
fn redaction_tests_pass_as_generated_and_fail_on_every_kind_of_leak() {
    let mut expected: Vec<&str> = EXPECTED.iter().map(|(name, _)| *name).collect();
    expected.push("config_and_credentials");
    expected.sort_unstable();

    let clean = generate("clean");
    let leaky = generate("leaky");
    leak(&leaky);

    let (passed, results, output) = run_tests(&clean);
    assert!(
        passed,
        "the generated crate fails its redaction tests:\n{output}"
    );
    let names: Vec<&str> = results.keys().map(String::as_str).collect();
    assert_eq!(names, expected, "the tests of the model:\n{output}");

    let (passed, results, output) = run_tests(&leaky);
    assert!(!passed, "the leaking crate passes:\n{output}");
    let names: Vec<&str> = results.keys().map(String::as_str).collect();
    assert_eq!(names, expected, "the tests of the leaking crate:\n{output}");
    assert_eq!(
        results["config_and_credentials"], None,
        "credentials do not leak here"
    );
    for (name, caught) in EXPECTED {
        let Some(message) = &results[*name] else {
            panic!("{name} passes though its value leaks:\n{output}");
        };
        let reason = match caught {
            Caught::Shown => "shows the first secret, as ",
            Caught::Changed => "changes with the secret, so it shows some form of it",
        };
        assert!(
            message.contains(reason),
            "{name} fails, but not because its value {reason:?}:\n{message}"
        );
    }
    for (name, printed) in PRINTED {
        let message = results[*name].as_deref().unwrap_or_default();
        assert!(
            message.contains(printed),
            "{name} does not quote {printed:?}:\n{message}"
        );
    }
}
