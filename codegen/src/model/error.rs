//! The loader's error type.

use std::fmt;

/// An error found while reading, resolving or validating a model.
///
/// Every field that is known is filled in: the file the offending definition
/// came from, the shape and member it concerns, and a JSON path into that file.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelError {
    pub file: Option<String>,
    pub shape: Option<String>,
    pub member: Option<String>,
    pub json_path: Option<String>,
    pub message: String,
}

impl ModelError {
    /// An error with only a message; add context with the builder methods.
    pub fn new(message: impl Into<String>) -> ModelError {
        ModelError {
            file: None,
            shape: None,
            member: None,
            json_path: None,
            message: message.into(),
        }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> ModelError {
        self.file = Some(file.into());
        self
    }

    pub fn in_shape(mut self, shape: impl Into<String>) -> ModelError {
        self.shape = Some(shape.into());
        self
    }

    pub fn in_member(mut self, member: impl Into<String>) -> ModelError {
        self.member = Some(member.into());
        self
    }

    pub fn at(mut self, json_path: impl Into<String>) -> ModelError {
        self.json_path = Some(json_path.into());
        self
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        match (&self.shape, &self.member) {
            (Some(shape), Some(member)) => write!(f, "shape `{shape}`, member `{member}`: ")?,
            (Some(shape), None) => write!(f, "shape `{shape}`: ")?,
            (None, Some(member)) => write!(f, "member `{member}`: ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)?;
        if let Some(path) = &self.json_path {
            write!(f, " (at {path})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ModelError {}

/// A JSON path such as `$.shapes["ns#Foo"].members.bar.target`, built up
/// without allocating as the loader descends and written out only when an
/// error names it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum JsonPath<'a> {
    /// `$.shapes["<key>"]`.
    Shape(&'a str),
    /// A property of the path before it.
    Prop(&'a JsonPath<'a>, &'a str),
    /// An array index of the path before it.
    Index(&'a JsonPath<'a>, usize),
}

impl<'a> JsonPath<'a> {
    pub(crate) fn prop(&'a self, key: &'a str) -> JsonPath<'a> {
        JsonPath::Prop(self, key)
    }

    pub(crate) fn index(&'a self, i: usize) -> JsonPath<'a> {
        JsonPath::Index(self, i)
    }
}

impl fmt::Display for JsonPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonPath::Shape(key) => f.write_str(&shape_path(key)),
            JsonPath::Prop(base, key) => f.write_str(&prop(&base.to_string(), key)),
            JsonPath::Index(base, i) => f.write_str(&index(&base.to_string(), *i)),
        }
    }
}

/// Builds JSON paths such as `$.shapes["ns#Foo"].members.bar.target`.
pub(crate) fn shape_path(key: &str) -> String {
    format!("$.shapes[{}]", quote(key))
}

/// Appends an object property to a JSON path: `.name` for identifier-like
/// keys, `["key"]` otherwise.
pub(crate) fn prop(path: &str, key: &str) -> String {
    if super::shape_id::is_identifier(key) {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", quote(key))
    }
}

/// Appends an array index to a JSON path.
pub(crate) fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn quote(key: &str) -> String {
    serde_json::Value::String(key.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_everything_known() {
        let e = ModelError::new("target `ns#Missing` does not exist")
            .in_file("model/x.json")
            .in_shape("ns#Foo")
            .in_member("bar")
            .at(prop(
                &prop(&prop(&shape_path("ns#Foo"), "members"), "bar"),
                "target",
            ));
        assert_eq!(
            e.to_string(),
            "model/x.json: shape `ns#Foo`, member `bar`: target `ns#Missing` does not exist \
             (at $.shapes[\"ns#Foo\"].members.bar.target)"
        );
        assert_eq!(ModelError::new("boom").to_string(), "boom");
        let shape = JsonPath::Shape("ns#Foo");
        let members = shape.prop("members");
        let member = members.prop("a b");
        assert_eq!(
            member.prop("target").to_string(),
            prop(
                &prop(&prop(&shape_path("ns#Foo"), "members"), "a b"),
                "target"
            )
        );
        let mixins = shape.prop("mixins");
        assert_eq!(
            mixins.index(2).to_string(),
            "$.shapes[\"ns#Foo\"].mixins[2]"
        );
        assert_eq!(prop("$", "a b"), "$[\"a b\"]");
        assert_eq!(index("$.x", 3), "$.x[3]");
    }
}
