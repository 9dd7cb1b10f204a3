//! Endpoint rule parameters: those the service's rules declare, and those an
//! operation binds.

use serde_json::Value;

use crate::ir::*;
use crate::model::{Model, Shape, ShapeId};
use crate::naming;

use super::names::check_unique;
use super::{docs_or, err, LowerError};

/// The parameters the service's endpoint rules declare, with their Rust names.
pub(super) fn endpoint_rule_params(
    service: &Shape,
) -> Result<Vec<EndpointRuleParamIr>, LowerError> {
    let Some(params) = service
        .traits
        .get("smithy.rules#endpointRuleSet")
        .and_then(|r| r.get("parameters"))
        .and_then(Value::as_object)
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (name, def) in params {
        let kind = match def.get("type").and_then(Value::as_str) {
            Some(t) if t.eq_ignore_ascii_case("string") => EndpointParamKind::String,
            Some(t) if t.eq_ignore_ascii_case("boolean") => EndpointParamKind::Bool,
            Some(t) if t.eq_ignore_ascii_case("stringArray") => EndpointParamKind::StringArray,
            other => {
                return Err(err(
                    &service.id,
                    None,
                    format!("endpoint parameter `{name}` has an unknown type {other:?}"),
                ))
            }
        };
        out.push(EndpointRuleParamIr {
            field: naming::field_name(name),
            kind,
            docs: docs_or(def.get("documentation").and_then(Value::as_str), || {
                format!("The `{name}` endpoint parameter.")
            }),
            name: name.clone(),
        });
    }
    check_unique(
        out.iter().map(|p| (p.field.clone(), p.name.clone())),
        &format!("endpoint parameters of `{}`", service.id),
        "field name",
    )?;
    Ok(out)
}

/// The endpoint rule parameters an operation binds: static values, input
/// members marked `smithy.rules#contextParam`, and paths over the input.
pub(super) fn endpoint_params(
    op: &Shape,
    model: &Model,
    id: &ShapeId,
) -> Result<EndpointParamsIr, LowerError> {
    let mut params = EndpointParamsIr::default();
    if let Some(statics) = op
        .traits
        .get("smithy.rules#staticContextParams")
        .and_then(Value::as_object)
    {
        for (name, def) in statics {
            let value = match def.get("value") {
                Some(Value::String(s)) => StaticParamValue::String(s.clone()),
                Some(Value::Bool(b)) => StaticParamValue::Bool(*b),
                Some(Value::Array(items)) => StaticParamValue::StringArray(
                    items
                        .iter()
                        .map(|i| i.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| {
                            err(
                                id,
                                None,
                                format!(
                                    "static context parameter `{name}` is not a list of strings"
                                ),
                            )
                        })?,
                ),
                _ => {
                    return Err(err(
                        id,
                        None,
                        format!(
                        "static context parameter `{name}` has no string, boolean or list value"
                    ),
                    ))
                }
            };
            params.statics.push((name.clone(), value));
        }
    }
    if let Some(paths) = op
        .traits
        .get("smithy.rules#operationContextParams")
        .and_then(Value::as_object)
    {
        for (name, def) in paths {
            let path = def.get("path").and_then(Value::as_str).ok_or_else(|| {
                err(
                    id,
                    None,
                    format!("operation context parameter `{name}` has no path"),
                )
            })?;
            params.paths.push((name.clone(), path.to_owned()));
        }
    }
    if let Some(input) = op.input.as_ref().and_then(|i| model.shape(i)) {
        for member in &input.members {
            if let Some(name) = member
                .traits
                .get("smithy.rules#contextParam")
                .and_then(|c| c.get("name"))
                .and_then(Value::as_str)
            {
                params.members.push((name.to_owned(), member.name.clone()));
            }
        }
    }
    Ok(params)
}
