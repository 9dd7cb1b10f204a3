//! Checks on the resolved shapes: every reference lands on a shape of the
//! right kind, and the traits the generator reads have usable values.

use super::error::{index, prop, shape_path, ModelError};
use super::parse::{json_type, RawShape};
use super::resolve::local_member_path;
use super::shape::{Member, ShapeType};
use super::shape_id::{is_identifier, ShapeId};
use super::traits::{
    Traits, AUTH, DEFAULT, DOCUMENTATION, ENUM_VALUE, ERROR, HTTP_ERROR, JSON_NAME, PAGINATED,
    PATTERN, TIMESTAMP_FORMAT,
};
use serde_json::Value;
use std::collections::BTreeMap;

const TIMESTAMP_FORMATS: [&str; 3] = ["date-time", "http-date", "epoch-seconds"];

pub(crate) struct Validator<'a> {
    pub shapes: &'a BTreeMap<ShapeId, RawShape>,
    pub removed_mixins: &'a BTreeMap<ShapeId, String>,
}

/// Where a member's definition lives, for error messages.
struct MemberSite {
    file: String,
    path: String,
    /// The mixin the member was inherited from, if any.
    origin: Option<ShapeId>,
}

fn unit_id() -> ShapeId {
    ShapeId::new("smithy.api", "Unit")
}

impl<'a> Validator<'a> {
    pub fn validate(&self) -> Result<(), ModelError> {
        self.check_id_case_conflicts()?;
        for raw in self.shapes.values() {
            self.check_shape(raw)?;
        }
        self.check_resource_cycles()
    }

    fn shape_err(&self, raw: &RawShape, path: String, message: impl Into<String>) -> ModelError {
        let id = raw.shape.id.to_string();
        ModelError::new(message)
            .in_file(&raw.file)
            .in_shape(id)
            .at(path)
    }

    fn member_site(&self, raw: &RawShape, member: &str) -> MemberSite {
        match raw.member_origins.get(member) {
            Some(origin) => MemberSite {
                file: self
                    .removed_mixins
                    .get(origin)
                    .cloned()
                    .unwrap_or_else(|| raw.file.clone()),
                path: local_member_path(&origin.to_string(), raw.shape.ty, member),
                origin: Some(origin.clone()),
            },
            None => MemberSite {
                file: raw.file.clone(),
                path: local_member_path(&raw.shape.id.to_string(), raw.shape.ty, member),
                origin: None,
            },
        }
    }

    fn member_err(
        &self,
        raw: &RawShape,
        member: &str,
        sub_path: Option<&str>,
        message: impl Into<String>,
    ) -> ModelError {
        let site = self.member_site(raw, member);
        let mut message = message.into();
        if let Some(origin) = &site.origin {
            message.push_str(&format!(" (member inherited from mixin `{origin}`)"));
        }
        let path = match sub_path {
            Some(sub) => prop(&site.path, sub),
            None => site.path,
        };
        ModelError::new(message)
            .in_file(site.file)
            .in_shape(raw.shape.id.to_string())
            .in_member(member)
            .at(path)
    }

    /// Looks up a referenced shape; the error text says why it cannot be used.
    fn lookup(&self, id: &ShapeId) -> Result<&'a RawShape, String> {
        match self.shapes.get(id) {
            Some(raw) => Ok(raw),
            None if self.removed_mixins.contains_key(id) => Err(format!(
                "`{id}` is a mixin, which can only be used through `mixins`"
            )),
            None => Err(format!("`{id}` does not exist")),
        }
    }

    fn check_id_case_conflicts(&self) -> Result<(), ModelError> {
        let mut seen: BTreeMap<String, &ShapeId> = BTreeMap::new();
        for (id, raw) in self.shapes {
            let folded = id.to_string().to_ascii_lowercase();
            if let Some(other) = seen.insert(folded, id) {
                return Err(self.shape_err(
                    raw,
                    shape_path(&id.to_string()),
                    format!("shape id conflicts with `{other}`: they differ only in case"),
                ));
            }
        }
        Ok(())
    }

    fn check_shape(&self, raw: &RawShape) -> Result<(), ModelError> {
        let shape = &raw.shape;
        let id_text = shape.id.to_string();
        let base = shape_path(&id_text);

        self.check_traits(&shape.traits, |trait_id, message| {
            self.shape_err(raw, prop(&prop(&base, "traits"), trait_id), message)
        })?;
        if let Some(default) = shape.traits.get(DEFAULT) {
            if let Err(message) = check_default(default, raw) {
                return Err(self.shape_err(raw, prop(&prop(&base, "traits"), DEFAULT), message));
            }
        }

        self.check_members(raw)?;

        match shape.ty {
            ShapeType::List | ShapeType::Set
                if shape.members.len() != 1 || shape.member("member").is_none() =>
            {
                return Err(self.shape_err(
                    raw,
                    base,
                    format!("a {} shape must have exactly one `member`", shape.ty),
                ));
            }
            ShapeType::Map => {
                let (Some(key), Some(_)) = (shape.member("key"), shape.member("value")) else {
                    return Err(self.shape_err(
                        raw,
                        base,
                        "a map shape must have both `key` and `value`",
                    ));
                };
                if shape.members.len() != 2 {
                    return Err(self.shape_err(
                        raw,
                        base,
                        "a map shape can only have `key` and `value` members",
                    ));
                }
                if let Ok(target) = self.lookup(&key.target) {
                    if !matches!(target.shape.ty, ShapeType::String | ShapeType::Enum) {
                        return Err(self.member_err(
                            raw,
                            "key",
                            Some("target"),
                            format!(
                                "map key target `{}` is a {} shape; map keys must target a string shape",
                                key.target, target.shape.ty
                            ),
                        ));
                    }
                }
            }
            ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum => {
                if shape.members.is_empty() {
                    return Err(self.shape_err(
                        raw,
                        base,
                        format!("a {} shape must have at least one member", shape.ty),
                    ));
                }
                if shape.ty != ShapeType::Union {
                    self.check_enum(raw)?;
                }
            }
            ShapeType::Operation => self.check_operation(raw, &base)?,
            ShapeType::Service => self.check_service(raw, &base)?,
            ShapeType::Resource => self.check_resource(raw, &base)?,
            _ => {}
        }
        Ok(())
    }

    fn check_members(&self, raw: &RawShape) -> Result<(), ModelError> {
        let shape = &raw.shape;
        let mut folded: BTreeMap<String, &str> = BTreeMap::new();
        for member in &shape.members {
            if let Some(other) = folded.insert(member.name.to_ascii_lowercase(), &member.name) {
                return Err(self.member_err(
                    raw,
                    &member.name,
                    None,
                    format!(
                        "member name conflicts with member `{other}`: they differ only in case"
                    ),
                ));
            }
            self.check_member(raw, member)?;
        }
        Ok(())
    }

    fn check_member(&self, raw: &RawShape, member: &Member) -> Result<(), ModelError> {
        let name = member.name.as_str();
        self.check_traits(&member.traits, |trait_id, message| {
            let mut e = self.member_err(raw, name, None, message);
            if let Some(path) = &e.json_path {
                e.json_path = Some(prop(&prop(path, "traits"), trait_id));
            }
            e
        })?;

        let target = self
            .lookup(&member.target)
            .map_err(|e| self.member_err(raw, name, Some("target"), format!("target {e}")))?;
        if target.shape.ty.is_service_shape() {
            return Err(self.member_err(
                raw,
                name,
                Some("target"),
                format!(
                    "target `{}` is a {} shape, which members cannot target",
                    member.target, target.shape.ty
                ),
            ));
        }
        let container = raw.shape.ty;
        if target.shape.traits.is_unit_type()
            && !matches!(
                container,
                ShapeType::Union | ShapeType::Enum | ShapeType::IntEnum
            )
        {
            return Err(self.member_err(
                raw,
                name,
                Some("target"),
                format!(
                    "target `{}` is a unit type, which only union and enum members can target",
                    member.target
                ),
            ));
        }
        if matches!(container, ShapeType::Enum | ShapeType::IntEnum) && member.target != unit_id() {
            return Err(self.member_err(
                raw,
                name,
                Some("target"),
                format!(
                    "{} members must target `smithy.api#Unit`, not `{}`",
                    container, member.target
                ),
            ));
        }
        if let Some(default) = member.traits.get(DEFAULT) {
            if let Err(message) = check_default(default, target) {
                let mut e = self.member_err(raw, name, None, message);
                if let Some(path) = &e.json_path {
                    e.json_path = Some(prop(&prop(path, "traits"), DEFAULT));
                }
                return Err(e);
            }
        }
        Ok(())
    }

    fn check_enum(&self, raw: &RawShape) -> Result<(), ModelError> {
        let mut values: BTreeMap<String, &str> = BTreeMap::new();
        for member in &raw.shape.members {
            let name = member.name.as_str();
            let value_err = |message: String| {
                let mut e = self.member_err(raw, name, None, message);
                if let Some(path) = &e.json_path {
                    e.json_path = Some(prop(&prop(path, "traits"), ENUM_VALUE));
                }
                e
            };
            let key = match (raw.shape.ty, member.traits.enum_value()) {
                (ShapeType::IntEnum, Some(v)) => {
                    match v.as_i64().and_then(|n| i32::try_from(n).ok()) {
                        Some(n) => n.to_string(),
                        None => {
                            return Err(value_err(format!(
                                "intEnum member value must be a 32-bit integer, found {v}"
                            )))
                        }
                    }
                }
                (ShapeType::IntEnum, None) => {
                    return Err(value_err(format!(
                        "intEnum member has no integer `{ENUM_VALUE}`"
                    )))
                }
                (_, Some(Value::String(s))) if !s.is_empty() => s.clone(),
                (_, Some(v)) => {
                    return Err(value_err(format!(
                        "enum member value must be a non-empty string, found {v}"
                    )))
                }
                (_, None) => name.to_string(),
            };
            if let Some(other) = values.insert(key.clone(), name) {
                return Err(value_err(format!(
                    "enum value `{key}` is also used by member `{other}`"
                )));
            }
        }
        Ok(())
    }

    /// Checks a list of references (`errors`, `operations`, ...).
    fn check_refs(
        &self,
        raw: &RawShape,
        base: &str,
        key: &str,
        ids: &[ShapeId],
        check: impl Fn(&ShapeId, &RawShape) -> Result<(), String>,
    ) -> Result<(), ModelError> {
        let path = prop(base, key);
        for (i, id) in ids.iter().enumerate() {
            let result = self.lookup(id).and_then(|target| check(id, target));
            if let Err(message) = result {
                return Err(self.shape_err(raw, index(&path, i), format!("`{key}`: {message}")));
            }
        }
        Ok(())
    }

    fn check_operation(&self, raw: &RawShape, base: &str) -> Result<(), ModelError> {
        let shape = &raw.shape;
        for (key, io) in [("input", &shape.input), ("output", &shape.output)] {
            let Some(id) = io else { continue };
            let result = self.lookup(id).and_then(|target| is_structure(id, target));
            if let Err(message) = result {
                return Err(self.shape_err(
                    raw,
                    prop(&prop(base, key), "target"),
                    format!("operation {key}: {message}"),
                ));
            }
        }
        self.check_refs(raw, base, "errors", &shape.errors, is_error_structure)
    }

    fn check_service(&self, raw: &RawShape, base: &str) -> Result<(), ModelError> {
        let shape = &raw.shape;
        self.check_refs(
            raw,
            base,
            "operations",
            &shape.operations,
            is_type(ShapeType::Operation),
        )?;
        self.check_refs(
            raw,
            base,
            "resources",
            &shape.resources,
            is_type(ShapeType::Resource),
        )?;
        self.check_refs(raw, base, "errors", &shape.errors, is_error_structure)?;
        for (from, to) in &shape.rename {
            let path = prop(&prop(base, "rename"), &from.to_string());
            if let Err(message) = self.lookup(from) {
                return Err(self.shape_err(raw, path, format!("`rename`: {message}")));
            }
            if !is_identifier(to) {
                return Err(self.shape_err(
                    raw,
                    path,
                    format!("`rename`: `{to}` is not a valid identifier"),
                ));
            }
        }
        Ok(())
    }

    fn check_resource(&self, raw: &RawShape, base: &str) -> Result<(), ModelError> {
        let r = &raw.resource;
        let operation = is_type(ShapeType::Operation);
        for (key, op) in r.lifecycle() {
            let result = self.lookup(op).and_then(|target| operation(op, target));
            if let Err(message) = result {
                return Err(self.shape_err(
                    raw,
                    prop(&prop(base, key), "target"),
                    format!("`{key}`: {message}"),
                ));
            }
        }
        self.check_refs(raw, base, "operations", &r.operations, &operation)?;
        self.check_refs(
            raw,
            base,
            "collectionOperations",
            &r.collection_operations,
            &operation,
        )?;
        self.check_refs(
            raw,
            base,
            "resources",
            &r.resources,
            is_type(ShapeType::Resource),
        )?;
        for (key, bindings) in [
            ("identifiers", &r.identifiers),
            ("properties", &r.properties),
        ] {
            for (name, target_id) in bindings {
                let path = prop(&prop(&prop(base, key), name), "target");
                let result = self.lookup(target_id).and_then(|target| {
                    let ty = target.shape.ty;
                    if key == "identifiers" && !matches!(ty, ShapeType::String | ShapeType::Enum) {
                        Err(format!(
                            "`{target_id}` is a {ty} shape; identifiers must target strings"
                        ))
                    } else if ty.is_service_shape() {
                        Err(format!("`{target_id}` is a {ty} shape"))
                    } else {
                        Ok(())
                    }
                });
                if let Err(message) = result {
                    return Err(self.shape_err(
                        raw,
                        path,
                        format!("`{key}` entry `{name}`: {message}"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// A resource may not contain itself through `resources`. One
    /// iterative depth-first walk over all resources finds any cycle.
    fn check_resource_cycles(&self) -> Result<(), ModelError> {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            OnPath,
            Done,
        }
        let mut state: BTreeMap<&ShapeId, State> = BTreeMap::new();
        for (root_id, root) in self.shapes {
            if root.shape.ty != ShapeType::Resource || state.contains_key(root_id) {
                continue;
            }
            // Each frame: a resource and how many of its children were visited.
            let mut stack: Vec<(&ShapeId, usize)> = vec![(root_id, 0)];
            state.insert(root_id, State::OnPath);
            while let Some((id, next)) = stack.last_mut() {
                let children = self
                    .shapes
                    .get(*id)
                    .map(|raw| raw.resource.resources.as_slice())
                    .unwrap_or_default();
                let Some(child) = children.get(*next) else {
                    state.insert(*id, State::Done);
                    stack.pop();
                    continue;
                };
                *next += 1;
                match state.get(child) {
                    Some(State::OnPath) => {
                        let Some(raw) = self.shapes.get(child) else {
                            continue;
                        };
                        return Err(self.shape_err(
                            raw,
                            prop(&shape_path(&child.to_string()), "resources"),
                            "resource is bound to itself through `resources`",
                        ));
                    }
                    Some(State::Done) => {}
                    None => {
                        if self.shapes.contains_key(child) {
                            state.insert(child, State::OnPath);
                            stack.push((child, 0));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Type checks for the values of traits the generator reads.
    fn check_traits(
        &self,
        traits: &Traits,
        err: impl Fn(&str, String) -> ModelError,
    ) -> Result<(), ModelError> {
        for (trait_id, value) in traits.iter() {
            let problem = match trait_id {
                DOCUMENTATION | JSON_NAME | PATTERN if !value.is_string() => {
                    Some(format!("must be a string, found {}", json_type(value)))
                }
                ERROR if !matches!(value.as_str(), Some("client" | "server")) => {
                    Some(format!("must be \"client\" or \"server\", found {value}"))
                }
                HTTP_ERROR if !value.as_u64().is_some_and(|c| (100..=599).contains(&c)) => Some(
                    format!("must be an HTTP status code between 100 and 599, found {value}"),
                ),
                TIMESTAMP_FORMAT
                    if !value.as_str().is_some_and(|f| TIMESTAMP_FORMATS.contains(&f)) =>
                {
                    Some(format!(
                        "must be one of \"date-time\", \"http-date\", \"epoch-seconds\", found {value}"
                    ))
                }
                AUTH => match value.as_array() {
                    None => Some(format!("must be a list, found {}", json_type(value))),
                    Some(list) => list.iter().find_map(|item| match item.as_str() {
                        None => Some(format!(
                            "entries must be shape id strings, found {}",
                            json_type(item)
                        )),
                        Some(s) => ShapeId::parse(s).err(),
                    }),
                },
                PAGINATED if !value.is_object() => {
                    Some(format!("must be an object, found {}", json_type(value)))
                }
                _ => None,
            };
            if let Some(problem) = problem {
                return Err(err(trait_id, format!("trait `{trait_id}` {problem}")));
            }
        }
        Ok(())
    }
}

fn is_type(ty: ShapeType) -> impl Fn(&ShapeId, &RawShape) -> Result<(), String> {
    move |id, target| {
        if target.shape.ty == ty {
            Ok(())
        } else {
            Err(format!(
                "`{id}` is a {} shape, not a {ty} shape",
                target.shape.ty
            ))
        }
    }
}

fn is_structure(id: &ShapeId, target: &RawShape) -> Result<(), String> {
    is_type(ShapeType::Structure)(id, target)
}

fn is_error_structure(id: &ShapeId, target: &RawShape) -> Result<(), String> {
    is_structure(id, target)?;
    if target.shape.traits.is_error() {
        Ok(())
    } else {
        Err(format!(
            "error `{id}` is not marked with the `{ERROR}` trait"
        ))
    }
}

/// Whether a `smithy.api#default` value suits the shape it applies to.
fn check_default(value: &Value, target: &RawShape) -> Result<(), String> {
    if value.is_null() {
        return Ok(());
    }
    let ty = target.shape.ty;
    let int_in = |min: i64, max: i64| value.as_i64().is_some_and(|n| (min..=max).contains(&n));
    let ok = match ty {
        ShapeType::Boolean => value.is_boolean(),
        ShapeType::Byte => int_in(i8::MIN.into(), i8::MAX.into()),
        ShapeType::Short => int_in(i16::MIN.into(), i16::MAX.into()),
        ShapeType::Integer => int_in(i32::MIN.into(), i32::MAX.into()),
        ShapeType::Long => value.is_i64(),
        ShapeType::BigInteger => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        ShapeType::Float | ShapeType::Double => {
            value.is_number() || matches!(value.as_str(), Some("NaN" | "Infinity" | "-Infinity"))
        }
        ShapeType::BigDecimal => value.is_number(),
        ShapeType::String | ShapeType::Blob => value.is_string(),
        ShapeType::Timestamp => value.is_number() || value.is_string(),
        ShapeType::Document => true,
        ShapeType::Enum | ShapeType::IntEnum => {
            if ty == ShapeType::Enum && !value.is_string()
                || ty == ShapeType::IntEnum && !value.is_i64()
            {
                false
            } else if target
                .shape
                .members
                .iter()
                .any(|m| m.traits.enum_value() == Some(value))
            {
                true
            } else {
                return Err(format!(
                    "default value {value} is not one of the values of {} `{}`",
                    ty, target.shape.id
                ));
            }
        }
        ShapeType::List | ShapeType::Set => value.as_array().is_some_and(Vec::is_empty),
        ShapeType::Map => value.as_object().is_some_and(|m| m.is_empty()),
        ShapeType::Structure
        | ShapeType::Union
        | ShapeType::Operation
        | ShapeType::Service
        | ShapeType::Resource => {
            return Err(format!(
                "a default value is not allowed for {ty} shape `{}`",
                target.shape.id
            ))
        }
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "default value {value} does not suit {ty} shape `{}`",
            target.shape.id
        ))
    }
}
