//! Support for generated protocol tests (feature `test-util`): a transport
//! that records the request and answers with a canned response, and the
//! comparisons the Smithy protocol test cases call for.

use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::error::ConnectorError;
use crate::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse};

/// A transport that records every request and answers each with the same response.
#[derive(Clone, Debug)]
pub struct CaptureClient {
    requests: Arc<Mutex<Vec<HttpRequest>>>,
    response: HttpResponse,
}

impl CaptureClient {
    /// A transport answering every request with `response`.
    pub fn new(response: HttpResponse) -> Self {
        CaptureClient {
            requests: Arc::new(Mutex::new(Vec::new())),
            response,
        }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The one request received; panics (this is for tests) when there is not exactly one.
    pub fn expect_request(&self) -> HttpRequest {
        let requests = self.requests();
        assert_eq!(
            requests.len(),
            1,
            "expected exactly one request, got {}",
            requests.len()
        );
        requests.into_iter().next().expect("one request")
    }
}

impl HttpClient for CaptureClient {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        if let Ok(mut requests) = self.requests.lock() {
            requests.push(request);
        }
        let response = self.response.clone();
        Box::pin(async move { Ok::<_, ConnectorError>(response) })
    }
}

/// Floats compare equal when both are NaN, else by value.
pub fn float_eq(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b
}

/// The path of a request URI (`https://host/path?q` → `/path`).
fn uri_parts(uri: &str) -> (&str, &str) {
    let after_scheme = uri.split_once("://").map(|(_, rest)| rest).unwrap_or(uri);
    let (host, path) = match after_scheme.find('/') {
        Some(i) => (&after_scheme[..i], &after_scheme[i..]),
        None => (after_scheme, "/"),
    };
    let path = path.split('?').next().unwrap_or(path);
    (host, path)
}

/// Checks the request's path and host.
pub fn assert_uri(request: &HttpRequest, expected_path: &str, expected_host: &str) {
    let (host, path) = uri_parts(&request.uri);
    assert_eq!(path, expected_path, "request path of {}", request.uri);
    assert_eq!(host, expected_host, "request host of {}", request.uri);
}

/// The parameters of a request URI's query string, as sent (encoded).
fn query_params(uri: &str) -> Vec<&str> {
    let query = uri.split_once('?').map_or("", |(_, query)| query);
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').filter(|p| !p.is_empty()).collect()
}

/// Checks the request's query string as a protocol test case does: each
/// `expected` parameter (`name=value`, or `name` alone, encoded as on the
/// wire) is sent, as many times as it is listed; no parameter is named in
/// `forbidden`; every name in `required` is sent. Other parameters may be
/// sent too.
pub fn assert_query(
    request: &HttpRequest,
    expected: &[&str],
    forbidden: &[&str],
    required: &[&str],
) {
    let params = query_params(&request.uri);
    let mut unmatched = params.clone();
    for param in expected {
        match unmatched.iter().position(|p| p == param) {
            Some(found) => {
                unmatched.remove(found);
            }
            None => panic!(
                "query parameter {param:?} is not sent (once more); query parameters: {params:?}"
            ),
        }
    }
    let name = |param: &&str| param.split('=').next().unwrap_or_default().to_owned();
    let names: Vec<String> = params.iter().map(name).collect();
    for forbidden in forbidden {
        assert!(
            !names.iter().any(|n| n == forbidden),
            "query parameter {forbidden:?} must not be sent; query parameters: {params:?}"
        );
    }
    for required in required {
        assert!(
            names.iter().any(|n| n == required),
            "query parameter {required:?} is required; query parameters: {params:?}"
        );
    }
}

/// The value of header `name` as a case's `headers` states it: the values
/// of every header line of that name (compared without regard to case),
/// joined with `, `, as HTTP joins repeated header fields; `None` when no
/// line has that name.
pub fn joined_header_value(headers: &[(String, String)], name: &str) -> Option<String> {
    let mut values = headers
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str());
    let first = values.next()?;
    Some(values.fold(first.to_owned(), |mut joined, value| {
        joined.push_str(", ");
        joined.push_str(value);
        joined
    }))
}

/// Every expected header is sent with exactly the expected value. A header
/// sent on several lines is compared as its values joined with `, `, so a
/// header sent twice does not pass for the value of its first line.
pub fn assert_headers(request: &HttpRequest, expected: &[(&str, &str)]) {
    for (name, value) in expected {
        assert_eq!(
            joined_header_value(&request.headers, name).as_deref(),
            Some(*value),
            "header {name}; request headers: {:?}",
            request.headers
        );
    }
}

/// None of the named headers is present.
pub fn assert_forbidden_headers(request: &HttpRequest, forbidden: &[&str]) {
    for name in forbidden {
        assert!(
            request.header(name).is_none(),
            "header {name} must not be sent"
        );
    }
}

/// Each named header is present.
pub fn assert_required_headers(request: &HttpRequest, required: &[&str]) {
    for name in required {
        assert!(
            request.header(name).is_some(),
            "header {name} is required; request headers: {:?}",
            request.headers
        );
    }
}

/// Checks a request URI against an endpoint URL, which may leave out the path `/`.
pub fn assert_uri_eq(uri: &str, expected_url: &str) {
    let (scheme, rest) = expected_url.split_once("://").unwrap_or(("", expected_url));
    let expected = if rest.contains('/') {
        expected_url.to_owned()
    } else {
        format!("{scheme}://{rest}/")
    };
    let expected = if expected.ends_with('/') {
        expected
    } else {
        format!("{expected}/")
    };
    assert_eq!(uri, expected, "request URL");
}

/// Compares a body with the expected one: as JSON (order-insensitive,
/// numbers as numbers) when the media type is JSON, byte for byte
/// otherwise. An empty expected body means no body, whatever the media
/// type.
pub fn assert_body(actual: &[u8], expected: &str, media_type: Option<&str>) {
    let is_json = media_type.is_some_and(|m| m.contains("json"));
    if !is_json || expected.is_empty() {
        assert!(
            actual == expected.as_bytes(),
            "request body differs byte for byte\n  actual:   {:?}\n  expected: {expected:?}",
            String::from_utf8_lossy(actual)
        );
        return;
    }
    let actual_value: Value = match serde_json::from_slice(actual) {
        Ok(v) => v,
        Err(e) => panic!(
            "request body is not JSON ({e}): {}",
            String::from_utf8_lossy(actual)
        ),
    };
    let expected_value: Value = serde_json::from_str(expected)
        .unwrap_or_else(|e| panic!("expected body is not JSON ({e}): {expected}"));
    assert!(
        json_eq(&actual_value, &expected_value),
        "JSON bodies differ\n  actual:   {actual_value}\n  expected: {expected_value}"
    );
}

/// JSON equality with objects compared without regard to order and numbers by value.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                (Some(x), Some(y), _, _) => x == y,
                (_, _, Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_comparison_ignores_order_and_number_form() {
        assert!(json_eq(
            &json!({"a": 1, "b": [1.0, 2]}),
            &json!({"b": [1, 2.0], "a": 1.0})
        ));
        assert!(!json_eq(&json!({"a": 1}), &json!({"a": 2})));
        assert!(!json_eq(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!json_eq(&json!([1, 2]), &json!([2, 1])));
    }

    #[test]
    fn uri_parts_split_host_and_path() {
        assert_eq!(
            uri_parts("https://example.com/custom/?x=1"),
            ("example.com", "/custom/")
        );
        assert_eq!(
            uri_parts("https://foo.example.com"),
            ("foo.example.com", "/")
        );
    }

    fn request(uri: &str) -> HttpRequest {
        HttpRequest {
            method: "GET".to_owned(),
            uri: uri.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn query_checks_count_repeated_parameters() {
        let r = request("https://h/p?a=1&a=2&flag&e=");
        assert_query(&r, &["a=2", "a=1", "flag", "e="], &["b"], &["a", "flag"]);
        assert_query(&r, &[], &[], &[]);
        let twice = std::panic::catch_unwind(|| assert_query(&r, &["flag", "flag"], &[], &[]));
        assert!(twice.is_err());
        let wrong = std::panic::catch_unwind(|| assert_query(&r, &["a=3"], &[], &[]));
        assert!(wrong.is_err());
        let forbidden = std::panic::catch_unwind(|| assert_query(&r, &[], &["e"], &[]));
        assert!(forbidden.is_err());
        let missing = std::panic::catch_unwind(|| assert_query(&r, &[], &[], &["b"]));
        assert!(missing.is_err());
        assert!(query_params("https://h/p").is_empty());
    }

    #[test]
    fn repeated_headers_are_compared_joined() {
        let mut r = request("https://example.com/p");
        r.headers = vec![
            ("X-List".to_owned(), "a".to_owned()),
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-list".to_owned(), "b, c".to_owned()),
        ];
        assert_headers(
            &r,
            &[("x-list", "a, b, c"), ("Content-Type", "application/json")],
        );
        let first_only = std::panic::catch_unwind(|| assert_headers(&r, &[("X-List", "a")]));
        assert!(first_only.is_err());
        let absent = std::panic::catch_unwind(|| assert_headers(&r, &[("X-Other", "")]));
        assert!(absent.is_err());
    }

    #[test]
    fn host_is_always_compared() {
        let r = request("https://foo.example.com/p?x=1");
        assert_uri(&r, "/p", "foo.example.com");
        let other = std::panic::catch_unwind(|| assert_uri(&r, "/p", "example.com"));
        assert!(other.is_err());
    }

    #[test]
    fn bodies_compare_by_media_type() {
        assert_body(
            br#"{"b":[1],"a":1.0}"#,
            r#"{"a": 1, "b": [1.0]}"#,
            Some("application/json"),
        );
        assert_body(b"", "", Some("application/json"));
        let not_empty =
            std::panic::catch_unwind(|| assert_body(b"{}", "", Some("application/json")));
        assert!(not_empty.is_err());
        let bytes = std::panic::catch_unwind(|| assert_body(b"\xff", "\u{fffd}", None));
        assert!(
            bytes.is_err(),
            "bytes are not compared through a lossy text"
        );
        let order = std::panic::catch_unwind(|| assert_body(b"ab", "ba", Some("text/plain")));
        assert!(order.is_err());
    }

    #[test]
    fn floats_compare_nan_equal() {
        assert!(float_eq(f64::NAN, f64::NAN));
        assert!(float_eq(1.5, 1.5));
        assert!(!float_eq(1.5, f64::NAN));
    }
}
