//! The `smithgen` command as users run it: help, generation, `--check`,
//! `--operation`, and errors that name what is wrong and leave the output alone.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn smithgen(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_smithgen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run smithgen")
}

fn project_model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/cognito-set-user-mfa-preference.json")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smithgen-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir` with its contents, to compare trees.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let contents = fs::read(&path).expect("read file");
                out.push((
                    path.strip_prefix(dir).expect("prefix").to_path_buf(),
                    contents,
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn help_snapshot() {
    let out = smithgen(&["--help"], Path::new("."));
    assert!(out.status.success());
    insta::assert_snapshot!("smithgen_help", text(&out.stdout));
}

#[test]
fn generates_then_checks_then_detects_staleness() {
    let dir = scratch("check");
    let out_dir = dir.join("crate");
    let model = project_model();
    let model = model.to_str().expect("utf-8 path");
    let out_arg = out_dir.to_str().expect("utf-8 path");

    let first = smithgen(&["--model", model, "--out", out_arg], &dir);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(out_dir.join("src/lib.rs").is_file());
    assert!(out_dir.join("Cargo.toml").is_file());

    let check = smithgen(&["--model", model, "--out", out_arg, "--check"], &dir);
    assert!(
        check.status.success(),
        "fresh output is up to date: {}",
        text(&check.stderr)
    );

    // Regenerating an up-to-date tree rewrites nothing.
    let lib = out_dir.join("src/lib.rs");
    let before = fs::metadata(&lib)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = smithgen(&["--model", model, "--out", out_arg], &dir);
    assert!(
        text(&again.stdout).contains("0 written"),
        "{}",
        text(&again.stdout)
    );
    let after = fs::metadata(&lib)
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(before, after, "an unchanged file is not rewritten");

    // A hand edit and a stray generated file are both reported.
    fs::write(&lib, "// edited\n").expect("edit");
    let stale = smithgen(&["--model", model, "--out", out_arg, "--check"], &dir);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = text(&stale.stderr);
    assert!(stderr.contains("lib.rs"), "{stderr}");
    assert!(
        !stderr.contains("types.rs"),
        "only stale files are listed: {stderr}"
    );
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn operation_selection_keeps_only_what_the_operation_needs() {
    let dir = scratch("select");
    let real = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models/aws-2026/cognito-identity-provider.json");
    assert!(real.is_file(), "missing shared material {}", real.display());
    let out_dir = dir.join("crate");
    let out = smithgen(
        &[
            "--model",
            real.to_str().expect("utf-8"),
            "--out",
            out_dir.to_str().expect("utf-8"),
            "--operation",
            "SetUserMFAPreference",
        ],
        &dir,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ops: Vec<String> = fs::read_dir(out_dir.join("src/operation"))
        .expect("operation dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut ops = ops;
    ops.sort();
    // Its `builders` module is written inside the operation's file.
    assert_eq!(ops, ["set_user_mfa_preference.rs"]);
    let mut types: Vec<String> = fs::read_dir(out_dir.join("src/types"))
        .expect("types dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    types.sort();
    assert_eq!(
        types,
        [
            "_email_mfa_settings_type.rs",
            "_sms_mfa_settings_type.rs",
            "_software_token_mfa_settings_type.rs",
            "error.rs"
        ]
    );
    // The operation's eight errors, written in `types/error.rs` itself.
    let errors = fs::read_to_string(out_dir.join("src/types/error.rs")).expect("errors");
    let mut structs: Vec<&str> = errors
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub struct "))
        .filter_map(|rest| rest.split([' ', '{']).next())
        .filter(|name| !name.ends_with("Builder"))
        .collect();
    structs.sort();
    assert_eq!(
        structs,
        [
            "ForbiddenException",
            "InternalErrorException",
            "InvalidParameterException",
            "NotAuthorizedException",
            "PasswordResetRequiredException",
            "ResourceNotFoundException",
            "UserNotConfirmedException",
            "UserNotFoundException"
        ]
    );
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn unknown_operation_is_an_error_naming_it() {
    let dir = scratch("unknown-op");
    let model = project_model();
    let out = smithgen(
        &[
            "--model",
            model.to_str().expect("utf-8"),
            "--out",
            "out",
            "--operation",
            "NoSuchOperation",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("NoSuchOperation"), "{stderr}");
    assert!(!dir.join("out").exists(), "nothing is written on error");
    fs::remove_dir_all(&dir).expect("clean up");
}

/// Writes `model` to a file and runs smithgen over an existing generated tree;
/// the error must name `expected` and the tree must be left exactly as it was.
fn assert_rejected(name: &str, model: &str, expected: &[&str]) {
    let dir = scratch(name);
    let out_dir = dir.join("crate");
    let good = smithgen(
        &[
            "--model",
            project_model().to_str().expect("utf-8"),
            "--out",
            out_dir.to_str().expect("utf-8"),
        ],
        &dir,
    );
    assert!(good.status.success(), "{}", text(&good.stderr));
    let before = tree(&out_dir);

    let bad = dir.join("bad.json");
    fs::write(&bad, model).expect("write model");
    let out = smithgen(
        &[
            "--model",
            bad.to_str().expect("utf-8"),
            "--out",
            out_dir.to_str().expect("utf-8"),
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2), "stdout: {}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in expected {
        assert!(
            stderr.contains(needle),
            "error should mention {needle:?}: {stderr}"
        );
    }
    assert_eq!(tree(&out_dir), before, "the previous output is untouched");
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn dangling_target_names_shape_and_member() {
    assert_rejected(
        "dangling",
        r#"{"smithy":"2.0","shapes":{
            "ex#Svc":{"type":"service","operations":[{"target":"ex#Op"}],"traits":{"aws.protocols#awsJson1_1":{}}},
            "ex#Op":{"type":"operation","input":{"target":"ex#In"}},
            "ex#In":{"type":"structure","members":{"Name":{"target":"ex#Missing"}}}
        }}"#,
        &["ex#In", "Name", "ex#Missing"],
    );
}

#[test]
fn invalid_json_names_the_file() {
    assert_rejected("json", "{ not json", &["bad.json"]);
}

#[test]
fn unsupported_protocol_names_the_service() {
    assert_rejected(
        "protocol",
        r#"{"smithy":"2.0","shapes":{
            "ex#Svc":{"type":"service","operations":[],"traits":{"aws.protocols#restXml":{}}}
        }}"#,
        &["ex#Svc", "protocol"],
    );
}

#[test]
fn colliding_member_names_are_reported() {
    // Members that differ only in case are invalid Smithy (`fooBar` and
    // `foo_bar`, which only collide after casing, are numbered instead).
    assert_rejected(
        "collide",
        r#"{"smithy":"2.0","shapes":{
            "ex#Svc":{"type":"service","operations":[{"target":"ex#Op"}],"traits":{"aws.protocols#awsJson1_1":{}}},
            "ex#Op":{"type":"operation","input":{"target":"ex#In"}},
            "ex#In":{"type":"structure","members":{"fooBar":{"target":"smithy.api#String"},"FooBar":{"target":"smithy.api#String"}}}
        }}"#,
        &["bad.json", "ex#In", "FooBar", "differ only in case"],
    );
}

#[test]
fn refuses_to_write_into_a_directory_it_did_not_generate() {
    let dir = scratch("foreign");
    let out_dir = dir.join("mine");
    fs::create_dir_all(&out_dir).expect("create");
    fs::write(out_dir.join("notes.txt"), "keep").expect("write");
    let out = smithgen(
        &[
            "--model",
            project_model().to_str().expect("utf-8"),
            "--out",
            out_dir.to_str().expect("utf-8"),
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("refusing"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        tree(&out_dir),
        vec![(PathBuf::from("notes.txt"), b"keep".to_vec())]
    );
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn endpoint_tests_subcommand_runs_every_case_of_a_model() {
    let model = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models/aws-2026/cognito-identity-provider.json");
    assert!(
        model.is_file(),
        "missing shared material {}",
        model.display()
    );
    let out = smithgen(
        &["endpoint-tests", "--model", model.to_str().expect("utf-8")],
        Path::new("."),
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("57 of 57 endpoint test cases passed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("endpoint-tests: 57 passed, 0 failed"),
        "{stdout}"
    );
}

#[test]
fn endpoint_tests_subcommand_fails_on_a_failing_case() {
    let dir = scratch("endpoint-fail");
    let model = dir.join("m.json");
    fs::write(
        &model,
        r#"{"smithy":"2.0","shapes":{"ex#Svc":{"type":"service","traits":{
            "smithy.rules#endpointRuleSet":{"version":"1.0","parameters":{"Region":{"type":"String","builtIn":"AWS::Region"}},
              "rules":[{"type":"endpoint","conditions":[],"endpoint":{"url":"https://svc.{Region}.example.com"}}]},
            "smithy.rules#endpointTests":{"version":"1.0","testCases":[
              {"documentation":"right","params":{"Region":"us-east-1"},"expect":{"endpoint":{"url":"https://svc.us-east-1.example.com"}}},
              {"documentation":"wrong on purpose","params":{"Region":"us-east-1"},"expect":{"endpoint":{"url":"https://elsewhere.example.com"}}}
            ]}}}}}"#,
    )
    .expect("write model");
    let out = smithgen(
        &["endpoint-tests", "--model", model.to_str().expect("utf-8")],
        &dir,
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAILED wrong on purpose"), "{stdout}");
    assert!(stdout.contains("1 passed, 1 failed"), "{stdout}");
    fs::remove_dir_all(&dir).expect("clean up");
}

/// `--partitions` makes `aws.partition` answer from the given table.
#[test]
fn endpoint_tests_subcommand_takes_a_partition_table() {
    let dir = scratch("endpoint-partitions");
    let model = dir.join("m.json");
    fs::write(
        &model,
        r#"{"smithy":"2.0","shapes":{"ex#Svc":{"type":"service","traits":{
            "smithy.rules#endpointRuleSet":{"version":"1.0","parameters":{"Region":{"type":"String","builtIn":"AWS::Region"}},
              "rules":[{"type":"endpoint","conditions":[{"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"}],
                "endpoint":{"url":"https://svc.{Region}.{p#dnsSuffix}"}}]},
            "smithy.rules#endpointTests":{"version":"1.0","testCases":[
              {"documentation":"private suffix","params":{"Region":"xx-private-1"},"expect":{"endpoint":{"url":"https://svc.xx-private-1.private.example"}}}
            ]}}}}}"#,
    )
    .expect("write model");
    let table = dir.join("partitions.json");
    fs::write(
        &table,
        r#"{"partitions":[{"id":"private","regionRegex":"^xx\\-\\w+\\-\\d+$","regions":{},
            "outputs":{"name":"private","dnsSuffix":"private.example","dualStackDnsSuffix":"private.example",
              "supportsFIPS":false,"supportsDualStack":false,"implicitGlobalRegion":"xx-private-1"}}],"version":"1.1"}"#,
    )
    .expect("write table");
    let model = model.to_str().expect("utf-8");
    let builtin = smithgen(&["endpoint-tests", "--model", model], &dir);
    assert_eq!(builtin.status.code(), Some(1), "{}", text(&builtin.stdout));
    assert!(text(&builtin.stdout).contains("amazonaws.com"));
    let given = smithgen(
        &[
            "endpoint-tests",
            "--model",
            model,
            "--partitions",
            table.to_str().expect("utf-8"),
        ],
        &dir,
    );
    let stdout = text(&given.stdout);
    assert!(given.status.success(), "{stdout}{}", text(&given.stderr));
    assert!(stdout.contains("1 passed, 0 failed"), "{stdout}");
    let bad = smithgen(
        &["endpoint-tests", "--model", model, "--partitions", model],
        &dir,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("not a partition table"),
        "{}",
        text(&bad.stderr)
    );
    fs::remove_dir_all(&dir).expect("clean up");
}

/// Every file under `dir` with its contents and modification time.
fn tree_with_times(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    tree(dir)
        .into_iter()
        .map(|(path, contents)| {
            let modified = fs::metadata(dir.join(&path))
                .and_then(|m| m.modified())
                .expect("mtime");
            (path, contents, modified)
        })
        .collect()
}

/// The names in `dir` other than `keep`.
fn siblings(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_generation_leaves_every_byte_and_time_alone() {
    let dir = scratch("failed");
    let out_dir = dir.join("crate");
    let model = project_model();
    let args = ["--model", model.to_str().expect("utf-8"), "--out", "crate"];
    assert!(smithgen(&args, &dir).status.success());
    fs::write(out_dir.join("NOTES.md"), "mine").expect("write");
    let before = tree_with_times(&out_dir);

    fs::write(
        dir.join("bad.json"),
        r#"{"smithy":"2.0","shapes":{"ex#S":{"type":"nope"}}}"#,
    )
    .expect("write model");
    let out = smithgen(&["--model", "bad.json", "--out", "crate"], &dir);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(tree_with_times(&out_dir), before);
    assert_eq!(siblings(&dir, &["crate", "bad.json"]), Vec::<String>::new());
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn regeneration_keeps_user_files_and_unchanged_files() {
    let dir = scratch("user-files");
    let out_dir = dir.join("crate");
    let model = project_model();
    let model = model.to_str().expect("utf-8");
    assert!(smithgen(&["--model", model, "--out", "crate"], &dir)
        .status
        .success());
    fs::write(out_dir.join("NOTES.md"), "mine").expect("write");
    fs::write(out_dir.join("src/extra.rs"), "// mine").expect("write");
    let lib_time = fs::metadata(out_dir.join("src/lib.rs"))
        .and_then(|m| m.modified())
        .expect("mtime");

    let out = smithgen(
        &[
            "--model",
            model,
            "--out",
            "crate",
            "--crate-name",
            "renamed",
        ],
        &dir,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1 written"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(fs::read(out_dir.join("NOTES.md")).expect("kept"), b"mine");
    assert_eq!(
        fs::read(out_dir.join("src/extra.rs")).expect("kept"),
        b"// mine"
    );
    assert_eq!(
        fs::metadata(out_dir.join("src/lib.rs"))
            .and_then(|m| m.modified())
            .expect("mtime"),
        lib_time,
        "an unchanged file keeps its modification time"
    );
    assert!(fs::read_to_string(out_dir.join("Cargo.toml"))
        .expect("manifest")
        .contains("name = \"renamed\""));
    assert_eq!(siblings(&dir, &["crate"]), Vec::<String>::new());
    fs::remove_dir_all(&dir).expect("clean up");
}

#[test]
fn concurrent_runs_never_interleave_their_files() {
    let dir = scratch("concurrent");
    let model = project_model();
    let model = model.to_str().expect("utf-8");
    assert!(smithgen(&["--model", model, "--out", "crate"], &dir)
        .status
        .success());
    let names: Vec<String> = (0..6).map(|i| format!("writer-{i}")).collect();
    let children: Vec<_> = names
        .iter()
        .map(|name| {
            Command::new(env!("CARGO_BIN_EXE_smithgen"))
                .args(["--model", model, "--out", "crate", "--crate-name", name])
                .current_dir(&dir)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn smithgen")
        })
        .collect();
    let mut succeeded = 0;
    for child in children {
        let out = child.wait_with_output().expect("wait");
        if out.status.success() {
            succeeded += 1;
        } else {
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{stderr}");
            assert!(stderr.contains("crate.smithgen-lock"), "{stderr}");
            assert!(stderr.contains("another smithgen run"), "{stderr}");
        }
    }
    assert!(succeeded >= 1);
    // The tree is exactly what one of the runs generates.
    let up_to_date: Vec<&String> = names
        .iter()
        .filter(|name| {
            smithgen(
                &[
                    "--model",
                    model,
                    "--out",
                    "crate",
                    "--crate-name",
                    name,
                    "--check",
                ],
                &dir,
            )
            .status
            .success()
        })
        .collect();
    assert_eq!(up_to_date.len(), 1, "{up_to_date:?}");
    assert_eq!(siblings(&dir, &["crate"]), Vec::<String>::new());
    fs::remove_dir_all(&dir).expect("clean up");
}
