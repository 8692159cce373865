//! Tells SQL from ordinary strings by its shape (a statement keyword and the structure that follows it),
//! not by the name of the function it is passed to.

/// The text after leading whitespace and SQL comments.
fn body(text: &str) -> &str {
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            return rest;
        }
    }
}

/// Upper-cased words of `text`, split on whitespace and punctuation other than `_`. A quoted identifier (`"…"` or
/// `` `…` ``) is one word, written `"`, whatever it contains: `UPDATE "a b c d e" SET` is still an update.
fn words(text: &str, limit: usize) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = text;
    while words.len() < limit {
        rest = rest.trim_start_matches(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '$' | '"' | '`')));
        let Some(first) = rest.chars().next() else { break };
        if first == '"' || first == '`' {
            let close = rest[1..].find(first).map_or(rest.len(), |i| i + 2);
            words.push("\"".to_owned());
            rest = &rest[close..];
        } else {
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).unwrap_or(rest.len());
            words.push(rest[..end].to_ascii_uppercase());
            rest = &rest[end..];
        }
    }
    words
}

fn has_word(text: &str, word: &str) -> bool {
    words(text, usize::MAX).iter().any(|w| w == word)
}

/// True when `text` is SQL by the rules of `docs/data-access-rules.md` §1. A script whose first statement is other
/// SQL (`CREATE FUNCTION …; CREATE TABLE …`, `BEGIN; …`) counts when a later statement is recognised.
pub fn looks_like_sql(text: &str) -> bool {
    if statement_looks_like_sql(text) {
        return true;
    }
    let first = words(body(text), 1);
    let script_start = ["CREATE", "DROP", "ALTER", "BEGIN", "START", "SET", "DO", "GRANT", "REVOKE", "COMMENT"];
    text.contains(';')
        && first.first().is_some_and(|w| script_start.contains(&w.as_str()))
        && text.split(';').skip(1).any(statement_looks_like_sql)
}

fn statement_looks_like_sql(text: &str) -> bool {
    let body = body(text);
    let head = words(body, 8);
    let word = |i: usize| head.get(i).map_or("", String::as_str);
    match word(0) {
        "SELECT" => has_word(body, "FROM"),
        "WITH" => {
            let recursive_or_cte = word(1) == "RECURSIVE" || word(2) == "AS";
            recursive_or_cte && ["SELECT", "INSERT", "UPDATE", "DELETE"].iter().any(|w| has_word(body, w))
        }
        "INSERT" => word(1) == "INTO" || (word(1) == "IGNORE" && word(2) == "INTO") || word(1) == "OR",
        "REPLACE" | "UPSERT" => word(1) == "INTO",
        // `UPDATE t SET`, `UPDATE t AS x SET`, `UPDATE ONLY s.t SET`: the SET comes within a few words.
        "UPDATE" => (2..=5).any(|i| word(i) == "SET"),
        "DELETE" => word(1) == "FROM",
        "MERGE" => word(1) == "INTO",
        "TRUNCATE" => !word(1).is_empty(),
        "CREATE" => {
            let object = head
                .iter()
                .skip(1)
                .find(|w| !matches!(w.as_str(), "OR" | "REPLACE" | "UNIQUE" | "TEMP" | "TEMPORARY" | "MATERIALIZED"));
            // Each object needs its own structure, so "Create table of contents" stays prose.
            match object.map(String::as_str) {
                Some("TABLE") => body.contains('(') || has_word(body, "AS"),
                Some("INDEX") => has_word(body, "ON"),
                Some("VIEW") => has_word(body, "AS"),
                _ => false,
            }
        }
        "ALTER" => word(1) == "TABLE",
        "DROP" => matches!(word(1), "TABLE" | "INDEX" | "VIEW"),
        _ => false,
    }
}

/// Transaction control statements, recognised when they are a query call's first argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionControl {
    Begin,
    Commit,
    Rollback,
}

pub fn transaction_control(text: &str) -> Option<TransactionControl> {
    let head = words(body(text), 2);
    match head.first().map(String::as_str) {
        Some("BEGIN") => Some(TransactionControl::Begin),
        Some("START") if head.get(1).is_some_and(|w| w == "TRANSACTION") => Some(TransactionControl::Begin),
        Some("COMMIT" | "END") => Some(TransactionControl::Commit),
        Some("ROLLBACK") if head.get(1).is_none_or(|w| w != "TO") => Some(TransactionControl::Rollback),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_is_told_from_prose() {
        for sql in [
            "SELECT * FROM users",
            "  -- find\n  select id from orders",
            "/* x */ INSERT INTO a VALUES (1)",
            "UPDATE products SET stock = 0",
            "DELETE FROM sessions",
            "WITH r AS (SELECT 1) SELECT * FROM r",
            "TRUNCATE cache",
            "CREATE UNIQUE INDEX i ON t (a)",
            "CREATE TABLE IF NOT EXISTS t (a int)",
            "ALTER TABLE t ADD COLUMN b int",
            "MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE",
            "CREATE TYPE mood AS ENUM ('a'); ALTER TABLE t ADD COLUMN m mood",
            "BEGIN TRANSACTION; CREATE TABLE \"session\" (sid text)",
            // A quoted identifier is one word however many words it holds.
            "UPDATE \"<script>window.x='t';alert('t')</script>\" SET a = 1",
            "UPDATE `a b c d e f` SET a = 1",
        ] {
            assert!(looks_like_sql(sql), "{sql}");
        }
        for prose in [
            "Update your profile",
            "select an option",
            "Delete this item?",
            "Delete this item from the cart?",
            "With love",
            "created",
            "Select all",
            "Create table of contents",
            "Create index page",
            "Create an account; then select a plan from the list",
        ] {
            assert!(!looks_like_sql(prose), "{prose}");
        }
    }

    #[test]
    fn transaction_control_statements() {
        assert_eq!(transaction_control("BEGIN"), Some(TransactionControl::Begin));
        assert_eq!(
            transaction_control("start transaction isolation level serializable"),
            Some(TransactionControl::Begin)
        );
        assert_eq!(transaction_control("COMMIT;"), Some(TransactionControl::Commit));
        assert_eq!(transaction_control("ROLLBACK"), Some(TransactionControl::Rollback));
        assert_eq!(transaction_control("ROLLBACK TO SAVEPOINT a"), None);
        assert_eq!(transaction_control("SELECT 1"), None);
    }
}
