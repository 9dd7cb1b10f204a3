//! The state an SDK client shares between its operations.

use std::fmt;
use std::sync::Arc;

use crate::config::{env_value, Config, EndpointSettings};
use crate::http::SharedHttpClient;
use crate::retry::RetryQuota;
use crate::time::{default_async_sleep, default_time_source, SharedAsyncSleep, SharedTimeSource};

/// A client's configuration together with what it resolved to: the
/// transport, the timer, the clock, the endpoint settings read from the
/// environment, and the retry quota its operations share (see
/// [`crate::retry`]).
///
/// Generated clients hold one in an `Arc` and pass it to every operation.
/// Clones share the retry quota.
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
    /// configuration leaves unset are read from the environment here, once
    /// (see [`crate::config`]).
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
        Self {
            config,
            endpoint_settings,
            http,
            #[cfg(feature = "default-client")]
            default_client,
            sleep,
            time,
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
