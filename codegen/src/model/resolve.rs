//! Merging documents, `apply`, and mixins.

use super::error::{index, prop, shape_path, ModelError};
use super::parse::{RawApply, RawDoc, RawShape};
use super::shape::{Member, ShapeType};
use super::shape_id::ShapeId;
use super::traits::{Traits, ENUM_VALUE, MIXIN};
use serde_json::{Map, Value};
use std::collections::{btree_map::Entry, BTreeMap, BTreeSet, VecDeque};

/// The shapes of all documents, merged, with traits applied and mixins
/// flattened. Mixin shapes are removed and listed in `removed_mixins`.
#[derive(Debug)]
pub(crate) struct Assembled {
    pub shapes: BTreeMap<ShapeId, RawShape>,
    pub metadata: Map<String, Value>,
    /// Mixin shape id to the file that defined it.
    pub removed_mixins: BTreeMap<ShapeId, String>,
}

pub(crate) fn assemble(docs: Vec<RawDoc>) -> Result<Assembled, ModelError> {
    let mut shapes: BTreeMap<ShapeId, RawShape> = BTreeMap::new();
    let mut metadata = Map::new();
    let mut applies: Vec<RawApply> = Vec::new();

    for doc in docs {
        for (key, value) in doc.metadata {
            merge_metadata(&mut metadata, &doc.file, key, value)?;
        }
        for raw in doc.shapes {
            match shapes.entry(raw.shape.id.clone()) {
                Entry::Vacant(slot) => {
                    slot.insert(raw);
                }
                Entry::Occupied(existing) => {
                    if !existing.get().same_definition(&raw) {
                        let id = raw.shape.id.to_string();
                        return Err(ModelError::new(format!(
                            "conflicting definitions of the shape (also defined in `{}`)",
                            existing.get().file
                        ))
                        .in_file(&raw.file)
                        .at(shape_path(&id))
                        .in_shape(id));
                    }
                }
            }
        }
        applies.extend(doc.applies);
    }

    let deferred = apply_traits(&mut shapes, applies)?;
    flatten_mixins(&mut shapes, deferred)?;

    let mixin_ids: Vec<ShapeId> = shapes
        .iter()
        .filter(|(_, raw)| raw.shape.traits.is_mixin())
        .map(|(id, _)| id.clone())
        .collect();
    let mut removed_mixins = BTreeMap::new();
    for id in mixin_ids {
        if let Some(raw) = shapes.remove(&id) {
            removed_mixins.insert(id, raw.file);
        }
    }

    for raw in shapes.values_mut() {
        if raw.shape.ty == ShapeType::Enum {
            for member in &mut raw.shape.members {
                if !member.traits.has(ENUM_VALUE) {
                    member
                        .traits
                        .insert(ENUM_VALUE, Value::String(member.name.clone()));
                }
            }
        }
    }

    Ok(Assembled {
        shapes,
        metadata,
        removed_mixins,
    })
}

/// Metadata keys merge across documents: equal values are kept once, arrays
/// are concatenated, anything else conflicts.
fn merge_metadata(
    metadata: &mut Map<String, Value>,
    file: &str,
    key: String,
    value: Value,
) -> Result<(), ModelError> {
    let path = prop("$.metadata", &key);
    match metadata.get_mut(&key) {
        None => {
            metadata.insert(key, value);
        }
        Some(existing) if *existing == value => {}
        Some(Value::Array(existing)) => match value {
            Value::Array(more) => existing.extend(more),
            _ => {
                return Err(
                    ModelError::new(format!("conflicting values for metadata key `{key}`"))
                        .in_file(file)
                        .at(path),
                )
            }
        },
        Some(_) => {
            return Err(
                ModelError::new(format!("conflicting values for metadata key `{key}`"))
                    .in_file(file)
                    .at(path),
            )
        }
    }
    Ok(())
}

/// Merges `incoming` traits into `traits`: a trait not yet present is added,
/// an equal value is kept, two lists are concatenated, and anything else is
/// a conflict (returned as the conflicting trait id).
fn merge_traits(traits: &mut Traits, incoming: &Traits) -> Result<(), String> {
    for (id, value) in incoming.iter() {
        match traits.0.get_mut(id) {
            None => {
                traits.insert(id, value.clone());
            }
            Some(existing) if existing == value => {}
            Some(Value::Array(existing)) => match value {
                Value::Array(more) => existing.extend(more.iter().cloned()),
                _ => return Err(id.to_string()),
            },
            Some(_) => return Err(id.to_string()),
        }
    }
    Ok(())
}

/// Applies `apply` entries. Entries naming a member that the shape does not
/// declare itself but may inherit from a mixin are returned, keyed by shape,
/// to be applied once that shape's mixins are flattened.
fn apply_traits(
    shapes: &mut BTreeMap<ShapeId, RawShape>,
    applies: Vec<RawApply>,
) -> Result<BTreeMap<ShapeId, Vec<RawApply>>, ModelError> {
    let mut deferred: BTreeMap<ShapeId, Vec<RawApply>> = BTreeMap::new();
    for apply in applies {
        let Some(raw) = shapes.get_mut(&apply.target) else {
            return Err(apply_error(
                &apply,
                format!(
                    "cannot apply traits to `{}`: shape `{}` does not exist",
                    apply.key, apply.target
                ),
            ));
        };
        match &apply.member {
            None => merge_traits(&mut raw.shape.traits, &apply.traits)
                .map_err(|t| apply_conflict(&apply, &t))?,
            Some(name) => {
                if let Some(member) = raw.shape.members.iter_mut().find(|m| &m.name == name) {
                    merge_traits(&mut member.traits, &apply.traits)
                        .map_err(|t| apply_conflict(&apply, &t))?;
                } else if !raw.mixins.is_empty() {
                    deferred
                        .entry(apply.target.clone())
                        .or_default()
                        .push(apply);
                } else {
                    return Err(missing_member(&apply, name));
                }
            }
        }
    }
    Ok(deferred)
}

fn apply_error(apply: &RawApply, message: String) -> ModelError {
    let e = ModelError::new(message)
        .in_file(&apply.file)
        .in_shape(apply.target.to_string())
        .at(shape_path(&apply.key));
    match &apply.member {
        Some(m) => e.in_member(m),
        None => e,
    }
}

fn apply_conflict(apply: &RawApply, trait_id: &str) -> ModelError {
    let mut e = apply_error(
        apply,
        format!("`apply` gives trait `{trait_id}` a value that conflicts with the one already set"),
    );
    e.json_path = Some(prop(&prop(&shape_path(&apply.key), "traits"), trait_id));
    e
}

fn missing_member(apply: &RawApply, name: &str) -> ModelError {
    apply_error(
        apply,
        format!(
            "cannot apply traits to `{}`: shape `{}` has no member `{name}`",
            apply.key, apply.target
        ),
    )
}

fn mixin_error(raw: &RawShape, i: usize, message: String) -> ModelError {
    let id = raw.shape.id.to_string();
    ModelError::new(message)
        .in_file(&raw.file)
        .at(index(&prop(&shape_path(&id), "mixins"), i))
        .in_shape(id)
}

/// The most members that flattening mixins may copy across the whole model.
/// Chains of mixins copy members quadratically; this keeps a hostile model
/// from exhausting memory (real models copy a few hundred).
pub(crate) const MAX_INHERITED_MEMBERS: usize = 500_000;

/// Copies mixin members, traits and bindings into the shapes that use them,
/// in dependency order, so chains of mixins resolve and cycles are reported.
fn flatten_mixins(
    shapes: &mut BTreeMap<ShapeId, RawShape>,
    mut deferred: BTreeMap<ShapeId, Vec<RawApply>>,
) -> Result<(), ModelError> {
    // Check every mixin reference first.
    let mut pending: BTreeMap<ShapeId, usize> = BTreeMap::new();
    let mut dependents: BTreeMap<ShapeId, Vec<ShapeId>> = BTreeMap::new();
    for (id, raw) in shapes.iter() {
        let mut listed: BTreeSet<&ShapeId> = BTreeSet::new();
        for (i, mixin_id) in raw.mixins.iter().enumerate() {
            let Some(mixin) = shapes.get(mixin_id) else {
                return Err(mixin_error(
                    raw,
                    i,
                    format!("mixin `{mixin_id}` does not exist"),
                ));
            };
            if !mixin.shape.traits.is_mixin() {
                return Err(mixin_error(
                    raw,
                    i,
                    format!("`{mixin_id}` is used as a mixin but lacks the `{MIXIN}` trait"),
                ));
            }
            if mixin.shape.ty != raw.shape.ty {
                return Err(mixin_error(
                    raw,
                    i,
                    format!(
                        "mixin `{mixin_id}` is a {} shape, but this shape is a {}",
                        mixin.shape.ty, raw.shape.ty
                    ),
                ));
            }
            if !listed.insert(mixin_id) {
                return Err(mixin_error(
                    raw,
                    i,
                    format!("mixin `{mixin_id}` is listed more than once"),
                ));
            }
            dependents
                .entry(mixin_id.clone())
                .or_default()
                .push(id.clone());
        }
        if !raw.mixins.is_empty() {
            pending.insert(id.clone(), raw.mixins.len());
        }
    }

    // Shapes without mixins are resolved already; start from those that are
    // used as mixins.
    let mut queue: VecDeque<ShapeId> = dependents
        .keys()
        .filter(|id| !pending.contains_key(*id))
        .cloned()
        .collect();
    let mut inherited_members = 0usize;
    while let Some(id) = queue.pop_front() {
        if pending.get(&id) == Some(&0) {
            let Some(mut raw) = shapes.remove(&id) else {
                continue;
            };
            let mixins: Vec<&RawShape> = raw.mixins.iter().filter_map(|m| shapes.get(m)).collect();
            inherited_members = mixins.iter().fold(inherited_members, |n, m| {
                n.saturating_add(m.shape.members.len())
            });
            if inherited_members > MAX_INHERITED_MEMBERS {
                let id_text = id.to_string();
                return Err(ModelError::new(format!(
                    "mixins copy more than {MAX_INHERITED_MEMBERS} members in total"
                ))
                .in_file(&raw.file)
                .at(prop(&shape_path(&id_text), "mixins"))
                .in_shape(id_text));
            }
            flatten_one(&mut raw, &mixins)?;
            let raw = shapes.entry(id.clone()).or_insert(raw);
            // Traits applied to inherited members: the applies merge with
            // each other, then override what the mixin gave, as local
            // traits do.
            let mut applied: BTreeMap<String, Traits> = BTreeMap::new();
            for apply in deferred.remove(&id).unwrap_or_default() {
                let Some(name) = &apply.member else { continue };
                if !raw.shape.members.iter().any(|m| &m.name == name) {
                    return Err(missing_member(&apply, name));
                }
                merge_traits(applied.entry(name.clone()).or_default(), &apply.traits)
                    .map_err(|t| apply_conflict(&apply, &t))?;
            }
            for member in &mut raw.shape.members {
                if let Some(traits) = applied.remove(&member.name) {
                    member.traits.0.extend(traits.0);
                }
            }
        }
        for dependent in dependents.get(&id).into_iter().flatten() {
            if let Some(count) = pending.get_mut(dependent) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    queue.push_back(dependent.clone());
                }
            }
        }
    }

    // Whatever still waits is on, or behind, a cycle.
    let Some(start) = pending
        .iter()
        .find(|(_, count)| **count > 0)
        .map(|(id, _)| id.clone())
    else {
        return Ok(());
    };
    let mut path: Vec<ShapeId> = vec![start];
    for _ in 0..=pending.len() {
        let Some(current) = path.last() else { break };
        let next = shapes.get(current).and_then(|raw| {
            raw.mixins
                .iter()
                .find(|m| pending.get(*m).is_some_and(|c| *c > 0))
                .cloned()
        });
        let Some(next) = next else { break };
        if let Some(pos) = path.iter().position(|p| *p == next) {
            let cycle: Vec<String> = path
                .iter()
                .skip(pos)
                .chain(std::iter::once(&next))
                .map(ToString::to_string)
                .collect();
            let first = path.get(pos).unwrap_or(&next);
            let file = shapes
                .get(first)
                .map(|r| r.file.clone())
                .unwrap_or_default();
            let first = first.to_string();
            return Err(
                ModelError::new(format!("mixin cycle: {}", cycle.join(" -> ")))
                    .in_file(file)
                    .at(prop(&shape_path(&first), "mixins"))
                    .in_shape(first),
            );
        }
        path.push(next);
    }
    let first = path.first().map(ToString::to_string).unwrap_or_default();
    Err(ModelError::new("mixins cannot be resolved (cycle)").in_shape(first))
}

/// Flattens the mixins of one shape whose mixins are themselves flattened.
fn flatten_one(raw: &mut RawShape, mixins: &[&RawShape]) -> Result<(), ModelError> {
    let id = raw.shape.id.to_string();
    let err = |member: &str, message: String| {
        ModelError::new(message)
            .in_file(&raw.file)
            .in_shape(&id)
            .in_member(member)
            .at(shape_path(&id))
    };

    // Traits: mixins in order, then the shape's own, which win.
    let mut traits = Traits::default();
    for mixin in mixins {
        let local_only: BTreeSet<&str> = mixin
            .shape
            .traits
            .get(MIXIN)
            .and_then(|v| v.get("localTraits"))
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (trait_id, value) in mixin.shape.traits.iter() {
            if trait_id != MIXIN && !local_only.contains(trait_id) {
                traits.insert(trait_id, value.clone());
            }
        }
    }
    for (trait_id, value) in raw.shape.traits.iter() {
        traits.insert(trait_id, value.clone());
    }

    // Members: inherited ones first, in mixin order; a local member may
    // redeclare an inherited one with the same target to add traits.
    let mut members: Vec<Member> = Vec::new();
    let mut positions: BTreeMap<String, usize> = BTreeMap::new();
    let mut origins: BTreeMap<String, ShapeId> = BTreeMap::new();
    for mixin in mixins {
        for member in &mixin.shape.members {
            let origin = mixin
                .member_origins
                .get(&member.name)
                .unwrap_or(&mixin.shape.id)
                .clone();
            let existing = positions
                .get(&member.name)
                .and_then(|&i| members.get_mut(i));
            if let Some(existing) = existing {
                if existing.target != member.target {
                    return Err(err(
                        &member.name,
                        format!(
                            "member is inherited from several mixins with different targets (`{}` and `{}`)",
                            existing.target, member.target
                        ),
                    ));
                }
                for (trait_id, value) in member.traits.iter() {
                    existing.traits.insert(trait_id, value.clone());
                }
            } else {
                positions.insert(member.name.clone(), members.len());
                members.push(member.clone());
                origins.insert(member.name.clone(), origin);
            }
        }
    }
    for local in std::mem::take(&mut raw.shape.members) {
        let existing = positions.get(&local.name).and_then(|&i| members.get_mut(i));
        if let Some(existing) = existing {
            if existing.target != local.target {
                let origin = origins
                    .get(&local.name)
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let mut e = err(
                    &local.name,
                    format!(
                        "member redeclares the member inherited from mixin `{origin}` with a different target (`{}` instead of `{}`)",
                        local.target, existing.target
                    ),
                );
                e.json_path = Some(local_member_path(&id, raw.shape.ty, &local.name));
                return Err(e);
            }
            for (trait_id, value) in local.traits.iter() {
                existing.traits.insert(trait_id, value.clone());
            }
            origins.remove(&local.name);
        } else {
            positions.insert(local.name.clone(), members.len());
            members.push(local);
        }
    }
    raw.shape.members = members;
    raw.shape.traits = traits;
    raw.member_origins = origins;

    // Type-specific bindings: inherited first; the shape's own values win.
    for mixin in mixins {
        let m = &mixin.shape;
        let s = &mut raw.shape;
        if s.input.is_none() {
            s.input = m.input.clone();
        }
        if s.output.is_none() {
            s.output = m.output.clone();
        }
        if s.version.is_none() {
            s.version = m.version.clone();
        }
        for (from, to) in &m.rename {
            s.rename.entry(from.clone()).or_insert_with(|| to.clone());
        }
        s.errors = union(&m.errors, &s.errors);
        s.operations = union(&m.operations, &s.operations);
        s.resources = union(&m.resources, &s.resources);

        let mr = &mixin.resource;
        let r = &mut raw.resource;
        for (slot, inherited) in [
            (&mut r.create, &mr.create),
            (&mut r.put, &mr.put),
            (&mut r.read, &mr.read),
            (&mut r.update, &mr.update),
            (&mut r.delete, &mr.delete),
            (&mut r.list, &mr.list),
        ] {
            if slot.is_none() {
                *slot = inherited.clone();
            }
        }
        r.identifiers = union_named(&mr.identifiers, &r.identifiers);
        r.properties = union_named(&mr.properties, &r.properties);
        r.operations = union(&mr.operations, &r.operations);
        r.collection_operations = union(&mr.collection_operations, &r.collection_operations);
        r.resources = union(&mr.resources, &r.resources);
    }
    Ok(())
}

/// `first` then the items of `then` not already present.
fn union(first: &[ShapeId], then: &[ShapeId]) -> Vec<ShapeId> {
    let mut seen: BTreeSet<&ShapeId> = BTreeSet::new();
    first
        .iter()
        .chain(then)
        .filter(|id| seen.insert(*id))
        .cloned()
        .collect()
}

/// Named bindings: inherited names first; a local entry replaces an
/// inherited one of the same name in place.
fn union_named(first: &[(String, ShapeId)], then: &[(String, ShapeId)]) -> Vec<(String, ShapeId)> {
    let mut out: Vec<(String, ShapeId)> = first.to_vec();
    let mut positions: BTreeMap<String, usize> = out
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (name.clone(), i))
        .collect();
    for (name, target) in then {
        match positions.get(name).and_then(|&i| out.get_mut(i)) {
            Some(slot) => slot.1 = target.clone(),
            None => {
                positions.insert(name.clone(), out.len());
                out.push((name.clone(), target.clone()));
            }
        }
    }
    out
}

/// The JSON path of a member as declared in its own shape.
pub(crate) fn local_member_path(shape: &str, ty: ShapeType, member: &str) -> String {
    let base = shape_path(shape);
    match ty {
        ShapeType::List | ShapeType::Set | ShapeType::Map => prop(&base, member),
        _ => prop(&prop(&base, "members"), member),
    }
}
