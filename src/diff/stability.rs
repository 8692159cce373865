//! How much a proposal moved between two analyses. Takes two module → context maps; returns contexts matched by
//! overlap, the adjusted Rand index and MoJoFM between the two partitions.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stability {
    /// Modules with a context on both sides: the partitions are compared on these.
    pub modules_compared: usize,
    /// Adjusted Rand index between the two partitions: 1 when identical, about 0 when unrelated.
    pub adjusted_rand_index: f64,
    /// MoJoFM of the new partition against the old one, in percent: 100 when identical.
    pub mojofm: f64,
    /// Contexts paired one to one by shared modules, largest overlap first.
    pub matched_contexts: Vec<ContextMatch>,
    /// Old contexts no new context matches.
    pub removed_contexts: Vec<String>,
    /// New contexts no old context matches.
    pub added_contexts: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ContextMatch {
    pub old: String,
    pub new: String,
    /// Modules in both.
    pub shared_modules: usize,
    /// Shared modules over the modules in either.
    pub jaccard: f64,
}

/// Compares two module → context maps (see `Analysis::context_by_module`).
pub fn compare(old: &BTreeMap<&str, &str>, new: &BTreeMap<&str, &str>) -> Stability {
    let common: Vec<&str> = old.keys().copied().filter(|m| new.contains_key(m)).collect();
    let number = |labels: Vec<&str>| -> Vec<usize> {
        let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
        labels
            .into_iter()
            .map(|l| {
                let next = ids.len();
                *ids.entry(l).or_insert(next)
            })
            .collect()
    };
    let a = number(common.iter().map(|m| new[m]).collect());
    let b = number(common.iter().map(|m| old[m]).collect());
    let (ari, mojofm) =
        if common.is_empty() { (1.0, 100.0) } else { (crate::cluster::adjusted_rand_index(&a, &b), mojofm(&a, &b)) };
    let (matched_contexts, removed_contexts, added_contexts) = match_contexts(old, new);
    Stability {
        modules_compared: common.len(),
        adjusted_rand_index: crate::model::round4(ari),
        mojofm: crate::model::round4(mojofm),
        matched_contexts,
        removed_contexts,
        added_contexts,
    }
}

fn members<'a>(map: &BTreeMap<&'a str, &'a str>) -> BTreeMap<&'a str, BTreeSet<&'a str>> {
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (module, context) in map {
        out.entry(*context).or_default().insert(*module);
    }
    out
}

/// Greedy one-to-one matching by shared modules (ties by Jaccard, then names), so each old context is paired with
/// the new context that took most of it.
fn match_contexts(
    old: &BTreeMap<&str, &str>,
    new: &BTreeMap<&str, &str>,
) -> (Vec<ContextMatch>, Vec<String>, Vec<String>) {
    let (old_members, new_members) = (members(old), members(new));
    let mut pairs = Vec::new();
    for (o, om) in &old_members {
        for (n, nm) in &new_members {
            let shared = om.intersection(nm).count();
            if shared > 0 {
                let jaccard = shared as f64 / (om.len() + nm.len() - shared) as f64;
                pairs.push((shared, jaccard, *o, *n));
            }
        }
    }
    pairs.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.total_cmp(&x.1)).then(x.2.cmp(y.2)).then(x.3.cmp(y.3)));
    let (mut used_old, mut used_new) = (BTreeSet::new(), BTreeSet::new());
    let mut matched = Vec::new();
    for (shared, jaccard, o, n) in pairs {
        if used_old.contains(o) || used_new.contains(n) {
            continue;
        }
        used_old.insert(o);
        used_new.insert(n);
        matched.push(ContextMatch {
            old: o.to_owned(),
            new: n.to_owned(),
            shared_modules: shared,
            jaccard: crate::model::round4(jaccard),
        });
    }
    let removed = old_members.keys().filter(|o| !used_old.contains(*o)).map(|o| (*o).to_owned()).collect();
    let added = new_members.keys().filter(|n| !used_new.contains(*n)).map(|n| (*n).to_owned()).collect();
    (matched, removed, added)
}

/// MoJoFM(A, B) = (1 − mno(A, B) / max mno(∀A, B)) × 100 (Wen and Tzerpos, 2004), where mno is the least number of
/// Move and Join operations turning partition `a` into the reference `b`. Both slices give each node's cluster.
pub fn mojofm(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len();
    let clusters_a = a.iter().max().map_or(0, |m| m + 1);
    let clusters_b = b.iter().max().map_or(0, |m| m + 1);
    // overlap[i][j]: nodes in A-cluster i and B-cluster j.
    let mut overlap = vec![BTreeMap::<usize, usize>::new(); clusters_a];
    let mut sizes_b = vec![0usize; clusters_b];
    for (&x, &y) in a.iter().zip(b) {
        *overlap[x].entry(y).or_default() += 1;
        sizes_b[y] += 1;
    }
    // Each A-cluster is tagged with the B-clusters it shares most nodes with; the nodes outside its tag must move.
    let mut moves = 0;
    let mut tags: Vec<Vec<usize>> = Vec::with_capacity(clusters_a);
    for row in &overlap {
        let best = row.values().copied().max().unwrap_or(0);
        moves += row.values().sum::<usize>() - best;
        tags.push(row.iter().filter(|(_, v)| **v == best).map(|(k, _)| *k).collect());
    }
    // A-clusters tagged alike must join: the fewest joins come from a maximum matching of clusters to tags.
    let groups = maximum_matching(&tags, clusters_b);
    let occupied_a = overlap.iter().filter(|r| !r.is_empty()).count();
    let mno = moves + occupied_a - groups;
    // The largest distance any partition can have from B: n − g, where g counts B's clusters the greedy way.
    let mut sorted = sizes_b.clone();
    sorted.retain(|s| *s > 0);
    sorted.sort_unstable();
    let mut g = 0;
    for size in sorted {
        if g < size {
            g += 1;
        }
    }
    let max = n - g;
    if max == 0 { 100.0 } else { (1.0 - mno as f64 / max as f64) * 100.0 }
}

/// Size of a maximum matching between left nodes (with their allowed right nodes) and `right` right nodes
/// (Kuhn's augmenting paths; contexts number in the hundreds at most).
fn maximum_matching(edges: &[Vec<usize>], right: usize) -> usize {
    fn augment(u: usize, edges: &[Vec<usize>], seen: &mut [bool], owner: &mut [Option<usize>]) -> bool {
        for &v in &edges[u] {
            if !seen[v] {
                seen[v] = true;
                if owner[v].is_none_or(|w| augment(w, edges, seen, owner)) {
                    owner[v] = Some(u);
                    return true;
                }
            }
        }
        false
    }
    let mut owner = vec![None; right];
    let mut size = 0;
    for u in 0..edges.len() {
        let mut seen = vec![false; right];
        if augment(u, edges, &mut seen, &mut owner) {
            size += 1;
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_partitions_score_full_marks_whatever_the_labels() {
        assert_eq!(mojofm(&[0, 0, 1, 1, 2], &[2, 2, 0, 0, 1]), 100.0);
    }

    #[test]
    fn mojofm_matches_hand_worked_cases() {
        // B = {1,2,3}{4,5,6}; A = {1,2}{3,4,5,6}: one move (3) gives B, max mno(∀A, B) = 6 − 2 = 4 → 75 %.
        assert_eq!(mojofm(&[0, 0, 1, 1, 1, 1], &[0, 0, 0, 1, 1, 1]), 75.0);
        // A = everything in one cluster: 3 moves, max 4 → 25 %.
        assert_eq!(mojofm(&[0; 6], &[0, 0, 0, 1, 1, 1]), 25.0);
        // A = singletons: 4 joins (each B-cluster's three singletons join into one), max 4 → 0 %.
        assert_eq!(mojofm(&[0, 1, 2, 3, 4, 5], &[0, 0, 0, 1, 1, 1]), 0.0);
        // B = {1,2}{3,4}; A = {1,3}{2,4}: each A-cluster ties between both tags; the matching gives each its own
        // group, so one move per cluster: mno 2, max 4 − 2 = 2 → 0 %.
        assert_eq!(mojofm(&[0, 1, 0, 1], &[0, 0, 1, 1]), 0.0);
    }

    #[test]
    fn contexts_are_matched_by_overlap_and_changes_are_named() {
        let map = |pairs: &[(&'static str, &'static str)]| pairs.iter().copied().collect::<BTreeMap<_, _>>();
        let old = map(&[("a", "orders"), ("b", "orders"), ("c", "billing"), ("d", "billing"), ("e", "users")]);
        let new = map(&[("a", "sales"), ("b", "sales"), ("c", "billing"), ("d", "sales"), ("f", "search")]);
        let s = compare(&old, &new);
        assert_eq!(s.modules_compared, 4);
        assert_eq!(
            s.matched_contexts.iter().map(|m| (m.old.as_str(), m.new.as_str(), m.shared_modules)).collect::<Vec<_>>(),
            vec![("orders", "sales", 2), ("billing", "billing", 1)]
        );
        assert_eq!(s.removed_contexts, vec!["users"]);
        assert_eq!(s.added_contexts, vec!["search"]);
        assert!(s.adjusted_rand_index < 1.0 && s.mojofm < 100.0);
    }
}
