//! Support for the tests: the module a build script generated, a loopback HTTP
//! server that records what it receives, paths to shared material, and the
//! listing of a compiled crate's public API ([`api_listing`]).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub mod api_listing;

/// The SetUserMFAPreference client that `build.rs` generated into `OUT_DIR`.
pub mod cognito {
    include!(concat!(env!("OUT_DIR"), "/cognitoidentityprovider.rs"));
}

/// The repository root.
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// A file from `../shared`; fails with a message naming it when it is missing.
pub fn shared_file(relative: &str) -> PathBuf {
    let path = project_root().join("../shared").join(relative);
    assert!(
        path.is_file(),
        "missing shared material {}: the tests need ../shared beside the project root",
        path.display()
    );
    path
}

/// One request as the server received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// A header's value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A response the server sends back.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![(
                "content-type".to_owned(),
                "application/x-amz-json-1.1".to_owned(),
            )],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// An HTTP/1.1 server on 127.0.0.1 that records every request and answers
/// each with the same reply. It stops when dropped.
pub struct RecordingServer {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl RecordingServer {
    pub async fn start(reply: Reply) -> RecordingServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let recorded = recorded.clone();
                let reply = reply.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, recorded, reply).await;
                });
            }
        });
        RecordingServer {
            url,
            requests,
            task,
        }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("lock").clone()
    }
}

impl Drop for RecordingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    recorded: Arc<Mutex<Vec<Recorded>>>,
    reply: Reply,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    loop {
        let Some(request) = read_request(&mut stream, &mut buffer).await? else {
            return Ok(());
        };
        recorded.lock().expect("lock").push(request);
        let mut response = format!(
            "HTTP/1.1 {} Reply\r\ncontent-length: {}\r\n",
            reply.status,
            reply.body.len()
        );
        for (k, v) in &reply.headers {
            response.push_str(&format!("{k}: {v}\r\n"));
        }
        response.push_str("\r\n");
        stream.write_all(response.as_bytes()).await?;
        stream.write_all(&reply.body).await?;
    }
}

/// What a [`RawServer`] does with each connection once it has read a request.
#[derive(Clone, Debug)]
pub enum Script {
    /// Writes these bytes as they are (a whole response, a piece of one, or
    /// anything else), then closes the connection.
    Send(Vec<u8>),
    /// Writes these bytes, then keeps the connection open without another
    /// byte until the server is dropped.
    SendThenStall(Vec<u8>),
    /// Writes these bytes one chunk at a time, pausing between chunks, then
    /// closes the connection.
    Trickle {
        bytes: Vec<u8>,
        chunk: usize,
        pause: std::time::Duration,
    },
    /// Closes the connection without writing anything.
    Close,
}

/// A server on 127.0.0.1 that answers every request with a [`Script`] of raw
/// bytes, for responses no well-behaved server would send. It stops when
/// dropped.
pub struct RawServer {
    pub url: String,
    requests: Arc<std::sync::atomic::AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl RawServer {
    pub async fn start(script: Script) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let requests = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = requests.clone();
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let counter = counter.clone();
                let script = script.clone();
                connections.spawn(async move {
                    let _ = run_script(stream, counter, script).await;
                });
            }
        });
        RawServer {
            url,
            requests,
            task,
        }
    }

    /// How many requests the server has read.
    pub fn requests(&self) -> usize {
        self.requests.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for RawServer {
    fn drop(&mut self) {
        // Aborting the accept loop drops its `JoinSet`, which aborts every
        // connection, stalled ones included.
        self.task.abort();
    }
}

async fn run_script(
    mut stream: TcpStream,
    counter: Arc<std::sync::atomic::AtomicUsize>,
    script: Script,
) -> std::io::Result<()> {
    let mut buffer = Vec::new();
    if read_request(&mut stream, &mut buffer).await?.is_none() {
        return Ok(());
    }
    counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    match script {
        Script::Send(bytes) => {
            stream.write_all(&bytes).await?;
            stream.shutdown().await?;
        }
        Script::SendThenStall(bytes) => {
            stream.write_all(&bytes).await?;
            std::future::pending::<()>().await;
        }
        Script::Trickle {
            bytes,
            chunk,
            pause,
        } => {
            for piece in bytes.chunks(chunk.max(1)) {
                stream.write_all(piece).await?;
                stream.flush().await?;
                tokio::time::sleep(pause).await;
            }
            stream.shutdown().await?;
        }
        Script::Close => {}
    }
    Ok(())
}

/// Reads one request (head and `content-length` body) from `stream`;
/// `None` when the peer closes first.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<Recorded>> {
    let head_end = loop {
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Ok(Some(Recorded {
        method,
        path,
        headers,
        body,
    }))
}

/// The bytes of an HTTP/1.1 response: the status line, `headers` as given,
/// a `content-length` of `body` unless `headers` name one, and `body`.
pub fn raw_response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        out.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}
