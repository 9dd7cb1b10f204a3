//! Comparing two versions of a structure: its members, what `build()`
//! returns, what `Debug` redacts, its documentation.

use crate::ir::{DefaultValue, FieldIr, StructIr, StructKind};

use super::change::{docs_and_redaction, Change, ChangeKind, RedactionReasons};
use super::matching::{matched, Matched};
use super::rust_type::field_type;

/// Whether callers build the structure to send it: operation inputs and
/// the structures they hold. Outputs and errors come from the service;
/// callers build them only to mock it, so a member they must now set is
/// not what breaks them (a change of a field's type still does).
fn callers_build(kind: StructKind) -> bool {
    matches!(kind, StructKind::Input | StructKind::Plain)
}

/// Whether `build()` fails when the member is left unset.
fn must_set(field: &FieldIr) -> bool {
    field.required && field.default.is_none()
}

/// The changes from `old` to `new`, two versions of one structure.
pub(super) fn compare_struct(old: &StructIr, new: &StructIr, changes: &mut Vec<Change>) {
    let owner = &new.name;
    let shape = new.shape_id.to_string();
    docs_and_redaction(
        "structure",
        (owner.as_str(), shape.as_str()),
        (&old.docs, &new.docs),
        (old.sensitive, new.sensitive),
        RedactionReasons {
            now: "the whole structure is now @sensitive: Debug prints a placeholder for it",
            no_longer: "the structure is no longer @sensitive: Debug prints its members",
        },
        changes,
    );
    compare_fields(old, new, changes);
    if old.build_is_fallible() != new.build_is_fallible() {
        let (was, now) = (build_output(old), build_output(new));
        let reason = if new.build_is_fallible() {
            "a member must now be set, so build() returns a Result: callers that use its value directly no longer compile"
        } else {
            "no member must be set any more, so build() returns the value itself: callers that handle its Result no longer compile"
        };
        changes.push(
            Change::new(
                ChangeKind::BuildSignatureChanged,
                format!("{}::build()", new.builder),
                shape.as_str(),
                true,
                reason,
            )
            .was(Some(was), Some(now)),
        );
    }
}

/// What `build()` returns.
fn build_output(s: &StructIr) -> String {
    if s.build_is_fallible() {
        format!("Result<{}, BuildError>", s.name)
    } else {
        s.name.clone()
    }
}

/// The members' changes, matched by Rust field name; a member gone and one
/// come are one renamed when they have the model's name in common, or else
/// the same type and documentation.
fn compare_fields(old: &StructIr, new: &StructIr, changes: &mut Vec<Change>) {
    let Matched {
        both,
        renamed,
        removed,
        added,
    } = matched(
        &old.fields,
        &new.fields,
        |f| &f.name,
        &[
            &|gone, come| gone.wire_name == come.wire_name,
            &|gone, come| field_type(gone) == field_type(come) && gone.docs == come.docs,
        ],
    );
    let owner = &new.name;
    let member_shape = |f: &FieldIr, s: &StructIr| format!("{}${}", s.shape_id, f.wire_name);
    for (o, f) in both {
        compare_field(owner, &member_shape(f, new), new.kind, o, f, changes);
    }
    for (gone, come) in renamed {
        let how = if gone.wire_name == come.wire_name {
            "the same model member has another Rust name"
        } else {
            "a member with the same type and documentation replaces it"
        };
        changes.push(
            Change::new(
                ChangeKind::MemberRenamed,
                format!("{owner}::{}", gone.name),
                member_shape(come, new),
                true,
                format!(
                    "`{}` is now `{}` ({how}): its field, getter and builder methods are renamed",
                    gone.name, come.name
                ),
            )
            .was(
                Some(format!("{}: {}", gone.name, field_type(gone))),
                Some(format!("{}: {}", come.name, field_type(come))),
            ),
        );
    }
    for gone in removed {
        changes.push(
            Change::new(
                ChangeKind::MemberRemoved,
                format!("{owner}::{}", gone.name),
                member_shape(gone, old),
                true,
                "the field, its getter and its builder methods are gone",
            )
            .was(Some(field_type(gone)), None),
        );
    }
    for come in added {
        let breaking = callers_build(new.kind) && must_set(come);
        let reason = if breaking {
            "callers must set it: build() fails without it"
        } else if must_set(come) {
            "a new member the service always sends"
        } else {
            "a new member"
        };
        changes.push(
            Change::new(
                ChangeKind::MemberAdded,
                format!("{owner}::{}", come.name),
                member_shape(come, new),
                breaking,
                reason,
            )
            .was(None, Some(field_type(come))),
        );
    }
}

/// The changes to a member present in both versions.
fn compare_field(
    owner: &str,
    shape: &str,
    kind: StructKind,
    old: &FieldIr,
    new: &FieldIr,
    changes: &mut Vec<Change>,
) {
    let item = format!("{owner}::{}", new.name);
    let (was, now) = (field_type(old), field_type(new));
    let mut type_changed = false;
    if was != now {
        type_changed = true;
        let (change, reason) = if old.optional && !new.optional && was == format!("Option<{now}>") {
            (
                ChangeKind::MemberMadeRequired,
                "the member is now always set: its field and getter lose `Option`".to_owned(),
            )
        } else if !old.optional && new.optional && now == format!("Option<{was}>") {
            (
                ChangeKind::MemberTypeChanged,
                "the member may now be absent: its field and getter become `Option`".to_owned(),
            )
        } else {
            (
                ChangeKind::MemberTypeChanged,
                "the field's type changes, and its getter's and builder methods' with it"
                    .to_owned(),
            )
        };
        changes.push(
            Change::new(change, item.as_str(), shape, true, reason).was(Some(was), Some(now)),
        );
    }
    if must_set(old) != must_set(new) {
        let (change, breaking, reason) = if must_set(new) {
            let breaking = callers_build(kind);
            let reason = if breaking {
                "callers must now set it: build() fails without it"
            } else {
                "the service now always sends it"
            };
            (ChangeKind::MemberMadeRequired, breaking, reason)
        } else {
            (
                ChangeKind::MemberNoLongerRequired,
                false,
                "build() no longer needs it set",
            )
        };
        let told = changes
            .last_mut()
            .filter(|c| type_changed && c.kind == ChangeKind::MemberMadeRequired && c.item == item);
        match (told, change) {
            // The field lost its `Option` for the same reason: one change.
            (Some(told), ChangeKind::MemberMadeRequired) => {
                if breaking {
                    told.reason = format!("{reason}, and its field and getter lose `Option`");
                }
            }
            _ => changes.push(Change::new(change, item.as_str(), shape, breaking, reason)),
        }
    }
    if old.default != new.default && !type_changed {
        changes.push(
            Change::new(
                ChangeKind::DefaultChanged,
                item.as_str(),
                shape,
                false,
                "build() gives another value to the member when it is left unset",
            )
            .was(
                old.default.as_ref().map(default_text),
                new.default.as_ref().map(default_text),
            ),
        );
    }
    if old.redact != new.redact {
        let reason = if new.redact {
            "now redacted: Debug prints a placeholder for it"
        } else {
            "no longer redacted: Debug prints its value"
        };
        changes.push(Change::new(
            ChangeKind::RedactionChanged,
            item.as_str(),
            shape,
            false,
            reason,
        ));
    }
    if old.docs != new.docs {
        changes.push(Change::new(
            ChangeKind::Documentation,
            item.as_str(),
            shape,
            false,
            "the member's documentation",
        ));
    }
}

/// A default value as the model writes it.
fn default_text(value: &DefaultValue) -> String {
    match value {
        DefaultValue::Bool(b) => b.to_string(),
        DefaultValue::Int(i) => i.to_string(),
        DefaultValue::Float(f) => f.to_string(),
        DefaultValue::String(s) | DefaultValue::EnumValue(s) => format!("{s:?}"),
        DefaultValue::EmptyList => "[]".to_owned(),
        DefaultValue::EmptyMap => "{}".to_owned(),
        DefaultValue::Blob(bytes) => format!("{} bytes", bytes.len()),
        DefaultValue::Timestamp(t) => format!("{t} (epoch seconds)"),
        DefaultValue::Document(d) => d.to_string(),
    }
}
