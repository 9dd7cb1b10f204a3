//! `Debug` for a generated structure and for the builder that holds one
//! (see [`holding_builder!`](crate::holding_builder)): one body prints the
//! members, under the structure's name or the builder's.

use std::fmt;

/// Prints a structure's members as `#[derive(Debug)]` prints them, under
/// the name given.
#[doc(hidden)]
pub trait DebugMembers {
    /// `name { member: value, .. }`, or `name` alone without members.
    fn fmt_members(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// `name { names[0]: values[0], .. }`, as `#[derive(Debug)]` writes it
/// (`{:#?}` included).
#[inline]
pub fn members(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    names: &[&str],
    values: &[&dyn fmt::Debug],
) -> fmt::Result {
    let mut out = f.debug_struct(name);
    for (name, value) in names.iter().zip(values) {
        out.field(name, value);
    }
    out.finish()
}
