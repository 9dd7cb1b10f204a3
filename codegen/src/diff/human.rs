//! The report as a person reads it: a summary, then each operation, type and
//! error that changed, with one line per change, the breaking ones marked.

use std::fmt::Write;

use super::change::{Change, Group, Subject};
use super::report::{Report, Side};

/// How many operations a type's "used by" names before it says how many more.
const USERS_SHOWN: usize = 5;

/// The report as text. Documentation-only changes are counted, and listed
/// only with `docs`.
pub fn human(report: &Report, docs: bool) -> String {
    let mut out = String::new();
    let side = |s: &Side| {
        let models = if s.models.is_empty() {
            String::new()
        } else {
            format!("{} ", s.models.join(", "))
        };
        format!(
            "{models}({}: {}, {}, {})",
            s.crate_name,
            count(s.operations, "operation"),
            count(s.types, "type"),
            count(s.errors, "error")
        )
    };
    let _ = writeln!(out, "old: {}", side(&report.old));
    let _ = writeln!(out, "new: {}", side(&report.new));
    let counts = report.counts();
    let docs_note = if docs || counts.documentation == 0 {
        ""
    } else {
        " (not listed; --docs lists them)"
    };
    let verdict = if counts.breaking == 0 {
        "nothing breaks callers".to_owned()
    } else {
        format!("{} BREAKING", counts.breaking)
    };
    let _ = writeln!(
        out,
        "\n{verdict}; {}; {}{docs_note}",
        count(counts.not_breaking, "other change"),
        count(counts.documentation, "documentation change")
    );
    let by_kind: Vec<String> = counts
        .by_kind
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect();
    if !by_kind.is_empty() {
        let _ = writeln!(out, "by kind: {}", by_kind.join(", "));
    }
    let mut section = "";
    for group in &report.groups {
        let shown: Vec<&Change> = group
            .changes
            .iter()
            .filter(|c| docs || !c.is_docs())
            .collect();
        if shown.is_empty() {
            continue;
        }
        let title = match group.subject {
            Subject::Service => "Crate",
            Subject::Operation { .. } => "Operations",
            Subject::Type { .. } => "Types",
            Subject::Error { .. } => "Errors",
        };
        if title != section {
            let _ = writeln!(out, "\n{title}");
            section = title;
        }
        let _ = writeln!(out, "  {}", heading(group));
        for change in shown {
            let _ = writeln!(out, "    {}", line(change));
        }
    }
    out
}

/// `AdminGetUser (client.admin_get_user())`, `types::Tag (struct; used by
/// list_tags, tag_resource)`.
fn heading(group: &Group) -> String {
    let used_by = || {
        if group.used_by.is_empty() {
            return String::new();
        }
        let names: Vec<&str> = group
            .used_by
            .iter()
            .take(USERS_SHOWN)
            .map(String::as_str)
            .collect();
        let more = group.used_by.len().saturating_sub(USERS_SHOWN);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!("; used by {}{more}", names.join(", "))
    };
    match &group.subject {
        Subject::Service => format!("crate ({})", group.shape),
        Subject::Operation { name, method } => format!("{name} (client.{method}())"),
        Subject::Type { name, kind } => format!("types::{name} ({kind}{})", used_by()),
        Subject::Error { name } => format!("types::error::{name} (error{})", used_by()),
    }
}

/// `BREAKING member removed: X::y (was `Option<String>`) — the field … gone`;
/// a change that breaks nothing has the mark's width of blanks.
fn line(change: &Change) -> String {
    let mark = if change.breaking { "BREAKING" } else { "" };
    let values = match (&change.old, &change.new) {
        (Some(old), Some(new)) => format!(" (`{old}` → `{new}`)"),
        (Some(old), None) => format!(" (was `{old}`)"),
        (None, Some(new)) => format!(": `{new}`"),
        (None, None) => String::new(),
    };
    format!(
        "{mark:<8} {}: {}{values} — {}",
        change.kind.label(),
        change.item,
        change.reason
    )
}

/// `1 type`, `2 types`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("{n} {what}")
    } else {
        format!("{n} {what}s")
    }
}
