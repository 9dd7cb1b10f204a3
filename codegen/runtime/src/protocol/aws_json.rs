//! The `awsJson1_0` and `awsJson1_1` protocols (Smithy's JSON RPC protocols).
//!
//! Every operation is a `POST` to the service endpoint's path. The operation
//! is named by the `X-Amz-Target` header (`{ServiceShapeName}.{OperationName}`),
//! the input is the JSON body, and the output or error is the JSON body of
//! the response. The two versions differ only in their content type.

use crate::error::ErrorMetadata;
use crate::http::HttpResponse;
use crate::spec::{OperationSpec, ServiceSpec};

/// The `Content-Type` of awsJson 1.0 requests.
pub const CONTENT_TYPE_1_0: &str = "application/x-amz-json-1.0";
/// The `Content-Type` of awsJson 1.1 requests.
pub const CONTENT_TYPE_1_1: &str = "application/x-amz-json-1.1";

/// The `X-Amz-Target` value naming `operation` of `service`.
pub fn target(service: &ServiceSpec, operation: &OperationSpec) -> String {
    let mut target = String::with_capacity(service.target_prefix.len() + 1 + operation.name.len());
    target.push_str(service.target_prefix);
    target.push('.');
    target.push_str(operation.name);
    target
}

/// The header a query-compatible service's requests carry
/// (`aws.protocols#awsQueryCompatible`).
pub(crate) const QUERY_MODE_HEADER: (&str, &str) = ("x-amzn-query-mode", "true");

/// The header in which a query-compatible service sends an error's query
/// code and type, as `Code;Type`.
const QUERY_ERROR_HEADER: &str = "x-amzn-query-error";

/// `meta` with the code and type of a query-compatible service's
/// `x-amzn-query-error` header (`Code;Type`), when the response has one:
/// the code replaces the one read from the body, and the type (`Sender` or
/// `Receiver`) is the metadata's extra `"type"`. A header without `;` or
/// with an empty code is ignored.
pub fn with_query_error(meta: ErrorMetadata, resp: &HttpResponse) -> ErrorMetadata {
    let Some((code, kind)) = resp
        .header(QUERY_ERROR_HEADER)
        .and_then(|value| value.split_once(';'))
        .map(|(code, kind)| (code.trim(), kind.trim()))
        .filter(|(code, _)| !code.is_empty())
    else {
        return meta;
    };
    meta.into_builder().code(code).custom("type", kind).build()
}

/// Reads the code, message and request id of an error response.
///
/// The code comes from the `X-Amzn-ErrorType` header, else the body's
/// `__type` member, else its `code` member, and is passed through
/// [`sanitize_error_code`](super::sanitize_error_code). The message is the
/// body's `message`, `Message` or `errorMessage` member; the request id is
/// the `x-amzn-RequestId` header. A body that is not a JSON object
/// contributes nothing.
pub fn parse_error_metadata(resp: &HttpResponse) -> ErrorMetadata {
    super::json_error_metadata(resp, ["__type", "code"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::sanitize_error_code;

    use crate::test_support::error_response as response;

    #[test]
    fn content_types() {
        assert_eq!(
            crate::protocol::Protocol::AwsJson1_0.content_type(),
            Some("application/x-amz-json-1.0")
        );
        assert_eq!(
            crate::protocol::Protocol::AwsJson1_1.content_type(),
            Some("application/x-amz-json-1.1")
        );
    }

    #[test]
    fn sanitizes_error_codes() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code(
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"
            ),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code(
                "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"
            ),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code("com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"),
            "ResourceNotFoundException"
        );
        assert_eq!(sanitize_error_code(""), "");
    }

    #[test]
    fn error_code_from_header_wins_over_body() {
        let resp = response(
            &[
                ("X-Amzn-ErrorType", "HeaderError:http://internal/"),
                ("x-amzn-RequestId", "req-123"),
            ],
            r#"{"__type": "aws.test#BodyError", "message": "from body"}"#,
        );
        let meta = parse_error_metadata(&resp);
        assert_eq!(meta.code(), Some("HeaderError"));
        assert_eq!(meta.message(), Some("from body"));
        assert_eq!(meta.request_id(), Some("req-123"));
    }

    #[test]
    fn error_code_from_body() {
        let meta = parse_error_metadata(&response(
            &[],
            r#"{"__type": "aws.test#BodyError", "Message": "capital"}"#,
        ));
        assert_eq!(meta.code(), Some("BodyError"));
        assert_eq!(meta.message(), Some("capital"));
        assert_eq!(meta.request_id(), None);

        let meta = parse_error_metadata(&response(
            &[],
            r#"{"code": "CodeError", "errorMessage": "third spelling"}"#,
        ));
        assert_eq!(meta.code(), Some("CodeError"));
        assert_eq!(meta.message(), Some("third spelling"));

        // `__type` is preferred to `code`.
        let meta = parse_error_metadata(&response(&[], r#"{"code": "B", "__type": "A"}"#));
        assert_eq!(meta.code(), Some("A"));

        // An empty header does not hide the body's code.
        let meta =
            parse_error_metadata(&response(&[("x-amzn-errortype", "")], r#"{"__type": "A"}"#));
        assert_eq!(meta.code(), Some("A"));
    }

    #[test]
    fn query_compatible_requests_say_so() {
        let mut service = crate::spec::ServiceSpec {
            target_prefix: "AmazonSQS",
            endpoint_prefix: "sqs",
            signing_name: "sqs",
            protocol: crate::protocol::Protocol::AwsJson1_0,
            query_compatible: true,
            endpoint_rules: None,
        };
        let operation = crate::spec::OperationSpec {
            name: "ListQueues",
            auth: crate::spec::AuthMode::SigV4,
            errors: &[],
            request_compression: false,
            endpoint_params: crate::endpoint::OperationEndpointParams::NONE,
        };
        let headers = |service: &crate::spec::ServiceSpec| {
            let protocol_headers = service.protocol.request_headers(service, &operation);
            let mut headers = Vec::new();
            protocol_headers.push_to(&mut headers);
            headers
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            headers(&service),
            [
                "content-type: application/x-amz-json-1.0",
                "x-amz-target: AmazonSQS.ListQueues",
                "x-amzn-query-mode: true"
            ]
        );
        service.query_compatible = false;
        assert_eq!(headers(&service).len(), 2);
    }

    #[test]
    fn query_error_header_gives_code_and_type() {
        let resp = response(
            &[(
                "x-amzn-query-error",
                "AWS.SimpleQueueService.NonExistentQueue;Sender",
            )],
            r#"{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "no"}"#,
        );
        let meta = with_query_error(parse_error_metadata(&resp), &resp);
        assert_eq!(meta.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        assert_eq!(meta.extra("type"), Some("Sender"));
        assert_eq!(meta.message(), Some("no"));

        // Without the header, or with one that is not `Code;Type`, the
        // body's code stands.
        for headers in [
            &[][..],
            &[("x-amzn-query-error", "NoSemicolon")],
            &[("x-amzn-query-error", ";Sender")],
        ] {
            let resp = response(headers, r#"{"__type": "aws.test#BodyError"}"#);
            let meta = with_query_error(parse_error_metadata(&resp), &resp);
            assert_eq!(meta.code(), Some("BodyError"), "{headers:?}");
            assert_eq!(meta.extra("type"), None);
        }
    }

    #[test]
    fn non_json_error_body_has_no_code() {
        let meta = parse_error_metadata(&response(
            &[("x-amzn-requestid", "r")],
            "<html>Bad Gateway</html>",
        ));
        assert_eq!(meta.code(), None);
        assert_eq!(meta.message(), None);
        assert_eq!(meta.request_id(), Some("r"));

        let meta = parse_error_metadata(&response(&[], ""));
        assert_eq!(meta, ErrorMetadata::default());

        let meta = parse_error_metadata(&response(&[], r#"["__type"]"#));
        assert_eq!(meta.code(), None);
        let meta = parse_error_metadata(&response(&[], r#"{"__type": 5}"#));
        assert_eq!(meta.code(), None);
    }
}
