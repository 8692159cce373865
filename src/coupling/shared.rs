//! Coupling through data: module pairs sharing tables, transactions and foreign keys, and the combined coupling
//! graph that weighs them with calls and imports.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::Input;
use crate::model::{Coupling, CouplingEdge, CouplingReasons, Role, SharedTable, SharedTransaction, round4};

/// How two modules share one table.
fn table_score(a_writes: bool, b_writes: bool) -> (u8, usize) {
    match (a_writes, b_writes) {
        (true, true) => (2, 3),
        (true, false) | (false, true) => (1, 2),
        (false, false) => (0, 1),
    }
}

const MODES: [&str; 3] = ["read-read", "read-write", "write-write"];

/// Tables touched by more modules than this contribute no pairs (`docs/coupling-rules.md` §5).
pub const SHARED_TABLE_LIMIT: usize = 50;

#[derive(Default)]
struct Pair {
    tables: BTreeSet<String>,
    worst: u8,
    table_score: usize,
    transactions: usize,
    transaction_tables: BTreeSet<String>,
    foreign_keys: usize,
    calls: usize,
    imports: usize,
}

pub fn coupling(
    input: &Input,
    arcs: &BTreeMap<(usize, usize), usize>,
    call_sites: &BTreeMap<(usize, usize), usize>,
) -> Coupling {
    let n = input.modules.len();
    let takes_part = |m: usize| input.roles[m] != Role::Migration;
    let mut pairs: BTreeMap<(usize, usize), Pair> = BTreeMap::new();
    let key = |a: usize, b: usize| if a < b { (a, b) } else { (b, a) };

    // Who touches each table, and whether they write it.
    let mut touchers: BTreeMap<&str, BTreeMap<usize, bool>> = BTreeMap::new();
    for (m, tables) in input.module_tables.iter().enumerate().filter(|(m, _)| takes_part(*m)) {
        for t in &tables.reads {
            touchers.entry(t).or_default().entry(m).or_insert(false);
        }
        for t in &tables.writes {
            touchers.entry(t).or_default().insert(m, true);
        }
    }
    for (table, modules) in &touchers {
        let list: Vec<(usize, bool)> = modules.iter().map(|(m, w)| (*m, *w)).collect();
        // A table touched by most of the code base is shared by everyone: its pairs grow quadratically (300 modules
        // make 44,850) and say nothing about where boundaries run, so it contributes none.
        if list.len() > SHARED_TABLE_LIMIT {
            continue;
        }
        for (i, &(a, a_writes)) in list.iter().enumerate() {
            for &(b, b_writes) in &list[i + 1..] {
                let pair = pairs.entry(key(a, b)).or_default();
                let (mode, score) = table_score(a_writes, b_writes);
                pair.tables.insert((*table).to_owned());
                pair.worst = pair.worst.max(mode);
                pair.table_score += score;
            }
        }
    }

    let index: HashMap<&str, usize> = input.modules.iter().enumerate().map(|(i, m)| (m.path.as_str(), i)).collect();
    for transaction in input.transactions {
        let members: Vec<usize> = transaction
            .modules
            .iter()
            .filter_map(|p| index.get(p.as_str()).copied())
            .filter(|m| takes_part(*m))
            .collect();
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                let pair = pairs.entry(key(a, b)).or_default();
                pair.transactions += 1;
                pair.transaction_tables.extend(transaction.tables.iter().cloned());
            }
        }
    }

    // A foreign key between tables touched by two different modules is weaker evidence of coupling.
    for table in input.tables {
        for fk in &table.foreign_keys {
            if fk.references == table.name {
                continue;
            }
            let (Some(from), Some(to)) = (touchers.get(table.name.as_str()), touchers.get(fk.references.as_str()))
            else {
                continue;
            };
            if from.len() > SHARED_TABLE_LIMIT || to.len() > SHARED_TABLE_LIMIT {
                continue;
            }
            let mut seen = BTreeSet::new();
            for &a in from.keys() {
                for &b in to.keys() {
                    if a != b && seen.insert(key(a, b)) {
                        pairs.entry(key(a, b)).or_default().foreign_keys += 1;
                    }
                }
            }
        }
    }

    for (&(from, to), &count) in arcs {
        let calls = call_sites.get(&(from, to)).copied().unwrap_or(0);
        let pair = pairs.entry(key(from, to)).or_default();
        pair.calls += calls;
        pair.imports += count - calls;
    }

    let path = |m: usize| input.modules[m].path.clone();
    let w = input.options.weights;
    let mut coupling = Coupling::default();
    for (&(a, b), pair) in &pairs {
        debug_assert!(a < b && b < n);
        if !pair.tables.is_empty() {
            coupling.shared_tables.push(SharedTable {
                a: path(a),
                b: path(b),
                tables: pair.tables.iter().cloned().collect(),
                mode: MODES[pair.worst as usize].to_owned(),
            });
        }
        if pair.transactions > 0 {
            coupling.shared_transactions.push(SharedTransaction {
                a: path(a),
                b: path(b),
                transactions: pair.transactions,
                tables: pair.transaction_tables.iter().cloned().collect(),
            });
        }
        let weight = w.call * pair.calls as f64
            + w.import * pair.imports as f64
            + w.table * pair.table_score as f64
            + w.transaction * pair.transactions as f64
            + w.foreign_key * pair.foreign_keys as f64;
        if weight > 0.0 {
            coupling.edges.push(CouplingEdge {
                a: path(a),
                b: path(b),
                weight: round4(weight),
                reasons: CouplingReasons {
                    calls: pair.calls,
                    imports: pair.imports,
                    tables: pair.tables.iter().cloned().collect(),
                    transactions: pair.transactions,
                    foreign_keys: pair.foreign_keys,
                },
            });
        }
    }
    coupling
}
