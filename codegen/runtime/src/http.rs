//! A minimal HTTP model and the pluggable transport.
//!
//! Requests and responses are plain data with fully buffered bodies: the
//! protocols generated crates speak (awsJson) never stream. The transport is
//! any [`HttpClient`]; with the `default-client` feature, [`HyperClient`]
//! (hyper + rustls, HTTP/1.1) is used when none is configured.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::error::ConnectorError;

/// Finds the first header named `name`, ignoring ASCII case.
fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// An HTTP request, ready to send.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpRequest {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The absolute URI, e.g. `https://dynamodb.us-east-1.amazonaws.com/`.
    pub uri: String,
    /// Header names and values, in order. Names may repeat.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// Creates a request with no headers and an empty body.
    pub fn new(method: impl Into<String>, uri: impl Into<String>) -> Self {
        Self {
            method: method.into(),
            uri: uri.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// An HTTP response with its body fully read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// Creates a response.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        Self {
            status,
            headers,
            body,
        }
    }

    /// The status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the status is in the 2xx range.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

/// The future returned by [`HttpClient::send`].
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, ConnectorError>> + Send + 'a>>;

/// The transport an SDK client sends its requests through.
///
/// Implement this to use another HTTP stack, to record traffic, or to answer
/// requests from memory in tests.
pub trait HttpClient: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` and reads the whole response.
    fn send(
        &self,
        request: HttpRequest,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, ConnectorError>> + Send + '_>>;
}

/// A transport shared between clients.
pub type SharedHttpClient = Arc<dyn HttpClient>;

/// The transport used when none is configured: a [`HyperClient`] with its
/// default settings, or `None` when the `default-client` feature is off.
pub fn default_http_client() -> Option<SharedHttpClient> {
    #[cfg(feature = "default-client")]
    {
        Some(Arc::new(HyperClient::new()))
    }
    #[cfg(not(feature = "default-client"))]
    {
        None
    }
}

#[cfg(feature = "default-client")]
pub use self::hyper_client::{HyperClient, HyperClientBuilder};

#[cfg(feature = "default-client")]
mod hyper_client {
    use std::error::Error;
    use std::fmt;
    use std::io;
    use std::time::Duration;

    use bytes::Bytes;
    use http_body_util::{BodyExt, Full};
    use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
    use hyper_util::client::legacy::connect::HttpConnector;
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;

    use super::{HttpClient, HttpFuture, HttpRequest, HttpResponse};
    use crate::error::ConnectorError;

    /// The default connect timeout.
    const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

    /// The default transport: hyper's pooled HTTP/1.1 client, speaking TLS
    /// through rustls (ring, Mozilla's root certificates) for `https` URIs and
    /// plain TCP for `http` URIs.
    ///
    /// Requests must be sent from within a Tokio runtime.
    #[derive(Clone)]
    pub struct HyperClient {
        client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
        connect_timeout: Option<Duration>,
        request_timeout: Option<Duration>,
    }

    impl fmt::Debug for HyperClient {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("HyperClient")
                .field("connect_timeout", &self.connect_timeout)
                .field("request_timeout", &self.request_timeout)
                .finish_non_exhaustive()
        }
    }

    impl Default for HyperClient {
        fn default() -> Self {
            Self::new()
        }
    }

    impl HyperClient {
        /// A client with a 10 second connect timeout and no overall request timeout.
        pub fn new() -> Self {
            Self::builder().build()
        }

        /// Starts configuring a client.
        pub fn builder() -> HyperClientBuilder {
            HyperClientBuilder {
                connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
                request_timeout: None,
            }
        }

        async fn send_inner(&self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
            let mut builder = ::http::Request::builder()
                .method(request.method.as_str())
                .uri(request.uri.as_str());
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let hyper_request = builder
                .body(Full::new(Bytes::from(request.body)))
                .map_err(ConnectorError::other)?;

            let response = self
                .client
                .request(hyper_request)
                .await
                .map_err(classify_error)?;
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map_err(classify_error)?.to_bytes();

            let headers = parts
                .headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect();
            Ok(HttpResponse::new(
                parts.status.as_u16(),
                headers,
                body.to_vec(),
            ))
        }
    }

    impl HttpClient for HyperClient {
        fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
            Box::pin(async move {
                match self.request_timeout {
                    Some(limit) => tokio::time::timeout(limit, self.send_inner(request))
                        .await
                        .map_err(|_| {
                            ConnectorError::timeout(format!(
                                "request did not complete within {limit:?}"
                            ))
                        })?,
                    None => self.send_inner(request).await,
                }
            })
        }
    }

    /// Configures a [`HyperClient`].
    #[derive(Clone, Debug)]
    pub struct HyperClientBuilder {
        connect_timeout: Option<Duration>,
        request_timeout: Option<Duration>,
    }

    impl HyperClientBuilder {
        /// How long to wait for a TCP connection (`None`: no limit).
        pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
            self.connect_timeout = timeout;
            self
        }

        /// How long a whole request may take, from sending it to reading the
        /// last byte of the response (`None`: no limit).
        pub fn request_timeout(mut self, timeout: Option<Duration>) -> Self {
            self.request_timeout = timeout;
            self
        }

        /// Builds the client.
        pub fn build(self) -> HyperClient {
            let mut http = HttpConnector::new();
            // The HTTPS connector decides per URI whether to speak TLS.
            http.enforce_http(false);
            http.set_nodelay(true);
            http.set_connect_timeout(self.connect_timeout);

            let https = HttpsConnectorBuilder::new()
                .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
                .expect("the ring provider supports rustls' default protocol versions")
                .https_or_http()
                .enable_http1()
                .wrap_connector(http);

            let client = Client::builder(TokioExecutor::new()).build(https);
            HyperClient {
                client,
                connect_timeout: self.connect_timeout,
                request_timeout: self.request_timeout,
            }
        }
    }

    /// Sorts a hyper error into timeout / io / other by looking through its
    /// chain of sources.
    fn classify_error<E>(err: E) -> ConnectorError
    where
        E: Error + Send + Sync + 'static,
    {
        let mut is_io = false;
        let mut is_timeout = false;
        {
            let mut next: Option<&(dyn Error + 'static)> = Some(&err);
            while let Some(current) = next {
                if let Some(io_err) = current.downcast_ref::<io::Error>() {
                    is_io = true;
                    if io_err.kind() == io::ErrorKind::TimedOut {
                        is_timeout = true;
                    }
                }
                if let Some(hyper_err) = current.downcast_ref::<hyper::Error>() {
                    if hyper_err.is_timeout() {
                        is_timeout = true;
                    }
                    if hyper_err.is_incomplete_message() || hyper_err.is_closed() {
                        is_io = true;
                    }
                }
                if let Some(legacy) = current.downcast_ref::<hyper_util::client::legacy::Error>() {
                    if legacy.is_connect() {
                        is_io = true;
                    }
                }
                next = current.source();
            }
        }
        if is_timeout {
            ConnectorError::timeout(err)
        } else if is_io {
            ConnectorError::io(err)
        } else {
            ConnectorError::other(err)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lookup_ignores_case() {
        let response = HttpResponse::new(
            200,
            vec![
                ("Content-Type".into(), "application/json".into()),
                ("x-amzn-RequestId".into(), "abc".into()),
            ],
            b"{}".to_vec(),
        );
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(response.header("X-AMZN-REQUESTID"), Some("abc"));
        assert_eq!(response.header("missing"), None);
        assert_eq!(response.status(), 200);
        assert!(response.is_success());
        assert_eq!(response.body(), b"{}");

        let mut request = HttpRequest::new("POST", "https://example.com/");
        request
            .headers
            .push(("X-Amz-Target".into(), "Svc.Op".into()));
        assert_eq!(request.header("x-amz-target"), Some("Svc.Op"));
        assert_eq!(request.header("content-type"), None);
    }

    #[test]
    fn non_2xx_is_not_success() {
        assert!(!HttpResponse::new(400, vec![], vec![]).is_success());
        assert!(!HttpResponse::new(302, vec![], vec![]).is_success());
        assert!(HttpResponse::new(204, vec![], vec![]).is_success());
    }

    #[cfg(feature = "default-client")]
    #[test]
    fn default_client_is_available() {
        let client = default_http_client().expect("default-client feature is on");
        assert!(format!("{client:?}").starts_with("HyperClient"));
    }
}
