//! `smithgen diff` on real model updates, April 2025 → 2026: Cognito user
//! pools and DynamoDB. What the report says was added, removed or made
//! required is checked against sets computed here from the two JSON models
//! directly (shape and member names, the `required` trait), independently of
//! the diff code. The human reports are snapshots
//! (`tests/snapshots/diff_real_models__*.snap`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use smithgen::diff::{ChangeKind, Diff, Report, Subject};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A model of `../shared`; fails naming it when it is missing.
fn shared(relative: &str) -> PathBuf {
    let path = root().join("../shared").join(relative);
    assert!(
        path.is_file(),
        "missing shared material {}: the tests need ../shared beside the project root",
        path.display()
    );
    path
}

/// One version of a model, as the expectations read it.
struct Model {
    shapes: serde_json::Map<String, Value>,
}

impl Model {
    fn load(path: &Path) -> Model {
        let text = std::fs::read_to_string(path).expect("read the model");
        let json: Value = serde_json::from_str(&text).expect("JSON");
        let shapes = json["shapes"].as_object().expect("shapes").clone();
        // What the expectations below leave out must be absent.
        for (id, shape) in &shapes {
            assert!(shape.get("mixins").is_none(), "{id} has mixins");
            assert!(
                shape["traits"].get("smithy.api#enum").is_none(),
                "{id} is an enum trait string"
            );
            assert!(shape.get("resources").is_none(), "{id} has resources");
        }
        Model { shapes }
    }

    fn shape(&self, id: &str) -> &Value {
        &self.shapes[id]
    }

    fn service(&self) -> &Value {
        let services: Vec<&Value> = self
            .shapes
            .values()
            .filter(|s| s["type"] == "service")
            .collect();
        assert_eq!(services.len(), 1, "one service");
        services[0]
    }

    fn targets(list: &Value) -> Vec<String> {
        list.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t["target"].as_str())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The service's operations, by shape id.
    fn operations(&self) -> BTreeSet<String> {
        Self::targets(&self.service()["operations"])
            .into_iter()
            .collect()
    }

    fn errors_of(&self, op: &str) -> BTreeSet<String> {
        Self::targets(&self.shape(op)["errors"])
            .into_iter()
            .collect()
    }

    /// Inputs and outputs of operations.
    fn io(&self) -> BTreeSet<String> {
        self.operations()
            .iter()
            .flat_map(|op| {
                let op = self.shape(op);
                [
                    op["input"]["target"].as_str(),
                    op["output"]["target"].as_str(),
                ]
            })
            .flatten()
            .map(str::to_owned)
            .collect()
    }

    /// Every shape of the model's namespaces the operations reach.
    fn reachable(&self) -> BTreeSet<String> {
        let mut stack: Vec<String> = Vec::new();
        for op in self.operations() {
            let shape = self.shape(&op);
            for key in ["input", "output"] {
                stack.extend(shape[key]["target"].as_str().map(str::to_owned));
            }
            stack.extend(Self::targets(&shape["errors"]));
        }
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if id.starts_with("smithy.api#") || !seen.insert(id.clone()) {
                continue;
            }
            let shape = self.shape(&id);
            if let Some(members) = shape["members"].as_object() {
                stack.extend(
                    members
                        .values()
                        .filter_map(|m| m["target"].as_str())
                        .map(str::to_owned),
                );
            }
            for key in ["member", "key", "value"] {
                stack.extend(shape[key]["target"].as_str().map(str::to_owned));
            }
        }
        seen
    }

    fn is_error(&self, id: &str) -> bool {
        self.shape(id)["traits"].get("smithy.api#error").is_some()
    }

    /// Structures, unions and enums under `types`: what the operations
    /// reach, but their inputs, outputs and errors.
    fn named_types(&self) -> BTreeSet<String> {
        let io = self.io();
        self.reachable()
            .into_iter()
            .filter(|id| {
                let ty = self.shape(id)["type"].as_str().unwrap_or("");
                matches!(ty, "structure" | "union" | "enum")
                    && !io.contains(id)
                    && !self.is_error(id)
            })
            .collect()
    }

    fn error_types(&self) -> BTreeSet<String> {
        self.reachable()
            .into_iter()
            .filter(|id| self.is_error(id))
            .collect()
    }

    /// `id$member` of every member of the reached structures (errors,
    /// inputs and outputs included).
    fn members(&self) -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for id in self.reachable() {
            let shape = self.shape(&id);
            if shape["type"] != "structure" {
                continue;
            }
            for name in shape["members"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(n, _)| n)
            {
                all.insert(format!("{id}${name}"));
            }
        }
        all
    }

    /// `(enum, value)` for every value of the reached enums.
    fn enum_values(&self) -> BTreeSet<(String, String)> {
        let mut all = BTreeSet::new();
        for id in self.reachable() {
            let shape = self.shape(&id);
            if shape["type"] != "enum" {
                continue;
            }
            for (name, member) in shape["members"].as_object().into_iter().flatten() {
                let value = member["traits"]["smithy.api#enumValue"]
                    .as_str()
                    .unwrap_or(name);
                all.insert((id.clone(), value.to_owned()));
            }
        }
        all
    }

    /// The input members callers must set (`@required` without a default).
    fn must_set_inputs(&self) -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for op in self.operations() {
            let Some(input) = self.shape(&op)["input"]["target"].as_str() else {
                continue;
            };
            if input.starts_with("smithy.api#") {
                continue;
            }
            for (name, member) in self.shape(input)["members"]
                .as_object()
                .into_iter()
                .flatten()
            {
                let traits = &member["traits"];
                let default = traits
                    .get("smithy.api#default")
                    .is_some_and(|d| !d.is_null());
                if traits.get("smithy.api#required").is_some() && !default {
                    all.insert(format!("{input}${name}"));
                }
            }
        }
        all
    }
}

fn name(id: &str) -> String {
    id.rsplit('#').next().unwrap_or(id).to_owned()
}

fn minus<T: Ord + Clone>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> BTreeSet<T> {
    a.difference(b).cloned().collect()
}

/// The shapes of the report's changes of `kind`.
fn shapes(report: &Report, kind: ChangeKind) -> BTreeSet<String> {
    report.of_kind(kind).map(|(_, c)| c.shape.clone()).collect()
}

/// The report's additions and removals agree with the models.
fn check_against_models(old_path: &Path, new_path: &Path) -> Report {
    let (old, new) = (Model::load(old_path), Model::load(new_path));
    let report = Diff::new()
        .old_model(old_path)
        .new_model(new_path)
        .run()
        .expect("both versions lower");

    let ops = |kind| -> BTreeSet<String> {
        report
            .of_kind(kind)
            .map(|(g, _)| match &g.subject {
                Subject::Operation { name, .. } => name.clone(),
                other => panic!("{kind:?} under {other:?}"),
            })
            .collect()
    };
    let op_names = |set: BTreeSet<String>| set.iter().map(|id| name(id)).collect::<BTreeSet<_>>();
    assert_eq!(
        ops(ChangeKind::OperationAdded),
        op_names(minus(&new.operations(), &old.operations())),
        "operations added"
    );
    assert_eq!(
        ops(ChangeKind::OperationRemoved),
        op_names(minus(&old.operations(), &new.operations())),
        "operations removed"
    );
    assert_eq!(report.of_kind(ChangeKind::OperationRenamed).count(), 0);

    assert_eq!(
        shapes(&report, ChangeKind::TypeAdded),
        minus(&new.named_types(), &old.named_types()),
        "types added"
    );
    assert_eq!(
        shapes(&report, ChangeKind::TypeRemoved),
        minus(&old.named_types(), &new.named_types()),
        "types removed"
    );
    assert_eq!(
        shapes(&report, ChangeKind::ErrorTypeAdded),
        minus(&new.error_types(), &old.error_types()),
        "error structures added"
    );
    assert_eq!(
        shapes(&report, ChangeKind::ErrorTypeRemoved),
        minus(&old.error_types(), &new.error_types()),
        "error structures removed"
    );

    // Members of the structures both versions have (a new structure's
    // members come with it, and the report says so once).
    let in_both = |members: BTreeSet<String>, other: &Model| -> BTreeSet<String> {
        let structures = other.reachable();
        members
            .into_iter()
            .filter(|m| structures.contains(m.split('$').next().unwrap()))
            .collect()
    };
    assert_eq!(report.of_kind(ChangeKind::MemberRenamed).count(), 0);
    assert_eq!(
        shapes(&report, ChangeKind::MemberAdded),
        in_both(minus(&new.members(), &old.members()), &old),
        "members added"
    );
    assert_eq!(
        shapes(&report, ChangeKind::MemberRemoved),
        in_both(minus(&old.members(), &new.members()), &new),
        "members removed"
    );

    let values = |kind, old_side: bool| -> BTreeSet<(String, String)> {
        report
            .of_kind(kind)
            .map(|(_, c)| {
                let value = if old_side { &c.old } else { &c.new };
                (c.shape.clone(), value.clone().expect("the value"))
            })
            .collect()
    };
    let enums_in_both = |values: BTreeSet<(String, String)>, other: &Model| {
        let reached = other.reachable();
        values
            .into_iter()
            .filter(|(e, _)| reached.contains(e))
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(
        values(ChangeKind::EnumValueAdded, false),
        enums_in_both(minus(&new.enum_values(), &old.enum_values()), &old),
        "enum values added"
    );
    assert_eq!(
        values(ChangeKind::EnumValueRemoved, true),
        enums_in_both(minus(&old.enum_values(), &new.enum_values()), &new),
        "enum values removed"
    );

    // Errors each operation both versions have gained or lost.
    let errors = |kind, old_side: bool| -> BTreeMap<String, BTreeSet<String>> {
        let mut all: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (g, c) in report.of_kind(kind) {
            let Subject::Operation { name, .. } = &g.subject else {
                panic!("{kind:?} under {:?}", g.subject)
            };
            let code = if old_side { &c.old } else { &c.new };
            all.entry(name.clone())
                .or_default()
                .insert(code.clone().expect("the code"));
        }
        all
    };
    let expected_errors = |a: &Model, b: &Model| -> BTreeMap<String, BTreeSet<String>> {
        let mut all = BTreeMap::new();
        for op in a.operations().intersection(&b.operations()) {
            let more: BTreeSet<String> = minus(&a.errors_of(op), &b.errors_of(op))
                .iter()
                .map(|e| name(e))
                .collect();
            if !more.is_empty() {
                all.insert(name(op), more);
            }
        }
        all
    };
    assert_eq!(
        errors(ChangeKind::ErrorAdded, false),
        expected_errors(&new, &old),
        "errors added"
    );
    assert_eq!(
        errors(ChangeKind::ErrorRemoved, true),
        expected_errors(&old, &new),
        "errors removed"
    );

    // Input members callers must set now, or need not any more, of the
    // inputs both versions have.
    let inputs_in_both = |members: BTreeSet<String>| -> BTreeSet<String> {
        members
            .into_iter()
            .filter(|m| old.members().contains(m) && new.members().contains(m))
            .collect()
    };
    let of_inputs = |kind| -> BTreeSet<String> {
        let inputs: BTreeSet<String> = old.io().union(&new.io()).cloned().collect();
        shapes(&report, kind)
            .into_iter()
            .filter(|m| inputs.contains(m.split('$').next().unwrap()))
            .filter(|m| old.must_set_inputs().contains(m) || new.must_set_inputs().contains(m))
            .collect()
    };
    assert_eq!(
        of_inputs(ChangeKind::MemberMadeRequired),
        inputs_in_both(minus(&new.must_set_inputs(), &old.must_set_inputs())),
        "input members made required"
    );
    assert_eq!(
        of_inputs(ChangeKind::MemberNoLongerRequired),
        inputs_in_both(minus(&old.must_set_inputs(), &new.must_set_inputs())),
        "input members no longer required"
    );
    report
}

/// The human report as the command prints it from the project root, with
/// its exit status.
fn command_report(old: &str, new: &str) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_smithgen"))
        .args(["diff", "--old", old, "--new", new])
        .current_dir(root())
        .output()
        .expect("run smithgen diff");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().expect("an exit status"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

fn check_pair(old: &str, new: &str, snapshot: &str) -> Report {
    let report = check_against_models(&shared(old), &shared(new));
    let (code, text) = command_report(&format!("../shared/{old}"), &format!("../shared/{new}"));
    assert_eq!(code, if report.is_breaking() { 1 } else { 0 }, "{text}");
    insta::assert_snapshot!(snapshot, text);
    report
}

#[test]
fn cognito_user_pools_2025_to_2026() {
    let report = check_pair(
        "models/aws/cognito-identity-provider-2016-04-18.json",
        "models/aws-2026/cognito-identity-provider.json",
        "cognito_user_pools_2025_to_2026",
    );
    // The sizes of the sets checked above, so that none is empty by mistake:
    // nine operations and five members, as the models' changelog says.
    for (kind, n) in [
        (ChangeKind::OperationAdded, 9),
        (ChangeKind::MemberAdded, 5),
        (ChangeKind::TypeAdded, 9),
        (ChangeKind::ErrorTypeAdded, 4),
        (ChangeKind::ErrorAdded, 15),
    ] {
        assert_eq!(report.of_kind(kind).count(), n, "{kind:?}");
    }
    assert!(!report.is_breaking());
}

#[test]
fn dynamodb_2025_to_2026() {
    let report = check_pair(
        "models/aws/dynamodb-2012-08-10.json",
        "models/aws-2026/dynamodb.json",
        "dynamodb_2025_to_2026",
    );
    for (kind, n) in [
        (ChangeKind::MemberNoLongerRequired, 2),
        (ChangeKind::MemberAdded, 14),
        (ChangeKind::EnumValueAdded, 4),
        (ChangeKind::TypeAdded, 8),
        (ChangeKind::ErrorTypeAdded, 1),
        (ChangeKind::ErrorAdded, 14),
    ] {
        assert_eq!(report.of_kind(kind).count(), n, "{kind:?}");
    }
    assert!(!report.is_breaking());
}
