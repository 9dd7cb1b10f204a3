//! What generated crates tell the runtime about a service and its
//! operations: descriptions, known when the crate is generated, that the
//! protocol and the sending orchestration read.

pub use crate::error::{Fault, ModeledError};

/// What the protocol needs to know about a service. Generated crates define
/// one as a `static`.
#[derive(Debug)]
pub struct ServiceSpec {
    /// The service shape's name, the first half of `X-Amz-Target`
    /// (e.g. `AWSCognitoIdentityProviderService`).
    pub target_prefix: &'static str,
    /// The first label of the default endpoint's host (e.g. `cognito-idp`).
    pub endpoint_prefix: &'static str,
    /// The name requests are signed for (e.g. `cognito-idp`).
    pub signing_name: &'static str,
    /// The wire protocol.
    pub protocol: Protocol,
    /// `aws.protocols#awsQueryCompatible`: a service that moved from awsQuery
    /// to awsJson1_0 and still speaks of errors by their query codes.
    /// Requests say `x-amzn-query-mode: true`; an error's code and type come
    /// from the `x-amzn-query-error` header (`Code;Type`) when it is sent.
    pub query_compatible: bool,
    /// The service's endpoint rule set; without one, the endpoint is the
    /// configured URL or `https://{endpoint_prefix}.{region}.amazonaws.com`.
    pub endpoint_rules: Option<&'static crate::endpoint::EndpointRules>,
}

/// How an operation authenticates its requests: the auth schemes it
/// supports, in the model's order of preference.
///
/// `SigV4` and `None` stand for an operation with that one scheme; others
/// list theirs. Each request uses the first scheme whose identity is
/// available (see [`crate::orchestrator`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// Signed with AWS Signature Version 4 (`aws.auth#sigv4`), with the
    /// service's [`ServiceSpec::signing_name`] and the client's region and
    /// credentials.
    SigV4,
    /// Not signed, and no credentials needed: operations with
    /// `smithy.api#auth: []`, or of a service without auth traits.
    None,
    /// The schemes of an operation with any other list, in order (e.g.
    /// `[HttpBearer, SigV4]`, or `[SigV4, Anonymous]` for
    /// `smithy.api#optionalAuth`).
    Schemes(&'static [AuthScheme]),
}

impl AuthMode {
    /// The schemes, in order.
    pub fn schemes(&self) -> &'static [AuthScheme] {
        match self {
            AuthMode::SigV4 => &[AuthScheme::SigV4],
            AuthMode::None => &[AuthScheme::Anonymous],
            AuthMode::Schemes(schemes) => schemes,
        }
    }
}

/// One way of authenticating a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// AWS Signature Version 4 (`aws.auth#sigv4`): needs a region and
    /// credentials.
    SigV4,
    /// A bearer token (`smithy.api#httpBearerAuth`), sent as
    /// `Authorization: Bearer <token>`: needs a token (see [`crate::token`]).
    HttpBearer,
    /// No authentication (`smithy.api#noAuth`): needs nothing.
    Anonymous,
}

impl AuthScheme {
    /// The scheme's Smithy shape id, e.g. `aws.auth#sigv4`.
    pub fn shape_id(&self) -> &'static str {
        match self {
            AuthScheme::SigV4 => "aws.auth#sigv4",
            AuthScheme::HttpBearer => "smithy.api#httpBearerAuth",
            AuthScheme::Anonymous => "smithy.api#noAuth",
        }
    }
}

/// What the protocol needs to know about an operation. Generated crates
/// define one `static` per operation.
#[derive(Debug)]
pub struct OperationSpec {
    /// The operation shape's name, the second half of `X-Amz-Target`.
    pub name: &'static str,
    /// How requests are authenticated.
    pub auth: AuthMode,
    /// The operation's modeled errors. Errors not listed here are classified
    /// for retries by their status and code only.
    pub errors: &'static [ModeledError],
    /// `smithy.api#requestCompression` lists gzip: bodies of at least
    /// [`Config::request_min_compression_size_bytes`](crate::Config) are sent gzip-compressed.
    ///
    /// Compression needs the runtime's `gzip` feature, which smithgen enables
    /// for every crate it generates from a model with such an operation.
    /// Without the feature the body is sent uncompressed and without
    /// `Content-Encoding`, as with
    /// [`disable_request_compression`](crate::config::Builder::disable_request_compression):
    /// the trait says the service accepts compressed bodies, never that it
    /// requires them.
    pub request_compression: bool,
    /// Endpoint rule parameters bound from the operation's input.
    pub endpoint_params: crate::endpoint::OperationEndpointParams,
}

impl OperationSpec {
    /// An operation named `name`, authenticated by `auth`, with the
    /// modeled `errors`; no request compression and no endpoint parameters
    /// from the input, which the methods below add.
    pub const fn new(name: &'static str, auth: AuthMode, errors: &'static [ModeledError]) -> Self {
        Self {
            name,
            auth,
            errors,
            request_compression: false,
            endpoint_params: crate::endpoint::OperationEndpointParams::NONE,
        }
    }

    /// Sets [`request_compression`](Self::request_compression).
    pub const fn with_request_compression(mut self, compression: bool) -> Self {
        self.request_compression = compression;
        self
    }

    /// Sets [`endpoint_params`](Self::endpoint_params).
    pub const fn with_endpoint_params(
        mut self,
        params: crate::endpoint::OperationEndpointParams,
    ) -> Self {
        self.endpoint_params = params;
        self
    }

    /// The modeled error with code `code` (compared by shape name, or by
    /// the query error code of a query-compatible service).
    pub fn modeled_error(&self, code: &str) -> Option<&ModeledError> {
        self.errors.iter().find(|error| error.has_code(code))
    }
}

/// The wire protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
    /// `aws.protocols#restJson1`.
    RestJson1,
}
