//! `awsJson1_0` and `awsJson1_1`: every operation is a `POST` naming itself
//! in `X-Amz-Target` (added by the runtime), its whole input the JSON body.

use proc_macro2::TokenStream;

use super::ProtocolRender;
use crate::ir::OperationIr;
use crate::render::{json, Ctx};

/// The version of the protocol, which decides only the content type.
pub(super) enum Version {
    V1_0,
    V1_1,
}

pub(super) struct AwsJson(pub(super) Version);

impl ProtocolRender for AwsJson {
    fn runtime_variant(&self) -> &'static str {
        match self.0 {
            Version::V1_0 => "AwsJson1_0",
            Version::V1_1 => "AwsJson1_1",
        }
    }

    fn ser_input(&self, op: &OperationIr, ctx: &Ctx) -> TokenStream {
        json::ser_input(&op.input, op.checksum_required, ctx)
    }
}
