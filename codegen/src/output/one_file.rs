//! One file written on its own, for build scripts.

use std::fs;
use std::path::Path;

use super::error::{io_err, WriteError};
use super::siblings::temp_path;

/// Writes one file only if its bytes change (for build scripts: an unchanged
/// file keeps its mtime, so nothing that includes it rebuilds).
pub fn write_if_changed(path: &Path, contents: &str) -> Result<bool, WriteError> {
    match fs::read(path) {
        Ok(bytes) if bytes == contents.as_bytes() => return Ok(false),
        _ => {}
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let temp = temp_path(path);
    fs::write(&temp, contents).map_err(io_err(&temp))?;
    fs::rename(&temp, path).map_err(io_err(path))?;
    Ok(true)
}
