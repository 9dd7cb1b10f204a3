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
        Ok(service) => Lowerer::new(model, service).run(selection),
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

/// Below this many operations for each thread, [`Lowerer::operations`]
/// lowers on the calling thread alone.
const MIN_OPERATIONS_PER_THREAD: usize = 8;

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
    /// The cycles of structures and unions (see [`recursive_components`]),
    /// shared with the lowerers of [`Self::operations`].
    components: std::sync::Arc<std::sync::OnceLock<BTreeMap<ShapeId, usize>>>,
    /// Documentation converted to Markdown lines, by its text: the same text
    /// is met again when a structure is lowered again for more codecs, and
    /// an error's documentation once per operation that returns it.
    doc_lines: std::cell::RefCell<std::collections::HashMap<String, Vec<String>>>,
}

impl<'m> Lowerer<'m> {
    fn new(model: &'m Model, service: &'m Shape) -> Self {
        let names = std::sync::Arc::new(Names::new(model, service));
        Lowerer::sharing(model, service, names, Default::default())
    }

    /// A lowerer of `service` with nothing lowered or requested yet, using
    /// `names` and `components` (which lowerers of one service share).
    fn sharing(
        model: &'m Model,
        service: &'m Shape,
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
        }
    }

    /// Lowers the operations `ids`, in order. Each operation lowers on its
    /// own (the named types it needs are only requested, and lowered
    /// afterwards), so a service's operations are shared out between
    /// threads, each lowering with a lowerer of its own whose requests are
    /// then merged into this lowerer's. When operations fail, the error is
    /// that of the first of them in `ids`, as when lowering them in turn.
    fn operations(&mut self, ids: &[ShapeId]) -> Result<Vec<OperationIr>, LowerError> {
        let threads = crate::threads();
        self.operations_on(ids, threads)
    }

    /// [`Self::operations`] on up to `threads` threads.
    fn operations_on(
        &mut self,
        ids: &[ShapeId],
        threads: usize,
    ) -> Result<Vec<OperationIr>, LowerError> {
        let threads = threads.min(ids.len() / MIN_OPERATIONS_PER_THREAD).max(1);
        if threads < 2 {
            return ids.iter().map(|id| self.operation(id)).collect();
        }
        // What a worker shares with this lowerer, which is not `Sync` itself.
        let (model, service) = (self.model, self.service);
        let (names, components) = (&self.names, &self.components);
        let shares = crate::in_shares(threads, |n| {
            let mut worker = Lowerer::sharing(model, service, names.clone(), components.clone());
            let mut done = Vec::new();
            let mut failure = None;
            for (i, id) in ids.iter().enumerate().skip(n).step_by(threads) {
                match worker.operation(id) {
                    Ok(op) => done.push((i, op)),
                    Err(e) => {
                        failure = Some((i, e));
                        break;
                    }
                }
            }
            (done, failure, worker.codecs, worker.doc_lines.into_inner())
        });
        let mut lowered = Vec::with_capacity(ids.len());
        let mut failure: Option<(usize, LowerError)> = None;
        for (done, failed, codecs, doc_lines) in shares {
            lowered.extend(done);
            if let Some((i, e)) = failed {
                if failure.as_ref().is_none_or(|(first, _)| i < *first) {
                    failure = Some((i, e));
                }
            }
            for (id, codecs) in codecs {
                self.request(&id, codecs);
            }
            self.doc_lines.get_mut().extend(doc_lines);
        }
        if let Some((_, e)) = failure {
            return Err(e);
        }
        lowered.sort_by_key(|(i, _)| *i);
        Ok(lowered.into_iter().map(|(_, op)| op).collect())
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
        // One line of text: it lands in documentation and in Cargo.toml.
        let title = docs::one_line(
            service
                .traits
                .get("smithy.api#title")
                .and_then(Value::as_str)
                .unwrap_or(&sdk_id),
        )
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");

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

        let mut operations = self.operations(&op_ids)?;
        operations.sort_by(|a, b| a.module.cmp(&b.module));
        check_unique(
            operations
                .iter()
                .map(|o| (o.module.clone(), o.shape_id.to_string())),
            "operations",
            "client method",
        )?;

        // Lower named types until no new ones are found; codecs only grow, so
        // a type seen again with more codecs is lowered again. Only types
        // requested anew are looked at, so a long chain of types is linear.
        while let Some(id) = self.dirty.pop_first() {
            let codecs = self.codecs.get(&id).copied().unwrap_or_default();
            let done = match (self.types.get(&id), self.errors.get(&id)) {
                (Some(TypeDef::Struct(s)), _) | (_, Some(s)) => s.codecs == codecs,
                (Some(TypeDef::Union(u)), _) => u.codecs == codecs,
                (Some(TypeDef::Enum(_)), _) => true,
                (None, None) => false,
            };
            if !done {
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
            endpoint_rule_params: endpoint_rule_params(service)?,
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
            let type_name = self.names.error(eid);
            errors.push(ErrorRef {
                code: eid.name.clone(),
                module: naming::type_module(&type_name),
                is_fn: naming::is_variant_fn(&type_name),
                summary: self
                    .docs_or(shape.traits.documentation(), || {
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
            module: self.names.operation(id),
            struct_name: naming::operation_struct(&wire_name),
            error_enum: naming::operation_error(&wire_name),
            fluent_builder: naming::fluent_builder(&wire_name),
            docs: self.docs_or(op.traits.documentation(), || {
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
                error: None,
            }),
        }
    }

    /// Records that the named type `id` needs `codecs`.
    fn request(&mut self, id: &ShapeId, codecs: Codecs) {
        let entry = self.codecs.entry(id.clone());
        let new = matches!(entry, std::collections::btree_map::Entry::Vacant(_));
        let entry = entry.or_default();
        let before = *entry;
        entry.ser |= codecs.ser;
        entry.de |= codecs.de;
        if new || *entry != before {
            self.dirty.insert(id.clone());
        }
    }

    fn named_type(&mut self, id: &ShapeId, codecs: Codecs) -> Result<(), LowerError> {
        let shape = self.shape(id)?;
        match shape.ty {
            ShapeType::Structure if shape.traits.is_error() => {
                let type_name = self.names.error(id);
                let module = naming::type_module(&type_name);
                let mut s = self.structure(shape, type_name, module, StructKind::Error, codecs)?;
                let retryable = shape.traits.get("smithy.api#retryable");
                s.error = Some(ErrorTraits {
                    client_fault: shape.traits.error_kind() == Some("client"),
                    retryable: retryable.is_some(),
                    throttling: retryable
                        .and_then(|r| r.get("throttling"))
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                });
                self.errors.insert(id.clone(), s);
            }
            ShapeType::Structure => {
                let type_name = self.names.named_type(id);
                let module = naming::type_module(&type_name);
                let s = self.structure(shape, type_name, module, StructKind::Plain, codecs)?;
                self.types.insert(id.clone(), TypeDef::Struct(s));
            }
            ShapeType::Union => {
                let u = self.union(shape, self.names.named_type(id), codecs)?;
                self.types.insert(id.clone(), TypeDef::Union(u));
            }
            ShapeType::Enum | ShapeType::String => {
                let e = self.enumeration(shape, self.names.named_type(id))?;
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
            docs: self.docs_or(shape.traits.documentation(), || {
                format!("The `{}` structure.", shape.id.name)
            }),
            kind,
            fields,
            sensitive: shape.traits.is_sensitive(),
            codecs,
            error: None,
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
        let name = self.field_name(owner, &member.name);
        Ok(FieldIr {
            wire_name: member.name.clone(),
            suffix: naming::field_suffix(&name),
            name,
            docs: self.docs_or(member.traits.documentation(), || {
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

    /// The field name of a member of `owner`, decided with its siblings.
    fn field_name(&mut self, owner: &Shape, member: &str) -> String {
        self.field_names
            .entry(owner.id.clone())
            .or_insert_with(|| field_names(&owner.members))
            .get(member)
            .cloned()
            .unwrap_or_else(|| naming::field_name(member))
    }

    fn union(
        &mut self,
        shape: &'m Shape,
        name: String,
        codecs: Codecs,
    ) -> Result<UnionIr, LowerError> {
        let mut variants = Vec::new();
        let sources: Vec<&str> = shape.members.iter().map(|m| m.name.as_str()).collect();
        let names = variant_names(&sources, true);
        for (member, variant) in shape.members.iter().zip(names) {
            let unit = member.target.to_string() == UNIT;
            let ty = if unit {
                None
            } else {
                Some(self.member_type(shape, member, codecs)?)
            };
            variants.push(VariantIr {
                wire_name: member.name.clone(),
                is_fn: naming::is_variant_fn(&variant),
                as_fn: naming::as_variant_fn(&variant),
                name: variant,
                docs: self.docs_or(member.traits.documentation(), || {
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
            docs: self.docs_or(shape.traits.documentation(), || {
                format!("The `{}` union.", shape.id.name)
            }),
            variants,
            sensitive: shape.traits.is_sensitive(),
            codecs,
        })
    }

    fn enumeration(&mut self, shape: &Shape, name: String) -> Result<EnumIr, LowerError> {
        // (variant source, wire value, documentation, where it is declared)
        let mut entries: Vec<(&str, &str, Option<&str>, String)> = Vec::new();
        if shape.ty == ShapeType::Enum {
            for member in &shape.members {
                let value = member
                    .traits
                    .enum_value()
                    .and_then(Value::as_str)
                    .unwrap_or(&member.name);
                entries.push((
                    &member.name,
                    value,
                    member.traits.documentation(),
                    format!("member `{}`", member.name),
                ));
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
            for (i, def) in defs.iter().enumerate() {
                let value = def.get("value").and_then(Value::as_str).ok_or_else(|| {
                    err(
                        &shape.id,
                        None,
                        format!("enum trait entry {i} has no string `value`"),
                    )
                })?;
                let source = def.get("name").and_then(Value::as_str).unwrap_or(value);
                let docs = def.get("documentation").and_then(Value::as_str);
                entries.push((source, value, docs, format!("enum trait entry {i}")));
            }
        }
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (_, value, _, at) in &entries {
            if let Some(first) = seen.insert(value, at) {
                return Err(err(
                    &shape.id,
                    None,
                    format!(
                        "the enum value {} of {at} is also the value of {first}",
                        docs::code_span(value)
                    ),
                ));
            }
        }
        let sources: Vec<&str> = entries.iter().map(|e| e.0).collect();
        let values: Vec<EnumValueIr> = entries
            .iter()
            .zip(variant_names(&sources, false))
            .map(|((_, value, doc, _), variant)| EnumValueIr {
                variant,
                value: (*value).to_owned(),
                docs: self.docs_or(*doc, || format!("The {} value.", docs::code_span(value))),
            })
            .collect();
        check_unique(
            values.iter().map(|v| (v.variant.clone(), v.value.clone())),
            &format!("values of `{}`", shape.id),
            "variant name",
        )?;
        Ok(EnumIr {
            shape_id: shape.id.clone(),
            module: naming::type_module(&name),
            name,
            docs: self.docs_or(shape.traits.documentation(), || {
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
                RustType::Enum(TypeRef::new(self.names.named_type(target)))
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
                if shape.traits.is_error() {
                    RustType::ErrorStruct(TypeRef::new(self.names.error(target)))
                } else {
                    RustType::Struct(TypeRef::new(self.names.named_type(target)))
                }
            }
            ShapeType::Union => {
                self.request(target, codecs);
                RustType::Union(TypeRef::new(self.names.named_type(target)))
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
        // The member closes a cycle exactly when its target can reach its
        // owner, that is when both are in one component.
        let components = self
            .components
            .get_or_init(|| recursive_components(self.model));
        Ok(components
            .get(owner)
            .is_some_and(|c| components.get(target) == Some(c)))
    }
}

/// The strongly connected components of the graph whose nodes are the
/// model's structures and unions and whose edges are their members that target
/// another structure or union (lists and maps, which allocate, break cycles):
/// a component number for each shape. Tarjan's algorithm, without recursion,
/// so any depth of nesting is fine.
fn recursive_components(model: &Model) -> BTreeMap<ShapeId, usize> {
    let is_node = |s: &Shape| matches!(s.ty, ShapeType::Structure | ShapeType::Union);
    let nodes: Vec<&Shape> = model.shapes().filter(|s| is_node(s)).collect();
    let number: BTreeMap<&ShapeId, usize> =
        nodes.iter().enumerate().map(|(i, s)| (&s.id, i)).collect();
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|s| {
            s.members
                .iter()
                .filter_map(|m| number.get(&m.target).copied())
                .collect()
        })
        .collect();
    const UNSEEN: usize = usize::MAX;
    let n = nodes.len();
    let (mut index, mut low, mut on_stack) = (vec![UNSEEN; n], vec![0; n], vec![false; n]);
    let mut component = vec![0; n];
    let (mut next_index, mut next_component) = (0, 0);
    let mut stack: Vec<usize> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame: a node and how many of its edges were followed.
        let mut frames: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, followed)) = frames.last() {
            if let Some(&w) = edges[v].get(followed) {
                if let Some(frame) = frames.last_mut() {
                    frame.1 += 1;
                }
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    frames.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    nodes
        .iter()
        .zip(component)
        .map(|(s, c)| (s.id.clone(), c))
        .collect()
}

/// The parameters the service's endpoint rules declare, with their Rust names.
fn endpoint_rule_params(service: &Shape) -> Result<Vec<EndpointRuleParamIr>, LowerError> {
    let Some(params) = service
        .traits
        .get("smithy.rules#endpointRuleSet")
        .and_then(|r| r.get("parameters"))
        .and_then(Value::as_object)
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, def) in params {
        let kind = match def.get("type").and_then(Value::as_str) {
            Some(t) if t.eq_ignore_ascii_case("string") => EndpointParamKind::String,
            Some(t) if t.eq_ignore_ascii_case("boolean") => EndpointParamKind::Bool,
            Some(t) if t.eq_ignore_ascii_case("stringArray") => EndpointParamKind::StringArray,
            other => {
                return Err(err(
                    &service.id,
                    None,
                    format!("endpoint parameter `{name}` has an unknown type {other:?}"),
                ))
            }
        };
        out.push(EndpointRuleParamIr {
            field: naming::field_name(name),
            kind,
            docs: docs_or(def.get("documentation").and_then(Value::as_str), || {
                format!("The `{name}` endpoint parameter.")
            }),
            name: name.clone(),
        });
    }
    check_unique(
        out.iter().map(|p| (p.field.clone(), p.name.clone())),
        &format!("endpoint parameters of `{}`", service.id),
        "field name",
    )?;
    Ok(out)
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
                _ => {
                    return Err(err(
                        id,
                        None,
                        format!(
                        "static context parameter `{name}` has no string, boolean or list value"
                    ),
                    ))
                }
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

/// The Rust names of a service's operations, named types and error
/// structures. They are decided for everything the service can reach, not
/// only for what a selection generates, so a type keeps its name whichever
/// operations are chosen.
struct Names {
    operations: BTreeMap<ShapeId, String>,
    types: BTreeMap<ShapeId, String>,
    errors: BTreeMap<ShapeId, String>,
    rename: BTreeMap<ShapeId, String>,
}

impl Names {
    fn new(model: &Model, service: &Shape) -> Names {
        let operations = model.service_operations(&service.id);
        let mut seen: BTreeSet<ShapeId> = BTreeSet::new();
        let mut stack: Vec<ShapeId> = service.errors.clone();
        for op in operations.iter().filter_map(|id| model.shape(id)) {
            stack.extend(op.errors.iter().cloned());
            for io in [&op.input, &op.output].into_iter().flatten() {
                // Inputs and outputs become operation types; only what their
                // members reach can be a named type.
                if let Some(shape) = model.shape(io) {
                    stack.extend(shape.members.iter().map(|m| m.target.clone()));
                }
            }
        }
        while let Some(id) = stack.pop() {
            if Model::is_prelude(&id) || !seen.insert(id.clone()) {
                continue;
            }
            if let Some(shape) = model.shape(&id) {
                stack.extend(shape.members.iter().map(|m| m.target.clone()));
            }
        }
        let rename = service.rename.clone();
        let source = |id: &ShapeId| rename.get(id).cloned().unwrap_or_else(|| id.name.clone());
        let (mut types, mut errors) = (Vec::new(), Vec::new());
        for id in &seen {
            let Some(shape) = model.shape(id) else {
                continue;
            };
            match shape.ty {
                ShapeType::Structure if shape.traits.is_error() => errors.push(id),
                ShapeType::Structure | ShapeType::Union | ShapeType::Enum => types.push(id),
                ShapeType::String if shape.traits.has("smithy.api#enum") => types.push(id),
                _ => {}
            }
        }
        let named = |ids: Vec<&ShapeId>, name: fn(&str) -> String| {
            let sources: Vec<String> = ids.iter().map(|id| source(id)).collect();
            let picked = allocate(
                sources.len(),
                |i| u8::from(name(&sources[i]) != sources[i]),
                |i, n| {
                    let primary = naming::numbered_camel(&name(&sources[i]), n);
                    let module = naming::type_module(&primary);
                    vec![primary, module]
                },
                BTreeSet::new(),
            );
            ids.into_iter()
                .zip(picked)
                .enumerate()
                .map(|(i, (id, n))| (id.clone(), naming::numbered_camel(&name(&sources[i]), n)))
                .collect::<BTreeMap<_, _>>()
        };
        let types = named(types, naming::type_name);
        let errors = named(errors, naming::error_type_name);
        let picked = allocate(
            operations.len(),
            |i| u8::from(naming::camel(&operations[i].name) != operations[i].name),
            |i, n| {
                let module =
                    naming::numbered_snake(&naming::operation_module(&operations[i].name), n);
                vec![module.trim_start_matches("r#").to_owned()]
            },
            BTreeSet::new(),
        );
        let operations = operations
            .iter()
            .zip(picked)
            .map(|(id, n)| {
                (
                    id.clone(),
                    naming::numbered_snake(&naming::operation_module(&id.name), n),
                )
            })
            .collect();
        Names {
            operations,
            types,
            errors,
            rename,
        }
    }

    /// The model name of a shape after the service's `rename`.
    fn source(&self, id: &ShapeId) -> String {
        self.rename
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.name.clone())
    }

    /// The module (and client method) of an operation.
    fn operation(&self, id: &ShapeId) -> String {
        self.operations
            .get(id)
            .cloned()
            .unwrap_or_else(|| naming::operation_module(&id.name))
    }

    /// The type name of a structure, union or enum under `types`.
    fn named_type(&self, id: &ShapeId) -> String {
        self.types
            .get(id)
            .cloned()
            .unwrap_or_else(|| naming::type_name(&self.source(id)))
    }

    /// The type name of an error structure under `types::error`.
    fn error(&self, id: &ShapeId) -> String {
        self.errors
            .get(id)
            .cloned()
            .unwrap_or_else(|| naming::error_type_name(&self.source(id)))
    }
}

/// Deterministic disambiguation: gives each of `count` items the smallest `n`
/// for which every name `names(item, n)` is still free, and returns the `n`s.
/// Items with the lowest `rank` choose first (a name spelled exactly as in the
/// model ranks before one that casing changed), then items in their order; every
/// item is offered its plain name (`n = 1`) before any item is numbered, so a
/// numbered name never takes the plain name of an item that comes later.
fn allocate(
    count: usize,
    rank: impl Fn(usize) -> u8,
    names: impl Fn(usize, usize) -> Vec<String>,
    mut taken: BTreeSet<String>,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&i| (rank(i), i));
    let mut picked = vec![1; count];
    let mut numbered = Vec::new();
    for &i in &order {
        let wanted = names(i, 1);
        if wanted.iter().all(|name| !taken.contains(name)) {
            taken.extend(wanted);
        } else {
            numbered.push(i);
        }
    }
    // Where the search for a free `n` resumes for items of the same plain
    // name: every smaller `n` was taken when an earlier item chose, and stays
    // taken, so many items of one name do not rescan each other's names.
    let mut resume: BTreeMap<String, usize> = BTreeMap::new();
    for i in numbered {
        let plain = names(i, 1).into_iter().next().unwrap_or_default();
        let start = resume.get(&plain).copied().unwrap_or(2);
        // Names differ for every `n`, so a free one is always found.
        for n in start.. {
            let wanted = names(i, n);
            if wanted.iter().all(|name| !taken.contains(name)) {
                taken.extend(wanted);
                picked[i] = n;
                resume.insert(plain, n + 1);
                break;
            }
        }
    }
    picked
}

/// The field names of a structure's members, by member name. A field also
/// takes its builder's `set_` and `get_` methods, so a member `set_x` cannot
/// take the setter of a member `x`; plain names choose first, then names
/// casing changed, then names starting with `set_` or `get_`.
fn field_names(members: &[Member]) -> BTreeMap<String, String> {
    let plain: Vec<String> = members
        .iter()
        .map(|m| naming::field_name(&m.name))
        .collect();
    let rank = |i: usize| {
        let member = &members[i].name;
        let accessor_like = member.starts_with("set_") || member.starts_with("get_");
        u8::from(accessor_like) * 2 + u8::from(naming::field_suffix(&plain[i]) != *member)
    };
    let names = |i: usize, n: usize| {
        let field = naming::numbered_snake(&plain[i], n);
        let suffix = naming::field_suffix(&field);
        vec![format!("set_{suffix}"), format!("get_{suffix}"), suffix]
    };
    let taken: BTreeSet<String> = naming::generated_methods()
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    let picked = allocate(members.len(), rank, names, taken);
    members
        .iter()
        .zip(plain.iter().zip(picked))
        .map(|(m, (field, n))| (m.name.clone(), naming::numbered_snake(field, n)))
        .collect()
}

/// Variant names for the members of an enum or union, in member order
/// (`sources` are the names variants are made from). Union variants also take
/// their `is_`/`as_` methods.
fn variant_names(sources: &[&str], union: bool) -> Vec<String> {
    let plain: Vec<String> = sources.iter().map(|s| naming::variant_name(s)).collect();
    let rank = |i: usize| u8::from(plain[i] != sources[i]);
    let names = |i: usize, n: usize| {
        let variant = naming::numbered_camel(&plain[i], n);
        if union {
            vec![
                naming::is_variant_fn(&variant),
                naming::as_variant_fn(&variant),
                variant,
            ]
        } else {
            vec![variant]
        }
    };
    let taken: BTreeSet<String> = naming::generated_variant_items()
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    let picked = allocate(sources.len(), rank, names, taken);
    plain
        .iter()
        .zip(picked)
        .map(|(variant, n)| naming::numbered_camel(variant, n))
        .collect()
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
    use super::*;

    /// Lowers a one-service awsJson 1.1 model made of `shapes` (the service
    /// `ex#Svc` with operation `ex#Op` taking an empty `ex#In` is added, each
    /// unless `shapes` defines it).
    fn lower_shapes(shapes: Value) -> Result<ServiceIr, LowerError> {
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

    /// A model of 40 operations; those in `broken` have a host prefix that
    /// is not a string, which lowering rejects.
    fn many_operations(broken: &[usize]) -> Model {
        let mut shapes = serde_json::Map::new();
        let mut ops = Vec::new();
        for n in 0..40 {
            ops.push(serde_json::json!({"target": format!("ex#Op{n}")}));
            let mut op = serde_json::json!({"type": "operation",
                "input": {"target": format!("ex#In{n}")}, "errors": [{"target": "ex#Oops"}]});
            if broken.contains(&n) {
                op["traits"] = serde_json::json!({"smithy.api#endpoint": {"hostPrefix": 5}});
            }
            shapes.insert(format!("ex#Op{n}"), op);
            shapes.insert(
                format!("ex#In{n}"),
                serde_json::json!({"type": "structure", "members": {
                    "Shared": {"target": "ex#Shared"},
                    "Own": {"target": format!("ex#Own{n}")}}}),
            );
            shapes.insert(
                format!("ex#Own{n}"),
                serde_json::json!({"type": "structure",
                    "traits": {"smithy.api#documentation": format!("<p>Own <b>{n}</b>.</p>")}}),
            );
        }
        shapes.insert(
            "ex#Svc".into(),
            serde_json::json!({"type": "service", "operations": ops,
                "traits": {"aws.protocols#awsJson1_1": {}}}),
        );
        shapes.insert("ex#Shared".into(), serde_json::json!({"type": "structure"}));
        shapes.insert(
            "ex#Oops".into(),
            serde_json::json!({"type": "structure",
                "traits": {"smithy.api#error": "client", "smithy.api#documentation": "Oops."}}),
        );
        let text = serde_json::json!({"smithy": "2.0", "shapes": shapes}).to_string();
        Model::load(&[("test.json", &text)]).expect("valid model")
    }

    #[test]
    fn operations_lower_alike_on_any_number_of_threads() {
        let model = many_operations(&[]);
        let service = pick_service(&model, None).expect("one service");
        let ids = model.service_operations(&service.id);
        let lowered = |threads: usize| {
            let mut lowerer = Lowerer::new(&model, service);
            let ops = lowerer.operations_on(&ids, threads).expect("lowers");
            (ops, lowerer.codecs, lowerer.dirty)
        };
        let alone = lowered(1);
        assert_eq!(alone.0.len(), 40);
        // Each input's two members and the error are requested.
        assert_eq!(alone.1.len(), 42);
        for threads in [2, 3, 5] {
            assert!(lowered(threads) == alone, "{threads} threads");
        }
    }

    #[test]
    fn the_first_operation_in_order_that_fails_is_the_error_on_any_number_of_threads() {
        let model = many_operations(&[31, 13]);
        let service = pick_service(&model, None).expect("one service");
        let ids = model.service_operations(&service.id);
        for threads in [1, 2, 3] {
            let e = Lowerer::new(&model, service)
                .operations_on(&ids, threads)
                .unwrap_err();
            assert_eq!(
                e.shape.as_deref(),
                Some("ex#Op13"),
                "{threads} threads: {e}"
            );
        }
    }

    fn input_fields(shapes: Value) -> Vec<(String, String)> {
        let ir = lower_shapes(shapes).expect("lowers");
        ir.operations[0]
            .input
            .fields
            .iter()
            .map(|f| (f.wire_name.clone(), f.name.clone()))
            .collect()
    }

    fn strings(names: &[&str]) -> Value {
        let members: serde_json::Map<String, Value> = names
            .iter()
            .map(|n| {
                (
                    (*n).to_owned(),
                    serde_json::json!({"target": "smithy.api#String"}),
                )
            })
            .collect();
        Value::Object(members)
    }

    #[test]
    fn fields_that_collide_after_casing_are_numbered_deterministically() {
        // (members in model order, expected (member, field) pairs)
        type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
        let cases: &[Case] = &[
            // The member spelled as its field keeps the plain name, wherever it is.
            (
                &["fooBar", "foo_bar"],
                &[("fooBar", "foo_bar_2"), ("foo_bar", "foo_bar")],
            ),
            (
                &["foo_bar", "fooBar"],
                &[("foo_bar", "foo_bar"), ("fooBar", "foo_bar_2")],
            ),
            (
                &["FooBar", "foo_bar_2", "foo_bar"],
                &[
                    ("FooBar", "foo_bar_3"),
                    ("foo_bar_2", "foo_bar_2"),
                    ("foo_bar", "foo_bar"),
                ],
            ),
            // `set_x` would take the setter of `x`.
            (&["set_x", "x"], &[("set_x", "set_x_2"), ("x", "x")]),
            (&["get_y", "y"], &[("get_y", "get_y_2"), ("y", "y")]),
            // Reserved names get `_value`; a member already called that wins.
            (
                &["build", "build_value"],
                &[("build", "build_value_2"), ("build_value", "build_value")],
            ),
            (
                &["meta", "set_meta"],
                &[("meta", "meta_value"), ("set_meta", "set_meta_value_2")],
            ),
            (&["new"], &[("new", "new_value")]),
            // Keywords and a trailing underscore.
            (
                &["type", "type_"],
                &[("type", "r#type"), ("type_", "type_2")],
            ),
            (
                &["self", "self_"],
                &[("self", "self_2"), ("self_", "self_")],
            ),
            (&["_1st", "x"], &[("_1st", "_1st"), ("x", "x")]),
        ];
        for (members, expected) in cases {
            let fields = input_fields(serde_json::json!({
                "ex#In": {"type": "structure", "members": strings(members)}
            }));
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect();
            assert_eq!(fields, expected, "members {members:?}");
        }
    }

    #[test]
    fn field_names_and_their_setters_are_unique() {
        let members = [
            "x",
            "set_x",
            "get_x",
            "set_set_x",
            "fooBar",
            "foo_bar",
            "FOO_BAR_",
            "build",
            "build_value",
            "build_2",
            "meta",
            "meta_value",
            "set_meta",
            "type",
            "r_type",
            "type_",
        ];
        let ir = lower_shapes(serde_json::json!({
            "ex#In": {"type": "structure", "members": strings(&members)}
        }))
        .expect("lowers");
        let mut methods = BTreeSet::new();
        for f in &ir.operations[0].input.fields {
            for name in [
                f.name.trim_start_matches("r#").to_owned(),
                format!("set_{}", f.suffix),
                format!("get_{}", f.suffix),
            ] {
                assert!(methods.insert(name.clone()), "{name} is taken twice");
                assert!(
                    !naming::generated_methods().contains(&name.as_str()),
                    "{name}"
                );
            }
        }
    }

    #[test]
    fn variants_that_collide_are_numbered() {
        let ir = lower_shapes(serde_json::json!({
            "ex#In": {"type": "structure", "members": {
                "e": {"target": "ex#E"}, "l": {"target": "ex#L"}, "u": {"target": "ex#U"}}},
            "ex#E": {"type": "enum", "members": {
                "Unknown": {"target": "smithy.api#Unit"},
                "UnknownValue": {"target": "smithy.api#Unit"},
                "aB": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a-b"}},
                "a_b": {"target": "smithy.api#Unit"}}},
            "ex#L": {"type": "string", "traits": {"smithy.api#enum": [
                {"value": "Unknown"}, {"value": "UNKNOWN"}, {"value": "a-b"}, {"value": "a_b"},
                {"value": "日本"}, {"value": "!!!"}]}},
            "ex#U": {"type": "union", "members": {
                "fooBar": {"target": "smithy.api#String"},
                "foo_bar": {"target": "smithy.api#Integer"},
                "Unknown": {"target": "smithy.api#Unit"}}}
        }))
        .expect("lowers");
        let variants = |name: &str| -> Vec<String> {
            match ir.types.iter().find(|t| t.name() == name) {
                Some(TypeDef::Enum(e)) => e.values.iter().map(|v| v.variant.clone()).collect(),
                Some(TypeDef::Union(u)) => u.variants.iter().map(|v| v.name.clone()).collect(),
                _ => panic!("no enum or union {name}"),
            }
        };
        assert_eq!(
            variants("E"),
            ["UnknownValue2", "UnknownValue", "AB", "AB2"]
        );
        assert_eq!(
            variants("L"),
            [
                "UnknownValue",
                "UnknownValue2",
                "AB",
                "AB2",
                "Empty",
                "Empty2"
            ]
        );
        assert_eq!(variants("U"), ["FooBar", "FooBar2", "UnknownValue"]);
    }

    #[test]
    fn enum_values_must_be_unique() {
        let e = lower_shapes(serde_json::json!({
            "ex#In": {"type": "structure", "members": {"l": {"target": "ex#L"}}},
            "ex#L": {"type": "string", "traits": {"smithy.api#enum": [
                {"value": "a"}, {"value": "b"}, {"value": "a"}]}}
        }))
        .unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("test.json: shape `ex#L`"), "{text}");
        assert!(text.contains("enum trait entry 2"), "{text}");
        assert!(text.contains("enum trait entry 0"), "{text}");
    }

    #[test]
    fn types_operations_and_errors_that_collide_are_numbered() {
        let ir = lower_shapes(serde_json::json!({
            "ex#Svc": {"type": "service", "operations": [
                    {"target": "ex#Op"}, {"target": "ex#GetFooBar"}, {"target": "ex#Get_Foo_Bar"},
                    {"target": "ex#Config"}, {"target": "ex#Type"}],
                "traits": {"aws.protocols#awsJson1_1": {}}},
            "ex#GetFooBar": {"type": "operation"},
            "ex#Get_Foo_Bar": {"type": "operation"},
            "ex#Config": {"type": "operation"},
            "ex#Type": {"type": "operation", "errors": [
                {"target": "ex#BadException"}, {"target": "ex#Bad_Exception"},
                {"target": "ex#Unhandled"}]},
            "ex#In": {"type": "structure", "members": {
                "a": {"target": "ex#Foo_Bar"}, "b": {"target": "ex#FooBar"},
                "c": {"target": "ex#Error"}, "d": {"target": "ex#Self"}}},
            "ex#FooBar": {"type": "structure", "members": {}},
            "ex#Foo_Bar": {"type": "structure", "members": {}},
            "ex#Error": {"type": "structure", "members": {}},
            "ex#Self": {"type": "structure", "members": {}},
            "ex#BadException": {"type": "structure", "traits": {"smithy.api#error": "client"}},
            "ex#Bad_Exception": {"type": "structure", "traits": {"smithy.api#error": "client"}},
            "ex#Unhandled": {"type": "structure", "traits": {"smithy.api#error": "server"}}
        }))
        .expect("lowers");
        let types: Vec<(&str, &str)> = ir.types.iter().map(|t| (t.name(), t.module())).collect();
        assert_eq!(
            types,
            [
                ("ErrorValue", "_error_value"),
                ("FooBar", "_foo_bar"),
                ("FooBar2", "_foo_bar2"),
                ("SelfValue", "_self_value"),
            ]
        );
        let foo_bar2 = ir.types.iter().find(|t| t.name() == "FooBar2").unwrap();
        assert!(matches!(foo_bar2, TypeDef::Struct(s) if s.shape_id.name == "Foo_Bar"));
        let modules: Vec<&str> = ir.operations.iter().map(|o| o.module.as_str()).collect();
        assert_eq!(
            modules,
            [
                "config_operation",
                "get_foo_bar",
                "get_foo_bar_2",
                "op",
                "r#type"
            ]
        );
        let errors: Vec<&str> = ir.errors.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(errors, ["BadException", "BadException2", "UnhandledValue"]);
    }

    #[test]
    fn names_do_not_depend_on_the_selected_operations() {
        let shapes = serde_json::json!({
            "ex#Svc": {"type": "service", "operations": [{"target": "ex#Op"}, {"target": "ex#Other"}],
                "traits": {"aws.protocols#awsJson1_1": {}}},
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"}},
            "ex#Other": {"type": "operation", "input": {"target": "ex#OtherIn"}},
            "ex#OtherIn": {"type": "structure", "members": {"a": {"target": "ex#FooBar"}}},
            "ex#In": {"type": "structure", "members": {"a": {"target": "ex#Foo_Bar"}}},
            "ex#FooBar": {"type": "structure", "members": {}},
            "ex#Foo_Bar": {"type": "structure", "members": {}}
        });
        let text = serde_json::json!({"smithy": "2.0", "shapes": shapes}).to_string();
        let model = Model::load(&[("test.json", &text)]).expect("valid model");
        let only_op = Selection {
            operations: vec!["Op".to_owned()],
            ..Selection::default()
        };
        let ir = lower(&model, &only_op).expect("lowers");
        let names: Vec<&str> = ir.types.iter().map(TypeDef::name).collect();
        assert_eq!(names, ["FooBar2"]);
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

    #[test]
    fn base64_defaults() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("Zm9v").unwrap(), b"foo");
        assert_eq!(decode_base64("Zm9vYg==").unwrap(), b"foob");
        assert!(decode_base64("!!").is_none());
    }
}
