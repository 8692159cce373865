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
    let context_of: std::collections::HashMap<&str, usize> = analysis
        .contexts
        .iter()
        .enumerate()
        .flat_map(|(i, c)| c.modules.iter().map(move |m| (m.as_str(), i)))
        .collect();
    let matrix = analysis
        .tables
        .iter()
        .map(|table| {
            let (mut reads, mut writes) = (vec![false; analysis.contexts.len()], vec![false; analysis.contexts.len()]);
            for (modules, marks) in [(&table.readers, &mut reads), (&table.writers, &mut writes)] {
                for c in modules.iter().filter_map(|m| context_of.get(m.as_str())) {
                    marks[*c] = true;
                }
            }
            let cells = reads
                .into_iter()
                .zip(writes)
                .map(|access| match access {
                    (true, true) => "RW",
                    (false, true) => "W",
                    (true, false) => "R",
                    (false, false) => "",
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
