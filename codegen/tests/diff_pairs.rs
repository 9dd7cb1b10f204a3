//! `smithgen diff` on small model pairs, one kind of change each, in both
//! directions: each asserts the exact changes reported, whether each breaks
//! callers, and the exit status.
//!
//! The pairs are in `tests/models/diff/<case>/`: `new.json`, and `old.json`
//! when the old version is not `tests/models/diff/base.json` (a service of
//! two operations, a structure, an enum, a union and two errors).

use std::path::{Path, PathBuf};
use std::process::Command;

use smithgen::diff::{Diff, Report};

fn cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/models/diff")
}

/// The old and new model of a case.
fn pair(case: &str) -> (PathBuf, PathBuf) {
    let dir = cases().join(case);
    let old = dir.join("old.json");
    let old = if old.is_file() {
        old
    } else {
        cases().join("base.json")
    };
    let new = dir.join("new.json");
    assert!(new.is_file(), "missing {}", new.display());
    (old, new)
}

fn report(old: &Path, new: &Path) -> Report {
    Diff::new()
        .old_model(old)
        .new_model(new)
        .run()
        .unwrap_or_else(|e| panic!("{} → {}: {e}", old.display(), new.display()))
}

/// Every change as (kind, item, breaking), sorted.
fn changes(report: &Report) -> Vec<(String, String, bool)> {
    let mut all: Vec<_> = report
        .changes()
        .map(|(_, c)| (c.kind.name().to_owned(), c.item.clone(), c.breaking))
        .collect();
    all.sort();
    all
}

fn expected(list: &[(&str, &str, bool)]) -> Vec<(String, String, bool)> {
    let mut all: Vec<_> = list
        .iter()
        .map(|(k, i, b)| (k.to_string(), i.to_string(), *b))
        .collect();
    all.sort();
    all
}

/// Compares `case` forwards (old → new) and backwards (new → old).
fn check(case: &str, forwards: &[(&str, &str, bool)], backwards: &[(&str, &str, bool)]) {
    let (old, new) = pair(case);
    let there = report(&old, &new);
    assert_eq!(changes(&there), expected(forwards), "{case}, old → new");
    let back = report(&new, &old);
    assert_eq!(changes(&back), expected(backwards), "{case}, new → old");
    for (report, list) in [(&there, forwards), (&back, backwards)] {
        assert_eq!(report.is_breaking(), list.iter().any(|c| c.2), "{case}");
    }
}

const B: bool = true;
const OK: bool = false;

#[test]
fn operation_removed_and_added() {
    check(
        "operation-removed",
        &[("operation_removed", "Client::put_thing()", B)],
        &[("operation_added", "Client::put_thing()", OK)],
    );
}

#[test]
fn member_removed_and_added() {
    check(
        "member-removed",
        &[("member_removed", "GetThingInput::verbose", B)],
        &[("member_added", "GetThingInput::verbose", OK)],
    );
}

#[test]
fn a_required_member_added_breaks_callers_who_build_the_input() {
    check(
        "required-member-added",
        &[("member_added", "GetThingInput::owner", B)],
        &[("member_removed", "GetThingInput::owner", B)],
    );
}

#[test]
fn member_renamed() {
    check(
        "member-renamed",
        &[("member_renamed", "Thing::name", B)],
        &[("member_renamed", "Thing::title", B)],
    );
}

#[test]
fn input_member_made_required() {
    check(
        "input-member-made-required",
        &[("member_made_required", "GetThingInput::verbose", B)],
        &[("member_no_longer_required", "GetThingInput::verbose", OK)],
    );
}

#[test]
fn output_member_made_required_loses_its_option() {
    check(
        "output-member-made-required",
        &[
            ("member_made_required", "GetThingOutput::count", B),
            (
                "build_signature_changed",
                "GetThingOutputBuilder::build()",
                B,
            ),
        ],
        &[
            ("member_type_changed", "GetThingOutput::count", B),
            ("member_no_longer_required", "GetThingOutput::count", OK),
            (
                "build_signature_changed",
                "GetThingOutputBuilder::build()",
                B,
            ),
        ],
    );
}

#[test]
fn structure_member_made_required() {
    check(
        "struct-member-made-required",
        &[
            ("member_made_required", "Thing::name", B),
            ("build_signature_changed", "ThingBuilder::build()", B),
        ],
        &[
            ("member_type_changed", "Thing::name", B),
            ("member_no_longer_required", "Thing::name", OK),
            ("build_signature_changed", "ThingBuilder::build()", B),
        ],
    );
}

#[test]
fn member_type_changed() {
    check(
        "member-type-changed",
        &[("member_type_changed", "GetThingOutput::count", B)],
        &[("member_type_changed", "GetThingOutput::count", B)],
    );
}

#[test]
fn enum_value_removed_and_added() {
    check(
        "enum-value-removed",
        &[("enum_value_removed", "Color::Blue", B)],
        &[("enum_value_added", "Color::Blue", OK)],
    );
}

#[test]
fn enum_value_changed() {
    // The value's generated documentation names it, so it changes too.
    check(
        "enum-value-changed",
        &[
            ("enum_value_changed", "Color::Green", B),
            ("documentation", "Color::Green", OK),
        ],
        &[
            ("enum_value_changed", "Color::Green", B),
            ("documentation", "Color::Green", OK),
        ],
    );
}

#[test]
fn union_variant_removed_and_added() {
    check(
        "union-variant-removed",
        &[("variant_removed", "Shape::Square", B)],
        &[("variant_added", "Shape::Square", OK)],
    );
}

#[test]
fn error_removed_from_an_operation() {
    check(
        "error-removed-from-operation",
        &[("error_removed", "GetThingError::Throttled", B)],
        &[("error_added", "GetThingError::Throttled", OK)],
    );
}

#[test]
fn error_type_removed_with_its_last_operation() {
    check(
        "error-type-removed",
        &[
            ("error_removed", "GetThingError::NotFound", B),
            ("error_type_removed", "NotFound", B),
        ],
        &[
            ("error_added", "GetThingError::NotFound", OK),
            ("error_type_added", "NotFound", OK),
        ],
    );
}

#[test]
fn type_removed_with_the_member_that_held_it() {
    check(
        "type-removed",
        &[
            ("member_removed", "Thing::shape", B),
            ("type_removed", "Shape", B),
        ],
        &[
            ("member_added", "Thing::shape", OK),
            ("type_added", "Shape", OK),
        ],
    );
}

#[test]
fn paginator_removed_and_added() {
    check(
        "paginator-removed",
        &[(
            "paginator_removed",
            "GetThingFluentBuilder::into_paginator()",
            B,
        )],
        &[(
            "paginator_added",
            "GetThingFluentBuilder::into_paginator()",
            OK,
        )],
    );
}

#[test]
fn paginator_gains_and_loses_items() {
    check(
        "paginator-items-added",
        &[(
            "paginator_changed",
            "GetThingFluentBuilder::into_paginator()",
            OK,
        )],
        &[(
            "paginator_changed",
            "GetThingFluentBuilder::into_paginator()",
            B,
        )],
    );
}

#[test]
fn auth_scheme_appended_and_removed() {
    check(
        "auth-scheme-appended",
        &[("auth_changed", "GetThingFluentBuilder::send()", OK)],
        &[("auth_changed", "GetThingFluentBuilder::send()", B)],
    );
}

#[test]
fn auth_scheme_replaced() {
    check(
        "auth-scheme-replaced",
        &[("auth_changed", "GetThingFluentBuilder::send()", B)],
        &[("auth_changed", "GetThingFluentBuilder::send()", B)],
    );
}

#[test]
fn documentation_only() {
    check(
        "documentation-only",
        &[
            ("documentation", "Client::get_thing()", OK),
            ("documentation", "Thing::name", OK),
        ],
        &[
            ("documentation", "Client::get_thing()", OK),
            ("documentation", "Thing::name", OK),
        ],
    );
}

#[test]
fn member_made_sensitive() {
    check(
        "member-made-sensitive",
        &[("redaction_changed", "Thing::name", OK)],
        &[("redaction_changed", "Thing::name", OK)],
    );
}

#[test]
fn error_made_retryable() {
    check(
        "error-made-retryable",
        &[("error_behaviour_changed", "Throttled", OK)],
        &[("error_behaviour_changed", "Throttled", OK)],
    );
}

#[test]
fn default_changed() {
    check(
        "default-changed",
        &[("default_changed", "GetThingInput::verbose", OK)],
        &[("default_changed", "GetThingInput::verbose", OK)],
    );
}

#[test]
fn a_model_compared_with_itself_has_no_changes() {
    let base = cases().join("base.json");
    assert!(changes(&report(&base, &base)).is_empty());
}

/// Every case directory is one of the cases above.
#[test]
fn every_case_is_tested() {
    let source = include_str!("diff_pairs.rs");
    for entry in std::fs::read_dir(cases()).expect("tests/models/diff") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                source.contains(&format!("\"{name}\"")),
                "tests/models/diff/{name} is not checked by any test"
            );
        }
    }
}

fn smithgen(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_smithgen"))
        .args(args)
        .output()
        .expect("run smithgen");
    (
        output.status.code().expect("an exit status"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Exit status 0 when nothing breaks, 1 when something does, 2 on an error.
#[test]
fn the_command_exits_by_what_breaks() {
    let (old, new) = pair("member-removed");
    let (code, out, _) = smithgen(&["diff", "--old", path(&old), "--new", path(&new)]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("BREAKING member removed: GetThingInput::verbose"),
        "{out}"
    );

    let (code, out, _) = smithgen(&["diff", "--old", path(&new), "--new", path(&old)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("nothing breaks callers"), "{out}");

    let missing = cases().join("no-such-model.json");
    let (code, _, err) = smithgen(&["diff", "--old", path(&missing), "--new", path(&new)]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-model.json"), "{err}");
}

/// Documentation-only changes are counted, and listed only with `--docs`.
#[test]
fn documentation_is_listed_only_when_asked() {
    let (old, new) = pair("documentation-only");
    let (code, out, _) = smithgen(&["diff", "--old", path(&old), "--new", path(&new)]);
    assert_eq!(code, 0);
    assert!(out.contains("2 documentation changes (not listed"), "{out}");
    assert!(!out.contains("documentation: Thing::name"), "{out}");
    let (_, out, _) = smithgen(&["diff", "--old", path(&old), "--new", path(&new), "--docs"]);
    assert!(out.contains("documentation: Thing::name"), "{out}");
}

/// `--format json`: the same changes, with the kinds' stable names.
#[test]
fn json_for_ci() {
    let (old, new) = pair("enum-value-removed");
    let (code, out, _) = smithgen(&[
        "diff",
        "--old",
        path(&old),
        "--new",
        path(&new),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["breaking"], true);
    assert_eq!(json["counts"]["breaking"], 1);
    let group = &json["groups"][0];
    assert_eq!(group["subject"], "type");
    assert_eq!(group["name"], "Color");
    assert_eq!(
        group["used_by"],
        serde_json::json!(["get_thing", "put_thing"])
    );
    let change = &group["changes"][0];
    assert_eq!(change["kind"], "enum_value_removed");
    assert_eq!(change["item"], "Color::Blue");
    assert_eq!(change["old"], "blue");
    assert_eq!(change["breaking"], true);
}

/// `--operation` compares only what those operations reach; one that only
/// one version has is added or removed, one that neither has is an error.
#[test]
fn operations_select_what_is_compared() {
    let (old, new) = pair("operation-removed");
    let (code, out, _) = smithgen(&[
        "diff",
        "--old",
        path(&old),
        "--new",
        path(&new),
        "--operation",
        "PutThing",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("operation removed: Client::put_thing()"),
        "{out}"
    );
    assert!(out.contains("(svc: 1 operation,"), "{out}");
    assert!(out.contains("(svc: 0 operations,"), "{out}");

    let (old, new) = pair("enum-value-removed");
    let (code, out, _) = smithgen(&[
        "diff",
        "--old",
        path(&old),
        "--new",
        path(&new),
        "--operation",
        "GetThing",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("types::Color (enum; used by get_thing)"),
        "{out}"
    );

    let (code, _, err) = smithgen(&[
        "diff",
        "--old",
        path(&old),
        "--new",
        path(&new),
        "--operation",
        "Nope",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("operation `Nope` is in neither version"),
        "{err}"
    );
}
