//! Schema sources outside JavaScript: `.sql` files (the tables they create, their foreign keys) and Prisma schemas
//! (models, their `@@map` table names, relations).

use std::collections::BTreeMap;

use super::SchemaFacts;
use crate::disk::Disk;
use crate::model::{Diagnostic, ForeignKeyRef};
use crate::sql::{self, SqlDialect};

/// Prisma model accessors (`user` for `model User`) → table names.
pub type PrismaModels = BTreeMap<String, String>;

/// Reads every schema file; returns the Prisma models found.
pub fn read_files(
    disk: &Disk,
    files: &[String],
    dialect: SqlDialect,
    schema: &mut SchemaFacts,
    diagnostics: &mut Vec<Diagnostic>,
) -> PrismaModels {
    let mut models = PrismaModels::new();
    for file in files {
        let Some(text) = disk.read(file) else {
            diagnostics.push(Diagnostic::error("read-error", file, 0, "cannot read schema file"));
            continue;
        };
        if file.ends_with(".prisma") {
            prisma(file, &text, &mut models, schema);
        } else {
            sql_file(file, &text, dialect, schema);
        }
    }
    models
}

/// The statements of a `.sql` file, one at a time so one bad statement costs only itself.
fn sql_file(file: &str, text: &str, dialect: SqlDialect, schema: &mut SchemaFacts) {
    for statement in split_statements(text) {
        if !sql::looks_like_sql(statement) {
            continue;
        }
        let tables = sql::analyze(statement, dialect);
        for table in tables.created {
            schema.created.push((file.to_owned(), table));
        }
        for (table, fk) in tables.foreign_keys {
            schema.foreign_keys.insert((table, ForeignKeyRef { column: fk.column, references: fk.references }));
        }
    }
}

/// Splits on `;` outside quotes, comments and `$$` bodies.
fn split_statements(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut statements = Vec::new();
    let (mut start, mut i) = (0, 0);
    let mut quote: Option<u8> = None;
    let mut dollar = false;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if dollar && text[i..].starts_with("$$") => {
                dollar = false;
                i += 1;
            }
            None if dollar => {}
            None if text[i..].starts_with("$$") => {
                dollar = true;
                i += 1;
            }
            None if text[i..].starts_with("--") => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            None if c == b'\'' || c == b'"' => quote = Some(c),
            None if c == b';' => {
                statements.push(text[start..i].trim());
                start = i + 1;
            }
            None => {}
        }
        i += 1;
    }
    statements.push(text[start..].trim());
    statements.retain(|s| !s.is_empty());
    statements
}

/// `model Name { … @@map("table") }` blocks; relation fields give foreign keys.
fn prisma(file: &str, text: &str, models: &mut PrismaModels, schema: &mut SchemaFacts) {
    struct Model {
        name: String,
        table: String,
        relations: Vec<(String, String)>,
    }
    let mut parsed: Vec<Model> = Vec::new();
    let mut current: Option<Model> = None;
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or_default().trim();
        if let Some(rest) = line.strip_prefix("model ") {
            let name = rest.split(|c: char| c.is_whitespace() || c == '{').next().unwrap_or_default().to_owned();
            current = Some(Model { table: name.to_lowercase(), name, relations: Vec::new() });
            continue;
        }
        let Some(model) = current.as_mut() else { continue };
        if line.starts_with('}') {
            parsed.extend(current.take());
        } else if let Some(rest) = line.strip_prefix("@@map(") {
            if let Some(table) = quoted(rest) {
                model.table = table.to_lowercase();
            }
        } else if let Some(at) = line.find("@relation(")
            && let Some(fields) = line[at..].split("fields:").nth(1)
        {
            let mut words = line.split_whitespace();
            let referenced_type = words.nth(1).unwrap_or_default().trim_end_matches(['?', '[', ']']).to_owned();
            let inside = fields.split('[').nth(1).and_then(|f| f.split(']').next()).unwrap_or_default();
            for column in inside.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                model.relations.push((column.to_owned(), referenced_type.clone()));
            }
        }
    }
    let table_of: BTreeMap<String, String> = parsed.iter().map(|m| (m.name.clone(), m.table.clone())).collect();
    for model in &parsed {
        let mut accessor = model.name.clone();
        if let Some(first) = accessor.get(..1) {
            accessor.replace_range(..1, &first.to_lowercase());
        }
        models.insert(accessor, model.table.clone());
        schema.created.push((file.to_owned(), model.table.clone()));
        for (column, referenced) in &model.relations {
            if let Some(references) = table_of.get(referenced) {
                let fk = ForeignKeyRef { column: column.clone(), references: references.clone() };
                schema.foreign_keys.insert((model.table.clone(), fk));
            }
        }
    }
}

fn quoted(text: &str) -> Option<&str> {
    let start = text.find('"')? + 1;
    let end = start + text[start..].find('"')?;
    Some(&text[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prisma_models_map_to_tables_and_relations_to_foreign_keys() {
        let text = "model User {\n  id Int @id\n  @@map(\"users\")\n}\nmodel Order {\n  id Int @id\n  userId Int @map(\"user_id\")\n  user User @relation(fields: [userId], references: [id])\n  @@map(\"orders\")\n}\nmodel AuditEvent {\n  id Int @id\n}\n";
        let mut models = PrismaModels::new();
        let mut schema = SchemaFacts::default();
        prisma("prisma/schema.prisma", text, &mut models, &mut schema);
        assert_eq!(models.get("user").map(String::as_str), Some("users"));
        assert_eq!(models.get("auditEvent").map(String::as_str), Some("auditevent"));
        let fks: Vec<_> = schema
            .foreign_keys
            .iter()
            .map(|(t, fk)| (t.as_str(), fk.column.as_str(), fk.references.as_str()))
            .collect();
        assert_eq!(fks, vec![("orders", "userId", "users")]);
    }

    #[test]
    fn statements_split_outside_quotes_and_bodies() {
        let text = "CREATE TABLE a (x text default ';');\n-- c; d\nCREATE FUNCTION f() AS $$ BEGIN; END $$;\nCREATE TABLE b (y int)";
        assert_eq!(split_statements(text).len(), 3);
    }
}
