//! The customizations decided while an operation is lowered (API Gateway's
//! `Accept` header, Machine Learning's `Predict` endpoint): each becomes a
//! [`RequestCustomization`] of the operations it applies to.

use crate::ir::{RequestCustomization, RustType, StructIr};
use crate::model::ShapeId;

use super::super::{err, LowerError};

/// Amazon API Gateway: every request says `Accept: application/json`, which
/// the service requires (the protocol test `ApiGatewayAccept`).
const API_GATEWAY: &str = "com.amazonaws.apigateway#BackplaneControlService";

/// Amazon Machine Learning: `Predict` goes to the endpoint its input's
/// `PredictEndpoint` names, which the service gives each real-time model
/// (the protocol test `MachinelearningPredictEndpoint`).
const MACHINE_LEARNING: &str = "com.amazonaws.machinelearning#AmazonML_20141212";

/// The customizations of operation `op` (whose input is `input`) of
/// `service`, in the order they apply.
pub(in crate::lower) fn request_customizations(
    service: &ShapeId,
    op: &ShapeId,
    input: &StructIr,
) -> Result<Vec<RequestCustomization>, LowerError> {
    let service = service.to_string();
    Ok(match (service.as_str(), op.name.as_str()) {
        (API_GATEWAY, _) => vec![RequestCustomization::DefaultHeader {
            name: "Accept".to_owned(),
            value: "application/json".to_owned(),
        }],
        (MACHINE_LEARNING, "Predict") => vec![endpoint_from_member(op, input, "PredictEndpoint")?],
        _ => Vec::new(),
    })
}

/// Sends `op`'s requests to the URL its input member `member` holds, which
/// must be a string.
fn endpoint_from_member(
    op: &ShapeId,
    input: &StructIr,
    member: &str,
) -> Result<RequestCustomization, LowerError> {
    let field = input
        .fields
        .iter()
        .find(|f| f.wire_name == member)
        .ok_or_else(|| {
            err(
                op,
                None,
                format!("the service's customization needs the input member `{member}`, which the input does not have"),
            )
        })?;
    if field.ty != RustType::String {
        return Err(err(
            &input.shape_id,
            Some(member),
            "the service's customization sends the request to this member's URL, so it must be a string",
        ));
    }
    Ok(RequestCustomization::EndpointFromMember {
        field: field.name.clone(),
    })
}
