//! The context map's layout, computed by seamline so the HTML needs no layout library: contexts on a circle
//! (largest first, clockwise), each sized by its modules, and each context's modules on a small ring around it.

use crate::model::Analysis;

pub struct MapNode {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub r: f64,
    pub modules: Vec<MapModule>,
}

pub struct MapModule {
    pub path: String,
    pub x: f64,
    pub y: f64,
}

pub struct MapEdge {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    pub width: f64,
    pub title: String,
}

/// The map's width and height.
pub const SIZE: f64 = 1000.0;

pub fn layout(analysis: &Analysis) -> (Vec<MapNode>, Vec<MapEdge>) {
    let contexts = &analysis.contexts;
    let count = contexts.len().max(1) as f64;
    let center = SIZE / 2.0;
    let ring = if contexts.len() <= 1 { 0.0 } else { SIZE * 0.36 };
    let max_modules = contexts.iter().map(|c| c.modules.len()).max().unwrap_or(1).max(1) as f64;
    let nodes: Vec<MapNode> = contexts
        .iter()
        .enumerate()
        .map(|(i, context)| {
            let angle = std::f64::consts::TAU * i as f64 / count - std::f64::consts::FRAC_PI_2;
            let (x, y) = (center + ring * angle.cos(), center + ring * angle.sin());
            let r = 14.0 + 36.0 * (context.modules.len() as f64 / max_modules).sqrt();
            let shown = context.modules.len().min(60);
            let modules = context
                .modules
                .iter()
                .take(shown)
                .enumerate()
                .map(|(j, path)| {
                    let a = std::f64::consts::TAU * j as f64 / shown as f64;
                    let spread = r + 18.0 + 4.0 * (j % 3) as f64;
                    MapModule { path: path.clone(), x: round(x + spread * a.cos()), y: round(y + spread * a.sin()) }
                })
                .collect();
            MapNode { name: context.name.clone(), x: round(x), y: round(y), r: round(r), modules }
        })
        .collect();
    let position: std::collections::BTreeMap<&str, (f64, f64)> =
        nodes.iter().map(|n| (n.name.as_str(), (n.x, n.y))).collect();
    let weights = super::context_edges(analysis);
    let max_weight = weights.values().copied().fold(1.0, f64::max);
    let edges = weights
        .into_iter()
        .filter_map(|((a, b), weight)| {
            let ((x1, y1), (x2, y2)) = (*position.get(a.as_str())?, *position.get(b.as_str())?);
            let width = round(1.0 + 9.0 * (weight / max_weight));
            Some(MapEdge {
                x1,
                y1,
                x2,
                y2,
                width,
                title: format!("{a} ↔ {b}: coupling {}", crate::model::round4(weight)),
            })
        })
        .collect();
    (nodes, edges)
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
