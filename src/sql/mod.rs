//! SQL: recognises SQL text, and tells which tables one statement reads, writes or changes the schema of.
//!
//! Takes SQL text (placeholders for unknown template substitutions already inserted); returns a
//! `StatementTables`. sqlparser does the parsing; text it rejects falls back to a careful lexical scan.

mod lexical;
mod recognise;
mod statement;

use std::collections::BTreeSet;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use recognise::{TransactionControl, looks_like_sql, transaction_control};

use crate::error::Error;

/// Identifier put in place of a template substitution whose value is unknown. In a table position it marks a
/// dynamic table, never reported as a table name.
pub const PLACEHOLDER: &str = "__seamline_dyn_";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqlDialect {
    #[default]
    Postgres,
    Mysql,
    Sqlite,
    Mssql,
    Generic,
}

impl FromStr for SqlDialect {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Ok(SqlDialect::Postgres),
            "mysql" | "mariadb" => Ok(SqlDialect::Mysql),
            "sqlite" => Ok(SqlDialect::Sqlite),
            "mssql" | "tsql" | "sqlserver" => Ok(SqlDialect::Mssql),
            "generic" | "ansi" => Ok(SqlDialect::Generic),
            other => Err(Error::Usage(format!(
                "unknown SQL dialect '{other}' (expected postgres, mysql, sqlite, mssql or generic)"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatementKind {
    Select,
    Insert,
    Update,
    Delete,
    Merge,
    Ddl,
    Other,
}

/// A foreign key declared by DDL: `column` of the created table references table `references`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ForeignKey {
    pub column: String,
    pub references: String,
}

/// The tables one piece of SQL touches, by mode. Names are normalised (see `normalise_name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementTables {
    pub kind: StatementKind,
    pub reads: BTreeSet<String>,
    pub writes: BTreeSet<String>,
    pub schema: BTreeSet<String>,
    /// Tables a `CREATE TABLE` creates (a subset of `schema`).
    pub created: BTreeSet<String>,
    /// For `CREATE TABLE`: (created table, foreign key).
    pub foreign_keys: BTreeSet<(String, ForeignKey)>,
    /// Found by the lexical fallback, not by a parser.
    pub approximate: bool,
    /// Table positions filled by an unknown template substitution.
    pub dynamic_tables: usize,
    /// Why sqlparser rejected the text, when it did.
    pub parse_error: Option<String>,
}

impl StatementTables {
    fn empty(kind: StatementKind) -> Self {
        StatementTables {
            kind,
            reads: BTreeSet::new(),
            writes: BTreeSet::new(),
            schema: BTreeSet::new(),
            created: BTreeSet::new(),
            foreign_keys: BTreeSet::new(),
            approximate: false,
            dynamic_tables: 0,
            parse_error: None,
        }
    }
}

/// Analyses SQL text: every statement in it, parsed with `dialect` first, then with the other dialects
/// after placeholder normalisation, then by the lexical scan.
pub fn analyze(sql: &str, dialect: SqlDialect) -> StatementTables {
    match statement::parse(sql, dialect) {
        Ok(tables) => tables,
        Err(error) => {
            let mut tables = lexical::scan(sql);
            tables.parse_error = Some(error);
            tables
        }
    }
}

/// A table name as seamline reports it: parts without quotes, lower-cased, `public.` dropped,
/// at most `schema.table`. `None` for a name holding a placeholder (a dynamic table).
pub fn normalise_name<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']')).to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    // A template placeholder or a driver parameter (`$1`, `$1:name`, `??`, `:table`, `@p`) in a table position is a
    // table name chosen at run time.
    let parameter = |p: &String| p.contains(PLACEHOLDER) || p.starts_with(['$', ':', '?', '@']);
    if parts.iter().any(parameter) || parts.is_empty() {
        return None;
    }
    if parts.len() > 2 {
        parts.drain(..parts.len() - 2);
    }
    if parts.len() == 2 && parts[0] == "public" {
        parts.remove(0);
    }
    Some(parts.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(sql: &str) -> (StatementKind, Vec<String>, Vec<String>, Vec<String>, bool) {
        let t = analyze(sql, SqlDialect::Postgres);
        let v = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>();
        (t.kind, v(&t.reads), v(&t.writes), v(&t.schema), t.approximate)
    }

    fn s(list: &[&str]) -> Vec<String> {
        list.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn modes_follow_the_statement() {
        use StatementKind::*;
        assert_eq!(
            tables("SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1"),
            (Select, s(&["orders", "users"]), s(&[]), s(&[]), false)
        );
        assert_eq!(
            tables("INSERT INTO audit.events (a) SELECT id FROM public.orders WHERE id = ?"),
            (Insert, s(&["orders"]), s(&["audit.events"]), s(&[]), false)
        );
        assert_eq!(
            tables("UPDATE products SET stock = (SELECT count(*) FROM products p2) FROM suppliers s WHERE s.id = 1"),
            (Update, s(&["products", "suppliers"]), s(&["products"]), s(&[]), false)
        );
        assert_eq!(
            tables("DELETE FROM sessions USING users WHERE sessions.user_id = users.id"),
            (Delete, s(&["users"]), s(&["sessions"]), s(&[]), false)
        );
        assert_eq!(
            tables("WITH recent AS (SELECT * FROM orders) SELECT * FROM recent JOIN \"Users\" ON true"),
            (Select, s(&["orders", "users"]), s(&[]), s(&[]), false)
        );
        assert_eq!(
            tables("INSERT INTO carts (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id"),
            (Insert, s(&[]), s(&["carts"]), s(&[]), false)
        );
        assert_eq!(tables("TRUNCATE TABLE cache_entries"), (Delete, s(&[]), s(&["cache_entries"]), s(&[]), false));
        assert_eq!(tables("DROP TABLE IF EXISTS legacy"), (Ddl, s(&[]), s(&[]), s(&["legacy"]), false));
        assert_eq!(tables("CREATE INDEX idx ON orders (user_id)"), (Ddl, s(&[]), s(&[]), s(&["orders"]), false));
    }

    #[test]
    fn create_table_records_foreign_keys_without_reading_them() {
        let t = analyze(
            "CREATE TABLE orders (id serial primary key, user_id int REFERENCES users(id), coupon_id int, \
             FOREIGN KEY (coupon_id) REFERENCES public.coupons (id))",
            SqlDialect::Postgres,
        );
        assert_eq!(t.kind, StatementKind::Ddl);
        assert!(t.reads.is_empty());
        assert_eq!(t.schema.iter().collect::<Vec<_>>(), vec!["orders"]);
        let fks: Vec<_> =
            t.foreign_keys.iter().map(|(tab, fk)| (tab.as_str(), fk.column.as_str(), fk.references.as_str())).collect();
        assert_eq!(fks, vec![("orders", "coupon_id", "coupons"), ("orders", "user_id", "users")]);
    }

    #[test]
    fn dynamic_tables_are_counted_never_named() {
        let t = analyze(&format!("SELECT * FROM {PLACEHOLDER}1 WHERE id = $1"), SqlDialect::Postgres);
        assert!(t.reads.is_empty());
        assert_eq!(t.dynamic_tables, 1);
    }

    #[test]
    fn placeholders_of_every_style_parse_in_every_dialect() {
        for dialect in
            [SqlDialect::Postgres, SqlDialect::Mysql, SqlDialect::Sqlite, SqlDialect::Mssql, SqlDialect::Generic]
        {
            for sql in ["SELECT * FROM a WHERE x = ?", "SELECT * FROM a WHERE x = $1", "SELECT * FROM a WHERE x = :x"] {
                let t = analyze(sql, dialect);
                assert!(!t.approximate, "{sql} in {dialect:?}: {:?}", t.parse_error);
                assert_eq!(t.reads.iter().collect::<Vec<_>>(), vec!["a"]);
            }
        }
    }

    #[test]
    fn unparseable_sql_falls_back_to_a_lexical_scan() {
        let t = analyze(
            &format!("SELECT * FROM orders o JOIN users u ON u.id = o.uid ORDER BY {PLACEHOLDER}1 {PLACEHOLDER}2"),
            SqlDialect::Postgres,
        );
        assert!(t.approximate);
        assert!(t.parse_error.is_some());
        assert_eq!(t.reads.iter().collect::<Vec<_>>(), vec!["orders", "users"]);
    }

    #[test]
    fn table_functions_and_parameters_are_not_tables() {
        let t = analyze("SELECT key FROM jsonb_each('{}'::jsonb)", SqlDialect::Postgres);
        assert!(t.reads.is_empty() && !t.approximate, "{t:?}");
        let t = analyze("SELECT * FROM t CROSS JOIN json_array_elements(t.v) AS j", SqlDialect::Postgres);
        assert_eq!(t.reads.iter().collect::<Vec<_>>(), vec!["t"]);
        let t = analyze("SELECT * FROM generate_series(1, 10) g", SqlDialect::Postgres);
        assert!(t.reads.is_empty());
        for (sql, dialect) in [
            ("SELECT * FROM $1 WHERE x = $2", SqlDialect::Postgres),
            ("SELECT * FROM ?? WHERE id = ?", SqlDialect::Mysql),
            ("INSERT INTO ? (a) VALUES (1)", SqlDialect::Mysql),
            ("DELETE FROM :tbl WHERE id = 1", SqlDialect::Postgres),
            ("DROP TABLE IF EXISTS $<className:name>", SqlDialect::Postgres),
            ("SELECT * FROM $1:name WHERE x = $2", SqlDialect::Postgres),
            ("CREATE INDEX IF NOT EXISTS idx ON $1:name USING gin ($2:name)", SqlDialect::Postgres),
        ] {
            let t = analyze(sql, dialect);
            assert!(t.reads.is_empty() && t.writes.is_empty() && t.schema.is_empty(), "{sql}: {t:?}");
            assert_eq!(t.dynamic_tables, 1, "{sql}: {t:?}");
        }
    }

    #[test]
    fn scripts_starting_with_transaction_control_are_read() {
        let t = analyze("BEGIN; CREATE TABLE session (sid text); COMMIT;", SqlDialect::Postgres);
        assert_eq!(t.kind, StatementKind::Ddl);
        assert_eq!(t.schema.iter().collect::<Vec<_>>(), vec!["session"]);
        assert!(super::looks_like_sql("BEGIN; CREATE TABLE session (sid text); COMMIT;"));
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise_name(["public", "Users"]).as_deref(), Some("users"));
        assert_eq!(normalise_name(["\"Audit\"", "events"]).as_deref(), Some("audit.events"));
        assert_eq!(normalise_name(["db", "sales", "orders"]).as_deref(), Some("sales.orders"));
        assert_eq!(normalise_name(["[dbo]", "[Users]"]).as_deref(), Some("dbo.users"));
        assert_eq!(normalise_name([format!("orders_{PLACEHOLDER}1").as_str()]), None);
    }
}
