//! AWS credentials for signing requests, and where they come from.
//!
//! Operations that are signed ([`crate::spec::AuthMode::SigV4`]) take
//! their [`Credentials`] from the first of these that is set:
//!
//! 1. static credentials, [`crate::config::Builder::credentials`], used as
//!    they are;
//! 2. a credentials provider, [`crate::config::Builder::credentials_provider`]:
//!    anything implementing [`ProvideCredentials`] from the
//!    `aws-credential-types` crate, so `aws-config`'s providers (its whole
//!    default chain, SSO, assumed roles, web identity) plug in unchanged;
//! 3. the built-in default chain, [`DefaultCredentialsChain`], which tries in
//!    order:
//!
//! | source | where | module |
//! | --- | --- | --- |
//! | environment | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` | this one |
//! | shared config and credentials files | the profile `AWS_PROFILE` (else `default`) of `~/.aws/credentials` and `~/.aws/config`: static keys or `credential_process` | [`profile`], [`process`] |
//! | ECS/EKS container credentials | `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `AWS_CONTAINER_CREDENTIALS_FULL_URI` | [`container`] |
//! | EC2 instance metadata (IMDSv2) | `http://169.254.169.254`, unless `AWS_EC2_METADATA_DISABLED=true` | [`imds`] |
//!
//! The chain stops at the first source that has credentials. A source that
//! is not set up (no such variable, no such profile) is skipped; a source
//! that is set up but fails (a `credential_process` that exits non-zero, a
//! container endpoint that answers 500, malformed JSON) stops the chain with
//! its error. Container and instance metadata requests go through the
//! client's [`crate::http::HttpClient`] (the configured one, else the
//! default); without one, those two sources are skipped.
//!
//! Sources the chain does not cover (IAM Identity Center/SSO, `role_arn`
//! profiles that assume a role, web identity tokens, `credential_source`)
//! are reported as errors that say so: use `aws-config` for them and hand its
//! provider to [`crate::config::Builder::credentials_provider`].
//!
//! # Caching
//!
//! Credentials from a provider or from the default chain are cached by the
//! client (clones of a client share the cache):
//!
//! * credentials with an expiry are fetched anew ahead of it: when less than
//!   five minutes (or half of the lifetime they were fetched with, if that is
//!   shorter) remain;
//! * credentials without an expiry are fetched anew every fifteen minutes
//!   (so that rotated keys in a profile file are picked up);
//! * a request never signs with expired credentials: when the cached ones
//!   have expired, it waits for new ones, and fails if there are none;
//! * when a refresh ahead of expiry fails, the cached credentials are used
//!   while they stay valid, and the next refresh is tried 30 seconds later;
//! * refreshes are single flight: requests that need new credentials at the
//!   same time wait for one provider call and share its outcome.
//!
//! The time is read from the client's [`crate::time::TimeSource`].
//!
//! # Errors
//!
//! When no credentials can be had, a signed operation fails with
//! [`crate::error::SdkError::ConstructionFailure`] before anything is sent.
//! When the default chain found none, the message lists every source tried
//! and why each had nothing, e.g. `environment: AWS_ACCESS_KEY_ID is not set;
//! profile `dev`: no such section in /home/u/.aws/credentials or
//! /home/u/.aws/config; container: neither
//! AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI
//! is set; instance metadata: disabled by AWS_EC2_METADATA_DISABLED`.
//!
//! Secret access keys, session tokens and container authorization tokens
//! never appear in `Debug` output or in error messages.
//!
//! Unsigned operations ([`crate::spec::AuthMode::None`]) never look for
//! credentials.

use std::fmt;
use std::time::SystemTime;

use serde_json::Value;

mod cache;
pub mod chain;
pub mod container;
pub mod imds;
pub mod process;
pub mod profile;

pub(crate) use cache::CredentialsCache;
pub use chain::{DefaultCredentialsChain, NoCredentialsFound};

/// The provider interface of the `aws-credential-types` crate, which
/// `aws-config`'s providers implement: [`ProvideCredentials`],
/// [`SharedCredentialsProvider`], their futures and errors.
pub use aws_credential_types::provider;
pub use aws_credential_types::provider::error::CredentialsError;
pub use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};

/// Environment variable holding the access key id.
pub const ENV_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
/// Environment variable holding the secret access key.
pub const ENV_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
/// Environment variable holding the session token of temporary credentials.
pub const ENV_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";

/// The name credentials handed to `aws-credential-types` carry as their
/// provider's.
const PROVIDER_NAME: &str = "smithgen";

/// What `Debug` prints in place of a secret.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// A time printed as an RFC 3339 date-time (`2023-11-14T22:13:20Z`) by
/// both `Display` and `Debug`.
#[derive(Clone, Copy)]
pub(crate) struct Timestamp(pub(crate) SystemTime);

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&aws_smithy_types::DateTime::from(self.0), f)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// An access key pair, with the session token and the expiry of temporary
/// credentials.
///
/// `Debug` shows the access key id (and the expiry, when there is one) only;
/// the secret access key and the session token are printed as
/// `** redacted **`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Creates credentials from an access key pair and, for temporary
    /// credentials, a session token. They do not expire; see
    /// [`Credentials::with_expiry`].
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
            expiry: None,
        }
    }

    /// The same credentials, expiring at `expiry`.
    pub fn with_expiry(mut self, expiry: SystemTime) -> Self {
        self.expiry = Some(expiry);
        self
    }

    /// Reads credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`
    /// and `AWS_SESSION_TOKEN`. `None` unless both parts of the key pair are
    /// set and non-empty.
    pub fn from_env() -> Option<Self> {
        Self::from_lookup(&crate::env::value)
    }

    /// [`Credentials::from_env`] over any variable lookup.
    pub(crate) fn from_lookup(lookup: &dyn Fn(&str) -> Option<String>) -> Option<Self> {
        let access_key_id = lookup(ENV_ACCESS_KEY_ID)?;
        let secret_access_key = lookup(ENV_SECRET_ACCESS_KEY)?;
        Some(Self::new(
            access_key_id,
            secret_access_key,
            lookup(ENV_SESSION_TOKEN),
        ))
    }

    /// The access key id, e.g. `AKIAIOSFODNN7EXAMPLE`.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// When temporary credentials stop being valid; `None` for credentials
    /// that do not expire.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Credentials");
        debug
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &Redacted)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| Redacted),
            );
        if let Some(expiry) = &self.expiry {
            debug.field("expiry", &Timestamp(*expiry));
        }
        debug.finish()
    }
}

impl From<aws_credential_types::Credentials> for Credentials {
    fn from(credentials: aws_credential_types::Credentials) -> Self {
        Self::from(&credentials)
    }
}

impl From<&aws_credential_types::Credentials> for Credentials {
    fn from(credentials: &aws_credential_types::Credentials) -> Self {
        Self {
            access_key_id: credentials.access_key_id().to_owned(),
            secret_access_key: credentials.secret_access_key().to_owned(),
            session_token: credentials.session_token().map(str::to_owned),
            expiry: credentials.expiry(),
        }
    }
}

impl From<&Credentials> for aws_credential_types::Credentials {
    fn from(credentials: &Credentials) -> Self {
        aws_credential_types::Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            credentials.session_token().map(str::to_owned),
            credentials.expiry(),
            PROVIDER_NAME,
        )
    }
}

impl From<Credentials> for aws_credential_types::Credentials {
    fn from(credentials: Credentials) -> Self {
        Self::from(&credentials)
    }
}

/// Static credentials are a provider that always answers with them.
impl ProvideCredentials for Credentials {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::ready(Ok(self.into()))
    }
}

/// Reads credentials from the JSON document `body`, as the container
/// endpoint, instance metadata and `credential_process` write them:
/// `AccessKeyId`, `SecretAccessKey`, the session token under `token_key`
/// (`Token` or `SessionToken`, optional) and `Expiration` (RFC 3339,
/// optional).
///
/// Error messages never quote the document: only its structure and the
/// expiration, which is no secret, are described.
pub(crate) fn parse_json_credentials(body: &[u8], token_key: &str) -> Result<Credentials, String> {
    let document: Value =
        serde_json::from_slice(body).map_err(|err| format!("the answer is not JSON: {err}"))?;
    let Some(object) = document.as_object() else {
        return Err("the answer is not a JSON object".to_owned());
    };
    let string = |key: &str| -> Result<Option<&str>, String> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(value)) => Ok(Some(value.as_str())),
            Some(_) => Err(format!("`{key}` is not a string")),
        }
    };
    let required = |key: &str| -> Result<&str, String> {
        match string(key)? {
            Some(value) if !value.is_empty() => Ok(value),
            _ => Err(format!("`{key}` is missing")),
        }
    };
    let access_key_id = required("AccessKeyId")?;
    let secret_access_key = required("SecretAccessKey")?;
    let session_token = string(token_key)?.filter(|token| !token.is_empty());
    let mut credentials = Credentials::new(
        access_key_id,
        secret_access_key,
        session_token.map(str::to_owned),
    );
    if let Some(expiration) = string("Expiration")? {
        credentials = credentials.with_expiry(parse_expiration(expiration)?);
    }
    Ok(credentials)
}

/// An RFC 3339 date-time (`2024-05-01T12:00:00Z`, or with an offset).
fn parse_expiration(text: &str) -> Result<SystemTime, String> {
    use aws_smithy_types::date_time::{DateTime, Format};
    DateTime::from_str(text, Format::DateTimeWithOffset)
        .ok()
        .and_then(|date| SystemTime::try_from(date).ok())
        .ok_or_else(|| format!("`Expiration` {text:?} is not an RFC 3339 date-time"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn accessors() {
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".to_owned()));
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), Some("TOKEN"));
        assert_eq!(creds.expiry(), None);
        assert_eq!(creds.clone(), creds);
        assert_eq!(Credentials::new("a", "b", None).session_token(), None);
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(creds.clone().with_expiry(at).expiry(), Some(at));
        assert_ne!(creds.clone().with_expiry(at), creds);
    }

    #[test]
    fn debug_redacts_secrets() {
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("session-token-value".to_owned()),
        );
        let debug = format!("{creds:?}");
        assert_eq!(
            debug,
            "Credentials { access_key_id: \"AKIDEXAMPLE\", secret_access_key: ** redacted **, \
             session_token: Some(** redacted **) }"
        );
        let pretty = format!("{creds:#?}");
        assert!(!pretty.contains("wJalrXUtnFEMI"), "{pretty}");
        assert!(!pretty.contains("session-token-value"), "{pretty}");

        let debug = format!("{:?}", Credentials::new("AKID", "SECRET", None));
        assert!(debug.contains("session_token: None"), "{debug}");
        assert!(!debug.contains("SECRET"), "{debug}");

        // The expiry is shown, as a date.
        let expiring = creds.with_expiry(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        let debug = format!("{expiring:?}");
        assert!(debug.contains("expiry: 2023-11-14T22:13:20Z"), "{debug}");
        assert!(!debug.contains("wJalrXUtnFEMI"), "{debug}");
        assert!(!debug.contains("session-token-value"), "{debug}");
    }

    #[test]
    fn from_lookup_needs_both_keys() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| (*value).to_owned())
            }
        };
        let creds = Credentials::from_lookup(&env(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ]))
        .expect("complete");
        assert_eq!(
            creds,
            Credentials::new("AKID", "SECRET", Some("TOKEN".to_owned()))
        );

        let creds = Credentials::from_lookup(&env(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
        ]))
        .expect("no token");
        assert_eq!(creds.session_token(), None);

        assert!(Credentials::from_lookup(&env(&[("AWS_ACCESS_KEY_ID", "AKID")])).is_none());
        assert!(Credentials::from_lookup(&env(&[("AWS_SECRET_ACCESS_KEY", "S")])).is_none());
        assert!(Credentials::from_lookup(&env(&[])).is_none());
    }

    #[test]
    fn converts_to_and_from_aws_credential_types() {
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let ours = Credentials::new("AKID", "SECRET", Some("TOKEN".to_owned())).with_expiry(at);
        let theirs = aws_credential_types::Credentials::from(&ours);
        assert_eq!(theirs.access_key_id(), "AKID");
        assert_eq!(theirs.secret_access_key(), "SECRET");
        assert_eq!(theirs.session_token(), Some("TOKEN"));
        assert_eq!(theirs.expiry(), Some(at));
        assert_eq!(Credentials::from(theirs), ours);
    }

    #[test]
    fn static_credentials_are_a_provider() {
        let creds = Credentials::new("AKID", "SECRET", None);
        let provided = crate::test_support::block_on(creds.provide_credentials()).expect("ready");
        assert_eq!(Credentials::from(provided), creds);
    }

    #[test]
    fn json_credentials() {
        let creds = parse_json_credentials(
            br#"{"AccessKeyId":"AKID","SecretAccessKey":"SECRET","Token":"TOKEN",
                "Expiration":"2023-11-14T22:13:20Z","RoleArn":"arn:aws:iam::1:role/r"}"#,
            "Token",
        )
        .expect("valid");
        assert_eq!(
            creds,
            Credentials::new("AKID", "SECRET", Some("TOKEN".to_owned()))
                .with_expiry(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        // Offsets are accepted; the token and the expiration are optional.
        let creds = parse_json_credentials(
            br#"{"AccessKeyId":"A","SecretAccessKey":"S","SessionToken":"T",
                "Expiration":"2023-11-14T23:13:20+01:00"}"#,
            "SessionToken",
        )
        .expect("valid");
        assert_eq!(creds.session_token(), Some("T"));
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        let creds =
            parse_json_credentials(br#"{"AccessKeyId":"A","SecretAccessKey":"S"}"#, "Token")
                .expect("valid");
        assert_eq!((creds.session_token(), creds.expiry()), (None, None));
    }

    #[test]
    fn json_errors_never_quote_the_secrets() {
        for (body, expected) in [
            (&b"not json SECRETVALUE"[..], "not JSON"),
            (b"[\"SECRETVALUE\"]", "not a JSON object"),
            (
                br#"{"SecretAccessKey":"SECRETVALUE"}"#,
                "`AccessKeyId` is missing",
            ),
            (br#"{"AccessKeyId":"A"}"#, "`SecretAccessKey` is missing"),
            (
                br#"{"AccessKeyId":"A","SecretAccessKey":"SECRETVALUE","Token":7}"#,
                "`Token` is not a string",
            ),
            (
                br#"{"AccessKeyId":"A","SecretAccessKey":"SECRETVALUE","Expiration":"soon"}"#,
                "`Expiration` \"soon\" is not an RFC 3339 date-time",
            ),
            (
                br#"{"AccessKeyId":"A","SecretAccessKey":"SECRETVALUE""#,
                "not JSON",
            ),
        ] {
            let err = parse_json_credentials(body, "Token").unwrap_err();
            assert!(err.contains(expected), "{err}");
            assert!(!err.contains("SECRETVALUE"), "{err}");
        }
    }
}
