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
