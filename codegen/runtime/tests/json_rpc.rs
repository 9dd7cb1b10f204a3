//! End-to-end tests of `send_json_rpc`: real requests through the default
//! hyper client to a minimal HTTP/1.1 server on 127.0.0.1, and requests
//! through an in-memory transport.

#![cfg(feature = "default-client")]

mod common;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{read_request, serve_once, Reply};
use smithgen_runtime::client::Handle;
use smithgen_runtime::error::{
    BoxError, ConnectorError, CreateUnhandledError, DeserializeError, ErrorMetadata,
    ProvideErrorMetadata, SdkError, Unhandled,
};
use smithgen_runtime::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse, HyperClient};
use smithgen_runtime::json;
use smithgen_runtime::operation::send_json_rpc;
use smithgen_runtime::protocol::Protocol;
use smithgen_runtime::spec::{AuthMode, Fault, ModeledError, OperationSpec, ServiceSpec};
use smithgen_runtime::{Config, RetryConfig};
use tokio::net::TcpListener;

static SERVICE: ServiceSpec = ServiceSpec {
    target_prefix: "TestService",
    endpoint_prefix: "testsvc",
    signing_name: "testsvc",
    protocol: Protocol::AwsJson1_1,
    query_compatible: false,
    endpoint_rules: None,
};

/// The test operation, unsigned so that these tests need no credentials.
static GET_THING: OperationSpec = OperationSpec {
    name: "GetThing",
    auth: AuthMode::None,
    errors: &[ModeledError {
        code: "NotFound",
        fault: Fault::Client,
        retryable: false,
        throttling: false,
        query_code: None,
    }],
    request_compression: false,
    endpoint_params: smithgen_runtime::endpoint::OperationEndpointParams::NONE,
};

/// Standard retries with delays short enough for tests.
fn fast_retries() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

/// Upper bound on any single test's network activity.
const TEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The output of the test operation.
#[derive(Debug, PartialEq)]
struct GetThingOutput {
    name: Option<String>,
    size: Option<i32>,
}

fn parse_get_thing(resp: &HttpResponse) -> Result<GetThingOutput, DeserializeError> {
    let body = json::parse_body(resp.body())?;
    let object = json::de_object(&body, "GetThingOutput")?
        .ok_or_else(|| DeserializeError::new("GetThingOutput", "expected object"))?;
    Ok(GetThingOutput {
        name: json::de_string(json::field(object, "Name"), "GetThingOutput.Name")?,
        size: json::de_i32(json::field(object, "Size"), "GetThingOutput.Size")?,
    })
}

/// The error of the test operation.
#[derive(Debug)]
enum GetThingError {
    NotFound(ErrorMetadata),
    Unhandled(Unhandled),
}

impl fmt::Display for GetThingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self)
    }
}

impl std::error::Error for GetThingError {}

impl ProvideErrorMetadata for GetThingError {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            Self::NotFound(meta) => meta,
            Self::Unhandled(inner) => inner.meta(),
        }
    }
}

impl CreateUnhandledError for GetThingError {
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
        Self::Unhandled(Unhandled::new(source, meta.unwrap_or_default()))
    }
}

fn parse_get_thing_error(_resp: &HttpResponse, meta: ErrorMetadata) -> GetThingError {
    match meta.code() {
        Some("NotFound") => GetThingError::NotFound(meta),
        _ => GetThingError::Unhandled(Unhandled::new("unmodeled error", meta)),
    }
}

const INPUT: &[u8] = br#"{"Id":"thing-1"}"#;

async fn get_thing(handle: &Handle) -> Result<GetThingOutput, SdkError<GetThingError>> {
    tokio::time::timeout(
        TEST_TIMEOUT,
        send_json_rpc(
            handle,
            &SERVICE,
            &GET_THING,
            serde_json::from_slice(INPUT).expect("test input is JSON"),
            None,
            parse_get_thing,
            parse_get_thing_error,
        ),
    )
    .await
    .expect("operation finished in time")
}

fn handle_for(endpoint: &str) -> Handle {
    Handle::new(
        Config::builder()
            .endpoint_url(endpoint)
            .retry_config(fast_retries())
            .build(),
    )
}

#[tokio::test]
async fn success_response_is_parsed_and_request_is_exact() {
    let (base, server) = serve_once(Reply {
        status: 200,
        headers: vec![("content-type", "application/x-amz-json-1.1")],
        body: r#"{"Name":"widget","Size":7}"#,
    })
    .await;

    let output = get_thing(&handle_for(&base)).await.expect("success");
    assert_eq!(
        output,
        GetThingOutput {
            name: Some("widget".into()),
            size: Some(7)
        }
    );

    let captured = server.await.expect("server task");
    assert_eq!(captured.method, "POST");
    assert_eq!(captured.path, "/");
    let host = base.trim_start_matches("http://").to_owned();
    assert_eq!(
        captured.headers,
        vec![
            ("content-length".to_owned(), INPUT.len().to_string()),
            (
                "content-type".to_owned(),
                "application/x-amz-json-1.1".to_owned()
            ),
            ("host".to_owned(), host),
            ("x-amz-target".to_owned(), "TestService.GetThing".to_owned()),
        ]
    );
    assert_eq!(captured.body, INPUT);
}

#[tokio::test]
async fn error_response_becomes_service_error() {
    let (base, server) = serve_once(Reply {
        status: 400,
        headers: vec![
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amzn-RequestId", "req-42"),
        ],
        body: r#"{"__type":"X","message":"m"}"#,
    })
    .await;

    let err = get_thing(&handle_for(&base))
        .await
        .expect_err("service error");
    server.await.expect("server task");

    assert_eq!(err.code(), Some("X"));
    assert_eq!(err.message(), Some("m"));
    assert_eq!(err.request_id(), Some("req-42"));
    let raw = err.raw_response().expect("raw response kept");
    assert_eq!(raw.status(), 400);
    assert_eq!(raw.body(), br#"{"__type":"X","message":"m"}"#);
    assert!(matches!(
        err.as_service_error(),
        Some(GetThingError::Unhandled(inner)) if inner.code() == Some("X")
    ));
}

#[tokio::test]
async fn modeled_error_code_selects_the_variant() {
    let (base, server) = serve_once(Reply {
        status: 404,
        headers: vec![("x-amzn-errortype", "NotFound:http://internal/")],
        body: r#"{"message":"no such thing"}"#,
    })
    .await;

    let err = get_thing(&handle_for(&base))
        .await
        .expect_err("service error");
    server.await.expect("server task");
    match err.into_service_error() {
        GetThingError::NotFound(meta) => {
            assert_eq!(meta.code(), Some("NotFound"));
            assert_eq!(meta.message(), Some("no such thing"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn endpoint_path_prefix_is_kept() {
    let (base, server) = serve_once(Reply {
        status: 200,
        headers: vec![],
        body: "",
    })
    .await;

    let output = get_thing(&handle_for(&format!("{base}/gateway/stage")))
        .await
        .expect("success");
    // An empty body reads as an output with no members.
    assert_eq!(
        output,
        GetThingOutput {
            name: None,
            size: None
        }
    );
    let captured = server.await.expect("server task");
    assert_eq!(captured.path, "/gateway/stage/");
    assert_eq!(captured.method, "POST");
}

#[tokio::test]
async fn unparseable_success_body_is_a_response_error() {
    let (base, server) = serve_once(Reply {
        status: 200,
        headers: vec![],
        body: r#"{"Size":"big"}"#,
    })
    .await;

    let err = get_thing(&handle_for(&base)).await.expect_err("bad body");
    server.await.expect("server task");
    match &err {
        SdkError::ResponseError(context) => {
            assert_eq!(context.raw().status(), 200);
            assert_eq!(
                context.source_error().to_string(),
                "GetThingOutput.Size: expected integer, found string"
            );
        }
        other => panic!("expected ResponseError, got {other:?}"),
    }
}

#[tokio::test]
async fn refused_connection_is_a_dispatch_failure() {
    // Bind then drop a listener to get a port nothing listens on.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    drop(listener);

    let err = get_thing(&handle_for(&format!("http://{addr}")))
        .await
        .expect_err("nothing listens");
    match &err {
        SdkError::DispatchFailure(context) => assert!(
            context.is_io(),
            "expected an io failure, got {:?}",
            context.as_connector_error()
        ),
        other => panic!("expected DispatchFailure, got {other:?}"),
    }
    assert!(err.raw_response().is_none());
}

#[tokio::test]
async fn silent_server_is_a_timeout() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    // Accept and read the request, then never answer.
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let captured = read_request(&mut stream).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        captured
    });

    let client = HyperClient::builder()
        .request_timeout(Some(Duration::from_millis(200)))
        .build();
    let handle = Handle::new(
        Config::builder()
            .endpoint_url(format!("http://{addr}"))
            .http_client(client)
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    let err = get_thing(&handle).await.expect_err("times out");
    assert!(
        matches!(err, SdkError::TimeoutError(_)),
        "expected TimeoutError, got {err:?}"
    );
    let captured = server.await.expect("server task");
    assert_eq!(captured.body, INPUT);
}

/// An in-memory transport that records requests and answers from a script.
#[derive(Debug, Default)]
struct Recorder {
    requests: Mutex<Vec<HttpRequest>>,
}

#[derive(Debug, Clone, Default)]
struct SharedRecorder(Arc<Recorder>);

impl HttpClient for SharedRecorder {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.0.requests.lock().expect("lock").push(request);
        Box::pin(async {
            Ok(HttpResponse::new(
                200,
                vec![],
                br#"{"Name":"recorded"}"#.to_vec(),
            ))
        })
    }
}

#[tokio::test]
async fn region_endpoint_through_a_custom_transport() {
    let recorder = SharedRecorder::default();
    let handle = Handle::new(
        Config::builder()
            .region("eu-central-1")
            .http_client(recorder.clone())
            .build(),
    );
    let output = get_thing(&handle).await.expect("success");
    assert_eq!(output.name.as_deref(), Some("recorded"));

    let requests = recorder.0.requests.lock().expect("lock");
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.uri, "https://testsvc.eu-central-1.amazonaws.com/");
    assert_eq!(
        request.header("Content-Type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(request.header("X-Amz-Target"), Some("TestService.GetThing"));
    assert_eq!(request.header("Content-Length"), Some("16"));
    assert_eq!(request.body, INPUT);
}

/// The input of the customized test operation: a thing's id.
struct ThingId(String);

/// Writes the test input as the JSON body.
fn ser_thing(
    ThingId(id): &ThingId,
    w: &mut smithgen_runtime::request::RequestWriter,
) -> Result<(), smithgen_runtime::error::SerializeError> {
    w.begin_object();
    w.key("Id");
    w.string(id);
    w.end_object();
    Ok(())
}

/// A customization that sends the request to the URL of the thing's id
/// when it is one, and adds `Accept` unless the input set it.
fn customize_thing(
    ThingId(id): &ThingId,
    w: &mut smithgen_runtime::request::RequestWriter,
) -> Result<(), smithgen_runtime::error::SerializeError> {
    if id.starts_with("http") {
        w.set_endpoint(id.as_str());
    }
    if !w.has_header("accept") {
        w.push_header("Accept", "application/json");
    }
    Ok(())
}

/// Sends `id` as `GetThing` with [`customize_thing`] through `recorder`;
/// the request it recorded, or the failure.
async fn send_customized(id: &str) -> Result<HttpRequest, SdkError<GetThingError>> {
    let recorder = SharedRecorder::default();
    let handle = Arc::new(Handle::new(
        Config::builder()
            .region("us-east-1")
            .http_client(recorder.clone())
            .build(),
    ));
    let codec = smithgen_runtime::operation::OperationCodec {
        ser: ser_thing,
        customize: Some(customize_thing),
        host_prefix: smithgen_runtime::operation::no_host_prefix,
        endpoint_input: None,
        parse_ok: smithgen_runtime::operation::ParseOutput::Whole(parse_get_thing),
        parse_err: parse_get_thing_error,
        prepare: None,
        stream: None,
        unsigned_payload: false,
    };
    smithgen_runtime::operation::send(
        handle,
        &SERVICE,
        &GET_THING,
        Ok(ThingId(id.to_owned())),
        codec,
    )
    .await?;
    let requests = recorder.0.requests.lock().expect("lock");
    Ok(requests.first().cloned().expect("a request"))
}

#[tokio::test]
async fn a_customization_changes_the_request_after_it_is_written() {
    let request = send_customized("thing-1").await.expect("sent");
    assert_eq!(request.uri, "https://testsvc.us-east-1.amazonaws.com/");
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.body, INPUT);

    // The input's own endpoint replaces the resolved one; signing and the
    // rest of the request stay.
    let request = send_customized("https://custom.example.com")
        .await
        .expect("sent");
    assert_eq!(request.uri, "https://custom.example.com/");
    assert_eq!(request.header("X-Amz-Target"), Some("TestService.GetThing"));

    // An endpoint that is not an absolute http(s) URL is a construction failure.
    let err = send_customized("httpnot-a-url").await.expect_err("fails");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_can_run_on_spawned_tasks() {
    // `tokio::spawn` needs the operation's future to be `Send + 'static`.
    let recorder = SharedRecorder::default();
    let handle = Arc::new(Handle::new(
        Config::builder()
            .region("us-east-1")
            .http_client(recorder.clone())
            .build(),
    ));
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let handle = Arc::clone(&handle);
            tokio::spawn(async move { get_thing(&handle).await })
        })
        .collect();
    for task in tasks {
        let output = task.await.expect("task").expect("success");
        assert_eq!(output.name.as_deref(), Some("recorded"));
    }
    assert_eq!(recorder.0.requests.lock().expect("lock").len(), 4);
}

#[derive(Debug)]
struct Timeouts;

impl HttpClient for Timeouts {
    fn send(&self, _request: HttpRequest) -> HttpFuture<'_> {
        Box::pin(async { Err(ConnectorError::timeout("transport gave up")) })
    }
}

#[tokio::test]
async fn connector_timeout_maps_to_timeout_error() {
    let handle = Handle::new(
        Config::builder()
            .region("us-east-1")
            .http_client(Timeouts)
            .retry_config(fast_retries())
            .build(),
    );
    let err = get_thing(&handle).await.expect_err("timeout");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
}

// ---------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------

use common::{assert_signed, parse_authorization, Scripted, SequenceServer, SilentServer, Step};
use smithgen_runtime::time::{StaticTimeSource, TimeSource};
use smithgen_runtime::{Credentials, TimeoutConfig};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The signed twin of [`GET_THING`].
static GET_THING_SIGNED: OperationSpec = OperationSpec {
    name: "GetThing",
    auth: AuthMode::SigV4,
    errors: &[
        ModeledError {
            code: "NotFound",
            fault: Fault::Client,
            retryable: false,
            throttling: false,
            query_code: None,
        },
        ModeledError {
            code: "Busy",
            fault: Fault::Server,
            retryable: true,
            throttling: true,
            query_code: None,
        },
    ],
    request_compression: false,
    endpoint_params: smithgen_runtime::endpoint::OperationEndpointParams::NONE,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// 2015-08-30T12:36:00Z.
fn fixed_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

async fn call(
    handle: &Handle,
    operation: &'static OperationSpec,
) -> Result<GetThingOutput, SdkError<GetThingError>> {
    tokio::time::timeout(
        TEST_TIMEOUT,
        send_json_rpc(
            handle,
            &SERVICE,
            operation,
            serde_json::from_slice(INPUT).expect("test input is JSON"),
            None,
            parse_get_thing,
            parse_get_thing_error,
        ),
    )
    .await
    .expect("operation finished in time")
}

fn signed_config(endpoint: &str) -> smithgen_runtime::config::Builder {
    Config::builder()
        .endpoint_url(endpoint)
        .region("us-west-2")
        .credentials(Credentials::new("AKID", SECRET, None))
        .retry_config(fast_retries())
}

#[tokio::test]
async fn signed_request_carries_a_valid_sigv4_signature() {
    let server = SequenceServer::start(vec![Reply::new(200, "", r#"{"Name":"signed"}"#)]).await;
    let handle = Handle::new(
        signed_config(&format!("{}/base", server.base))
            .time_source(StaticTimeSource::new(fixed_time()))
            .build(),
    );
    let output = call(&handle, &GET_THING_SIGNED).await.expect("success");
    assert_eq!(output.name.as_deref(), Some("signed"));

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let captured = &requests[0];
    assert_eq!(captured.path, "/base/");
    assert_eq!(captured.header("x-amz-date"), Some("20150830T123600Z"));
    assert_eq!(captured.header("x-amz-security-token"), None);
    assert_eq!(captured.header("x-amz-content-sha256"), None);
    let authorization = captured.header("authorization").expect("authorization");
    assert!(
        authorization.starts_with(
            "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-west-2/testsvc/aws4_request, \
             SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, \
             Signature="
        ),
        "{authorization}"
    );
    // The signature matches one computed independently from what was received.
    let auth = assert_signed(captured, SECRET);
    assert_eq!(auth.signature.len(), 64);
    assert_eq!(auth.access_key_id, "AKID");

    // The same request at the same time always gets the same signature.
    let again = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let handle = Handle::new(
        signed_config(&format!("{}/base", again.base))
            .time_source(StaticTimeSource::new(fixed_time()))
            .build(),
    );
    call(&handle, &GET_THING_SIGNED).await.expect("success");
    let second = parse_authorization(
        again.requests()[0]
            .header("authorization")
            .expect("authorization"),
    );
    // Only the port (part of the signed `host`) differs, so the signatures do too.
    assert_eq!(second.signed_headers, auth.signed_headers);
    assert_signed(&again.requests()[0], SECRET);
}

#[tokio::test]
async fn session_token_is_sent_and_signed() {
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let handle = Handle::new(
        signed_config(&server.base)
            .credentials(Credentials::new(
                "ASIATEMP",
                SECRET,
                Some("the-session-token".to_owned()),
            ))
            .build(),
    );
    call(&handle, &GET_THING_SIGNED).await.expect("success");
    let captured = &server.requests()[0];
    assert_eq!(
        captured.header("x-amz-security-token"),
        Some("the-session-token")
    );
    let auth = assert_signed(captured, SECRET);
    assert_eq!(auth.access_key_id, "ASIATEMP");
    assert_eq!(auth.region, "us-west-2");
    assert_eq!(auth.service, "testsvc");
    assert!(auth
        .signed_headers
        .contains(&"x-amz-security-token".to_owned()));
    // The date is today's: the system clock is the default.
    let amz_date = captured.header("x-amz-date").expect("x-amz-date");
    assert_eq!(amz_date.len(), 16);
    assert!(amz_date.starts_with("20") && amz_date.ends_with('Z'));
}

#[tokio::test]
async fn unsigned_operation_sends_no_signature() {
    let recorder = Scripted::new(vec![Step::Respond(200, "{}")]);
    let handle = Handle::new(
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", SECRET, Some("token".to_owned())))
            .http_client(recorder.clone())
            .build(),
    );
    call(&handle, &GET_THING).await.expect("success");
    let requests = recorder.requests();
    assert_eq!(requests.len(), 1);
    for name in [
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "x-amz-content-sha256",
    ] {
        assert_eq!(requests[0].header(name), None, "{name}");
    }
}

#[tokio::test]
async fn signed_request_through_a_custom_transport_names_its_host() {
    let recorder = Scripted::new(vec![Step::Respond(200, "{}")]);
    let handle = Handle::new(
        Config::builder()
            .region("eu-central-1")
            .credentials(Credentials::new("AKID", SECRET, None))
            .time_source(StaticTimeSource::new(fixed_time()))
            .http_client(recorder.clone())
            .build(),
    );
    call(&handle, &GET_THING_SIGNED).await.expect("success");
    let request = &recorder.requests()[0];
    assert_eq!(request.uri, "https://testsvc.eu-central-1.amazonaws.com/");
    assert_eq!(
        request.header("host"),
        Some("testsvc.eu-central-1.amazonaws.com")
    );
    let auth = parse_authorization(request.header("authorization").expect("authorization"));
    assert_eq!(auth.region, "eu-central-1");
    assert_eq!(auth.date, "20150830");
}

// ---------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------

/// A clock that moves one second forward at each reading.
#[derive(Debug, Default)]
struct Ticking(AtomicU64);

impl TimeSource for Ticking {
    fn now(&self) -> SystemTime {
        fixed_time() + Duration::from_secs(self.0.fetch_add(1, Ordering::Relaxed))
    }
}

#[tokio::test]
async fn service_unavailable_twice_then_success() {
    let server = SequenceServer::start(vec![
        Reply::new(503, "", "<html>Service Unavailable</html>"),
        Reply::new(503, "", ""),
        Reply::new(200, "", r#"{"Name":"third time"}"#),
    ])
    .await;
    let handle = Handle::new(
        signed_config(&server.base)
            .time_source(Ticking::default())
            .build(),
    );
    let output = call(&handle, &GET_THING_SIGNED).await.expect("success");
    assert_eq!(output.name.as_deref(), Some("third time"));

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    // Every attempt is signed again, at its own time.
    let dates: Vec<&str> = requests
        .iter()
        .map(|r| r.header("x-amz-date").expect("x-amz-date"))
        .collect();
    assert_eq!(
        dates,
        ["20150830T123600Z", "20150830T123601Z", "20150830T123602Z"]
    );
    for request in &requests {
        assert_signed(request, SECRET);
        assert_eq!(request.body, INPUT);
    }
}

#[tokio::test]
async fn modeled_client_error_is_not_retried() {
    // Even with a retryable status, a modeled non-retryable client error is final.
    for status in [400, 503] {
        let server = SequenceServer::start(vec![Reply::new(status, "NotFound", "{}")]).await;
        let handle = Handle::new(signed_config(&server.base).build());
        let err = call(&handle, &GET_THING_SIGNED)
            .await
            .expect_err("not found");
        assert!(matches!(
            err.as_service_error(),
            Some(GetThingError::NotFound(_))
        ));
        assert_eq!(server.requests().len(), 1, "status {status}");
    }
}

#[tokio::test]
async fn unmodeled_client_error_is_not_retried() {
    let server = SequenceServer::start(vec![Reply::new(400, "ValidationException", "{}")]).await;
    let handle = Handle::new(signed_config(&server.base).build());
    let err = call(&handle, &GET_THING_SIGNED).await.expect_err("invalid");
    assert_eq!(err.code(), Some("ValidationException"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn throttling_is_retried() {
    let server = SequenceServer::start(vec![
        Reply::new(400, "ThrottlingException", r#"{"message":"Rate exceeded"}"#),
        Reply::new(429, "", ""),
        Reply::new(200, "", r#"{"Size":3}"#),
    ])
    .await;
    let handle = Handle::new(signed_config(&server.base).build());
    let output = call(&handle, &GET_THING_SIGNED).await.expect("success");
    assert_eq!(output.size, Some(3));
    assert_eq!(server.requests().len(), 3);

    // A code sent in the body, with its namespace, counts too.
    let server = SequenceServer::start(vec![
        Reply::new(
            400,
            "",
            r#"{"__type":"com.amazonaws.test#ProvisionedThroughputExceededException"}"#,
        ),
        Reply::new(200, "", "{}"),
    ])
    .await;
    let handle = Handle::new(signed_config(&server.base).build());
    call(&handle, &GET_THING_SIGNED).await.expect("success");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn modeled_retryable_error_is_retried() {
    let server = SequenceServer::start(vec![
        Reply::new(400, "Busy", "{}"),
        Reply::new(200, "", "{}"),
    ])
    .await;
    let handle = Handle::new(signed_config(&server.base).build());
    call(&handle, &GET_THING_SIGNED).await.expect("success");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn max_attempts_is_respected() {
    let server = SequenceServer::start(vec![Reply::new(500, "InternalFailure", "{}")]).await;
    let handle = Handle::new(
        signed_config(&server.base)
            .retry_config(fast_retries().with_max_attempts(4))
            .build(),
    );
    let err = call(&handle, &GET_THING_SIGNED).await.expect_err("500");
    assert_eq!(server.requests().len(), 4);
    assert_eq!(err.raw_response().map(HttpResponse::status), Some(500));
    assert_eq!(err.code(), Some("InternalFailure"));

    // The default is three attempts.
    let server = SequenceServer::start(vec![Reply::new(502, "", "")]).await;
    let handle = Handle::new(signed_config(&server.base).build());
    call(&handle, &GET_THING_SIGNED).await.expect_err("502");
    assert_eq!(server.requests().len(), 3);

    // Disabled retries make a single attempt.
    let server = SequenceServer::start(vec![Reply::new(504, "", "")]).await;
    let handle = Handle::new(
        signed_config(&server.base)
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    call(&handle, &GET_THING_SIGNED).await.expect_err("504");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn transport_failures_are_retried_when_transient() {
    let transport = Scripted::new(vec![
        Step::Io,
        Step::Timeout,
        Step::Respond(200, r#"{"Name":"ok"}"#),
    ]);
    let handle = Handle::new(
        Config::builder()
            .region("us-east-1")
            .http_client(transport.clone())
            .retry_config(fast_retries())
            .build(),
    );
    let output = call(&handle, &GET_THING).await.expect("success");
    assert_eq!(output.name.as_deref(), Some("ok"));
    assert_eq!(transport.requests().len(), 3);

    // Other transport failures are final.
    let transport = Scripted::new(vec![Step::Other]);
    let handle = Handle::new(
        Config::builder()
            .region("us-east-1")
            .http_client(transport.clone())
            .retry_config(fast_retries())
            .build(),
    );
    let err = call(&handle, &GET_THING).await.expect_err("other");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(transport.requests().len(), 1);

    // So is a success response that cannot be read.
    let transport = Scripted::new(vec![Step::Respond(200, r#"{"Size":"x"}"#)]);
    let handle = Handle::new(
        Config::builder()
            .region("us-east-1")
            .http_client(transport.clone())
            .retry_config(fast_retries())
            .build(),
    );
    let err = call(&handle, &GET_THING).await.expect_err("bad body");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert_eq!(transport.requests().len(), 1);
}

#[tokio::test]
async fn refused_connections_are_retried_then_reported() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    drop(listener);
    let handle = Handle::new(
        Config::builder()
            .endpoint_url(format!("http://{addr}"))
            .retry_config(fast_retries().with_max_attempts(2))
            .build(),
    );
    let err = call(&handle, &GET_THING).await.expect_err("refused");
    assert!(
        matches!(&err, SdkError::DispatchFailure(context) if context.is_io()),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------

#[tokio::test]
async fn attempt_timeout_is_a_timeout_error_after_every_attempt() {
    let server = SilentServer::start().await;
    let handle = Handle::new(
        signed_config(&server.base)
            .retry_config(fast_retries().with_max_attempts(2))
            .timeout_config(
                TimeoutConfig::new().with_operation_attempt_timeout(Duration::from_millis(100)),
            )
            .build(),
    );
    let start = std::time::Instant::now();
    let err = call(&handle, &GET_THING_SIGNED)
        .await
        .expect_err("times out");
    let elapsed = start.elapsed();
    match &err {
        SdkError::TimeoutError(context) => assert!(
            context
                .source_error()
                .to_string()
                .contains("operation attempt timeout of 100ms"),
            "{}",
            context.source_error()
        ),
        other => panic!("expected TimeoutError, got {other:?}"),
    }
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    // Give the server a moment to record the second request.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn operation_timeout_covers_all_attempts() {
    let server = SilentServer::start().await;
    let handle = Handle::new(
        signed_config(&server.base)
            .retry_config(fast_retries().with_max_attempts(10))
            .timeout_config(
                TimeoutConfig::new()
                    .with_operation_attempt_timeout(Duration::from_millis(50))
                    .with_operation_timeout(Duration::from_millis(180)),
            )
            .build(),
    );
    let start = std::time::Instant::now();
    let err = call(&handle, &GET_THING_SIGNED)
        .await
        .expect_err("times out");
    let elapsed = start.elapsed();
    match &err {
        SdkError::TimeoutError(context) => assert!(
            context
                .source_error()
                .to_string()
                .contains("operation timeout of 180ms"),
            "{}",
            context.source_error()
        ),
        other => panic!("expected TimeoutError, got {other:?}"),
    }
    assert!(elapsed >= Duration::from_millis(180), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let count = server.request_count();
    assert!((2..10).contains(&count), "{count} attempts");
}

#[tokio::test]
async fn fast_responses_are_not_affected_by_timeouts() {
    let server = SequenceServer::start(vec![Reply::new(200, "", r#"{"Name":"quick"}"#)]).await;
    let handle = Handle::new(
        signed_config(&server.base)
            .timeout_config(
                TimeoutConfig::new()
                    .with_operation_attempt_timeout(Duration::from_secs(5))
                    .with_operation_timeout(Duration::from_secs(5))
                    .with_connect_timeout(Duration::from_secs(1)),
            )
            .build(),
    );
    let output = call(&handle, &GET_THING_SIGNED).await.expect("success");
    assert_eq!(output.name.as_deref(), Some("quick"));
}
