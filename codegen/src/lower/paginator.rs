//! Paginators of operations with the `smithy.api#paginated` trait.

use serde_json::Value;

use crate::ir::*;
use crate::model::{Shape, ShapeId};
use crate::naming;

use super::{err, LowerError, Lowerer, UNIT};

/// Where a `smithy.api#paginated` path starts.
#[derive(Clone, Copy)]
enum PaginatorSide {
    Input,
    Output,
}

impl<'m> Lowerer<'m> {
    /// The paginator of an operation with `smithy.api#paginated`. The
    /// service's own `paginated` trait supplies what the operation's leaves
    /// out; `inputToken` and `pageSize` name top-level input members,
    /// `outputToken` and `items` are paths (`a.b`) into the output.
    pub(super) fn paginator(
        &mut self,
        id: &ShapeId,
        op: &'m Shape,
        input: &StructIr,
        output: &StructIr,
    ) -> Result<Option<PaginatorIr>, LowerError> {
        let Some(own) = op.traits.paginated() else {
            return Ok(None);
        };
        let defaults = self.service.traits.paginated();
        let setting = |key: &str| -> Result<Option<&'m str>, LowerError> {
            match own.get(key).or_else(|| defaults.and_then(|d| d.get(key))) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.as_str())),
                Some(other) => Err(err(
                    id,
                    None,
                    format!("the paginated trait's `{key}` must be a string, found {other}"),
                )),
            }
        };
        let required = |key: &str| -> Result<&'m str, LowerError> {
            setting(key)?.ok_or_else(|| {
                err(
                    id,
                    None,
                    format!(
                        "the paginated trait has no `{key}`, neither on the operation nor on the service"
                    ),
                )
            })
        };
        let input_token_path = required("inputToken")?;
        let output_token_path = required("outputToken")?;
        let page_size_path = setting("pageSize")?;
        let items_path = setting("items")?;

        let input_token = self.paginator_path(
            id,
            op,
            PaginatorSide::Input,
            input,
            "inputToken",
            input_token_path,
        )?;
        let output_token = self.paginator_path(
            id,
            op,
            PaginatorSide::Output,
            output,
            "outputToken",
            output_token_path,
        )?;
        let [input_token] = <[PaginatorField; 1]>::try_from(input_token).map_err(|_| {
            err(
                id,
                Some(input_token_path),
                "the paginated trait's `inputToken` must name a top-level input member",
            )
        })?;
        let is_token = |ty: &RustType| {
            matches!(ty, RustType::String)
                || matches!(ty, RustType::Map { key, .. } if **key == RustType::String)
        };
        if !is_token(&input_token.ty) {
            return Err(err(
                id,
                Some(input_token_path),
                "the paginated trait's `inputToken` must target a string or a map with string keys",
            ));
        }
        let last_output = output_token.last().map(|f| &f.ty);
        if last_output != Some(&input_token.ty) {
            return Err(err(
                id,
                Some(output_token_path),
                format!(
                    "the paginated trait's `outputToken` must target the same type as `inputToken` (`{input_token_path}`)"
                ),
            ));
        }

        let page_size = match page_size_path {
            None => None,
            Some(path) => {
                let fields =
                    self.paginator_path(id, op, PaginatorSide::Input, input, "pageSize", path)?;
                let [field] = <[PaginatorField; 1]>::try_from(fields).map_err(|_| {
                    err(
                        id,
                        Some(path),
                        "the paginated trait's `pageSize` must name a top-level input member",
                    )
                })?;
                if !matches!(
                    field.ty,
                    RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64
                ) {
                    return Err(err(
                        id,
                        Some(path),
                        "the paginated trait's `pageSize` must target an integer",
                    ));
                }
                Some(field)
            }
        };
        let items = match items_path {
            None => None,
            Some(path) => {
                let fields =
                    self.paginator_path(id, op, PaginatorSide::Output, output, "items", path)?;
                if !matches!(
                    fields.last().map(|f| &f.ty),
                    Some(RustType::List { .. } | RustType::Map { .. })
                ) {
                    return Err(err(
                        id,
                        Some(path),
                        "the paginated trait's `items` must target a list or a map",
                    ));
                }
                Some(fields)
            }
        };

        let method = naming::into_paginator_method();
        if let Some(clash) = input.fields.iter().find(|f| f.name == method) {
            return Err(err(
                id,
                Some(&clash.wire_name),
                format!(
                    "the input member becomes the fluent builder method `{method}`, which the paginator needs"
                ),
            ));
        }
        Ok(Some(PaginatorIr {
            module: naming::paginator_module(),
            type_name: naming::paginator_type(&id.name),
            items_type_name: naming::paginator_items_type(&id.name),
            method,
            input_token,
            output_token,
            page_size,
            items,
        }))
    }

    /// Resolves a dotted member path of a paginated trait against the
    /// operation's input or output, member by member as the structures
    /// declare them; every member but the last must target a structure.
    fn paginator_path(
        &mut self,
        id: &ShapeId,
        op: &'m Shape,
        side: PaginatorSide,
        top: &StructIr,
        key: &str,
        path: &str,
    ) -> Result<Vec<PaginatorField>, LowerError> {
        let (root, what) = match side {
            PaginatorSide::Input => (op.input.as_ref(), "input"),
            PaginatorSide::Output => (op.output.as_ref(), "output"),
        };
        let mut fields: Vec<PaginatorField> = Vec::new();
        let mut owner = root.filter(|t| t.to_string() != UNIT).cloned();
        for (depth, segment) in path.split('.').enumerate() {
            let missing = |owner: &str| {
                err(
                    id,
                    Some(path),
                    format!(
                        "the paginated trait's `{key}` names `{segment}`, which is not a member of {owner}"
                    ),
                )
            };
            let Some(owner_id) = owner.take() else {
                return Err(match fields.last() {
                    None => missing(&format!("the operation's {what}")),
                    Some(previous) => err(
                        id,
                        Some(path),
                        format!(
                            "the paginated trait's `{key}` goes through `{}`, which is not a structure",
                            previous.wire_name
                        ),
                    ),
                });
            };
            let shape = self.shape(&owner_id)?;
            let member = shape
                .member(segment)
                .ok_or_else(|| missing(&format!("`{owner_id}`")))?;
            let field = if depth == 0 {
                top.fields
                    .iter()
                    .find(|f| f.wire_name == segment)
                    .cloned()
                    .ok_or_else(|| missing(&format!("the operation's {what}")))?
            } else {
                let codecs = match side {
                    PaginatorSide::Input => Codecs {
                        ser: true,
                        de: false,
                    },
                    PaginatorSide::Output => Codecs {
                        ser: false,
                        de: true,
                    },
                };
                self.field(shape, member, StructKind::Plain, codecs)?
            };
            if let RustType::Struct(_) = field.ty {
                owner = Some(member.target.clone());
            }
            fields.push(PaginatorField {
                wire_name: field.wire_name,
                name: field.name,
                ty: field.ty,
                optional: field.optional,
                boxed: field.boxed,
            });
        }
        Ok(fields)
    }
}
