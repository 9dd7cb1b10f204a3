//! The Smithy endpoint rules engine for smithgen.
//!
//! A service's `smithy.rules#endpointRuleSet` trait describes, as data, how to
//! turn a handful of parameters (region, FIPS and dual-stack switches, an
//! endpoint override, operation inputs) into the endpoint a request goes to.
//! [`RuleSet`] loads that document once — resolving every variable reference,
//! splitting every template string and parsing every attribute path — and
//! [`RuleSet::resolve`] then evaluates it per request.
//!
//! ```
//! use smithgen_endpoints::{ParamValue, Params, RuleSet};
//!
//! let rules = RuleSet::from_str(r#"{
//!     "version": "1.0",
//!     "parameters": {
//!         "Region": {"type": "String", "builtIn": "AWS::Region", "required": true}
//!     },
//!     "rules": [{
//!         "type": "endpoint",
//!         "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
//!         "endpoint": {"url": "https://svc.{Region}.{P#dnsSuffix}"}
//!     }]
//! }"#).unwrap();
//! let mut params = Params::new();
//! params.insert("Region".into(), ParamValue::String("cn-north-1".into()));
//! assert_eq!(rules.resolve(&params).unwrap().url, "https://svc.cn-north-1.amazonaws.com.cn");
//! ```
//!
//! Built-in parameters (`AWS::Region`, `SDK::Endpoint`, …) are ordinary
//! parameters here: the caller supplies their values by parameter name, and
//! [`RuleSet::parameter_for_built_in`] tells which parameter a built-in feeds.

use std::collections::BTreeMap;
use std::fmt;

mod ast;
mod eval;
pub mod functions;
mod jmespath;
mod load;
pub mod partition;
mod regex;
pub mod tests_runner;
mod value;

pub use partition::{Partition, PartitionTable};

/// The type of a rule-set parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamType {
    String,
    Boolean,
    StringArray,
}

impl ParamType {
    /// The type's name as the rule language spells it.
    pub fn name(self) -> &'static str {
        match self {
            ParamType::String => "String",
            ParamType::Boolean => "Boolean",
            ParamType::StringArray => "StringArray",
        }
    }
}

/// A parameter value supplied to [`RuleSet::resolve`].
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    String(String),
    Bool(bool),
    StringArray(Vec<String>),
}

impl ParamValue {
    pub fn param_type(&self) -> ParamType {
        match self {
            ParamValue::String(_) => ParamType::String,
            ParamValue::Bool(_) => ParamType::Boolean,
            ParamValue::StringArray(_) => ParamType::StringArray,
        }
    }
}

impl From<&str> for ParamValue {
    fn from(s: &str) -> Self {
        ParamValue::String(s.to_string())
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> Self {
        ParamValue::String(s)
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> Self {
        ParamValue::Bool(b)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(items: Vec<String>) -> Self {
        ParamValue::StringArray(items)
    }
}

/// Parameter values keyed by parameter name (`Region`, `UseFIPS`, …).
pub type Params = BTreeMap<String, ParamValue>;

/// A parameter declared by a rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub param_type: ParamType,
    /// The built-in that supplies the value, e.g. `AWS::Region`.
    pub built_in: Option<String>,
    pub required: bool,
    pub default: Option<ParamValue>,
    pub documentation: Option<String>,
    pub deprecated: bool,
}

/// A resolved endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    pub url: String,
    /// Endpoint properties such as `authSchemes`.
    pub properties: serde_json::Map<String, serde_json::Value>,
    pub headers: BTreeMap<String, Vec<String>>,
}

/// Resolution failed: an error rule matched (the message is the rule's), a
/// required parameter is missing or has the wrong type, or no rule matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    pub message: String,
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

/// A rule set document could not be loaded. `path` is the JSON path of the
/// offending part, e.g. `$.rules[2].conditions[0].argv[1]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleSetError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid endpoint rule set at {}: {}",
            self.path, self.message
        )
    }
}

impl std::error::Error for RuleSetError {}

/// A loaded endpoint rule set, ready to resolve endpoints.
#[derive(Clone, Debug)]
pub struct RuleSet {
    version: String,
    parameters: Vec<Parameter>,
    rules: Vec<ast::Rule>,
    /// Variable slots an evaluation needs: one per parameter, then one per
    /// `assign` in the rules.
    slot_count: usize,
    /// The table `aws.partition` answers from; the built-in one when `None`.
    partitions: Option<std::sync::Arc<PartitionTable>>,
}

impl RuleSet {
    /// Loads the value of a `smithy.rules#endpointRuleSet` trait.
    pub fn from_json(v: &serde_json::Value) -> Result<RuleSet, RuleSetError> {
        let doc = v.as_object().ok_or_else(|| RuleSetError {
            path: "$".to_string(),
            message: "a rule set must be a JSON object".to_string(),
        })?;
        let version = match doc.get("version") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(RuleSetError {
                    path: "$.version".to_string(),
                    message: "expected a string".to_string(),
                })
            }
            None => {
                return Err(RuleSetError {
                    path: "$".to_string(),
                    message: "missing required member `version`".to_string(),
                })
            }
        };
        let supported = version
            .strip_prefix("1.")
            .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()));
        if !supported {
            return Err(RuleSetError {
                path: "$.version".to_string(),
                message: format!("unsupported rules engine version `{version}`"),
            });
        }
        let loaded = load::load(doc)?;
        Ok(RuleSet {
            version,
            parameters: loaded.parameters,
            rules: loaded.rules,
            slot_count: loaded.slot_count,
            partitions: None,
        })
    }

    /// This rule set, with `aws.partition` answering from `table` instead
    /// of the built-in public table (see [`PartitionTable::from_json`]).
    pub fn with_partitions(mut self, table: std::sync::Arc<PartitionTable>) -> RuleSet {
        self.partitions = Some(table);
        self
    }

    /// The table `aws.partition` answers from.
    pub fn partitions(&self) -> &PartitionTable {
        self.partitions
            .as_deref()
            .unwrap_or_else(|| PartitionTable::builtin())
    }

    /// Parses and loads rule set JSON text.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> Result<RuleSet, RuleSetError> {
        let v: serde_json::Value = serde_json::from_str(s).map_err(|e| RuleSetError {
            path: "$".to_string(),
            message: format!("not valid JSON: {e}"),
        })?;
        RuleSet::from_json(&v)
    }

    /// The rules engine version the document declares.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The declared parameters, in document order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The parameter called `name`.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// The parameter that the built-in `built_in` (e.g. `AWS::Region`) feeds.
    pub fn parameter_for_built_in(&self, built_in: &str) -> Option<&Parameter> {
        self.parameters
            .iter()
            .find(|p| p.built_in.as_deref() == Some(built_in))
    }

    /// Resolves the endpoint for `params` (keyed by parameter name).
    /// Parameters the rule set does not declare are ignored; declared ones
    /// that are absent take their default.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, EndpointError> {
        eval::resolve(self, params)
    }
}

/// Rule sets are equal when their rules are, and they answer from the same
/// partition table.
impl PartialEq for RuleSet {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.parameters == other.parameters
            && self.rules == other.rules
            && self.slot_count == other.slot_count
            && std::ptr::eq(self.partitions(), other.partitions())
    }
}

impl std::str::FromStr for RuleSet {
    type Err = RuleSetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleSet::from_json(&serde_json::from_str::<serde_json::Value>(s).map_err(|e| {
            RuleSetError {
                path: "$".to_string(),
                message: format!("not valid JSON: {e}"),
            }
        })?)
    }
}

#[cfg(test)]
mod tests;

/// Evaluates an `operationContextParams` path (the JMESPath subset the AWS
/// models use) over an operation's input in its JSON form.
pub fn eval_input_path(path: &str, input: &serde_json::Value) -> Result<serde_json::Value, String> {
    Ok(jmespath::Expr::parse(path)?.eval(input))
}

impl ParamValue {
    /// A parameter value from JSON: a string, a boolean or an array of
    /// strings; `None` for anything else (including `null`).
    pub fn from_json(value: &serde_json::Value) -> Option<ParamValue> {
        match value {
            serde_json::Value::String(s) => Some(ParamValue::String(s.clone())),
            serde_json::Value::Bool(b) => Some(ParamValue::Bool(*b)),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(ParamValue::StringArray),
            _ => None,
        }
    }
}
