//! The model's endpoint test cases (`smithy.rules#endpointTests`) as Rust tests
//! of the generated client: each case configures the public `Config` (region,
//! FIPS, dual-stack, endpoint override, account id), builds the operation's
//! input, and resolves the request's endpoint exactly as sending does, then
//! checks the URL, headers and signing scope, or the expected endpoint error.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value};

use super::protocol_tests::Gen;
use super::{ident, lit, Ctx, Items, Module};
use crate::ir::*;
use crate::model::Model;
use crate::naming;

/// The `endpoint_tests` module (compiled only under `cfg(test)`) and its case count;
/// `None` when the service has no endpoint tests.
pub fn endpoint_tests_module<'a>(
    model: &'a Model,
    service: &'a ServiceIr,
) -> Option<(Module<'a>, usize)> {
    let shape = model.shape(&service.service_id)?;
    let cases = shape
        .traits
        .get("smithy.rules#endpointTests")
        .and_then(|t| t.get("testCases"))
        .and_then(Value::as_array)?;
    let built_ins: BTreeMap<String, String> = shape
        .traits
        .get("smithy.rules#endpointRuleSet")
        .and_then(|r| r.get("parameters"))
        .and_then(Value::as_object)
        .map(|params| {
            params
                .iter()
                .filter_map(|(name, def)| {
                    Some((name.clone(), def.get("builtIn")?.as_str()?.to_owned()))
                })
                .collect()
        })
        .unwrap_or_default();
    // How each case runs is decided before anything is rendered: the
    // module's documentation counts the cases no request can carry.
    let planned: Vec<(&Value, Result<Vec<Variant>, Unsupported>)> = cases
        .iter()
        .map(|case| (case, case_variants(case, service, &built_ins)))
        .collect();
    let count = planned.len();
    let through_params = planned
        .iter()
        .filter(|(_, variants)| matches!(variants, Err(Unsupported::NotExpressible(_))))
        .count();
    let module = Module::leaf(
        vec![format!(
            "The model's {count} endpoint test cases, run through the client's Config ({through_params} through `config::endpoint::DefaultResolver`, as no request can carry their parameters together)."
        )],
        Items::new(move |ctx| {
            let gen = Gen::new(service, ctx).literal_mode();
            let tests = planned
                .iter()
                .enumerate()
                .map(|(index, (case, variants))| case_test(index, case, variants, service, &gen, ctx));
            quote!(#(#tests)*)
        }),
    );
    Some((module, count))
}

/// The test of case number `index`, which runs as `variants` say.
fn case_test(
    index: usize,
    case: &Value,
    variants: &Result<Vec<Variant<'_>>, Unsupported>,
    service: &ServiceIr,
    gen: &Gen<'_>,
    ctx: &Ctx,
) -> TokenStream {
    let doc = case
        .get("documentation")
        .and_then(Value::as_str)
        .unwrap_or("");
    let mut slug = naming::snake(doc);
    slug.truncate(60);
    let name = ident(format!("case_{index:03}_{}", slug.trim_end_matches('_')).as_str());
    let doc_attr = if doc.trim().is_empty() {
        lit(&format!(" Endpoint test case {index}."))
    } else {
        lit(&crate::docs::one_line(&format!(" {doc}")))
    };
    let body = match variants {
        Ok(variants) => case_body(case, variants, gen, ctx),
        Err(unsupported) => Err(unsupported.clone()),
    };
    match body {
        Ok(body) => quote! {
            #[doc = #doc_attr]
            #[test]
            fn #name() {
                #body
            }
        },
        Err(Unsupported::NotExpressible(reason)) => {
            // No request can carry these parameters together: the case runs
            // through the crate's public `config::endpoint` resolver instead.
            let doc_note = lit(&format!(
                " Run through `config::endpoint::DefaultResolver`: {reason}."
            ));
            let body = match params_body(case, service, ctx) {
                Ok(body) => body,
                Err(reason) => {
                    let reason = lit(&format!("this case could not be generated: {reason}"));
                    quote!(::std::panic!(#reason);)
                }
            };
            quote! {
                #[doc = #doc_attr]
                #[doc = ""]
                #[doc = #doc_note]
                #[test]
                fn #name() {
                    #body
                }
            }
        }
        Err(Unsupported::Generator(reason)) => {
            let reason = lit(&format!("this case could not be generated: {reason}"));
            quote! {
                #[doc = #doc_attr]
                #[test]
                fn #name() {
                    ::std::panic!(#reason);
                }
            }
        }
    }
}

/// Why a case has no runnable test.
#[derive(Clone)]
enum Unsupported {
    /// No operation of the service can bind the case's parameters.
    NotExpressible(String),
    /// Anything else: a generator limitation, reported as a failing test.
    Generator(String),
}

impl From<String> for Unsupported {
    fn from(reason: String) -> Self {
        Unsupported::Generator(reason)
    }
}

impl From<&str> for Unsupported {
    fn from(reason: &str) -> Self {
        Unsupported::Generator(reason.to_owned())
    }
}

/// One way of exercising a case: configuration calls, an operation and its input.
struct Variant<'a> {
    config: Vec<ConfigCall>,
    operation: &'a OperationIr,
    input: Value,
}

/// How a case is exercised: the requests it is sent as, decided from the
/// case and the service alone.
fn case_variants<'a>(
    case: &Value,
    service: &'a ServiceIr,
    built_ins: &BTreeMap<String, String>,
) -> Result<Vec<Variant<'a>>, Unsupported> {
    let mut variants = Vec::new();
    match case.get("operationInputs").and_then(Value::as_array) {
        Some(inputs) => {
            for input in inputs {
                if input
                    .get("clientParams")
                    .and_then(Value::as_object)
                    .is_some_and(|p| !p.is_empty())
                {
                    return Err(Unsupported::Generator(
                        "client context parameters cannot be set through Config".to_owned(),
                    ));
                }
                let mut config = Vec::new();
                if let Some(params) = input.get("builtInParams").and_then(Value::as_object) {
                    for (built_in, value) in params {
                        config.push(config_call(built_in, value)?);
                    }
                }
                let op_name = input
                    .get("operationName")
                    .and_then(Value::as_str)
                    .ok_or("an operation input has no operationName")?;
                let operation = service
                    .operations
                    .iter()
                    .find(|o| o.wire_name == op_name)
                    .ok_or_else(|| format!("operation `{op_name}` is not generated"))?;
                variants.push(Variant {
                    config,
                    operation,
                    input: input.get("operationParams").cloned().unwrap_or(Value::Null),
                });
            }
        }
        None => {
            let params = case
                .get("params")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let mut config = Vec::new();
            let mut bound = Map::new();
            for (name, value) in &params {
                match built_ins.get(name) {
                    Some(built_in) => config.push(config_call(built_in, value)?),
                    None => {
                        bound.insert(name.clone(), value.clone());
                    }
                }
            }
            let (operation, input) =
                operation_binding(service, &bound).map_err(Unsupported::NotExpressible)?;
            variants.push(Variant {
                config,
                operation,
                input,
            });
        }
    }
    Ok(variants)
}

/// The body of a case's test: one block per variant.
fn case_body(
    case: &Value,
    variants: &[Variant<'_>],
    gen: &Gen<'_>,
    ctx: &Ctx,
) -> Result<TokenStream, Unsupported> {
    let expect = case
        .get("expect")
        .and_then(Value::as_object)
        .ok_or("the case has no expect")?;
    let mut blocks = Vec::new();
    for variant in variants {
        blocks.push(variant_block(variant, expect, gen, ctx)?);
    }
    Ok(quote!(#(#blocks)*))
}

/// A `Config` builder call that sets a built-in parameter: `.region("..")`.
struct ConfigCall {
    method: &'static str,
    value: ConfigValue,
}

enum ConfigValue {
    String(String),
    Bool(bool),
}

impl ConfigCall {
    fn tokens(&self) -> TokenStream {
        let method = ident(self.method);
        match &self.value {
            ConfigValue::String(s) => {
                let v = lit(s);
                quote!(.#method(#v))
            }
            ConfigValue::Bool(b) => quote!(.#method(#b)),
        }
    }
}

/// The `Config` builder call for a built-in parameter.
fn config_call(built_in: &str, value: &Value) -> Result<ConfigCall, String> {
    let string = || {
        value
            .as_str()
            .map(|s| ConfigValue::String(s.to_owned()))
            .ok_or_else(|| format!("built-in {built_in} is not a string"))
    };
    let boolean = || {
        value
            .as_bool()
            .map(ConfigValue::Bool)
            .ok_or_else(|| format!("built-in {built_in} is not a boolean"))
    };
    let (method, value) = match built_in {
        "AWS::Region" => ("region", string()?),
        "AWS::UseFIPS" => ("use_fips", boolean()?),
        "AWS::UseDualStack" => ("use_dual_stack", boolean()?),
        "SDK::Endpoint" => ("endpoint_url", string()?),
        "AWS::Auth::AccountId" => ("account_id", string()?),
        "AWS::Auth::AccountIdEndpointMode" => ("account_id_endpoint_mode", string()?),
        other => return Err(format!("built-in {other} has no Config setting")),
    };
    Ok(ConfigCall { method, value })
}

/// An operation binding every parameter in `bound` from its input, and an
/// input that makes it bind exactly those values.
fn operation_binding<'a>(
    service: &'a ServiceIr,
    bound: &Map<String, Value>,
) -> Result<(&'a OperationIr, Value), String> {
    if bound.is_empty() {
        let operation = service
            .operations
            .iter()
            .find(|o| o.endpoint_params == EndpointParamsIr::default())
            .or_else(|| service.operations.first())
            .ok_or("the service has no operations")?;
        return Ok((operation, Value::Null));
    }
    'operations: for operation in &service.operations {
        let mut input = Value::Object(Map::new());
        for (name, value) in bound {
            let params = &operation.endpoint_params;
            if let Some((_, member)) = params.members.iter().find(|(p, _)| p == name) {
                merge(&mut input, serde_json::json!({ member: value }));
            } else if let Some((_, path)) = params.paths.iter().find(|(p, _)| p == name) {
                match invert_path(path, value) {
                    Some(v) => merge(&mut input, v),
                    None => continue 'operations,
                }
            } else {
                continue 'operations;
            }
        }
        return Ok((operation, input));
    }
    Err(format!(
        "no operation binds the parameters {} from its input",
        bound.keys().cloned().collect::<Vec<_>>().join(", ")
    ))
}

/// An input in which `path` (`A.B`, `A[*].B`, `keys(A)`) evaluates to `value`.
fn invert_path(path: &str, value: &Value) -> Option<Value> {
    if let Some(inner) = path.strip_prefix("keys(").and_then(|p| p.strip_suffix(')')) {
        let keys = value.as_array()?;
        let map: Map<String, Value> = keys
            .iter()
            .map(|k| Some((k.as_str()?.to_owned(), Value::Object(Map::new()))))
            .collect::<Option<_>>()?;
        return nest(&inner.split('.').collect::<Vec<_>>(), Value::Object(map));
    }
    let segments: Vec<&str> = path.split('.').collect();
    if let Some(i) = segments.iter().position(|s| s.ends_with("[*]")) {
        let items = value.as_array()?;
        let head = segments[i].trim_end_matches("[*]");
        let rest = &segments[i + 1..];
        let list: Vec<Value> = items
            .iter()
            .map(|item| nest(rest, item.clone()))
            .collect::<Option<_>>()?;
        let mut prefix = segments[..i].to_vec();
        prefix.push(head);
        return nest(&prefix, Value::Array(list));
    }
    nest(&segments, value.clone())
}

fn nest(segments: &[&str], value: Value) -> Option<Value> {
    let mut out = value;
    for segment in segments.iter().rev() {
        if segment.is_empty() || segment.contains(['[', ']', '(', ')', '|', '*']) {
            return None;
        }
        out = serde_json::json!({ *segment: out });
    }
    Some(out)
}

fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        a.insert(k, v);
                    }
                }
            }
        }
        (slot, other) => *slot = other,
    }
}

fn variant_block(
    variant: &Variant<'_>,
    expect: &Map<String, Value>,
    gen: &Gen<'_>,
    ctx: &Ctx,
) -> Result<TokenStream, String> {
    let rt = &ctx.rt;
    let root = &ctx.root;
    let op = variant.operation;
    let module = ident(&op.module);
    let input = gen.struct_literal(
        &op.input,
        &variant.input,
        &quote!(#root::operation::#module),
        0,
    )?;
    let config = variant.config.iter().map(ConfigCall::tokens);
    // What the client gives the endpoint rules from the input.
    let endpoint_input = match super::operation::has_endpoint_input(op) {
        true => {
            let write = ident(super::operation::ENDPOINT_INPUT_FN);
            quote!(#rt::json::to_value(&input, #root::operation::#module::#write).expect("the input serializes"))
        }
        false => quote!({ let _ = &input; #rt::serde_json::Value::Null }),
    };
    let resolve = quote! {
        let config = #root::Config::builder() #(#config)* .build();
        let input = #input;
        let json = #endpoint_input;
        let resolved = #rt::orchestrator::resolve_request_endpoint(
            &config,
            &#root::SERVICE,
            &#root::operation::#module::OPERATION,
            &json,
        );
    };
    if let Some(error) = expect.get("error") {
        let message = lit(error.as_str().ok_or("expect.error is not a string")?);
        return Ok(quote! {
            {
                #resolve
                match resolved {
                    ::std::result::Result::Err(message) => {
                        ::std::assert!(message.contains(#message), "expected the endpoint error {:?}, got {:?}", #message, message);
                    }
                    ::std::result::Result::Ok(endpoint) => ::std::panic!("expected the endpoint error {:?}, got {:?}", #message, endpoint),
                }
            }
        });
    }
    let endpoint = expect
        .get("endpoint")
        .and_then(Value::as_object)
        .ok_or("expect has neither endpoint nor error")?;
    let url = lit(endpoint
        .get("url")
        .and_then(Value::as_str)
        .ok_or("expected endpoint has no url")?);
    let headers = endpoint
        .get("headers")
        .and_then(Value::as_object)
        .map(|h| {
            h.iter()
                .map(|(name, values)| {
                    let name = lit(&name.to_ascii_lowercase());
                    let values = values
                        .as_array()
                        .map(|vs| vs.iter().filter_map(Value::as_str).map(lit).collect::<Vec<_>>())
                        .unwrap_or_default();
                    quote! {
                        let values: ::std::vec::Vec<&str> = endpoint.headers.iter().filter(|(k, _)| k == #name).map(|(_, v)| v.as_str()).collect();
                        ::std::assert_eq!(values, [#(#values),*], "header {}", #name);
                    }
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let signing = match sigv4_scope(endpoint) {
        Some((region, name)) => {
            let (region, name) = (lit(&region), lit(&name));
            quote! {
                ::std::assert_eq!(endpoint.signing_region.as_deref(), ::std::option::Option::Some(#region), "signing region");
                ::std::assert_eq!(endpoint.signing_name, #name, "signing name");
            }
        }
        None => quote!(),
    };
    Ok(quote! {
        {
            #resolve
            let endpoint = resolved.unwrap_or_else(|message| ::std::panic!("expected an endpoint, got the error {:?}", message));
            #rt::test_util::assert_uri_eq(&endpoint.uri, #url);
            #(#headers)*
            #signing
        }
    })
}

/// A case resolved through the public `config::endpoint::Params` and
/// `DefaultResolver`, comparing URL, headers and properties.
fn params_body(case: &Value, service: &ServiceIr, ctx: &Ctx) -> Result<TokenStream, String> {
    let rt = &ctx.rt;
    let root = &ctx.root;
    let mut setters = Vec::new();
    if let Some(params) = case.get("params").and_then(Value::as_object) {
        for (name, value) in params {
            let param = service
                .endpoint_rule_params
                .iter()
                .find(|p| p.name == *name)
                .ok_or_else(|| format!("the rules declare no parameter `{name}`"))?;
            let setter = ident(&param.field);
            let v = match (param.kind, value) {
                (EndpointParamKind::String, Value::String(s)) => {
                    let s = lit(s);
                    quote!(#s)
                }
                (EndpointParamKind::Bool, Value::Bool(b)) => quote!(#b),
                (EndpointParamKind::StringArray, Value::Array(items)) => {
                    let items = items
                        .iter()
                        .map(|i| {
                            i.as_str().map(|s| {
                                let s = lit(s);
                                quote!(::std::string::String::from(#s))
                            })
                        })
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| format!("parameter `{name}` is not a list of strings"))?;
                    quote!(::std::vec![#(#items),*])
                }
                _ => return Err(format!("parameter `{name}` has a value of the wrong type")),
            };
            setters.push(quote!(.#setter(#v)));
        }
    }
    let resolve = quote! {
        let params = #root::config::endpoint::Params::builder() #(#setters)* .build();
        let resolved = #root::config::endpoint::DefaultResolver::new().resolve_endpoint(&params);
    };
    let expect = case
        .get("expect")
        .and_then(Value::as_object)
        .ok_or("the case has no expect")?;
    if let Some(error) = expect.get("error") {
        let message = lit(error.as_str().ok_or("expect.error is not a string")?);
        return Ok(quote! {
            #resolve
            match resolved {
                ::std::result::Result::Err(message) => ::std::assert_eq!(message, #message),
                ::std::result::Result::Ok(endpoint) => ::std::panic!("expected the endpoint error {:?}, got {:?}", #message, endpoint),
            }
        });
    }
    let endpoint = expect
        .get("endpoint")
        .and_then(Value::as_object)
        .ok_or("expect has neither endpoint nor error")?;
    let url = lit(endpoint
        .get("url")
        .and_then(Value::as_str)
        .ok_or("expected endpoint has no url")?);
    let properties = lit(&endpoint
        .get("properties")
        .cloned()
        .unwrap_or(Value::Object(Map::new()))
        .to_string());
    let headers = lit(&endpoint
        .get("headers")
        .cloned()
        .unwrap_or(Value::Object(Map::new()))
        .to_string());
    Ok(quote! {
        #resolve
        let endpoint = resolved.unwrap_or_else(|message| ::std::panic!("expected an endpoint, got the error {:?}", message));
        ::std::assert_eq!(endpoint.url, #url);
        let properties: #rt::serde_json::Value = #rt::serde_json::from_str(#properties).expect("expected properties are JSON");
        ::std::assert_eq!(#rt::serde_json::Value::Object(endpoint.properties.clone()), properties, "endpoint properties");
        let headers: ::std::collections::BTreeMap<::std::string::String, ::std::vec::Vec<::std::string::String>> =
            #rt::serde_json::from_str(#headers).expect("expected headers are JSON");
        ::std::assert_eq!(endpoint.headers, headers, "endpoint headers");
    })
}

/// The SigV4 signing region and name an expected endpoint's `authSchemes` name.
fn sigv4_scope(endpoint: &Map<String, Value>) -> Option<(String, String)> {
    let scheme = endpoint
        .get("properties")?
        .get("authSchemes")?
        .as_array()?
        .iter()
        .find(|s| s.get("name").and_then(Value::as_str) == Some("sigv4"))?;
    Some((
        scheme.get("signingRegion")?.as_str()?.to_owned(),
        scheme.get("signingName")?.as_str()?.to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::invert_path;
    use serde_json::json;

    #[test]
    fn paths_are_inverted_into_inputs() {
        assert_eq!(
            invert_path("TableName", &json!("t")),
            Some(json!({"TableName": "t"}))
        );
        assert_eq!(
            invert_path("A.B", &json!("v")),
            Some(json!({"A": {"B": "v"}}))
        );
        assert_eq!(
            invert_path("TransactItems[*].Get.TableName", &json!(["a", "b"])),
            Some(
                json!({"TransactItems": [{"Get": {"TableName": "a"}}, {"Get": {"TableName": "b"}}]})
            )
        );
        assert_eq!(
            invert_path("keys(RequestItems)", &json!(["x"])),
            Some(json!({"RequestItems": {"x": {}}}))
        );
        assert_eq!(invert_path("a|b", &json!("v")), None);
    }
}
