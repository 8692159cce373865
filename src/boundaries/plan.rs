//! The strangler-fig extraction order: leaves first. Each round scores the contexts still in the monolith by how
//! much of the rest depends on them, the tables and transactions they share with it, and their size; extracts the
//! lowest; and scores again, since extracting a context changes what remains.

use std::collections::{BTreeMap, BTreeSet};

use super::{Proposal, quality, sorted_names};
use crate::model::{CallSiteRef, Context, ExtractionStep, SharedWith, StepTerms, TransactionRef, Warning, round4};

/// `score = INBOUND·inbound_modules + SHARED·shared_tables + CROSSING·crossing_transactions + size` (size in 0–1,
/// so it only breaks ties).
const INBOUND: f64 = 10.0;
const SHARED: f64 = 5.0;
const CROSSING: f64 = 5.0;

pub fn order(p: &Proposal, contexts: &[Context], _warnings: &[Warning]) -> Vec<ExtractionStep> {
    let k = p.members.len();
    let cycles = quality::context_cycles(p);
    // Each context's tables, once: every round and every step asks for them again.
    let touched: Vec<BTreeSet<&str>> = (0..k).map(|c| touched(p, c)).collect();
    let index = Index::new(p, &touched);
    let mut remaining: BTreeSet<usize> = (0..k).collect();
    let mut steps = Vec::with_capacity(k);
    while !remaining.is_empty() {
        let remaining_modules: usize = remaining.iter().map(|c| p.members[*c].len()).sum();
        let scored = remaining.iter().map(|&c| {
            let terms = index.terms(p, c, &remaining, remaining_modules);
            let score = INBOUND * terms.inbound_modules as f64
                + SHARED * terms.shared_tables as f64
                + CROSSING * terms.crossing_transactions as f64
                + terms.size;
            (c, terms, score)
        });
        let Some((c, terms, score)) =
            scored.min_by(|a, b| a.2.total_cmp(&b.2).then_with(|| p.names[a.0].cmp(&p.names[b.0])))
        else {
            break;
        };
        steps.push(step(p, contexts, &touched, c, &remaining, &cycles, steps.len() + 1, terms, score));
        remaining.remove(&c);
    }
    steps
}

/// What scoring a context needs, gathered in one pass so that each round costs only the context's own
/// neighbourhood: rescanning every arc, table and transaction for every context in every round was cubic, and
/// took minutes on a 200,000-module tree with hundreds of contexts.
struct Index<'a> {
    /// For context `c`: (other context, distinct modules of it that depend on `c`).
    inbound: Vec<Vec<(usize, usize)>>,
    /// For each table: the contexts that read or write it.
    table_contexts: BTreeMap<&'a str, BTreeSet<usize>>,
    touched: &'a [BTreeSet<&'a str>],
    /// For context `c`: the contexts of each transaction that involves `c`.
    transactions: Vec<Vec<BTreeSet<usize>>>,
}

impl<'a> Index<'a> {
    fn new(p: &Proposal, touched: &'a [BTreeSet<&'a str>]) -> Self {
        let k = p.members.len();
        let mut dependents: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); k];
        for &(from, to) in p.input.arcs.keys() {
            if let (Some(a), Some(b)) = (p.context_of[from], p.context_of[to])
                && a != b
            {
                dependents[b].insert(from);
            }
        }
        let inbound = dependents
            .iter()
            .map(|modules| {
                let mut by_context: BTreeMap<usize, usize> = BTreeMap::new();
                for m in modules {
                    if let Some(o) = p.context_of[*m] {
                        *by_context.entry(o).or_default() += 1;
                    }
                }
                by_context.into_iter().collect()
            })
            .collect();
        let mut table_contexts: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        for (c, tables) in touched.iter().enumerate() {
            for t in tables {
                table_contexts.entry(*t).or_default().insert(c);
            }
        }
        let mut transactions = vec![Vec::new(); k];
        for t in p.input.transactions {
            let involved = contexts_of_transaction(p, t);
            for c in &involved {
                transactions[*c].push(involved.clone());
            }
        }
        Index { inbound, table_contexts, touched, transactions }
    }

    fn terms(&self, p: &Proposal, c: usize, remaining: &BTreeSet<usize>, remaining_modules: usize) -> StepTerms {
        let other = |o: &usize| *o != c && remaining.contains(o);
        let inbound = self.inbound[c].iter().filter(|(o, _)| other(o)).map(|(_, n)| n).sum();
        let shared_tables = self.touched[c]
            .iter()
            .filter(|t| self.table_contexts.get(*t).is_some_and(|users| users.iter().any(other)))
            .count();
        let crossing = self.transactions[c].iter().filter(|involved| involved.iter().any(other)).count();
        StepTerms {
            inbound_modules: inbound,
            shared_tables,
            crossing_transactions: crossing,
            size: round4(p.members[c].len() as f64 / remaining_modules.max(1) as f64),
        }
    }
}

fn touched<'a>(p: &'a Proposal<'a>, c: usize) -> BTreeSet<&'a str> {
    p.members[c]
        .iter()
        .flat_map(|m| {
            let t = &p.input.modules[*m].tables;
            t.reads.iter().chain(&t.writes).map(String::as_str)
        })
        .collect()
}

fn contexts_of_transaction(p: &Proposal, transaction: &crate::model::Transaction) -> BTreeSet<usize> {
    transaction.modules.iter().filter_map(|path| p.context_of[*p.index.get(path.as_str())?]).collect()
}

#[allow(clippy::too_many_arguments)] // one step needs each of these; bundling them would only rename them
fn step(
    p: &Proposal,
    contexts: &[Context],
    touched: &[BTreeSet<&str>],
    c: usize,
    remaining: &BTreeSet<usize>,
    cycles: &[Vec<String>],
    number: usize,
    terms: StepTerms,
    score: f64,
) -> ExtractionStep {
    let modules = p.input.modules;
    let site = |s: &crate::coupling::CallSite| CallSiteRef {
        from: format!("{}#{}", modules[s.from_module].path, s.from_function),
        to: format!("{}#{}", modules[s.to_module].path, s.to_function),
        line: s.line,
    };
    let rest = |m: usize| p.context_of[m].is_some_and(|o| o != c && remaining.contains(&o));
    let mut calls_to_replace: Vec<CallSiteRef> = p
        .input
        .sites
        .iter()
        .filter(|s| p.context_of[s.to_module] == Some(c) && rest(s.from_module))
        .map(site)
        .collect();
    calls_to_replace.sort();
    calls_to_replace.dedup();
    let mut dependencies: Vec<CallSiteRef> = p
        .input
        .sites
        .iter()
        .filter(|s| p.context_of[s.from_module] == Some(c) && p.context_of[s.to_module].is_some_and(|o| o != c))
        .map(site)
        .collect();
    dependencies.sort();
    dependencies.dedup();

    let name = &p.names[c];
    let context = contexts.iter().find(|x| &x.name == name);
    let tables_shared = touched[c]
        .iter()
        .copied()
        .filter_map(|table| {
            let mut with: Vec<String> = (0..p.members.len())
                .filter(|o| *o != c && touched[*o].contains(table))
                .map(|o| p.names[o].clone())
                .collect();
            // Modules outside every context (infrastructure, entry points) that touch it stay in the monolith.
            let outside = modules.iter().enumerate().any(|(m, module)| {
                p.context_of[m].is_none()
                    && module.role != crate::model::Role::Migration
                    && (module.tables.reads.iter().chain(&module.tables.writes)).any(|t| t == table)
            });
            if outside {
                with.push("monolith".to_owned());
            }
            with.sort();
            (!with.is_empty()).then(|| SharedWith { table: table.to_owned(), with })
        })
        .collect();
    let transactions_to_break = p
        .input
        .transactions
        .iter()
        .filter_map(|t| {
            let involved = contexts_of_transaction(p, t);
            (involved.contains(&c) && involved.iter().any(|o| *o != c && remaining.contains(o))).then(|| {
                TransactionRef {
                    path: t.path.clone(),
                    function: t.function.clone(),
                    line: t.line,
                    tables: t.tables.clone(),
                    contexts: sorted_names(p, involved.into_iter()),
                }
            })
        })
        .collect();
    ExtractionStep {
        step: number,
        context: name.clone(),
        score: round4(score),
        terms,
        calls_to_replace,
        dependencies,
        tables_to_move: context.map(|x| x.tables_owned.clone()).unwrap_or_default(),
        tables_shared,
        transactions_to_break,
        routes: context.map(|x| x.routes.clone()).unwrap_or_default(),
        cycles: cycles.iter().filter(|cycle| cycle.contains(name)).cloned().collect(),
    }
}
