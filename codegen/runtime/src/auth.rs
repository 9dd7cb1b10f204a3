//! Request signing (AWS Signature Version 4).
//!
//! [`sign_request`] adds to a request the headers of a SigV4 signature,
//! computed by the `aws-sigv4` crate:
//!
//! * `host`, when the request has none (from its URI, without a default port),
//!   so that the value signed is the value sent;
//! * `x-amz-date`, the signing time (`20150830T123600Z`);
//! * `x-amz-security-token`, when the credentials have a session token;
//! * `authorization`: `AWS4-HMAC-SHA256 Credential={access key id}/{date}/{region}/{signing name}/aws4_request, SignedHeaders=…, Signature=…`.
//!
//! Every header of the request is signed, except `authorization`,
//! `user-agent`, `x-amzn-trace-id` and `transfer-encoding`. The payload hash
//! is part of the signature but not sent as `x-amz-content-sha256`: the JSON
//! protocols do not use that header. Two exceptions: an operation with
//! `aws.auth#unsignedPayload` signs `UNSIGNED-PAYLOAD` in place of the hash
//! and sends it as `x-amz-content-sha256`, as the SigV4 specification asks;
//! and a streamed body is signed with the SHA-256 computed before it is sent
//! (see [`crate::byte_stream`]).
//!
//! [`crate::orchestrator::send`] signs every attempt that uses
//! [`crate::spec::AuthScheme::SigV4`] (see [`crate::orchestrator`] for how
//! an operation's scheme is chosen), at the time read from the client's
//! [`crate::time::TimeSource`]. Bearer tokens are in [`crate::token`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::http_request::{
    sign, PayloadChecksumKind, SignableBody, SignableRequest, SigningSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::credentials::Credentials;
use crate::error::BoxError;
use crate::http::HttpRequest;

/// Seconds from the Unix epoch to year 10000, where SigV4's four-digit years end.
const LATEST_SIGNING_TIME: Duration = Duration::from_secs(253_402_300_800);

/// What a signature takes as the payload's hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Payload<'a> {
    /// The SHA-256 of the request's body, which holds the whole payload.
    Body,
    /// The SHA-256 of a payload that is not in the request (a stream),
    /// computed before, in lowercase hex.
    Precomputed(&'a str),
    /// `UNSIGNED-PAYLOAD` (`aws.auth#unsignedPayload`), also sent as
    /// `x-amz-content-sha256`.
    Unsigned,
}

/// The header that carries the payload's hash, or `UNSIGNED-PAYLOAD`.
const CONTENT_SHA256: &str = "x-amz-content-sha256";

/// Signs `request` in place for `signing_name` (e.g. `dynamodb`) in
/// `region`, at `time`. See the [module documentation](self).
///
/// Headers the signature sets (`x-amz-date`, `authorization`,
/// `x-amz-security-token`) replace any already present. Fails, leaving the
/// request unchanged, when the URI has no host, a header cannot be signed, or
/// `time` is before 1970 or after 9999.
pub fn sign_request(
    request: &mut HttpRequest,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), BoxError> {
    sign_with_payload(
        request,
        Payload::Body,
        credentials,
        region,
        signing_name,
        time,
    )
}

/// [`sign_request`] with the payload's hash taken as `payload` says.
pub(crate) fn sign_with_payload(
    request: &mut HttpRequest,
    payload: Payload<'_>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), BoxError> {
    let unsigned = payload == Payload::Unsigned;
    let replaced = |name: &str| {
        is_signature_header(name) || (unsigned && name.eq_ignore_ascii_case(CONTENT_SHA256))
    };
    match time.duration_since(UNIX_EPOCH) {
        Ok(since_epoch) if since_epoch < LATEST_SIGNING_TIME => {}
        _ => return Err(format!("cannot sign at {time:?}: outside years 1970 to 9999").into()),
    }
    if region.is_empty() {
        return Err("cannot sign without a region".into());
    }

    let host = match request.header("host") {
        Some(_) => None,
        None => Some(host_header(&request.uri)?),
    };
    let mut headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(name, _)| !replaced(name))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    if let Some(host) = &host {
        headers.push(("host", host.as_str()));
    }

    let identity: Identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        None,
        "smithgen",
    )
    .into();
    let mut settings = SigningSettings::default();
    if unsigned {
        // The signer sends the payload's "hash" as `x-amz-content-sha256`.
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(signing_name)
        .time(time)
        .settings(settings)
        .build()?
        .into();
    let body = match payload {
        Payload::Body => SignableBody::Bytes(&request.body),
        Payload::Precomputed(hash) => SignableBody::Precomputed(hash.to_owned()),
        Payload::Unsigned => SignableBody::UnsignedPayload,
    };
    let signable = SignableRequest::new(
        &request.method,
        request.uri.as_str(),
        headers.into_iter(),
        body,
    )?;
    let (instructions, _signature) = sign(signable, &params)?.into_parts();
    let (signature_headers, _query) = instructions.into_parts();

    request.headers.retain(|(name, _)| !replaced(name));
    if let Some(host) = host {
        request.headers.push(("host".to_owned(), host));
    }
    for header in signature_headers {
        request
            .headers
            .push((header.name().to_owned(), header.value().to_owned()));
    }
    Ok(())
}

/// Headers that a signature sets, which an earlier signature may have left.
fn is_signature_header(name: &str) -> bool {
    ["authorization", "x-amz-date", "x-amz-security-token"]
        .iter()
        .any(|signature_header| name.eq_ignore_ascii_case(signature_header))
}

/// The `host` header for `uri`: its authority without user info, and
/// without the port when that is the scheme's default.
fn host_header(uri: &str) -> Result<String, BoxError> {
    let no_host = || -> BoxError { format!("cannot sign a request to {uri:?}: no host").into() };
    let (scheme, rest) = uri.split_once("://").ok_or_else(no_host)?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    // The port follows the last `:` that is not inside an IPv6 literal.
    let host_end = authority.rfind(']').unwrap_or(0);
    let (host, port) = match authority[host_end..].rfind(':') {
        Some(index) => (
            &authority[..host_end + index],
            Some(&authority[host_end + index + 1..]),
        ),
        None => (authority, None),
    };
    if host.is_empty() {
        return Err(no_host());
    }
    let default_port = match scheme.to_ascii_lowercase().as_str() {
        "http" => Some("80"),
        "https" => Some("443"),
        _ => None,
    };
    Ok(match port {
        Some(port) if !port.is_empty() && Some(port) != default_port => {
            format!("{host}:{port}")
        }
        _ => host.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed_time() -> SystemTime {
        // 2015-08-30T12:36:00Z, the date of the SigV4 test suite.
        UNIX_EPOCH + Duration::from_secs(1_440_938_160)
    }

    fn request(uri: &str) -> HttpRequest {
        let mut request = HttpRequest::new("POST", uri);
        request.headers = vec![
            (
                "content-type".to_owned(),
                "application/x-amz-json-1.0".to_owned(),
            ),
            ("x-amz-target".to_owned(), "Svc.Op".to_owned()),
        ];
        request.body = b"{}".to_vec();
        request
    }

    #[test]
    fn host_headers() {
        let host = |uri| host_header(uri).unwrap();
        assert_eq!(
            host("https://svc.us-east-1.amazonaws.com/"),
            "svc.us-east-1.amazonaws.com"
        );
        assert_eq!(host("https://h:443/"), "h");
        assert_eq!(host("http://h:80/x"), "h");
        assert_eq!(host("http://h:443/"), "h:443");
        assert_eq!(host("http://127.0.0.1:8000/p?q#f"), "127.0.0.1:8000");
        assert_eq!(host("http://user:pw@h:81/"), "h:81");
        assert_eq!(host("http://[::1]:8080/"), "[::1]:8080");
        assert_eq!(host("https://[::1]/"), "[::1]");
        assert_eq!(host("HTTP://h:80"), "h");
        assert!(host_header("http:///").is_err());
        assert!(host_header("http://:80/").is_err());
        assert!(host_header("no-scheme").is_err());
    }

    #[test]
    fn adds_signature_headers() {
        let mut req = request("https://svc.us-east-1.amazonaws.com/");
        let creds = Credentials::new("AKIDEXAMPLE", "SECRET", None);
        sign_request(&mut req, &creds, "us-east-1", "svc", fixed_time()).unwrap();

        assert_eq!(req.header("host"), Some("svc.us-east-1.amazonaws.com"));
        assert_eq!(req.header("x-amz-date"), Some("20150830T123600Z"));
        assert_eq!(req.header("x-amz-security-token"), None);
        assert_eq!(req.header("x-amz-content-sha256"), None);
        let auth = req.header("authorization").unwrap().to_owned();
        assert!(
            auth.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/svc/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="
            ),
            "{auth}"
        );
        let signature = auth.rsplit("Signature=").next().unwrap();
        assert_eq!(signature.len(), 64);
        assert!(signature.bytes().all(|b| b.is_ascii_hexdigit()));

        // Signing again replaces the signature instead of adding another.
        sign_request(&mut req, &creds, "us-east-1", "svc", fixed_time()).unwrap();
        assert_eq!(
            req.headers
                .iter()
                .filter(|(name, _)| name == "authorization")
                .count(),
            1
        );
        assert_eq!(req.header("authorization"), Some(auth.as_str()));
    }

    #[test]
    fn matches_the_sigv4_test_suite() {
        // The `get-vanilla` and `post-vanilla` cases of the AWS SigV4 test suite.
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        );
        for (method, signature) in [
            (
                "GET",
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            ),
            (
                "POST",
                "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            ),
        ] {
            let mut req = HttpRequest::new(method, "https://example.amazonaws.com/");
            sign_request(&mut req, &creds, "us-east-1", "service", fixed_time()).unwrap();
            assert_eq!(
                req.header("authorization"),
                Some(
                    format!(
                        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/\
                         aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}"
                    )
                    .as_str()
                ),
                "{method}"
            );
        }
    }

    #[test]
    fn session_token_is_sent_and_signed() {
        let mut req = request("http://127.0.0.1:9000/");
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".to_owned()));
        sign_request(&mut req, &creds, "eu-west-1", "svc", fixed_time()).unwrap();
        assert_eq!(req.header("x-amz-security-token"), Some("TOKEN"));
        assert_eq!(req.header("host"), Some("127.0.0.1:9000"));
        assert!(req.header("authorization").unwrap().contains(
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"
        ));
    }

    #[test]
    fn payloads_are_signed_as_asked() {
        let creds = Credentials::new("AKID", "SECRET", None);
        let signed = |payload: Payload<'_>, body: &[u8]| {
            let mut req = request("https://svc.us-east-1.amazonaws.com/");
            req.body = body.to_vec();
            sign_with_payload(&mut req, payload, &creds, "us-east-1", "svc", fixed_time()).unwrap();
            req
        };
        // A precomputed hash of the body signs as the body itself does.
        let sha = "97a78c00831554f7cc9745e8f6732edcfb571cf548a8d12b48a6e3fc31e5e3e6";
        let by_body = signed(Payload::Body, b"streamed");
        let precomputed = signed(Payload::Precomputed(sha), b"");
        assert_eq!(
            by_body.header("authorization"),
            precomputed.header("authorization")
        );
        assert_eq!(precomputed.header("x-amz-content-sha256"), None);
        let other = signed(Payload::Precomputed(&"0".repeat(64)), b"");
        assert_ne!(
            other.header("authorization"),
            precomputed.header("authorization")
        );

        // An unsigned payload is sent as `x-amz-content-sha256` and signed
        // in place of the hash, whatever the body.
        let mut unsigned = request("https://svc.us-east-1.amazonaws.com/");
        unsigned
            .headers
            .push(("X-Amz-Content-Sha256".into(), "stale".into()));
        sign_with_payload(
            &mut unsigned,
            Payload::Unsigned,
            &creds,
            "us-east-1",
            "svc",
            fixed_time(),
        )
        .unwrap();
        let values: Vec<&str> = unsigned
            .headers
            .iter()
            .filter(|(name, _)| name.eq_ignore_ascii_case("x-amz-content-sha256"))
            .map(|(_, value)| value.as_str())
            .collect();
        assert_eq!(values, ["UNSIGNED-PAYLOAD"]);
        let auth = unsigned.header("authorization").unwrap();
        assert!(
            auth.contains(
                "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target,"
            ),
            "{auth}"
        );
        assert_ne!(Some(auth), by_body.header("authorization"));
        let other_body = signed(Payload::Unsigned, b"anything else");
        assert_eq!(other_body.header("authorization"), Some(auth));
    }

    #[test]
    fn invalid_inputs_are_errors() {
        let creds = Credentials::new("AKID", "SECRET", None);
        let mut req = request("https://h/");
        let before = req.clone();
        assert!(sign_request(&mut req, &creds, "", "svc", fixed_time()).is_err());
        assert!(sign_request(
            &mut req,
            &creds,
            "us-east-1",
            "svc",
            UNIX_EPOCH - Duration::from_secs(1)
        )
        .is_err());
        assert!(sign_request(
            &mut req,
            &creds,
            "us-east-1",
            "svc",
            UNIX_EPOCH + Duration::from_secs(400_000_000_000)
        )
        .is_err());
        let mut bad_header = req.clone();
        bad_header
            .headers
            .push(("bad header".to_owned(), "x".to_owned()));
        assert!(sign_request(&mut bad_header, &creds, "us-east-1", "svc", fixed_time()).is_err());
        assert_eq!(req, before);

        let mut no_host = request("http:///");
        assert!(sign_request(&mut no_host, &creds, "us-east-1", "svc", fixed_time()).is_err());
    }
}
