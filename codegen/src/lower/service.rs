//! The service: its names and metadata, the operations selected, and the IR
//! of everything they reach.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::docs;
use crate::ir::*;
use crate::model::ShapeId;
use crate::naming;

use super::endpoint_params::endpoint_rule_params;
use super::names::check_unique;
use super::{err, protocol, LowerError, Lowerer, Selection};

impl<'m> Lowerer<'m> {
    /// Lowers the service and its selected operations, with the named types
    /// and errors they reach.
    pub(super) fn run(mut self, selection: &Selection) -> Result<ServiceIr, LowerError> {
        let service = self.service;
        let protocol = self.protocol;
        let aws_service = service.traits.get("aws.api#service");
        let sdk_id = aws_service
            .and_then(|v| v.get("sdkId"))
            .and_then(Value::as_str)
            .unwrap_or(&service.id.name)
            .to_owned();
        let endpoint_prefix = aws_service
            .and_then(|v| v.get("endpointPrefix"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| service.id.name.to_ascii_lowercase());
        let signing_name = service
            .traits
            .get("aws.auth#sigv4")
            .and_then(|v| v.get("name"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| endpoint_prefix.clone());
        // One line of text: it lands in documentation and in Cargo.toml.
        let title = docs::one_line(
            service
                .traits
                .get("smithy.api#title")
                .and_then(Value::as_str)
                .unwrap_or(&sdk_id),
        )
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");

        let all_ops = self.model.service_operations(&service.id);
        let op_ids: Vec<ShapeId> = if selection.operations.is_empty() {
            all_ops
        } else {
            let mut chosen = BTreeSet::new();
            for name in &selection.operations {
                let found = all_ops
                    .iter()
                    .find(|id| id.name == *name || id.to_string() == *name);
                match found {
                    Some(found) => chosen.insert(found.clone()),
                    None if selection.skip_missing_operations => continue,
                    None => {
                        return Err(err(
                            &service.id,
                            None,
                            format!("operation `{name}` is not an operation of this service"),
                        ))
                    }
                };
            }
            chosen.into_iter().collect()
        };

        let mut operations = self.operations(&op_ids)?;
        operations.sort_by(|a, b| a.module.cmp(&b.module));
        check_unique(
            operations
                .iter()
                .map(|o| (o.module.clone(), o.shape_id.to_string())),
            "operations",
            "client method",
        )?;
        super::waiters::check_waiter_names(&operations)?;

        self.lower_requested()?;

        let mut types: Vec<TypeDef> = self.types.into_values().collect();
        types.sort_by(|a, b| a.name().cmp(b.name()));
        check_unique(
            types
                .iter()
                .map(|t| (t.name().to_owned(), t.name().to_owned())),
            "types",
            "type name",
        )?;
        check_unique(
            types
                .iter()
                .map(|t| (t.module().to_owned(), t.name().to_owned())),
            "types",
            "module",
        )?;
        let mut errors: Vec<StructIr> = self.errors.into_values().collect();
        errors.sort_by(|a, b| a.name.cmp(&b.name));
        check_unique(
            errors
                .iter()
                .map(|e| (e.name.clone(), e.shape_id.to_string())),
            "errors",
            "type name",
        )?;

        let crate_name = selection
            .crate_name
            .clone()
            .unwrap_or_else(|| naming::crate_name(&sdk_id));
        let mut ir = ServiceIr {
            crate_name,
            service_id: service.id.clone(),
            target_prefix: service.id.name.clone(),
            title,
            docs: docs::lines(service.traits.documentation()),
            version: service.version.clone(),
            endpoint_prefix,
            signing_name,
            protocol,
            query_compatible: protocol::query_compatible(service, protocol)?,
            endpoint_rules: service
                .traits
                .get("smithy.rules#endpointRuleSet")
                .map(|rules| rules.to_string()),
            endpoint_rule_params: endpoint_rule_params(service)?,
            operations,
            types,
            errors,
        };
        super::customize::apply(&mut ir);
        Ok(ir)
    }
}
