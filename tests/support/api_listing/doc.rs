//! The crate rustdoc describes: its items by id, the paths of the items of
//! other crates, and where each public item of this crate can be named.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// A path inside the crate, without the crate's name (`["types", "Foo"]`).
pub type ItemPath = Vec<String>;

pub struct Doc<'a> {
    index: &'a serde_json::Map<String, Value>,
    paths: &'a serde_json::Map<String, Value>,
    /// Every public path of each item of this crate.
    public: BTreeMap<u64, BTreeSet<ItemPath>>,
    /// Public re-exports of other crates' items: where, and what.
    pub external_uses: Vec<(ItemPath, String)>,
    pub root: u64,
}

impl<'a> Doc<'a> {
    pub fn new(json: &'a Value) -> Result<Self, String> {
        let index = json["index"].as_object().ok_or("no `index`")?;
        let paths = json["paths"].as_object().ok_or("no `paths`")?;
        let root = json["root"].as_u64().ok_or("no `root`")?;
        let mut doc = Doc {
            index,
            paths,
            public: BTreeMap::new(),
            external_uses: Vec::new(),
            root,
        };
        doc.record(root, Vec::new());
        doc.walk(root, &Vec::new(), 0)?;
        doc.external_uses.sort();
        doc.external_uses.dedup();
        Ok(doc)
    }

    /// The item `id` of this crate, if rustdoc kept it.
    pub fn item(&self, id: u64) -> Option<&'a Value> {
        self.index.get(&id.to_string())
    }

    /// The item `id`'s kind (`struct`, `function`, ...) and what it holds.
    pub fn inner(&self, id: u64) -> Option<(&'a str, &'a Value)> {
        let item = self.item(id)?;
        let (kind, inner) = item["inner"].as_object()?.iter().next()?;
        Some((kind.as_str(), inner))
    }

    /// Every public item of this crate with its public paths.
    pub fn public_items(&self) -> impl Iterator<Item = (u64, &BTreeSet<ItemPath>)> {
        self.public.iter().map(|(id, paths)| (*id, paths))
    }

    /// The path an item is listed under: where it is defined when that is
    /// public, else its shortest public path (the first in order among
    /// equals). `None` for an item no public path reaches.
    pub fn canonical(&self, id: u64) -> Option<&ItemPath> {
        let paths = self.public.get(&id)?;
        let defined = self.paths.get(&id.to_string()).and_then(|p| {
            let segments: Vec<String> = p["path"]
                .as_array()?
                .iter()
                .skip(1)
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect();
            paths.get(&segments)
        });
        defined.or_else(|| paths.iter().min_by_key(|p| (p.len(), (*p).clone())))
    }

    /// How a type named by `id` is written in the listing: `crate::` and its
    /// canonical path for this crate's items; the short name for the
    /// standard library's; the full path for other crates'.
    pub fn type_path(&self, id: Option<u64>, written: &str) -> String {
        if let Some(id) = id {
            if let Some(path) = self.canonical(id) {
                return crate_path(path);
            }
            if let Some(entry) = self.paths.get(&id.to_string()) {
                let segments: Vec<&str> = entry["path"]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                if entry["crate_id"].as_u64() == Some(0) {
                    let inner: Vec<String> =
                        segments.iter().skip(1).map(|s| s.to_string()).collect();
                    return crate_path(&inner);
                }
                if let Some(short) = std_name(&segments) {
                    return short;
                }
                if !segments.is_empty() {
                    return segments.join("::");
                }
            }
        }
        written.trim_start_matches("::").to_owned()
    }

    fn record(&mut self, id: u64, path: ItemPath) {
        self.public.entry(id).or_default().insert(path);
    }

    /// Records every public item reachable from `module` at `path`.
    fn walk(&mut self, module: u64, path: &ItemPath, depth: usize) -> Result<(), String> {
        if depth > 32 {
            return Err(format!(
                "modules nested deeper than 32 at {}",
                path.join("::")
            ));
        }
        let Some(("module", inner)) = self.inner(module) else {
            return Err(format!("item {module} is not a module"));
        };
        let items: Vec<u64> = inner["items"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default();
        for id in items {
            let Some(item) = self.item(id) else { continue };
            if item["visibility"] != "public" {
                continue;
            }
            let Some((kind, inner)) = self.inner(id) else {
                continue;
            };
            if kind == "use" {
                self.walk_use(inner, path, depth)?;
                continue;
            }
            let Some(name) = item["name"].as_str() else {
                continue;
            };
            let mut at = path.clone();
            at.push(name.to_owned());
            self.record(id, at.clone());
            if kind == "module" {
                self.walk(id, &at, depth + 1)?;
            }
        }
        Ok(())
    }

    /// A `pub use`: the item it names becomes public at this path too (a
    /// module with everything in it); a glob brings in the module's items.
    fn walk_use(&mut self, used: &Value, path: &ItemPath, depth: usize) -> Result<(), String> {
        let name = used["name"].as_str().unwrap_or_default().to_owned();
        let source = used["source"].as_str().unwrap_or_default().to_owned();
        let target = used["id"].as_u64();
        let local = target.filter(|id| self.item(*id).is_some());
        let glob = used["is_glob"].as_bool().unwrap_or(false);
        match (local, glob) {
            (Some(id), true) => self.walk(id, path, depth + 1),
            (Some(id), false) => {
                let mut at = path.clone();
                at.push(name);
                self.record(id, at.clone());
                match self.inner(id) {
                    Some(("module", _)) => self.walk(id, &at, depth + 1),
                    _ => Ok(()),
                }
            }
            (None, glob) => {
                let mut at = path.clone();
                at.push(if glob { "*".to_owned() } else { name });
                let what = match target {
                    Some(id) => self.type_path(Some(id), &source),
                    None => source,
                };
                let what = if glob { format!("{what}::*") } else { what };
                self.external_uses.push((at, what));
                Ok(())
            }
        }
    }
}

/// `crate::a::b` for the path `[a, b]` (`crate` for the root).
pub fn crate_path(path: &[String]) -> String {
    std::iter::once("crate")
        .chain(path.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("::")
}

/// The standard library's items are written by name, as the prelude and a
/// user's `use` lines make them read (`Option`, `String`, `HashMap`), except
/// `Result` and `Error` outside their own modules (`fmt::Result`,
/// `io::Error`), which would be ambiguous.
fn std_name(segments: &[&str]) -> Option<String> {
    let (first, rest) = segments.split_first()?;
    if !matches!(*first, "std" | "core" | "alloc") {
        return None;
    }
    let name = rest.last()?;
    let parent = rest.len().checked_sub(2).map(|i| rest[i]);
    Some(match (*name, parent) {
        ("Result", Some(parent)) if parent != "result" => format!("{parent}::Result"),
        ("Error", Some(parent)) if parent != "error" => format!("{parent}::Error"),
        _ => (*name).to_owned(),
    })
}
