//! Comparing an operation's paginator (`into_paginator()`).

use crate::ir::{OperationIr, PaginatorField, PaginatorIr};

use super::change::{Change, ChangeKind};
use super::rust_type::type_name;

fn path(fields: &[PaginatorField]) -> String {
    fields
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

/// The type `.items()` yields: the last field's list item or map entry.
fn item_type(p: &PaginatorIr) -> Option<String> {
    let last = p.items.as_ref()?.last()?;
    Some(type_name(&last.ty))
}

/// The paginator in one line: where its tokens go and come from, the page
/// size, the items.
fn describe(p: &PaginatorIr) -> String {
    let mut text = format!(
        "token sent in {}, read from {}",
        p.input_token.name,
        path(&p.output_token)
    );
    if let Some(size) = &p.page_size {
        text.push_str(&format!(", page size {}", size.name));
    }
    if let Some(items) = &p.items {
        text.push_str(&format!(", items {}", path(items)));
    }
    text
}

pub(super) fn compare_paginator(old: &OperationIr, new: &OperationIr, changes: &mut Vec<Change>) {
    let item = format!("{}::into_paginator()", new.fluent_builder);
    let shape = new.shape_id.to_string();
    match (&old.paginator, &new.paginator) {
        (None, None) => {}
        (None, Some(n)) => changes.push(
            Change::new(
                ChangeKind::PaginatorAdded,
                item,
                shape,
                false,
                "the operation is paginated: `into_paginator()` is new",
            )
            .was(None, Some(describe(n))),
        ),
        (Some(o), None) => changes.push(
            Change::new(
                ChangeKind::PaginatorRemoved,
                item,
                shape,
                true,
                "the operation is no longer paginated: `into_paginator()` and its types are gone",
            )
            .was(Some(describe(o)), None),
        ),
        (Some(o), Some(n)) => {
            let (was, now) = (describe(o), describe(n));
            if was == now && item_type(o) == item_type(n) {
                return;
            }
            let (breaking, reason) = paginator_change(o, n);
            changes.push(
                Change::new(ChangeKind::PaginatorChanged, item, shape, breaking, reason)
                    .was(Some(was), Some(now)),
            );
        }
    }
}

/// Whether a change to a paginator breaks its callers, and why: they lose
/// a method, get items of another type, or pages are followed by other
/// tokens; a method gained breaks nothing.
fn paginator_change(old: &PaginatorIr, new: &PaginatorIr) -> (bool, String) {
    let same_tokens = old.input_token.name == new.input_token.name
        && path(&old.output_token) == path(&new.output_token);
    if !same_tokens {
        return (
            true,
            "the paginator follows other tokens: pages are fetched differently".to_owned(),
        );
    }
    let size = |p: &PaginatorIr| p.page_size.as_ref().map(|s| s.name.clone());
    match (size(old), size(new)) {
        (Some(_), None) => return (true, "`.page_size()` is gone".to_owned()),
        (Some(a), Some(b)) if a != b => {
            return (true, format!("`.page_size()` sets `{b}`, no longer `{a}`"));
        }
        _ => {}
    }
    let items = |p: &PaginatorIr| p.items.as_ref().map(|i| path(i));
    match (item_type(old), item_type(new)) {
        (Some(_), None) => (true, "`.items()` is gone".to_owned()),
        (Some(a), Some(b)) if a != b => (true, format!("`.items()` yields `{b}`, no longer `{a}`")),
        (Some(_), Some(_)) if items(old) != items(new) => (
            true,
            "`.items()` reads another member of the output".to_owned(),
        ),
        (None, Some(_)) => (false, "the paginator gains `.items()`".to_owned()),
        // What is left: a page size, where there was none.
        _ => (false, "the paginator gains `.page_size()`".to_owned()),
    }
}
