//! Reads imports, exports and definitions out of a tree-sitter tree.
//!
//! The patterns in `grammars/` find the statements; this module reads their fields, which are named
//! alike in the JavaScript, TypeScript and TSX grammars.

use tree_sitter::{Node, Tree};

use std::cell::{Cell, RefCell};

use super::ancestry::Ancestry;
use super::fields::{FieldIds, KindNames};
use super::scopes::Scopes;
use super::{Binding, DEFAULT, Definition, DefinitionKind, ExportFact, FileFacts, ImportFact, NAMESPACE};
use crate::model::{Diagnostic, ImportKind, Language};

/// Extracts the facts of one parsed file. `path` is only used to label diagnostics.
pub fn extract(tree: &Tree, source: &str, language: Language, path: &str) -> FileFacts {
    let queries = language.queries();
    let root = tree.root_node();
    let src = source.as_bytes();

    // First gather every capture, so that the functions and classes are known before any fact asks which
    // ones enclose it; then read the facts in document order.
    let names = queries.facts.capture_names();
    let mut gathered = Gathered::default();
    queries.facts.for_each_match(root, src, |captures| {
        gathered.add(captures.iter().map(|(name, node)| (names[*name].as_str(), *node)))
    });
    let Gathered { found, functions, classes } = gathered;
    let ancestry = RefCell::new(Ancestry::new(root));
    let mut reader = Reader {
        src,
        path,
        facts: FileFacts::default(),
        fields: &queries.fields,
        kinds: &queries.kinds,
        scopes: Scopes::default(),
        ancestry,
        cut_short_at: Cell::new(None),
    };
    let functions = functions.into_iter().map(|n| (n, reader.function_name(n))).collect();
    let classes = classes.into_iter().map(|n| (n, reader.child(n, "name").map(|c| reader.text(c)))).collect();
    reader.scopes = Scopes::new(functions, classes);
    for fact in found {
        match fact {
            Found::Capture(capture, node) => match capture {
                "import" => reader.import_statement(node),
                "export" => reader.export_statement(node),
                "require" => reader.call(node, ImportKind::Require),
                "dynamic_import" => reader.call(node, ImportKind::Dynamic),
                "cjs_export" => reader.commonjs_export(node),
                "call" => reader.call_chain(node),
                "string" => reader.string_site(node),
                "declarator" => reader.declarator(node),
                "field" => reader.field(node),
                "this_assign" => reader.this_assignment(node),
                "param_property" => reader.parameter_property(node),
                _ => {}
            },
            Found::Definition(kind, node, name) => reader.definition(kind, node, name),
        }
    }

    if let Some(line) = reader.cut_short_at.get() {
        reader.facts.diagnostics.push(Diagnostic::warning(
            "nesting-too-deep",
            path,
            line,
            "an expression nests deeper than seamline reads (32 levels of call arguments, arrays and objects, \
             1,000 links of a call chain); the innermost part was not read",
        ));
    }
    if root.has_error()
        && let Some(line) = first_error_line(root)
    {
        reader.facts.diagnostics.push(Diagnostic::warning(
            "parse-error",
            path,
            line,
            "syntax error; facts were read from the parts that parsed",
        ));
    }
    let facts = &mut reader.facts;
    facts.imports.sort_by(|a, b| (a.line, &a.specifier).cmp(&(b.line, &b.specifier)));
    facts.definitions.sort_by(|a, b| (a.start_line, &a.name).cmp(&(b.start_line, &b.name)));
    facts.diagnostics.sort();
    facts.sql_texts.sort_by_key(|t| t.place.start);
    facts.sql_texts.dedup_by_key(|t| t.place.start);
    facts.calls.sort_by_key(|c| c.place.start);
    facts.fields.sort_by(|a, b| (&a.class, &a.field).cmp(&(&b.class, &b.field)));
    facts.fields.dedup_by(|a, b| a.class == b.class && a.field == b.field);
    reader.facts
}

/// The captures of the facts patterns, sorted by what they say.
#[derive(Default)]
struct Gathered<'tree> {
    found: Vec<Found<'tree>>,
    functions: Vec<Node<'tree>>,
    classes: Vec<Node<'tree>>,
}

impl<'tree> Gathered<'tree> {
    /// Takes the captures of one match.
    fn add(&mut self, captures: impl Iterator<Item = (&'static str, Node<'tree>)>) {
        let mut name = None;
        let mut definition = None;
        for (capture, node) in captures {
            match capture {
                "scope.function" => self.functions.push(node),
                "scope.class" => self.classes.push(node),
                "name" => name = Some(node),
                other => match other.strip_prefix("definition.") {
                    Some(kind) => definition = Some((kind, node)),
                    None => self.found.push(Found::Capture(other, node)),
                },
            }
        }
        if let (Some(name), Some((kind, node))) = (name, definition) {
            self.found.push(Found::Definition(kind, node, name));
        }
    }
}

/// One capture of the facts patterns, kept until the scopes are known.
enum Found<'tree> {
    Capture(&'static str, Node<'tree>),
    /// A definition's kind (`function`, `class`…), its node and its name node.
    Definition(&'static str, Node<'tree>, Node<'tree>),
}

pub(super) struct Reader<'a> {
    pub(super) src: &'a [u8],
    pub(super) path: &'a str,
    pub(super) facts: FileFacts,
    /// The grammar's ids of the fields the facts read.
    pub(super) fields: &'static FieldIds,
    /// The grammar's node kind names.
    pub(super) kinds: &'static KindNames,
    /// The functions and classes of the file, for `place`.
    pub(super) scopes: Scopes,
    /// Parents of the nodes the patterns captured.
    pub(super) ancestry: RefCell<Ancestry<'a>>,
    /// The first line where an expression nested too deep to be read whole.
    pub(super) cut_short_at: Cell<Option<usize>>,
}

pub(super) fn line(node: Node) -> usize {
    node.start_position().row + 1
}

/// The value of a JavaScript string or template literal body: escape sequences decoded (`\n` is a newline, so
/// `'SELECT *\nFROM t'` reads as SQL does at run time).
pub(super) fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('0') => out.push('\0'),
            // A line continuation joins the lines.
            Some('\n') => {}
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
            }
            Some('u') => {
                let hex: String = if chars.peek() == Some(&'{') {
                    chars.next();
                    chars.by_ref().take_while(|c| *c != '}').collect()
                } else {
                    chars.by_ref().take(4).collect()
                };
                out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

fn first_error_line(node: Node) -> Option<usize> {
    if node.is_error() || node.is_missing() {
        return Some(line(node));
    }
    let mut cursor = node.walk();
    node.children(&mut cursor).filter(|c| c.has_error()).find_map(first_error_line)
}

impl<'a> Reader<'a> {
    /// `node`'s child in field `name` (`node.child_by_field_name(name)`, without its lookup of the name).
    pub(super) fn child(&self, node: Node<'a>, name: &str) -> Option<Node<'a>> {
        self.fields.child(node, name)
    }

    /// `node.kind()`, without measuring and checking the C string of its name on every call.
    pub(super) fn kind(&self, node: Node<'a>) -> &'static str {
        self.kinds.of(node)
    }

    /// True when `node` has an anonymous child token `keyword` (`type` in `import type`).
    pub(super) fn has_keyword(&self, node: Node<'a>, keyword: &str) -> bool {
        let mut cursor = node.walk();
        node.children(&mut cursor).any(|c| !c.is_named() && self.kind(c) == keyword)
    }

    /// The parent of a captured node (or of one of its ancestors), without tree-sitter's descent from the root.
    pub(super) fn parent(&self, node: Node<'a>) -> Option<Node<'a>> {
        self.ancestry.borrow_mut().parent(node)
    }

    pub(super) fn text(&self, node: Node<'a>) -> String {
        node.utf8_text(self.src).unwrap_or_default().to_owned()
    }

    /// The value of a string literal, or of a template literal without substitutions.
    pub(super) fn literal(&self, node: Node<'a>) -> Option<String> {
        match self.kind(node) {
            "string" | "template_string" => {
                let mut cursor = node.walk();
                if node.named_children(&mut cursor).any(|c| self.kind(c) == "template_substitution") {
                    return None;
                }
                let text = self.text(node);
                Some(unescape(text.get(1..text.len().saturating_sub(1)).unwrap_or_default()))
            }
            _ => None,
        }
    }

    /// An identifier-like node as a name; string names (`export { "a-b" as c }`) lose their quotes.
    pub(super) fn name(&self, node: Node<'a>) -> String {
        self.literal(node).unwrap_or_else(|| self.text(node))
    }

    fn push_import(&mut self, specifier: String, kind: ImportKind, line: usize, bindings: Vec<Binding>) {
        self.facts.imports.push(ImportFact { specifier, kind, line, bindings });
    }

    fn import_statement(&mut self, node: Node<'a>) {
        let mut cursor = node.walk();
        // TypeScript: import x = require('m')
        if let Some(clause) = node.named_children(&mut cursor).find(|c| self.kind(*c) == "import_require_clause") {
            if let Some(specifier) = self.child(clause, "source").and_then(|s| self.literal(s)) {
                let local = clause.named_child(0).map(|n| self.text(n)).unwrap_or_default();
                let bindings = vec![Binding { imported: NAMESPACE.into(), local }];
                self.push_import(specifier, ImportKind::Require, line(node), bindings);
            }
            return;
        }
        let Some(specifier) = self.child(node, "source").and_then(|s| self.literal(s)) else {
            return;
        };
        let statement_is_type = self.has_keyword(node, "type") || self.has_keyword(node, "typeof");
        let mut bindings = Vec::new();
        let mut value_bindings = 0;
        let mut cursor = node.walk();
        for clause in node.named_children(&mut cursor).filter(|c| self.kind(*c) == "import_clause") {
            let mut inner = clause.walk();
            for part in clause.named_children(&mut inner) {
                match self.kind(part) {
                    "identifier" => {
                        value_bindings += 1;
                        bindings.push(Binding { imported: DEFAULT.into(), local: self.text(part) });
                    }
                    "namespace_import" => {
                        value_bindings += 1;
                        let local = part.named_child(0).map(|n| self.text(n)).unwrap_or_default();
                        bindings.push(Binding { imported: NAMESPACE.into(), local });
                    }
                    "named_imports" => {
                        let mut specs = part.walk();
                        for spec in part.named_children(&mut specs).filter(|s| self.kind(*s) == "import_specifier") {
                            let Some(name) = self.child(spec, "name") else { continue };
                            let imported = self.name(name);
                            let local = self.child(spec, "alias").map_or_else(|| imported.clone(), |a| self.text(a));
                            if !(self.has_keyword(spec, "type") || self.has_keyword(spec, "typeof")) {
                                value_bindings += 1;
                            }
                            bindings.push(Binding { imported, local });
                        }
                    }
                    _ => {}
                }
            }
        }
        // `import {type A} from 'm'` loads nothing at run time; `import 'm'` (no bindings) does.
        let type_only = statement_is_type || (!bindings.is_empty() && value_bindings == 0);
        let kind = if type_only { ImportKind::TypeOnly } else { ImportKind::Import };
        self.push_import(specifier, kind, line(node), bindings);
    }

    fn export_statement(&mut self, node: Node<'a>) {
        if let Some(source) = self.child(node, "source") {
            self.reexport(node, source);
            return;
        }
        let is_default = self.has_keyword(node, "default");
        if let Some(declaration) = self.child(node, "declaration") {
            if is_default {
                self.export_local(DEFAULT, DEFAULT);
            } else {
                for name in self.declared_names(declaration) {
                    self.export_local(&name, &name);
                }
            }
            return;
        }
        if is_default {
            let local = self
                .child(node, "value")
                .filter(|v| self.kind(*v) == "identifier")
                .map_or_else(|| DEFAULT.to_owned(), |v| self.text(v));
            self.export_local(DEFAULT, &local);
            return;
        }
        let mut cursor = node.walk();
        let kinds = self.kinds;
        for clause in node.named_children(&mut cursor).filter(|c| kinds.of(*c) == "export_clause") {
            let mut specs = clause.walk();
            for spec in clause.named_children(&mut specs).filter(|s| kinds.of(*s) == "export_specifier") {
                let Some(name) = self.child(spec, "name") else { continue };
                let local = self.name(name);
                let exported = self.child(spec, "alias").map_or_else(|| local.clone(), |a| self.name(a));
                self.export_local(&exported, &local);
            }
        }
    }

    fn export_local(&mut self, exported: &str, local: &str) {
        self.facts.exports.push(ExportFact::Local { exported: exported.to_owned(), local: local.to_owned() });
    }

    /// `export * from`, `export * as ns from`, `export { a as b } from`, `export type { A } from`.
    fn reexport(&mut self, node: Node<'a>, source: Node<'a>) {
        let Some(specifier) = self.literal(source) else { return };
        let mut bindings = Vec::new();
        let mut value_bindings = 0;
        let mut star = self.has_keyword(node, "*");
        let mut cursor = node.walk();
        for part in node.named_children(&mut cursor) {
            match self.kind(part) {
                "namespace_export" => {
                    star = false;
                    value_bindings += 1;
                    let exported = part.named_child(0).map(|n| self.name(n)).unwrap_or_default();
                    bindings.push(Binding { imported: NAMESPACE.into(), local: exported });
                }
                "export_clause" => {
                    let mut specs = part.walk();
                    for spec in part.named_children(&mut specs).filter(|s| self.kind(*s) == "export_specifier") {
                        let Some(name) = self.child(spec, "name") else { continue };
                        let imported = self.name(name);
                        let exported = self.child(spec, "alias").map_or_else(|| imported.clone(), |a| self.name(a));
                        if !self.has_keyword(spec, "type") {
                            value_bindings += 1;
                        }
                        bindings.push(Binding { imported, local: exported });
                    }
                }
                _ => {}
            }
        }
        if star {
            self.facts.exports.push(ExportFact::Star { specifier: specifier.clone() });
        }
        for b in &bindings {
            self.facts.exports.push(ExportFact::Reexport {
                exported: b.local.clone(),
                imported: b.imported.clone(),
                specifier: specifier.clone(),
            });
        }
        let type_only = self.has_keyword(node, "type") || (!bindings.is_empty() && value_bindings == 0);
        let kind = if type_only { ImportKind::TypeOnly } else { ImportKind::Reexport };
        self.push_import(specifier, kind, line(node), bindings);
    }

    /// Names a declaration introduces: functions, classes, variables, TypeScript types and enums.
    fn declared_names(&self, declaration: Node<'a>) -> Vec<String> {
        match self.kind(declaration) {
            "lexical_declaration" | "variable_declaration" => {
                let mut cursor = declaration.walk();
                declaration
                    .named_children(&mut cursor)
                    .filter(|d| self.kind(*d) == "variable_declarator")
                    .filter_map(|d| self.child(d, "name"))
                    .filter(|n| self.kind(*n) == "identifier")
                    .map(|n| self.text(n))
                    .collect()
            }
            "ambient_declaration" => {
                let mut cursor = declaration.walk();
                declaration.named_children(&mut cursor).flat_map(|d| self.declared_names(d)).collect()
            }
            _ => self.child(declaration, "name").map(|n| vec![self.name(n)]).unwrap_or_default(),
        }
    }

    /// `require(…)` or `import(…)`: an import when the argument is a literal, else a `dynamic-import` diagnostic.
    fn call(&mut self, node: Node<'a>, kind: ImportKind) {
        let Some(argument) = self.child(node, "arguments").and_then(|a| a.named_child(0)) else {
            return;
        };
        let Some(specifier) = self.literal(argument) else {
            let callee = if kind == ImportKind::Require { "require" } else { "import" };
            let expression: String = self.text(argument).chars().take(120).collect();
            self.facts.diagnostics.push(Diagnostic::warning(
                "dynamic-import",
                self.path,
                line(node),
                format!("{callee}({expression}): the specifier is not a literal, so its target is unknown"),
            ));
            return;
        };
        let bindings = if kind == ImportKind::Require { self.require_bindings(node) } else { Vec::new() };
        self.push_import(specifier, kind, line(node), bindings);
    }

    /// Names a `require` call binds: `const {a, b: c} = require(…)`, `require(…).a`, `const m = require(…)`.
    fn require_bindings(&self, call: Node<'a>) -> Vec<Binding> {
        let Some(parent) = self.parent(call) else { return Vec::new() };
        match self.kind(parent) {
            "member_expression" => self
                .child(parent, "property")
                .map(|p| {
                    let name = self.text(p);
                    vec![Binding { imported: name.clone(), local: name }]
                })
                .unwrap_or_default(),
            "variable_declarator" => {
                let Some(name) = self.child(parent, "name") else { return Vec::new() };
                match self.kind(name) {
                    "identifier" => vec![Binding { imported: NAMESPACE.into(), local: self.text(name) }],
                    "object_pattern" => self.object_pattern_bindings(name),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    fn object_pattern_bindings(&self, pattern: Node<'a>) -> Vec<Binding> {
        let mut cursor = pattern.walk();
        pattern
            .named_children(&mut cursor)
            .filter_map(|p| match self.kind(p) {
                "shorthand_property_identifier_pattern" => {
                    let name = self.text(p);
                    Some(Binding { imported: name.clone(), local: name })
                }
                "pair_pattern" => {
                    let key = self.child(p, "key")?;
                    let value = self.child(p, "value")?;
                    let local = if self.kind(value) == "identifier" { self.text(value) } else { self.name(key) };
                    Some(Binding { imported: self.name(key), local })
                }
                // `{ a = 1 }`
                "object_assignment_pattern" => {
                    let left = self.child(p, "left")?;
                    let name = self.text(left);
                    Some(Binding { imported: name.clone(), local: name })
                }
                _ => None,
            })
            .collect()
    }

    /// `require('m')` as a value: the specifier when `node` is a literal require call.
    fn required_specifier(&self, node: Node<'a>) -> Option<String> {
        if self.kind(node) != "call_expression" {
            return None;
        }
        let callee = self.child(node, "function")?;
        if self.kind(callee) != "identifier" || self.text(callee) != "require" {
            return None;
        }
        self.literal(self.child(node, "arguments")?.named_child(0)?)
    }

    /// `module.exports = …`, `module.exports.x = …`, `exports.x = …`.
    fn commonjs_export(&mut self, node: Node<'a>) {
        let (Some(left), Some(right)) = (self.child(node, "left"), self.child(node, "right")) else {
            return;
        };
        let target = self.text(left);
        let required = self.required_specifier(right);
        let exports = &mut self.facts.exports;
        if target != "module.exports" {
            let name = target.rsplit('.').next().unwrap_or_default().to_owned();
            self.exported_constant(&name, right);
            // `exports.build = w` exports the local `w` under the name `build`.
            let local = if self.kind(right) == "identifier" { self.text(right) } else { name.clone() };
            let exports = &mut self.facts.exports;
            match required {
                Some(specifier) => {
                    exports.push(ExportFact::Reexport { exported: name, imported: NAMESPACE.into(), specifier });
                }
                None => exports.push(ExportFact::Local { exported: name, local }),
            }
            return;
        }
        if let Some(specifier) = required {
            exports.push(ExportFact::Star { specifier });
            return;
        }
        if self.kind(right) != "object" {
            // `module.exports = new OrderService()` exports an instance: its methods are the class's.
            let local = match self.kind(right) {
                "identifier" => self.text(right),
                "new_expression" => {
                    self.child(right, "constructor").map_or_else(|| DEFAULT.to_owned(), |c| self.text(c))
                }
                _ => DEFAULT.to_owned(),
            };
            self.facts.exports.push(ExportFact::Local { exported: DEFAULT.into(), local });
            return;
        }
        let mut found = Vec::new();
        let mut cursor = right.walk();
        for member in right.named_children(&mut cursor) {
            match self.kind(member) {
                "shorthand_property_identifier" => {
                    let name = self.text(member);
                    found.push(ExportFact::Local { exported: name.clone(), local: name });
                }
                "pair" => {
                    let (Some(key), Some(value)) = (self.child(member, "key"), self.child(member, "value")) else {
                        continue;
                    };
                    let exported = self.name(key);
                    self.exported_constant(&exported, value);
                    if let Some(specifier) = self.required_specifier(value) {
                        found.push(ExportFact::Reexport { exported, imported: NAMESPACE.into(), specifier });
                    } else if self.kind(value) == "identifier" {
                        found.push(ExportFact::Local { exported, local: self.text(value) });
                    } else {
                        found.push(ExportFact::Local { exported: exported.clone(), local: exported });
                    }
                }
                "method_definition" => {
                    if let Some(name) = self.child(member, "name") {
                        let name = self.name(name);
                        found.push(ExportFact::Local { exported: name.clone(), local: name });
                    }
                }
                "spread_element" => {
                    if let Some(specifier) = member.named_child(0).and_then(|v| self.required_specifier(v)) {
                        found.push(ExportFact::Star { specifier });
                    }
                }
                _ => {}
            }
        }
        self.facts.exports.extend(found);
    }

    fn definition(&mut self, kind: &str, node: Node<'a>, name: Node<'a>) {
        let kind = match kind {
            "function" => DefinitionKind::Function,
            "method" => DefinitionKind::Method,
            "class" => DefinitionKind::Class,
            "abstract_class" => DefinitionKind::AbstractClass,
            "interface" => DefinitionKind::Interface,
            _ => return,
        };
        let mut name = self.name(name);
        if kind == DefinitionKind::Method
            && let Some(class) = self.parent(node).and_then(|body| self.parent(body))
            && let Some(class_name) = self.child(class, "name")
        {
            name = format!("{}.{name}", self.text(class_name));
        }
        let (start_line, end_line) = (line(node), node.end_position().row + 1);
        let params = self.params(node);
        let decorators = self.decorators(node);
        self.facts.definitions.push(Definition {
            name,
            kind,
            start_line,
            end_line,
            start: node.start_byte(),
            end: node.end_byte(),
            params,
            decorators,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(source: &str, language: Language) -> FileFacts {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&language.grammar()).unwrap();
        let tree = parser.parse(source, None).unwrap();
        extract(&tree, source, language, "x")
    }

    fn imports(source: &str, language: Language) -> Vec<(String, ImportKind, usize, Vec<String>)> {
        facts(source, language)
            .imports
            .into_iter()
            .map(|i| {
                let names = i.bindings.iter().map(|b| format!("{}>{}", b.imported, b.local)).collect();
                (i.specifier, i.kind, i.line, names)
            })
            .collect()
    }

    fn s(v: &str) -> String {
        v.to_owned()
    }

    #[test]
    fn esm_imports_with_their_bindings_and_kinds() {
        let src = "import a, { b as c, type T } from './m';\nimport * as ns from './n';\nimport './side';\nimport type { X } from './types';\nimport { type Y } from './y';\n";
        use ImportKind::*;
        assert_eq!(
            imports(src, Language::Typescript),
            vec![
                (s("./m"), Import, 1, vec![s("default>a"), s("b>c"), s("T>T")]),
                (s("./n"), Import, 2, vec![s("*>ns")]),
                (s("./side"), Import, 3, vec![]),
                (s("./types"), TypeOnly, 4, vec![s("X>X")]),
                (s("./y"), TypeOnly, 5, vec![s("Y>Y")]),
            ]
        );
    }

    #[test]
    fn commonjs_requires_and_dynamic_imports() {
        let src = "const m = require('./m');\nconst { a, b: c } = require('./d');\nconst e = require('./e').e;\nrequire(`./lit`);\nrequire(name);\nimport('./lazy');\nimport(`./l/${x}`);\nrequire.resolve('./no');\n";
        use ImportKind::*;
        assert_eq!(
            imports(src, Language::Javascript),
            vec![
                (s("./m"), Require, 1, vec![s("*>m")]),
                (s("./d"), Require, 2, vec![s("a>a"), s("b>c")]),
                (s("./e"), Require, 3, vec![s("e>e")]),
                (s("./lit"), Require, 4, vec![]),
                (s("./lazy"), Dynamic, 6, vec![]),
            ]
        );
        let diagnostics = facts(src, Language::Javascript).diagnostics;
        let codes: Vec<_> = diagnostics.iter().map(|d| (d.code.as_str(), d.line)).collect();
        assert_eq!(codes, vec![("dynamic-import", 5), ("dynamic-import", 7)]);
        assert!(diagnostics[1].message.contains("`./l/${x}`"), "{}", diagnostics[1].message);
    }

    #[test]
    fn typescript_import_equals_require() {
        use ImportKind::*;
        assert_eq!(
            imports("import fs = require('./legacy');", Language::Typescript),
            vec![(s("./legacy"), Require, 1, vec![s("*>fs")])]
        );
    }

    #[test]
    fn exports_and_reexports() {
        let src = "export * from './a';\nexport * as ns from './b';\nexport { x as y, z } from './c';\nexport type { T } from './t';\nexport function f() {}\nexport const g = 1, h = 2;\nexport default Foo;\nimport { q } from './q';\nexport { q as r };\nexport interface I {}\n";
        let f = facts(src, Language::Typescript);
        let kinds: Vec<_> = f.imports.iter().map(|i| (i.specifier.as_str(), i.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("./a", ImportKind::Reexport),
                ("./b", ImportKind::Reexport),
                ("./c", ImportKind::Reexport),
                ("./t", ImportKind::TypeOnly),
                ("./q", ImportKind::Import)
            ]
        );
        let local = |e: &str, l: &str| ExportFact::Local { exported: s(e), local: s(l) };
        let re = |e: &str, i: &str, sp: &str| ExportFact::Reexport { exported: s(e), imported: s(i), specifier: s(sp) };
        assert_eq!(
            f.exports,
            vec![
                ExportFact::Star { specifier: s("./a") },
                re("ns", "*", "./b"),
                re("y", "x", "./c"),
                re("z", "z", "./c"),
                re("T", "T", "./t"),
                local("f", "f"),
                local("g", "g"),
                local("h", "h"),
                local("default", "Foo"),
                local("r", "q"),
                local("I", "I"),
            ]
        );
    }

    #[test]
    fn commonjs_exports() {
        let src = "module.exports = { a, b: helper, c() {}, ...require('./spread'), d: require('./d') };\nexports.x = 1;\nmodule.exports.y = require('./y');\n";
        let f = facts(src, Language::Javascript);
        let local = |e: &str, l: &str| ExportFact::Local { exported: s(e), local: s(l) };
        assert_eq!(
            f.exports,
            vec![
                local("a", "a"),
                local("b", "helper"),
                local("c", "c"),
                ExportFact::Star { specifier: s("./spread") },
                ExportFact::Reexport { exported: s("d"), imported: s("*"), specifier: s("./d") },
                local("x", "x"),
                ExportFact::Reexport { exported: s("y"), imported: s("*"), specifier: s("./y") },
            ]
        );
        let star = facts("module.exports = require('./impl');", Language::Javascript);
        assert_eq!(star.exports, vec![ExportFact::Star { specifier: s("./impl") }]);
    }

    #[test]
    fn definitions_with_spans() {
        let src = "function a() {}\nconst b = () => 1;\nclass C {\n  m() {}\n}\nabstract class D {}\ninterface I {}\n";
        let defs: Vec<_> = facts(src, Language::Typescript)
            .definitions
            .into_iter()
            .map(|d| (d.name, d.kind, d.start_line, d.end_line))
            .collect();
        use DefinitionKind::*;
        assert_eq!(
            defs,
            vec![
                (s("a"), Function, 1, 1),
                (s("b"), Function, 2, 2),
                (s("C"), Class, 3, 5),
                (s("C.m"), Method, 4, 4),
                (s("D"), AbstractClass, 6, 6),
                (s("I"), Interface, 7, 7),
            ]
        );
    }

    #[test]
    fn escape_sequences_are_decoded() {
        assert_eq!(
            unescape(r"SELECT *\nFROM t WHERE a = \'x\' AND b = \u0041\x42\u{43}"),
            "SELECT *\nFROM t WHERE a = 'x' AND b = ABC"
        );
        assert_eq!(unescape("no escapes"), "no escapes");
    }

    #[test]
    fn syntax_errors_keep_what_parsed() {
        let src = "import a from './a';\nconst x = ;\nimport b from './b';\n";
        let f = facts(src, Language::Javascript);
        assert_eq!(f.imports.len(), 2);
        assert_eq!(f.diagnostics.len(), 1);
        assert_eq!((f.diagnostics[0].code.as_str(), f.diagnostics[0].line), ("parse-error", 2));
    }
}
