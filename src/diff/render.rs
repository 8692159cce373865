//! A [`Diff`] as text for a terminal or as Markdown for a pull-request comment (bounded in size: long lists are
//! cut with a count of what was left out; the JSON has everything).

use std::fmt::Write;

use super::{Changes, Delta, Diff};

/// Items shown per list.
const LIMIT: usize = 25;

pub fn text(diff: &Diff) -> String {
    render(diff, false)
}

/// Under GitHub's 65,536-character comment limit whatever the repository's size.
pub const MARKDOWN_LIMIT: usize = 60_000;

pub fn markdown(diff: &Diff) -> String {
    let mut out = render(diff, true);
    if out.len() > MARKDOWN_LIMIT {
        let mut cut = out[..MARKDOWN_LIMIT].rfind('\n').unwrap_or(0);
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("\n\n… cut to fit a pull-request comment; the JSON diff has everything.\n");
    }
    out
}

fn code(markdown: bool, s: &str) -> String {
    if markdown {
        // Backticks in analysed names would end the code span; the comment is untrusted text anyway.
        format!("`{}`", s.replace('`', "'"))
    } else {
        s.to_owned()
    }
}

fn render(diff: &Diff, md: bool) -> String {
    let mut out = String::new();
    let heading = |out: &mut String, title: &str| {
        if md {
            let _ = writeln!(out, "\n### {title}\n");
        } else {
            let _ = writeln!(out, "\n{title}");
        }
    };
    let bullet = if md { "- " } else { "  " };
    let (o, n) = (&diff.old, &diff.new);
    let title = format!("seamline diff: {} → {}", o.label, n.label);
    if md {
        let _ = writeln!(out, "## {}", title.replace('`', "'"));
    } else {
        let _ = writeln!(out, "{title}");
    }
    let _ = writeln!(
        out,
        "{bullet}modules {} → {}, contexts {} → {}, modularity {} → {}, import cycles {} → {}, verdict {} → {}",
        o.modules,
        n.modules,
        o.contexts,
        n.contexts,
        o.modularity,
        n.modularity,
        o.cycles,
        n.cycles,
        o.verdict,
        n.verdict
    );
    let s = &diff.stability;
    let _ = writeln!(
        out,
        "{bullet}proposal stability: adjusted Rand index {}, MoJoFM {} % over {} modules; {} modules moved",
        s.adjusted_rand_index,
        s.mojofm,
        s.modules_compared,
        diff.moved_modules.len()
    );

    let at = |path: &str, line: usize| if line > 0 { format!("{path}:{line}") } else { path.to_owned() };
    let deps = &diff.cross_context_dependencies;
    section(
        &mut out,
        md,
        "New dependencies across contexts",
        "Dependencies across contexts removed",
        deps,
        |d| {
            let what = d.detail.clone().unwrap_or_else(|| format!("{} → {}", d.from, d.to));
            format!(
                "{} {} → {}: {} at {}",
                d.kind,
                d.from_context,
                d.to_context,
                code(md, &what),
                code(md, &at(&d.path, d.line))
            )
        },
        &heading,
    );
    section(
        &mut out,
        md,
        "New import cycles",
        "Broken import cycles",
        &diff.cycles,
        |c| format!("{} (closed at {})", code(md, &c.modules.join(" → ")), code(md, &at(&c.path, c.line))),
        &heading,
    );
    section(
        &mut out,
        md,
        "New context cycles",
        "Broken context cycles",
        &diff.context_cycles,
        |c| code(md, &c.join(" ↔ ")),
        &heading,
    );
    section(
        &mut out,
        md,
        "Newly contested tables (written by several contexts)",
        "Tables no longer contested",
        &diff.contested_tables,
        |t| format!("{} by {} (at {})", code(md, &t.table), t.contexts.join(", "), code(md, &at(&t.path, t.line))),
        &heading,
    );
    section(
        &mut out,
        md,
        "Newly shared tables",
        "Tables no longer shared",
        &diff.shared_tables,
        |t| format!("{} by {}", code(md, &t.table), t.contexts.join(", ")),
        &heading,
    );
    section(
        &mut out,
        md,
        "New cross-context transactions",
        "Cross-context transactions gone",
        &diff.cross_context_transactions,
        |t| format!("{} across {} at {}", code(md, &t.function), t.contexts.join(", "), code(md, &at(&t.path, t.line))),
        &heading,
    );

    if !diff.moved_modules.is_empty() {
        heading(&mut out, "Modules that moved between contexts");
        list(
            &mut out,
            bullet,
            diff.moved_modules.iter().map(|m| format!("{}: {} → {}", code(md, &m.path), m.from, m.to)),
        );
    }
    deltas(&mut out, md, "Contexts whose coupling changed", &diff.contexts, &heading);
    deltas(&mut out, md, "Folders whose coupling changed", &diff.directories, &heading);
    deltas(&mut out, md, "Modules whose coupling changed", &diff.modules, &heading);
    out
}

#[allow(clippy::too_many_arguments)]
fn section<T>(
    out: &mut String,
    md: bool,
    added_title: &str,
    removed_title: &str,
    changes: &Changes<T>,
    line: impl Fn(&T) -> String,
    heading: &dyn Fn(&mut String, &str),
) {
    let bullet = if md { "- " } else { "  " };
    if !changes.added.is_empty() {
        heading(out, &format!("{added_title} ({})", changes.added.len()));
        list(out, bullet, changes.added.iter().map(&line));
    }
    if !changes.removed.is_empty() {
        heading(out, &format!("{removed_title} ({})", changes.removed.len()));
        list(out, bullet, changes.removed.iter().map(&line));
    }
}

fn list(out: &mut String, bullet: &str, items: impl ExactSizeIterator<Item = String>) {
    let total = items.len();
    for item in items.take(LIMIT) {
        let _ = writeln!(out, "{bullet}{item}");
    }
    if total > LIMIT {
        let _ = writeln!(out, "{bullet}… and {} more (see the JSON diff)", total - LIMIT);
    }
}

/// Largest changes first: by the size of the Ce, Ca and shared-table changes.
fn deltas(out: &mut String, md: bool, title: &str, items: &[Delta], heading: &dyn Fn(&mut String, &str)) {
    if items.is_empty() {
        return;
    }
    heading(out, &format!("{title} ({})", items.len()));
    let mut sorted: Vec<&Delta> = items.iter().collect();
    let size = |d: &Delta| {
        d.change.ce.abs() + d.change.ca.abs() + d.change.shared_tables.abs() + d.change.shared_transactions.abs()
    };
    sorted.sort_by(|a, b| size(b).cmp(&size(a)).then(a.name.cmp(&b.name)));
    let bullet = if md { "- " } else { "  " };
    let sign = |x: i64| if x > 0 { format!("+{x}") } else { x.to_string() };
    list(
        out,
        bullet,
        sorted.into_iter().map(|d| {
            let state = match (&d.old, &d.new) {
                (None, Some(_)) => " (new)".to_owned(),
                (Some(_), None) => " (gone)".to_owned(),
                _ => d.old_name.as_ref().map(|o| format!(" (was {o})")).unwrap_or_default(),
            };
            let instability = d
                .change
                .instability
                .map(|i| format!(", instability {}", if i > 0.0 { format!("+{i}") } else { i.to_string() }))
                .unwrap_or_default();
            format!(
                "{}{state}: Ca {}, Ce {}{instability}, shared tables {}, shared transactions {}",
                code(md, &d.name),
                sign(d.change.ca),
                sign(d.change.ce),
                sign(d.change.shared_tables),
                sign(d.change.shared_transactions)
            )
        }),
    );
}
