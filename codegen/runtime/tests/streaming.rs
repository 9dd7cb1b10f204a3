//! `@streaming` payloads over real HTTP: downloads handed over before the
//! body has arrived and never held whole, uploads streamed with their
//! length or in chunks, their signatures, the hashes of their bodies, and
//! what retries do with bodies that can and cannot be replayed. The
//! operations are written by hand as generated code would write them.

#![cfg(feature = "default-client")]

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use common::{assert_signed, assert_signed_for, read_request, sha256_hex, Captured};
use smithgen_runtime::body_hash::{tree_hash, BodyHash};
use smithgen_runtime::client::Handle;
use smithgen_runtime::credentials::Credentials;
use smithgen_runtime::error::{
    BuildError, ConnectorError, DeserializeError, ErrorMetadata, SdkError, SerializeError,
};
use smithgen_runtime::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse, HyperClient};
use smithgen_runtime::operation::{send, OperationCodec, ParseOutput};
use smithgen_runtime::primitives::{ByteStream, SdkBody};
use smithgen_runtime::protocol::Protocol;
use smithgen_runtime::request::RequestWriter;
use smithgen_runtime::spec::{AuthMode, OperationSpec, ServiceSpec};
use smithgen_runtime::time::StaticTimeSource;
use smithgen_runtime::{Config, RetryConfig};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

static SERVICE: ServiceSpec = ServiceSpec {
    target_prefix: "Vault",
    endpoint_prefix: "vault",
    signing_name: "vault",
    protocol: Protocol::RestJson1,
    endpoint_rules: None,
    query_compatible: false,
};

static SIGNED: OperationSpec = OperationSpec {
    name: "Transfer",
    auth: AuthMode::SigV4,
    errors: &[],
    request_compression: false,
    endpoint_params: smithgen_runtime::endpoint::OperationEndpointParams::NONE,
};

static ANONYMOUS: OperationSpec = OperationSpec {
    name: "Transfer",
    auth: AuthMode::None,
    errors: &[],
    request_compression: false,
    endpoint_params: smithgen_runtime::endpoint::OperationEndpointParams::NONE,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TEST_TIMEOUT: Duration = Duration::from_secs(20);

/// An upload: a streamed payload and, optionally, the hash headers the
/// operation asks for.
#[derive(Debug, Default)]
struct Upload {
    body: ByteStream,
    tree_hash: bool,
}

fn ser_upload(input: &Upload, w: &mut RequestWriter) -> Result<(), SerializeError> {
    w.set_method("PUT");
    w.push_path("/upload");
    w.push_header("Content-Type", "application/octet-stream");
    if input.tree_hash {
        w.require_body_hash(BodyHash::Sha256Tree, "x-amz-sha256-tree-hash");
        w.require_body_hash(BodyHash::Sha256, "x-amz-content-sha256");
    }
    Ok(())
}

fn take_body(input: &mut Upload) -> ByteStream {
    std::mem::take(&mut input.body)
}

/// The output of an upload: its status.
fn parse_status(response: &HttpResponse) -> Result<u16, DeserializeError> {
    Ok(response.status())
}

fn parse_err(_: &HttpResponse, meta: ErrorMetadata) -> ErrorMetadata {
    meta
}

fn no_host(_: &Upload) -> Result<Option<String>, BuildError> {
    Ok(None)
}

fn upload_codec(unsigned_payload: bool) -> OperationCodec<Upload, u16, ErrorMetadata> {
    OperationCodec {
        ser: ser_upload,
        host_prefix: no_host,
        endpoint_input: None,
        parse_ok: ParseOutput::Whole(parse_status),
        parse_err,
        prepare: None,
        customize: None,
        stream: Some(take_body),
        unsigned_payload,
    }
}

async fn upload(
    handle: Handle,
    operation: &'static OperationSpec,
    input: Upload,
    unsigned_payload: bool,
) -> Result<u16, SdkError<ErrorMetadata>> {
    let future = send(
        Arc::new(handle),
        &SERVICE,
        operation,
        Ok(input),
        upload_codec(unsigned_payload),
    );
    tokio::time::timeout(TEST_TIMEOUT, future)
        .await
        .expect("the upload finished in time")
}

/// A download's output: the `x-meta` header and the body, unread.
#[derive(Debug)]
struct Download {
    meta: Option<String>,
    body: ByteStream,
}

fn ser_download(_: &(), w: &mut RequestWriter) -> Result<(), SerializeError> {
    w.set_method("GET");
    w.push_path("/download");
    Ok(())
}

fn parse_download(response: &HttpResponse, body: ByteStream) -> Result<Download, DeserializeError> {
    assert!(response.body().is_empty(), "the body is not read");
    Ok(Download {
        meta: response.header("x-meta").map(str::to_owned),
        body,
    })
}

fn download_codec() -> OperationCodec<(), Download, ErrorMetadata> {
    fn no_host(_: &()) -> Result<Option<String>, BuildError> {
        Ok(None)
    }
    OperationCodec {
        ser: ser_download,
        host_prefix: no_host,
        endpoint_input: None,
        parse_ok: ParseOutput::Streamed(parse_download),
        parse_err,
        prepare: None,
        customize: None,
        stream: None,
        unsigned_payload: false,
    }
}

async fn download(handle: Handle) -> Result<Download, SdkError<ErrorMetadata>> {
    let future = send(
        Arc::new(handle),
        &SERVICE,
        &SIGNED,
        Ok(()),
        download_codec(),
    );
    tokio::time::timeout(TEST_TIMEOUT, future)
        .await
        .expect("the download started in time")
}

/// Retries quick enough for tests.
fn fast_retries() -> RetryConfig {
    RetryConfig::standard()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

/// 2015-08-30T12:36:00Z.
fn fixed_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_440_938_160)
}

fn config(base: &str) -> smithgen_runtime::config::Builder {
    Config::builder()
        .endpoint_url(base)
        .region("us-west-2")
        .credentials(Credentials::new("AKID", SECRET, None))
        .time_source(StaticTimeSource::new(fixed_time()))
        .retry_config(fast_retries())
}

/// `len` bytes of a pattern that does not repeat on chunk boundaries.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// The chunks of `data` as a stream that cannot be replayed.
struct Chunks(std::vec::IntoIter<Bytes>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.next().map(Ok))
    }
}

fn chunks(data: &[u8], size: usize) -> Chunks {
    Chunks(
        data.chunks(size)
            .map(Bytes::copy_from_slice)
            .collect::<Vec<_>>()
            .into_iter(),
    )
}

/// A stream that cannot be replayed, of known or unknown length.
fn one_shot(data: &[u8], known_length: bool) -> ByteStream {
    let length = known_length.then_some(data.len() as u64);
    smithgen_runtime::byte_stream::from_stream(chunks(data, 10_000), length)
}

/// A body that is not in memory but can be replayed, as a file is: each
/// copy streams the data anew, with its length.
fn replayable(data: &[u8]) -> ByteStream {
    let data = Bytes::copy_from_slice(data);
    ByteStream::new(SdkBody::retryable(move || {
        one_shot(&data, true).into_inner()
    }))
}

/// A server answering each request with the next of `statuses` (the last
/// repeating) and an empty body, recording what it received.
struct Server {
    base: String,
    requests: Arc<Mutex<Vec<Captured>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start(statuses: Vec<u16>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            for index in 0.. {
                let (mut stream, _) = listener.accept().await.expect("accept");
                let captured = read_request(&mut stream).await;
                seen.lock().expect("lock").push(captured);
                let status = statuses[index.min(statuses.len() - 1)];
                let reply = format!(
                    "HTTP/1.1 {status} Test\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
                stream.write_all(reply.as_bytes()).await.ok();
                stream.shutdown().await.ok();
            }
        });
        Server {
            base,
            requests,
            task,
        }
    }

    fn requests(&self) -> Vec<Captured> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A download larger than the transport's limit on response bodies is
/// handed over once its head is read, before the server sent the rest, and
/// read chunk by chunk.
#[tokio::test]
async fn downloads_are_handed_over_before_they_arrive_and_never_held_whole() {
    const FIRST: usize = 64 * 1024;
    const TOTAL: usize = 3 * 1024 * 1024 + 17;
    let data = pattern(TOTAL);
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (go_on, resume) = oneshot::channel::<()>();
    let served = data.clone();
    let server = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let request = read_request(&mut stream).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {TOTAL}\r\nx-meta: kept\r\n\
             content-type: application/octet-stream\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.expect("head");
        stream
            .write_all(&served[..FIRST])
            .await
            .expect("first part");
        stream.flush().await.expect("flush");
        // The rest only once the client has its output and a first chunk.
        resume.await.expect("the test asks for the rest");
        stream.write_all(&served[FIRST..]).await.expect("the rest");
        request
    });

    // A limit far below the body: a body read whole would fail.
    let transport = HyperClient::builder()
        .max_response_body_size(Some(1024))
        .build();
    let handle = Handle::new(config(&base).http_client(transport).build());
    let mut output = download(handle).await.expect("the download starts");
    assert_eq!(output.meta.as_deref(), Some("kept"));
    assert_eq!(output.body.size_hint(), (TOTAL as u64, Some(TOTAL as u64)));

    let first = output
        .body
        .next()
        .await
        .expect("a first chunk")
        .expect("it reads");
    assert!(!first.is_empty() && first.len() <= FIRST, "{}", first.len());
    go_on.send(()).expect("the server waits");
    let mut received = first.to_vec();
    let mut chunks = 1;
    while let Some(chunk) = output.body.next().await {
        received.extend_from_slice(&chunk.expect("it reads"));
        chunks += 1;
    }
    assert!(chunks > 2, "read in {chunks} chunks");
    assert_eq!(received.len(), TOTAL);
    assert!(received == data, "the bytes differ");

    let request = server.await.expect("the server ran");
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/download");
    assert_signed(&request, SECRET);
}

/// The error of a streaming operation is read whole and parsed as any
/// other's; its body limit still applies.
#[tokio::test]
async fn error_responses_of_streaming_operations_are_read_whole() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        for body in [
            r#"{"code":"NoSuchJob","message":"no job 7"}"#.to_owned(),
            format!(r#"{{"code":"Big","message":"{}"}}"#, "x".repeat(4096)),
        ] {
            let (mut stream, _) = listener.accept().await.expect("accept");
            read_request(&mut stream).await;
            let reply = format!(
                "HTTP/1.1 404 Not Found\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(reply.as_bytes()).await.ok();
        }
    });
    let transport = HyperClient::builder()
        .max_response_body_size(Some(1024))
        .build();
    let handle = Handle::new(config(&base).http_client(transport.clone()).build());
    match download(handle).await {
        Err(SdkError::ServiceError(err)) => {
            assert_eq!(err.err().code(), Some("NoSuchJob"));
            assert_eq!(err.err().message(), Some("no job 7"));
            assert_eq!(err.raw().status(), 404);
        }
        other => panic!("expected the service error, got {other:?}"),
    }
    let handle = Handle::new(config(&base).http_client(transport).build());
    match download(handle).await {
        Err(SdkError::DispatchFailure(err)) => {
            let message = format!("{:?}", err);
            assert!(message.contains("limit of 1024 bytes"), "{message}");
        }
        other => panic!("expected a body too large, got {other:?}"),
    }
}

/// A body that can be replayed but is not in memory (a file) is hashed
/// from a copy, signed with that hash, and sent with its length.
#[tokio::test]
async fn replayable_streams_are_sent_with_their_length_and_signed_hash() {
    let data = pattern(2 * 1024 * 1024 + 5);
    let server = Server::start(vec![200]).await;
    let handle = Handle::new(config(&server.base).build());
    let input = Upload {
        body: replayable(&data),
        tree_hash: false,
    };
    assert_eq!(upload(handle, &SIGNED, input, false).await.unwrap(), 200);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        request.header("content-length"),
        Some(data.len().to_string().as_str())
    );
    assert_eq!(request.header("transfer-encoding"), None);
    assert_eq!(request.header("x-amz-content-sha256"), None);
    assert!(request.body == data, "the bytes differ");
    // Signed with the SHA-256 of what was received.
    assert_signed(request, SECRET);
}

/// `aws.auth#unsignedPayload`: nothing is read in advance; the payload is
/// signed as `UNSIGNED-PAYLOAD`, sent as `X-Amz-Content-Sha256`; a stream of
/// unknown length is sent in chunks.
#[tokio::test]
async fn unsigned_payloads_stream_without_reading_ahead() {
    let data = pattern(300_000);
    let server = Server::start(vec![200]).await;
    let handle = Handle::new(config(&server.base).build());
    let input = Upload {
        body: one_shot(&data, false),
        tree_hash: false,
    };
    assert_eq!(upload(handle, &SIGNED, input, true).await.unwrap(), 200);
    let request = &server.requests()[0];
    assert_eq!(request.header("transfer-encoding"), Some("chunked"));
    assert_eq!(request.header("content-length"), None);
    assert_eq!(
        request.header("x-amz-content-sha256"),
        Some("UNSIGNED-PAYLOAD")
    );
    assert!(request.body == data, "the bytes differ");
    let auth = assert_signed_for(request, SECRET, "UNSIGNED-PAYLOAD");
    assert!(
        auth.signed_headers
            .iter()
            .any(|h| h == "x-amz-content-sha256"),
        "{auth:?}"
    );

    // An in-memory body of such an operation is not signed either.
    let server = Server::start(vec![200]).await;
    let handle = Handle::new(config(&server.base).build());
    let input = Upload {
        body: ByteStream::from(b"in memory".to_vec()),
        tree_hash: false,
    };
    upload(handle, &SIGNED, input, true).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("content-length"), Some("9"));
    assert_eq!(request.body, b"in memory");
    assert_signed_for(request, SECRET, "UNSIGNED-PAYLOAD");
}

/// A stream that cannot be replayed, whose payload must be signed, is read
/// into memory to be hashed and sent from there (and can then be retried).
#[tokio::test]
async fn signed_one_shot_streams_are_read_into_memory() {
    let data = pattern(100_001);
    let server = Server::start(vec![500, 200]).await;
    let handle = Handle::new(config(&server.base).build());
    let input = Upload {
        body: one_shot(&data, false),
        tree_hash: false,
    };
    assert_eq!(upload(handle, &SIGNED, input, false).await.unwrap(), 200);
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "retried from memory");
    for request in &requests {
        assert_eq!(
            request.header("content-length"),
            Some(data.len().to_string().as_str())
        );
        assert!(request.body == data, "the bytes differ");
        assert_signed(request, SECRET);
    }
}

/// An unsigned stream that cannot be replayed is sent once: a failure that
/// would be retried is returned instead of resending it half read.
#[tokio::test]
async fn one_shot_streams_are_not_retried() {
    let data = pattern(50_000);
    let server = Server::start(vec![503, 200]).await;
    let handle = Handle::new(config(&server.base).build());
    let input = Upload {
        body: one_shot(&data, true),
        tree_hash: false,
    };
    match upload(handle, &ANONYMOUS, input, false).await {
        Err(SdkError::ServiceError(err)) => assert_eq!(err.raw().status(), 503),
        other => panic!("expected the 503, got {other:?}"),
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "not retried");
    assert!(requests[0].body == data);
    assert_eq!(
        requests[0].header("content-length"),
        Some(data.len().to_string().as_str())
    );

    // The same body, replayable, is sent whole again.
    let server = Server::start(vec![503, 200]).await;
    let handle = Handle::new(config(&server.base).build());
    let input = Upload {
        body: replayable(&data),
        tree_hash: false,
    };
    assert_eq!(upload(handle, &ANONYMOUS, input, false).await.unwrap(), 200);
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "retried");
    for request in &requests {
        assert!(request.body == data, "each attempt sends the whole body");
    }
}

/// Hash headers over the body are computed in the same pass as the
/// payload's hash, for a stream and for bytes in memory alike, and the
/// payload is signed with the SHA-256 sent.
#[tokio::test]
async fn body_hash_headers_cover_the_whole_body() {
    let data = pattern(3 * 1024 * 1024 + 99);
    let tree = smithgen_runtime::body_hash::tree_hash(&data);
    let tree_hex: String = tree.iter().map(|b| format!("{b:02x}")).collect();
    for body in [
        replayable(&data),
        ByteStream::from(data.clone()),
        one_shot(&data, false),
    ] {
        let server = Server::start(vec![200]).await;
        let handle = Handle::new(config(&server.base).build());
        let input = Upload {
            body,
            tree_hash: true,
        };
        upload(handle, &SIGNED, input, false).await.unwrap();
        let request = &server.requests()[0];
        assert!(request.body == data);
        assert_eq!(
            request.header("x-amz-sha256-tree-hash"),
            Some(tree_hex.as_str())
        );
        assert_eq!(
            request.header("x-amz-content-sha256"),
            Some(sha256_hex(&data).as_str())
        );
        assert_signed(request, SECRET);
    }
    assert_ne!(tree_hash(&data)[..], *sha256_hex(&data).as_bytes());
}

/// A transport that implements only `send` gets a streamed body read into
/// memory, and a streamed output gets the body it read.
#[tokio::test]
async fn transports_without_streaming_get_bodies_in_memory() {
    #[derive(Debug, Clone, Default)]
    struct Recorder(Arc<Mutex<Vec<HttpRequest>>>);
    impl HttpClient for Recorder {
        fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
            self.0.lock().unwrap().push(request);
            Box::pin(async {
                Ok::<_, ConnectorError>(HttpResponse::new(
                    200,
                    vec![("x-meta".into(), "m".into())],
                    b"downloaded".to_vec(),
                ))
            })
        }
    }
    let transport = Recorder::default();
    let data = pattern(20_000);
    let handle = Handle::new(
        config("http://127.0.0.1:9")
            .http_client(transport.clone())
            .build(),
    );
    let input = Upload {
        body: replayable(&data),
        tree_hash: false,
    };
    upload(handle, &SIGNED, input, false).await.unwrap();
    let sent = transport.0.lock().unwrap().pop().expect("one request");
    assert!(sent.body == data);
    assert_eq!(
        sent.header("content-length"),
        Some(data.len().to_string().as_str())
    );

    let handle = Handle::new(
        config("http://127.0.0.1:9")
            .http_client(transport.clone())
            .build(),
    );
    let output = download(handle).await.unwrap();
    assert_eq!(output.meta.as_deref(), Some("m"));
    let body = output.body.collect().await.unwrap().into_bytes();
    assert_eq!(&body[..], b"downloaded");
}

/// A file, through `ByteStream::from_path`: sent with its length, signed
/// with its hash, and sent whole again on a retry.
#[cfg(feature = "rt-tokio")]
#[tokio::test]
async fn files_are_streamed_and_replayed() {
    let data = pattern(1_500_000);
    let path = std::env::temp_dir().join(format!("smithgen-stream-{}.bin", std::process::id()));
    std::fs::write(&path, &data).expect("write the file");
    let server = Server::start(vec![500, 200]).await;
    let handle = Handle::new(config(&server.base).build());
    let body = ByteStream::from_path(&path).await.expect("open the file");
    assert!(body.bytes().is_none(), "a file is not read into memory");
    let input = Upload {
        body,
        tree_hash: false,
    };
    assert_eq!(upload(handle, &SIGNED, input, false).await.unwrap(), 200);
    std::fs::remove_file(&path).ok();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert!(request.body == data);
        assert_eq!(
            request.header("content-length"),
            Some(data.len().to_string().as_str())
        );
        assert_signed(request, SECRET);
    }
}
