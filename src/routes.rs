//! Entry points: HTTP routes (Express/Koa routers with mount prefixes composed across modules, NestJS controllers,
//! Fastify and Hapi route tables), scheduled jobs, queue and event consumers, and bin scripts.
//! Rules: `docs/coupling-rules.md` §2. Takes facts, resolution and the call graph's resolver; returns routes and the
//! modules that register wiring.

use std::collections::{BTreeMap, BTreeSet};

use crate::call_graph::Resolver;
use crate::data_access::constants::{Constants, Scope};
use crate::facts::{Arg, Chain, SourceFacts};
use crate::model::Route;

const HTTP_METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "del", "options", "head", "all"];
const NEST_METHODS: &[&str] = &["Get", "Post", "Put", "Patch", "Delete", "Options", "Head", "All"];
/// Names that hold an app or router even when seamline did not see them created (a parameter, say).
const CONVENTIONAL: &[&str] = &["app", "router", "server", "fastify", "api"];

/// A router or app: a module and the variable holding it.
type RouterId = (usize, String);

pub struct EntryPoints {
    pub routes: Vec<Route>,
    /// Modules that register routes, mounts, middleware or `listen`, and hand every route to a function defined
    /// elsewhere (no inline handler): candidates for the wiring-only role.
    pub wiring: BTreeSet<usize>,
}

pub fn find(
    modules: &[SourceFacts],
    resolver: &Resolver,
    constants: &Constants,
    bins: &[(String, usize)],
) -> EntryPoints {
    let finder = Finder { modules, resolver, constants, routers: routers(modules) };
    let mut routes = Vec::new();
    let mut wiring = BTreeSet::new();
    let mut mounts: Vec<(RouterId, String, RouterId)> = Vec::new();
    // Routes before their prefixes are known: (router, method, path, handler, module).
    let mut local: Vec<(RouterId, String, String, String, usize)> = Vec::new();
    let mut global_prefix = String::new();

    for (m, module) in modules.iter().enumerate() {
        for call in &module.facts.calls {
            if let Some(prefix) = finder.global_prefix(m, call) {
                global_prefix = prefix;
            }
            let Some(first) = call.links.first() else { continue };
            if !finder.is_router(m, &call.root) {
                if finder.job(m, call, &mut routes) {
                    wiring.insert(m);
                }
                continue;
            }
            let router = (m, call.root.clone());
            let Some(args) = &first.args else { continue };
            match first.name.as_str() {
                "use" | "register" => {
                    wiring.insert(m);
                    let prefix = finder.string(m, call, args.first()).unwrap_or_default();
                    for arg in args {
                        if let Arg::Ref { path, .. } = arg
                            && let Some(child) = finder.router_ref(m, path)
                        {
                            mounts.push((router.clone(), prefix.clone(), child));
                        }
                    }
                }
                "listen" => {
                    wiring.insert(m);
                }
                "route" if call.links.len() > 1 => {
                    // `router.route('/x').get(h).post(h2)`
                    wiring.insert(m);
                    let Some(path) = finder.string(m, call, args.first()) else { continue };
                    for link in &call.links[1..] {
                        if let (Some(link_args), true) = (&link.args, HTTP_METHODS.contains(&link.name.as_str())) {
                            let handler = finder.handler(m, call, link_args.last());
                            local.push((router.clone(), method_name(&link.name), path.clone(), handler, m));
                        }
                    }
                }
                "route" => {
                    // Fastify `route({ method, url, handler })`, Hapi `route({ method, path, handler })` or an array.
                    wiring.insert(m);
                    let tables = match args.first() {
                        Some(Arg::Array { items }) => items.iter().collect(),
                        Some(other) => vec![other],
                        None => Vec::new(),
                    };
                    for table in tables {
                        let Arg::Object { entries } = table else { continue };
                        let get = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
                        let Some(path) = finder.string(m, call, get("url").or(get("path"))) else { continue };
                        let methods = match get("method") {
                            Some(Arg::Array { items }) => {
                                items.iter().filter_map(|i| finder.string(m, call, Some(i))).collect()
                            }
                            other => finder.string(m, call, other).into_iter().collect::<Vec<_>>(),
                        };
                        let handler = finder.handler(m, call, get("handler"));
                        for method in methods {
                            local.push((router.clone(), method.to_uppercase(), path.clone(), handler.clone(), m));
                        }
                    }
                }
                name if HTTP_METHODS.contains(&name) => {
                    let Some(path) = finder.string(m, call, args.first()) else { continue };
                    wiring.insert(m);
                    let handler = finder.handler(m, call, args.last());
                    local.push((router, method_name(name), path, handler, m));
                }
                _ => {}
            }
        }
    }

    let prefixes = compose(&finder.routers, &mounts);
    for (router, method, path, handler, m) in local {
        let own = finder.routers.get(&router).cloned().unwrap_or_default();
        for prefix in prefixes.get(&router).cloned().unwrap_or_else(|| vec![String::new()]) {
            // A module with an inline handler holds request-handling code of its own: it is not wiring only.
            if handler.ends_with("#<inline>") {
                wiring.remove(&m);
            }
            routes.push(Route {
                method: method.clone(),
                path: join_paths(&[&prefix, &own, &path]),
                handler: handler.clone(),
                module: modules[m].path.clone(),
            });
        }
    }
    routes.extend(finder.nest_routes(&global_prefix));
    for (name, m) in bins {
        let path = &modules[*m].path;
        routes.push(Route {
            method: "BIN".to_owned(),
            path: name.clone(),
            handler: format!("{path}#<module>"),
            module: path.clone(),
        });
    }
    routes
        .sort_by(|a, b| (&a.path, &a.method, &a.module, &a.handler).cmp(&(&b.path, &b.method, &b.module, &b.handler)));
    routes.dedup();
    EntryPoints { routes, wiring }
}

/// Every mount prefix chain from an unmounted router down to each router.
fn compose(
    routers: &BTreeMap<RouterId, String>,
    mounts: &[(RouterId, String, RouterId)],
) -> BTreeMap<RouterId, Vec<String>> {
    let mounted: BTreeSet<&RouterId> = mounts.iter().map(|(_, _, child)| child).collect();
    let mut prefixes: BTreeMap<RouterId, Vec<String>> = BTreeMap::new();
    let mut stack: Vec<(RouterId, String, usize)> = mounts
        .iter()
        .map(|(parent, _, _)| parent)
        .chain(routers.keys())
        .filter(|r| !mounted.contains(r))
        .map(|r| (r.clone(), String::new(), 0))
        .collect();
    stack.sort();
    stack.dedup();
    while let Some((router, prefix, depth)) = stack.pop() {
        let entry = prefixes.entry(router.clone()).or_default();
        if entry.contains(&prefix) || depth > 16 {
            continue; // a mount cycle, or the same chain twice
        }
        entry.push(prefix.clone());
        let own = routers.get(&router).cloned().unwrap_or_default();
        for (parent, mount, child) in mounts.iter().filter(|(p, _, _)| *p == router) {
            let _ = parent;
            stack.push((child.clone(), join_paths(&[&prefix, &own, mount]), depth + 1));
        }
    }
    for list in prefixes.values_mut() {
        list.sort();
    }
    prefixes
}

/// Joins URL segments: one `/` between them, no trailing `/` except for the root.
pub fn join_paths(parts: &[&str]) -> String {
    let joined: Vec<&str> = parts.iter().flat_map(|p| p.split('/')).filter(|s| !s.is_empty()).collect();
    format!("/{}", joined.join("/"))
}

fn method_name(name: &str) -> String {
    if name == "del" { "DELETE".to_owned() } else { name.to_uppercase() }
}

/// The `prefix` option of a router's constructor or factory arguments.
fn prefix_option(args: Option<&Vec<Arg>>) -> Option<String> {
    match args?.first()? {
        Arg::Object { entries } => entries.iter().find_map(|(k, v)| match (k.as_str(), v) {
            ("prefix", Arg::Str { value, .. }) => Some(static_text(value)),
            _ => None,
        }),
        _ => None,
    }
}

/// Routers and apps each module creates, with their own prefix (`new Router({ prefix })`).
fn routers(modules: &[SourceFacts]) -> BTreeMap<RouterId, String> {
    const CONSTRUCTORS: &[&str] = &["Router", "KoaRouter", "Koa", "Server", "Hapi.Server", "Hapi.server", "Fastify"];
    let mut found = BTreeMap::new();
    for (m, module) in modules.iter().enumerate() {
        for instance in &module.facts.instances {
            let class = instance.type_name.rsplit('.').next().unwrap_or_default();
            if CONSTRUCTORS.contains(&instance.type_name.as_str()) || CONSTRUCTORS.contains(&class) {
                found.insert((m, instance.name.clone()), prefix_option(Some(&instance.args)).unwrap_or_default());
            }
        }
        for call in &module.facts.calls {
            let Some(var) = &call.assigned_to else { continue };
            let names: Vec<&str> = call.links.iter().map(|l| l.name.as_str()).collect();
            let creates = match call.root.as_str() {
                "express" | "fastify" | "Fastify" | "Router" => matches!(names.as_slice(), [""] | ["Router"]),
                "require" => names.last() == Some(&"Router"),
                "new Router" | "new KoaRouter" | "new Koa" | "new Hapi.Server" | "Hapi" => true,
                _ => names.last() == Some(&"Router"),
            };
            if creates {
                let prefix = prefix_option(call.links.first().and_then(|l| l.args.as_ref()));
                found.insert((m, var.clone()), prefix.unwrap_or_default());
            }
        }
    }
    found
}

fn static_text(pieces: &[crate::facts::Piece]) -> String {
    pieces.iter().map(|p| if let crate::facts::Piece::Text(t) = p { t.as_str() } else { "" }).collect()
}

struct Finder<'a> {
    modules: &'a [SourceFacts],
    resolver: &'a Resolver<'a>,
    constants: &'a Constants<'a>,
    routers: BTreeMap<RouterId, String>,
}

impl Finder<'_> {
    fn is_router(&self, m: usize, name: &str) -> bool {
        self.routers.contains_key(&(m, name.to_owned())) || CONVENTIONAL.contains(&name)
    }

    fn string(&self, m: usize, call: &Chain, arg: Option<&Arg>) -> Option<String> {
        self.constants.arg_value(m, Scope::of(&call.place), arg)
    }

    /// `path#function` of a handler argument; a wrapper call (`asyncHandler(ctrl.create)`) is looked through.
    fn handler(&self, m: usize, call: &Chain, arg: Option<&Arg>) -> String {
        let here = &self.modules[m].path;
        match arg {
            Some(Arg::Call { args, .. }) if args.len() == 1 => self.handler(m, call, args.first()),
            Some(Arg::Ref { path, .. }) => match self.resolver.reference(m, &call.place, path) {
                Some(f) => {
                    let module = &self.modules[f.module];
                    format!("{}#{}", module.path, module.facts.definitions[f.definition].name)
                }
                None => format!("{here}#{path}"),
            },
            _ => format!("{here}#<inline>"),
        }
    }

    /// The router a reference names: a local router, or the router an imported module exports.
    fn router_ref(&self, m: usize, name: &str) -> Option<RouterId> {
        if self.routers.contains_key(&(m, name.to_owned())) {
            return Some((m, name.to_owned()));
        }
        let (defining, local) = self.resolver.symbols.imported_definition(m, name)?;
        self.routers.contains_key(&(defining, local.clone())).then_some((defining, local))
    }

    fn global_prefix(&self, m: usize, call: &Chain) -> Option<String> {
        let link = call.links.iter().find(|l| l.name == "setGlobalPrefix")?;
        self.string(m, call, link.args.as_ref()?.first())
    }

    /// Scheduled jobs and consumers registered by calls (`cron.schedule`, `queue.process`, `consumer.run`);
    /// true when the call registered one.
    fn job(&self, m: usize, call: &Chain, routes: &mut Vec<Route>) -> bool {
        let Some(first) = call.links.first() else { return false };
        let Some(args) = &first.args else { return false };
        let root = call.root.to_ascii_lowercase();
        let (method, path) = match first.name.as_str() {
            "schedule" if root == "cron" || root.ends_with("cron") => ("CRON", self.string(m, call, args.first())),
            "process" if root.contains("queue") => {
                ("QUEUE", Some(self.string(m, call, args.first()).unwrap_or_else(|| "*".to_owned())))
            }
            "run" if root.contains("consumer") => ("CONSUMER", Some("*".to_owned())),
            _ => return false,
        };
        let Some(path) = path else { return false };
        // `consumer.run({ eachMessage: handle })` names its handler inside an options object.
        let in_options = args.iter().find_map(|a| match a {
            Arg::Object { entries } => {
                entries.iter().find(|(k, _)| k == "eachMessage" || k == "eachBatch").map(|(_, v)| v)
            }
            _ => None,
        });
        let handler_arg =
            in_options.or_else(|| args.iter().rev().find(|a| matches!(a, Arg::Ref { .. } | Arg::Func { .. })));
        let handler = self.handler(m, call, handler_arg);
        routes.push(Route { method: method.to_owned(), path, handler, module: self.modules[m].path.clone() });
        true
    }

    /// NestJS controllers and decorated job/event methods.
    fn nest_routes(&self, global_prefix: &str) -> Vec<Route> {
        let mut routes = Vec::new();
        for (m, module) in self.modules.iter().enumerate() {
            let path = &module.path;
            let decorators = module.facts.calls.iter().filter(|c| c.decorates.is_some());
            let controllers: BTreeMap<&str, String> = decorators
                .clone()
                .filter(|c| c.root == "Controller")
                .map(|c| {
                    let prefix = self.decorator_arg(m, c).unwrap_or_default();
                    (c.decorates.as_deref().unwrap_or_default(), prefix)
                })
                .collect();
            for call in decorators {
                let (Some(method_name), Some(class)) = (&call.decorates, &call.place.class) else { continue };
                let handler = format!("{path}#{class}.{method_name}");
                let route = if NEST_METHODS.contains(&call.root.as_str()) {
                    let Some(prefix) = controllers.get(class.as_str()) else { continue };
                    let sub = self.decorator_arg(m, call).unwrap_or_default();
                    Route {
                        method: call.root.to_uppercase(),
                        path: join_paths(&[global_prefix, prefix, &sub]),
                        handler,
                        module: path.clone(),
                    }
                } else {
                    let method = match call.root.as_str() {
                        "Cron" => "CRON",
                        "OnEvent" | "EventPattern" | "MessagePattern" => "EVENT",
                        _ => continue,
                    };
                    let Some(name) = self.decorator_arg(m, call) else { continue };
                    Route { method: method.to_owned(), path: name, handler, module: path.clone() }
                };
                routes.push(route);
            }
        }
        routes
    }

    fn decorator_arg(&self, m: usize, call: &Chain) -> Option<String> {
        let args = call.links.first()?.args.as_ref()?;
        self.string(m, call, args.first())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_cleanly() {
        assert_eq!(join_paths(&["", "/api/v1", "/orders/", ":id"]), "/api/v1/orders/:id");
        assert_eq!(join_paths(&["/api", "/"]), "/api");
        assert_eq!(join_paths(&["", "", "/"]), "/");
    }
}
