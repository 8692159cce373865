//! The HTML report: one self-contained page (inline CSS, no network) rendered with askama, which escapes
//! every string taken from the analysed code.

use askama::Template;

use crate::error::Error;
use crate::model::Analysis;

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    analysis: &'a Analysis,
    roles: Vec<(String, usize)>,
    hubs: Vec<(String, usize)>,
    groups: Vec<(String, usize)>,
    strongest: Vec<&'a crate::model::CouplingEdge>,
}

pub fn render(analysis: &Analysis) -> Result<String, Error> {
    let mut roles = std::collections::BTreeMap::new();
    for m in &analysis.modules {
        *roles.entry(format!("{:?}", m.role).to_lowercase()).or_insert(0) += 1;
    }
    let page = Page {
        analysis,
        roles: roles.into_iter().collect(),
        hubs: super::most_depended_on(analysis, 25),
        groups: super::diagnostic_groups(analysis),
        strongest: super::strongest_coupling(analysis, 25),
    };
    page.render().map_err(|e| Error::Render(e.to_string()))
}
