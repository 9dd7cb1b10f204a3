//! Structures and their fields: names, types, whether optional or required,
//! defaults, boxing and redaction.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::ir::*;
use crate::model::{Member, Shape, ShapeType};
use crate::naming;

use super::defaults::default_value;
use super::names::{check_unique, field_names};
use super::{err, protocol, LowerError, Lowerer};

impl<'m> Lowerer<'m> {
    pub(super) fn structure(
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
        // Reading a body matches on the key: two members under one key
        // could not both be read.
        check_unique(
            fields
                .iter()
                .filter(|f| f.location == Location::Body)
                .map(|f| (f.json_key.clone(), f.wire_name.clone())),
            &format!("members of `{}`", shape.id),
            "JSON key",
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

    pub(super) fn field(
        &mut self,
        owner: &Shape,
        member: &Member,
        kind: StructKind,
        codecs: Codecs,
    ) -> Result<FieldIr, LowerError> {
        let mut ty = self.member_type(owner, member, codecs)?;
        let location = match kind {
            StructKind::Plain => Location::Body,
            StructKind::Input | StructKind::Output | StructKind::Error => {
                protocol::location(self.protocol, member)
                    .map_err(|m| err(&owner.id, Some(&member.name), m))?
            }
        };
        let target = self.shape(&member.target)?;
        let byte_stream = ty == RustType::Blob
            && target.traits.is_streaming()
            && self.protocol.binds_http()
            && matches!(kind, StructKind::Input | StructKind::Output);
        if byte_stream && location != Location::Payload {
            return Err(err(
                &owner.id,
                Some(&member.name),
                "the member targets a `@streaming` blob but is not bound to the payload \
                 (`@httpPayload`), as the protocol needs",
            ));
        }
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
        // A stream is never absent: unset, it is empty (as in aws-sdk-rust,
        // whose streamed members are a plain `ByteStream`).
        let default = match byte_stream {
            true => {
                ty = RustType::ByteStream {
                    requires_length: target.traits.has("smithy.api#requiresLength"),
                };
                Some(DefaultValue::Blob(Vec::new()))
            }
            false => default,
        };
        let client_optional = member.traits.is_client_optional();
        // Inputs keep every member optional so that a service may relax a
        // requirement without breaking callers; `build()` checks required ones.
        let optional = match kind {
            _ if byte_stream => false,
            StructKind::Input => true,
            _ => client_optional || (default.is_none() && !required),
        };
        let name = self.field_name(owner, &member.name);
        Ok(FieldIr {
            wire_name: member.name.clone(),
            json_key: protocol::json_key(self.protocol, member),
            location,
            media_type: target
                .traits
                .get("smithy.api#mediaType")
                .and_then(Value::as_str)
                .map(str::to_owned),
            suffix: naming::field_suffix(&name),
            name,
            docs: self.docs_or(member.traits.documentation(), || {
                format!("The `{}` member.", member.name)
            }),
            redact: self.is_sensitive(member)?,
            idempotency_token: member.traits.has("smithy.api#idempotencyToken"),
            boxed: self.is_recursive(&owner.id, &member.target)?,
            ty,
            optional,
            required: required && !byte_stream && !(kind == StructKind::Input && default.is_some()),
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

    /// A member's value is redacted when the member, its target, or anything a
    /// collection target holds is `@sensitive`.
    pub(super) fn is_sensitive(&self, member: &Member) -> Result<bool, LowerError> {
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
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::super::tests::lower_shapes;
    use crate::ir::*;

    /// A one-operation model of `protocol` whose input and output have a
    /// `@streaming` blob member `Body` (bound to the payload when
    /// `payload`), whose target has `@requiresLength` when `requires_length`.
    fn model(protocol: &str, payload: bool, requires_length: bool) -> Value {
        let mut member = json!({"target": "ex#Stream", "traits": {"smithy.api#default": ""}});
        if payload {
            member["traits"]["smithy.api#httpPayload"] = json!({});
        }
        let mut stream = json!({"type": "blob", "traits": {"smithy.api#streaming": {}}});
        if requires_length {
            stream["traits"]["smithy.api#requiresLength"] = json!({});
        }
        json!({
            "ex#Svc": {"type": "service", "operations": [{"target": "ex#Op"}],
                "traits": {protocol: {}}},
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"},
                "output": {"target": "ex#Out"},
                "traits": {"smithy.api#http": {"method": "PUT", "uri": "/op"}}},
            "ex#In": {"type": "structure", "members": {"Body": member.clone()}},
            "ex#Out": {"type": "structure", "members": {"Body": member}},
            "ex#Stream": stream
        })
    }

    #[test]
    fn streamed_payloads_are_byte_streams_never_absent() {
        let service = lower_shapes(model("aws.protocols#restJson1", true, true)).unwrap();
        let op = &service.operations[0];
        assert!(op.streams_input() && op.streams_output());
        assert!(service.has_byte_streams());
        for s in [&op.input, &op.output] {
            let body = &s.fields[0];
            assert_eq!(
                body.ty,
                RustType::ByteStream {
                    requires_length: true
                }
            );
            assert_eq!(body.location, Location::Payload);
            // Unset, a stream is empty: a plain field, never required.
            assert!(!body.optional && !body.required);
            assert_eq!(body.default, Some(DefaultValue::Blob(Vec::new())));
        }
        let service = lower_shapes(model("aws.protocols#restJson1", true, false)).unwrap();
        assert_eq!(
            service.operations[0].input.fields[0].ty,
            RustType::ByteStream {
                requires_length: false
            }
        );
    }

    #[test]
    fn a_stream_outside_the_payload_is_an_error() {
        let err = lower_shapes(model("aws.protocols#restJson1", false, false)).unwrap_err();
        assert_eq!(err.shape.as_deref(), Some("ex#In"));
        assert_eq!(err.member.as_deref(), Some("Body"));
        assert!(err.message.contains("not bound to the payload"), "{err}");
    }

    #[test]
    fn protocols_without_http_bindings_keep_blobs() {
        let service = lower_shapes(model("aws.protocols#awsJson1_1", false, false)).unwrap();
        assert!(!service.has_byte_streams());
        assert_eq!(service.operations[0].input.fields[0].ty, RustType::Blob);
    }

    #[test]
    fn unsigned_payloads_are_noted() {
        let mut shapes = model("aws.protocols#restJson1", true, false);
        shapes["ex#Op"]["traits"]["aws.auth#unsignedPayload"] = json!({});
        let service = lower_shapes(shapes).unwrap();
        assert!(service.operations[0].unsigned_payload);
        let service = lower_shapes(model("aws.protocols#restJson1", true, false)).unwrap();
        assert!(!service.operations[0].unsigned_payload);
    }
}
