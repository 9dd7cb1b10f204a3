//! A crate generated from `tests/models/bearer-auth.json` (a bearer-only
//! operation, one that takes a bearer token else SigV4, one that takes
//! SigV4 else a bearer token, and one without auth) builds, and its client
//! sends each operation's `Authorization` header as the scheme order says,
//! to a server on 127.0.0.1 run by the crate's own test, written here.
//!
//! The crate is built with Cargo, in the workspace's target directory and
//! with the workspace's `Cargo.lock`, so that the runtime and its
//! dependencies are the ones the workspace builds.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use smithgen::{Config, RuntimeDependency};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace holds codegen")
        .to_path_buf()
}

/// The generated crate's test: a server on 127.0.0.1 that reports each
/// request's `Authorization` header, and the client's calls.
const CRATE_TEST: &str = r####"//! Written by smithgen's `bearer_auth` test: which `Authorization` header
//! each operation sends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use smithgen_bearer_auth::config::{Config, Credentials, Token};
use smithgen_bearer_auth::Client;

const TOKEN: &str = "generated-crate-token";

/// A server on 127.0.0.1 answering `count` requests, reporting the
/// `Authorization` header of each.
fn serve(count: usize) -> (String, mpsc::Receiver<Option<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for _ in 0..count {
            let (stream, _) = listener.accept().expect("accept");
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            reader.read_line(&mut request_line).expect("read the request line");
            let (mut authorization, mut length) = (None, 0);
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).expect("read a header");
                let Some((name, value)) = line.trim_end().split_once(':') else {
                    break;
                };
                match name.trim().to_ascii_lowercase().as_str() {
                    "authorization" => authorization = Some(value.trim().to_owned()),
                    "content-length" => length = value.trim().parse().expect("a length"),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).expect("read the body");
            let reply = r#"{"Name":"alice"}"#;
            let mut stream = reader.into_inner();
            write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\n\
                 content-length: {}\r\nconnection: close\r\n\r\n{reply}",
                reply.len()
            )
            .expect("answer");
            sender.send(authorization).expect("report");
        }
    });
    (base, receiver)
}

/// A client of the server at `base`, with a token and credentials or not.
fn client(base: &str, token: bool, credentials: bool) -> Client {
    let mut builder = Config::builder().endpoint_url(base).region("us-east-1");
    builder.set_bearer_token(token.then(|| Token::new(TOKEN, None)));
    if credentials {
        builder = builder.credentials(Credentials::new("AKIDGENERATED", "SECRET", None));
    }
    Client::from_conf(builder.build())
}

fn is_sigv4(authorization: &Option<String>) -> bool {
    authorization
        .as_deref()
        .is_some_and(|value| value.starts_with("AWS4-HMAC-SHA256 Credential=AKIDGENERATED/"))
}

#[tokio::test]
async fn a_bearer_only_operation_sends_the_token() {
    let (base, seen) = serve(1);
    let output = client(&base, true, true).who_am_i().send().await.expect("sent");
    assert_eq!(output.name(), Some("alice"));
    assert_eq!(seen.recv().unwrap(), Some(format!("Bearer {TOKEN}")));

    let err = client(&base, false, true).who_am_i().send().await.unwrap_err();
    let debug = format!("{err:?}");
    assert!(debug.contains("cannot authenticate BearerService.WhoAmI requests"), "{debug}");
    assert!(debug.contains("no bearer token is configured"), "{debug}");
}

#[tokio::test]
async fn bearer_then_sigv4_prefers_the_token() {
    let (base, seen) = serve(2);
    client(&base, true, true).bearer_then_sigv4().send().await.expect("sent");
    assert_eq!(seen.recv().unwrap(), Some(format!("Bearer {TOKEN}")));
    client(&base, false, true).bearer_then_sigv4().send().await.expect("sent");
    let authorization = seen.recv().unwrap();
    assert!(is_sigv4(&authorization), "{authorization:?}");
}

#[tokio::test]
async fn sigv4_then_bearer_prefers_a_signature() {
    let (base, seen) = serve(2);
    client(&base, true, true).sigv4_then_bearer().send().await.expect("sent");
    let authorization = seen.recv().unwrap();
    assert!(is_sigv4(&authorization), "{authorization:?}");
    // The default chain finds no credentials in the test's environment.
    client(&base, true, false).sigv4_then_bearer().send().await.expect("sent");
    assert_eq!(seen.recv().unwrap(), Some(format!("Bearer {TOKEN}")));
}

#[tokio::test]
async fn an_operation_without_auth_sends_none() {
    let (base, seen) = serve(1);
    client(&base, true, true).ping().send().await.expect("sent");
    assert_eq!(seen.recv().unwrap(), None);
}

#[test]
fn debug_output_hides_the_token() {
    let client = client("http://127.0.0.1:9", true, false);
    let debug = format!("{client:?} {:?}", client.config());
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("** redacted **"), "{debug}");
}
"####;

/// How many tests `CRATE_TEST` has.
const CRATE_TESTS: usize = 5;

#[test]
fn a_generated_crate_sends_the_schemes_in_the_models_order() {
    let root = workspace();
    let out = root.join("target/bearer-auth/crate");
    let _ = fs::remove_dir_all(&out);
    Config::new()
        .model(root.join("tests/models/bearer-auth.json"))
        .crate_name("smithgen-bearer-auth")
        .runtime_dependency(RuntimeDependency::Path(root.join("codegen/runtime")))
        .write_crate(&out)
        .expect("the model generates");

    // What the generator wrote: one scheme as before, several as a list, and
    // the token type for the configuration.
    let operation = |name: &str| {
        fs::read_to_string(out.join("src/operation").join(format!("{name}.rs")))
            .expect("operation module")
    };
    let has = |name: &str, part: &str| {
        let text = operation(name);
        assert!(text.contains(part), "{name} has no `{part}`:\n{text}");
    };
    has("who_am_i", "auth[HttpBearer],");
    has("bearer_then_sigv4", "auth[HttpBearer, SigV4],");
    has("sigv4_then_bearer", "auth[SigV4, HttpBearer],");
    has("ping", "auth None,");
    let config = fs::read_to_string(out.join("src/config.rs")).expect("config.rs");
    assert!(config.contains("pub use rt::config::Token;"), "{config}");

    let manifest = out.join("Cargo.toml");
    let mut text = fs::read_to_string(&manifest).expect("Cargo.toml");
    text.push_str(
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"rt\", \"macros\"] }\n",
    );
    fs::write(&manifest, text).expect("write Cargo.toml");
    fs::create_dir_all(out.join("tests")).expect("tests directory");
    fs::write(out.join("tests/auth.rs"), CRATE_TEST).expect("write the test");
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).expect("copy Cargo.lock");

    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .arg("test")
        .arg("--manifest-path")
        .arg(&manifest)
        .args(["--test", "auth"])
        // The workspace's profile, so that its dependencies are shared.
        .args(["--config", "profile.dev.debug=\"line-tables-only\""])
        .args(["--config", "profile.dev.package.\"*\".debug=false"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("RUST_BACKTRACE", "0")
        // No credentials anywhere for the default chain, and no instance
        // metadata: nothing leaves 127.0.0.1.
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/smithgen/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/smithgen/credentials",
        );
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_BEARER_TOKEN_BEDROCK",
    ] {
        cargo.env_remove(var);
    }
    let output = cargo.output().expect("run cargo test");
    let all = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the generated crate's test fails:\n{all}"
    );
    assert!(
        all.contains(&format!("test result: ok. {CRATE_TESTS} passed; 0 failed")),
        "not every test of the generated crate ran:\n{all}"
    );
}
