//! Reading one JSON AST document into unresolved shapes.

use super::error::{index, prop, shape_path, ModelError};
use super::shape::{Member, ResourceInfo, Shape, ShapeType};
use super::shape_id::{is_identifier, ShapeId};
use super::traits::Traits;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The JSON AST versions the loader understands.
const VERSIONS: [&str; 4] = ["2.0", "2", "1.0", "1"];

/// One parsed document, before merging with others.
#[derive(Debug)]
pub(crate) struct RawDoc {
    pub file: String,
    pub metadata: Map<String, Value>,
    pub shapes: Vec<RawShape>,
    pub applies: Vec<RawApply>,
}

/// A shape as written in one document, plus what resolution needs to know.
#[derive(Clone, Debug)]
pub(crate) struct RawShape {
    pub file: String,
    /// `input`/`output` may still be `smithy.api#Unit` here; `members` holds
    /// local members until mixins are applied.
    pub shape: Shape,
    pub mixins: Vec<ShapeId>,
    pub resource: ResourceInfo,
    /// For members copied from a mixin: the mixin shape that declared them.
    pub member_origins: BTreeMap<String, ShapeId>,
}

impl RawShape {
    /// Whether two definitions of the same shape say the same thing.
    pub fn same_definition(&self, other: &RawShape) -> bool {
        self.shape == other.shape && self.mixins == other.mixins && self.resource == other.resource
    }
}

/// An `apply` entry: traits to merge onto a shape or member.
#[derive(Clone, Debug)]
pub(crate) struct RawApply {
    pub file: String,
    /// The key as written, e.g. `ns#Shape$member`.
    pub key: String,
    pub target: ShapeId,
    pub member: Option<String>,
    pub traits: Traits,
}

pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Error context while reading one shape.
struct Cx<'a> {
    file: &'a str,
    shape: &'a str,
}

impl Cx<'_> {
    fn err(&self, member: Option<&str>, path: &str, message: impl Into<String>) -> ModelError {
        let e = ModelError::new(message)
            .in_file(self.file)
            .in_shape(self.shape)
            .at(path);
        match member {
            Some(m) => e.in_member(m),
            None => e,
        }
    }

    fn object<'v>(
        &self,
        member: Option<&str>,
        v: &'v Value,
        what: &str,
        path: &str,
    ) -> Result<&'v Map<String, Value>, ModelError> {
        v.as_object().ok_or_else(|| {
            self.err(
                member,
                path,
                format!("{what} must be an object, found {}", json_type(v)),
            )
        })
    }

    fn array<'v>(
        &self,
        v: &'v Value,
        what: &str,
        path: &str,
    ) -> Result<&'v Vec<Value>, ModelError> {
        v.as_array().ok_or_else(|| {
            self.err(
                None,
                path,
                format!("{what} must be an array, found {}", json_type(v)),
            )
        })
    }

    fn shape_id(
        &self,
        member: Option<&str>,
        v: &Value,
        what: &str,
        path: &str,
    ) -> Result<ShapeId, ModelError> {
        let s = v.as_str().ok_or_else(|| {
            self.err(
                member,
                path,
                format!("{what} must be a string, found {}", json_type(v)),
            )
        })?;
        ShapeId::parse(s).map_err(|e| self.err(member, path, format!("{what}: {e}")))
    }

    /// `{"target": "ns#Name"}`.
    fn reference(
        &self,
        member: Option<&str>,
        v: &Value,
        what: &str,
        path: &str,
    ) -> Result<ShapeId, ModelError> {
        let obj = self.object(member, v, what, path)?;
        match obj.get("target") {
            Some(t) => self.shape_id(member, t, &format!("{what} target"), &prop(path, "target")),
            None => Err(self.err(member, path, format!("{what} has no `target`"))),
        }
    }

    /// `[{"target": ...}, ...]`, under `key` of `obj` (absent = empty).
    fn references(
        &self,
        obj: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<Vec<ShapeId>, ModelError> {
        let Some(v) = obj.get(key) else {
            return Ok(Vec::new());
        };
        let path = prop(path, key);
        let list = self.array(v, &format!("`{key}`"), &path)?;
        let mut out = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            out.push(self.reference(None, item, &format!("`{key}` entry"), &index(&path, i))?);
        }
        Ok(out)
    }

    fn optional_reference(
        &self,
        obj: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<Option<ShapeId>, ModelError> {
        obj.get(key)
            .map(|v| self.reference(None, v, &format!("`{key}`"), &prop(path, key)))
            .transpose()
    }

    fn traits(
        &self,
        member: Option<&str>,
        obj: &Map<String, Value>,
        path: &str,
    ) -> Result<Traits, ModelError> {
        let Some(v) = obj.get("traits") else {
            return Ok(Traits::default());
        };
        let path = prop(path, "traits");
        let map = self.object(member, v, "`traits`", &path)?;
        let mut traits = Traits::default();
        for (id, value) in map {
            if let Err(e) = ShapeId::parse(id) {
                return Err(self.err(member, &prop(&path, id), format!("trait id: {e}")));
            }
            traits.insert(id.clone(), value.clone());
        }
        Ok(traits)
    }

    /// A member definition `{"target": ..., "traits": {...}}`. When
    /// `default_target` is given, `target` may be omitted.
    fn member(
        &self,
        name: &str,
        v: &Value,
        path: &str,
        default_target: Option<&ShapeId>,
    ) -> Result<Member, ModelError> {
        if !is_identifier(name) {
            return Err(self.err(
                Some(name),
                path,
                format!("member name `{name}` is not a valid identifier"),
            ));
        }
        let obj = self.object(Some(name), v, "a member definition", path)?;
        let target = match (obj.get("target"), default_target) {
            (Some(t), _) => self.shape_id(Some(name), t, "member target", &prop(path, "target"))?,
            (None, Some(default)) => default.clone(),
            (None, None) => return Err(self.err(Some(name), path, "member has no `target`")),
        };
        let traits = self.traits(Some(name), obj, path)?;
        Ok(Member {
            name: name.to_string(),
            target,
            traits,
        })
    }

    /// Name-to-reference maps (`identifiers`, `properties`).
    fn named_references(
        &self,
        obj: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<Vec<(String, ShapeId)>, ModelError> {
        let Some(v) = obj.get(key) else {
            return Ok(Vec::new());
        };
        let path = prop(path, key);
        let map = self.object(None, v, &format!("`{key}`"), &path)?;
        let mut out = Vec::with_capacity(map.len());
        for (name, item) in map {
            let item_path = prop(&path, name);
            if !is_identifier(name) {
                return Err(self.err(
                    None,
                    &item_path,
                    format!("`{key}` name `{name}` is not a valid identifier"),
                ));
            }
            let target =
                self.reference(None, item, &format!("`{key}` entry `{name}`"), &item_path)?;
            out.push((name.clone(), target));
        }
        Ok(out)
    }
}

/// Parses one JSON AST document.
pub(crate) fn parse_document(file: &str, text: &str) -> Result<RawDoc, ModelError> {
    let root: Value = serde_json::from_str(text)
        .map_err(|e| ModelError::new(format!("invalid JSON: {e}")).in_file(file))?;
    let Value::Object(root) = root else {
        return Err(ModelError::new(format!(
            "the document must be a JSON object, found {}",
            json_type(&root)
        ))
        .in_file(file)
        .at("$"));
    };

    match root.get("smithy") {
        None => {
            return Err(ModelError::new("missing the `smithy` version property")
                .in_file(file)
                .at("$"))
        }
        Some(Value::String(v)) if VERSIONS.contains(&v.as_str()) => {}
        Some(Value::String(v)) => {
            return Err(ModelError::new(format!(
                "unsupported Smithy version `{v}` (expected \"2.0\" or \"1.0\")"
            ))
            .in_file(file)
            .at("$.smithy"))
        }
        Some(other) => {
            return Err(ModelError::new(format!(
                "the `smithy` version must be a string, found {}",
                json_type(other)
            ))
            .in_file(file)
            .at("$.smithy"))
        }
    }

    let metadata = match root.get("metadata") {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(other) => {
            return Err(ModelError::new(format!(
                "`metadata` must be an object, found {}",
                json_type(other)
            ))
            .in_file(file)
            .at("$.metadata"))
        }
    };

    let mut doc = RawDoc {
        file: file.to_string(),
        metadata,
        shapes: Vec::new(),
        applies: Vec::new(),
    };

    let shapes = match root.get("shapes") {
        None => return Ok(doc),
        Some(Value::Object(s)) => s,
        Some(other) => {
            return Err(ModelError::new(format!(
                "`shapes` must be an object, found {}",
                json_type(other)
            ))
            .in_file(file)
            .at("$.shapes"))
        }
    };

    for (key, value) in shapes {
        let cx = Cx { file, shape: key };
        let path = shape_path(key);
        let obj = cx.object(None, value, "a shape definition", &path)?;
        let ty_name = match obj.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(other) => {
                return Err(cx.err(
                    None,
                    &prop(&path, "type"),
                    format!("shape `type` must be a string, found {}", json_type(other)),
                ))
            }
            None => return Err(cx.err(None, &path, "shape has no `type`")),
        };
        if ty_name == "apply" {
            let (target, member) =
                ShapeId::parse_member(key).map_err(|e| cx.err(None, &path, e))?;
            let traits = cx.traits(None, obj, &path)?;
            doc.applies.push(RawApply {
                file: file.to_string(),
                key: key.clone(),
                target,
                member,
                traits,
            });
            continue;
        }
        let id = ShapeId::parse(key).map_err(|e| cx.err(None, &path, e))?;
        let Some(ty) = ShapeType::from_name(ty_name) else {
            return Err(cx.err(
                None,
                &prop(&path, "type"),
                format!("unknown shape type `{ty_name}`"),
            ));
        };
        doc.shapes.push(parse_shape(&cx, id, ty, obj, &path)?);
    }
    Ok(doc)
}

fn parse_shape(
    cx: &Cx<'_>,
    id: ShapeId,
    ty: ShapeType,
    obj: &Map<String, Value>,
    path: &str,
) -> Result<RawShape, ModelError> {
    let mut shape = Shape::new(id, ty);
    shape.traits = cx.traits(None, obj, path)?;
    let mixins = cx.references(obj, "mixins", path)?;
    let mut resource = ResourceInfo::default();

    match ty {
        ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => {
            let unit = ShapeId::new("smithy.api", "Unit");
            let default_target =
                matches!(ty, ShapeType::Enum | ShapeType::IntEnum).then_some(&unit);
            if let Some(v) = obj.get("members") {
                let members_path = prop(path, "members");
                let members = cx.object(None, v, "`members`", &members_path)?;
                for (name, m) in members {
                    let member_path = prop(&members_path, name);
                    shape
                        .members
                        .push(cx.member(name, m, &member_path, default_target)?);
                }
            }
        }
        ShapeType::List | ShapeType::Set => {
            if let Some(v) = obj.get("member") {
                shape
                    .members
                    .push(cx.member("member", v, &prop(path, "member"), None)?);
            }
        }
        ShapeType::Map => {
            for key in ["key", "value"] {
                if let Some(v) = obj.get(key) {
                    shape
                        .members
                        .push(cx.member(key, v, &prop(path, key), None)?);
                }
            }
        }
        ShapeType::Operation => {
            shape.input = cx.optional_reference(obj, "input", path)?;
            shape.output = cx.optional_reference(obj, "output", path)?;
            shape.errors = cx.references(obj, "errors", path)?;
        }
        ShapeType::Service => {
            if let Some(v) = obj.get("version") {
                let version_path = prop(path, "version");
                let version = v.as_str().ok_or_else(|| {
                    cx.err(
                        None,
                        &version_path,
                        format!("`version` must be a string, found {}", json_type(v)),
                    )
                })?;
                shape.version = Some(version.to_string());
            }
            shape.operations = cx.references(obj, "operations", path)?;
            shape.resources = cx.references(obj, "resources", path)?;
            shape.errors = cx.references(obj, "errors", path)?;
            if let Some(v) = obj.get("rename") {
                let rename_path = prop(path, "rename");
                let map = cx.object(None, v, "`rename`", &rename_path)?;
                for (from, to) in map {
                    let entry_path = prop(&rename_path, from);
                    let from_id = ShapeId::parse(from)
                        .map_err(|e| cx.err(None, &entry_path, format!("`rename` key: {e}")))?;
                    let to = to.as_str().ok_or_else(|| {
                        cx.err(
                            None,
                            &entry_path,
                            format!("`rename` value must be a string, found {}", json_type(to)),
                        )
                    })?;
                    shape.rename.insert(from_id, to.to_string());
                }
            }
        }
        ShapeType::Resource => {
            resource.identifiers = cx.named_references(obj, "identifiers", path)?;
            resource.properties = cx.named_references(obj, "properties", path)?;
            resource.create = cx.optional_reference(obj, "create", path)?;
            resource.put = cx.optional_reference(obj, "put", path)?;
            resource.read = cx.optional_reference(obj, "read", path)?;
            resource.update = cx.optional_reference(obj, "update", path)?;
            resource.delete = cx.optional_reference(obj, "delete", path)?;
            resource.list = cx.optional_reference(obj, "list", path)?;
            resource.operations = cx.references(obj, "operations", path)?;
            resource.collection_operations = cx.references(obj, "collectionOperations", path)?;
            resource.resources = cx.references(obj, "resources", path)?;
        }
        ShapeType::Blob
        | ShapeType::Boolean
        | ShapeType::String
        | ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::Float
        | ShapeType::Double
        | ShapeType::BigInteger
        | ShapeType::BigDecimal
        | ShapeType::Timestamp
        | ShapeType::Document => {}
    }

    Ok(RawShape {
        file: cx.file.to_string(),
        shape,
        mixins,
        resource,
        member_origins: BTreeMap::new(),
    })
}
