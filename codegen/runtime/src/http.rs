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

/// Headers whose values are credentials: `Debug` never prints them.
const SECRET_HEADERS: &[&str] = &["authorization", "x-amz-security-token"];

/// Header names and values for `Debug`, with credentials replaced.
struct DebugHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for DebugHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            if SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s)) {
                list.entry(&(name, "** redacted **"));
            } else {
                list.entry(&(name, value));
            }
        }
        list.finish()
    }
}

/// A body's size in place of its bytes, for `Debug`.
struct DebugBody(usize);

impl fmt::Debug for DebugBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0)
    }
}

/// An HTTP request, ready to send.
///
/// `Debug` prints the body's size only (it may hold `@sensitive` input
/// members) and hides the values of the `Authorization` and
/// `X-Amz-Security-Token` headers.
#[derive(Clone, Default, PartialEq, Eq)]
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

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &DebugHeaders(&self.headers))
            .field("body", &DebugBody(self.body.len()))
            .finish()
    }
}

/// An HTTP response with its body fully read.
///
/// `Debug` prints the body's size only: it may hold `@sensitive` output
/// members, and it may be huge. Read it with [`HttpResponse::body`].
#[derive(Clone, Default, PartialEq, Eq)]
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

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &DebugHeaders(&self.headers))
            .field("body", &DebugBody(self.body.len()))
            .finish()
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
pub use self::hyper_client::{HyperClient, HyperClientBuilder, DEFAULT_MAX_RESPONSE_BODY_SIZE};

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

    /// The default limit on a response body: far above what any awsJson
    /// service sends, low enough that a hostile or broken server cannot make
    /// the client buffer without end.
    pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: usize = 64 * 1024 * 1024;

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
        max_response_body_size: Option<usize>,
    }

    impl fmt::Debug for HyperClient {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("HyperClient")
                .field("connect_timeout", &self.connect_timeout)
                .field("request_timeout", &self.request_timeout)
                .field("max_response_body_size", &self.max_response_body_size)
                .finish_non_exhaustive()
        }
    }

    impl Default for HyperClient {
        fn default() -> Self {
            Self::new()
        }
    }

    impl HyperClient {
        /// A client with a 10 second connect timeout, no overall request
        /// timeout, and responses limited to
        /// [`DEFAULT_MAX_RESPONSE_BODY_SIZE`] bytes of body.
        pub fn new() -> Self {
            Self::builder().build()
        }

        /// Starts configuring a client.
        pub fn builder() -> HyperClientBuilder {
            HyperClientBuilder {
                connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
                request_timeout: None,
                max_response_body_size: Some(DEFAULT_MAX_RESPONSE_BODY_SIZE),
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
            let body = match self.max_response_body_size {
                Some(limit) => {
                    let declared = parts
                        .headers
                        .get(::http::header::CONTENT_LENGTH)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok());
                    if declared.is_some_and(|n| n > limit as u64) {
                        return Err(body_too_large(limit));
                    }
                    match http_body_util::Limited::new(body, limit).collect().await {
                        Ok(collected) => collected.to_bytes(),
                        Err(err) if err.is::<http_body_util::LengthLimitError>() => {
                            return Err(body_too_large(limit))
                        }
                        Err(err) => return Err(classify_boxed(err)),
                    }
                }
                None => body.collect().await.map_err(classify_error)?.to_bytes(),
            };

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
        max_response_body_size: Option<usize>,
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

        /// The most bytes of response body to read (`None`: no limit). A
        /// longer body (or a `Content-Length` promising one) fails the request
        /// with a [`ConnectorError`] of kind `Other`, which is not retried.
        /// Default: [`DEFAULT_MAX_RESPONSE_BODY_SIZE`].
        pub fn max_response_body_size(mut self, limit: Option<usize>) -> Self {
            self.max_response_body_size = limit;
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
                max_response_body_size: self.max_response_body_size,
            }
        }
    }

    /// The error of a response whose body is longer than `limit`.
    fn body_too_large(limit: usize) -> ConnectorError {
        ConnectorError::other(format!(
            "the response body is longer than the limit of {limit} bytes \
             (see `HyperClientBuilder::max_response_body_size`)"
        ))
    }

    /// Sorts a hyper error into timeout / io / other by looking through its
    /// chain of sources.
    fn classify_error<E>(err: E) -> ConnectorError
    where
        E: Error + Send + Sync + 'static,
    {
        classify_boxed(Box::new(err))
    }

    /// [`classify_error`] for an error already boxed.
    fn classify_boxed(err: crate::error::BoxError) -> ConnectorError {
        let mut is_io = false;
        let mut is_timeout = false;
        {
            let mut next: Option<&(dyn Error + 'static)> = Some(err.as_ref());
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
    fn debug_shows_neither_bodies_nor_credentials() {
        let mut request = HttpRequest::new("POST", "https://example.com/");
        request.headers.push((
            "Authorization".into(),
            "AWS4-HMAC-SHA256 Credential=AKID/x, Signature=5ec7e75167".into(),
        ));
        request
            .headers
            .push(("X-Amz-Security-Token".into(), "session-secret".into()));
        request
            .headers
            .push(("x-amz-target".into(), "Svc.Op".into()));
        request.body = br#"{"Password":"hunter2"}"#.to_vec();
        let printed = format!("{request:?} {request:#?}");
        for secret in ["hunter2", "session-secret", "5ec7e75167"] {
            assert!(!printed.contains(secret), "{printed}");
        }
        assert!(printed.contains("Svc.Op"), "{printed}");
        assert!(printed.contains("<22 bytes>"), "{printed}");

        let response = HttpResponse::new(200, vec![], vec![b'x'; 20 << 20]);
        let printed = format!("{response:?}");
        assert_eq!(
            printed,
            "HttpResponse { status: 200, headers: [], body: <20971520 bytes> }"
        );
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
