//! Lowering: a validated model and a selection become the IR, with every Rust
//! name decided (through [`crate::naming`]) and every name clash reported.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::docs;
use crate::ir::*;
use crate::model::{Member, Model, Shape, ShapeId, ShapeType};
use crate::naming;

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

/// A model that cannot be turned into Rust, naming the shape and member at fault.
#[derive(Clone, Debug, PartialEq)]
pub struct LowerError {
    pub shape: Option<String>,
    pub member: Option<String>,
    pub message: String,
}

impl fmt::Display for LowerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
        shape: Some(shape.to_string()),
        member: member.map(str::to_owned),
        message: message.into(),
    }
}

fn general(message: impl Into<String>) -> LowerError {
    LowerError {
        shape: None,
        member: None,
        message: message.into(),
    }
}

const UNIT: &str = "smithy.api#Unit";

/// Lowers the selected service and operations of `model` to the IR.
pub fn lower(model: &Model, selection: &Selection) -> Result<ServiceIr, LowerError> {
    let service = pick_service(model, selection.service.as_deref())?;
    Lowerer::new(model, service).run(selection)
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
    let lines = docs::lines(doc);
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
}

impl<'m> Lowerer<'m> {
    fn new(model: &'m Model, service: &'m Shape) -> Self {
        Lowerer {
            model,
            service,
            types: BTreeMap::new(),
            errors: BTreeMap::new(),
            codecs: BTreeMap::new(),
        }
    }

    fn shape(&self, id: &ShapeId) -> Result<&'m Shape, LowerError> {
        self.model
            .shape(id)
            .ok_or_else(|| err(id, None, "shape is referenced but not defined"))
    }

    fn run(mut self, selection: &Selection) -> Result<ServiceIr, LowerError> {
        let service = self.service;
        let protocol = if service.traits.has("aws.protocols#awsJson1_1") {
            Protocol::AwsJson1_1
        } else if service.traits.has("aws.protocols#awsJson1_0") {
            Protocol::AwsJson1_0
        } else {
            let protocols: Vec<&str> = service
                .traits
                .iter()
                .map(|(k, _)| k)
                .filter(|k| k.starts_with("aws.protocols#"))
                .collect();
            return Err(err(
                &service.id,
                None,
                format!(
                    "the service's protocol is not supported (supported: aws.protocols#awsJson1_0, aws.protocols#awsJson1_1; found: {})",
                    if protocols.is_empty() { "none".to_owned() } else { protocols.join(", ") }
                ),
            ));
        };
        let aws_service = service.traits.get("aws.api#service");
        let sdk_id = aws_service
            .and_then(|v| v.get("sdkId"))
            .and_then(Value::as_str)
            .unwrap_or(&service.id.name)
            .to_owned();
        let endpoint_prefix = aws_service
            .and_then(|v| v.get("endpointPrefix"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| service.id.name.to_ascii_lowercase());
        let signing_name = service
            .traits
            .get("aws.auth#sigv4")
            .and_then(|v| v.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| endpoint_prefix.clone());
        let title = service
            .traits
            .get("smithy.api#title")
            .and_then(Value::as_str)
            .unwrap_or(&sdk_id)
            .to_owned();

        let all_ops = self.model.service_operations(&service.id);
        let op_ids: Vec<ShapeId> = if selection.operations.is_empty() {
            all_ops
        } else {
            let mut chosen = BTreeSet::new();
            for name in &selection.operations {
                let found = all_ops
                    .iter()
                    .find(|id| id.name == *name || id.to_string() == *name)
                    .ok_or_else(|| {
                        err(
                            &service.id,
                            None,
                            format!("operation `{name}` is not an operation of this service"),
                        )
                    })?;
                chosen.insert(found.clone());
            }
            chosen.into_iter().collect()
        };

        let mut operations = Vec::new();
        for id in &op_ids {
            operations.push(self.operation(id)?);
        }
        operations.sort_by(|a, b| a.module.cmp(&b.module));
        check_unique(
            operations
                .iter()
                .map(|o| (o.module.clone(), o.shape_id.to_string())),
            "operations",
            "client method",
        )?;

        // Lower named types until no new ones are found; codecs only grow, so
        // a type seen again with more codecs is lowered again.
        loop {
            let pending: Vec<(ShapeId, Codecs)> = self
                .codecs
                .iter()
                .filter(
                    |(id, codecs)| match (self.types.get(*id), self.errors.get(*id)) {
                        (Some(TypeDef::Struct(s)), _) | (_, Some(s)) => s.codecs != **codecs,
                        (Some(TypeDef::Union(u)), _) => u.codecs != **codecs,
                        (Some(TypeDef::Enum(_)), _) => false,
                        (None, None) => true,
                    },
                )
                .map(|(id, c)| (id.clone(), *c))
                .collect();
            if pending.is_empty() {
                break;
            }
            for (id, codecs) in pending {
                self.named_type(&id, codecs)?;
            }
        }

        let mut types: Vec<TypeDef> = self.types.into_values().collect();
        types.sort_by(|a, b| a.name().cmp(b.name()));
        check_unique(
            types
                .iter()
                .map(|t| (t.name().to_owned(), t.name().to_owned())),
            "types",
            "type name",
        )?;
        check_unique(
            types
                .iter()
                .map(|t| (t.module().to_owned(), t.name().to_owned())),
            "types",
            "module",
        )?;
        let mut errors: Vec<StructIr> = self.errors.into_values().collect();
        errors.sort_by(|a, b| a.name.cmp(&b.name));
        check_unique(
            errors
                .iter()
                .map(|e| (e.name.clone(), e.shape_id.to_string())),
            "errors",
            "type name",
        )?;

        let crate_name = selection
            .crate_name
            .clone()
            .unwrap_or_else(|| naming::crate_name(&sdk_id));
        Ok(ServiceIr {
            crate_name,
            service_id: service.id.clone(),
            target_prefix: service.id.name.clone(),
            title,
            docs: docs::lines(service.traits.documentation()),
            version: service.version.clone(),
            endpoint_prefix,
            signing_name,
            protocol,
            endpoint_rules: service
                .traits
                .get("smithy.rules#endpointRuleSet")
                .map(|rules| rules.to_string()),
            operations,
            types,
            errors,
        })
    }

    fn operation(&mut self, id: &ShapeId) -> Result<OperationIr, LowerError> {
        let op = self.shape(id)?;
        let wire_name = id.name.clone();
        let input = self.operation_struct(
            op.input.as_ref(),
            naming::operation_input(&wire_name),
            StructKind::Input,
            id,
        )?;
        let output = self.operation_struct(
            op.output.as_ref(),
            naming::operation_output(&wire_name),
            StructKind::Output,
            id,
        )?;
        let mut error_ids: Vec<ShapeId> = Vec::new();
        for e in op.errors.iter().chain(self.service.errors.iter()) {
            if !error_ids.contains(e) {
                error_ids.push(e.clone());
            }
        }
        let mut errors = Vec::new();
        for eid in &error_ids {
            let shape = self.shape(eid)?;
            if shape.ty != ShapeType::Structure || !shape.traits.is_error() {
                return Err(err(
                    id,
                    None,
                    format!("error `{eid}` is not a structure with the error trait"),
                ));
            }
            self.request(
                eid,
                Codecs {
                    ser: false,
                    de: true,
                },
            );
            let type_name = naming::error_type_name(&self.shape_name(eid));
            let retryable = shape.traits.get("smithy.api#retryable");
            errors.push(ErrorRef {
                client_fault: shape.traits.error_kind() == Some("client"),
                retryable: retryable.is_some(),
                throttling: retryable
                    .and_then(|r| r.get("throttling"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                code: eid.name.clone(),
                module: naming::type_module(&type_name),
                is_fn: naming::is_variant_fn(&type_name),
                summary: docs_or(shape.traits.documentation(), || {
                    format!("The `{}` error.", eid.name)
                })
                .into_iter()
                .next(),
                type_name,
            });
        }
        check_unique(
            errors.iter().map(|e| (e.type_name.clone(), e.code.clone())),
            &format!("errors of operation `{id}`"),
            "variant",
        )?;
        let signed = self.service.traits.has("aws.auth#sigv4")
            && !op.traits.has_optional_auth()
            && op
                .traits
                .auth()
                .is_none_or(|schemes| schemes.iter().any(|s| s == "aws.auth#sigv4"));
        let host_prefix = match op
            .traits
            .get("smithy.api#endpoint")
            .and_then(|e| e.get("hostPrefix"))
        {
            None => None,
            Some(prefix) => {
                let prefix = prefix
                    .as_str()
                    .ok_or_else(|| err(id, None, "endpoint trait's hostPrefix is not a string"))?;
                Some(host_prefix(prefix, &input).map_err(|m| err(id, None, m))?)
            }
        };
        let request_compression = op
            .traits
            .get("smithy.api#requestCompression")
            .and_then(|c| c.get("encodings"))
            .and_then(Value::as_array)
            .is_some_and(|encodings| encodings.iter().any(|e| e.as_str() == Some("gzip")));
        let endpoint_params = endpoint_params(op, self.model, id)?;
        Ok(OperationIr {
            auth: if signed { Auth::SigV4 } else { Auth::None },
            request_compression,
            endpoint_params,
            host_prefix,
            paginator: self.paginator(id, op, &input, &output)?,
            shape_id: id.clone(),
            module: naming::operation_module(&wire_name),
            struct_name: naming::operation_struct(&wire_name),
            error_enum: naming::operation_error(&wire_name),
            fluent_builder: naming::fluent_builder(&wire_name),
            docs: docs_or(op.traits.documentation(), || {
                format!("The `{wire_name}` operation.")
            }),
            input,
            output,
            errors,
            wire_name,
        })
    }

    fn operation_struct(
        &mut self,
        target: Option<&ShapeId>,
        name: String,
        kind: StructKind,
        op: &ShapeId,
    ) -> Result<StructIr, LowerError> {
        let codecs = match kind {
            StructKind::Input => Codecs {
                ser: true,
                de: false,
            },
            _ => Codecs {
                ser: false,
                de: true,
            },
        };
        match target.filter(|t| t.to_string() != UNIT) {
            Some(target) => {
                let shape = self.shape(target)?;
                if shape.ty != ShapeType::Structure {
                    return Err(err(op, None, format!("`{target}` is not a structure")));
                }
                let mut s = self.structure(shape, name, String::new(), kind, codecs)?;
                if shape.traits.documentation().is_none() {
                    s.docs = vec![operation_part_doc(kind, op)];
                }
                Ok(s)
            }
            None => Ok(StructIr {
                shape_id: op.clone(),
                builder: naming::builder_type(&name),
                name,
                module: String::new(),
                docs: vec![operation_part_doc(kind, op)],
                kind,
                fields: Vec::new(),
                sensitive: false,
                codecs,
            }),
        }
    }

    /// The model name of a shape after the service's `rename`.
    fn shape_name(&self, id: &ShapeId) -> String {
        self.service
            .rename
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.name.clone())
    }

    /// Records that the named type `id` needs `codecs`.
    fn request(&mut self, id: &ShapeId, codecs: Codecs) {
        let entry = self.codecs.entry(id.clone()).or_default();
        entry.ser |= codecs.ser;
        entry.de |= codecs.de;
    }

    fn named_type(&mut self, id: &ShapeId, codecs: Codecs) -> Result<(), LowerError> {
        let shape = self.shape(id)?;
        let name = self.shape_name(id);
        match shape.ty {
            ShapeType::Structure if shape.traits.is_error() => {
                let type_name = naming::error_type_name(&name);
                let module = naming::type_module(&type_name);
                let s = self.structure(shape, type_name, module, StructKind::Error, codecs)?;
                self.errors.insert(id.clone(), s);
            }
            ShapeType::Structure => {
                let type_name = naming::type_name(&name);
                let module = naming::type_module(&type_name);
                let s = self.structure(shape, type_name, module, StructKind::Plain, codecs)?;
                self.types.insert(id.clone(), TypeDef::Struct(s));
            }
            ShapeType::Union => {
                let u = self.union(shape, naming::type_name(&name), codecs)?;
                self.types.insert(id.clone(), TypeDef::Union(u));
            }
            ShapeType::Enum | ShapeType::String => {
                let e = self.enumeration(shape, naming::type_name(&name))?;
                self.types.insert(id.clone(), TypeDef::Enum(e));
            }
            other => {
                return Err(err(
                    id,
                    None,
                    format!("a {} shape cannot be a named type", other.as_str()),
                ))
            }
        }
        Ok(())
    }

    fn structure(
        &mut self,
        shape: &'m Shape,
        name: String,
        module: String,
        kind: StructKind,
        codecs: Codecs,
    ) -> Result<StructIr, LowerError> {
        let mut fields = Vec::new();
        for member in &shape.members {
            fields.push(self.field(shape, member, kind, codecs)?);
        }
        check_unique(
            fields
                .iter()
                .map(|f| (f.suffix.clone(), f.wire_name.clone())),
            &format!("members of `{}`", shape.id),
            "field name",
        )?;
        Ok(StructIr {
            shape_id: shape.id.clone(),
            builder: naming::builder_type(&name),
            name,
            module,
            docs: docs_or(shape.traits.documentation(), || {
                format!("The `{}` structure.", shape.id.name)
            }),
            kind,
            fields,
            sensitive: shape.traits.is_sensitive(),
            codecs,
        })
    }

    fn field(
        &mut self,
        owner: &Shape,
        member: &Member,
        kind: StructKind,
        codecs: Codecs,
    ) -> Result<FieldIr, LowerError> {
        let ty = self.member_type(owner, member, codecs)?;
        let required = member.traits.is_required();
        let default = match member.traits.default_value() {
            None | Some(Value::Null) => None,
            Some(value) => Some(default_value(&ty, value).map_err(|m| {
                err(
                    &owner.id,
                    Some(&member.name),
                    format!("invalid default: {m}"),
                )
            })?),
        };
        let client_optional = member.traits.is_client_optional();
        // Inputs keep every member optional so that a service may relax a
        // requirement without breaking callers; `build()` checks required ones.
        let optional = match kind {
            StructKind::Input => true,
            _ => client_optional || (default.is_none() && !required),
        };
        let name = naming::field_name(&member.name);
        Ok(FieldIr {
            wire_name: member.name.clone(),
            suffix: naming::field_suffix(&name),
            name,
            docs: docs_or(member.traits.documentation(), || {
                format!("The `{}` member.", member.name)
            }),
            redact: self.is_sensitive(member)?,
            boxed: self.is_recursive(&owner.id, &member.target)?,
            ty,
            optional,
            required: required && !(kind == StructKind::Input && default.is_some()),
            default,
        })
    }

    fn union(
        &mut self,
        shape: &'m Shape,
        name: String,
        codecs: Codecs,
    ) -> Result<UnionIr, LowerError> {
        let mut variants = Vec::new();
        for member in &shape.members {
            let unit = member.target.to_string() == UNIT;
            let ty = if unit {
                None
            } else {
                Some(self.member_type(shape, member, codecs)?)
            };
            let variant = naming::variant_name(&member.name);
            variants.push(VariantIr {
                wire_name: member.name.clone(),
                is_fn: naming::is_variant_fn(&variant),
                as_fn: naming::as_variant_fn(&variant),
                name: variant,
                docs: docs_or(member.traits.documentation(), || {
                    format!("The `{}` member.", member.name)
                }),
                boxed: self.is_recursive(&shape.id, &member.target)?,
                redact: self.is_sensitive(member)?,
                ty,
            });
        }
        check_unique(
            variants
                .iter()
                .map(|v| (v.name.clone(), v.wire_name.clone())),
            &format!("members of `{}`", shape.id),
            "variant name",
        )?;
        Ok(UnionIr {
            shape_id: shape.id.clone(),
            module: naming::type_module(&name),
            name,
            docs: docs_or(shape.traits.documentation(), || {
                format!("The `{}` union.", shape.id.name)
            }),
            variants,
            sensitive: shape.traits.is_sensitive(),
            codecs,
        })
    }

    fn enumeration(&mut self, shape: &Shape, name: String) -> Result<EnumIr, LowerError> {
        let mut values = Vec::new();
        if shape.ty == ShapeType::Enum {
            for member in &shape.members {
                let value = member
                    .traits
                    .enum_value()
                    .and_then(Value::as_str)
                    .unwrap_or(&member.name)
                    .to_owned();
                values.push(EnumValueIr {
                    variant: naming::variant_name(&member.name),
                    docs: docs_or(member.traits.documentation(), || {
                        format!("The `{value}` value.")
                    }),
                    value,
                });
            }
        } else {
            // A string shape with the Smithy 1.0 `enum` trait.
            let defs = shape
                .traits
                .get("smithy.api#enum")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    err(
                        &shape.id,
                        None,
                        "string shape used as an enum has no enum trait",
                    )
                })?;
            for def in defs {
                let value = def.get("value").and_then(Value::as_str).ok_or_else(|| {
                    err(&shape.id, None, "enum trait entry has no string `value`")
                })?;
                let variant_source = def.get("name").and_then(Value::as_str).unwrap_or(value);
                values.push(EnumValueIr {
                    variant: naming::variant_name(variant_source),
                    value: value.to_owned(),
                    docs: docs_or(def.get("documentation").and_then(Value::as_str), || {
                        format!("The `{value}` value.")
                    }),
                });
            }
        }
        check_unique(
            values.iter().map(|v| (v.variant.clone(), v.value.clone())),
            &format!("values of `{}`", shape.id),
            "variant name",
        )?;
        Ok(EnumIr {
            shape_id: shape.id.clone(),
            module: naming::type_module(&name),
            name,
            docs: docs_or(shape.traits.documentation(), || {
                format!("The `{}` enum.", shape.id.name)
            }),
            values,
            sensitive: shape.traits.is_sensitive(),
        })
    }

    /// The Rust type of a member's target; named targets are queued for lowering.
    fn member_type(
        &mut self,
        owner: &Shape,
        member: &Member,
        codecs: Codecs,
    ) -> Result<RustType, LowerError> {
        self.target_type(&member.target, member, codecs, 0)
            .map_err(|m| err(&owner.id, Some(&member.name), m))
    }

    fn target_type(
        &mut self,
        target: &ShapeId,
        member: &Member,
        codecs: Codecs,
        depth: usize,
    ) -> Result<RustType, String> {
        if depth > 64 {
            return Err("collections nest more than 64 levels deep".to_owned());
        }
        let shape = self
            .model
            .shape(target)
            .ok_or_else(|| format!("target `{target}` is not defined"))?;
        Ok(match shape.ty {
            ShapeType::Blob => RustType::Blob,
            ShapeType::Boolean => RustType::Bool,
            ShapeType::Byte => RustType::I8,
            ShapeType::Short => RustType::I16,
            ShapeType::Integer | ShapeType::IntEnum => RustType::I32,
            ShapeType::Long => RustType::I64,
            ShapeType::Float => RustType::F32,
            ShapeType::Double => RustType::F64,
            ShapeType::BigInteger => RustType::BigInteger,
            ShapeType::BigDecimal => RustType::BigDecimal,
            ShapeType::Document => RustType::Document,
            ShapeType::Timestamp => {
                let format = member
                    .traits
                    .timestamp_format()
                    .or_else(|| shape.traits.timestamp_format());
                RustType::DateTime(match format {
                    None | Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                    Some("date-time") => TimestampFormat::DateTime,
                    Some("http-date") => TimestampFormat::HttpDate,
                    Some(other) => return Err(format!("unknown timestamp format `{other}`")),
                })
            }
            ShapeType::String if !shape.traits.has("smithy.api#enum") => RustType::String,
            ShapeType::String | ShapeType::Enum => {
                self.request(target, Codecs::default());
                RustType::Enum(TypeRef::new(naming::type_name(&self.shape_name(target))))
            }
            ShapeType::List | ShapeType::Set => {
                let item = shape
                    .members
                    .first()
                    .ok_or_else(|| format!("list `{target}` has no member"))?;
                RustType::List {
                    item: Box::new(self.target_type(&item.target, item, codecs, depth + 1)?),
                    sparse: shape.traits.is_sparse(),
                }
            }
            ShapeType::Map => {
                let key = shape
                    .members
                    .iter()
                    .find(|m| m.name == "key")
                    .ok_or_else(|| format!("map `{target}` has no key"))?;
                let value = shape
                    .members
                    .iter()
                    .find(|m| m.name == "value")
                    .ok_or_else(|| format!("map `{target}` has no value"))?;
                let key_ty = self.target_type(&key.target, key, codecs, depth + 1)?;
                if !matches!(key_ty, RustType::String | RustType::Enum(_)) {
                    return Err(format!("map `{target}` has a key that is not a string"));
                }
                RustType::Map {
                    key: Box::new(key_ty),
                    value: Box::new(self.target_type(&value.target, value, codecs, depth + 1)?),
                    sparse: shape.traits.is_sparse(),
                }
            }
            ShapeType::Structure => {
                self.request(target, codecs);
                let name = self.shape_name(target);
                if shape.traits.is_error() {
                    RustType::ErrorStruct(TypeRef::new(naming::error_type_name(&name)))
                } else {
                    RustType::Struct(TypeRef::new(naming::type_name(&name)))
                }
            }
            ShapeType::Union => {
                self.request(target, codecs);
                RustType::Union(TypeRef::new(naming::type_name(&self.shape_name(target))))
            }
            ShapeType::Operation | ShapeType::Service | ShapeType::Resource => {
                return Err(format!("target `{target}` is a {}", shape.ty.as_str()))
            }
        })
    }

    /// A member's value is redacted when the member, its target, or anything a
    /// collection target holds is `@sensitive`.
    fn is_sensitive(&self, member: &Member) -> Result<bool, LowerError> {
        if member.traits.is_sensitive() {
            return Ok(true);
        }
        let mut stack = vec![member.target.clone()];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let shape = self.shape(&id)?;
            if shape.traits.is_sensitive() {
                return Ok(true);
            }
            if matches!(shape.ty, ShapeType::List | ShapeType::Set | ShapeType::Map) {
                for m in &shape.members {
                    if m.traits.is_sensitive() {
                        return Ok(true);
                    }
                    stack.push(m.target.clone());
                }
            }
        }
        Ok(false)
    }

    /// Whether a member of `owner` targeting `target` closes a cycle of
    /// structures and unions that does not pass through a list or map (which
    /// already allocate), so the member must be boxed.
    fn is_recursive(&self, owner: &ShapeId, target: &ShapeId) -> Result<bool, LowerError> {
        let mut stack = vec![target.clone()];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if id == *owner {
                return Ok(true);
            }
            if !seen.insert(id.clone()) {
                continue;
            }
            let shape = self.shape(&id)?;
            if matches!(shape.ty, ShapeType::Structure | ShapeType::Union) {
                stack.extend(shape.members.iter().map(|m| m.target.clone()));
            }
        }
        Ok(false)
    }
}

/// The endpoint rule parameters an operation binds: static values, input
/// members marked `smithy.rules#contextParam`, and paths over the input.
fn endpoint_params(
    op: &Shape,
    model: &Model,
    id: &ShapeId,
) -> Result<EndpointParamsIr, LowerError> {
    let mut params = EndpointParamsIr::default();
    if let Some(statics) = op
        .traits
        .get("smithy.rules#staticContextParams")
        .and_then(Value::as_object)
    {
        for (name, def) in statics {
            let value = match def.get("value") {
                Some(Value::String(s)) => StaticParamValue::String(s.clone()),
                Some(Value::Bool(b)) => StaticParamValue::Bool(*b),
                Some(Value::Array(items)) => StaticParamValue::StringArray(
                    items
                        .iter()
                        .map(|i| i.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| {
                            err(
                                id,
                                None,
                                format!(
                                    "static context parameter `{name}` is not a list of strings"
                                ),
                            )
                        })?,
                ),
                _ => return Err(err(
                    id,
                    None,
                    format!(
                        "static context parameter `{name}` has no string, boolean or list value"
                    ),
                )),
            };
            params.statics.push((name.clone(), value));
        }
    }
    if let Some(paths) = op
        .traits
        .get("smithy.rules#operationContextParams")
        .and_then(Value::as_object)
    {
        for (name, def) in paths {
            let path = def.get("path").and_then(Value::as_str).ok_or_else(|| {
                err(
                    id,
                    None,
                    format!("operation context parameter `{name}` has no path"),
                )
            })?;
            params.paths.push((name.clone(), path.to_owned()));
        }
    }
    if let Some(input) = op.input.as_ref().and_then(|i| model.shape(i)) {
        for member in &input.members {
            if let Some(name) = member
                .traits
                .get("smithy.rules#contextParam")
                .and_then(|c| c.get("name"))
                .and_then(Value::as_str)
            {
                params.members.push((name.to_owned(), member.name.clone()));
            }
        }
    }
    Ok(params)
}

/// Splits a host prefix such as `foo.{label}.` into text and input members.
fn host_prefix(prefix: &str, input: &StructIr) -> Result<HostPrefix, String> {
    let mut parts = Vec::new();
    let mut rest = prefix;
    while let Some(start) = rest.find('{') {
        if start > 0 {
            parts.push(HostPrefixPart::Literal(rest[..start].to_owned()));
        }
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| format!("hostPrefix `{prefix}` has an unclosed label"))?;
        let label = &rest[start + 1..start + end];
        let field = input
            .fields
            .iter()
            .find(|f| f.wire_name == label)
            .ok_or_else(|| format!("hostPrefix label `{label}` is not an input member"))?;
        if field.ty != RustType::String {
            return Err(format!("hostPrefix label `{label}` is not a string member"));
        }
        parts.push(HostPrefixPart::Label {
            field: field.name.clone(),
            wire_name: field.wire_name.clone(),
        });
        rest = &rest[start + end + 1..];
    }
    if !rest.is_empty() {
        parts.push(HostPrefixPart::Literal(rest.to_owned()));
    }
    Ok(HostPrefix { parts })
}

fn operation_part_doc(kind: StructKind, op: &ShapeId) -> String {
    match kind {
        StructKind::Input => format!("The input of the `{}` operation.", op.name),
        _ => format!("The output of the `{}` operation.", op.name),
    }
}

/// Fails when two items map to the same Rust name.
fn check_unique(
    items: impl Iterator<Item = (String, String)>,
    scope: &str,
    what: &str,
) -> Result<(), LowerError> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (rust, source) in items {
        if let Some(previous) = seen.insert(rust.clone(), source.clone()) {
            if previous != source {
                return Err(general(format!(
                    "in {scope}, `{previous}` and `{source}` both become the {what} `{rust}`"
                )));
            }
        }
    }
    Ok(())
}

fn default_value(ty: &RustType, value: &Value) -> Result<DefaultValue, String> {
    let mismatch = || format!("`{value}` does not fit the member's type");
    Ok(match ty {
        RustType::Bool => DefaultValue::Bool(value.as_bool().ok_or_else(mismatch)?),
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
            let n = value.as_i64().ok_or_else(mismatch)?;
            let fits = match ty {
                RustType::I8 => i8::try_from(n).is_ok(),
                RustType::I16 => i16::try_from(n).is_ok(),
                RustType::I32 => i32::try_from(n).is_ok(),
                _ => true,
            };
            if !fits {
                return Err(format!("`{n}` is out of range for the member's type"));
            }
            DefaultValue::Int(n)
        }
        RustType::F32 | RustType::F64 => DefaultValue::Float(value.as_f64().ok_or_else(mismatch)?),
        RustType::String => DefaultValue::String(value.as_str().ok_or_else(mismatch)?.to_owned()),
        RustType::Enum(_) => {
            DefaultValue::EnumValue(value.as_str().ok_or_else(mismatch)?.to_owned())
        }
        RustType::List { .. } if value.as_array().is_some_and(Vec::is_empty) => {
            DefaultValue::EmptyList
        }
        RustType::Map { .. } if value.as_object().is_some_and(|m| m.is_empty()) => {
            DefaultValue::EmptyMap
        }
        RustType::Blob => DefaultValue::Blob(
            decode_base64(value.as_str().ok_or_else(mismatch)?)
                .ok_or_else(|| "blob default is not valid base64".to_owned())?,
        ),
        RustType::DateTime(_) => DefaultValue::Timestamp(value.as_f64().ok_or_else(mismatch)?),
        RustType::Document => DefaultValue::Document(value.clone()),
        _ => return Err(mismatch()),
    })
}

/// Standard base64 with optional padding; `None` when the text is not base64.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Where a `smithy.api#paginated` path starts.
#[derive(Clone, Copy)]
enum PaginatorSide {
    Input,
    Output,
}

impl<'m> Lowerer<'m> {
    /// The paginator of an operation with `smithy.api#paginated`. The
    /// service's own `paginated` trait supplies what the operation's leaves
    /// out; `inputToken` and `pageSize` name top-level input members,
    /// `outputToken` and `items` are paths (`a.b`) into the output.
    fn paginator(
        &mut self,
        id: &ShapeId,
        op: &'m Shape,
        input: &StructIr,
        output: &StructIr,
    ) -> Result<Option<PaginatorIr>, LowerError> {
        let Some(own) = op.traits.paginated() else {
            return Ok(None);
        };
        let defaults = self.service.traits.paginated();
        let setting = |key: &str| -> Result<Option<&'m str>, LowerError> {
            match own.get(key).or_else(|| defaults.and_then(|d| d.get(key))) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.as_str())),
                Some(other) => Err(err(
                    id,
                    None,
                    format!("the paginated trait's `{key}` must be a string, found {other}"),
                )),
            }
        };
        let required = |key: &str| -> Result<&'m str, LowerError> {
            setting(key)?.ok_or_else(|| {
                err(
                    id,
                    None,
                    format!(
                        "the paginated trait has no `{key}`, neither on the operation nor on the service"
                    ),
                )
            })
        };
        let input_token_path = required("inputToken")?;
        let output_token_path = required("outputToken")?;
        let page_size_path = setting("pageSize")?;
        let items_path = setting("items")?;

        let input_token = self.paginator_path(
            id,
            op,
            PaginatorSide::Input,
            input,
            "inputToken",
            input_token_path,
        )?;
        let output_token = self.paginator_path(
            id,
            op,
            PaginatorSide::Output,
            output,
            "outputToken",
            output_token_path,
        )?;
        let [input_token] = <[PaginatorField; 1]>::try_from(input_token).map_err(|_| {
            err(
                id,
                Some(input_token_path),
                "the paginated trait's `inputToken` must name a top-level input member",
            )
        })?;
        let is_token = |ty: &RustType| {
            matches!(ty, RustType::String)
                || matches!(ty, RustType::Map { key, .. } if **key == RustType::String)
        };
        if !is_token(&input_token.ty) {
            return Err(err(
                id,
                Some(input_token_path),
                "the paginated trait's `inputToken` must target a string or a map with string keys",
            ));
        }
        let last_output = output_token.last().map(|f| &f.ty);
        if last_output != Some(&input_token.ty) {
            return Err(err(
                id,
                Some(output_token_path),
                format!(
                    "the paginated trait's `outputToken` must target the same type as `inputToken` (`{input_token_path}`)"
                ),
            ));
        }

        let page_size = match page_size_path {
            None => None,
            Some(path) => {
                let fields =
                    self.paginator_path(id, op, PaginatorSide::Input, input, "pageSize", path)?;
                let [field] = <[PaginatorField; 1]>::try_from(fields).map_err(|_| {
                    err(
                        id,
                        Some(path),
                        "the paginated trait's `pageSize` must name a top-level input member",
                    )
                })?;
                if !matches!(
                    field.ty,
                    RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64
                ) {
                    return Err(err(
                        id,
                        Some(path),
                        "the paginated trait's `pageSize` must target an integer",
                    ));
                }
                Some(field)
            }
        };
        let items = match items_path {
            None => None,
            Some(path) => {
                let fields =
                    self.paginator_path(id, op, PaginatorSide::Output, output, "items", path)?;
                if !matches!(
                    fields.last().map(|f| &f.ty),
                    Some(RustType::List { .. } | RustType::Map { .. })
                ) {
                    return Err(err(
                        id,
                        Some(path),
                        "the paginated trait's `items` must target a list or a map",
                    ));
                }
                Some(fields)
            }
        };

        let method = naming::into_paginator_method();
        if let Some(clash) = input.fields.iter().find(|f| f.name == method) {
            return Err(err(
                id,
                Some(&clash.wire_name),
                format!(
                    "the input member becomes the fluent builder method `{method}`, which the paginator needs"
                ),
            ));
        }
        Ok(Some(PaginatorIr {
            module: naming::paginator_module(),
            type_name: naming::paginator_type(&id.name),
            items_type_name: naming::paginator_items_type(&id.name),
            method,
            input_token,
            output_token,
            page_size,
            items,
        }))
    }

    /// Resolves a dotted member path of a paginated trait against the
    /// operation's input or output, member by member as the structures
    /// declare them; every member but the last must target a structure.
    fn paginator_path(
        &mut self,
        id: &ShapeId,
        op: &'m Shape,
        side: PaginatorSide,
        top: &StructIr,
        key: &str,
        path: &str,
    ) -> Result<Vec<PaginatorField>, LowerError> {
        let (root, what) = match side {
            PaginatorSide::Input => (op.input.as_ref(), "input"),
            PaginatorSide::Output => (op.output.as_ref(), "output"),
        };
        let mut fields: Vec<PaginatorField> = Vec::new();
        let mut owner = root.filter(|t| t.to_string() != UNIT).cloned();
        for (depth, segment) in path.split('.').enumerate() {
            let missing = |owner: &str| {
                err(
                    id,
                    Some(path),
                    format!(
                        "the paginated trait's `{key}` names `{segment}`, which is not a member of {owner}"
                    ),
                )
            };
            let Some(owner_id) = owner.take() else {
                return Err(match fields.last() {
                    None => missing(&format!("the operation's {what}")),
                    Some(previous) => err(
                        id,
                        Some(path),
                        format!(
                            "the paginated trait's `{key}` goes through `{}`, which is not a structure",
                            previous.wire_name
                        ),
                    ),
                });
            };
            let shape = self.shape(&owner_id)?;
            let member = shape
                .member(segment)
                .ok_or_else(|| missing(&format!("`{owner_id}`")))?;
            let field = if depth == 0 {
                top.fields
                    .iter()
                    .find(|f| f.wire_name == segment)
                    .cloned()
                    .ok_or_else(|| missing(&format!("the operation's {what}")))?
            } else {
                let codecs = match side {
                    PaginatorSide::Input => Codecs {
                        ser: true,
                        de: false,
                    },
                    PaginatorSide::Output => Codecs {
                        ser: false,
                        de: true,
                    },
                };
                self.field(shape, member, StructKind::Plain, codecs)?
            };
            if let RustType::Struct(_) = field.ty {
                owner = Some(member.target.clone());
            }
            fields.push(PaginatorField {
                wire_name: field.wire_name,
                name: field.name,
                ty: field.ty,
                optional: field.optional,
                boxed: field.boxed,
            });
        }
        Ok(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn base64_defaults() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("Zm9v").unwrap(), b"foo");
        assert_eq!(decode_base64("Zm9vYg==").unwrap(), b"foob");
        assert!(decode_base64("!!").is_none());
    }
}
