//! What an operation's serializer writes: the request's body and, under
//! protocols that bind members to HTTP, its method, path, query string and
//! headers.
//!
//! Under the awsJson protocols only the body is written (every request is a
//! `POST` to the endpoint's path). A writer dereferences to its body's
//! [`JsonWriter`], so a serializer writes JSON members on it directly.

use std::ops::{Deref, DerefMut};

use crate::binding::{encode_greedy_label, encode_label};
use crate::body_hash::BodyHash;
use crate::error::SerializeError;
use crate::json::JsonWriter;
use crate::primitives::ByteStream;

/// An operation's request as its serializer writes it. Path, query and
/// header values are written already encoded (see the HTTP binding
/// helpers); the orchestrator puts them after the endpoint.
#[derive(Debug)]
pub struct RequestWriter {
    body: JsonWriter,
    /// A payload that is not JSON, which replaces `body`.
    raw_body: Option<Vec<u8>>,
    method: &'static str,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    content_md5: bool,
    /// A `@streaming` payload, which replaces the body.
    stream: Option<ByteStream>,
    /// Headers whose values are hashes of the body, added when it is sent.
    body_hashes: Vec<(BodyHash, &'static str)>,
    unsigned_payload: bool,
    /// The URL the request goes to instead of the resolved endpoint.
    endpoint: Option<String>,
}

impl RequestWriter {
    /// A `POST` to the endpoint's own path with an empty body, room made for
    /// `capacity` bytes of body.
    pub fn with_capacity(capacity: usize) -> Self {
        RequestWriter {
            body: JsonWriter::with_capacity(capacity),
            raw_body: None,
            method: "POST",
            path: String::new(),
            query: String::new(),
            headers: Vec::new(),
            content_md5: false,
            stream: None,
            body_hashes: Vec::new(),
            unsigned_payload: false,
            endpoint: None,
        }
    }

    /// Sets the request method.
    pub fn set_method(&mut self, method: &'static str) {
        self.method = method;
    }

    /// Appends text, already percent-encoded where needed, to the request
    /// path (which starts from the endpoint's path).
    pub fn push_path(&mut self, encoded: &str) {
        self.path.push_str(encoded);
    }

    /// Appends the text of an `@httpLabel` member (`member`, by its name in
    /// the model) to the path, percent-encoded; a greedy label keeps its
    /// `/`. Fails when the member is unset (`None`) or empty, as a label
    /// cannot be.
    pub fn push_label(
        &mut self,
        text: Option<&str>,
        member: &str,
        greedy: bool,
    ) -> Result<(), SerializeError> {
        let text = match text {
            Some(text) if !text.is_empty() => text,
            Some(_) => {
                return Err(SerializeError::new(format!(
                    "the input member `{member}` is bound to the request path and cannot be empty"
                )))
            }
            None => {
                return Err(SerializeError::new(format!(
                    "the input member `{member}` is bound to the request path and must be set"
                )))
            }
        };
        self.path.push_str(&match greedy {
            true => encode_greedy_label(text),
            false => encode_label(text),
        });
        Ok(())
    }

    /// Appends a query parameter whose name and value are already
    /// percent-encoded; `None` writes the name alone (`?flag`).
    pub fn push_query(&mut self, name: &str, value: Option<&str>) {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(name);
        if let Some(value) = value {
            self.query.push('=');
            self.query.push_str(value);
        }
    }

    /// Adds a header.
    pub fn push_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// Whether a header named `name` (in any case) was added.
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(key, _)| key.eq_ignore_ascii_case(name))
    }

    /// Sends the request to `url`, an absolute http(s) URL, instead of the
    /// endpoint the client resolves (a service customization: Amazon
    /// Machine Learning's `Predict` goes to its input's `PredictEndpoint`).
    /// Region and signing stay those of the client.
    pub fn set_endpoint(&mut self, url: impl Into<String>) {
        self.endpoint = Some(url.into());
    }

    /// Asks for a `Content-MD5` header (`smithy.api#httpChecksumRequired`):
    /// the orchestrator adds the body's MD5 as it is sent, unless the input
    /// binds the header itself.
    pub fn require_content_md5(&mut self) {
        self.content_md5 = true;
    }

    /// Sends `bytes` as the body instead of what was written as JSON (a
    /// payload that is not JSON).
    pub fn set_raw_body(&mut self, bytes: Vec<u8>) {
        self.raw_body = Some(bytes);
    }

    /// Sends `stream` as the body instead of what was written (a
    /// `@streaming` payload). See [`crate::byte_stream`] for how it is sent.
    pub fn set_stream(&mut self, stream: ByteStream) {
        self.stream = Some(stream);
    }

    /// Asks for a header `name` whose value is the `hash` of the body as it
    /// is sent (Glacier's `X-Amz-Sha256-Tree-Hash`, say): the orchestrator
    /// computes it, reading a streamed body once more for it when it can be
    /// replayed (see [`crate::byte_stream`]). A header of that name the
    /// request already has is kept.
    pub fn require_body_hash(&mut self, hash: BodyHash, name: &'static str) {
        self.body_hashes.push((hash, name));
    }

    /// Signs the request without its payload (`aws.auth#unsignedPayload`):
    /// SigV4 signs `UNSIGNED-PAYLOAD` in its place and sends it as
    /// `X-Amz-Content-Sha256`.
    pub fn set_unsigned_payload(&mut self) {
        self.unsigned_payload = true;
    }

    /// The parts written: body, method, path, query string and headers.
    pub fn into_parts(self) -> RequestPartsOwned {
        RequestPartsOwned {
            body: match self.raw_body {
                Some(raw) => raw,
                None => self.body.into_bytes(),
            },
            method: self.method,
            path: self.path,
            query: self.query,
            headers: self.headers,
            content_md5: self.content_md5,
            stream: self.stream,
            body_hashes: self.body_hashes,
            unsigned_payload: self.unsigned_payload,
            endpoint: self.endpoint,
        }
    }
}

/// The parts a [`RequestWriter`] wrote.
#[derive(Debug, Default)]
pub struct RequestPartsOwned {
    /// The body's bytes.
    pub body: Vec<u8>,
    /// The method.
    pub method: &'static str,
    /// The path after the endpoint's, percent-encoded; empty for the
    /// endpoint's own path.
    pub path: String,
    /// The query string without `?`, percent-encoded.
    pub query: String,
    /// Headers the input binds.
    pub headers: Vec<(String, String)>,
    /// Whether the request carries the MD5 of its body (see
    /// [`RequestWriter::require_content_md5`]).
    pub content_md5: bool,
    /// A streamed body, which replaces `body` (see
    /// [`RequestWriter::set_stream`]).
    pub stream: Option<ByteStream>,
    /// Headers to add whose values are hashes of the body (see
    /// [`RequestWriter::require_body_hash`]).
    pub body_hashes: Vec<(BodyHash, &'static str)>,
    /// Whether SigV4 leaves the payload out of the signature (see
    /// [`RequestWriter::set_unsigned_payload`]).
    pub unsigned_payload: bool,
    /// The URL the request goes to instead of the resolved endpoint (see
    /// [`RequestWriter::set_endpoint`]).
    pub endpoint: Option<String>,
}

impl Deref for RequestWriter {
    type Target = JsonWriter;

    fn deref(&self) -> &JsonWriter {
        &self.body
    }
}

impl DerefMut for RequestWriter {
    fn deref_mut(&mut self) -> &mut JsonWriter {
        &mut self.body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_written_as_given() {
        let mut w = RequestWriter::with_capacity(16);
        assert_eq!(w.method, "POST");
        w.set_method("PUT");
        w.push_path("/functions/");
        w.push_path("my%20fn");
        w.push_query("Qualifier", Some("v1"));
        w.push_query("flag", None);
        w.push_header("x-amz-meta", "1");
        w.begin_object();
        w.end_object();
        let parts = w.into_parts();
        assert_eq!(parts.method, "PUT");
        assert_eq!(parts.path, "/functions/my%20fn");
        assert_eq!(parts.query, "Qualifier=v1&flag");
        assert_eq!(parts.headers, [("x-amz-meta".to_owned(), "1".to_owned())]);
        assert_eq!(parts.body, b"{}");

        let mut w = RequestWriter::with_capacity(0);
        w.begin_object();
        w.set_raw_body(vec![0, 1]);
        assert_eq!(w.into_parts().body, [0, 1]);
    }

    #[test]
    fn labels_are_encoded_and_must_be_set_and_not_empty() {
        let mut w = RequestWriter::with_capacity(0);
        w.push_path("/a/");
        w.push_label(Some("b c/d"), "B", false).unwrap();
        w.push_path("/");
        w.push_label(Some("e f/g"), "Key", true).unwrap();
        assert_eq!(w.into_parts().path, "/a/b%20c%2Fd/e%20f/g");

        let mut w = RequestWriter::with_capacity(0);
        let unset = w.push_label(None, "Name", false).unwrap_err();
        assert!(unset.to_string().contains("`Name`"), "{unset}");
        assert!(unset.to_string().contains("must be set"), "{unset}");
        let empty = w.push_label(Some(""), "Key", true).unwrap_err();
        assert!(empty.to_string().contains("`Key`"), "{empty}");
        assert!(empty.to_string().contains("cannot be empty"), "{empty}");
        assert_eq!(w.into_parts().path, "");
    }
}
