//! Bearer tokens (`smithy.api#httpBearerAuth`) and the choice between an
//! operation's auth schemes, against a server on 127.0.0.1: the token in
//! the `Authorization` header, which scheme wins when bearer and SigV4 are
//! both possible (each order), what the error says when none is, `Debug`
//! output, and the refusal to send a token over plain HTTP to any host but
//! a loopback one.
//!
//! The requests go through the built-in transport, so these tests need the
//! `default-client` feature.
#![cfg(feature = "default-client")]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{
    assert_signed, construction_message, Reply, SavedEnv, Scripted, SequenceServer, Step,
};
use smithgen_runtime::client::Handle;
use smithgen_runtime::credentials::provider::future::ProvideCredentials as CredentialsFuture;
use smithgen_runtime::credentials::{CredentialsError, ProvideCredentials};
use smithgen_runtime::error::{ErrorMetadata, SdkError};
use smithgen_runtime::protocol::Protocol;
use smithgen_runtime::spec::{AuthMode, AuthScheme, OperationSpec, ServiceSpec};
use smithgen_runtime::token::{ProvideToken, ProvideTokenFuture, Token, TokenError};
use smithgen_runtime::{Config, Credentials, RetryConfig};

use AuthScheme::{Anonymous, HttpBearer, SigV4};

static SERVICE: ServiceSpec = ServiceSpec {
    target_prefix: "TestService",
    endpoint_prefix: "testsvc",
    signing_name: "testsvc",
    protocol: Protocol::AwsJson1_0,
    query_compatible: false,
    endpoint_rules: None,
};

/// A service that signs as `bedrock`, which reads `AWS_BEARER_TOKEN_BEDROCK`.
static BEDROCK: ServiceSpec = ServiceSpec {
    target_prefix: "BedrockTest",
    endpoint_prefix: "bedrock-runtime",
    signing_name: "bedrock",
    protocol: Protocol::AwsJson1_0,
    query_compatible: false,
    endpoint_rules: None,
};

const fn operation(name: &'static str, auth: AuthMode) -> OperationSpec {
    OperationSpec {
        name,
        auth,
        errors: &[],
        request_compression: false,
        endpoint_params: smithgen_runtime::endpoint::OperationEndpointParams::NONE,
    }
}

static BEARER_ONLY: OperationSpec = operation("BearerOnly", AuthMode::Schemes(&[HttpBearer]));
static BEARER_THEN_SIGV4: OperationSpec =
    operation("BearerThenSigV4", AuthMode::Schemes(&[HttpBearer, SigV4]));
static SIGV4_THEN_BEARER: OperationSpec =
    operation("SigV4ThenBearer", AuthMode::Schemes(&[SigV4, HttpBearer]));
static SIGV4_OR_NONE: OperationSpec =
    operation("SigV4OrNone", AuthMode::Schemes(&[SigV4, Anonymous]));

const TOKEN: &str = "smithgen-bearer-secret-1";
const SECRET_KEY: &str = "SECRETKEY";

async fn call(
    handle: &Handle,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
) -> Result<(), SdkError<ErrorMetadata>> {
    common::send_empty(handle, service, operation).await
}

/// A credentials provider that counts its calls and has credentials only
/// when told to.
#[derive(Debug, Clone)]
struct CountingCredentials {
    calls: Arc<AtomicUsize>,
    has: bool,
}

impl CountingCredentials {
    fn new(has: bool) -> Self {
        Self {
            calls: Arc::default(),
            has,
        }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for CountingCredentials {
    fn provide_credentials<'a>(&'a self) -> CredentialsFuture<'a>
    where
        Self: 'a,
    {
        self.calls.fetch_add(1, Ordering::SeqCst);
        CredentialsFuture::ready(match self.has {
            true => Ok(aws_credential_types::Credentials::new(
                "AKIDBEARERTEST",
                SECRET_KEY,
                None,
                None,
                "test",
            )),
            false => Err(CredentialsError::not_loaded("the test provider has none")),
        })
    }
}

/// A configuration sending to `base` with retries off, credentials from
/// `credentials`.
fn config(base: &str, credentials: &CountingCredentials) -> smithgen_runtime::config::Builder {
    Config::builder()
        .endpoint_url(base)
        .region("us-west-2")
        .retry_config(RetryConfig::disabled())
        .credentials_provider(credentials.clone())
}

#[tokio::test]
async fn the_token_is_sent_as_a_bearer_authorization_header() {
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let credentials = CountingCredentials::new(true);
    let handle = Handle::new(
        config(&server.base, &credentials)
            .bearer_token(Token::new(TOKEN, None))
            .build(),
    );
    call(&handle, &SERVICE, &BEARER_ONLY).await.expect("sent");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let authorization = requests[0].header("authorization");
    assert_eq!(authorization, Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(requests[0].header("x-amz-date"), None);
    assert_eq!(credentials.calls(), 0, "no credentials are looked for");

    // From a token provider, asked for each request.
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let provider = CountingToken::new(Ok("from-the-provider"));
    let handle = Handle::new(
        config(&server.base, &credentials)
            .token_provider(provider.clone())
            .build(),
    );
    call(&handle, &SERVICE, &BEARER_ONLY).await.expect("sent");
    call(&handle, &SERVICE, &BEARER_ONLY).await.expect("sent");
    for request in server.requests() {
        assert_eq!(
            request.header("authorization"),
            Some("Bearer from-the-provider")
        );
    }
    assert_eq!(provider.calls(), 2);
}

/// A token provider that counts its calls.
#[derive(Debug, Clone)]
struct CountingToken {
    calls: Arc<AtomicUsize>,
    answer: Result<&'static str, &'static str>,
}

impl CountingToken {
    fn new(answer: Result<&'static str, &'static str>) -> Self {
        Self {
            calls: Arc::default(),
            answer,
        }
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideToken for CountingToken {
    fn provide_token<'a>(&'a self) -> ProvideTokenFuture<'a>
    where
        Self: 'a,
    {
        self.calls.fetch_add(1, Ordering::SeqCst);
        ProvideTokenFuture::ready(match self.answer {
            Ok(token) => Ok(Token::new(token, None)),
            Err(why) => Err(TokenError::not_loaded(why)),
        })
    }
}

#[tokio::test]
async fn bearer_first_wins_and_no_credentials_are_looked_for() {
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let credentials = CountingCredentials::new(true);
    let handle = Handle::new(
        config(&server.base, &credentials)
            .bearer_token(Token::new(TOKEN, None))
            .build(),
    );
    call(&handle, &SERVICE, &BEARER_THEN_SIGV4)
        .await
        .expect("sent");
    let request = &server.requests()[0];
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(credentials.calls(), 0);

    // Without a token, the next scheme signs.
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let handle = Handle::new(config(&server.base, &credentials).build());
    call(&handle, &SERVICE, &BEARER_THEN_SIGV4)
        .await
        .expect("sent");
    let auth = assert_signed(&server.requests()[0], SECRET_KEY);
    assert_eq!(auth.access_key_id, "AKIDBEARERTEST");
    assert_eq!(credentials.calls(), 1);
}

#[tokio::test]
async fn sigv4_first_wins_and_the_token_is_the_fallback() {
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let credentials = CountingCredentials::new(true);
    let handle = Handle::new(
        config(&server.base, &credentials)
            .bearer_token(Token::new(TOKEN, None))
            .build(),
    );
    call(&handle, &SERVICE, &SIGV4_THEN_BEARER)
        .await
        .expect("sent");
    let request = &server.requests()[0];
    let auth = assert_signed(request, SECRET_KEY);
    assert_eq!(auth.access_key_id, "AKIDBEARERTEST");
    assert!(!request
        .headers
        .iter()
        .any(|(_, value)| value.contains(TOKEN)));

    // Without credentials, the token is sent.
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let none = CountingCredentials::new(false);
    let handle = Handle::new(
        config(&server.base, &none)
            .bearer_token(Token::new(TOKEN, None))
            .build(),
    );
    call(&handle, &SERVICE, &SIGV4_THEN_BEARER)
        .await
        .expect("sent");
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(none.calls(), 1);
}

#[tokio::test]
async fn optional_auth_is_sent_unsigned_without_credentials() {
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let none = CountingCredentials::new(false);
    let handle = Handle::new(config(&server.base, &none).build());
    call(&handle, &SERVICE, &SIGV4_OR_NONE).await.expect("sent");
    assert_eq!(server.requests()[0].header("authorization"), None);
    assert_eq!(none.calls(), 1);

    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let some = CountingCredentials::new(true);
    let handle = Handle::new(config(&server.base, &some).build());
    call(&handle, &SERVICE, &SIGV4_OR_NONE).await.expect("sent");
    assert_signed(&server.requests()[0], SECRET_KEY);
}

#[tokio::test]
async fn without_any_identity_the_error_names_each_scheme_and_nothing_is_sent() {
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let none = CountingCredentials::new(false);

    let handle = Handle::new(config(&server.base, &none).build());
    let err = call(&handle, &SERVICE, &BEARER_ONLY).await.unwrap_err();
    assert_eq!(
        construction_message(&err),
        "cannot authenticate TestService.BearerOnly requests with its auth scheme: \
         smithy.api#httpBearerAuth: no bearer token is configured: set one with \
         `Config::builder().bearer_token(..)` or `.token_provider(..)`"
    );

    let err = call(&handle, &SERVICE, &BEARER_THEN_SIGV4)
        .await
        .unwrap_err();
    let message = construction_message(&err);
    assert!(
        message.starts_with(
            "cannot authenticate TestService.BearerThenSigV4 requests with any of its 2 auth \
             schemes: smithy.api#httpBearerAuth: no bearer token is configured: set one with \
             `Config::builder().bearer_token(..)` or `.token_provider(..)`; aws.auth#sigv4: \
             no credentials are configured to sign TestService.BearerThenSigV4 requests with, \
             and the credentials provider has none (the test provider has none)"
        ),
        "{message}"
    );

    // A provider's failure is the reason given.
    let provider = CountingToken::new(Err("the SSO session ended"));
    let handle = Handle::new(config(&server.base, &none).token_provider(provider).build());
    let err = call(&handle, &SERVICE, &SIGV4_THEN_BEARER)
        .await
        .unwrap_err();
    let message = construction_message(&err);
    assert!(
        message.contains("any of its 2 auth schemes: aws.auth#sigv4: "),
        "{message}"
    );
    assert!(
        message.contains("; smithy.api#httpBearerAuth: the token provider has no token: "),
        "{message}"
    );
    assert!(message.ends_with(": the SSO session ended"), "{message}");

    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn without_a_region_sigv4_says_so() {
    // No region anywhere, and instance metadata off: nothing leaves 127.0.0.1.
    let _env = SavedEnv::clear(&[
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_EC2_METADATA_DISABLED",
    ]);
    std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/smithgen/config");
    std::env::set_var(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/smithgen/credentials",
    );
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let handle = Handle::new(
        Config::builder()
            .endpoint_url(&server.base)
            .retry_config(RetryConfig::disabled())
            .credentials(Credentials::new("AKID", "SECRET", None))
            .build(),
    );
    let err = call(&handle, &SERVICE, &BEARER_THEN_SIGV4)
        .await
        .unwrap_err();
    let message = construction_message(&err);
    assert!(
        message.contains(
            "; aws.auth#sigv4: no region is configured to sign TestService.BearerThenSigV4 \
             requests with"
        ),
        "{message}"
    );
    assert!(server.requests().is_empty(), "nothing was sent");

    // A bearer token needs no region.
    let handle = Handle::new(
        handle
            .config()
            .to_builder()
            .bearer_token(Token::new(TOKEN, None))
            .build(),
    );
    call(&handle, &SERVICE, &BEARER_THEN_SIGV4)
        .await
        .expect("sent");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn tokens_go_over_plain_http_to_loopback_only() {
    let transport = Scripted::new(vec![Step::Respond(200, "{}")]);
    let credentials = CountingCredentials::new(true);
    for endpoint in ["http://example.com", "http://192.0.2.10:8080/"] {
        let handle = Handle::new(
            config(endpoint, &credentials)
                .http_client(transport.clone())
                .bearer_token(Token::new(TOKEN, None))
                .build(),
        );
        let err = call(&handle, &SERVICE, &BEARER_THEN_SIGV4)
            .await
            .unwrap_err();
        let message = construction_message(&err);
        assert!(
            message.starts_with("refusing to send a bearer token to \""),
            "{message}"
        );
        assert!(
            message.contains(
                "over http: a token is sent over HTTPS only, or over plain HTTP to a loopback \
                 address (localhost, 127.0.0.0/8, [::1]); use an https:// endpoint"
            ),
            "{message}"
        );
        assert!(!message.contains(TOKEN), "{message}");
    }
    assert!(transport.requests().is_empty(), "nothing was sent");

    // HTTPS is fine (the scripted transport answers for the host).
    let handle = Handle::new(
        config("https://example.com", &credentials)
            .http_client(transport.clone())
            .bearer_token(Token::new(TOKEN, None))
            .build(),
    );
    call(&handle, &SERVICE, &BEARER_ONLY).await.expect("sent");
    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].uri, "https://example.com/");
    // The request's own `Debug` hides the header.
    assert!(!format!("{:?}", sent[0]).contains(TOKEN));
}

#[test]
fn debug_output_never_shows_a_token() {
    let builder = Config::builder()
        .region("us-east-1")
        .bearer_token(Token::new(TOKEN, None));
    let handle = Handle::new(builder.clone().build());
    let provided = Config::builder()
        .token_provider(Token::new(TOKEN, None))
        .build();
    for debug in [
        format!("{builder:?}"),
        format!("{:#?}", builder.clone().build()),
        format!("{handle:?}"),
        format!("{provided:?}"),
        format!("{:?}", provided.token_provider()),
    ] {
        assert!(debug.contains("** redacted **"), "{debug}");
        assert!(!debug.contains(TOKEN), "{debug}");
    }
}

#[tokio::test]
async fn the_bedrock_variable_supplies_a_token_and_puts_bearer_first() {
    const VAR: &str = "AWS_BEARER_TOKEN_BEDROCK";
    let _env = SavedEnv::clear(&[VAR]);
    std::env::set_var(VAR, "from-the-environment");
    let server = SequenceServer::start(vec![Reply::new(200, "", "{}")]).await;
    let credentials = CountingCredentials::new(true);

    // SigV4 comes first in the model, and credentials are there: the
    // variable still puts the token first, as aws-sdk-rust does.
    let handle = Handle::new(config(&server.base, &credentials).build());
    call(&handle, &BEDROCK, &SIGV4_THEN_BEARER)
        .await
        .expect("sent");
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer from-the-environment")
    );
    assert_eq!(credentials.calls(), 0);

    // A configured token comes before the variable's.
    let handle = Handle::new(
        config(&server.base, &credentials)
            .bearer_token(Token::new(TOKEN, None))
            .build(),
    );
    call(&handle, &BEDROCK, &BEARER_ONLY).await.expect("sent");
    assert_eq!(
        server.requests()[1].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );

    // Other services do not read it.
    let handle = Handle::new(config(&server.base, &credentials).build());
    call(&handle, &SERVICE, &SIGV4_THEN_BEARER)
        .await
        .expect("sent");
    assert_signed(&server.requests()[2], SECRET_KEY);
    let err = call(&handle, &SERVICE, &BEARER_ONLY).await.unwrap_err();
    assert!(construction_message(&err).contains("no bearer token is configured"));

    // The variable is read once per client: a client made before it
    // changes keeps what it read.
    let handle = Handle::new(config(&server.base, &credentials).build());
    call(&handle, &BEDROCK, &BEARER_ONLY).await.expect("sent");
    std::env::remove_var(VAR);
    call(&handle, &BEDROCK, &BEARER_ONLY).await.expect("sent");
    for request in &server.requests()[3..5] {
        assert_eq!(
            request.header("authorization"),
            Some("Bearer from-the-environment")
        );
    }
    let err = call(
        &Handle::new(config(&server.base, &credentials).build()),
        &BEDROCK,
        &BEARER_ONLY,
    )
    .await
    .unwrap_err();
    assert!(
        construction_message(&err).ends_with(
            "`.token_provider(..)`, or with the AWS_BEARER_TOKEN_BEDROCK environment variable"
        ),
        "{err:?}"
    );
}
