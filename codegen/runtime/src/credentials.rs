//! AWS credentials for signing requests.
//!
//! Operations that are signed ([`crate::protocol::AuthMode::SigV4`]) use the
//! [`Credentials`] set with [`crate::config::Builder::credentials`]. When none
//! are set, they are read from the environment each time a request is made:
//!
//! | variable | |
//! | --- | --- |
//! | `AWS_ACCESS_KEY_ID` | required |
//! | `AWS_SECRET_ACCESS_KEY` | required |
//! | `AWS_SESSION_TOKEN` | optional, for temporary credentials |
//!
//! Empty variables count as unset. Unsigned operations
//! ([`crate::protocol::AuthMode::None`]) never look for credentials.

use std::fmt;

/// Environment variable holding the access key id.
pub const ENV_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
/// Environment variable holding the secret access key.
pub const ENV_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
/// Environment variable holding the session token of temporary credentials.
pub const ENV_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";

/// What `Debug` prints in place of a secret.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

/// An access key pair, with the session token of temporary credentials.
///
/// `Debug` shows the access key id only; the secret access key and the
/// session token are printed as `** redacted **`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Creates credentials from an access key pair and, for temporary
    /// credentials, a session token.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token,
        }
    }

    /// Reads credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`
    /// and `AWS_SESSION_TOKEN`. `None` unless both parts of the key pair are
    /// set and non-empty.
    pub fn from_env() -> Option<Self> {
        Self::from_lookup(&crate::config::env_value)
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
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &Redacted)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| Redacted),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors() {
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".to_owned()));
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), Some("TOKEN"));
        assert_eq!(creds.clone(), creds);
        assert_eq!(Credentials::new("a", "b", None).session_token(), None);
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
}
