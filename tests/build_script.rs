//! The library API as a build script uses it: `build.rs` generated the
//! SetUserMFAPreference client into OUT_DIR and `support/lib.rs` includes it.

use smithgen_tests::cognito;
use smithgen_tests::{RecordingServer, Reply};

#[test]
fn included_module_builds_inputs_and_reports_missing_members() {
    let err = cognito::operation::set_user_mfa_preference::SetUserMfaPreferenceInput::builder()
        .build()
        .expect_err("AccessToken is required");
    assert_eq!(err.field(), "access_token");

    let input = cognito::operation::set_user_mfa_preference::SetUserMfaPreferenceInput::builder()
        .access_token("abc")
        .sms_mfa_settings(
            cognito::types::SmsMfaSettingsType::builder()
                .enabled(true)
                .build(),
        )
        .build()
        .expect("complete input");
    assert_eq!(input.access_token(), Some("abc"));
    assert!(input.sms_mfa_settings().is_some_and(|s| s.enabled()));
}

#[tokio::test]
async fn included_module_sends_requests() {
    let server = RecordingServer::start(Reply::json(200, "{}")).await;
    let config = cognito::Config::builder()
        .region("us-east-1")
        .endpoint_url(&server.url)
        .build();
    let client = cognito::Client::from_conf(config);
    client
        .set_user_mfa_preference()
        .access_token("abc")
        .send()
        .await
        .expect("request succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].header("x-amz-target"),
        Some("AWSCognitoIdentityProviderService.SetUserMFAPreference")
    );
    assert_eq!(requests[0].body, br#"{"AccessToken":"abc"}"#);
}
