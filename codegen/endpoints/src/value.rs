//! Values that rule evaluation works on.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::ParamValue;

/// A value produced while evaluating rules. An unset (empty optional) value is
/// represented by `Option::None` around this type.
///
/// Arrays and objects sit behind `Arc` so that passing a bound variable (a
/// partition, a parsed ARN) to a function does not copy it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Str(String),
    Bool(bool),
    Int(i64),
    Array(Arc<Vec<Value>>),
    Object(Arc<BTreeMap<String, Value>>),
}

impl Value {
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    pub(crate) fn object(entries: BTreeMap<String, Value>) -> Value {
        Value::Object(Arc::new(entries))
    }

    pub(crate) fn array(items: Vec<Value>) -> Value {
        Value::Array(Arc::new(items))
    }

    /// Converts a JSON document into a value; `null` (anywhere) and
    /// non-integer numbers have no counterpart and yield `None` at that spot
    /// (object members and array items that are `null` are dropped).
    pub(crate) fn from_json(v: &serde_json::Value) -> Option<Value> {
        match v {
            serde_json::Value::Null => None,
            serde_json::Value::Bool(b) => Some(Value::Bool(*b)),
            serde_json::Value::Number(n) => n.as_i64().map(Value::Int),
            serde_json::Value::String(s) => Some(Value::Str(s.clone())),
            serde_json::Value::Array(items) => Some(Value::array(
                items.iter().filter_map(Value::from_json).collect(),
            )),
            serde_json::Value::Object(map) => Some(Value::object(
                map.iter()
                    .filter_map(|(k, v)| Value::from_json(v).map(|v| (k.clone(), v)))
                    .collect(),
            )),
        }
    }

    pub(crate) fn from_param(p: &ParamValue) -> Value {
        match p {
            ParamValue::String(s) => Value::Str(s.clone()),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::StringArray(items) => {
                Value::array(items.iter().map(|s| Value::Str(s.clone())).collect())
            }
        }
    }
}
