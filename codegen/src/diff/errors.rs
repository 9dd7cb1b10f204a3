//! Comparing the error structures under `types::error`.

use crate::ir::{ErrorTraits, StructIr};

use super::change::{Change, ChangeKind, Group, Subject};
use super::matching::matched;
use super::members::compare_struct;
use super::usage::Usage;

/// One group per error structure that changed, in the order of their names.
pub(super) fn compare_errors(
    old: &[StructIr],
    new: &[StructIr],
    old_usage: &Usage,
    new_usage: &Usage,
) -> Vec<Group> {
    // An error renamed in Rust is still the same code on the wire; it is
    // told as one gone and one come, which is what its users see.
    let m = matched(old, new, |e| &e.name, &[]);
    let group = |e: &StructIr, usage: &Usage, changes: Vec<Change>| Group {
        subject: Subject::Error {
            name: e.name.clone(),
        },
        shape: e.shape_id.to_string(),
        used_by: usage.of(&e.name),
        changes,
    };
    let mut groups = Vec::new();
    for (o, n) in m.both {
        let mut changes = Vec::new();
        compare_struct(o, n, &mut changes);
        if let (Some(was), Some(now)) = (&o.error, &n.error) {
            behaviour(n, was, now, &mut changes);
        }
        if !changes.is_empty() {
            groups.push(group(n, new_usage, changes));
        }
    }
    for o in m.removed {
        let change = Change::new(
            ChangeKind::ErrorTypeRemoved,
            o.name.as_str(),
            o.shape_id.to_string(),
            true,
            format!(
                "`types::error::{}` is gone: code naming it no longer compiles",
                o.name
            ),
        );
        groups.push(group(o, old_usage, vec![change]));
    }
    for n in m.added {
        let change = Change::new(
            ChangeKind::ErrorTypeAdded,
            n.name.as_str(),
            n.shape_id.to_string(),
            false,
            "a new error structure",
        );
        groups.push(group(n, new_usage, vec![change]));
    }
    groups
}

/// Whose fault the error is and whether it is retried: what the client
/// does with it, not what callers compile against.
fn behaviour(error: &StructIr, old: &ErrorTraits, new: &ErrorTraits, changes: &mut Vec<Change>) {
    let describe = |t: &ErrorTraits| {
        let fault = if t.client_fault { "client" } else { "server" };
        match (t.retryable, t.throttling) {
            (true, true) => format!("{fault} fault, retried as throttling"),
            (true, false) => format!("{fault} fault, retried"),
            (false, _) => format!("{fault} fault, not retried"),
        }
    };
    let (was, now) = (describe(old), describe(new));
    if was != now {
        changes.push(
            Change::new(
                ChangeKind::ErrorBehaviourChanged,
                error.name.as_str(),
                error.shape_id.to_string(),
                false,
                "the client retries it (or reports its fault) differently; callers compile as before",
            )
            .was(Some(was), Some(now)),
        );
    }
}
