//! Sending one operation: what a generated fluent builder's `send()` returns.
//!
//! Everything an operation does on the wire is compiled once, here: the
//! generated code passes plain functions (serialize the input, read the
//! output, read an error) and gets back a boxed future. Only two small
//! pieces are instantiated per operation: serializing the input before the
//! future starts, and `ParseResponse`, which reads the final response.
//! An `async` body per operation (or per operation and builder) was a large
//! share of a generated crate's compile time.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use serde_json::Value;

use crate::client::Handle;
use crate::error::{
    BoxError, BuildError, DeserializeError, ErrorMetadata, SdkError, SerializeError,
};
use crate::http::HttpResponse;
use crate::json::JsonWriter;
use crate::orchestrator::{send_operation, Received, SerializedInput};
use crate::primitives::ByteStream;
use crate::request::RequestWriter;
use crate::spec::{OperationSpec, ServiceSpec};

/// The result of sending an operation: its output, or an [`SdkError`]
/// holding the operation's error enum.
pub type SendResult<O, E> = Result<O, SdkError<E>>;

/// The future a generated `send()` returns; `.await` it.
pub type SendFuture<O, E> = Pin<Box<dyn Future<Output = SendResult<O, E>> + Send + 'static>>;

/// The future of the response, before it is parsed.
type RawFuture =
    Pin<Box<dyn Future<Output = Result<Received, SdkError<ErrorMetadata>>> + Send + 'static>>;

/// A function that writes (part of) an input as JSON.
pub type WriteInput<I> = fn(&I, &mut JsonWriter) -> Result<(), SerializeError>;

/// A function that writes (part of) an input into its request.
pub type WriteRequest<I> = fn(&I, &mut RequestWriter) -> Result<(), SerializeError>;

/// How one operation's input becomes a request and its response a result.
pub struct OperationCodec<I, O, E> {
    /// Writes the input into the request: its body and, under protocols
    /// that bind members to HTTP, its method, path, query and headers.
    pub ser: WriteRequest<I>,
    /// The host prefix (`smithy.api#endpoint`), labels filled in from the input.
    pub host_prefix: fn(&I) -> Result<Option<String>, BuildError>,
    /// Writes the input members the endpoint rule parameters read, as a
    /// JSON object; `None` when they read none.
    pub endpoint_input: Option<WriteInput<I>>,
    /// Reads the output from a 2xx response.
    pub parse_ok: ParseOutput<O>,
    /// Reads the operation error from any other response.
    pub parse_err: fn(&HttpResponse, ErrorMetadata) -> E,
    /// Fills in what the caller left unset before anything else reads the
    /// input: `@idempotencyToken` members (a token from the configuration)
    /// and the defaults a service's customization gives; `None` when there
    /// is nothing to fill in.
    pub prepare: Option<fn(&mut I, &crate::config::Config)>,
    /// Adds to the request what a service's customization adds to every
    /// request of the operation (headers, hashes of the body, the endpoint
    /// an input member names), after `ser`.
    pub customize: Option<WriteRequest<I>>,
    /// Takes the input's `@streaming` payload, which is sent as the body
    /// (see [`crate::byte_stream`]).
    pub stream: Option<fn(&mut I) -> ByteStream>,
    /// `aws.auth#unsignedPayload`: SigV4 does not sign the payload.
    pub unsigned_payload: bool,
}

impl<I, O, E> OperationCodec<I, O, E> {
    /// A codec that writes with `ser`, reads a 2xx response with `parse_ok`
    /// and any other with `parse_err`, and does nothing else: no host
    /// prefix, no endpoint parameters from the input, nothing to prepare,
    /// customize or stream, a signed payload. The methods below add each.
    #[inline]
    pub fn new(
        ser: WriteRequest<I>,
        parse_ok: ParseOutput<O>,
        parse_err: fn(&HttpResponse, ErrorMetadata) -> E,
    ) -> Self {
        Self {
            ser,
            host_prefix: no_host_prefix,
            endpoint_input: None,
            parse_ok,
            parse_err,
            prepare: None,
            customize: None,
            stream: None,
            unsigned_payload: false,
        }
    }

    /// Sets [`host_prefix`](Self::host_prefix).
    #[inline]
    pub fn with_host_prefix(mut self, f: fn(&I) -> Result<Option<String>, BuildError>) -> Self {
        self.host_prefix = f;
        self
    }

    /// Sets [`endpoint_input`](Self::endpoint_input).
    #[inline]
    pub fn with_endpoint_input(mut self, f: WriteInput<I>) -> Self {
        self.endpoint_input = Some(f);
        self
    }

    /// Sets [`prepare`](Self::prepare).
    #[inline]
    pub fn with_prepare(mut self, f: fn(&mut I, &crate::config::Config)) -> Self {
        self.prepare = Some(f);
        self
    }

    /// Sets [`customize`](Self::customize).
    #[inline]
    pub fn with_customize(mut self, f: WriteRequest<I>) -> Self {
        self.customize = Some(f);
        self
    }

    /// Sets [`stream`](Self::stream).
    #[inline]
    pub fn with_stream(mut self, f: fn(&mut I) -> ByteStream) -> Self {
        self.stream = Some(f);
        self
    }

    /// Sets [`unsigned_payload`](Self::unsigned_payload).
    #[inline]
    pub fn with_unsigned_payload(mut self, unsigned: bool) -> Self {
        self.unsigned_payload = unsigned;
        self
    }
}

/// How an operation reads its output from a 2xx response.
pub enum ParseOutput<O> {
    /// From the response, its body read whole.
    Whole(fn(&HttpResponse) -> Result<O, DeserializeError>),
    /// From the response's status and headers and its body, unread, which
    /// the output keeps (an output with a `@streaming` member).
    Streamed(fn(&HttpResponse, ByteStream) -> Result<O, DeserializeError>),
}

impl<O> Clone for ParseOutput<O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<O> Copy for ParseOutput<O> {}

/// The room a request body starts with: most inputs fit, so the body is
/// allocated once.
const BODY_CAPACITY: usize = 512;

/// A `host_prefix` for operations without one.
pub fn no_host_prefix<I>(_: &I) -> Result<Option<String>, BuildError> {
    Ok(None)
}

/// Sends `input` (or fails with its build error) as `operation` of
/// `service`, as described in [`crate::orchestrator::send`].
pub fn send<I, O, E>(
    handle: Arc<Handle>,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    input: Result<I, BuildError>,
    codec: OperationCodec<I, O, E>,
) -> SendFuture<O, E>
where
    O: Send + 'static,
    E: Send + 'static,
{
    let stream_response = matches!(codec.parse_ok, ParseOutput::Streamed(_));
    let body = input.map_err(BoxError::from).and_then(|mut input| {
        if let Some(prepare) = codec.prepare {
            prepare(&mut input, handle.config());
        }
        let mut request = RequestWriter::with_capacity(BODY_CAPACITY);
        (codec.ser)(&input, &mut request)?;
        if let Some(customize) = codec.customize {
            customize(&input, &mut request)?;
        }
        if codec.unsigned_payload {
            request.set_unsigned_payload();
        }
        let host_prefix = (codec.host_prefix)(&input)?;
        let endpoint_input = match codec.endpoint_input {
            Some(write) => crate::json::to_value(&input, write)?,
            None => serde_json::Value::Null,
        };
        if let Some(take) = codec.stream {
            request.set_stream(take(&mut input));
        }
        Ok(SerializedInput {
            request: request.into_parts(),
            host_prefix,
            endpoint_input,
            stream_response,
        })
    });
    Box::pin(ParseResponse {
        raw: send_raw(handle, service, operation, body),
        parse_ok: codec.parse_ok,
        parse_err: codec.parse_err,
    })
}

/// The non-generic part of [`send`]: the whole exchange, up to the final
/// response.
fn send_raw(
    handle: Arc<Handle>,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    input: Result<SerializedInput, BoxError>,
) -> RawFuture {
    Box::pin(async move {
        let input = input.map_err(SdkError::construction_failure)?;
        send_operation(&handle, service, operation, input).await
    })
}

/// Waits for the response and parses it with the operation's functions.
struct ParseResponse<O, E> {
    raw: RawFuture,
    parse_ok: ParseOutput<O>,
    parse_err: fn(&HttpResponse, ErrorMetadata) -> E,
}

impl<O, E> Future for ParseResponse<O, E> {
    type Output = SendResult<O, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let received = match self.raw.as_mut().poll(cx) {
            Poll::Ready(Ok(received)) => received,
            Poll::Ready(Err(err)) => {
                return Poll::Ready(Err(err.map_service_error_with_raw(self.parse_err)))
            }
            Poll::Pending => return Poll::Pending,
        };
        let Received { response, stream } = received;
        let parsed = match self.parse_ok {
            ParseOutput::Whole(parse) => parse(&response),
            ParseOutput::Streamed(parse) => {
                parse(&response, stream.map(|stream| *stream).unwrap_or_default())
            }
        };
        Poll::Ready(parsed.map_err(|err| SdkError::response_error(err, response)))
    }
}

/// Sends `input`, a JSON value that is the whole input (as under the
/// awsJson protocols), as `operation`'s body, and reads the result (see
/// [`crate::orchestrator::send`]). For tests and tools; generated crates
/// send through [`send`].
pub async fn send_json_rpc<O, E>(
    handle: &Handle,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    input: Value,
    host_prefix: Option<String>,
    parse_ok: fn(&HttpResponse) -> Result<O, DeserializeError>,
    parse_err: fn(&HttpResponse, ErrorMetadata) -> E,
) -> Result<O, SdkError<E>> {
    let input = serialized(operation, input, host_prefix);
    crate::orchestrator::send(handle, service, operation, input, parse_ok, parse_err).await
}

/// `input` as the orchestrator sends it: the whole value is the body, and
/// the endpoint rules read from it when they read the input at all.
fn serialized(
    operation: &OperationSpec,
    input: Value,
    host_prefix: Option<String>,
) -> SerializedInput {
    let body = crate::json::to_body(&input);
    let params = &operation.endpoint_params;
    let endpoint_input = match params.members.is_empty() && params.paths.is_empty() {
        true => Value::Null,
        false => input,
    };
    SerializedInput {
        request: crate::request::RequestPartsOwned {
            body,
            method: "POST",
            ..Default::default()
        },
        host_prefix,
        endpoint_input,
        stream_response: false,
    }
}

/// [`send_json_rpc`] without the parsing: the 2xx response, or the final
/// error, whose service error carries the response's [`ErrorMetadata`].
pub async fn send_json_rpc_response(
    handle: &Handle,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    input: Value,
    host_prefix: Option<String>,
) -> Result<HttpResponse, SdkError<ErrorMetadata>> {
    let input = serialized(operation, input, host_prefix);
    crate::orchestrator::send_body_response(handle, service, operation, input).await
}
