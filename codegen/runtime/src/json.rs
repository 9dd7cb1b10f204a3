//! Helpers for generated JSON serializers and deserializers.
//!
//! Generated serializers write request bodies straight through a
//! [`JsonWriter`]; generated deserializers read [`serde_json::Value`] trees.
//! Most members take one line each: [`JsonWriter::member`] and [`read`] go
//! by the member's Rust type through [`WriteJson`] and [`ReadJson`].
//! These helpers cover the Smithy types whose JSON form needs care:
//! non-finite floats, blobs, timestamps, documents, big numbers and
//! range-checked integers.
//!
//! Every `de_*` function takes the value and a `path` naming where it sits in
//! the document (used only in error messages) and returns `Ok(None)` for JSON
//! `null`, so optional members need no special casing.
//!
//! Error messages name the path and the JSON type found, never the value: a
//! member may be `@sensitive`, and these functions cannot tell.

use serde_json::{Map, Number as JsonNumber, Value};

use crate::error::{DeserializeError, SerializeError};
use crate::primitives::{BigDecimal, BigInteger, Blob, DateTime, DateTimeFormat, Document, Number};

// ---------------------------------------------------------------------------
// Serialization
// ---------------------------------------------------------------------------

/// The double nearest to the shortest decimal that reads back as `value`.
fn widen_f32(value: f32) -> f64 {
    if !value.is_finite() {
        return f64::from(value);
    }
    // `f32`'s `Display` is the shortest round-tripping decimal, which always
    // parses as an `f64`.
    value.to_string().parse::<f64>().unwrap_or(f64::from(value))
}

/// The JSON number of a timestamp with fractional seconds, from its
/// `EpochSeconds` text.
fn epoch_seconds_number(value: &DateTime, text: &str) -> Result<JsonNumber, SerializeError> {
    // Parsing the exact decimal text gives the double nearest to it, which
    // JSON then prints back as that same short text.
    text.parse::<f64>()
        .ok()
        .and_then(JsonNumber::from_f64)
        .ok_or_else(|| SerializeError::new(format!("timestamp {value:?} is not a finite number")))
}

/// Serializes a big integer as a JSON number when it fits in 64 bits, else
/// as a string of its digits.
pub fn ser_big_integer(value: &BigInteger) -> Value {
    let text: &str = value.as_ref();
    if let Ok(n) = text.parse::<i64>() {
        return Value::from(n);
    }
    if let Ok(n) = text.parse::<u64>() {
        return Value::from(n);
    }
    Value::String(text.to_owned())
}

/// Serializes a big decimal as a JSON number when a double holds it exactly,
/// else as a string.
pub fn ser_big_decimal(value: &BigDecimal) -> Value {
    let text: &str = value.as_ref();
    if let Ok(double) = text.parse::<f64>() {
        if double.is_finite() {
            // `BigDecimal` equality is numeric, so this checks that the double
            // is exactly the decimal's value.
            let exact = double
                .to_string()
                .parse::<BigDecimal>()
                .is_ok_and(|back| &back == value);
            if exact {
                if let Some(number) = JsonNumber::from_f64(double) {
                    return Value::Number(number);
                }
            }
        }
    }
    Value::String(text.to_owned())
}

/// Encodes a value as a request body: compact JSON, byte for byte what
/// `value.to_string()` writes, straight into a buffer about the right size.
pub fn to_body(value: &Value) -> Vec<u8> {
    let mut body = Vec::with_capacity(encoded_size_hint(value));
    write_value(&mut body, value);
    body
}

/// About how many bytes `value` takes as compact JSON (exact unless strings
/// need escaping or numbers are long), so that [`to_body`] allocates once.
fn encoded_size_hint(value: &Value) -> usize {
    match value {
        Value::Null => 4,
        Value::Bool(_) => 5,
        Value::Number(_) => 20,
        Value::String(s) => s.len() + 2,
        Value::Array(items) => {
            2 + items
                .iter()
                .map(|v| encoded_size_hint(v) + 1)
                .sum::<usize>()
        }
        Value::Object(members) => {
            2 + members
                .iter()
                .map(|(k, v)| k.len() + 4 + encoded_size_hint(v))
                .sum::<usize>()
        }
    }
}

/// Writes JSON straight into a request body, as generated serializers ask:
/// compact, byte for byte what serde_json's compact serializer writes for
/// the same value, with no tree of [`Value`]s built first.
///
/// Objects and arrays are written as `begin_*`, then each member as
/// [`JsonWriter::key`] (or each element as [`JsonWriter::item`]) followed by
/// its value, then `end_*`; the separators come by themselves.
#[derive(Debug, Default, Clone)]
pub struct JsonWriter {
    out: Vec<u8>,
}

impl JsonWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty writer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        JsonWriter {
            out: Vec::with_capacity(capacity),
        }
    }

    /// What was written.
    pub fn as_bytes(&self) -> &[u8] {
        &self.out
    }

    /// What was written, as a body.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// A `,` unless this is the first member or element of its object or
    /// array (or the first value): a value never ends with `{` or `[`.
    fn separate(&mut self) {
        if !matches!(self.out.last(), None | Some(b'{' | b'[')) {
            self.out.push(b',');
        }
    }

    /// Starts an object.
    pub fn begin_object(&mut self) {
        self.out.push(b'{');
    }

    /// Ends the object begun last.
    pub fn end_object(&mut self) {
        self.out.push(b'}');
    }

    /// Starts an array.
    pub fn begin_array(&mut self) {
        self.out.push(b'[');
    }

    /// Ends the array begun last.
    pub fn end_array(&mut self) {
        self.out.push(b']');
    }

    /// Starts the member `key` of the current object; its value is written next.
    pub fn key(&mut self, key: &str) {
        self.separate();
        write_string(&mut self.out, key);
        self.out.push(b':');
    }

    /// Starts the member `name` of the current object, a name that needs no
    /// escaping (letters, digits and `_`, as Smithy member names are), so it
    /// is copied as is; its value is written next. Other names go through
    /// [`JsonWriter::key`].
    pub fn field(&mut self, name: &str) {
        debug_assert!(
            name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
            "{name:?} is not a plain member name"
        );
        self.separate();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    /// Starts the next element of the current array; its value is written next.
    pub fn item(&mut self) {
        self.separate();
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    /// Writes a boolean.
    pub fn bool(&mut self, value: bool) {
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    /// Writes a string, escaped as serde_json escapes it.
    pub fn string(&mut self, value: &str) {
        write_string(&mut self.out, value);
    }

    /// Writes an integer.
    pub fn integer(&mut self, value: i64) {
        self.number(&JsonNumber::from(value));
    }

    /// Writes a JSON number as serde_json formats it.
    fn number(&mut self, number: &JsonNumber) {
        // Writing to memory cannot fail.
        let _ = serde_json::to_writer(&mut self.out, number);
    }

    /// Writes a double; NaN and the infinities, which JSON numbers cannot
    /// express, as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`.
    pub fn f64(&mut self, value: f64) {
        match JsonNumber::from_f64(value) {
            Some(number) => self.number(&number),
            None if value.is_nan() => self.out.extend_from_slice(b"\"NaN\""),
            None if value > 0.0 => self.out.extend_from_slice(b"\"Infinity\""),
            None => self.out.extend_from_slice(b"\"-Infinity\""),
        }
    }

    /// Writes a float with the shortest decimal that reads back as the same
    /// `f32` (so `0.1f32` is written `0.1`, not `0.10000000149011612`).
    pub fn f32(&mut self, value: f32) {
        self.f64(widen_f32(value));
    }

    /// Writes a blob as standard base64 with padding.
    pub fn blob(&mut self, value: &Blob) {
        // Base64 needs no escaping.
        self.out.push(b'"');
        self.out
            .extend_from_slice(aws_smithy_types::base64::encode(value.as_ref()).as_bytes());
        self.out.push(b'"');
    }

    /// Writes a timestamp in the given format: `EpochSeconds` as a number (an
    /// integer when there are no fractional seconds), the others as strings.
    pub fn timestamp(
        &mut self,
        value: &DateTime,
        format: DateTimeFormat,
    ) -> Result<(), SerializeError> {
        let text = value
            .fmt(format)
            .map_err(|err| SerializeError::new(format!("timestamp {value:?}: {err}")))?;
        if format != DateTimeFormat::EpochSeconds {
            self.string(&text);
        } else if !value.has_subsec_nanos() {
            self.integer(value.secs());
        } else {
            let number = epoch_seconds_number(value, &text)?;
            self.number(&number);
        }
        Ok(())
    }

    /// Writes a document.
    pub fn document(&mut self, value: &Document) {
        match value {
            Document::Object(map) => {
                self.begin_object();
                for (key, value) in map {
                    self.key(key);
                    self.document(value);
                }
                self.end_object();
            }
            Document::Array(items) => {
                self.begin_array();
                for item in items {
                    self.item();
                    self.document(item);
                }
                self.end_array();
            }
            Document::Number(Number::PosInt(n)) => self.number(&JsonNumber::from(*n)),
            Document::Number(Number::NegInt(n)) => self.integer(*n),
            Document::Number(Number::Float(n)) => self.f64(*n),
            Document::String(s) => self.string(s),
            Document::Bool(b) => self.bool(*b),
            Document::Null => self.null(),
        }
    }

    /// Writes a big integer (see [`ser_big_integer`]).
    pub fn big_integer(&mut self, value: &BigInteger) {
        self.value(&ser_big_integer(value));
    }

    /// Writes a big decimal (see [`ser_big_decimal`]).
    pub fn big_decimal(&mut self, value: &BigDecimal) {
        self.value(&ser_big_decimal(value));
    }

    /// Writes a [`Value`].
    pub fn value(&mut self, value: &Value) {
        write_value(&mut self.out, value);
    }
}

impl JsonWriter {
    /// Writes the member `name` (a plain name, as for [`JsonWriter::field`])
    /// with `value`.
    #[inline]
    pub fn member<T: WriteJson + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), SerializeError> {
        self.field(name);
        value.write_json(self)
    }

    /// Writes the member `name` with `value` when it is set; an unset
    /// optional member is left out.
    #[inline]
    pub fn opt_member<T: WriteJson>(
        &mut self,
        name: &str,
        value: &Option<T>,
    ) -> Result<(), SerializeError> {
        match value {
            Some(value) => self.member(name, value),
            None => Ok(()),
        }
    }
}

// ---------------------------------------------------------------------------
// Writing and reading by type
// ---------------------------------------------------------------------------

/// A value with one awsJson form, written by [`JsonWriter::member`].
///
/// Implemented for every Smithy simple type (timestamps as epoch seconds, the
/// protocol's default), for lists and maps of such values, and by generated
/// crates for their structures, unions and enums. A member whose type needs
/// another form (a timestamp with `@timestampFormat`) is written field by
/// field instead.
pub trait WriteJson {
    /// Writes the value as the next JSON value of `w`.
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), SerializeError>;
}

/// A value read from its awsJson form: the counterpart of [`WriteJson`].
/// `null` reads as `None`.
pub trait ReadJson: Sized {
    /// Reads `value`, found at `path` (named in errors only).
    fn read_json(value: &Value, path: &str) -> Result<Option<Self>, DeserializeError>;
}

/// Reads `value` (at `path`) as a `T`; `null` reads as `None`.
#[inline]
pub fn read<T: ReadJson>(value: &Value, path: &str) -> Result<Option<T>, DeserializeError> {
    T::read_json(value, path)
}

/// Reads `value` (at `path`) into a builder's field; `null` leaves `None`.
#[inline]
pub fn read_slot<T: ReadJson>(
    slot: &mut Option<T>,
    value: &Value,
    path: &str,
) -> Result<(), DeserializeError> {
    *slot = T::read_json(value, path)?;
    Ok(())
}

/// Reads `value` (at `path`) into a builder's field with `read`, a function
/// of the value and its path used instead of [`ReadJson`] (a timestamp in a
/// non-default format, say).
#[inline]
pub fn read_slot_with<T>(
    slot: &mut Option<T>,
    value: &Value,
    path: &str,
    read: impl FnOnce(&Value, &str) -> Result<Option<T>, DeserializeError>,
) -> Result<(), DeserializeError> {
    *slot = read(value, path)?;
    Ok(())
}

/// A builder that reads the members of a JSON object, one key at a time:
/// [`de_builder!`](crate::de_builder) implements it with one `match` on the
/// key. The default skips every key (a structure with no body members).
pub trait ReadMembers: Default {
    /// Reads the member `key` (also its path in errors); keys the structure
    /// does not have are skipped.
    #[inline]
    fn read_member(&mut self, key: &str, value: &Value) -> Result<(), DeserializeError> {
        let _ = (key, value);
        Ok(())
    }
}

/// Reads a JSON object into a new builder, member by member; `null` gives
/// `None`, and any other value than an object an error at `path`.
#[inline]
pub fn de_builder<B: ReadMembers>(
    value: &Value,
    path: &str,
) -> Result<Option<B>, DeserializeError> {
    let Some(object) = de_object(value, path)? else {
        return Ok(None);
    };
    let mut builder = B::default();
    for (key, value) in object {
        builder.read_member(key, value)?;
    }
    Ok(Some(builder))
}

/// A response body read into a builder: [`parse_body`], then
/// [`de_builder`]; a `null` body gives the empty builder.
#[inline]
pub fn body_builder<B: ReadMembers>(body: &[u8]) -> Result<B, DeserializeError> {
    Ok(de_builder(&parse_body(body)?, "")?.unwrap_or_default())
}

/// A structure read as a member: its builder read with [`de_builder`],
/// then built. One call in each structure's
/// [`read_json!`](crate::read_json), which leaves the compiler less to
/// check there.
#[inline]
pub fn read_built<B: ReadMembers, T>(
    value: &Value,
    path: &str,
    build: impl FnOnce(B) -> T,
) -> Result<Option<T>, DeserializeError> {
    Ok(de_builder(value, path)?.map(build))
}

/// [`read_built`] for a structure whose `finish` fills the required members
/// the object left out, and can fail.
#[inline]
pub fn read_finished<B: ReadMembers, T>(
    value: &Value,
    path: &str,
    finish: impl FnOnce(B, &str) -> Result<T, DeserializeError>,
) -> Result<Option<T>, DeserializeError> {
    de_builder(value, path)?
        .map(|builder| finish(builder, path))
        .transpose()
}

macro_rules! json_form {
    ($($ty:ty: |$v:ident, $w:ident| $write:expr, $read:expr;)*) => {$(
        impl WriteJson for $ty {
            #[inline]
            fn write_json(&self, $w: &mut JsonWriter) -> Result<(), SerializeError> {
                let $v = self;
                $write;
                Ok(())
            }
        }
        impl ReadJson for $ty {
            #[inline]
            fn read_json(value: &Value, path: &str) -> Result<Option<Self>, DeserializeError> {
                $read(value, path)
            }
        }
    )*};
}

json_form! {
    String: |v, w| w.string(v), de_string;
    bool: |v, w| w.bool(*v), de_bool;
    i8: |v, w| w.integer(i64::from(*v)), de_i8;
    i16: |v, w| w.integer(i64::from(*v)), de_i16;
    i32: |v, w| w.integer(i64::from(*v)), de_i32;
    i64: |v, w| w.integer(*v), de_i64;
    f32: |v, w| w.f32(*v), de_f32;
    f64: |v, w| w.f64(*v), de_f64;
    Blob: |v, w| w.blob(v), de_blob;
    Document: |v, w| w.document(v), de_document;
    BigInteger: |v, w| w.big_integer(v), de_big_integer;
    BigDecimal: |v, w| w.big_decimal(v), de_big_decimal;
    DateTime: |v, w| w.timestamp(v, DateTimeFormat::EpochSeconds)?, de_epoch_seconds;
}

fn de_epoch_seconds(value: &Value, path: &str) -> Result<Option<DateTime>, DeserializeError> {
    de_timestamp(value, path, DateTimeFormat::EpochSeconds)
}

/// A dense list; read with [`de_list`] (`null` items dropped). A sparse list
/// is a `Vec<Option<T>>`, whose items keep `null` as `None`.
impl<T: WriteJson> WriteJson for Vec<T> {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), SerializeError> {
        w.begin_array();
        for item in self {
            w.item();
            item.write_json(w)?;
        }
        w.end_array();
        Ok(())
    }
}

impl<T: ReadJson> ReadJson for Vec<T> {
    #[inline]
    fn read_json(value: &Value, path: &str) -> Result<Option<Self>, DeserializeError> {
        de_list(value, path, T::read_json)
    }
}

/// A map with string or string-enum keys; read with [`de_map`] (entries whose
/// value is `null` dropped, unless the values are `Option`s: a sparse map).
impl<K: AsRef<str>, V: WriteJson, S> WriteJson for std::collections::HashMap<K, V, S> {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), SerializeError> {
        w.begin_object();
        for (key, value) in self {
            w.key(key.as_ref());
            value.write_json(w)?;
        }
        w.end_object();
        Ok(())
    }
}

impl<K, V> ReadJson for std::collections::HashMap<K, V>
where
    K: for<'a> From<&'a str> + Eq + std::hash::Hash,
    V: ReadJson,
{
    #[inline]
    fn read_json(value: &Value, path: &str) -> Result<Option<Self>, DeserializeError> {
        de_map(value, path, |key: &str| K::from(key), V::read_json)
    }
}

/// An item of a sparse list or map: `None` is written and read as `null`.
impl<T: WriteJson> WriteJson for Option<T> {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), SerializeError> {
        match self {
            Some(value) => value.write_json(w),
            None => {
                w.null();
                Ok(())
            }
        }
    }
}

impl<T: ReadJson> ReadJson for Option<T> {
    #[inline]
    fn read_json(value: &Value, path: &str) -> Result<Option<Self>, DeserializeError> {
        Ok(Some(T::read_json(value, path)?))
    }
}

/// A member boxed to break a recursive cycle.
impl<T: WriteJson + ?Sized> WriteJson for Box<T> {
    #[inline]
    fn write_json(&self, w: &mut JsonWriter) -> Result<(), SerializeError> {
        (**self).write_json(w)
    }
}

impl<T: ReadJson> ReadJson for Box<T> {
    #[inline]
    fn read_json(value: &Value, path: &str) -> Result<Option<Self>, DeserializeError> {
        Ok(T::read_json(value, path)?.map(Box::new))
    }
}

/// The JSON form `ser` writes of `value`, read back as a [`Value`]: for
/// code that inspects a serialized input, such as generated endpoint tests.
pub fn to_value<T>(
    value: &T,
    ser: fn(&T, &mut JsonWriter) -> Result<(), SerializeError>,
) -> Result<Value, SerializeError> {
    let mut writer = JsonWriter::new();
    ser(value, &mut writer)?;
    serde_json::from_slice(writer.as_bytes())
        .map_err(|err| SerializeError::new(format!("the serialized input is not JSON: {err}")))
}

/// Writes `value` as serde_json's compact serializer does.
fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => {
            // serde_json's own formatting of numbers; writing to memory
            // cannot fail.
            let _ = serde_json::to_writer(&mut *out, number);
        }
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_value(out, item);
            }
            out.push(b']');
        }
        Value::Object(members) => {
            out.push(b'{');
            for (index, (key, item)) in members.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_string(out, key);
                out.push(b':');
                write_value(out, item);
            }
            out.push(b'}');
        }
    }
}

/// Writes `s` as a JSON string with serde_json's escapes: `\"`, `\\`, the
/// short escapes of `\b`, `\t`, `\n`, `\f` and `\r`, and `\u00xx` (lower-case
/// hex) for the other control characters. Blocks of 16 bytes are checked
/// for anything to escape at once (a loop the compiler vectorizes), and runs
/// without any are copied whole.
fn write_string(out: &mut Vec<u8>, s: &str) {
    const BLOCK: usize = 16;
    let bytes = s.as_bytes();
    out.push(b'"');
    let mut run_start = 0;
    for (block_index, block) in bytes.chunks(BLOCK).enumerate() {
        // The last block padded with a byte that needs no escape.
        let mut padded = [b' '; BLOCK];
        padded[..block.len()].copy_from_slice(block);
        let mut escapes = false;
        for byte in padded {
            escapes |= byte < 0x20 || byte == b'"' || byte == b'\\';
        }
        if !escapes {
            continue;
        }
        for (offset, &byte) in block.iter().enumerate() {
            let short = match byte {
                b'"' => b'"',
                b'\\' => b'\\',
                0x08 => b'b',
                0x09 => b't',
                0x0A => b'n',
                0x0C => b'f',
                0x0D => b'r',
                0x00..=0x1F => b'u',
                _ => continue,
            };
            let at = block_index * BLOCK + offset;
            out.extend_from_slice(&bytes[run_start..at]);
            run_start = at + 1;
            if short == b'u' {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xF)],
                ]);
            } else {
                out.extend_from_slice(&[b'\\', short]);
            }
        }
    }
    out.extend_from_slice(&bytes[run_start..]);
    out.push(b'"');
}

// ---------------------------------------------------------------------------
// Deserialization
// ---------------------------------------------------------------------------

static NULL: Value = Value::Null;

/// The member `key` of `object`, or `null` when it is absent, so that absent
/// and `null` members read the same through the `de_*` functions.
pub fn field<'a>(object: &'a Map<String, Value>, key: &str) -> &'a Value {
    object.get(key).unwrap_or(&NULL)
}

/// The JSON type name of a value, for error messages.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn unexpected(path: &str, expected: &str, found: &Value) -> DeserializeError {
    DeserializeError::new(
        path,
        format!("expected {expected}, found {}", type_name(found)),
    )
}

/// Parses a response body. An empty (or all-whitespace) body reads as an
/// empty object, since services may omit the body of an output with no members.
pub fn parse_body(body: &[u8]) -> Result<Value, DeserializeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    serde_json::from_slice(body)
        .map_err(|err| DeserializeError::new("", format!("invalid JSON body: {err}")))
}

/// Reads a string.
pub fn de_string(value: &Value, path: &str) -> Result<Option<String>, DeserializeError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(unexpected(path, "string", other)),
    }
}

/// Reads a string enum's value: a string, kept as `Unknown` when the enum
/// does not know it.
#[inline]
pub fn de_enum<T: for<'a> From<&'a str>>(
    value: &Value,
    path: &str,
) -> Result<Option<T>, DeserializeError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(T::from(s.as_str()))),
        other => Err(unexpected(path, "string", other)),
    }
}

/// Reads a boolean.
pub fn de_bool(value: &Value, path: &str) -> Result<Option<bool>, DeserializeError> {
    match value {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        other => Err(unexpected(path, "boolean", other)),
    }
}

/// Reads an integer and checks that it fits in `T`.
fn de_integer<T>(value: &Value, path: &str, type_label: &str) -> Result<Option<T>, DeserializeError>
where
    T: TryFrom<i64> + TryFrom<u64>,
{
    let number = match value {
        Value::Null => return Ok(None),
        Value::Number(number) => number,
        other => return Err(unexpected(path, type_label, other)),
    };
    let fitted = if let Some(n) = number.as_i64() {
        T::try_from(n).ok()
    } else if let Some(n) = number.as_u64() {
        T::try_from(n).ok()
    } else {
        return Err(DeserializeError::new(
            path,
            format!("expected {type_label}, found a non-integer number"),
        ));
    };
    fitted.map(Some).ok_or_else(|| {
        DeserializeError::new(path, format!("number is out of range for {type_label}"))
    })
}

/// Reads a byte (`i8`); out-of-range numbers are errors.
pub fn de_i8(value: &Value, path: &str) -> Result<Option<i8>, DeserializeError> {
    de_integer(value, path, "byte")
}

/// Reads a short (`i16`); out-of-range numbers are errors.
pub fn de_i16(value: &Value, path: &str) -> Result<Option<i16>, DeserializeError> {
    de_integer(value, path, "short")
}

/// Reads an integer (`i32`); out-of-range numbers are errors.
pub fn de_i32(value: &Value, path: &str) -> Result<Option<i32>, DeserializeError> {
    de_integer(value, path, "integer")
}

/// Reads a long (`i64`); out-of-range numbers are errors.
pub fn de_i64(value: &Value, path: &str) -> Result<Option<i64>, DeserializeError> {
    de_integer(value, path, "long")
}

/// Reads a double. Besides numbers, accepts the strings `"NaN"`,
/// `"Infinity"` and `"-Infinity"`.
pub fn de_f64(value: &Value, path: &str) -> Result<Option<f64>, DeserializeError> {
    match value {
        Value::Null => Ok(None),
        Value::Number(number) => number
            .as_f64()
            .map(Some)
            .ok_or_else(|| DeserializeError::new(path, "number is not a double")),
        Value::String(s) => match s.as_str() {
            "NaN" => Ok(Some(f64::NAN)),
            "Infinity" => Ok(Some(f64::INFINITY)),
            "-Infinity" => Ok(Some(f64::NEG_INFINITY)),
            _ => Err(DeserializeError::new(
                path,
                "expected number, NaN, Infinity or -Infinity, found another string",
            )),
        },
        other => Err(unexpected(path, "number", other)),
    }
}

/// Reads a float like [`de_f64`]; finite numbers too large for an `f32` are errors.
pub fn de_f32(value: &Value, path: &str) -> Result<Option<f32>, DeserializeError> {
    let Some(double) = de_f64(value, path)? else {
        return Ok(None);
    };
    // Narrowing is the intent: the wire carries a 32-bit float.
    let single = double as f32;
    if double.is_finite() && !single.is_finite() {
        return Err(DeserializeError::new(
            path,
            "number is out of range for float",
        ));
    }
    Ok(Some(single))
}

/// Reads a blob from a base64 string.
pub fn de_blob(value: &Value, path: &str) -> Result<Option<Blob>, DeserializeError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => aws_smithy_types::base64::decode(s)
            .map(|bytes| Some(Blob::new(bytes)))
            .map_err(|err| DeserializeError::new(path, format!("invalid base64: {err}"))),
        other => Err(unexpected(path, "base64 string", other)),
    }
}

/// Reads a timestamp in the given format. `EpochSeconds` accepts integer and
/// fractional numbers; `DateTime` (RFC 3339, offsets accepted) and
/// `HttpDate` accept strings.
pub fn de_timestamp(
    value: &Value,
    path: &str,
    format: DateTimeFormat,
) -> Result<Option<DateTime>, DeserializeError> {
    match (value, format) {
        (Value::Null, _) => Ok(None),
        (Value::Number(number), DateTimeFormat::EpochSeconds) => {
            if let Some(secs) = number.as_i64() {
                return Ok(Some(DateTime::from_secs(secs)));
            }
            // Reading the decimal text keeps `1398796238.123` at exactly
            // 123 milliseconds; going through `f64` arithmetic would not.
            if let Ok(parsed) = DateTime::from_str(&number.to_string(), format) {
                return Ok(Some(parsed));
            }
            match number.as_f64() {
                Some(secs) if secs.is_finite() && secs.abs() < 1e17 => {
                    Ok(Some(DateTime::from_secs_f64(secs)))
                }
                _ => Err(DeserializeError::new(
                    path,
                    "number is out of range for a timestamp",
                )),
            }
        }
        (Value::String(s), DateTimeFormat::DateTime | DateTimeFormat::DateTimeWithOffset) => {
            DateTime::from_str(s, DateTimeFormat::DateTimeWithOffset)
                .map(Some)
                .map_err(|err| {
                    DeserializeError::new(path, format!("invalid date-time string: {err}"))
                })
        }
        (Value::String(s), DateTimeFormat::HttpDate) => {
            DateTime::from_str(s, DateTimeFormat::HttpDate)
                .map(Some)
                .map_err(|err| {
                    DeserializeError::new(path, format!("invalid http-date string: {err}"))
                })
        }
        (other, DateTimeFormat::EpochSeconds) => Err(unexpected(path, "epoch seconds", other)),
        (other, _) => Err(unexpected(path, "timestamp string", other)),
    }
}

/// Reads any JSON value as a document. `null` reads as `None`; `null`s
/// nested inside arrays and objects are kept as [`Document::Null`].
pub fn de_document(value: &Value, _path: &str) -> Result<Option<Document>, DeserializeError> {
    if value.is_null() {
        return Ok(None);
    }
    Ok(Some(value_to_document(value)))
}

fn value_to_document(value: &Value) -> Document {
    match value {
        Value::Null => Document::Null,
        Value::Bool(b) => Document::Bool(*b),
        Value::Number(number) => Document::Number(if let Some(n) = number.as_u64() {
            Number::PosInt(n)
        } else if let Some(n) = number.as_i64() {
            Number::NegInt(n)
        } else {
            Number::Float(number.as_f64().unwrap_or(f64::NAN))
        }),
        Value::String(s) => Document::String(s.clone()),
        Value::Array(items) => Document::Array(items.iter().map(value_to_document).collect()),
        Value::Object(map) => Document::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), value_to_document(value)))
                .collect(),
        ),
    }
}

/// Reads a big integer from a JSON integer or a string of digits.
///
/// Integers beyond 64 bits arrive through JSON numbers as doubles, so their
/// low digits may be lost; services that need them exact send strings.
pub fn de_big_integer(value: &Value, path: &str) -> Result<Option<BigInteger>, DeserializeError> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::Number(number) => {
            if number.is_i64() || number.is_u64() {
                number.to_string()
            } else {
                match number.as_f64() {
                    Some(double) if double.is_finite() && double.fract() == 0.0 => {
                        format!("{double:.0}")
                    }
                    _ => {
                        return Err(DeserializeError::new(
                            path,
                            "expected big integer, found a non-integer number",
                        ))
                    }
                }
            }
        }
        Value::String(s) => s.clone(),
        other => return Err(unexpected(path, "big integer", other)),
    };
    // The parse error quotes the text, which may be secret.
    text.parse::<BigInteger>()
        .map(Some)
        .map_err(|_| DeserializeError::new(path, "invalid big integer"))
}

/// Reads a big decimal from a JSON number or a numeric string.
pub fn de_big_decimal(value: &Value, path: &str) -> Result<Option<BigDecimal>, DeserializeError> {
    let text = match value {
        Value::Null => return Ok(None),
        Value::Number(number) => number.to_string(),
        Value::String(s) => s.clone(),
        other => return Err(unexpected(path, "big decimal", other)),
    };
    text.parse::<BigDecimal>()
        .map(Some)
        .map_err(|_| DeserializeError::new(path, "invalid big decimal"))
}

/// Reads an object (a structure, a union or a map).
pub fn de_object<'a>(
    value: &'a Value,
    path: &str,
) -> Result<Option<&'a Map<String, Value>>, DeserializeError> {
    match value {
        Value::Null => Ok(None),
        Value::Object(map) => Ok(Some(map)),
        other => Err(unexpected(path, "object", other)),
    }
}

/// Reads an array (a list).
pub fn de_array<'a>(
    value: &'a Value,
    path: &str,
) -> Result<Option<&'a Vec<Value>>, DeserializeError> {
    match value {
        Value::Null => Ok(None),
        Value::Array(items) => Ok(Some(items)),
        other => Err(unexpected(path, "array", other)),
    }
}

/// Reads a dense list: `null` items are dropped, as Smithy asks of clients.
pub fn de_list<T>(
    value: &Value,
    path: &str,
    mut item: impl FnMut(&Value, &str) -> Result<Option<T>, DeserializeError>,
) -> Result<Option<Vec<T>>, DeserializeError> {
    let Some(items) = de_array(value, path)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(items.len());
    for (index, v) in items.iter().enumerate() {
        if let Some(read) = item(v, path).map_err(|e| e.within(path, index))? {
            out.push(read);
        }
    }
    Ok(Some(out))
}

/// Reads a sparse list: `null` items are kept as `None`.
pub fn de_sparse_list<T>(
    value: &Value,
    path: &str,
    mut item: impl FnMut(&Value, &str) -> Result<Option<T>, DeserializeError>,
) -> Result<Option<Vec<Option<T>>>, DeserializeError> {
    let Some(items) = de_array(value, path)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(items.len());
    for (index, v) in items.iter().enumerate() {
        out.push(item(v, path).map_err(|e| e.within(path, index))?);
    }
    Ok(Some(out))
}

/// Reads a dense map: entries whose value is `null` are dropped.
pub fn de_map<K: Eq + std::hash::Hash, T>(
    value: &Value,
    path: &str,
    key: impl Fn(&str) -> K,
    mut item: impl FnMut(&Value, &str) -> Result<Option<T>, DeserializeError>,
) -> Result<Option<std::collections::HashMap<K, T>>, DeserializeError> {
    let Some(object) = de_object(value, path)? else {
        return Ok(None);
    };
    let mut out = std::collections::HashMap::with_capacity(object.len());
    for (k, v) in object {
        if let Some(read) = item(v, k)? {
            out.insert(key(k), read);
        }
    }
    Ok(Some(out))
}

/// Reads a sparse map: entries whose value is `null` are kept as `None`.
pub fn de_sparse_map<K: Eq + std::hash::Hash, T>(
    value: &Value,
    path: &str,
    key: impl Fn(&str) -> K,
    mut item: impl FnMut(&Value, &str) -> Result<Option<T>, DeserializeError>,
) -> Result<Option<std::collections::HashMap<K, Option<T>>>, DeserializeError> {
    let Some(object) = de_object(value, path)? else {
        return Ok(None);
    };
    let mut out = std::collections::HashMap::with_capacity(object.len());
    for (k, v) in object {
        out.insert(key(k), item(v, k)?);
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::HashMap;

    #[test]
    fn bodies_are_what_serde_json_writes() {
        let mut strings: Vec<String> = vec![
            String::new(),
            "plain".into(),
            "exactly8".into(),
            "sixteen bytes ok".into(),
            "quote \" and backslash \\ and slash /".into(),
            "\u{7f} \u{80} é ü 日本語 🦀 \u{2028}".into(),
            "\u{8}\t\n\u{b}\u{c}\r\u{1b}\u{1f} \u{0}".into(),
        ];
        // Every ASCII byte at every position of a word, and across words.
        for byte in 0u8..0x80 {
            for at in [0, 3, 7, 8, 13, 15, 16, 17, 31, 32, 40] {
                let mut s = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF".to_owned();
                s.insert(at, char::from(byte));
                strings.push(s);
            }
        }
        for s in &strings {
            let value = json!({ s.as_str(): [s, 1, -2, 3.25, 1e300, u64::MAX, null, true, false] });
            assert_eq!(to_body(&value), value.to_string().into_bytes(), "{s:?}");
            let value = Value::String(s.clone());
            assert_eq!(to_body(&value), value.to_string().into_bytes(), "{s:?}");
        }
        for value in [
            json!(null),
            json!({}),
            json!([]),
            json!({"a": {}, "b": [[]], "c": {"d": [{"e": 0.1}]}}),
            json!(-0.0),
            json!(i64::MIN),
        ] {
            assert_eq!(to_body(&value), value.to_string().into_bytes());
        }
    }

    /// What `write` writes.
    fn written(write: impl FnOnce(&mut JsonWriter)) -> String {
        let mut writer = JsonWriter::new();
        write(&mut writer);
        String::from_utf8(writer.into_bytes()).expect("UTF-8")
    }

    /// What `write` wrote, read back as a JSON value.
    fn written_value(write: impl FnOnce(&mut JsonWriter)) -> Value {
        serde_json::from_str(&written(write)).expect("JSON")
    }

    #[test]
    fn the_writer_writes_what_serde_json_writes() {
        let text = written(|w| {
            w.begin_object();
            w.key("S");
            w.string("quote \" backslash \\ control \u{1} tab \t é 🦀");
            w.key("Empty");
            w.begin_object();
            w.end_object();
            w.key("EmptyList");
            w.begin_array();
            w.end_array();
            w.key("Nested");
            w.begin_array();
            w.item();
            w.begin_array();
            w.end_array();
            w.item();
            w.begin_object();
            w.key("a");
            w.null();
            w.end_object();
            w.item();
            w.integer(i64::MIN);
            w.item();
            w.integer(7);
            w.end_array();
            w.field("T");
            w.bool(true);
            w.key("F");
            w.bool(false);
            w.key("k\"ey");
            w.f64(0.1);
            w.end_object();
        });
        // Members in the order written; strings as serde_json escapes them.
        let expected = format!(
            r#"{{"S":{},"Empty":{{}},"EmptyList":[],"Nested":[[],{{"a":null}},{},7],"T":true,"F":false,{}:0.1}}"#,
            json!("quote \" backslash \\ control \u{1} tab \t é 🦀"),
            i64::MIN,
            json!("k\"ey"),
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn the_writer_writes_each_type_as_json_has_it() {
        for (double, text) in [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.5, "1.5"),
            (-2.25e-300, "-2.25e-300"),
            (1e300, "1e+300"),
            (f64::NAN, "\"NaN\""),
            (f64::INFINITY, "\"Infinity\""),
            (f64::NEG_INFINITY, "\"-Infinity\""),
        ] {
            assert_eq!(written(|w| w.f64(double)), text);
        }
        for (float, text) in [
            (0.1f32, "0.1"),
            (3.25, "3.25"),
            (1e30, "1e+30"),
            (-7.0e-20, "-7e-20"),
            (f32::NAN, "\"NaN\""),
            (f32::INFINITY, "\"Infinity\""),
            (f32::NEG_INFINITY, "\"-Infinity\""),
        ] {
            assert_eq!(written(|w| w.f32(float)), text);
        }
        for integer in [0, -1, i64::MAX, i64::MIN] {
            assert_eq!(written(|w| w.integer(integer)), integer.to_string());
        }
        let blob = Blob::new(b"binary\x00\xff data".to_vec());
        assert_eq!(
            written(|w| w.blob(&blob)),
            json!(aws_smithy_types::base64::encode(blob.as_ref())).to_string()
        );
        let times = [
            DateTime::from_secs(1_700_000_000),
            DateTime::from_secs_f64(1_700_000_000.25),
            DateTime::from_secs(-1),
        ];
        let expected = [
            [
                "1700000000",
                "\"2023-11-14T22:13:20Z\"",
                "\"Tue, 14 Nov 2023 22:13:20 GMT\"",
            ],
            [
                "1700000000.25",
                "\"2023-11-14T22:13:20.25Z\"",
                "\"Tue, 14 Nov 2023 22:13:20 GMT\"",
            ],
            [
                "-1",
                "\"1969-12-31T23:59:59Z\"",
                "\"Wed, 31 Dec 1969 23:59:59 GMT\"",
            ],
        ];
        for (time, texts) in times.iter().zip(expected) {
            for (format, text) in [
                DateTimeFormat::EpochSeconds,
                DateTimeFormat::DateTime,
                DateTimeFormat::HttpDate,
            ]
            .into_iter()
            .zip(texts)
            {
                let mut writer = JsonWriter::new();
                writer.timestamp(time, format).expect("formats");
                assert_eq!(String::from_utf8(writer.into_bytes()).unwrap(), text);
            }
        }
        let document = Document::Object(
            [
                ("n".to_owned(), Document::Null),
                (
                    "list".to_owned(),
                    Document::Array(vec![
                        Document::Number(Number::PosInt(u64::MAX)),
                        Document::Number(Number::NegInt(-3)),
                        Document::Number(Number::Float(f64::NAN)),
                        Document::Number(Number::Float(0.5)),
                        Document::String("s\n".to_owned()),
                        Document::Bool(true),
                        Document::Object(HashMap::new()),
                    ]),
                ),
            ]
            .into_iter()
            .collect(),
        );
        // A document's object is a hash map: its members come in no set order.
        let text = written(|w| w.document(&document));
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            json!({"n": null, "list": [u64::MAX, -3, "NaN", 0.5, "s\n", true, {}]})
        );
        for text in [
            "12",
            "-9223372036854775809",
            "18446744073709551615",
            "1e400",
        ] {
            let big = text.parse::<BigInteger>();
            if let Ok(big) = big {
                assert_eq!(
                    written(|w| w.big_integer(&big)),
                    ser_big_integer(&big).to_string()
                );
            }
        }
        for text in ["0.5", "0.1", "1e400", "-3"] {
            let big = text.parse::<BigDecimal>().expect("a decimal");
            assert_eq!(
                written(|w| w.big_decimal(&big)),
                ser_big_decimal(&big).to_string()
            );
        }
        assert_eq!(
            written(|w| w.value(&json!({"a": [1, "b"]}))),
            r#"{"a":[1,"b"]}"#
        );
    }

    #[test]
    fn inputs_read_back_as_values() {
        fn ser(value: &(&str, i64), w: &mut JsonWriter) -> Result<(), SerializeError> {
            w.begin_object();
            w.key(value.0);
            w.integer(value.1);
            w.end_object();
            Ok(())
        }
        assert_eq!(to_value(&("Limit", 5), ser).unwrap(), json!({"Limit": 5}));
        fn fails(_: &(), _: &mut JsonWriter) -> Result<(), SerializeError> {
            Err(SerializeError::new("no"))
        }
        assert!(to_value(&(), fails).is_err());
    }

    #[test]
    fn non_finite_doubles_round_trip_as_strings() {
        assert!(de_f64(&json!("NaN"), "d").unwrap().unwrap().is_nan());
        assert_eq!(
            de_f64(&json!("Infinity"), "d").unwrap(),
            Some(f64::INFINITY)
        );
        assert_eq!(
            de_f64(&json!("-Infinity"), "d").unwrap(),
            Some(f64::NEG_INFINITY)
        );
        assert!(de_f32(&json!("NaN"), "f").unwrap().unwrap().is_nan());
        assert_eq!(
            de_f32(&json!("-Infinity"), "f").unwrap(),
            Some(f32::NEG_INFINITY)
        );
        assert_eq!(de_f64(&json!(2), "d").unwrap(), Some(2.0));
        assert_eq!(de_f64(&json!(-0.25), "d").unwrap(), Some(-0.25));

        let err = de_f64(&json!("nan"), "Out.ratio").unwrap_err();
        assert_eq!(err.path(), "Out.ratio");
        let err = de_f64(&json!(true), "Out.ratio").unwrap_err();
        assert_eq!(err.to_string(), "Out.ratio: expected number, found boolean");
    }

    #[test]
    fn floats_serialize_with_their_shortest_decimal() {
        assert_eq!(written(|w| w.f32(0.1)), "0.1");
        assert_eq!(de_f32(&json!(0.1), "f").unwrap(), Some(0.1f32));
        let err = de_f32(&json!(1e300), "Out.f").unwrap_err();
        assert_eq!(err.path(), "Out.f");
        assert!(err.message().contains("out of range"), "{err}");
    }

    #[test]
    fn epoch_seconds_serialize_as_integer_or_fraction() {
        let epoch = |time: DateTime| {
            let mut writer = JsonWriter::new();
            writer
                .timestamp(&time, DateTimeFormat::EpochSeconds)
                .unwrap();
            String::from_utf8(writer.into_bytes()).unwrap()
        };
        assert_eq!(epoch(DateTime::from_secs(1398796238)), "1398796238");
        assert_eq!(
            epoch(DateTime::from_secs_and_nanos(1398796238, 123_000_000)),
            "1398796238.123"
        );
        assert_eq!(
            epoch(DateTime::from_secs_and_nanos(-2, 500_000_000)),
            "-1.5"
        );
    }

    #[test]
    fn epoch_seconds_deserialize_from_integer_or_fraction() {
        let parsed = de_timestamp(&json!(1398796238), "t", DateTimeFormat::EpochSeconds)
            .unwrap()
            .unwrap();
        assert_eq!(parsed, DateTime::from_secs(1398796238));

        let parsed = de_timestamp(&json!(1398796238.123), "t", DateTimeFormat::EpochSeconds)
            .unwrap()
            .unwrap();
        assert_eq!(parsed.secs(), 1398796238);
        assert_eq!(parsed.subsec_nanos(), 123_000_000);

        let parsed = de_timestamp(&json!(-1.5), "t", DateTimeFormat::EpochSeconds)
            .unwrap()
            .unwrap();
        assert_eq!(parsed, DateTime::from_secs_and_nanos(-2, 500_000_000));

        // Round trip through the serializer.
        let original = DateTime::from_secs_and_nanos(1_700_000_000, 250_000_000);
        let value = written_value(|w| {
            w.timestamp(&original, DateTimeFormat::EpochSeconds)
                .unwrap()
        });
        let back = de_timestamp(&value, "t", DateTimeFormat::EpochSeconds)
            .unwrap()
            .unwrap();
        assert_eq!(back, original);

        let err = de_timestamp(
            &json!("1398796238"),
            "Out.when",
            DateTimeFormat::EpochSeconds,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Out.when: expected epoch seconds, found string"
        );
        assert_eq!(
            de_timestamp(&Value::Null, "t", DateTimeFormat::EpochSeconds).unwrap(),
            None
        );
    }

    #[test]
    fn string_timestamps() {
        let t = DateTime::from_secs_and_nanos(1576540098, 520_000_000);
        let value = written_value(|w| w.timestamp(&t, DateTimeFormat::DateTime).unwrap());
        assert_eq!(value, json!("2019-12-16T23:48:18.52Z"));
        assert_eq!(
            de_timestamp(&value, "t", DateTimeFormat::DateTime).unwrap(),
            Some(t)
        );
        // Offsets are accepted when reading.
        let offset = de_timestamp(
            &json!("2019-12-17T00:48:18.52+01:00"),
            "t",
            DateTimeFormat::DateTime,
        )
        .unwrap();
        assert_eq!(offset, Some(t));

        let t = DateTime::from_secs(1576540098);
        let value = written_value(|w| w.timestamp(&t, DateTimeFormat::HttpDate).unwrap());
        assert_eq!(value, json!("Mon, 16 Dec 2019 23:48:18 GMT"));
        assert_eq!(
            de_timestamp(&value, "t", DateTimeFormat::HttpDate).unwrap(),
            Some(t)
        );

        let err =
            de_timestamp(&json!("yesterday"), "Out.at", DateTimeFormat::DateTime).unwrap_err();
        assert_eq!(err.path(), "Out.at");
        let err = de_timestamp(&json!(5), "Out.at", DateTimeFormat::HttpDate).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Out.at: expected timestamp string, found number"
        );
    }

    #[test]
    fn unrepresentable_timestamp_is_a_serialize_error() {
        // Year 10000 cannot be written as RFC 3339.
        let far = DateTime::from_secs(253_402_300_800);
        assert!(JsonWriter::new()
            .timestamp(&far, DateTimeFormat::DateTime)
            .is_err());
        assert!(JsonWriter::new()
            .timestamp(&far, DateTimeFormat::EpochSeconds)
            .is_ok());
    }

    #[test]
    fn blobs_use_padded_standard_base64() {
        let value = written_value(|w| w.blob(&Blob::new(b"hi?>".to_vec())));
        assert_eq!(value, json!("aGk/Pg=="));
        let back = de_blob(&value, "b").unwrap().unwrap();
        assert_eq!(back.as_ref(), b"hi?>");
        assert_eq!(written_value(|w| w.blob(&Blob::new(Vec::new()))), json!(""));
        assert_eq!(de_blob(&Value::Null, "b").unwrap(), None);
        let err = de_blob(&json!("not base64!"), "Out.data").unwrap_err();
        assert_eq!(err.path(), "Out.data");
        assert!(err.message().starts_with("invalid base64"), "{err}");
    }

    #[test]
    fn null_reads_as_none_everywhere() {
        let null = Value::Null;
        assert_eq!(de_string(&null, "p").unwrap(), None);
        assert_eq!(de_bool(&null, "p").unwrap(), None);
        assert_eq!(de_i8(&null, "p").unwrap(), None);
        assert_eq!(de_i16(&null, "p").unwrap(), None);
        assert_eq!(de_i32(&null, "p").unwrap(), None);
        assert_eq!(de_i64(&null, "p").unwrap(), None);
        assert_eq!(de_f32(&null, "p").unwrap(), None);
        assert_eq!(de_f64(&null, "p").unwrap(), None);
        assert_eq!(de_document(&null, "p").unwrap(), None);
        assert_eq!(de_big_integer(&null, "p").unwrap(), None);
        assert_eq!(de_big_decimal(&null, "p").unwrap(), None);
        assert_eq!(de_object(&null, "p").unwrap(), None);
        assert_eq!(de_array(&null, "p").unwrap(), None);

        let object = json!({"present": "x", "nulled": null});
        let map = de_object(&object, "o").unwrap().unwrap();
        assert_eq!(
            de_string(field(map, "present"), "o.present").unwrap(),
            Some("x".into())
        );
        assert_eq!(de_string(field(map, "nulled"), "o.nulled").unwrap(), None);
        assert_eq!(de_string(field(map, "absent"), "o.absent").unwrap(), None);
    }

    #[test]
    fn scalars_and_type_mismatches() {
        assert_eq!(de_string(&json!("s"), "p").unwrap(), Some("s".to_owned()));
        assert_eq!(de_bool(&json!(false), "p").unwrap(), Some(false));
        let err = de_string(&json!(1), "Out.name").unwrap_err();
        assert_eq!(err.to_string(), "Out.name: expected string, found number");
        let err = de_bool(&json!("true"), "Out.flag").unwrap_err();
        assert_eq!(err.to_string(), "Out.flag: expected boolean, found string");
        let err = de_object(&json!([]), "Out").unwrap_err();
        assert_eq!(err.to_string(), "Out: expected object, found array");
        let err = de_array(&json!({}), "Out.items").unwrap_err();
        assert_eq!(err.to_string(), "Out.items: expected array, found object");
        assert_eq!(de_array(&json!([1, 2]), "p").unwrap().unwrap().len(), 2);
    }

    #[test]
    fn integers_are_range_checked() {
        assert_eq!(de_i8(&json!(127), "p").unwrap(), Some(127));
        assert_eq!(de_i8(&json!(-128), "p").unwrap(), Some(-128));
        let err = de_i8(&json!(128), "Out.small").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Out.small: number is out of range for byte"
        );
        assert_eq!(de_i16(&json!(-32768), "p").unwrap(), Some(-32768));
        assert!(de_i16(&json!(40000), "p").is_err());
        assert_eq!(de_i32(&json!(2147483647), "p").unwrap(), Some(i32::MAX));
        let err = de_i32(&json!(2147483648u64), "Out.count").unwrap_err();
        assert_eq!(err.path(), "Out.count");
        assert!(err.message().contains("out of range for integer"), "{err}");
        assert_eq!(de_i64(&json!(i64::MIN), "p").unwrap(), Some(i64::MIN));
        let err = de_i64(&json!(u64::MAX), "Out.big").unwrap_err();
        assert_eq!(err.to_string(), "Out.big: number is out of range for long");
        let err = de_i32(&json!(1.5), "Out.count").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Out.count: expected integer, found a non-integer number"
        );
        let err = de_i64(&json!("5"), "Out.n").unwrap_err();
        assert_eq!(err.to_string(), "Out.n: expected long, found string");
    }

    #[test]
    fn documents_round_trip() {
        let value = json!({
            "name": "x",
            "n": 3,
            "neg": -4,
            "f": 2.5,
            "list": [true, null, "s"],
            "nested": {"empty": {}}
        });
        let document = de_document(&value, "doc").unwrap().unwrap();
        let Document::Object(map) = &document else {
            panic!("expected object, got {document:?}");
        };
        assert_eq!(map["n"], Document::Number(Number::PosInt(3)));
        assert_eq!(map["neg"], Document::Number(Number::NegInt(-4)));
        assert_eq!(map["f"], Document::Number(Number::Float(2.5)));
        assert_eq!(
            map["list"],
            Document::Array(vec![
                Document::Bool(true),
                Document::Null,
                Document::String("s".into())
            ])
        );
        assert_eq!(
            map["nested"],
            Document::Object(HashMap::from([(
                "empty".to_owned(),
                Document::Object(HashMap::new())
            )]))
        );
        assert_eq!(written_value(|w| w.document(&document)), value);
    }

    #[test]
    fn big_numbers() {
        let small: BigInteger = "-42".parse().unwrap();
        assert_eq!(ser_big_integer(&small), json!(-42));
        let unsigned: BigInteger = "18446744073709551615".parse().unwrap();
        assert_eq!(ser_big_integer(&unsigned), json!(u64::MAX));
        let huge: BigInteger = "123456789012345678901234567890".parse().unwrap();
        assert_eq!(
            ser_big_integer(&huge),
            json!("123456789012345678901234567890")
        );

        let exact: BigDecimal = "2.5".parse().unwrap();
        assert_eq!(ser_big_decimal(&exact), json!(2.5));
        let inexact: BigDecimal = "0.1000000000000000000001".parse().unwrap();
        assert_eq!(ser_big_decimal(&inexact), json!("0.1000000000000000000001"));

        let read = de_big_integer(&json!(-42), "p").unwrap().unwrap();
        assert_eq!(AsRef::<str>::as_ref(&read), "-42");
        let read = de_big_integer(&json!("123456789012345678901234567890"), "p")
            .unwrap()
            .unwrap();
        assert_eq!(read, huge);
        let read = de_big_integer(&json!(1e20), "p").unwrap().unwrap();
        assert_eq!(AsRef::<str>::as_ref(&read), "100000000000000000000");
        let err = de_big_integer(&json!(1.5), "Out.n").unwrap_err();
        assert_eq!(err.path(), "Out.n");
        assert!(de_big_integer(&json!("12x"), "p").is_err());

        let read = de_big_decimal(&json!(2.5), "p").unwrap().unwrap();
        assert_eq!(read, exact);
        let read = de_big_decimal(&json!("0.1000000000000000000001"), "p")
            .unwrap()
            .unwrap();
        assert_eq!(read, inexact);
        let err = de_big_decimal(&json!([]), "Out.d").unwrap_err();
        assert_eq!(err.to_string(), "Out.d: expected big decimal, found array");
    }

    #[test]
    fn error_messages_never_quote_the_value() {
        const SECRET: &str = "31415926535";
        let failures = [
            de_i8(&json!(31415926535u64), "p").unwrap_err(),
            de_i32(&json!(31415926535.5), "p").unwrap_err(),
            de_f64(&json!(SECRET), "p").unwrap_err(),
            de_f32(&json!(3.1415926535e300), "p").unwrap_err(),
            de_timestamp(&json!(SECRET), "p", DateTimeFormat::DateTime).unwrap_err(),
            de_timestamp(&json!(SECRET), "p", DateTimeFormat::HttpDate).unwrap_err(),
            de_timestamp(&json!(3.1415926535e300), "p", DateTimeFormat::EpochSeconds).unwrap_err(),
            de_blob(&json!(format!("{SECRET}!")), "p").unwrap_err(),
            de_big_integer(&json!(format!("{SECRET}x")), "p").unwrap_err(),
            de_big_integer(&json!(31415926535.5), "p").unwrap_err(),
            de_big_decimal(&json!(format!("{SECRET}x")), "p").unwrap_err(),
        ];
        for err in failures {
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains("31415926535"), "{shown}");
            assert!(!shown.contains("3.14159"), "{shown}");
        }
    }

    #[test]
    fn bodies() {
        assert_eq!(parse_body(b"").unwrap(), json!({}));
        assert_eq!(parse_body(b"  \n\t").unwrap(), json!({}));
        assert_eq!(parse_body(br#"{"a":1}"#).unwrap(), json!({"a": 1}));
        let err = parse_body(b"<html>").unwrap_err();
        assert!(err.message().starts_with("invalid JSON body"), "{err}");
        assert_eq!(to_body(&json!({"k": "v"})), br#"{"k":"v"}"#.to_vec());
    }

    #[test]
    fn enums_read_known_and_unknown_values() {
        #[derive(Debug, PartialEq)]
        enum Mode {
            On,
            Other(String),
        }
        impl From<&str> for Mode {
            fn from(s: &str) -> Self {
                match s {
                    "ON" => Mode::On,
                    other => Mode::Other(other.to_owned()),
                }
            }
        }
        assert_eq!(de_enum::<Mode>(&json!("ON"), "m").unwrap(), Some(Mode::On));
        assert_eq!(
            de_enum::<Mode>(&json!("LATER"), "m").unwrap(),
            Some(Mode::Other("LATER".into()))
        );
        assert_eq!(de_enum::<Mode>(&Value::Null, "m").unwrap(), None);
        let err = de_enum::<Mode>(&json!(1), "Mode").unwrap_err();
        assert!(err.to_string().contains("Mode"), "{err}");
    }

    #[test]
    fn members_write_by_type_and_leave_out_unset_options() {
        let mut tags = HashMap::new();
        tags.insert("k".to_owned(), vec![Some(1i32), None]);
        let members = |w: &mut JsonWriter| -> Result<(), SerializeError> {
            w.begin_object();
            w.opt_member("Unset", &None::<String>)?;
            w.opt_member("Name", &Some("a\"b".to_owned()))?;
            w.member("Count", &7i64)?;
            w.member("When", &DateTime::from_secs(5))?;
            w.member("Tags", &tags)?;
            w.member("Boxed", &Box::new(vec![true]))?;
            w.end_object();
            Ok(())
        };
        let text = written(|w| members(w).expect("writes"));
        assert_eq!(
            text,
            r#"{"Name":"a\"b","Count":7,"When":5,"Tags":{"k":[1,null]},"Boxed":[true]}"#
        );
    }

    #[test]
    fn reading_by_type_keeps_nulls_only_where_sparse() {
        let dense: Option<Vec<i32>> = read(&json!([1, null, 2]), "L").unwrap();
        assert_eq!(dense, Some(vec![1, 2]));
        let sparse: Option<Vec<Option<i32>>> = read(&json!([1, null]), "L").unwrap();
        assert_eq!(sparse, Some(vec![Some(1), None]));
        let map: Option<HashMap<String, Option<String>>> =
            read(&json!({"a": "x", "b": null}), "M").unwrap();
        let map = map.unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map["b"], None);
        let dense_map: Option<HashMap<String, String>> =
            read(&json!({"a": "x", "b": null}), "M").unwrap();
        assert_eq!(dense_map.unwrap().len(), 1);
        let boxed: Option<Box<DateTime>> = read(&json!(1.5), "T").unwrap();
        assert_eq!(*boxed.unwrap(), DateTime::from_secs_f64(1.5));
        assert_eq!(read::<String>(&Value::Null, "S").unwrap(), None);
        let err = read::<Vec<i32>>(&json!([1, "x"]), "L").unwrap_err();
        assert!(err.to_string().contains('L'), "{err}");
    }
}
