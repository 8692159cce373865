//! The context map's layout, computed by seamline so the HTML needs no layout library. Takes an analysis; returns
//! contexts as circles (area by modules) placed by a deterministic force-directed layout (strongly coupled contexts
//! close together, no overlaps), each context's modules on a small ring around it, and the coupling between
//! contexts as edges, with context cycles and contexts holding contested tables marked.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::Analysis;

pub struct MapNode {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub r: f64,
    /// Label size in map units: smaller for small circles so labels stay readable when contexts are many.
    pub font: f64,
    /// The context writes a table another context writes too.
    pub contested: bool,
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
    /// Weak edges fade so a map with hundreds of context pairs still shows its structure.
    pub opacity: f64,
    /// Both ends sit in one context dependency cycle.
    pub cycle: bool,
    pub title: String,
}

/// The map's width and height.
pub const SIZE: f64 = 1000.0;
/// Modules drawn around an expanded context; the module table lists them all.
const MODULES_SHOWN: usize = 60;

pub fn layout(analysis: &Analysis) -> (Vec<MapNode>, Vec<MapEdge>) {
    let contexts = &analysis.contexts;
    let index: BTreeMap<&str, usize> = contexts.iter().enumerate().map(|(i, c)| (c.name.as_str(), i)).collect();
    let weights = super::context_edges(analysis);
    let max_weight = weights.values().copied().fold(f64::MIN_POSITIVE, f64::max);
    let springs: Vec<(usize, usize, f64)> = weights
        .iter()
        .filter_map(|((a, b), w)| Some((*index.get(a.as_str())?, *index.get(b.as_str())?, w / max_weight)))
        .collect();
    let radii = radii(&contexts.iter().map(|c| c.modules.len()).collect::<Vec<_>>());
    let centres = place(&radii, &springs);
    let in_cycle = cycle_pairs(analysis);

    let nodes: Vec<MapNode> = contexts
        .iter()
        .zip(radii.iter().zip(&centres))
        .map(|(context, (&r, &(x, y)))| {
            let shown = context.modules.len().min(MODULES_SHOWN);
            let modules = context
                .modules
                .iter()
                .take(shown)
                .enumerate()
                .map(|(j, path)| {
                    let a = std::f64::consts::TAU * j as f64 / shown as f64;
                    let spread = r + 10.0 + 4.0 * (j % 3) as f64;
                    MapModule { path: path.clone(), x: round(x + spread * a.cos()), y: round(y + spread * a.sin()) }
                })
                .collect();
            MapNode {
                name: context.name.clone(),
                x: round(x),
                y: round(y),
                r: round(r),
                font: round((r / 2.2).clamp(6.0, 14.0)),
                contested: !context.tables_contested.is_empty(),
                modules,
            }
        })
        .collect();
    let edges = weights
        .into_iter()
        .filter_map(|((a, b), weight)| {
            let (i, j) = (*index.get(a.as_str())?, *index.get(b.as_str())?);
            let share = weight / max_weight;
            Some(MapEdge {
                x1: nodes[i].x,
                y1: nodes[i].y,
                x2: nodes[j].x,
                y2: nodes[j].y,
                width: round(1.0 + 9.0 * share),
                opacity: round(0.15 + 0.6 * share),
                cycle: in_cycle.contains(&(a.clone(), b.clone())),
                title: format!("{a} ↔ {b}: coupling {}", crate::model::round4(weight)),
            })
        })
        .collect();
    (nodes, edges)
}

/// Circle radii with area proportional to module count, scaled so that all circles together cover at most a fifth
/// of the map (they then fit without overlapping however many there are).
fn radii(module_counts: &[usize]) -> Vec<f64> {
    let total: f64 = module_counts.iter().map(|&m| m.max(1) as f64).sum();
    let scale = (0.2 * SIZE * SIZE / (std::f64::consts::PI * total.max(1.0))).sqrt();
    module_counts.iter().map(|&m| (scale * (m.max(1) as f64).sqrt()).clamp(4.0, 80.0)).collect()
}

/// Fruchterman–Reingold with circles: springs pull coupled contexts together in proportion to their coupling,
/// every pair repels, a weak pull keeps the map centred, and overlapping circles are pushed apart. Starts from a
/// sunflower spiral in the contexts' order (largest first) and uses no randomness, so the layout is deterministic.
fn place(radii: &[f64], springs: &[(usize, usize, f64)]) -> Vec<(f64, f64)> {
    let n = radii.len();
    let centre = SIZE / 2.0;
    if n == 1 {
        return vec![(centre, centre)];
    }
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let d = SIZE * 0.4 * ((i as f64 + 0.5) / n as f64).sqrt();
            let a = golden * i as f64;
            (centre + d * a.cos(), centre + d * a.sin())
        })
        .collect();
    let k = (SIZE * SIZE * 0.5 / n as f64).sqrt();
    // The pairwise pass is quadratic: fewer rounds when contexts are very many keep the report fast.
    let rounds = (40_000_000 / (n * n).max(1)).clamp(30, 300);
    for round in 0..rounds {
        let temperature = SIZE * 0.05 * (1.0 - round as f64 / rounds as f64) + 0.5;
        let mut force = vec![(0.0, 0.0); n];
        for i in 0..n {
            for j in i + 1..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                let gap = radii[i] + radii[j] + 8.0;
                let push = k * k / d + if d < gap { (gap - d) * 4.0 } else { 0.0 };
                let (fx, fy) = (dx / d * push, dy / d * push);
                force[i].0 += fx;
                force[i].1 += fy;
                force[j].0 -= fx;
                force[j].1 -= fy;
            }
        }
        for &(i, j, w) in springs {
            let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.01);
            let pull = d * d / k * (0.05 + w);
            let (fx, fy) = (dx / d * pull, dy / d * pull);
            force[i].0 -= fx;
            force[i].1 -= fy;
            force[j].0 += fx;
            force[j].1 += fy;
        }
        for (p, f) in pos.iter_mut().zip(&force) {
            let (gx, gy) = ((centre - p.0) * 0.005 * k, (centre - p.1) * 0.005 * k);
            let (fx, fy) = (f.0 + gx, f.1 + gy);
            let len = (fx * fx + fy * fy).sqrt();
            if len > 0.0 {
                let step = len.min(temperature);
                p.0 += fx / len * step;
                p.1 += fy / len * step;
            }
        }
    }
    fit(&mut pos, radii);
    separate(&mut pos, radii);
    pos
}

/// Pushes overlapping circles apart along the line between their centres and keeps them on the map: fitting the
/// layout into the map can shrink it enough to make neighbours touch.
fn separate(pos: &mut [(f64, f64)], radii: &[f64]) {
    let clamp = |p: &mut (f64, f64), r: f64| {
        p.0 = p.0.clamp(r + 2.0, SIZE - r - 2.0);
        p.1 = p.1.clamp(r + 2.0, SIZE - r - 2.0);
    };
    for _ in 0..500 {
        let mut moved = false;
        for i in 0..pos.len() {
            for j in i + 1..pos.len() {
                let (dx, dy) = (pos[j].0 - pos[i].0, pos[j].1 - pos[i].1);
                let d = (dx * dx + dy * dy).sqrt();
                let overlap = radii[i] + radii[j] + 2.0 - d;
                if overlap > 0.0 {
                    // Coincident centres separate along a direction fixed by their indices, for determinism.
                    let (ux, uy) =
                        if d > 1e-9 { (dx / d, dy / d) } else { ((i as f64).cos(), (j as f64).sin().abs() + 0.1) };
                    let half = overlap / 2.0 + 0.1;
                    pos[i] = (pos[i].0 - ux * half, pos[i].1 - uy * half);
                    pos[j] = (pos[j].0 + ux * half, pos[j].1 + uy * half);
                    clamp(&mut pos[i], radii[i]);
                    clamp(&mut pos[j], radii[j]);
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
}

/// Scales the layout about its centre so that it fills the map and every circle, with room for its module ring,
/// lies inside it.
fn fit(pos: &mut [(f64, f64)], radii: &[f64]) {
    let margin = 30.0;
    let (cx, cy) = (
        pos.iter().map(|p| p.0).sum::<f64>() / pos.len() as f64,
        pos.iter().map(|p| p.1).sum::<f64>() / pos.len() as f64,
    );
    let half = SIZE / 2.0;
    let mut scale = f64::INFINITY;
    for (p, r) in pos.iter().zip(radii) {
        let room = half - r - margin;
        for d in [(p.0 - cx).abs(), (p.1 - cy).abs()] {
            if d > 0.0 {
                scale = scale.min(room / d);
            }
        }
    }
    // Fill the map: a few contexts spread out so their edges show, many shrink to fit.
    let scale = if scale.is_finite() { scale.min(4.0) } else { 1.0 };
    for p in pos.iter_mut() {
        p.0 = half + (p.0 - cx) * scale;
        p.1 = half + (p.1 - cy) * scale;
    }
}

/// Context pairs (names in order) whose dependency lies on a context cycle: both sit in one cycle (a strongly
/// connected set of contexts) and code in one imports or calls code in the other.
fn cycle_pairs(analysis: &Analysis) -> BTreeSet<(String, String)> {
    let ordered = |a: &str, b: &str| if a < b { (a.to_owned(), b.to_owned()) } else { (b.to_owned(), a.to_owned()) };
    let mut cycle_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, warning) in analysis.warnings.iter().filter(|w| w.kind == "context-cycle").enumerate() {
        for context in &warning.contexts {
            cycle_of.insert(context, i);
        }
    }
    let context_of = analysis.context_by_module();
    analysis
        .coupling
        .edges
        .iter()
        .filter(|e| e.reasons.calls + e.reasons.imports > 0)
        .filter_map(|e| Some((*context_of.get(e.a.as_str())?, *context_of.get(e.b.as_str())?)))
        .filter(|(a, b)| a != b && cycle_of.get(a).is_some_and(|c| cycle_of.get(b) == Some(c)))
        .map(|(a, b)| ordered(a, b))
        .collect()
}

fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlaps(radii: &[f64], pos: &[(f64, f64)]) -> usize {
        let mut count = 0;
        for i in 0..pos.len() {
            for j in i + 1..pos.len() {
                let d = ((pos[i].0 - pos[j].0).powi(2) + (pos[i].1 - pos[j].1).powi(2)).sqrt();
                count += usize::from(d < radii[i] + radii[j]);
            }
        }
        count
    }

    #[test]
    fn many_contexts_fit_on_the_map_without_overlapping() {
        for n in [2, 5, 40, 200] {
            let radii = radii(&(0..n).map(|i| 1 + (i * 7) % 50).collect::<Vec<_>>());
            let springs: Vec<_> =
                (0..n).map(|i| (i, (i * 3 + 1) % n, 1.0 / (1 + i % 4) as f64)).filter(|s| s.0 != s.1).collect();
            let pos = place(&radii, &springs);
            assert_eq!(overlaps(&radii, &pos), 0, "{n} contexts overlap");
            for (p, r) in pos.iter().zip(&radii) {
                assert!(
                    p.0 - r >= 0.0 && p.0 + r <= SIZE && p.1 - r >= 0.0 && p.1 + r <= SIZE,
                    "{n}: {p:?} r {r} off the map"
                );
            }
            assert_eq!(pos, place(&radii, &springs), "deterministic");
        }
    }

    #[test]
    fn coupled_contexts_end_up_closer_than_uncoupled_ones() {
        let radii = vec![20.0; 4];
        let pos = place(&radii, &[(0, 1, 1.0), (2, 3, 1.0)]);
        let d = |a: usize, b: usize| ((pos[a].0 - pos[b].0).powi(2) + (pos[a].1 - pos[b].1).powi(2)).sqrt();
        assert!(d(0, 1) < d(0, 2) && d(0, 1) < d(0, 3) && d(2, 3) < d(1, 2), "{pos:?}");
    }
}
