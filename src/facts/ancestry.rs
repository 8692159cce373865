//! Parents of syntax nodes in amortised constant time: a path from the root kept in step with the patterns'
//! captures.
//!
//! Takes nodes of one tree, in (mostly) document order; returns their parents and siblings. tree-sitter nodes
//! have no parent pointer: `Node::parent` descends from the root every time, so on a file nested 10,000 deep each
//! lookup costs 10,000 steps. The captures arrive in document order, so keeping the path to the last one and
//! moving it to the next (up to the common ancestor, then down) walks each edge of the tree about once.

use std::collections::HashMap;

use tree_sitter::Node;

#[derive(Default)]
pub(super) struct Ancestry<'tree> {
    /// From the root to the node last asked about.
    path: Vec<Node<'tree>>,
    /// By the id of a parent already asked about: the decorators among its children.
    decorator_runs: HashMap<usize, DecoratorRuns<'tree>>,
}

/// The runs of `decorator` nodes among the children of one parent (a class body, an export statement).
#[derive(Default)]
struct DecoratorRuns<'tree> {
    /// By the id of a child that follows decorators: those decorators, nearest first.
    before: HashMap<usize, Vec<Node<'tree>>>,
    /// By the id of a decorator: the first later sibling that is not a decorator, what the run decorates.
    decorates: HashMap<usize, Node<'tree>>,
}

impl<'tree> Ancestry<'tree> {
    pub(super) fn new(root: Node<'tree>) -> Ancestry<'tree> {
        Ancestry { path: vec![root], decorator_runs: HashMap::new() }
    }

    /// The parent of `node`, `None` for the root.
    pub(super) fn parent(&mut self, node: Node<'tree>) -> Option<Node<'tree>> {
        // Asking for the parent of something already on the path (a node, then its parent…) moves nothing.
        match self.path.iter().rposition(|n| *n == node).or_else(|| self.seek(node)) {
            Some(at) => at.checked_sub(1).map(|i| self.path[i]),
            // Never expected; tree-sitter's own (slow) answer keeps it correct.
            None => node.parent(),
        }
    }

    /// The `decorator` siblings right before `node`, nearest first (how class members carry decorators).
    pub(super) fn decorators_before(&mut self, node: Node<'tree>) -> Vec<Node<'tree>> {
        // Decorators sit beside what they decorate only in a class body (members) and an export statement
        // (`@Injectable() export class …`); scanning the siblings anywhere else (a program of 300,000 statements)
        // would make every definition cost as much as the file.
        let parent = self.parent(node).filter(|p| matches!(p.kind(), "class_body" | "export_statement"));
        let Some(parent) = parent else { return Vec::new() };
        self.runs(parent).before.get(&node.id()).cloned().unwrap_or_default()
    }

    /// What the run of decorators that `decorator` belongs to decorates: the first later named sibling that is not
    /// a `decorator`.
    pub(super) fn after_decorators(&mut self, decorator: Node<'tree>) -> Option<Node<'tree>> {
        let parent = self.parent(decorator)?;
        self.runs(parent).decorates.get(&decorator.id()).copied()
    }

    /// The decorator runs among `parent`'s children, scanned once per parent: a class of n decorated members
    /// asked about each of them would otherwise cost n² steps.
    fn runs(&mut self, parent: Node<'tree>) -> &DecoratorRuns<'tree> {
        self.decorator_runs.entry(parent.id()).or_insert_with(|| decorator_runs(parent))
    }

    /// Moves the path to end at `node` and returns its index; `None` when no path leads there.
    fn seek(&mut self, node: Node<'tree>) -> Option<usize> {
        let (start, end) = (node.start_byte(), node.end_byte());
        // Up to the nearest node whose range holds `node`'s, then down. Ranges can mislead when zero-width or
        // equal-range nodes sit side by side: then start again from the root, once.
        while self.path.len() > 1
            && self.path.last().is_some_and(|top| !(top.start_byte() <= start && end <= top.end_byte()))
        {
            self.path.pop();
        }
        if self.descend(node).is_none() {
            self.path.truncate(1);
            self.descend(node)?;
        }
        Some(self.path.len() - 1)
    }

    fn descend(&mut self, node: Node<'tree>) -> Option<()> {
        loop {
            let top = *self.path.last()?;
            if top == node {
                return Some(());
            }
            let child = top.child_with_descendant(node)?;
            self.path.push(child);
        }
    }
}

/// The decorator runs among the named children of `parent`.
fn decorator_runs(parent: Node) -> DecoratorRuns {
    let mut runs = DecoratorRuns::default();
    let mut run = Vec::new();
    let mut cursor = parent.walk();
    for sibling in parent.named_children(&mut cursor) {
        if !run.is_empty() {
            runs.before.insert(sibling.id(), run.iter().rev().copied().collect());
        }
        if sibling.kind() == "decorator" {
            run.push(sibling);
        } else {
            runs.decorates.extend(run.drain(..).map(|decorator: Node| (decorator.id(), sibling)));
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> tree_sitter::Tree {
        parse_as(source, crate::model::Language::Javascript)
    }

    fn parse_as(source: &str, language: crate::model::Language) -> tree_sitter::Tree {
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&language.grammar()).unwrap();
        parser.parse(source, None).unwrap()
    }

    /// Every node of the tree in document order.
    fn all_nodes(tree: &tree_sitter::Tree) -> Vec<Node<'_>> {
        let mut nodes = Vec::new();
        let mut cursor = tree.walk();
        'walk: loop {
            nodes.push(cursor.node());
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'walk;
                }
            }
        }
        nodes
    }

    #[test]
    fn parents_agree_with_tree_sitter_in_any_order() {
        let source = "const a = f(g(1), [h(2)]);\nclass C { @d m() { return () => x + 'y'; } }\nexport default a;\n";
        let tree = parse(source);
        let nodes = all_nodes(&tree);
        let mut ancestry = Ancestry::new(tree.root_node());
        for node in &nodes {
            assert_eq!(ancestry.parent(*node), node.parent(), "in order: {node:?}");
        }
        let mut ancestry = Ancestry::new(tree.root_node());
        for node in nodes.iter().rev() {
            assert_eq!(ancestry.parent(*node), node.parent(), "backwards: {node:?}");
        }
    }

    #[test]
    fn decorators_beside_what_they_decorate() {
        // TypeScript puts member decorators beside the member in the class body, and a class's decorators
        // beside it in an export statement (JavaScript nests them inside the member instead).
        let source = "@A() @B() export class C { @D() @E() m() {} n() {} }\n";
        let tree = parse_as(source, crate::model::Language::Typescript);
        let nodes = all_nodes(&tree);
        let decorators: Vec<Node> = nodes.iter().copied().filter(|n| n.kind() == "decorator").collect();
        let find = |kind: &str| nodes.iter().copied().find(|n| n.kind() == kind).unwrap();
        let (class, method) = (find("class_declaration"), find("method_definition"));
        let other_method = nodes.iter().copied().filter(|n| n.kind() == "method_definition").nth(1).unwrap();
        let mut ancestry = Ancestry::new(tree.root_node());
        assert_eq!(ancestry.decorators_before(class), vec![decorators[1], decorators[0]]);
        assert_eq!(ancestry.decorators_before(method), vec![decorators[3], decorators[2]]);
        assert_eq!(ancestry.decorators_before(other_method), vec![]);
        assert_eq!(ancestry.after_decorators(decorators[0]), Some(class));
        assert_eq!(ancestry.after_decorators(decorators[2]), Some(method));
        assert_eq!(ancestry.decorators_before(decorators[1]), vec![decorators[0]]);
    }

    #[test]
    fn a_node_of_another_tree_has_no_path_here() {
        let (one, other) = (parse("f(1);"), parse("g(2);"));
        let mut ancestry = Ancestry::new(one.root_node());
        let foreign = other.root_node().child(0).unwrap();
        assert_eq!(ancestry.seek(foreign), None);
        assert_eq!(ancestry.parent(one.root_node().child(0).unwrap()), Some(one.root_node()));
    }
}
