//! Endpoint resolution through a service's endpoint rule set.
//!
//! A generated crate embeds its model's `smithy.rules#endpointRuleSet` as JSON
//! in an [`EndpointRules`] static; it is parsed on first use. Every request
//! resolves its endpoint from the configuration's built-ins (region, FIPS,
//! dual-stack, endpoint override, account id) and the operation's context
//! parameters; the last few results are cached, so repeated inputs cost a
//! lookup.

use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;
pub use smithgen_endpoints::{Endpoint, ParamValue, Params, RuleSet};

/// A rule set embedded as JSON, parsed once.
pub struct EndpointRules {
    json: &'static str,
    parsed: OnceLock<Result<RuleSet, String>>,
    cache: Mutex<Vec<(Params, Endpoint)>>,
    /// Requests' endpoints, keyed by what they were resolved from, so that a
    /// repeated request neither builds [`Params`] nor converts an [`Endpoint`].
    requests: Mutex<Vec<(RequestKey, Arc<RequestEndpoint>)>>,
}

impl std::fmt::Debug for EndpointRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `requests` holds what `cache` does, in another form.
        f.debug_struct("EndpointRules")
            .field("json", &self.json)
            .field("parsed", &self.parsed)
            .field("cache", &self.cache)
            .finish()
    }
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
            requests: Mutex::new(Vec::new()),
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

    /// The endpoint of one request: from the cache when the same built-ins
    /// and operation parameter values were resolved before, else resolved
    /// through [`params`] and [`EndpointRules::resolve`] and turned into a
    /// request endpoint by `convert`. Failures are not cached.
    pub(crate) fn resolve_request(
        &self,
        built_ins: &BuiltInsRef<'_>,
        operation: &OperationEndpointParams,
        input: &Value,
        convert: impl FnOnce(Endpoint) -> Result<RequestEndpoint, String>,
    ) -> Result<Arc<RequestEndpoint>, String> {
        let rule_set = self.rule_set()?;
        let values = operation_values(operation, input)?;
        if let Ok(cache) = self.requests.lock() {
            let hit = cache
                .iter()
                .find(|(key, _)| key.matches(built_ins, operation, &values));
            if let Some((_, endpoint)) = hit {
                return Ok(endpoint.clone());
            }
        }
        let built_ins = built_ins.to_built_ins();
        let params = params_from(rule_set, &built_ins, operation, &values);
        let endpoint = self
            .resolve(&params)
            .map_err(|e| format!("endpoint resolution failed: {e}"))?;
        let endpoint = Arc::new(convert(endpoint)?);
        if let Ok(mut cache) = self.requests.lock() {
            if cache.len() >= CACHE_SIZE {
                cache.remove(0);
            }
            let key = RequestKey {
                built_ins,
                operation: *operation,
                values,
            };
            cache.push((key, endpoint.clone()));
        }
        Ok(endpoint)
    }
}

/// What a cached request endpoint was resolved from.
#[derive(Debug)]
struct RequestKey {
    built_ins: BuiltIns,
    operation: OperationEndpointParams,
    values: Vec<Option<ParamValue>>,
}

impl RequestKey {
    fn matches(
        &self,
        built_ins: &BuiltInsRef<'_>,
        operation: &OperationEndpointParams,
        values: &[Option<ParamValue>],
    ) -> bool {
        built_ins.matches(&self.built_ins) && self.operation == *operation && self.values == values
    }
}

/// A `staticContextParams` value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StaticParam {
    /// A string parameter.
    String(&'static str),
    /// A boolean parameter.
    Bool(bool),
    /// A string-array parameter.
    StringArray(&'static [&'static str]),
}

/// An operation's endpoint parameters bound from its input.
#[derive(Debug, Clone, Copy, PartialEq)]
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
#[derive(Debug, Default, Clone, PartialEq)]
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

/// [`BuiltIns`], borrowed from the configuration.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct BuiltInsRef<'a> {
    pub(crate) region: Option<&'a str>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) endpoint: Option<&'a str>,
    pub(crate) account_id: Option<&'a str>,
    pub(crate) account_id_endpoint_mode: Option<&'a str>,
}

impl BuiltInsRef<'_> {
    fn to_built_ins(self) -> BuiltIns {
        BuiltIns {
            region: self.region.map(str::to_owned),
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            endpoint: self.endpoint.map(str::to_owned),
            account_id: self.account_id.map(str::to_owned),
            account_id_endpoint_mode: self.account_id_endpoint_mode.map(str::to_owned),
        }
    }

    fn matches(&self, owned: &BuiltIns) -> bool {
        self.region == owned.region.as_deref()
            && self.use_fips == owned.use_fips
            && self.use_dual_stack == owned.use_dual_stack
            && self.endpoint == owned.endpoint.as_deref()
            && self.account_id == owned.account_id.as_deref()
            && self.account_id_endpoint_mode == owned.account_id_endpoint_mode.as_deref()
    }
}

/// The parameters for one request: built-ins mapped to the parameters that
/// declare them, then the operation's parameters from its input.
pub fn params(
    rule_set: &RuleSet,
    built_ins: &BuiltIns,
    operation: &OperationEndpointParams,
    input: &Value,
) -> Result<Params, String> {
    let values = operation_values(operation, input)?;
    Ok(params_from(rule_set, built_ins, operation, &values))
}

/// The values of the operation's parameters bound from its input: those of
/// `operation.paths`, then those of `operation.members`, in order.
fn operation_values(
    operation: &OperationEndpointParams,
    input: &Value,
) -> Result<Vec<Option<ParamValue>>, String> {
    let mut values = Vec::with_capacity(operation.paths.len() + operation.members.len());
    for (param, path) in operation.paths {
        let value = smithgen_endpoints::eval_input_path(path, input)
            .map_err(|e| format!("endpoint parameter {param}: {e}"))?;
        values.push(ParamValue::from_json(&value));
    }
    for (_, member) in operation.members {
        values.push(input.get(member).and_then(ParamValue::from_json));
    }
    Ok(values)
}

/// [`params`] with the operation's input values already read by
/// [`operation_values`].
fn params_from(
    rule_set: &RuleSet,
    built_ins: &BuiltIns,
    operation: &OperationEndpointParams,
    values: &[Option<ParamValue>],
) -> Params {
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
    let names = operation
        .paths
        .iter()
        .map(|(param, _)| param)
        .chain(operation.members.iter().map(|(param, _)| param));
    for (param, value) in names.zip(values) {
        if let Some(value) = value {
            params.insert((*param).to_owned(), value.clone());
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
    params
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

/// Where a request goes and how it is signed, as endpoint resolution decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestEndpoint {
    /// The request URI (the endpoint URL with at least the path `/`).
    pub uri: String,
    /// Headers the endpoint rules add.
    pub headers: Vec<(String, String)>,
    /// The SigV4 signing name: the service's, unless the endpoint's `authSchemes` name another.
    pub signing_name: String,
    /// The SigV4 signing region: the endpoint's `authSchemes` region, else the configured region.
    pub signing_region: Option<String>,
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
    fn request_endpoints_are_cached_by_what_they_were_resolved_from() {
        static RULES_SPEC: EndpointRules = EndpointRules::new(RULES);
        let conversions = std::cell::Cell::new(0);
        let resolve = |built_ins: BuiltInsRef<'_>, input: Value| {
            let op = OperationEndpointParams {
                statics: &[],
                members: &[("Table", "TableName")],
                paths: &[],
            };
            RULES_SPEC.resolve_request(&built_ins, &op, &input, |endpoint| {
                conversions.set(conversions.get() + 1);
                Ok(RequestEndpoint {
                    uri: endpoint.url,
                    headers: Vec::new(),
                    signing_name: "svc".into(),
                    signing_region: built_ins.region.map(str::to_owned),
                })
            })
        };
        let eu = BuiltInsRef {
            region: Some("eu-west-1"),
            ..BuiltInsRef::default()
        };
        let first = resolve(eu, json!({"TableName": "users"})).unwrap();
        assert_eq!(first.uri, "https://users.svc.eu-west-1.example.com");
        let again = resolve(eu, json!({"TableName": "users"})).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(conversions.get(), 1);

        let other_table = resolve(eu, json!({"TableName": "orders"})).unwrap();
        assert_eq!(other_table.uri, "https://orders.svc.eu-west-1.example.com");
        let us = BuiltInsRef {
            region: Some("us-east-1"),
            ..BuiltInsRef::default()
        };
        let other_region = resolve(us, json!({"TableName": "users"})).unwrap();
        assert_eq!(other_region.uri, "https://users.svc.us-east-1.example.com");
        let overridden = BuiltInsRef {
            endpoint: Some("http://localhost:1"),
            ..eu
        };
        assert_eq!(
            resolve(overridden, json!({"TableName": "users"}))
                .unwrap()
                .uri,
            "http://localhost:1"
        );
        assert_eq!(conversions.get(), 4);

        // Failures are reported every time, never cached.
        for _ in 0..2 {
            assert_eq!(
                resolve(BuiltInsRef::default(), json!({})).unwrap_err(),
                "endpoint resolution failed: Invalid Configuration: Missing Region"
            );
        }
        assert_eq!(conversions.get(), 4);
    }

    #[test]
    fn invalid_rules_are_an_error_not_a_panic() {
        static BAD: EndpointRules = EndpointRules::new("{not json");
        assert!(BAD.rule_set().is_err());
        assert!(BAD.resolve(&Params::new()).is_err());
    }
}
