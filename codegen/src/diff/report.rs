//! The report: every change, grouped by what it belongs to, and what it
//! adds up to.

use std::collections::BTreeMap;

use crate::ir::ServiceIr;

use super::change::{Change, ChangeKind, Group};

/// One side of the comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    /// The model files, as given.
    pub models: Vec<String>,
    pub crate_name: String,
    pub operations: usize,
    /// Structures, unions and enums under `types`.
    pub types: usize,
    /// Error structures under `types::error`.
    pub errors: usize,
}

impl Side {
    pub(super) fn new(models: Vec<String>, service: &ServiceIr) -> Self {
        Side {
            models,
            crate_name: service.crate_name.clone(),
            operations: service.operations.len(),
            types: service.types.len(),
            errors: service.errors.len(),
        }
    }
}

/// The changes from one version of a model to another, as changes to the
/// generated Rust API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub old: Side,
    pub new: Side,
    /// The crate's own changes first, then the operations', the types' and
    /// the errors', each in the order of their names.
    pub groups: Vec<Group>,
}

/// How many changes of each sort a report holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub breaking: usize,
    /// Changes that break no caller, documentation aside.
    pub not_breaking: usize,
    pub documentation: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
}

impl Report {
    /// Whether some change breaks callers.
    pub fn is_breaking(&self) -> bool {
        self.changes().any(|(_, c)| c.breaking)
    }

    /// Every change with its group.
    pub fn changes(&self) -> impl Iterator<Item = (&Group, &Change)> {
        self.groups
            .iter()
            .flat_map(|g| g.changes.iter().map(move |c| (g, c)))
    }

    /// The changes of one kind.
    pub fn of_kind(&self, kind: ChangeKind) -> impl Iterator<Item = (&Group, &Change)> {
        self.changes().filter(move |(_, c)| c.kind == kind)
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for (_, change) in self.changes() {
            if change.breaking {
                counts.breaking += 1;
            } else if change.is_docs() {
                counts.documentation += 1;
            } else {
                counts.not_breaking += 1;
            }
            *counts.by_kind.entry(change.kind.name()).or_default() += 1;
        }
        counts
    }
}
