//! Types as the report writes them: as a user reads them in the generated
//! crate (`Option<Vec<types::Tag>>`), and never with what does not change the
//! Rust type (a timestamp's wire format).

use crate::ir::{FieldIr, RustType};

/// A member's type, as its struct field declares it.
pub fn field_type(field: &FieldIr) -> String {
    let stored = stored_type(field);
    if field.optional {
        format!("Option<{stored}>")
    } else {
        stored
    }
}

/// A member's type inside its `Option`: what its builder stores.
pub fn stored_type(field: &FieldIr) -> String {
    let ty = type_name(&field.ty);
    if field.boxed {
        format!("Box<{ty}>")
    } else {
        ty
    }
}

pub fn type_name(ty: &RustType) -> String {
    match ty {
        RustType::String => "String".to_owned(),
        RustType::Bool => "bool".to_owned(),
        RustType::I8 => "i8".to_owned(),
        RustType::I16 => "i16".to_owned(),
        RustType::I32 => "i32".to_owned(),
        RustType::I64 => "i64".to_owned(),
        RustType::F32 => "f32".to_owned(),
        RustType::F64 => "f64".to_owned(),
        RustType::Blob => "Blob".to_owned(),
        RustType::ByteStream { .. } => "ByteStream".to_owned(),
        RustType::DateTime(_) => "DateTime".to_owned(),
        RustType::Document => "Document".to_owned(),
        RustType::BigInteger => "BigInteger".to_owned(),
        RustType::BigDecimal => "BigDecimal".to_owned(),
        RustType::Enum(t) | RustType::Struct(t) | RustType::Union(t) => {
            format!("types::{}", t.name)
        }
        RustType::ErrorStruct(t) => format!("types::error::{}", t.name),
        RustType::List { item, sparse } => {
            let item = type_name(item);
            if *sparse {
                format!("Vec<Option<{item}>>")
            } else {
                format!("Vec<{item}>")
            }
        }
        RustType::Map { key, value, sparse } => {
            let (key, value) = (type_name(key), type_name(value));
            if *sparse {
                format!("HashMap<{key}, Option<{value}>>")
            } else {
                format!("HashMap<{key}, {value}>")
            }
        }
    }
}

/// The named types `ty` mentions (`types::X` and `types::error::X`), by name.
pub fn named_types<'a>(ty: &'a RustType, out: &mut Vec<&'a str>) {
    match ty {
        RustType::Enum(t) | RustType::Struct(t) | RustType::Union(t) | RustType::ErrorStruct(t) => {
            out.push(&t.name)
        }
        RustType::List { item, .. } => named_types(item, out),
        RustType::Map { key, value, .. } => {
            named_types(key, out);
            named_types(value, out);
        }
        _ => {}
    }
}
