//! Context names from what a context holds: its owned tables first, then its file names, then its folders
//! (`orders`, not `cluster-3`).

use std::collections::{BTreeMap, BTreeSet};

/// Words that say what code is, not which domain it serves.
const GENERIC: &[&str] = &[
    "src",
    "lib",
    "app",
    "apps",
    "packages",
    "package",
    "service",
    "controller",
    "model",
    "route",
    "router",
    "repository",
    "repo",
    "index",
    "util",
    "utils",
    "helper",
    "handler",
    "api",
    "module",
    "domain",
    "core",
    "common",
    "shared",
    "dto",
    "entity",
    "type",
    "js",
    "ts",
    "test",
    "spec",
    "main",
    "server",
    "client",
    "v1",
    "v2",
    "v3",
    "job",
    "internal",
    "impl",
    "base",
    "data",
    "db",
    "store",
    "manager",
    "middleware",
    "config",
    "schema",
    "interface",
    "view",
    "component",
    "page",
    "controllers",
    "services",
    "models",
    "routes",
    "query",
    "queries",
    "worker",
    "task",
    "event",
    "listener",
    "subscriber",
    "provider",
    "factory",
    "resolver",
    "gateway",
    "guard",
    "pipe",
    "dao",
    "mapper",
    "util",
    "validator",
    "validation",
    "mjs",
    "cjs",
    "tsx",
    "jsx",
    "http",
    "rest",
    "web",
    "public",
    "private",
    "new",
    "old",
];

/// `OrderItems` → [`order`, `items`]; `order_items` → [`order`, `items`].
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The singular stem a word is counted under: `categories` → `category`, `orders` → `order`.
fn stem(word: &str) -> String {
    if let Some(base) = word.strip_suffix("ies").filter(|b| b.len() > 2) {
        return format!("{base}y");
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if let Some(base) = word.strip_suffix(suffix) {
            return format!("{base}{}", &suffix[..suffix.len() - 2]);
        }
    }
    match word.strip_suffix('s') {
        Some(base) if base.len() > 2 && !base.ends_with('s') && !base.ends_with('u') => base.to_owned(),
        _ => word.to_owned(),
    }
}

fn is_generic(word: &str) -> bool {
    word.len() < 3
        || word.chars().all(|c| c.is_ascii_digit())
        || GENERIC.contains(&word)
        || GENERIC.contains(&stem(word).as_str())
}

/// Candidate names for a context, best first: (stem, surface form, score).
pub fn candidates(modules: &[&str], owned_tables: &[String]) -> Vec<String> {
    let mut scores: BTreeMap<String, f64> = BTreeMap::new();
    let mut surface: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |word: &str, weight: f64, prefer_surface: bool| {
        if is_generic(word) {
            return;
        }
        let key = stem(word);
        *scores.entry(key.clone()).or_default() += weight;
        if prefer_surface || !surface.contains_key(&key) {
            surface.insert(key, word.to_owned());
        }
    };
    for table in owned_tables {
        let table_words = words(table.rsplit('.').next().unwrap_or(table));
        for word in &table_words {
            add(word, 3.0 / table_words.len() as f64, false);
        }
        // A one-word table name (`orders`) is the best surface form for its stem.
        if let [only] = table_words.as_slice() {
            add(only, 0.0, true);
        }
    }
    for module in modules {
        let (dirs, file) = module.rsplit_once('/').unwrap_or(("", module));
        let stem_name = file.split('.').next().unwrap_or(file);
        for word in words(stem_name) {
            add(&word, 2.0, false);
        }
        for word in dirs.split('/').flat_map(words) {
            add(&word, 1.0, false);
        }
    }
    let mut ranked: Vec<(String, f64)> = scores.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.into_iter().map(|(key, _)| surface.remove(&key).unwrap_or(key)).collect()
}

/// Picks a name not taken yet: the best free candidate, else the best one with a number.
pub fn choose(candidates: &[String], taken: &BTreeSet<String>) -> String {
    if let Some(free) = candidates.iter().find(|c| !taken.contains(*c)) {
        return free.clone();
    }
    let base = candidates.first().cloned().unwrap_or_else(|| "context".to_owned());
    (2..).map(|n| format!("{base}-{n}")).find(|c| !taken.contains(c)).unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_tables_files_and_folders() {
        let modules = [
            "src/models/Order.js",
            "src/models/OrderItem.js",
            "src/services/orderService.js",
            "src/controllers/orderController.js",
        ];
        let tables = vec!["orders".to_owned(), "order_items".to_owned()];
        assert_eq!(candidates(&modules, &tables).first().map(String::as_str), Some("orders"));
        let catalog = ["src/catalog/productRepository.ts", "src/catalog/categoryService.ts"];
        let names = candidates(&catalog, &["products".to_owned(), "categories".to_owned()]);
        assert!(names.iter().take(3).any(|n| n == "catalog"), "{names:?}");
        assert_eq!(stem("categories"), "category");
        assert_eq!(stem("addresses"), "address");
        assert_eq!(words("OrderItemsService"), vec!["order", "items", "service"]);
    }

    #[test]
    fn names_stay_unique() {
        let taken: BTreeSet<String> = ["orders".to_owned()].into_iter().collect();
        assert_eq!(choose(&["orders".to_owned(), "items".to_owned()], &taken), "items");
        assert_eq!(choose(&["orders".to_owned()], &taken), "orders-2");
    }
}
