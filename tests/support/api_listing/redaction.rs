//! What a hand-written `Debug` or `Display` hides.
//!
//! rustdoc describes signatures, not bodies, so this reads the source an
//! impl's span points at: the generated file for a `Debug` smithgen writes
//! out, the macro call for a `Display` a runtime macro expands. A generated
//! `Debug` redacts with the placeholder `*** Sensitive Data Redacted ***`:
//! in place of a field (`formatter.field("name", &"***…")`), of a union
//! variant's value (`debug_tuple("Name").field(&"***…")`) or of the whole
//! value (`f.write_str("***…")`). `modeled_error!` is told
//! `message(redacted)` when an error's message is sensitive.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

const PLACEHOLDER: &str = "\"*** Sensitive Data Redacted ***\"";

/// Reads the source of spans, each file once.
pub struct Sources {
    root: PathBuf,
    files: RefCell<HashMap<PathBuf, Option<String>>>,
}

impl Sources {
    pub fn new(root: &Path) -> Self {
        Sources {
            root: root.to_path_buf(),
            files: RefCell::default(),
        }
    }

    /// The lines a span covers, whole.
    fn text(&self, span: &Value) -> Option<String> {
        let file = self.root.join(span["filename"].as_str()?);
        let begin = span["begin"][0].as_u64()? as usize;
        let end = span["end"][0].as_u64()? as usize;
        let mut files = self.files.borrow_mut();
        let text = files
            .entry(file.clone())
            .or_insert_with(|| std::fs::read_to_string(&file).ok())
            .as_ref()?;
        let lines: Vec<&str> = text
            .lines()
            .skip(begin.saturating_sub(1))
            .take(end + 1 - begin.min(end))
            .collect();
        Some(lines.join("\n"))
    }

    /// A note on a `Debug` impl that is not derived: what it redacts.
    pub fn debug_note(&self, span: &Value) -> String {
        let Some(text) = self.text(span) else {
            return "hand-written".to_owned();
        };
        if text.contains(&format!("write_str({PLACEHOLDER})")) {
            return "hand-written; redacts the whole value".to_owned();
        }
        let mut redacted = Vec::new();
        for (before, _) in text.match_indices(&format!("&{PLACEHOLDER}")) {
            // The label before it: `.field("name", &"***…")` or
            // `.debug_tuple("Name").field(&"***…")`.
            let name = last_literal(&text[..before]);
            redacted.push(name.unwrap_or("?").to_owned());
        }
        if redacted.is_empty() {
            "hand-written".to_owned()
        } else {
            format!("hand-written; redacts {}", redacted.join(", "))
        }
    }

    /// A note on a `Display` impl that redacts, if it does.
    pub fn display_note(&self, span: &Value) -> Option<String> {
        let text = self.text(span)?;
        (text.contains("message(redacted)") || text.contains(PLACEHOLDER))
            .then(|| "redacts the message".to_owned())
    }
}

/// The last string literal in `text`, without its quotes.
fn last_literal(text: &str) -> Option<&str> {
    let end = text.rfind('"')?;
    let start = text[..end].rfind('"')?;
    Some(&text[start + 1..end])
}
