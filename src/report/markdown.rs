//! The Markdown report: a concise summary for a pull-request comment, bounded in size whatever the repository.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::Analysis;

/// Lists are cut to this many rows so the comment stays far below GitHub's 65,536-character limit.
const ROWS: usize = 15;

pub fn render(analysis: &Analysis) -> String {
    let s = &analysis.summary;
    let mut out = String::new();
    let _ = writeln!(out, "## seamline: {}\n", code(&analysis.root));
    let _ = writeln!(out, "| files | modules | lines | functions | external packages | diagnostics | skipped |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} |\n",
        s.files, s.modules, s.lines, s.functions, s.external_packages, s.diagnostics, s.skipped
    );

    let q = &analysis.quality;
    if !q.verdict.is_empty() {
        let _ = writeln!(out, "**Verdict: {}**: {}\n", q.verdict, plain(&q.reason));
        let _ = writeln!(
            out,
            "modularity {} · SM {} · ICP {} · IFN {} · NED {} · cross-context weight {}\n",
            q.modularity, q.sm, q.icp, q.ifn, q.ned, q.cross_weight_share
        );
    }
    if !analysis.contexts.is_empty() {
        let _ = writeln!(
            out,
            "### Proposed contexts\n\n| context | modules | owns | contested | Ca | Ce |\n|---|---:|---|---|---:|---:|"
        );
        for c in analysis.contexts.iter().take(ROWS) {
            let contested: Vec<&str> = c.tables_contested.iter().map(|t| t.table.as_str()).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                code(&c.name),
                c.modules.len(),
                plain(&c.tables_owned.join(", ")),
                plain(&contested.join(", ")),
                c.ca,
                c.ce
            );
        }
        if analysis.contexts.len() > ROWS {
            let _ = writeln!(out, "| … {} more in the JSON report | | | | | |", analysis.contexts.len() - ROWS);
        }
        out.push('\n');
    }
    if !analysis.warnings.is_empty() {
        let _ = writeln!(out, "### Coupling problems\n");
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for w in &analysis.warnings {
            *kinds.entry(w.kind.as_str()).or_default() += 1;
        }
        let _ = writeln!(
            out,
            "{}\n",
            kinds.iter().map(|(k, n)| format!("{} × {n}", code(k))).collect::<Vec<_>>().join(" · ")
        );
        for w in analysis.warnings.iter().take(ROWS) {
            let _ = writeln!(out, "- {}", plain(&w.message));
        }
        out.push('\n');
    }
    if !analysis.extraction_order.is_empty() {
        let _ = writeln!(
            out,
            "### Extraction order\n\n| step | context | score | calls to replace | transactions to break | tables to move |\n|---:|---|---:|---:|---:|---|"
        );
        for step in analysis.extraction_order.iter().take(ROWS) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                step.step,
                code(&step.context),
                step.score,
                step.calls_to_replace.len(),
                step.transactions_to_break.len(),
                plain(&step.tables_to_move.join(", "))
            );
        }
        out.push('\n');
    }

    let mut roles: BTreeMap<String, usize> = BTreeMap::new();
    for m in &analysis.modules {
        *roles.entry(format!("{:?}", m.role).to_lowercase()).or_default() += 1;
    }
    let roles: Vec<String> = roles.iter().map(|(r, n)| format!("{r} {n}")).collect();
    let _ = writeln!(out, "**Modules by role:** {}\n", roles.join(" · "));

    let hubs = super::most_depended_on(analysis, ROWS);
    if !hubs.is_empty() {
        let _ = writeln!(out, "### Most depended-on modules\n\n| module | importers |\n|---|---:|");
        for (path, n) in hubs {
            let _ = writeln!(out, "| {} | {n} |", code(&path));
        }
        out.push('\n');
    }

    let mut packages: Vec<_> = analysis.external_dependencies.iter().collect();
    packages.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.package.cmp(&b.package)));
    if !packages.is_empty() {
        let _ = writeln!(out, "### External packages\n\n| package | statements | modules |\n|---|---:|---:|");
        for p in packages.iter().take(ROWS) {
            let _ = writeln!(out, "| {} | {} | {} |", code(&p.package), p.count, p.modules.len());
        }
        out.push('\n');
    }

    if !analysis.tables.is_empty() {
        let _ = writeln!(
            out,
            "### Tables\n\n{} tables, {} SQL statements, {} transactions.\n\n| table | writers | readers |\n|---|---:|---:|",
            analysis.tables.len(),
            analysis.sql.len(),
            analysis.transactions.len()
        );
        let mut shared: Vec<_> = analysis.tables.iter().collect();
        // Tables written from many modules are the hardest to give a single owner: list them first.
        shared.sort_by(|a, b| {
            (b.writers.len(), b.readers.len()).cmp(&(a.writers.len(), a.readers.len())).then(a.name.cmp(&b.name))
        });
        for t in shared.iter().take(ROWS) {
            let _ = writeln!(out, "| {} | {} | {} |", code(&t.name), t.writers.len(), t.readers.len());
        }
        out.push('\n');
    }

    let strongest = super::strongest_coupling(analysis, 10);
    if !strongest.is_empty() {
        let _ = writeln!(out, "### Strongest coupling\n\n| modules | weight | why |\n|---|---:|---|");
        for e in strongest {
            let r = &e.reasons;
            let mut why = format!("{} calls, {} imports", r.calls, r.imports);
            if !r.tables.is_empty() {
                why.push_str(&format!(", {} shared tables", r.tables.len()));
            }
            if r.transactions > 0 {
                why.push_str(&format!(", {} transactions", r.transactions));
            }
            let _ = writeln!(out, "| {} ↔ {} | {} | {why} |", code(&e.a), code(&e.b), e.weight);
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "**Entry points:** {} · **import cycles:** {} · **resolved calls:** {} ({} unresolved)\n",
        analysis.routes.len(),
        analysis.cycles.len(),
        s.calls,
        s.unresolved_calls
    );

    let groups = super::diagnostic_groups(analysis);
    if !groups.is_empty() {
        let _ = writeln!(out, "### Diagnostics\n");
        for (code_name, n) in &groups {
            let _ = writeln!(out, "- {} × {n}", code(code_name));
        }
        let _ = writeln!(out);
        for d in analysis.diagnostics.iter().take(ROWS) {
            let _ = writeln!(out, "- {}:{} {}", code(&d.path), d.line, plain(&d.message));
        }
        if analysis.diagnostics.len() > ROWS {
            let _ = writeln!(out, "- … and {} more in the JSON report", analysis.diagnostics.len() - ROWS);
        }
    }
    bounded(out)
}

/// GitHub rejects comments over 65,536 characters; every list above is cut to a few rows, and this is the backstop
/// for very long single values (paths, table lists).
const MAX_CHARS: usize = 60_000;

fn bounded(mut out: String) -> String {
    if out.len() <= MAX_CHARS {
        return out;
    }
    let mut cut = MAX_CHARS;
    while !out.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = out[..cut].rfind('\n').unwrap_or(cut);
    out.truncate(cut);
    out.push_str("\n\n… cut to stay within a pull-request comment; the JSON report has everything.\n");
    out
}

/// Inline code that cannot be broken out of: analysed paths are untrusted.
fn code(text: &str) -> String {
    format!("`{}`", plain(text).replace('`', "'"))
}

/// One line of text without Markdown or HTML control characters, at most 300 characters.
fn plain(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(300).collect();
    one_line.replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_under_a_pull_request_comment_whatever_the_size() {
        let long = "x".repeat(5_000);
        let module = |i: usize| crate::model::Module {
            path: format!("src/{long}/{i}.js"),
            language: crate::model::Language::Javascript,
            role: crate::model::Role::Domain,
            lines: 1,
            functions: 0,
            tables: Default::default(),
            ca: 0,
            ce: 0,
            instability: None,
            fan_in: 0,
            fan_out: 0,
            abstractness: None,
            distance: None,
            routes: Vec::new(),
            context: None,
        };
        let diagnostic =
            |i: usize| crate::model::Diagnostic::warning("unresolved-import", &format!("{long}{i}"), i, long.clone());
        let analysis = Analysis {
            schema_version: "1".into(),
            tool: crate::model::Tool { name: "seamline".into(), version: "0".into() },
            root: long.clone(),
            summary: Default::default(),
            modules: (0..3_000).map(module).collect(),
            dependencies: Vec::new(),
            external_dependencies: Vec::new(),
            tables: Vec::new(),
            sql: Vec::new(),
            transactions: Vec::new(),
            routes: Vec::new(),
            calls: Vec::new(),
            cycles: Vec::new(),
            cross_context_calls: Vec::new(),
            coupling: Default::default(),
            directories: Vec::new(),
            contexts: Vec::new(),
            extraction_order: Vec::new(),
            quality: Default::default(),
            levels: Vec::new(),
            warnings: (0..2_000)
                .map(|i| crate::model::Warning { kind: format!("k{i}"), message: long.clone(), contexts: Vec::new() })
                .collect(),
            skipped: Vec::new(),
            diagnostics: (0..5_000).map(diagnostic).collect(),
            meta: None,
        };
        let markdown = render(&analysis);
        assert!(markdown.len() < 65_000, "{} characters", markdown.len());
    }
}
