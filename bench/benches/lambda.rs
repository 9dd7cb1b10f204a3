//! The request/response path of Lambda's `GetFunction` (restJson1) in both
//! SDKs, without the network: each client's transport answers from memory
//! with a canned response, so one iteration is building the input, writing
//! the HTTP request (endpoint, the function name as a path label, headers,
//! signing), and parsing the response — a `200` with the function's
//! configuration into the output, or a `404` ResourceNotFoundException into
//! the modeled error. Only public APIs are used.

use std::hint::black_box;
use std::time::Duration;

use aws_sdk_lambda as aws;
use criterion::{criterion_group, criterion_main, Criterion};
use smithgen_bench::lambda as sg;
use smithgen_bench::{Replay, LAMBDA_ERROR_BODY, LAMBDA_FUNCTION, LAMBDA_OK_BODY, REQUEST_ID};
use smithgen_runtime::http::HttpResponse;

/// The headers of a canned response: JSON, a request id and, for an error,
/// the error type as Lambda sends it.
fn headers(status: u16) -> Vec<(&'static str, &'static str)> {
    let mut headers = vec![
        ("content-type", "application/json"),
        ("x-amzn-requestid", REQUEST_ID),
    ];
    if status != 200 {
        headers.push(("x-amzn-errortype", "ResourceNotFoundException"));
    }
    headers
}

fn smithgen_client(status: u16, body: &str) -> sg::Client {
    let response = HttpResponse::new(
        status,
        headers(status)
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect(),
        body.as_bytes().to_vec(),
    );
    let config = sg::Config::builder()
        .region("us-east-1")
        .credentials(smithgen_runtime::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ))
        .http_client(Replay(response))
        .build();
    sg::Client::from_conf(config)
}

fn aws_client(status: u16, body: &'static str) -> aws::Client {
    let http_client = aws_smithy_http_client::test_util::infallible_client_fn(move |request| {
        drop(black_box(request));
        let mut response = http::Response::builder().status(status);
        for (name, value) in headers(status) {
            response = response.header(name, value);
        }
        response.body(body).expect("a valid response")
    });
    let config = aws::Config::builder()
        .behavior_version(aws::config::BehaviorVersion::latest())
        .region(aws::config::Region::new("us-east-1"))
        .credentials_provider(aws::config::Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench",
        ))
        .http_client(http_client)
        .build();
    aws::Client::from_conf(config)
}

async fn smithgen_send(
    client: &sg::Client,
) -> Result<
    sg::operation::get_function::GetFunctionOutput,
    smithgen_runtime::error::SdkError<sg::operation::get_function::GetFunctionError>,
> {
    client
        .get_function()
        .function_name(LAMBDA_FUNCTION)
        .send()
        .await
}

async fn aws_send(
    client: &aws::Client,
) -> Result<
    aws::operation::get_function::GetFunctionOutput,
    aws::error::SdkError<
        aws::operation::get_function::GetFunctionError,
        aws::config::http::HttpResponse,
    >,
> {
    client
        .get_function()
        .function_name(LAMBDA_FUNCTION)
        .send()
        .await
}

fn get_function(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime");

    // Check once that each client really gets the outcome it is measured on.
    let (sg_ok, aws_ok) = (
        smithgen_client(200, LAMBDA_OK_BODY),
        aws_client(200, LAMBDA_OK_BODY),
    );
    let (sg_err, aws_err) = (
        smithgen_client(404, LAMBDA_ERROR_BODY),
        aws_client(404, LAMBDA_ERROR_BODY),
    );
    rt.block_on(async {
        let out = smithgen_send(&sg_ok)
            .await
            .expect("smithgen: 200 parses as the output");
        assert_eq!(
            out.configuration().and_then(|c| c.memory_size()),
            Some(256),
            "smithgen reads the configuration"
        );
        let out = aws_send(&aws_ok)
            .await
            .expect("aws-sdk-rust: 200 parses as the output");
        assert_eq!(
            out.configuration().and_then(|c| c.memory_size()),
            Some(256),
            "aws-sdk-rust reads the configuration"
        );
        let err = smithgen_send(&sg_err)
            .await
            .expect_err("smithgen: 404 is an error");
        assert!(
            err.into_service_error().is_resource_not_found_exception(),
            "smithgen parses ResourceNotFoundException"
        );
        let err = aws_send(&aws_err)
            .await
            .expect_err("aws-sdk-rust: 404 is an error");
        assert!(
            err.into_service_error().is_resource_not_found_exception(),
            "aws-sdk-rust parses ResourceNotFoundException"
        );
    });

    let mut group = c.benchmark_group("lambda-ok");
    group.bench_function("smithgen", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(smithgen_send(&sg_ok).await) })
    });
    group.bench_function("aws-sdk-rust", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(aws_send(&aws_ok).await) })
    });
    group.finish();

    let mut group = c.benchmark_group("lambda-error");
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
    targets = get_function
}
criterion_main!(benches);
