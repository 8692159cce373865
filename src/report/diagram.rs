//! Diagrams of the proposed contexts: a Mermaid flowchart, a Mermaid C4 container diagram of the target
//! architecture (one container per context, with the database it owns), and Graphviz DOT.

use std::fmt::Write;

use crate::model::Analysis;

/// A safe identifier for diagram languages: letters, digits and `_` only.
fn id(prefix: &str, name: &str) -> String {
    let clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!("{prefix}_{clean}")
}

/// Label text without the characters that end a label in Mermaid or DOT.
fn label(text: &str) -> String {
    text.chars()
        .map(|c| {
            if matches!(c, '"' | '\\' | '<' | '>' | '[' | ']' | '{' | '}' | '|' | '`') || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect()
}

use super::context_edges;

pub fn mermaid(analysis: &Analysis) -> String {
    let mut out = String::from("flowchart LR\n");
    for context in &analysis.contexts {
        let tables = if context.tables_owned.is_empty() {
            String::new()
        } else {
            format!("<br/>owns {}", label(&context.tables_owned.join(", ")))
        };
        let _ = writeln!(
            out,
            "    {}[\"{} ({} modules){tables}\"]",
            id("ctx", &context.name),
            label(&context.name),
            context.modules.len()
        );
    }
    for ((a, b), weight) in context_edges(analysis) {
        let _ = writeln!(out, "    {} ---|{}| {}", id("ctx", &a), crate::model::round4(weight), id("ctx", &b));
    }
    for warning in analysis.warnings.iter().filter(|w| w.kind == "context-cycle") {
        let _ = writeln!(out, "    %% cycle: {}", label(&warning.contexts.join(" -> ")));
    }
    out
}

/// A C4 container diagram of the target architecture, like seed 001's: gateway, one service per context, and the
/// database each would own.
pub fn c4(analysis: &Analysis) -> String {
    let mut out = String::from("C4Container\n    title Target architecture proposed by seamline\n");
    let _ = writeln!(
        out,
        "    Container(gateway, \"API Gateway\", \"strangler facade\", \"Routes requests to the extracted services\")"
    );
    for context in &analysis.contexts {
        let service = id("svc", &context.name);
        let name = label(&context.name);
        let _ = writeln!(
            out,
            "    Container({service}, \"{name} service\", \"Node.js\", \"{} modules\")",
            context.modules.len()
        );
        if !context.tables_owned.is_empty() {
            let db = id("db", &context.name);
            let _ = writeln!(
                out,
                "    ContainerDb({db}, \"{name} DB\", \"PostgreSQL\", \"{}\")",
                label(&context.tables_owned.join(", "))
            );
            let _ = writeln!(out, "    Rel({service}, {db}, \"Reads and writes\")");
        }
        if !context.routes.is_empty() {
            let _ =
                writeln!(out, "    Rel(gateway, {service}, \"Routes {} requests\", \"HTTP\")", context.routes.len());
        }
    }
    for ((a, b), _) in context_edges(analysis) {
        let _ = writeln!(out, "    Rel({}, {}, \"Calls or shares data\")", id("svc", &a), id("svc", &b));
    }
    out
}

pub fn dot(analysis: &Analysis) -> String {
    let mut out = String::from("graph contexts {\n    node [shape=box];\n");
    for context in &analysis.contexts {
        let _ = writeln!(
            out,
            "    {} [label=\"{}\\n{} modules\"];",
            id("ctx", &context.name),
            label(&context.name),
            context.modules.len()
        );
    }
    for ((a, b), weight) in context_edges(analysis) {
        let _ =
            writeln!(out, "    {} -- {} [label=\"{}\"];", id("ctx", &a), id("ctx", &b), crate::model::round4(weight));
    }
    out.push_str("}\n");
    out
}
