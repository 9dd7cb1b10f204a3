//! The built-in default credentials chain.
//!
//! [`DefaultCredentialsChain`] tries its sources in order and answers with
//! the first credentials found:
//!
//! 1. **environment**: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, with
//!    `AWS_SESSION_TOKEN` when set;
//! 2. **profile**: the shared config and credentials files (see
//!    [`super::profile`]), static keys or a `credential_process` (see
//!    [`super::process`]);
//! 3. **container**: the ECS/EKS container credentials endpoint (see
//!    [`super::container`]);
//! 4. **instance metadata**: the EC2 instance's role, through IMDSv2 (see
//!    [`super::imds`]).
//!
//! A source that is not set up is skipped, and why is noted. A source that is
//! set up but fails stops the chain with its error. When every source is
//! skipped, the error is [`CredentialsError::CredentialsNotLoaded`] whose
//! source is a [`NoCredentialsFound`] listing each source and why it had
//! nothing.
//!
//! A client with no credentials configured builds one of these with its own
//! transport and timer and caches what it returns. Build one yourself to
//! read another environment or profile:
//!
//! ```
//! use smithgen_runtime::credentials::DefaultCredentialsChain;
//!
//! let chain = DefaultCredentialsChain::builder()
//!     .profile_name("ci")
//!     .env(|name| match name {
//!         "AWS_EC2_METADATA_DISABLED" => Some("true".to_owned()),
//!         other => std::env::var(other).ok(),
//!     })
//!     .build();
//! let config = smithgen_runtime::Config::builder()
//!     .credentials_provider(chain)
//!     .build();
//! # let _ = config;
//! ```

use std::error::Error;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials};

use super::{Credentials, ENV_ACCESS_KEY_ID, ENV_SECRET_ACCESS_KEY};
use crate::http::{HttpClient, HttpRequest, HttpResponse, SharedHttpClient};
use crate::time::{AsyncSleep, SharedAsyncSleep};

/// How the chain reads environment variables: `None` for unset (empty
/// values count as unset).
pub(crate) type Env = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// What one source of the chain came to.
pub(crate) enum Lookup {
    /// Credentials.
    Found(Credentials),
    /// The source is not set up: its name and why.
    Missing { source: String, reason: String },
    /// The source is set up but failed: the chain stops here.
    Failed(CredentialsError),
}

impl Lookup {
    /// A source that is not set up.
    pub(crate) fn missing(source: impl Into<String>, reason: impl Into<String>) -> Self {
        Lookup::Missing {
            source: source.into(),
            reason: reason.into(),
        }
    }
}

/// What the chain needs to reach its sources.
pub(crate) struct Context<'a> {
    pub(crate) env: &'a (dyn Fn(&str) -> Option<String> + Send + Sync),
    pub(crate) http: Option<&'a SharedHttpClient>,
    pub(crate) sleep: &'a dyn AsyncSleep,
}

impl Context<'_> {
    /// The value of environment variable `name`, unless unset or empty
    /// (surrounding whitespace trimmed).
    pub(crate) fn var(&self, name: &str) -> Option<String> {
        let value = (self.env)(name)?;
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_owned())
    }
}

/// Why the container and instance metadata sources are skipped without a
/// transport.
pub(crate) const NO_HTTP_CLIENT: &str = "no HTTP client to reach it (enable smithgen-runtime's \
                                         `default-client` feature or configure one)";

/// How a request of the container or instance metadata source failed.
#[derive(Debug)]
pub(crate) enum SendError {
    /// No answer within the time limit.
    TimedOut(Duration),
    /// The transport failed: the error and its sources.
    Transport(String),
}

impl fmt::Display for SendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendError::TimedOut(limit) => write!(f, "no answer within {limit:?}"),
            SendError::Transport(err) => f.write_str(err),
        }
    }
}

/// Sends `request` through `http`, waiting at most `limit` for the answer.
pub(crate) async fn send(
    http: &SharedHttpClient,
    sleep: &dyn AsyncSleep,
    request: HttpRequest,
    limit: Duration,
) -> Result<HttpResponse, SendError> {
    match crate::time::timeout(sleep, limit, http.send(request)).await {
        Err(()) => Err(SendError::TimedOut(limit)),
        Ok(Err(err)) if err.is_timeout() => Err(SendError::TimedOut(limit)),
        Ok(Err(err)) => Err(SendError::Transport(error_chain(&err))),
        Ok(Ok(response)) => Ok(response),
    }
}

/// `err` and its sources, joined by `: `, each said once.
pub(crate) fn error_chain(err: &dyn Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(err) = source {
        let next = err.to_string();
        if !text.ends_with(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = err.source();
    }
    text
}

/// A short, one-line excerpt of a response body for an error message.
pub(crate) fn body_excerpt(body: &[u8]) -> String {
    const LIMIT: usize = 200;
    let text = String::from_utf8_lossy(&body[..body.len().min(LIMIT)]);
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = text.trim();
    if body.len() > LIMIT {
        format!("{text}…")
    } else {
        text.to_owned()
    }
}

/// Every source of the chain had nothing: each one's name and why.
///
/// `Display` lists them: `environment: AWS_ACCESS_KEY_ID is not set; profile
/// `default`: …; container: …; instance metadata: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoCredentialsFound {
    tried: Vec<(String, String)>,
}

impl NoCredentialsFound {
    /// Each source tried, with why it had no credentials, in order.
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.tried
            .iter()
            .map(|(source, reason)| (source.as_str(), reason.as_str()))
    }
}

impl fmt::Display for NoCredentialsFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, (source, reason)) in self.tried.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{source}: {reason}")?;
        }
        Ok(())
    }
}

impl Error for NoCredentialsFound {}

/// The built-in default credentials chain. See the [module documentation](self).
#[derive(Clone)]
pub struct DefaultCredentialsChain {
    env: Env,
    http: Option<SharedHttpClient>,
    sleep: SharedAsyncSleep,
    profile_name: Option<String>,
}

impl fmt::Debug for DefaultCredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChain")
            .field("http", &self.http)
            .field("sleep", &self.sleep)
            .field("profile_name", &self.profile_name)
            .finish_non_exhaustive()
    }
}

impl DefaultCredentialsChain {
    /// Starts building a chain that reads the process's environment and
    /// sends through the default transport (if the runtime has one).
    pub fn builder() -> DefaultCredentialsChainBuilder {
        DefaultCredentialsChainBuilder::default()
    }

    /// Tries each source in turn. See the [module documentation](self).
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let context = Context {
            env: &*self.env,
            http: self.http.as_ref(),
            sleep: &*self.sleep,
        };
        let mut tried = Vec::new();
        for step in 0..4 {
            let lookup = match step {
                0 => environment(&context),
                1 => super::profile::credentials(&context, self.profile_name.as_deref()).await,
                2 => super::container::credentials(&context).await,
                _ => super::imds::credentials(&context).await,
            };
            match lookup {
                Lookup::Found(credentials) => return Ok(credentials),
                Lookup::Failed(err) => return Err(err),
                Lookup::Missing { source, reason } => tried.push((source, reason)),
            }
        }
        Err(CredentialsError::not_loaded(NoCredentialsFound { tried }))
    }
}

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move { self.credentials().await.map(Into::into) })
    }
}

/// Builder for [`DefaultCredentialsChain`].
#[derive(Clone, Default)]
pub struct DefaultCredentialsChainBuilder {
    env: Option<Env>,
    http: Option<Option<SharedHttpClient>>,
    sleep: Option<SharedAsyncSleep>,
    profile_name: Option<String>,
}

impl fmt::Debug for DefaultCredentialsChainBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultCredentialsChainBuilder")
            .field("http", &self.http)
            .field("sleep", &self.sleep)
            .field("profile_name", &self.profile_name)
            .finish_non_exhaustive()
    }
}

impl DefaultCredentialsChainBuilder {
    /// Reads environment variables with `env` instead of from the process
    /// (`None` for unset). Also the home directory (`HOME`, or `USERPROFILE`
    /// on Windows) comes from it.
    pub fn env(mut self, env: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        self.env = Some(Arc::new(env));
        self
    }

    /// Reaches the container endpoint and instance metadata through `http`.
    pub fn http_client(mut self, http: impl HttpClient) -> Self {
        self.http = Some(Some(Arc::new(http)));
        self
    }

    /// Sets the transport, or with `None` leaves the chain without one (the
    /// container and instance metadata sources are then skipped).
    pub fn set_http_client(mut self, http: Option<SharedHttpClient>) -> Self {
        self.http = Some(http);
        self
    }

    /// The timer that enforces the time limits of the container and
    /// instance metadata requests.
    pub fn sleep_impl(mut self, sleep: impl AsyncSleep) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// Sets the timer.
    pub fn set_sleep_impl(mut self, sleep: SharedAsyncSleep) -> Self {
        self.sleep = Some(sleep);
        self
    }

    /// Reads this profile of the shared files instead of `AWS_PROFILE`'s
    /// (or `default`).
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// Builds the chain.
    pub fn build(self) -> DefaultCredentialsChain {
        DefaultCredentialsChain {
            env: self
                .env
                .unwrap_or_else(|| Arc::new(|name: &str| std::env::var(name).ok())),
            http: self.http.unwrap_or_else(crate::http::default_http_client),
            sleep: self.sleep.unwrap_or_else(crate::time::default_async_sleep),
            profile_name: self.profile_name,
        }
    }
}

/// The environment source.
fn environment(context: &Context<'_>) -> Lookup {
    const SOURCE: &str = "environment";
    match Credentials::from_lookup(&|name| context.var(name)) {
        Some(credentials) => Lookup::Found(credentials),
        None if context.var(ENV_ACCESS_KEY_ID).is_some() => Lookup::missing(
            SOURCE,
            format!("{ENV_ACCESS_KEY_ID} is set but {ENV_SECRET_ACCESS_KEY} is not"),
        ),
        None => Lookup::missing(SOURCE, format!("{ENV_ACCESS_KEY_ID} is not set")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{block_on, env};

    fn chain(pairs: &[(&str, &str)]) -> DefaultCredentialsChain {
        DefaultCredentialsChain::builder()
            .env(env(pairs))
            .set_http_client(None)
            .build()
    }

    #[test]
    fn environment_comes_first() {
        let creds = block_on(
            chain(&[
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", "SECRET"),
                ("AWS_SESSION_TOKEN", "TOKEN"),
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/"),
            ])
            .credentials(),
        )
        .expect("from the environment");
        assert_eq!(
            creds,
            Credentials::new("AKID", "SECRET", Some("TOKEN".to_owned()))
        );
    }

    #[test]
    fn every_source_is_listed_when_none_has_credentials() {
        let err = block_on(
            chain(&[
                ("HOME", "/nonexistent/smithgen-home"),
                ("AWS_PROFILE", "dev"),
                ("AWS_SECRET_ACCESS_KEY", "half-a-pair"),
            ])
            .credentials(),
        )
        .expect_err("nothing anywhere");
        assert!(matches!(err, CredentialsError::CredentialsNotLoaded(_)));
        let report = err
            .source()
            .and_then(|source| source.downcast_ref::<NoCredentialsFound>())
            .expect("a report");
        let sources: Vec<_> = report.sources().map(|(source, _)| source).collect();
        assert_eq!(
            sources,
            [
                "environment",
                "profile `dev`",
                "container",
                "instance metadata"
            ]
        );
        let text = report.to_string();
        assert_eq!(
            text,
            "environment: AWS_ACCESS_KEY_ID is not set; \
             profile `dev`: no such section in /nonexistent/smithgen-home/.aws/credentials \
             (no such file) or /nonexistent/smithgen-home/.aws/config (no such file); \
             container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor \
             AWS_CONTAINER_CREDENTIALS_FULL_URI is set; \
             instance metadata: no HTTP client to reach it (enable smithgen-runtime's \
             `default-client` feature or configure one)"
        );
        assert!(!text.contains("half-a-pair"));
    }

    #[test]
    fn half_a_key_pair_is_reported() {
        let err = block_on(
            chain(&[
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_EC2_METADATA_DISABLED", "true"),
            ])
            .credentials(),
        )
        .expect_err("no secret");
        let text = err.source().expect("a report").to_string();
        assert!(
            text.starts_with(
                "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; "
            ),
            "{text}"
        );
        assert!(
            text.ends_with("instance metadata: disabled by AWS_EC2_METADATA_DISABLED"),
            "{text}"
        );
    }

    #[test]
    fn debug_shows_no_environment() {
        let chain = chain(&[("AWS_SECRET_ACCESS_KEY", "SECRET")]);
        let debug = format!("{chain:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(debug.starts_with("DefaultCredentialsChain"), "{debug}");
    }
}
