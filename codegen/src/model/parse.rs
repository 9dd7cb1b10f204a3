//! Reading one JSON AST document into unresolved shapes.

use super::error::{JsonPath, ModelError};
use super::shape::{Member, ResourceInfo, Shape, ShapeType};
use super::shape_id::{is_identifier, ShapeId};
use super::traits::Traits;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;

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
    fn err(
        &self,
        member: Option<&str>,
        path: &JsonPath<'_>,
        message: impl Into<String>,
    ) -> ModelError {
        let e = ModelError::new(message)
            .in_file(self.file)
            .in_shape(self.shape)
            .at(path.to_string());
        match member {
            Some(m) => e.in_member(m),
            None => e,
        }
    }

    fn object(
        &self,
        member: Option<&str>,
        v: Value,
        what: &dyn fmt::Display,
        path: &JsonPath<'_>,
    ) -> Result<Map<String, Value>, ModelError> {
        match v {
            Value::Object(map) => Ok(map),
            other => Err(self.err(
                member,
                path,
                format!("{what} must be an object, found {}", json_type(&other)),
            )),
        }
    }

    fn array(
        &self,
        v: Value,
        what: &dyn fmt::Display,
        path: &JsonPath<'_>,
    ) -> Result<Vec<Value>, ModelError> {
        match v {
            Value::Array(items) => Ok(items),
            other => Err(self.err(
                None,
                path,
                format!("{what} must be an array, found {}", json_type(&other)),
            )),
        }
    }

    fn shape_id(
        &self,
        member: Option<&str>,
        v: &Value,
        what: &dyn fmt::Display,
        path: &JsonPath<'_>,
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
        v: Value,
        what: &dyn fmt::Display,
        path: &JsonPath<'_>,
    ) -> Result<ShapeId, ModelError> {
        let obj = self.object(member, v, what, path)?;
        match obj.get("target") {
            Some(t) => self.shape_id(
                member,
                t,
                &format_args!("{what} target"),
                &path.prop("target"),
            ),
            None => Err(self.err(member, path, format!("{what} has no `target`"))),
        }
    }

    /// `[{"target": ...}, ...]`, under `key` of `obj` (absent = empty).
    fn references(
        &self,
        obj: &mut Map<String, Value>,
        key: &str,
        path: &JsonPath<'_>,
    ) -> Result<Vec<ShapeId>, ModelError> {
        let Some(v) = obj.remove(key) else {
            return Ok(Vec::new());
        };
        let path = path.prop(key);
        let list = self.array(v, &format_args!("`{key}`"), &path)?;
        let mut out = Vec::with_capacity(list.len());
        for (i, item) in list.into_iter().enumerate() {
            out.push(self.reference(None, item, &format_args!("`{key}` entry"), &path.index(i))?);
        }
        Ok(out)
    }

    fn optional_reference(
        &self,
        obj: &mut Map<String, Value>,
        key: &str,
        path: &JsonPath<'_>,
    ) -> Result<Option<ShapeId>, ModelError> {
        obj.remove(key)
            .map(|v| self.reference(None, v, &format_args!("`{key}`"), &path.prop(key)))
            .transpose()
    }

    /// The `traits` of `obj`, moved out of it.
    fn traits(
        &self,
        member: Option<&str>,
        obj: &mut Map<String, Value>,
        path: &JsonPath<'_>,
    ) -> Result<Traits, ModelError> {
        let Some(v) = obj.remove("traits") else {
            return Ok(Traits::default());
        };
        let path = path.prop("traits");
        let map = self.object(member, v, &"`traits`", &path)?;
        let mut traits = Traits::default();
        for (id, value) in map {
            if let Err(e) = ShapeId::parse(&id) {
                return Err(self.err(member, &path.prop(&id), format!("trait id: {e}")));
            }
            traits.insert(id, value);
        }
        Ok(traits)
    }

    /// A member definition `{"target": ..., "traits": {...}}`. When
    /// `default_target` is given, `target` may be omitted.
    fn member(
        &self,
        name: String,
        v: Value,
        path: &JsonPath<'_>,
        default_target: Option<&ShapeId>,
    ) -> Result<Member, ModelError> {
        if !is_identifier(&name) {
            return Err(self.err(
                Some(&name),
                path,
                format!("member name `{name}` is not a valid identifier"),
            ));
        }
        let mut obj = self.object(Some(&name), v, &"a member definition", path)?;
        let target = match (obj.get("target"), default_target) {
            (Some(t), _) => {
                self.shape_id(Some(&name), t, &"member target", &path.prop("target"))?
            }
            (None, Some(default)) => default.clone(),
            (None, None) => return Err(self.err(Some(&name), path, "member has no `target`")),
        };
        let traits = self.traits(Some(&name), &mut obj, path)?;
        Ok(Member {
            name,
            target,
            traits,
        })
    }

    /// Name-to-reference maps (`identifiers`, `properties`).
    fn named_references(
        &self,
        obj: &mut Map<String, Value>,
        key: &str,
        path: &JsonPath<'_>,
    ) -> Result<Vec<(String, ShapeId)>, ModelError> {
        let Some(v) = obj.remove(key) else {
            return Ok(Vec::new());
        };
        let path = path.prop(key);
        let map = self.object(None, v, &format_args!("`{key}`"), &path)?;
        let mut out = Vec::with_capacity(map.len());
        for (name, item) in map {
            let item_path = path.prop(&name);
            if !is_identifier(&name) {
                return Err(self.err(
                    None,
                    &item_path,
                    format!("`{key}` name `{name}` is not a valid identifier"),
                ));
            }
            let target = self.reference(
                None,
                item,
                &format_args!("`{key}` entry `{name}`"),
                &item_path,
            )?;
            out.push((name, target));
        }
        Ok(out)
    }
}

/// Parses one JSON AST document.
pub(crate) fn parse_document(file: &str, text: &str) -> Result<RawDoc, ModelError> {
    let root: Value = serde_json::from_str(text)
        .map_err(|e| ModelError::new(format!("invalid JSON: {e}")).in_file(file))?;
    let Value::Object(mut root) = root else {
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

    let metadata = match root.remove("metadata") {
        None => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(ModelError::new(format!(
                "`metadata` must be an object, found {}",
                json_type(&other)
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

    let shapes = match root.remove("shapes") {
        None => return Ok(doc),
        Some(Value::Object(s)) => s,
        Some(other) => {
            return Err(ModelError::new(format!(
                "`shapes` must be an object, found {}",
                json_type(&other)
            ))
            .in_file(file)
            .at("$.shapes"))
        }
    };

    // The document's values are moved into the shapes, not copied.
    for (key, value) in shapes {
        let cx = Cx { file, shape: &key };
        let path = JsonPath::Shape(&key);
        let mut obj = cx.object(None, value, &"a shape definition", &path)?;
        let ty_name = match obj.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(other) => {
                return Err(cx.err(
                    None,
                    &path.prop("type"),
                    format!("shape `type` must be a string, found {}", json_type(other)),
                ))
            }
            None => return Err(cx.err(None, &path, "shape has no `type`")),
        };
        if ty_name == "apply" {
            let (target, member) =
                ShapeId::parse_member(&key).map_err(|e| cx.err(None, &path, e))?;
            let traits = cx.traits(None, &mut obj, &path)?;
            doc.applies.push(RawApply {
                file: file.to_string(),
                key: key.clone(),
                target,
                member,
                traits,
            });
            continue;
        }
        let id = ShapeId::parse(&key).map_err(|e| cx.err(None, &path, e))?;
        let Some(ty) = ShapeType::from_name(ty_name) else {
            return Err(cx.err(
                None,
                &path.prop("type"),
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
    mut obj: Map<String, Value>,
    path: &JsonPath<'_>,
) -> Result<RawShape, ModelError> {
    let mut shape = Shape::new(id, ty);
    shape.traits = cx.traits(None, &mut obj, path)?;
    let mixins = cx.references(&mut obj, "mixins", path)?;
    let mut resource = ResourceInfo::default();

    match ty {
        ShapeType::Structure | ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => {
            let unit = ShapeId::new("smithy.api", "Unit");
            let default_target =
                matches!(ty, ShapeType::Enum | ShapeType::IntEnum).then_some(&unit);
            if let Some(v) = obj.remove("members") {
                let members_path = path.prop("members");
                let members = cx.object(None, v, &"`members`", &members_path)?;
                for (name, m) in members {
                    let member_path = members_path.prop(&name);
                    let member = cx.member(name.clone(), m, &member_path, default_target)?;
                    shape.members.push(member);
                }
            }
        }
        ShapeType::List | ShapeType::Set => {
            if let Some(v) = obj.remove("member") {
                shape.members.push(cx.member(
                    "member".to_owned(),
                    v,
                    &path.prop("member"),
                    None,
                )?);
            }
        }
        ShapeType::Map => {
            for key in ["key", "value"] {
                if let Some(v) = obj.remove(key) {
                    shape
                        .members
                        .push(cx.member(key.to_owned(), v, &path.prop(key), None)?);
                }
            }
        }
        ShapeType::Operation => {
            shape.input = cx.optional_reference(&mut obj, "input", path)?;
            shape.output = cx.optional_reference(&mut obj, "output", path)?;
            shape.errors = cx.references(&mut obj, "errors", path)?;
        }
        ShapeType::Service => {
            if let Some(v) = obj.get("version") {
                let version_path = path.prop("version");
                let version = v.as_str().ok_or_else(|| {
                    cx.err(
                        None,
                        &version_path,
                        format!("`version` must be a string, found {}", json_type(v)),
                    )
                })?;
                shape.version = Some(version.to_string());
            }
            shape.operations = cx.references(&mut obj, "operations", path)?;
            shape.resources = cx.references(&mut obj, "resources", path)?;
            shape.errors = cx.references(&mut obj, "errors", path)?;
            if let Some(v) = obj.remove("rename") {
                let rename_path = path.prop("rename");
                let map = cx.object(None, v, &"`rename`", &rename_path)?;
                for (from, to) in &map {
                    let entry_path = rename_path.prop(from);
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
            resource.identifiers = cx.named_references(&mut obj, "identifiers", path)?;
            resource.properties = cx.named_references(&mut obj, "properties", path)?;
            resource.create = cx.optional_reference(&mut obj, "create", path)?;
            resource.put = cx.optional_reference(&mut obj, "put", path)?;
            resource.read = cx.optional_reference(&mut obj, "read", path)?;
            resource.update = cx.optional_reference(&mut obj, "update", path)?;
            resource.delete = cx.optional_reference(&mut obj, "delete", path)?;
            resource.list = cx.optional_reference(&mut obj, "list", path)?;
            resource.operations = cx.references(&mut obj, "operations", path)?;
            resource.collection_operations =
                cx.references(&mut obj, "collectionOperations", path)?;
            resource.resources = cx.references(&mut obj, "resources", path)?;
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
