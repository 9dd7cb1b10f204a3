//! The `restJson1` protocol (Smithy's REST protocol with JSON payloads).
//!
//! Each operation has its own method and URI pattern (`smithy.api#http`).
//! Input members bound to the path, the query string and headers are
//! written with the helpers of [`crate::binding`]; the other members form a
//! JSON object body, or one `@httpPayload` member is the whole body. Outputs
//! and errors are read the same way from the response's headers, status
//! code and body.
//!
//! The protocol adds no header to every request: `Content-Type` depends on
//! the payload, so the operation's serializer sets it (`application/json`,
//! [`CONTENT_TYPE`], for a JSON body; the payload's media type otherwise;
//! none without a body).

use crate::error::ErrorMetadata;
use crate::http::HttpResponse;

/// The `Content-Type` of a JSON body: the members not bound elsewhere, or a
/// structure, union or document `@httpPayload`.
pub const CONTENT_TYPE: &str = "application/json";

/// Reads the code, message and request id of an error response.
///
/// The code comes from the `X-Amzn-ErrorType` header, else the body's
/// `code` member, else its `__type` member, and is passed through
/// [`sanitize_error_code`](super::sanitize_error_code). The message is the
/// body's `message`, `Message` or `errorMessage` member; the request id is
/// the `x-amzn-RequestId` header. A body that is not a JSON object
/// contributes nothing.
pub fn parse_error_metadata(resp: &HttpResponse) -> ErrorMetadata {
    super::json_error_metadata(resp, ["code", "__type"])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Protocol;

    use crate::test_support::error_response as response;

    fn code(headers: &[(&str, &str)], body: &str) -> Option<String> {
        Protocol::RestJson1
            .parse_error_metadata(&response(headers, body))
            .code()
            .map(str::to_owned)
    }

    const URI: &str = "http://internal.amazon.com/coral/com.amazon.coral.validate/";

    #[test]
    fn error_code_from_the_error_type_header() {
        // `RestJsonFooErrorUsingXAmznErrorType`.
        assert_eq!(
            code(&[("X-Amzn-Errortype", "FooError")], "").as_deref(),
            Some("FooError")
        );
        // `RestJsonFooErrorUsingXAmznErrorTypeWithUri`.
        let with_uri = format!("FooError:{URI}");
        assert_eq!(
            code(&[("X-Amzn-Errortype", &with_uri)], "").as_deref(),
            Some("FooError")
        );
        // `RestJsonFooErrorUsingXAmznErrorTypeWithUriAndNamespace`.
        let with_namespace = format!("aws.protocoltests.restjson#FooError:{URI}");
        assert_eq!(
            code(&[("X-Amzn-Errortype", &with_namespace)], "").as_deref(),
            Some("FooError")
        );
        // `RestJsonComplexErrorWithNoMessage`: the header wins over the body.
        assert_eq!(
            code(
                &[("x-amzn-errortype", "ComplexError")],
                r#"{"TopLevel": "Top level", "code": "Other", "__type": "Another"}"#
            )
            .as_deref(),
            Some("ComplexError")
        );
    }

    #[test]
    fn error_code_from_the_body() {
        // `RestJsonFooErrorUsingCode`, `...UsingCodeAndNamespace`,
        // `...UsingCodeUriAndNamespace`.
        for raw in [
            "FooError".to_owned(),
            "aws.protocoltests.restjson#FooError".to_owned(),
            format!("aws.protocoltests.restjson#FooError:{URI}"),
        ] {
            let body = format!(r#"{{"code": "{raw}"}}"#);
            assert_eq!(code(&[], &body).as_deref(), Some("FooError"), "{raw}");
        }
        // `RestJsonFooErrorWithDunderType`, `...AndNamespace`,
        // `...UriAndNamespace`.
        for raw in [
            "FooError".to_owned(),
            "aws.protocoltests.restjson#FooError".to_owned(),
            format!("aws.protocoltests.restjson#FooError:{URI}"),
        ] {
            let body = format!(r#"{{"__type": "{raw}"}}"#);
            assert_eq!(code(&[], &body).as_deref(), Some("FooError"), "{raw}");
        }
        // Unlike the awsJson protocols, `code` is preferred to `__type`.
        assert_eq!(
            code(&[], r#"{"__type": "B", "code": "A"}"#).as_deref(),
            Some("A")
        );
        // A `code` that is not a string does not hide `__type`; an empty
        // header does not hide the body.
        assert_eq!(
            code(&[], r#"{"code": 400, "__type": "B"}"#).as_deref(),
            Some("B")
        );
        assert_eq!(
            code(&[("X-Amzn-Errortype", " ")], r#"{"code": "A"}"#).as_deref(),
            Some("A")
        );
    }

    #[test]
    fn message_and_request_id() {
        let meta = Protocol::RestJson1.parse_error_metadata(&response(
            &[
                ("x-amzn-RequestId", "req-1"),
                ("X-Amzn-Errortype", "InvalidGreeting"),
            ],
            r#"{"Message": "Hi"}"#,
        ));
        assert_eq!(meta.code(), Some("InvalidGreeting"));
        assert_eq!(meta.message(), Some("Hi"));
        assert_eq!(meta.request_id(), Some("req-1"));

        let meta = parse_error_metadata(&response(&[], r#"{"message": "lower"}"#));
        assert_eq!(meta.message(), Some("lower"));
        let meta = parse_error_metadata(&response(&[], r#"{"errorMessage": "third"}"#));
        assert_eq!(meta.message(), Some("third"));

        // An empty or non-JSON body contributes nothing.
        assert_eq!(
            parse_error_metadata(&response(&[], "")),
            ErrorMetadata::default()
        );
        assert_eq!(
            parse_error_metadata(&response(&[], "<html>Bad Gateway</html>")),
            ErrorMetadata::default()
        );
    }

    #[test]
    fn no_protocol_wide_request_headers() {
        assert_eq!(Protocol::RestJson1.content_type(), None);
        let service = crate::spec::ServiceSpec {
            target_prefix: "RestJson",
            endpoint_prefix: "restjson",
            signing_name: "restjson",
            protocol: Protocol::RestJson1,
            query_compatible: false,
            endpoint_rules: None,
        };
        let operation = crate::spec::OperationSpec {
            name: "GreetingWithErrors",
            auth: crate::spec::AuthMode::SigV4,
            errors: &[],
            request_compression: false,
            endpoint_params: crate::endpoint::OperationEndpointParams::NONE,
        };
        let mut headers = Vec::new();
        let protocol_headers = Protocol::RestJson1.request_headers(&service, &operation);
        protocol_headers.push_to(&mut headers);
        assert!(headers.is_empty(), "{headers:?}");

        let mut headers = Vec::new();
        let protocol_headers = Protocol::AwsJson1_0.request_headers(&service, &operation);
        protocol_headers.push_to(&mut headers);
        assert_eq!(
            headers,
            [
                ("content-type", "application/x-amz-json-1.0"),
                ("x-amz-target", "RestJson.GreetingWithErrors")
            ]
        );
    }
}
