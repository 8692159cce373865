//! Data access: turns SQL texts, string constants, query-builder and ORM calls and schema files into the tables
//! each module reads and writes, the table list with its schema owner and foreign keys, the SQL statements,
//! and the transactions. Rules: `docs/data-access-rules.md`.

mod builders;
pub mod constants;
mod models;
mod schema;
mod transactions;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::call_graph::CallGraph;
use crate::facts::{Arg, SourceFacts};
use crate::model::{Diagnostic, ForeignKeyRef, ModuleTables, Role, SqlStatement, Table, Transaction};
use crate::resolve::{Symbols, Target};
use crate::sql::{self, SqlDialect, StatementTables};
use constants::{ConstantId, Constants, Scope};

/// What the stage needs from the earlier ones.
pub struct Input<'a> {
    /// Where the schema files are read.
    pub disk: &'a crate::disk::Disk,
    pub modules: &'a [SourceFacts],
    pub targets: &'a [Vec<Target>],
    pub symbols: &'a Symbols<'a>,
    pub calls: &'a CallGraph,
    pub roles: &'a [Role],
    pub schema_files: &'a [String],
    pub dialect: SqlDialect,
    pub transaction_depth: usize,
}

pub struct DataAccess {
    /// Parallel to the modules.
    pub module_tables: Vec<ModuleTables>,
    pub tables: Vec<Table>,
    pub sql: Vec<SqlStatement>,
    pub transactions: Vec<Transaction>,
    /// Modules that define an ORM model or entity: they own its table.
    pub model_modules: BTreeSet<usize>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Mode {
    Read,
    Write,
    Schema,
}

/// One table touched at one place of one module.
#[derive(Debug, Clone)]
pub(crate) struct Access {
    pub module: usize,
    /// Byte offset in the module, to place the access inside functions and transaction scopes.
    pub position: usize,
    pub table: String,
    pub mode: Mode,
}

/// Tables a schema source creates, and the foreign keys it declares.
#[derive(Default)]
pub(crate) struct SchemaFacts {
    /// (file, table) for each `CREATE TABLE` or equivalent.
    pub created: Vec<(String, String)>,
    /// (table, foreign key).
    pub foreign_keys: BTreeSet<(String, ForeignKeyRef)>,
}

pub fn analyze(input: &Input) -> DataAccess {
    let constants = Constants::new(input.modules, input.symbols);
    let mut diagnostics = Vec::new();
    let mut schema = SchemaFacts::default();
    let models = schema::read_files(input.disk, input.schema_files, input.dialect, &mut schema, &mut diagnostics);

    let mut accesses = Vec::new();
    let sql = sql_statements(input, &constants, &mut accesses, &mut schema, &mut diagnostics);
    builders::accesses(input, &constants, &models, &mut accesses, &mut schema);
    let model_modules = models::accesses(input, &constants, &mut accesses);

    let mut module_tables = vec![ModuleTables::default(); input.modules.len()];
    let mut sets: Vec<[BTreeSet<&str>; 3]> = vec![Default::default(); input.modules.len()];
    let mut readers: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut writers: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for access in &accesses {
        sets[access.module][access.mode as usize].insert(&access.table);
        names.insert(&access.table);
        if input.roles[access.module] != Role::Migration {
            match access.mode {
                Mode::Read => readers.entry(&access.table).or_default().insert(access.module),
                Mode::Write => writers.entry(&access.table).or_default().insert(access.module),
                Mode::Schema => false,
            };
        }
    }
    for (tables, [reads, writes, schema]) in module_tables.iter_mut().zip(&sets) {
        let list = |s: &BTreeSet<&str>| s.iter().map(|t| (*t).to_owned()).collect();
        *tables = ModuleTables { reads: list(reads), writes: list(writes), schema: list(schema) };
    }

    let mut defined_in: BTreeMap<&str, &str> = BTreeMap::new();
    let mut created = schema.created.iter().collect::<Vec<_>>();
    created.sort();
    for (file, table) in &created {
        defined_in.entry(table).or_insert(file);
        names.insert(table);
    }
    for (table, fk) in &schema.foreign_keys {
        names.insert(table);
        names.insert(&fk.references);
    }
    let path = |m: &usize| input.modules[*m].path.clone();
    let tables = names
        .iter()
        .map(|name| Table {
            name: (*name).to_owned(),
            readers: readers.get(name).map(|s| s.iter().map(path).collect()).unwrap_or_default(),
            writers: writers.get(name).map(|s| s.iter().map(path).collect()).unwrap_or_default(),
            defined_in: defined_in.get(name).map(|f| (*f).to_owned()),
            foreign_keys: schema.foreign_keys.iter().filter(|(t, _)| t == name).map(|(_, fk)| fk.clone()).collect(),
        })
        .collect();

    let transactions = transactions::find(input, &constants, &accesses);
    DataAccess { module_tables, tables, sql, transactions, model_modules, diagnostics }
}

/// Where a SQL statement runs.
struct Occurrence<'a> {
    module: usize,
    line: usize,
    position: usize,
    text: String,
    /// The constant it came from, for SQL held in a constant.
    constant: Option<&'a str>,
}

/// Finds every SQL statement (literals in place, constants where they are used), analyses it, and records the
/// table accesses it makes.
fn sql_statements(
    input: &Input,
    constants: &Constants,
    accesses: &mut Vec<Access>,
    schema: &mut SchemaFacts,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<SqlStatement> {
    let mut occurrences = Vec::new();
    // SQL constants, by the constant that holds them: (declaring module, line, position, text).
    let mut held: BTreeMap<ConstantId, (usize, usize, usize, String)> = BTreeMap::new();
    for (m, module) in input.modules.iter().enumerate() {
        for text in &module.facts.sql_texts {
            let rendered = constants.render(m, Scope::of(&text.place), &text.value);
            if let Some(name) = &text.constant
                && rendered.constant
            {
                let scope = Scope { function: text.in_function.then_some(text.place.function.as_str()), class: None };
                if let Some(id) = constants.find(m, scope, name) {
                    held.insert(id, (m, text.place.line, text.place.start, rendered.text));
                    continue;
                }
            }
            let place = &text.place;
            occurrences.push(Occurrence {
                module: m,
                line: place.line,
                position: place.start,
                text: rendered.text,
                constant: None,
            });
        }
    }
    let mut used = BTreeSet::new();
    for (m, module) in input.modules.iter().enumerate() {
        for call in &module.facts.calls {
            let scope = Scope::of(&call.place);
            let mut refs = Vec::new();
            for args in call.links.iter().filter_map(|l| l.args.as_ref()) {
                collect_refs(args, &mut refs);
            }
            for (path, line) in refs {
                if let Some(id) = constants.find(m, scope, path)
                    && let Some((_, _, _, text)) = held.get(&id)
                {
                    used.insert(id);
                    let constant = Some(constants.get(id).name.as_str());
                    occurrences.push(Occurrence {
                        module: m,
                        line,
                        position: call.place.start,
                        text: text.clone(),
                        constant,
                    });
                }
            }
        }
    }
    for (id, (m, line, position, text)) in &held {
        if !used.contains(id) {
            let constant = Some(constants.get(*id).name.as_str());
            occurrences.push(Occurrence { module: *m, line: *line, position: *position, text: text.clone(), constant });
        }
    }
    occurrences.sort_by(|a, b| (a.module, a.line, a.position, &a.text).cmp(&(b.module, b.line, b.position, &b.text)));
    occurrences.dedup_by(|a, b| a.module == b.module && a.line == b.line && a.text == b.text);

    // Each distinct text is parsed once, all of them side by side: parsing is most of this stage.
    let mut texts: Vec<&str> = occurrences.iter().map(|o| o.text.as_str()).collect();
    texts.sort_unstable();
    texts.dedup();
    let analysed: HashMap<&str, StatementTables> =
        texts.into_par_iter().map(|text| (text, sql::analyze(text, input.dialect))).collect();
    let mut statements = Vec::with_capacity(occurrences.len());
    for occurrence in &occurrences {
        let tables = &analysed[occurrence.text.as_str()];
        let path = &input.modules[occurrence.module].path;
        if let Some(error) = &tables.parse_error {
            let origin = occurrence.constant.map(|c| format!(" (constant {c})")).unwrap_or_default();
            diagnostics.push(Diagnostic::warning(
                "sql-parse-error",
                path,
                occurrence.line,
                format!("SQL{origin} could not be parsed ({error}); tables were read lexically and are approximate"),
            ));
        }
        if tables.dynamic_tables > 0 {
            diagnostics.push(Diagnostic::warning(
                "dynamic-table",
                path,
                occurrence.line,
                format!("{} table name(s) come from values seamline cannot know", tables.dynamic_tables),
            ));
        }
        for (set, mode) in [(&tables.reads, Mode::Read), (&tables.writes, Mode::Write), (&tables.schema, Mode::Schema)]
        {
            for table in set {
                accesses.push(Access {
                    module: occurrence.module,
                    position: occurrence.position,
                    table: table.clone(),
                    mode,
                });
            }
        }
        for table in &tables.created {
            schema.created.push((path.clone(), table.clone()));
        }
        for (table, fk) in &tables.foreign_keys {
            schema.foreign_keys.insert((
                table.clone(),
                ForeignKeyRef { column: fk.column.clone(), references: fk.references.clone() },
            ));
        }
        let list = |s: &BTreeSet<String>| s.iter().cloned().collect();
        statements.push(SqlStatement {
            path: path.clone(),
            line: occurrence.line,
            kind: tables.kind,
            reads: list(&tables.reads),
            writes: list(&tables.writes),
            schema: list(&tables.schema),
            approximate: tables.approximate,
            dynamic_tables: tables.dynamic_tables,
            text: occurrence.text.clone(),
        });
    }
    statements
}

/// References passed as call arguments, also inside objects and arrays (`db.query({ text: FIND_ORDER })`).
fn collect_refs<'a>(args: &'a [Arg], out: &mut Vec<(&'a str, usize)>) {
    for arg in args {
        match arg {
            Arg::Ref { path, line } => out.push((path, *line)),
            Arg::Array { items } => collect_refs(items, out),
            Arg::Object { entries } => {
                for (_, value) in entries {
                    collect_refs(std::slice::from_ref(value), out);
                }
            }
            _ => {}
        }
    }
}
