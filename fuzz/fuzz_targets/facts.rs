//! Arbitrary bytes parsed as JavaScript, TypeScript and TSX, then through the facts extractor: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use seamline::model::Language;

fuzz_target!(|data: &[u8]| {
    // The pipeline reads invalid UTF-8 lossily; do the same.
    let text = String::from_utf8_lossy(data);
    let mut parser = tree_sitter::Parser::new();
    for language in [Language::Javascript, Language::Typescript, Language::Tsx] {
        let _ = seamline::parse::source_facts(&mut parser, &text, language, "src/fuzz.js");
    }
});
