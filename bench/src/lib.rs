//! What the benchmarks share: the one call they make (SetUserMFAPreference
//! with the same input through each SDK), the canned responses, and the
//! small statistics helpers the harness binaries print with.

use std::time::Duration;

use aws_sdk_cognitoidentityprovider as aws;

/// The Lambda client `build.rs` generated from the current Lambda model
/// (restJson1), `GetFunction` only, for `benches/lambda.rs`.
pub mod lambda {
    include!(concat!(env!("OUT_DIR"), "/lambda.rs"));
}

/// The function name of the benchmarked `GetFunction` call (a label in the
/// request path).
pub const LAMBDA_FUNCTION: &str = "my-function";

/// The body of a successful `GetFunction` response: a function's
/// configuration, its code location and tags, as Lambda answers.
pub const LAMBDA_OK_BODY: &str = r#"{"Configuration":{"FunctionName":"my-function","FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:my-function","Runtime":"python3.12","Role":"arn:aws:iam::123456789012:role/lambda-role","Handler":"index.handler","CodeSize":5797206,"Description":"Process image objects from Amazon S3.","Timeout":15,"MemorySize":256,"LastModified":"2026-10-14T22:26:11.234+0000","CodeSha256":"YFgDgEKG3ugvF1+pX64gV6tu9qNuIYNUdgJm8nCxsm4=","Version":"$LATEST","Environment":{"Variables":{"BUCKET":"my-bucket-1xpuxmplzrlbh","PREFIX":"inbound"}},"TracingConfig":{"Mode":"Active"},"RevisionId":"b75dcd81-xmpl-48a8-a75a-93ba8b5b9727","State":"Active","LastUpdateStatus":"Successful","PackageType":"Zip","Architectures":["x86_64"],"EphemeralStorage":{"Size":512}},"Code":{"RepositoryType":"S3","Location":"https://awslambda-us-east-1-tasks.s3.us-east-1.amazonaws.com/snapshots/123456789012/my-function"},"Tags":{"DEPARTMENT":"Assets"}}"#;

/// The body of the modeled error the Lambda error benchmark answers with
/// (`404`, `X-Amzn-ErrorType: ResourceNotFoundException`).
pub const LAMBDA_ERROR_BODY: &str = r#"{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:123456789012:function:my-function"}"#;

/// A smithgen transport that answers every request with a copy of one
/// response, for the benchmarks without the network (smithgen's
/// `test_util::CaptureClient` would also record every request, growing
/// without bound over millions of iterations).
#[derive(Debug)]
pub struct Replay(pub smithgen_runtime::http::HttpResponse);

impl smithgen_runtime::http::HttpClient for Replay {
    fn send(
        &self,
        request: smithgen_runtime::http::HttpRequest,
    ) -> smithgen_runtime::http::HttpFuture<'_> {
        drop(std::hint::black_box(request));
        let response = self.0.clone();
        Box::pin(async move { Ok::<_, smithgen_runtime::error::ConnectorError>(response) })
    }
}

/// The access token every benchmarked request carries (a JWT-sized string,
/// like a real one).
pub const ACCESS_TOKEN: &str = concat!(
    "eyJraWQiOiJiZW5jaG1hcmsta2V5IiwiYWxnIjoiUlMyNTYifQ.",
    "eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiLCJ0b2tlbl91c2UiOiJhY2Nlc3MiLCJzY29wZSI6ImF3cy5jb2duaXRvLnNpZ25pbi51c2VyLmFkbWluIn0.",
    "c2lnbmF0dXJlLW9mLXRoZS1iZW5jaG1hcmstdG9rZW4tbm90LWEtcmVhbC1vbmU"
);

/// The awsJson 1.1 content type both SDKs send and the server answers with.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The `X-Amz-Target` of the operation.
pub const TARGET: &str = "AWSCognitoIdentityProviderService.SetUserMFAPreference";

/// The body of a successful SetUserMFAPreference response.
pub const OK_BODY: &str = "{}";

/// The body of the modeled error the error-parsing benchmark answers with.
pub const ERROR_BODY: &str =
    r#"{"__type":"NotAuthorizedException","message":"Access Token has expired"}"#;

/// The request id header every canned response carries.
pub const REQUEST_ID: &str = "d1c3a4e2-5b6f-4a70-8c9d-0e1f2a3b4c5d";

/// The request body both SDKs produce for [`smithgen_call`] / [`aws_call`]
/// (member order as in the model); the plain HTTP client sends these bytes.
pub fn request_body() -> String {
    format!(
        r#"{{"SMSMfaSettings":{{"Enabled":true,"PreferredMfa":true}},"AccessToken":"{ACCESS_TOKEN}"}}"#
    )
}

/// A smithgen client for `endpoint_url` with the default transport.
pub fn smithgen_client(endpoint_url: &str) -> smithgen_cognito::Client {
    let config = smithgen_cognito::Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint_url)
        .build();
    smithgen_cognito::Client::from_conf(config)
}

/// An aws-sdk-rust client for `endpoint_url` with its default transport,
/// configured by hand (no aws-config) with static credentials.
pub fn aws_client(endpoint_url: &str) -> aws::Client {
    aws::Client::from_conf(aws_config_builder().endpoint_url(endpoint_url).build())
}

/// The aws-sdk-rust configuration every benchmark starts from.
pub fn aws_config_builder() -> aws::config::Builder {
    aws::Config::builder()
        .behavior_version(aws::config::BehaviorVersion::latest())
        .region(aws::config::Region::new("us-east-1"))
        .credentials_provider(aws::config::Credentials::new(
            "AKIDBENCHMARK",
            "benchmark-secret-key",
            None,
            None,
            "bench",
        ))
}

/// SetUserMFAPreference through the smithgen client; `Ok` when the service
/// answered with success.
pub async fn smithgen_call(client: &smithgen_cognito::Client) -> Result<(), String> {
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
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

/// SetUserMFAPreference through the aws-sdk-rust client, same input.
pub async fn aws_call(client: &aws::Client) -> Result<(), String> {
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
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> f64 {
    assert!(!values.is_empty(), "median of no values");
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// The `p`-th percentile (0–100, nearest rank) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_micros).collect();
        assert_eq!(percentile(&sorted, 50.0), Duration::from_micros(50));
        assert_eq!(percentile(&sorted, 99.0), Duration::from_micros(99));
        assert_eq!(percentile(&sorted, 100.0), Duration::from_micros(100));
    }
}
