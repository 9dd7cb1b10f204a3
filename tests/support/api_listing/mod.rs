//! The public API of a compiled crate as text: one item per line, in a
//! stable order, so that a diff of two listings is a review of an API change.
//!
//! Most of a generated crate's API is expanded from the runtime's
//! `macro_rules!` (`getter!`, `builder_setters!`, `operation_error!`, …), so
//! the listing is read from what rustdoc says of the compiled crate, after
//! expansion, not from the generator's IR: a change to a runtime macro shows
//! in it.
//!
//! Lines, sorted by the path of the item they belong to:
//!
//! - `crate <name>` first; then `pub mod crate::a::b`, `pub struct
//!   crate::a::S`, `pub enum …`, `pub fn …`, with their generics and
//!   `#[non_exhaustive]` / `#[deprecated]`; `{ private fields }` when a
//!   struct has fields users cannot see;
//! - `pub crate::a::S::field: Type`; `crate::a::E::Variant(Type)`;
//! - `pub fn crate::a::S::method(&self, input: impl Into<String>) -> Self`
//!   for each public inherent method (`const`, `type` likewise);
//! - `impl Trait for crate::a::S` for each trait impl, with its associated
//!   types, marked `(derived)`, `(auto)` (`Send`, `Sync`, `Unpin`,
//!   `UnwindSafe`, `RefUnwindSafe`), or, for a hand-written `Debug`, what it
//!   redacts (`(hand-written; redacts access_token)`) and, for a `Display`,
//!   `(redacts the message)` when it does; blanket impls of other crates'
//!   traits (`Into`, `Any`, …) are left out;
//! - `pub use crate::Client => crate::client::Client`: an item public at
//!   a second path (the first is where it is defined, else its shortest
//!   path); `pub use crate::error::SdkError => smithgen_runtime::error::SdkError`:
//!   another crate's item.
//!
//! Types are written with `crate::` paths for the crate's own items, the
//! short names of the standard library's (`Option`, `String`, `fmt::Result`)
//! and full paths for other crates'.

mod doc;
mod items;
mod redaction;
mod rustdoc;
mod types;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use doc::{crate_path, Doc};
use items::{Lister, Rank};
use redaction::Sources;
use types::Writer;

pub use rustdoc::{rustdoc_json, RustdocJson, KNOWN_FORMATS};

/// The listing of `package` in the workspace or package of `manifest`.
pub fn package_listing(
    manifest: &Path,
    package: &str,
    target_dir: &Path,
) -> Result<String, String> {
    listing(&rustdoc_json(manifest, package, target_dir)?)
}

/// The listing of what rustdoc wrote for one crate.
pub fn listing(rustdoc: &RustdocJson) -> Result<String, String> {
    let json = &rustdoc.json;
    let format = json["format_version"].as_u64().unwrap_or(0);
    let doc = Doc::new(json).map_err(|e| {
        let known = if KNOWN_FORMATS.contains(&format) {
            String::new()
        } else {
            format!(" (rustdoc JSON format {format}; this listing knows {KNOWN_FORMATS:?})")
        };
        format!("cannot read rustdoc's JSON: {e}{known}")
    })?;
    let name = doc
        .item(doc.root)
        .and_then(|r| r["name"].as_str())
        .unwrap_or("?")
        .to_owned();
    let mut lister = Lister {
        doc: &doc,
        w: Writer { doc: &doc },
        sources: Sources::new(&rustdoc.source_root),
        lines: BTreeSet::new(),
        seen_impls: BTreeSet::new(),
    };
    let public: Vec<(u64, Vec<Vec<String>>)> = doc
        .public_items()
        .map(|(id, paths)| (id, paths.iter().cloned().collect()))
        .collect();
    for (id, paths) in public {
        let Some(canonical) = doc.canonical(id).cloned() else {
            continue;
        };
        lister.item(id, &canonical);
        for alias in paths.iter().filter(|p| **p != canonical) {
            lister.lines.insert((
                alias.clone(),
                Rank::Declaration,
                format!(
                    "pub use {} => {}",
                    crate_path(alias),
                    crate_path(&canonical)
                ),
            ));
        }
    }
    for (path, what) in &doc.external_uses {
        lister.lines.insert((
            path.clone(),
            Rank::Declaration,
            format!("pub use {} => {what}", crate_path(path)),
        ));
    }
    other_impls(&mut lister, json);
    let mut text = format!("crate {name}\n");
    for (_, _, line) in &lister.lines {
        text.push_str(line);
        text.push('\n');
    }
    Ok(text)
}

/// The crate's impls on types of other crates (`impl From<E> for
/// smithgen_runtime::error::SdkError`), listed at the end: those on its own
/// types are listed with them.
fn other_impls(lister: &mut Lister, json: &Value) {
    let Some(index) = json["index"].as_object() else {
        return;
    };
    for (key, item) in index {
        let Ok(id) = key.parse::<u64>() else { continue };
        if lister.seen_impls.contains(&id) || item["crate_id"] != 0 {
            continue;
        }
        let Some(inner) = item["inner"].get("impl") else {
            continue;
        };
        let local_type = inner["for"]["resolved_path"]["id"]
            .as_u64()
            .is_some_and(|t| lister.doc.item(t).is_some());
        if local_type || !inner["blanket_impl"].is_null() || inner["trait"].is_null() {
            continue;
        }
        if let Some(text) = lister.trait_impl(id, inner) {
            lister.lines.insert((
                vec!["~impls on other crates' types".to_owned()],
                Rank::Trait,
                text,
            ));
        }
    }
}
