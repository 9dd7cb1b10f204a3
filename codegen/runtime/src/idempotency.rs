//! Idempotency tokens: the value an `@idempotencyToken` input member the
//! caller leaves unset is given before the request is serialized, so that a
//! retried request repeats the same token.
//!
//! By default each token is a fresh random (version 4) UUID; tests fix the
//! token with [`IdempotencyTokenProvider::fixed`].

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Makes the idempotency tokens of inputs that leave them unset.
#[derive(Clone, Debug, Default)]
pub struct IdempotencyTokenProvider {
    /// The one token to give, else a random UUID each time.
    fixed: Option<Arc<str>>,
}

impl IdempotencyTokenProvider {
    /// A fresh random version 4 UUID for each token (the default).
    pub fn random() -> Self {
        Self::default()
    }

    /// The same token every time, for tests.
    pub fn fixed(token: impl Into<String>) -> Self {
        IdempotencyTokenProvider {
            fixed: Some(token.into().into()),
        }
    }

    /// A token.
    pub fn make_token(&self) -> String {
        match &self.fixed {
            Some(token) => token.to_string(),
            None => random_uuid(),
        }
    }
}

/// 64 unpredictable bits: std's hasher keys are random for each process and
/// change with each `RandomState`; the time and `salt` are hashed too.
/// Tokens need to be unique, not secret.
fn random_u64(salt: u64) -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(salt);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(now);
    hasher.finish()
}

/// A random version 4 UUID in its lower-case hyphenated form
/// (`xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx`, `Y` one of `8 9 a b`).
fn random_uuid() -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&random_u64(1).to_le_bytes());
    bytes[8..].copy_from_slice(&random_u64(2).to_le_bytes());
    uuid_v4(bytes)
}

/// `bytes` as a version 4 (random), RFC 4122 variant UUID.
fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (index, byte) in bytes.iter().enumerate() {
        if matches!(index, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_the_version_4_form() {
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let token = IdempotencyTokenProvider::random().make_token();
        assert_eq!(token.len(), 36);
        assert_eq!(&token[14..15], "4");
        assert!(matches!(&token[19..20], "8" | "9" | "a" | "b"), "{token}");
    }

    #[test]
    fn random_tokens_differ_and_fixed_ones_do_not() {
        let random = IdempotencyTokenProvider::random();
        let tokens: std::collections::HashSet<String> =
            (0..1000).map(|_| random.make_token()).collect();
        assert_eq!(tokens.len(), 1000);
        let fixed = IdempotencyTokenProvider::fixed("t");
        assert_eq!(
            (fixed.make_token(), fixed.make_token()),
            ("t".into(), "t".into())
        );
    }
}
