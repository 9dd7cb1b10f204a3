//! End to end: the Cognito user pools, KMS and Lambda clients that
//! `build.rs` generated from the current AWS models, over real HTTP, against
//! a moto server started on 127.0.0.1 for each test (install it with
//! `./tests/setup-moto`).
//!
//! Lambda is restJson1: its test creates functions from a zip (a blob in the
//! JSON body), reads one by name (a label), lists them page by page (query
//! parameters; moto does not page, so the test's transport pages its answer,
//! see `support::LambdaPager`), tags one and lists its tags by ARN (a label
//! with `:`), updates a configuration, deletes them, and reads a missing one
//! (the modeled `ResourceNotFoundException`). None of these calls needs
//! Docker: moto runs Docker only to invoke a function.
//!
//! Administrative calls and every KMS call are SigV4-signed with throwaway
//! credentials (moto accepts any signature) that the clients' default chain
//! reads, with the region, from a profile of shared credentials and config
//! files written for the test (`AWS_SHARED_CREDENTIALS_FILE`,
//! `AWS_CONFIG_FILE`, `AWS_PROFILE`); one more test signs with aws-config's
//! profile provider handed to the client. The calls a signed-in user makes
//! (`InitiateAuth`, `SetUserMFAPreference`, `GetUser`) have
//! `smithy.api#optionalAuth` in the model and go through a client that has no
//! credentials configured, as a public app's would.

mod support;

use smithgen_e2e::{cognito, kms, lambda};
use smithgen_runtime::primitives::Blob;
use support::{answer, describe, ok, passed, KeyRecorder, LambdaPager, MotoServer};

use cognito::operation::get_user::GetUserError;
use cognito::operation::initiate_auth::InitiateAuthError;
use cognito::operation::set_user_mfa_preference::SetUserMFAPreferenceError;
use cognito::types::{
    AttributeType, AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, MessageActionType,
    SmsConfigurationType, SmsMfaSettingsType, UserPoolMfaType, UserStatusType,
};
use kms::operation::decrypt::DecryptError;
use kms::types::{EncryptionAlgorithmSpec, KeyState, KeyUsageType};
use lambda::operation::get_function::GetFunctionError;
use lambda::types::{Environment, FunctionCode, Runtime};

const REGION: &str = "us-east-1";
const USERNAME: &str = "alice";
const EMAIL: &str = "alice@example.com";
const PHONE: &str = "+15555550100";
const TEMPORARY_PASSWORD: &str = "Temporary-Pass-1";
const PASSWORD: &str = "Correct-Horse-9-Battery";

/// A configuration pointed at moto that leaves the credentials and the
/// region to the default chain, which finds them in the test's profile (see
/// `support::use_profile_files`), sending through `transport`.
fn signed_config(url: &str, transport: &KeyRecorder) -> smithgen_runtime::Config {
    smithgen_runtime::Config::builder()
        .endpoint_url(url)
        .http_client(transport.clone())
        .build()
}

/// A configuration pointed at moto with no credentials at all.
fn public_config(url: &str) -> smithgen_runtime::Config {
    smithgen_runtime::Config::builder()
        .region(REGION)
        .endpoint_url(url)
        .build()
}

fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .expect("an attribute has a name")
}

fn attribute_value<'a>(attributes: &'a [AttributeType], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|a| a.name() == name)
        .and_then(|a| a.value())
}

#[tokio::test(flavor = "current_thread")]
async fn cognito_and_kms_against_moto() {
    support::use_profile_files();
    let server = MotoServer::start();
    let transport = KeyRecorder::default();
    cognito_sign_in_and_sms_mfa(server.url(), &transport).await;
    kms_encrypt_and_decrypt(server.url(), &transport).await;
    // Every signed call was signed with the profile's key.
    let keys = transport.keys();
    assert_eq!(keys.len(), 8, "{keys:?}");
    assert!(
        keys.iter().all(|key| key == support::PROFILE_ACCESS_KEY_ID),
        "{keys:?}"
    );
    passed(
        "credentials from the shared credentials file",
        format!(
            "{} signed calls with profile {}'s key {}",
            keys.len(),
            support::PROFILE,
            support::PROFILE_ACCESS_KEY_ID
        ),
    );
}

/// aws-config's profile credentials provider, handed to a generated client
/// through `credentials_provider`, signs calls moto accepts.
#[tokio::test(flavor = "current_thread")]
async fn aws_config_credentials_provider_signs_kms_calls() {
    support::use_profile_files();
    let server = MotoServer::start();
    let transport = KeyRecorder::default();
    let provider = aws_config::profile::ProfileFileCredentialsProvider::builder()
        .configure(
            &aws_config::provider_config::ProviderConfig::without_region()
                .with_http_client(support::NoHttpClient),
        )
        .profile_name(support::AWS_CONFIG_PROFILE)
        .build();
    let config = smithgen_runtime::Config::builder()
        .region(REGION)
        .endpoint_url(server.url())
        .http_client(transport.clone())
        .credentials_provider(provider)
        .build();
    let client = kms::Client::from_conf(config);
    let created = ok(
        "CreateKey with aws-config's provider",
        client
            .create_key()
            .description("smithgen aws-config key")
            .send()
            .await,
    );
    let key_id = created
        .key_metadata()
        .expect("CreateKey returns the key")
        .key_id()
        .to_owned();
    let encrypted = ok(
        "Encrypt with aws-config's provider",
        client
            .encrypt()
            .key_id(&key_id)
            .plaintext(Blob::new(b"signed by aws-config".to_vec()))
            .send()
            .await,
    );
    assert!(encrypted.ciphertext_blob().is_some());
    assert_eq!(
        transport.keys(),
        [support::AWS_CONFIG_ACCESS_KEY_ID; 2],
        "both calls signed with the aws-config profile's key"
    );
    passed(
        "KMS CreateKey and Encrypt (signed through aws-config's ProfileFileCredentialsProvider)",
        format!(
            "key {key_id}, signed with {}",
            support::AWS_CONFIG_ACCESS_KEY_ID
        ),
    );
}

async fn cognito_sign_in_and_sms_mfa(url: &str, transport: &KeyRecorder) {
    let admin = cognito::Client::from_conf(signed_config(url, transport));
    let public = cognito::Client::from_conf(public_config(url));

    // A user pool where SMS MFA is optional, with the SNS role Cognito
    // would send text messages through.
    let sns_role = "arn:aws:iam::123456789012:role/smithgen-e2e-sns";
    let created = ok(
        "CreateUserPool",
        admin
            .create_user_pool()
            .pool_name("smithgen-e2e")
            .mfa_configuration(UserPoolMfaType::Optional)
            .sms_configuration(
                SmsConfigurationType::builder()
                    .sns_caller_arn(sns_role)
                    .external_id("smithgen-e2e")
                    .build()
                    .expect("SnsCallerArn is set"),
            )
            .send()
            .await,
    );
    let pool = created
        .user_pool()
        .expect("CreateUserPool returns the pool");
    let pool_id = pool.id().expect("the pool has an id").to_owned();
    assert!(
        pool_id.starts_with("us-east-1_"),
        "pool id {pool_id:?} names the region"
    );
    assert_eq!(pool.name(), Some("smithgen-e2e"));
    assert_eq!(pool.mfa_configuration(), Some(&UserPoolMfaType::Optional));
    assert_eq!(
        pool.sms_configuration().map(|c| c.sns_caller_arn()),
        Some(sns_role)
    );
    passed(
        "Cognito CreateUserPool (signed)",
        format!("pool {pool_id}, MFA optional"),
    );

    let created = ok(
        "CreateUserPoolClient",
        admin
            .create_user_pool_client()
            .user_pool_id(&pool_id)
            .client_name("smithgen-e2e-app")
            .generate_secret(false)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
            .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
            .send()
            .await,
    );
    let app = created
        .user_pool_client()
        .expect("CreateUserPoolClient returns the client");
    let client_id = app
        .client_id()
        .expect("the app client has an id")
        .to_owned();
    assert_eq!(app.user_pool_id(), Some(pool_id.as_str()));
    assert_eq!(
        app.explicit_auth_flows(),
        [
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth
        ]
    );
    assert!(app.client_secret().is_none(), "no secret was asked for");
    passed(
        "Cognito CreateUserPoolClient (signed)",
        format!("app client {client_id} allowing USER_PASSWORD_AUTH"),
    );

    let created = ok(
        "AdminCreateUser",
        admin
            .admin_create_user()
            .user_pool_id(&pool_id)
            .username(USERNAME)
            .user_attributes(attribute("email", EMAIL))
            .user_attributes(attribute("email_verified", "true"))
            .user_attributes(attribute("phone_number", PHONE))
            .user_attributes(attribute("phone_number_verified", "true"))
            .temporary_password(TEMPORARY_PASSWORD)
            .message_action(MessageActionType::Suppress)
            .send()
            .await,
    );
    let user = created.user().expect("AdminCreateUser returns the user");
    assert_eq!(user.username(), Some(USERNAME));
    assert_eq!(
        user.user_status(),
        Some(&UserStatusType::ForceChangePassword)
    );
    assert_eq!(
        attribute_value(user.attributes(), "phone_number"),
        Some(PHONE)
    );
    assert_eq!(attribute_value(user.attributes(), "email"), Some(EMAIL));
    passed(
        "Cognito AdminCreateUser (signed)",
        format!("{USERNAME} with phone_number {PHONE}, FORCE_CHANGE_PASSWORD"),
    );

    ok(
        "AdminSetUserPassword",
        admin
            .admin_set_user_password()
            .user_pool_id(&pool_id)
            .username(USERNAME)
            .password(PASSWORD)
            .permanent(true)
            .send()
            .await,
    );
    passed(
        "Cognito AdminSetUserPassword (signed)",
        "permanent password set",
    );

    // A wrong password is refused with the modeled error.
    let err = public
        .initiate_auth()
        .client_id(&client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", USERNAME)
        .auth_parameters("PASSWORD", "Wrong-Password-0")
        .send()
        .await
        .expect_err("a wrong password is refused");
    let text = describe(&err);
    let sent = answer(&err);
    match err.into_service_error() {
        InitiateAuthError::NotAuthorizedException(e) => passed(
            "Cognito InitiateAuth with a wrong password (unsigned)",
            format!(
                "NotAuthorizedException {:?}; moto sent {sent}",
                e.message().unwrap_or("")
            ),
        ),
        other => panic!("expected NotAuthorizedException, got {other:?}\n{text}"),
    }

    let signed_in = ok(
        "InitiateAuth",
        public
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", USERNAME)
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await,
    );
    assert_eq!(
        signed_in.challenge_name(),
        None,
        "no challenge before MFA is set up"
    );
    let tokens = signed_in
        .authentication_result()
        .expect("InitiateAuth signs the user in");
    let access_token = tokens
        .access_token()
        .expect("an access token is issued")
        .to_owned();
    assert_eq!(
        access_token.split('.').count(),
        3,
        "the access token is a JWT"
    );
    assert!(tokens.id_token().is_some() && tokens.refresh_token().is_some());
    assert_eq!(tokens.token_type(), Some("Bearer"));
    assert!(tokens.expires_in() > 0);
    passed(
        "Cognito InitiateAuth USER_PASSWORD_AUTH (unsigned)",
        format!("access token issued, expires in {} s", tokens.expires_in()),
    );

    ok(
        "SetUserMFAPreference",
        public
            .set_user_mfa_preference()
            .access_token(&access_token)
            .sms_mfa_settings(
                SmsMfaSettingsType::builder()
                    .enabled(true)
                    .preferred_mfa(true)
                    .build(),
            )
            .send()
            .await,
    );
    passed(
        "Cognito SetUserMFAPreference (unsigned)",
        "SMS MFA enabled and preferred",
    );

    let me = ok(
        "GetUser",
        public.get_user().access_token(&access_token).send().await,
    );
    assert_eq!(me.username(), USERNAME);
    assert_eq!(me.preferred_mfa_setting(), Some("SMS_MFA"));
    assert!(
        me.user_mfa_setting_list().iter().any(|s| s == "SMS_MFA"),
        "UserMFASettingList {:?} holds SMS_MFA",
        me.user_mfa_setting_list()
    );
    assert_eq!(
        attribute_value(me.user_attributes(), "phone_number"),
        Some(PHONE)
    );
    passed(
        "Cognito GetUser (unsigned)",
        format!(
            "PreferredMfaSetting {:?}, UserMFASettingList {:?}",
            me.preferred_mfa_setting().unwrap_or(""),
            me.user_mfa_setting_list()
        ),
    );

    // Signing in again now stops at the SMS challenge.
    let challenged = ok(
        "InitiateAuth after enabling SMS MFA",
        public
            .initiate_auth()
            .client_id(&client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", USERNAME)
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await,
    );
    assert_eq!(
        challenged.challenge_name(),
        Some(&ChallengeNameType::SmsMfa)
    );
    assert!(challenged.session().is_some_and(|s| !s.is_empty()));
    assert!(challenged.authentication_result().is_none());
    passed(
        "Cognito InitiateAuth with SMS MFA on (unsigned)",
        "ChallengeName SMS_MFA with a session",
    );

    // A bad access token is refused with the modeled error.
    let err = public
        .set_user_mfa_preference()
        .access_token("not-an-access-token")
        .sms_mfa_settings(
            SmsMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .expect_err("a bad access token is refused");
    let text = describe(&err);
    let sent = answer(&err);
    match err.into_service_error() {
        SetUserMFAPreferenceError::NotAuthorizedException(e) => passed(
            "Cognito SetUserMFAPreference with a bad access token (unsigned)",
            format!(
                "NotAuthorizedException {:?}; moto sent {sent}",
                e.message().unwrap_or("")
            ),
        ),
        other => panic!("expected NotAuthorizedException, got {other:?}\n{text}"),
    }

    let err = public
        .get_user()
        .access_token("not-an-access-token")
        .send()
        .await
        .expect_err("a bad access token is refused");
    let text = describe(&err);
    let sent = answer(&err);
    match err.into_service_error() {
        GetUserError::NotAuthorizedException(e) => passed(
            "Cognito GetUser with a bad access token (unsigned)",
            format!(
                "NotAuthorizedException {:?}; moto sent {sent}",
                e.message().unwrap_or("")
            ),
        ),
        other => panic!("expected NotAuthorizedException, got {other:?}\n{text}"),
    }
}

async fn kms_encrypt_and_decrypt(url: &str, transport: &KeyRecorder) {
    let client = kms::Client::from_conf(signed_config(url, transport));

    let created = ok(
        "CreateKey",
        client
            .create_key()
            .description("smithgen e2e key")
            .key_usage(KeyUsageType::EncryptDecrypt)
            .send()
            .await,
    );
    let key = created.key_metadata().expect("CreateKey returns the key");
    let key_id = key.key_id().to_owned();
    let key_arn = key.arn().expect("the key has an ARN").to_owned();
    assert!(!key_id.is_empty());
    assert!(key_arn.ends_with(&key_id), "{key_arn} names {key_id}");
    assert!(key.enabled());
    assert_eq!(key.key_state(), Some(&KeyState::Enabled));
    assert_eq!(key.key_usage(), Some(&KeyUsageType::EncryptDecrypt));
    assert_eq!(key.description(), Some("smithgen e2e key"));
    passed("KMS CreateKey (signed)", format!("key {key_id}, enabled"));

    // Bytes that are not UTF-8, to prove blobs travel as base64.
    let plaintext: Vec<u8> = b"smithgen \x00\xff\xfe end to end".to_vec();
    let encrypted = ok(
        "Encrypt",
        client
            .encrypt()
            .key_id(&key_id)
            .plaintext(Blob::new(plaintext.clone()))
            .encryption_context("purpose", "smithgen-e2e")
            .send()
            .await,
    );
    let ciphertext = encrypted
        .ciphertext_blob()
        .expect("Encrypt returns a ciphertext")
        .clone();
    assert!(!ciphertext.as_ref().is_empty());
    assert_ne!(ciphertext.as_ref(), plaintext.as_slice());
    assert_eq!(encrypted.key_id(), Some(key_arn.as_str()));
    // Real KMS also names the algorithm (SYMMETRIC_DEFAULT); moto leaves
    // `EncryptionAlgorithm` out of its Encrypt response, so only a present
    // value is checked.
    if let Some(algorithm) = encrypted.encryption_algorithm() {
        assert_eq!(algorithm, &EncryptionAlgorithmSpec::SymmetricDefault);
    }
    passed(
        "KMS Encrypt (signed)",
        format!(
            "{} plaintext bytes into {} ciphertext bytes",
            plaintext.len(),
            ciphertext.as_ref().len()
        ),
    );

    let decrypted = ok(
        "Decrypt",
        client
            .decrypt()
            .ciphertext_blob(ciphertext.clone())
            .encryption_context("purpose", "smithgen-e2e")
            .send()
            .await,
    );
    assert_eq!(
        decrypted.plaintext().map(|b| b.as_ref()),
        Some(plaintext.as_slice()),
        "Decrypt gives back the plaintext"
    );
    assert_eq!(decrypted.key_id(), Some(key_arn.as_str()));
    passed(
        "KMS Decrypt (signed)",
        "the plaintext came back byte for byte",
    );

    // The encryption context is authenticated: another one is refused.
    let err = client
        .decrypt()
        .ciphertext_blob(ciphertext)
        .encryption_context("purpose", "something-else")
        .send()
        .await
        .expect_err("a different encryption context is refused");
    let text = describe(&err);
    let sent = answer(&err);
    match err.into_service_error() {
        DecryptError::InvalidCiphertextException(_) => passed(
            "KMS Decrypt with another encryption context (signed)",
            format!("InvalidCiphertextException; moto sent {sent}"),
        ),
        other => panic!("expected InvalidCiphertextException, got {other:?}\n{text}"),
    }
}

/// The handler every test function runs (never invoked: moto would need
/// Docker for that).
const HANDLER_SOURCE: &[u8] = b"def handler(event, context):\n    return {\"ok\": True}\n";

#[tokio::test(flavor = "current_thread")]
async fn lambda_against_moto() {
    support::use_profile_files();
    let server = MotoServer::start();
    let transport = LambdaPager::default();
    let client = lambda::Client::from_conf(
        smithgen_runtime::Config::builder()
            .endpoint_url(server.url())
            .http_client(transport.clone())
            .build(),
    );
    // moto checks that a function's execution role exists in its IAM.
    let role = support::create_iam_role(server.url(), "smithgen-e2e-lambda");

    // Three functions from the same zip, sent as a base64 blob in the body.
    let zip = support::stored_zip("index.py", HANDLER_SOURCE);
    let sha256 = {
        use sha2::Digest;
        smithgen_runtime::binding::fmt_base64(sha2::Sha256::digest(&zip))
    };
    let names = ["smithgen-e2e-a", "smithgen-e2e-b", "smithgen-e2e-c"];
    let mut arns = Vec::new();
    for name in names {
        let created = ok(
            "CreateFunction",
            client
                .create_function()
                .function_name(name)
                .runtime(Runtime::Python312)
                .role(&role)
                .handler("index.handler")
                .code(
                    FunctionCode::builder()
                        .zip_file(Blob::new(zip.clone()))
                        .build(),
                )
                .description("created by smithgen's end-to-end test")
                .send()
                .await,
        );
        assert_eq!(created.function_name(), Some(name));
        assert_eq!(created.runtime(), Some(&Runtime::Python312));
        assert_eq!(created.handler(), Some("index.handler"));
        assert_eq!(created.role(), Some(role.as_str()));
        assert_eq!(created.code_size(), zip.len() as i64, "the zip's size");
        assert_eq!(
            created.code_sha256(),
            Some(sha256.as_str()),
            "the zip's SHA-256"
        );
        let arn = created
            .function_arn()
            .expect("the function's ARN")
            .to_owned();
        assert!(arn.ends_with(&format!(":function:{name}")), "{arn}");
        arns.push(arn);
    }
    passed(
        "Lambda CreateFunction (restJson1, a zip blob in the JSON body)",
        format!(
            "{} functions from a {}-byte zip, SHA-256 {sha256} as moto computed it",
            names.len(),
            zip.len()
        ),
    );

    // By name: a label.
    let got = ok(
        "GetFunction",
        client.get_function().function_name(names[0]).send().await,
    );
    let configuration = got.configuration().expect("the function's configuration");
    assert_eq!(configuration.function_name(), Some(names[0]));
    assert_eq!(configuration.function_arn(), Some(arns[0].as_str()));
    assert_eq!(configuration.code_sha256(), Some(sha256.as_str()));
    assert!(got
        .code()
        .is_some_and(|code| code.repository_type().is_some()));
    passed(
        "Lambda GetFunction by name (a label)",
        format!("{} ({})", names[0], arns[0]),
    );

    // Page by page: two per page, each later request carrying the marker the
    // page before gave.
    let mut pages = client.list_functions().into_paginator().page_size(2).send();
    let mut listed = Vec::new();
    let mut page_sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = ok("ListFunctions", page);
        page_sizes.push(page.functions().len());
        listed.extend(
            page.functions()
                .iter()
                .filter_map(|f| f.function_name().map(str::to_owned)),
        );
    }
    assert_eq!(page_sizes, [2, 1]);
    listed.sort();
    assert_eq!(listed, names);
    let list_requests: Vec<String> = transport
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("GET ") && r.contains("/2015-03-31/functions?"))
        .collect();
    assert_eq!(list_requests.len(), 2, "{list_requests:?}");
    assert!(
        list_requests[0].ends_with("/2015-03-31/functions?MaxItems=2"),
        "{list_requests:?}"
    );
    assert!(
        list_requests[1].ends_with("/2015-03-31/functions?Marker=2&MaxItems=2"),
        "{list_requests:?}"
    );
    passed(
        "Lambda ListFunctions page by page (the paginator; Marker and MaxItems in the query)",
        format!("pages of {page_sizes:?}: {listed:?}"),
    );
    // A query parameter moto itself reads: every version, `$LATEST` named.
    let all_versions = ok(
        "ListFunctions FunctionVersion=ALL",
        client
            .list_functions()
            .function_version(lambda::types::FunctionVersion::All)
            .send()
            .await,
    );
    assert_eq!(all_versions.functions().len(), names.len());
    assert!(
        all_versions.functions().iter().all(|f| f
            .function_arn()
            .is_some_and(|arn| arn.ends_with(":$LATEST"))),
        "{:?}",
        all_versions.functions()
    );
    passed(
        "Lambda ListFunctions FunctionVersion=ALL (a query parameter moto reads)",
        "every ARN names $LATEST",
    );

    // By ARN: a label with `:` characters, percent-encoded in the path.
    ok(
        "TagResource",
        client
            .tag_resource()
            .resource(&arns[1])
            .tags("team", "smithgen")
            .tags("purpose", "end to end")
            .send()
            .await,
    );
    let tags = ok(
        "ListTags",
        client.list_tags().resource(&arns[1]).send().await,
    );
    let tags = tags.tags().expect("the function's tags");
    assert_eq!(tags.len(), 2, "{tags:?}");
    assert_eq!(tags.get("team").map(String::as_str), Some("smithgen"));
    assert_eq!(tags.get("purpose").map(String::as_str), Some("end to end"));
    let encoded_arn = arns[1].replace(':', "%3A");
    assert!(
        transport
            .requests()
            .iter()
            .any(|r| r.starts_with("GET ")
                && r.ends_with(&format!("/2017-03-31/tags/{encoded_arn}"))),
        "ListTags sends the ARN percent-encoded: {:?}",
        transport.requests()
    );
    passed(
        "Lambda TagResource and ListTags by ARN (a label with ':')",
        format!("{} tagged {tags:?}", arns[1]),
    );

    let updated = ok(
        "UpdateFunctionConfiguration",
        client
            .update_function_configuration()
            .function_name(names[2])
            .description("updated by smithgen's end-to-end test")
            .timeout(30)
            .memory_size(256)
            .environment(
                Environment::builder()
                    .variables("GREETING", "hello")
                    .build(),
            )
            .send()
            .await,
    );
    assert_eq!(updated.function_name(), Some(names[2]));
    assert_eq!(updated.timeout(), Some(30));
    assert_eq!(updated.memory_size(), Some(256));
    assert_eq!(
        updated.description(),
        Some("updated by smithgen's end-to-end test")
    );
    let reread = ok(
        "GetFunction after the update",
        client.get_function().function_name(names[2]).send().await,
    );
    let configuration = reread.configuration().expect("the configuration");
    assert_eq!(configuration.timeout(), Some(30));
    assert_eq!(configuration.memory_size(), Some(256));
    assert_eq!(
        configuration
            .environment()
            .and_then(|e| e.variables())
            .and_then(|v| v.get("GREETING"))
            .map(String::as_str),
        Some("hello")
    );
    passed(
        "Lambda UpdateFunctionConfiguration (PUT to a label's path)",
        "timeout 30 s, 256 MB, an environment variable; GetFunction reads them back",
    );

    for name in names {
        ok(
            "DeleteFunction",
            client.delete_function().function_name(name).send().await,
        );
    }
    let left = ok(
        "ListFunctions after deleting",
        client.list_functions().send().await,
    );
    assert!(left.functions().is_empty(), "{:?}", left.functions());
    passed(
        "Lambda DeleteFunction",
        format!("{} functions deleted", names.len()),
    );

    let err = client
        .get_function()
        .function_name(names[0])
        .send()
        .await
        .expect_err("a deleted function is not found");
    let text = describe(&err);
    let sent = answer(&err);
    match err.into_service_error() {
        GetFunctionError::ResourceNotFoundException(e) => {
            assert!(e.message().is_some_and(|m| m.contains(names[0])), "{e:?}");
            passed(
                "Lambda GetFunction of a deleted function",
                format!("ResourceNotFoundException; moto sent {sent}"),
            );
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}\n{text}"),
    }
}
