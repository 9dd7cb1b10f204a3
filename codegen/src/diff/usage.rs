//! Which operations reach each type: a change to a type is a change to
//! every operation whose input or output holds it, or that returns it as
//! an error.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{ServiceIr, TypeDef};

use super::rust_type::named_types;

/// For each type and error structure, by name, the client methods of the
/// operations that reach it.
#[derive(Default)]
pub(super) struct Usage {
    by_type: BTreeMap<String, BTreeSet<String>>,
}

impl Usage {
    pub fn new(service: &ServiceIr) -> Self {
        let types: BTreeMap<&str, &TypeDef> = service.types.iter().map(|t| (t.name(), t)).collect();
        let errors: BTreeMap<&str, _> = service
            .errors
            .iter()
            .map(|e| (e.name.as_str(), e))
            .collect();
        let mut usage = Usage::default();
        for op in &service.operations {
            let mut stack: Vec<&str> = Vec::new();
            for field in op.input.fields.iter().chain(&op.output.fields) {
                named_types(&field.ty, &mut stack);
            }
            stack.extend(op.errors.iter().map(|e| e.type_name.as_str()));
            let mut seen = BTreeSet::new();
            while let Some(name) = stack.pop() {
                if !seen.insert(name) {
                    continue;
                }
                match (types.get(name), errors.get(name)) {
                    (Some(TypeDef::Struct(s)), _) => {
                        s.fields.iter().for_each(|f| named_types(&f.ty, &mut stack))
                    }
                    (Some(TypeDef::Union(u)), _) => u
                        .variants
                        .iter()
                        .filter_map(|v| v.ty.as_ref())
                        .for_each(|ty| named_types(ty, &mut stack)),
                    (None, Some(e)) => e.fields.iter().for_each(|f| named_types(&f.ty, &mut stack)),
                    _ => {}
                }
            }
            for name in seen {
                usage
                    .by_type
                    .entry(name.to_owned())
                    .or_default()
                    .insert(op.module.clone());
            }
        }
        usage
    }

    /// The client methods of the operations that reach the type `name`.
    pub fn of(&self, name: &str) -> Vec<String> {
        self.by_type
            .get(name)
            .map(|ops| ops.iter().cloned().collect())
            .unwrap_or_default()
    }
}
