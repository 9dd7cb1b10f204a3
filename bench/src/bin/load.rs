//! The load generator of the request benchmark: sends SetUserMFAPreference
//! to a local server through one client and reports throughput and latency.
//!
//! ```text
//! load --client smithgen|aws|raw --url http://127.0.0.1:PORT
//!      [--requests 20000] [--concurrency 1] [--warmup 1000] [--max-seconds 10] [--threads 1]
//! ```
//!
//! `raw` is the floor: a plain hyper client sending the same bytes and
//! headers the smithgen client sends, and reading the whole response. The run
//! is bounded by `--requests` and by `--max-seconds`, whichever comes first;
//! the warm-up requests (same concurrency, to open the connections) are not
//! counted. Prints one line: `rps=… p50_us=… p99_us=… requests=… seconds=…`.

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use smithgen_bench::{aws_call, aws_client, smithgen_call, smithgen_client, CONTENT_TYPE, TARGET};

struct Options {
    client: String,
    url: String,
    requests: usize,
    concurrency: usize,
    warmup: usize,
    max_seconds: f64,
    threads: usize,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        client: String::new(),
        url: String::new(),
        requests: 20_000,
        concurrency: 1,
        warmup: 1_000,
        max_seconds: 10.0,
        threads: 1,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        let bad = |e: &dyn std::fmt::Display| format!("{arg}: {e}");
        match arg.as_str() {
            "--client" => options.client = value,
            "--url" => options.url = value,
            "--requests" => options.requests = value.parse().map_err(|e| bad(&e))?,
            "--concurrency" => options.concurrency = value.parse().map_err(|e| bad(&e))?,
            "--warmup" => options.warmup = value.parse().map_err(|e| bad(&e))?,
            "--max-seconds" => options.max_seconds = value.parse().map_err(|e| bad(&e))?,
            "--threads" => options.threads = value.parse().map_err(|e| bad(&e))?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if !matches!(options.client.as_str(), "smithgen" | "aws" | "raw") {
        return Err("--client must be smithgen, aws or raw".into());
    }
    let uri: http::Uri = options.url.parse().map_err(|e| format!("--url: {e}"))?;
    let loopback = match uri.host() {
        Some("localhost") => true,
        Some(host) => host
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    };
    if !loopback {
        return Err(format!("{} is not a loopback URL", options.url));
    }
    if options.concurrency == 0 || options.requests == 0 {
        return Err("--requests and --concurrency must be at least 1".into());
    }
    Ok(options)
}

/// The plain HTTP client: hyper's pooled HTTP/1.1 client over TCP.
struct Raw {
    client: Client<HttpConnector, Full<Bytes>>,
    uri: http::Uri,
    body: Bytes,
}

impl Raw {
    fn new(url: &str) -> Result<Self, String> {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Ok(Raw {
            client: Client::builder(TokioExecutor::new()).build(connector),
            uri: url.parse().map_err(|e| format!("--url: {e}"))?,
            body: Bytes::from(smithgen_bench::request_body()),
        })
    }

    async fn call(&self) -> Result<(), String> {
        // Exactly the headers the smithgen client sends, in its order
        // (`server --dump-first` prints them); hyper adds `host`.
        let request = http::Request::builder()
            .method("POST")
            .uri(self.uri.clone())
            .header("content-type", CONTENT_TYPE)
            .header("x-amz-target", TARGET)
            .header("content-length", self.body.len())
            .body(Full::new(self.body.clone()))
            .map_err(|e| e.to_string())?;
        let response = self
            .client
            .request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        if status.is_success() && !body.is_empty() {
            Ok(())
        } else {
            Err(format!("status {status}"))
        }
    }
}

enum Caller {
    Smithgen(smithgen_cognito::Client),
    Aws(aws_sdk_cognitoidentityprovider::Client),
    Raw(Box<Raw>),
}

impl Caller {
    async fn call(&self) -> Result<(), String> {
        match self {
            Caller::Smithgen(client) => smithgen_call(client).await,
            Caller::Aws(client) => aws_call(client).await,
            Caller::Raw(raw) => raw.call().await,
        }
    }
}

struct Outcome {
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
    elapsed: Duration,
}

/// Sends up to `total` requests from `concurrency` tasks, stopping early at
/// `deadline`.
async fn drive(
    caller: Arc<Caller>,
    total: usize,
    concurrency: usize,
    deadline: Instant,
) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let caller = caller.clone();
        let next = next.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(total / concurrency + 1);
            let mut errors = 0usize;
            let mut first_error = None;
            while next.fetch_add(1, Ordering::Relaxed) < total && Instant::now() < deadline {
                let sent = Instant::now();
                match caller.call().await {
                    Ok(()) => latencies.push(sent.elapsed()),
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert(e);
                    }
                }
            }
            (latencies, errors, first_error)
        }));
    }
    let mut outcome = Outcome {
        latencies: Vec::with_capacity(total),
        errors: 0,
        first_error: None,
        elapsed: Duration::ZERO,
    };
    for task in tasks {
        match task.await {
            Ok((latencies, errors, first_error)) => {
                outcome.latencies.extend(latencies);
                outcome.errors += errors;
                if outcome.first_error.is_none() {
                    outcome.first_error = first_error;
                }
            }
            Err(e) => {
                outcome.errors += 1;
                outcome.first_error.get_or_insert(e.to_string());
            }
        }
    }
    outcome.elapsed = start.elapsed();
    outcome
}

async fn run(options: Options) -> Result<String, String> {
    let caller = Arc::new(match options.client.as_str() {
        "smithgen" => Caller::Smithgen(smithgen_client(&options.url)),
        "aws" => Caller::Aws(aws_client(&options.url)),
        _ => Caller::Raw(Box::new(Raw::new(&options.url)?)),
    });
    let limit = Duration::from_secs_f64(options.max_seconds);
    if options.warmup > 0 {
        let warm = drive(
            caller.clone(),
            options.warmup,
            options.concurrency,
            Instant::now() + limit,
        )
        .await;
        if let Some(e) = warm.first_error {
            return Err(format!("warm-up request failed: {e}"));
        }
    }
    let mut outcome = drive(
        caller,
        options.requests,
        options.concurrency,
        Instant::now() + limit,
    )
    .await;
    if let Some(e) = outcome.first_error {
        return Err(format!(
            "{} requests failed; the first: {e}",
            outcome.errors
        ));
    }
    outcome.latencies.sort_unstable();
    let done = outcome.latencies.len();
    let seconds = outcome.elapsed.as_secs_f64();
    let p50 = smithgen_bench::percentile(&outcome.latencies, 50.0);
    let p99 = smithgen_bench::percentile(&outcome.latencies, 99.0);
    Ok(format!(
        "rps={:.0} p50_us={:.1} p99_us={:.1} requests={done} seconds={seconds:.3}",
        done as f64 / seconds,
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6,
    ))
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("load: {message}");
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
            eprintln!("load: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("load: {message}");
            ExitCode::FAILURE
        }
    }
}
