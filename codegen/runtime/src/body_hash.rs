//! Hashes of a request body, computed before it is sent: the `Content-MD5`
//! of `smithy.api#httpChecksumRequired`, the SHA-256 SigV4 signs a streamed
//! body with, and the headers some services require over the body
//! (Glacier's `X-Amz-Content-Sha256` and `X-Amz-Sha256-Tree-Hash`).
//!
//! They are computed together in one pass over the body, chunk by
//! chunk, so that a streamed body is never held whole to be hashed.

use md5::Md5;
use sha2::{Digest, Sha256};

/// A hash of the body a request can carry in a header (see
/// [`RequestWriter::require_body_hash`](crate::request::RequestWriter::require_body_hash)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyHash {
    /// MD5, in base64 (`Content-MD5`).
    Md5,
    /// SHA-256, in lowercase hex (`X-Amz-Content-Sha256`).
    Sha256,
    /// Glacier's tree hash, in lowercase hex (`X-Amz-Sha256-Tree-Hash`):
    /// see [`tree_hash`].
    Sha256Tree,
}

/// The size of the chunks a tree hash hashes first: 1 MiB.
pub const TREE_HASH_CHUNK: usize = 1 << 20;

/// Glacier's tree hash of `data`: the SHA-256 of each 1 MiB chunk (the last
/// one may be shorter; empty data is one empty chunk), then, level by level,
/// the SHA-256 of each adjacent pair of hashes concatenated, a hash left
/// without a pair going up unchanged, until one hash is left.
pub fn tree_hash(data: &[u8]) -> [u8; 32] {
    let mut hasher = TreeHasher::default();
    hasher.update(data);
    hasher.finish()
}

/// Lowercase hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0xf)] as char);
    }
    out
}

/// The 32 bytes of a finished SHA-256.
fn sha256_bytes(hasher: Sha256) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(&hasher.finalize());
    out
}

/// A tree hash computed as the data arrives: one running SHA-256 for the
/// current chunk and the hashes of the chunks before it (32 bytes per MiB).
#[derive(Default)]
struct TreeHasher {
    chunk: Sha256,
    /// Bytes in the current chunk.
    filled: usize,
    leaves: Vec<[u8; 32]>,
}

impl TreeHasher {
    fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let take = (TREE_HASH_CHUNK - self.filled).min(data.len());
            self.chunk.update(&data[..take]);
            self.filled += take;
            data = &data[take..];
            if self.filled == TREE_HASH_CHUNK {
                let chunk = std::mem::take(&mut self.chunk);
                self.leaves.push(sha256_bytes(chunk));
                self.filled = 0;
            }
        }
    }

    fn finish(mut self) -> [u8; 32] {
        if self.filled > 0 || self.leaves.is_empty() {
            self.leaves.push(sha256_bytes(self.chunk));
        }
        let mut level = self.leaves;
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|pair| match pair {
                    [left, right] => {
                        let mut hasher = Sha256::new();
                        hasher.update(left);
                        hasher.update(right);
                        sha256_bytes(hasher)
                    }
                    [alone] => *alone,
                    _ => unreachable!("chunks of two"),
                })
                .collect();
        }
        level[0]
    }
}

/// Computes the hashes a request needs in one pass over its body.
#[derive(Default)]
pub(crate) struct Hasher {
    md5: Option<Md5>,
    sha256: Option<Sha256>,
    tree: Option<TreeHasher>,
}

impl Hasher {
    /// A hasher computing each of `hashes`.
    pub(crate) fn new(hashes: impl IntoIterator<Item = BodyHash>) -> Self {
        let mut hasher = Hasher::default();
        for hash in hashes {
            match hash {
                BodyHash::Md5 => hasher.md5 = Some(Md5::new()),
                BodyHash::Sha256 => hasher.sha256 = Some(Sha256::new()),
                BodyHash::Sha256Tree => hasher.tree = Some(TreeHasher::default()),
            }
        }
        hasher
    }

    /// Hashes the next bytes of the body.
    pub(crate) fn update(&mut self, chunk: &[u8]) {
        if let Some(md5) = &mut self.md5 {
            md5.update(chunk);
        }
        if let Some(sha256) = &mut self.sha256 {
            sha256.update(chunk);
        }
        if let Some(tree) = &mut self.tree {
            tree.update(chunk);
        }
    }

    /// The hashes of the whole body.
    pub(crate) fn finish(self) -> Digests {
        Digests {
            md5: self
                .md5
                .map(|md5| aws_smithy_types::base64::encode(md5.finalize().as_slice())),
            sha256: self.sha256.map(|sha256| hex(&sha256_bytes(sha256))),
            tree: self.tree.map(|tree| hex(&tree.finish())),
        }
    }
}

/// The hashes a [`Hasher`] computed, as header values.
#[derive(Debug, Default)]
pub(crate) struct Digests {
    md5: Option<String>,
    sha256: Option<String>,
    tree: Option<String>,
}

impl Digests {
    /// The hashes of `body`.
    pub(crate) fn of(body: &[u8], hashes: impl IntoIterator<Item = BodyHash>) -> Digests {
        let mut hasher = Hasher::new(hashes);
        hasher.update(body);
        hasher.finish()
    }

    /// The value of `hash`, when it was computed.
    pub(crate) fn get(&self, hash: BodyHash) -> Option<&str> {
        match hash {
            BodyHash::Md5 => self.md5.as_deref(),
            BodyHash::Sha256 => self.sha256.as_deref(),
            BodyHash::Sha256Tree => self.tree.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 from ring, an implementation independent of the one tested.
    fn sha256(parts: &[&[u8]]) -> [u8; 32] {
        let mut context = ring::digest::Context::new(&ring::digest::SHA256);
        for part in parts {
            context.update(part);
        }
        let mut out = [0; 32];
        out.copy_from_slice(context.finish().as_ref());
        out
    }

    /// The tree hash as Glacier's documentation describes it, computed
    /// naively from whole chunks.
    fn naive_tree_hash(data: &[u8]) -> [u8; 32] {
        let mut level: Vec<[u8; 32]> = if data.is_empty() {
            vec![sha256(&[b""])]
        } else {
            data.chunks(TREE_HASH_CHUNK).map(|c| sha256(&[c])).collect()
        };
        while level.len() > 1 {
            let mut next = Vec::new();
            for pair in level.chunks(2) {
                next.push(match pair {
                    [a, b] => sha256(&[a, b]),
                    [a] => *a,
                    _ => unreachable!(),
                });
            }
            level = next;
        }
        level[0]
    }

    #[test]
    fn one_chunk_is_its_sha256() {
        // The value the protocol tests expect for "hello world".
        assert_eq!(
            hex(&tree_hash(b"hello world")),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        assert_eq!(tree_hash(b""), sha256(&[b""]));
        let exactly_one = vec![7u8; TREE_HASH_CHUNK];
        assert_eq!(tree_hash(&exactly_one), sha256(&[&exactly_one]));
    }

    #[test]
    fn chunks_combine_pairwise_with_odd_ones_carried_up() {
        // 2 chunks, 3 (one carried up), 4, and 5 with a short last chunk.
        for len in [
            TREE_HASH_CHUNK + 1,
            2 * TREE_HASH_CHUNK,
            2 * TREE_HASH_CHUNK + 10,
            4 * TREE_HASH_CHUNK,
            4 * TREE_HASH_CHUNK + 12_345,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let expected = naive_tree_hash(&data);
            assert_eq!(tree_hash(&data), expected, "{len} bytes");
            // The same, fed in uneven pieces.
            let mut hasher = Hasher::new([BodyHash::Sha256Tree, BodyHash::Sha256]);
            for piece in data.chunks(65_537) {
                hasher.update(piece);
            }
            let digests = hasher.finish();
            assert_eq!(digests.get(BodyHash::Sha256Tree), Some(&*hex(&expected)));
            assert_eq!(
                digests.get(BodyHash::Sha256),
                Some(&*hex(&sha256(&[&data])))
            );
            assert_eq!(digests.get(BodyHash::Md5), None);
        }
        // Two chunks by hand: the hash of the two chunk hashes concatenated.
        let data = vec![1u8; TREE_HASH_CHUNK + 3];
        let left = sha256(&[&data[..TREE_HASH_CHUNK]]);
        let right = sha256(&[&data[TREE_HASH_CHUNK..]]);
        assert_eq!(tree_hash(&data), sha256(&[&left, &right]));
    }

    #[test]
    fn md5_is_base64_and_sha256_hex() {
        let digests = Digests::of(b"abc", [BodyHash::Md5, BodyHash::Sha256]);
        // RFC 1321's and FIPS 180-2's values for "abc".
        assert_eq!(digests.get(BodyHash::Md5), Some("kAFQmDzST7DWlj99KOF/cg=="));
        assert_eq!(
            digests.get(BodyHash::Sha256),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(digests.get(BodyHash::Sha256Tree), None);
    }
}
