//! Data-access facts: call chains with their arguments, string expressions that may be SQL, and string constants.
//! What they mean (tables, transactions) is decided later, across modules, by `data_access`.

use tree_sitter::Node;

use super::extract::{Reader, line, unescape};
use super::{Arg, Chain, Constant, FieldType, Link, Piece, Place, SqlText};
use crate::sql::{PLACEHOLDER, looks_like_sql};

/// Words a SQL statement can start with (see `sql::looks_like_sql`).
const SQL_FIRST_WORDS: &[&str] = &[
    "SELECT", "WITH", "INSERT", "REPLACE", "UPSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "CREATE", "ALTER", "DROP",
];

/// How deep arguments are read into nested calls, arrays and objects (see `Reader::arg`).
const MAX_ARG_DEPTH: usize = 32;
/// How many links of one call chain are read (see `Reader::flatten`).
const MAX_CHAIN_DEPTH: usize = 1_000;

impl<'a> Reader<'a> {
    /// Remembers the first line where a depth limit stopped reading, for one diagnostic per file.
    fn cut_short(&self, node: Node<'a>) {
        if self.cut_short_at.get().is_none() {
            self.cut_short_at.set(Some(line(node)));
        }
    }

    /// The nearest named function around `node` and its class: anonymous callbacks belong to the function
    /// that contains them.
    pub(super) fn place(&self, node: Node<'a>) -> Place {
        let function = self.scopes.function(node).unwrap_or("<anonymous>").to_owned();
        let class = self.scopes.class(node).map(str::to_owned);
        Place { function, class, line: line(node), start: node.start_byte(), end: node.end_byte() }
    }

    /// The name a function node is known by, if any.
    pub(super) fn function_name(&self, node: Node<'a>) -> Option<String> {
        if let Some(name) = self.child(node, "name").filter(|_| self.kind(node) != "function_expression") {
            let name = self.name(name);
            if self.kind(node) == "method_definition"
                && let Some(class) =
                    self.parent(node).and_then(|b| self.parent(b)).filter(|c| self.kind(*c).contains("class"))
                && let Some(class_name) = self.child(class, "name")
            {
                return Some(format!("{}.{name}", self.text(class_name)));
            }
            return Some(name);
        }
        let parent = self.parent(node)?;
        match self.kind(parent) {
            "variable_declarator" => self.child(parent, "name").map(|n| self.text(n)),
            "pair" => self.child(parent, "key").map(|k| self.name(k)),
            "assignment_expression" => {
                let left = self.text(self.child(parent, "left")?);
                Some(left.rsplit('.').next().unwrap_or(&left).to_owned())
            }
            "field_definition" | "public_field_definition" => {
                let field = self.child(parent, "property").or_else(|| self.child(parent, "name"))?;
                let class = self.parent(parent).and_then(|b| self.parent(b)).and_then(|c| self.child(c, "name"));
                Some(match class {
                    Some(class) => format!("{}.{}", self.text(class), self.name(field)),
                    None => self.name(field),
                })
            }
            _ => None,
        }
    }

    pub(super) fn params(&self, node: Node<'a>) -> Vec<String> {
        let Some(params) = self
            .child(node, "parameters")
            .or_else(|| self.child(node, "value").and_then(|v| self.child(v, "parameters")))
        else {
            // `x => …` has a single `parameter`.
            return self.child(node, "parameter").map(|p| vec![self.text(p)]).unwrap_or_default();
        };
        let mut cursor = params.walk();
        params
            .named_children(&mut cursor)
            .filter_map(|p| match self.kind(p) {
                "identifier" => Some(self.text(p)),
                "required_parameter" | "optional_parameter" => {
                    self.child(p, "pattern").filter(|n| self.kind(*n) == "identifier").map(|n| self.text(n))
                }
                "assignment_pattern" => {
                    self.child(p, "left").filter(|n| self.kind(*n) == "identifier").map(|n| self.text(n))
                }
                _ => None,
            })
            .collect()
    }

    /// Decorators written before a method or class (`@Transactional()` → `Transactional`).
    pub(super) fn decorators(&self, node: Node<'a>) -> Vec<String> {
        let mut found = Vec::new();
        let before = self.ancestry.borrow_mut().decorators_before(node);
        found.extend(before.into_iter().map(|d| self.decorator_name(d)));
        let mut cursor = node.walk();
        found.extend(
            node.named_children(&mut cursor).filter(|c| self.kind(*c) == "decorator").map(|d| self.decorator_name(d)),
        );
        found.sort();
        found
    }

    fn decorator_name(&self, decorator: Node<'a>) -> String {
        let text = self.text(decorator);
        let text = text.trim_start_matches('@');
        text.split(|c: char| c == '(' || c.is_whitespace()).next().unwrap_or(text).to_owned()
    }

    /// The pieces of a string-valued expression.
    pub(super) fn pieces(&self, node: Node<'a>) -> Vec<Piece> {
        // An explicit stack instead of recursion: generated code concatenates thousands of strings in one
        // expression, and every `+` nests one level deeper.
        let mut pieces = Vec::new();
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            match self.kind(node) {
                "string" => pieces.push(Piece::Text(self.literal(node).unwrap_or_default())),
                "template_string" => pieces.extend(self.template_pieces(node)),
                "binary_expression" if self.child(node, "operator").is_some_and(|o| self.text(o) == "+") => {
                    // Right pushed first so that the left side comes out first.
                    stack.extend(self.child(node, "right"));
                    stack.extend(self.child(node, "left"));
                }
                "parenthesized_expression" => stack.extend(node.named_child(0)),
                "identifier" | "member_expression" => pieces.push(Piece::Ref(self.text(node))),
                _ => pieces.push(Piece::Unknown(self.text(node))),
            }
        }
        pieces
    }

    fn template_pieces(&self, node: Node<'a>) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut cursor = node.walk();
        let mut last = node.start_byte() + 1;
        for child in node.named_children(&mut cursor).filter(|c| self.kind(*c) == "template_substitution") {
            pieces.push(Piece::Text(self.slice(last, child.start_byte())));
            let expr = child.named_child(0);
            pieces.push(match expr {
                Some(e) if matches!(self.kind(e), "identifier" | "member_expression") => Piece::Ref(self.text(e)),
                Some(e) => Piece::Unknown(self.text(e)),
                None => Piece::Unknown(String::new()),
            });
            last = child.end_byte();
        }
        pieces.push(Piece::Text(self.slice(last, node.end_byte().saturating_sub(1))));
        pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
        pieces
    }

    /// Template text between two offsets, escapes decoded.
    fn slice(&self, start: usize, end: usize) -> String {
        unescape(&String::from_utf8_lossy(&self.src[start.min(end)..end]))
    }

    /// A string literal or template: when it (or the concatenation it belongs to) looks like SQL, record it once.
    pub(super) fn string_site(&mut self, node: Node<'a>) {
        // Most strings are not SQL: only the first piece of a string decides, so a cheap look at its first word
        // saves assembling every string in the file.
        if !self.may_start_sql(node) {
            return;
        }
        let mut top = node;
        while let Some(parent) = self.parent(top)
            && self.kind(parent) == "binary_expression"
            && self.child(parent, "operator").is_some_and(|o| self.text(o) == "+")
        {
            top = parent;
        }
        // A string inside a substitution of a SQL template is part of that template.
        let pieces = self.pieces(top);
        if !matches!(pieces.first(), Some(Piece::Text(_))) || !looks_like_sql(&static_text(&pieces)) {
            return;
        }
        let constant = self.bound_constant(top);
        let place = self.place(top);
        let in_function = self.inside_function(top);
        self.facts.sql_texts.push(SqlText { value: pieces, place, constant, in_function });
    }

    /// True when the literal's text starts like a SQL statement (after whitespace and comments) and it is the
    /// first piece of any concatenation it belongs to.
    fn may_start_sql(&self, node: Node<'a>) -> bool {
        let text = self.text(node);
        let body = text.get(1..).unwrap_or_default().trim_start();
        let body = if body.starts_with("--") || body.starts_with("/*") { return true } else { body };
        let word: String = body.chars().take_while(char::is_ascii_alphabetic).collect::<String>().to_ascii_uppercase();
        if !SQL_FIRST_WORDS.contains(&word.as_str()) {
            return false;
        }
        // In `a + 'SELECT …'` the statement does not start with this literal.
        !self.parent(node).is_some_and(|p| self.kind(p) == "binary_expression" && self.child(p, "left") != Some(node))
    }

    /// The constant name an expression is bound to: `const X = …`, `module.exports = { X: … }`, `exports.X = …`.
    fn bound_constant(&self, node: Node<'a>) -> Option<String> {
        let parent = self.parent(node)?;
        match self.kind(parent) {
            "variable_declarator" if self.is_const(parent) && self.is_constant_value(node) => {
                self.child(parent, "name").filter(|n| self.kind(*n) == "identifier").map(|n| self.text(n))
            }
            "pair" if self.is_constant_value(node) => {
                let object = self.parent(parent)?;
                let assignment = self.parent(object).filter(|a| self.kind(*a) == "assignment_expression")?;
                let left = self.text(self.child(assignment, "left")?);
                (left == "module.exports").then(|| self.child(parent, "key").map(|k| self.name(k)))?
            }
            "assignment_expression" => {
                let left = self.text(self.child(parent, "left")?);
                let name = left.strip_prefix("module.exports.").or_else(|| left.strip_prefix("exports."))?;
                self.is_constant_value(node).then(|| name.to_owned())
            }
            _ => None,
        }
    }

    fn is_const(&self, declarator: Node<'a>) -> bool {
        self.parent(declarator).is_some_and(|d| self.kind(d) == "lexical_declaration" && self.has_keyword(d, "const"))
    }

    /// Literal text and references only (references may turn out constant); any other expression is not.
    fn is_constant_value(&self, node: Node<'a>) -> bool {
        self.pieces(node).iter().all(|p| !matches!(p, Piece::Unknown(_)))
    }

    /// `const NAME = 'x'` (or a template, concatenation or another name): a string constant candidate.
    pub(super) fn declarator(&mut self, node: Node<'a>) {
        let (Some(name), Some(value)) = (self.child(node, "name"), self.child(node, "value")) else {
            return;
        };
        // `const mailer = new Mailer()`: calls on `mailer` are calls on Mailer's methods.
        if self.kind(value) == "new_expression" && self.kind(name) == "identifier" {
            let type_name = self.child(value, "constructor").map(|c| self.text(c)).unwrap_or_default();
            let function = self.inside_function(node).then(|| self.place(node).function);
            let args = self.child(value, "arguments").map(|a| self.args(a, 0)).unwrap_or_default();
            self.facts.instances.push(super::Instance { function, name: self.text(name), type_name, args });
            return;
        }
        if !self.is_const(node) {
            return;
        }
        // `const TABLES = { ORDERS: 'orders' }`: each string member is a constant `TABLES.ORDERS`.
        if self.kind(value) == "object" && self.kind(name) == "identifier" {
            let object = self.text(name);
            let function = self.inside_function(node).then(|| self.place(node).function);
            let mut cursor = value.walk();
            let kinds = self.kinds;
            for pair in value.named_children(&mut cursor).filter(|p| kinds.of(*p) == "pair") {
                let (Some(key), Some(member)) = (self.child(pair, "key"), self.child(pair, "value")) else {
                    continue;
                };
                if matches!(self.kind(member), "string" | "template_string") && self.is_constant_value(member) {
                    let name = format!("{object}.{}", self.name(key));
                    let constant = Constant {
                        name,
                        value: self.pieces(member),
                        function: function.clone(),
                        class: None,
                        line: line(pair),
                    };
                    self.facts.constants.push(constant);
                }
            }
            return;
        }
        if !self.is_string_like(value) || !self.is_constant_value(value) {
            return;
        }
        let place = self.place(node);
        let function = (place.function != "<anonymous>" || self.inside_function(node)).then_some(place.function);
        let constant =
            Constant { name: self.text(name), value: self.pieces(value), function, class: None, line: line(node) };
        self.facts.constants.push(constant);
    }

    fn inside_function(&self, node: Node<'a>) -> bool {
        self.scopes.inside_function(node)
    }

    /// `module.exports = { NAME: '…' }` or `exports.NAME = '…'`: a module-level constant named by its export.
    pub(super) fn exported_constant(&mut self, name: &str, value: Node<'a>) {
        if matches!(self.kind(value), "string" | "template_string" | "binary_expression")
            && self.is_string_like(value)
            && self.is_constant_value(value)
        {
            let constant = Constant {
                name: name.to_owned(),
                value: self.pieces(value),
                function: None,
                class: None,
                line: line(value),
            };
            self.facts.constants.push(constant);
        }
    }

    fn push_field_type(&mut self, class: Option<String>, field: String, type_name: String) {
        if let Some(class) = class
            && !type_name.is_empty()
        {
            self.facts.fields.push(FieldType { class, field, type_name });
        }
    }

    /// `this.x = new X()` inside a class.
    pub(super) fn this_assignment(&mut self, node: Node<'a>) {
        let (Some(left), Some(right)) = (self.child(node, "left"), self.child(node, "right")) else {
            return;
        };
        let Some(field) = self.child(left, "property").map(|p| self.text(p)) else { return };
        let type_name = self.child(right, "constructor").map(|c| self.text(c)).unwrap_or_default();
        let class = self.place(node).class;
        self.push_field_type(class, field, type_name);
    }

    /// `constructor(private readonly orders: OrdersService)`.
    pub(super) fn parameter_property(&mut self, node: Node<'a>) {
        let Some(field) = self.child(node, "pattern").map(|p| self.text(p)) else { return };
        let Some(annotation) = self.child(node, "type") else { return };
        let type_name = annotation
            .named_child(0)
            .filter(|t| self.kind(*t) == "type_identifier")
            .map(|t| self.text(t))
            .unwrap_or_default();
        let class = self.place(node).class;
        self.push_field_type(class, field, type_name);
    }

    /// A class field with a string-like value: `table = 'orders'`, `static TABLE = ORDERS`; or an instance
    /// (`planner = new ShipmentPlanner()`), whose class calls through the field resolve to.
    pub(super) fn field(&mut self, node: Node<'a>) {
        let Some(name) = self.child(node, "property").or_else(|| self.child(node, "name")) else {
            return;
        };
        let Some(value) = self.child(node, "value") else { return };
        if self.kind(value) == "new_expression" {
            let type_name = self.child(value, "constructor").map(|c| self.text(c)).unwrap_or_default();
            let class = self
                .parent(node)
                .and_then(|b| self.parent(b))
                .and_then(|c| self.child(c, "name"))
                .map(|c| self.text(c));
            let field = self.name(name);
            self.push_field_type(class, field, type_name);
            return;
        }
        if !self.is_string_like(value) || !self.is_constant_value(value) {
            return;
        }
        let class =
            self.parent(node).and_then(|b| self.parent(b)).and_then(|c| self.child(c, "name")).map(|c| self.text(c));
        let constant =
            Constant { name: self.name(name), value: self.pieces(value), function: None, class, line: line(node) };
        self.facts.constants.push(constant);
    }

    /// A call, recorded once for the whole chain it ends (`a.b(x).c(y)` is one chain, not two).
    pub(super) fn call_chain(&mut self, node: Node<'a>) {
        let continues = self.parent(node).is_some_and(|p| {
            self.kind(p) == "member_expression"
                && self.child(p, "object") == Some(node)
                && self
                    .parent(p)
                    .is_some_and(|g| self.kind(g) == "call_expression" || self.kind(g) == "member_expression")
        });
        if continues {
            return;
        }
        let mut links = Vec::new();
        let root = self.flatten(node, &mut links, 0);
        let place = self.place(node);
        let assigned_to = self.assigned_to(node);
        let decorates = self.decorated_name(node);
        self.facts.calls.push(Chain { root, links, place, assigned_to, decorates });
    }

    /// The variable (or `default` for `module.exports`) a call's value is stored in.
    fn assigned_to(&self, node: Node<'a>) -> Option<String> {
        let mut parent = self.parent(node)?;
        if self.kind(parent) == "await_expression" {
            parent = self.parent(parent)?;
        }
        match self.kind(parent) {
            "variable_declarator" => {
                self.child(parent, "name").filter(|n| self.kind(*n) == "identifier").map(|n| self.text(n))
            }
            "assignment_expression" => {
                let left = self.text(self.child(parent, "left")?);
                if left == "module.exports" {
                    Some("default".to_owned())
                } else {
                    Some(
                        left.strip_prefix("exports.")
                            .or_else(|| left.strip_prefix("module.exports."))
                            .unwrap_or(&left)
                            .to_owned(),
                    )
                }
            }
            _ => None,
        }
    }

    /// For a decorator call: the name of the class, field, method or parameter it decorates.
    fn decorated_name(&self, node: Node<'a>) -> Option<String> {
        let decorator = self.parent(node).filter(|p| self.kind(*p) == "decorator")?;
        let mut target = self.parent(decorator)?;
        // Class member decorators are siblings of the member they decorate.
        if self.kind(target) == "class_body" {
            target = self.ancestry.borrow_mut().after_decorators(decorator)?;
        }
        if self.kind(target) == "export_statement" {
            target = self.child(target, "declaration")?;
        }
        let name = match self.kind(target) {
            "required_parameter" | "optional_parameter" => self.child(target, "pattern"),
            "public_field_definition" | "field_definition" => {
                self.child(target, "name").or_else(|| self.child(target, "property"))
            }
            _ => self.child(target, "name"),
        }?;
        Some(self.name(name))
    }

    /// Flattens `node` into links, innermost first, and returns the root name. A chain longer than
    /// `MAX_CHAIN_DEPTH` (generated code) keeps its last links only, with an empty root.
    fn flatten(&self, node: Node<'a>, links: &mut Vec<Link>, depth: usize) -> String {
        if depth >= MAX_CHAIN_DEPTH {
            self.cut_short(node);
            return String::new();
        }
        let depth = depth + 1;
        match self.kind(node) {
            "call_expression" => {
                let callee = self.child(node, "function");
                let args = self.child(node, "arguments").map(|a| self.args(a, 0)).unwrap_or_default();
                let root = match callee {
                    Some(c) if self.kind(c) == "member_expression" => {
                        let root = self.flatten(c, links, depth);
                        // The member just pushed is the called property: it becomes a call.
                        if let Some(last) = links.last_mut() {
                            last.args = Some(args);
                        }
                        return root;
                    }
                    Some(c) => self.flatten(c, links, depth),
                    None => String::new(),
                };
                links.push(Link { name: String::new(), args: Some(args) });
                root
            }
            "member_expression" => {
                let root = self.child(node, "object").map(|o| self.flatten(o, links, depth)).unwrap_or_default();
                let name = self.child(node, "property").map(|p| self.text(p)).unwrap_or_default();
                links.push(Link { name, args: None });
                root
            }
            "parenthesized_expression" | "await_expression" | "non_null_expression" => {
                node.named_child(0).map(|n| self.flatten(n, links, depth)).unwrap_or_default()
            }
            "new_expression" => {
                let class = self.child(node, "constructor").map(|c| self.text(c)).unwrap_or_default();
                format!("new {class}")
            }
            _ => self.text(node),
        }
    }

    fn args(&self, arguments: Node<'a>, depth: usize) -> Vec<Arg> {
        // A tagged template (`sql\`…\``) has the template itself as its arguments.
        if self.kind(arguments) == "template_string" {
            return vec![Arg::Str { value: self.pieces(arguments), line: line(arguments) }];
        }
        let mut cursor = arguments.walk();
        arguments
            .named_children(&mut cursor)
            .filter(|a| self.kind(*a) != "comment")
            .map(|a| self.arg(a, depth))
            .collect()
    }

    /// One argument, read `depth` levels into nested calls, arrays and objects. Past `MAX_ARG_DEPTH` an argument
    /// is `Other`: no rule looks that deep, and `f(f(f(…)))` thousands deep would exhaust the stack (and cost
    /// time cubic in the depth, as every call in the nest reads the whole nest below it).
    fn arg(&self, node: Node<'a>, depth: usize) -> Arg {
        if depth >= MAX_ARG_DEPTH {
            self.cut_short(node);
            return Arg::Other;
        }
        let depth = depth + 1;
        match self.kind(node) {
            "string" | "template_string" | "binary_expression" if self.is_string_like(node) => {
                Arg::Str { value: self.pieces(node), line: line(node) }
            }
            "identifier" | "member_expression" => Arg::Ref { path: self.text(node), line: line(node) },
            "arrow_function" | "function_expression" | "function" => {
                Arg::Func { params: self.params(node), start: node.start_byte(), end: node.end_byte() }
            }
            "array" => {
                let mut cursor = node.walk();
                Arg::Array { items: node.named_children(&mut cursor).map(|n| self.arg(n, depth)).collect() }
            }
            "object" => {
                let mut cursor = node.walk();
                let entries = node
                    .named_children(&mut cursor)
                    .filter_map(|member| match self.kind(member) {
                        "pair" => {
                            let key = self.name(self.child(member, "key")?);
                            Some((key, self.arg(self.child(member, "value")?, depth)))
                        }
                        "shorthand_property_identifier" => {
                            let name = self.text(member);
                            Some((name.clone(), Arg::Ref { path: name, line: line(member) }))
                        }
                        _ => None,
                    })
                    .collect();
                Arg::Object { entries }
            }
            "await_expression" | "parenthesized_expression" => {
                node.named_child(0).map_or(Arg::Other, |n| self.arg(n, depth))
            }
            "true" | "false" => Arg::Bool { value: self.kind(node) == "true" },
            "call_expression" => {
                let callee = self.child(node, "function").map(|f| self.text(f)).unwrap_or_default();
                let args = self.child(node, "arguments").map(|a| self.args(a, depth)).unwrap_or_default();
                Arg::Call { callee, args }
            }
            _ => Arg::Other,
        }
    }
}

/// Literal text with a placeholder for every other piece: what recognition and parsing see.
pub fn static_text(pieces: &[Piece]) -> String {
    let mut text = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(t) => text.push_str(t),
            Piece::Ref(_) | Piece::Unknown(_) => text.push_str(&format!("{PLACEHOLDER}{}", i + 1)),
        }
    }
    text
}

impl<'a> Reader<'a> {
    fn is_string_like(&self, node: Node<'a>) -> bool {
        // Iterative for the same reason as `pieces`: concatenations nest one level per `+`.
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            match self.kind(node) {
                "string" | "template_string" | "identifier" | "member_expression" => {}
                "binary_expression" => {
                    let mut cursor = node.walk();
                    if !node.children(&mut cursor).any(|c| self.kind(c) == "+") {
                        return false;
                    }
                    for field in ["left", "right"] {
                        match self.child(node, field) {
                            Some(side) => stack.push(side),
                            None => return false,
                        }
                    }
                }
                "parenthesized_expression" => match node.named_child(0) {
                    Some(inner) => stack.push(inner),
                    None => return false,
                },
                _ => return false,
            }
        }
        true
    }
}
