//! Sending one operation: what a generated fluent builder's `send()` returns.
//!
//! The future is built here, in one generic function, rather than as an
//! `async fn` in each generated operation: the compiler then checks one async
//! body (its borrows, and that it is `Send`) instead of two per operation,
//! which was a large share of a generated crate's compile time.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::client::Handle;
use crate::error::{BuildError, DeserializeError, ErrorMetadata, SdkError, SerializeError};
use crate::http::HttpResponse;
use crate::protocol::{send_json_rpc, OperationSpec, ServiceSpec};

/// The result of sending an operation: its output, or an [`SdkError`]
/// holding the operation's error enum.
pub type SendResult<O, E> = Result<O, SdkError<E>>;

/// The future a generated `send()` returns; `.await` it.
pub type SendFuture<O, E> = Pin<Box<dyn Future<Output = SendResult<O, E>> + Send + 'static>>;

/// How one operation's input becomes a request and its response a result.
pub struct OperationCodec<I, O, E> {
    /// Serializes the input to the request body.
    pub ser: fn(&I) -> Result<serde_json::Value, SerializeError>,
    /// The host prefix (`smithy.api#endpoint`), labels filled in from the input.
    pub host_prefix: fn(&I) -> Result<Option<String>, BuildError>,
    /// Reads the output from a 2xx response.
    pub parse_ok: fn(&HttpResponse) -> Result<O, DeserializeError>,
    /// Reads the operation error from any other response.
    pub parse_err: fn(&HttpResponse, ErrorMetadata) -> E,
}

/// A `host_prefix` for operations without one.
pub fn no_host_prefix<I>(_: &I) -> Result<Option<String>, BuildError> {
    Ok(None)
}

/// Sends `input` (or fails with its build error) as `operation` of
/// `service`, as described in [`send_json_rpc`].
pub fn send<I, O, E>(
    handle: Arc<Handle>,
    service: &'static ServiceSpec,
    operation: &'static OperationSpec,
    input: Result<I, BuildError>,
    codec: OperationCodec<I, O, E>,
) -> SendFuture<O, E>
where
    I: Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
{
    Box::pin(async move {
        let input = input.map_err(SdkError::construction_failure)?;
        let body = (codec.ser)(&input).map_err(SdkError::construction_failure)?;
        let host_prefix = (codec.host_prefix)(&input).map_err(SdkError::construction_failure)?;
        drop(input);
        send_json_rpc(
            &handle,
            service,
            operation,
            body,
            host_prefix,
            codec.parse_ok,
            codec.parse_err,
        )
        .await
    })
}
