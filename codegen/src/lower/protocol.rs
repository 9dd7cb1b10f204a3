//! The service's protocol, recognised by its trait, and the defaults the
//! protocol decides.

use crate::ir::{Protocol, TimestampFormat};
use crate::model::Shape;

use super::{err, LowerError};

/// The protocol the service declares, which must be one smithgen supports.
pub(super) fn protocol(service: &Shape) -> Result<Protocol, LowerError> {
    if service.traits.has("aws.protocols#awsJson1_1") {
        Ok(Protocol::AwsJson1_1)
    } else if service.traits.has("aws.protocols#awsJson1_0") {
        Ok(Protocol::AwsJson1_0)
    } else {
        let protocols: Vec<&str> = service
            .traits
            .iter()
            .map(|(k, _)| k)
            .filter(|k| k.starts_with("aws.protocols#"))
            .collect();
        Err(err(
            &service.id,
            None,
            format!(
                "the service's protocol is not supported (supported: aws.protocols#awsJson1_0, aws.protocols#awsJson1_1; found: {})",
                if protocols.is_empty() { "none".to_owned() } else { protocols.join(", ") }
            ),
        ))
    }
}

/// The format of a timestamp without a `timestampFormat` trait: both awsJson
/// protocols send timestamps only in the body, as epoch seconds.
pub(super) fn default_timestamp_format() -> TimestampFormat {
    TimestampFormat::EpochSeconds
}
