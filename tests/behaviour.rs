//! Behaviour of the checked-in generated crate (`generated/`): builders,
//! redaction, the request on the wire, and how responses become outputs and errors.

use std::error::Error as _;
use std::sync::{Arc, Mutex};

use cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use cognitoidentityprovider::operation::set_user_mfa_preference::{
    SetUserMFAPreferenceError, SetUserMfaPreferenceInput,
};
use cognitoidentityprovider::types::{
    EmailMfaSettingsType, SmsMfaSettingsType, SoftwareTokenMfaSettingsType,
};
use cognitoidentityprovider::{Client, Config};
use smithgen_runtime::error::ConnectorError;
use smithgen_runtime::http::{HttpClient, HttpRequest, HttpResponse};
use smithgen_tests::{RecordingServer, Reply};

const TOKEN: &str = "eyJraWQiOiJzZWNyZXQtdG9rZW4ifQ.c2VjcmV0.c2lnbmF0dXJl";
const REDACTED: &str = "*** Sensitive Data Redacted ***";

fn client_for(url: &str) -> Client {
    Client::from_conf(
        Config::builder()
            .region("us-east-1")
            .endpoint_url(url)
            .build(),
    )
}

#[test]
fn missing_access_token_is_a_build_error_naming_it() {
    let err = SetUserMfaPreferenceInput::builder()
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build())
        .build()
        .expect_err("AccessToken is required");
    assert_eq!(err.field(), "access_token");
    assert_eq!(
        err.to_string(),
        "`access_token` was not specified but it is required when building SetUserMfaPreferenceInput"
    );
}

#[tokio::test]
async fn missing_access_token_fails_before_sending() {
    let server = RecordingServer::start(Reply::json(200, "{}")).await;
    let err = client_for(&server.url)
        .set_user_mfa_preference()
        .send()
        .await
        .expect_err("AccessToken is required");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let source = err
        .source()
        .expect("a construction failure has a source")
        .to_string();
    assert!(source.contains("access_token"), "{source}");
    assert!(server.requests().is_empty(), "nothing may be sent");
}

#[test]
fn debug_never_shows_the_access_token() {
    let builder = SetUserMfaPreferenceInput::builder()
        .access_token(TOKEN)
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build());
    let input = builder.clone().build().expect("complete input");
    let client = client_for("http://127.0.0.1:1");
    let fluent = client
        .set_user_mfa_preference()
        .access_token(TOKEN)
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build());
    for printed in [
        format!("{builder:?}"),
        format!("{input:?}"),
        format!("{input:#?}"),
        format!("{fluent:?}"),
    ] {
        assert!(!printed.contains(TOKEN), "token leaked: {printed}");
        assert!(
            !printed.contains("c2VjcmV0"),
            "part of the token leaked: {printed}"
        );
        assert!(printed.contains(REDACTED), "no redaction marker: {printed}");
        assert!(
            printed.contains("enabled: true"),
            "non-sensitive members still print: {printed}"
        );
    }
}

#[test]
fn defaults_getters_and_setters() {
    let builder = SoftwareTokenMfaSettingsType::builder().preferred_mfa(true);
    assert_eq!(*builder.get_enabled(), None, "nothing set yet");
    assert_eq!(*builder.get_preferred_mfa(), Some(true));
    let settings = builder.build();
    assert!(!settings.enabled(), "@default false fills an unset member");
    assert!(settings.preferred_mfa());
    let cleared = SoftwareTokenMfaSettingsType::builder()
        .enabled(true)
        .set_enabled(None)
        .build();
    assert!(!cleared.enabled());
}

#[tokio::test]
async fn request_on_the_wire_is_exact() {
    let server =
        RecordingServer::start(Reply::json(200, "{}").header("x-amzn-requestid", "req-1")).await;
    let output = client_for(&server.url)
        .set_user_mfa_preference()
        .sms_mfa_settings(
            SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .build(),
        )
        .email_mfa_settings(EmailMfaSettingsType::builder().build())
        .access_token(TOKEN)
        .send()
        .await;
    assert!(output.is_ok(), "{output:?}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        request.header("x-amz-target"),
        Some("AWSCognitoIdentityProviderService.SetUserMFAPreference")
    );
    let expected = format!(
        concat!(
            r#"{{"SMSMfaSettings":{{"Enabled":true,"PreferredMfa":true}},"#,
            r#""SoftwareTokenMfaSettings":{{"Enabled":true,"PreferredMfa":false}},"#,
            r#""EmailMfaSettings":{{"Enabled":false,"PreferredMfa":false}},"#,
            r#""AccessToken":"{}"}}"#
        ),
        TOKEN
    );
    assert_eq!(String::from_utf8_lossy(&request.body), expected);
    assert_eq!(
        request.header("content-length"),
        Some(expected.len().to_string().as_str())
    );
    let host = server.url.trim_start_matches("http://");
    assert_eq!(request.header("host"), Some(host));
}

#[tokio::test]
async fn endpoint_path_prefix_is_kept() {
    let server = RecordingServer::start(Reply::json(200, "{}")).await;
    client_for(&format!("{}/prefix/", server.url))
        .set_user_mfa_preference()
        .access_token("t")
        .send()
        .await
        .expect("request succeeds");
    assert_eq!(server.requests()[0].path, "/prefix/");
}

const ERRORS: &[(&str, u16)] = &[
    ("ForbiddenException", 403),
    ("InternalErrorException", 500),
    ("InvalidParameterException", 400),
    ("NotAuthorizedException", 403),
    ("PasswordResetRequiredException", 400),
    ("ResourceNotFoundException", 404),
    ("UserNotConfirmedException", 400),
    ("UserNotFoundException", 404),
];

fn variant_name(err: &SetUserMFAPreferenceError) -> &'static str {
    match err {
        SetUserMFAPreferenceError::ForbiddenException(_) => "ForbiddenException",
        SetUserMFAPreferenceError::InternalErrorException(_) => "InternalErrorException",
        SetUserMFAPreferenceError::InvalidParameterException(_) => "InvalidParameterException",
        SetUserMFAPreferenceError::NotAuthorizedException(_) => "NotAuthorizedException",
        SetUserMFAPreferenceError::PasswordResetRequiredException(_) => {
            "PasswordResetRequiredException"
        }
        SetUserMFAPreferenceError::ResourceNotFoundException(_) => "ResourceNotFoundException",
        SetUserMFAPreferenceError::UserNotConfirmedException(_) => "UserNotConfirmedException",
        SetUserMFAPreferenceError::UserNotFoundException(_) => "UserNotFoundException",
        _ => "unhandled",
    }
}

async fn send_with_reply(reply: Reply) -> SdkError<SetUserMFAPreferenceError> {
    let server = RecordingServer::start(reply).await;
    client_for(&server.url)
        .set_user_mfa_preference()
        .access_token("t")
        .send()
        .await
        .expect_err("the server answers with an error")
}

#[tokio::test]
async fn each_modeled_error_becomes_its_variant() {
    for (code, status) in ERRORS {
        let message = format!("message for {code}");
        let body = format!(r#"{{"__type":"{code}","message":"{message}"}}"#);
        let err =
            send_with_reply(Reply::json(*status, &body).header("x-amzn-requestid", "rid-7")).await;
        assert_eq!(err.code(), Some(*code));
        assert_eq!(err.message(), Some(message.as_str()));
        assert_eq!(err.request_id(), Some("rid-7"));
        assert_eq!(err.raw_response().map(|r| r.status()), Some(*status));
        let service_err = err.into_service_error();
        assert_eq!(variant_name(&service_err), *code);
        assert!(service_err.to_string().starts_with(code), "{service_err}");
        assert!(service_err.to_string().contains(&message), "{service_err}");
    }
}

#[tokio::test]
async fn error_code_from_header_and_with_namespace_or_suffix() {
    let err = send_with_reply(Reply::json(403, r#"{"message":"expired"}"#).header(
        "x-amzn-errortype",
        "NotAuthorizedException:http://internal.example/",
    ))
    .await;
    let err = err.into_service_error();
    assert!(err.is_not_authorized_exception(), "{err:?}");
    assert_eq!(err.message(), Some("expired"));

    let err = send_with_reply(Reply::json(
        404,
        r#"{"__type":"com.amazonaws.cognitoidentityprovider#UserNotFoundException","message":"gone"}"#,
    ))
    .await;
    assert!(err
        .as_service_error()
        .is_some_and(|e| e.is_user_not_found_exception()));
}

#[tokio::test]
async fn invalid_parameter_keeps_its_reason_code() {
    let err = send_with_reply(Reply::json(
        400,
        r#"{"__type":"InvalidParameterException","message":"bad","reasonCode":"USER_NOT_ELIGIBLE"}"#,
    ))
    .await;
    match err.into_service_error() {
        SetUserMFAPreferenceError::InvalidParameterException(e) => {
            assert_eq!(e.reason_code(), Some("USER_NOT_ELIGIBLE"));
            assert_eq!(e.message(), Some("bad"));
        }
        other => panic!("expected InvalidParameterException, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_error_code_is_unhandled_with_code_and_message() {
    let err = send_with_reply(Reply::json(
        400,
        r#"{"__type":"BrandNewException","message":"something new"}"#,
    ))
    .await;
    let err = err.into_service_error();
    assert_eq!(variant_name(&err), "unhandled");
    assert!(matches!(err, SetUserMFAPreferenceError::Unhandled(_)));
    assert_eq!(err.code(), Some("BrandNewException"));
    assert_eq!(err.message(), Some("something new"));
}

#[tokio::test]
async fn non_json_error_body_is_unhandled_not_a_panic() {
    let err = send_with_reply(Reply::json(502, "<html>Bad Gateway</html>")).await;
    assert_eq!(err.raw_response().map(|r| r.status()), Some(502));
    let err = err.into_service_error();
    assert!(
        matches!(err, SetUserMFAPreferenceError::Unhandled(_)),
        "{err:?}"
    );
    assert_eq!(err.code(), None);
}

/// A transport that answers without any network, to prove the transport is pluggable.
#[derive(Clone, Debug, Default)]
struct CannedTransport {
    seen: Arc<Mutex<Vec<HttpRequest>>>,
}

impl HttpClient for CannedTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<HttpResponse, ConnectorError>> + Send + '_>,
    > {
        self.seen.lock().expect("lock").push(request);
        Box::pin(async { Ok(HttpResponse::new(200, Vec::new(), b"{}".to_vec())) })
    }
}

#[tokio::test]
async fn a_custom_transport_receives_the_request() {
    let transport = CannedTransport::default();
    let config = Config::builder()
        .region("eu-west-1")
        .http_client(transport.clone())
        .build();
    Client::from_conf(config)
        .set_user_mfa_preference()
        .access_token("t")
        .send()
        .await
        .expect("canned success");
    let seen = transport.seen.lock().expect("lock");
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].uri, "https://cognito-idp.eu-west-1.amazonaws.com/");
    assert_eq!(seen[0].method, "POST");
}

#[tokio::test]
async fn no_region_and_no_endpoint_is_a_construction_failure() {
    // Nothing may give a region: no variable, no profile file, and no
    // instance metadata (which would otherwise be asked at 169.254.169.254).
    // No other test of this binary reads these variables.
    for name in ["AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"] {
        std::env::remove_var(name);
    }
    std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/smithgen-tests/config");
    std::env::set_var(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/smithgen-tests/credentials",
    );
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    let err = Client::from_conf(Config::builder().build())
        .set_user_mfa_preference()
        .access_token("t")
        .send()
        .await
        .expect_err("no endpoint can be derived");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let message = err.source().map(ToString::to_string);
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.contains("instance metadata: disabled by AWS_EC2_METADATA_DISABLED")),
        "{message:?}"
    );
}
