//! End-to-end tests of `send_json_rpc`: real requests through the default
//! hyper client to a minimal HTTP/1.1 server on 127.0.0.1, and requests
//! through an in-memory transport.

#![cfg(feature = "default-client")]

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use smithgen_runtime::client::Handle;
use smithgen_runtime::error::{
    BoxError, ConnectorError, CreateUnhandledError, DeserializeError, ErrorMetadata,
    ProvideErrorMetadata, SdkError, Unhandled,
};
use smithgen_runtime::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse, HyperClient};
use smithgen_runtime::json;
use smithgen_runtime::protocol::{send_json_rpc, JsonVersion, ServiceSpec};
use smithgen_runtime::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

static SERVICE: ServiceSpec = ServiceSpec {
    target_prefix: "TestService",
    endpoint_prefix: "testsvc",
    signing_name: "testsvc",
    json_version: JsonVersion::V1_1,
};

/// Upper bound on any single test's network activity.
const TEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A request as the test server saw it.
#[derive(Debug)]
struct Captured {
    method: String,
    path: String,
    /// Lower-cased names, sorted by name.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A canned response for the test server.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: &'static str,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Reads one HTTP/1.1 request (headers, then a `content-length` body).
async fn read_request(stream: &mut tokio::net::TcpStream) -> Captured {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = find(&buf, b"\r\n\r\n") {
            break pos;
        }
        let n = stream.read(&mut chunk).await.expect("read request head");
        assert!(n > 0, "client closed before sending a full request head");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..head_end].to_vec()).expect("utf-8 head");
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().expect("request line").split(' ');
    let method = request_line.next().expect("method").to_owned();
    let path = request_line.next().expect("path").to_owned();
    let mut headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').expect("header line");
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    headers.sort();

    let content_length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .map(|(_, value)| value.parse().expect("numeric content-length"))
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < content_length {
        let n = stream.read(&mut chunk).await.expect("read request body");
        assert!(n > 0, "client closed before sending the whole body");
        body.extend_from_slice(&chunk[..n]);
    }
    Captured {
        method,
        path,
        headers,
        body,
    }
}

/// Starts a server that answers exactly one request with `reply`. Returns
/// its `http://127.0.0.1:PORT` base URL and a handle yielding what it received.
async fn serve_once(reply: Reply) -> (String, JoinHandle<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("local addr"));
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let captured = read_request(&mut stream).await;
        let mut response = format!(
            "HTTP/1.1 {} Test\r\ncontent-length: {}\r\nconnection: close\r\n",
            reply.status,
            reply.body.len()
        );
        for (name, value) in &reply.headers {
            response.push_str(&format!("{name}: {value}\r\n"));
        }
        response.push_str("\r\n");
        response.push_str(reply.body);
        stream
            .write_all(response.as_bytes())
            .await
            .expect("write response");
        stream.shutdown().await.ok();
        captured
    });
    (base, task)
}

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
            "GetThing",
            INPUT.to_vec(),
            parse_get_thing,
            parse_get_thing_error,
        ),
    )
    .await
    .expect("operation finished in time")
}

fn handle_for(endpoint: &str) -> Handle {
    Handle::new(Config::builder().endpoint_url(endpoint).build())
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
    assert_eq!(captured.path, "/gateway/stage");
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
            .build(),
    );
    let err = get_thing(&handle).await.expect_err("timeout");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
}

#[tokio::test]
async fn missing_region_and_endpoint_is_a_construction_failure() {
    let recorder = SharedRecorder::default();
    let handle = Handle::new(Config::builder().http_client(recorder.clone()).build());
    let err = get_thing(&handle).await.expect_err("no endpoint");
    match &err {
        SdkError::ConstructionFailure(context) => assert!(
            context
                .source_error()
                .to_string()
                .contains("no region and no endpoint URL"),
            "{}",
            context.source_error()
        ),
        other => panic!("expected ConstructionFailure, got {other:?}"),
    }
    assert!(recorder.0.requests.lock().expect("lock").is_empty());
}
