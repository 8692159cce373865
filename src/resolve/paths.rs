//! Root-relative path arithmetic on `/`-separated strings: joining, normalising, parents.

/// Joins `dir` and `rel` and removes `.`/`..`; `None` when the result would leave the root.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The folder of a root-relative file path (`""` for the root).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `dir/name`, or `name` at the root.
pub fn child(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") }
}

/// The file name without its last extension (`orders.test.ts` → `orders.test`).
pub fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_stay_inside_the_root() {
        assert_eq!(join("src/a", "../b/./c").as_deref(), Some("src/b/c"));
        assert_eq!(join("", "./x").as_deref(), Some("x"));
        assert_eq!(join("src", "../../x"), None);
        assert_eq!(parent("src/a.ts"), "src");
        assert_eq!(parent("a.ts"), "");
        assert_eq!(child("", "a"), "a");
        assert_eq!(stem("src/orders.test.ts"), "orders.test");
    }
}
