//! Comparing the structures, unions and enums under `types`.

use crate::ir::{EnumIr, TypeDef, UnionIr, VariantIr};

use super::change::{docs_and_redaction, Change, ChangeKind, Group, RedactionReasons, Subject};
use super::matching::matched;
use super::members::compare_struct;
use super::rust_type::type_name;
use super::usage::Usage;

/// `struct`, `union` or `enum`, as the report names a type's kind (a union
/// is a Rust enum, but it is not a string enum).
fn kind(ty: &TypeDef) -> &'static str {
    match ty {
        TypeDef::Struct(_) => "struct",
        TypeDef::Union(_) => "union",
        TypeDef::Enum(_) => "enum",
    }
}

fn shape(ty: &TypeDef) -> String {
    match ty {
        TypeDef::Struct(s) => s.shape_id.to_string(),
        TypeDef::Union(u) => u.shape_id.to_string(),
        TypeDef::Enum(e) => e.shape_id.to_string(),
    }
}

/// One group per type that changed, in the order of their names.
pub(super) fn compare_types(
    old: &[TypeDef],
    new: &[TypeDef],
    old_usage: &Usage,
    new_usage: &Usage,
) -> Vec<Group> {
    let m = matched(old, new, TypeDef::name, &[&|o, n| shape(o) == shape(n)]);
    let mut groups = Vec::new();
    let group = |ty: &TypeDef, usage: &Usage, changes: Vec<Change>| Group {
        subject: Subject::Type {
            name: ty.name().to_owned(),
            kind: kind(ty),
        },
        shape: shape(ty),
        used_by: usage.of(ty.name()),
        changes,
    };
    for (o, n) in m.both {
        let mut changes = Vec::new();
        match (o, n) {
            (TypeDef::Struct(o), TypeDef::Struct(n)) => compare_struct(o, n, &mut changes),
            (TypeDef::Enum(o), TypeDef::Enum(n)) => compare_enum(o, n, &mut changes),
            (TypeDef::Union(o), TypeDef::Union(n)) => compare_union(o, n, &mut changes),
            _ => changes.push(
                Change::new(
                    ChangeKind::TypeKindChanged,
                    n.name(),
                    shape(n),
                    true,
                    format!(
                        "`types::{}` is a {} now, no longer a {}: code using it as one no longer compiles",
                        n.name(),
                        kind(n),
                        kind(o)
                    ),
                )
                .was(Some(kind(o).to_owned()), Some(kind(n).to_owned())),
            ),
        }
        if !changes.is_empty() {
            groups.push(group(n, new_usage, changes));
        }
    }
    for (o, n) in m.renamed {
        let change = Change::new(
            ChangeKind::TypeRenamed,
            o.name(),
            shape(n),
            true,
            format!(
                "`types::{}` is now `types::{}`: code naming it no longer compiles",
                o.name(),
                n.name()
            ),
        )
        .was(Some(o.name().to_owned()), Some(n.name().to_owned()));
        groups.push(group(n, new_usage, vec![change]));
    }
    for o in m.removed {
        let change = Change::new(
            ChangeKind::TypeRemoved,
            o.name(),
            shape(o),
            true,
            format!(
                "`types::{}` is gone: code naming it no longer compiles",
                o.name()
            ),
        );
        groups.push(group(o, old_usage, vec![change]));
    }
    for n in m.added {
        let change = Change::new(
            ChangeKind::TypeAdded,
            n.name(),
            shape(n),
            false,
            format!("a new {}", kind(n)),
        );
        groups.push(group(n, new_usage, vec![change]));
    }
    groups
}

/// A string enum's values, matched by variant name; a variant gone and
/// one come with the same wire value are one renamed.
fn compare_enum(old: &EnumIr, new: &EnumIr, changes: &mut Vec<Change>) {
    let owner = &new.name;
    let shape = new.shape_id.to_string();
    docs_and_redaction(
        "enum",
        (owner.as_str(), shape.as_str()),
        (&old.docs, &new.docs),
        (old.sensitive, new.sensitive),
        RedactionReasons {
            now: "now @sensitive: Debug prints a placeholder for its values",
            no_longer: "no longer @sensitive: Debug prints its values",
        },
        changes,
    );
    let m = matched(
        &old.values,
        &new.values,
        |v| &v.variant,
        &[&|o, n| o.value == n.value],
    );
    // The IR keeps an enum's values, not its members' names: a change to a
    // value names the enum's shape, and the value says which.
    for (o, n) in m.both {
        let item = format!("{owner}::{}", n.variant);
        if o.value != n.value {
            changes.push(
                Change::new(
                    ChangeKind::EnumValueChanged,
                    item.as_str(),
                    shape.as_str(),
                    true,
                    format!(
                        "the variant now stands for {:?}: the service's {:?} reads as `Unknown`",
                        n.value, o.value
                    ),
                )
                .was(Some(o.value.clone()), Some(n.value.clone())),
            );
        }
        if o.docs != n.docs {
            changes.push(Change::new(
                ChangeKind::Documentation,
                item.as_str(),
                shape.as_str(),
                false,
                "the value's documentation",
            ));
        }
    }
    for (o, n) in m.renamed {
        changes.push(
            Change::new(
                ChangeKind::EnumValueRenamed,
                format!("{owner}::{}", o.variant),
                shape.as_str(),
                true,
                format!(
                    "{:?} is now the variant `{}`, no longer `{}`: matches on the old name no longer compile",
                    n.value, n.variant, o.variant
                ),
            )
            .was(Some(o.variant.clone()), Some(n.variant.clone())),
        );
    }
    for o in m.removed {
        changes.push(
            Change::new(
                ChangeKind::EnumValueRemoved,
                format!("{owner}::{}", o.variant),
                shape.as_str(),
                true,
                format!(
                    "the value {:?} is gone: code naming the variant no longer compiles, and the service's {:?} reads as `Unknown`",
                    o.value, o.value
                ),
            )
            .was(Some(o.value.clone()), None),
        );
    }
    for n in m.added {
        changes.push(
            Change::new(
                ChangeKind::EnumValueAdded,
                format!("{owner}::{}", n.variant),
                shape.as_str(),
                false,
                "the enum is #[non_exhaustive]: matches already have a wildcard arm",
            )
            .was(None, Some(n.value.clone())),
        );
    }
}

/// A variant's value type as written in the union (`None` for a unit
/// variant).
fn variant_type(v: &VariantIr) -> Option<String> {
    v.ty.as_ref().map(|ty| {
        let ty = type_name(ty);
        if v.boxed {
            format!("Box<{ty}>")
        } else {
            ty
        }
    })
}

/// A union's variants, matched by name; a variant gone and one come for
/// the same model member are one renamed.
fn compare_union(old: &UnionIr, new: &UnionIr, changes: &mut Vec<Change>) {
    let owner = &new.name;
    let shape = new.shape_id.to_string();
    docs_and_redaction(
        "union",
        (owner.as_str(), shape.as_str()),
        (&old.docs, &new.docs),
        (old.sensitive, new.sensitive),
        RedactionReasons {
            now: "now @sensitive: Debug prints a placeholder for every variant's value",
            no_longer: "no longer @sensitive: Debug prints its variants' values",
        },
        changes,
    );
    let m = matched(
        &old.variants,
        &new.variants,
        |v| &v.name,
        &[&|o, n| o.wire_name == n.wire_name],
    );
    let member = |v: &VariantIr| format!("{shape}${}", v.wire_name);
    for (o, n) in m.both {
        let item = format!("{owner}::{}", n.name);
        let (was, now) = (variant_type(o), variant_type(n));
        if was != now {
            changes.push(
                Change::new(
                    ChangeKind::VariantTypeChanged,
                    item.as_str(),
                    member(n),
                    true,
                    "the variant holds another type: code building or matching it no longer compiles",
                )
                .was(was, now),
            );
        }
        if o.redact != n.redact {
            let reason = if n.redact {
                "now redacted: Debug prints a placeholder for its value"
            } else {
                "no longer redacted: Debug prints its value"
            };
            changes.push(Change::new(
                ChangeKind::RedactionChanged,
                item.as_str(),
                member(n),
                false,
                reason,
            ));
        }
        if o.docs != n.docs {
            changes.push(Change::new(
                ChangeKind::Documentation,
                item.as_str(),
                member(n),
                false,
                "the variant's documentation",
            ));
        }
    }
    for (o, n) in m.renamed {
        changes.push(
            Change::new(
                ChangeKind::VariantRenamed,
                format!("{owner}::{}", o.name),
                member(n),
                true,
                format!(
                    "`{}` is now `{}`: code naming the old variant no longer compiles",
                    o.name, n.name
                ),
            )
            .was(Some(o.name.clone()), Some(n.name.clone())),
        );
    }
    for o in m.removed {
        changes.push(
            Change::new(
                ChangeKind::VariantRemoved,
                format!("{owner}::{}", o.name),
                member(o),
                true,
                "the variant is gone: code building or matching it no longer compiles, and the service's value reads as `Unknown`",
            )
            .was(variant_type(o), None),
        );
    }
    for n in m.added {
        changes.push(
            Change::new(
                ChangeKind::VariantAdded,
                format!("{owner}::{}", n.name),
                member(n),
                false,
                "the union is #[non_exhaustive]: matches already have a wildcard arm",
            )
            .was(None, variant_type(n)),
        );
    }
}
