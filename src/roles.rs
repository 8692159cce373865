//! Roles: tells test, UI, entry-point and infrastructure modules from domain code, by path and by what they import.
//!
//! The rules are listed in `docs/module-graph-rules.md`; the first rule that matches wins.

use std::collections::BTreeSet;

use crate::facts::SourceFacts;
use crate::model::Role;
use crate::resolve::paths;

const TEST_DIRS: &[&str] = &["__tests__", "__mocks__", "test", "tests", "e2e"];
const MIGRATION_DIRS: &[&str] = &["migrations", "migration", "seeds", "seeders", "seed"];
const UI_DIRS: &[&str] = &["frontend", "client", "web", "ui"];
const UI_PACKAGES: &[&str] = &["react", "react-dom", "react-native", "preact", "vue", "svelte"];
const ENTRY_STEMS: &[&str] = &["server", "main", "app", "bootstrap"];
const INFRA_DIRS: &[&str] = &[
    "config",
    "configs",
    "db",
    "database",
    "middleware",
    "middlewares",
    "infra",
    "infrastructure",
    "utils",
    "util",
    "helpers",
    "common",
    "shared",
    "logging",
    "migrations",
];
const INFRA_STEMS: &[&str] = &["db", "database", "config", "logger", "knexfile"];

/// What the role rules need to know about one module.
pub struct RoleInput<'a> {
    pub path: &'a str,
    /// Third-party packages it imports.
    pub packages: &'a BTreeSet<String>,
    /// A `bin` target or the root manifest's `main`.
    pub is_manifest_entry: bool,
    /// Brought in by `--include` although it looks generated.
    pub forced_generated: bool,
}

/// Classifies every module: `packages_of[m]` are the packages module `m` imports, `entry_modules` the ones a
/// manifest names, `package_dirs` the folders with a `package.json`.
pub fn classify_all(
    modules: &[SourceFacts],
    packages_of: &[BTreeSet<String>],
    entry_modules: &BTreeSet<usize>,
    package_dirs: &BTreeSet<String>,
) -> Vec<Role> {
    modules
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let input = RoleInput {
                path: &m.path,
                packages: &packages_of[i],
                is_manifest_entry: entry_modules.contains(&i),
                forced_generated: m.generated,
            };
            classify(&input, package_dirs)
        })
        .collect()
}

/// Classifies one module. `package_dirs` holds the folders with a `package.json` (`""` for the root).
pub fn classify(input: &RoleInput, package_dirs: &BTreeSet<String>) -> Role {
    let path = input.path;
    let dirs: Vec<&str> = paths::parent(path).split('/').filter(|d| !d.is_empty()).collect();
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = paths::stem(path);
    if input.forced_generated {
        return Role::Generated;
    }
    if name.contains(".test.") || name.contains(".spec.") || dirs.iter().any(|d| TEST_DIRS.contains(d)) {
        return Role::Test;
    }
    let migration_stem = ["seed", "seeds"].contains(&stem) || stem.ends_with(".migration") || stem.ends_with(".seed");
    if migration_stem || dirs.iter().any(|d| MIGRATION_DIRS.contains(d)) {
        return Role::Migration;
    }
    let ui_package = input.packages.iter().any(|p| UI_PACKAGES.contains(&p.as_str()) || p.starts_with("@angular/"));
    if ui_package || dirs.iter().any(|d| UI_DIRS.contains(d)) || path.contains("app/components/") {
        return Role::Ui;
    }
    let dir = paths::parent(path);
    let in_package_root = package_dirs.contains(dir)
        || (dir == "src" && package_dirs.contains(""))
        || dir.strip_suffix("/src").is_some_and(|pkg| package_dirs.contains(pkg));
    if input.is_manifest_entry || (in_package_root && ENTRY_STEMS.contains(&stem)) {
        return Role::Entrypoint;
    }
    let infra_dir = dirs.iter().any(|d| INFRA_DIRS.contains(&d.to_ascii_lowercase().as_str()));
    if infra_dir || INFRA_STEMS.contains(&stem) {
        return Role::Infrastructure;
    }
    Role::Domain
}

/// What the second pass of the role rules needs: coupling (for the fan-in rule) and table access.
pub struct Refinement<'a> {
    pub modules: &'a [crate::facts::SourceFacts],
    pub roles: &'a [Role],
    /// Per module, how many modules depend on it.
    pub dependents: &'a [usize],
    pub module_tables: &'a [crate::model::ModuleTables],
    /// Modules defining an ORM model: they own its table.
    pub model_modules: &'a std::collections::BTreeSet<usize>,
    /// Modules registering routes, mounts, middleware or `listen`.
    pub wiring: &'a std::collections::BTreeSet<usize>,
    pub infrastructure: &'a crate::config::InfrastructureOptions,
}

/// Applies the rules that need the whole analysis (`docs/coupling-rules.md` §7): a domain module many others depend
/// on that touches no table is infrastructure; `force`/`never` globs override, except for test, migration and
/// generated modules.
pub fn refine(input: &Refinement) -> Result<Vec<Role>, crate::error::Error> {
    let options = input.infrastructure;
    let force = crate::config::glob_set(&options.force, "[infrastructure] force")?;
    let never = crate::config::glob_set(&options.never, "[infrastructure] never")?;
    let others = input.modules.len().saturating_sub(1).max(1) as f64;
    let roles = input
        .modules
        .iter()
        .enumerate()
        .map(|(m, module)| {
            let role = input.roles[m];
            if matches!(role, Role::Test | Role::Migration | Role::Generated) {
                return role;
            }
            if never.as_ref().is_some_and(|g| g.is_match(&module.path)) {
                return if role == Role::Infrastructure { Role::Domain } else { role };
            }
            if force.as_ref().is_some_and(|g| g.is_match(&module.path)) {
                return Role::Infrastructure;
            }
            let tables = &input.module_tables[m];
            let touches_tables = !(tables.reads.is_empty() && tables.writes.is_empty() && tables.schema.is_empty())
                || input.model_modules.contains(&m);
            // Wiring only: it registers routes or middleware and has no code or data of its own.
            if input.wiring.contains(&m)
                && module.facts.definitions.is_empty()
                && !touches_tables
                && matches!(role, Role::Domain | Role::Infrastructure)
            {
                return Role::Entrypoint;
            }
            let dependents = input.dependents[m];
            let widely_used = dependents >= options.min_importers && dependents as f64 >= options.share * others;
            if role == Role::Domain && widely_used && !touches_tables { Role::Infrastructure } else { role }
        })
        .collect();
    Ok(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(path: &str, packages: &[&str]) -> Role {
        let packages = packages.iter().map(|p| (*p).to_owned()).collect();
        let dirs = ["".to_owned(), "packages/api".to_owned()].into_iter().collect();
        classify(&RoleInput { path, packages: &packages, is_manifest_entry: false, forced_generated: false }, &dirs)
    }

    #[test]
    fn first_matching_rule_wins() {
        assert_eq!(role("src/orders/orders.test.ts", &[]), Role::Test);
        assert_eq!(role("client/App.tsx", &["react"]), Role::Ui);
        assert_eq!(role("src/admin/panel.ts", &["@angular/core"]), Role::Ui);
        assert_eq!(role("src/components/Button.tsx", &["react-dom"]), Role::Ui);
        assert_eq!(role("server.js", &[]), Role::Entrypoint);
        assert_eq!(role("src/app.js", &[]), Role::Entrypoint);
        assert_eq!(role("packages/api/src/main.ts", &[]), Role::Entrypoint);
        assert_eq!(role("src/orders/app.js", &[]), Role::Domain);
        assert_eq!(role("src/Middleware/auth.js", &[]), Role::Infrastructure);
        assert_eq!(role("src/db.ts", &[]), Role::Infrastructure);
        assert_eq!(role("src/db/migrations/001_init.js", &[]), Role::Migration);
        assert_eq!(role("scripts/seed.js", &[]), Role::Migration);
        assert_eq!(role("src/users/users.seed.ts", &[]), Role::Migration);
        assert_eq!(role("src/orders/service.ts", &["express"]), Role::Domain);
        // `src` alone is not a package root's `src/` unless its parent holds a manifest.
        assert_eq!(role("lib/src/main.ts", &[]), Role::Domain);
    }
}
