//! `credential_process`: credentials printed by a command.
//!
//! A profile's `credential_process` setting (see [`super::profile`]) is a
//! command line, run through the shell (`sh -c` on Unix, `cmd.exe /C` on
//! Windows) with the process's environment, on a thread of its own so that
//! no executor thread blocks. It must exit with status 0 and print a JSON
//! object:
//!
//! ```json
//! {
//!   "Version": 1,
//!   "AccessKeyId": "AKIA…",
//!   "SecretAccessKey": "…",
//!   "SessionToken": "…",
//!   "Expiration": "2024-05-01T12:00:00Z"
//! }
//! ```
//!
//! `SessionToken` and `Expiration` (RFC 3339) are optional; credentials with
//! an expiry are fetched anew ahead of it. A non-zero exit (whose message
//! quotes the start of what the command wrote to stderr), output that is not
//! such an object, or another `Version` is an error that stops the chain.
//! Error messages never quote the command's standard output.

use std::process::{Command, Output, Stdio};

use super::{parse_json_credentials, Credentials};

/// How much of the command's stderr an error message quotes, in bytes.
const STDERR_EXCERPT: usize = 300;

/// Runs `command` and reads the credentials it prints.
pub(crate) async fn credentials(command: &str) -> Result<Credentials, String> {
    let output = run(command)
        .await
        .map_err(|err| format!("cannot run credential_process `{command}`: {err}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim();
        let mut message = format!("credential_process `{command}` failed ({})", output.status);
        if !stderr.is_empty() {
            message.push_str(": ");
            message.push_str(excerpt(stderr, STDERR_EXCERPT));
        }
        return Err(message);
    }
    parse(&output.stdout).map_err(|err| format!("credential_process `{command}`: {err}"))
}

/// Reads the command's output.
fn parse(stdout: &[u8]) -> Result<Credentials, String> {
    let credentials = parse_json_credentials(stdout, "SessionToken")?;
    // The document parsed above, so this parse succeeds too.
    let document: serde_json::Value = serde_json::from_slice(stdout).unwrap_or_default();
    match document.get("Version") {
        Some(version) if version.as_u64() == Some(1) => Ok(credentials),
        Some(version) => Err(format!("unsupported `Version` {version} (expected 1)")),
        None => Err("`Version` is missing (expected 1)".to_owned()),
    }
}

/// At most `limit` bytes of `text`, cut at a character boundary.
fn excerpt(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Runs `command` through the shell on a thread of its own.
async fn run(command: &str) -> std::io::Result<Output> {
    let mut shell = if cfg!(windows) {
        let mut shell = Command::new("cmd.exe");
        shell.arg("/C");
        shell
    } else {
        let mut shell = Command::new("sh");
        shell.arg("-c");
        shell
    };
    shell
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("smithgen-credential-process".to_owned())
        .spawn(move || {
            // The receiver is gone only when the request was dropped.
            let _ = sender.send(shell.output());
        })?;
    receiver
        .await
        .unwrap_or_else(|_| Err(std::io::Error::other("the command's thread ended early")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        let ok = br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S"}"#;
        assert_eq!(parse(ok).unwrap(), Credentials::new("A", "S", None));
        let err = parse(br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"S"}"#).unwrap_err();
        assert_eq!(err, "unsupported `Version` 2 (expected 1)");
        let err = parse(br#"{"AccessKeyId":"A","SecretAccessKey":"S"}"#).unwrap_err();
        assert_eq!(err, "`Version` is missing (expected 1)");
    }

    #[test]
    fn excerpts_cut_at_characters() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("ééé", 3), "é");
    }
}
