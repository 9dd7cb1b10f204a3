//! `Debug` for a generated structure and for the builder that holds one
//! (see [`holding_builder!`](crate::holding_builder)): one function prints
//! the members, under the structure's name or the builder's.

use std::fmt;

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
