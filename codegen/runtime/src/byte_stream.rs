//! `@streaming` blobs: the payloads generated crates send and read as a
//! [`ByteStream`], aws-sdk-rust's own type (re-exported in
//! [`crate::primitives`]), so that a stream passes between its crates and
//! generated ones unchanged.
//!
//! # Making one
//!
//! From bytes in memory (`Vec<u8>`, [`Bytes`], `String`, or
//! `ByteStream::from_static`), from a file (`ByteStream::from_path(path).await`,
//! or `ByteStream::read_from()` for part of one; the `rt-tokio` feature,
//! which smithgen turns on for crates with streaming members), from a
//! [`Stream`] of chunks ([`from_stream`], with its length when it is known),
//! or from any http-body 1 body (`ByteStream::from_body_1_x`).
//!
//! # Sending
//!
//! * A body in memory is sent like any other: with its `Content-Length`,
//!   signed with its SHA-256, and sent again as it is when an attempt is
//!   retried.
//! * Any other is sent as it is read, never held whole: with a
//!   `Content-Length` when its length is known (a file, a stream given its
//!   length), else in chunks (`Transfer-Encoding: chunked`). A member whose
//!   target has `smithy.api#requiresLength` must have a known length: one
//!   that does not fails before anything is sent.
//! * SigV4 signs the payload's SHA-256. A body that can be replayed (a
//!   file) is read once more to compute it before the request is sent; one
//!   that cannot (a stream of chunks) is read into memory for it, and then
//!   sent from there. An operation with `aws.auth#unsignedPayload` reads
//!   nothing in advance: its payload is signed as `UNSIGNED-PAYLOAD`, which
//!   is sent as `X-Amz-Content-Sha256`, as the SigV4 specification says.
//!   Headers a service requires over the body (Glacier's tree hash) are
//!   computed in the same pass.
//! * Retries: a body that can be replayed is sent anew on each attempt. One
//!   that cannot is sent once: a failed attempt is not retried (never
//!   resent with a body already read), and its error is returned.
//! * Request compression leaves streamed bodies uncompressed.
//!
//! # Reading
//!
//! An output with a `@streaming` member is returned as soon as the
//! response's status and headers are read: the member holds the rest of the
//! response as a [`ByteStream`], read with `next().await` chunk by chunk or
//! `collect().await?.into_bytes()` whole. The built-in transport's limit on
//! response bodies (`HyperClientBuilder::max_response_body_size`) does not
//! apply to it, nor does its request timeout once the head is read; error
//! responses are read whole as before. Dropping the stream unread closes
//! the connection.

use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http_body::{Body, Frame, SizeHint};

use crate::error::{BoxError, SerializeError};
use crate::primitives::ByteStream;

/// Checks that the stream of the input member `member` (by its name in the
/// model), whose target has `smithy.api#requiresLength`, has a known length.
pub fn require_length(stream: &ByteStream, member: &str) -> Result<(), SerializeError> {
    match stream.size_hint() {
        (low, Some(high)) if low == high => Ok(()),
        _ => Err(SerializeError::new(format!(
            "the input member `{member}` must have a known length (`smithy.api#requiresLength`): \
             make it from bytes, a file, or `byte_stream::from_stream` given the length"
        ))),
    }
}

/// A [`ByteStream`] of the chunks `stream` yields, sent as they come.
///
/// With `length`, the stream must yield exactly that many bytes: the
/// request states it as its `Content-Length` (as members with
/// `smithy.api#requiresLength` need), and a stream that yields more or
/// fewer fails the request. Without it the body is sent in chunks.
///
/// A stream cannot be replayed: see the [module documentation](self) for
/// what that means for signing and retries.
pub fn from_stream<S, E>(stream: S, length: Option<u64>) -> ByteStream
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Into<BoxError> + 'static,
{
    ByteStream::from_body_1_x(ChunkBody {
        // The body must be `Sync`; a mutex makes it so without locking, as
        // the stream is only reached through `&mut`.
        stream: Mutex::new(Box::pin(stream)),
        remaining: length,
    })
}

/// The http-body of [`from_stream`].
struct ChunkBody<S> {
    stream: Mutex<Pin<Box<S>>>,
    /// The bytes still to come, when the length is known.
    remaining: Option<u64>,
}

impl<S, E> Body for ChunkBody<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        // `ChunkBody` is `Unpin`: the stream is boxed.
        let this = self.get_mut();
        let stream = match this.stream.get_mut() {
            Ok(stream) => stream,
            Err(poisoned) => poisoned.into_inner(),
        };
        let next = match stream.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(next) => next,
        };
        Poll::Ready(match (next, this.remaining) {
            (Some(Err(err)), _) => Some(Err(err.into())),
            (Some(Ok(chunk)), None) => Some(Ok(Frame::data(chunk))),
            (Some(Ok(chunk)), Some(remaining)) => match remaining.checked_sub(chunk.len() as u64) {
                Some(left) => {
                    this.remaining = Some(left);
                    Some(Ok(Frame::data(chunk)))
                }
                None => Some(Err(format!(
                    "the stream yields more bytes than the length it was given ({} more at least)",
                    chunk.len() as u64 - remaining
                )
                .into())),
            },
            (None, None | Some(0)) => None,
            (None, Some(missing)) => Some(Err(format!(
                "the stream ended {missing} bytes short of the length it was given"
            )
            .into())),
        })
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == Some(0)
    }

    fn size_hint(&self) -> SizeHint {
        match self.remaining {
            Some(remaining) => SizeHint::with_exact(remaining),
            None => SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chunks of `items` as a stream.
    struct Chunks(std::vec::IntoIter<Result<Bytes, std::io::Error>>);

    impl Stream for Chunks {
        type Item = Result<Bytes, std::io::Error>;

        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.next())
        }
    }

    fn chunks(parts: &[&'static [u8]]) -> Chunks {
        Chunks(
            parts
                .iter()
                .map(|p| Ok(Bytes::from_static(p)))
                .collect::<Vec<_>>()
                .into_iter(),
        )
    }

    #[test]
    fn chunks_are_read_one_by_one_with_the_length_given() {
        crate::test_support::block_on(async {
            let mut stream = from_stream(chunks(&[b"ab", b"cde"]), Some(5));
            assert_eq!(stream.size_hint(), (5, Some(5)));
            assert!(stream.bytes().is_none(), "a stream is not in memory");
            assert_eq!(&stream.next().await.unwrap().unwrap()[..], b"ab");
            assert_eq!(&stream.next().await.unwrap().unwrap()[..], b"cde");
            assert!(stream.next().await.is_none());

            let stream = from_stream(chunks(&[b"ab", b"cde"]), None);
            assert_eq!(stream.size_hint().1, None);
            assert_eq!(&stream.collect().await.unwrap().into_bytes()[..], b"abcde");
        });
    }

    #[test]
    fn required_lengths_must_be_known() {
        assert!(require_length(&ByteStream::from(vec![1, 2]), "Body").is_ok());
        assert!(require_length(&from_stream(chunks(&[b"ab"]), Some(2)), "Body").is_ok());
        let err = require_length(&from_stream(chunks(&[b"ab"]), None), "Body").unwrap_err();
        assert!(
            err.to_string().contains("`Body` must have a known length"),
            "{err}"
        );
    }

    #[test]
    fn a_wrong_length_is_an_error() {
        crate::test_support::block_on(async {
            let long = from_stream(chunks(&[b"ab", b"cde"]), Some(4));
            let err = long.collect().await.unwrap_err();
            assert!(
                std::error::Error::source(&err)
                    .map(|s| s.to_string())
                    .unwrap_or_default()
                    .contains("more bytes than the length"),
                "{err:?}"
            );
            let short = from_stream(chunks(&[b"ab"]), Some(4));
            let err = format!("{:?}", short.collect().await.unwrap_err());
            assert!(err.contains("2 bytes short"), "{err}");
            let failing = Chunks(vec![Err(std::io::Error::other("disk on fire"))].into_iter());
            let err = format!(
                "{:?}",
                from_stream(failing, None).collect().await.unwrap_err()
            );
            assert!(err.contains("disk on fire"), "{err}");
        });
    }
}
