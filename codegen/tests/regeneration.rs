//! The regeneration loop stays small: a change to one member's or one
//! operation's documentation rewrites only the files that hold it, and
//! leaves every other file of the crate untouched (same inode, same
//! modification time), so the snapshot review that follows shows only them;
//! and `smithgen diff` calls it one documentation change.

#![cfg(unix)]

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde_json::Value;
use smithgen::diff::Diff;
use smithgen::Config;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "smithgen-regeneration-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// The current Cognito user pools model, whole (122 operations).
fn cognito() -> Value {
    let path = root().join("../shared/models/aws-2026/cognito-identity-provider.json");
    assert!(
        path.is_file(),
        "missing shared material {}: the tests need ../shared beside the project root",
        path.display()
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("read the model")).expect("JSON")
}

/// Every file under `dir`, relative, with its inode and modification time.
fn stamps(dir: &Path) -> BTreeMap<PathBuf, (u64, i64, i64)> {
    let mut all = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            let meta = std::fs::metadata(&path).expect("metadata");
            if meta.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("under dir").to_path_buf();
                all.insert(relative, (meta.ino(), meta.mtime(), meta.mtime_nsec()));
            }
        }
    }
    all
}

/// Generates the crate of `model`, then of `model` changed by `change`,
/// into the same directory; returns the files the second run rewrote (by
/// their inodes and times, measured apart from what the writer reports,
/// which must agree), how many files the crate has, and the changes
/// `smithgen diff` reports (kind and item).
fn rewritten(
    name: &str,
    change: impl FnOnce(&mut Value),
) -> (BTreeSet<String>, usize, Vec<(&'static str, String)>) {
    let dir = scratch(name);
    let out = dir.join("crate");
    let write = |model: &Value| {
        // The same file name both times: the manifest names it.
        let path = dir.join("cognito-identity-provider.json");
        std::fs::write(&path, model.to_string()).expect("write the model");
        Config::new()
            .model(&path)
            .write_crate(&out)
            .expect("the model generates")
    };
    let mut model = cognito();
    write(&model);
    let old_model = dir.join("old.json");
    std::fs::write(&old_model, model.to_string()).expect("keep the old model");
    let before = stamps(&out);
    change(&mut model);
    let report = write(&model);
    let diff = Diff::new()
        .old_model(&old_model)
        .new_model(dir.join("cognito-identity-provider.json"))
        .run()
        .expect("both versions lower");
    let changes = diff
        .changes()
        .map(|(_, c)| (c.kind.name(), c.item.clone()))
        .collect();
    let after = stamps(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the same files"
    );
    let touched: BTreeSet<String> = after
        .iter()
        .filter(|(path, stamp)| before[*path] != **stamp)
        .map(|(path, _)| path.to_string_lossy().into_owned())
        .collect();
    let reported: BTreeSet<String> = report
        .written
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert_eq!(touched, reported, "what the writer reports");
    assert!(report.removed.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
    (touched, after.len(), changes)
}

fn set(files: &[&str]) -> BTreeSet<String> {
    files.iter().map(|f| f.to_string()).collect()
}

const NS: &str = "com.amazonaws.cognitoidentityprovider";

fn document(model: &mut Value, shape: &str, member: Option<&str>, text: &str) {
    let shape = &mut model["shapes"][format!("{NS}#{shape}")];
    let target = match member {
        Some(member) => &mut shape["members"][member],
        None => shape,
    };
    assert!(target.is_object(), "no such shape or member");
    target["traits"]["smithy.api#documentation"] = Value::String(text.to_owned());
}

#[test]
fn a_structure_members_documentation_rewrites_its_structures_file() {
    let (files, total, changes) = rewritten("struct-member", |m| {
        document(
            m,
            "SMSMfaSettingsType",
            Some("Enabled"),
            "Whether SMS MFA is on.",
        )
    });
    assert_eq!(files, set(&["src/types/_sms_mfa_settings_type.rs"]));
    assert!(total > 200, "{total} files");
    assert_eq!(
        changes,
        [("documentation", "SmsMfaSettingsType::enabled".to_owned())]
    );
}

#[test]
fn an_input_members_documentation_rewrites_its_operations_file() {
    let (files, _, changes) = rewritten("input-member", |m| {
        document(
            m,
            "SetUserMFAPreferenceRequest",
            Some("AccessToken"),
            "The signed-in user's access token.",
        )
    });
    assert_eq!(files, set(&["src/operation/set_user_mfa_preference.rs"]));
    assert_eq!(
        changes,
        [(
            "documentation",
            "SetUserMfaPreferenceInput::access_token".to_owned()
        )]
    );
}

#[test]
fn an_operations_documentation_rewrites_its_file_and_the_clients() {
    let (files, _, changes) = rewritten("operation", |m| {
        document(
            m,
            "SetUserMFAPreference",
            None,
            "Sets the user's MFA preference.",
        )
    });
    assert_eq!(
        files,
        set(&["src/client.rs", "src/operation/set_user_mfa_preference.rs"])
    );
    assert_eq!(
        changes,
        [(
            "documentation",
            "Client::set_user_mfa_preference()".to_owned()
        )]
    );
}
