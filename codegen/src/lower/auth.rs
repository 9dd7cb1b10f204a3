//! Auth: the schemes an operation's requests may use, in the model's order
//! of preference.
//!
//! An operation's effective schemes are, as Smithy defines them, the values
//! of its `smithy.api#auth` trait, else those of its service's, else every
//! auth trait the service has, ordered by shape id (a model's traits have
//! no order of their own). `smithy.api#optionalAuth`, or a list that comes
//! out empty (`@auth([])`, a service without auth traits), adds "no auth"
//! last. Of those, smithgen supports SigV4 (`aws.auth#sigv4`), bearer tokens
//! (`smithy.api#httpBearerAuth`) and no auth; other schemes are left out,
//! and an operation left with none is an error rather than a client that
//! sends its requests unauthenticated.

use crate::ir::AuthScheme;
use crate::model::{Model, Shape, ShapeId};

const SIGV4: &str = "aws.auth#sigv4";
const HTTP_BEARER: &str = "smithy.api#httpBearerAuth";
const AUTH_DEFINITION: &str = "smithy.api#authDefinition";

/// The auth traits of the Smithy prelude and of the AWS traits package,
/// whose definitions models do not carry.
const KNOWN_AUTH_TRAITS: &[&str] = &[
    "aws.auth#cognitoUserPools",
    SIGV4,
    "aws.auth#sigv4a",
    "smithy.api#httpApiKeyAuth",
    "smithy.api#httpBasicAuth",
    HTTP_BEARER,
    "smithy.api#httpDigestAuth",
];

/// Whether trait `id` defines an auth scheme: a known one, or one the model
/// defines with `smithy.api#authDefinition`.
fn is_auth_trait(model: &Model, id: &str) -> bool {
    KNOWN_AUTH_TRAITS.contains(&id)
        || ShapeId::parse(id)
            .ok()
            .and_then(|id| model.shape(&id))
            .is_some_and(|shape| shape.traits.has(AUTH_DEFINITION))
}

/// The schemes requests of `op` (bound to `service`) may use, in order; see
/// the [module documentation](self). The error says why there is none.
pub(super) fn operation_auth(
    model: &Model,
    service: &Shape,
    op: &Shape,
) -> Result<Vec<AuthScheme>, String> {
    let listed = match (op.traits.auth(), service.traits.auth()) {
        (Some(listed), _) => Some((listed, "its")),
        (None, Some(listed)) => Some((listed, "its service's")),
        (None, None) => None,
    };
    let effective: Vec<String> = match listed {
        Some((listed, whose)) => {
            if let Some(missing) = listed.iter().find(|id| !service.traits.has(id)) {
                return Err(format!(
                    "{whose} `smithy.api#auth` trait names `{missing}`, which is not a trait \
                     of service `{}`",
                    service.id
                ));
            }
            listed
        }
        // `Traits` iterates by trait id: Smithy's order when there is no
        // `auth` trait.
        None => service
            .traits
            .iter()
            .map(|(id, _)| id)
            .filter(|id| is_auth_trait(model, id))
            .map(str::to_owned)
            .collect(),
    };

    let mut schemes = Vec::new();
    let mut unsupported = Vec::new();
    for id in &effective {
        match id.as_str() {
            SIGV4 => schemes.push(AuthScheme::SigV4),
            HTTP_BEARER => schemes.push(AuthScheme::HttpBearer),
            other => unsupported.push(other),
        }
    }
    if effective.is_empty() || op.traits.has_optional_auth() {
        schemes.push(AuthScheme::Anonymous);
    }
    if schemes.is_empty() {
        return Err(format!(
            "supports only auth schemes smithgen cannot use: `{}` (supported: `{SIGV4}`, \
             `{HTTP_BEARER}` and, with `smithy.api#optionalAuth` or `smithy.api#auth: []`, \
             no auth)",
            unsupported.join("`, `")
        ));
    }
    Ok(schemes)
}

#[cfg(test)]
mod tests {
    use crate::ir::{AuthScheme, ServiceIr};
    use crate::lower::tests::lower_shapes;
    use crate::lower::LowerError;
    use serde_json::{json, Value};

    use AuthScheme::{Anonymous, HttpBearer, SigV4};

    /// Lowers a service with `service_traits` (awsJson 1.1 added) and one
    /// operation `ex#Op` with `op_traits`.
    fn lower(service_traits: Value, op_traits: Value) -> Result<ServiceIr, LowerError> {
        let mut traits = json!({"aws.protocols#awsJson1_1": {}});
        if let (Some(all), Value::Object(more)) = (traits.as_object_mut(), service_traits) {
            all.extend(more);
        }
        lower_shapes(json!({
            "ex#Svc": {"type": "service", "operations": [{"target": "ex#Op"}],
                       "traits": traits},
            "ex#Op": {"type": "operation", "input": {"target": "ex#In"}, "traits": op_traits},
        }))
    }

    fn schemes(service_traits: Value, op_traits: Value) -> Vec<AuthScheme> {
        let ir = lower(service_traits, op_traits).expect("lowers");
        ir.operations[0].auth.clone()
    }

    fn both() -> Value {
        json!({"aws.auth#sigv4": {"name": "ex"}, "smithy.api#httpBearerAuth": {}})
    }

    #[test]
    fn the_operations_auth_trait_comes_first() {
        let op = json!({"smithy.api#auth": ["smithy.api#httpBearerAuth", "aws.auth#sigv4"]});
        assert_eq!(schemes(both(), op), [HttpBearer, SigV4]);
        let mut service = both();
        service["smithy.api#auth"] = json!(["aws.auth#sigv4", "smithy.api#httpBearerAuth"]);
        let op = json!({"smithy.api#auth": ["smithy.api#httpBearerAuth"]});
        assert_eq!(schemes(service.clone(), op), [HttpBearer]);
        assert_eq!(
            schemes(service, json!({"smithy.api#auth": []})),
            [Anonymous]
        );
    }

    #[test]
    fn else_the_services_auth_trait() {
        for (order, expected) in [
            (
                ["aws.auth#sigv4", "smithy.api#httpBearerAuth"],
                [SigV4, HttpBearer],
            ),
            (
                ["smithy.api#httpBearerAuth", "aws.auth#sigv4"],
                [HttpBearer, SigV4],
            ),
        ] {
            let mut service = both();
            service["smithy.api#auth"] = json!(order);
            assert_eq!(schemes(service, json!({})), expected);
        }
    }

    #[test]
    fn else_every_auth_trait_of_the_service_by_shape_id() {
        // `aws.auth#…` sorts before `smithy.api#…`, whatever the order written.
        let written = json!({"smithy.api#httpBearerAuth": {}, "aws.auth#sigv4": {"name": "ex"}});
        assert_eq!(schemes(written, json!({})), [SigV4, HttpBearer]);
        assert_eq!(
            schemes(json!({"smithy.api#httpBearerAuth": {}}), json!({})),
            [HttpBearer]
        );
        // Traits that define no auth scheme are not schemes.
        assert_eq!(
            schemes(json!({"smithy.api#documentation": "x"}), json!({})),
            [Anonymous]
        );
        // Unsupported schemes are left out when a supported one remains.
        let with_sigv4a =
            json!({"aws.auth#sigv4": {"name": "ex"}, "aws.auth#sigv4a": {"name": "ex"}});
        assert_eq!(schemes(with_sigv4a, json!({})), [SigV4]);
    }

    #[test]
    fn optional_auth_adds_no_auth_last() {
        let optional = json!({"smithy.api#optionalAuth": {}});
        assert_eq!(
            schemes(both(), optional.clone()),
            [SigV4, HttpBearer, Anonymous]
        );
        let op = json!({"smithy.api#optionalAuth": {}, "smithy.api#auth": []});
        assert_eq!(schemes(both(), op), [Anonymous]);
        let op = json!({"smithy.api#optionalAuth": {},
                        "smithy.api#auth": ["smithy.api#httpBearerAuth"]});
        assert_eq!(schemes(both(), op), [HttpBearer, Anonymous]);
        // A service without auth traits: no auth, once.
        assert_eq!(schemes(json!({}), optional), [Anonymous]);
    }

    #[test]
    fn only_unsupported_schemes_are_an_error() {
        let service = json!({"smithy.api#httpBasicAuth": {}, "aws.auth#sigv4a": {"name": "ex"}});
        let e = lower(service, json!({})).unwrap_err().to_string();
        assert!(e.contains("shape `ex#Op`"), "{e}");
        assert!(
            e.contains(
                "supports only auth schemes smithgen cannot use: `aws.auth#sigv4a`, \
                 `smithy.api#httpBasicAuth`"
            ),
            "{e}"
        );
        let op = json!({"smithy.api#auth": ["smithy.api#httpApiKeyAuth"]});
        let service = json!({"smithy.api#httpApiKeyAuth": {"name": "k", "in": "header"},
                             "aws.auth#sigv4": {"name": "ex"}});
        let e = lower(service, op).unwrap_err().to_string();
        assert!(e.contains("shape `ex#Op`"), "{e}");
        assert!(e.contains("`smithy.api#httpApiKeyAuth`"), "{e}");
    }

    #[test]
    fn auth_traits_the_model_defines_count() {
        let shapes = json!({
            "ex#Svc": {"type": "service", "operations": [{"target": "ex#Op"}],
                       "traits": {"aws.protocols#awsJson1_1": {}, "ex#customAuth": {}}},
            "ex#customAuth": {"type": "structure", "members": {},
                              "traits": {"smithy.api#trait": {}, "smithy.api#authDefinition": {}}},
        });
        let e = lower_shapes(shapes).unwrap_err().to_string();
        assert!(e.contains("cannot use: `ex#customAuth`"), "{e}");
    }

    #[test]
    fn an_auth_trait_naming_a_scheme_the_service_lacks_is_an_error() {
        let op = json!({"smithy.api#auth": ["smithy.api#httpBearerAuth"]});
        let e = lower(json!({"aws.auth#sigv4": {"name": "ex"}}), op)
            .unwrap_err()
            .to_string();
        assert!(e.contains("shape `ex#Op`"), "{e}");
        assert!(
            e.contains(
                "its `smithy.api#auth` trait names `smithy.api#httpBearerAuth`, which is not a \
                 trait of service `ex#Svc`"
            ),
            "{e}"
        );
        let service = json!({"aws.auth#sigv4": {"name": "ex"}, "smithy.api#auth": ["ex#nope"]});
        let e = lower(service, json!({})).unwrap_err().to_string();
        assert!(
            e.contains("its service's `smithy.api#auth` trait names `ex#nope`"),
            "{e}"
        );
    }
}
