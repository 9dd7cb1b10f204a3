//! A moto server on 127.0.0.1 for the length of a test, the shared
//! credentials files the tests sign with, and reporting helpers.

use std::fmt;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use smithgen_runtime::error::SdkError;
use smithgen_runtime::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse};

/// How long moto may take to answer its first request.
const STARTUP_LIMIT: Duration = Duration::from_secs(30);

/// The workspace root (`tests/e2e` is two levels below it).
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// A `moto_server` child process, killed when this is dropped.
pub struct MotoServer {
    child: Child,
    url: String,
    log: PathBuf,
}

impl MotoServer {
    /// Starts `.venv/bin/moto_server` on a free port of 127.0.0.1 and waits
    /// until it answers HTTP. Fails, never skips, when moto is not installed.
    pub fn start() -> Self {
        let root = project_root();
        let program = root.join(".venv/bin/moto_server");
        assert!(
            program.is_file(),
            "{} is missing: run ./tests/setup-moto to install moto into .venv before these tests",
            program.display()
        );

        let port = free_port();
        let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("moto-{port}.log"));
        let log_file = File::create(&log)
            .unwrap_or_else(|err| panic!("cannot create {}: {err}", log.display()));
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("duplicate the log file handle"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|err| {
                panic!(
                    "cannot start {}: {err}; run ./tests/setup-moto to (re)install moto",
                    program.display()
                )
            });
        let mut server = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_until_ready(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
        server
    }

    /// The endpoint URL clients are pointed at.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Polls until moto answers an HTTP request, failing with its log when
    /// it exits or does not answer in time.
    fn wait_until_ready(&mut self, addr: SocketAddr) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("poll the moto process") {
                panic!(
                    "moto_server exited with {status} before answering; run ./tests/setup-moto if moto is broken.\nIts output ({}):\n{}",
                    self.log.display(),
                    self.log_text()
                );
            }
            if answers_http(addr) {
                return;
            }
            if started.elapsed() > STARTUP_LIMIT {
                panic!(
                    "moto_server did not answer on {addr} within {STARTUP_LIMIT:?}.\nIts output ({}):\n{}",
                    self.log.display(),
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// What moto printed so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_else(|err| format!("(unreadable: {err})"))
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        // Only this child is ended, by its own handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port of 127.0.0.1 that nothing listens on at the moment.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
    listener.local_addr().expect("bound address").port()
}

/// Whether an HTTP/1.0 request to `addr` gets an HTTP status line back.
fn answers_http(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /moto-api/ HTTP/1.0\r\nHost: {addr}\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 5];
    stream.read_exact(&mut head).is_ok() && &head == b"HTTP/"
}

/// Reports a call that passed. Written straight to the process's stderr, not
/// through `eprintln!`, so that the list shows even when the test harness
/// captures test output.
pub fn passed(call: &str, detail: impl fmt::Display) {
    let _ = writeln!(std::io::stderr(), "e2e passed: {call}: {detail}");
}

/// An `SdkError` described for a failure message: the error itself and, when
/// the server answered, exactly what it sent.
pub fn describe<E: fmt::Debug>(err: &SdkError<E, HttpResponse>) -> String {
    let mut text = format!("{err:?}");
    if let Some(raw) = err.raw_response() {
        text.push_str(&format!(
            "\nthe server answered HTTP {}: {}",
            raw.status(),
            String::from_utf8_lossy(raw.body())
        ));
    }
    text
}

/// What the server sent for a failed call: `HTTP <status> <body>`, or the
/// error itself when nothing was received.
pub fn answer<E: fmt::Debug>(err: &SdkError<E, HttpResponse>) -> String {
    match err.raw_response() {
        Some(raw) => format!(
            "HTTP {} {}",
            raw.status(),
            String::from_utf8_lossy(raw.body())
        ),
        None => format!("{err:?}"),
    }
}

/// The success value of a call, or a failure naming the call and describing
/// the error.
pub fn ok<T, E: fmt::Debug>(call: &str, result: Result<T, SdkError<E, HttpResponse>>) -> T {
    result.unwrap_or_else(|err| panic!("{call} failed: {}", describe(&err)))
}

/// The profile the generated clients' default chain reads.
pub const PROFILE: &str = "smithgen-e2e";
/// Its access key id.
pub const PROFILE_ACCESS_KEY_ID: &str = "AKIDSMITHGENPROFILE";
/// The profile aws-config's provider reads.
pub const AWS_CONFIG_PROFILE: &str = "smithgen-aws-config";
/// Its access key id.
pub const AWS_CONFIG_ACCESS_KEY_ID: &str = "AKIDSMITHGENAWSCONFIG";

/// Writes a credentials file and a config file under the target's temporary
/// directory and points this process at them, once: `AWS_SHARED_CREDENTIALS_FILE`,
/// `AWS_CONFIG_FILE` and `AWS_PROFILE` (= [`PROFILE`], whose config gives
/// the region `us-east-1`). The variables that would win over the files
/// (`AWS_ACCESS_KEY_ID` and friends, `AWS_REGION`, container credentials)
/// are removed, and instance metadata is turned off. Every test of this
/// binary calls this first and wants the same values, so setting them
/// process-wide is safe.
pub fn use_profile_files() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("e2e-profiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the profile directory");
        let credentials = dir.join("credentials");
        std::fs::write(
            &credentials,
            format!(
                "[{PROFILE}]\n\
                 aws_access_key_id = {PROFILE_ACCESS_KEY_ID}\n\
                 aws_secret_access_key = smithgen-e2e-profile-secret\n\
                 \n\
                 [{AWS_CONFIG_PROFILE}]\n\
                 aws_access_key_id = {AWS_CONFIG_ACCESS_KEY_ID}\n\
                 aws_secret_access_key = smithgen-e2e-aws-config-secret\n"
            ),
        )
        .expect("write the credentials file");
        let config = dir.join("config");
        std::fs::write(
            &config,
            format!("[profile {PROFILE}]\nregion = us-east-1\n"),
        )
        .expect("write the config file");
        for name in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        ] {
            std::env::remove_var(name);
        }
        std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", &credentials);
        std::env::set_var("AWS_CONFIG_FILE", &config);
        std::env::set_var("AWS_PROFILE", PROFILE);
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        dir
    })
}

/// The default transport, noting the access key id each signed request
/// was signed with (from its `authorization` header).
#[derive(Debug, Clone, Default)]
pub struct KeyRecorder {
    inner: Arc<smithgen_runtime::http::HyperClient>,
    keys: Arc<Mutex<Vec<String>>>,
}

impl KeyRecorder {
    /// The access key ids of the signed requests so far, in order.
    pub fn keys(&self) -> Vec<String> {
        self.keys.lock().expect("lock").clone()
    }
}

impl HttpClient for KeyRecorder {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        if let Some(authorization) = request.header("authorization") {
            let key = authorization
                .split("Credential=")
                .nth(1)
                .and_then(|credential| credential.split('/').next())
                .unwrap_or_default();
            self.keys.lock().expect("lock").push(key.to_owned());
        }
        self.inner.send(request)
    }
}

/// An HTTP client for aws-config's providers that refuses every request.
/// aws-config builds its providers with one even when a profile's static
/// keys need none, and this test builds it without its default HTTPS client.
#[derive(Debug, Clone, Copy)]
pub struct NoHttpClient;

impl aws_smithy_runtime_api::client::http::HttpClient for NoHttpClient {
    fn http_connector(
        &self,
        _settings: &aws_smithy_runtime_api::client::http::HttpConnectorSettings,
        _components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
    ) -> aws_smithy_runtime_api::client::http::SharedHttpConnector {
        aws_smithy_runtime_api::client::http::SharedHttpConnector::new(NoHttpClient)
    }
}

impl aws_smithy_runtime_api::client::http::HttpConnector for NoHttpClient {
    fn call(
        &self,
        _request: aws_smithy_runtime_api::client::orchestrator::HttpRequest,
    ) -> aws_smithy_runtime_api::client::http::HttpConnectorFuture {
        aws_smithy_runtime_api::client::http::HttpConnectorFuture::ready(Err(
            aws_smithy_runtime_api::client::result::ConnectorError::other(
                "this test gives aws-config no HTTP client".into(),
                None,
            ),
        ))
    }
}

/// Creates the IAM role `name` in moto, which checks that a Lambda
/// function's execution role exists, and returns its ARN. IAM speaks awsQuery,
/// which smithgen does not generate yet, so this one request is written by
/// hand: a form-encoded `CreateRole` whose `Authorization` header names the
/// `iam` service, as moto routes requests by it (moto checks no signature).
pub fn create_iam_role(url: &str, name: &str) -> String {
    let addr = url.trim_start_matches("http://");
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let body = format!(
        "Action=CreateRole&Version=2010-05-08&RoleName={name}&AssumeRolePolicyDocument={}",
        form_encode(policy)
    );
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential={PROFILE_ACCESS_KEY_ID}/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).expect("connect to moto");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("set a read timeout");
    stream
        .write_all(request.as_bytes())
        .expect("send CreateRole");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("read the CreateRole response");
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "IAM CreateRole failed: {response}"
    );
    let arn = response
        .split("<Arn>")
        .nth(1)
        .and_then(|rest| rest.split("</Arn>").next())
        .unwrap_or_else(|| panic!("no <Arn> in the CreateRole response: {response}"));
    arn.to_owned()
}

/// `text` encoded for an `application/x-www-form-urlencoded` body.
fn form_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A zip archive of one file, stored (not compressed), written by hand: a
/// function's deployment package.
pub fn stored_zip(name: &str, contents: &[u8]) -> Vec<u8> {
    let crc = crc32(contents);
    let size = u32::try_from(contents.len()).expect("a small file");
    let name_len = u16::try_from(name.len()).expect("a short name");
    // Version 2.0, no flags, stored, 1980-01-01 00:00, CRC, sizes, name.
    let entry = |zip: &mut Vec<u8>| {
        zip.extend(20u16.to_le_bytes());
        zip.extend(0u16.to_le_bytes());
        zip.extend(0u16.to_le_bytes());
        zip.extend(0u16.to_le_bytes());
        zip.extend(0x21u16.to_le_bytes());
        zip.extend(crc.to_le_bytes());
        zip.extend(size.to_le_bytes());
        zip.extend(size.to_le_bytes());
        zip.extend(name_len.to_le_bytes());
        zip.extend(0u16.to_le_bytes());
    };
    let mut zip = Vec::new();
    // The local file header and the file.
    zip.extend(0x0403_4b50u32.to_le_bytes());
    entry(&mut zip);
    zip.extend(name.as_bytes());
    zip.extend(contents);
    // The central directory's one entry: made by Unix, a regular file
    // readable by everyone (0o100644), its local header at offset 0.
    let central = u32::try_from(zip.len()).expect("a small archive");
    zip.extend(0x0201_4b50u32.to_le_bytes());
    zip.extend(0x031Eu16.to_le_bytes());
    entry(&mut zip);
    zip.extend(0u16.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip.extend((0o100_644u32 << 16).to_le_bytes());
    zip.extend(0u32.to_le_bytes());
    zip.extend(name.as_bytes());
    let central_size = u32::try_from(zip.len()).expect("a small archive") - central;
    // The end of the central directory.
    zip.extend(0x0605_4b50u32.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip.extend(1u16.to_le_bytes());
    zip.extend(1u16.to_le_bytes());
    zip.extend(central_size.to_le_bytes());
    zip.extend(central.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip
}

/// The CRC-32 (IEEE) of `bytes`, as zip archives use it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The default transport for the Lambda test: it records each request's
/// method and URI, and pages `ListFunctions` answers as Lambda does.
///
/// moto 5.2.5 answers `ListFunctions` with every function at once: it
/// ignores `MaxItems` and `Marker`. This transport cuts moto's answer into
/// pages of `MaxItems` functions, starting after the `Marker` (the index of
/// the page's first function, as text), and gives `NextMarker` while
/// functions remain, so that the generated paginator's round trip of the
/// token is exercised against moto's data.
#[derive(Debug, Clone, Default)]
pub struct LambdaPager {
    inner: Arc<smithgen_runtime::http::HyperClient>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl LambdaPager {
    /// `METHOD uri` of every request so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("lock").clone()
    }
}

/// The value of query parameter `name` in `uri`, as sent.
fn query_param<'a>(uri: &'a str, name: &str) -> Option<&'a str> {
    let query = uri.split_once('?')?.1;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// `ListFunctions` output `body` cut to the page starting at `marker` with
/// at most `max_items` functions.
fn page_of(body: &[u8], marker: Option<&str>, max_items: usize) -> Vec<u8> {
    let mut output: serde_json::Value =
        serde_json::from_slice(body).expect("moto answers ListFunctions with JSON");
    let functions = output["Functions"]
        .as_array()
        .cloned()
        .expect("a Functions list");
    let start: usize = marker.map_or(0, |m| m.parse().expect("a marker this transport gave"));
    let end = (start + max_items).min(functions.len());
    output["Functions"] = serde_json::Value::Array(functions[start..end].to_vec());
    if end < functions.len() {
        output["NextMarker"] = serde_json::Value::String(end.to_string());
    }
    serde_json::to_vec(&output).expect("JSON")
}

impl HttpClient for LambdaPager {
    fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
        self.requests
            .lock()
            .expect("lock")
            .push(format!("{} {}", request.method, request.uri));
        let path = request
            .uri
            .split("://")
            .nth(1)
            .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("/");
        let list_functions =
            request.method == "GET" && path.split('?').next() == Some("/2015-03-31/functions");
        let paging = list_functions
            .then(|| {
                let max_items: usize = query_param(&request.uri, "MaxItems")?.parse().ok()?;
                let marker = query_param(&request.uri, "Marker").map(str::to_owned);
                Some((max_items, marker))
            })
            .flatten();
        Box::pin(async move {
            let response = self.inner.send(request).await?;
            let Some((max_items, marker)) = paging.filter(|_| response.is_success()) else {
                return Ok(response);
            };
            let body = page_of(response.body(), marker.as_deref(), max_items);
            let headers = response
                .headers()
                .iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("content-length"))
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect();
            Ok(HttpResponse::new(response.status(), headers, body))
        })
    }
}
