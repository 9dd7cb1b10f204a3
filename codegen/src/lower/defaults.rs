//! Members' `@default` values, checked against their Rust types.

use serde_json::Value;

use crate::ir::*;

pub(super) fn default_value(ty: &RustType, value: &Value) -> Result<DefaultValue, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_defaults() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("Zm9v").unwrap(), b"foo");
        assert_eq!(decode_base64("Zm9vYg==").unwrap(), b"foob");
        assert!(decode_base64("!!").is_none());
    }
}
