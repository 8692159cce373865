//! The per-language table: file extensions → language, its tree-sitter grammar and compiled queries.
//!
//! Everything language-specific outside `grammars/` lives here, so a new language is one enum arm
//! plus a grammar folder.

use std::sync::LazyLock;

use tree_sitter::Language as Grammar;

use crate::facts::{FieldIds, KindNames, Patterns};

pub use crate::model::Language;

/// Query sources per language. TypeScript and TSX share the JavaScript patterns and add their own.
const JS_IMPORTS: &str = include_str!("../grammars/javascript/imports.scm");
const JS_DEFINITIONS: &str = include_str!("../grammars/javascript/definitions.scm");
const TS_DEFINITIONS: &str = include_str!("../grammars/typescript/definitions.scm");
const JS_DATA: &str = include_str!("../grammars/javascript/data.scm");
const JS_FIELDS: &str = include_str!("../grammars/javascript/fields.scm");
const TS_FIELDS: &str = include_str!("../grammars/typescript/fields.scm");
const JS_SCOPES: &str = include_str!("../grammars/javascript/scopes.scm");
const TS_SCOPES: &str = include_str!("../grammars/typescript/scopes.scm");

/// Extensions seamline reads, with their language.
const EXTENSIONS: &[(&str, Language)] = &[
    ("js", Language::Javascript),
    ("mjs", Language::Javascript),
    ("cjs", Language::Javascript),
    ("jsx", Language::Jsx),
    ("ts", Language::Typescript),
    ("mts", Language::Typescript),
    ("cts", Language::Typescript),
    ("tsx", Language::Tsx),
];

impl Language {
    /// The language of a path, from its extension; `None` for files seamline does not read.
    pub fn from_path(path: &str) -> Option<Language> {
        let ext = path.rsplit_once('.')?.1;
        EXTENSIONS.iter().find(|(e, _)| *e == ext).map(|(_, lang)| *lang)
    }

    /// The tree-sitter grammar. JSX is part of the JavaScript grammar; TSX is its own.
    pub fn grammar(self) -> Grammar {
        match self {
            Language::Javascript | Language::Jsx => tree_sitter_javascript::LANGUAGE.into(),
            Language::Typescript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }

    /// The compiled facts patterns, built once per process (reading them takes milliseconds per grammar).
    pub fn queries(self) -> &'static Queries {
        static JAVASCRIPT: LazyLock<Queries> = LazyLock::new(|| Queries::compile(Language::Javascript));
        static TYPESCRIPT: LazyLock<Queries> = LazyLock::new(|| Queries::compile(Language::Typescript));
        static TSX: LazyLock<Queries> = LazyLock::new(|| Queries::compile(Language::Tsx));
        match self {
            Language::Javascript | Language::Jsx => &JAVASCRIPT,
            Language::Typescript => &TYPESCRIPT,
            Language::Tsx => &TSX,
        }
    }

    /// The `.scm` files of this language, concatenated into one set of patterns.
    fn query_source(self) -> String {
        match self {
            Language::Javascript | Language::Jsx => {
                [JS_IMPORTS, JS_DEFINITIONS, JS_DATA, JS_FIELDS, JS_SCOPES].join("\n")
            }
            Language::Typescript | Language::Tsx => {
                [JS_IMPORTS, JS_DEFINITIONS, TS_DEFINITIONS, JS_DATA, TS_FIELDS, JS_SCOPES, TS_SCOPES].join("\n")
            }
        }
    }
}

/// Node kinds whose children no pattern of `grammars/` can match: a string literal holds only its quotes,
/// fragments and escapes (a template string, which can hold expressions, is not one of them).
const NOTHING_TO_MATCH_BELOW: &[&str] = &["string"];

/// The compiled patterns of one grammar.
pub struct Queries {
    /// Imports, exports, definitions, data access and scopes in one set of patterns, matched in one walk of the
    /// tree (src/facts/patterns.rs).
    pub facts: Patterns,
    /// The ids of the fields the facts read.
    pub fields: FieldIds,
    /// The grammar's node kind names.
    pub kinds: KindNames,
}

impl Queries {
    fn compile(language: Language) -> Queries {
        // The pattern files ship inside the binary and are checked by a unit test, so failing here is a build
        // defect.
        let grammar = language.grammar();
        let facts = Patterns::new(&grammar, &language.query_source())
            .unwrap_or_else(|e| panic!("grammars: facts patterns for {language:?}: {e}"))
            .skipping_below(&grammar, NOTHING_TO_MATCH_BELOW);
        Queries { facts, fields: FieldIds::new(&grammar), kinds: KindNames::new(&grammar) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_loads_and_every_query_compiles() {
        for lang in [Language::Javascript, Language::Jsx, Language::Typescript, Language::Tsx] {
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&lang.grammar()).expect("grammar ABI matches the tree-sitter runtime");
            assert!(lang.queries().facts.pattern_count() >= 10);
            // The files stay plain tree-sitter queries (for the playground, ast-grep, editors): they must compile
            // there too.
            if let Err(e) = tree_sitter::Query::new(&lang.grammar(), &lang.query_source()) {
                panic!("{lang:?}: not a tree-sitter query: {e}");
            }
        }
    }

    #[test]
    fn skipping_below_strings_changes_no_match_on_any_fixture() {
        let mut compared = 0;
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures")) {
            let entry = entry.expect("fixtures readable");
            let path = entry.path().to_string_lossy().into_owned();
            let (Some(lang), Ok(source)) = (Language::from_path(&path), std::fs::read_to_string(entry.path())) else {
                continue;
            };
            let whole = Patterns::new(&lang.grammar(), &lang.query_source()).expect("patterns read");
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&lang.grammar()).expect("grammar loads");
            let tree = parser.parse(&source, None).expect("parsed");
            let matches = |patterns: &Patterns| {
                let mut found = Vec::new();
                patterns.for_each_match(tree.root_node(), source.as_bytes(), |captures| {
                    found.push(captures.iter().map(|(name, node)| (*name, node.id())).collect::<Vec<_>>());
                });
                found
            };
            let (pruned, all) = (matches(&lang.queries().facts), matches(&whole));
            assert_eq!(pruned, all, "{path}");
            compared += usize::from(!all.is_empty());
        }
        assert!(compared > 50, "only {compared} fixture files had matches");
    }

    #[test]
    fn languages_come_from_extensions() {
        assert_eq!(Language::from_path("src/a.cjs"), Some(Language::Javascript));
        assert_eq!(Language::from_path("src/a.d.ts"), Some(Language::Typescript));
        assert_eq!(Language::from_path("src/App.tsx"), Some(Language::Tsx));
        assert_eq!(Language::from_path("src/a.json"), None);
        assert_eq!(Language::from_path("Makefile"), None);
    }
}
