//! The report as JSON, for CI: the same groups and changes as the human
//! report, with the stable names of change kinds.

use serde_json::{json, Value};

use super::change::{Change, Group, Subject};
use super::report::{Report, Side};

/// The report as a JSON value. Documentation-only changes are counted, and
/// listed only with `docs`.
pub fn to_json(report: &Report, docs: bool) -> Value {
    let counts = report.counts();
    let groups: Vec<Value> = report
        .groups
        .iter()
        .filter_map(|g| {
            let changes: Vec<Value> = g
                .changes
                .iter()
                .filter(|c| docs || !c.is_docs())
                .map(change)
                .collect();
            (!changes.is_empty()).then(|| group(g, changes))
        })
        .collect();
    json!({
        "old": side(&report.old),
        "new": side(&report.new),
        "breaking": report.is_breaking(),
        "counts": {
            "breaking": counts.breaking,
            "not_breaking": counts.not_breaking,
            "documentation": counts.documentation,
            "by_kind": counts.by_kind,
        },
        "groups": groups,
    })
}

fn side(side: &Side) -> Value {
    json!({
        "models": side.models,
        "crate": side.crate_name,
        "operations": side.operations,
        "types": side.types,
        "errors": side.errors,
    })
}

fn group(group: &Group, changes: Vec<Value>) -> Value {
    let mut value = match &group.subject {
        Subject::Service => json!({"subject": "crate"}),
        Subject::Operation { name, method } => {
            json!({"subject": "operation", "name": name, "method": method})
        }
        Subject::Type { name, kind } => json!({"subject": "type", "name": name, "kind": kind}),
        Subject::Error { name } => json!({"subject": "error", "name": name}),
    };
    value["shape"] = json!(group.shape);
    if !matches!(group.subject, Subject::Service | Subject::Operation { .. }) {
        value["used_by"] = json!(group.used_by);
    }
    value["changes"] = Value::Array(changes);
    value
}

fn change(change: &Change) -> Value {
    json!({
        "kind": change.kind.name(),
        "breaking": change.breaking,
        "item": change.item,
        "shape": change.shape,
        "reason": change.reason,
        "old": change.old,
        "new": change.new,
    })
}
