//! The wire protocols, as the generator renders them: one module each,
//! behind [`ProtocolRender`]. A protocol decides how an operation's input
//! becomes a request and names the runtime's counterpart
//! (`smithgen_runtime::protocol`), which adds its headers and reads error
//! responses. The data formats protocols share are modules of their own
//! ([`super::json`]).

mod aws_json;
mod rest_json;

use proc_macro2::TokenStream;

use super::Ctx;
use crate::ir::{OperationIr, Protocol, StructIr};

/// What one protocol renders.
pub(crate) trait ProtocolRender: Sync {
    /// The variant of the runtime's `protocol::Protocol` the service's
    /// description names (`AwsJson1_1`).
    fn runtime_variant(&self) -> &'static str;

    /// `ser_input`: the function that writes an operation's input into its
    /// request.
    fn ser_input(&self, op: &OperationIr, ctx: &Ctx) -> TokenStream;

    /// `de_output`: the function that reads an operation's output from a
    /// 2xx response; `None` when the output is the whole JSON body, as the
    /// runtime's `operation!` reads it.
    fn de_output(&self, _op: &OperationIr, _ctx: &Ctx) -> Option<TokenStream> {
        None
    }

    /// `de_http`: the function that reads the members of an error
    /// structure bound outside its JSON body (`fn de_http(&HttpResponse,
    /// Builder) -> Result<Builder, DeserializeError>`, named by
    /// `modeled_error!`); `None` when it has none.
    fn de_error(&self, _error: &StructIr, _ctx: &Ctx) -> Option<TokenStream> {
        None
    }

    /// Why the generated code cannot pass the official protocol test case
    /// `id` yet, when it cannot: its test is generated ignored, with the
    /// reason.
    fn unsupported_case(&self, _id: &str) -> Option<&'static str> {
        None
    }
}

/// The renderer of `protocol`.
pub(crate) fn of(protocol: Protocol) -> &'static dyn ProtocolRender {
    match protocol {
        Protocol::AwsJson1_0 => &aws_json::AwsJson(aws_json::Version::V1_0),
        Protocol::AwsJson1_1 => &aws_json::AwsJson(aws_json::Version::V1_1),
        Protocol::RestJson1 => &rest_json::RestJson,
    }
}
