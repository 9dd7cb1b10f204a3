//! Operations: input, output and errors, auth, request compression and the
//! host prefix (and, from their own modules, paginators and waiters).

use serde_json::Value;

use crate::ir::*;
use crate::model::{ShapeId, ShapeType};
use crate::naming;

use super::auth;
use super::customize;
use super::endpoint_params::endpoint_params;
use super::names::check_unique;
use super::{err, protocol, LowerError, Lowerer, UNIT};

impl<'m> Lowerer<'m> {
    pub(super) fn operation(&mut self, id: &ShapeId) -> Result<OperationIr, LowerError> {
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
        let auth =
            auth::operation_auth(self.model, self.service, op).map_err(|m| err(id, None, m))?;
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
        let http =
            protocol::http_binding(self.protocol, op, &input).map_err(|m| err(id, None, m))?;
        let customizations = customize::request_customizations(&self.service.id, id, &input)?;
        Ok(OperationIr {
            http,
            customizations,
            auth,
            request_compression,
            checksum_required: op.traits.has("smithy.api#httpChecksumRequired"),
            unsigned_payload: op.traits.has("aws.auth#unsignedPayload"),
            input_fills: Vec::new(),
            request_headers: Vec::new(),
            body_hashes: Vec::new(),
            endpoint_params,
            host_prefix,
            paginator: self.paginator(id, op, &input, &output)?,
            waiters: self.waiters(id, op, &input, &output)?,
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
