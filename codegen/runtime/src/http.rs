//! A minimal HTTP model and the pluggable transport.
//!
//! Requests and responses are plain data with their bodies in memory
//! ([`HttpRequest`], [`HttpResponse`]), except for operations with a
//! `@streaming` payload: their requests and responses are
//! [`StreamingRequest`] and [`StreamingResponse`], whose bodies are
//! [`ByteStream`]s, sent and read as they go (see [`crate::byte_stream`]).
//! The transport is any [`HttpClient`]; with the `default-client` feature,
//! [`HyperClient`] (hyper + rustls, HTTP/1.1) is used when none is
//! configured.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use std::error::Error;

use crate::primitives::ByteStream;

/// Finds the first header named `name`, ignoring ASCII case.
fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Headers whose values are credentials: `Debug` never prints them. The
/// last is the session token of EC2 instance metadata (IMDSv2).
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-security-token",
    "x-aws-ec2-metadata-token",
];

/// Header names and values for `Debug`, with credentials replaced.
enum DebugHeaders<'a> {
    Pairs(&'a [(String, String)]),
    Headers(&'a Headers),
}

impl fmt::Debug for DebugHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DebugHeaders::Pairs(pairs) => debug_headers(
                f,
                pairs
                    .iter()
                    .map(|(name, value)| (name.as_str(), value.as_str())),
            ),
            DebugHeaders::Headers(headers) => debug_headers(f, headers.iter()),
        }
    }
}

/// Writes `headers` as a `Debug` list of pairs, with credentials replaced.
fn debug_headers<'a>(
    f: &mut fmt::Formatter<'_>,
    headers: impl Iterator<Item = (&'a str, &'a str)>,
) -> fmt::Result {
    let mut list = f.debug_list();
    for (name, value) in headers {
        if SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s)) {
            list.entry(&(name, "** redacted **"));
        } else {
            list.entry(&(name, value));
        }
    }
    list.finish()
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
            .field("headers", &DebugHeaders::Pairs(&self.headers))
            .field("body", &DebugBody(self.body.len()))
            .finish()
    }
}

/// A request as borrowed parts. The protocol builds one per operation; it
/// becomes an [`HttpRequest`] for signing and for a configured transport,
/// and the default transport reads it in place.
pub(crate) struct RequestParts<'a> {
    pub(crate) method: &'a str,
    pub(crate) uri: &'a str,
    /// Header names and values, in order.
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) body: &'a [u8],
}

impl RequestParts<'_> {
    /// The same request as an [`HttpRequest`].
    pub(crate) fn to_request(&self) -> HttpRequest {
        HttpRequest {
            method: self.method.to_owned(),
            uri: self.uri.to_owned(),
            headers: self
                .headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
            body: self.body.to_vec(),
        }
    }
}

/// The headers of an [`HttpResponse`]: names and values, in the order
/// received (values of one name together, as hyper groups them). Names may
/// repeat; [`Headers::get`] ignores ASCII case.
///
/// Responses of the default transport keep hyper's header map as it was
/// read, rather than copying every name and value.
#[derive(Clone, Default)]
pub struct Headers(Repr);

#[derive(Clone)]
enum Repr {
    /// Names and values as given.
    Pairs(Vec<(String, String)>),
    /// The default transport's headers, every value UTF-8. Boxed, so that
    /// responses (and the errors holding them) stay small.
    #[cfg(feature = "default-client")]
    Map(Box<::http::HeaderMap>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Pairs(Vec::new())
    }
}

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The headers of a hyper response: kept as they are when every value is
    /// UTF-8, else copied with invalid sequences replaced (U+FFFD).
    #[cfg(feature = "default-client")]
    pub(crate) fn from_header_map(map: ::http::HeaderMap) -> Self {
        // Values are nearly always ASCII, which is quicker to check.
        let utf8 = |value: &::http::HeaderValue| {
            value.as_bytes().is_ascii() || std::str::from_utf8(value.as_bytes()).is_ok()
        };
        if map.values().all(utf8) {
            return Headers(Repr::Map(Box::new(map)));
        }
        let pairs = map
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        Headers(Repr::Pairs(pairs))
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        match &self.0 {
            Repr::Pairs(pairs) => find_header(pairs, name),
            #[cfg(feature = "default-client")]
            Repr::Map(_) => self
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value),
        }
    }

    /// Names and values, in order.
    pub fn iter(&self) -> Iter<'_> {
        match &self.0 {
            Repr::Pairs(pairs) => Iter(IterRepr::Pairs(pairs.iter())),
            #[cfg(feature = "default-client")]
            Repr::Map(map) => Iter(IterRepr::Map(map.iter())),
        }
    }

    /// How many headers there are (repeated names counted each time).
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Pairs(pairs) => pairs.len(),
            #[cfg(feature = "default-client")]
            Repr::Map(map) => map.len(),
        }
    }

    /// Whether there are no headers.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a header after the others.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.pairs_mut().push((name.into(), value.into()));
    }

    /// The headers as owned pairs, copied into that form first if need be.
    fn pairs_mut(&mut self) -> &mut Vec<(String, String)> {
        #[cfg(feature = "default-client")]
        if let Repr::Map(_) = &self.0 {
            let pairs = self
                .iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect();
            self.0 = Repr::Pairs(pairs);
        }
        match &mut self.0 {
            Repr::Pairs(pairs) => pairs,
            #[cfg(feature = "default-client")]
            Repr::Map(_) => unreachable!("converted to pairs above"),
        }
    }
}

impl From<Vec<(String, String)>> for Headers {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Headers(Repr::Pairs(pairs))
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Headers {
    fn from_iter<T: IntoIterator<Item = (N, V)>>(iter: T) -> Self {
        let pairs = iter
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect::<Vec<_>>();
        Headers(Repr::Pairs(pairs))
    }
}

impl PartialEq for Headers {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Headers {}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        DebugHeaders::Headers(self).fmt(f)
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = (&'a str, &'a str);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The names and values of [`Headers`], in order.
#[derive(Debug)]
pub struct Iter<'a>(IterRepr<'a>);

#[derive(Debug)]
enum IterRepr<'a> {
    Pairs(std::slice::Iter<'a, (String, String)>),
    #[cfg(feature = "default-client")]
    Map(::http::header::Iter<'a, ::http::HeaderValue>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Pairs(pairs) => pairs
                .next()
                .map(|(name, value)| (name.as_str(), value.as_str())),
            // Every value was checked to be UTF-8 when the map was kept.
            #[cfg(feature = "default-client")]
            IterRepr::Map(map) => map.next().map(|(name, value)| {
                let value = std::str::from_utf8(value.as_bytes()).unwrap_or_default();
                (name.as_str(), value)
            }),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::Pairs(pairs) => pairs.size_hint(),
            #[cfg(feature = "default-client")]
            IterRepr::Map(map) => map.size_hint(),
        }
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
    pub headers: Headers,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// Creates a response.
    pub fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: Headers::from(headers),
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
        self.headers.get(name)
    }

    /// The headers.
    pub fn headers(&self) -> &Headers {
        &self.headers
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
            .field("headers", &self.headers)
            .field("body", &DebugBody(self.body.len()))
            .finish()
    }
}

/// A request whose body is a [`ByteStream`], sent as it is read: what an
/// operation with a `@streaming` payload sends (and any request of an
/// operation whose output streams).
///
/// `Debug` shows the body's length, when known, never its bytes, and hides
/// credential headers.
pub struct StreamingRequest {
    /// The method, e.g. `PUT`.
    pub method: String,
    /// The absolute URI.
    pub uri: String,
    /// Header names and values, in order. Names may repeat. When the body's
    /// length is known it is here as `content-length`.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: ByteStream,
    /// Whether the caller reads the body of a 2xx response as it arrives:
    /// the response is returned once its head is read, its
    /// [`StreamingResponse::body`] unread. Otherwise the transport reads the
    /// whole body first, as [`HttpClient::send`] does.
    pub stream_response: bool,
}

impl StreamingRequest {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for StreamingRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &DebugHeaders::Pairs(&self.headers))
            .field("body", &DebugStream(&self.body))
            .field("stream_response", &self.stream_response)
            .finish()
    }
}

/// A response whose body may still be arriving: what
/// [`HttpClient::send_streaming`] returns.
///
/// `Debug` shows the body's length, when known, never its bytes.
pub struct StreamingResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values, in the order received.
    pub headers: Headers,
    /// The body: unread for a 2xx response to a request with
    /// [`StreamingRequest::stream_response`], else already read whole.
    pub body: ByteStream,
}

impl StreamingResponse {
    /// Whether the status is in the 2xx range.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl From<HttpResponse> for StreamingResponse {
    fn from(response: HttpResponse) -> Self {
        StreamingResponse {
            status: response.status,
            headers: response.headers,
            body: ByteStream::from(response.body),
        }
    }
}

impl fmt::Debug for StreamingResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &DebugStream(&self.body))
            .finish()
    }
}

/// A stream's length in place of its bytes, for `Debug`.
struct DebugStream<'a>(&'a ByteStream);

impl fmt::Debug for DebugStream<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.size_hint() {
            (low, Some(high)) if low == high => write!(f, "<{low} bytes>"),
            _ => f.write_str("<stream>"),
        }
    }
}

/// The future returned by [`HttpClient::send`].
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, ConnectorError>> + Send + 'a>>;

/// The future returned by [`HttpClient::send_streaming`].
pub type StreamingFuture<'a> =
    Pin<Box<dyn Future<Output = Result<StreamingResponse, ConnectorError>> + Send + 'a>>;

/// The transport an SDK client sends its requests through.
///
/// Implement this to use another HTTP stack, to record traffic, or to answer
/// requests from memory in tests. Only [`send`](HttpClient::send) is
/// required: operations with `@streaming` payloads go through
/// [`send_streaming`](HttpClient::send_streaming), which by default reads
/// the request body into memory and hands it to `send`.
pub trait HttpClient: Send + Sync + fmt::Debug + 'static {
    /// Sends `request` and reads the whole response.
    fn send(
        &self,
        request: HttpRequest,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, ConnectorError>> + Send + '_>>;

    /// Sends `request`, reading its body as it goes, and returns the
    /// response: once its head is read, its body unread, when it is a 2xx
    /// response to a request with [`StreamingRequest::stream_response`];
    /// otherwise with its body read whole (error responses always are).
    ///
    /// The default reads the request body into memory, sends it with
    /// [`send`](HttpClient::send) and returns the response it reads whole. A
    /// failure to read the request body is a [`ConnectorError`] of kind
    /// `Other`, which is not retried. [`HyperClient`] streams both ways.
    fn send_streaming(&self, request: StreamingRequest) -> StreamingFuture<'_> {
        Box::pin(async move {
            let StreamingRequest {
                method,
                uri,
                headers,
                body,
                ..
            } = request;
            let body = body
                .collect()
                .await
                .map_err(|err| ConnectorError::other(ReadBodyError(err)))?
                .to_vec();
            let response = self
                .send(HttpRequest {
                    method,
                    uri,
                    headers,
                    body,
                })
                .await?;
            Ok(StreamingResponse::from(response))
        })
    }
}

/// The request body could not be read (a file, say, or the caller's stream).
#[derive(Debug)]
struct ReadBodyError(crate::primitives::ByteStreamError);

impl fmt::Display for ReadBodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the request body could not be read")
    }
}

impl Error for ReadBodyError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
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
pub(crate) use self::hyper_client::HyperRequest;
#[cfg(feature = "default-client")]
pub use self::hyper_client::{
    tls_provider, HyperClient, HyperClientBuilder, DEFAULT_MAX_RESPONSE_BODY_SIZE,
};

#[cfg(feature = "default-client")]
mod hyper_client {
    use std::error::Error;
    use std::fmt;
    use std::future::Future;
    use std::io;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use bytes::Bytes;
    use http_body_util::{BodyExt, Either, Full};
    use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
    use hyper_util::client::legacy::connect::HttpConnector;
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;

    use super::ConnectorError;
    use super::{
        Headers, HttpClient, HttpFuture, HttpRequest, HttpResponse, RequestParts, StreamingFuture,
        StreamingRequest, StreamingResponse,
    };
    use crate::primitives::{ByteStream, SdkBody};

    /// The body of a request the default transport sends: bytes in memory,
    /// or a streamed payload read as it is sent.
    type RequestBody = Either<Full<Bytes>, SdkBody>;

    /// A request as the default transport sends it.
    pub(crate) type HyperRequest = ::http::Request<RequestBody>;

    /// The default connect timeout.
    const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

    /// The default limit on a response body: far above what any awsJson
    /// service sends, low enough that a hostile or broken server cannot make
    /// the client buffer without end.
    pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: usize = 64 * 1024 * 1024;

    /// The TLS crypto provider of the default transport: the program's
    /// process-wide rustls provider when it installed one
    /// (`CryptoProvider::install_default`); otherwise aws-lc-rs with
    /// post-quantum key exchange (X25519MLKEM768 first) under the
    /// `tls-aws-lc` feature, and ring (X25519, no post-quantum key exchange)
    /// under `tls-ring` alone.
    pub fn tls_provider() -> rustls::crypto::CryptoProvider {
        if let Some(installed) = rustls::crypto::CryptoProvider::get_default() {
            return installed.as_ref().clone();
        }
        #[cfg(feature = "tls-aws-lc")]
        return rustls::crypto::aws_lc_rs::default_provider();
        // rustls deprecates ring's provider only because it has no
        // post-quantum key exchange; that is what choosing `tls-ring` over
        // `tls-aws-lc` means (it builds far faster: see the README).
        #[cfg(all(feature = "tls-ring", not(feature = "tls-aws-lc")))]
        #[allow(deprecated)]
        rustls::crypto::ring::default_provider()
    }

    /// The default transport: hyper's pooled HTTP/1.1 client, speaking TLS
    /// through rustls ([`tls_provider`], Mozilla's root certificates) for
    /// `https` URIs and plain TCP for `http` URIs.
    ///
    /// Requests must be sent from within a Tokio runtime.
    #[derive(Clone)]
    pub struct HyperClient {
        client: Client<HttpsConnector<HttpConnector>, RequestBody>,
        /// For `http` URIs: the connector `client` would use for them, without
        /// the TLS connector around it to clone and call for every request.
        plain: Client<HttpConnector, RequestBody>,
        connect_timeout: Option<Duration>,
        request_timeout: Option<Duration>,
        max_response_body_size: Option<usize>,
        /// The last request URI and its parse: a client's requests mostly go
        /// to one endpoint.
        last_uri: Arc<Mutex<Option<(String, ::http::Uri)>>>,
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

        /// The hyper request `parts` describe (the body copied once): what
        /// [`HttpClient::send`] sends for the same [`HttpRequest`].
        pub(crate) fn convert_parts(
            &self,
            parts: &RequestParts<'_>,
        ) -> Result<HyperRequest, ConnectorError> {
            self.to_hyper_request(
                parts.method,
                parts.uri,
                parts.headers.iter().copied(),
                Either::Left(Full::new(Bytes::copy_from_slice(parts.body))),
            )
            .map_err(ConnectorError::other)
        }

        /// `request` as a hyper request, its body moved rather than copied.
        pub(crate) fn convert_owned(
            &self,
            mut request: HttpRequest,
        ) -> Result<HyperRequest, ConnectorError> {
            let body = Bytes::from(std::mem::take(&mut request.body));
            let headers = request
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()));
            self.to_hyper_request(
                &request.method,
                &request.uri,
                headers,
                Either::Left(Full::new(body)),
            )
            .map_err(ConnectorError::other)
        }

        /// `request` as a hyper request, its body streamed as it is sent.
        fn convert_streaming(
            &self,
            request: StreamingRequest,
        ) -> Result<HyperRequest, ConnectorError> {
            let headers = request
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()));
            self.to_hyper_request(
                &request.method,
                &request.uri,
                headers,
                Either::Right(request.body.into_inner()),
            )
            .map_err(ConnectorError::other)
        }

        /// Starts sending `request`, through the plain client for `http`
        /// URIs.
        fn dispatch(&self, request: HyperRequest) -> hyper_util::client::legacy::ResponseFuture {
            if request.uri().scheme() == Some(&::http::uri::Scheme::HTTP) {
                self.plain.request(request)
            } else {
                self.client.request(request)
            }
        }

        /// `future` within the request timeout, if any.
        async fn within_timeout<T>(
            &self,
            future: impl Future<Output = Result<T, ConnectorError>>,
        ) -> Result<T, ConnectorError> {
            match self.request_timeout {
                // Boxed, so that the state of every request does not make
                // room for the timer as well.
                Some(limit) => tokio::time::timeout(limit, Box::pin(future))
                    .await
                    .map_err(|_| {
                        ConnectorError::timeout(format!(
                            "request did not complete within {limit:?}"
                        ))
                    })?,
                None => future.await,
            }
        }

        /// Sends `request` and reads the response, within the request
        /// timeout, if any.
        // Not an `async fn`, so that the future holds the small
        // `ResponseFuture` (hyper only starts sending when that is polled)
        // rather than the request.
        pub(crate) fn send_hyper(
            &self,
            request: Result<HyperRequest, ConnectorError>,
        ) -> impl Future<Output = Result<HttpResponse, ConnectorError>> + Send + '_ {
            let response = request.map(|request| self.dispatch(request));
            async move {
                let response = response?;
                self.within_timeout(self.read_response(response)).await
            }
        }

        /// Waits for the response and reads its body.
        async fn read_response(
            &self,
            response: hyper_util::client::legacy::ResponseFuture,
        ) -> Result<HttpResponse, ConnectorError> {
            // The head is read by a function of its own, so that the
            // response is not kept while the body is read.
            let (head, body) = self.read_head(response.await.map_err(classify_error)?, true)?;
            let body = self.read_body(body).await?;
            Ok(HttpResponse {
                status: head.status,
                headers: head.headers,
                body: Vec::from(body),
            })
        }

        /// Reads a whole body, within the limit.
        async fn read_body(&self, body: hyper::body::Incoming) -> Result<Bytes, ConnectorError> {
            Ok(match self.max_response_body_size {
                Some(limit) => match http_body_util::Limited::new(body, limit).collect().await {
                    Ok(collected) => collected.to_bytes(),
                    Err(err) if err.is::<http_body_util::LengthLimitError>() => {
                        return Err(body_too_large(limit))
                    }
                    Err(err) => return Err(classify_boxed(err)),
                },
                None => body.collect().await.map_err(classify_error)?.to_bytes(),
            })
        }

        /// Sends `request`, its body streamed, and reads the response: its
        /// head only, for a 2xx response the caller streams (with neither
        /// the body limit nor the request timeout applying to the body),
        /// else the whole of it.
        async fn send_streaming_hyper(
            &self,
            request: StreamingRequest,
        ) -> Result<StreamingResponse, ConnectorError> {
            let stream_response = request.stream_response;
            let response = self.dispatch(self.convert_streaming(request)?);
            self.within_timeout(async move {
                let response = response.await.map_err(classify_error)?;
                let streams = stream_response && response.status().is_success();
                let (head, body) = self.read_head(response, !streams)?;
                let body = match streams {
                    true => ByteStream::from_body_1_x(body),
                    false => ByteStream::from(self.read_body(body).await?),
                };
                Ok(StreamingResponse {
                    status: head.status,
                    headers: head.headers,
                    body,
                })
            })
            .await
        }

        /// The status and headers of `response`, and its body to read. When
        /// the body is to be read whole (`limited`), fails when the response
        /// declares one longer than the limit.
        fn read_head(
            &self,
            response: ::http::Response<hyper::body::Incoming>,
            limited: bool,
        ) -> Result<(Head, hyper::body::Incoming), ConnectorError> {
            let (parts, body) = response.into_parts();
            if let Some(limit) = self.max_response_body_size.filter(|_| limited) {
                let declared = parts
                    .headers
                    .get(::http::header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                if declared.is_some_and(|n| n > limit as u64) {
                    return Err(body_too_large(limit));
                }
            }
            let head = Head {
                status: parts.status.as_u16(),
                headers: Headers::from_header_map(parts.headers),
            };
            Ok((head, body))
        }
    }

    impl HyperClient {
        /// The hyper request with this method, URI, headers and body: what
        /// `http::Request::builder()` makes of them.
        fn to_hyper_request<'a>(
            &self,
            method: &str,
            uri: &str,
            headers: impl ExactSizeIterator<Item = (&'a str, &'a str)>,
            body: RequestBody,
        ) -> Result<HyperRequest, ::http::Error> {
            let method = ::http::Method::from_bytes(method.as_bytes())?;
            let uri = self.parse_uri(uri)?;
            // Room for `host` too, which hyper adds: a map that has to grow
            // is rehashed.
            let mut header_map = ::http::HeaderMap::with_capacity(headers.len() + 1);
            for (name, value) in headers {
                let name = header_name(name)?;
                let value = match header_value(&name, value) {
                    Some(value) => value,
                    None => ::http::HeaderValue::from_str(value)?,
                };
                header_map.append(name, value);
            }
            let mut hyper_request = ::http::Request::new(body);
            *hyper_request.method_mut() = method;
            *hyper_request.uri_mut() = uri;
            *hyper_request.headers_mut() = header_map;
            Ok(hyper_request)
        }

        /// `uri` parsed, from `last_uri` when it is the last URI parsed.
        fn parse_uri(&self, uri: &str) -> Result<::http::Uri, ::http::uri::InvalidUri> {
            if let Ok(last) = self.last_uri.lock() {
                if let Some((text, parsed)) = last.as_ref() {
                    if text == uri {
                        return Ok(parsed.clone());
                    }
                }
            }
            let parsed = ::http::Uri::try_from(uri)?;
            if let Ok(mut last) = self.last_uri.lock() {
                *last = Some((uri.to_owned(), parsed.clone()));
            }
            Ok(parsed)
        }
    }

    /// The header name `name`, with no copy of the names every awsJson
    /// request has.
    fn header_name(name: &str) -> Result<::http::HeaderName, ::http::header::InvalidHeaderName> {
        const X_AMZ_TARGET: ::http::HeaderName = ::http::HeaderName::from_static("x-amz-target");
        match name {
            "content-type" => Ok(::http::header::CONTENT_TYPE),
            "content-length" => Ok(::http::header::CONTENT_LENGTH),
            "x-amz-target" => Ok(X_AMZ_TARGET),
            _ => ::http::HeaderName::from_bytes(name.as_bytes()),
        }
    }

    /// The value `value` of header `name`, with no copy, when it is one of
    /// the awsJson content types.
    fn header_value(name: &::http::HeaderName, value: &str) -> Option<::http::HeaderValue> {
        const JSON_1_0: ::http::HeaderValue =
            ::http::HeaderValue::from_static("application/x-amz-json-1.0");
        const JSON_1_1: ::http::HeaderValue =
            ::http::HeaderValue::from_static("application/x-amz-json-1.1");
        if name != ::http::header::CONTENT_TYPE {
            return None;
        }
        match value {
            "application/x-amz-json-1.0" => Some(JSON_1_0),
            "application/x-amz-json-1.1" => Some(JSON_1_1),
            _ => None,
        }
    }

    impl HttpClient for HyperClient {
        fn send(&self, request: HttpRequest) -> HttpFuture<'_> {
            Box::pin(self.send_hyper(self.convert_owned(request)))
        }

        fn send_streaming(&self, request: StreamingRequest) -> StreamingFuture<'_> {
            Box::pin(self.send_streaming_hyper(request))
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
        /// last byte of the response (`None`: no limit). A response whose
        /// body the caller streams (a `@streaming` output) is done once its
        /// head is read.
        pub fn request_timeout(mut self, timeout: Option<Duration>) -> Self {
            self.request_timeout = timeout;
            self
        }

        /// The most bytes of response body to read (`None`: no limit). A
        /// longer body (or a `Content-Length` promising one) fails the request
        /// with a [`ConnectorError`] of kind `Other`, which is not retried.
        /// Default: [`DEFAULT_MAX_RESPONSE_BODY_SIZE`]. It does not apply to
        /// a response body the caller streams (a `@streaming` output), which
        /// is never held whole.
        pub fn max_response_body_size(mut self, limit: Option<usize>) -> Self {
            self.max_response_body_size = limit;
            self
        }

        /// Builds the client.
        pub fn build(self) -> HyperClient {
            let mut http = HttpConnector::new();
            http.set_nodelay(true);
            http.set_connect_timeout(self.connect_timeout);
            let plain = Client::builder(TokioExecutor::new()).build(http.clone());
            // The HTTPS connector decides per URI whether to speak TLS.
            http.enforce_http(false);

            let https = HttpsConnectorBuilder::new()
                .with_provider_and_webpki_roots(tls_provider())
                .expect("rustls' own providers support its default protocol versions")
                .https_or_http()
                .enable_http1()
                .wrap_connector(http);

            let client = Client::builder(TokioExecutor::new()).build(https);
            HyperClient {
                client,
                plain,
                connect_timeout: self.connect_timeout,
                request_timeout: self.request_timeout,
                max_response_body_size: self.max_response_body_size,
                last_uri: Arc::default(),
            }
        }
    }

    /// The status and headers of a response.
    struct Head {
        status: u16,
        headers: Headers,
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
    fn classify_boxed(err: Box<dyn Error + Send + Sync>) -> ConnectorError {
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
            .push(("X-aws-ec2-metadata-token".into(), "imds-secret".into()));
        request
            .headers
            .push(("x-amz-target".into(), "Svc.Op".into()));
        request.body = br#"{"Password":"hunter2"}"#.to_vec();
        let printed = format!("{request:?} {request:#?}");
        for secret in ["hunter2", "session-secret", "imds-secret", "5ec7e75167"] {
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
    fn headers_keep_order_and_compare_by_content() {
        let mut headers: Headers = [("a", "1"), ("B", "2"), ("a", "3")].into_iter().collect();
        assert_eq!(headers.len(), 3);
        assert_eq!(headers.get("A"), Some("1"));
        assert_eq!(headers.get("b"), Some("2"));
        assert_eq!(headers.get("c"), None);
        headers.push("c", "4");
        let listed: Vec<(&str, &str)> = headers.iter().collect();
        assert_eq!(listed, [("a", "1"), ("B", "2"), ("a", "3"), ("c", "4")]);
        let pairs: Vec<(String, String)> = listed
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(headers, Headers::from(pairs));
        assert!(Headers::new().is_empty());
        assert_ne!(headers, Headers::new());
    }

    #[cfg(feature = "default-client")]
    #[test]
    fn hyper_header_maps_are_kept_or_copied_lossily() {
        use ::http::{HeaderMap, HeaderName, HeaderValue};
        let mut map = HeaderMap::new();
        map.append("content-type", HeaderValue::from_static("application/json"));
        map.append("x-amzn-requestid", HeaderValue::from_static("abc"));
        map.append("x-amzn-requestid", HeaderValue::from_static("def"));
        let mut headers = Headers::from_header_map(map.clone());
        assert!(matches!(headers.0, Repr::Map(_)));
        assert_eq!(headers.get("X-Amzn-RequestId"), Some("abc"));
        let expected: Headers = [
            ("content-type", "application/json"),
            ("x-amzn-requestid", "abc"),
            ("x-amzn-requestid", "def"),
        ]
        .into_iter()
        .collect();
        assert_eq!(headers, expected);
        assert_eq!(format!("{headers:?}"), format!("{expected:?}"));
        // Adding a header turns the map into pairs, keeping what was there.
        headers.push("x-extra", "1");
        assert_eq!(headers.len(), 4);
        assert_eq!(headers.get("x-extra"), Some("1"));
        assert_eq!(headers.get("content-type"), Some("application/json"));

        // A value that is not UTF-8 is read with replacement characters.
        map.append(
            HeaderName::from_static("x-latin1"),
            HeaderValue::from_bytes(b"caf\xe9").unwrap(),
        );
        let headers = Headers::from_header_map(map);
        assert!(matches!(headers.0, Repr::Pairs(_)));
        assert_eq!(headers.get("x-latin1"), Some("caf\u{fffd}"));
        assert_eq!(headers.len(), 4);
    }

    #[test]
    fn non_2xx_is_not_success() {
        assert!(!HttpResponse::new(400, vec![], vec![]).is_success());
        assert!(!HttpResponse::new(302, vec![], vec![]).is_success());
        assert!(HttpResponse::new(204, vec![], vec![]).is_success());
    }

    #[cfg(feature = "default-client")]
    #[tokio::test]
    async fn hyper_requests_are_what_the_http_builder_makes() {
        let body = br#"{"A":1}"#;
        let parts = RequestParts {
            method: "POST",
            uri: "http://localhost:8000/prefix/",
            headers: &[
                ("content-type", "application/x-amz-json-1.1"),
                ("x-amz-target", "Svc.Op"),
                ("content-length", "7"),
                ("X-Rule-Header", "one"),
                ("x-rule-header", "two"),
                ("content-type", "text/plain"),
            ],
            body,
        };
        let mut expected = ::http::Request::builder()
            .method(parts.method)
            .uri(parts.uri);
        for (name, value) in parts.headers {
            expected = expected.header(*name, *value);
        }
        let expected = expected.body(()).unwrap();

        let client = HyperClient::new();
        // Twice each: the second time with the URI parsed before.
        for _ in 0..2 {
            for converted in [
                client.convert_parts(&parts).unwrap(),
                client.convert_owned(parts.to_request()).unwrap(),
            ] {
                let (converted, body) = converted.into_parts();
                assert_eq!(converted.method, expected.method());
                assert_eq!(converted.uri, *expected.uri());
                assert_eq!(converted.version, expected.version());
                let pairs = |map: &::http::HeaderMap| {
                    map.iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(pairs(&converted.headers), pairs(expected.headers()));
                let body = http_body_util::BodyExt::collect(body).await.unwrap();
                assert_eq!(&body.to_bytes()[..], parts.body);
            }
        }

        let invalid = RequestParts {
            headers: &[("bad header", "x")],
            ..parts
        };
        assert!(client.convert_parts(&invalid).is_err());
        assert!(client.convert_owned(invalid.to_request()).is_err());
    }

    #[cfg(feature = "default-client")]
    #[test]
    fn default_client_is_available() {
        let client = default_http_client().expect("default-client feature is on");
        assert!(format!("{client:?}").starts_with("HyperClient"));
    }
}

// ---------------------------------------------------------------------------
// ConnectorError
// ---------------------------------------------------------------------------

/// What kind of transport failure a [`ConnectorError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectorErrorKind {
    /// The connection or the request took too long.
    Timeout,
    /// A socket-level failure: connection refused or reset, DNS failure,
    /// TLS handshake failure, truncated response.
    Io,
    /// Anything else, such as a request the transport could not encode.
    Other,
}

/// The transport ([`crate::http::HttpClient`]) failed to send a request or to
/// read its response.
#[derive(Debug)]
pub struct ConnectorError {
    kind: ConnectorErrorKind,
    source: Box<dyn Error + Send + Sync>,
}

impl ConnectorError {
    /// The request or the connection timed out.
    pub fn timeout(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self {
            kind: ConnectorErrorKind::Timeout,
            source: source.into(),
        }
    }

    /// A socket-level failure.
    pub fn io(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self {
            kind: ConnectorErrorKind::Io,
            source: source.into(),
        }
    }

    /// Any other transport failure.
    pub fn other(source: impl Into<Box<dyn Error + Send + Sync>>) -> Self {
        Self {
            kind: ConnectorErrorKind::Other,
            source: source.into(),
        }
    }

    /// The kind of failure.
    pub fn kind(&self) -> ConnectorErrorKind {
        self.kind
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind == ConnectorErrorKind::Timeout
    }

    /// Whether this is a socket-level failure.
    pub fn is_io(&self) -> bool {
        self.kind == ConnectorErrorKind::Io
    }

    /// Whether this is neither a timeout nor a socket-level failure.
    pub fn is_other(&self) -> bool {
        self.kind == ConnectorErrorKind::Other
    }

    /// Unwraps the underlying error.
    pub fn into_source(self) -> Box<dyn Error + Send + Sync> {
        self.source
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The underlying error is reported through `source()`.
        f.write_str(match self.kind {
            ConnectorErrorKind::Timeout => "timeout error",
            ConnectorErrorKind::Io => "io error",
            ConnectorErrorKind::Other => "other transport error",
        })
    }
}

impl Error for ConnectorError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.source.as_ref())
    }
}
