//! The lines of one public item: its declaration, its fields or variants,
//! its inherent methods and the trait impls it has.

use std::collections::BTreeSet;

use serde_json::Value;

use super::doc::{crate_path, Doc, ItemPath};
use super::redaction::Sources;
use super::types::{list, Writer};

/// Where a line sorts: under the item it belongs to, then by what it says
/// of it (declaration, fields and variants, inherent items, trait impls),
/// then by its text.
pub type Line = (ItemPath, Rank, String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    Declaration,
    Member,
    Inherent,
    Trait,
}

/// The auto traits worth listing: a type that stops being `Send` breaks its
/// users. (rustdoc also lists unstable ones, `Freeze` and `UnsafeUnpin`,
/// which a user cannot name.)
const AUTO_TRAITS: &[&str] = &["Send", "Sync", "Unpin", "UnwindSafe", "RefUnwindSafe"];

/// Traits a user never names: the compiler's marker of a derived `PartialEq`.
const UNNAMEABLE: &[&str] = &["StructuralPartialEq"];

pub struct Lister<'d, 'a> {
    pub doc: &'d Doc<'a>,
    pub w: Writer<'d, 'a>,
    pub sources: Sources,
    pub lines: BTreeSet<Line>,
    /// The impls listed under their type, so that none is listed twice.
    pub seen_impls: BTreeSet<u64>,
}

impl Lister<'_, '_> {
    fn push(&mut self, path: &ItemPath, rank: Rank, text: String) {
        self.lines.insert((path.clone(), rank, text));
    }

    /// Lists the item `id` at its canonical `path`.
    pub fn item(&mut self, id: u64, path: &ItemPath) {
        let Some((kind, inner)) = self.doc.inner(id) else {
            return;
        };
        let item = self.doc.item(id).expect("an item with an inner part");
        let p = crate_path(path);
        let notes = attribute_notes(item);
        match kind {
            "module" if path.is_empty() => {}
            "module" => self.push(path, Rank::Declaration, format!("pub mod {p}")),
            "struct" | "union" => {
                let generics = &inner["generics"];
                let shape = match &inner["kind"] {
                    Value::String(unit) if unit == "unit" => ";".to_owned(),
                    kind if kind.get("tuple").is_some() => {
                        let fields: Vec<String> = list(&kind["tuple"])
                            .iter()
                            .map(|f| match f.as_u64() {
                                Some(f) => self.field_type(f),
                                None => "_".to_owned(),
                            })
                            .collect();
                        format!("({})", fields.join(", "))
                    }
                    kind => {
                        let fields = list(&kind["plain"]["fields"]).to_vec();
                        let fields = if fields.is_empty() {
                            list(&inner["fields"]).to_vec()
                        } else {
                            fields
                        };
                        for field in fields.iter().filter_map(Value::as_u64) {
                            self.field(field, path);
                        }
                        let stripped = kind["plain"]["has_stripped_fields"] == true
                            || inner["has_stripped_fields"] == true;
                        if stripped { " { private fields }" } else { "" }.to_owned()
                    }
                };
                self.push(
                    path,
                    Rank::Declaration,
                    format!(
                        "pub {kind} {p}{}{}{shape}{notes}",
                        self.w.params(&generics["params"]),
                        self.w.where_clause(generics)
                    ),
                );
                self.impls(&inner["impls"], path);
            }
            "enum" => {
                let generics = &inner["generics"];
                let stripped = if inner["has_stripped_variants"] == true {
                    " { private variants }"
                } else {
                    ""
                };
                self.push(
                    path,
                    Rank::Declaration,
                    format!(
                        "pub enum {p}{}{}{stripped}{notes}",
                        self.w.params(&generics["params"]),
                        self.w.where_clause(generics)
                    ),
                );
                for variant in list(&inner["variants"]).iter().filter_map(Value::as_u64) {
                    self.variant(variant, path);
                }
                self.impls(&inner["impls"], path);
            }
            "function" => {
                let text = format!(
                    "pub {}fn {p}{}{notes}",
                    self.w.qualifiers(inner),
                    self.w.signature(inner)
                );
                self.push(path, Rank::Declaration, text);
            }
            "constant" => {
                let text = format!("pub const {p}: {}{notes}", self.w.ty(&inner["type"]));
                self.push(path, Rank::Declaration, text);
            }
            "static" => {
                let mutability = if inner["is_mutable"] == true {
                    "mut "
                } else {
                    ""
                };
                let text = format!(
                    "pub static {mutability}{p}: {}{notes}",
                    self.w.ty(&inner["type"])
                );
                self.push(path, Rank::Declaration, text);
            }
            "type_alias" => {
                let generics = &inner["generics"];
                let text = format!(
                    "pub type {p}{} = {}{}{notes}",
                    self.w.params(&generics["params"]),
                    self.w.ty(&inner["type"]),
                    self.w.where_clause(generics)
                );
                self.push(path, Rank::Declaration, text);
            }
            "trait" => {
                let generics = &inner["generics"];
                let bounds = if list(&inner["bounds"]).is_empty() {
                    String::new()
                } else {
                    format!(": {}", self.w.bounds(&inner["bounds"]))
                };
                let text = format!(
                    "pub trait {p}{}{bounds}{}{notes}",
                    self.w.params(&generics["params"]),
                    self.w.where_clause(generics)
                );
                self.push(path, Rank::Declaration, text);
                for member in list(&inner["items"]).iter().filter_map(Value::as_u64) {
                    self.associated(member, path, "");
                }
            }
            "macro" | "proc_macro" => self.push(path, Rank::Declaration, format!("macro {p}!")),
            other => self.push(path, Rank::Declaration, format!("{other} {p}{notes}")),
        }
    }

    fn field_type(&self, id: u64) -> String {
        match self.doc.inner(id) {
            Some(("struct_field", ty)) => self.w.ty(ty),
            _ => "_".to_owned(),
        }
    }

    /// `pub crate::X::name: Type` for a public field.
    fn field(&mut self, id: u64, owner: &ItemPath) {
        let Some(item) = self.doc.item(id) else {
            return;
        };
        if item["visibility"] != "public" {
            return;
        }
        let name = item["name"].as_str().unwrap_or("_");
        let text = format!(
            "pub {}::{name}: {}{}",
            crate_path(owner),
            self.field_type(id),
            attribute_notes(item)
        );
        self.push(owner, Rank::Member, text);
    }

    /// `crate::E::Name`, `crate::E::Name(T)` or `crate::E::Name { a: T }`.
    fn variant(&mut self, id: u64, owner: &ItemPath) {
        let Some(item) = self.doc.item(id) else {
            return;
        };
        let Some(("variant", inner)) = self.doc.inner(id) else {
            return;
        };
        let name = item["name"].as_str().unwrap_or("_");
        let kind = &inner["kind"];
        let shape = if let Some(fields) = kind.get("tuple") {
            let types: Vec<String> = list(fields)
                .iter()
                .map(|f| f.as_u64().map_or("_".to_owned(), |f| self.field_type(f)))
                .collect();
            format!("({})", types.join(", "))
        } else if let Some(fields) = kind.get("struct") {
            let mut parts: Vec<String> = list(&fields["fields"])
                .iter()
                .filter_map(Value::as_u64)
                .map(|f| {
                    let name = self
                        .doc
                        .item(f)
                        .and_then(|i| i["name"].as_str())
                        .unwrap_or("_");
                    format!("{name}: {}", self.field_type(f))
                })
                .collect();
            if fields["has_stripped_fields"] == true {
                parts.push("..".to_owned());
            }
            format!(" {{ {} }}", parts.join(", "))
        } else {
            String::new()
        };
        let discriminant = inner["discriminant"]["expr"]
            .as_str()
            .map(|e| format!(" = {e}"))
            .unwrap_or_default();
        let text = format!(
            "{}::{name}{shape}{discriminant}{}",
            crate_path(owner),
            attribute_notes(item)
        );
        self.push(owner, Rank::Member, text);
    }

    /// A function, constant or type of an impl or trait, under `owner`.
    fn associated(&mut self, id: u64, owner: &ItemPath, visibility: &str) {
        let Some(item) = self.doc.item(id) else {
            return;
        };
        let Some((kind, inner)) = self.doc.inner(id) else {
            return;
        };
        let name = item["name"].as_str().unwrap_or("_");
        let p = format!("{}::{name}", crate_path(owner));
        let notes = attribute_notes(item);
        let text = match kind {
            "function" => format!(
                "{visibility}{}fn {p}{}{notes}",
                self.w.qualifiers(inner),
                self.w.signature(inner)
            ),
            "assoc_const" => format!(
                "{visibility}const {p}: {}{notes}",
                self.w.ty(&inner["type"])
            ),
            "assoc_type" => {
                let value = match inner.get("type").filter(|t| !t.is_null()) {
                    Some(ty) => format!(" = {}", self.w.ty(ty)),
                    None => String::new(),
                };
                format!("{visibility}type {p}{value}{notes}")
            }
            other => format!("{visibility}{other} {p}"),
        };
        self.push(owner, Rank::Inherent, text);
    }

    /// The impls of the type at `owner`: public inherent items, and a line
    /// per trait impl (blanket impls of other crates' traits left out).
    fn impls(&mut self, impls: &Value, owner: &ItemPath) {
        // The auto traits of a type go on one line (`impl Send + Sync + ..`):
        // they are one fact about it, and a line each would be most of a
        // listing.
        let mut auto = Vec::new();
        for id in list(impls).iter().filter_map(Value::as_u64) {
            self.seen_impls.insert(id);
            let Some(("impl", inner)) = self.doc.inner(id) else {
                continue;
            };
            if !inner["blanket_impl"].is_null() {
                continue;
            }
            if inner["trait"].is_null() {
                for member in list(&inner["items"]).iter().filter_map(Value::as_u64) {
                    let public = self
                        .doc
                        .item(member)
                        .is_some_and(|m| m["visibility"] == "public");
                    if public {
                        self.associated(member, owner, "pub ");
                    }
                }
                continue;
            }
            if let Some(name) = self.plain_auto_trait(inner) {
                auto.push(name);
                continue;
            }
            if let Some(text) = self.trait_impl(id, inner) {
                self.push(owner, Rank::Trait, text);
            }
        }
        if !auto.is_empty() {
            auto.sort_by_key(|name| {
                let bare = name.trim_start_matches('!');
                AUTO_TRAITS.iter().position(|t| *t == bare)
            });
            let text = format!("impl {} for {} (auto)", auto.join(" + "), crate_path(owner));
            self.push(owner, Rank::Trait, text);
        }
    }

    /// `Send` or `!Send` for a listed auto trait's impl with no generics of
    /// its own (listed with the others on one line).
    fn plain_auto_trait(&self, inner: &Value) -> Option<String> {
        if inner["is_synthetic"] != true
            || !list(&inner["generics"]["params"]).is_empty()
            || !list(&inner["generics"]["where_predicates"]).is_empty()
        {
            return None;
        }
        let t = &inner["trait"];
        let name = self
            .doc
            .type_path(t["id"].as_u64(), t["path"].as_str().unwrap_or("_"));
        if !AUTO_TRAITS.contains(&name.as_str()) {
            return None;
        }
        let negative = if inner["is_negative"] == true {
            "!"
        } else {
            ""
        };
        Some(format!("{negative}{name}"))
    }

    /// `impl<..> Trait<..> for Type where .. { type X = Y } (notes)`, or
    /// `None` for an impl not worth listing.
    pub fn trait_impl(&self, id: u64, inner: &Value) -> Option<String> {
        let trait_path = &inner["trait"];
        let trait_name = self.doc.type_path(
            trait_path["id"].as_u64(),
            trait_path["path"].as_str().unwrap_or("_"),
        );
        if UNNAMEABLE.contains(&trait_name.as_str()) {
            return None;
        }
        if inner["is_synthetic"] == true && !AUTO_TRAITS.contains(&trait_name.as_str()) {
            return None;
        }
        let item = self.doc.item(id)?;
        let generics = &inner["generics"];
        let negative = if inner["is_negative"] == true {
            "!"
        } else {
            ""
        };
        let unsafety = if inner["is_unsafe"] == true {
            "unsafe "
        } else {
            ""
        };
        let types: Vec<String> = list(&inner["items"])
            .iter()
            .filter_map(Value::as_u64)
            .filter_map(|member| {
                let name = self.doc.item(member)?["name"].as_str()?;
                match self.doc.inner(member)? {
                    ("assoc_type", t) => Some(format!("type {name} = {}", self.w.ty(&t["type"]))),
                    ("assoc_const", c) => Some(format!("const {name}: {}", self.w.ty(&c["type"]))),
                    _ => None,
                }
            })
            .collect();
        let body = if types.is_empty() {
            String::new()
        } else {
            format!(" {{ {} }}", types.join("; "))
        };
        let note = self.impl_note(item, inner, &trait_name);
        Some(format!(
            "{unsafety}impl{} {negative}{} for {}{}{body}{note}",
            self.w.params(&generics["params"]),
            self.w.path(trait_path),
            self.w.ty(&inner["for"]),
            self.w.where_clause(generics),
        ))
    }

    /// ` (derived)`, ` (auto)`, or what a hand-written `Debug` or `Display`
    /// redacts.
    fn impl_note(&self, item: &Value, inner: &Value, trait_name: &str) -> String {
        if inner["is_synthetic"] == true {
            return " (auto)".to_owned();
        }
        let derived = list(&item["attrs"])
            .iter()
            .any(|a| attribute_text(a) == "automatically_derived");
        if derived {
            return " (derived)".to_owned();
        }
        match trait_name {
            "Debug" => format!(" ({})", self.sources.debug_note(&item["span"])),
            "Display" => self
                .sources
                .display_note(&item["span"])
                .map(|n| format!(" ({n})"))
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// ` #[non_exhaustive]`, ` #[deprecated]`: what an item's attributes change
/// for its users.
fn attribute_notes(item: &Value) -> String {
    let mut notes = String::new();
    if list(&item["attrs"])
        .iter()
        .any(|a| attribute_text(a).contains("non_exhaustive"))
    {
        notes.push_str(" #[non_exhaustive]");
    }
    if !item["deprecation"].is_null() {
        notes.push_str(" #[deprecated]");
    }
    notes
}

/// An attribute as rustdoc gives it: a name (`non_exhaustive`), or
/// `{"other": "#[...]"}` and the like.
fn attribute_text(attr: &Value) -> String {
    match attr {
        Value::String(s) => s.clone(),
        Value::Object(o) => o
            .iter()
            .next()
            .map(|(k, v)| v.as_str().map_or_else(|| k.clone(), str::to_owned))
            .unwrap_or_default(),
        _ => String::new(),
    }
}
