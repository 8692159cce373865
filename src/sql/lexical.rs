//! The fallback for SQL that sqlparser rejects: reads table names after the keywords that introduce them.
//! Results are marked approximate.

use std::collections::HashSet;

use super::{StatementKind, StatementTables, normalise_name};

#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Quoted(String),
    Punct(char),
}

fn tokenize(sql: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            // A string literal: skipped whole, `''` included.
            i += 1;
            while i < chars.len() && !(chars[i] == '\'' && chars.get(i + 1) != Some(&'\'')) {
                i += if chars[i] == '\'' { 2 } else { 1 };
            }
            i += 1;
        } else if matches!(c, '"' | '`' | '[') {
            let close = if c == '[' { ']' } else { c };
            let start = i + 1;
            i = start;
            while i < chars.len() && chars[i] != close {
                i += 1;
            }
            tokens.push(Token::Quoted(chars[start..i.min(chars.len())].iter().collect()));
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                i += 1;
            }
            tokens.push(Token::Word(chars[start..i].iter().collect()));
        } else {
            tokens.push(Token::Punct(c));
            i += 1;
        }
    }
    tokens
}

struct Scanner {
    tokens: Vec<Token>,
}

impl Scanner {
    fn keyword(&self, i: usize) -> Option<String> {
        match self.tokens.get(i)? {
            Token::Word(w) => Some(w.to_ascii_uppercase()),
            _ => None,
        }
    }

    fn is(&self, i: usize, keyword: &str) -> bool {
        self.keyword(i).as_deref() == Some(keyword)
    }

    /// A possibly dotted name starting at `i`: its parts and the index after it.
    fn name(&self, mut i: usize) -> Option<(Vec<String>, usize)> {
        let mut parts = Vec::new();
        loop {
            match self.tokens.get(i)? {
                Token::Word(w) | Token::Quoted(w) => parts.push(w.clone()),
                _ => return None,
            }
            i += 1;
            if self.tokens.get(i) != Some(&Token::Punct('.')) {
                return Some((parts, i));
            }
            i += 1;
        }
    }

    /// Skips optional words (`IF NOT EXISTS`, `ONLY`, `IGNORE`) before a name.
    fn skip_words(&self, mut i: usize, optional: &[&str]) -> usize {
        while self.keyword(i).is_some_and(|k| optional.contains(&k.as_str())) {
            i += 1;
        }
        i
    }
}

const NOT_NAMES: &[&str] = &["SELECT", "LATERAL", "UNNEST", "VALUES", "WHERE", "SET", "ON", "USING"];

pub fn scan(sql: &str) -> StatementTables {
    let scanner = Scanner { tokens: tokenize(sql) };
    let first = scanner.keyword(0).unwrap_or_default();
    let kind = match first.as_str() {
        "SELECT" | "WITH" => StatementKind::Select,
        "INSERT" | "REPLACE" | "UPSERT" => StatementKind::Insert,
        "UPDATE" => StatementKind::Update,
        "DELETE" | "TRUNCATE" => StatementKind::Delete,
        "MERGE" => StatementKind::Merge,
        "CREATE" | "ALTER" | "DROP" => StatementKind::Ddl,
        _ => StatementKind::Other,
    };
    let mut tables = StatementTables::empty(kind);
    tables.approximate = true;

    // CTE names (`WITH a AS (`, `, b AS (`) are not tables.
    let mut ctes = HashSet::new();
    for i in 0..scanner.tokens.len() {
        if scanner.is(i + 1, "AS")
            && scanner.tokens.get(i + 2) == Some(&Token::Punct('('))
            && (i == 0
                || scanner.is(i - 1, "WITH")
                || scanner.is(i - 1, "RECURSIVE")
                || scanner.tokens[i - 1] == Token::Punct(','))
            && let Token::Word(name) = &scanner.tokens[i]
        {
            ctes.insert(name.to_lowercase());
        }
    }

    let record = |parts: Vec<String>, mode: Mode, tables: &mut StatementTables| {
        let Some(name) = normalise_name(parts.iter().map(String::as_str)) else {
            tables.dynamic_tables += 1;
            return;
        };
        if NOT_NAMES.contains(&name.to_ascii_uppercase().as_str()) || ctes.contains(&name) {
            return;
        }
        match mode {
            Mode::Read => tables.reads.insert(name),
            Mode::Write => tables.writes.insert(name),
            Mode::Schema => {
                if kind == StatementKind::Ddl && first == "CREATE" {
                    tables.created.insert(name.clone());
                }
                tables.schema.insert(name)
            }
        };
    };

    // Parentheses opened by a function call (`extract(epoch FROM x)`, `substring(s FROM 2)`): their FROM is not a table.
    let mut in_call: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < scanner.tokens.len() {
        match &scanner.tokens[i] {
            Token::Punct('(') => {
                let called = i > 0
                    && matches!(&scanner.tokens[i - 1], Token::Word(w) if !is_sql_keyword(w))
                    && !matches!(
                        scanner.keyword(i.wrapping_sub(2)).as_deref(),
                        Some("INTO" | "TABLE" | "UPDATE" | "JOIN" | "FROM")
                    );
                in_call.push(called);
                i += 1;
                continue;
            }
            Token::Punct(')') => {
                in_call.pop();
                i += 1;
                continue;
            }
            _ => {}
        }
        let Some(keyword) = scanner.keyword(i) else {
            i += 1;
            continue;
        };
        if keyword == "FROM" && in_call.last() == Some(&true) {
            i += 1;
            continue;
        }
        let previous = if i == 0 { None } else { scanner.keyword(i - 1) };
        let target = match keyword.as_str() {
            "INTO" => Some((scanner.skip_words(i + 1, &[]), Mode::Write)),
            // `ON DUPLICATE KEY UPDATE`, `DO UPDATE`, `FOR UPDATE` update no new table.
            "UPDATE" if !matches!(previous.as_deref(), Some("KEY" | "DO" | "FOR")) => {
                Some((scanner.skip_words(i + 1, &["ONLY", "IGNORE", "LOW_PRIORITY"]), Mode::Write))
            }
            "FROM" if previous.as_deref() == Some("DELETE") => Some((i + 1, Mode::Write)),
            "FROM" | "JOIN" | "USING" => Some((scanner.skip_words(i + 1, &["ONLY", "LATERAL"]), Mode::Read)),
            "TRUNCATE" => Some((scanner.skip_words(i + 1, &["TABLE", "ONLY"]), Mode::Write)),
            // `CREATE [UNIQUE] INDEX name ON table`
            "ON" if first == "CREATE"
                && scanner.tokens[..i]
                    .iter()
                    .any(|t| matches!(t, Token::Word(w) if w.eq_ignore_ascii_case("INDEX"))) =>
            {
                Some((scanner.skip_words(i + 1, &["ONLY"]), Mode::Schema))
            }
            "TABLE" if matches!(previous.as_deref(), Some("CREATE" | "ALTER" | "DROP" | "TEMP" | "TEMPORARY")) => {
                Some((scanner.skip_words(i + 1, &["IF", "NOT", "EXISTS", "ONLY"]), Mode::Schema))
            }
            _ => None,
        };
        let Some((mut at, mode)) = target else {
            i += 1;
            continue;
        };
        // A driver parameter in the table position (`FROM :tbl`, `INTO ?`, `ON $1:name`): a table chosen at run time.
        let parameter = matches!(scanner.tokens.get(at), Some(Token::Word(w)) if w.starts_with('$'))
            && scanner.tokens.get(at + 1) == Some(&Token::Punct(':'));
        if parameter || matches!(scanner.tokens.get(at), Some(Token::Punct(':' | '?'))) {
            tables.dynamic_tables += 1;
            i += 1;
            continue;
        }
        // `FROM a, b` lists several tables.
        while let Some((parts, next)) = scanner.name(at) {
            // `FROM fn(…)` is a set-returning function, not a table (`INSERT INTO t (cols)` is a table).
            if mode == Mode::Read && scanner.tokens.get(next) == Some(&Token::Punct('(')) {
                break;
            }
            record(parts, mode, &mut tables);
            at = next;
            // Skip an alias: `FROM orders o, users u`.
            if scanner.keyword(at).as_deref() == Some("AS") {
                at += 1;
            }
            if matches!(scanner.tokens.get(at), Some(Token::Word(w)) if !is_clause_keyword(w)) {
                at += 1;
            }
            if mode == Mode::Read && scanner.tokens.get(at) == Some(&Token::Punct(',')) {
                at += 1;
            } else {
                break;
            }
        }
        i += 1;
    }
    tables
}

/// Words that are SQL syntax rather than function names when a parenthesis follows them.
fn is_sql_keyword(word: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "IN",
        "EXISTS",
        "VALUES",
        "AS",
        "ON",
        "USING",
        "FROM",
        "JOIN",
        "WHERE",
        "AND",
        "OR",
        "NOT",
        "SELECT",
        "INTO",
        "TABLE",
        "UPDATE",
        "ANY",
        "ALL",
        "SOME",
        "OVER",
        "FILTER",
        "WITH",
        "LATERAL",
        "RETURNING",
        "SET",
    ];
    KEYWORDS.contains(&word.to_ascii_uppercase().as_str())
}

fn is_clause_keyword(word: &str) -> bool {
    const CLAUSES: &[&str] = &[
        "WHERE",
        "JOIN",
        "LEFT",
        "RIGHT",
        "INNER",
        "OUTER",
        "FULL",
        "CROSS",
        "ON",
        "GROUP",
        "ORDER",
        "LIMIT",
        "SET",
        "VALUES",
        "USING",
        "HAVING",
        "UNION",
        "RETURNING",
        "WINDOW",
        "OFFSET",
        "FOR",
        "NATURAL",
        "SELECT",
    ];
    CLAUSES.contains(&word.to_ascii_uppercase().as_str())
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Read,
    Write,
    Schema,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_sets(sql: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let t = scan(sql);
        (t.reads.into_iter().collect(), t.writes.into_iter().collect(), t.schema.into_iter().collect())
    }

    #[test]
    fn keywords_introduce_tables() {
        let v = |x: &[&str]| x.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            scan_sets("SELECT * FROM a x, b AS y JOIN c ON true WHERE z IN (SELECT 1 FROM d)"),
            (v(&["a", "b", "c", "d"]), v(&[]), v(&[]))
        );
        assert_eq!(
            scan_sets("INSERT INTO t SELECT * FROM s ON DUPLICATE KEY UPDATE n = 1"),
            (v(&["s"]), v(&["t"]), v(&[]))
        );
        assert_eq!(scan_sets("DELETE FROM t USING u"), (v(&["u"]), v(&["t"]), v(&[])));
        assert_eq!(scan_sets("CREATE TABLE IF NOT EXISTS \"Users\" (id int)"), (v(&[]), v(&[]), v(&["users"])));
        assert_eq!(scan_sets("WITH r AS (SELECT * FROM a) SELECT * FROM r"), (v(&["a"]), v(&[]), v(&[])));
        assert_eq!(scan_sets("SELECT 'FROM fake' FROM real_table"), (v(&["real_table"]), v(&[]), v(&[])));
        assert_eq!(
            scan_sets("SELECT extract(epoch from t.a - t.b), substring(name from 2 for 3) FROM t WHERE x = {{p}}"),
            (v(&["t"]), v(&[]), v(&[]))
        );
        assert_eq!(scan_sets("SELECT * FROM jsonb_each(x) WHERE {{y}}"), (v(&[]), v(&[]), v(&[])));
    }
}
