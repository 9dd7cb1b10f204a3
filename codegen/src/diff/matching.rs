//! Pairing the items of two versions of a list (operations, types, members,
//! enum values…) by their Rust name, and what is left by what else they
//! have in common: one gone and one come that share it are one renamed.

/// A test of whether an item gone and an item come are the same one renamed.
pub(super) type SameItem<'t, T> = &'t dyn Fn(&T, &T) -> bool;

/// Two versions of a list, paired.
pub(super) struct Matched<'a, T> {
    /// In both, by name, in the new list's order.
    pub both: Vec<(&'a T, &'a T)>,
    /// Gone under one name and come under another, old then new.
    pub renamed: Vec<(&'a T, &'a T)>,
    pub removed: Vec<&'a T>,
    pub added: Vec<&'a T>,
}

/// Pairs `old` and `new` by `name`; then pairs what is left over with
/// each test of `same` in turn (the first that pairs an item wins).
pub(super) fn matched<'a, T>(
    old: &'a [T],
    new: &'a [T],
    name: impl Fn(&T) -> &str,
    same: &[SameItem<T>],
) -> Matched<'a, T> {
    let both = new
        .iter()
        .filter_map(|n| old.iter().find(|o| name(o) == name(n)).map(|o| (o, n)))
        .collect();
    let mut removed: Vec<&T> = old
        .iter()
        .filter(|o| !new.iter().any(|n| name(n) == name(o)))
        .collect();
    let mut added: Vec<&T> = new
        .iter()
        .filter(|n| !old.iter().any(|o| name(o) == name(n)))
        .collect();
    let mut renamed = Vec::new();
    for test in same {
        removed.retain(
            |gone| match added.iter().position(|come| test(gone, come)) {
                Some(i) => {
                    renamed.push((*gone, added.remove(i)));
                    false
                }
                None => true,
            },
        );
    }
    Matched {
        both,
        renamed,
        removed,
        added,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_by_name_then_by_each_test_in_turn() {
        // (name, what else identifies it)
        let old = [("a", 1), ("b", 2), ("c", 3), ("d", 9)];
        let new = [("a", 1), ("x", 3), ("y", 2), ("z", 8)];
        let m = matched(
            &old,
            &new,
            |i| i.0,
            &[&|o: &(&str, i32), n: &(&str, i32)| o.1 == n.1],
        );
        assert_eq!(m.both, [(&old[0], &new[0])]);
        assert_eq!(m.renamed, [(&old[1], &new[2]), (&old[2], &new[1])]);
        assert_eq!(m.removed, [&old[3]]);
        assert_eq!(m.added, [&new[3]]);
    }
}
