//! Error types shared by every generated SDK crate.
//!
//! * [`BuildError`]: a builder was missing a required field or had an invalid one.
//! * [`SerializeError`]: a value could not be written in the wire format.
//! * [`DeserializeError`]: a response body did not match the expected shape.
//! * [`ConnectorError`]: the transport failed to send a request or read a response.
//! * [`SdkError`]: what every operation returns on failure, wrapping one of the above
//!   or the service's own modeled error.
//! * [`ErrorMetadata`], [`ProvideErrorMetadata`], [`Unhandled`] and
//!   [`CreateUnhandledError`]: the pieces generated operation error enums are built from.

use std::error::Error;
use std::fmt;

/// A boxed error that can be sent between threads.
pub type BoxError = Box<dyn Error + Send + Sync + 'static>;

// ---------------------------------------------------------------------------
// BuildError
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum BuildErrorKind {
    MissingField { details: &'static str },
    InvalidField { details: String },
}

/// Returned by a generated builder's `build()` when the value cannot be built.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildError {
    field: &'static str,
    kind: BuildErrorKind,
}

impl BuildError {
    /// A required field was not set. `details` names what was being built,
    /// e.g. `"a GetItemInput"`.
    pub fn missing_field(field: &'static str, details: &'static str) -> Self {
        Self {
            field,
            kind: BuildErrorKind::MissingField { details },
        }
    }

    /// A field was set to a value that is not allowed.
    pub fn invalid_field(field: &'static str, details: impl Into<String>) -> Self {
        Self {
            field,
            kind: BuildErrorKind::InvalidField {
                details: details.into(),
            },
        }
    }

    /// The name of the field at fault.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// Whether this error reports a missing required field.
    pub fn is_missing_field(&self) -> bool {
        matches!(self.kind, BuildErrorKind::MissingField { .. })
    }
}

/// `Ok` when the required field `field` of the `type_name` being built is
/// set, else its missing-field [`BuildError`]. Generated `build()`s check
/// each required member with one call.
#[inline]
pub fn require<T>(
    value: &Option<T>,
    field: &'static str,
    type_name: &'static str,
) -> Result<(), BuildError> {
    match value {
        Some(_) => Ok(()),
        None => Err(BuildError::missing_field(field, type_name)),
    }
}

/// The value of the required field `field` of the `type_name` being built,
/// else its missing-field [`BuildError`].
#[inline]
pub fn required<T>(
    value: Option<T>,
    field: &'static str,
    type_name: &'static str,
) -> Result<T, BuildError> {
    value.ok_or(BuildError::missing_field(field, type_name))
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            BuildErrorKind::MissingField { details } => write!(
                f,
                "`{}` was not specified but it is required when building {details}",
                self.field
            ),
            BuildErrorKind::InvalidField { details } => {
                write!(f, "invalid value for field `{}`: {details}", self.field)
            }
        }
    }
}

impl Error for BuildError {}

// ---------------------------------------------------------------------------
// SerializeError / DeserializeError
// ---------------------------------------------------------------------------

/// A value could not be written in the wire format (for example a timestamp
/// outside the range RFC 3339 can express).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SerializeError {
    message: String,
}

impl SerializeError {
    /// Creates an error with the given description.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The description of what went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for SerializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to serialize: {}", self.message)
    }
}

impl Error for SerializeError {}

/// A response body did not have the expected shape.
///
/// `path` locates the offending value inside the document (for example
/// `GetItemOutput.Item.id`); it may be empty when the whole body is at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeserializeError {
    path: String,
    message: String,
}

impl DeserializeError {
    /// Creates an error for the value at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
        }
    }

    /// Where in the document the error was found.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The description of what went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Places an error found in item `index` of the list at `list_path`.
    pub fn within(self, list_path: &str, index: usize) -> Self {
        let path = if self.path.is_empty() || self.path == list_path {
            format!("{list_path}[{index}]")
        } else {
            format!("{list_path}[{index}].{}", self.path)
        };
        Self { path, ..self }
    }
}

impl fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl Error for DeserializeError {}

// The transport's error lives with the transport, which needs nothing else
// from this module; it is named here too.
pub use crate::http::{ConnectorError, ConnectorErrorKind};

/// Who is at fault for a modeled error (`smithy.api#error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The caller (`"client"`).
    Client,
    /// The service (`"server"`).
    Server,
}

/// What the retry logic needs to know about one of an operation's modeled
/// errors.
#[derive(Debug)]
pub struct ModeledError {
    /// The error shape's name, as sent in error responses (e.g.
    /// `ResourceNotFoundException`). A shape id (`namespace#Name`) is also
    /// accepted: only the part after `#` is compared.
    pub code: &'static str,
    /// The `smithy.api#error` fault.
    pub fault: Fault,
    /// Whether the shape has the `smithy.api#retryable` trait.
    pub retryable: bool,
    /// Whether that trait says `throttling: true`.
    pub throttling: bool,
    /// The code an `aws.protocols#awsQueryCompatible` service sends for the
    /// error in its `x-amzn-query-error` header, when the error's
    /// `aws.protocols#awsQueryError` trait gives one other than its name.
    pub query_code: Option<&'static str>,
}

impl ModeledError {
    /// A modeled error the caller is at fault for.
    pub const fn client(code: &'static str) -> Self {
        ModeledError {
            code,
            fault: Fault::Client,
            retryable: false,
            throttling: false,
            query_code: None,
        }
    }

    /// A modeled error the service is at fault for.
    pub const fn server(code: &'static str) -> Self {
        ModeledError {
            code,
            fault: Fault::Server,
            retryable: false,
            throttling: false,
            query_code: None,
        }
    }

    /// Gives the error the code of its `aws.protocols#awsQueryError` trait,
    /// which a query-compatible service sends for it.
    pub const fn query_code(self, code: &'static str) -> Self {
        ModeledError {
            query_code: Some(code),
            ..self
        }
    }

    /// Whether `code`, a sanitized error code, names this error: its shape
    /// name (compared after any `namespace#`) or its query error code.
    pub fn has_code(&self, code: &str) -> bool {
        sanitize_error_code(self.code) == code || self.query_code == Some(code)
    }

    /// Marks the error `smithy.api#retryable`, throttling or not.
    pub const fn retryable(self, throttling: bool) -> Self {
        ModeledError {
            retryable: true,
            throttling,
            ..self
        }
    }
}

/// Reduces a raw error code to the error shape's name: drops everything from
/// the first `:` on, then everything up to the last `#`.
///
/// `aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/`
/// becomes `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    let name = match before_colon.rfind('#') {
        Some(index) => &before_colon[index + 1..],
        None => before_colon,
    };
    name.trim()
}

// ---------------------------------------------------------------------------
// ErrorMetadata
// ---------------------------------------------------------------------------

/// What the protocol tells about a service error, whether or not the error is
/// modeled: its code, its message and the request id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    /// What else the protocol reads, by name (the `type` of a query
    /// error, under `aws.protocols#awsQueryCompatible`).
    extras: Vec<(&'static str, String)>,
}

/// Metadata with every field empty.
static EMPTY_METADATA: ErrorMetadata = ErrorMetadata {
    code: None,
    message: None,
    request_id: None,
    extras: Vec::new(),
};

impl ErrorMetadata {
    /// Starts building metadata.
    pub fn builder() -> ErrorMetadataBuilder {
        ErrorMetadataBuilder::default()
    }

    /// A reference to metadata with every field empty.
    pub fn empty() -> &'static ErrorMetadata {
        &EMPTY_METADATA
    }

    /// The error code (the sanitized shape name for modeled errors).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message sent by the service.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The id the service assigned to the request.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// What else the protocol read from the response, by name: `"type"` is
    /// the fault (`Sender` or `Receiver`) of an error a query-compatible
    /// service (`aws.protocols#awsQueryCompatible`) sends in its
    /// `x-amzn-query-error` header.
    pub fn extra(&self, key: &str) -> Option<&str> {
        self.extras
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value.as_str())
    }

    /// Turns this metadata back into a builder.
    pub fn into_builder(self) -> ErrorMetadataBuilder {
        ErrorMetadataBuilder { inner: self }
    }
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Error {")?;
        let mut first = true;
        for (name, value) in [
            ("code", &self.code),
            ("message", &self.message),
            ("request_id", &self.request_id),
        ] {
            if let Some(value) = value {
                let sep = if first { " " } else { ", " };
                write!(f, "{sep}{name}: {value:?}")?;
                first = false;
            }
        }
        f.write_str(if first { "}" } else { " }" })
    }
}

impl Error for ErrorMetadata {}

/// Builder for [`ErrorMetadata`].
#[derive(Debug, Clone, Default)]
pub struct ErrorMetadataBuilder {
    inner: ErrorMetadata,
}

impl ErrorMetadataBuilder {
    /// Sets the error code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = Some(code.into());
        self
    }

    /// Sets or clears the error code.
    pub fn set_code(&mut self, code: Option<String>) -> &mut Self {
        self.inner.code = code;
        self
    }

    /// Sets the message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    /// Sets or clears the message.
    pub fn set_message(&mut self, message: Option<String>) -> &mut Self {
        self.inner.message = message;
        self
    }

    /// Sets the request id.
    pub fn request_id(mut self, request_id: impl Into<String>) -> Self {
        self.inner.request_id = Some(request_id.into());
        self
    }

    /// Sets or clears the request id.
    pub fn set_request_id(&mut self, request_id: Option<String>) -> &mut Self {
        self.inner.request_id = request_id;
        self
    }

    /// Sets the extra value `key` (see [`ErrorMetadata::extra`]).
    pub fn custom(mut self, key: &'static str, value: impl Into<String>) -> Self {
        let value = value.into();
        match self.inner.extras.iter_mut().find(|(name, _)| *name == key) {
            Some((_, old)) => *old = value,
            None => self.inner.extras.push((key, value)),
        }
        self
    }

    /// Builds the metadata.
    pub fn build(self) -> ErrorMetadata {
        self.inner
    }
}

/// Access to the [`ErrorMetadata`] of an error.
///
/// Implemented by every generated error type and by [`SdkError`].
pub trait ProvideErrorMetadata {
    /// The error's metadata.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code, if the service sent one.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The error message, if the service sent one.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }

    /// The request id, if the service sent one.
    fn request_id(&self) -> Option<&str> {
        self.meta().request_id()
    }
}

// ---------------------------------------------------------------------------
// Unhandled
// ---------------------------------------------------------------------------

/// An error that the operation's model does not describe: an unknown error
/// code from the service, or a failure before any response was received.
///
/// Every generated operation error enum has an `Unhandled` variant holding one.
#[derive(Debug)]
pub struct Unhandled {
    source: BoxError,
    meta: ErrorMetadata,
}

impl Unhandled {
    /// Wraps `source` together with whatever metadata is known about it.
    pub fn new(source: impl Into<BoxError>, meta: ErrorMetadata) -> Self {
        Self {
            source: source.into(),
            meta,
        }
    }

    /// The metadata of the error.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// Unwraps the underlying error.
    pub fn into_source(self) -> BoxError {
        self.source
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unhandled error")?;
        match (self.meta.code(), self.meta.message()) {
            (Some(code), Some(message)) => write!(f, " ({code}): {message}"),
            (Some(code), None) => write!(f, " ({code})"),
            (None, Some(message)) => write!(f, ": {message}"),
            (None, None) => write!(f, ": {}", self.source),
        }
    }
}

impl Error for Unhandled {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(self.source.as_ref())
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

/// Construction of the "unhandled" case of a generated error type.
pub trait CreateUnhandledError {
    /// Builds the unhandled variant from an arbitrary error and, when a
    /// response was received, its metadata.
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self;
}

/// Any variant of a generated operation error enum, as one trait object
/// type: the enum matches on its variants once (to reach this and the
/// variant's name) and its `Debug`, `Display`, `Error` and metadata methods
/// go through it.
pub trait ErrorVariant: Error + ProvideErrorMetadata + Send + Sync + 'static {
    /// The variant's error as a plain error.
    fn as_error(&self) -> &(dyn Error + 'static);
}

impl<T: Error + ProvideErrorMetadata + Send + Sync + 'static> ErrorVariant for T {
    fn as_error(&self) -> &(dyn Error + 'static) {
        self
    }
}

/// A modeled error structure that can be read from an error response.
pub trait ParseModeledError: Sized {
    /// The error's code, fault and retry traits, as the model gives them.
    const MODELED: ModeledError;

    /// Reads the error from a response body, given the metadata already read
    /// from the response.
    fn parse(body: &[u8], meta: ErrorMetadata) -> Result<Self, DeserializeError>;

    /// Reads the error from a whole response: by default from its body with
    /// [`parse`](Self::parse); an error with members bound to headers or the
    /// status code (under protocols that bind HTTP) reads those too.
    fn parse_response(
        response: &crate::http::HttpResponse,
        meta: ErrorMetadata,
    ) -> Result<Self, DeserializeError> {
        Self::parse(&response.body, meta)
    }
}

/// What the model says of the error a variant constructor takes: with it,
/// [`operation_error!`](crate::operation_error) lists an operation's errors
/// from the enum's variants alone.
#[doc(hidden)]
pub const fn modeled_of<T: ParseModeledError, E>(_variant: fn(T) -> E) -> ModeledError {
    T::MODELED
}

/// Whether `code` is the code of the error the variant `variant` holds.
#[doc(hidden)]
#[inline]
pub fn is_variant<T: ParseModeledError, E>(_variant: fn(T) -> E, code: &str) -> bool {
    T::MODELED.has_code(code)
}

/// The variant `variant` read from `response`, or an unhandled error when
/// the response does not parse as its error.
#[doc(hidden)]
#[inline]
pub fn parse_into<T: ParseModeledError, E: CreateUnhandledError>(
    variant: fn(T) -> E,
    response: &crate::http::HttpResponse,
    meta: ErrorMetadata,
) -> E {
    match T::parse_response(response, meta.clone()) {
        Ok(err) => variant(err),
        Err(err) => E::create_unhandled_error(err.into(), Some(meta)),
    }
}

/// The modeled error `T` read from `body`, or, when the body does not parse
/// as `T`, an unhandled error holding the parse error and `meta`.
pub fn parse_modeled_error<T: ParseModeledError>(
    body: &[u8],
    meta: ErrorMetadata,
) -> Result<T, Unhandled> {
    T::parse(body, meta.clone()).map_err(|err| Unhandled::new(err, meta))
}

// ---------------------------------------------------------------------------
// SdkError
// ---------------------------------------------------------------------------

/// The request could not be built (bad input, missing configuration).
#[derive(Debug)]
pub struct ConstructionFailure {
    source: BoxError,
}

impl ConstructionFailure {
    /// A failure caused by `source`.
    pub(crate) fn new(source: impl Into<BoxError>) -> Self {
        Self {
            source: source.into(),
        }
    }

    /// The underlying error.
    pub fn source_error(&self) -> &(dyn Error + Send + Sync + 'static) {
        self.source.as_ref()
    }

    /// Unwraps the underlying error.
    pub fn into_source(self) -> BoxError {
        self.source
    }
}

/// The request did not complete in time.
#[derive(Debug)]
pub struct TimeoutError {
    source: BoxError,
}

impl TimeoutError {
    /// The underlying error.
    pub fn source_error(&self) -> &(dyn Error + Send + Sync + 'static) {
        self.source.as_ref()
    }

    /// Unwraps the underlying error.
    pub fn into_source(self) -> BoxError {
        self.source
    }
}

/// The transport failed to send the request or to read the response.
#[derive(Debug)]
pub struct DispatchFailure {
    source: ConnectorError,
}

impl DispatchFailure {
    /// The transport's error.
    pub fn as_connector_error(&self) -> &ConnectorError {
        &self.source
    }

    /// Unwraps the transport's error.
    pub fn into_connector_error(self) -> ConnectorError {
        self.source
    }

    /// Whether the transport reported a socket-level failure.
    pub fn is_io(&self) -> bool {
        self.source.is_io()
    }

    /// Whether the transport reported a timeout.
    pub fn is_timeout(&self) -> bool {
        self.source.is_timeout()
    }
}

/// A response was received but could not be understood (for example a
/// successful response whose body does not match the output shape).
#[derive(Debug)]
pub struct ResponseError<R> {
    source: BoxError,
    raw: R,
}

impl<R> ResponseError<R> {
    /// The underlying error.
    pub fn source_error(&self) -> &(dyn Error + Send + Sync + 'static) {
        self.source.as_ref()
    }

    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// Unwraps the raw response.
    pub fn into_raw(self) -> R {
        self.raw
    }
}

/// The service answered with an error.
#[derive(Debug)]
pub struct ServiceError<E, R> {
    source: E,
    raw: R,
}

impl<E, R> ServiceError<E, R> {
    /// The parsed service error.
    pub fn err(&self) -> &E {
        &self.source
    }

    /// Unwraps the parsed service error.
    pub fn into_err(self) -> E {
        self.source
    }

    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    /// Unwraps the raw response.
    pub fn into_raw(self) -> R {
        self.raw
    }
}

/// The error every generated operation returns.
///
/// `E` is the operation's error enum; `R` is the raw response type.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E, R = crate::http::HttpResponse> {
    /// The request could not be built.
    ConstructionFailure(ConstructionFailure),
    /// The request did not complete in time.
    TimeoutError(TimeoutError),
    /// The transport failed.
    DispatchFailure(DispatchFailure),
    /// A response was received but could not be understood.
    ResponseError(ResponseError<R>),
    /// The service answered with an error.
    ServiceError(ServiceError<E, R>),
}

impl<E, R> SdkError<E, R> {
    /// The request could not be built.
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        Self::ConstructionFailure(ConstructionFailure::new(source))
    }

    /// The request did not complete in time.
    pub fn timeout_error(source: impl Into<BoxError>) -> Self {
        Self::TimeoutError(TimeoutError {
            source: source.into(),
        })
    }

    /// The transport failed.
    pub fn dispatch_failure(source: ConnectorError) -> Self {
        Self::DispatchFailure(DispatchFailure { source })
    }

    /// A response was received but could not be understood.
    pub fn response_error(source: impl Into<BoxError>, raw: R) -> Self {
        Self::ResponseError(ResponseError {
            source: source.into(),
            raw,
        })
    }

    /// The service answered with an error.
    pub fn service_error(err: E, raw: R) -> Self {
        Self::ServiceError(ServiceError { source: err, raw })
    }

    /// The service's error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            Self::ServiceError(context) => Some(&context.source),
            _ => None,
        }
    }

    /// Converts into the operation's error type.
    ///
    /// A service error is returned as is; any other failure becomes the
    /// unhandled variant of `E`, with this `SdkError` as its source.
    pub fn into_service_error(self) -> E
    where
        E: CreateUnhandledError + Error + Send + Sync + 'static,
        R: fmt::Debug + Send + Sync + 'static,
    {
        match self {
            Self::ServiceError(context) => context.source,
            other => E::create_unhandled_error(Box::new(other), None),
        }
    }

    /// The raw response, when one was received.
    pub fn raw_response(&self) -> Option<&R> {
        match self {
            Self::ResponseError(context) => Some(&context.raw),
            Self::ServiceError(context) => Some(&context.raw),
            _ => None,
        }
    }

    /// Like [`SdkError::map_service_error`], with the raw response at hand.
    pub(crate) fn map_service_error_with_raw<E2>(
        self,
        f: impl FnOnce(&R, E) -> E2,
    ) -> SdkError<E2, R> {
        match self {
            Self::ServiceError(context) => SdkError::ServiceError(ServiceError {
                source: f(&context.raw, context.source),
                raw: context.raw,
            }),
            Self::ConstructionFailure(context) => SdkError::ConstructionFailure(context),
            Self::TimeoutError(context) => SdkError::TimeoutError(context),
            Self::DispatchFailure(context) => SdkError::DispatchFailure(context),
            Self::ResponseError(context) => SdkError::ResponseError(context),
        }
    }

    /// Applies `f` to the service error, keeping every other variant.
    pub fn map_service_error<E2>(self, f: impl FnOnce(E) -> E2) -> SdkError<E2, R> {
        match self {
            Self::ConstructionFailure(context) => SdkError::ConstructionFailure(context),
            Self::TimeoutError(context) => SdkError::TimeoutError(context),
            Self::DispatchFailure(context) => SdkError::DispatchFailure(context),
            Self::ResponseError(context) => SdkError::ResponseError(context),
            Self::ServiceError(context) => SdkError::ServiceError(ServiceError {
                source: f(context.source),
                raw: context.raw,
            }),
        }
    }
}

impl<E, R> fmt::Display for SdkError<E, R>
where
    E: fmt::Display,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ConstructionFailure(_) => f.write_str("failed to construct request"),
            Self::TimeoutError(_) => f.write_str("request has timed out"),
            Self::DispatchFailure(_) => f.write_str("dispatch failure"),
            Self::ResponseError(_) => f.write_str("response error"),
            Self::ServiceError(context) => write!(f, "service error: {}", context.source),
        }
    }
}

impl<E, R> Error for SdkError<E, R>
where
    E: Error + 'static,
    R: fmt::Debug,
{
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::ConstructionFailure(context) => Some(context.source.as_ref()),
            Self::TimeoutError(context) => Some(context.source.as_ref()),
            Self::DispatchFailure(context) => Some(&context.source),
            Self::ResponseError(context) => Some(context.source.as_ref()),
            Self::ServiceError(context) => Some(&context.source),
        }
    }
}

impl<E, R> ProvideErrorMetadata for SdkError<E, R>
where
    E: ProvideErrorMetadata,
{
    fn meta(&self) -> &ErrorMetadata {
        match self {
            Self::ServiceError(context) => context.source.meta(),
            _ => &EMPTY_METADATA,
        }
    }
}

/// Displays an error followed by every error in its `source()` chain,
/// separated by `": "`.
///
/// `SdkError`'s own `Display` is deliberately short; wrap it in this to
/// print everything that is known about a failure.
pub struct DisplayErrorContext<E>(pub E);

impl<E: Error> fmt::Display for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut next = self.0.source();
        while let Some(err) = next {
            write!(f, ": {err}")?;
            next = err.source();
        }
        Ok(())
    }
}

impl<E: Error> fmt::Debug for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DisplayErrorContext({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpResponse;

    /// A stand-in for a generated operation error enum.
    #[derive(Debug)]
    enum OpError {
        NotFound(ErrorMetadata),
        Unhandled(Unhandled),
    }

    impl fmt::Display for OpError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Self::NotFound(_) => f.write_str("NotFound"),
                Self::Unhandled(inner) => inner.fmt(f),
            }
        }
    }

    impl Error for OpError {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            match self {
                Self::NotFound(_) => None,
                Self::Unhandled(inner) => inner.source(),
            }
        }
    }

    impl ProvideErrorMetadata for OpError {
        fn meta(&self) -> &ErrorMetadata {
            match self {
                Self::NotFound(meta) => meta,
                Self::Unhandled(inner) => inner.meta(),
            }
        }
    }

    impl CreateUnhandledError for OpError {
        fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
            Self::Unhandled(Unhandled::new(source, meta.unwrap_or_default()))
        }
    }

    fn not_found() -> OpError {
        OpError::NotFound(
            ErrorMetadata::builder()
                .code("NotFound")
                .message("no such thing")
                .request_id("req-1")
                .build(),
        )
    }

    fn raw() -> HttpResponse {
        HttpResponse::new(404, vec![], b"{}".to_vec())
    }

    #[test]
    fn build_error_messages() {
        let err = BuildError::missing_field("table_name", "a GetItemInput");
        assert_eq!(
            err.to_string(),
            "`table_name` was not specified but it is required when building a GetItemInput"
        );
        assert_eq!(err.field(), "table_name");
        assert!(err.is_missing_field());

        assert_eq!(require(&Some(1), "table_name", "GetItemInput"), Ok(()));
        let err = require(&None::<i32>, "table_name", "GetItemInput").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`table_name` was not specified but it is required when building GetItemInput"
        );
        assert!(err.is_missing_field());
        assert_eq!(required(Some(2), "limit", "GetItemInput"), Ok(2));
        let err = required(None::<i32>, "limit", "GetItemInput").unwrap_err();
        assert_eq!(err.field(), "limit");
        assert!(err.is_missing_field());

        let err = BuildError::invalid_field("limit", "must be positive");
        assert_eq!(
            err.to_string(),
            "invalid value for field `limit`: must be positive"
        );
        assert_eq!(err.field(), "limit");
        assert!(!err.is_missing_field());
        assert_eq!(err.clone(), err);
    }

    #[test]
    fn error_metadata_builder_and_display() {
        let meta = ErrorMetadata::builder()
            .code("Throttled")
            .message("slow down")
            .build();
        assert_eq!(meta.code(), Some("Throttled"));
        assert_eq!(meta.message(), Some("slow down"));
        assert_eq!(meta.request_id(), None);
        assert_eq!(
            meta.to_string(),
            r#"Error { code: "Throttled", message: "slow down" }"#
        );
        assert_eq!(ErrorMetadata::default().to_string(), "Error {}");
        assert_eq!(ErrorMetadata::empty(), &ErrorMetadata::default());

        let mut builder = meta.into_builder();
        builder.set_code(None).set_request_id(Some("r".into()));
        let meta = builder.build();
        assert_eq!(meta.code(), None);
        assert_eq!(meta.request_id(), Some("r"));

        let meta = meta
            .into_builder()
            .custom("type", "Sender")
            .custom("type", "Receiver")
            .build();
        assert_eq!(meta.extra("type"), Some("Receiver"));
        assert_eq!(meta.extra("other"), None);
        assert_eq!(ErrorMetadata::empty().extra("type"), None);
    }

    #[test]
    fn modeled_errors_answer_to_their_name_and_query_code() {
        let plain = ModeledError::client("aws.test#NoSuchQueue");
        assert!(plain.has_code("NoSuchQueue"));
        assert!(!plain.has_code("AWS.SimpleQueueService.NonExistentQueue"));
        let query = ModeledError::client("NoSuchQueue")
            .query_code("AWS.SimpleQueueService.NonExistentQueue")
            .retryable(false);
        assert!(query.has_code("NoSuchQueue"));
        assert!(query.has_code("AWS.SimpleQueueService.NonExistentQueue"));
        assert!(!query.has_code("Other"));
        assert!(query.retryable);
    }

    #[test]
    fn unhandled_display_and_source() {
        let meta = ErrorMetadata::builder()
            .code("Weird")
            .message("huh")
            .build();
        let err = Unhandled::new("raw body", meta);
        assert_eq!(err.to_string(), "unhandled error (Weird): huh");
        assert_eq!(err.source().unwrap().to_string(), "raw body");
        assert_eq!(err.code(), Some("Weird"));

        let err = Unhandled::new("boom", ErrorMetadata::default());
        assert_eq!(err.to_string(), "unhandled error: boom");
    }

    #[test]
    fn service_error_accessors() {
        let err: SdkError<OpError> = SdkError::service_error(not_found(), raw());
        assert!(matches!(err.as_service_error(), Some(OpError::NotFound(_))));
        assert_eq!(err.raw_response().map(HttpResponse::status), Some(404));
        assert_eq!(err.code(), Some("NotFound"));
        assert_eq!(err.message(), Some("no such thing"));
        assert_eq!(err.request_id(), Some("req-1"));
        assert_eq!(err.to_string(), "service error: NotFound");
        assert_eq!(err.source().unwrap().to_string(), "NotFound");
        match &err {
            SdkError::ServiceError(context) => {
                assert!(matches!(context.err(), OpError::NotFound(_)));
                assert_eq!(context.raw().status(), 404);
            }
            other => panic!("unexpected variant {other:?}"),
        }
        assert!(matches!(err.into_service_error(), OpError::NotFound(_)));
    }

    #[test]
    fn non_service_errors_become_unhandled() {
        let err: SdkError<OpError> = SdkError::construction_failure("no region");
        assert!(err.as_service_error().is_none());
        assert!(err.raw_response().is_none());
        assert_eq!(err.code(), None);
        assert_eq!(err.to_string(), "failed to construct request");
        assert_eq!(
            DisplayErrorContext(&err).to_string(),
            "failed to construct request: no region"
        );

        match err.into_service_error() {
            OpError::Unhandled(unhandled) => {
                assert_eq!(unhandled.code(), None);
                let source = unhandled.source().unwrap();
                assert_eq!(source.to_string(), "failed to construct request");
                assert_eq!(source.source().unwrap().to_string(), "no region");
            }
            other => panic!("expected unhandled, got {other:?}"),
        }

        let err: SdkError<OpError> =
            SdkError::dispatch_failure(ConnectorError::io("connection refused"));
        assert_eq!(
            DisplayErrorContext(&err).to_string(),
            "dispatch failure: io error: connection refused"
        );
        match &err {
            SdkError::DispatchFailure(context) => {
                assert!(context.is_io());
                assert!(!context.is_timeout());
            }
            other => panic!("unexpected variant {other:?}"),
        }
        assert!(matches!(err.into_service_error(), OpError::Unhandled(_)));

        let err: SdkError<OpError> = SdkError::response_error(
            DeserializeError::new("Out.count", "expected integer"),
            raw(),
        );
        assert_eq!(err.raw_response().map(HttpResponse::status), Some(404));
        assert_eq!(
            DisplayErrorContext(&err).to_string(),
            "response error: Out.count: expected integer"
        );

        let err: SdkError<OpError> = SdkError::timeout_error("too slow");
        assert_eq!(err.to_string(), "request has timed out");
    }

    #[test]
    fn map_service_error_changes_only_service_errors() {
        let err: SdkError<OpError> = SdkError::service_error(not_found(), raw());
        let mapped = err.map_service_error(|e| e.to_string());
        assert_eq!(
            mapped.as_service_error().map(String::as_str),
            Some("NotFound")
        );

        let err: SdkError<OpError> = SdkError::timeout_error("slow");
        let mapped = err.map_service_error(|e| e.to_string());
        assert!(matches!(mapped, SdkError::TimeoutError(_)));
    }

    #[test]
    fn connector_error_kinds() {
        assert!(ConnectorError::timeout("t").is_timeout());
        assert!(ConnectorError::io("i").is_io());
        let other = ConnectorError::other("o");
        assert!(other.is_other() && !other.is_io() && !other.is_timeout());
        assert_eq!(other.kind(), ConnectorErrorKind::Other);
        let err = ConnectorError::timeout("slow");
        assert_eq!(err.to_string(), "timeout error");
        assert_eq!(err.source().unwrap().to_string(), "slow");
    }

    #[test]
    fn deserialize_error_display() {
        let err = DeserializeError::new("Out.items[2]", "expected string");
        assert_eq!(err.to_string(), "Out.items[2]: expected string");
        assert_eq!(err.path(), "Out.items[2]");
        assert_eq!(err.message(), "expected string");
        assert_eq!(DeserializeError::new("", "bad").to_string(), "bad");
    }
}
