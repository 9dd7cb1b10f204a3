//! Output: the module tree laid out as files, each module's items rendered
//! (see [`crate::render::Items`]) and formatted with prettyplease, and
//! written only where bytes change, as one atomic replacement of the whole
//! tree (see [`write()`]).

mod error;
mod files;
mod format;
mod lock;
mod manifest;
mod one_file;
mod parallel;
mod pool;
#[cfg(test)]
mod scratch;
mod siblings;
mod transaction;
mod tree;

pub use error::WriteError;
pub use files::{crate_sources, single_file};
pub use format::{format_file, FormatError, HEADER};
pub use lock::lock_path;
pub use manifest::{check, MANIFEST};
pub use one_file::write_if_changed;
pub use parallel::crate_sources_parallel;
pub use transaction::{write, WriteReport, Writer};
