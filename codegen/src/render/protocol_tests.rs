//! Protocol compliance tests from the model's `smithy.test#httpRequestTests`
//! and `smithy.test#httpResponseTests` traits, one Rust test per case.
//!
//! Request tests build the input from `params` through the public builders,
//! send it through the client to a capturing transport, and check every
//! field the case gives: the method, the URI's path and host (`resolvedHost`,
//! else `host`), `queryParams`, `forbidQueryParams`, `requireQueryParams`,
//! `headers` (a header sent on several lines compared as its values joined),
//! `forbidHeaders`, `requireHeaders` and the body, compared as its
//! `bodyMediaType` says. Response tests feed the case's status, headers and
//! body to the operation and compare the output (or the modeled error) with
//! `params`, member by member, and an error's code (and query error type)
//! with the case's `vendorParams`, when they give them.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::values::{document_expr, float_literal, int_literal};
use super::{ident, lit, Ctx, Items, Module};
use crate::ir::*;
use crate::model::Model;
use crate::naming;

const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";

/// How many client cases were generated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseCounts {
    pub requests: usize,
    pub responses: usize,
    /// Cases (of either kind) generated ignored: the protocol's generated
    /// code cannot pass them yet.
    pub ignored: usize,
}

/// The `protocol_tests` module (compiled only under `cfg(test)`) and how
/// many cases it holds.
pub fn protocol_tests_module<'a>(
    model: &'a Model,
    service: &'a ServiceIr,
) -> (Module<'a>, CaseCounts) {
    let cases = planned_cases(model, service);
    let counts = CaseCounts {
        requests: cases
            .iter()
            .filter(|c| matches!(c.kind, CaseKind::Request))
            .count(),
        responses: cases
            .iter()
            .filter(|c| !matches!(c.kind, CaseKind::Request))
            .count(),
        ignored: cases
            .iter()
            .filter(|c| unsupported(service, c.case).is_some())
            .count(),
    };
    let module = Module::leaf(
        vec![format!(
            "Protocol compliance tests from the model: {} request and {} response cases.",
            counts.requests, counts.responses
        )],
        Items::new(move |ctx| {
            let gen = Gen::new(service, ctx);
            let tests = cases.iter().map(|c| match c.kind {
                CaseKind::Request => gen.request_test(c.op, c.case, &c.name),
                CaseKind::Response => gen.response_test(c.op, c.case, &c.name),
                CaseKind::Error(error) => gen.error_test(c.op, error, c.case, &c.name),
            });
            quote!(#(#tests)*)
        }),
    );
    (module, counts)
}

/// One client case of the model, and the name of its test.
struct PlannedCase<'a> {
    kind: CaseKind<'a>,
    /// The operation the case sends (for an error case, the first that can
    /// return the error).
    op: &'a OperationIr,
    case: &'a Value,
    name: String,
}

enum CaseKind<'a> {
    Request,
    Response,
    Error(&'a StructIr),
}

/// The client cases of the model's operations and errors, in test order,
/// each with a unique test name.
fn planned_cases<'a>(model: &'a Model, service: &'a ServiceIr) -> Vec<PlannedCase<'a>> {
    let mut cases = Vec::new();
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    let mut unique = |base: String| {
        let n = names.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            base
        } else {
            format!("{base}_{n}")
        }
    };

    for op in &service.operations {
        let Some(shape) = model.shape(&op.shape_id) else {
            continue;
        };
        for case in client_cases(shape.traits.get(REQUEST_TESTS)) {
            let name = unique(format!("{}_request", naming::snake(case_id(case))));
            cases.push(PlannedCase {
                kind: CaseKind::Request,
                op,
                case,
                name,
            });
        }
        for case in client_cases(shape.traits.get(RESPONSE_TESTS)) {
            let name = unique(format!("{}_response", naming::snake(case_id(case))));
            cases.push(PlannedCase {
                kind: CaseKind::Response,
                op,
                case,
                name,
            });
        }
    }
    for error in &service.errors {
        let Some(shape) = model.shape(&error.shape_id) else {
            continue;
        };
        // The first operation (in module order) that can return this error.
        let Some(op) = service
            .operations
            .iter()
            .find(|op| op.errors.iter().any(|e| e.type_name == error.name))
        else {
            continue;
        };
        for case in client_cases(shape.traits.get(RESPONSE_TESTS)) {
            let name = unique(format!("{}_error_response", naming::snake(case_id(case))));
            cases.push(PlannedCase {
                kind: CaseKind::Error(error),
                op,
                case,
                name,
            });
        }
    }
    cases
}

fn client_cases(trait_value: Option<&Value>) -> impl Iterator<Item = &Value> {
    trait_value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|case| case.get("appliesTo").and_then(Value::as_str) != Some("server"))
}

/// Why the generated code cannot pass `case` yet, when the service's
/// protocol says it cannot.
fn unsupported(service: &ServiceIr, case: &Value) -> Option<&'static str> {
    super::protocol::of(service.protocol).unsupported_case(case_id(case))
}

/// `#[ignore = "why"]` for a case the generated code cannot pass yet.
fn ignore_attr(why: Option<&str>) -> Option<TokenStream> {
    why.map(|why| {
        let why = lit(&format!("not supported yet: {why}"));
        quote!(#[ignore = #why])
    })
}

fn case_id(case: &Value) -> &str {
    case.get("id").and_then(Value::as_str).unwrap_or("unnamed")
}

fn str_field<'a>(case: &'a Value, key: &str) -> Option<&'a str> {
    case.get(key).and_then(Value::as_str)
}

fn string_pairs(case: &Value, key: &str) -> Vec<(String, String)> {
    case.get(key)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string()),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn string_list(case: &Value, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

pub(super) struct Gen<'a> {
    ctx: &'a Ctx,
    service: &'a ServiceIr,
    types: BTreeMap<&'a str, &'a TypeDef>,
    errors: BTreeMap<&'a str, &'a StructIr>,
    /// Build structures as struct literals (possible inside the crate), with
    /// members the JSON leaves out set to their zero value, instead of through
    /// builders that would insist on required members.
    literal: bool,
}

impl<'a> Gen<'a> {
    pub(super) fn new(service: &'a ServiceIr, ctx: &'a Ctx) -> Self {
        Gen {
            literal: false,
            ctx,
            service,
            types: service.types.iter().map(|t| (t.name(), t)).collect(),
            errors: service
                .errors
                .iter()
                .map(|e| (e.name.as_str(), e))
                .collect(),
        }
    }

    /// The client configuration of a test of `op`: its idempotency tokens,
    /// if it has any, are the one the protocol tests expect.
    fn config(&self, op: &OperationIr, host: &str) -> TokenStream {
        let rt = &self.ctx.rt;
        let root = &self.ctx.root;
        let endpoint = lit(&format!("https://{host}"));
        let tokens = op
            .input
            .fields
            .iter()
            .any(|f| f.idempotency_token)
            .then(|| {
                quote! {
                    .idempotency_token_provider(#rt::idempotency::IdempotencyTokenProvider::fixed(
                        "00000000-0000-4000-8000-000000000000",
                    ))
                }
            });
        quote! {
            #root::Config::builder()
                .region("us-east-1")
                .endpoint_url(#endpoint)
                .credentials(#rt::credentials::Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ::std::option::Option::None))
                .http_client(http.clone())
                .retry_config(#rt::retry::RetryConfig::disabled())
                #tokens
                .build()
        }
    }

    fn request_test(&self, op: &OperationIr, case: &Value, name: &str) -> TokenStream {
        let rt = &self.ctx.rt;
        let root = &self.ctx.root;
        let test = ident(name);
        let doc = lit(&crate::docs::one_line(&format!(
            " `{}`: {}",
            case_id(case),
            str_field(case, "documentation").unwrap_or("")
        )));
        let host = str_field(case, "host").unwrap_or("example.com");
        let config = self.config(op, host);
        let method_name = ident(&op.module);
        let params = case
            .get("params")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let setters = match self.setters(&op.input, &params) {
            Ok(setters) => setters,
            Err(reason) => return failing_test(&test, &doc, &reason),
        };
        let method = lit(str_field(case, "method").unwrap_or("POST"));
        let uri = lit(str_field(case, "uri").unwrap_or("/"));
        // The host the request goes to: `resolvedHost`, else the host the
        // client was given (which may go on with a path: `example.com/custom`).
        let resolved_host = str_field(case, "resolvedHost")
            .unwrap_or_else(|| host.split('/').next().unwrap_or(host));
        let resolved_host = lit(resolved_host);
        let headers = pairs_tokens(&string_pairs(case, "headers"));
        let forbid = list_tokens(&string_list(case, "forbidHeaders"));
        let require = list_tokens(&string_list(case, "requireHeaders"));
        let query_check = ["queryParams", "forbidQueryParams", "requireQueryParams"]
            .iter()
            .any(|key| case.get(*key).is_some())
            .then(|| {
                let expected = list_tokens(&string_list(case, "queryParams"));
                let forbidden = list_tokens(&string_list(case, "forbidQueryParams"));
                let required = list_tokens(&string_list(case, "requireQueryParams"));
                quote!(#rt::test_util::assert_query(&request, &[#expected], &[#forbidden], &[#required]);)
            });
        let ignore = ignore_attr(unsupported(self.service, case));
        let body_check = match str_field(case, "body") {
            Some(body) => {
                let body = lit(body);
                let media = match str_field(case, "bodyMediaType") {
                    Some(m) => {
                        let m = lit(m);
                        quote!(::std::option::Option::Some(#m))
                    }
                    None => quote!(::std::option::Option::None),
                };
                quote!(#rt::test_util::assert_body(&request.body, #body, #media);)
            }
            None => quote!(),
        };
        quote! {
            #[doc = #doc]
            #[::tokio::test]
            #ignore
            async fn #test() {
                let http = #rt::test_util::CaptureClient::new(#rt::http::HttpResponse::new(200, ::std::vec::Vec::new(), b"{}".to_vec()));
                let client = #root::Client::from_conf(#config);
                let _ = client.#method_name() #setters .send().await;
                let request = http.expect_request();
                ::std::assert_eq!(request.method, #method);
                #rt::test_util::assert_uri(&request, #uri, #resolved_host);
                #query_check
                #rt::test_util::assert_headers(&request, &[#headers]);
                #rt::test_util::assert_forbidden_headers(&request, &[#forbid]);
                #rt::test_util::assert_required_headers(&request, &[#require]);
                #body_check
            }
        }
    }

    fn response_test(&self, op: &OperationIr, case: &Value, name: &str) -> TokenStream {
        let test = ident(name);
        let doc = lit(&crate::docs::one_line(&format!(
            " `{}`: {}",
            case_id(case),
            str_field(case, "documentation").unwrap_or("")
        )));
        let params = case
            .get("params")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let expected = match self.build_struct(&op.output, &params, &self.op_path(op)) {
            Ok(expected) => expected,
            Err(reason) => return failing_test(&test, &doc, &reason),
        };
        let send = self.send_canned(op, case);
        let comparisons = field_comparisons(&op.output, self.ctx);
        let ignore = ignore_attr(unsupported(self.service, case));
        quote! {
            #[doc = #doc]
            #[::tokio::test]
            #ignore
            async fn #test() {
                #send
                let actual = result.expect("the response parses as the output");
                let expected = #expected;
                #comparisons
            }
        }
    }

    fn error_test(
        &self,
        op: &OperationIr,
        error: &StructIr,
        case: &Value,
        name: &str,
    ) -> TokenStream {
        let rt = &self.ctx.rt;
        let root = &self.ctx.root;
        let test = ident(name);
        let doc = lit(&crate::docs::one_line(&format!(
            " `{}`: {}",
            case_id(case),
            str_field(case, "documentation").unwrap_or("")
        )));
        let params = case
            .get("params")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        let expected = match self.build_struct(error, &params, &quote!(#root::types::error)) {
            Ok(expected) => expected,
            Err(reason) => return failing_test(&test, &doc, &reason),
        };
        let send = self.send_canned(op, case);
        let module = ident(&op.module);
        let enum_name = ident(&op.error_enum);
        let variant = ident(&error.name);
        let comparisons = field_comparisons(error, self.ctx);
        let meta_checks = error_code_checks(case);
        let ignore = ignore_attr(unsupported(self.service, case));
        quote! {
            #[doc = #doc]
            #[::tokio::test]
            #ignore
            async fn #test() {
                #send
                let err = result.expect_err("the response is an error");
                let actual = match err {
                    #rt::error::SdkError::ServiceError(service_error) => match service_error.into_err() {
                        #root::operation::#module::#enum_name::#variant(actual) => actual,
                        other => ::std::panic!("expected {}, got {:?}", ::std::stringify!(#variant), other),
                    },
                    other => ::std::panic!("expected a service error, got {:?}", other),
                };
                let expected = #expected;
                #meta_checks
                #comparisons
            }
        }
    }

    /// Sends an empty input for `op` through the client to a transport that
    /// answers with the case's response; binds `result`.
    fn send_canned(&self, op: &OperationIr, case: &Value) -> TokenStream {
        let rt = &self.ctx.rt;
        let code = case.get("code").and_then(Value::as_u64).unwrap_or(200) as u16;
        let headers = pairs_tokens(&string_pairs(case, "headers"));
        let body = lit(str_field(case, "body").unwrap_or(""));
        let config = self.config(op, "example.com");
        let op_path = self.op_path(op);
        let op_struct = ident(&op.struct_name);
        let input = ident(&op.input.name);
        // Labels are filled in, as a request without them cannot be sent.
        let fields = op.input.fields.iter().map(|f| {
            let name = ident(&f.name);
            match (&f.location, self.label_placeholder(&f.ty)) {
                (Location::Label, Some(value)) => {
                    quote!(#name: ::std::option::Option::Some(#value),)
                }
                // A stream, never absent: empty.
                _ if !f.optional => quote!(#name: ::std::default::Default::default(),),
                _ => quote!(#name: ::std::option::Option::None,),
            }
        });
        quote! {
            let headers: &[(&str, &str)] = &[#headers];
            let response = #rt::http::HttpResponse::new(
                #code,
                headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                #body.as_bytes().to_vec(),
            );
            let http = #rt::test_util::CaptureClient::new(response);
            let handle = #rt::client::Handle::new(#config);
            let input = #op_path::#input { #(#fields)* };
            let result = #op_path::#op_struct::orchestrate(::std::sync::Arc::new(handle), ::std::result::Result::Ok(input)).await;
        }
    }

    /// A value for a label of type `ty` when the case does not matter.
    fn label_placeholder(&self, ty: &RustType) -> Option<TokenStream> {
        let value = match ty {
            RustType::String | RustType::Enum(_) => Value::from("label"),
            RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => Value::from(1),
            RustType::F32 | RustType::F64 => Value::from(1.5),
            RustType::Bool => Value::from(true),
            RustType::DateTime(_) => Value::from(0),
            _ => return None,
        };
        self.value(ty, &value).ok()
    }

    fn op_path(&self, op: &OperationIr) -> TokenStream {
        let root = &self.ctx.root;
        let module = ident(&op.module);
        quote!(#root::operation::#module)
    }

    /// `.set_x(Some(..))` calls for each member in `params`.
    fn setters(&self, s: &StructIr, params: &Value) -> Result<TokenStream, String> {
        let object = params
            .as_object()
            .ok_or_else(|| format!("params for `{}` are not an object", s.name))?;
        let mut out = TokenStream::new();
        for (key, value) in object {
            let field = s
                .fields
                .iter()
                .find(|f| f.wire_name == *key)
                .ok_or_else(|| format!("`{}` has no member `{key}`", s.name))?;
            let set = ident(&format!("set_{}", field.suffix));
            if value.is_null() {
                out.extend(quote!(.#set(::std::option::Option::None)));
                continue;
            }
            let mut expr = self.value(&field.ty, value)?;
            if field.boxed {
                expr = quote!(::std::boxed::Box::new(#expr));
            }
            out.extend(quote!(.#set(::std::option::Option::Some(#expr))));
        }
        Ok(out)
    }

    /// A structure built from `params` through its builder.
    fn build_struct(
        &self,
        s: &StructIr,
        params: &Value,
        parent: &TokenStream,
    ) -> Result<TokenStream, String> {
        if self.literal {
            return self.struct_literal(s, params, parent, 0);
        }
        let setters = self.setters(s, params)?;
        let name = ident(&s.name);
        let expect = s
            .build_is_fallible()
            .then(|| quote!(.expect("params hold every required member")));
        Ok(quote!(#parent::#name::builder() #setters .build() #expect))
    }

    /// Literal mode: a builder-free value for the whole input.
    pub(super) fn literal_mode(mut self) -> Self {
        self.literal = true;
        self
    }

    /// A struct literal from `params`; members it leaves out are `None` or,
    /// when not optional, their zero value.
    pub(super) fn struct_literal(
        &self,
        s: &StructIr,
        params: &Value,
        parent: &TokenStream,
        depth: usize,
    ) -> Result<TokenStream, String> {
        if depth > 16 {
            return Err(format!("`{}` nests too deeply to build", s.name));
        }
        let empty = serde_json::Map::new();
        let object = match params {
            Value::Null => &empty,
            other => other
                .as_object()
                .ok_or_else(|| format!("params for `{}` are not an object", s.name))?,
        };
        if let Some(unknown) = object
            .keys()
            .find(|k| !s.fields.iter().any(|f| &f.wire_name == *k))
        {
            return Err(format!("`{}` has no member `{unknown}`", s.name));
        }
        let mut fields = Vec::new();
        for f in &s.fields {
            let fname = ident(&f.name);
            let expr = match object.get(&f.wire_name).filter(|v| !v.is_null()) {
                Some(v) => {
                    let mut e = self.value(&f.ty, v)?;
                    if f.boxed {
                        e = quote!(::std::boxed::Box::new(#e));
                    }
                    if f.optional {
                        quote!(::std::option::Option::Some(#e))
                    } else {
                        e
                    }
                }
                None if f.optional => quote!(::std::option::Option::None),
                None => {
                    let mut e = self.zero(&f.ty, depth + 1)?;
                    if f.boxed {
                        e = quote!(::std::boxed::Box::new(#e));
                    }
                    e
                }
            };
            fields.push(quote!(#fname: #expr,));
        }
        if s.kind == StructKind::Error {
            fields.push(quote!(meta: ::std::default::Default::default(),));
        }
        let name = ident(&s.name);
        Ok(quote!(#parent::#name { #(#fields)* }))
    }

    /// The zero value of a required member the JSON leaves out.
    fn zero(&self, ty: &RustType, depth: usize) -> Result<TokenStream, String> {
        let rt = &self.ctx.rt;
        let root = &self.ctx.root;
        if let Some(zero) = super::values::zero_value(ty, self.ctx) {
            return Ok(zero);
        }
        Ok(match ty {
            RustType::BigInteger | RustType::BigDecimal => {
                let t = if *ty == RustType::BigInteger {
                    quote!(BigInteger)
                } else {
                    quote!(BigDecimal)
                };
                quote!("0".parse::<#rt::primitives::#t>().expect("zero"))
            }
            RustType::Struct(t) => match self.types.get(t.name.as_str()) {
                Some(TypeDef::Struct(s)) => {
                    self.struct_literal(s, &Value::Null, &quote!(#root::types), depth)?
                }
                _ => return Err(format!("no structure `{}`", t.name)),
            },
            RustType::ErrorStruct(t) => match self.errors.get(t.name.as_str()) {
                Some(s) => {
                    self.struct_literal(s, &Value::Null, &quote!(#root::types::error), depth)?
                }
                None => return Err(format!("no error structure `{}`", t.name)),
            },
            RustType::Union(t) => {
                return Err(format!("a required union `{}` has no zero value", t.name))
            }
            other => return Err(format!("no zero value for {other:?}")),
        })
    }

    /// A Rust expression for `value` read as `ty`.
    pub(super) fn value(&self, ty: &RustType, value: &Value) -> Result<TokenStream, String> {
        let rt = &self.ctx.rt;
        let root = &self.ctx.root;
        let mismatch = || format!("`{value}` does not fit {ty:?}");
        Ok(match ty {
            RustType::String => {
                let s = lit(value.as_str().ok_or_else(mismatch)?);
                quote!(::std::string::String::from(#s))
            }
            RustType::Bool => {
                let b = value.as_bool().ok_or_else(mismatch)?;
                quote!(#b)
            }
            RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
                int_literal(value.as_i64().ok_or_else(mismatch)?)
            }
            RustType::F32 | RustType::F64 => match value {
                Value::String(s) if s == "NaN" => float_literal(f64::NAN, ty),
                Value::String(s) if s == "Infinity" => float_literal(f64::INFINITY, ty),
                Value::String(s) if s == "-Infinity" => float_literal(f64::NEG_INFINITY, ty),
                _ => float_literal(value.as_f64().ok_or_else(mismatch)?, ty),
            },
            RustType::Blob => {
                let s = lit(value.as_str().ok_or_else(mismatch)?);
                quote!(#rt::primitives::Blob::new(#s.as_bytes().to_vec()))
            }
            RustType::ByteStream { .. } => {
                let s = lit(value.as_str().ok_or_else(mismatch)?);
                quote!(#rt::primitives::ByteStream::from(#s.as_bytes().to_vec()))
            }
            RustType::DateTime(_) => {
                let (secs, nanos) = epoch_parts(value).ok_or_else(mismatch)?;
                let secs = int_literal(secs);
                let nanos = proc_macro2::Literal::u32_unsuffixed(nanos);
                quote!(#rt::primitives::DateTime::from_secs_and_nanos(#secs, #nanos))
            }
            RustType::Document => document_expr(value, self.ctx),
            RustType::BigInteger | RustType::BigDecimal => {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Number(n) => n.to_string(),
                    _ => return Err(mismatch()),
                };
                let text = lit(&text);
                let ty = if *ty == RustType::BigInteger {
                    quote!(BigInteger)
                } else {
                    quote!(BigDecimal)
                };
                quote!(#text.parse::<#rt::primitives::#ty>().expect("a valid number"))
            }
            RustType::Enum(t) => {
                let name = ident(&t.name);
                let s = lit(value.as_str().ok_or_else(mismatch)?);
                quote!(#root::types::#name::from(#s))
            }
            RustType::Struct(t) => match self.types.get(t.name.as_str()) {
                Some(TypeDef::Struct(s)) => self.build_struct(s, value, &quote!(#root::types))?,
                _ => return Err(format!("no structure `{}`", t.name)),
            },
            RustType::ErrorStruct(t) => match self.errors.get(t.name.as_str()) {
                Some(s) => self.build_struct(s, value, &quote!(#root::types::error))?,
                None => return Err(format!("no error structure `{}`", t.name)),
            },
            RustType::Union(t) => match self.types.get(t.name.as_str()) {
                Some(TypeDef::Union(u)) => self.union_value(u, value)?,
                _ => return Err(format!("no union `{}`", t.name)),
            },
            RustType::List { item, sparse } => {
                let items = value.as_array().ok_or_else(mismatch)?;
                let mut exprs = Vec::new();
                for item_value in items {
                    exprs.push(match (sparse, item_value.is_null()) {
                        (true, true) => quote!(::std::option::Option::None),
                        (true, false) => {
                            let e = self.value(item, item_value)?;
                            quote!(::std::option::Option::Some(#e))
                        }
                        (false, _) => self.value(item, item_value)?,
                    });
                }
                quote!(::std::vec![#(#exprs),*])
            }
            RustType::Map {
                key,
                value: item,
                sparse,
            } => {
                let entries = value.as_object().ok_or_else(mismatch)?;
                let mut exprs = Vec::new();
                for (k, v) in entries {
                    let k = self.value(key, &Value::String(k.clone()))?;
                    let v = match (sparse, v.is_null()) {
                        (true, true) => quote!(::std::option::Option::None),
                        (true, false) => {
                            let e = self.value(item, v)?;
                            quote!(::std::option::Option::Some(#e))
                        }
                        (false, _) => self.value(item, v)?,
                    };
                    exprs.push(quote!((#k, #v)));
                }
                quote!([#(#exprs),*].into_iter().collect::<::std::collections::HashMap<_, _>>())
            }
        })
    }

    fn union_value(&self, u: &UnionIr, value: &Value) -> Result<TokenStream, String> {
        let root = &self.ctx.root;
        let object = value
            .as_object()
            .ok_or_else(|| format!("`{value}` is not a union object"))?;
        let (key, inner) = object
            .iter()
            .next()
            .ok_or_else(|| format!("no member set for union `{}`", u.name))?;
        let variant = u
            .variants
            .iter()
            .find(|v| v.wire_name == *key)
            .ok_or_else(|| format!("union `{}` has no member `{key}`", u.name))?;
        let name = ident(&u.name);
        let v = ident(&variant.name);
        Ok(match &variant.ty {
            None => quote!(#root::types::#name::#v),
            Some(ty) => {
                let mut e = self.value(ty, inner)?;
                if variant.boxed {
                    e = quote!(::std::boxed::Box::new(#e));
                }
                quote!(#root::types::#name::#v(#e))
            }
        })
    }
}

/// Exact seconds and nanoseconds of an epoch-seconds JSON number, read from its text.
fn epoch_parts(value: &Value) -> Option<(i64, u32)> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text.as_str(), ""),
    };
    if text.contains(['e', 'E']) {
        let f = value.as_f64()?;
        return Some((f.floor() as i64, ((f - f.floor()) * 1e9).round() as u32));
    }
    let negative = whole.starts_with('-');
    let secs: i64 = whole.parse().ok()?;
    let mut digits: String = frac.chars().take(9).collect();
    while digits.len() < 9 {
        digits.push('0');
    }
    let nanos: u32 = digits.parse().ok()?;
    if negative && nanos > 0 {
        return Some((secs - 1, 1_000_000_000 - nanos));
    }
    Some((secs, nanos))
}

/// The shape of the `vendorParams` that say which error code (and query
/// error type) the error exposes.
const ERROR_CODE_PARAMS: &str = "aws.protocoltests.config#ErrorCodeParams";

/// Checks of the error code and query error type an error case's
/// `vendorParams` give, against the error's metadata: `code()` and
/// `extra("type")`.
fn error_code_checks(case: &Value) -> Option<TokenStream> {
    if str_field(case, "vendorParamsShape") != Some(ERROR_CODE_PARAMS) {
        return None;
    }
    let params = case.get("vendorParams")?;
    let code = params.get("code").and_then(Value::as_str).map(|code| {
        let code = lit(code);
        quote!(::std::assert_eq!(actual.meta().code(), ::std::option::Option::Some(#code), "error code");)
    });
    let kind = params.get("type").and_then(Value::as_str).map(|kind| {
        let kind = lit(kind);
        quote!(::std::assert_eq!(actual.meta().extra("type"), ::std::option::Option::Some(#kind), "query error type");)
    });
    Some(quote!(#code #kind))
}

/// Member-by-member comparisons of `actual` and `expected`; floats compare
/// NaN equal to NaN, and streams by their bytes, read whole (which moves
/// them out: the comparisons run in an `async` test).
fn field_comparisons(s: &StructIr, ctx: &Ctx) -> TokenStream {
    let rt = &ctx.rt;
    let checks = s.fields.iter().map(|f| {
        let name = ident(&f.name);
        let label = lit(&f.wire_name);
        let widen = |v: TokenStream| {
            if f.ty == RustType::F32 {
                quote!(f64::from(#v))
            } else {
                v
            }
        };
        match (&f.ty, f.optional) {
            (RustType::ByteStream { .. }, _) => quote! {
                let actual_bytes = actual.#name.collect().await.expect("the actual payload reads").into_bytes();
                let expected_bytes = expected.#name.collect().await.expect("the expected payload reads").into_bytes();
                ::std::assert_eq!(actual_bytes, expected_bytes, "member {}", #label);
            },
            (RustType::F32 | RustType::F64, true) => {
                let (a, b) = (widen(quote!(a)), widen(quote!(b)));
                quote! {
                    ::std::assert!(
                        match (actual.#name, expected.#name) {
                            (::std::option::Option::Some(a), ::std::option::Option::Some(b)) => #rt::test_util::float_eq(#a, #b),
                            (a, b) => a.is_none() && b.is_none(),
                        },
                        "member {}: {:?} != {:?}", #label, actual.#name, expected.#name
                    );
                }
            }
            (RustType::F32 | RustType::F64, false) => {
                let (a, b) = (widen(quote!(actual.#name)), widen(quote!(expected.#name)));
                quote! {
                    ::std::assert!(#rt::test_util::float_eq(#a, #b), "member {}: {:?} != {:?}", #label, actual.#name, expected.#name);
                }
            }
            _ => quote! {
                ::std::assert_eq!(actual.#name, expected.#name, "member {}", #label);
            },
        }
    });
    let checks: Vec<TokenStream> = checks.collect();
    if checks.is_empty() {
        return quote!(let _ = (actual, expected););
    }
    quote!(#(#checks)*)
}

fn failing_test(
    test: &proc_macro2::Ident,
    doc: &proc_macro2::Literal,
    reason: &str,
) -> TokenStream {
    let reason = lit(&format!("this case could not be generated: {reason}"));
    quote! {
        #[doc = #doc]
        #[test]
        fn #test() {
            ::std::panic!(#reason);
        }
    }
}

fn pairs_tokens(pairs: &[(String, String)]) -> TokenStream {
    let items = pairs.iter().map(|(k, v)| {
        let k = lit(k);
        let v = lit(v);
        quote!((#k, #v))
    });
    quote!(#(#items),*)
}

fn list_tokens(items: &[String]) -> TokenStream {
    let items = items.iter().map(|i| lit(i));
    quote!(#(#items),*)
}

#[cfg(test)]
mod tests {
    use super::{epoch_parts, ignore_attr};
    use serde_json::json;

    #[test]
    fn unsupported_cases_are_ignored_with_their_reason() {
        assert!(ignore_attr(None).is_none());
        let attr = ignore_attr(Some("no `X` yet")).expect("an attribute");
        let item: syn::ItemFn = syn::parse2(quote::quote!(#attr fn t() {})).unwrap();
        let syn::Meta::NameValue(meta) = &item.attrs[0].meta else {
            panic!("#[ignore = ..] expected");
        };
        assert!(meta.path.is_ident("ignore"));
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(reason),
            ..
        }) = &meta.value
        else {
            panic!("a string reason expected");
        };
        assert_eq!(reason.value(), "not supported yet: no `X` yet");
    }

    #[test]
    fn epoch_seconds_are_split_exactly() {
        assert_eq!(epoch_parts(&json!(1398796238)), Some((1398796238, 0)));
        assert_eq!(
            epoch_parts(&json!(1398796238.123)),
            Some((1398796238, 123_000_000))
        );
        assert_eq!(epoch_parts(&json!(-1.5)), Some((-2, 500_000_000)));
        assert_eq!(epoch_parts(&json!(-0.25)), Some((-1, 750_000_000)));
        assert_eq!(epoch_parts(&json!("x")), None);
    }
}
