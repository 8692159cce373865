//! Architecture rules from `seamline.toml` (`[[rules]]`) evaluated on an analysis. Takes the rules, an analysis
//! and optionally a baseline of known violations; returns every violation with a stable key (no line numbers) and
//! a location, marks the ones the baseline already knows, and says whether the check failed (an error-severity
//! violation the baseline does not know). `sarif` renders the result as SARIF 2.1.0.

pub mod baseline;
pub mod rules;
pub mod sarif;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diff::{cross_dependencies, cross_transactions, cycles, table_uses};
use crate::model::Analysis;

pub use baseline::Baseline;
pub use rules::{Rule, RuleKind, RuleSpec, Severity};

#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub rules: Vec<RuleInfo>,
    /// Every violation, by rule then key.
    pub violations: Vec<Violation>,
    /// Baseline entries no longer violated: fixed, never a failure.
    pub fixed: Vec<baseline::Entry>,
    /// An error-severity violation that the baseline does not list.
    pub failed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub kind: String,
    pub severity: Severity,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub rule: String,
    /// Identifies the violation across commits: names of modules, tables, contexts or functions, never lines.
    pub key: String,
    pub severity: Severity,
    pub message: String,
    /// Where to look: the import, call or SQL statement, or the module; `None` for repository-wide rules.
    pub location: Option<Location>,
    /// Listed in the baseline: reported, never a failure.
    pub baselined: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Root-relative path.
    pub path: String,
    /// 1-based; 0 when only the file is known.
    pub line: usize,
}

/// Evaluates `rules` on `analysis`. Rules that name a context the analysis does not have are an error: a typo in a
/// rule must not pass silently.
pub fn check(rules: &[Rule], analysis: &Analysis, baseline: Option<&Baseline>) -> Result<CheckResult, String> {
    let contexts: BTreeSet<&str> = analysis.contexts.iter().map(|c| c.name.as_str()).collect();
    let known = |rule: &Rule, name: &str| -> Result<(), String> {
        if contexts.contains(name) {
            Ok(())
        } else {
            let list: Vec<&str> = contexts.iter().copied().collect();
            Err(format!("rule {}: no context named '{name}' (contexts: {})", rule.id, list.join(", ")))
        }
    };
    // Several rules read the cross-context dependencies: gather them once, and only if a rule needs them.
    let dependencies = std::cell::LazyCell::new(|| cross_dependencies(analysis));
    let mut violations = Vec::new();
    for rule in rules {
        let mut found = |key: String, message: String, location: Option<Location>| {
            violations.push(Violation {
                rule: rule.id.clone(),
                key,
                severity: rule.severity,
                message,
                location,
                baselined: false,
            })
        };
        let at = |path: &str, line: usize| Some(Location { path: path.to_owned(), line });
        match &rule.kind {
            RuleKind::NoDependency { from, to } => {
                known(rule, from)?;
                known(rule, to)?;
                for d in dependencies.iter().filter(|d| &d.from_context == from && &d.to_context == to) {
                    let (key, what) = match &d.detail {
                        Some(call) => (format!("call:{call}"), format!("calls {call}")),
                        None => (format!("import:{}->{}", d.from, d.to), format!("{} imports {}", d.from, d.to)),
                    };
                    found(key, format!("{from} must not depend on {to}: {what}"), at(&d.path, d.line));
                }
            }
            RuleKind::ApiOnly { context, api } => {
                known(rule, context)?;
                for d in dependencies.iter().filter(|d| &d.to_context == context && !api.is_match(&d.to)) {
                    let (key, what) = match &d.detail {
                        Some(call) => (format!("call:{call}"), format!("call {call}")),
                        None => (format!("import:{}->{}", d.from, d.to), format!("import of {} from {}", d.to, d.from)),
                    };
                    found(
                        key,
                        format!("{context} may only be used through its API modules: {what}"),
                        at(&d.path, d.line),
                    );
                }
            }
            RuleKind::NoWriteWriteTable => {
                for t in table_uses(analysis, true) {
                    let location = if t.line > 0 { at(&t.path, t.line) } else { None };
                    let message =
                        format!("table {} is written by several contexts: {}", t.table, t.contexts.join(", "));
                    found(format!("table:{}", t.table), message, location);
                }
            }
            RuleKind::NoCrossContextTransaction => {
                for t in cross_transactions(analysis) {
                    let message = format!(
                        "transaction in {} changes tables of several contexts: {}",
                        t.function,
                        t.contexts.join(", ")
                    );
                    found(format!("transaction:{}#{}", t.path, t.function), message, at(&t.path, t.line));
                }
            }
            RuleKind::MaxCycles { max, contexts: false } => {
                let all = cycles(analysis);
                if all.len() > *max {
                    for c in all {
                        let message = format!("import cycle ({} allowed): {}", max, c.modules.join(" → "));
                        found(format!("cycle:{}", c.modules.join(",")), message, at(&c.path, c.line));
                    }
                }
            }
            RuleKind::MaxCycles { max, contexts: true } => {
                let all: Vec<_> = analysis.warnings.iter().filter(|w| w.kind == "context-cycle").collect();
                if all.len() > *max {
                    for w in all {
                        let message = format!("context cycle ({} allowed): {}", max, w.contexts.join(" ↔ "));
                        found(format!("context-cycle:{}", w.contexts.join(",")), message, None);
                    }
                }
            }
            RuleKind::MaxInstability { paths, max } => {
                for m in &analysis.modules {
                    if let Some(i) = m.instability
                        && i > *max
                        && paths.is_match(&m.path)
                    {
                        let message = format!("{} has instability {i} (at most {max} allowed)", m.path);
                        found(format!("module:{}", m.path), message, at(&m.path, 0));
                    }
                }
            }
            RuleKind::MinModularity { min } => {
                let q = analysis.quality.modularity;
                if q < *min {
                    found("modularity".to_owned(), format!("modularity {q} is below {min}"), None);
                }
            }
        }
    }
    violations.sort();
    violations.dedup_by(|a, b| a.rule == b.rule && a.key == b.key);
    let fixed = match baseline {
        Some(b) => {
            for v in &mut violations {
                v.baselined = b.contains(&v.rule, &v.key);
            }
            b.entries_not_in(&violations)
        }
        None => Vec::new(),
    };
    let failed = violations.iter().any(|v| v.severity == Severity::Error && !v.baselined);
    let rules = rules
        .iter()
        .map(|r| RuleInfo {
            id: r.id.clone(),
            kind: r.kind.name().to_owned(),
            severity: r.severity,
            description: r.description(),
        })
        .collect();
    Ok(CheckResult { rules, violations, fixed, failed })
}

/// The result for a terminal: new violations first, then baselined ones and fixed entries as counts.
pub fn text(result: &CheckResult) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let new: Vec<&Violation> = result.violations.iter().filter(|v| !v.baselined).collect();
    for v in &new {
        let at = match &v.location {
            Some(l) if l.line > 0 => format!("{}:{}: ", l.path, l.line),
            Some(l) => format!("{}: ", l.path),
            None => String::new(),
        };
        let _ = writeln!(out, "{at}{}[{}] {}", v.severity.as_str(), v.rule, v.message);
    }
    let baselined = result.violations.len() - new.len();
    let _ = writeln!(
        out,
        "seamline check: {} rules, {} new violations, {} known from the baseline, {} fixed since the baseline: {}",
        result.rules.len(),
        new.len(),
        baselined,
        result.fixed.len(),
        if result.failed { "failed" } else { "passed" }
    );
    out
}
