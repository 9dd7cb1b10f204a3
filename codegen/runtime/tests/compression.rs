//! Request compression (`smithy.api#requestCompression`) with and without the
//! runtime's `gzip` feature, through an in-memory transport.
//!
//! `cargo test -p smithgen-runtime` runs these without the feature, and
//! `cargo test -p smithgen-runtime --features gzip` (or any build that
//! includes a crate generated from a model with such an operation) with it.

use std::sync::{Arc, Mutex};

use smithgen_runtime::client::Handle;
use smithgen_runtime::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse};
use smithgen_runtime::operation::send_json_rpc_response;
use smithgen_runtime::protocol::Protocol;
use smithgen_runtime::spec::{AuthMode, OperationSpec, ServiceSpec};
use smithgen_runtime::{Config, RetryConfig};

static SERVICE: ServiceSpec = ServiceSpec {
    target_prefix: "TestService",
    endpoint_prefix: "testsvc",
    signing_name: "testsvc",
    protocol: Protocol::AwsJson1_1,
    query_compatible: false,
    endpoint_rules: None,
};

/// An operation whose model lists gzip in `smithy.api#requestCompression`.
static PUT_LOGS: OperationSpec = OperationSpec {
    name: "PutLogs",
    auth: AuthMode::None,
    errors: &[],
    request_compression: true,
    endpoint_params: smithgen_runtime::endpoint::OperationEndpointParams::NONE,
};

/// The same operation without the trait.
static PUT_PLAIN: OperationSpec = OperationSpec {
    name: "PutPlain",
    auth: AuthMode::None,
    errors: &[],
    request_compression: false,
    endpoint_params: smithgen_runtime::endpoint::OperationEndpointParams::NONE,
};

/// A body well above the default minimum compression size (10 KiB).
fn large_input() -> serde_json::Value {
    serde_json::json!({ "Message": "log line ".repeat(2_000) })
}

/// Records every request and answers `200 {}`.
#[derive(Debug, Clone, Default)]
struct Recorder(Arc<Mutex<Vec<HttpRequest>>>);

impl HttpClient for Recorder {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.0.lock().expect("lock").push(request);
        Box::pin(async { Ok(HttpResponse::new(200, vec![], b"{}".to_vec())) })
    }
}

/// Sends `input` through `operation` with `config` and returns the request
/// the transport saw.
async fn sent(
    config: smithgen_runtime::config::Builder,
    operation: &'static OperationSpec,
    input: serde_json::Value,
) -> HttpRequest {
    let recorder = Recorder::default();
    let handle = Handle::new(
        config
            .region("us-east-1")
            .http_client(recorder.clone())
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    send_json_rpc_response(&handle, &SERVICE, operation, input, None)
        .await
        .expect("200 response");
    let mut requests = recorder.0.lock().expect("lock");
    assert_eq!(requests.len(), 1);
    requests.pop().expect("one request")
}

/// Checks that `request` carries `input` as it is, with no `Content-Encoding`.
fn assert_uncompressed(request: &HttpRequest, input: &serde_json::Value) {
    assert_eq!(request.header("Content-Encoding"), None);
    assert_eq!(request.body, serde_json::to_vec(input).unwrap());
    assert_eq!(
        request.header("Content-Length"),
        Some(request.body.len().to_string().as_str())
    );
}

#[tokio::test]
async fn operations_without_the_trait_are_never_compressed() {
    let input = large_input();
    let request = sent(
        Config::builder().request_min_compression_size_bytes(0),
        &PUT_PLAIN,
        input.clone(),
    )
    .await;
    assert_uncompressed(&request, &input);
}

#[tokio::test]
async fn disabled_compression_sends_the_body_as_it_is() {
    let input = large_input();
    let request = sent(
        Config::builder().disable_request_compression(true),
        &PUT_LOGS,
        input.clone(),
    )
    .await;
    assert_uncompressed(&request, &input);
}

#[tokio::test]
async fn bodies_under_the_minimum_size_are_not_compressed() {
    let input = serde_json::json!({ "Message": "short" });
    let request = sent(Config::builder(), &PUT_LOGS, input.clone()).await;
    assert_uncompressed(&request, &input);
}

#[cfg(feature = "gzip")]
#[tokio::test]
async fn with_the_gzip_feature_large_bodies_are_gzip_compressed() {
    use std::io::Read;

    let input = large_input();
    let request = sent(Config::builder(), &PUT_LOGS, input.clone()).await;
    assert_eq!(request.header("Content-Encoding"), Some("gzip"));
    assert_eq!(
        request.header("Content-Length"),
        Some(request.body.len().to_string().as_str())
    );
    let plain = serde_json::to_vec(&input).unwrap();
    assert!(request.body.len() < plain.len() / 10, "compressed");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&request.body[..])
        .read_to_end(&mut decoded)
        .expect("a valid gzip stream");
    assert_eq!(decoded, plain);
}

#[cfg(not(feature = "gzip"))]
#[tokio::test]
async fn without_the_gzip_feature_bodies_are_sent_uncompressed() {
    // The misuse path: the operation asks for compression but the feature
    // that provides it is off. The request must still be right, so the body
    // goes as it is and says nothing about an encoding.
    let input = large_input();
    let request = sent(
        Config::builder().request_min_compression_size_bytes(0),
        &PUT_LOGS,
        input.clone(),
    )
    .await;
    assert_uncompressed(&request, &input);
}
