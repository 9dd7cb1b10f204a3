//! The wire protocols: what each adds to an operation's requests and how it
//! reads the metadata (code, message, request id) of an error response.
//!
//! A protocol is one module here and one in the generator, which renders
//! the code that writes its inputs and reads its outputs. Data formats are
//! modules of their own that protocols share ([`crate::json`]); sending
//! (endpoint, auth, retries, timeouts) is [`crate::orchestrator`]'s and
//! knows no protocol.

pub mod aws_json;

use crate::error::ErrorMetadata;
use crate::http::HttpResponse;
use crate::spec::{OperationSpec, ServiceSpec};

/// The wire protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
}

/// The headers a protocol adds to every request of an operation.
#[derive(Debug)]
pub(crate) struct ProtocolHeaders {
    content_type: &'static str,
    /// `X-Amz-Target`, for the awsJson protocols.
    target: Option<String>,
}

impl ProtocolHeaders {
    /// Adds the headers to a request's.
    pub(crate) fn push_to<'a>(&'a self, headers: &mut Vec<(&'a str, &'a str)>) {
        headers.push(("content-type", self.content_type));
        if let Some(target) = &self.target {
            headers.push(("x-amz-target", target));
        }
    }
}

impl Protocol {
    /// The `Content-Type` of request bodies.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => aws_json::CONTENT_TYPE_1_0,
            Protocol::AwsJson1_1 => aws_json::CONTENT_TYPE_1_1,
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
            },
        }
    }

    /// Reads the code, message and request id of an error response.
    pub fn parse_error_metadata(self, response: &HttpResponse) -> ErrorMetadata {
        match self {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => aws_json::parse_error_metadata(response),
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
