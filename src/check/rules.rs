//! The `[[rules]]` of `seamline.toml`: takes their TOML form; returns validated rules, or an error that names the
//! rule and the key.

use serde::{Deserialize, Serialize};

/// One `[[rules]]` table as written. Which keys apply depends on `kind`; the others must be absent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub kind: String,
    pub id: Option<String>,
    /// `error` (default), `warning` or `note`.
    pub severity: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub context: Option<String>,
    /// Globs of the modules that form a context's API (`api-only`).
    pub api: Option<Vec<String>>,
    /// Globs of the modules a threshold applies to (`max-instability`).
    pub paths: Option<Vec<String>>,
    /// `modules` (default) or `contexts` (`max-cycles`).
    pub scope: Option<String>,
    pub max: Option<f64>,
    pub min: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub severity: Severity,
    pub kind: RuleKind,
}

#[derive(Debug, Clone)]
pub enum RuleKind {
    /// No import or call from a module of context `from` into one of `to`.
    NoDependency { from: String, to: String },
    /// No table written by two or more contexts.
    NoWriteWriteTable,
    /// No transaction whose tables belong to modules of two or more contexts.
    NoCrossContextTransaction,
    /// At most `max` import cycles (or context cycles).
    MaxCycles { max: usize, contexts: bool },
    /// Modules matching `paths` have instability of at most `max`.
    MaxInstability { paths: globset::GlobSet, max: f64 },
    /// The proposal's modularity is at least `min`.
    MinModularity { min: f64 },
    /// Other contexts reach `context` only through modules matching `api`.
    ApiOnly { context: String, api: globset::GlobSet },
}

impl RuleKind {
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::NoDependency { .. } => "no-dependency",
            RuleKind::NoWriteWriteTable => "no-write-write-table",
            RuleKind::NoCrossContextTransaction => "no-cross-context-transaction",
            RuleKind::MaxCycles { .. } => "max-cycles",
            RuleKind::MaxInstability { .. } => "max-instability",
            RuleKind::MinModularity { .. } => "min-modularity",
            RuleKind::ApiOnly { .. } => "api-only",
        }
    }
}

impl Rule {
    /// One sentence for reports and SARIF rule metadata.
    pub fn description(&self) -> String {
        match &self.kind {
            RuleKind::NoDependency { from, to } => format!("Context {from} must not import or call context {to}."),
            RuleKind::NoWriteWriteTable => "No table may be written by more than one context.".to_owned(),
            RuleKind::NoCrossContextTransaction => {
                "No transaction may change tables of more than one context.".to_owned()
            }
            RuleKind::MaxCycles { max, contexts } => {
                format!("At most {max} {} cycles.", if *contexts { "context" } else { "import" })
            }
            RuleKind::MaxInstability { max, .. } => format!("Matching modules have instability of at most {max}."),
            RuleKind::MinModularity { min } => format!("The proposal's modularity is at least {min}."),
            RuleKind::ApiOnly { context, .. } => {
                format!("Other contexts use context {context} only through its API modules.")
            }
        }
    }
}

const KINDS: &str = "no-dependency, no-write-write-table, no-cross-context-transaction, max-cycles, max-instability, min-modularity, api-only";

/// Validates the specs in order; `Err` is a message naming the rule (`[[rules]] #N`) and the key.
pub fn compile(specs: &[RuleSpec]) -> Result<Vec<Rule>, String> {
    let mut rules: Vec<Rule> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let rule = compile_one(spec).map_err(|e| format!("[[rules]] #{} ({}): {e}", i + 1, spec.kind))?;
        if rules.iter().any(|r| r.id == rule.id) {
            return Err(format!("[[rules]] #{}: id '{}' is used twice; give one of them another `id`", i + 1, rule.id));
        }
        rules.push(rule);
    }
    Ok(rules)
}

fn compile_one(spec: &RuleSpec) -> Result<Rule, String> {
    let severity = match spec.severity.as_deref() {
        None | Some("error") => Severity::Error,
        Some("warning") => Severity::Warning,
        Some("note") => Severity::Note,
        Some(other) => return Err(format!("severity = \"{other}\": expected error, warning or note")),
    };
    let need = |value: &Option<String>, key: &str| value.clone().ok_or_else(|| format!("`{key}` is required"));
    let globs = |patterns: &Option<Vec<String>>, key: &str| -> Result<globset::GlobSet, String> {
        let patterns = patterns.as_ref().filter(|p| !p.is_empty()).ok_or_else(|| format!("`{key}` is required"))?;
        crate::config::glob_set(patterns, key).map_err(|e| e.to_string())?.ok_or_else(|| format!("`{key}` is empty"))
    };
    // Keys that the kind does not use are mistakes (a `to` on a transaction rule would silently do nothing).
    let allowed: &[&str] = match spec.kind.as_str() {
        "no-dependency" => &["from", "to"],
        "api-only" => &["context", "api"],
        "max-cycles" => &["max", "scope"],
        "max-instability" => &["paths", "max"],
        "min-modularity" => &["min"],
        _ => &[],
    };
    let present = [
        ("from", spec.from.is_some()),
        ("to", spec.to.is_some()),
        ("context", spec.context.is_some()),
        ("api", spec.api.is_some()),
        ("paths", spec.paths.is_some()),
        ("scope", spec.scope.is_some()),
        ("max", spec.max.is_some()),
        ("min", spec.min.is_some()),
    ];
    if let Some((key, _)) = present.iter().find(|(key, set)| *set && !allowed.contains(key)) {
        return Err(format!("`{key}` does not apply to this kind"));
    }
    let kind = match spec.kind.as_str() {
        "no-dependency" => RuleKind::NoDependency { from: need(&spec.from, "from")?, to: need(&spec.to, "to")? },
        "api-only" => RuleKind::ApiOnly { context: need(&spec.context, "context")?, api: globs(&spec.api, "api")? },
        "no-write-write-table" => RuleKind::NoWriteWriteTable,
        "no-cross-context-transaction" => RuleKind::NoCrossContextTransaction,
        "max-cycles" => {
            let max = spec.max.ok_or("`max` is required")?;
            if max < 0.0 || max.fract() != 0.0 {
                return Err(format!("max = {max}: expected a whole number of cycles"));
            }
            let contexts = match spec.scope.as_deref() {
                None | Some("modules") => false,
                Some("contexts") => true,
                Some(other) => return Err(format!("scope = \"{other}\": expected modules or contexts")),
            };
            RuleKind::MaxCycles { max: max as usize, contexts }
        }
        "max-instability" => {
            let max = spec.max.ok_or("`max` is required")?;
            if !(0.0..=1.0).contains(&max) {
                return Err(format!("max = {max}: instability is between 0 and 1"));
            }
            RuleKind::MaxInstability { paths: globs(&spec.paths, "paths")?, max }
        }
        "min-modularity" => {
            let min = spec.min.ok_or("`min` is required")?;
            if !(-0.5..=1.0).contains(&min) {
                return Err(format!("min = {min}: modularity is between -0.5 and 1"));
            }
            RuleKind::MinModularity { min }
        }
        other => return Err(format!("unknown kind '{other}'; expected one of: {KINDS}")),
    };
    let id = spec.id.clone().unwrap_or_else(|| match &kind {
        RuleKind::NoDependency { from, to } => format!("no-dependency:{from}->{to}"),
        RuleKind::ApiOnly { context, .. } => format!("api-only:{context}"),
        other => other.name().to_owned(),
    });
    Ok(Rule { id, severity, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(toml_text: &str) -> Vec<RuleSpec> {
        #[derive(Deserialize)]
        struct File {
            rules: Vec<RuleSpec>,
        }
        toml::from_str::<File>(toml_text).unwrap().rules
    }

    #[test]
    fn rules_get_ids_and_severities() {
        let rules = compile(&spec(
            r#"
            [[rules]]
            kind = "no-dependency"
            from = "orders"
            to = "payments"
            [[rules]]
            kind = "max-cycles"
            max = 0
            severity = "warning"
            "#,
        ))
        .unwrap();
        assert_eq!(rules[0].id, "no-dependency:orders->payments");
        assert_eq!(rules[0].severity, Severity::Error);
        assert_eq!(rules[1].id, "max-cycles");
        assert_eq!(rules[1].severity, Severity::Warning);
    }

    #[test]
    fn mistakes_name_the_rule_and_the_key() {
        for (text, needle) in [
            ("kind = \"no-dependency\"\nfrom = \"a\"", "#1 (no-dependency): `to` is required"),
            ("kind = \"no-write-write-table\"\nto = \"a\"", "`to` does not apply"),
            ("kind = \"max-cycles\"\nmax = 1.5", "whole number"),
            ("kind = \"maximum-cycles\"", "unknown kind 'maximum-cycles'"),
            ("kind = \"min-modularity\"\nmin = 0.3\nseverity = \"fatal\"", "severity = \"fatal\""),
            ("kind = \"max-instability\"\nmax = 0.5\npaths = [\"src/[\"]", "paths"),
        ] {
            let error = compile(&spec(&format!("[[rules]]\n{text}"))).unwrap_err();
            assert!(error.contains(needle), "{error:?} should contain {needle:?}");
        }
        let twice = "[[rules]]\nkind = \"max-cycles\"\nmax = 0\n[[rules]]\nkind = \"max-cycles\"\nmax = 1\n";
        assert!(compile(&spec(twice)).unwrap_err().contains("used twice"));
    }
}
