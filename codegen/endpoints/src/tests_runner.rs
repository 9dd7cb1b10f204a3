//! Runs the `smithy.rules#endpointTests` cases of a model against its rule set.
//!
//! A case passes when every way of supplying its inputs resolves to the
//! expected outcome: its `params` (keyed by parameter name), and each of its
//! `operationInputs` (built-in values, client parameters, and parameters
//! bound from the operation's input through `staticContextParams`,
//! `contextParam` and `operationContextParams`).

use serde_json::{Map, Value as Json};

use crate::jmespath;
use std::sync::Arc;

use crate::{Endpoint, ParamValue, Params, PartitionTable, RuleSet};

const RULE_SET_TRAIT: &str = "smithy.rules#endpointRuleSet";
const TESTS_TRAIT: &str = "smithy.rules#endpointTests";
const STATIC_CONTEXT_TRAIT: &str = "smithy.rules#staticContextParams";
const CONTEXT_PARAM_TRAIT: &str = "smithy.rules#contextParam";
const OPERATION_CONTEXT_TRAIT: &str = "smithy.rules#operationContextParams";

/// The outcome of one endpoint test case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    /// The service shape the case belongs to.
    pub service: String,
    pub documentation: String,
    pub passed: bool,
    /// What was checked, or what went wrong.
    pub detail: String,
}

/// Finds every service shape in a Smithy JSON AST model that has both an
/// endpoint rule set and endpoint tests, and runs each test case. Fails only
/// when the model is not a Smithy model or a rule set does not load.
pub fn run_model_tests(model: &Json) -> Result<Vec<CaseResult>, String> {
    run_model_tests_with(model, None)
}

/// [`run_model_tests`] with `aws.partition` answering from `partitions`
/// instead of the built-in table.
pub fn run_model_tests_with(
    model: &Json,
    partitions: Option<&Arc<PartitionTable>>,
) -> Result<Vec<CaseResult>, String> {
    let shapes = model
        .get("shapes")
        .and_then(Json::as_object)
        .ok_or("the model has no `shapes` object")?;
    let mut results = Vec::new();
    let mut ids: Vec<&String> = shapes.keys().collect();
    ids.sort();
    for id in ids {
        let shape = &shapes[id.as_str()];
        if shape.get("type").and_then(Json::as_str) != Some("service") {
            continue;
        }
        let Some(traits) = shape.get("traits").and_then(Json::as_object) else {
            continue;
        };
        let (Some(rules), Some(tests)) = (traits.get(RULE_SET_TRAIT), traits.get(TESTS_TRAIT))
        else {
            continue;
        };
        let mut rule_set = RuleSet::from_json(rules).map_err(|e| format!("service {id}: {e}"))?;
        if let Some(table) = partitions {
            rule_set = rule_set.with_partitions(Arc::clone(table));
        }
        let cases = tests
            .get("testCases")
            .and_then(Json::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let service = Service {
            id,
            shapes,
            rule_set: &rule_set,
        };
        for (i, case) in cases.iter().enumerate() {
            let documentation = case
                .get("documentation")
                .and_then(Json::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| format!("test case {i}"));
            let (passed, detail) = match service.run_case(case) {
                Ok(detail) => (true, detail),
                Err(detail) => (false, detail),
            };
            results.push(CaseResult {
                service: id.clone(),
                documentation,
                passed,
                detail,
            });
        }
    }
    Ok(results)
}

/// The expected outcome of a case.
enum Expected {
    Endpoint(Endpoint),
    Error(String),
}

struct Service<'a> {
    id: &'a str,
    shapes: &'a Map<String, Json>,
    rule_set: &'a RuleSet,
}

fn param_value(v: &Json, what: &str) -> Result<Option<ParamValue>, String> {
    Ok(Some(match v {
        Json::Null => return Ok(None),
        Json::String(s) => ParamValue::String(s.clone()),
        Json::Bool(b) => ParamValue::Bool(*b),
        Json::Array(items) => ParamValue::StringArray(
            items
                .iter()
                .map(|i| {
                    i.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("{what}: array items must be strings, found {i}"))
                })
                .collect::<Result<_, _>>()?,
        ),
        other => return Err(format!("{what}: unsupported parameter value {other}")),
    }))
}

fn insert(params: &mut Params, name: &str, v: &Json, what: &str) -> Result<(), String> {
    if let Some(value) = param_value(v, what)? {
        params.insert(name.to_string(), value);
    }
    Ok(())
}

fn expected(case: &Json) -> Result<Expected, String> {
    let expect = case
        .get("expect")
        .and_then(Json::as_object)
        .ok_or("the case has no `expect` object")?;
    if let Some(message) = expect.get("error") {
        return message
            .as_str()
            .map(|m| Expected::Error(m.to_string()))
            .ok_or_else(|| "`expect.error` is not a string".to_string());
    }
    let endpoint = expect
        .get("endpoint")
        .and_then(Json::as_object)
        .ok_or("`expect` has neither `endpoint` nor `error`")?;
    let url = endpoint
        .get("url")
        .and_then(Json::as_str)
        .ok_or("`expect.endpoint.url` is missing")?
        .to_string();
    let properties = match endpoint.get("properties") {
        None | Some(Json::Null) => Map::new(),
        Some(Json::Object(m)) => m.clone(),
        Some(_) => return Err("`expect.endpoint.properties` is not an object".to_string()),
    };
    let mut headers = std::collections::BTreeMap::new();
    if let Some(hs) = endpoint.get("headers").filter(|h| !h.is_null()) {
        let hs = hs
            .as_object()
            .ok_or("`expect.endpoint.headers` is not an object")?;
        for (name, values) in hs {
            let values = values
                .as_array()
                .ok_or_else(|| format!("expected header `{name}` is not an array"))?
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| format!("expected header `{name}` has a non-string value"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            headers.insert(name.clone(), values);
        }
    }
    Ok(Expected::Endpoint(Endpoint {
        url,
        properties,
        headers,
    }))
}

fn check(expected: &Expected, got: &Result<Endpoint, crate::EndpointError>) -> Result<(), String> {
    match (expected, got) {
        (Expected::Endpoint(want), Ok(have)) if want == have => Ok(()),
        (Expected::Endpoint(want), Ok(have)) => Err(format!(
            "expected endpoint {} {} {:?}, got {} {} {:?}",
            want.url,
            Json::Object(want.properties.clone()),
            want.headers,
            have.url,
            Json::Object(have.properties.clone()),
            have.headers
        )),
        (Expected::Endpoint(want), Err(e)) => Err(format!(
            "expected endpoint {}, got error {:?}",
            want.url, e.message
        )),
        (Expected::Error(want), Err(e)) if *want == e.message => Ok(()),
        (Expected::Error(want), Err(e)) => Err(format!(
            "expected error {want:?}, got error {:?}",
            e.message
        )),
        (Expected::Error(want), Ok(have)) => Err(format!(
            "expected error {want:?}, got endpoint {}",
            have.url
        )),
    }
}

impl Service<'_> {
    fn run_case(&self, case: &Json) -> Result<String, String> {
        let expected = expected(case)?;
        let inputs = case
            .get("operationInputs")
            .and_then(Json::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut variants: Vec<(String, Params)> = Vec::new();
        if case.get("params").is_some() || inputs.is_empty() {
            let mut params = Params::new();
            if let Some(ps) = case.get("params").filter(|p| !p.is_null()) {
                let ps = ps.as_object().ok_or("`params` is not an object")?;
                for (name, v) in ps {
                    insert(&mut params, name, v, &format!("params.{name}"))?;
                }
            }
            variants.push(("params".to_string(), params));
        }
        for (i, input) in inputs.iter().enumerate() {
            let label = format!(
                "operationInputs[{i}] ({})",
                input
                    .get("operationName")
                    .and_then(Json::as_str)
                    .unwrap_or("?")
            );
            let params = self
                .operation_params(input)
                .map_err(|e| format!("{label}: {e}"))?;
            variants.push((label, params));
        }
        for (label, params) in &variants {
            check(&expected, &self.rule_set.resolve(params))
                .map_err(|e| format!("{label}: {e}"))?;
        }
        let labels: Vec<&str> = variants.iter().map(|(l, _)| l.as_str()).collect();
        Ok(format!("checked {}", labels.join(", ")))
    }

    /// Finds the operation shape called `name` (in the service's namespace
    /// first, else anywhere in the model).
    fn operation(&self, name: &str) -> Option<&Json> {
        let namespace = self.id.split_once('#').map_or("", |(ns, _)| ns);
        let is_operation = |s: &&Json| s.get("type").and_then(Json::as_str) == Some("operation");
        self.shapes
            .get(&format!("{namespace}#{name}"))
            .filter(is_operation)
            .or_else(|| {
                self.shapes
                    .iter()
                    .filter(|(id, _)| id.rsplit_once('#').is_some_and(|(_, n)| n == name))
                    .map(|(_, s)| s)
                    .find(is_operation)
            })
    }

    /// The parameters an operation invocation supplies, lowest precedence
    /// first: built-ins, client parameters, then what the operation binds.
    fn operation_params(&self, input: &Json) -> Result<Params, String> {
        let mut params = Params::new();
        if let Some(builtins) = input.get("builtInParams").and_then(Json::as_object) {
            for (built_in, v) in builtins {
                if let Some(p) = self.rule_set.parameter_for_built_in(built_in) {
                    insert(&mut params, &p.name, v, built_in)?;
                }
            }
        }
        if let Some(client) = input.get("clientParams").and_then(Json::as_object) {
            for (name, v) in client {
                insert(&mut params, name, v, name)?;
            }
        }
        let name = input
            .get("operationName")
            .and_then(Json::as_str)
            .ok_or("no `operationName`")?;
        let operation = self
            .operation(name)
            .ok_or_else(|| format!("operation `{name}` is not in the model"))?;
        let empty = Json::Object(Map::new());
        let op_input = input
            .get("operationParams")
            .filter(|p| !p.is_null())
            .unwrap_or(&empty);
        let traits = operation.get("traits");

        if let Some(ctx) = traits
            .and_then(|t| t.get(OPERATION_CONTEXT_TRAIT))
            .and_then(Json::as_object)
        {
            for (param, def) in ctx {
                let path = def
                    .get("path")
                    .and_then(Json::as_str)
                    .ok_or_else(|| format!("operationContextParams `{param}` has no path"))?;
                let expr = jmespath::Expr::parse(path)
                    .map_err(|e| format!("operationContextParams `{param}` path `{path}`: {e}"))?;
                insert(&mut params, param, &expr.eval(op_input), param)?;
            }
        }

        let input_shape = operation
            .get("input")
            .and_then(|i| i.get("target"))
            .and_then(Json::as_str)
            .and_then(|target| self.shapes.get(target));
        if let Some(members) = input_shape
            .and_then(|s| s.get("members"))
            .and_then(Json::as_object)
        {
            for (member, def) in members {
                let Some(param) = def
                    .get("traits")
                    .and_then(|t| t.get(CONTEXT_PARAM_TRAIT))
                    .and_then(|c| c.get("name"))
                    .and_then(Json::as_str)
                else {
                    continue;
                };
                if let Some(v) = op_input.get(member) {
                    insert(&mut params, param, v, member)?;
                }
            }
        }

        if let Some(statics) = traits
            .and_then(|t| t.get(STATIC_CONTEXT_TRAIT))
            .and_then(Json::as_object)
        {
            for (param, def) in statics {
                if let Some(v) = def.get("value") {
                    insert(&mut params, param, v, param)?;
                }
            }
        }
        Ok(params)
    }
}
