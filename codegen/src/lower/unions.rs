//! Unions and their variants.

use crate::ir::*;
use crate::model::Shape;
use crate::naming;

use super::names::{check_unique, variant_names};
use super::{protocol, LowerError, Lowerer, UNIT};

impl<'m> Lowerer<'m> {
    pub(super) fn union(
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
                json_key: protocol::json_key(self.protocol, member),
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
}
