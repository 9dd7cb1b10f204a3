//! Helpers shared by the integration tests: minimal HTTP/1.1 servers on
//! 127.0.0.1, an in-memory transport, and an independent SigV4 computation.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use ring::{digest, hmac};
use smithgen_runtime::error::ConnectorError;
use smithgen_runtime::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A request as a test server saw it.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    pub path: String,
    /// Lower-cased names, sorted by name.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    /// What a server would see of `request`.
    pub fn from_request(request: &HttpRequest) -> Self {
        let after_scheme = request
            .uri
            .split_once("://")
            .map_or(request.uri.as_str(), |(_, rest)| rest);
        let path = after_scheme
            .find('/')
            .map_or("/", |index| &after_scheme[index..]);
        let path = path.split('#').next().unwrap_or(path);
        let mut headers: Vec<(String, String)> = request
            .headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        headers.sort();
        Self {
            method: request.method.clone(),
            path: path.to_owned(),
            headers,
            body: request.body.clone(),
        }
    }

    /// The value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A canned response for a test server.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: &'static str,
}

impl Reply {
    /// A response with a status, an `x-amzn-errortype` code (when not empty)
    /// and a body.
    pub fn new(status: u16, error_type: &'static str, body: &'static str) -> Self {
        let headers = if error_type.is_empty() {
            vec![]
        } else {
            vec![("x-amzn-errortype", error_type)]
        };
        Self {
            status,
            headers,
            body,
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Reads one HTTP/1.1 request (headers, then a `content-length` body).
pub async fn read_request(stream: &mut tokio::net::TcpStream) -> Captured {
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
    let chunked = headers
        .iter()
        .any(|(name, value)| name == "transfer-encoding" && value.eq_ignore_ascii_case("chunked"));
    let mut body = buf[head_end + 4..].to_vec();
    if chunked {
        body = read_chunked(stream, body).await;
    }
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

/// Reads a body sent in chunks (`Transfer-Encoding: chunked`), of which
/// `buf` holds what was read already; the body decoded.
async fn read_chunked(stream: &mut tokio::net::TcpStream, mut buf: Vec<u8>) -> Vec<u8> {
    let mut body = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut pos = 0;
    loop {
        // The chunk's size line, then its data and CRLF.
        let line_end = loop {
            if let Some(end) = find(&buf[pos..], b"\r\n") {
                break pos + end;
            }
            let n = stream.read(&mut chunk).await.expect("read chunk size");
            assert!(n > 0, "client closed inside a chunked body");
            buf.extend_from_slice(&chunk[..n]);
        };
        let line = std::str::from_utf8(&buf[pos..line_end]).expect("chunk size line");
        let size = usize::from_str_radix(line.split(';').next().unwrap_or("").trim(), 16)
            .expect("hexadecimal chunk size");
        let data_start = line_end + 2;
        while buf.len() < data_start + size + 2 {
            let n = stream.read(&mut chunk).await.expect("read chunk");
            assert!(n > 0, "client closed inside a chunk");
            buf.extend_from_slice(&chunk[..n]);
        }
        body.extend_from_slice(&buf[data_start..data_start + size]);
        pos = data_start + size + 2;
        if size == 0 {
            return body;
        }
    }
}

/// Writes `reply` and closes the connection.
async fn write_reply(stream: &mut tokio::net::TcpStream, reply: &Reply) {
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
}

/// Starts a server that answers exactly one request with `reply`. Returns
/// its `http://127.0.0.1:PORT` base URL and a handle yielding what it received.
pub async fn serve_once(reply: Reply) -> (String, JoinHandle<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("local addr"));
    let task = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.expect("accept");
        let captured = read_request(&mut stream).await;
        write_reply(&mut stream, &reply).await;
        captured
    });
    (base, task)
}

/// A server answering request *n* with `replies[n]`, and every request past
/// the last with the last reply. It records each request before answering
/// it, and stops when dropped.
pub struct SequenceServer {
    pub base: String,
    pub requests: Arc<Mutex<Vec<Captured>>>,
    task: JoinHandle<()>,
}

impl SequenceServer {
    pub async fn start(replies: Vec<Reply>) -> Self {
        assert!(!replies.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            for index in 0.. {
                let (mut stream, _) = listener.accept().await.expect("accept");
                let captured = read_request(&mut stream).await;
                seen.lock().expect("lock").push(captured);
                let reply = &replies[index.min(replies.len() - 1)];
                write_reply(&mut stream, reply).await;
            }
        });
        Self {
            base,
            requests,
            task,
        }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Captured> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for SequenceServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A server that reads every request and never answers. Stops when dropped.
pub struct SilentServer {
    pub base: String,
    pub requests: Arc<Mutex<Vec<Captured>>>,
    task: JoinHandle<()>,
}

impl SilentServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            let mut open = Vec::new();
            loop {
                let (mut stream, _) = listener.accept().await.expect("accept");
                let captured = read_request(&mut stream).await;
                seen.lock().expect("lock").push(captured);
                // Keep the connection open, unanswered.
                open.push(stream);
            }
        });
        Self {
            base,
            requests,
            task,
        }
    }

    pub fn request_count(&self) -> usize {
        self.requests.lock().expect("lock").len()
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a scripted transport does for one request.
#[derive(Debug, Clone)]
pub enum Step {
    Respond(u16, &'static str),
    Io,
    Timeout,
    Other,
}

/// An in-memory transport that records requests and follows a script, the
/// last step repeating.
#[derive(Debug, Clone)]
pub struct Scripted {
    pub requests: Arc<Mutex<Vec<HttpRequest>>>,
    steps: Arc<Vec<Step>>,
}

impl Scripted {
    pub fn new(steps: Vec<Step>) -> Self {
        assert!(!steps.is_empty());
        Self {
            requests: Arc::default(),
            steps: Arc::new(steps),
        }
    }

    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().expect("lock").clone()
    }
}

impl HttpClient for Scripted {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        let index = {
            let mut requests = self.requests.lock().expect("lock");
            requests.push(request);
            requests.len() - 1
        };
        let step = self.steps[index.min(self.steps.len() - 1)].clone();
        Box::pin(async move {
            match step {
                Step::Respond(status, body) => {
                    Ok(HttpResponse::new(status, vec![], body.as_bytes().to_vec()))
                }
                Step::Io => Err(ConnectorError::io("connection reset")),
                Step::Timeout => Err(ConnectorError::timeout("read timed out")),
                Step::Other => Err(ConnectorError::other("cannot encode")),
            }
        })
    }
}

// ---------------------------------------------------------------------------
// SigV4, computed independently of the runtime (with ring).
// ---------------------------------------------------------------------------

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac_sha256(key: &[u8], data: &str) -> Vec<u8> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, key);
    hmac::sign(&key, data.as_bytes()).as_ref().to_vec()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, data).as_ref())
}

/// The parts of an `authorization` header.
#[derive(Debug, PartialEq)]
pub struct Authorization {
    pub access_key_id: String,
    pub date: String,
    pub region: String,
    pub service: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
pub fn parse_authorization(value: &str) -> Authorization {
    let rest = value
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .unwrap_or_else(|| panic!("unexpected algorithm in {value:?}"));
    let parts: Vec<&str> = rest.split(", ").collect();
    assert_eq!(parts.len(), 3, "{value:?}");
    let credential = parts[0].strip_prefix("Credential=").expect("Credential=");
    let signed = parts[1]
        .strip_prefix("SignedHeaders=")
        .expect("SignedHeaders=");
    let signature = parts[2].strip_prefix("Signature=").expect("Signature=");
    let scope: Vec<&str> = credential.split('/').collect();
    assert_eq!(scope.len(), 5, "{credential:?}");
    assert_eq!(scope[4], "aws4_request");
    Authorization {
        access_key_id: scope[0].to_owned(),
        date: scope[1].to_owned(),
        region: scope[2].to_owned(),
        service: scope[3].to_owned(),
        signed_headers: signed.split(';').map(str::to_owned).collect(),
        signature: signature.to_owned(),
    }
}

/// The SigV4 signature of a request, from its method, path, query, headers
/// (lower-case names; those in `signed_headers` are signed) and body.
#[allow(clippy::too_many_arguments)]
pub fn sigv4_signature(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    signed_headers: &[String],
    body: &[u8],
    secret: &str,
    amz_date: &str,
    region: &str,
    service: &str,
) -> String {
    sigv4_signature_for(
        method,
        path,
        query,
        headers,
        signed_headers,
        &sha256_hex(body),
        secret,
        amz_date,
        region,
        service,
    )
}

/// [`sigv4_signature`] with the payload's hash given (`UNSIGNED-PAYLOAD`, say).
#[allow(clippy::too_many_arguments)]
pub fn sigv4_signature_for(
    method: &str,
    path: &str,
    query: &str,
    headers: &[(String, String)],
    signed_headers: &[String],
    payload_hash: &str,
    secret: &str,
    amz_date: &str,
    region: &str,
    service: &str,
) -> String {
    let mut canonical_headers = String::new();
    for name in signed_headers {
        let values: Vec<String> = headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        assert!(!values.is_empty(), "signed header {name} was not sent");
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let canonical_request = format!(
        "{method}\n{path}\n{query}\n{canonical_headers}\n{}\n{payload_hash}",
        signed_headers.join(";"),
    );
    let date = &amz_date[..8];
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let k_date = hmac_sha256(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac_sha256(&k_date, region);
    let k_service = hmac_sha256(&k_region, service);
    let k_signing = hmac_sha256(&k_service, "aws4_request");
    hex(&hmac_sha256(&k_signing, &string_to_sign))
}

/// Checks the signature of a request received by a test server.
pub fn assert_signed(captured: &Captured, secret: &str) -> Authorization {
    assert_signed_for(captured, secret, &sha256_hex(&captured.body))
}

/// [`assert_signed`], with the payload signed as `payload_hash`.
pub fn assert_signed_for(captured: &Captured, secret: &str, payload_hash: &str) -> Authorization {
    let auth = parse_authorization(captured.header("authorization").expect("authorization"));
    let amz_date = captured.header("x-amz-date").expect("x-amz-date");
    assert_eq!(&amz_date[..8], auth.date);
    let (path, query) = captured
        .path
        .split_once('?')
        .unwrap_or((captured.path.as_str(), ""));
    let expected = sigv4_signature_for(
        &captured.method,
        path,
        query,
        &captured.headers,
        &auth.signed_headers,
        payload_hash,
        secret,
        amz_date,
        &auth.region,
        &auth.service,
    );
    assert_eq!(auth.signature, expected, "signature of {captured:?}");
    auth
}

/// Environment variables saved before a test changed them; put back on
/// drop, even when the test panics.
pub struct SavedEnv(Vec<(&'static str, Option<std::ffi::OsString>)>);

impl SavedEnv {
    /// Saves `names` and removes them from the process environment.
    pub fn clear(names: &[&'static str]) -> SavedEnv {
        let saved = SavedEnv(
            names
                .iter()
                .map(|name| (*name, std::env::var_os(name)))
                .collect(),
        );
        for name in names {
            std::env::remove_var(name);
        }
        saved
    }
}

impl Drop for SavedEnv {
    fn drop(&mut self) {
        for (name, value) in &self.0 {
            match value {
                Some(value) => std::env::set_var(name, value),
                None => std::env::remove_var(name),
            }
        }
    }
}

/// Sends `operation` of `service` with an empty JSON input and keeps only
/// whether it succeeded (the error's metadata, or how it failed).
pub async fn send_empty(
    handle: &smithgen_runtime::client::Handle,
    service: &'static smithgen_runtime::spec::ServiceSpec,
    operation: &'static smithgen_runtime::spec::OperationSpec,
) -> Result<(), smithgen_runtime::error::SdkError<smithgen_runtime::error::ErrorMetadata>> {
    fn parse_ok(_: &HttpResponse) -> Result<(), smithgen_runtime::error::DeserializeError> {
        Ok(())
    }
    fn parse_err(
        _: &HttpResponse,
        meta: smithgen_runtime::error::ErrorMetadata,
    ) -> smithgen_runtime::error::ErrorMetadata {
        meta
    }
    smithgen_runtime::operation::send_json_rpc(
        handle,
        service,
        operation,
        serde_json::json!({}),
        None,
        parse_ok,
        parse_err,
    )
    .await
}

/// The message of a construction failure; panics on any other error.
pub fn construction_message<E: std::fmt::Debug>(
    err: &smithgen_runtime::error::SdkError<E>,
) -> String {
    match err {
        smithgen_runtime::error::SdkError::ConstructionFailure(context) => {
            context.source_error().to_string()
        }
        other => panic!("expected ConstructionFailure, got {other:?}"),
    }
}
