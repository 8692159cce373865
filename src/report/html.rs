//! The HTML report: one self-contained page (inline CSS and JavaScript, no network, works from `file://`) rendered
//! with askama, which escapes every string taken from the analysed code. The script only shows, hides, sorts and
//! filters what the server rendered; it never builds markup from data.

use askama::Template;

use super::layout::{self, MapEdge, MapNode};
use crate::error::Error;
use crate::model::Analysis;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    analysis: &'a Analysis,
    roles: Vec<(String, usize)>,
    groups: Vec<(String, usize)>,
    strongest: Vec<&'a crate::model::CouplingEdge>,
    nodes: Vec<MapNode>,
    edges: Vec<MapEdge>,
    size: f64,
    /// Table × context: per table, one cell per context (`W`, `R`, `RW` or empty).
    matrix: Vec<(String, Vec<&'static str>)>,
}

pub fn render(analysis: &Analysis) -> Result<String, Error> {
    let mut roles = std::collections::BTreeMap::new();
    for m in &analysis.modules {
        *roles.entry(format!("{:?}", m.role).to_lowercase()).or_insert(0) += 1;
    }
    let (nodes, edges) = layout::layout(analysis);
    let matrix = analysis
        .tables
        .iter()
        .map(|table| {
            let cells = analysis
                .contexts
                .iter()
                .map(|c| {
                    let writes = c.modules.iter().any(|m| table.writers.contains(m));
                    let reads = c.modules.iter().any(|m| table.readers.contains(m));
                    match (reads, writes) {
                        (true, true) => "RW",
                        (false, true) => "W",
                        (true, false) => "R",
                        (false, false) => "",
                    }
                })
                .collect();
            (table.name.clone(), cells)
        })
        .collect();
    let page = Page {
        analysis,
        roles: roles.into_iter().collect(),
        groups: super::diagnostic_groups(analysis),
        strongest: super::strongest_coupling(analysis, 25),
        nodes,
        edges,
        size: layout::SIZE,
        matrix,
    };
    page.render().map_err(|e| Error::Render(e.to_string()))
}
