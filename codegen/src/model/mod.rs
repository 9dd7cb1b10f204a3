//! The model loader: reads Smithy 2.0 JSON AST documents, merges them with
//! the `smithy.api` prelude, applies `apply` entries and mixins, and checks
//! every reference, producing a [`Model`] the generator can trust.
//!
//! Stages:
//! 1. `parse`: each document becomes unresolved shapes, with JSON type
//!    errors reported by path;
//! 2. `resolve`: documents merge, `apply` traits land, mixins flatten in
//!    dependency order (cycles are errors) and mixin shapes are dropped;
//! 3. `validate`: every target is checked, then shapes are finalized.

mod error;
mod parse;
mod prelude;
mod resolve;
mod shape;
mod shape_id;
pub mod traits;
mod validate;

#[cfg(test)]
mod tests;

pub use error::ModelError;
pub use shape::{Member, ResourceInfo, Shape, ShapeType};
pub use shape_id::{is_identifier, is_namespace, ShapeId};
pub use traits::Traits;

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A loaded, resolved and validated model.
#[derive(Clone, Debug, Default)]
pub struct Model {
    shapes: BTreeMap<ShapeId, Shape>,
    metadata: Map<String, Value>,
    resources: BTreeMap<ShapeId, ResourceInfo>,
    files: BTreeMap<ShapeId, String>,
}

/// Returned by [`Model::expect_shape`] for an id that is not in the model.
static MISSING_SHAPE: Shape = Shape {
    id: ShapeId {
        namespace: String::new(),
        name: String::new(),
    },
    ty: ShapeType::Structure,
    traits: Traits(BTreeMap::new()),
    members: Vec::new(),
    input: None,
    output: None,
    errors: Vec::new(),
    operations: Vec::new(),
    resources: Vec::new(),
    version: None,
    rename: BTreeMap::new(),
};

impl Model {
    /// Parses and merges one or more JSON AST documents, adds the prelude,
    /// applies `apply` and mixins, and validates. `name` is the file name used
    /// in errors.
    pub fn load(sources: &[(&str, &str)]) -> Result<Model, ModelError> {
        let mut docs = Vec::with_capacity(sources.len() + 1);
        docs.push(parse::parse_document(
            prelude::PRELUDE_FILE,
            prelude::PRELUDE_JSON,
        )?);
        for (name, text) in sources {
            docs.push(parse::parse_document(name, text)?);
        }
        let assembled = resolve::assemble(docs)?;
        validate::Validator {
            shapes: &assembled.shapes,
            removed_mixins: &assembled.removed_mixins,
        }
        .validate()?;

        let mut model = Model {
            metadata: assembled.metadata,
            ..Model::default()
        };
        let unit = ShapeId::new("smithy.api", "Unit");
        for (id, raw) in assembled.shapes {
            let mut shape = raw.shape;
            if shape.ty == ShapeType::Operation {
                shape.input = shape.input.filter(|i| *i != unit);
                shape.output = shape.output.filter(|o| *o != unit);
            }
            if shape.ty == ShapeType::Resource {
                shape.operations = raw.resource.all_operations();
                shape.resources = raw.resource.resources.clone();
                model.resources.insert(id.clone(), raw.resource);
            }
            model.files.insert(id.clone(), raw.file);
            model.shapes.insert(id, shape);
        }
        Ok(model)
    }

    /// Reads and loads model files; a file that cannot be read is an error
    /// naming it. Files are named in errors by their path as given.
    pub fn load_files(paths: &[PathBuf]) -> Result<Model, ModelError> {
        let mut texts = Vec::with_capacity(paths.len());
        for path in paths {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| {
                ModelError::new(format!("cannot read the model file: {e}")).in_file(&name)
            })?;
            texts.push((name, text));
        }
        let sources: Vec<(&str, &str)> = texts
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()))
            .collect();
        Model::load(&sources)
    }

    pub fn shape(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// For ids taken from this model after loading (member targets, operation
    /// inputs, bindings), which validation guarantees exist. It never panics:
    /// for an id that is not in the model it returns a placeholder structure
    /// with an empty id and no members, so callers holding ids from elsewhere
    /// should use [`Model::shape`].
    pub fn expect_shape(&self, id: &ShapeId) -> &Shape {
        self.shapes.get(id).unwrap_or(&MISSING_SHAPE)
    }

    /// Every shape, prelude included, sorted by id.
    pub fn shapes(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.values()
    }

    /// The number of shapes, prelude included.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// Service shapes outside the prelude, sorted by id.
    pub fn services(&self) -> Vec<&Shape> {
        self.shapes
            .values()
            .filter(|s| s.ty == ShapeType::Service && !Model::is_prelude(&s.id))
            .collect()
    }

    /// Operations bound to the service directly or through its resources
    /// (recursively), without duplicates, sorted by shape name (then
    /// namespace). Also works for a resource id.
    pub fn service_operations(&self, service: &ShapeId) -> Vec<ShapeId> {
        let mut ops: BTreeSet<&ShapeId> = BTreeSet::new();
        let mut seen: BTreeSet<&ShapeId> = BTreeSet::new();
        let mut stack: Vec<&ShapeId> = vec![service];
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(shape) = self.shapes.get(id) else {
                continue;
            };
            ops.extend(shape.operations.iter());
            stack.extend(shape.resources.iter());
        }
        let mut out: Vec<ShapeId> = ops.into_iter().cloned().collect();
        out.sort_by(|a, b| {
            a.name
                .cmp(&b.name)
                .then_with(|| a.namespace.cmp(&b.namespace))
        });
        out
    }

    /// Whether the id is in the `smithy.api` prelude namespace.
    pub fn is_prelude(id: &ShapeId) -> bool {
        id.namespace == "smithy.api"
    }

    pub fn metadata(&self) -> &Map<String, Value> {
        &self.metadata
    }

    /// The identifiers, properties and lifecycle bindings of a resource.
    pub fn resource(&self, id: &ShapeId) -> Option<&ResourceInfo> {
        self.resources.get(id)
    }

    /// The name of the document that defined the shape.
    pub fn source_file(&self, id: &ShapeId) -> Option<&str> {
        self.files.get(id).map(String::as_str)
    }
}
