//! Comparing the auth schemes an operation's requests may use.

use crate::ir::{AuthScheme, OperationIr};

use super::change::{Change, ChangeKind};

fn name(scheme: &AuthScheme) -> &'static str {
    match scheme {
        AuthScheme::SigV4 => "SigV4",
        AuthScheme::HttpBearer => "bearer token",
        AuthScheme::Anonymous => "no auth",
    }
}

fn describe(schemes: &[AuthScheme]) -> String {
    schemes.iter().map(name).collect::<Vec<_>>().join(", ")
}

/// Schemes added after the others change nothing for a client that can
/// already send; a scheme gone, or another preferred, may leave it unable
/// to (no token configured for a now bearer-only operation).
pub(super) fn compare_auth(old: &OperationIr, new: &OperationIr, changes: &mut Vec<Change>) {
    if old.auth == new.auth {
        return;
    }
    let gone: Vec<&str> = old
        .auth
        .iter()
        .filter(|s| !new.auth.contains(s))
        .map(name)
        .collect();
    let appended = new.auth.starts_with(&old.auth);
    let (breaking, reason) = if !gone.is_empty() {
        (
            true,
            format!(
                "requests can no longer use {}: clients configured only for it fail before sending",
                gone.join(", ")
            ),
        )
    } else if appended {
        (
            false,
            "requests may also use another scheme, after those they used".to_owned(),
        )
    } else {
        (
            true,
            "another scheme is preferred: requests are authenticated differently".to_owned(),
        )
    };
    changes.push(
        Change::new(
            ChangeKind::AuthChanged,
            format!("{}::send()", new.fluent_builder),
            new.shape_id.to_string(),
            breaking,
            reason,
        )
        .was(Some(describe(&old.auth)), Some(describe(&new.auth))),
    );
}
