//! Smithy simple types that have no std equivalent.
//!
//! These are re-exported from `aws-smithy-types` so that values can be passed
//! between generated crates and the wider Smithy ecosystem without conversion.

pub use aws_smithy_types::big_number::BigNumberError;
pub use aws_smithy_types::date_time::Format as DateTimeFormat;
pub use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};

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
