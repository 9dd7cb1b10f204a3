//! Hostile and broken responses from a real server on 127.0.0.1, through the
//! checked-in generated client and the default transport: each one becomes a
//! typed `SdkError` (with the raw response wherever one arrived), never a
//! panic and never a hang.

use std::error::Error as _;
use std::time::{Duration, Instant};

use cognitoidentityprovider::config::retry::RetryConfig;
use cognitoidentityprovider::config::timeout::TimeoutConfig;
use cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use cognitoidentityprovider::operation::set_user_mfa_preference::{
    SetUserMFAPreferenceError, SetUserMfaPreferenceOutput,
};
use cognitoidentityprovider::{Client, Config};
use smithgen_runtime::error::DisplayErrorContext;
use smithgen_runtime::http::{HttpResponse, HyperClient};
use smithgen_tests::{raw_response, RawServer, Script};

type Outcome = Result<SetUserMfaPreferenceOutput, SdkError<SetUserMFAPreferenceError>>;

const JSON: (&str, &str) = ("content-type", "application/x-amz-json-1.1");

fn config(url: &str) -> cognitoidentityprovider::config::Builder {
    Config::builder()
        .region("us-east-1")
        .endpoint_url(url)
        .retry_config(RetryConfig::disabled())
}

async fn send(config: Config) -> Outcome {
    Client::from_conf(config)
        .set_user_mfa_preference()
        .access_token("token")
        .send()
        .await
}

/// Sends one request to a server following `script`, with retries off.
async fn call(script: Script) -> Outcome {
    let server = RawServer::start(script).await;
    send(config(&server.url).build()).await
}

/// Sends one request to a server answering with `bytes`.
async fn answer(bytes: Vec<u8>) -> SdkError<SetUserMFAPreferenceError> {
    let outcome = call(Script::Send(bytes)).await;
    outcome.expect_err("a hostile response is an error")
}

/// The error is a `ResponseError` holding the raw response; returns the
/// raw response and the full error text.
fn response_error(err: &SdkError<SetUserMFAPreferenceError>) -> (&HttpResponse, String) {
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    let raw = err.raw_response().expect("the raw response is kept");
    (raw, DisplayErrorContext(err).to_string())
}

/// The error is a `ServiceError` of the unhandled kind holding the raw response.
fn unhandled(err: &SdkError<SetUserMFAPreferenceError>) -> &HttpResponse {
    assert!(
        matches!(
            err.as_service_error(),
            Some(SetUserMFAPreferenceError::Unhandled(_))
        ),
        "{err:?}"
    );
    err.raw_response().expect("the raw response is kept")
}

#[tokio::test]
async fn truncated_json_is_a_response_error_with_the_raw_response() {
    let body = br#"{"SMSMfaSettings": {"Enabled": tr"#;
    let err = answer(raw_response("200 OK", &[JSON], body)).await;
    let (raw, text) = response_error(&err);
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.body(), body);
    assert!(text.contains("invalid JSON body"), "{text}");

    // An error response cut short: no code can be read, the status is kept.
    let err = answer(raw_response(
        "400 Bad Request",
        &[JSON],
        br#"{"__type": "NotAuthorizedException", "message": "Acc"#,
    ))
    .await;
    assert_eq!(unhandled(&err).status(), 400);
    assert_eq!(err.code(), None);

    // With the code in a header, the modeled error's body cannot be read:
    // unhandled, with the code and the reason.
    let err = answer(raw_response(
        "400 Bad Request",
        &[JSON, ("x-amzn-errortype", "NotAuthorizedException")],
        br#"{"message": "Acc"#,
    ))
    .await;
    unhandled(&err);
    assert_eq!(err.code(), Some("NotAuthorizedException"));
    let text = DisplayErrorContext(&err).to_string();
    assert!(text.contains("invalid JSON body"), "{text}");
}

#[tokio::test]
async fn non_json_bodies_are_response_errors() {
    for body in [
        &b"hello, world"[..],
        b"\xff\xfe\x00\x01 not even UTF-8",
        b"{}{}",
        b"<?xml version=\"1.0\"?><Response/>",
        b"\0",
    ] {
        let err = answer(raw_response("200 OK", &[JSON], body)).await;
        let (raw, text) = response_error(&err);
        assert_eq!(raw.body(), body);
        assert!(text.contains("invalid JSON body"), "{text}");
    }
}

#[tokio::test]
async fn wrongly_typed_members_are_typed_errors() {
    for body in [&b"[]"[..], b"\"output\"", b"42", b"true"] {
        let err = answer(raw_response("200 OK", &[JSON], body)).await;
        let (raw, text) = response_error(&err);
        assert_eq!(raw.body(), body);
        assert!(text.contains("expected object"), "{text}");
    }

    // A modeled error whose message is not a string.
    let err = answer(raw_response(
        "403 Forbidden",
        &[JSON],
        br#"{"__type": "NotAuthorizedException", "message": {"nested": [1, 2]}}"#,
    ))
    .await;
    let raw = unhandled(&err);
    assert_eq!(raw.status(), 403);
    assert_eq!(err.code(), Some("NotAuthorizedException"));
    let text = DisplayErrorContext(&err).to_string();
    assert!(text.contains("expected string, found object"), "{text}");

    // The code itself of the wrong type reads as no code at all.
    let err = answer(raw_response(
        "400 Bad Request",
        &[JSON],
        br#"{"__type": 17, "message": ["m"]}"#,
    ))
    .await;
    unhandled(&err);
    assert_eq!(err.code(), None);
    assert_eq!(err.message(), None);
}

#[tokio::test]
async fn deeply_nested_bodies_are_rejected_without_overflowing_the_stack() {
    let depth = 100_000;
    let mut arrays = "[".repeat(depth).into_bytes();
    arrays.extend(std::iter::repeat_n(b']', depth));
    let err = answer(raw_response("200 OK", &[JSON], &arrays)).await;
    let (raw, text) = response_error(&err);
    assert_eq!(raw.body().len(), 2 * depth);
    assert!(text.contains("recursion limit"), "{text}");

    let mut objects = br#"{"__type": "NotAuthorizedException", "message": "#.to_vec();
    objects.extend(r#"{"a":"#.repeat(depth).into_bytes());
    objects.extend(b"1");
    objects.extend(std::iter::repeat_n(b'}', depth + 1));
    let err = answer(raw_response("400 Bad Request", &[JSON], &objects)).await;
    unhandled(&err);
    assert_eq!(err.code(), None, "the body cannot be read at all");

    // Deep, but within the parser's limit: the modeled error is read and the
    // unknown member ignored.
    let mut within = br#"{"__type": "NotAuthorizedException", "message": "m", "x": "#.to_vec();
    within.extend("[".repeat(100).into_bytes());
    within.extend("]".repeat(100).into_bytes());
    within.extend(b"}");
    let err = answer(raw_response("400 Bad Request", &[JSON], &within)).await;
    assert!(
        matches!(
            err.as_service_error(),
            Some(SetUserMFAPreferenceError::NotAuthorizedException(_))
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn huge_bodies_are_read_and_kept_or_refused_past_the_limit() {
    let size = 20 * 1024 * 1024;
    let junk = vec![b'x'; size];
    let err = answer(raw_response("200 OK", &[JSON], &junk)).await;
    let (raw, text) = response_error(&err);
    assert_eq!(raw.body().len(), size);
    assert!(text.len() < 1_000, "the error text stays short");
    assert!(
        format!("{err:?}").len() < 2_000,
        "Debug does not print the body"
    );

    // A huge but valid body: an unknown member is skipped.
    let mut valid = br#"{"Unknown": ""#.to_vec();
    valid.extend(std::iter::repeat_n(b'a', size));
    valid.extend(br#""}"#);
    let outcome = call(Script::Send(raw_response("200 OK", &[JSON], &valid))).await;
    assert!(outcome.is_ok(), "{outcome:?}");

    // A huge error page.
    let err = answer(raw_response(
        "500 Internal Server Error",
        &[("content-type", "text/html")],
        &junk,
    ))
    .await;
    assert_eq!(unhandled(&err).body().len(), size);

    // Past the transport's limit, the body is not buffered.
    let server = RawServer::start(Script::Send(raw_response("200 OK", &[JSON], &junk))).await;
    let transport = HyperClient::builder()
        .max_response_body_size(Some(1024 * 1024))
        .build();
    let err = send(config(&server.url).http_client(transport).build())
        .await
        .expect_err("too large");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    let text = DisplayErrorContext(&err).to_string();
    assert!(text.contains("limit of 1048576 bytes"), "{text}");

    // A length promised past the limit fails before anything is read.
    let server = RawServer::start(Script::SendThenStall(
        b"HTTP/1.1 200 OK\r\ncontent-length: 99999999999\r\n\r\n{".to_vec(),
    ))
    .await;
    let transport = HyperClient::builder()
        .max_response_body_size(Some(1024))
        .build();
    let err = send(config(&server.url).http_client(transport).build())
        .await
        .expect_err("too large");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
}

#[tokio::test]
async fn an_html_502_is_a_service_error_with_the_page() {
    let page = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    let err = answer(raw_response(
        "502 Bad Gateway",
        &[("content-type", "text/html"), ("server", "nginx")],
        page,
    ))
    .await;
    let raw = unhandled(&err);
    assert_eq!(raw.status(), 502);
    assert_eq!(raw.body(), page);
    assert_eq!(raw.header("content-type"), Some("text/html"));
    assert_eq!(err.code(), None);
    assert_eq!(err.message(), None);
    assert_eq!(err.request_id(), None);
    assert!(!err.to_string().is_empty());

    // With retries on, a 502 is retried, then the last page is returned.
    let server = RawServer::start(Script::Send(raw_response("502 Bad Gateway", &[], page))).await;
    let retry = RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let err = send(config(&server.url).retry_config(retry).build())
        .await
        .expect_err("502");
    assert_eq!(unhandled(&err).status(), 502);
    assert_eq!(server.requests(), 3);
}

/// The operation's modeled errors decide retries before the status does: a
/// modeled client-fault error is final even when its status is one that is
/// otherwise retried, while an unmodeled code with that status is retried.
#[tokio::test]
async fn modeled_client_errors_are_not_retried_whatever_their_status() {
    let retry = || {
        RetryConfig::standard()
            .with_max_attempts(3)
            .with_initial_backoff(Duration::from_millis(1))
            .with_max_backoff(Duration::from_millis(5))
    };
    let reply = |code: &str| {
        let body = format!(r#"{{"__type":"{code}","message":"m"}}"#);
        raw_response("503 Service Unavailable", &[JSON], body.as_bytes())
    };

    let server = RawServer::start(Script::Send(reply("NotAuthorizedException"))).await;
    let err = send(config(&server.url).retry_config(retry()).build())
        .await
        .expect_err("503");
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_not_authorized_exception()),
        "{err:?}"
    );
    assert_eq!(server.requests(), 1);

    let server = RawServer::start(Script::Send(reply("BrandNewException"))).await;
    let err = send(config(&server.url).retry_config(retry()).build())
        .await
        .expect_err("503");
    assert_eq!(err.code(), Some("BrandNewException"));
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn unknown_error_codes_are_unhandled_with_their_metadata() {
    let err = answer(raw_response(
        "400 Bad Request",
        &[JSON, ("x-amzn-requestid", "req-9")],
        br#"{"__type": "com.amazonaws.cognito#BrandNewException", "message": "new"}"#,
    ))
    .await;
    unhandled(&err);
    assert_eq!(err.code(), Some("BrandNewException"));
    assert_eq!(err.message(), Some("new"));
    assert_eq!(err.request_id(), Some("req-9"));

    let long = format!(r#"{{"__type": "{}"}}"#, "E".repeat(100_000));
    for body in [
        r#"{"__type": ""}"#,
        r##"{"__type": "#"}"##,
        r#"{"__type": ":"}"#,
        r#"{"__type": "  "}"#,
        r#"{"code": "Ünïcödé💥"}"#,
        long.as_str(),
    ] {
        let err = answer(raw_response("400 Bad Request", &[JSON], body.as_bytes())).await;
        let raw = unhandled(&err);
        assert_eq!(raw.body(), body.as_bytes());
    }

    // A header code that means nothing.
    let err = answer(raw_response(
        "409 Conflict",
        &[("x-amzn-errortype", "::::#")],
        b"",
    ))
    .await;
    unhandled(&err);
    assert_eq!(err.code(), None);

    // A status no server should send.
    let err = answer(raw_response("999 Whatever", &[], b"{}")).await;
    assert_eq!(unhandled(&err).status(), 999);
}

#[tokio::test]
async fn missing_headers_are_not_needed() {
    // No content-type, no request id: the output still reads.
    let outcome = call(Script::Send(raw_response("200 OK", &[], b"{}"))).await;
    assert!(outcome.is_ok(), "{outcome:?}");
    // No content-length either: the body runs to the end of the connection.
    let outcome = call(Script::Send(
        b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n{}".to_vec(),
    ))
    .await;
    assert!(outcome.is_ok(), "{outcome:?}");
    // An empty body for an output with no members.
    let outcome = call(Script::Send(raw_response("200 OK", &[], b""))).await;
    assert!(outcome.is_ok(), "{outcome:?}");

    let err = answer(raw_response(
        "404 Not Found",
        &[],
        br#"{"__type": "UserNotFoundException", "message": "gone"}"#,
    ))
    .await;
    assert!(
        matches!(
            err.as_service_error(),
            Some(SetUserMFAPreferenceError::UserNotFoundException(_))
        ),
        "{err:?}"
    );
    assert_eq!(err.request_id(), None);
    assert_eq!(err.message(), Some("gone"));
    assert_eq!(err.raw_response().map(HttpResponse::status), Some(404));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = RawServer::start(Script::SendThenStall(Vec::new())).await;
    let started = Instant::now();
    let timeouts = TimeoutConfig::new().with_operation_attempt_timeout(Duration::from_millis(300));
    let err = send(config(&server.url).timeout_config(timeouts).build())
        .await
        .expect_err("no answer");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(err.raw_response().is_none());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.requests(), 1);

    // Headers, then silence in the middle of the body.
    let server = RawServer::start(Script::SendThenStall(
        b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"a\":".to_vec(),
    ))
    .await;
    let timeouts = TimeoutConfig::new().with_operation_attempt_timeout(Duration::from_millis(300));
    let err = send(config(&server.url).timeout_config(timeouts).build())
        .await
        .expect_err("no end to the body");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");

    // A body trickled out slower than the limit allows.
    let body = raw_response("200 OK", &[JSON], &[b' '; 64]);
    let server = RawServer::start(Script::Trickle {
        bytes: body,
        chunk: 4,
        pause: Duration::from_millis(50),
    })
    .await;
    let timeouts = TimeoutConfig::new().with_operation_timeout(Duration::from_millis(300));
    let err = send(config(&server.url).timeout_config(timeouts).build())
        .await
        .expect_err("too slow");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    let text = DisplayErrorContext(&err).to_string();
    assert!(text.contains("operation timeout"), "{text}");
}

#[tokio::test]
async fn a_dropped_connection_is_a_dispatch_failure() {
    // Closed in the middle of the body.
    let err =
        answer(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"partial\":".to_vec()).await;
    match &err {
        SdkError::DispatchFailure(failure) => assert!(failure.is_io(), "{err:?}"),
        other => panic!("expected a dispatch failure, got {other:?}"),
    }
    assert!(err.source().is_some());

    // Closed in the middle of the head, and before a single byte.
    for bytes in [b"HTTP/1.1 20".to_vec(), Vec::new()] {
        let err = answer(bytes).await;
        assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    }
    let err = call(Script::Close).await.expect_err("closed");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");

    // Not HTTP at all, and a broken chunked body.
    for bytes in [
        b"SSH-2.0-OpenSSH_9.6\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n".to_vec(),
        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}".to_vec(),
    ] {
        let err = answer(bytes).await;
        assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
        assert!(err.raw_response().is_none());
    }
}

#[tokio::test]
async fn a_dropped_connection_is_retried_when_retries_are_on() {
    let server = RawServer::start(Script::Send(
        b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n{".to_vec(),
    ))
    .await;
    let retry = RetryConfig::standard()
        .with_max_attempts(2)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5));
    let err = send(config(&server.url).retry_config(retry).build())
        .await
        .expect_err("dropped");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert_eq!(server.requests(), 2);
}

/// Answers every request with one canned response, without a network.
#[derive(Debug)]
struct Canned(HttpResponse);

impl smithgen_runtime::http::HttpClient for Canned {
    fn send(
        &self,
        _request: smithgen_runtime::http::HttpRequest,
    ) -> smithgen_runtime::http::HttpFuture<'_> {
        let response = self.0.clone();
        Box::pin(async move { Ok(response) })
    }
}

/// A fuzz input as the `response_parsing` target reads it: a status line,
/// `name: value` header lines up to an empty line, then the body.
fn fuzz_response(data: &[u8]) -> HttpResponse {
    let mut rest = data;
    let mut next_line = || {
        let end = rest.iter().position(|&b| b == b'\n')?;
        let line = String::from_utf8_lossy(&rest[..end])
            .trim_end_matches('\r')
            .to_owned();
        rest = &rest[end + 1..];
        Some(line)
    };
    let status = next_line()
        .and_then(|line| line.trim().parse::<u16>().ok())
        .unwrap_or(200);
    let mut headers = Vec::new();
    while let Some(line) = next_line() {
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((line.as_str(), ""));
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    HttpResponse::new(status, headers, rest.to_vec())
}

/// The `response_parsing` fuzz target's committed inputs
/// (`codegen/fuzz/corpus`, where every crash the fuzzer finds is added),
/// replayed through the client: an output or a typed error with the raw
/// response, never a panic.
#[tokio::test]
async fn fuzz_corpus_responses_become_outputs_or_typed_errors() {
    let dir = smithgen_tests::project_root().join("codegen/fuzz/corpus/response_parsing");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("the committed corpus") {
        let path = entry.expect("entry").path();
        let response = fuzz_response(&std::fs::read(&path).expect("read input"));
        let _ = smithgen_runtime::protocol::aws_json::parse_error_metadata(&response).to_string();
        let _ = smithgen_runtime::json::parse_body(response.body());
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:9")
            .retry_config(RetryConfig::disabled())
            .http_client(Canned(response.clone()))
            .build();
        match send(config).await {
            Ok(_) => assert!(response.is_success(), "{}", path.display()),
            Err(err) => {
                assert_eq!(err.raw_response(), Some(&response), "{}", path.display());
                let _ = DisplayErrorContext(&err).to_string();
                let _ = format!("{err:?}");
            }
        }
        replayed += 1;
    }
    assert!(
        replayed >= 10,
        "only {replayed} inputs in {}",
        dir.display()
    );
}
