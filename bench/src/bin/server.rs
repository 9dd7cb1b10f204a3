//! The server of the request benchmark: HTTP/1.1 on the loopback interface,
//! keep-alive, answering every request at once with `200 {}` as Cognito
//! answers SetUserMFAPreference.
//!
//! ```text
//! server [--addr 127.0.0.1:0] [--threads 1] [--max-seconds 1800] [--dump-first]
//! ```
//!
//! Prints `listening on ADDR` once bound. It only binds loopback addresses,
//! and exits by itself after `--max-seconds`. `--dump-first` prints the first
//! request (head and body) to stderr, to compare what each client sends.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use smithgen_bench::{CONTENT_TYPE, OK_BODY, REQUEST_ID};

struct Options {
    addr: SocketAddr,
    threads: usize,
    max_seconds: u64,
    dump_first: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        addr: "127.0.0.1:0".parse().expect("a socket address"),
        threads: 1,
        max_seconds: 1800,
        dump_first: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "--addr" => {
                options.addr = value("--addr")?
                    .parse()
                    .map_err(|e| format!("--addr: {e}"))?
            }
            "--threads" => {
                options.threads = value("--threads")?
                    .parse()
                    .map_err(|e| format!("--threads: {e}"))?
            }
            "--max-seconds" => {
                options.max_seconds = value("--max-seconds")?
                    .parse()
                    .map_err(|e| format!("--max-seconds: {e}"))?
            }
            "--dump-first" => options.dump_first = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if !options.addr.ip().is_loopback() {
        return Err(format!("{} is not a loopback address", options.addr));
    }
    Ok(options)
}

async fn handle(
    request: Request<Incoming>,
    dump: Arc<AtomicBool>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    // Read the whole request body, as a real service does.
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    if dump.swap(false, Ordering::Relaxed) {
        let mut text = format!("{} {} {:?}\n", parts.method, parts.uri, parts.version);
        for (name, value) in &parts.headers {
            text.push_str(&format!(
                "{name}: {}\n",
                String::from_utf8_lossy(value.as_bytes())
            ));
        }
        text.push('\n');
        text.push_str(&String::from_utf8_lossy(&body));
        eprintln!("{text}");
    }
    let response = Response::builder()
        .status(200)
        .header("content-type", CONTENT_TYPE)
        .header("x-amzn-requestid", REQUEST_ID)
        .body(Full::new(Bytes::from_static(OK_BODY.as_bytes())))
        .expect("a valid response");
    Ok(response)
}

async fn serve(options: Options) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .map_err(|e| format!("bind {}: {e}", options.addr))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    println!("listening on {local}");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    let dump = Arc::new(AtomicBool::new(options.dump_first));
    let deadline = tokio::time::sleep(Duration::from_secs(options.max_seconds));
    tokio::pin!(deadline);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted.map_err(|e| format!("accept: {e}"))?,
            () = &mut deadline => {
                eprintln!("server: --max-seconds reached, exiting");
                return Ok(());
            }
        };
        let _ = stream.set_nodelay(true);
        let dump = dump.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(request, dump.clone()));
            // A client closing its connection is the normal end of one.
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("server: {message}");
            return ExitCode::from(2);
        }
    };
    let runtime = if options.threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(options.threads)
            .enable_all()
            .build()
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("server: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("server: {message}");
            ExitCode::FAILURE
        }
    }
}
