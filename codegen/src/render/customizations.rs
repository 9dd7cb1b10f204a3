//! An operation's service customizations (see [`RequestCustomization`],
//! and the IR's `request_headers` and `body_hashes`): `customize_request`,
//! which the runtime runs on the request after the protocol's `ser_input`
//! wrote it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, lit, Ctx};
use crate::ir::{BodyHash, OperationIr, RequestCustomization};

/// The name and item of `customize_request`; `None` when the operation has
/// no customization.
pub(super) fn customize_request(op: &OperationIr, ctx: &Ctx) -> Option<(TokenStream, TokenStream)> {
    if op.customizations.is_empty() && op.request_headers.is_empty() && op.body_hashes.is_empty() {
        return None;
    }
    let rt = &ctx.rt;
    let input = ident(&op.input.name);
    let reads_input = op
        .customizations
        .iter()
        .any(|c| matches!(c, RequestCustomization::EndpointFromMember { .. }));
    let input_param = match reads_input {
        true => quote!(input),
        false => quote!(_input),
    };
    let steps = op.customizations.iter().map(|c| match c {
        RequestCustomization::DefaultHeader { name, value } => {
            let name = lit(name);
            let value = lit(value);
            quote! {
                if !w.has_header(#name) {
                    w.push_header(#name, #value);
                }
            }
        }
        RequestCustomization::EndpointFromMember { field } => {
            let field = ident(field);
            quote! {
                if let ::std::option::Option::Some(url) = &input.#field {
                    w.set_endpoint(url.as_str());
                }
            }
        }
    });
    // Headers every request carries, and headers hashed over the body.
    let headers = op.request_headers.iter().map(|(name, value)| {
        let (name, value) = (lit(name), lit(value));
        quote!(w.push_header(#name, #value);)
    });
    let hashes = op.body_hashes.iter().map(|(hash, name)| {
        let hash = match hash {
            BodyHash::Sha256 => quote!(Sha256),
            BodyHash::Sha256Tree => quote!(Sha256Tree),
        };
        let name = lit(name);
        quote!(w.require_body_hash(#rt::body_hash::BodyHash::#hash, #name);)
    });
    let name = quote!(customize_request);
    let item = quote! {
        /// What the service's customizations change in the request.
        #[inline]
        fn #name(#input_param: &#input, w: &mut #rt::request::RequestWriter) -> ::std::result::Result<(), #rt::error::SerializeError> {
            #(#headers)*
            #(#hashes)*
            #(#steps)*
            ::std::result::Result::Ok(())
        }
    };
    Some((name, item))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::{lower, Selection};
    use crate::model::Model;
    use serde_json::json;

    /// Lowers a one-operation service `service` (of protocol `protocol`)
    /// whose operation `Op` takes an input with `members`.
    fn lowered(
        service: &str,
        protocol: &str,
        op: &str,
        members: serde_json::Value,
    ) -> Result<crate::ir::ServiceIr, String> {
        let namespace = service.split('#').next().unwrap();
        let op_id = format!("{namespace}#{op}");
        let input_id = format!("{namespace}#{op}Input");
        let text = json!({"smithy": "2.0", "shapes": {
            service: {"type": "service", "version": "1", "operations": [{"target": op_id}],
                "traits": {protocol: {}}},
            op_id.clone(): {"type": "operation", "input": {"target": input_id},
                "traits": {"smithy.api#http": {"method": "POST", "uri": "/"}}},
            input_id: {"type": "structure", "members": members},
        }})
        .to_string();
        let model = Model::load(&[("test.json", &text)]).expect("a valid model");
        lower(&model, &Selection::default()).map_err(|e| e.to_string())
    }

    fn customize_text(service: &crate::ir::ServiceIr) -> Option<String> {
        customize_request(&service.operations[0], &Ctx::for_crate())
            .map(|(_, item)| item.to_string().replace(' ', ""))
    }

    #[test]
    fn api_gateway_requests_accept_json_unless_the_input_says_otherwise() {
        let service = lowered(
            "com.amazonaws.apigateway#BackplaneControlService",
            "aws.protocols#restJson1",
            "GetRestApis",
            json!({}),
        )
        .unwrap();
        let text = customize_text(&service).expect("a customization");
        assert!(
            text.contains(
                r#"if!w.has_header("Accept"){w.push_header("Accept","application/json");}"#
            ),
            "{text}"
        );
        // Another service with the same operation has none.
        let other = lowered(
            "ex#Other",
            "aws.protocols#restJson1",
            "GetRestApis",
            json!({}),
        )
        .unwrap();
        assert_eq!(customize_text(&other), None);
    }

    #[test]
    fn machine_learning_predict_goes_to_its_predict_endpoint() {
        let ml = "com.amazonaws.machinelearning#AmazonML_20141212";
        let string = json!({"target": "smithy.api#String"});
        let service = lowered(
            ml,
            "aws.protocols#awsJson1_1",
            "Predict",
            json!({"MLModelId": string, "PredictEndpoint": string}),
        )
        .unwrap();
        let text = customize_text(&service).expect("a customization");
        assert!(
            text.contains("iflet::std::option::Option::Some(url)=&input.predict_endpoint{w.set_endpoint(url.as_str());}"),
            "{text}"
        );
        // Only `Predict` is customized.
        let other = lowered(ml, "aws.protocols#awsJson1_1", "GetMLModel", json!({})).unwrap();
        assert_eq!(customize_text(&other), None);
        // A model whose `PredictEndpoint` is not a string is an error naming it.
        let err = lowered(
            ml,
            "aws.protocols#awsJson1_1",
            "Predict",
            json!({"PredictEndpoint": {"target": "smithy.api#Integer"}}),
        )
        .expect_err("rejected");
        assert!(err.contains("member `PredictEndpoint`"), "{err}");
        assert!(err.contains("must be a string"), "{err}");
        let err =
            lowered(ml, "aws.protocols#awsJson1_1", "Predict", json!({})).expect_err("rejected");
        assert!(err.contains("`PredictEndpoint`"), "{err}");
    }
}
