//! ORM models: Sequelize, TypeORM and Mongoose models mapped to their tables across modules, and the calls
//! on them (`User.findAll()`, `this.orders.save()`, `manager.find(Order)`, `new Category().save()`) as accesses.

use std::collections::HashMap;

use super::constants::{Constants, Scope};
use super::{Access, Input, Mode};
use crate::facts::{Arg, Chain};
use crate::resolve::Symbols;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Library {
    Sequelize,
    TypeOrm,
    Mongoose,
}

const SEQUELIZE_READS: &[&str] =
    &["findAll", "findOne", "findByPk", "findAndCountAll", "count", "max", "min", "sum", "findOrCreate"];
const SEQUELIZE_WRITES: &[&str] =
    &["create", "bulkCreate", "update", "destroy", "upsert", "increment", "decrement", "truncate", "restore"];
const TYPEORM_READS: &[&str] = &[
    "find",
    "findOne",
    "findOneBy",
    "findBy",
    "findAndCount",
    "findAndCountBy",
    "count",
    "countBy",
    "exists",
    "existsBy",
    "findOneOrFail",
    "findOneByOrFail",
    "sum",
    "average",
    "minimum",
    "maximum",
];
const TYPEORM_WRITES: &[&str] = &[
    "save",
    "insert",
    "update",
    "upsert",
    "delete",
    "remove",
    "softDelete",
    "softRemove",
    "restore",
    "increment",
    "decrement",
    "clear",
];
const MONGOOSE_READS: &[&str] =
    &["find", "findOne", "findById", "countDocuments", "estimatedDocumentCount", "aggregate", "exists", "distinct"];
const MONGOOSE_WRITES: &[&str] = &[
    "create",
    "insertMany",
    "updateOne",
    "updateMany",
    "findOneAndUpdate",
    "findByIdAndUpdate",
    "deleteOne",
    "deleteMany",
    "findOneAndDelete",
    "findByIdAndDelete",
    "findOneAndRemove",
    "findByIdAndRemove",
    "replaceOne",
    "bulkWrite",
];

#[derive(Debug, Clone)]
struct Model {
    orm: Library,
    table: String,
}

/// Models by (module, local name), and TypeORM repository fields by (module, class, field) → entity name.
struct Registry {
    models: HashMap<(usize, String), Model>,
    repositories: HashMap<(usize, String, String), String>,
}

/// Records the accesses made through ORM models; returns the modules that define a model (they own its table).
pub(super) fn accesses(
    input: &Input,
    constants: &Constants,
    accesses: &mut Vec<Access>,
) -> std::collections::BTreeSet<usize> {
    let registry = registry(input, constants);
    let defining: std::collections::BTreeSet<usize> = registry.models.keys().map(|(m, _)| *m).collect();
    if registry.models.is_empty() {
        return defining;
    }
    let lookup = Lookup { symbols: input.symbols, registry: &registry };
    for (m, module) in input.modules.iter().enumerate() {
        for call in &module.facts.calls {
            let mut push = |table: &str, mode| {
                accesses.push(Access { module: m, position: call.place.start, table: table.to_owned(), mode });
            };
            for (model, mode) in lookup.calls_on_models(m, call) {
                push(&model.table, mode);
            }
        }
    }
    defining
}

fn registry(input: &Input, constants: &Constants) -> Registry {
    let mut registry = Registry { models: HashMap::new(), repositories: HashMap::new() };
    for (m, module) in input.modules.iter().enumerate() {
        let facts = &module.facts;
        for call in &facts.calls {
            let scope = Scope::of(&call.place);
            let string = |arg: Option<&Arg>| constants.arg_value(m, scope, arg);
            fn option<'x>(arg: Option<&'x Arg>, key: &str) -> Option<&'x Arg> {
                match arg? {
                    Arg::Object { entries } => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                    _ => None,
                }
            }
            let Some(last) = call.links.last() else { continue };
            let args = last.args.as_deref().unwrap_or_default();
            match (call.root.as_str(), last.name.as_str()) {
                // sequelize.define('User', attrs, { tableName })
                (_, "define") if call.assigned_to.is_some() => {
                    let Some(name) = string(args.first()) else { continue };
                    let table = string(option(args.get(2), "tableName"))
                        .unwrap_or_else(|| sequelize_default(&name, is_true(option(args.get(2), "freezeTableName"))));
                    let local = call.assigned_to.clone().unwrap_or_default();
                    registry.models.insert((m, local), Model { orm: Library::Sequelize, table: table.to_lowercase() });
                }
                // Order.init(attrs, { sequelize, modelName, tableName, freezeTableName })
                (class, "init") if call.links.len() == 1 && args.len() >= 2 => {
                    let options = args.get(1);
                    let name = string(option(options, "modelName")).unwrap_or_else(|| class.to_owned());
                    let table = string(option(options, "tableName"))
                        .unwrap_or_else(|| sequelize_default(&name, is_true(option(options, "freezeTableName"))));
                    registry
                        .models
                        .insert((m, class.to_owned()), Model { orm: Library::Sequelize, table: table.to_lowercase() });
                }
                // @Table({ tableName }) (sequelize-typescript), @Entity('t') / @Entity({ name }) / @Entity() (TypeORM)
                ("Table" | "Entity", "") if call.decorates.is_some() => {
                    let class = call.decorates.clone().unwrap_or_default();
                    let (orm, table) = if call.root == "Table" {
                        let table = string(option(args.first(), "tableName")).unwrap_or_else(|| {
                            sequelize_default(&class, is_true(option(args.first(), "freezeTableName")))
                        });
                        (Library::Sequelize, table)
                    } else {
                        let table = string(args.first())
                            .or_else(|| string(option(args.first(), "name")))
                            .unwrap_or_else(|| snake_case(&class));
                        (Library::TypeOrm, table)
                    };
                    registry.models.insert((m, class), Model { orm, table: table.to_lowercase() });
                }
                // @InjectRepository(Order) private readonly orders
                ("InjectRepository", "") => {
                    if let (Some(field), Some(class), Some(Arg::Ref { path, .. })) =
                        (&call.decorates, &call.place.class, args.first())
                    {
                        registry.repositories.insert((m, class.clone(), field.clone()), path.clone());
                    }
                }
                // mongoose.model('User', schema, 'collection'), model('User', schema)
                ("mongoose", "model") | ("model", "") if call.assigned_to.is_some() && args.len() >= 2 => {
                    let Some(name) = string(args.first()) else { continue };
                    let table = string(args.get(2)).unwrap_or_else(|| pluralise(&name.to_lowercase()));
                    let local = call.assigned_to.clone().unwrap_or_default();
                    registry.models.insert((m, local), Model { orm: Library::Mongoose, table: table.to_lowercase() });
                }
                _ => {}
            }
        }
    }
    registry
}

/// A TypeORM query builder writes when it is an `update`, `insert`, `delete` or `softDelete` builder.
fn query_builder_mode(links: &[crate::facts::Link]) -> Mode {
    let writes = links.iter().any(|l| {
        l.args.is_some() && matches!(l.name.as_str(), "update" | "insert" | "delete" | "softDelete" | "restore")
    });
    if writes { Mode::Write } else { Mode::Read }
}

fn is_true(arg: Option<&Arg>) -> bool {
    matches!(arg, Some(Arg::Bool { value: true }))
}

/// Sequelize's default table name: the model name pluralised, unless frozen.
fn sequelize_default(model: &str, frozen: bool) -> String {
    if frozen { model.to_lowercase() } else { pluralise(&model.to_lowercase()) }
}

/// English plural as ORMs make it: `category` → `categories`, `address` → `addresses`, `user` → `users`.
pub fn pluralise(word: &str) -> String {
    let consonant_y = word.len() > 1
        && word.ends_with('y')
        && !matches!(word.as_bytes()[word.len() - 2], b'a' | b'e' | b'i' | b'o' | b'u');
    if consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"].iter().any(|e| word.ends_with(e)) {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// TypeORM's default table name: `OrderItem` → `order_item`.
pub fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

struct Lookup<'a> {
    symbols: &'a Symbols<'a>,
    registry: &'a Registry,
}

impl Lookup<'_> {
    /// The model a name refers to in module `m`: a local model or an imported one.
    fn model(&self, m: usize, name: &str) -> Option<&Model> {
        if let Some(model) = self.registry.models.get(&(m, name.to_owned())) {
            return Some(model);
        }
        let (defining, local) = self.symbols.imported_definition(m, name)?;
        self.registry.models.get(&(defining, local))
    }

    fn calls_on_models(&self, m: usize, call: &Chain) -> Vec<(Model, Mode)> {
        let mut found = Vec::new();
        let links = &call.links;
        let op = |orm: Library, name: &str| -> Option<Mode> {
            let (reads, writes) = match orm {
                Library::Sequelize => (SEQUELIZE_READS, SEQUELIZE_WRITES),
                Library::TypeOrm => (TYPEORM_READS, TYPEORM_WRITES),
                Library::Mongoose => (MONGOOSE_READS, MONGOOSE_WRITES),
            };
            if reads.contains(&name) {
                Some(Mode::Read)
            } else if writes.contains(&name) {
                Some(Mode::Write)
            } else {
                None
            }
        };
        // `User.findAll()`, `new Category({...}).save()`
        let root_model = call.root.strip_prefix("new ").unwrap_or(&call.root);
        if let Some(model) = self.model(m, root_model).filter(|model| model.orm != Library::TypeOrm)
            && let Some(first) = links.first().filter(|l| l.args.is_some())
        {
            let mode = if call.root.starts_with("new ") {
                (first.name == "save").then_some(Mode::Write)
            } else {
                op(model.orm, &first.name)
            };
            if let Some(mode) = mode {
                found.push((model.clone(), mode));
                // Sequelize `include: [User, { model: Category }]` reads the included models.
                for arg in first.args.iter().flatten() {
                    self.included(m, arg, &mut found);
                }
            }
        }
        // TypeORM repositories: getRepository(E).op(), x.getRepository(E).op(), this.field.op(), manager.op(E, …)
        for (i, link) in links.iter().enumerate() {
            let Some(args) = &link.args else { continue };
            let entity = if link.name == "getRepository" || (link.name.is_empty() && call.root == "getRepository") {
                match args.first() {
                    Some(Arg::Ref { path, .. }) => self.model(m, path).cloned(),
                    _ => None,
                }
            } else {
                None
            };
            if let Some(entity) = entity {
                if let Some(next) = links.get(i + 1).filter(|l| l.args.is_some())
                    && let Some(mode) = op(Library::TypeOrm, &next.name)
                {
                    found.push((entity, mode));
                }
                break;
            }
            if let Some(mode) = op(Library::TypeOrm, &link.name)
                && let Some(Arg::Ref { path, .. }) = args.first()
                && let Some(entity) = self.model(m, path).filter(|e| e.orm == Library::TypeOrm)
            {
                found.push((entity.clone(), mode));
            }
        }
        let query_builder = links.iter().position(|l| l.name == "createQueryBuilder" && l.args.is_some());
        if call.root == "this"
            && let (Some(field), Some(op_link), Some(class)) = (links.first(), links.get(1), &call.place.class)
            && field.args.is_none()
            && op_link.args.is_some()
            && let Some(entity) = self.registry.repositories.get(&(m, class.clone(), field.name.clone()))
            && let Some(entity) = self.model(m, entity)
        {
            if query_builder == Some(1) {
                found.push((entity.clone(), query_builder_mode(&links[2..])));
            } else if let Some(mode) = op(Library::TypeOrm, &op_link.name) {
                found.push((entity.clone(), mode));
            }
        }
        // `dataSource.createQueryBuilder().update(E)…`, `.insert().into(E)`, `.delete().from(E)`, `.from(E, 'e')`.
        if let Some(at) = query_builder {
            let rest = &links[at + 1..];
            let mode = query_builder_mode(rest);
            for link in rest {
                let named_entity = matches!(link.name.as_str(), "update" | "into" | "from" | "innerJoin" | "leftJoin");
                let Some(Arg::Ref { path, .. }) = link.args.as_ref().and_then(|a| a.first()) else { continue };
                if !named_entity {
                    continue;
                }
                if let Some(entity) = self.model(m, path).filter(|e| e.orm == Library::TypeOrm) {
                    let joined = link.name.ends_with("Join");
                    found.push((entity.clone(), if joined { Mode::Read } else { mode }));
                }
            }
        }
        found
    }

    fn included(&self, m: usize, arg: &Arg, found: &mut Vec<(Model, Mode)>) {
        let Arg::Object { entries } = arg else { return };
        let Some((_, Arg::Array { items })) = entries.iter().find(|(k, _)| k == "include") else { return };
        for item in items {
            let name = match item {
                Arg::Ref { path, .. } => Some(path.as_str()),
                Arg::Object { entries } => entries.iter().find_map(|(k, v)| match (k.as_str(), v) {
                    ("model", Arg::Ref { path, .. }) => Some(path.as_str()),
                    _ => None,
                }),
                _ => None,
            };
            if let Some(model) = name.and_then(|n| self.model(m, n)) {
                found.push((model.clone(), Mode::Read));
            }
            self.included(m, item, found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_names() {
        assert_eq!(pluralise("category"), "categories");
        assert_eq!(pluralise("company"), "companies");
        assert_eq!(pluralise("key"), "keys");
        assert_eq!(pluralise("address"), "addresses");
        assert_eq!(pluralise("user"), "users");
        assert_eq!(snake_case("OrderItem"), "order_item");
    }
}
