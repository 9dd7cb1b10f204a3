//! The `awsJson1_0` and `awsJson1_1` protocols (Smithy's JSON RPC protocols).
//!
//! Every operation is a `POST` to the service endpoint's path. The operation
//! is named by the `X-Amz-Target` header (`{ServiceShapeName}.{OperationName}`),
//! the input is the JSON body, and the output or error is the JSON body of
//! the response. The two versions differ only in their content type.
//!
//! Generated operations call [`send_json_rpc`] with their serialized input
//! and two functions: one that reads the output from a successful response
//! and one that turns an error response into the operation's error type.

use serde_json::Value;

use crate::client::Handle;
use crate::config::Config;
use crate::error::{DeserializeError, ErrorMetadata, SdkError};
use crate::http::{HttpRequest, HttpResponse};

/// The version of the awsJson protocol a service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonVersion {
    /// `awsJson1_0`.
    V1_0,
    /// `awsJson1_1`.
    V1_1,
}

impl JsonVersion {
    /// The `Content-Type` of requests: `application/x-amz-json-1.0` or
    /// `application/x-amz-json-1.1`.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::V1_0 => "application/x-amz-json-1.0",
            Self::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

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
    /// The protocol version.
    pub json_version: JsonVersion,
}

/// Header carrying the error code, when the service sends one.
const ERROR_TYPE_HEADER: &str = "x-amzn-errortype";
/// Header carrying the request id.
const REQUEST_ID_HEADER: &str = "x-amzn-requestid";

/// The URI requests for `service` are sent to.
///
/// The configured endpoint URL is used as is (with `/` added when it has no
/// path); otherwise the URI is `https://{endpoint_prefix}.{region}.amazonaws.com/`
/// (`.amazonaws.com.cn` for the `cn-` regions). Fails when neither an
/// endpoint URL nor a region is configured, or when either is malformed.
pub fn resolve_endpoint(config: &Config, service: &ServiceSpec) -> Result<String, String> {
    if let Some(url) = config.endpoint_url() {
        return normalize_endpoint_url(url);
    }
    let Some(region) = config.region() else {
        return Err(format!(
            "no region and no endpoint URL are configured for {}: set one with \
             `Config::builder().region(..)` or `.endpoint_url(..)`",
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
        return Ok(url.to_owned());
    }
    // No path: the request path is `/`.
    let split = url.len() - rest.len() + authority_end;
    Ok(format!("{}/{}", &url[..split], &url[split..]))
}

/// Sends one awsJson operation and reads its result.
///
/// * `operation` is the operation's shape name, the second half of `X-Amz-Target`.
/// * `body` is the serialized input.
/// * `parse_ok` reads the output from a 2xx response; its error becomes
///   [`SdkError::ResponseError`].
/// * `parse_err` builds the operation error from any other response, given
///   the metadata read by [`parse_error_metadata`]; it becomes
///   [`SdkError::ServiceError`].
///
/// A missing endpoint or transport is [`SdkError::ConstructionFailure`];
/// a transport timeout is [`SdkError::TimeoutError`] and any other transport
/// failure is [`SdkError::DispatchFailure`].
pub async fn send_json_rpc<O, E>(
    handle: &Handle,
    service: &'static ServiceSpec,
    operation: &'static str,
    body: Vec<u8>,
    parse_ok: fn(&HttpResponse) -> Result<O, DeserializeError>,
    parse_err: fn(&HttpResponse, ErrorMetadata) -> E,
) -> Result<O, SdkError<E>> {
    let uri = resolve_endpoint(handle.config(), service).map_err(SdkError::construction_failure)?;
    let Some(client) = handle.http_client() else {
        return Err(SdkError::construction_failure(
            "no HTTP client is configured: enable the `default-client` feature of \
             smithgen-runtime or set one with `Config::builder().http_client(..)`",
        ));
    };

    let request = HttpRequest {
        method: "POST".to_owned(),
        uri,
        headers: vec![
            (
                "content-type".to_owned(),
                service.json_version.content_type().to_owned(),
            ),
            (
                "x-amz-target".to_owned(),
                format!("{}.{operation}", service.target_prefix),
            ),
            ("content-length".to_owned(), body.len().to_string()),
        ],
        body,
    };

    let response = match client.send(request).await {
        Ok(response) => response,
        Err(err) if err.is_timeout() => return Err(SdkError::timeout_error(err)),
        Err(err) => return Err(SdkError::dispatch_failure(err)),
    };

    if response.is_success() {
        match parse_ok(&response) {
            Ok(output) => Ok(output),
            Err(err) => Err(SdkError::response_error(err, response)),
        }
    } else {
        let meta = parse_error_metadata(&response);
        let err = parse_err(&response, meta);
        Err(SdkError::service_error(err, response))
    }
}

/// Reads the code, message and request id of an error response.
///
/// The code comes from the `X-Amzn-ErrorType` header, else the body's
/// `__type` member, else its `code` member, and is passed through
/// [`sanitize_error_code`]. The message is the body's `message`, `Message`
/// or `errorMessage` member; the request id is the `x-amzn-RequestId` header.
/// A body that is not a JSON object contributes nothing.
pub fn parse_error_metadata(resp: &HttpResponse) -> ErrorMetadata {
    let body: Option<Value> = serde_json::from_slice(resp.body()).ok();
    let object = body.as_ref().and_then(Value::as_object);
    let body_string = |key: &str| object.and_then(|o| o.get(key)).and_then(Value::as_str);

    let code = resp
        .header(ERROR_TYPE_HEADER)
        .filter(|value| !value.trim().is_empty())
        .or_else(|| body_string("__type"))
        .or_else(|| body_string("code"))
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

#[cfg(test)]
mod tests {
    use super::*;

    static SERVICE: ServiceSpec = ServiceSpec {
        target_prefix: "AWSCognitoIdentityProviderService",
        endpoint_prefix: "cognito-idp",
        signing_name: "cognito-idp",
        json_version: JsonVersion::V1_1,
    };

    fn response(headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse::new(
            400,
            headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body.as_bytes().to_vec(),
        )
    }

    #[test]
    fn content_types() {
        assert_eq!(
            JsonVersion::V1_0.content_type(),
            "application/x-amz-json-1.0"
        );
        assert_eq!(
            JsonVersion::V1_1.content_type(),
            "application/x-amz-json-1.1"
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
        assert_eq!(
            resolve("https://example.com/prefix").unwrap(),
            "https://example.com/prefix"
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

    #[test]
    fn missing_region_and_endpoint_is_an_error() {
        let err = resolve_endpoint(&Config::builder().build(), &SERVICE).unwrap_err();
        assert!(err.contains("no region and no endpoint URL"), "{err}");
    }
}
