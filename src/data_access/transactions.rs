//! Transactions: finds transaction scopes (BEGIN…COMMIT on one client, library callbacks, queryRunner,
//! decorated methods, a project's own wrapper) and the tables each changes together, following calls made
//! inside the scope through the call graph.

use std::collections::{BTreeSet, HashSet};

use super::constants::{Constants, Scope as ConstScope};
use super::{Access, Input};
use crate::call_graph::FunctionId;
use crate::facts::{Arg, Chain};
use crate::model::Transaction;
use crate::sql::{TransactionControl, transaction_control};

const CALLBACK_METHODS: &[&str] = &["transaction", "$transaction", "tx", "task"];
const DECORATORS: &[&str] = &["Transactional", "Transaction"];

/// One transaction scope: a byte range of a module.
#[derive(Debug, Clone)]
struct TxScope {
    module: usize,
    function: String,
    line: usize,
    start: usize,
    end: usize,
}

pub(super) fn find(input: &Input, constants: &Constants, accesses: &[Access]) -> Vec<Transaction> {
    let mut scopes = Vec::new();
    let mut wrappers: HashSet<FunctionId> = HashSet::new();
    for (m, module) in input.modules.iter().enumerate() {
        let mut opened = explicit_scopes(m, &module.facts.calls, constants);
        opened.extend(callback_scopes(m, &module.facts.calls));
        for scope in opened {
            // A function that opens a transaction and calls one of its parameters inside it is a wrapper:
            // its callers' callbacks are the transactions, not its own body.
            let wrapper = module.facts.definitions.iter().enumerate().find(|(_, d)| {
                d.start <= scope.start
                    && scope.end <= d.end
                    && d.name == scope.function
                    && module.facts.calls.iter().any(|c| {
                        c.place.start >= scope.start
                            && c.place.end <= scope.end
                            && d.params.contains(&c.root)
                            && c.links.first().is_some_and(|l| l.name.is_empty())
                    })
            });
            match wrapper {
                Some((definition, _)) => {
                    wrappers.insert(FunctionId { module: m, definition });
                }
                None => scopes.push(scope),
            }
        }
        for definition in &module.facts.definitions {
            if definition.decorators.iter().any(|d| DECORATORS.contains(&d.as_str())) {
                scopes.push(TxScope {
                    module: m,
                    function: definition.name.clone(),
                    line: definition.start_line,
                    start: definition.start,
                    end: definition.end,
                });
            }
        }
    }
    // Callbacks passed to a wrapper.
    for (m, module) in input.modules.iter().enumerate() {
        for (call, callee) in module.facts.calls.iter().zip(&input.calls.callees[m]) {
            if !callee.function().is_some_and(|f| wrappers.contains(&f)) {
                continue;
            }
            for (start, end) in callbacks(call) {
                scopes.push(TxScope {
                    module: m,
                    function: call.place.function.clone(),
                    line: call.place.line,
                    start,
                    end,
                });
            }
        }
    }
    scopes.sort_by_key(|s| (s.module, s.start, s.end));
    scopes.dedup_by_key(|s| (s.module, s.start));

    let mut transactions: Vec<Transaction> =
        scopes.iter().filter_map(|scope| tables_of(input, accesses, scope, input.transaction_depth)).collect();
    transactions.sort_by(|a, b| (&a.path, a.line, &a.function).cmp(&(&b.path, b.line, &b.function)));
    transactions
}

/// Byte ranges of the callback arguments of a call (functions, or the array of `prisma.$transaction([...])`).
fn callbacks(call: &Chain) -> Vec<(usize, usize)> {
    let Some(args) = call.links.iter().rev().find_map(|l| l.args.as_ref()) else { return Vec::new() };
    args.iter()
        .filter_map(|a| match a {
            Arg::Func { start, end, .. } => Some((*start, *end)),
            Arg::Array { .. } => Some((call.place.start, call.place.end)),
            _ => None,
        })
        .collect()
}

/// `X.query('BEGIN')` … `X.query('COMMIT')` and `queryRunner.startTransaction()` … `commitTransaction()`
/// on the same receiver in one function.
fn explicit_scopes(m: usize, calls: &[Chain], constants: &Constants) -> Vec<TxScope> {
    let mut scopes = Vec::new();
    let mut open: Vec<(String, String, &Chain)> = Vec::new();
    for call in calls {
        let Some((control, receiver)) = control_of(m, call, constants) else { continue };
        let function = &call.place.function;
        match control {
            TransactionControl::Begin => open.push((function.clone(), receiver, call)),
            TransactionControl::Commit | TransactionControl::Rollback => {
                let Some(i) = open.iter().position(|(f, r, _)| f == function && *r == receiver) else { continue };
                let (_, _, begin) = open.remove(i);
                if begin.place.start < call.place.start {
                    scopes.push(TxScope {
                        module: m,
                        function: function.clone(),
                        line: begin.place.line,
                        start: begin.place.start,
                        end: call.place.end,
                    });
                }
            }
        }
    }
    scopes
}

fn control_of(m: usize, call: &Chain, constants: &Constants) -> Option<(TransactionControl, String)> {
    let last = call.links.last()?;
    let args = last.args.as_ref()?;
    let receiver: Vec<&str> = std::iter::once(call.root.as_str())
        .chain(call.links[..call.links.len() - 1].iter().map(|l| l.name.as_str()))
        .collect();
    let receiver = receiver.join(".");
    let control = match last.name.as_str() {
        "startTransaction" => Some(TransactionControl::Begin),
        "commitTransaction" => Some(TransactionControl::Commit),
        "rollbackTransaction" => Some(TransactionControl::Rollback),
        _ => match args.first()? {
            Arg::Str { value, .. } => {
                let rendered = constants.render(m, ConstScope::of(&call.place), value);
                transaction_control(&rendered.text)
            }
            _ => None,
        },
    }?;
    Some((control, receiver))
}

fn callback_scopes(m: usize, calls: &[Chain]) -> Vec<TxScope> {
    calls
        .iter()
        .filter(|call| call.links.iter().any(|l| l.args.is_some() && CALLBACK_METHODS.contains(&l.name.as_str())))
        .flat_map(|call| {
            callbacks(call).into_iter().map(move |(start, end)| TxScope {
                module: m,
                function: call.place.function.clone(),
                line: call.place.line,
                start,
                end,
            })
        })
        .collect()
}

/// The tables a scope touches directly and through the functions it calls.
fn tables_of(input: &Input, accesses: &[Access], scope: &TxScope, depth: usize) -> Option<Transaction> {
    let inside = |module: usize, start: usize, end: usize| {
        accesses.iter().filter(move |a| a.module == module && a.position >= start && a.position < end)
    };
    let direct: BTreeSet<&str> = inside(scope.module, scope.start, scope.end).map(|a| a.table.as_str()).collect();
    let mut tables = direct.clone();
    let mut modules: BTreeSet<usize> = BTreeSet::from([scope.module]);

    let calls_in = |module: usize, start: usize, end: usize| -> Vec<FunctionId> {
        let facts = &input.modules[module].facts;
        facts
            .calls
            .iter()
            .zip(&input.calls.callees[module])
            .filter(|(c, _)| c.place.start >= start && c.place.end <= end)
            .filter_map(|(_, callee)| callee.function())
            .collect()
    };
    let mut seen: HashSet<FunctionId> = HashSet::new();
    let mut frontier = calls_in(scope.module, scope.start, scope.end);
    for _ in 0..depth {
        let mut next = Vec::new();
        for function in frontier {
            if !seen.insert(function) {
                continue;
            }
            let definition = &input.modules[function.module].facts.definitions[function.definition];
            let found: Vec<&str> =
                inside(function.module, definition.start, definition.end).map(|a| a.table.as_str()).collect();
            if !found.is_empty() {
                modules.insert(function.module);
                tables.extend(found);
            }
            next.extend(calls_in(function.module, definition.start, definition.end));
        }
        frontier = next;
    }
    if tables.is_empty() {
        return None;
    }
    let list = |s: &BTreeSet<&str>| s.iter().map(|t| (*t).to_owned()).collect();
    Some(Transaction {
        path: input.modules[scope.module].path.clone(),
        function: scope.function.clone(),
        line: scope.line,
        tables: list(&tables),
        direct_tables: list(&direct),
        modules: modules.iter().map(|m| input.modules[*m].path.clone()).collect(),
    })
}
