//! Field ids and node kind names of one grammar, looked up once.
//!
//! Takes a grammar; answers "the child of this node in field `name`" and "the kind of this node".
//! tree-sitter's `child_by_field_name` finds the field's id by comparing the name with every field name of the
//! grammar (`strncmp`), on every call: about 3 % of a cold run. `Node::kind` measures the C string of the kind's
//! name and checks it is UTF-8, on every call: 7 % of the instructions of reading the facts (callgrind).

use std::num::NonZeroU16;

use tree_sitter::{Language as Grammar, Node};

/// The field names the facts read, in the JavaScript, TypeScript and TSX grammars alike.
const NAMES: [&str; 18] = [
    "alias",
    "arguments",
    "constructor",
    "declaration",
    "function",
    "key",
    "left",
    "name",
    "object",
    "operator",
    "parameter",
    "parameters",
    "pattern",
    "property",
    "right",
    "source",
    "type",
    "value",
];

/// One grammar's id for each of `NAMES` (`None`: that grammar has no such field).
#[derive(Debug)]
pub struct FieldIds([Option<NonZeroU16>; NAMES.len()]);

impl FieldIds {
    pub fn new(grammar: &Grammar) -> FieldIds {
        FieldIds(NAMES.map(|name| grammar.field_id_for_name(name)))
    }

    /// `node`'s child in field `name`; a name missing from `NAMES` still works, through tree-sitter's lookup.
    pub fn child<'tree>(&self, node: Node<'tree>, name: &str) -> Option<Node<'tree>> {
        match NAMES.iter().position(|known| *known == name) {
            Some(index) => self.0[index].and_then(|id| node.child_by_field_id(id.get())),
            None => node.child_by_field_name(name),
        }
    }
}

/// The name of every node kind of one grammar, by kind id.
#[derive(Debug)]
pub struct KindNames(Vec<String>);

impl KindNames {
    pub fn new(grammar: &Grammar) -> KindNames {
        let count = u16::try_from(grammar.node_kind_count()).unwrap_or(u16::MAX);
        KindNames((0..count).map(|id| grammar.node_kind_for_id(id).unwrap_or_default().to_owned()).collect())
    }

    /// `node.kind()`, read from the table. The one id outside the grammar's own kinds is tree-sitter's error
    /// symbol (`u16::MAX`), whose name is `ERROR`.
    pub fn of(&self, node: Node) -> &str {
        self.0.get(usize::from(node.kind_id())).map_or("ERROR", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_the_node_kinds() {
        // Aliased nodes (`property_identifier`), anonymous tokens, and a syntax error (`ERROR`, `MISSING`).
        let source = "import a from 'a'; const f = (x) => g(x.y, `z${1}`); class C extends D { m() {} } let = ;";
        for grammar in [
            tree_sitter::Language::from(tree_sitter_javascript::LANGUAGE),
            tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            tree_sitter_typescript::LANGUAGE_TSX.into(),
        ] {
            let kinds = KindNames::new(&grammar);
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&grammar).expect("grammar loads");
            let tree = parser.parse(source, None).expect("parsed");
            let (mut nodes, mut seen) = (vec![tree.root_node()], 0);
            while let Some(node) = nodes.pop() {
                assert_eq!(kinds.of(node), node.kind(), "{node:?}");
                seen += 1;
                let mut cursor = node.walk();
                nodes.extend(node.children(&mut cursor));
            }
            assert!(tree.root_node().has_error() && seen > 50, "the sample should hold an error and many nodes");
        }
    }

    #[test]
    fn children_by_id_are_the_children_by_name() {
        let source = "import a from 'a'; const f = (x) => g(x.y, 'z'); class C extends D { m() {} }";
        let grammars: [Grammar; 2] =
            [tree_sitter_javascript::LANGUAGE.into(), tree_sitter_typescript::LANGUAGE_TSX.into()];
        for grammar in grammars {
            let fields = FieldIds::new(&grammar);
            let mut parser = tree_sitter::Parser::new();
            parser.set_language(&grammar).expect("grammar loads");
            let tree = parser.parse(source, None).expect("parsed");
            let mut nodes = vec![tree.root_node()];
            let mut found = 0;
            while let Some(node) = nodes.pop() {
                for name in NAMES.iter().chain(&["body", "no_such_field"]) {
                    assert_eq!(fields.child(node, name), node.child_by_field_name(name), "{name} of {node:?}");
                    found += usize::from(node.child_by_field_name(name).is_some());
                }
                let mut cursor = node.walk();
                nodes.extend(node.children(&mut cursor));
            }
            assert!(found > 10, "only {found} field children in the sample");
        }
    }
}
