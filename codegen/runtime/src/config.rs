//! Client configuration.
//!
//! [`Config`] holds exactly what was set on its [`Builder`]. Fields are
//! private and reached through accessors so that new settings can be added
//! without breaking callers.
//!
//! Settings left unset fall back to:
//!
//! | setting | fallback |
//! | --- | --- |
//! | region | `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region` in `~/.aws/config` / `~/.aws/credentials`, then EC2 instance metadata (see [`crate::region`]) |
//! | endpoint URL | `AWS_ENDPOINT_URL` (its path is kept), else the region's endpoint |
//! | FIPS, dual-stack | `AWS_USE_FIPS_ENDPOINT`, `AWS_USE_DUALSTACK_ENDPOINT` (`true` turns them on), else off |
//! | credentials | a credentials provider if one is set, else the default chain: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, the profile (static keys or `credential_process`), ECS/EKS container credentials, EC2 instance metadata; cached and refreshed ahead of expiry (see [`crate::credentials`]) |
//! | bearer token (operations with `smithy.api#httpBearerAuth`) | a token provider if one is set, else the service's environment variable if it has one (`AWS_BEARER_TOKEN_BEDROCK` for Bedrock), else none (see [`crate::token`]) |
//! | retry config | [`RetryConfig::standard`] |
//! | timeout config | no time limits ([`TimeoutConfig::new`]) |
//! | HTTP client | [`crate::http::default_http_client`] |
//! | sleep implementation | [`crate::time::default_async_sleep`] |
//! | time source | [`crate::time::SystemTimeSource`] |
//! | idempotency tokens | a random UUID for each (see [`crate::idempotency`]) |
//!
//! The region (from the environment or the profile), endpoint URL, FIPS and
//! dual-stack variables are read once, when a client is created
//! ([`crate::client::Handle::new`], which a generated `Client::from_conf`
//! calls): a client created before they change keeps what it read. The
//! region from instance metadata is asked on the first request that needs
//! it, once. Credentials are looked for when a signed request is first made
//! and whenever the cached ones are due for a refresh. Empty variables are
//! ignored. `Debug` output never shows the secret access key, the session
//! token or a bearer token.

use std::borrow::Cow;
use std::sync::Arc;

use crate::credentials::{Credentials, ProvideCredentials, SharedCredentialsProvider};
use crate::http::{HttpClient, SharedHttpClient};
use crate::idempotency::IdempotencyTokenProvider;
use crate::retry::RetryConfig;
use crate::time::{AsyncSleep, SharedAsyncSleep, SharedTimeSource, TimeSource};
use crate::timeout::TimeoutConfig;
use crate::token::{ProvideToken, SharedTokenProvider};

pub use crate::token::Token;

pub use crate::region::{ENV_DEFAULT_REGION, ENV_REGION};
/// Environment variable holding the endpoint URL.
pub const ENV_ENDPOINT_URL: &str = "AWS_ENDPOINT_URL";
/// Environment variable asking for FIPS endpoints (`true`).
pub const ENV_USE_FIPS: &str = "AWS_USE_FIPS_ENDPOINT";
/// Environment variable asking for dual-stack endpoints (`true`).
pub const ENV_USE_DUAL_STACK: &str = "AWS_USE_DUALSTACK_ENDPOINT";

pub(crate) use crate::env::value as env_value;

/// What endpoint resolution reads of the configuration and the
/// environment: the configured settings, with those left unset taken from
/// the environment. A client reads this once, when it is created.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EndpointSettings {
    pub(crate) region: Option<String>,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
}

/// The configuration of an SDK client.
#[derive(Clone, Debug, Default)]
pub struct Config {
    region: Option<String>,
    endpoint_url: Option<String>,
    http_client: Option<SharedHttpClient>,
    credentials: Option<Credentials>,
    credentials_provider: Option<SharedCredentialsProvider>,
    bearer_token: Option<Token>,
    token_provider: Option<SharedTokenProvider>,
    retry_config: Option<RetryConfig>,
    timeout_config: Option<TimeoutConfig>,
    sleep_impl: Option<SharedAsyncSleep>,
    time_source: Option<SharedTimeSource>,
    disable_request_compression: bool,
    request_min_compression_size_bytes: Option<u32>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    account_id: Option<String>,
    account_id_endpoint_mode: Option<String>,
    idempotency_token_provider: Option<IdempotencyTokenProvider>,
}

/// Bodies smaller than this are sent uncompressed, as AWS SDKs do by default.
pub const DEFAULT_MIN_COMPRESSION_SIZE_BYTES: u32 = 10_240;

impl Config {
    /// Whether FIPS endpoints were asked for, as configured.
    pub fn use_fips(&self) -> Option<bool> {
        self.use_fips
    }

    /// Whether dual-stack (IPv6) endpoints were asked for, as configured.
    pub fn use_dual_stack(&self) -> Option<bool> {
        self.use_dual_stack
    }

    /// The account id for account-based endpoints.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }

    /// `preferred`, `required` or `disabled`: whether account-based endpoints are used.
    pub fn account_id_endpoint_mode(&self) -> Option<&str> {
        self.account_id_endpoint_mode.as_deref()
    }

    /// FIPS: the configured value, else `AWS_USE_FIPS_ENDPOINT`, else false.
    pub(crate) fn resolve_use_fips(&self, lookup: &dyn Fn(&str) -> Option<String>) -> bool {
        self.use_fips
            .or_else(|| lookup(ENV_USE_FIPS).map(|v| v.eq_ignore_ascii_case("true")))
            .unwrap_or(false)
    }

    /// Dual-stack: the configured value, else `AWS_USE_DUALSTACK_ENDPOINT`, else false.
    pub(crate) fn resolve_use_dual_stack(&self, lookup: &dyn Fn(&str) -> Option<String>) -> bool {
        self.use_dual_stack
            .or_else(|| lookup(ENV_USE_DUAL_STACK).map(|v| v.eq_ignore_ascii_case("true")))
            .unwrap_or(false)
    }

    /// Whether request compression is turned off.
    pub fn disable_request_compression(&self) -> bool {
        self.disable_request_compression
    }

    /// The smallest body compressed for operations that support compression.
    pub fn request_min_compression_size_bytes(&self) -> u32 {
        self.request_min_compression_size_bytes
            .unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE_BYTES)
    }

    /// Starts building a configuration.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The region requests are sent to, e.g. `us-east-1`, as configured
    /// (the environment is not consulted here).
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint that overrides the region's default one, as configured
    /// (the environment is not consulted here).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The configured transport, if any.
    pub fn http_client(&self) -> Option<SharedHttpClient> {
        self.http_client.clone()
    }

    /// The configured static credentials, if any (the environment is not
    /// consulted here).
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// The configured credentials provider, if any.
    pub fn credentials_provider(&self) -> Option<SharedCredentialsProvider> {
        self.credentials_provider.clone()
    }

    /// The configured static bearer token, if any (the environment is not
    /// consulted here).
    pub fn bearer_token(&self) -> Option<&Token> {
        self.bearer_token.as_ref()
    }

    /// The configured bearer token provider, if any.
    pub fn token_provider(&self) -> Option<SharedTokenProvider> {
        self.token_provider.clone()
    }

    /// The configured retry behaviour; `None` means [`RetryConfig::standard`].
    pub fn retry_config(&self) -> Option<&RetryConfig> {
        self.retry_config.as_ref()
    }

    /// The configured time limits; `None` means no limits.
    pub fn timeout_config(&self) -> Option<&TimeoutConfig> {
        self.timeout_config.as_ref()
    }

    /// The configured timer, if any.
    pub fn sleep_impl(&self) -> Option<SharedAsyncSleep> {
        self.sleep_impl.clone()
    }

    /// The configured clock, if any.
    pub fn time_source(&self) -> Option<SharedTimeSource> {
        self.time_source.clone()
    }

    /// What gives `@idempotencyToken` members left unset their token, as
    /// configured.
    pub fn idempotency_token_provider(&self) -> Option<&IdempotencyTokenProvider> {
        self.idempotency_token_provider.as_ref()
    }

    /// A token for an `@idempotencyToken` member left unset: from the
    /// configured provider, else a random UUID.
    pub fn idempotency_token(&self) -> String {
        match &self.idempotency_token_provider {
            Some(provider) => provider.make_token(),
            None => IdempotencyTokenProvider::random().make_token(),
        }
    }

    /// A builder holding this configuration, to derive a modified copy.
    pub fn to_builder(&self) -> Builder {
        Builder {
            config: self.clone(),
        }
    }

    /// The region: the configured one, else `AWS_REGION`, else
    /// `AWS_DEFAULT_REGION`, else the profile's, as read by `lookup` (see
    /// [`crate::region`]; instance metadata is not asked here).
    pub(crate) fn resolve_region(
        &self,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Option<Cow<'_, str>> {
        match &self.region {
            Some(region) => Some(Cow::Borrowed(region)),
            None => crate::region::from_environment_or_profile(lookup).map(Cow::Owned),
        }
    }

    /// The endpoint URL: the configured one, else `AWS_ENDPOINT_URL`.
    pub(crate) fn resolve_endpoint_url(
        &self,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Option<Cow<'_, str>> {
        match &self.endpoint_url {
            Some(url) => Some(Cow::Borrowed(url)),
            None => lookup(ENV_ENDPOINT_URL).map(Cow::Owned),
        }
    }

    /// The endpoint settings, the environment (as read by `lookup`) filling
    /// in those left unset.
    pub(crate) fn endpoint_settings(
        &self,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> EndpointSettings {
        EndpointSettings {
            region: self.resolve_region(lookup).map(Cow::into_owned),
            endpoint_url: self.resolve_endpoint_url(lookup).map(Cow::into_owned),
            use_fips: self.resolve_use_fips(lookup),
            use_dual_stack: self.resolve_use_dual_stack(lookup),
        }
    }
}

/// Builder for [`Config`]: the configuration being built, changed by each
/// setter.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    config: Config,
}

impl Builder {
    /// Asks for FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.config.use_fips = Some(use_fips);
        self
    }

    /// Asks for dual-stack (IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.config.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Sets the account id used by account-based endpoints.
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.config.account_id = Some(account_id.into());
        self
    }

    /// Sets the account id endpoint mode: `preferred`, `required` or `disabled`.
    pub fn account_id_endpoint_mode(mut self, mode: impl Into<String>) -> Self {
        self.config.account_id_endpoint_mode = Some(mode.into());
        self
    }

    /// Sets what gives `@idempotencyToken` members left unset their token
    /// (by default a random UUID each; tests fix it).
    pub fn idempotency_token_provider(mut self, provider: IdempotencyTokenProvider) -> Self {
        self.config.idempotency_token_provider = Some(provider);
        self
    }

    /// Turns request compression off (or back on). Compression also needs the
    /// runtime's `gzip` feature (see
    /// [`OperationSpec::request_compression`](crate::spec::OperationSpec::request_compression)).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.config.disable_request_compression = disable;
        self
    }

    /// Sets the smallest body (in bytes) that is compressed; at most 10 MiB.
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.config.request_min_compression_size_bytes = Some(bytes.min(10_485_760));
        self
    }

    /// Sets the region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.config.region = Some(region.into());
        self
    }

    /// Sets or clears the region.
    pub fn set_region(&mut self, region: Option<String>) -> &mut Self {
        self.config.region = region;
        self
    }

    /// Sets the endpoint, e.g. `http://localhost:8000`. Requests go to this
    /// URL, path included, instead of the region's default endpoint.
    pub fn endpoint_url(mut self, endpoint_url: impl Into<String>) -> Self {
        self.config.endpoint_url = Some(endpoint_url.into());
        self
    }

    /// Sets or clears the endpoint.
    pub fn set_endpoint_url(&mut self, endpoint_url: Option<String>) -> &mut Self {
        self.config.endpoint_url = endpoint_url;
        self
    }

    /// Sets the transport.
    pub fn http_client(mut self, http_client: impl HttpClient) -> Self {
        self.config.http_client = Some(Arc::new(http_client));
        self
    }

    /// Sets or clears the transport.
    pub fn set_http_client(&mut self, http_client: Option<SharedHttpClient>) -> &mut Self {
        self.config.http_client = http_client;
        self
    }

    /// Sets the credentials signed requests are signed with, used as they
    /// are. Replaces a credentials provider set before.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.set_credentials(Some(credentials));
        self
    }

    /// Sets or clears the static credentials. Setting them clears a
    /// credentials provider set before.
    pub fn set_credentials(&mut self, credentials: Option<Credentials>) -> &mut Self {
        if credentials.is_some() {
            self.config.credentials_provider = None;
        }
        self.config.credentials = credentials;
        self
    }

    /// Sets where credentials come from: any implementation of
    /// [`ProvideCredentials`], such as one of `aws-config`'s providers
    /// (`aws_config::default_provider::credentials::DefaultCredentialsChain`,
    /// SSO, assumed roles, web identity) or
    /// [`crate::credentials::DefaultCredentialsChain`]. What it returns is
    /// cached, and fetched anew ahead of its expiry (see
    /// [`crate::credentials`]). Replaces static credentials set before.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.set_credentials_provider(Some(SharedCredentialsProvider::new(provider)));
        self
    }

    /// Sets or clears the credentials provider. Setting one clears static
    /// credentials set before.
    pub fn set_credentials_provider(
        &mut self,
        provider: Option<SharedCredentialsProvider>,
    ) -> &mut Self {
        if provider.is_some() {
            self.config.credentials = None;
        }
        self.config.credentials_provider = provider;
        self
    }

    /// Sets the bearer token operations that accept one
    /// (`smithy.api#httpBearerAuth`) send, used as it is. Replaces a token
    /// provider set before. See [`crate::token`].
    pub fn bearer_token(mut self, token: Token) -> Self {
        self.set_bearer_token(Some(token));
        self
    }

    /// Sets or clears the static bearer token. Setting one clears a token
    /// provider set before.
    pub fn set_bearer_token(&mut self, token: Option<Token>) -> &mut Self {
        if token.is_some() {
            self.config.token_provider = None;
        }
        self.config.bearer_token = token;
        self
    }

    /// Sets where bearer tokens come from: any implementation of
    /// [`ProvideToken`], such as one of `aws-config`'s token providers. It
    /// is asked for each request that uses a token. Replaces a static token
    /// set before. See [`crate::token`].
    pub fn token_provider(mut self, provider: impl ProvideToken + 'static) -> Self {
        self.set_token_provider(Some(SharedTokenProvider::new(provider)));
        self
    }

    /// Sets or clears the bearer token provider. Setting one clears a static
    /// token set before.
    pub fn set_token_provider(&mut self, provider: Option<SharedTokenProvider>) -> &mut Self {
        if provider.is_some() {
            self.config.bearer_token = None;
        }
        self.config.token_provider = provider;
        self
    }

    /// Sets how failed attempts are retried.
    pub fn retry_config(mut self, retry_config: RetryConfig) -> Self {
        self.config.retry_config = Some(retry_config);
        self
    }

    /// Sets or clears the retry behaviour.
    pub fn set_retry_config(&mut self, retry_config: Option<RetryConfig>) -> &mut Self {
        self.config.retry_config = retry_config;
        self
    }

    /// Sets the time limits.
    pub fn timeout_config(mut self, timeout_config: TimeoutConfig) -> Self {
        self.config.timeout_config = Some(timeout_config);
        self
    }

    /// Sets or clears the time limits.
    pub fn set_timeout_config(&mut self, timeout_config: Option<TimeoutConfig>) -> &mut Self {
        self.config.timeout_config = timeout_config;
        self
    }

    /// Sets the timer used for backoff delays and timeouts.
    pub fn sleep_impl(mut self, sleep_impl: impl AsyncSleep) -> Self {
        self.config.sleep_impl = Some(Arc::new(sleep_impl));
        self
    }

    /// Sets or clears the timer.
    pub fn set_sleep_impl(&mut self, sleep_impl: Option<SharedAsyncSleep>) -> &mut Self {
        self.config.sleep_impl = sleep_impl;
        self
    }

    /// Sets the clock requests are signed with.
    pub fn time_source(mut self, time_source: impl TimeSource) -> Self {
        self.config.time_source = Some(Arc::new(time_source));
        self
    }

    /// Sets or clears the clock.
    pub fn set_time_source(&mut self, time_source: Option<SharedTimeSource>) -> &mut Self {
        self.config.time_source = time_source;
        self
    }

    /// Builds the configuration.
    pub fn build(self) -> Config {
        self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ConnectorError;
    use crate::http::{HttpFuture, HttpRequest};
    use crate::time::{StaticTimeSource, ThreadSleep};
    use std::time::{Duration, SystemTime};

    #[test]
    fn idempotency_tokens_are_random_unless_a_provider_fixes_them() {
        let default = Config::builder().build();
        assert!(default.idempotency_token_provider().is_none());
        assert_ne!(default.idempotency_token(), default.idempotency_token());
        assert_eq!(default.idempotency_token().len(), 36);
        let fixed = Config::builder()
            .idempotency_token_provider(IdempotencyTokenProvider::fixed("t-1"))
            .build();
        assert_eq!(fixed.idempotency_token(), "t-1");
        assert_eq!(fixed.to_builder().build().idempotency_token(), "t-1");
    }

    #[derive(Debug)]
    struct NoClient;

    impl HttpClient for NoClient {
        fn send(&self, _request: HttpRequest) -> HttpFuture<'_> {
            Box::pin(async { Err(ConnectorError::other("unused")) })
        }
    }

    #[test]
    fn builder_round_trip() {
        let config = Config::builder()
            .region("eu-west-1")
            .endpoint_url("http://localhost:4566")
            .http_client(NoClient)
            .build();
        assert_eq!(config.region(), Some("eu-west-1"));
        assert_eq!(config.endpoint_url(), Some("http://localhost:4566"));
        assert!(format!("{:?}", config.http_client().unwrap()).contains("NoClient"));

        let mut builder = config.to_builder();
        builder.set_region(None).set_endpoint_url(None);
        let changed = builder.build();
        assert_eq!(changed.region(), None);
        assert_eq!(changed.endpoint_url(), None);
        assert!(changed.http_client().is_some());
        // The original is untouched.
        assert_eq!(config.region(), Some("eu-west-1"));
    }

    #[test]
    fn empty_builder_sets_nothing() {
        let config = Config::builder().build();
        assert_eq!(config.region(), None);
        assert_eq!(config.endpoint_url(), None);
        assert!(config.http_client().is_none());
        assert!(config.credentials().is_none());
        assert!(config.credentials_provider().is_none());
        assert!(config.retry_config().is_none());
        assert!(config.timeout_config().is_none());
        assert!(config.sleep_impl().is_none());
        assert!(config.time_source().is_none());
    }

    #[test]
    fn new_settings_round_trip() {
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let config = Config::builder()
            .credentials(Credentials::new("AKID", "SECRET", None))
            .retry_config(RetryConfig::standard().with_max_attempts(5))
            .timeout_config(TimeoutConfig::new().with_operation_timeout(Duration::from_secs(9)))
            .sleep_impl(ThreadSleep)
            .time_source(StaticTimeSource::new(at))
            .build();
        assert_eq!(
            config.credentials().map(Credentials::access_key_id),
            Some("AKID")
        );
        assert_eq!(
            config.retry_config().map(RetryConfig::max_attempts),
            Some(5)
        );
        assert_eq!(
            config
                .timeout_config()
                .and_then(TimeoutConfig::operation_timeout),
            Some(Duration::from_secs(9))
        );
        assert!(format!("{:?}", config.sleep_impl().unwrap()).contains("ThreadSleep"));
        assert_eq!(config.time_source().unwrap().now(), at);

        let copy = config.to_builder().build();
        assert_eq!(copy.credentials(), config.credentials());
        assert_eq!(copy.retry_config(), config.retry_config());
        assert_eq!(copy.timeout_config(), config.timeout_config());
        assert!(copy.sleep_impl().is_some() && copy.time_source().is_some());

        let mut builder = config.to_builder();
        builder
            .set_credentials(None)
            .set_retry_config(None)
            .set_timeout_config(None)
            .set_sleep_impl(None)
            .set_time_source(None);
        let cleared = builder.build();
        assert!(cleared.credentials().is_none());
        assert!(cleared.retry_config().is_none());
        assert!(cleared.timeout_config().is_none());
        assert!(cleared.sleep_impl().is_none());
        assert!(cleared.time_source().is_none());
    }

    #[test]
    fn debug_does_not_leak_secrets() {
        let builder = Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(
                "AKIDEXAMPLE",
                "super-secret-key",
                Some("super-secret-token".to_owned()),
            ));
        for debug in [
            format!("{builder:?}"),
            format!("{:#?}", builder.clone().build()),
        ] {
            assert!(debug.contains("AKIDEXAMPLE"), "{debug}");
            assert!(debug.contains("** redacted **"), "{debug}");
            assert!(!debug.contains("super-secret"), "{debug}");
        }
    }

    /// A fake environment.
    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        }
    }

    #[test]
    fn region_falls_back_to_the_environment() {
        let empty = Config::builder().build();
        let both = env(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_DEFAULT_REGION", "us-west-2"),
        ]);
        assert_eq!(empty.resolve_region(&both).as_deref(), Some("eu-west-1"));
        let default_only = env(&[("AWS_DEFAULT_REGION", "us-west-2")]);
        assert_eq!(
            empty.resolve_region(&default_only).as_deref(),
            Some("us-west-2")
        );
        assert_eq!(empty.resolve_region(&env(&[])), None);

        let configured = Config::builder().region("ap-south-1").build();
        assert_eq!(
            configured.resolve_region(&both).as_deref(),
            Some("ap-south-1")
        );
    }

    #[test]
    fn endpoint_settings_fill_in_what_is_unset() {
        let vars = env(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL", "http://localhost:4566"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "TRUE"),
        ]);
        let from_env = Config::builder().build().endpoint_settings(&vars);
        assert_eq!(
            from_env,
            EndpointSettings {
                region: Some("eu-west-1".to_owned()),
                endpoint_url: Some("http://localhost:4566".to_owned()),
                use_fips: true,
                use_dual_stack: true,
            }
        );
        let configured = Config::builder()
            .region("us-east-2")
            .endpoint_url("http://configured")
            .use_fips(false)
            .use_dual_stack(false)
            .build();
        assert_eq!(
            configured.endpoint_settings(&vars),
            EndpointSettings {
                region: Some("us-east-2".to_owned()),
                endpoint_url: Some("http://configured".to_owned()),
                use_fips: false,
                use_dual_stack: false,
            }
        );
        assert_eq!(
            Config::builder().build().endpoint_settings(&env(&[])),
            EndpointSettings::default()
        );
    }

    #[test]
    fn endpoint_falls_back_to_the_environment() {
        let vars = env(&[("AWS_ENDPOINT_URL", "http://localhost:4566/prefix")]);
        let empty = Config::builder().build();
        assert_eq!(
            empty.resolve_endpoint_url(&vars).as_deref(),
            Some("http://localhost:4566/prefix")
        );
        let configured = Config::builder().endpoint_url("http://configured").build();
        assert_eq!(
            configured.resolve_endpoint_url(&vars).as_deref(),
            Some("http://configured")
        );
    }

    #[test]
    fn static_credentials_and_a_provider_replace_each_other() {
        let provider = Credentials::new("PROVIDED", "SECRET", None);
        let config = Config::builder()
            .credentials(Credentials::new("STATIC", "SECRET", None))
            .credentials_provider(provider)
            .build();
        assert!(config.credentials().is_none());
        let debug = format!("{:?}", config.credentials_provider().expect("set"));
        assert!(debug.contains("PROVIDED"), "{debug}");
        assert!(!debug.contains("SECRET"), "{debug}");

        let config = config
            .to_builder()
            .credentials(Credentials::new("STATIC", "SECRET", None))
            .build();
        assert!(config.credentials_provider().is_none());
        assert_eq!(
            config.credentials().map(Credentials::access_key_id),
            Some("STATIC")
        );

        let mut builder = config.to_builder();
        builder.set_credentials_provider(None);
        assert!(builder.clone().build().credentials().is_some());
        builder.set_credentials(None);
        let cleared = builder.build();
        assert!(cleared.credentials().is_none() && cleared.credentials_provider().is_none());
    }
}
