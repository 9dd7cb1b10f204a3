//! The state an SDK client shares between its operations.

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::config::{env_value, Config, EndpointSettings};
use crate::credentials::{CredentialsCache, DefaultCredentialsChain, SharedCredentialsProvider};
use crate::http::SharedHttpClient;
use crate::region::ImdsRegion;
use crate::retry::RetryQuota;
use crate::spec::ServiceSpec;
use crate::time::{default_async_sleep, default_time_source, SharedAsyncSleep, SharedTimeSource};
use crate::token::{EnvToken, Token};

/// A client's configuration together with what it resolved to: the
/// transport, the timer, the clock, the endpoint settings read from the
/// environment, the credentials cache, the region from instance metadata
/// once asked, and the retry quota its operations share (see
/// [`crate::retry`]).
///
/// Generated clients hold one in an `Arc` and pass it to every operation.
/// Clones share the retry quota, the credentials cache and the region.
#[derive(Clone)]
pub struct Handle {
    config: Config,
    /// The region, endpoint URL, FIPS and dual-stack settings, read from
    /// the environment where `config` leaves them unset.
    endpoint_settings: EndpointSettings,
    http: Option<SharedHttpClient>,
    /// `http` when it is the default transport this handle built: requests
    /// go to it directly, without a copy for the `HttpClient` interface.
    #[cfg(feature = "default-client")]
    default_client: Option<Arc<crate::http::HyperClient>>,
    sleep: SharedAsyncSleep,
    time: SharedTimeSource,
    /// The credentials provider (the configured one, else the default
    /// chain) behind its cache; `None` when static credentials are
    /// configured.
    credentials: Option<Arc<CredentialsCache>>,
    /// Whether `credentials` is the default chain.
    default_chain: bool,
    /// The region from instance metadata, asked when a request first needs
    /// it and `endpoint_settings` has none.
    imds_region: Arc<ImdsRegion>,
    /// The bearer token of the service's environment variable, read on the
    /// first request that can use one (see [`crate::token`]).
    env_token: Arc<OnceLock<Option<Token>>>,
    retry_quota: Arc<RetryQuota>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `default_client` is `http` again, so it is left out.
        f.debug_struct("Handle")
            .field("config", &self.config)
            .field("endpoint_settings", &self.endpoint_settings)
            .field("http", &self.http)
            .field("sleep", &self.sleep)
            .field("time", &self.time)
            .field("credentials", &self.credentials)
            .field("imds_region", &self.imds_region)
            .field("env_token", &self.env_token)
            .field("retry_quota", &self.retry_quota)
            .finish()
    }
}

impl Handle {
    /// Creates a handle.
    ///
    /// The transport is the configured one, else the default one (built with
    /// the configured connect timeout, if any); it is `None` only when
    /// neither exists, and operations then fail with a construction error.
    /// The timer and the clock are the configured ones, else
    /// [`default_async_sleep`] and [`default_time_source`].
    ///
    /// The region, endpoint URL, FIPS and dual-stack settings the
    /// configuration leaves unset are read from the environment (and the
    /// region from the profile files) here, once (see [`crate::config`]).
    ///
    /// Without static credentials, the configured credentials provider, else
    /// a [`DefaultCredentialsChain`] reading the process's environment and
    /// sending through this handle's transport and timer, is put behind a
    /// cache read with this handle's clock (see [`crate::credentials`]).
    /// Nothing is looked up until a signed request needs it.
    pub fn new(config: Config) -> Self {
        #[cfg(feature = "default-client")]
        let (http, default_client) = match config.http_client() {
            Some(http) => (Some(http), None),
            None => {
                let default = default_transport(&config);
                (Some(default.clone() as SharedHttpClient), Some(default))
            }
        };
        #[cfg(not(feature = "default-client"))]
        let http = config.http_client();
        let sleep = config.sleep_impl().unwrap_or_else(default_async_sleep);
        let time = config.time_source().unwrap_or_else(default_time_source);
        let endpoint_settings = config.endpoint_settings(&env_value);
        let (credentials, default_chain) =
            match (config.credentials(), config.credentials_provider()) {
                (Some(_), _) => (None, false),
                (None, Some(provider)) => (Some(provider), false),
                (None, None) => {
                    let chain = DefaultCredentialsChain::builder()
                        .env(env_value)
                        .set_http_client(http.clone())
                        .set_sleep_impl(sleep.clone())
                        .build();
                    (Some(SharedCredentialsProvider::new(chain)), true)
                }
            };
        let credentials =
            credentials.map(|provider| Arc::new(CredentialsCache::new(provider, time.clone())));
        Self {
            config,
            endpoint_settings,
            http,
            #[cfg(feature = "default-client")]
            default_client,
            sleep,
            time,
            credentials,
            default_chain,
            imds_region: Arc::default(),
            env_token: Arc::default(),
            retry_quota: Arc::default(),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The endpoint settings: the configured ones, with those left unset
    /// read from the environment when this handle was created.
    pub(crate) fn endpoint_settings(&self) -> &EndpointSettings {
        &self.endpoint_settings
    }

    /// The transport requests are sent through.
    pub fn http_client(&self) -> Option<&SharedHttpClient> {
        self.http.as_ref()
    }

    /// The transport, when it is the default one this handle built.
    #[cfg(feature = "default-client")]
    pub(crate) fn default_client(&self) -> Option<&crate::http::HyperClient> {
        self.default_client.as_deref()
    }

    /// The timer used for backoff delays and timeouts.
    pub fn sleep_impl(&self) -> &SharedAsyncSleep {
        &self.sleep
    }

    /// The clock requests are signed with.
    pub fn time_source(&self) -> &SharedTimeSource {
        &self.time
    }

    /// The cached credentials provider; `None` when static credentials are
    /// configured.
    pub(crate) fn credentials_cache(&self) -> Option<&CredentialsCache> {
        self.credentials.as_deref()
    }

    /// Whether credentials come from the built-in default chain.
    pub(crate) fn uses_default_chain(&self) -> bool {
        self.default_chain
    }

    /// The region from instance metadata, or why there is none: asked on
    /// the first call, through this handle's transport.
    pub(crate) async fn imds_region(&self) -> &Result<String, String> {
        self.imds_region
            .get(&env_value, self.http.as_ref(), &*self.sleep)
            .await
    }

    /// What instance metadata answered for the region, if it was asked.
    pub(crate) fn known_imds_region(&self) -> Option<&Result<String, String>> {
        self.imds_region.known()
    }

    /// The bearer token of `service`'s environment variable, with the
    /// variable's name: read from the process environment on the first
    /// call, and kept (a client serves one service).
    pub(crate) fn env_token(&self, service: &ServiceSpec) -> EnvToken<'_> {
        let var = crate::token::env_var(service.signing_name);
        let token = self
            .env_token
            .get_or_init(|| var.and_then(env_value).map(Token::from))
            .as_ref();
        EnvToken { var, token }
    }

    /// The retry quota shared by this client's operations.
    pub(crate) fn retry_quota(&self) -> &RetryQuota {
        &self.retry_quota
    }
}

/// The transport used when none is configured: the default one, with the
/// configured connect timeout.
#[cfg(feature = "default-client")]
fn default_transport(config: &Config) -> Arc<crate::http::HyperClient> {
    let connect_timeout = config
        .timeout_config()
        .and_then(|timeouts| timeouts.connect_timeout());
    match connect_timeout {
        Some(timeout) => Arc::new(
            crate::http::HyperClient::builder()
                .connect_timeout(Some(timeout))
                .build(),
        ),
        None => Arc::new(crate::http::HyperClient::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ConnectorError;
    use crate::http::{HttpClient, HttpFuture, HttpRequest};

    #[derive(Debug)]
    struct Marker;

    impl HttpClient for Marker {
        fn send(&self, _request: HttpRequest) -> HttpFuture<'_> {
            Box::pin(async { Err(ConnectorError::other("unused")) })
        }
    }

    #[test]
    fn configured_client_wins() {
        let handle = Handle::new(Config::builder().http_client(Marker).build());
        let client = handle.http_client().expect("configured");
        assert_eq!(format!("{client:?}"), "Marker");
    }

    #[test]
    fn configured_timer_and_clock_win() {
        use crate::time::{StaticTimeSource, ThreadSleep};
        use std::time::{Duration, SystemTime};

        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(42);
        let handle = Handle::new(
            Config::builder()
                .sleep_impl(ThreadSleep)
                .time_source(StaticTimeSource::new(at))
                .build(),
        );
        assert_eq!(format!("{:?}", handle.sleep_impl()), "ThreadSleep");
        assert_eq!(handle.time_source().now(), at);

        let defaults = Handle::new(Config::builder().build());
        let expected = if cfg!(feature = "default-client") {
            "TokioSleep"
        } else {
            "ThreadSleep"
        };
        assert_eq!(format!("{:?}", defaults.sleep_impl()), expected);
        assert_eq!(format!("{:?}", defaults.time_source()), "SystemTimeSource");
    }

    #[cfg(feature = "default-client")]
    #[test]
    fn connect_timeout_configures_the_default_client() {
        use crate::timeout::TimeoutConfig;
        use std::time::Duration;

        let handle = Handle::new(
            Config::builder()
                .timeout_config(
                    TimeoutConfig::new().with_connect_timeout(Duration::from_millis(250)),
                )
                .build(),
        );
        let client = format!("{:?}", handle.http_client().expect("default client"));
        assert!(client.contains("connect_timeout: Some(250ms)"), "{client}");

        // A configured transport is kept as is.
        let handle = Handle::new(
            Config::builder()
                .http_client(Marker)
                .timeout_config(TimeoutConfig::new().with_connect_timeout(Duration::from_secs(1)))
                .build(),
        );
        assert_eq!(format!("{:?}", handle.http_client().unwrap()), "Marker");
    }

    #[test]
    fn falls_back_to_default_client() {
        let handle = Handle::new(Config::builder().region("us-east-1").build());
        assert_eq!(handle.config().region(), Some("us-east-1"));
        assert_eq!(
            handle.http_client().is_some(),
            cfg!(feature = "default-client")
        );
    }

    #[cfg(feature = "default-client")]
    #[test]
    fn only_the_default_client_it_built_is_used_directly() {
        let handle = Handle::new(Config::builder().build());
        let shared = handle.http_client().expect("default client");
        let direct = handle.default_client().expect("built by the handle");
        assert!(std::ptr::eq(
            Arc::as_ptr(shared).cast::<u8>(),
            (direct as *const crate::http::HyperClient).cast::<u8>()
        ));

        // A configured transport, even a `HyperClient`, goes through `HttpClient`.
        let configured = Handle::new(
            Config::builder()
                .http_client(crate::http::HyperClient::new())
                .build(),
        );
        assert!(configured.default_client().is_none());
        let configured = Handle::new(Config::builder().http_client(Marker).build());
        assert!(configured.default_client().is_none());
    }
}
