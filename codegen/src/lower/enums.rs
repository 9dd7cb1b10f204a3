//! Enums: enum shapes and strings with the Smithy 1.0 `enum` trait.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::docs;
use crate::ir::*;
use crate::model::{Shape, ShapeType};
use crate::naming;

use super::names::{check_unique, variant_names};
use super::{err, LowerError, Lowerer};

impl<'m> Lowerer<'m> {
    pub(super) fn enumeration(
        &mut self,
        shape: &Shape,
        name: String,
    ) -> Result<EnumIr, LowerError> {
        // (variant source, wire value, documentation, where it is declared)
        let mut entries: Vec<(&str, &str, Option<&str>, String)> = Vec::new();
        if shape.ty == ShapeType::Enum {
            for member in &shape.members {
                let value = member
                    .traits
                    .enum_value()
                    .and_then(Value::as_str)
                    .unwrap_or(&member.name);
                entries.push((
                    &member.name,
                    value,
                    member.traits.documentation(),
                    format!("member `{}`", member.name),
                ));
            }
        } else {
            // A string shape with the Smithy 1.0 `enum` trait.
            let defs = shape
                .traits
                .get("smithy.api#enum")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    err(
                        &shape.id,
                        None,
                        "string shape used as an enum has no enum trait",
                    )
                })?;
            for (i, def) in defs.iter().enumerate() {
                let value = def.get("value").and_then(Value::as_str).ok_or_else(|| {
                    err(
                        &shape.id,
                        None,
                        format!("enum trait entry {i} has no string `value`"),
                    )
                })?;
                let source = def.get("name").and_then(Value::as_str).unwrap_or(value);
                let docs = def.get("documentation").and_then(Value::as_str);
                entries.push((source, value, docs, format!("enum trait entry {i}")));
            }
        }
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (_, value, _, at) in &entries {
            if let Some(first) = seen.insert(value, at) {
                return Err(err(
                    &shape.id,
                    None,
                    format!(
                        "the enum value {} of {at} is also the value of {first}",
                        docs::code_span(value)
                    ),
                ));
            }
        }
        let sources: Vec<&str> = entries.iter().map(|e| e.0).collect();
        let values: Vec<EnumValueIr> = entries
            .iter()
            .zip(variant_names(&sources, false))
            .map(|((_, value, doc, _), variant)| EnumValueIr {
                variant,
                value: (*value).to_owned(),
                docs: self.docs_or(*doc, || format!("The {} value.", docs::code_span(value))),
            })
            .collect();
        check_unique(
            values.iter().map(|v| (v.variant.clone(), v.value.clone())),
            &format!("values of `{}`", shape.id),
            "variant name",
        )?;
        Ok(EnumIr {
            shape_id: shape.id.clone(),
            module: naming::type_module(&name),
            name,
            docs: self.docs_or(shape.traits.documentation(), || {
                format!("The `{}` enum.", shape.id.name)
            }),
            values,
            sensitive: shape.traits.is_sensitive(),
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::lower::tests::lower_shapes;

    #[test]
    fn enum_values_must_be_unique() {
        let e = lower_shapes(serde_json::json!({
            "ex#In": {"type": "structure", "members": {"l": {"target": "ex#L"}}},
            "ex#L": {"type": "string", "traits": {"smithy.api#enum": [
                {"value": "a"}, {"value": "b"}, {"value": "a"}]}}
        }))
        .unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("test.json: shape `ex#L`"), "{text}");
        assert!(text.contains("enum trait entry 2"), "{text}");
        assert!(text.contains("enum trait entry 0"), "{text}");
    }
}
