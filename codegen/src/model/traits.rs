//! Traits attached to shapes and members, kept verbatim.

use serde_json::Value;
use std::collections::BTreeMap;

pub const DOCUMENTATION: &str = "smithy.api#documentation";
pub const REQUIRED: &str = "smithy.api#required";
pub const SENSITIVE: &str = "smithy.api#sensitive";
pub const SPARSE: &str = "smithy.api#sparse";
pub const ERROR: &str = "smithy.api#error";
pub const HTTP_ERROR: &str = "smithy.api#httpError";
pub const DEFAULT: &str = "smithy.api#default";
pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
pub const JSON_NAME: &str = "smithy.api#jsonName";
pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
pub const ENUM_VALUE: &str = "smithy.api#enumValue";
pub const INPUT: &str = "smithy.api#input";
pub const OUTPUT: &str = "smithy.api#output";
pub const STREAMING: &str = "smithy.api#streaming";
pub const DEPRECATED: &str = "smithy.api#deprecated";
pub const MIXIN: &str = "smithy.api#mixin";
pub const PATTERN: &str = "smithy.api#pattern";
pub const UNIT_TYPE: &str = "smithy.api#unitType";
pub const AUTH: &str = "smithy.api#auth";
pub const OPTIONAL_AUTH: &str = "smithy.api#optionalAuth";
pub const PAGINATED: &str = "smithy.api#paginated";

/// The traits of one shape or member, keyed by absolute trait id
/// (`smithy.api#required`). Values are kept exactly as the model wrote them;
/// annotation traits are `{}`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traits(pub BTreeMap<String, Value>);

impl Traits {
    pub fn new() -> Traits {
        Traits::default()
    }

    pub fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    pub fn has(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// Sorted by trait id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets a trait, returning the previous value.
    pub fn insert(&mut self, id: impl Into<String>, value: Value) -> Option<Value> {
        self.0.insert(id.into(), value)
    }

    pub fn remove(&mut self, id: &str) -> Option<Value> {
        self.0.remove(id)
    }

    fn str_of(&self, id: &str) -> Option<&str> {
        self.get(id).and_then(Value::as_str)
    }

    pub fn documentation(&self) -> Option<&str> {
        self.str_of(DOCUMENTATION)
    }

    pub fn is_required(&self) -> bool {
        self.has(REQUIRED)
    }

    pub fn is_sensitive(&self) -> bool {
        self.has(SENSITIVE)
    }

    pub fn is_sparse(&self) -> bool {
        self.has(SPARSE)
    }

    pub fn is_error(&self) -> bool {
        self.has(ERROR)
    }

    /// `"client"` or `"server"` for error structures.
    pub fn error_kind(&self) -> Option<&str> {
        self.str_of(ERROR)
    }

    pub fn http_error(&self) -> Option<u16> {
        self.get(HTTP_ERROR)
            .and_then(Value::as_u64)
            .and_then(|code| u16::try_from(code).ok())
    }

    /// The `smithy.api#default` value (which may be JSON `null`).
    pub fn default_value(&self) -> Option<&Value> {
        self.get(DEFAULT)
    }

    pub fn is_client_optional(&self) -> bool {
        self.has(CLIENT_OPTIONAL)
    }

    pub fn json_name(&self) -> Option<&str> {
        self.str_of(JSON_NAME)
    }

    pub fn timestamp_format(&self) -> Option<&str> {
        self.str_of(TIMESTAMP_FORMAT)
    }

    /// The value of an enum or intEnum member. The loader fills this in for
    /// every `enum` member, so it is always set on members of loaded enums.
    pub fn enum_value(&self) -> Option<&Value> {
        self.get(ENUM_VALUE)
    }

    pub fn is_input(&self) -> bool {
        self.has(INPUT)
    }

    pub fn is_output(&self) -> bool {
        self.has(OUTPUT)
    }

    pub fn is_streaming(&self) -> bool {
        self.has(STREAMING)
    }

    pub fn is_deprecated(&self) -> bool {
        self.has(DEPRECATED)
    }

    pub fn is_mixin(&self) -> bool {
        self.has(MIXIN)
    }

    pub fn pattern(&self) -> Option<&str> {
        self.str_of(PATTERN)
    }

    pub fn is_unit_type(&self) -> bool {
        self.has(UNIT_TYPE)
    }

    /// The `smithy.api#auth` list of auth scheme ids; `Some(vec![])` when the
    /// trait is `[]`. The loader checks the value is a list of strings.
    pub fn auth(&self) -> Option<Vec<String>> {
        let list = self.get(AUTH)?.as_array()?;
        Some(
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        )
    }

    pub fn has_optional_auth(&self) -> bool {
        self.has(OPTIONAL_AUTH)
    }

    pub fn paginated(&self) -> Option<&Value> {
        self.get(PAGINATED)
    }
}

impl From<BTreeMap<String, Value>> for Traits {
    fn from(map: BTreeMap<String, Value>) -> Traits {
        Traits(map)
    }
}

impl<'a> IntoIterator for &'a Traits {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::collections::btree_map::Iter<'a, String, Value>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn traits(v: Value) -> Traits {
        let Value::Object(map) = v else {
            panic!("object expected")
        };
        Traits(map.into_iter().collect())
    }

    #[test]
    fn accessors_read_known_traits() {
        let t = traits(json!({
            "smithy.api#documentation": "Docs",
            "smithy.api#required": {},
            "smithy.api#error": "client",
            "smithy.api#httpError": 400,
            "smithy.api#default": 0,
            "smithy.api#jsonName": "x",
            "smithy.api#timestampFormat": "epoch-seconds",
            "smithy.api#auth": [],
            "smithy.api#pattern": "^a$",
            "smithy.api#paginated": {"pageSize": "Max"},
        }));
        assert_eq!(t.documentation(), Some("Docs"));
        assert!(t.is_required() && t.is_error() && !t.is_sensitive());
        assert_eq!(t.error_kind(), Some("client"));
        assert_eq!(t.http_error(), Some(400));
        assert_eq!(t.default_value(), Some(&json!(0)));
        assert_eq!(t.json_name(), Some("x"));
        assert_eq!(t.timestamp_format(), Some("epoch-seconds"));
        assert_eq!(t.auth(), Some(vec![]));
        assert_eq!(t.pattern(), Some("^a$"));
        assert!(t.paginated().is_some());
        assert_eq!(Traits::new().auth(), None);
        assert_eq!(
            traits(json!({"smithy.api#httpError": 70000})).http_error(),
            None
        );
        let ids: Vec<&str> = t.iter().map(|(k, _)| k).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
    }
}
