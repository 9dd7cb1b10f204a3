//! Smithy simple types that have no std equivalent.
//!
//! These are re-exported from `aws-smithy-types` so that values can be passed
//! between generated crates and the wider Smithy ecosystem without conversion.

pub use aws_smithy_types::big_number::BigNumberError;
pub use aws_smithy_types::date_time::Format as DateTimeFormat;
pub use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};

/// The body inside a [`ByteStream`] (`ByteStream::new`, `into_inner`).
pub use aws_smithy_types::body::SdkBody;
/// A failure to read a [`ByteStream`].
pub use aws_smithy_types::byte_stream::error::Error as ByteStreamError;
/// The whole of a [`ByteStream`], from [`ByteStream::collect`].
pub use aws_smithy_types::byte_stream::AggregatedBytes;
/// The payload of a `@streaming` blob member, in both directions: aws-sdk-rust's
/// own type, so that a stream can be passed between its crates and
/// generated ones. See [`crate::byte_stream`] for how smithgen sends and
/// reads it.
pub use aws_smithy_types::byte_stream::ByteStream;
/// How much of a file `ByteStream::read_from()` reads (feature `rt-tokio`).
#[cfg(feature = "rt-tokio")]
pub use aws_smithy_types::byte_stream::{FsBuilder, Length};

/// The value of an enum that this version of a generated crate does not know.
///
/// Generated enums hold it in their `Unknown` variant so that new values a
/// service starts sending are kept rather than rejected.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    /// Wraps a value as received.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
