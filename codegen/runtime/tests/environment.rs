//! Settings read from the environment: credentials, region and endpoint.
//!
//! Environment variables are shared by the whole process, so every test here
//! holds `ENV_LOCK` while it runs, starts from a clean slate of the `AWS_*`
//! variables, and puts them back as they were when it ends. No other test
//! binary sets them.
//!
//! The clean slate points the shared config and credentials files at files
//! that do not exist and turns instance metadata off, so that the default
//! chain finds nothing but the environment and never sends a request
//! (`tests/credentials.rs` tests those sources).

mod common;

use std::future::Future;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{assert_signed, construction_message, parse_authorization, Captured, Scripted, Step};
use smithgen_runtime::client::Handle;
use smithgen_runtime::error::{ErrorMetadata, SdkError};
use smithgen_runtime::protocol::Protocol;
use smithgen_runtime::spec::{AuthMode, OperationSpec, ServiceSpec};
use smithgen_runtime::time::StaticTimeSource;
use smithgen_runtime::{Config, Credentials, RetryConfig};

static ENV_LOCK: Mutex<()> = Mutex::new(());

/// Every variable the runtime reads.
const VARS: [&str; 16] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_PROFILE",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
];

/// What the clean slate sets: no profile files, no instance metadata.
const ISOLATION: [(&str, &str); 3] = [
    ("AWS_CONFIG_FILE", "/nonexistent/smithgen-tests/config"),
    (
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/smithgen-tests/credentials",
    ),
    ("AWS_EC2_METADATA_DISABLED", "true"),
];

/// Runs `test` on a fresh runtime with exactly `vars` among the `AWS_*`
/// variables set.
fn with_env<F: Future>(vars: &[(&str, &str)], test: impl FnOnce() -> F) -> F::Output {
    let _lock = ENV_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
    let _restore = common::SavedEnv::clear(&VARS);
    for (name, value) in ISOLATION.iter().chain(vars) {
        std::env::set_var(name, value);
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(test())
}

static SERVICE: ServiceSpec = ServiceSpec {
    target_prefix: "TestService",
    endpoint_prefix: "testsvc",
    signing_name: "testsvc",
    protocol: Protocol::AwsJson1_0,
    query_compatible: false,
    endpoint_rules: None,
};

static SIGNED: OperationSpec = OperationSpec {
    name: "Describe",
    auth: AuthMode::SigV4,
    errors: &[],
    request_compression: false,
    endpoint_params: smithgen_runtime::endpoint::OperationEndpointParams::NONE,
};

static UNSIGNED: OperationSpec = OperationSpec {
    name: "SignUp",
    auth: AuthMode::None,
    errors: &[],
    request_compression: false,
    endpoint_params: smithgen_runtime::endpoint::OperationEndpointParams::NONE,
};

async fn call(
    handle: &Handle,
    operation: &'static OperationSpec,
) -> Result<(), SdkError<ErrorMetadata>> {
    common::send_empty(handle, &SERVICE, operation).await
}

fn ok_transport() -> Scripted {
    Scripted::new(vec![Step::Respond(200, "{}")])
}

fn fixed_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

#[test]
fn credentials_come_from_the_environment() {
    with_env(
        &[
            ("AWS_ACCESS_KEY_ID", "ENVAKID"),
            ("AWS_SECRET_ACCESS_KEY", "ENVSECRET"),
            ("AWS_SESSION_TOKEN", "ENVTOKEN"),
        ],
        || async {
            let transport = ok_transport();
            let handle = Handle::new(
                Config::builder()
                    .region("us-east-1")
                    .http_client(transport.clone())
                    .time_source(StaticTimeSource::new(fixed_time()))
                    .build(),
            );
            call(&handle, &SIGNED).await.expect("success");
            let request = &transport.requests()[0];
            assert_eq!(request.header("x-amz-security-token"), Some("ENVTOKEN"));
            let auth = assert_signed(&Captured::from_request(request), "ENVSECRET");
            assert_eq!(auth.access_key_id, "ENVAKID");
            assert_eq!(auth.date, "20231114");
        },
    );
}

#[test]
fn credentials_are_read_at_request_time() {
    with_env(&[], || async {
        let transport = ok_transport();
        let handle = Handle::new(
            Config::builder()
                .region("us-east-1")
                .http_client(transport.clone())
                .build(),
        );
        // Set after the client was created.
        std::env::set_var("AWS_ACCESS_KEY_ID", "LATEAKID");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "LATESECRET");
        call(&handle, &SIGNED).await.expect("success");
        let request = &transport.requests()[0];
        assert_eq!(request.header("x-amz-security-token"), None);
        let auth = assert_signed(&Captured::from_request(request), "LATESECRET");
        assert_eq!(auth.access_key_id, "LATEAKID");
    });
}

#[test]
fn region_and_endpoint_are_read_when_the_client_is_created() {
    with_env(&[("AWS_REGION", "eu-west-3")], || async {
        let transport = ok_transport();
        let config = Config::builder().http_client(transport.clone()).build();
        let handle = Handle::new(config.clone());
        // Changed after the client was created: that client keeps what it read.
        std::env::set_var("AWS_REGION", "ap-south-1");
        std::env::set_var("AWS_ENDPOINT_URL", "http://127.0.0.1:9/late");
        call(&handle, &UNSIGNED).await.expect("success");
        assert_eq!(
            transport.requests()[0].uri,
            "https://testsvc.eu-west-3.amazonaws.com/"
        );
        // A client created now reads them anew.
        call(&Handle::new(config), &UNSIGNED)
            .await
            .expect("success");
        assert_eq!(transport.requests()[1].uri, "http://127.0.0.1:9/late/");
    });
}

#[test]
fn configured_credentials_win_over_the_environment() {
    with_env(
        &[
            ("AWS_ACCESS_KEY_ID", "ENVAKID"),
            ("AWS_SECRET_ACCESS_KEY", "ENVSECRET"),
            ("AWS_SESSION_TOKEN", "ENVTOKEN"),
        ],
        || async {
            let transport = ok_transport();
            let handle = Handle::new(
                Config::builder()
                    .region("us-east-1")
                    .credentials(Credentials::new("CFGAKID", "CFGSECRET", None))
                    .http_client(transport.clone())
                    .build(),
            );
            call(&handle, &SIGNED).await.expect("success");
            let request = &transport.requests()[0];
            // The configured credentials have no session token; the
            // environment's is not mixed in.
            assert_eq!(request.header("x-amz-security-token"), None);
            let auth = assert_signed(&Captured::from_request(request), "CFGSECRET");
            assert_eq!(auth.access_key_id, "CFGAKID");
        },
    );
}

#[test]
fn missing_credentials_is_a_construction_failure_and_nothing_is_sent() {
    // Half a key pair counts as none.
    for vars in [
        &[][..],
        &[("AWS_ACCESS_KEY_ID", "AKID")][..],
        &[("AWS_SECRET_ACCESS_KEY", "S")][..],
    ] {
        with_env(vars, || async {
            let transport = ok_transport();
            let handle = Handle::new(
                Config::builder()
                    .region("us-east-1")
                    .http_client(transport.clone())
                    .build(),
            );
            let err = call(&handle, &SIGNED).await.expect_err("no credentials");
            let message = construction_message(&err);
            assert!(
                message.contains("no credentials are configured to sign TestService.Describe"),
                "{message}"
            );
            assert!(message.contains("AWS_ACCESS_KEY_ID"), "{message}");
            assert!(transport.requests().is_empty());

            // An unsigned operation needs none.
            call(&handle, &UNSIGNED).await.expect("unsigned");
            assert_eq!(transport.requests().len(), 1);
            assert_eq!(transport.requests()[0].header("authorization"), None);
        });
    }
}

#[test]
fn missing_region_for_a_signed_operation_is_a_construction_failure() {
    with_env(&[], || async {
        let transport = ok_transport();
        let handle = Handle::new(
            Config::builder()
                .endpoint_url("http://localhost:1234")
                .credentials(Credentials::new("AKID", "SECRET", None))
                .http_client(transport.clone())
                .build(),
        );
        let err = call(&handle, &SIGNED).await.expect_err("no region");
        let message = construction_message(&err);
        assert!(
            message.contains("no region is configured to sign"),
            "{message}"
        );
        assert!(transport.requests().is_empty());

        call(&handle, &UNSIGNED)
            .await
            .expect("unsigned needs no region");
        assert_eq!(transport.requests().len(), 1);
    });
}

#[test]
fn missing_region_and_endpoint_is_a_construction_failure() {
    with_env(&[], || async {
        let transport = ok_transport();
        let handle = Handle::new(Config::builder().http_client(transport.clone()).build());
        let err = call(&handle, &UNSIGNED).await.expect_err("no endpoint");
        let message = construction_message(&err);
        assert!(
            message.contains("no region and no endpoint URL"),
            "{message}"
        );
        assert!(transport.requests().is_empty());
    });
}

#[test]
fn region_comes_from_aws_region_then_aws_default_region() {
    let cases: [(&[(&str, &str)], &str); 3] = [
        (&[("AWS_REGION", "eu-west-3")], "eu-west-3"),
        (
            &[("AWS_DEFAULT_REGION", "ap-northeast-1")],
            "ap-northeast-1",
        ),
        (
            &[
                ("AWS_REGION", "eu-west-3"),
                ("AWS_DEFAULT_REGION", "ap-northeast-1"),
            ],
            "eu-west-3",
        ),
    ];
    for (vars, region) in cases {
        with_env(vars, || async {
            let transport = ok_transport();
            let handle = Handle::new(
                Config::builder()
                    .credentials(Credentials::new("AKID", "SECRET", None))
                    .http_client(transport.clone())
                    .build(),
            );
            call(&handle, &SIGNED).await.expect("success");
            let request = &transport.requests()[0];
            assert_eq!(
                request.uri,
                format!("https://testsvc.{region}.amazonaws.com/")
            );
            let auth = parse_authorization(request.header("authorization").expect("signed"));
            assert_eq!(auth.region, region);
        });
    }

    // A configured region wins.
    with_env(&[("AWS_REGION", "eu-west-3")], || async {
        let transport = ok_transport();
        let handle = Handle::new(
            Config::builder()
                .region("us-west-1")
                .http_client(transport.clone())
                .build(),
        );
        call(&handle, &UNSIGNED).await.expect("success");
        assert_eq!(
            transport.requests()[0].uri,
            "https://testsvc.us-west-1.amazonaws.com/"
        );
    });
}

#[test]
fn endpoint_comes_from_aws_endpoint_url_with_its_path() {
    with_env(
        &[
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/gateway/stage"),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
        ],
        || async {
            let transport = ok_transport();
            let handle = Handle::new(
                Config::builder()
                    .http_client(transport.clone())
                    .retry_config(RetryConfig::disabled())
                    .build(),
            );
            call(&handle, &SIGNED).await.expect("success");
            let request = &transport.requests()[0];
            assert_eq!(request.uri, "http://127.0.0.1:4566/gateway/stage/");
            assert_eq!(request.header("host"), Some("127.0.0.1:4566"));
            let captured = Captured::from_request(request);
            assert_eq!(captured.path, "/gateway/stage/");
            assert_signed(&captured, "SECRET");

            // A configured endpoint wins.
            let handle = Handle::new(
                Config::builder()
                    .endpoint_url("http://127.0.0.1:9/configured")
                    .http_client(transport.clone())
                    .build(),
            );
            call(&handle, &UNSIGNED).await.expect("success");
            assert_eq!(
                transport.requests()[1].uri,
                "http://127.0.0.1:9/configured/"
            );
        },
    );
}

#[test]
fn empty_variables_count_as_unset() {
    with_env(
        &[
            ("AWS_REGION", ""),
            ("AWS_DEFAULT_REGION", "  "),
            ("AWS_ENDPOINT_URL", ""),
            ("AWS_ACCESS_KEY_ID", ""),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
        ],
        || async {
            let transport = ok_transport();
            let handle = Handle::new(Config::builder().http_client(transport.clone()).build());
            let err = call(&handle, &UNSIGNED).await.expect_err("no endpoint");
            assert!(construction_message(&err).contains("no region and no endpoint URL"));

            let handle = Handle::new(
                Config::builder()
                    .region("us-east-1")
                    .http_client(transport.clone())
                    .build(),
            );
            let err = call(&handle, &SIGNED).await.expect_err("no credentials");
            assert!(construction_message(&err).contains("no credentials"));
            assert!(transport.requests().is_empty());
        },
    );
}
