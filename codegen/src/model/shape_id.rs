//! Absolute shape ids (`namespace#Name`) and member ids (`namespace#Name$member`).

use std::fmt;

/// An absolute Smithy shape id such as `com.example#Widget`.
///
/// Ordering is by namespace, then by name, so maps keyed by `ShapeId` iterate
/// deterministically.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShapeId {
    pub namespace: String,
    pub name: String,
}

impl ShapeId {
    /// Builds an id from its parts without checking them; use [`ShapeId::parse`]
    /// for text that comes from a model.
    pub fn new(ns: &str, name: &str) -> ShapeId {
        ShapeId {
            namespace: ns.to_string(),
            name: name.to_string(),
        }
    }

    /// Parses an absolute shape id `namespace#Name`. Member ids (with `$`) are
    /// rejected; see [`ShapeId::parse_member`].
    pub fn parse(s: &str) -> Result<ShapeId, String> {
        match ShapeId::parse_member(s)? {
            (id, None) => Ok(id),
            (_, Some(_)) => Err(format!(
                "malformed shape id `{s}`: a member id (`$`) is not allowed here"
            )),
        }
    }

    /// Parses `namespace#Name` or `namespace#Name$member`.
    pub fn parse_member(s: &str) -> Result<(ShapeId, Option<String>), String> {
        let Some((namespace, rest)) = s.split_once('#') else {
            return Err(format!(
                "malformed shape id `{s}`: expected an absolute id of the form `namespace#Name`"
            ));
        };
        if !is_namespace(namespace) {
            return Err(format!(
                "malformed shape id `{s}`: namespace `{namespace}` must be dot-separated identifiers"
            ));
        }
        let (name, member) = match rest.split_once('$') {
            Some((name, member)) => (name, Some(member)),
            None => (rest, None),
        };
        if !is_identifier(name) {
            return Err(format!(
                "malformed shape id `{s}`: shape name `{name}` is not a valid identifier"
            ));
        }
        if let Some(member) = member {
            if !is_identifier(member) {
                return Err(format!(
                    "malformed shape id `{s}`: member name `{member}` is not a valid identifier"
                ));
            }
        }
        Ok((ShapeId::new(namespace, name), member.map(str::to_string)))
    }

    /// The member id text `namespace#Name$member`.
    pub fn with_member(&self, member: &str) -> String {
        format!("{self}${member}")
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.namespace, self.name)
    }
}

/// `[A-Za-z_][A-Za-z0-9_]*`
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One or more identifiers separated by single dots.
pub fn is_namespace(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(is_identifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_ids() {
        let id = ShapeId::parse("com.example#Widget").unwrap();
        assert_eq!(id, ShapeId::new("com.example", "Widget"));
        assert_eq!(id.to_string(), "com.example#Widget");
        assert_eq!(
            ShapeId::parse_member("a.b_c#_X1$m_2").unwrap(),
            (ShapeId::new("a.b_c", "_X1"), Some("m_2".to_string()))
        );
        assert_eq!(id.with_member("m"), "com.example#Widget$m");
    }

    #[test]
    fn rejects_malformed_ids() {
        for bad in [
            "",
            "#",
            "Widget",
            "ns#",
            "#Name",
            "ns.#Name",
            ".ns#Name",
            "ns..a#Name",
            "1ns#Name",
            "ns#1Name",
            "ns#Na-me",
            "ns#Name#Other",
            "ns#Name$",
            "ns#Name$1m",
            "ns#Name$a$b",
            "n s#Name",
            "ns#Näme",
        ] {
            assert!(ShapeId::parse_member(bad).is_err(), "accepted `{bad}`");
        }
        let err = ShapeId::parse("ns#Name$member").unwrap_err();
        assert!(err.contains("ns#Name$member"), "{err}");
    }

    #[test]
    fn orders_by_namespace_then_name() {
        let mut ids = [
            ShapeId::new("b", "A"),
            ShapeId::new("a", "Z"),
            ShapeId::new("a", "B"),
        ];
        ids.sort();
        let text: Vec<String> = ids.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["a#B", "a#Z", "b#A"]);
    }
}
