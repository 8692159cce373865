//! Arbitrary text through SQL recognition and table extraction, in every dialect: no panic, no hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use seamline::sql::SqlDialect;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = seamline::sql::looks_like_sql(text);
    for dialect in [SqlDialect::Postgres, SqlDialect::Mysql, SqlDialect::Sqlite, SqlDialect::Mssql, SqlDialect::Generic]
    {
        let tables = seamline::sql::analyze(text, dialect);
        // Whatever the input, a table name is never empty.
        assert!(tables.reads.iter().chain(&tables.writes).chain(&tables.schema).all(|t| !t.is_empty()));
    }
});
