//! The wire protocols, as the generator renders them: one module each,
//! behind [`ProtocolRender`]. A protocol decides how an operation's input
//! becomes a request and names the runtime's counterpart
//! (`smithgen_runtime::protocol`), which adds its headers and reads error
//! responses. The data formats protocols share are modules of their own
//! ([`super::json`]).

mod aws_json;

use proc_macro2::TokenStream;

use super::Ctx;
use crate::ir::{OperationIr, Protocol};

/// What one protocol renders.
pub(crate) trait ProtocolRender: Sync {
    /// The variant of the runtime's `protocol::Protocol` the service's
    /// description names (`AwsJson1_1`).
    fn runtime_variant(&self) -> &'static str;

    /// `ser_input`: the function that writes an operation's input into its
    /// request.
    fn ser_input(&self, op: &OperationIr, ctx: &Ctx) -> TokenStream;
}

/// The renderer of `protocol`.
pub(crate) fn of(protocol: Protocol) -> &'static dyn ProtocolRender {
    match protocol {
        Protocol::AwsJson1_0 => &aws_json::AwsJson(aws_json::Version::V1_0),
        Protocol::AwsJson1_1 => &aws_json::AwsJson(aws_json::Version::V1_1),
    }
}
