//! Parsing: reads each discovered file, applies the content-based skip rules, parses it with tree-sitter
//! (in parallel) and extracts its facts.
//!
//! Takes `SourceFile`s (read here, or ahead by `read_all` when a cache needs their keys); returns `SourceFacts` in
//! path order, plus skipped files and read problems.

use std::path::Path;

use rayon::prelude::*;
use tree_sitter::Parser;

use crate::cache::{Cache, Entry, Key};
use crate::discover::{SourceFile, content_skip_reason};
use crate::facts::{self, SourceFacts};
use crate::model::{Diagnostic, Language, SkipReason, SkippedFile};

/// What reading one file gave.
enum Outcome {
    Parsed(SourceFacts),
    Skipped(SkippedFile),
    Unreadable(Diagnostic),
}

/// The parsed modules, skipped files and read errors, each in path order.
#[derive(Default)]
pub struct Parsed {
    pub modules: Vec<SourceFacts>,
    pub skipped: Vec<SkippedFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// What the next cache pack should hold (empty without a cache).
    pub cache_entries: Vec<Entry>,
    /// Modules whose facts came from the cache.
    pub reused: usize,
}

/// Parses `files` on the current rayon pool, reading each as it goes; `progress` is called once per file.
pub fn parse_all(root: &Path, files: &[SourceFile], progress: &(dyn Fn() + Sync)) -> Parsed {
    // A parser per worker thread: tree-sitter parsers are cheap to reuse and not `Sync`.
    let outcomes = files
        .par_iter()
        .map_init(Parser::new, |parser, file| {
            let bytes = std::fs::read(root.join(&file.path)).map_err(|e| e.to_string());
            let outcome = parse_bytes(parser, file, bytes);
            progress();
            (outcome, None)
        })
        .collect();
    gather(outcomes)
}

/// A source file's bytes, read ahead of parsing because the cache needs every file's key first.
pub struct Source {
    /// The file's key in the facts cache ([`Cache::key`]); for a file that cannot be read, [`Cache::unreadable_key`].
    pub key: Key,
    bytes: Result<Vec<u8>, String>,
}

/// Reads every file of `files` (in parallel) and computes its key.
pub fn read_all(root: &Path, files: &[SourceFile]) -> Vec<Source> {
    files
        .par_iter()
        .map(|file| match std::fs::read(root.join(&file.path)) {
            Ok(bytes) => Source { key: Cache::key(&file.path, file.language, file.forced, &bytes), bytes: Ok(bytes) },
            Err(e) => {
                let error = e.to_string();
                Source { key: Cache::unreadable_key(&file.path, &error), bytes: Err(error) }
            }
        })
        .collect()
}

/// Parses the read `sources` of `files` (one each, in the same order), taking the facts of unchanged files from
/// `cache`; `progress` is called once per file.
pub fn parse_with_cache(
    files: &[SourceFile],
    sources: Vec<Source>,
    cache: &Cache,
    progress: &(dyn Fn() + Sync),
) -> Parsed {
    let outcomes = files
        .par_iter()
        .zip(sources)
        .map_init(Parser::new, |parser, (file, source)| {
            let outcome = parse_or_reuse(parser, file, source, cache);
            progress();
            outcome
        })
        .collect();
    gather(outcomes)
}

fn gather(outcomes: Vec<(Outcome, Option<Entry>)>) -> Parsed {
    let mut parsed = Parsed::default();
    for (outcome, entry) in outcomes {
        if let Some(entry) = entry {
            parsed.reused += usize::from(matches!(entry, Entry::Reused(_)));
            parsed.cache_entries.push(entry);
        }
        match outcome {
            Outcome::Parsed(facts) => parsed.modules.push(facts),
            Outcome::Skipped(skipped) => parsed.skipped.push(skipped),
            Outcome::Unreadable(diagnostic) => parsed.diagnostics.push(diagnostic),
        }
    }
    parsed
}

/// The facts of one source text, or `None` when the parser gives up. `parse_all` runs this on every file; the
/// fuzz target `facts` runs it on arbitrary bytes.
pub fn source_facts(parser: &mut Parser, text: &str, language: Language, path: &str) -> Option<facts::FileFacts> {
    parser.set_language(&language.grammar()).ok()?;
    let tree = parser.parse(text, None)?;
    Some(facts::extract(&tree, text, language, path))
}

/// Takes one file's facts from the cache, or parses it; also says what the next cache pack should hold for it.
fn parse_or_reuse(parser: &mut Parser, file: &SourceFile, source: Source, cache: &Cache) -> (Outcome, Option<Entry>) {
    if source.bytes.is_ok()
        && let Some(facts) = cache.get(&source.key)
    {
        return (Outcome::Parsed(facts), Some(Entry::Reused(source.key)));
    }
    let outcome = parse_bytes(parser, file, source.bytes);
    let entry = match &outcome {
        Outcome::Parsed(facts) => crate::cache::encode(facts).map(|bytes| Entry::New(source.key, bytes)),
        Outcome::Skipped(_) | Outcome::Unreadable(_) => None,
    };
    (outcome, entry)
}

/// Parses and extracts one file from its bytes, or says why it cannot be.
fn parse_bytes(parser: &mut Parser, file: &SourceFile, bytes: Result<Vec<u8>, String>) -> Outcome {
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(e) => {
            return Outcome::Unreadable(Diagnostic::error("read-error", &file.path, 0, format!("cannot read: {e}")));
        }
    };
    // NUL bytes never occur in JavaScript source: this is a binary file with a source file's name.
    if bytes.iter().take(8192).any(|b| *b == 0) {
        let message = "contains NUL bytes: a binary file, not source code; left out";
        return Outcome::Unreadable(Diagnostic::warning("binary-file", &file.path, 0, message));
    }
    read_facts(parser, file, bytes)
}

/// Decodes, skips or parses the bytes of one source file.
fn read_facts(parser: &mut Parser, file: &SourceFile, bytes: Vec<u8>) -> Outcome {
    // Invalid UTF-8 (a Latin-1 comment, say) should not cost the whole file: read it lossily and say so.
    let (text, encoding_problem) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let line = e.as_bytes()[..e.utf8_error().valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            (
                text,
                Some(Diagnostic::warning(
                    "not-utf8",
                    &file.path,
                    line,
                    "invalid UTF-8; the file was read with replacement characters",
                )),
            )
        }
    };
    let skip_reason = content_skip_reason(&text);
    if let Some(reason) = skip_reason
        && !file.forced
    {
        return Outcome::Skipped(SkippedFile { path: file.path.clone(), reason });
    }
    let mut facts = match source_facts(parser, &text, file.language, &file.path) {
        Some(facts) => facts,
        None => {
            let mut facts = facts::FileFacts::default();
            facts.diagnostics.push(Diagnostic::warning(
                "parse-error",
                &file.path,
                0,
                "the parser gave up on this file",
            ));
            facts
        }
    };
    facts.diagnostics.extend(encoding_problem);
    Outcome::Parsed(SourceFacts {
        path: file.path.clone(),
        language: file.language,
        lines: text.lines().count(),
        generated: skip_reason == Some(SkipReason::Generated),
        facts,
    })
}
