//! Comparing operations: the client method, the input and output
//! structures, the errors, the paginator and auth.

use crate::ir::OperationIr;

use super::auth::compare_auth;
use super::change::{Change, ChangeKind, Group, Subject};
use super::matching::matched;
use super::members::compare_struct;
use super::paginators::compare_paginator;

/// One group per operation that changed, in the order of their client
/// methods. Operations are matched by client method; one gone and one
/// come for the same model shape are one renamed.
pub(super) fn compare_operations(old: &[OperationIr], new: &[OperationIr]) -> Vec<Group> {
    let m = matched(
        old,
        new,
        |op| &op.module,
        &[&|o, n| o.shape_id == n.shape_id],
    );
    let group = |op: &OperationIr, changes: Vec<Change>| Group {
        subject: Subject::Operation {
            name: op.wire_name.clone(),
            method: op.module.clone(),
        },
        shape: op.shape_id.to_string(),
        used_by: Vec::new(),
        changes,
    };
    let mut groups = Vec::new();
    for (o, n) in m.both {
        let changes = compare_operation(o, n);
        if !changes.is_empty() {
            groups.push(group(n, changes));
        }
    }
    for (o, n) in m.renamed {
        let change = Change::new(
            ChangeKind::OperationRenamed,
            format!("Client::{}()", o.module),
            n.shape_id.to_string(),
            true,
            format!(
                "the client method is now `{}()` and its module `operation::{}`: callers of `{}()` no longer compile",
                n.module, n.module, o.module
            ),
        )
        .was(Some(o.module.clone()), Some(n.module.clone()));
        let mut changes = vec![change];
        changes.extend(compare_operation(o, n));
        groups.push(group(n, changes));
    }
    for o in m.removed {
        let change = Change::new(
            ChangeKind::OperationRemoved,
            format!("Client::{}()", o.module),
            o.shape_id.to_string(),
            true,
            format!(
                "`Client::{}()` and the module `operation::{}` are gone: callers no longer compile",
                o.module, o.module
            ),
        );
        groups.push(group(o, vec![change]));
    }
    for n in m.added {
        let change = Change::new(
            ChangeKind::OperationAdded,
            format!("Client::{}()", n.module),
            n.shape_id.to_string(),
            false,
            "a new client method",
        );
        groups.push(group(n, vec![change]));
    }
    groups
}

/// The changes to an operation present in both versions.
fn compare_operation(old: &OperationIr, new: &OperationIr) -> Vec<Change> {
    let mut changes = Vec::new();
    if old.docs != new.docs {
        changes.push(Change::new(
            ChangeKind::Documentation,
            format!("Client::{}()", new.module),
            new.shape_id.to_string(),
            false,
            "the operation's documentation",
        ));
    }
    compare_struct(&old.input, &new.input, &mut changes);
    compare_struct(&old.output, &new.output, &mut changes);
    let errors = matched(&old.errors, &new.errors, |e| &e.type_name, &[]);
    for gone in errors.removed {
        changes.push(Change::new(
            ChangeKind::ErrorRemoved,
            format!("{}::{}", old.error_enum, gone.type_name),
            new.shape_id.to_string(),
            true,
            format!(
                "the operation no longer returns `{}`: a match arm naming the variant no longer compiles",
                gone.code
            ),
        ).was(Some(gone.code.clone()), None));
    }
    for come in errors.added {
        changes.push(
            Change::new(
                ChangeKind::ErrorAdded,
                format!("{}::{}", new.error_enum, come.type_name),
                new.shape_id.to_string(),
                false,
                format!(
                    "`{}` is #[non_exhaustive]: matches already have a wildcard arm",
                    new.error_enum
                ),
            )
            .was(None, Some(come.code.clone())),
        );
    }
    compare_paginator(old, new, &mut changes);
    compare_auth(old, new, &mut changes);
    changes
}
