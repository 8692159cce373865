//! On generated monoliths with planted domains, the proposed contexts match the planted ones (adjusted Rand index
//! at least 0.9 with 10 % cross-domain calls), in JavaScript and in TypeScript.

#[path = "support/synth.rs"]
mod synth;

use std::collections::BTreeMap;

fn agreement(typescript: bool, seed: u64) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let options = synth::SynthOptions { domains: 8, modules_per_domain: 10, cross_rate: 0.1, typescript, seed };
    let planted = synth::generate(dir.path(), &options).unwrap();
    let analysis = seamline::analyze(&seamline::Config::for_root(dir.path()).unwrap()).unwrap();
    let proposed: BTreeMap<&str, Option<&str>> =
        analysis.modules.iter().map(|m| (m.path.as_str(), m.context.as_deref())).collect();
    let (mut truth, mut found) = (Vec::new(), Vec::new());
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut id = |name: &str| {
        let next = ids.len();
        *ids.entry(name.to_owned()).or_insert(next)
    };
    for (path, domain) in &planted {
        if domain == synth::INFRASTRUCTURE || domain == synth::ENTRYPOINT {
            assert_eq!(proposed.get(path.as_str()).copied().flatten(), None, "{path} is left out of clustering");
            continue;
        }
        let context = proposed.get(path.as_str()).copied().flatten().unwrap_or_else(|| panic!("{path} has no context"));
        truth.push(id(&format!("planted:{domain}")));
        found.push(id(&format!("proposed:{context}")));
    }
    seamline::cluster::adjusted_rand_index(&truth, &found)
}

#[test]
fn planted_domains_are_recovered_in_javascript_and_typescript() {
    for (typescript, seed) in [(false, 1), (true, 2), (false, 3)] {
        let ari = agreement(typescript, seed);
        eprintln!("ARI {ari:.4} (typescript {typescript}, seed {seed})");
        assert!(ari >= 0.9, "ARI {ari:.4} (typescript {typescript}, seed {seed})");
    }
}

#[test]
fn the_html_report_of_a_2000_module_monolith_is_complete_and_under_5_mb() {
    let dir = tempfile::tempdir().unwrap();
    let options =
        synth::SynthOptions { domains: 40, modules_per_domain: 50, cross_rate: 0.1, typescript: false, seed: 4 };
    synth::generate(dir.path(), &options).unwrap();
    let analysis = seamline::analyze(&seamline::Config::for_root(dir.path()).unwrap()).unwrap();
    assert!(analysis.modules.len() >= 2_000);
    let html = seamline::report::render(&analysis, seamline::report::Format::Html, Default::default()).unwrap();
    assert!(html.len() < 5_000_000, "{} bytes", html.len());
    for part in
        ["<svg id=\"map\"", "class=\"context\"", "id=\"extraction-plan\"", "class=\"matrix\"", "id=\"module-table\""]
    {
        assert!(html.contains(part), "missing {part}");
    }
    assert_eq!(html.matches("<details class=\"context-card\"").count(), analysis.contexts.len());
    assert!(!html.contains("http://") || html.matches("http://").count() == 1, "only the SVG namespace, no network");
}
