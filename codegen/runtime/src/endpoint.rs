//! Endpoint resolution through a service's endpoint rule set.
//!
//! A generated crate embeds its model's `smithy.rules#endpointRuleSet` as JSON
//! in an [`EndpointRules`] static; it is parsed on first use. Every request
//! resolves its endpoint from the configuration's built-ins (region, FIPS,
//! dual-stack, endpoint override, account id) and the operation's context
//! parameters; the last few results are cached, so repeated inputs cost a
//! lookup.

use std::sync::{Mutex, OnceLock};

use serde_json::Value;
pub use smithgen_endpoints::{Endpoint, ParamValue, Params, RuleSet};

/// A rule set embedded as JSON, parsed once.
#[derive(Debug)]
pub struct EndpointRules {
    json: &'static str,
    parsed: OnceLock<Result<RuleSet, String>>,
    cache: Mutex<Vec<(Params, Endpoint)>>,
}

/// How many distinct parameter sets keep their resolved endpoint.
const CACHE_SIZE: usize = 16;

impl EndpointRules {
    /// Rules from the JSON of a `smithy.rules#endpointRuleSet` trait.
    pub const fn new(json: &'static str) -> Self {
        EndpointRules {
            json,
            parsed: OnceLock::new(),
            cache: Mutex::new(Vec::new()),
        }
    }

    /// The parsed rule set (an error if the embedded JSON is not a rule set).
    pub fn rule_set(&self) -> Result<&RuleSet, String> {
        self.parsed
            .get_or_init(|| {
                RuleSet::from_str(self.json).map_err(|e| format!("invalid endpoint rule set: {e}"))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Resolves `params`, answering repeated parameter sets from the cache.
    pub fn resolve(&self, params: &Params) -> Result<Endpoint, String> {
        if let Ok(cache) = self.cache.lock() {
            if let Some((_, endpoint)) = cache.iter().find(|(p, _)| p == params) {
                return Ok(endpoint.clone());
            }
        }
        let endpoint = self.rule_set()?.resolve(params).map_err(|e| e.message)?;
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_SIZE {
                cache.remove(0);
            }
            cache.push((params.clone(), endpoint.clone()));
        }
        Ok(endpoint)
    }
}

/// A `staticContextParams` value.
#[derive(Debug, Clone, Copy)]
pub enum StaticParam {
    /// A string parameter.
    String(&'static str),
    /// A boolean parameter.
    Bool(bool),
    /// A string-array parameter.
    StringArray(&'static [&'static str]),
}

/// An operation's endpoint parameters bound from its input.
#[derive(Debug, Clone, Copy)]
pub struct OperationEndpointParams {
    /// `smithy.rules#staticContextParams`: (parameter, value).
    pub statics: &'static [(&'static str, StaticParam)],
    /// `smithy.rules#contextParam` on input members: (parameter, member name).
    pub members: &'static [(&'static str, &'static str)],
    /// `smithy.rules#operationContextParams`: (parameter, path over the input).
    pub paths: &'static [(&'static str, &'static str)],
}

impl OperationEndpointParams {
    /// No parameters from the input.
    pub const NONE: OperationEndpointParams = OperationEndpointParams {
        statics: &[],
        members: &[],
        paths: &[],
    };
}

/// Built-in values read from the configuration (and the environment).
#[derive(Debug, Default, Clone)]
pub struct BuiltIns {
    /// `AWS::Region`.
    pub region: Option<String>,
    /// `AWS::UseFIPS`.
    pub use_fips: bool,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`: an endpoint override.
    pub endpoint: Option<String>,
    /// `AWS::Auth::AccountId`.
    pub account_id: Option<String>,
    /// `AWS::Auth::AccountIdEndpointMode`.
    pub account_id_endpoint_mode: Option<String>,
}

/// The parameters for one request: built-ins mapped to the parameters that
/// declare them, then the operation's parameters from its input.
pub fn params(
    rule_set: &RuleSet,
    built_ins: &BuiltIns,
    operation: &OperationEndpointParams,
    input: &Value,
) -> Result<Params, String> {
    let mut params = Params::new();
    let mut set = |built_in: &str, value: Option<ParamValue>| {
        if let (Some(param), Some(value)) = (rule_set.parameter_for_built_in(built_in), value) {
            params.insert(param.name.clone(), value);
        }
    };
    set(
        "AWS::Region",
        built_ins.region.clone().map(ParamValue::String),
    );
    set("AWS::UseFIPS", Some(ParamValue::Bool(built_ins.use_fips)));
    set(
        "AWS::UseDualStack",
        Some(ParamValue::Bool(built_ins.use_dual_stack)),
    );
    set(
        "SDK::Endpoint",
        built_ins.endpoint.clone().map(ParamValue::String),
    );
    set(
        "AWS::Auth::AccountId",
        built_ins.account_id.clone().map(ParamValue::String),
    );
    set(
        "AWS::Auth::AccountIdEndpointMode",
        built_ins
            .account_id_endpoint_mode
            .clone()
            .map(ParamValue::String),
    );
    for (param, path) in operation.paths {
        let value = smithgen_endpoints::eval_input_path(path, input)
            .map_err(|e| format!("endpoint parameter {param}: {e}"))?;
        if let Some(value) = ParamValue::from_json(&value) {
            params.insert((*param).to_owned(), value);
        }
    }
    for (param, member) in operation.members {
        if let Some(value) = input.get(member).and_then(ParamValue::from_json) {
            params.insert((*param).to_owned(), value);
        }
    }
    for (param, value) in operation.statics {
        let value = match value {
            StaticParam::String(s) => ParamValue::String((*s).to_owned()),
            StaticParam::Bool(b) => ParamValue::Bool(*b),
            StaticParam::StringArray(items) => {
                ParamValue::StringArray(items.iter().map(|s| (*s).to_owned()).collect())
            }
        };
        params.insert((*param).to_owned(), value);
    }
    Ok(params)
}

/// The SigV4 name and region an endpoint's `authSchemes` ask for, if any.
pub fn sigv4_overrides(endpoint: &Endpoint) -> (Option<String>, Option<String>) {
    let scheme = endpoint
        .properties
        .get("authSchemes")
        .and_then(Value::as_array)
        .and_then(|schemes| {
            schemes
                .iter()
                .find(|s| s.get("name").and_then(Value::as_str) == Some("sigv4"))
        });
    let field = |key: &str| {
        scheme
            .and_then(|s| s.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    (field("signingName"), field("signingRegion"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RULES: &str = r#"{"version":"1.0","parameters":{
        "Region":{"type":"String","builtIn":"AWS::Region"},
        "UseFIPS":{"type":"Boolean","builtIn":"AWS::UseFIPS","required":true,"default":false},
        "Endpoint":{"type":"String","builtIn":"SDK::Endpoint"},
        "Table":{"type":"String"}},
      "rules":[
        {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],"endpoint":{"url":{"ref":"Endpoint"}}},
        {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Table"}]},{"fn":"isSet","argv":[{"ref":"Region"}]}],
         "endpoint":{"url":"https://{Table}.svc.{Region}.example.com","properties":{"authSchemes":[{"name":"sigv4","signingName":"svc","signingRegion":"{Region}"}]}}},
        {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]}],"endpoint":{"url":"https://svc.{Region}.example.com"}},
        {"type":"error","conditions":[],"error":"Invalid Configuration: Missing Region"}]}"#;

    static SPEC: EndpointRules = EndpointRules::new(RULES);

    #[test]
    fn built_ins_and_input_parameters_resolve() {
        let rules = SPEC.rule_set().unwrap();
        let built_ins = BuiltIns {
            region: Some("eu-west-1".into()),
            ..BuiltIns::default()
        };
        let op = OperationEndpointParams {
            statics: &[],
            members: &[("Table", "TableName")],
            paths: &[],
        };
        let p = params(rules, &built_ins, &op, &json!({"TableName": "users"})).unwrap();
        let endpoint = SPEC.resolve(&p).unwrap();
        assert_eq!(endpoint.url, "https://users.svc.eu-west-1.example.com");
        assert_eq!(
            sigv4_overrides(&endpoint),
            (Some("svc".into()), Some("eu-west-1".into()))
        );
        // Resolved again from the cache.
        assert_eq!(SPEC.resolve(&p).unwrap(), endpoint);

        let p = params(
            rules,
            &built_ins,
            &OperationEndpointParams::NONE,
            &json!({}),
        )
        .unwrap();
        assert_eq!(
            SPEC.resolve(&p).unwrap().url,
            "https://svc.eu-west-1.example.com"
        );
    }

    #[test]
    fn paths_statics_and_errors() {
        let rules = SPEC.rule_set().unwrap();
        let op = OperationEndpointParams {
            statics: &[("Table", StaticParam::String("fixed"))],
            members: &[],
            paths: &[],
        };
        let built_ins = BuiltIns {
            region: Some("us-east-1".into()),
            ..BuiltIns::default()
        };
        let p = params(rules, &built_ins, &op, &json!({})).unwrap();
        assert_eq!(
            SPEC.resolve(&p).unwrap().url,
            "https://fixed.svc.us-east-1.example.com"
        );

        let op = OperationEndpointParams {
            statics: &[],
            members: &[],
            paths: &[("Table", "Items[0].Name")],
        };
        let p = params(
            rules,
            &built_ins,
            &op,
            &json!({"Items": [{"Name": "first"}]}),
        )
        .unwrap();
        assert_eq!(
            SPEC.resolve(&p).unwrap().url,
            "https://first.svc.us-east-1.example.com"
        );

        let p = params(
            rules,
            &BuiltIns::default(),
            &OperationEndpointParams::NONE,
            &json!({}),
        )
        .unwrap();
        assert_eq!(
            SPEC.resolve(&p).unwrap_err(),
            "Invalid Configuration: Missing Region"
        );
    }

    #[test]
    fn invalid_rules_are_an_error_not_a_panic() {
        static BAD: EndpointRules = EndpointRules::new("{not json");
        assert!(BAD.rule_set().is_err());
        assert!(BAD.resolve(&Params::new()).is_err());
    }
}
