//! The wire protocols: what each adds to an operation's requests and how it
//! reads the metadata (code, message, request id) of an error response.
//!
//! A protocol is one module here and one in the generator, which renders
//! the code that writes its inputs and reads its outputs. Data formats are
//! modules of their own that protocols share ([`crate::json`]), as are the
//! HTTP binding helpers of the REST protocols ([`crate::binding`]); sending
//! (endpoint, auth, retries, timeouts) is [`crate::orchestrator`]'s and
//! knows no protocol.

pub mod aws_json;
pub mod rest_json;

use serde_json::Value;

pub use crate::error::sanitize_error_code;
pub use crate::spec::Protocol;

use crate::error::ErrorMetadata;
use crate::http::HttpResponse;
use crate::spec::{OperationSpec, ServiceSpec};

/// The headers a protocol adds to every request of an operation.
#[derive(Debug)]
pub(crate) struct ProtocolHeaders {
    /// `Content-Type`, when the protocol sets it for every request (the
    /// awsJson protocols); under restJson1 it depends on the payload, and
    /// the operation's serializer sets it.
    content_type: Option<&'static str>,
    /// `X-Amz-Target`, for the awsJson protocols.
    target: Option<String>,
    /// `x-amzn-query-mode: true`, for query-compatible services.
    query_mode: bool,
}

impl ProtocolHeaders {
    /// Adds the headers to a request's.
    pub(crate) fn push_to<'a>(&'a self, headers: &mut Vec<(&'a str, &'a str)>) {
        if let Some(content_type) = self.content_type {
            headers.push(("content-type", content_type));
        }
        if let Some(target) = &self.target {
            headers.push(("x-amz-target", target));
        }
        if self.query_mode {
            headers.push(aws_json::QUERY_MODE_HEADER);
        }
    }
}

impl Protocol {
    /// The `Content-Type` the protocol gives every request, or `None` when
    /// it depends on the operation's payload (restJson1, whose serializers
    /// set it; see [`rest_json`]).
    pub fn content_type(self) -> Option<&'static str> {
        match self {
            Protocol::AwsJson1_0 => Some(aws_json::CONTENT_TYPE_1_0),
            Protocol::AwsJson1_1 => Some(aws_json::CONTENT_TYPE_1_1),
            Protocol::RestJson1 => None,
        }
    }

    /// The headers the protocol adds to every request of `operation`.
    pub(crate) fn request_headers(
        self,
        service: &ServiceSpec,
        operation: &OperationSpec,
    ) -> ProtocolHeaders {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => ProtocolHeaders {
                content_type: self.content_type(),
                target: Some(aws_json::target(service, operation)),
                query_mode: service.query_compatible,
            },
            Protocol::RestJson1 => ProtocolHeaders {
                content_type: None,
                target: None,
                query_mode: false,
            },
        }
    }

    /// Reads the code, message and request id of an error response.
    pub fn parse_error_metadata(self, response: &HttpResponse) -> ErrorMetadata {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::parse_error_metadata(response),
            Protocol::RestJson1 => rest_json::parse_error_metadata(response),
        }
    }
}

/// Reads the metadata of an error response of `service`: as its protocol
/// says and, for a query-compatible service, with the code and type its
/// `x-amzn-query-error` header gives.
pub(crate) fn error_metadata(service: &ServiceSpec, response: &HttpResponse) -> ErrorMetadata {
    let meta = service.protocol.parse_error_metadata(response);
    match service.query_compatible {
        true => aws_json::with_query_error(meta, response),
        false => meta,
    }
}

/// Header carrying the error code, when the service sends one (the JSON
/// protocols).
const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";
/// Header carrying the request id (the JSON protocols).
const REQUEST_ID_HEADER: &str = "x-amzn-requestid";

/// Reads the metadata of an error response of the JSON protocols, which
/// differ only in which body member names the error first.
///
/// The code comes from the `X-Amzn-ErrorType` header, else the body's
/// `code_members` in order, and is passed through [`sanitize_error_code`].
/// The message is the body's `message`, `Message` or `errorMessage` member;
/// the request id is the `x-amzn-RequestId` header. A body that is not a
/// JSON object contributes nothing.
fn json_error_metadata(resp: &HttpResponse, code_members: [&str; 2]) -> ErrorMetadata {
    let body: Option<Value> = serde_json::from_slice(resp.body()).ok();
    let object = body.as_ref().and_then(Value::as_object);
    let body_string = |key: &str| object.and_then(|o| o.get(key)).and_then(Value::as_str);

    let code = resp
        .header(ERROR_TYPE_HEADER)
        .filter(|value| !value.trim().is_empty())
        .or_else(|| code_members.into_iter().find_map(body_string))
        .map(sanitize_error_code)
        .filter(|code| !code.is_empty());
    let message = body_string("message")
        .or_else(|| body_string("Message"))
        .or_else(|| body_string("errorMessage"));

    let mut builder = ErrorMetadata::builder();
    builder
        .set_code(code.map(str::to_owned))
        .set_message(message.map(str::to_owned))
        .set_request_id(resp.header(REQUEST_ID_HEADER).map(str::to_owned));
    builder.build()
}
