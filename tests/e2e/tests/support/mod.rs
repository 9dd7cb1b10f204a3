//! A moto server on 127.0.0.1 for the length of a test, and reporting helpers.

use std::fmt;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use smithgen_runtime::error::SdkError;
use smithgen_runtime::http::HttpResponse;

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
