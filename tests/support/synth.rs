//! Synthetic Node.js monoliths with planted bounded contexts, for clustering tests and benchmarks.
//!
//! [`generate`] writes an Express + `pg` monolith: a root `package.json`, `db/schema.sql`, `src/db.js` and
//! `src/logger.js` (infrastructure), `src/server.js` (the entry point mounting every domain's router), and one folder
//! `src/<domain>/` per planted domain holding
//! - one repository per table the domain owns (2–3 tables named after the domain), running raw SQL through
//!   `db.query(...)` on its own tables only;
//! - services calling their own repositories, lower-ranked services of their own domain and, for a share
//!   `cross_rate` of all calls, a service of another domain; the domain's main service (`<entity>Service`) holds a
//!   `BEGIN … COMMIT` transaction on two of the domain's tables (some domains hold a second one elsewhere);
//! - one controller (`<entity>Controller`) whose route handlers call the domain's services.
//!
//! Every module has 2–6 functions and every call between modules is statically resolvable (CommonJS
//! `const repo = require('./repo'); repo.f()` for JavaScript, ESM named imports `import { f } from './repo'` for
//! TypeScript). Everything is a pure function of [`SynthOptions`]: the same options give byte-identical output.
//!
//! "Calls" in `cross_rate` are the calls between domain modules (controller → service, service → service, service →
//! repository); calls to the logger and to `db` are not counted.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io;
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthOptions {
    /// Number of planted domains (at least 1).
    pub domains: usize,
    /// Modules per domain (at least 4: two repositories, one service, one controller).
    pub modules_per_domain: usize,
    /// Share of the calls between domain modules that go to another domain, in `0.0..=1.0`.
    pub cross_rate: f64,
    /// TypeScript with ESM imports instead of JavaScript with CommonJS.
    pub typescript: bool,
    pub seed: u64,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions { domains: 8, modules_per_domain: 10, cross_rate: 0.1, typescript: false, seed: 1 }
    }
}

/// Planted label of `src/db.*` and `src/logger.*`.
pub const INFRASTRUCTURE: &str = "infrastructure";
/// Planted label of `src/server.*`.
pub const ENTRYPOINT: &str = "entrypoint";

/// Writes the monolith into `out` (created if missing; files already there are overwritten, others left alone) and
/// returns the planted partition: root-relative module path → domain name, with `src/db.*` and `src/logger.*` as
/// [`INFRASTRUCTURE`] and `src/server.*` as [`ENTRYPOINT`]. The same map is written to `out/planted.json`.
pub fn generate(out: &Path, options: &SynthOptions) -> io::Result<BTreeMap<String, String>> {
    let plan = Plan::build(options);
    let files = render(&plan, options);
    let mut planted = BTreeMap::new();
    for file in &files {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &file.text)?;
        if let Some(label) = &file.label {
            planted.insert(file.path.clone(), label.clone());
        }
    }
    let json = serde_json::to_string_pretty(&planted).map_err(io::Error::other)?;
    std::fs::write(out.join("planted.json"), format!("{json}\n"))?;
    Ok(planted)
}

// ---------------------------------------------------------------------------------------------------------------
// Randomness

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Names

/// Domain folder and the tables it may own: (table, entity in camelCase). The first table is the main one.
const DOMAINS: &[(&str, [(&str, &str); 3])] = &[
    ("orders", [("orders", "order"), ("order_lines", "orderLine"), ("order_events", "orderEvent")]),
    (
        "billing",
        [
            ("billing_accounts", "billingAccount"),
            ("billing_cycles", "billingCycle"),
            ("billing_adjustments", "billingAdjustment"),
        ],
    ),
    ("users", [("users", "user"), ("user_profiles", "userProfile"), ("user_preferences", "userPreference")]),
    (
        "catalog",
        [("products", "product"), ("product_categories", "productCategory"), ("product_variants", "productVariant")],
    ),
    (
        "shipping",
        [("shipments", "shipment"), ("shipment_packages", "shipmentPackage"), ("shipping_rates", "shippingRate")],
    ),
    (
        "inventory",
        [
            ("stock_levels", "stockLevel"),
            ("stock_movements", "stockMovement"),
            ("stock_reservations", "stockReservation"),
        ],
    ),
    (
        "payments",
        [("payments", "payment"), ("payment_attempts", "paymentAttempt"), ("payment_methods", "paymentMethod")],
    ),
    ("reviews", [("reviews", "review"), ("review_votes", "reviewVote"), ("review_flags", "reviewFlag")]),
    (
        "search",
        [("search_queries", "searchQuery"), ("search_synonyms", "searchSynonym"), ("search_clicks", "searchClick")],
    ),
    (
        "notifications",
        [
            ("notifications", "notification"),
            ("notification_templates", "notificationTemplate"),
            ("notification_deliveries", "notificationDelivery"),
        ],
    ),
    ("invoices", [("invoices", "invoice"), ("invoice_lines", "invoiceLine"), ("invoice_payments", "invoicePayment")]),
    (
        "customers",
        [("customers", "customer"), ("customer_addresses", "customerAddress"), ("customer_notes", "customerNote")],
    ),
    ("accounts", [("accounts", "account"), ("account_members", "accountMember"), ("account_limits", "accountLimit")]),
    (
        "subscriptions",
        [
            ("subscriptions", "subscription"),
            ("subscription_plans", "subscriptionPlan"),
            ("subscription_renewals", "subscriptionRenewal"),
        ],
    ),
    (
        "promotions",
        [
            ("promotions", "promotion"),
            ("promotion_rules", "promotionRule"),
            ("promotion_redemptions", "promotionRedemption"),
        ],
    ),
    ("coupons", [("coupons", "coupon"), ("coupon_codes", "couponCode"), ("coupon_usages", "couponUsage")]),
    ("carts", [("carts", "cart"), ("cart_items", "cartItem"), ("cart_events", "cartEvent")]),
    (
        "returns",
        [("return_requests", "returnRequest"), ("return_items", "returnItem"), ("return_labels", "returnLabel")],
    ),
    ("refunds", [("refunds", "refund"), ("refund_lines", "refundLine"), ("refund_approvals", "refundApproval")]),
    (
        "warehouses",
        [("warehouses", "warehouse"), ("warehouse_zones", "warehouseZone"), ("warehouse_bins", "warehouseBin")],
    ),
    (
        "suppliers",
        [
            ("suppliers", "supplier"),
            ("supplier_contacts", "supplierContact"),
            ("supplier_contracts", "supplierContract"),
        ],
    ),
    ("pricing", [("price_lists", "priceList"), ("price_rules", "priceRule"), ("price_overrides", "priceOverride")]),
    ("taxes", [("tax_rates", "taxRate"), ("tax_exemptions", "taxExemption"), ("tax_filings", "taxFiling")]),
    (
        "loyalty",
        [("loyalty_members", "loyaltyMember"), ("loyalty_points", "loyaltyPoint"), ("loyalty_tiers", "loyaltyTier")],
    ),
    (
        "wishlists",
        [("wishlists", "wishlist"), ("wishlist_items", "wishlistItem"), ("wishlist_shares", "wishlistShare")],
    ),
    (
        "recommendations",
        [
            ("recommendations", "recommendation"),
            ("recommendation_feedback", "recommendationFeedback"),
            ("recommendation_models", "recommendationModel"),
        ],
    ),
    (
        "analytics",
        [
            ("analytics_events", "analyticsEvent"),
            ("analytics_sessions", "analyticsSession"),
            ("analytics_funnels", "analyticsFunnel"),
        ],
    ),
    ("reports", [("reports", "report"), ("report_runs", "reportRun"), ("report_schedules", "reportSchedule")]),
    ("audits", [("audit_entries", "auditEntry"), ("audit_policies", "auditPolicy"), ("audit_exports", "auditExport")]),
    (
        "messages",
        [("messages", "message"), ("message_threads", "messageThread"), ("message_attachments", "messageAttachment")],
    ),
    (
        "tickets",
        [("tickets", "ticket"), ("ticket_comments", "ticketComment"), ("ticket_assignments", "ticketAssignment")],
    ),
    ("sessions", [("sessions", "session"), ("session_tokens", "sessionToken"), ("session_devices", "sessionDevice")]),
    ("permissions", [("roles", "role"), ("role_grants", "roleGrant"), ("permission_sets", "permissionSet")]),
    ("teams", [("teams", "team"), ("team_members", "teamMember"), ("team_invites", "teamInvite")]),
    (
        "projects",
        [("projects", "project"), ("project_tasks", "projectTask"), ("project_milestones", "projectMilestone")],
    ),
    (
        "documents",
        [("documents", "document"), ("document_versions", "documentVersion"), ("document_shares", "documentShare")],
    ),
    ("media", [("media_assets", "mediaAsset"), ("media_renditions", "mediaRendition"), ("media_tags", "mediaTag")]),
    ("emails", [("email_campaigns", "emailCampaign"), ("email_sends", "emailSend"), ("email_bounces", "emailBounce")]),
    (
        "webhooks",
        [
            ("webhook_endpoints", "webhookEndpoint"),
            ("webhook_deliveries", "webhookDelivery"),
            ("webhook_secrets", "webhookSecret"),
        ],
    ),
    (
        "schedules",
        [("schedules", "schedule"), ("schedule_slots", "scheduleSlot"), ("schedule_exceptions", "scheduleException")],
    ),
    (
        "payroll",
        [("payroll_runs", "payrollRun"), ("payroll_items", "payrollItem"), ("payroll_deductions", "payrollDeduction")],
    ),
    (
        "contracts",
        [
            ("contracts", "contract"),
            ("contract_clauses", "contractClause"),
            ("contract_signatures", "contractSignature"),
        ],
    ),
    (
        "ledger",
        [("ledger_accounts", "ledgerAccount"), ("ledger_entries", "ledgerEntry"), ("ledger_periods", "ledgerPeriod")],
    ),
    ("quotes", [("quotes", "quote"), ("quote_lines", "quoteLine"), ("quote_approvals", "quoteApproval")]),
];

/// What secondary services of a domain are about; past the end, names get a number.
const TOPICS: &[&str] = &[
    "Pricing",
    "Validation",
    "Export",
    "Sync",
    "Audit",
    "Reporting",
    "Scheduling",
    "Lookup",
    "Policy",
    "Notification",
    "Ingest",
    "Archive",
    "Reconciliation",
    "Cache",
    "Workflow",
    "Approval",
    "Quota",
    "Metrics",
    "Retention",
    "Enrichment",
    "Matching",
    "Routing",
    "Forecast",
    "Threshold",
    "Summary",
    "Digest",
    "Batch",
    "Snapshot",
    "Transform",
    "Mapping",
    "Lifecycle",
    "Escalation",
    "Dedup",
    "Merge",
    "Allocation",
    "Assignment",
    "Eligibility",
    "Fraud",
    "Compliance",
    "Consent",
    "Rollup",
    "Backfill",
    "Rebalance",
    "Throttle",
    "Expiry",
    "Renewal",
    "Capture",
    "Settlement",
    "Translation",
    "Formatting",
    "Rating",
    "Import",
];

/// Module name suffixes of secondary services, cycled.
const SERVICE_KINDS: &[&str] =
    &["Service", "Manager", "Service", "Policy", "Service", "Worker", "Service", "Coordinator"];

/// Verbs of service functions (disjoint from the repository verbs: find, search, insert, update, count, archive,
/// list).
const SERVICE_VERBS: &[&str] = &[
    "get",
    "create",
    "refresh",
    "validate",
    "sync",
    "process",
    "compute",
    "apply",
    "schedule",
    "prepare",
    "publish",
    "reconcile",
    "resolve",
    "summarize",
    "notify",
    "load",
    "build",
    "check",
    "enqueue",
    "calculate",
    "record",
    "approve",
    "cancel",
    "close",
    "rebuild",
    "dispatch",
    "merge",
    "expire",
    "lock",
    "release",
    "estimate",
    "assign",
    "verify",
    "register",
    "plan",
    "collect",
    "render",
];

/// Controller actions (route handler names).
const ACTIONS: &[(&str, &str, &str)] = &[
    // (action, HTTP method, route suffix)
    ("get", "get", "/:id"),
    ("create", "post", "/"),
    ("update", "put", "/:id"),
    ("list", "get", "/"),
    ("cancel", "post", "/:id/cancel"),
    ("approve", "post", "/:id/approve"),
    ("export", "get", "/:id/export"),
    ("refresh", "post", "/:id/refresh"),
];

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

fn snake(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A name not used yet: `base`, else `base2`, `base3`…
fn unique(used: &mut HashSet<String>, base: String) -> String {
    if used.insert(base.clone()) {
        return base;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}{n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Plan

struct Table {
    name: String,
    /// camelCase entity name.
    entity: String,
}

struct Domain {
    name: String,
    tables: Vec<Table>,
    controller: usize,
    /// By rank: `services[0]` is the main service.
    services: Vec<usize>,
    /// Parallel to `tables`.
    repositories: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Repository { table: usize },
    Service { rank: usize },
    Controller,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sql {
    FindById,
    ByStatus,
    Insert,
    UpdateStatus,
    Count,
    Archive,
    /// Secondary tables: joined with the main table; main table: stale rows.
    Related,
}

const SQL_KINDS: &[Sql] =
    &[Sql::FindById, Sql::ByStatus, Sql::Insert, Sql::UpdateStatus, Sql::Count, Sql::Archive, Sql::Related];

#[derive(Clone)]
enum Body {
    Sql {
        kind: Sql,
        multiline: bool,
    },
    /// `BEGIN`, UPDATE of the domain's main table, INSERT into another of its tables, `COMMIT`.
    Transaction {
        update: usize,
        insert: usize,
    },
    Logic {
        guard: bool,
    },
    Handler {
        method: &'static str,
        route: &'static str,
    },
}

struct Function {
    name: String,
    body: Body,
    /// (module, function) called, in order.
    calls: Vec<(usize, usize)>,
}

struct Module {
    domain: usize,
    kind: Kind,
    stem: String,
    functions: Vec<Function>,
    /// Repositories: SQL columns held in a module constant.
    columns_constant: bool,
}

struct Plan {
    domains: Vec<Domain>,
    modules: Vec<Module>,
}

impl Plan {
    fn build(options: &SynthOptions) -> Plan {
        let mut rng = Rng(options.seed ^ 0x5EED_5EED_5EED_5EED);
        let per_domain = options.modules_per_domain.max(4);
        let domain_count = options.domains.max(1);
        let mut used_names: HashSet<String> = HashSet::new();
        for reserved in ["db", "pool", "logger", "router", "express", "client", "result", "rows"] {
            used_names.insert(reserved.to_owned());
        }
        let mut domains = Vec::with_capacity(domain_count);
        let mut modules: Vec<Module> = Vec::new();

        for d in 0..domain_count {
            let (base, tables) = DOMAINS[d % DOMAINS.len()];
            let round = d / DOMAINS.len();
            let (name, suffix) = if round == 0 {
                (base.to_owned(), String::new())
            } else {
                (format!("{base}{}", round + 1), format!("{}", round + 1))
            };
            let table_count = rng.range(2, 3).min(per_domain - 2);
            let tables: Vec<Table> = tables[..table_count]
                .iter()
                .map(|(table, entity)| Table {
                    name: if suffix.is_empty() { (*table).to_owned() } else { format!("{table}_{suffix}") },
                    entity: format!("{entity}{suffix}"),
                })
                .collect();
            let main_entity = tables[0].entity.clone();
            let main_subject = capitalize(&main_entity);

            // Repositories.
            let mut repositories = Vec::new();
            for (t, table) in tables.iter().enumerate() {
                let subject = capitalize(&table.entity);
                let count = rng.range(2, 6);
                let mut kinds: Vec<Sql> =
                    SQL_KINDS.iter().copied().filter(|k| !matches!(k, Sql::FindById | Sql::Insert)).collect();
                rng.shuffle(&mut kinds);
                let mut chosen = vec![Sql::FindById, Sql::Insert];
                chosen.extend(kinds.into_iter().take(count - 2));
                chosen.sort_by_key(|k| SQL_KINDS.iter().position(|x| x == k));
                let functions = chosen
                    .into_iter()
                    .map(|kind| {
                        let base = match kind {
                            Sql::FindById => format!("find{subject}ById"),
                            Sql::ByStatus => format!("search{subject}ByStatus"),
                            Sql::Insert => format!("insert{subject}"),
                            Sql::UpdateStatus => format!("update{subject}Status"),
                            Sql::Count => format!("count{subject}ByStatus"),
                            Sql::Archive => format!("archive{subject}"),
                            Sql::Related if t == 0 => format!("listStale{subject}"),
                            Sql::Related => format!("list{subject}For{main_subject}"),
                        };
                        Function {
                            name: unique(&mut used_names, base),
                            body: Body::Sql { kind, multiline: rng.chance(0.3) },
                            calls: Vec::new(),
                        }
                    })
                    .collect();
                let stem = unique(&mut used_names, format!("{}Repository", table.entity));
                repositories.push(modules.len());
                modules.push(Module {
                    domain: d,
                    kind: Kind::Repository { table: t },
                    stem,
                    functions,
                    columns_constant: rng.chance(0.35),
                });
            }

            // Services, by rank.
            let service_count = per_domain - table_count - 1;
            let mut services = Vec::new();
            for rank in 0..service_count {
                let (stem_base, subject) = if rank == 0 {
                    (format!("{main_entity}Service"), main_subject.clone())
                } else {
                    let topic_index = rank - 1;
                    let mut topic = TOPICS[topic_index % TOPICS.len()].to_owned();
                    if topic_index >= TOPICS.len() {
                        topic.push_str(&format!("{}", topic_index / TOPICS.len() + 1));
                    }
                    let kind = SERVICE_KINDS[topic_index % SERVICE_KINDS.len()];
                    (format!("{main_entity}{topic}{kind}"), format!("{main_subject}{topic}"))
                };
                let stem = unique(&mut used_names, stem_base);
                let count = rng.range(2, 6);
                let mut verbs = SERVICE_VERBS.to_vec();
                rng.shuffle(&mut verbs);
                let functions = verbs[..count]
                    .iter()
                    .map(|verb| Function {
                        name: unique(&mut used_names, format!("{verb}{subject}")),
                        body: Body::Logic { guard: rng.chance(0.4) },
                        calls: Vec::new(),
                    })
                    .collect();
                services.push(modules.len());
                modules.push(Module {
                    domain: d,
                    kind: Kind::Service { rank },
                    stem,
                    functions,
                    columns_constant: false,
                });
            }
            // Transactions: always one in the main service, sometimes a second one in another service.
            let insert = rng.range(1, table_count - 1);
            modules[services[0]].functions[0].body = Body::Transaction { update: 0, insert };
            if service_count > 1 && rng.chance(0.5) {
                let other = services[rng.range(1, service_count - 1)];
                let insert = rng.range(1, table_count - 1);
                modules[other].functions[0].body = Body::Transaction { update: 0, insert };
            }

            // Controller.
            let count = rng.range(2, 6);
            let mut actions = ACTIONS.to_vec();
            rng.shuffle(&mut actions);
            let functions = actions[..count]
                .iter()
                .map(|&(action, method, route)| Function {
                    name: unique(&mut used_names, format!("handle{}{main_subject}", capitalize(action))),
                    body: Body::Handler { method, route },
                    calls: Vec::new(),
                })
                .collect();
            let controller = modules.len();
            let stem = unique(&mut used_names, format!("{main_entity}Controller"));
            modules.push(Module { domain: d, kind: Kind::Controller, stem, functions, columns_constant: false });

            domains.push(Domain { name, tables, controller, services, repositories });
        }

        let mut plan = Plan { domains, modules };
        plan.plan_calls(options, &mut rng);
        plan
    }

    /// Functions of a module that may make calls: all but transactions (their scope stays within the domain's own
    /// tables).
    fn callers(&self, m: usize) -> Vec<usize> {
        let functions = &self.modules[m].functions;
        (0..functions.len()).filter(|&f| !matches!(functions[f].body, Body::Transaction { .. })).collect()
    }

    fn plan_calls(&mut self, options: &SynthOptions, rng: &mut Rng) {
        // Calls that make every module reachable from its own domain's controller.
        let mut forced: Vec<((usize, usize), (usize, usize))> = Vec::new();
        for domain in &self.domains {
            let controller = domain.controller;
            let main = domain.services[0];
            let handler = rng.pick(&self.callers(controller));
            forced.push(((controller, handler), (main, rng.below(self.modules[main].functions.len()))));
            for (rank, &service) in domain.services.iter().enumerate().skip(1) {
                let caller = if rng.below(rank + 1) == 0 { controller } else { domain.services[rng.below(rank)] };
                let from = rng.pick(&self.callers(caller));
                forced.push(((caller, from), (service, rng.below(self.modules[service].functions.len()))));
            }
            for &repository in &domain.repositories {
                let caller = rng.pick(&domain.services);
                let from = rng.pick(&self.callers(caller));
                forced.push(((caller, from), (repository, rng.below(self.modules[repository].functions.len()))));
            }
        }
        let mut forced_count: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for &(from, to) in &forced {
            *forced_count.entry(from).or_default() += 1;
            self.modules[from.0].functions[from.1].calls.push(to);
        }

        // Open call slots: services make 1–3 calls per function, handlers 1–2, forced calls included.
        let mut service_slots: Vec<(usize, usize)> = Vec::new();
        let mut controller_slots: Vec<(usize, usize)> = Vec::new();
        for (m, module) in self.modules.iter().enumerate() {
            let kind = module.kind;
            for f in self.callers(m) {
                let wanted = match kind {
                    Kind::Repository { .. } => continue,
                    Kind::Service { .. } => rng.range(1, 3),
                    Kind::Controller => rng.range(1, 2),
                };
                let open = wanted.saturating_sub(forced_count.get(&(m, f)).copied().unwrap_or(0));
                let slots = if kind == Kind::Controller { &mut controller_slots } else { &mut service_slots };
                slots.extend(std::iter::repeat_n((m, f), open));
            }
        }
        let total = forced.len() + service_slots.len() + controller_slots.len();
        let cross = if self.domains.len() < 2 {
            0
        } else {
            ((options.cross_rate.clamp(0.0, 1.0) * total as f64).round() as usize).min(service_slots.len())
        };
        rng.shuffle(&mut service_slots);
        let mut intra = service_slots.split_off(cross);
        let mut cross_slots = service_slots;
        // Keep the calls of a function in a stable, readable order: by caller.
        cross_slots.sort_unstable();
        intra.sort_unstable();

        let domain_count = self.domains.len();
        for (m, f) in cross_slots {
            let d = self.modules[m].domain;
            let other = (d + 1 + rng.below(domain_count - 1)) % domain_count;
            let target = rng.pick(&self.domains[other].services);
            let g = rng.below(self.modules[target].functions.len());
            self.modules[m].functions[f].calls.push((target, g));
        }
        for (m, f) in intra {
            let domain = &self.domains[self.modules[m].domain];
            let Kind::Service { rank } = self.modules[m].kind else { unreachable!() };
            let lower = &domain.services[rank + 1..];
            let target =
                if lower.is_empty() || rng.chance(0.55) { rng.pick(&domain.repositories) } else { rng.pick(lower) };
            let g = rng.below(self.modules[target].functions.len());
            self.modules[m].functions[f].calls.push((target, g));
        }
        for (m, f) in controller_slots {
            let domain = &self.domains[self.modules[m].domain];
            let target = if rng.chance(0.4) { domain.services[0] } else { rng.pick(&domain.services) };
            let g = rng.below(self.modules[target].functions.len());
            self.modules[m].functions[f].calls.push((target, g));
        }
        for module in &mut self.modules {
            for function in &mut module.functions {
                rng.shuffle(&mut function.calls);
            }
        }
    }

    fn extension(typescript: bool) -> &'static str {
        if typescript { "ts" } else { "js" }
    }

    fn path(&self, m: usize, ext: &str) -> String {
        let module = &self.modules[m];
        format!("src/{}/{}.{ext}", self.domains[module.domain].name, module.stem)
    }

    /// The specifier module `from` uses to import module `to`.
    fn specifier(&self, from: usize, to: usize) -> String {
        let (a, b) = (&self.modules[from], &self.modules[to]);
        if a.domain == b.domain {
            format!("./{}", b.stem)
        } else {
            format!("../{}/{}", self.domains[b.domain].name, b.stem)
        }
    }

    /// Modules a module calls: its own domain's first (by name), then other domains' (by path).
    fn imports(&self, m: usize) -> Vec<usize> {
        let module = &self.modules[m];
        let targets: BTreeSet<(bool, &str, &str, usize)> = module
            .functions
            .iter()
            .flat_map(|f| &f.calls)
            .map(|&(t, _)| {
                let target = &self.modules[t];
                (target.domain != module.domain, self.domains[target.domain].name.as_str(), target.stem.as_str(), t)
            })
            .collect();
        targets.into_iter().map(|(_, _, _, t)| t).collect()
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

struct File {
    path: String,
    text: String,
    label: Option<String>,
}

fn render(plan: &Plan, options: &SynthOptions) -> Vec<File> {
    let ts = options.typescript;
    let ext = Plan::extension(ts);
    let mut files = vec![
        File { path: "package.json".into(), text: package_json(options), label: None },
        File { path: "db/schema.sql".into(), text: schema_sql(plan), label: None },
        File { path: format!("src/db.{ext}"), text: db_module(ts), label: Some(INFRASTRUCTURE.into()) },
        File { path: format!("src/logger.{ext}"), text: logger_module(ts), label: Some(INFRASTRUCTURE.into()) },
        File { path: format!("src/server.{ext}"), text: server_module(plan, ts), label: Some(ENTRYPOINT.into()) },
    ];
    if ts {
        files.push(File { path: "tsconfig.json".into(), text: TSCONFIG.into(), label: None });
    }
    for (m, module) in plan.modules.iter().enumerate() {
        let text = match module.kind {
            Kind::Repository { table } => repository_module(plan, m, table, ts),
            Kind::Service { .. } => service_module(plan, m, ts),
            Kind::Controller => controller_module(plan, m, ts),
        };
        files.push(File { path: plan.path(m, ext), text, label: Some(plan.domains[module.domain].name.clone()) });
    }
    files
}

const ROW_TYPE: &str = "type Row = Record<string, unknown>;\n";

fn package_json(options: &SynthOptions) -> String {
    let mut s = String::new();
    s.push_str("{\n");
    s.push_str(&format!("  \"name\": \"synth-monolith-{}\",\n", options.seed));
    s.push_str("  \"version\": \"1.0.0\",\n  \"private\": true,\n");
    s.push_str(&format!(
        "  \"description\": \"Synthetic monolith: {} domains x {} modules, cross-domain call rate {}\",\n",
        options.domains, options.modules_per_domain, options.cross_rate
    ));
    if options.typescript {
        s.push_str("  \"main\": \"src/server.ts\",\n");
        s.push_str("  \"scripts\": {\n    \"build\": \"tsc -p .\",\n    \"start\": \"ts-node src/server.ts\"\n  },\n");
    } else {
        s.push_str("  \"main\": \"src/server.js\",\n");
        s.push_str("  \"scripts\": {\n    \"start\": \"node src/server.js\"\n  },\n");
    }
    s.push_str("  \"dependencies\": {\n    \"express\": \"^4.19.2\",\n    \"pg\": \"^8.11.5\"\n  }");
    if options.typescript {
        s.push_str(
            ",\n  \"devDependencies\": {\n    \"@types/express\": \"^4.17.21\",\n    \"@types/node\": \"^20.12.7\",\n",
        );
        s.push_str(
            "    \"@types/pg\": \"^8.11.5\",\n    \"ts-node\": \"^10.9.2\",\n    \"typescript\": \"^5.4.5\"\n  }",
        );
    }
    s.push_str("\n}\n");
    s
}

const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "target": "ES2022",
    "module": "commonjs",
    "moduleResolution": "node",
    "rootDir": "src",
    "outDir": "dist",
    "strict": true,
    "esModuleInterop": true,
    "skipLibCheck": true
  },
  "include": ["src"]
}
"#;

fn schema_sql(plan: &Plan) -> String {
    let mut s = String::from("-- Schema of the synthetic monolith: every domain owns its tables.\n");
    for domain in &plan.domains {
        s.push_str(&format!("\n-- {}\n", domain.name));
        let main = &domain.tables[0];
        for (t, table) in domain.tables.iter().enumerate() {
            s.push_str(&format!("CREATE TABLE {} (\n  id BIGSERIAL PRIMARY KEY,\n", table.name));
            if t > 0 {
                s.push_str(&format!("  {}_id BIGINT NOT NULL REFERENCES {} (id),\n", snake(&main.entity), main.name));
            }
            s.push_str("  status TEXT NOT NULL DEFAULT 'new',\n  payload JSONB NOT NULL DEFAULT '{}',\n");
            s.push_str("  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),\n  updated_at TIMESTAMPTZ,\n");
            s.push_str("  archived_at TIMESTAMPTZ\n);\n");
        }
    }
    s
}

fn db_module(ts: bool) -> String {
    if ts {
        r#"import { Pool, PoolClient, QueryResult } from 'pg';
import { logger } from './logger';

export const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.PG_POOL_SIZE ?? 10),
  idleTimeoutMillis: 30000,
});

pool.on('error', (err: Error) => {
  logger.error('idle client error', { error: err.message });
});

export const db = {
  async query(text: string, params: unknown[] = []): Promise<QueryResult> {
    const started = Date.now();
    const result = await pool.query(text, params);
    logger.debug('query', { ms: Date.now() - started, rows: result.rowCount });
    return result;
  },

  async connect(): Promise<PoolClient> {
    return pool.connect();
  },
};

export async function closePool(): Promise<void> {
  await pool.end();
  logger.info('database pool closed');
}
"#
        .into()
    } else {
        r#"'use strict';

const { Pool } = require('pg');
const logger = require('./logger');

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.PG_POOL_SIZE || 10),
  idleTimeoutMillis: 30000,
});

pool.on('error', (err) => {
  logger.error('idle client error', { error: err.message });
});

const db = {
  async query(text, params = []) {
    const started = Date.now();
    const result = await pool.query(text, params);
    logger.debug('query', { ms: Date.now() - started, rows: result.rowCount });
    return result;
  },

  async connect() {
    return pool.connect();
  },
};

async function closePool() {
  await pool.end();
  logger.info('database pool closed');
}

module.exports = { db, pool, closePool };
"#
        .into()
    }
}

fn logger_module(ts: bool) -> String {
    if ts {
        r#"type Fields = Record<string, unknown>;

const LEVELS: Record<string, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = LEVELS[process.env.LOG_LEVEL ?? 'info'] ?? LEVELS.info;

function write(level: string, message: string, fields: Fields): void {
  if (LEVELS[level] < threshold) {
    return;
  }
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  process.stdout.write(`${line}\n`);
}

export const logger = {
  debug(message: string, fields: Fields = {}): void {
    write('debug', message, fields);
  },
  info(message: string, fields: Fields = {}): void {
    write('info', message, fields);
  },
  warn(message: string, fields: Fields = {}): void {
    write('warn', message, fields);
  },
  error(message: string, fields: Fields = {}): void {
    write('error', message, fields);
  },
};
"#
        .into()
    } else {
        r#"'use strict';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = LEVELS[process.env.LOG_LEVEL || 'info'] || LEVELS.info;

function write(level, message, fields) {
  if (LEVELS[level] < threshold) {
    return;
  }
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  process.stdout.write(`${line}\n`);
}

function debug(message, fields = {}) {
  write('debug', message, fields);
}

function info(message, fields = {}) {
  write('info', message, fields);
}

function warn(message, fields = {}) {
  write('warn', message, fields);
}

function error(message, fields = {}) {
  write('error', message, fields);
}

module.exports = { debug, info, warn, error };
"#
        .into()
    }
}

fn server_module(plan: &Plan, ts: bool) -> String {
    let mut s = String::new();
    let controllers = &plan.domains;
    let router_name = |d: &Domain| format!("{}Router", plan.modules[d.controller].stem.trim_end_matches("Controller"));
    if ts {
        s.push_str(
            "import express from 'express';\nimport { logger } from './logger';\nimport { closePool } from './db';\n",
        );
        for d in controllers {
            s.push_str(&format!(
                "import {{ {} }} from './{}/{}';\n",
                router_name(d),
                d.name,
                plan.modules[d.controller].stem
            ));
        }
        s.push_str(
            "\nexport function createApp(): express.Express {\n  const app = express();\n  app.use(express.json());\n",
        );
        for d in controllers {
            s.push_str(&format!("  app.use('/{}', {});\n", d.name, router_name(d)));
        }
        s.push_str("  return app;\n}\n\n");
        s.push_str("export function start(port: number = Number(process.env.PORT ?? 3000)): void {\n");
        s.push_str("  const server = createApp().listen(port, () => logger.info('listening', { port }));\n");
        s.push_str(
            "  process.on('SIGTERM', () => {\n    server.close(() => {\n      closePool();\n    });\n  });\n}\n\n",
        );
        s.push_str("if (require.main === module) {\n  start();\n}\n");
    } else {
        s.push_str("'use strict';\n\nconst express = require('express');\nconst logger = require('./logger');\nconst { closePool } = require('./db');\n");
        for d in controllers {
            let stem = &plan.modules[d.controller].stem;
            s.push_str(&format!("const {stem} = require('./{}/{stem}');\n", d.name));
        }
        s.push_str("\nfunction createApp() {\n  const app = express();\n  app.use(express.json());\n");
        for d in controllers {
            s.push_str(&format!("  app.use('/{}', {}.router);\n", d.name, plan.modules[d.controller].stem));
        }
        s.push_str("  return app;\n}\n\n");
        s.push_str("function start(port = Number(process.env.PORT || 3000)) {\n");
        s.push_str("  const server = createApp().listen(port, () => logger.info('listening', { port }));\n");
        s.push_str(
            "  process.on('SIGTERM', () => {\n    server.close(() => {\n      closePool();\n    });\n  });\n}\n\n",
        );
        s.push_str("if (require.main === module) {\n  start();\n}\n\nmodule.exports = { createApp, start };\n");
    }
    s
}

/// Signature of a domain function: `(id, payload = {})`.
fn signature(ts: bool, name: &str, returns: &str) -> String {
    if ts {
        format!("export async function {name}(id: number, payload: Row = {{}}): Promise<{returns}> {{\n")
    } else {
        format!("async function {name}(id, payload = {{}}) {{\n")
    }
}

fn exports(module: &Module, ts: bool, extra: &[&str]) -> String {
    if ts {
        return String::new();
    }
    let names: Vec<&str> = extra.iter().copied().chain(module.functions.iter().map(|f| f.name.as_str())).collect();
    format!("\nmodule.exports = {{ {} }};\n", names.join(", "))
}

/// A SQL literal: single-quoted on one line, or a template literal over several lines.
fn sql_literal(lines: &[String], multiline: bool) -> String {
    if multiline {
        format!("`{}`", lines.join("\n     "))
    } else if lines.iter().any(|l| l.contains("${")) {
        format!("`{}`", lines.join(" "))
    } else {
        format!("'{}'", lines.join(" "))
    }
}

fn repository_module(plan: &Plan, m: usize, t: usize, ts: bool) -> String {
    let module = &plan.modules[m];
    let domain = &plan.domains[module.domain];
    let table = &domain.tables[t].name;
    let main = &domain.tables[0];
    let fk = format!("{}_id", snake(&main.entity));
    let columns = if module.columns_constant {
        "${COLUMNS}".to_owned()
    } else {
        "id, status, payload, created_at, updated_at".to_owned()
    };
    let mut s = String::new();
    if ts {
        s.push_str("import { db } from '../db';\nimport { logger } from '../logger';\n\n");
        s.push_str(ROW_TYPE);
    } else {
        s.push_str("'use strict';\n\nconst { db } = require('../db');\nconst logger = require('../logger');\n");
    }
    if module.columns_constant {
        s.push_str("\nconst COLUMNS = 'id, status, payload, created_at, updated_at';\n");
    }
    for function in &module.functions {
        let Body::Sql { kind, multiline } = function.body else { unreachable!() };
        let name = &function.name;
        s.push('\n');
        let (sql, params, returns, ret): (Vec<String>, &str, &str, String) = match kind {
            Sql::FindById => (
                vec![format!("SELECT {columns}"), format!("FROM {table}"), "WHERE id = $1".into()],
                "[id]",
                "Row | null",
                "  return rows[0] ?? null;\n".replace("??", if ts { "??" } else { "||" }),
            ),
            Sql::ByStatus => (
                vec![
                    "SELECT id, status, created_at".into(),
                    format!("FROM {table}"),
                    "WHERE status = $1".into(),
                    "ORDER BY created_at DESC LIMIT $2".into(),
                ],
                "[payload.status || 'active', Number(payload.limit || 50)]",
                "Row[]",
                "  return rows;\n".into(),
            ),
            Sql::Insert if t == 0 => (
                vec![
                    format!("INSERT INTO {table} (status, payload, created_at)"),
                    "VALUES ($1, $2, now())".into(),
                    "RETURNING id".into(),
                ],
                "[payload.status || 'new', JSON.stringify(payload)]",
                "Row",
                format!(
                    "  logger.info('{} created', {{ id: rows[0].id }});\n  return rows[0];\n",
                    snake(&domain.tables[t].entity).replace('_', " ")
                ),
            ),
            Sql::Insert => (
                vec![
                    format!("INSERT INTO {table} ({fk}, status, payload, created_at)"),
                    "VALUES ($1, $2, $3, now())".into(),
                    "RETURNING id".into(),
                ],
                "[id, payload.status || 'new', JSON.stringify(payload)]",
                "Row",
                format!(
                    "  logger.info('{} created', {{ {fk}: id, id: rows[0].id }});\n  return rows[0];\n",
                    snake(&domain.tables[t].entity).replace('_', " ")
                ),
            ),
            Sql::UpdateStatus => (
                vec![format!("UPDATE {table}"), "SET status = $2, updated_at = now()".into(), "WHERE id = $1".into()],
                "[id, payload.status]",
                "number",
                format!("  logger.debug('{name}', {{ id, changed: rowCount }});\n  return rowCount ?? 0;\n")
                    .replace("??", if ts { "??" } else { "||" }),
            ),
            Sql::Count => (
                vec!["SELECT count(*) AS total".into(), format!("FROM {table}"), "WHERE status = $1".into()],
                "[payload.status || 'active']",
                "number",
                "  return Number(rows[0].total);\n".into(),
            ),
            Sql::Archive => (
                vec![
                    format!("UPDATE {table}"),
                    "SET archived_at = now()".into(),
                    "WHERE id = $1 AND archived_at IS NULL".into(),
                ],
                "[id]",
                "number",
                "  return rowCount ?? 0;\n".replace("??", if ts { "??" } else { "||" }),
            ),
            Sql::Related if t == 0 => (
                vec![
                    "SELECT id, status, updated_at".into(),
                    format!("FROM {table}"),
                    "WHERE updated_at < $1".into(),
                    "ORDER BY updated_at LIMIT 100".into(),
                ],
                "[payload.before || new Date(Date.now() - 30 * 24 * 3600 * 1000)]",
                "Row[]",
                "  return rows;\n".into(),
            ),
            Sql::Related => (
                vec![
                    "SELECT c.id, c.status, c.created_at".into(),
                    format!("FROM {table} c"),
                    format!("JOIN {} p ON p.id = c.{fk}", main.name),
                    "WHERE p.id = $1".into(),
                    "ORDER BY c.created_at DESC".into(),
                ],
                "[id]",
                "Row[]",
                "  return rows;\n".into(),
            ),
        };
        let uses_row_count = matches!(kind, Sql::UpdateStatus | Sql::Archive);
        s.push_str(&signature(ts, name, returns));
        let destructure = if uses_row_count { "{ rowCount }" } else { "{ rows }" };
        s.push_str(&format!("  const {destructure} = await db.query({}, {params});\n", sql_literal(&sql, multiline)));
        s.push_str(&ret);
        s.push_str("}\n");
    }
    s.push_str(&exports(module, ts, &[]));
    s
}

/// Local name of the result of the `i`-th call in a function.
fn result_name(i: usize) -> String {
    format!("step{}", i + 1)
}

/// The expression calling `(module, function)` from module `m`.
fn call_expr(plan: &Plan, target: (usize, usize), ts: bool, args: &str) -> String {
    let (t, g) = target;
    let name = &plan.modules[t].functions[g].name;
    if ts { format!("{name}({args})") } else { format!("{}.{name}({args})", plan.modules[t].stem) }
}

fn import_lines(plan: &Plan, m: usize, ts: bool) -> String {
    let mut s = String::new();
    for t in plan.imports(m) {
        let specifier = plan.specifier(m, t);
        if ts {
            let names: BTreeSet<&str> = plan.modules[m]
                .functions
                .iter()
                .flat_map(|f| &f.calls)
                .filter(|&&(target, _)| target == t)
                .map(|&(_, g)| plan.modules[t].functions[g].name.as_str())
                .collect();
            s.push_str(&format!(
                "import {{ {} }} from '{specifier}';\n",
                names.into_iter().collect::<Vec<_>>().join(", ")
            ));
        } else {
            s.push_str(&format!("const {} = require('{specifier}');\n", plan.modules[t].stem));
        }
    }
    s
}

fn service_module(plan: &Plan, m: usize, ts: bool) -> String {
    let module = &plan.modules[m];
    let domain = &plan.domains[module.domain];
    let has_transaction = module.functions.iter().any(|f| matches!(f.body, Body::Transaction { .. }));
    let mut s = String::new();
    if ts {
        if has_transaction {
            s.push_str("import { db } from '../db';\n");
        }
        s.push_str("import { logger } from '../logger';\n");
    } else {
        s.push_str("'use strict';\n\n");
        if has_transaction {
            s.push_str("const { db } = require('../db');\n");
        }
        s.push_str("const logger = require('../logger');\n");
    }
    s.push_str(&import_lines(plan, m, ts));
    if ts {
        s.push('\n');
        s.push_str(ROW_TYPE);
    }
    for function in &module.functions {
        let name = &function.name;
        s.push('\n');
        match &function.body {
            Body::Transaction { update, insert } => {
                let (a, b) = (&domain.tables[*update], &domain.tables[*insert]);
                let fk = format!("{}_id", snake(&domain.tables[0].entity));
                let or = if ts { "??" } else { "||" };
                s.push_str(&signature(ts, name, "Row"));
                s.push_str("  const client = await db.connect();\n  try {\n    await client.query('BEGIN');\n");
                s.push_str(&format!(
                    "    await client.query('UPDATE {} SET status = $2, updated_at = now() WHERE id = $1', [id, payload.status {or} 'pending']);\n",
                    a.name
                ));
                s.push_str(&format!(
                    "    const {{ rows }} = await client.query('INSERT INTO {} ({fk}, status, payload, created_at) VALUES ($1, $2, $3, now()) RETURNING id', [id, 'new', JSON.stringify(payload)]);\n",
                    b.name
                ));
                s.push_str("    await client.query('COMMIT');\n");
                s.push_str(&format!("    logger.info('{name} committed', {{ id, created: rows[0].id }});\n"));
                s.push_str(
                    "    return { id, created: rows[0].id };\n  } catch (err) {\n    await client.query('ROLLBACK');\n",
                );
                let message = if ts { "(err as Error).message" } else { "err.message" };
                s.push_str(&format!("    logger.error('{name} rolled back', {{ id, error: {message} }});\n"));
                s.push_str("    throw err;\n  } finally {\n    client.release();\n  }\n}\n");
            }
            Body::Logic { guard } => {
                s.push_str(&signature(ts, name, "Row"));
                if *guard {
                    s.push_str(&format!("  if (!id) {{\n    throw new Error('{name}: id is required');\n  }}\n"));
                }
                s.push_str(&format!("  logger.debug('{name}', {{ id }});\n"));
                for (i, &target) in function.calls.iter().enumerate() {
                    s.push_str(&format!(
                        "  const {} = await {};\n",
                        result_name(i),
                        call_expr(plan, target, ts, "id, payload")
                    ));
                }
                let results: Vec<String> = (0..function.calls.len()).map(result_name).collect();
                let fields = if results.is_empty() { String::new() } else { format!(", {}", results.join(", ")) };
                s.push_str(&format!("  return {{ id{fields}, at: new Date().toISOString() }};\n}}\n"));
            }
            Body::Sql { .. } | Body::Handler { .. } => unreachable!(),
        }
    }
    s.push_str(&exports(module, ts, &[]));
    s
}

fn controller_module(plan: &Plan, m: usize, ts: bool) -> String {
    let module = &plan.modules[m];
    let router = if ts { format!("{}Router", module.stem.trim_end_matches("Controller")) } else { "router".to_owned() };
    let mut s = String::new();
    if ts {
        s.push_str(
            "import { Router, Request, Response, NextFunction } from 'express';\nimport { logger } from '../logger';\n",
        );
    } else {
        s.push_str("'use strict';\n\nconst express = require('express');\nconst logger = require('../logger');\n");
    }
    s.push_str(&import_lines(plan, m, ts));
    if ts {
        s.push_str(&format!("\nexport const {router} = Router();\n"));
    } else {
        s.push_str("\nconst router = express.Router();\n");
    }
    for function in &module.functions {
        let name = &function.name;
        s.push('\n');
        if ts {
            s.push_str(&format!(
                "export async function {name}(req: Request, res: Response, next: NextFunction): Promise<void> {{\n"
            ));
        } else {
            s.push_str(&format!("async function {name}(req, res, next) {{\n"));
        }
        s.push_str("  try {\n    const id = Number(req.params.id || 0);\n    const payload = req.body || {};\n");
        for (i, &target) in function.calls.iter().enumerate() {
            s.push_str(&format!(
                "    const {} = await {};\n",
                result_name(i),
                call_expr(plan, target, ts, "id, payload")
            ));
        }
        let results: Vec<String> = (0..function.calls.len()).map(result_name).collect();
        s.push_str(&format!("    res.json({{ {} }});\n", results.join(", ")));
        let message = if ts { "(err as Error).message" } else { "err.message" };
        s.push_str(&format!(
            "  }} catch (err) {{\n    logger.error('{name} failed', {{ error: {message} }});\n    next(err);\n  }}\n}}\n"
        ));
    }
    s.push('\n');
    for function in &module.functions {
        let Body::Handler { method, route } = function.body else { unreachable!() };
        s.push_str(&format!("{router}.{method}('{route}', {});\n", function.name));
    }
    s.push_str(&exports(module, ts, &["router"]));
    s
}
