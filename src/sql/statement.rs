//! Parses SQL with sqlparser and reads table modes off the AST.

use std::collections::HashSet;
use std::ops::ControlFlow;

use sqlparser::ast::{
    ColumnOption, FromTable, ObjectName, ObjectType, Query, SetExpr, Statement, TableConstraint, TableFactor,
    TableObject, Visit, Visitor,
};
use sqlparser::dialect::{Dialect, GenericDialect, MsSqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

use super::{ForeignKey, SqlDialect, StatementKind, StatementTables, normalise_name};

fn dialect_of(dialect: SqlDialect) -> Box<dyn Dialect> {
    match dialect {
        SqlDialect::Postgres => Box::new(PostgreSqlDialect {}),
        SqlDialect::Mysql => Box::new(MySqlDialect {}),
        SqlDialect::Sqlite => Box::new(SQLiteDialect {}),
        SqlDialect::Mssql => Box::new(MsSqlDialect {}),
        SqlDialect::Generic => Box::new(GenericDialect {}),
    }
}

/// Tries the chosen dialect, then the same text with `?`/`@p` placeholders turned into `$n`, then the other
/// dialects: application SQL often mixes a driver's placeholder style with another dialect's syntax.
pub fn parse(sql: &str, dialect: SqlDialect) -> Result<StatementTables, String> {
    let normalised = normalise_placeholders(sql);
    let others = [SqlDialect::Generic, SqlDialect::Mysql, SqlDialect::Postgres, SqlDialect::Mssql, SqlDialect::Sqlite];
    let attempts = std::iter::once((dialect, sql))
        .chain(std::iter::once((dialect, normalised.as_str())))
        .chain(others.into_iter().filter(|d| *d != dialect).flat_map(|d| [(d, sql), (d, normalised.as_str())]));
    let mut first_error = None;
    for (dialect, text) in attempts {
        match Parser::parse_sql(&*dialect_of(dialect), text) {
            Ok(statements) if !statements.is_empty() => return Ok(tables_of(&statements)),
            Ok(_) => return Err("no statement".to_owned()),
            Err(e) => {
                first_error.get_or_insert_with(|| e.to_string());
            }
        }
    }
    Err(first_error.unwrap_or_default())
}

/// `?` and `@p1` placeholders outside quotes become `$1`, `$2`… (PostgreSQL reads `?` as a JSON operator).
fn normalise_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quote: Option<char> = None;
    let mut n = 0;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if matches!(c, '\'' | '"' | '`') => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' && !matches!(chars.peek(), Some('|' | '&')) => {
                n += 1;
                out.push_str(&format!("${n}"));
            }
            None if c == '@' && chars.peek().is_some_and(|c| c.is_ascii_alphabetic()) => {
                n += 1;
                out.push_str(&format!("${n}"));
                while chars.peek().is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    chars.next();
                }
            }
            None => out.push(c),
        }
    }
    out
}

#[derive(Default)]
struct Collector {
    /// Every table reference in visiting order; `None` for a dynamic one.
    relations: Vec<Option<String>>,
    writes: Vec<String>,
    schema: Vec<String>,
    created: Vec<String>,
    /// Set-returning functions in FROM (`jsonb_each(…)`, `generate_series(…)`): relations, but not tables.
    functions: Vec<Option<String>>,
    ctes: HashSet<String>,
    foreign_keys: Vec<(String, ForeignKey)>,
    dynamic_targets: usize,
}

fn name_of(name: &ObjectName) -> Option<String> {
    let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident()).map(|i| i.value.clone()).collect();
    normalise_name(parts.iter().map(String::as_str))
}

impl Collector {
    fn target(&mut self, name: &ObjectName, schema: bool) {
        match name_of(name) {
            Some(n) if schema => self.schema.push(n),
            Some(n) => self.writes.push(n),
            None => self.dynamic_targets += 1,
        }
    }

    fn factor(&mut self, factor: &TableFactor) {
        if let TableFactor::Table { name, .. } = factor {
            self.target(name, false);
        }
    }
}

impl Visitor for Collector {
    type Break = ();

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        if let Some(with) = &query.with {
            self.ctes.extend(with.cte_tables.iter().map(|cte| cte.alias.name.value.to_lowercase()));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table { name, args: Some(_), .. } = factor {
            self.functions.push(name_of(name));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
        self.relations.push(name_of(relation));
        ControlFlow::Continue(())
    }

    fn pre_visit_statement(&mut self, statement: &Statement) -> ControlFlow<()> {
        match statement {
            Statement::Insert(insert) => {
                if let TableObject::TableName(name) = &insert.table {
                    self.target(name, false);
                }
            }
            Statement::Update(update) => self.factor(&update.table.relation),
            Statement::Delete(delete) => {
                if delete.tables.is_empty() {
                    let from = match &delete.from {
                        FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables) => tables,
                    };
                    if let Some(first) = from.first() {
                        self.factor(&first.relation);
                    }
                } else {
                    delete.tables.iter().for_each(|t| self.target(t, false));
                }
            }
            Statement::Merge(merge) => self.factor(&merge.table),
            Statement::Truncate(truncate) => truncate.table_names.iter().for_each(|t| self.target(&t.name, false)),
            Statement::CreateTable(create) => {
                self.target(&create.name, true);
                let Some(table) = name_of(&create.name) else { return ControlFlow::Continue(()) };
                self.created.push(table.clone());
                for column in &create.columns {
                    for option in &column.options {
                        if let ColumnOption::ForeignKey(fk) = &option.option
                            && let Some(references) = name_of(&fk.foreign_table)
                        {
                            let column = column.name.value.to_lowercase();
                            self.foreign_keys.push((table.clone(), ForeignKey { column, references }));
                        }
                    }
                }
                for constraint in &create.constraints {
                    if let TableConstraint::ForeignKey(fk) = constraint
                        && let Some(references) = name_of(&fk.foreign_table)
                    {
                        for column in &fk.columns {
                            let fk = ForeignKey { column: column.value.to_lowercase(), references: references.clone() };
                            self.foreign_keys.push((table.clone(), fk));
                        }
                    }
                }
            }
            Statement::CreateIndex(index) => self.target(&index.table_name, true),
            Statement::AlterTable(alter) => self.target(&alter.name, true),
            Statement::CreateView(view) => self.target(&view.name, true),
            Statement::Drop { object_type: ObjectType::Table | ObjectType::View, names, .. } => {
                names.iter().for_each(|n| self.target(n, true));
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

fn kind_of(statement: &Statement) -> StatementKind {
    match statement {
        // `WITH … INSERT/UPDATE/DELETE` is a query whose body is the main statement.
        Statement::Query(query) => match query.body.as_ref() {
            SetExpr::Insert(inner) | SetExpr::Update(inner) | SetExpr::Delete(inner) | SetExpr::Merge(inner) => {
                kind_of(inner)
            }
            _ => StatementKind::Select,
        },
        Statement::Insert(_) => StatementKind::Insert,
        Statement::Update(_) => StatementKind::Update,
        Statement::Delete(_) | Statement::Truncate(_) => StatementKind::Delete,
        Statement::Merge(_) => StatementKind::Merge,
        Statement::CreateTable(_)
        | Statement::CreateIndex(_)
        | Statement::AlterTable(_)
        | Statement::CreateView(_)
        | Statement::Drop { .. } => StatementKind::Ddl,
        _ => StatementKind::Other,
    }
}

fn tables_of(statements: &[Statement]) -> StatementTables {
    let kind = statements.iter().map(kind_of).find(|k| *k != StatementKind::Other).unwrap_or(StatementKind::Other);
    let mut result = StatementTables::empty(kind);
    for statement in statements {
        let mut collector = Collector::default();
        let _ = statement.visit(&mut collector);
        // A target also appears among the relations once; any further occurrence is a real read.
        let mut relations = collector.relations;
        for function in &collector.functions {
            if let Some(i) = relations.iter().position(|r| r == function) {
                relations.remove(i);
            }
        }
        for target in collector.writes.iter().chain(&collector.schema) {
            if let Some(i) = relations.iter().position(|r| r.as_deref() == Some(target.as_str())) {
                relations.remove(i);
            }
        }
        let dynamic_reads = relations.iter().filter(|r| r.is_none()).count();
        // A dynamic write target was pushed as a `None` relation too; count it once.
        result.dynamic_tables += dynamic_reads.max(collector.dynamic_targets);
        result.reads.extend(relations.into_iter().flatten().filter(|r| !collector.ctes.contains(r)));
        result.writes.extend(collector.writes);
        result.schema.extend(collector.schema);
        result.created.extend(collector.created);
        result.foreign_keys.extend(collector.foreign_keys);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered_outside_quotes() {
        assert_eq!(
            normalise_placeholders("a = ? AND b = '?' AND c = @p1 AND d ?| e"),
            "a = $1 AND b = '?' AND c = $2 AND d ?| e"
        );
    }
}
