//! Bad input never crashes a run: arbitrary text through the SQL analyser and the facts extractor.

use proptest::prelude::*;
use seamline::model::Language;
use seamline::sql::{self, SqlDialect};

/// SQL-shaped text: statement keywords, identifiers, punctuation, placeholders and quotes in random order.
fn sqlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("SELECT"),
        Just("FROM"),
        Just("WHERE"),
        Just("INSERT INTO"),
        Just("UPDATE"),
        Just("SET"),
        Just("DELETE"),
        Just("JOIN"),
        Just("WITH"),
        Just("AS"),
        Just("("),
        Just(")"),
        Just(","),
        Just("'"),
        Just("\""),
        Just("`"),
        Just("$1"),
        Just("?"),
        Just(":id"),
        Just("@p1"),
        Just("__seamline_dyn_1"),
        Just("orders"),
        Just("public.users"),
        Just(";"),
        Just("--"),
        Just("/*"),
        Just("*/"),
        Just("CREATE TABLE"),
        Just("TRUNCATE"),
        Just("MERGE INTO"),
        Just("ON CONFLICT"),
        Just("DO UPDATE"),
        Just("."),
        Just("[x]"),
        Just("$$"),
        Just("VALUES"),
        Just("RETURNING"),
    ];
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.join(" "))
}

/// JS-shaped text: fragments of imports, calls, templates and classes in random order.
fn jsish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("import"),
        Just("export"),
        Just("from"),
        Just("'./a'"),
        Just("require("),
        Just(")"),
        Just("("),
        Just("{"),
        Just("}"),
        Just("`SELECT * FROM t ${x}`"),
        Just("'INSERT INTO t VALUES (1)'"),
        Just("+"),
        Just("const x ="),
        Just("class A"),
        Just("extends B"),
        Just("@Entity('t')"),
        Just("this."),
        Just("db('t')"),
        Just(".where()"),
        Just("async () =>"),
        Just("function f"),
        Just("module.exports ="),
        Just("exports.y ="),
        Just(";"),
        Just("\n"),
        Just("knex.transaction("),
        Just("client.query('BEGIN')"),
        Just("new X()"),
        Just("*"),
        Just("as"),
        Just("type"),
    ];
    prop::collection::vec(token, 0..60).prop_map(|tokens| tokens.join(" "))
}

fn extract(text: &str, language: Language) {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&language.grammar()).unwrap();
    let tree = parser.parse(text, None).unwrap();
    let _ = seamline::facts::extract(&tree, text, language, "fuzz.ts");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn sql_analysis_never_panics(text in prop_oneof![sqlish(), any::<String>()]) {
        for dialect in [SqlDialect::Postgres, SqlDialect::Mysql, SqlDialect::Mssql] {
            let _ = sql::analyze(&text, dialect);
        }
        let _ = sql::looks_like_sql(&text);
        let _ = sql::transaction_control(&text);
    }

    #[test]
    fn fact_extraction_never_panics(text in prop_oneof![jsish(), any::<String>()]) {
        for language in [Language::Javascript, Language::Typescript, Language::Tsx] {
            extract(&text, language);
        }
    }
}
