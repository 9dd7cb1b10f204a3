//! What a model update does to the generated Rust API.
//!
//! Two versions of a model are lowered to the IR, where every Rust name is
//! decided, and compared there, so the report speaks of what callers
//! compile against: client methods, structures and their fields, enum
//! values, union variants, error variants, paginators. Each change is
//! marked breaking or not, with the reason:
//!
//! - breaking: an operation, member, type, enum value, union variant or
//!   error removed or renamed; a member's type changed, or made required
//!   (`build()` fails without it, or the field loses its `Option`);
//!   `build()` starting or ceasing to return a `Result`; a paginator
//!   removed or changed; an auth scheme removed or another preferred;
//! - not breaking: whatever is added (generated structs, enums, unions and
//!   error enums are `#[non_exhaustive]`, so existing code still compiles),
//!   a member no longer required, a default, redaction or error-retry
//!   change;
//! - documentation: counted, and listed only when asked.
//!
//! From a build script, fail on a breaking update:
//!
//! ```no_run
//! let report = smithgen::diff::Diff::new()
//!     .old_model("models/previous/cognito.json")
//!     .new_model("models/cognito.json")
//!     .run()
//!     .expect("both models load");
//! if report.is_breaking() {
//!     panic!("the model update breaks callers:\n{}", report.human(false));
//! }
//! ```
//!
//! `compare` compares two lowered services; `matching` pairs two versions
//! of a list by name and rename; `service`, `operations`, `members`,
//! `types`, `errors`, `paginators` and `auth` compare what their names say;
//! `usage` finds the operations a type belongs to; `report` holds the
//! result, which `human` and `json` write out.

mod auth;
mod change;
mod errors;
mod human;
mod json;
mod matching;
mod members;
mod operations;
mod paginators;
mod report;
mod rust_type;
mod service;
mod types;
mod usage;

use std::path::{Path, PathBuf};

pub use change::{Change, ChangeKind, Group, Subject};
pub use report::{Counts, Report, Side};

use crate::ir::ServiceIr;
use crate::{Config, Error};

/// The changes from `old` to `new`, two versions of one service.
pub fn compare(old: &ServiceIr, new: &ServiceIr) -> Report {
    compare_sides(Vec::new(), old, Vec::new(), new)
}

fn compare_sides(
    old_models: Vec<String>,
    old: &ServiceIr,
    new_models: Vec<String>,
    new: &ServiceIr,
) -> Report {
    let (old_usage, new_usage) = (usage::Usage::new(old), usage::Usage::new(new));
    let mut groups = Vec::new();
    groups.extend(service::compare_service(old, new));
    let mut sorted = |mut more: Vec<Group>| {
        more.sort_by(|a, b| a.subject.cmp(&b.subject));
        groups.extend(more);
    };
    sorted(operations::compare_operations(
        &old.operations,
        &new.operations,
    ));
    sorted(types::compare_types(
        &old.types, &new.types, &old_usage, &new_usage,
    ));
    sorted(errors::compare_errors(
        &old.errors,
        &new.errors,
        &old_usage,
        &new_usage,
    ));
    Report {
        old: Side::new(old_models, old),
        new: Side::new(new_models, new),
        groups,
    }
}

impl Report {
    /// The report as text: a summary, then each operation, type and error
    /// that changed, one line per change, the breaking ones marked
    /// `BREAKING`. Documentation-only changes are listed when `docs` is set,
    /// and counted either way.
    pub fn human(&self, docs: bool) -> String {
        human::human(self, docs)
    }

    /// The report as JSON, for CI; documentation-only changes as in
    /// [`Report::human`].
    pub fn to_json(&self, docs: bool) -> serde_json::Value {
        json::to_json(self, docs)
    }
}

/// Compares two versions of a model, chosen as [`Config`] chooses what to
/// generate: the service, and the operations (an operation only one version
/// has is added or removed, not an error).
#[derive(Clone, Debug, Default)]
pub struct Diff {
    old: Vec<PathBuf>,
    new: Vec<PathBuf>,
    service: Option<String>,
    operations: Vec<String>,
}

impl Diff {
    pub fn new() -> Self {
        Self::default()
    }

    /// A file of the old version of the model; several are merged.
    pub fn old_model(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.old.push(path.as_ref().to_path_buf());
        self
    }

    /// A file of the new version of the model; several are merged.
    pub fn new_model(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.new.push(path.as_ref().to_path_buf());
        self
    }

    /// The service, when the models hold several (`ns#Name` or `Name`).
    pub fn service(&mut self, id: impl Into<String>) -> &mut Self {
        self.service = Some(id.into());
        self
    }

    /// Compares only this operation (and what it reaches); may be repeated.
    pub fn operation(&mut self, name: impl Into<String>) -> &mut Self {
        self.operations.push(name.into());
        self
    }

    /// Loads and lowers both versions and compares them.
    pub fn run(&self) -> Result<Report, Error> {
        if self.old.is_empty() || self.new.is_empty() {
            return Err(Error::Config(
                "a comparison needs an old and a new model".to_owned(),
            ));
        }
        let old = self.lower(&self.old)?;
        let new = self.lower(&self.new)?;
        for name in &self.operations {
            let known = |s: &ServiceIr| {
                s.operations
                    .iter()
                    .any(|op| op.wire_name == *name || op.shape_id.to_string() == *name)
            };
            if !known(&old) && !known(&new) {
                return Err(Error::Config(format!(
                    "operation `{name}` is in neither version of the model"
                )));
            }
        }
        let names = |files: &[PathBuf]| files.iter().map(|f| f.display().to_string()).collect();
        Ok(compare_sides(
            names(&self.old),
            &old,
            names(&self.new),
            &new,
        ))
    }

    fn lower(&self, models: &[PathBuf]) -> Result<ServiceIr, Error> {
        let mut config = Config::new();
        for model in models {
            config.model(model);
        }
        if let Some(service) = &self.service {
            config.service(service);
        }
        for op in &self.operations {
            config.operation(op);
        }
        config.skip_missing_operations();
        config.lower()
    }
}
