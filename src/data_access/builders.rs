//! Query builders and ORMs: knex chains and schema builder, Sequelize's `queryInterface`, Prisma model calls.
//! Each call that names a table becomes an access; schema builders also give created tables and foreign keys.

use super::constants::{Constants, Scope};
use super::schema::PrismaModels;
use super::{Access, Input, Mode, SchemaFacts};
use crate::facts::{Arg, Chain};
use crate::model::ForeignKeyRef;

/// Names a knex instance usually goes by (`knex('t')`, `db('t')`, `trx('t')`, `this.db('t')`).
const KNEX_ROOTS: &[&str] = &["knex", "db", "trx"];
const KNEX_WRITES: &[&str] = &["insert", "update", "del", "delete", "upsert", "truncate", "increment", "decrement"];
const KNEX_JOINS: &[&str] =
    &["join", "leftJoin", "rightJoin", "innerJoin", "leftOuterJoin", "rightOuterJoin", "fullOuterJoin", "crossJoin"];
const KNEX_SCHEMA: &[&str] =
    &["createTable", "createTableIfNotExists", "alterTable", "dropTable", "dropTableIfExists", "renameTable", "table"];
const PRISMA_READS: &[&str] =
    &["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count", "aggregate", "groupBy"];
const PRISMA_WRITES: &[&str] =
    &["create", "createMany", "createManyAndReturn", "update", "updateMany", "upsert", "delete", "deleteMany"];

pub(super) fn accesses(
    input: &Input,
    constants: &Constants,
    prisma: &PrismaModels,
    accesses: &mut Vec<Access>,
    schema: &mut SchemaFacts,
) {
    for (m, module) in input.modules.iter().enumerate() {
        let path = &module.path;
        let calls = &module.facts.calls;
        // Callbacks passed to knex chains (`.with('x', (qb) => qb.from('t'))`, `.where((b) => …)`) build subqueries
        // on their first parameter.
        let mut subquery_roots: Vec<(usize, usize, &str)> = Vec::new();
        for call in calls {
            let ctx = Context { module: m, constants, call, subquery_root: false };
            if ctx.knex_links().is_some() {
                for arg in call.links.iter().filter_map(|l| l.args.as_ref()).flatten() {
                    if let Arg::Func { params, start, end } = arg
                        && let Some(param) = params.first()
                    {
                        subquery_roots.push((*start, *end, param));
                    }
                }
            }
        }
        for call in calls {
            let subquery_root = subquery_roots
                .iter()
                .any(|(start, end, param)| call.place.start >= *start && call.place.end <= *end && call.root == *param);
            let ctx = Context { module: m, constants, call, subquery_root };
            let mut push = |table: String, mode: Mode| {
                accesses.push(Access { module: m, position: call.place.start, table, mode });
            };
            if let Some((table, mode, joins)) = ctx.knex_query() {
                push(table, mode);
                joins.into_iter().for_each(|t| push(t, Mode::Read));
            } else if let Some((table, callback)) = ctx.knex_schema() {
                push(table.clone(), Mode::Schema);
                if ctx.link_called(&["createTable", "createTableIfNotExists"]) {
                    schema.created.push((path.clone(), table.clone()));
                }
                if let Some((start, end)) = callback {
                    let inside = calls.iter().filter(|c| c.place.start >= start && c.place.end <= end);
                    for column_call in inside {
                        let column_ctx = Context { module: m, constants, call: column_call, subquery_root: false };
                        if let Some(fk) = column_ctx.knex_foreign_key() {
                            schema.foreign_keys.insert((table.clone(), fk));
                        }
                    }
                }
            } else if let Some((table, mode, fks)) = ctx.query_interface() {
                if mode == Mode::Schema {
                    schema.created.push((path.clone(), table.clone()));
                }
                for fk in fks {
                    schema.foreign_keys.insert((table.clone(), fk));
                }
                push(table, mode);
            } else if let Some((table, mode)) = ctx.prisma(prisma) {
                push(table, mode);
            }
        }
    }
}

struct Context<'a> {
    module: usize,
    constants: &'a Constants<'a>,
    call: &'a Chain,
    /// The chain starts at the parameter of a callback given to a knex chain: a subquery builder.
    subquery_root: bool,
}

impl Context<'_> {
    /// The string value of an argument: a literal or a constant.
    fn string(&self, arg: Option<&Arg>) -> Option<String> {
        self.constants.arg_value(self.module, Scope::of(&self.call.place), arg)
    }

    fn table(&self, arg: Option<&Arg>) -> Option<String> {
        let name = self.string(arg)?;
        // `'orders as o'` aliases the table.
        let name = name.split_whitespace().next()?.to_owned();
        crate::sql::normalise_name(name.split('.'))
    }

    fn link_called(&self, names: &[&str]) -> bool {
        self.call.links.iter().any(|l| l.args.is_some() && names.contains(&l.name.as_str()))
    }

    /// Links after the knex instance itself: `knex.x()` → all links; `this.db.x()` → links after `db`.
    fn knex_links(&self) -> Option<&[crate::facts::Link]> {
        let links = &self.call.links;
        if KNEX_ROOTS.contains(&self.call.root.as_str()) || self.subquery_root {
            return Some(links);
        }
        if self.call.root == "this" && links.first().is_some_and(|l| KNEX_ROOTS.contains(&l.name.as_str())) {
            // `this.db('t')` calls the instance; `this.db.from('t')` uses it as an object.
            let first = &links[0];
            return Some(if first.args.is_some() { links } else { &links[1..] });
        }
        None
    }

    /// A query chain: its main table, whether it writes, and joined tables.
    fn knex_query(&self) -> Option<(String, Mode, Vec<String>)> {
        let links = self.knex_links()?;
        if links
            .iter()
            .any(|l| matches!(l.name.as_str(), "schema" | "raw" | "transaction" | "migrate" | "seed" | "destroy"))
        {
            return None;
        }
        let mut table = None;
        let mut joins = Vec::new();
        // `.with('recent', …)` names a CTE, not a table.
        let ctes: Vec<String> = links
            .iter()
            .filter(|l| {
                matches!(l.name.as_str(), "with" | "withRecursive" | "withMaterialized" | "withNotMaterialized")
            })
            .filter_map(|l| self.string(l.args.as_ref()?.first()))
            .collect();
        for (i, link) in links.iter().enumerate() {
            let Some(args) = &link.args else { continue };
            let name = link.name.as_str();
            // `from('base as b')` reads the CTE `base` under an alias.
            let named = args.first().and_then(|a| self.string(Some(a)));
            if named.is_some_and(|t| t.split_whitespace().next().is_some_and(|first| ctes.iter().any(|c| c == first))) {
                continue;
            }
            let instance_call = i == 0 && (name.is_empty() || (self.call.root == "this" && KNEX_ROOTS.contains(&name)));
            if instance_call || matches!(name, "from" | "table" | "into") {
                if let Some(t) = self.table(args.first()) {
                    if table.is_none() {
                        table = Some(t);
                    } else {
                        joins.push(t);
                    }
                }
            } else if KNEX_JOINS.contains(&name)
                && let Some(t) = self.table(args.first())
            {
                joins.push(t);
            }
        }
        let table = table?;
        let writes = links.iter().any(|l| l.args.is_some() && KNEX_WRITES.contains(&l.name.as_str()));
        Some((table, if writes { Mode::Write } else { Mode::Read }, joins))
    }

    /// `knex.schema.createTable('t', (table) => …)`: the table and the callback's byte range.
    fn knex_schema(&self) -> Option<(String, Option<(usize, usize)>)> {
        let links = self.knex_links()?;
        let at = links.iter().position(|l| l.name == "schema")?;
        let op = links[at + 1..].iter().find(|l| l.args.is_some() && KNEX_SCHEMA.contains(&l.name.as_str()))?;
        let args = op.args.as_ref()?;
        let table = self.table(args.first())?;
        let callback = args.iter().find_map(|a| match a {
            Arg::Func { start, end, .. } => Some((*start, *end)),
            _ => None,
        });
        Some((table, callback))
    }

    /// Inside a `createTable` callback: `t.integer('user_id').references('users.id')`, or
    /// `.references('id').inTable('users')`, or `t.foreign('user_id').references(…)`.
    fn knex_foreign_key(&self) -> Option<ForeignKeyRef> {
        let links = &self.call.links;
        let column = self.string(links.first()?.args.as_ref()?.first())?;
        let references = links.iter().find(|l| l.name == "references")?;
        let target = self.string(references.args.as_ref()?.first())?;
        let table = match target.rsplit_once('.') {
            Some((table, _column)) => table.to_owned(),
            None => {
                let in_table = links.iter().find(|l| l.name == "inTable")?;
                self.string(in_table.args.as_ref()?.first())?
            }
        };
        Some(ForeignKeyRef { column, references: crate::sql::normalise_name(table.split('.'))? })
    }

    /// Sequelize migrations and seeders: `queryInterface.createTable('t', { col: { references: { model: 'u' } } })`,
    /// `bulkInsert`, `bulkDelete`, `dropTable`.
    fn query_interface(&self) -> Option<(String, Mode, Vec<ForeignKeyRef>)> {
        if self.call.root != "queryInterface" {
            return None;
        }
        let link = self.call.links.first()?;
        let args = link.args.as_ref()?;
        let table = self.table(args.first())?;
        let mode = match link.name.as_str() {
            "createTable" | "dropTable" | "addColumn" | "removeColumn" | "changeColumn" | "addIndex"
            | "renameColumn" => Mode::Schema,
            "bulkInsert" | "bulkDelete" | "bulkUpdate" | "insert" | "upsert" => Mode::Write,
            "select" | "rawSelect" => Mode::Read,
            _ => return None,
        };
        let mut fks = Vec::new();
        if link.name == "createTable"
            && let Some(Arg::Object { entries }) = args.get(1)
        {
            for (column, definition) in entries {
                let Arg::Object { entries: options } = definition else { continue };
                let Some((_, Arg::Object { entries: reference })) = options.iter().find(|(k, _)| k == "references")
                else {
                    continue;
                };
                let model = reference.iter().find(|(k, _)| k == "model").map(|(_, v)| v);
                if let Some(references) = self.table(model) {
                    fks.push(ForeignKeyRef { column: column.clone(), references });
                }
            }
        }
        Some((table, mode, fks))
    }

    /// `prisma.user.findMany()`, `tx.order.update()`, `this.prisma.user.create()`.
    fn prisma(&self, models: &PrismaModels) -> Option<(String, Mode)> {
        let links = &self.call.links;
        links.windows(2).find_map(|pair| {
            let (model, op) = (&pair[0], &pair[1]);
            if model.args.is_some() || op.args.is_none() {
                return None;
            }
            let table = models.get(&model.name)?;
            let mode = if PRISMA_READS.contains(&op.name.as_str()) {
                Mode::Read
            } else if PRISMA_WRITES.contains(&op.name.as_str()) {
                Mode::Write
            } else {
                return None;
            };
            Some((table.clone(), mode))
        })
    }
}
