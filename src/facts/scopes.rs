//! The functions and classes of one file as nested byte ranges: which named function and class enclose a node.
//!
//! Takes the function and class nodes the facts patterns captured; answers `place` questions by binary search.
//! tree-sitter finds a node's parent by descending from the root, so climbing from a node to the root costs
//! depth² steps; on ordinary code that was a sixth of the whole analysis, and on deeply nested code it was
//! quadratic in the file.

use tree_sitter::Node;

/// One function or class: its byte range and, when it has one, its name.
#[derive(Debug)]
struct Scope {
    start: usize,
    end: usize,
    /// tree-sitter's node id, so that a node is never its own enclosing scope.
    id: usize,
    /// The enclosing scope of the same list.
    parent: Option<usize>,
    /// This scope or the nearest enclosing one that has a name.
    named: Option<usize>,
    name: Option<String>,
}

/// Properly nested ranges (a syntax tree's nodes never overlap partly), in pre-order.
#[derive(Debug, Default)]
struct Nest {
    scopes: Vec<Scope>,
}

impl Nest {
    fn new(mut found: Vec<(Node, Option<String>)>) -> Nest {
        // Outer before inner when two start at the same byte.
        found.sort_by_key(|(n, _)| (n.start_byte(), std::cmp::Reverse(n.end_byte()), n.id()));
        found.dedup_by_key(|(n, _)| n.id());
        let mut scopes: Vec<Scope> = Vec::with_capacity(found.len());
        let mut open: Vec<usize> = Vec::new();
        for (node, name) in found {
            let (start, end) = (node.start_byte(), node.end_byte());
            while open.last().is_some_and(|&top| scopes[top].end < end) {
                open.pop();
            }
            let parent = open.last().copied();
            let index = scopes.len();
            let named = if name.is_some() { Some(index) } else { parent.and_then(|p| scopes[p].named) };
            scopes.push(Scope { start, end, id: node.id(), parent, named, name });
            open.push(index);
        }
        Nest { scopes }
    }

    /// The innermost scope strictly around `node`.
    fn innermost(&self, node: Node) -> Option<usize> {
        let (start, end, id) = (node.start_byte(), node.end_byte(), node.id());
        let after = self.scopes.partition_point(|s| s.start <= start);
        // The last scope starting at or before `node` either encloses it or ended before it; in the second case
        // every scope that does enclose `node` also encloses that one, so it is among its ancestors.
        let mut current = after.checked_sub(1);
        while let Some(i) = current {
            let scope = &self.scopes[i];
            if scope.end >= end && scope.id != id {
                return Some(i);
            }
            current = scope.parent;
        }
        None
    }

    /// The name of the nearest named scope strictly around `node`.
    fn nearest_name(&self, node: Node) -> Option<&str> {
        let named = self.scopes[self.innermost(node)?].named?;
        self.scopes[named].name.as_deref()
    }
}

/// The functions and classes of one file.
#[derive(Debug, Default)]
pub(super) struct Scopes {
    functions: Nest,
    classes: Nest,
}

impl Scopes {
    /// `functions` and `classes` with the names they are known by (`None` for anonymous ones).
    pub(super) fn new(functions: Vec<(Node, Option<String>)>, classes: Vec<(Node, Option<String>)>) -> Scopes {
        Scopes { functions: Nest::new(functions), classes: Nest::new(classes) }
    }

    /// The nearest named function around `node`.
    pub(super) fn function(&self, node: Node) -> Option<&str> {
        self.functions.nearest_name(node)
    }

    /// The nearest named class around `node`.
    pub(super) fn class(&self, node: Node) -> Option<&str> {
        self.classes.nearest_name(node)
    }

    /// True when any function, named or not, encloses `node`.
    pub(super) fn inside_function(&self, node: Node) -> bool {
        self.functions.innermost(node).is_some()
    }
}
