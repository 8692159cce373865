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
    out
}

/// Inline code that cannot be broken out of: analysed paths are untrusted.
fn code(text: &str) -> String {
    format!("`{}`", plain(text).replace('`', "'"))
}

/// One line of text without Markdown or HTML control characters.
fn plain(text: &str) -> String {
    let one_line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).take(300).collect();
    one_line.replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|")
}
