//! Named types: the structures, unions and enums operations reach, requested
//! with the codecs they need and lowered until no new ones are found.

use serde_json::Value;

use crate::ir::*;
use crate::model::{ShapeId, ShapeType};
use crate::naming;

use super::{err, LowerError, Lowerer};

impl<'m> Lowerer<'m> {
    /// Records that the named type `id` needs `codecs`.
    pub(super) fn request(&mut self, id: &ShapeId, codecs: Codecs) {
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

    /// Lowers the named types requested until no new ones are found; codecs
    /// only grow, so a type seen again with more codecs is lowered again.
    /// Only types requested anew are looked at, so a long chain of types is
    /// linear.
    pub(super) fn lower_requested(&mut self) -> Result<(), LowerError> {
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
        Ok(())
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
                    query_code: super::protocol::query_error_code(self.service, shape)?,
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
}
