//! The `.scm` patterns of `grammars/`, matched in one `TreeCursor` walk of a syntax tree.
//!
//! Takes the pattern text of one language and a tree; calls back with each match (its captures) in document order.
//! The files stay ordinary tree-sitter queries (a unit test compiles them with `tree_sitter::Query` too), but
//! tree-sitter's query engine costs about twice a plain cursor walk even for a one-node pattern (1.56 s against
//! 0.68 s over the 10,000-module benchmark monolith), and the facts need only a small part of its language:
//!
//! - node patterns `(kind child…)` and the wildcard `(_)`, both matching named nodes only;
//! - fields `name: (…)`, checked against the node's child in that field (grammars/ uses single-child fields);
//! - child patterns without a field, satisfied by any named child (each child pattern is checked on its own,
//!   where tree-sitter would also require them in order: the order never matters for the patterns we keep);
//! - alternations `[(a) (b)]`, at the top or as a child;
//! - captures `@name` (names starting with `_` are for predicates only and are not reported);
//! - predicates `(#eq? @capture "text")` and `(#match? @capture "regex")`.
//!
//! Anything else (anonymous nodes, quantifiers, anchors, negated fields, supertypes) is refused when the patterns
//! are read, so a pattern can never silently mean something else here than in tree-sitter.

use std::num::NonZeroU16;

use regex::Regex;
use tree_sitter::{Language as Grammar, Node};

/// The compiled patterns of one grammar.
#[derive(Debug)]
pub struct Patterns {
    patterns: Vec<Pattern>,
    /// Indexed by node kind id: the patterns whose root has that kind, in file order.
    by_kind: Vec<Vec<usize>>,
    capture_names: Vec<String>,
    /// Indexed by node kind id: the walk does not go below nodes of these kinds (see `skipping_below`).
    opaque: Vec<bool>,
}

/// One capture of a match: the index of its name (see `Patterns::capture_names`) and the node.
pub type Capture<'tree> = (usize, Node<'tree>);

#[derive(Debug)]
struct Pattern {
    root: Step,
    predicates: Vec<Predicate>,
}

/// One node pattern.
#[derive(Debug)]
struct Step {
    /// The node kind id; `None` for the wildcard `(_)`.
    kind: Option<u16>,
    children: Vec<Child>,
    captures: Vec<usize>,
}

/// A child pattern: one of `alternatives` must match the child in `field`, or any named child without a field.
#[derive(Debug)]
struct Child {
    field: Option<NonZeroU16>,
    alternatives: Vec<Step>,
}

#[derive(Debug)]
enum Predicate {
    Eq(usize, String),
    Match(usize, Regex),
}

impl Patterns {
    /// Reads `source` for `grammar`; the error says what was refused and where.
    pub fn new(grammar: &Grammar, source: &str) -> Result<Patterns, String> {
        let mut reader = Reader { grammar, tokens: tokenize(source)?, at: 0, capture_names: Vec::new() };
        let mut patterns = Vec::new();
        while reader.peek().is_some() {
            reader.top_level(&mut patterns)?;
        }
        let mut by_kind = vec![Vec::new(); grammar.node_kind_count()];
        for (index, pattern) in patterns.iter().enumerate() {
            let kind = pattern.root.kind.ok_or("a pattern's root must name a node kind, not `(_)`")?;
            // `ERROR` has an id outside the grammar's own kinds.
            by_kind.get_mut(usize::from(kind)).ok_or("a pattern's root must be a grammar node kind")?.push(index);
        }
        let opaque = vec![false; by_kind.len()];
        Ok(Patterns { patterns, by_kind, capture_names: reader.capture_names, opaque })
    }

    /// The same patterns, with the walk kept out of the children of nodes of `kinds`. Only for kinds whose
    /// descendants can never be the root of a pattern (a string's quotes, fragments and escapes): the nodes
    /// themselves are still matched. Saves the cursor steps over those children (7 % of the nodes of the
    /// benchmark monolith are inside strings); a test checks that the matches stay the same on every fixture.
    pub fn skipping_below(mut self, grammar: &Grammar, kinds: &[&str]) -> Patterns {
        for kind in kinds {
            // Id 0 is what `id_for_node_kind` answers for an unknown name.
            let id = usize::from(grammar.id_for_node_kind(kind, true));
            if id != 0
                && let Some(flag) = self.opaque.get_mut(id)
            {
                *flag = true;
            }
        }
        self
    }

    pub fn capture_names(&self) -> &[String] {
        &self.capture_names
    }

    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Walks the tree under `root` in document order (a node before its children) and calls `on_match` for each
    /// pattern that matches a node, in file order of the patterns. The walk keeps no recursion, so any depth is
    /// fine.
    pub fn for_each_match<'tree>(&self, root: Node<'tree>, src: &[u8], mut on_match: impl FnMut(&[Capture<'tree>])) {
        let mut cursor = root.walk();
        let mut captures = Vec::new();
        loop {
            let node = cursor.node();
            let kind = usize::from(node.kind_id());
            if let Some(candidates) = self.by_kind.get(kind) {
                for &index in candidates {
                    captures.clear();
                    if self.patterns[index].matches(node, src, &mut captures) {
                        captures.retain(|(name, _)| !self.capture_names[*name].starts_with('_'));
                        on_match(&captures);
                    }
                }
            }
            let opaque = self.opaque.get(kind).copied().unwrap_or(false);
            if !opaque && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }
}

impl Pattern {
    fn matches<'tree>(&self, node: Node<'tree>, src: &[u8], captures: &mut Vec<Capture<'tree>>) -> bool {
        self.root.matches(node, captures) && self.predicates.iter().all(|predicate| predicate.holds(captures, src))
    }
}

impl Predicate {
    /// Whether the text of every node captured under the predicate's capture passes it.
    fn holds(&self, captures: &[Capture], src: &[u8]) -> bool {
        let capture = match self {
            Predicate::Eq(capture, _) | Predicate::Match(capture, _) => *capture,
        };
        captures.iter().filter(|(name, _)| *name == capture).all(|(_, node)| {
            node.utf8_text(src).is_ok_and(|text| match self {
                Predicate::Eq(_, expected) => text == expected,
                Predicate::Match(_, regex) => regex.is_match(text),
            })
        })
    }
}

impl Step {
    fn matches<'tree>(&self, node: Node<'tree>, captures: &mut Vec<Capture<'tree>>) -> bool {
        let kind_matches = match self.kind {
            Some(kind) => node.kind_id() == kind,
            None => node.is_named(),
        };
        if !kind_matches {
            return false;
        }
        let before = captures.len();
        for child in &self.children {
            if !child.matches(node, captures) {
                captures.truncate(before);
                return false;
            }
        }
        captures.extend(self.captures.iter().map(|&name| (name, node)));
        true
    }
}

impl Child {
    fn matches<'tree>(&self, parent: Node<'tree>, captures: &mut Vec<Capture<'tree>>) -> bool {
        let any_alternative = |node: Node<'tree>, captures: &mut Vec<Capture<'tree>>| {
            self.alternatives.iter().any(|step| step.matches(node, captures))
        };
        match self.field {
            Some(field) => parent.child_by_field_id(field.get()).is_some_and(|node| any_alternative(node, captures)),
            None => {
                let mut cursor = parent.walk();
                parent.named_children(&mut cursor).any(|node| any_alternative(node, captures))
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    OpenAlternation,
    CloseAlternation,
    /// `name:`
    Field(String),
    /// `@name`
    Capture(String),
    /// `#eq?`
    Predicate(String),
    Text(String),
    Word(String),
}

/// Splits pattern text into tokens; `;` starts a comment.
fn tokenize(source: &str) -> Result<Vec<(Token, usize)>, String> {
    let mut tokens = Vec::new();
    let mut chars = source.char_indices().peekable();
    let line_of = |at: usize| source[..at].matches('\n').count() + 1;
    while let Some((at, c)) = chars.next() {
        let token = match c {
            c if c.is_whitespace() => continue,
            ';' => {
                while chars.next_if(|(_, c)| *c != '\n').is_some() {}
                continue;
            }
            '(' => Token::Open,
            ')' => Token::Close,
            '[' => Token::OpenAlternation,
            ']' => Token::CloseAlternation,
            '"' => {
                let mut text = String::new();
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, 'n')) => text.push('\n'),
                            Some((_, other)) => text.push(other),
                            None => return Err(format!("line {}: unterminated string", line_of(at))),
                        },
                        Some((_, other)) => text.push(other),
                        None => return Err(format!("line {}: unterminated string", line_of(at))),
                    }
                }
                Token::Text(text)
            }
            '@' | '#' => {
                let mut name = String::new();
                while let Some((_, c)) = chars.next_if(|(_, c)| is_name_char(*c) || *c == '?') {
                    name.push(c);
                }
                if c == '@' { Token::Capture(name) } else { Token::Predicate(name) }
            }
            c if is_name_char(c) => {
                let mut word = String::from(c);
                while let Some((_, c)) = chars.next_if(|(_, c)| is_name_char(*c)) {
                    word.push(c);
                }
                if chars.next_if(|(_, c)| *c == ':').is_some() { Token::Field(word) } else { Token::Word(word) }
            }
            other => {
                return Err(format!("line {}: `{other}` is not supported by seamline's pattern reader", line_of(at)));
            }
        };
        tokens.push((token, line_of(at)));
    }
    Ok(tokens)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
}

struct Reader<'a> {
    grammar: &'a Grammar,
    tokens: Vec<(Token, usize)>,
    at: usize,
    capture_names: Vec<String>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(token, _)| token)
    }

    fn next(&mut self) -> Result<Token, String> {
        let token = self.tokens.get(self.at).map(|(token, _)| token.clone()).ok_or("unexpected end of patterns")?;
        self.at += 1;
        Ok(token)
    }

    fn error(&self, message: &str) -> String {
        let line = self.tokens.get(self.at.saturating_sub(1)).map_or(0, |(_, line)| *line);
        format!("line {line}: {message}")
    }

    fn expect(&mut self, token: &Token) -> Result<(), String> {
        if self.next()? == *token { Ok(()) } else { Err(self.error(&format!("expected {token:?}"))) }
    }

    /// A pattern, or a top-level alternation (one pattern per alternative, in order).
    fn top_level(&mut self, patterns: &mut Vec<Pattern>) -> Result<(), String> {
        let mut predicates = Vec::new();
        let steps = match self.peek() {
            Some(Token::OpenAlternation) => self.alternation(&mut predicates)?,
            _ => vec![self.node(&mut predicates)?],
        };
        if !predicates.is_empty() && steps.len() > 1 {
            return Err(self.error("predicates inside a top-level alternation are not supported"));
        }
        for root in steps {
            let predicates = std::mem::take(&mut predicates);
            patterns.push(Pattern { root, predicates });
        }
        Ok(())
    }

    /// `[(a) (b)] @capture…`
    fn alternation(&mut self, predicates: &mut Vec<Predicate>) -> Result<Vec<Step>, String> {
        self.expect(&Token::OpenAlternation)?;
        let mut steps = Vec::new();
        while self.peek() != Some(&Token::CloseAlternation) {
            steps.push(self.node(predicates)?);
        }
        self.next()?;
        let captures = self.captures();
        for step in &mut steps {
            step.captures.extend(&captures);
        }
        Ok(steps)
    }

    /// `(kind child… predicate…) @capture…`
    fn node(&mut self, predicates: &mut Vec<Predicate>) -> Result<Step, String> {
        self.expect(&Token::Open)?;
        let kind = match self.next()? {
            Token::Word(word) if word == "_" => None,
            Token::Word(word) => Some(self.kind_id(&word)?),
            _ => return Err(self.error("expected a node kind")),
        };
        let mut children = Vec::new();
        loop {
            match self.peek() {
                Some(Token::Close) => break,
                Some(Token::Field(_)) => {
                    let Token::Field(name) = self.next()? else { unreachable!("peeked a field") };
                    let field = self
                        .grammar
                        .field_id_for_name(&name)
                        .ok_or_else(|| self.error(&format!("no field `{name}`")))?;
                    children.push(Child { field: Some(field), alternatives: self.child(predicates)? });
                }
                Some(Token::Open) if matches!(self.tokens.get(self.at + 1), Some((Token::Predicate(_), _))) => {
                    predicates.push(self.predicate()?);
                }
                Some(Token::Open | Token::OpenAlternation) => {
                    children.push(Child { field: None, alternatives: self.child(predicates)? });
                }
                None => return Err(self.error("unexpected end of patterns")),
                _ => return Err(self.error("expected a child pattern, a predicate or `)`")),
            }
        }
        self.next()?;
        Ok(Step { kind, children, captures: self.captures() })
    }

    fn child(&mut self, predicates: &mut Vec<Predicate>) -> Result<Vec<Step>, String> {
        match self.peek() {
            Some(Token::OpenAlternation) => self.alternation(predicates),
            _ => Ok(vec![self.node(predicates)?]),
        }
    }

    /// `(#eq? @capture "text")`, `(#match? @capture "regex")`
    fn predicate(&mut self) -> Result<Predicate, String> {
        self.expect(&Token::Open)?;
        let Token::Predicate(name) = self.next()? else { unreachable!("peeked a predicate") };
        let Token::Capture(capture) = self.next()? else { return Err(self.error("expected a capture")) };
        let Token::Text(text) = self.next()? else { return Err(self.error("expected a string")) };
        self.expect(&Token::Close)?;
        let capture = self.capture_index(&capture);
        match name.as_str() {
            "eq?" => Ok(Predicate::Eq(capture, text)),
            "match?" => {
                Regex::new(&text).map(|regex| Predicate::Match(capture, regex)).map_err(|e| self.error(&e.to_string()))
            }
            other => Err(self.error(&format!("predicate #{other} is not supported"))),
        }
    }

    fn captures(&mut self) -> Vec<usize> {
        let mut captures = Vec::new();
        while let Some(Token::Capture(name)) = self.peek().cloned() {
            self.at += 1;
            captures.push(self.capture_index(&name));
        }
        captures
    }

    fn capture_index(&mut self, name: &str) -> usize {
        match self.capture_names.iter().position(|n| n == name) {
            Some(index) => index,
            None => {
                self.capture_names.push(name.to_owned());
                self.capture_names.len() - 1
            }
        }
    }

    fn kind_id(&self, kind: &str) -> Result<u16, String> {
        match self.grammar.id_for_node_kind(kind, true) {
            0 => Err(self.error(&format!("no named node kind `{kind}`"))),
            id if self.grammar.node_kind_is_supertype(id) => {
                Err(self.error(&format!("`{kind}` is a supertype; seamline's pattern reader matches concrete kinds")))
            }
            id => Ok(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(source: &str, patterns: &str) -> Vec<String> {
        let grammar: Grammar = tree_sitter_javascript::LANGUAGE.into();
        let patterns = Patterns::new(&grammar, patterns).expect("patterns read");
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&grammar).expect("grammar loads");
        let tree = parser.parse(source, None).expect("parsed");
        let mut found = Vec::new();
        patterns.for_each_match(tree.root_node(), source.as_bytes(), |captures| {
            let parts: Vec<String> = captures
                .iter()
                .map(|(name, node)| format!("{}={}", patterns.capture_names()[*name], &source[node.byte_range()]))
                .collect();
            found.push(parts.join(" "));
        });
        found
    }

    #[test]
    fn kinds_fields_alternations_and_predicates_match_like_tree_sitter() {
        let patterns = r#"
            ; a comment
            (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @fn
            (call_expression function: (identifier) @_callee (#eq? @_callee "require")) @require
            (assignment_expression left: (member_expression) @_left (#match? @_left "^exports\\.")) @export
            [(class_declaration) (class)] @class
            (pair (property_identifier) @key)
        "#;
        let source = "const f = () => 1; const g = 2; const x = require('x'); exports.a = 1; module.b = 2;\n\
                      class A {} const B = class {}; const o = { k: 1 };";
        assert_eq!(
            matches(source, patterns),
            [
                "name=f fn=f = () => 1",
                "require=require('x')",
                "export=exports.a = 1",
                "class=class A {}",
                "class=class {}",
                "key=k",
            ]
        );
    }

    #[test]
    fn matches_come_in_document_order_parents_first() {
        let found = matches("f(g(h()))", "(call_expression) @call (identifier) @id");
        assert_eq!(found, ["call=f(g(h()))", "id=f", "call=g(h())", "id=g", "call=h()", "id=h"]);
    }

    #[test]
    fn what_the_reader_does_not_support_is_refused() {
        let grammar: Grammar = tree_sitter_javascript::LANGUAGE.into();
        for (patterns, refusal) in [
            ("(call_expression)*", "not supported"),
            ("(no_such_kind)", "no named node kind `no_such_kind`"),
            ("(call_expression nope: (identifier))", "no field `nope`"),
            ("(expression) @e", "supertype"),
            ("(_) @any", "root must name a node kind"),
            ("(ERROR) @error", "root must be a grammar node kind"),
            ("(call_expression (#not-eq? @a \"x\"))", "#not-eq? is not supported"),
            ("(call_expression", "unexpected end"),
            ("(call_expression \"(\")", "expected a child pattern"),
        ] {
            let error = Patterns::new(&grammar, patterns).expect_err(patterns);
            assert!(error.contains(refusal), "{patterns}: {error}");
        }
    }
}
