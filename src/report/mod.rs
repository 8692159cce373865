//! Reports: renders an `Analysis` as JSON (the contract), Markdown (for pull requests) or a self-contained HTML page.

mod diagram;
mod html;
mod layout;
mod markdown;

use std::str::FromStr;

use crate::error::Error;
use crate::model::Analysis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
    Markdown,
    /// A Mermaid flowchart of contexts (a C4 container diagram with `--c4`).
    Mermaid,
    /// A Graphviz DOT graph of contexts.
    Dot,
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "json" => Ok(Format::Json),
            "html" => Ok(Format::Html),
            "md" | "markdown" => Ok(Format::Markdown),
            "mermaid" => Ok(Format::Mermaid),
            "dot" => Ok(Format::Dot),
            other => Err(Error::Usage(format!("unknown format '{other}' (expected json, html, md, mermaid or dot)"))),
        }
    }
}

impl Format {
    /// The file extension a report of this format gets in an output folder.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Mermaid => "mmd",
            Format::Dot => "dot",
        }
    }
}

/// Options that change how reports look, not what they say.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Mermaid as a C4 container diagram of the target architecture.
    pub c4: bool,
}

/// Renders the analysis; the same analysis always gives the same bytes.
pub fn render(analysis: &Analysis, format: Format, options: RenderOptions) -> Result<String, Error> {
    match format {
        Format::Json => to_json(analysis),
        Format::Markdown => Ok(markdown::render(analysis)),
        Format::Html => html::render(analysis),
        Format::Mermaid if options.c4 => Ok(diagram::c4(analysis)),
        Format::Mermaid => Ok(diagram::mermaid(analysis)),
        Format::Dot => Ok(diagram::dot(analysis)),
    }
}

/// Renders the analysis into `out`. JSON is streamed (a large monolith's report runs to hundreds of megabytes);
/// the other formats are small and rendered whole first. The bytes are those of [`render`].
pub fn write(
    analysis: &Analysis,
    format: Format,
    options: RenderOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            // serde_json writes a token at a time: a buffer of a concrete type in front of `out` keeps those writes
            // inlined, and only whole blocks go through the `dyn Write` (the JSON of 30,000 modules is 200 MB).
            use std::io::Write as _;
            let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
            // Keep the kind of an I/O error (a closed pipe is not a failure to the caller).
            serde_json::to_writer_pretty(&mut buffered, analysis).map_err(|e| match e.io_error_kind() {
                Some(kind) => std::io::Error::new(kind, e),
                None => std::io::Error::other(e),
            })?;
            buffered.write_all(b"\n")?;
            buffered.flush()
        }
        _ => {
            let rendered = render(analysis, format, options).map_err(|e| std::io::Error::other(e.to_string()))?;
            out.write_all(rendered.as_bytes())
        }
    }
}

/// Parses `json,html,md`: each format once, in the order given.
pub fn parse_formats(list: &str) -> Result<Vec<Format>, Error> {
    let mut formats = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let format: Format = name.parse()?;
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    if formats.is_empty() {
        return Err(Error::Usage("--format: no format given".to_owned()));
    }
    Ok(formats)
}

/// Pretty JSON with a trailing newline; field order follows the contract types.
pub fn to_json(analysis: &Analysis) -> Result<String, Error> {
    pretty_json(analysis)
}

/// Any value as pretty JSON with a trailing newline: every JSON seamline prints (reports, diffs, check results,
/// partitions) has this form.
pub fn pretty_json(value: &impl serde::Serialize) -> Result<String, Error> {
    let mut json = serde_json::to_string_pretty(value).map_err(|e| Error::Render(e.to_string()))?;
    json.push('\n');
    Ok(json)
}

/// Diagnostics grouped by code, most frequent first, for the human-readable reports.
pub(crate) fn diagnostic_groups(analysis: &Analysis) -> Vec<(String, usize)> {
    let mut groups: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in &analysis.diagnostics {
        *groups.entry(d.code.as_str()).or_default() += 1;
    }
    let mut groups: Vec<(String, usize)> = groups.into_iter().map(|(c, n)| (c.to_owned(), n)).collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    groups
}

/// Modules with the most distinct importers: the ones a split must handle first.
pub(crate) fn most_depended_on(analysis: &Analysis, limit: usize) -> Vec<(String, usize)> {
    let mut fan_in: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for d in analysis.dependencies.iter().filter(|d| d.kinds.iter().any(|k| *k != crate::model::ImportKind::TypeOnly)) {
        *fan_in.entry(d.to.as_str()).or_default() += 1;
    }
    let mut ranked: Vec<(String, usize)> = fan_in.into_iter().map(|(p, n)| (p.to_owned(), n)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(limit);
    ranked
}

/// The heaviest edges of the combined coupling graph, heaviest first.
pub(crate) fn strongest_coupling(analysis: &Analysis, limit: usize) -> Vec<&crate::model::CouplingEdge> {
    let mut edges: Vec<_> = analysis.coupling.edges.iter().collect();
    edges.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| (&a.a, &a.b).cmp(&(&b.a, &b.b))));
    edges.truncate(limit);
    edges
}

/// A commented `seamline.toml` holding the current proposal, for `seamline init`: every choice is written out with
/// its default, and each proposed context is a commented pin the expert can enable, rename or edit.
pub fn starter_config(analysis: &Analysis, config: &crate::config::Config) -> String {
    use std::fmt::Write;
    let b = &config.boundaries;
    let w = &config.coupling.weights;
    let mut out = String::new();
    let _ =
        writeln!(out, "# seamline.toml: written by `seamline init` from the current proposal. Edit it with the domain");
    let _ = writeln!(out, "# experts, then run `seamline analyze` again. Every key is optional; see the README.\n");
    let _ = writeln!(
        out,
        "[clustering]\nresolution = {:?}   # above 1: more, smaller contexts\nseed = {}\n# exclude = [\"src/legacy/**\"]\n",
        b.resolution, b.seed
    );
    let _ = writeln!(
        out,
        "[coupling]\nw_call = {:?}\nw_import = {:?}\nw_table = {:?}\nw_tx = {:?}\nw_fk = {:?}\n",
        w.call, w.import, w.table, w.transaction, w.foreign_key
    );
    let i = &config.infrastructure;
    let _ = writeln!(
        out,
        "[infrastructure]\nmin_importers = {}\nshare = {:?}\n# force = []\n# never = []\n",
        i.min_importers, i.share
    );
    let _ = writeln!(out, "# To rename a proposed context:  [rename] then  users = \"identity\"");
    let _ = writeln!(
        out,
        "# To merge two contexts:          merge = [[\"orders\", \"payments\"]]   (put top-level keys before any [table])"
    );
    let _ = writeln!(out, "# To keep two pinned contexts apart: forbid_merge = [[\"orders\", \"billing\"]]\n");
    let _ = writeln!(
        out,
        "# Proposed contexts ({}; verdict: {}). Uncomment a block to pin its modules:",
        analysis.contexts.len(),
        analysis.quality.verdict
    );
    for context in &analysis.contexts {
        let _ =
            writeln!(out, "\n# [contexts.{}]   # owns {}", toml_key(&context.name), context.tables_owned.join(", "));
        let _ = writeln!(out, "# modules = [");
        for module in &context.modules {
            let _ = writeln!(out, "#   {},", toml_string(module));
        }
        let _ = writeln!(out, "# ]");
    }
    out
}

fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

fn toml_key(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        name.to_owned()
    } else {
        toml_string(name)
    }
}

/// Coupling weight between each pair of contexts (names in order), summed over the combined graph's edges.
pub(crate) fn context_edges(analysis: &Analysis) -> std::collections::BTreeMap<(String, String), f64> {
    let context_of = analysis.context_by_module();
    let mut edges = std::collections::BTreeMap::new();
    for edge in &analysis.coupling.edges {
        if let (Some(a), Some(b)) = (context_of.get(edge.a.as_str()), context_of.get(edge.b.as_str()))
            && a != b
        {
            let key = if a < b { ((*a).to_owned(), (*b).to_owned()) } else { ((*b).to_owned(), (*a).to_owned()) };
            *edges.entry(key).or_insert(0.0) += edge.weight;
        }
    }
    edges
}
