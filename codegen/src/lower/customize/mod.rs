//! Service customizations: what some services need beyond their model and
//! protocol, as the AWS SDKs do it, keyed by the service's shape id. Each is
//! a module of its own that adjusts the lowered IR with what the renderers
//! already know how to write (members filled in when unset, headers on every
//! request, hashes of the body, the request's endpoint); no protocol module
//! knows of any service. Glacier's apply to the lowered service as a whole;
//! `requests` are decided while each operation is lowered.

mod glacier;
mod requests;

pub(super) use requests::request_customizations;

use crate::ir::ServiceIr;

/// Applies the customization of `service`'s shape id, if it has one.
pub(super) fn apply(service: &mut ServiceIr) {
    if service.service_id.to_string() == glacier::SERVICE {
        glacier::apply(service);
    }
}
