//! The state an SDK client shares between its operations.

use crate::config::Config;
use crate::http::{default_http_client, SharedHttpClient};

/// A client's configuration together with the transport it resolved to.
///
/// Generated clients hold one in an `Arc` and pass it to every operation.
#[derive(Clone, Debug)]
pub struct Handle {
    config: Config,
    http: Option<SharedHttpClient>,
}

impl Handle {
    /// Creates a handle. The transport is the configured one, else
    /// [`default_http_client`]; it is `None` only when neither exists, and
    /// operations then fail with a construction error.
    pub fn new(config: Config) -> Self {
        let http = config.http_client().or_else(default_http_client);
        Self { config, http }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The transport requests are sent through.
    pub fn http_client(&self) -> Option<&SharedHttpClient> {
        self.http.as_ref()
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
    fn falls_back_to_default_client() {
        let handle = Handle::new(Config::builder().region("us-east-1").build());
        assert_eq!(handle.config().region(), Some("us-east-1"));
        assert_eq!(
            handle.http_client().is_some(),
            cfg!(feature = "default-client")
        );
    }
}
