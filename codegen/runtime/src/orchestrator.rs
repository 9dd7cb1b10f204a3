//! Sending an operation: endpoint, auth and signing, retries, timeouts and
//! request compression. It knows no protocol and no data format: the
//! service's [`Protocol`](crate::protocol::Protocol) adds its headers to a request and reads the
//! metadata of an error response, and the generated code writes the body
//! and reads the output.
//!
//! [`send`] (and [`send_body_response`], and what the generated operations'
//! futures call through [`crate::operation::send`], which also sends and
//! reads streamed payloads as [`crate::byte_stream`] describes):
//!
//! 1. resolves the endpoint (configured URL, else `AWS_ENDPOINT_URL`, else the
//!    region's endpoint; the region is the configured one, else `AWS_REGION`,
//!    else `AWS_DEFAULT_REGION`, else the profile's; these are read once,
//!    when the client is created, see [`crate::config`]; when none names a
//!    region and the request needs one, EC2 instance metadata is asked once,
//!    see [`crate::region`]);
//! 2. for [`AuthMode::SigV4`] operations, checks that there is a region to
//!    sign with; a missing one is a [`SdkError::ConstructionFailure`] and
//!    nothing is sent;
//! 3. makes up to [`crate::retry::RetryConfig::max_attempts`] attempts, each
//!    one authenticated afresh and limited by the operation attempt timeout,
//!    waiting a backoff delay between them (see [`crate::retry`]); the whole
//!    is limited by the operation timeout (see [`crate::timeout`]).
//!
//! # Auth
//!
//! Each attempt uses the first of the operation's auth schemes
//! ([`AuthMode::schemes`], in the model's order) whose identity is
//! available then:
//!
//! * [`AuthScheme::SigV4`]: a region to sign with and credentials valid at
//!   that time (the configured ones, else the cached ones of the
//!   credentials provider or the default chain, see [`crate::credentials`]);
//!   the request is signed (see [`crate::auth`]);
//! * [`AuthScheme::HttpBearer`]: a usable bearer token (see
//!   [`crate::token`]), sent as `Authorization: Bearer <token>`, only over
//!   HTTPS or to a loopback address: a token for any other URI is a
//!   [`SdkError::ConstructionFailure`];
//! * [`AuthScheme::Anonymous`]: nothing; the request is sent as it is.
//!
//! A scheme is only tried when those before it have no identity: when a
//! bearer token is configured and the operation lists bearer first, no
//! credentials are looked for. When the service's bearer token environment
//! variable is set, bearer tokens are tried first. When no scheme has an
//! identity, the attempt fails with a [`SdkError::ConstructionFailure`]
//! naming each scheme and why it could not be used, and nothing is sent.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::auth::{sign_with_payload, Payload};
use crate::body_hash::{BodyHash, Digests, Hasher};
use crate::client::Handle;
use crate::config::{env_value, Config, EndpointSettings};
use crate::credentials::{Credentials, CredentialsError, NoCredentialsFound};
pub use crate::endpoint::RequestEndpoint;
use crate::error::{BoxError, DeserializeError, ErrorMetadata, SdkError};
use crate::http::{HttpRequest, HttpResponse, RequestParts, SharedHttpClient, StreamingRequest};
use crate::primitives::{ByteStream, SdkBody};
use crate::protocol::ProtocolHeaders;
use crate::request::RequestPartsOwned;
use crate::retry::{classify_error_response, RetryConfig, RetryKind};
use crate::spec::{AuthMode, AuthScheme, OperationSpec, ServiceSpec};
use crate::time::{timeout, AsyncSleep};

/// The URI requests for `service` are sent to, from the configuration alone.
///
/// The configured endpoint URL is used as is (with `/` added when it has no
/// path); otherwise the URI is `https://{endpoint_prefix}.{region}.amazonaws.com/`
/// (`.amazonaws.com.cn` for the `cn-` regions). Fails when neither an
/// endpoint URL nor a region is configured, or when either is malformed.
///
/// [`send`] resolves the endpoint the same way, except that unset
/// settings are taken from the environment (`AWS_ENDPOINT_URL`, `AWS_REGION`,
/// `AWS_DEFAULT_REGION`) as it was when the client was created.
pub fn resolve_endpoint(config: &Config, service: &ServiceSpec) -> Result<String, String> {
    endpoint_for(config.endpoint_url(), config.region(), service)
}

/// The URI for `service`, from an endpoint URL and a region.
fn endpoint_for(
    endpoint_url: Option<&str>,
    region: Option<&str>,
    service: &ServiceSpec,
) -> Result<String, String> {
    if let Some(url) = endpoint_url {
        return normalize_endpoint_url(url);
    }
    let Some(region) = region else {
        return Err(format!(
            "no region and no endpoint URL are configured for {}: set one with \
             `Config::builder().region(..)` or `.endpoint_url(..)`, or with the \
             AWS_REGION or AWS_ENDPOINT_URL environment variable",
            service.target_prefix
        ));
    };
    let valid_region = !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !valid_region {
        return Err(format!("invalid region {region:?}"));
    }
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    Ok(format!(
        "https://{}.{region}.{suffix}/",
        service.endpoint_prefix
    ))
}

/// Checks that `url` is an absolute http(s) URL and gives it a path.
fn normalize_endpoint_url(url: &str) -> Result<String, String> {
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!(
            "endpoint URL {url:?} is not absolute (expected http://… or https://…)"
        ));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(format!(
            "endpoint URL {url:?} has unsupported scheme {scheme:?} (expected http or https)"
        ));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if authority_end == 0 {
        return Err(format!("endpoint URL {url:?} has no host"));
    }
    if rest[authority_end..].starts_with('/') {
        // The request goes to the endpoint's path as a directory: `/custom` → `/custom/`.
        let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
        if rest[..path_end].ends_with('/') {
            return Ok(url.to_owned());
        }
        let split = url.len() - rest.len() + path_end;
        return Ok(format!("{}/{}", &url[..split], &url[split..]));
    }
    // No path: the request path is `/`.
    let split = url.len() - rest.len() + authority_end;
    Ok(format!("{}/{}", &url[..split], &url[split..]))
}

/// Where an operation signs for; the credentials are taken for each attempt.
#[derive(Debug)]
struct Signing {
    /// The region, or why there is none (for operations that have other
    /// schemes to try).
    region: Result<String, String>,
    name: String,
}

/// The settings of one operation, resolved before anything is sent.
#[derive(Debug)]
struct Prepared {
    /// The URI and the headers the endpoint rules add to every request.
    endpoint: Arc<RequestEndpoint>,
    /// `None` for operations that do not list SigV4. Boxed, as few
    /// operations are signed and every operation's future makes room for
    /// this.
    signing: Option<Box<Signing>>,
}

/// The region of one request: the one the client read when it was created,
/// else instance metadata's, with why instance metadata had none.
#[derive(Debug, Clone, Copy, Default)]
struct RequestRegion<'a> {
    name: Option<&'a str>,
    /// Why instance metadata gave no region, when it was asked.
    imds_failure: Option<&'a str>,
}

/// Resolves the endpoint of one request of `operation` with input `input`
/// (its JSON form) from `config`, reading the environment now for unset
/// settings, as a client does when it is created. Nothing is sent or signed.
pub fn resolve_request_endpoint(
    config: &Config,
    service: &ServiceSpec,
    operation: &OperationSpec,
    input: &serde_json::Value,
) -> Result<RequestEndpoint, String> {
    let settings = config.endpoint_settings(&env_value);
    let region = settings.region.as_deref();
    request_endpoint(config, &settings, region, service, operation, input).map(Arc::unwrap_or_clone)
}

/// Resolves the endpoint of one request from `settings` (the configuration
/// with the environment filled in) and `region`. With endpoint rules, a
/// request like an earlier one is answered from the rules' cache.
fn request_endpoint(
    config: &Config,
    settings: &EndpointSettings,
    region: Option<&str>,
    service: &ServiceSpec,
    operation: &OperationSpec,
    input: &serde_json::Value,
) -> Result<Arc<RequestEndpoint>, String> {
    let endpoint_url = settings.endpoint_url.as_deref();
    let Some(rules) = service.endpoint_rules else {
        let uri = endpoint_for(endpoint_url, region, service)?;
        return Ok(Arc::new(RequestEndpoint {
            uri,
            headers: Vec::new(),
            signing_name: service.signing_name.to_owned(),
            signing_region: region.map(str::to_owned),
        }));
    };
    let built_ins = crate::endpoint::BuiltInsRef {
        region,
        use_fips: settings.use_fips,
        use_dual_stack: settings.use_dual_stack,
        endpoint: endpoint_url,
        account_id: config.account_id(),
        account_id_endpoint_mode: config.account_id_endpoint_mode(),
    };
    rules.resolve_request(&built_ins, &operation.endpoint_params, input, |endpoint| {
        let mut headers = Vec::new();
        for (name, values) in &endpoint.headers {
            for value in values {
                headers.push((name.to_ascii_lowercase(), value.clone()));
            }
        }
        let (name, signing_region) = crate::endpoint::sigv4_overrides(&endpoint);
        Ok(RequestEndpoint {
            uri: normalize_endpoint_url(&endpoint.url)?,
            headers,
            signing_name: name.unwrap_or_else(|| service.signing_name.to_owned()),
            signing_region: signing_region.or_else(|| region.map(str::to_owned)),
        })
    })
}

/// Resolves the endpoint from `settings` and `region` and, for signed
/// operations, where they sign for.
fn prepare(
    config: &Config,
    settings: &EndpointSettings,
    region: RequestRegion<'_>,
    service: &ServiceSpec,
    operation: &OperationSpec,
    input: &serde_json::Value,
) -> Result<Prepared, String> {
    // Why instance metadata gave no region, for the errors below.
    let imds_note = |mut message: String| {
        if let Some(why) = region.imds_failure {
            message.push_str("; instance metadata: ");
            message.push_str(why);
        }
        message
    };
    let endpoint = request_endpoint(config, settings, region.name, service, operation, input)
        .map_err(|err| match region.name {
            None => imds_note(err),
            Some(_) => err,
        })?;
    let schemes = operation.auth.schemes();
    let signing = match schemes.contains(&AuthScheme::SigV4) {
        false => None,
        true => {
            let region = endpoint.signing_region.clone().ok_or_else(|| {
                imds_note(format!(
                    "no region is configured to sign {}.{} requests with: set one with \
                     `Config::builder().region(..)`, the AWS_REGION environment variable or \
                     `region` in the profile of the shared config file",
                    service.target_prefix, operation.name
                ))
            });
            // With SigV4 alone, a missing region fails before anything else.
            if schemes == [AuthScheme::SigV4] {
                region.clone()?;
            }
            Some(Box::new(Signing {
                region,
                name: endpoint.signing_name.clone(),
            }))
        }
    };
    Ok(Prepared { endpoint, signing })
}

/// Whether a request of `operation` may be signed: SigV4 comes before no
/// auth, and before bearer tokens unless a token is there without asking a
/// provider (configured, or from the environment).
fn may_sign(handle: &Handle, service: &ServiceSpec, operation: &OperationSpec) -> bool {
    for scheme in scheme_order(handle, service, operation) {
        match scheme {
            AuthScheme::SigV4 => return true,
            AuthScheme::HttpBearer if has_static_token(handle, service) => return false,
            AuthScheme::HttpBearer => {}
            AuthScheme::Anonymous => return false,
        }
    }
    false
}

/// Whether a bearer token is there without asking a provider: a configured
/// one, or, without a token provider, the environment's.
fn has_static_token(handle: &Handle, service: &ServiceSpec) -> bool {
    let config = handle.config();
    config.bearer_token().is_some()
        || (config.token_provider().is_none() && handle.env_token(service).token.is_some())
}

/// The order in which a request of `operation` tries its auth schemes: the
/// model's, with bearer tokens first when the service's bearer token
/// environment variable is set (see [`crate::token`]).
fn scheme_order(
    handle: &Handle,
    service: &ServiceSpec,
    operation: &OperationSpec,
) -> impl Iterator<Item = AuthScheme> {
    let schemes = operation.auth.schemes();
    let bearer_first =
        schemes.contains(&AuthScheme::HttpBearer) && handle.env_token(service).token.is_some();
    bearer_first
        .then_some(AuthScheme::HttpBearer)
        .into_iter()
        .chain(
            schemes
                .iter()
                .copied()
                .filter(move |scheme| !(bearer_first && *scheme == AuthScheme::HttpBearer)),
        )
}

/// The region of a request of `operation`: the client's, else, when the
/// request needs one (it is signed, or no endpoint URL is set), instance
/// metadata's.
async fn request_region<'h>(
    handle: &'h Handle,
    service: &ServiceSpec,
    operation: &OperationSpec,
) -> RequestRegion<'h> {
    let settings = handle.endpoint_settings();
    if let Some(region) = settings.region.as_deref() {
        return RequestRegion {
            name: Some(region),
            imds_failure: None,
        };
    }
    if settings.endpoint_url.is_some() && !may_sign(handle, service, operation) {
        return RequestRegion::default();
    }
    let answer = match handle.known_imds_region() {
        Some(answer) => answer,
        // Boxed: asked once per client, so operations' futures need not
        // make room for it.
        None => Box::pin(handle.imds_region()).await,
    };
    match answer {
        Ok(region) => RequestRegion {
            name: Some(region),
            imds_failure: None,
        },
        Err(why) => RequestRegion {
            name: None,
            imds_failure: Some(why),
        },
    }
}

/// Credentials an attempt signs with: the configured ones, or shared ones
/// from the client's cache.
enum SigningCredentials<'a> {
    Configured(&'a Credentials),
    Cached(Arc<Credentials>),
}

impl Deref for SigningCredentials<'_> {
    type Target = Credentials;

    fn deref(&self) -> &Credentials {
        match self {
            SigningCredentials::Configured(credentials) => credentials,
            SigningCredentials::Cached(credentials) => credentials,
        }
    }
}

/// Credentials valid now to sign a request of `operation`, or why there are
/// none.
async fn signing_credentials<'h>(
    handle: &'h Handle,
    service: &ServiceSpec,
    operation: &OperationSpec,
) -> Result<SigningCredentials<'h>, String> {
    if let Some(credentials) = handle.config().credentials() {
        return Ok(SigningCredentials::Configured(credentials));
    }
    let Some(cache) = handle.credentials_cache() else {
        // A handle without static credentials always has a cache.
        return Err("no credentials are configured".to_owned());
    };
    if let Some(credentials) = cache.fresh() {
        return Ok(SigningCredentials::Cached(credentials));
    }
    // Boxed: refreshes are rare, so operations' futures need not make room
    // for the provider's.
    match Box::pin(cache.get()).await {
        Ok(credentials) => Ok(SigningCredentials::Cached(credentials)),
        Err(err) => Err(credentials_error(
            &err,
            handle.uses_default_chain(),
            service,
            operation,
        )),
    }
}

/// The message of a construction failure for credentials that could not be
/// had: the provider's error and all its sources, never a secret (the
/// runtime's own sources never put one in their errors).
fn credentials_error(
    err: &CredentialsError,
    default_chain: bool,
    service: &ServiceSpec,
    operation: &OperationSpec,
) -> String {
    use std::error::Error;
    let target = format!("{}.{}", service.target_prefix, operation.name);
    let how = "set them with `Config::builder().credentials(..)` or \
               `.credentials_provider(..)` (aws-config's providers plug in there, for SSO, \
               assumed roles and web identity), or with the AWS_ACCESS_KEY_ID and \
               AWS_SECRET_ACCESS_KEY environment variables, or a profile in ~/.aws/credentials";
    let sources = |err: &dyn Error| {
        err.source()
            .map(crate::credentials::chain::error_chain)
            .unwrap_or_default()
    };
    match err {
        CredentialsError::CredentialsNotLoaded(_) => {
            let report = err
                .source()
                .and_then(|source| source.downcast_ref::<NoCredentialsFound>());
            match report {
                Some(report) if default_chain => format!(
                    "no credentials are configured to sign {target} requests with, and the \
                     default chain found none ({report}): {how}"
                ),
                _ => format!(
                    "no credentials are configured to sign {target} requests with, and the \
                     credentials provider has none ({}): {how}",
                    sources(err)
                ),
            }
        }
        _ => {
            let source = match err.source() {
                Some(_) => sources(err),
                None => err.to_string(),
            };
            format!("cannot get credentials to sign {target} requests with: {source}")
        }
    }
}

/// The message of a construction failure for a request none of whose auth
/// schemes could be used: each scheme and why, in the order tried. An
/// operation with SigV4 alone gets SigV4's reason as it is.
fn no_usable_scheme(
    service: &ServiceSpec,
    operation: &OperationSpec,
    mut unavailable: Vec<(AuthScheme, String)>,
) -> String {
    if let [(AuthScheme::SigV4, _)] = unavailable.as_slice() {
        return unavailable.pop().map(|(_, why)| why).unwrap_or_default();
    }
    let target = format!("{}.{}", service.target_prefix, operation.name);
    let schemes = match unavailable.len() {
        1 => "its auth scheme".to_owned(),
        n => format!("any of its {n} auth schemes"),
    };
    let reasons: Vec<String> = unavailable
        .iter()
        .map(|(scheme, why)| format!("{}: {why}", scheme.shape_id()))
        .collect();
    format!(
        "cannot authenticate {target} requests with {schemes}: {}",
        reasons.join("; ")
    )
}

/// Sends one operation and reads its result.
///
/// * `operation` describes the operation: its name, how it authenticates
///   and its modeled errors.
/// * `input` is the serialized input: the body as the service's protocol
///   writes it, the host prefix, and what the endpoint rules read.
/// * `parse_ok` reads the output from a 2xx response; its error becomes
///   [`SdkError::ResponseError`].
/// * `parse_err` builds the operation error from any other response, given
///   the metadata the protocol reads from it
///   ([`Protocol::parse_error_metadata`](crate::protocol::Protocol::parse_error_metadata)); it becomes
///   [`SdkError::ServiceError`].
///
/// Failed attempts are retried as described in [`crate::retry`]; the error
/// returned is the last attempt's.
///
/// A missing endpoint, transport, region or credentials, or a request that
/// cannot be signed, is [`SdkError::ConstructionFailure`]; a transport
/// timeout or a timeout of [`crate::timeout::TimeoutConfig`] is
/// [`SdkError::TimeoutError`] and any other transport failure is
/// [`SdkError::DispatchFailure`].
pub async fn send<O, E>(
    handle: &Handle,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    input: SerializedInput,
    parse_ok: fn(&HttpResponse) -> Result<O, DeserializeError>,
    parse_err: fn(&HttpResponse, ErrorMetadata) -> E,
) -> Result<O, SdkError<E>> {
    // Only the parsing is generic: the request, retry and timeout machinery
    // is compiled once, in `send_body_response`.
    let response = send_body_response(handle, service, operation, input).await;
    parse_response(response, parse_ok, parse_err)
}

/// The result of an operation from its final response (or failure): the
/// output read by `parse_ok` from a 2xx response, else the error.
fn parse_response<O, E>(
    response: Result<HttpResponse, SdkError<ErrorMetadata>>,
    parse_ok: fn(&HttpResponse) -> Result<O, DeserializeError>,
    parse_err: fn(&HttpResponse, ErrorMetadata) -> E,
) -> Result<O, SdkError<E>> {
    match response {
        Ok(response) => parse_ok(&response).map_err(|err| SdkError::response_error(err, response)),
        Err(err) => Err(err.map_service_error_with_raw(parse_err)),
    }
}

/// An operation's final 2xx response.
#[derive(Debug)]
pub(crate) struct Received {
    /// The status and headers, and the body when it was read whole.
    pub(crate) response: HttpResponse,
    /// The body, unread, of a response the output streams (boxed: every
    /// operation's future makes room for this, and few stream).
    pub(crate) stream: Option<Box<ByteStream>>,
}

impl Received {
    /// A response read whole.
    fn whole(response: HttpResponse) -> Received {
        Received {
            response,
            stream: None,
        }
    }
}

/// [`send`] without the parsing: the 2xx response, or the final error,
/// whose service error carries the response's [`ErrorMetadata`]. Not
/// generic, so it is compiled once, here. A 2xx response is read whole,
/// even when the input asked to stream it.
pub async fn send_body_response(
    handle: &Handle,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    mut input: SerializedInput,
) -> Result<HttpResponse, SdkError<ErrorMetadata>> {
    input.stream_response = false;
    send_operation(handle, service, operation, input)
        .await
        .map(|received| received.response)
}

/// Sends an operation: its 2xx response, its body unread when
/// `input.stream_response`, or the final error.
pub(crate) async fn send_operation(
    handle: &Handle,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    input: SerializedInput,
) -> Result<Received, SdkError<ErrorMetadata>> {
    if input.request.stream.is_some() || input.stream_response {
        // Boxed: only operations with streamed payloads take this path, and
        // every operation's future would make room for it.
        return Box::pin(send_streams(handle, service, operation, input)).await;
    }
    let region = request_region(handle, service, operation).await;
    let request = build_request(handle, region, service, operation, input)
        .map_err(SdkError::construction_failure)?;
    send_request(handle, service, operation, &request, None).await
}

/// [`send_operation`] for a request whose body is a stream or whose
/// response the output streams: the stream is hashed first when the request
/// needs it (see [`crate::byte_stream`]).
async fn send_streams(
    handle: &Handle,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    input: SerializedInput,
) -> Result<Received, SdkError<ErrorMetadata>> {
    let region = request_region(handle, service, operation).await;
    let mut request = build_request(handle, region, service, operation, input)
        .map_err(SdkError::construction_failure)?;
    let stream = hash_stream(&mut request)
        .await
        .map_err(SdkError::construction_failure)?;
    send_request(handle, service, operation, &request, stream).await
}

/// Computes the hashes of a streamed body the request needs (the headers it
/// asked for, and the SHA-256 SigV4 signs), reading a copy of the stream
/// when it can be replayed and the stream itself into memory otherwise (the
/// request then sends it from memory). The stream to send, if it is still
/// one.
async fn hash_stream(request: &mut BuiltRequest<'_>) -> Result<Option<SdkBody>, BoxError> {
    let Some(stream) = request.stream.take() else {
        return Ok(None);
    };
    let sign_hash = matches!(request.payload, PayloadPlan::Stream);
    let mut hashes: Vec<BodyHash> = request.stream_hashes.iter().map(|(h, _)| *h).collect();
    if sign_hash {
        hashes.push(BodyHash::Sha256);
    }
    if hashes.is_empty() {
        return Ok(Some(stream));
    }
    let (digests, stream) = match stream.try_clone() {
        Some(copy) => {
            let mut hasher = Hasher::new(hashes);
            let mut copy = ByteStream::new(copy);
            while let Some(chunk) = copy.next().await {
                hasher.update(&chunk.map_err(read_failure)?);
            }
            (hasher.finish(), Some(stream))
        }
        None => {
            // It cannot be read twice: it is read into memory, and sent
            // from there.
            let bytes = ByteStream::new(stream)
                .collect()
                .await
                .map_err(read_failure)?
                .into_bytes();
            request.body = Vec::from(bytes);
            (Digests::of(&request.body, hashes), None)
        }
    };
    for (hash, name) in std::mem::take(&mut request.stream_hashes) {
        if let Some(value) = digests.get(hash) {
            add_header_unless_bound(&mut request.input_headers, name, value);
        }
    }
    if sign_hash {
        request.payload = match (&stream, digests.get(BodyHash::Sha256)) {
            (Some(_), Some(sha256)) => PayloadPlan::Precomputed(sha256.to_owned()),
            // Now in memory, where the signer hashes it.
            _ => PayloadPlan::Body,
        };
    }
    Ok(stream)
}

/// The error of a request body that could not be read.
fn read_failure(err: crate::primitives::ByteStreamError) -> BoxError {
    format!("the request body could not be read: {err}").into()
}

/// Adds header `name` with `value`, unless the input binds a header of
/// that name itself.
fn add_header_unless_bound(input_headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    if input_headers
        .iter()
        .any(|(bound, _)| bound.eq_ignore_ascii_case(name))
    {
        return;
    }
    input_headers.push((name.to_owned(), value.to_owned()));
}

/// An operation's input, as the generated code serializes it before it is
/// sent.
#[derive(Debug, Default)]
pub struct SerializedInput {
    /// The request's body (as the service's protocol writes it), method,
    /// path, query and the headers the input binds.
    pub request: RequestPartsOwned,
    /// The host prefix (`smithy.api#endpoint`), its labels filled in.
    pub host_prefix: Option<String>,
    /// The input members the operation's endpoint rule parameters read
    /// (`contextParam`, `operationContextParams`), as a JSON object, taken
    /// from the typed input; `null` when they read none.
    pub endpoint_input: Value,
    /// Whether the output streams the body of a 2xx response (it has a
    /// `@streaming` member): the response is returned unread.
    pub stream_response: bool,
}

/// How SigV4 takes the payload of a request.
#[derive(Debug)]
enum PayloadPlan {
    /// The body, in memory: hashed by the signer.
    Body,
    /// A streamed body, whose SHA-256 [`hash_stream`] computes.
    Stream,
    /// A streamed body's SHA-256, in lowercase hex.
    Precomputed(String),
    /// `UNSIGNED-PAYLOAD` (`aws.auth#unsignedPayload`).
    Unsigned,
}

impl PayloadPlan {
    /// What the signer takes.
    fn payload(&self) -> Payload<'_> {
        match self {
            PayloadPlan::Body | PayloadPlan::Stream => Payload::Body,
            PayloadPlan::Precomputed(hash) => Payload::Precomputed(hash),
            PayloadPlan::Unsigned => Payload::Unsigned,
        }
    }
}

/// An operation's request, built before anything is sent.
struct BuiltRequest<'a> {
    prepared: Prepared,
    client: &'a SharedHttpClient,
    /// The URI with the path and query the input binds and the operation's
    /// host prefix, when it has any of them.
    prefixed_uri: Option<String>,
    /// The body, compressed when `encoding` says so.
    body: Vec<u8>,
    encoding: Option<&'static str>,
    /// The headers the service's protocol adds.
    protocol_headers: ProtocolHeaders,
    /// The request method.
    method: &'static str,
    /// The headers the input binds.
    input_headers: Vec<(String, String)>,
    /// A streamed body that is not in memory, which replaces `body`.
    stream: Option<SdkBody>,
    /// Hashes of the streamed body to add as headers, once computed.
    stream_hashes: Vec<(BodyHash, &'static str)>,
    /// How the signer takes the payload.
    payload: PayloadPlan,
    /// Whether the output streams the body of a 2xx response.
    stream_response: bool,
}

impl BuiltRequest<'_> {
    fn uri(&self) -> &str {
        self.prefixed_uri
            .as_deref()
            .unwrap_or(&self.prepared.endpoint.uri)
    }
}

/// Resolves what the request needs around its body; a failure is a
/// construction failure. This runs before [`send_request`], outside its
/// future, so that the future holds nothing only needed here.
fn build_request<'a>(
    handle: &'a Handle,
    region: RequestRegion<'_>,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    input: SerializedInput,
) -> Result<BuiltRequest<'a>, BoxError> {
    let config = handle.config();
    let SerializedInput {
        request,
        host_prefix,
        endpoint_input,
        stream_response,
    } = input;
    let RequestPartsOwned {
        body,
        method,
        path,
        query,
        headers: mut input_headers,
        content_md5,
        stream,
        body_hashes,
        unsigned_payload,
        endpoint,
    } = request;
    // A stream in memory is sent as any other body.
    let (body, stream) = match stream.map(ByteStream::into_inner) {
        Some(stream) => match stream.bytes() {
            Some(bytes) => (bytes.to_vec(), None),
            None => (Vec::new(), Some(stream)),
        },
        None => (body, None),
    };
    let prepared = prepare(
        config,
        handle.endpoint_settings(),
        region,
        service,
        operation,
        &endpoint_input,
    )?;
    drop(endpoint_input);
    // The URL the input names, when a customization sends it there.
    let own_endpoint = endpoint
        .map(|url| normalize_endpoint_url(&url))
        .transpose()?;
    let endpoint_uri = own_endpoint.as_deref().unwrap_or(&prepared.endpoint.uri);
    let bound_uri = match (!path.is_empty() || !query.is_empty())
        .then(|| bind_path(endpoint_uri, &path, &query))
    {
        Some(bound) => Some(bound),
        None => own_endpoint,
    };
    let base = bound_uri.as_deref().unwrap_or(&prepared.endpoint.uri);
    let prefixed_uri = match host_prefix {
        Some(prefix) => Some(prefix_host(base, &prefix)?),
        None => bound_uri,
    };
    let Some(client) = handle.http_client() else {
        return Err(
            "no HTTP client is configured: enable the `default-client` feature of \
             smithgen-runtime or set one with `Config::builder().http_client(..)`"
                .into(),
        );
    };

    // A streamed body is sent uncompressed.
    let compress = operation.request_compression
        && stream.is_none()
        && !config.disable_request_compression()
        && body.len() >= config.request_min_compression_size_bytes() as usize;
    let (body, encoding) = if compress {
        compress_body(body)?
    } else {
        (body, None)
    };
    let encoding = encoding.and_then(|encoding| append_encoding(&mut input_headers, encoding));
    let mut stream_hashes = Vec::new();
    match &stream {
        None => {
            if content_md5 {
                add_content_md5(&mut input_headers, &body);
            }
            if !body_hashes.is_empty() {
                let digests = Digests::of(&body, body_hashes.iter().map(|(hash, _)| *hash));
                for (hash, name) in body_hashes {
                    if let Some(value) = digests.get(hash) {
                        add_header_unless_bound(&mut input_headers, name, value);
                    }
                }
            }
        }
        // Hashed by `hash_stream` before it is sent.
        Some(_) => {
            if content_md5 {
                stream_hashes.push((BodyHash::Md5, "content-md5"));
            }
            stream_hashes.extend(body_hashes);
        }
    }
    let payload = match (unsigned_payload, &stream) {
        (true, _) => PayloadPlan::Unsigned,
        (false, Some(_)) if prepared.signing.is_some() => PayloadPlan::Stream,
        (false, _) => PayloadPlan::Body,
    };
    let protocol_headers = service.protocol.request_headers(service, operation);
    Ok(BuiltRequest {
        prepared,
        client,
        prefixed_uri,
        body,
        encoding,
        protocol_headers,
        method,
        input_headers,
        stream,
        stream_hashes,
        payload,
        stream_response,
    })
}

/// Sends `built` with the retry loop, within the operation timeout: the 2xx
/// response, or the final error with a service error carrying the
/// response's [`ErrorMetadata`].
async fn send_request(
    handle: &Handle,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    built: &BuiltRequest<'_>,
    stream: Option<SdkBody>,
) -> Result<Received, SdkError<ErrorMetadata>> {
    // The length of a stream, when it is known; a stream of unknown length
    // is sent in chunks.
    let length = match &stream {
        None => Some(built.body.len()),
        Some(stream) => stream
            .content_length()
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
    };
    let mut content_length = DecimalBuffer::new();
    let content_length = length.map(|length| content_length.format(length));
    let endpoint_headers = &built.prepared.endpoint.headers;
    let mut headers: Vec<(&str, &str)> =
        Vec::with_capacity(4 + endpoint_headers.len() + built.input_headers.len());
    built.protocol_headers.push_to(&mut headers);
    headers.extend(
        built
            .input_headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    );
    if let (Some(length), Some(text)) = (length, content_length) {
        if stream.is_some() || sends_content_length(built.method, length) {
            headers.push(("content-length", text));
        }
    }
    if let Some(encoding) = built.encoding {
        headers.push(("content-encoding", encoding));
    }
    headers.extend(
        endpoint_headers
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    );
    let request = RequestParts {
        method: built.method,
        uri: built.uri(),
        headers: &headers,
        body: &built.body,
    };

    let timeouts = handle.config().timeout_config();
    let attempts = Attempts {
        handle,
        client: built.client,
        service,
        operation,
        prepared: &built.prepared,
        attempt_timeout: timeouts.and_then(|t| t.operation_attempt_timeout()),
        payload: built.payload.payload(),
        stream_response: built.stream_response,
    };
    let stream = StreamSource::new(stream);
    match timeouts.and_then(|t| t.operation_timeout()) {
        // Boxed, so that the state of every operation does not make room for
        // the attempts twice (`timeout` holds its own).
        Some(limit) => {
            let run = Box::pin(attempts.run(&request, stream));
            match timeout(handle.sleep_impl().as_ref(), limit, run).await {
                Ok(result) => result,
                Err(()) => Err(SdkError::timeout_error(format!(
                    "{}.{} did not complete within the operation timeout of {limit:?}",
                    service.target_prefix, operation.name
                ))),
            }
        }
        None => attempts.run(&request, stream).await,
    }
}

/// Where each attempt's streamed body comes from: a copy of a body that can
/// be replayed, or the one stream, which only the first attempt can send.
enum StreamSource {
    /// The body is in memory.
    None,
    Replayable(SdkBody),
    Once(Option<SdkBody>),
}

impl StreamSource {
    fn new(stream: Option<SdkBody>) -> StreamSource {
        match stream {
            None => StreamSource::None,
            Some(stream) if stream.try_clone().is_some() => StreamSource::Replayable(stream),
            Some(stream) => StreamSource::Once(Some(stream)),
        }
    }

    /// The streamed body of the next attempt, if the body is streamed.
    fn next(&mut self) -> Option<SdkBody> {
        match self {
            StreamSource::None => None,
            StreamSource::Replayable(stream) => stream.try_clone(),
            StreamSource::Once(stream) => stream.take(),
        }
    }

    /// Whether another attempt can send the body whole.
    fn can_replay(&self) -> bool {
        !matches!(self, StreamSource::Once(_))
    }
}

/// Whether a request states its body's length: always, but for a `GET` or
/// `HEAD` without a body, which says nothing of one (as HTTP binding
/// protocols' requests without a modeled body must).
fn sends_content_length(method: &str, body_len: usize) -> bool {
    body_len > 0 || !matches!(method, "GET" | "HEAD")
}

/// Room for a `usize` in decimal, to format one without allocating.
struct DecimalBuffer([u8; 20]);

impl DecimalBuffer {
    fn new() -> Self {
        DecimalBuffer([0; 20])
    }

    /// `value` in decimal, as `value.to_string()` writes it.
    fn format(&mut self, mut value: usize) -> &str {
        let mut start = self.0.len();
        loop {
            start -= 1;
            // `value % 10` is a single digit.
            self.0[start] = b'0' + (value % 10) as u8;
            value /= 10;
            if value == 0 {
                break;
            }
        }
        // Only ASCII digits were written.
        std::str::from_utf8(&self.0[start..]).unwrap_or_default()
    }
}

/// The endpoint URI (which ends its path with `/`) with the request's own
/// path (from its first `/`, appended to the endpoint's path) and query.
fn bind_path(endpoint: &str, path: &str, query: &str) -> String {
    let (base, endpoint_query) = match endpoint.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (endpoint, None),
    };
    let mut uri = String::with_capacity(endpoint.len() + path.len() + query.len() + 1);
    uri.push_str(base.strip_suffix('/').unwrap_or(base));
    if path.starts_with('/') {
        uri.push_str(path);
    } else {
        uri.push('/');
        uri.push_str(path);
    }
    let queries: Vec<&str> = endpoint_query
        .into_iter()
        .chain(Some(query))
        .filter(|q| !q.is_empty())
        .collect();
    if !queries.is_empty() {
        uri.push('?');
        uri.push_str(&queries.join("&"));
    }
    uri
}

/// Puts `prefix` (an operation's `smithy.api#endpoint` host prefix, labels
/// already filled in) in front of the host of `uri`.
fn prefix_host(uri: &str, prefix: &str) -> Result<String, String> {
    let (scheme, rest) = uri
        .split_once("://")
        .ok_or_else(|| format!("endpoint `{uri}` has no scheme"))?;
    Ok(format!("{scheme}://{prefix}{rest}"))
}

/// Adds the compression's `encoding` after the encodings of a
/// `Content-Encoding` header the input binds (`custom` becomes `custom,
/// gzip`), the order they were applied in. `Some(encoding)` when the input
/// binds none, for the header to be added.
fn append_encoding(
    input_headers: &mut [(String, String)],
    encoding: &'static str,
) -> Option<&'static str> {
    let Some((_, value)) = input_headers
        .iter_mut()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-encoding"))
    else {
        return Some(encoding);
    };
    if value.trim().is_empty() {
        encoding.clone_into(value);
    } else {
        value.push_str(", ");
        value.push_str(encoding);
    }
    None
}

/// Adds `Content-MD5`, the base64 MD5 of `body` as it is sent (compressed,
/// when it is), unless the input binds that header itself.
fn add_content_md5(input_headers: &mut Vec<(String, String)>, body: &[u8]) {
    use md5::Digest;
    if input_headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-md5"))
    {
        return;
    }
    let digest = md5::Md5::digest(body);
    input_headers.push((
        "content-md5".to_owned(),
        aws_smithy_types::base64::encode(digest.as_slice()),
    ));
}

/// Compresses a request body with gzip: the new body and its `Content-Encoding`.
#[cfg(feature = "gzip")]
fn compress_body(body: Vec<u8>) -> Result<(Vec<u8>, Option<&'static str>), std::io::Error> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&body)?;
    Ok((encoder.finish()?, Some("gzip")))
}

/// Without the `gzip` feature the body is sent as it is, with no
/// `Content-Encoding` (see [`OperationSpec::request_compression`]).
#[cfg(not(feature = "gzip"))]
fn compress_body(body: Vec<u8>) -> Result<(Vec<u8>, Option<&'static str>), std::io::Error> {
    Ok((body, None))
}

/// Whether `label` is a valid DNS host label: 1 to 63 letters, digits and
/// hyphens, starting with a letter or digit.
pub fn is_valid_host_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label.starts_with(|c: char| c.is_ascii_alphanumeric())
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The retry loop of one operation.
struct Attempts<'a> {
    handle: &'a Handle,
    client: &'a SharedHttpClient,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    prepared: &'a Prepared,
    attempt_timeout: Option<Duration>,
    /// How SigV4 takes the payload.
    payload: Payload<'a>,
    /// Whether the output streams the body of a 2xx response.
    stream_response: bool,
}

/// What one attempt came to.
enum Outcome {
    /// A 2xx response.
    Response(Received),
    /// A failure, and whether it may be retried.
    Failure(SdkError<ErrorMetadata>, Option<RetryKind>),
}

impl Attempts<'_> {
    /// Makes attempts with `request` (signed afresh for each one, with
    /// credentials valid at the time, when the operation is signed) until
    /// one succeeds, one fails for good, or no attempt or retry quota is
    /// left.
    ///
    /// A streamed body is sent anew by each attempt when it can be
    /// replayed; otherwise only the first attempt sends it and a failure is
    /// not retried.
    async fn run(
        &self,
        request: &RequestParts<'_>,
        mut stream: StreamSource,
    ) -> Result<Received, SdkError<ErrorMetadata>> {
        let quota = self.handle.retry_quota();
        // Tokens this operation took from the retry quota.
        let mut spent = 0u32;
        let mut attempt = 1u32;
        loop {
            let body = stream.next();
            let outgoing = match self.operation.auth {
                AuthMode::None => Outgoing::Parts(request),
                // Boxed, so that unsigned operations' futures need not make
                // room for it.
                _ => Box::pin(self.authenticate(request))
                    .await
                    .map_err(SdkError::construction_failure)?,
            };
            let sent = match self.attempt_timeout {
                // Boxed, as in `send_request`.
                Some(limit) => {
                    timeout(self.sleep(), limit, Box::pin(self.transmit(outgoing, body)))
                        .await
                        .map_err(|()| limit)
                }
                None => Ok(self.transmit(outgoing, body).await),
            };
            let (err, kind) = match self.outcome(sent) {
                Outcome::Response(output) => {
                    quota.succeeded(spent);
                    return Ok(output);
                }
                Outcome::Failure(err, kind) => (err, kind),
            };
            let Some(kind) = kind else {
                return Err(err);
            };
            // A stream that cannot be replayed was read by this attempt.
            if !stream.can_replay() || attempt >= self.retry_config().max_attempts() {
                return Err(err);
            }
            let Some(cost) = quota.acquire(kind) else {
                return Err(err);
            };
            spent = spent.saturating_add(cost);
            let backoff = self.retry_config().backoff_delay(attempt - 1);
            self.sleep().sleep(backoff).await;
            attempt += 1;
        }
    }

    /// `request` as the first of the operation's auth schemes whose
    /// identity is available now makes it (see the [module
    /// documentation](self)), or why none can be used.
    async fn authenticate<'r>(
        &self,
        request: &'r RequestParts<'r>,
    ) -> Result<Outgoing<'r>, BoxError> {
        let mut unavailable: Vec<(AuthScheme, String)> = Vec::new();
        for scheme in scheme_order(self.handle, self.service, self.operation) {
            let why = match scheme {
                AuthScheme::Anonymous => return Ok(Outgoing::Parts(request)),
                AuthScheme::SigV4 => {
                    let Some(signing) = &self.prepared.signing else {
                        // `prepare` gives every operation that lists SigV4 its signing.
                        continue;
                    };
                    let region = match &signing.region {
                        Ok(region) => region,
                        Err(why) => {
                            unavailable.push((scheme, why.clone()));
                            continue;
                        }
                    };
                    match signing_credentials(self.handle, self.service, self.operation).await {
                        Ok(credentials) => {
                            let mut signed = request.to_request();
                            sign_with_payload(
                                &mut signed,
                                self.payload,
                                &credentials,
                                region,
                                &signing.name,
                                self.handle.time_source().now(),
                            )?;
                            return Ok(Outgoing::Request(Box::new(signed)));
                        }
                        Err(why) => why,
                    }
                }
                AuthScheme::HttpBearer => {
                    let env = self.handle.env_token(self.service);
                    let now = self.handle.time_source().now();
                    match crate::token::resolve(self.handle.config(), env, now).await {
                        Ok(token) => {
                            crate::token::check_transport(request.uri)?;
                            let mut authorized = request.to_request();
                            authorized
                                .headers
                                .retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
                            authorized.headers.push((
                                "authorization".to_owned(),
                                format!("Bearer {}", token.token()),
                            ));
                            return Ok(Outgoing::Request(Box::new(authorized)));
                        }
                        Err(why) => why,
                    }
                }
            };
            unavailable.push((scheme, why));
        }
        Err(no_usable_scheme(self.service, self.operation, unavailable).into())
    }

    // The settings below are read where they are used rather than kept in
    // locals of `run`: every operation's future makes room for those.

    /// The retry settings.
    fn retry_config(&self) -> RetryConfig {
        self.handle
            .config()
            .retry_config()
            .cloned()
            .unwrap_or_default()
    }

    /// The timer for backoff delays and attempt timeouts.
    fn sleep(&self) -> &dyn AsyncSleep {
        self.handle.sleep_impl().as_ref()
    }

    /// What one attempt came to: its 2xx response, or its failure and
    /// whether it may be retried. `sent` is `Err(limit)` when the attempt
    /// timeout of `limit` ran out first.
    fn outcome(
        &self,
        sent: Result<Result<Received, crate::error::ConnectorError>, Duration>,
    ) -> Outcome {
        let sent = match sent {
            Ok(sent) => sent,
            Err(limit) => {
                return Outcome::Failure(
                    SdkError::timeout_error(format!(
                        "the attempt did not complete within the operation attempt \
                         timeout of {limit:?}"
                    )),
                    Some(RetryKind::Timeout),
                )
            }
        };
        let response = match sent {
            Ok(response) => response,
            Err(err) if err.is_timeout() => {
                return Outcome::Failure(SdkError::timeout_error(err), Some(RetryKind::Timeout))
            }
            Err(err) if err.is_io() => {
                return Outcome::Failure(
                    SdkError::dispatch_failure(err),
                    Some(RetryKind::Transient),
                )
            }
            Err(err) => return Outcome::Failure(SdkError::dispatch_failure(err), None),
        };

        if response.response.is_success() {
            // A 2xx ends the attempts whether or not its body parses.
            Outcome::Response(response)
        } else {
            let response = response.response;
            let meta = crate::protocol::error_metadata(self.service, &response);
            let kind = classify_error_response(self.operation, response.status(), meta.code());
            Outcome::Failure(SdkError::service_error(meta, response), kind)
        }
    }

    /// Sends `request` through the client's transport. The default transport,
    /// built by the [`Handle`] itself, reads the request where it is; any
    /// other gets an [`HttpRequest`] of its own.
    ///
    /// A request with a streamed `body`, or whose output streams, goes
    /// through [`HttpClient::send_streaming`](crate::http::HttpClient::send_streaming).
    async fn transmit(
        &self,
        request: Outgoing<'_>,
        body: Option<SdkBody>,
    ) -> Result<Received, crate::error::ConnectorError> {
        if body.is_some() || self.stream_response {
            // Boxed, so that other operations' futures need not make room
            // for it.
            return Box::pin(self.transmit_streaming(request, body)).await;
        }
        #[cfg(feature = "default-client")]
        if let Some(default) = self.handle.default_client() {
            return default
                .send_hyper(request.into_hyper(default))
                .await
                .map(Received::whole);
        }
        self.client
            .send(request.into_request())
            .await
            .map(Received::whole)
    }

    /// Sends `request` with its streamed `body` (else the body it holds)
    /// and reads the response: whole, unless it is a 2xx the output streams.
    async fn transmit_streaming(
        &self,
        request: Outgoing<'_>,
        body: Option<SdkBody>,
    ) -> Result<Received, crate::error::ConnectorError> {
        let HttpRequest {
            method,
            uri,
            headers,
            body: bytes,
        } = request.into_request();
        let body = match body {
            Some(stream) => ByteStream::new(stream),
            None => ByteStream::from(bytes),
        };
        let response = self
            .client
            .send_streaming(StreamingRequest {
                method,
                uri,
                headers,
                body,
                stream_response: self.stream_response,
            })
            .await?;
        let streams = self.stream_response && response.is_success();
        let (stream, body) = match streams {
            true => (Some(Box::new(response.body)), Vec::new()),
            // Already read whole by the transport.
            false => {
                let body = response
                    .body
                    .collect()
                    .await
                    .map_err(crate::error::ConnectorError::io)?;
                (None, body.to_vec())
            }
        };
        Ok(Received {
            response: HttpResponse {
                status: response.status,
                headers: response.headers,
                body,
            },
            stream,
        })
    }
}

/// One attempt's request: the operation's request as it is, or a signed copy
/// (boxed, as it is rare and every attempt's future makes room for this).
enum Outgoing<'a> {
    Parts(&'a RequestParts<'a>),
    Request(Box<HttpRequest>),
}

impl Outgoing<'_> {
    /// The request for a configured transport.
    fn into_request(self) -> HttpRequest {
        match self {
            Outgoing::Parts(parts) => parts.to_request(),
            Outgoing::Request(request) => *request,
        }
    }

    /// The request for the default transport.
    #[cfg(feature = "default-client")]
    fn into_hyper(
        self,
        client: &crate::http::HyperClient,
    ) -> Result<crate::http::HyperRequest, crate::error::ConnectorError> {
        match self {
            Outgoing::Parts(parts) => client.convert_parts(parts),
            Outgoing::Request(request) => client.convert_owned(*request),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Protocol;
    use crate::spec::{Fault, ModeledError};

    static SERVICE: ServiceSpec = ServiceSpec {
        target_prefix: "AWSCognitoIdentityProviderService",
        endpoint_prefix: "cognito-idp",
        signing_name: "cognito-idp",
        protocol: Protocol::AwsJson1_1,
        query_compatible: false,
        endpoint_rules: None,
    };

    #[test]
    fn endpoint_from_region() {
        let config = Config::builder().region("us-west-2").build();
        assert_eq!(
            resolve_endpoint(&config, &SERVICE).unwrap(),
            "https://cognito-idp.us-west-2.amazonaws.com/"
        );
        let config = Config::builder().region("cn-north-1").build();
        assert_eq!(
            resolve_endpoint(&config, &SERVICE).unwrap(),
            "https://cognito-idp.cn-north-1.amazonaws.com.cn/"
        );
        let config = Config::builder().region("evil.com/x").build();
        assert!(resolve_endpoint(&config, &SERVICE).is_err());
    }

    #[test]
    fn endpoint_url_overrides_region() {
        let resolve = |url: &str| {
            let config = Config::builder()
                .region("us-west-2")
                .endpoint_url(url)
                .build();
            resolve_endpoint(&config, &SERVICE)
        };
        assert_eq!(
            resolve("http://localhost:8000").unwrap(),
            "http://localhost:8000/"
        );
        // A path is treated as a directory, as the awsJson protocol tests require.
        assert_eq!(
            resolve("https://example.com/prefix").unwrap(),
            "https://example.com/prefix/"
        );
        assert_eq!(
            resolve("https://example.com/prefix/").unwrap(),
            "https://example.com/prefix/"
        );
        assert_eq!(resolve("http://h:1?x=1").unwrap(), "http://h:1/?x=1");
        assert!(resolve("localhost:8000")
            .unwrap_err()
            .contains("not absolute"));
        assert!(resolve("ftp://h/")
            .unwrap_err()
            .contains("unsupported scheme"));
        assert!(resolve("http:///path").unwrap_err().contains("no host"));
    }

    static SIGNED: OperationSpec = OperationSpec {
        name: "GetUser",
        auth: AuthMode::SigV4,
        errors: &[ModeledError {
            code: "aws.test#UserNotFoundException",
            fault: Fault::Client,
            retryable: false,
            throttling: false,
            query_code: None,
        }],

        request_compression: false,
        endpoint_params: crate::endpoint::OperationEndpointParams::NONE,
    };

    static UNSIGNED: OperationSpec = OperationSpec {
        name: "InitiateAuth",
        auth: AuthMode::None,
        errors: &[],

        request_compression: false,
        endpoint_params: crate::endpoint::OperationEndpointParams::NONE,
    };

    /// [`super::prepare`] with the endpoint settings a client would read
    /// from the environment `lookup`.
    fn prepare(
        config: &Config,
        service: &ServiceSpec,
        operation: &OperationSpec,
        input: &serde_json::Value,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Prepared, String> {
        let settings = config.endpoint_settings(lookup);
        let region = RequestRegion {
            name: settings.region.as_deref(),
            imds_failure: None,
        };
        super::prepare(config, &settings, region, service, operation, input)
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
    fn modeled_errors_are_found_by_shape_name() {
        let found = SIGNED
            .modeled_error("UserNotFoundException")
            .expect("modeled");
        assert_eq!(found.fault, Fault::Client);
        assert!(!found.retryable && !found.throttling);
        assert!(SIGNED.modeled_error("Other").is_none());
        assert!(UNSIGNED.modeled_error("UserNotFoundException").is_none());
    }

    #[test]
    fn signed_operations_need_a_region() {
        let config = Config::builder().region("us-east-2").build();
        let prepared = prepare(
            &config,
            &SERVICE,
            &SIGNED,
            &serde_json::Value::Null,
            &env(&[]),
        )
        .unwrap();
        assert_eq!(
            prepared.endpoint.uri,
            "https://cognito-idp.us-east-2.amazonaws.com/"
        );
        let signing = prepared.signing.expect("signed");
        assert_eq!(signing.region.as_deref(), Ok("us-east-2"));
        assert_eq!(signing.name, "cognito-idp");

        // An endpoint URL alone does not give a region to sign with.
        let config = Config::builder()
            .endpoint_url("http://localhost:9229")
            .credentials(Credentials::new("AKID", "SECRET", None))
            .build();
        let err = prepare(
            &config,
            &SERVICE,
            &SIGNED,
            &serde_json::Value::Null,
            &env(&[]),
        )
        .unwrap_err();
        assert!(err.contains("no region is configured to sign"), "{err}");
        assert!(err.contains("`region` in the profile"), "{err}");
        let prepared = prepare(
            &config,
            &SERVICE,
            &SIGNED,
            &serde_json::Value::Null,
            &env(&[("AWS_DEFAULT_REGION", "sa-east-1")]),
        )
        .unwrap();
        assert_eq!(prepared.endpoint.uri, "http://localhost:9229/");
        assert_eq!(
            prepared.signing.expect("signed").region.as_deref(),
            Ok("sa-east-1")
        );

        // Why instance metadata had no region is part of the error.
        let settings = config.endpoint_settings(&env(&[]));
        let region = RequestRegion {
            name: None,
            imds_failure: Some("disabled by AWS_EC2_METADATA_DISABLED"),
        };
        let err = super::prepare(
            &config,
            &settings,
            region,
            &SERVICE,
            &SIGNED,
            &serde_json::Value::Null,
        )
        .unwrap_err();
        assert!(
            err.ends_with("; instance metadata: disabled by AWS_EC2_METADATA_DISABLED"),
            "{err}"
        );
        let unconfigured = Config::builder().build();
        let settings = unconfigured.endpoint_settings(&env(&[]));
        let err = super::prepare(
            &unconfigured,
            &settings,
            region,
            &SERVICE,
            &UNSIGNED,
            &serde_json::Value::Null,
        )
        .unwrap_err();
        assert!(err.contains("no region and no endpoint URL"), "{err}");
        assert!(
            err.ends_with("; instance metadata: disabled by AWS_EC2_METADATA_DISABLED"),
            "{err}"
        );
    }

    #[test]
    fn credentials_errors_say_what_to_do() {
        let report = crate::credentials::DefaultCredentialsChain::builder()
            .env(crate::test_support::env(&[
                ("AWS_EC2_METADATA_DISABLED", "true"),
                ("HOME", "/nonexistent/home"),
            ]))
            .build();
        let err = crate::test_support::block_on(report.credentials()).unwrap_err();
        let message = credentials_error(&err, true, &SERVICE, &SIGNED);
        assert!(
            message.starts_with(
                "no credentials are configured to sign \
                 AWSCognitoIdentityProviderService.GetUser requests with, and the default \
                 chain found none (environment: AWS_ACCESS_KEY_ID is not set; profile \
                 `default`: no such section in"
            ),
            "{message}"
        );
        assert!(
            message.contains("instance metadata: disabled by AWS_EC2_METADATA_DISABLED): set them with `Config::builder().credentials(..)` or `.credentials_provider(..)`"),
            "{message}"
        );

        let err = CredentialsError::not_loaded("no token in the vault");
        let message = credentials_error(&err, false, &SERVICE, &SIGNED);
        assert!(
            message.contains("the credentials provider has none (no token in the vault)"),
            "{message}"
        );
        let err = CredentialsError::provider_error("container: http://x/: answered HTTP 500");
        assert_eq!(
            credentials_error(&err, true, &SERVICE, &SIGNED),
            "cannot get credentials to sign AWSCognitoIdentityProviderService.GetUser \
             requests with: container: http://x/: answered HTTP 500"
        );
        let err = CredentialsError::provider_timed_out(Duration::from_secs(5));
        assert_eq!(
            credentials_error(&err, false, &SERVICE, &SIGNED),
            "cannot get credentials to sign AWSCognitoIdentityProviderService.GetUser \
             requests with: credentials provider timed out after 5 seconds"
        );
    }

    #[test]
    fn unsigned_operations_need_neither_region_nor_credentials() {
        let config = Config::builder()
            .endpoint_url("http://localhost:9229")
            .build();
        let prepared = prepare(
            &config,
            &SERVICE,
            &UNSIGNED,
            &serde_json::Value::Null,
            &env(&[]),
        )
        .unwrap();
        assert_eq!(prepared.endpoint.uri, "http://localhost:9229/");
        assert!(prepared.signing.is_none());
    }

    #[test]
    fn environment_fills_in_endpoint_and_region() {
        let vars = env(&[("AWS_REGION", "eu-north-1")]);
        let empty = Config::builder().build();
        let prepared = prepare(&empty, &SERVICE, &SIGNED, &serde_json::Value::Null, &vars).unwrap();
        assert_eq!(
            prepared.endpoint.uri,
            "https://cognito-idp.eu-north-1.amazonaws.com/"
        );
        let signing = prepared.signing.expect("signed");
        assert_eq!(signing.region.as_deref(), Ok("eu-north-1"));

        // AWS_ENDPOINT_URL replaces the region's endpoint, path included.
        let vars = env(&[
            ("AWS_REGION", "eu-north-1"),
            ("AWS_ENDPOINT_URL", "http://localhost:4566/local"),
        ]);
        let prepared =
            prepare(&empty, &SERVICE, &UNSIGNED, &serde_json::Value::Null, &vars).unwrap();
        assert_eq!(prepared.endpoint.uri, "http://localhost:4566/local/");

        // Configured settings win over the environment.
        let config = Config::builder()
            .region("us-west-1")
            .endpoint_url("http://configured:1")
            .build();
        let prepared = prepare(
            &config,
            &SERVICE,
            &UNSIGNED,
            &serde_json::Value::Null,
            &vars,
        )
        .unwrap();
        assert_eq!(prepared.endpoint.uri, "http://configured:1/");

        let err = prepare(
            &Config::builder().build(),
            &SERVICE,
            &UNSIGNED,
            &serde_json::Value::Null,
            &env(&[]),
        )
        .unwrap_err();
        assert!(err.contains("no region and no endpoint URL"), "{err}");
        assert!(err.contains("AWS_REGION"), "{err}");
    }

    #[test]
    fn missing_region_and_endpoint_is_an_error() {
        let err = resolve_endpoint(&Config::builder().build(), &SERVICE).unwrap_err();
        assert!(err.contains("no region and no endpoint URL"), "{err}");
    }
}

#[cfg(test)]
mod encoding_tests {
    use super::append_encoding;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn compression_comes_after_the_inputs_content_encoding() {
        let mut bound = headers(&[("x-a", "1"), ("Content-Encoding", "custom")]);
        assert_eq!(append_encoding(&mut bound, "gzip"), None);
        assert_eq!(
            bound,
            headers(&[("x-a", "1"), ("Content-Encoding", "custom, gzip")])
        );

        let mut empty = headers(&[("content-encoding", " ")]);
        assert_eq!(append_encoding(&mut empty, "gzip"), None);
        assert_eq!(empty, headers(&[("content-encoding", "gzip")]));

        let mut none = headers(&[("x-a", "1")]);
        assert_eq!(append_encoding(&mut none, "gzip"), Some("gzip"));
        assert_eq!(none, headers(&[("x-a", "1")]));
    }
}

#[cfg(test)]
mod content_md5_tests {
    use super::add_content_md5;

    #[test]
    fn the_md5_of_the_body_unless_the_input_sets_one() {
        let mut headers = Vec::new();
        add_content_md5(&mut headers, br#"{"foo":"base64 encoded md5 checksum"}"#);
        assert_eq!(
            headers,
            [(
                "content-md5".to_owned(),
                "iB0/3YSo7maijL0IGOgA9g==".to_owned()
            )]
        );
        // RFC 1321's test suite: the MD5 of "abc".
        let mut headers = Vec::new();
        add_content_md5(&mut headers, b"abc");
        assert_eq!(headers[0].1, "kAFQmDzST7DWlj99KOF/cg==");

        let mut given = vec![("Content-MD5".to_owned(), "x".to_owned())];
        add_content_md5(&mut given, b"abc");
        assert_eq!(given, [("Content-MD5".to_owned(), "x".to_owned())]);
    }
}

#[cfg(test)]
mod decimal_tests {
    use super::{sends_content_length, DecimalBuffer};

    #[test]
    fn bodiless_gets_state_no_length() {
        assert!(!sends_content_length("GET", 0));
        assert!(!sends_content_length("HEAD", 0));
        assert!(sends_content_length("GET", 2));
        assert!(sends_content_length("POST", 0));
        assert!(sends_content_length("DELETE", 0));
    }

    #[test]
    fn lengths_format_as_to_string_does() {
        let mut buffer = DecimalBuffer::new();
        for value in [0, 7, 9, 10, 99, 100, 12_345, 10_485_760, usize::MAX] {
            assert_eq!(buffer.format(value), value.to_string());
        }
    }
}

#[cfg(test)]
mod host_prefix_tests {
    use super::{bind_path, is_valid_host_label, prefix_host};

    #[test]
    fn bound_paths_follow_the_endpoints_path() {
        assert_eq!(bind_path("https://h/", "/a/b", ""), "https://h/a/b");
        assert_eq!(
            bind_path("https://h/base/", "/a", "x=1&y"),
            "https://h/base/a?x=1&y"
        );
        assert_eq!(bind_path("https://h/", "", "x=1"), "https://h/?x=1");
        assert_eq!(
            bind_path("https://h/?k=v", "/a", "x=1"),
            "https://h/a?k=v&x=1"
        );
    }

    #[test]
    fn host_prefix_goes_before_the_host() {
        assert_eq!(
            prefix_host("https://example.com/custom/", "foo.bar.").unwrap(),
            "https://foo.bar.example.com/custom/"
        );
        assert!(prefix_host("example.com", "foo.").is_err());
    }

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("bar"));
        assert!(is_valid_host_label("a-1"));
        assert!(!is_valid_host_label(""));
        assert!(!is_valid_host_label("-a"));
        assert!(!is_valid_host_label("a.b"));
        assert!(!is_valid_host_label(&"a".repeat(64)));
    }
}
