//! The request/response path of SetUserMFAPreference in both SDKs, without
//! the network: each client's transport answers from memory with a canned
//! response, so one iteration is building the input, serializing it into an
//! HTTP request (endpoint, headers, JSON body), and parsing the response —
//! `200 {}` into the output, or a `400` NotAuthorizedException into the
//! modeled error. Only public APIs are used.
//!
//! aws-sdk-rust answers through `aws_smithy_http_client::test_util::infallible_client_fn`;
//! smithgen through an `HttpClient` that clones one response (smithgen's
//! `test_util::CaptureClient` would also record every request, growing
//! without bound over millions of iterations).

use std::hint::black_box;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider as aws;
use criterion::{criterion_group, criterion_main, Criterion};
use smithgen_bench::{Replay, ACCESS_TOKEN, CONTENT_TYPE, ERROR_BODY, OK_BODY, REQUEST_ID};
use smithgen_runtime::http::HttpResponse;

fn smithgen_client(status: u16, body: &str) -> smithgen_cognito::Client {
    let response = HttpResponse::new(
        status,
        vec![
            ("content-type".to_owned(), CONTENT_TYPE.to_owned()),
            ("x-amzn-requestid".to_owned(), REQUEST_ID.to_owned()),
        ],
        body.as_bytes().to_vec(),
    );
    let config = smithgen_cognito::Config::builder()
        .region("us-east-1")
        .http_client(Replay(response))
        .build();
    smithgen_cognito::Client::from_conf(config)
}

fn aws_client(status: u16, body: &'static str) -> aws::Client {
    let http_client = aws_smithy_http_client::test_util::infallible_client_fn(move |request| {
        drop(black_box(request));
        http::Response::builder()
            .status(status)
            .header("content-type", CONTENT_TYPE)
            .header("x-amzn-requestid", REQUEST_ID)
            .body(body)
            .expect("a valid response")
    });
    let config = smithgen_bench::aws_config_builder()
        .http_client(http_client)
        .build();
    aws::Client::from_conf(config)
}

async fn smithgen_send(
    client: &smithgen_cognito::Client,
) -> Result<
    smithgen_cognito::operation::set_user_mfa_preference::SetUserMfaPreferenceOutput,
    smithgen_runtime::error::SdkError<
        smithgen_cognito::operation::set_user_mfa_preference::SetUserMFAPreferenceError,
    >,
> {
    use smithgen_cognito::types::SmsMfaSettingsType;
    client
        .set_user_mfa_preference()
        .sms_mfa_settings(
            SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .access_token(ACCESS_TOKEN)
        .send()
        .await
}

async fn aws_send(
    client: &aws::Client,
) -> Result<
    aws::operation::set_user_mfa_preference::SetUserMfaPreferenceOutput,
    aws::error::SdkError<
        aws::operation::set_user_mfa_preference::SetUserMFAPreferenceError,
        aws::config::http::HttpResponse,
    >,
> {
    use aws::types::SmsMfaSettingsType;
    client
        .set_user_mfa_preference()
        .sms_mfa_settings(
            SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .access_token(ACCESS_TOKEN)
        .send()
        .await
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

fn request_response(c: &mut Criterion) {
    let rt = runtime();

    // Check once that each client really gets the outcome it is measured on.
    let (sg_ok, aws_ok) = (smithgen_client(200, OK_BODY), aws_client(200, OK_BODY));
    let (sg_err, aws_err) = (
        smithgen_client(400, ERROR_BODY),
        aws_client(400, ERROR_BODY),
    );
    rt.block_on(async {
        smithgen_send(&sg_ok)
            .await
            .expect("smithgen: 200 parses as the output");
        aws_send(&aws_ok)
            .await
            .expect("aws-sdk-rust: 200 parses as the output");
        let err = smithgen_send(&sg_err)
            .await
            .expect_err("smithgen: 400 is an error");
        assert!(
            err.into_service_error().is_not_authorized_exception(),
            "smithgen parses NotAuthorizedException"
        );
        let err = aws_send(&aws_err)
            .await
            .expect_err("aws-sdk-rust: 400 is an error");
        assert!(
            err.into_service_error().is_not_authorized_exception(),
            "aws-sdk-rust parses NotAuthorizedException"
        );
    });

    let mut group = c.benchmark_group("ok");
    group.bench_function("smithgen", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(smithgen_send(&sg_ok).await) })
    });
    group.bench_function("aws-sdk-rust", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(aws_send(&aws_ok).await) })
    });
    group.finish();

    let mut group = c.benchmark_group("error");
    group.bench_function("smithgen", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(smithgen_send(&sg_err).await) })
    });
    group.bench_function("aws-sdk-rust", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(aws_send(&aws_err).await) })
    });
    group.finish();
}

fn config() -> Criterion {
    // Short enough for a shared two-core machine; `bench/run` reads the medians.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .sample_size(50)
}

criterion_group! {
    name = benches;
    config = config();
    targets = request_response
}
criterion_main!(benches);
