//! The floor under seamline's cost: reads and parses the files seamline would analyse with tree-sitter alone
//! (same discovery, same grammars, same thread pool size, same allocator), and extracts nothing.
//!
//! `cargo run --release --example parse_only -- ROOT [--jobs N] [--stage parse|query|facts]`; prints files, bytes
//! and wall time. `--stage query` also matches the facts patterns over each tree and counts their captures (the
//! matching cost alone); `--stage facts` runs the whole facts extraction, as `seamline analyze --no-cache` does.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;
use seamline::config::DiscoverOptions;

// The same allocators as the seamline binary (src/main.rs), so that the comparison is of the work, not the malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    seamline::alloc::use_mimalloc_for_tree_sitter();
    seamline::alloc::disable_transparent_huge_pages();
    let mut args = std::env::args().skip(1);
    let (mut root, mut jobs, mut stage) = (None, None, Stage::Parse);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--jobs" | "-j" => jobs = args.next().and_then(|j| j.parse::<usize>().ok()),
            "--stage" => match args.next().as_deref() {
                Some("parse") => stage = Stage::Parse,
                Some("query") => stage = Stage::Query,
                Some("facts") => stage = Stage::Facts,
                _ => {
                    eprintln!("parse_only: --stage takes parse, query or facts");
                    return ExitCode::from(2);
                }
            },
            _ if root.is_none() && !arg.starts_with('-') => root = Some(PathBuf::from(arg)),
            _ => {
                eprintln!("usage: parse_only ROOT [--jobs N] [--stage parse|query|facts]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(root) = root else {
        eprintln!("usage: parse_only ROOT [--jobs N] [--stage parse|query|facts]");
        return ExitCode::from(2);
    };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = jobs {
        pool = pool.num_threads(jobs);
    }
    let pool = pool.build().expect("a thread pool");

    let started = Instant::now();
    let found = match seamline::discover::discover(&root, &DiscoverOptions::default()) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("parse_only: {e}");
            return ExitCode::from(2);
        }
    };
    let (files, bytes, nodes) = pool.install(|| {
        found
            .files
            .par_iter()
            .map_init(tree_sitter::Parser::new, |parser, file| {
                let Ok(text) = std::fs::read_to_string(root.join(&file.path)) else { return (0, 0, 0) };
                parser.set_language(&file.language.grammar()).expect("grammar ABI matches");
                let Some(tree) = parser.parse(&text, None) else { return (1, text.len(), 0) };
                let work = match stage {
                    Stage::Parse => tree.root_node().descendant_count(),
                    Stage::Query => count_captures(&tree, &text, file.language),
                    Stage::Facts => {
                        let facts = seamline::facts::extract(&tree, &text, file.language, &file.path);
                        facts.calls.len() + facts.imports.len() + facts.definitions.len()
                    }
                };
                (1, text.len(), work)
            })
            .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
    });
    let elapsed = started.elapsed();
    let counted = match stage {
        Stage::Parse => "nodes",
        Stage::Query => "captures",
        Stage::Facts => "calls, imports and definitions",
    };
    println!("{files} files, {bytes} bytes, {nodes} {counted}, in {:.3} s", elapsed.as_secs_f64());
    ExitCode::SUCCESS
}

#[derive(Clone, Copy)]
enum Stage {
    Parse,
    Query,
    Facts,
}

/// Matches the facts patterns over `tree` and counts their captures, reading nothing out of them.
fn count_captures(tree: &tree_sitter::Tree, text: &str, language: seamline::model::Language) -> usize {
    let mut captures = 0;
    language.queries().facts.for_each_match(tree.root_node(), text.as_bytes(), |found| captures += found.len());
    captures
}
