//! Reports: renders an `Analysis` as JSON (the contract), Markdown (for pull requests) or a self-contained HTML page.

mod html;
mod markdown;

use std::str::FromStr;

use crate::error::Error;
use crate::model::Analysis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Html,
    Markdown,
}

impl FromStr for Format {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "json" => Ok(Format::Json),
            "html" => Ok(Format::Html),
            "md" | "markdown" => Ok(Format::Markdown),
            other => Err(Error::Usage(format!("unknown format '{other}' (expected json, html or md)"))),
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
        }
    }
}

/// Renders the analysis; the same analysis always gives the same bytes.
pub fn render(analysis: &Analysis, format: Format) -> Result<String, Error> {
    match format {
        Format::Json => to_json(analysis),
        Format::Markdown => Ok(markdown::render(analysis)),
        Format::Html => html::render(analysis),
    }
}

/// Pretty JSON with a trailing newline; field order follows the contract types.
pub fn to_json(analysis: &Analysis) -> Result<String, Error> {
    let mut json = serde_json::to_string_pretty(analysis).map_err(|e| Error::Render(e.to_string()))?;
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
