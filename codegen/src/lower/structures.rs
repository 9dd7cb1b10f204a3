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
        let location = match kind {
            StructKind::Plain => Location::Body,
            StructKind::Input | StructKind::Output | StructKind::Error => {
                protocol::location(self.protocol, member)
                    .map_err(|m| err(&owner.id, Some(&member.name), m))?
            }
        };
        Ok(FieldIr {
            wire_name: member.name.clone(),
            json_key: protocol::json_key(self.protocol, member),
            location,
            media_type: self
                .shape(&member.target)?
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
