//! Reading the process environment.

/// The value of environment variable `name`, unless it is unset, empty or
/// not Unicode. Surrounding whitespace is trimmed.
pub(crate) fn value(name: &str) -> Option<String> {
    let value = std::env::var(name).ok()?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}
