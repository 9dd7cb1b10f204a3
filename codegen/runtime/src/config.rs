//! Client configuration.
//!
//! [`Config`] holds exactly what was set on its [`Builder`]; nothing is read
//! from the environment. Fields are private and reached through accessors so
//! that new settings can be added without breaking callers.

use std::sync::Arc;

use crate::http::{HttpClient, SharedHttpClient};

/// The configuration of an SDK client.
#[derive(Clone, Debug)]
pub struct Config {
    region: Option<String>,
    endpoint_url: Option<String>,
    http_client: Option<SharedHttpClient>,
}

impl Config {
    /// Starts building a configuration.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The region requests are sent to, e.g. `us-east-1`.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint that overrides the region's default one.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The configured transport, if any.
    pub fn http_client(&self) -> Option<SharedHttpClient> {
        self.http_client.clone()
    }

    /// A builder holding this configuration, to derive a modified copy.
    pub fn to_builder(&self) -> Builder {
        Builder {
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            http_client: self.http_client.clone(),
        }
    }
}

/// Builder for [`Config`].
#[derive(Clone, Debug, Default)]
pub struct Builder {
    region: Option<String>,
    endpoint_url: Option<String>,
    http_client: Option<SharedHttpClient>,
}

impl Builder {
    /// Sets the region, e.g. `us-east-1`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sets or clears the region.
    pub fn set_region(&mut self, region: Option<String>) -> &mut Self {
        self.region = region;
        self
    }

    /// Sets the endpoint, e.g. `http://localhost:8000`. Requests go to this
    /// URL, path included, instead of the region's default endpoint.
    pub fn endpoint_url(mut self, endpoint_url: impl Into<String>) -> Self {
        self.endpoint_url = Some(endpoint_url.into());
        self
    }

    /// Sets or clears the endpoint.
    pub fn set_endpoint_url(&mut self, endpoint_url: Option<String>) -> &mut Self {
        self.endpoint_url = endpoint_url;
        self
    }

    /// Sets the transport.
    pub fn http_client(mut self, http_client: impl HttpClient) -> Self {
        self.http_client = Some(Arc::new(http_client));
        self
    }

    /// Sets or clears the transport.
    pub fn set_http_client(&mut self, http_client: Option<SharedHttpClient>) -> &mut Self {
        self.http_client = http_client;
        self
    }

    /// Builds the configuration.
    pub fn build(self) -> Config {
        Config {
            region: self.region,
            endpoint_url: self.endpoint_url,
            http_client: self.http_client,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ConnectorError;
    use crate::http::{HttpFuture, HttpRequest};

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
    }
}
