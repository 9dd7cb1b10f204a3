//! Lowering: a validated model and a selection become the IR, with every Rust
//! name decided (through [`crate::naming`]) and every name clash reported.
//!
//! This module holds the entry point, [`lower`], with what it takes and the
//! error it gives, and the lowerer the other parts extend: `service` lowers
//! the service, and `protocol` recognises its protocol and the defaults that
//! protocol decides; `parallel` shares the operations out between threads
//! and `operation` lowers one, with its `endpoint_params` and `paginator`;
//! `named_types` lowers the structures, unions and enums they reach
//! (`structures`, `unions`, `enums`), with their members' Rust types
//! (`member_type`), `defaults` and the `cycles` that need boxing; `names`
//! decides every Rust name and reports clashes.

mod auth;
mod customizations;
mod cycles;
mod defaults;
mod endpoint_params;
mod enums;
mod member_type;
mod named_types;
mod names;
mod operation;
mod paginator;
mod parallel;
mod protocol;
mod service;
mod structures;
mod unions;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::docs;
use crate::ir::*;
use crate::model::{Model, Shape, ShapeId};

use names::Names;

/// What to generate from a model.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// The service shape; may be left out when the model has exactly one service.
    pub service: Option<String>,
    /// Operation names to generate; empty means every operation of the service.
    pub operations: Vec<String>,
    /// Cargo package name; defaults to the service's `sdkId` in lowercase.
    pub crate_name: Option<String>,
}

/// A model that cannot be turned into Rust, naming the file, shape and member at fault.
#[derive(Clone, Debug, PartialEq)]
pub struct LowerError {
    /// The model file that defines the shape, when known.
    pub file: Option<String>,
    pub shape: Option<String>,
    pub member: Option<String>,
    pub message: String,
}

impl fmt::Display for LowerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        match (&self.shape, &self.member) {
            (Some(shape), Some(member)) => write!(f, "shape `{shape}`, member `{member}`: ")?,
            (Some(shape), None) => write!(f, "shape `{shape}`: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for LowerError {}

fn err(shape: &ShapeId, member: Option<&str>, message: impl Into<String>) -> LowerError {
    LowerError {
        file: None,
        shape: Some(shape.to_string()),
        member: member.map(str::to_owned),
        message: message.into(),
    }
}

fn general(message: impl Into<String>) -> LowerError {
    LowerError {
        file: None,
        shape: None,
        member: None,
        message: message.into(),
    }
}

const UNIT: &str = "smithy.api#Unit";

/// Lowers the selected service and operations of `model` to the IR.
pub fn lower(model: &Model, selection: &Selection) -> Result<ServiceIr, LowerError> {
    let service = pick_service(model, selection.service.as_deref());
    let result = match &service {
        Ok(service) => protocol::protocol(service)
            .and_then(|protocol| Lowerer::new(model, service, protocol).run(selection)),
        Err(e) => Err(e.clone()),
    };
    result.map_err(|mut e| {
        // The file that defines the shape at fault, or else the service's, or
        // else the only file the model came from.
        let shape = e.shape.as_deref().and_then(|s| ShapeId::parse(s).ok());
        let mut files = model
            .shapes()
            .filter(|s| !Model::is_prelude(&s.id))
            .filter_map(|s| model.source_file(&s.id))
            .collect::<BTreeSet<_>>()
            .into_iter();
        let only_file = match (files.next(), files.next()) {
            (Some(file), None) => Some(file),
            _ => None,
        };
        e.file = shape
            .and_then(|id| model.source_file(&id))
            .or_else(|| service.ok().and_then(|s| model.source_file(&s.id)))
            .or(only_file)
            .map(str::to_owned);
        e
    })
}

fn pick_service<'m>(model: &'m Model, wanted: Option<&str>) -> Result<&'m Shape, LowerError> {
    let services = model.services();
    match wanted {
        Some(name) => services
            .iter()
            .find(|s| s.id.to_string() == name || s.id.name == name)
            .copied()
            .ok_or_else(|| {
                general(format!(
                    "service `{name}` is not in the model (services: {})",
                    list(services.iter().map(|s| s.id.to_string()))
                ))
            }),
        None => match services.as_slice() {
            [one] => Ok(one),
            [] => Err(general("the model has no service shape")),
            many => Err(general(format!(
                "the model has {} services; choose one with --service ({})",
                many.len(),
                list(many.iter().map(|s| s.id.to_string()))
            ))),
        },
    }
}

/// The model's documentation, or a one-line description when it has none, so
/// that every public item of the generated crate is documented.
fn docs_or(doc: Option<&str>, fallback: impl FnOnce() -> String) -> Vec<String> {
    or_fallback(docs::lines(doc), fallback)
}

/// `lines`, or the one line `fallback` gives when there are none.
fn or_fallback(lines: Vec<String>, fallback: impl FnOnce() -> String) -> Vec<String> {
    if lines.is_empty() {
        vec![fallback()]
    } else {
        lines
    }
}

fn list(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

struct Lowerer<'m> {
    model: &'m Model,
    service: &'m Shape,
    /// Named types found so far, keyed by shape id.
    types: BTreeMap<ShapeId, TypeDef>,
    errors: BTreeMap<ShapeId, StructIr>,
    /// Shapes still to lower, with the codecs they need.
    codecs: BTreeMap<ShapeId, Codecs>,
    /// The Rust names of the service's named types and error structures,
    /// decided once for the whole service (see [`Names`]).
    names: std::sync::Arc<Names>,
    /// Field names of the structures lowered so far, by member name.
    field_names: BTreeMap<ShapeId, BTreeMap<String, String>>,
    /// Named types whose codecs grew since they were last lowered.
    dirty: BTreeSet<ShapeId>,
    /// The cycles of structures and unions (see [`cycles`]),
    /// shared with the lowerers of [`Self::operations`].
    components: std::sync::Arc<std::sync::OnceLock<BTreeMap<ShapeId, usize>>>,
    /// Documentation converted to Markdown lines, by its text: the same text
    /// is met again when a structure is lowered again for more codecs, and
    /// an error's documentation once per operation that returns it.
    doc_lines: std::cell::RefCell<std::collections::HashMap<String, Vec<String>>>,
    /// The service's protocol, which decides member locations and JSON keys.
    protocol: Protocol,
}

impl<'m> Lowerer<'m> {
    fn new(model: &'m Model, service: &'m Shape, protocol: Protocol) -> Self {
        let names = std::sync::Arc::new(Names::new(model, service));
        Lowerer::sharing(model, service, protocol, names, Default::default())
    }

    /// A lowerer of `service` with nothing lowered or requested yet, using
    /// `names` and `components` (which lowerers of one service share).
    fn sharing(
        model: &'m Model,
        service: &'m Shape,
        protocol: Protocol,
        names: std::sync::Arc<Names>,
        components: std::sync::Arc<std::sync::OnceLock<BTreeMap<ShapeId, usize>>>,
    ) -> Self {
        Lowerer {
            model,
            service,
            types: BTreeMap::new(),
            errors: BTreeMap::new(),
            codecs: BTreeMap::new(),
            names,
            field_names: BTreeMap::new(),
            dirty: BTreeSet::new(),
            components,
            doc_lines: Default::default(),
            protocol,
        }
    }

    /// The Markdown lines of `doc`, or the one line `fallback` gives when
    /// there is no documentation.
    fn docs_or(&self, doc: Option<&str>, fallback: impl FnOnce() -> String) -> Vec<String> {
        let Some(doc) = doc else {
            return docs_or(None, fallback);
        };
        let mut cache = self.doc_lines.borrow_mut();
        let lines = match cache.get(doc) {
            Some(lines) => lines.clone(),
            None => {
                let lines = docs::lines(Some(doc));
                cache.insert(doc.to_owned(), lines.clone());
                lines
            }
        };
        or_fallback(lines, fallback)
    }

    fn shape(&self, id: &ShapeId) -> Result<&'m Shape, LowerError> {
        self.model
            .shape(id)
            .ok_or_else(|| err(id, None, "shape is referenced but not defined"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Lowers a one-service awsJson 1.1 model made of `shapes` (the service
    /// `ex#Svc` with operation `ex#Op` taking an empty `ex#In` is added, each
    /// unless `shapes` defines it).
    pub(super) fn lower_shapes(shapes: Value) -> Result<ServiceIr, LowerError> {
        let mut all = serde_json::json!({
            "ex#Svc": {"type": "service", "operations": [{"target": "ex#Op"}],
                       "traits": {"aws.protocols#awsJson1_1": {}}},
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"}},
            "ex#In": {"type": "structure", "members": {}}
        });
        if let (Some(all), Value::Object(more)) = (all.as_object_mut(), shapes) {
            all.extend(more);
        }
        let text = serde_json::json!({"smithy": "2.0", "shapes": all}).to_string();
        let model = Model::load(&[("test.json", &text)]).expect("valid model");
        lower(&model, &Selection::default())
    }

    #[test]
    fn lowering_errors_name_the_file() {
        let e = lower_shapes(serde_json::json!({
            "ex#Svc": {"type": "service", "operations": [{"target": "ex#Op"}],
                       "traits": {"aws.protocols#restXml": {}}}
        }))
        .unwrap_err();
        assert!(
            e.to_string().starts_with("test.json: shape `ex#Svc`: "),
            "{e}"
        );
    }
}
