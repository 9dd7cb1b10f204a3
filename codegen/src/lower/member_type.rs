//! The Rust type of a member's target.

use crate::ir::*;
use crate::model::{Member, Shape, ShapeId, ShapeType};

use super::{err, LowerError, Lowerer};

impl<'m> Lowerer<'m> {
    /// The Rust type of a member's target; named targets are queued for lowering.
    pub(super) fn member_type(
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
                    None => None,
                    Some("epoch-seconds") => Some(TimestampFormat::EpochSeconds),
                    Some("date-time") => Some(TimestampFormat::DateTime),
                    Some("http-date") => Some(TimestampFormat::HttpDate),
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
}
