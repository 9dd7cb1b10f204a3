//! Bytes → an HTTP response → the generated Cognito client's response
//! parsing, through its public `Client` with a transport that answers with
//! the fuzzed response; and the runtime's `parse_error_metadata`,
//! `json::parse_body` and `json::de_*` readers directly.
//!
//! The input is text-like: a first line with the status code, then header
//! lines `name: value` up to an empty line, then the body (any bytes).
//! Whatever the input, the call returns an output or a typed error that keeps
//! the raw response, and nothing panics.
#![no_main]

use std::sync::{Arc, Mutex, OnceLock};

use cognitoidentityprovider::config::retry::RetryConfig;
use cognitoidentityprovider::error::SdkError;
use cognitoidentityprovider::{Client, Config};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use smithgen_runtime::error::{ConnectorError, DisplayErrorContext};
use smithgen_runtime::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse};
use smithgen_runtime::json;
use smithgen_runtime::primitives::DateTimeFormat;

/// Answers every request with the response under test.
#[derive(Debug, Default)]
struct Canned(Mutex<HttpResponse>);

impl HttpClient for Canned {
    fn send(&self, _request: HttpRequest) -> HttpFuture<'_> {
        let response = self.0.lock().map(|r| r.clone()).unwrap_or_default();
        Box::pin(async move { Ok::<_, ConnectorError>(response) })
    }
}

struct Harness {
    runtime: tokio::runtime::Runtime,
    client: Client,
    transport: Arc<Canned>,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let transport = Arc::new(Canned::default());
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:9")
            .retry_config(RetryConfig::disabled())
            .http_client(Shared(transport.clone()))
            .build();
        Harness {
            runtime: tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a current-thread runtime"),
            client: Client::from_conf(config),
            transport,
        }
    })
}

/// The shared transport, as the client takes it by value.
#[derive(Debug)]
struct Shared(Arc<Canned>);

impl HttpClient for Shared {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.0.send(request)
    }
}

/// The next line of `rest`, without its line ending; `None` at the end.
fn next_line(rest: &mut &[u8]) -> Option<String> {
    let end = rest.iter().position(|&b| b == b'\n')?;
    let line = String::from_utf8_lossy(&rest[..end])
        .trim_end_matches('\r')
        .to_owned();
    *rest = &rest[end + 1..];
    Some(line)
}

/// Splits the input into a response (see the module documentation).
fn response(data: &[u8]) -> HttpResponse {
    let mut rest = data;
    let status = next_line(&mut rest)
        .and_then(|line| line.trim().parse::<u16>().ok())
        .unwrap_or(200);
    let mut headers = Vec::new();
    while let Some(line) = next_line(&mut rest) {
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((line.as_str(), ""));
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    HttpResponse::new(status, headers, rest.to_vec())
}

/// Applies every typed reader to every value of the document (a bounded number).
fn read_everything(value: &Value, budget: &mut usize) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    let _ = json::de_string(value, "p");
    let _ = json::de_bool(value, "p");
    let _ = json::de_i8(value, "p");
    let _ = json::de_i16(value, "p");
    let _ = json::de_i32(value, "p");
    let _ = json::de_i64(value, "p");
    let _ = json::de_f32(value, "p");
    let _ = json::de_f64(value, "p");
    let _ = json::de_blob(value, "p");
    for format in [
        DateTimeFormat::EpochSeconds,
        DateTimeFormat::DateTime,
        DateTimeFormat::HttpDate,
    ] {
        if let Ok(Some(time)) = json::de_timestamp(value, "p", format) {
            let _ = json::JsonWriter::new().timestamp(&time, format);
        }
    }
    if let Ok(Some(document)) = json::de_document(value, "p") {
        json::JsonWriter::new().document(&document);
    }
    if let Ok(Some(n)) = json::de_big_integer(value, "p") {
        let _ = json::ser_big_integer(&n);
    }
    if let Ok(Some(n)) = json::de_big_decimal(value, "p") {
        let _ = json::ser_big_decimal(&n);
    }
    match value {
        Value::Array(items) => {
            let _ = json::de_list(value, "p", |v, p| json::de_string(v, p));
            let _ = json::de_sparse_list(value, "p", |v, p| json::de_i32(v, p));
            for item in items {
                read_everything(item, budget);
            }
        }
        Value::Object(map) => {
            let _ = json::de_map(value, "p", str::to_owned, |v, p| json::de_f64(v, p));
            let _ = json::de_sparse_map(value, "p", str::to_owned, |v, p| json::de_bool(v, p));
            for item in map.values() {
                read_everything(item, budget);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let response = response(data);

    let meta = smithgen_runtime::protocol::aws_json::parse_error_metadata(&response);
    let _ = meta.to_string();
    if let Ok(value) = json::parse_body(response.body()) {
        read_everything(&value, &mut 10_000);
    }

    let harness = harness();
    *harness.transport.0.lock().expect("not poisoned") = response.clone();
    let outcome = harness.runtime.block_on(
        harness
            .client
            .set_user_mfa_preference()
            .access_token("token")
            .send(),
    );
    match outcome {
        Ok(output) => {
            assert!(
                response.is_success(),
                "an output from status {}",
                response.status()
            );
            let _ = format!("{output:?}");
        }
        Err(err) => {
            match &err {
                SdkError::ResponseError(_) | SdkError::ServiceError(_) => {
                    assert_eq!(
                        err.raw_response(),
                        Some(&response),
                        "the raw response is kept"
                    );
                }
                other => panic!("a response arrived, yet the error is {other:?}"),
            }
            assert_eq!(
                matches!(err, SdkError::ServiceError(_)),
                !response.is_success(),
                "errors come from error statuses"
            );
            let _ = format!("{err:?}");
            let _ = DisplayErrorContext(&err).to_string();
            let _ = err.into_service_error().to_string();
        }
    }
});
