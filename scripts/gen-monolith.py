#!/usr/bin/env python3
"""Write a synthetic Node/TypeScript monolith for benchmarking seamline.

Usage:
    python3 scripts/gen-monolith.py OUT [--files 10000] [--seed 1] [--line-scale 1.0] [--force]

The result is a deterministic function of (--files, --seed, --line-scale): the same arguments
always give byte-identical output (only random.Random(seed) is used, nothing is
iterated in hash order, and no time stamps are written).

Shape of the output:
    OUT/package.json, OUT/tsconfig.base.json, OUT/tsconfig.json (baseUrl + paths),
    OUT/knexfile.js, OUT/.gitignore, OUT/README.md
    OUT/src/server.ts, app.ts, routes.ts          entry points
    OUT/src/common/...                            shared helpers (logger, errors, config, utils/, middleware/, types/)
    OUT/src/db/...                                database client, transactions, migrations/
    OUT/src/<domain>/{index.ts, models/, repositories/, services/, controllers/,
                      routes/, validators/, jobs/, __tests__/}
About 70% of the source files are TypeScript (ESM syntax) and 30% JavaScript
(CommonJS).  Imports stay mostly inside a domain; cross-domain imports follow a
power law over the domains (the first domains of DOMAINS are the most popular).
SQL appears as template literals, plain strings, BEGIN/COMMIT transactions on a
pool client and knex query-builder calls.

--files is the number of source files (.ts/.js); a handful of config files
(package.json, tsconfigs, .gitignore, README.md) come on top.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import posixpath
import random
import re
import sys

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

# (folder, entity, tables) -- ordered by popularity (rank 0 is imported most).
# No folder may be one that seamline always skips (vendor(s), dist, build, out, ...).
DOMAINS = [
    ("users", "User", ["users", "user_sessions", "user_preferences"]),
    ("orders", "Order", ["orders", "order_items", "order_events"]),
    ("customers", "Customer", ["customers", "customer_addresses", "customer_notes"]),
    ("catalog", "Product", ["products", "product_variants", "categories"]),
    ("auth", "Credential", ["credentials", "auth_tokens", "login_attempts"]),
    ("billing", "BillingAccount", ["billing_accounts", "billing_cycles", "charges"]),
    ("payments", "Payment", ["payments", "payment_methods", "payment_attempts"]),
    ("inventory", "StockItem", ["stock_items", "stock_movements", "stock_reservations"]),
    ("shipping", "Shipment", ["shipments", "shipment_parcels", "carriers"]),
    ("invoices", "Invoice", ["invoices", "invoice_lines", "credit_notes"]),
    ("pricing", "PriceList", ["price_lists", "prices", "price_rules"]),
    ("notifications", "Notification", ["notifications", "notification_templates", "notification_deliveries"]),
    ("accounts", "Account", ["accounts", "account_members", "account_roles"]),
    ("carts", "Cart", ["carts", "cart_items"]),
    ("checkout", "CheckoutSession", ["checkout_sessions", "checkout_steps"]),
    ("subscriptions", "Subscription", ["subscriptions", "subscription_plans", "subscription_usage"]),
    ("promotions", "Promotion", ["promotions", "coupons", "coupon_redemptions"]),
    ("fulfillment", "FulfillmentOrder", ["fulfillment_orders", "pick_lists"]),
    ("warehouses", "Warehouse", ["warehouses", "warehouse_zones", "bins"]),
    ("returns", "ReturnRequest", ["return_requests", "return_items"]),
    ("refunds", "Refund", ["refunds", "refund_items"]),
    ("tax", "TaxRate", ["tax_rates", "tax_jurisdictions", "tax_exemptions"]),
    ("reviews", "Review", ["reviews", "review_votes"]),
    ("search", "SearchIndex", ["search_indexes", "search_queries"]),
    ("reports", "Report", ["reports", "report_runs", "report_schedules"]),
    ("analytics", "AnalyticsEvent", ["analytics_events", "analytics_sessions"]),
    ("suppliers", "Supplier", ["suppliers", "supplier_contacts", "purchase_orders"]),
    ("merchants", "Merchant", ["merchants", "merchant_settlements"]),
    ("payouts", "Payout", ["payouts", "payout_batches"]),
    ("loyalty", "LoyaltyAccount", ["loyalty_accounts", "loyalty_transactions", "loyalty_tiers"]),
    ("support", "SupportCase", ["support_cases", "case_comments"]),
    ("tickets", "Ticket", ["tickets", "ticket_assignments", "ticket_slas"]),
    ("media", "MediaAsset", ["media_assets", "media_renditions"]),
    ("content", "Page", ["pages", "page_blocks", "page_revisions"]),
    ("campaigns", "Campaign", ["campaigns", "campaign_audiences", "campaign_sends"]),
    ("emails", "EmailMessage", ["email_messages", "email_bounces"]),
    ("audit", "AuditEntry", ["audit_entries"]),
    ("currencies", "ExchangeRate", ["currencies", "exchange_rates"]),
    ("contracts", "Contract", ["contracts", "contract_terms", "contract_signatures"]),
    ("recommendations", "Recommendation", ["recommendations", "recommendation_models"]),
]

FACETS = [
    "pricing", "validation", "export", "import", "sync", "audit", "lookup", "summary", "batch",
    "settings", "archive", "status", "report", "schedule", "mapping", "cache", "policy", "approval",
    "query", "bulk", "webhook", "ledger", "snapshot", "metrics", "reconcile", "history",
    "notification", "search", "lifecycle", "eligibility", "allocation", "adjustment", "assignment",
    "dispatch", "preview", "quota", "reminder", "rollup", "scoring", "digest", "enrichment",
    "escalation", "forecast", "grouping", "matching", "normalization", "projection", "rating",
    "routing", "sharing", "tagging", "timeline", "transfer", "upload", "versioning", "visibility",
    "workflow", "backfill", "cleanup", "comparison", "consolidation", "retention", "translation",
]
QUALIFIERS = ["admin", "internal", "legacy", "partner", "public", "daily", "v2", "async", "bulk",
              "nightly", "regional", "manual", "external", "draft", "shadow"]

COMMON_SPECIAL = ["logger", "errors", "config"]
COMMON_TOP = ["http-client", "validation", "pagination", "money", "dates", "ids", "retry", "cache",
              "events", "feature-flags", "metrics", "tracing", "crypto", "result", "env",
              "constants", "request-context", "rate-limit", "queue", "mailer", "storage",
              "serializer", "locale", "health", "plugin-loader"]
COMMON_SUB = {
    "utils": ["strings", "arrays", "objects", "async", "numbers", "collections", "guards",
              "timers", "json", "url", "csv", "diff", "hash", "slug", "deep-merge", "chunk",
              "debounce", "memoize", "sleep", "uuid", "clamp", "format", "parse", "sort"],
    "middleware": ["authenticate", "authorize", "error-handler", "request-id", "rate-limiter",
                   "cors", "body-limit", "timing", "tenant", "idempotency", "audit-trail",
                   "compression", "etag", "locale-detect", "maintenance"],
    "types": ["http", "paging", "money", "events", "auth", "queue", "storage", "tenant",
              "clock", "ids", "results", "errors-map"],
}
DB_FIXED = ["client", "transaction", "query-helpers", "health", "pool-metrics", "sql-tag",
            "seed-runner", "migrate"]

EXTERNALS = {
    "express": ("Router", "express"),
    "knex": (None, "knex"),
    "pg": ("Pool", None),
    "lodash": (None, "_"),
    "zod": ("z", None),
    "dayjs": (None, "dayjs"),
    "uuid": ("v4", None),
    "ioredis": (None, "Redis"),
    "axios": (None, "axios"),
    "bullmq": ("Queue", None),
    "joi": (None, "Joi"),
    "@aws-sdk/client-s3": ("S3Client", None),
    "winston": (None, "winston"),
}
BUILTINS = ["fs", "path", "crypto", "util", "events", "os", "node:crypto", "node:path", "node:fs/promises"]

COLUMNS = ["status", "created_at", "updated_at", "name", "external_ref", "amount_cents", "currency",
           "notes", "priority", "deleted_at", "version", "metadata", "source", "region", "score"]
VERBS = ["get", "list", "find", "create", "update", "remove", "sync", "recalculate", "validate",
         "archive", "export", "notify", "resolve", "refresh", "apply", "load", "build", "prepare",
         "merge", "split", "approve", "reject", "schedule", "cancel", "restore", "summarize",
         "enqueue", "reconcile", "compute", "publish"]
NOUNS = ["Totals", "Status", "Batch", "Summary", "Items", "Entries", "Snapshot", "History",
         "Settings", "Defaults", "Rules", "Limits", "Changes", "Events", "Links", "Owner",
         "Window", "Metrics", "Report", "Draft", "Preview", "Tags", "Flags", "Candidates"]
STATUSES = ["pending", "active", "suspended", "archived", "failed", "completed", "cancelled", "draft"]

# Layer rank per kind: a file imports lower ranks (and lower-indexed files of its own rank).
RANK = {"model": 0, "repository": 1, "validator": 1, "service": 2, "job": 3, "controller": 3,
        "routes": 4, "test": 5}
KIND_DIR = {"model": "models", "repository": "repositories", "validator": "validators",
            "service": "services", "controller": "controllers", "routes": "routes", "job": "jobs",
            "test": "__tests__"}
KIND_WEIGHT = [("service", 0.30), ("model", 0.14), ("controller", 0.13), ("repository", 0.13),
               ("validator", 0.09), ("routes", 0.07), ("job", 0.07), ("test", 0.07)]
AFFINITY = {
    "model": {"model": 1.0},
    "repository": {"model": 3.0, "repository": 0.4},
    "validator": {"model": 2.0, "validator": 0.4},
    "service": {"repository": 3.0, "model": 2.0, "service": 2.0, "validator": 1.0},
    "job": {"service": 3.0, "repository": 1.0, "model": 1.0},
    "controller": {"service": 4.0, "validator": 2.0, "model": 1.0},
    "routes": {"controller": 4.0, "validator": 1.0},
    "test": {"service": 3.0, "repository": 1.0, "model": 1.0},
}
LOCAL_IMPORTS = {"model": (0, 3), "repository": (1, 5), "validator": (1, 3), "service": (2, 9),
                 "job": (2, 6), "controller": (2, 7), "routes": (1, 5), "test": (1, 3)}
CROSS_IMPORTS = {"model": (0, 1), "repository": (0, 1), "validator": (0, 1), "service": (0, 4),
                 "job": (0, 3), "controller": (0, 2), "routes": (0, 1), "test": (0, 1)}


def pascal(kebab: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in re.split(r"[-_/]", kebab) if p)


def camel(kebab: str) -> str:
    p = pascal(kebab)
    return p[:1].lower() + p[1:]


def upper(kebab: str) -> str:
    return re.sub(r"[-/]", "_", kebab).upper()


def kebab_of(pascal_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", pascal_name).lower()


def snake_of(pascal_name: str) -> str:
    return kebab_of(pascal_name).replace("-", "_")


def singular(table: str) -> str:
    if table.endswith("ies"):
        return table[:-3] + "y"
    if table.endswith(("xes", "ses", "ches")):
        return table[:-2]
    return table[:-1] if table.endswith("s") else table


def zipf_weights(n: int, s: float) -> list[float]:
    return [1.0 / (i + 1) ** s for i in range(n)]


def allocate(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split total into len(weights) integers proportional to weights (largest remainder)."""
    n = len(weights)
    base = [minimum] * n
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("not enough items to allocate")
    wsum = sum(weights)
    exact = [rest * w / wsum for w in weights]
    floors = [int(x) for x in exact]
    left = rest - sum(floors)
    order = sorted(range(n), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [b + f for b, f in zip(base, floors)]


# ---------------------------------------------------------------------------
# Plan
# ---------------------------------------------------------------------------


class Export:
    __slots__ = ("name", "kind")

    def __init__(self, name: str, kind: str):
        self.name = name  # identifier
        self.kind = kind  # class | func | const | type

    @property
    def is_type(self) -> bool:
        return self.kind == "type"


class FileSpec:
    def __init__(self, path: str, lang: str, kind: str, area: str, stem: str, idx: int = 0):
        self.path = path  # posix path relative to OUT, with extension
        self.lang = lang  # ts | js
        self.kind = kind
        self.area = area  # domain folder, "common", "db" or "root"
        self.stem = stem
        self.idx = idx
        self.exports: list[Export] = []
        self.default: str | None = None  # local name an importer uses for the default export
        self.target_lines = 0
        self.imports: list[dict] = []
        self.dynamic: dict | None = None
        self.uses_db = False

    @property
    def ts(self) -> bool:
        return self.lang == "ts"

    @property
    def noext(self) -> str:
        return self.path.rsplit(".", 1)[0]

    def values(self) -> list[Export]:
        return [e for e in self.exports if not e.is_type]

    def types(self) -> list[Export]:
        return [e for e in self.exports if e.is_type]


class Plan:
    def __init__(self, n_files: int, rng: random.Random, line_scale: float = 1.0):
        self.rng = rng
        self.line_scale = line_scale
        self.files: list[FileSpec] = []
        self.by_path: dict[str, FileSpec] = {}
        self.domains: list[tuple[str, str, list[str]]] = []
        self.domain_files: dict[str, dict[str, list[FileSpec]]] = {}
        self.barrels: dict[str, FileSpec] = {}
        self.barrel_names: dict[str, list[tuple[Export, FileSpec]]] = {}
        self.models_index: dict[str, FileSpec] = {}
        self.routes_index: dict[str, FileSpec] = {}
        self.related: dict[str, list[str]] = {}
        self.related_w: dict[str, list[float]] = {}
        self.common: list[FileSpec] = []
        self.db: list[FileSpec] = []
        self.legacy: dict[str, bool] = {}
        self._build(n_files)

    # -- helpers ------------------------------------------------------------
    def add(self, f: FileSpec) -> FileSpec:
        assert f.path not in self.by_path, f.path
        self.files.append(f)
        self.by_path[f.path] = f
        return f

    def target_lines(self) -> int:
        # Skewed towards ~120-180 lines, 60..400, times --line-scale.
        lines = 60 + int(340 * self.rng.betavariate(1.4, 3.6))
        return lines if self.line_scale == 1.0 else max(10, int(lines * self.line_scale))

    # -- building -------------------------------------------------------------
    def _build(self, n_files: int) -> None:
        rng = self.rng
        if n_files < 60:
            raise SystemExit("--files must be at least 60")
        n_root = 3  # src/server.ts, src/app.ts, src/routes.ts
        n_knexfile = 1
        n_common = max(12, round(n_files * 0.012))
        n_db = max(8, round(n_files * 0.004))
        rest = n_files - n_root - n_knexfile - n_common - n_db
        n_domains = max(1, min(len(DOMAINS), rest // 40))
        self.domains = DOMAINS[:n_domains]
        legacy = set(rng.sample(range(n_domains), round(n_domains * 0.25)))
        for i, (name, _, _) in enumerate(self.domains):
            self.legacy[name] = i in legacy

        self._plan_common(n_common)
        self._plan_db(n_db)

        weights = [rng.uniform(0.6, 1.6) * (1.0 + 0.8 / (i + 1)) for i in range(n_domains)]
        sizes = allocate(rest, weights, minimum=min(40, rest // n_domains))
        for (name, entity, tables), size in zip(self.domains, sizes):
            self._plan_domain(name, entity, size)

        self.add(FileSpec("src/server.ts", "ts", "entry", "root", "server"))
        self.add(FileSpec("src/app.ts", "ts", "entry", "root", "app"))
        self.add(FileSpec("src/routes.ts", "ts", "entry", "root", "routes"))
        self.add(FileSpec("knexfile.js", "js", "entry", "root", "knexfile"))
        assert len(self.files) == n_files, (len(self.files), n_files)

        # Related domains (power law over popularity, self excluded).
        names = [d[0] for d in self.domains]
        pop = zipf_weights(len(names), 1.1)
        for i, name in enumerate(names):
            others = [(n, w) for j, (n, w) in enumerate(zip(names, pop)) if j != i]
            k = min(len(others), rng.randint(3, 8))
            chosen: list[str] = []
            cw: list[float] = []
            pool = list(others)
            while len(chosen) < k and pool:
                pick = rng.choices(range(len(pool)), weights=[w for _, w in pool])[0]
                n, w = pool.pop(pick)
                chosen.append(n)
                cw.append(w)
            self.related[name] = chosen
            self.related_w[name] = cw

        for f in self.files:
            if f.kind not in ("barrel", "models-index", "routes-index", "entry", "migration"):
                f.target_lines = self.target_lines()
        self._compute_barrel_names()
        for f in self.files:
            self._plan_imports(f)

    def _lang(self, p_js: float) -> str:
        return "js" if self.rng.random() < p_js else "ts"

    def _plan_common(self, n: int) -> None:
        rng = self.rng
        stems = list(COMMON_SPECIAL) + ["index"] + list(COMMON_TOP)
        subs = []
        for sub, names in COMMON_SUB.items():
            subs.extend(f"{sub}/{s}" for s in names)
        stems += subs
        i = 0
        while len(stems) < n:  # very large inputs: numbered helpers
            stems.append(f"utils/{FACETS[i % len(FACETS)]}-helpers-{i // len(FACETS) + 1}")
            i += 1
        stems = stems[:4] + sorted(stems[4:], key=lambda s: (rng.random(), s))[: n - 4]
        for idx, stem in enumerate(stems):
            base = stem.rsplit("/", 1)[-1]
            special = stem in COMMON_SPECIAL or stem == "index"
            lang = "ts" if special or stem.startswith("types/") else self._lang(0.22)
            kind = "barrel-common" if stem == "index" else "common"
            f = self.add(FileSpec(f"src/common/{stem}.{lang}", lang, kind, "common", base, idx))
            P = pascal(base)
            if stem == "logger":
                f.exports = [Export("logger", "const"), Export("createLogger", "func"), Export("Logger", "type")]
            elif stem == "errors":
                f.exports = [Export(n, "class") for n in ("AppError", "NotFoundError", "ValidationError",
                                                          "ConflictError", "ForbiddenError")]
                f.exports.append(Export("ErrorCode", "type"))
            elif stem == "config":
                f.exports = [Export("config", "const"), Export("loadConfig", "func"), Export("AppConfig", "type")]
            elif stem == "index":
                pass  # filled in _compute_barrel_names
            elif stem.startswith("types/"):
                f.exports = [Export(P + "Shape", "type"), Export(P + "Options", "type"),
                             Export(P + "Kind", "type")]
            elif stem.startswith("middleware/"):
                f.exports = [Export(camel(base) + "Middleware", "func"), Export("create" + P + "Middleware", "func")]
                if lang == "ts":
                    f.exports.append(Export(P + "MiddlewareOptions", "type"))
            else:
                f.exports = [Export(camel(base) + "Of", "func"), Export("normalize" + P, "func"),
                             Export(upper(base) + "_DEFAULTS", "const")]
                if rng.random() < 0.4:
                    f.exports.append(Export(P + "Helper", "class"))
                if lang == "ts":
                    f.exports.append(Export(P + "Input", "type"))
            self.common.append(f)

    def _plan_db(self, n: int) -> None:
        stems = ["index"] + DB_FIXED
        migrations = []
        tables = [(d[0], t) for d in self.domains for t in d[2]]
        k = 0
        while len(stems) + len(migrations) < n:
            dom, t = tables[k % len(tables)]
            rnd = k // len(tables)
            what = f"create_{t}" if rnd == 0 else f"alter_{t}_{rnd}"
            day = datetime.date(2019, 1, 7) + datetime.timedelta(days=3 * k)
            migrations.append(f"migrations/{day:%Y%m%d}{(k * 7) % 24:02d}{(k * 13) % 60:02d}00_{what}")
            k += 1
        stems = (stems + migrations)[:n]
        for idx, stem in enumerate(stems):
            base = stem.rsplit("/", 1)[-1]
            if stem.startswith("migrations/"):
                f = self.add(FileSpec(f"src/db/{stem}.js", "js", "migration", "db", base, idx))
                f.exports = [Export("up", "func"), Export("down", "func")]
                table = base.split("_", 1)[1]
                f.migration_table = re.sub(r"^(create|alter)_", "", table)
                f.migration_table = re.sub(r"_\d+$", "", f.migration_table)
                f.target_lines = 0
            elif stem == "index":
                f = self.add(FileSpec("src/db/index.ts", "ts", "barrel-db", "db", "index", idx))
            else:
                lang = "ts" if stem in ("client", "transaction") else self._lang(0.3)
                f = self.add(FileSpec(f"src/db/{stem}.{lang}", lang, "dbmod", "db", base, idx))
                P = pascal(base)
                if stem == "client":
                    f.exports = [Export("db", "const"), Export("pool", "const"), Export("query", "func"),
                                 Export("DbClient", "type")]
                elif stem == "transaction":
                    f.exports = [Export("withTransaction", "func"), Export("TransactionOptions", "type")]
                else:
                    f.exports = [Export(camel(base), "func"), Export(upper(base) + "_SETTINGS", "const")]
                    if lang == "ts":
                        f.exports.append(Export(P + "Result", "type"))
            self.db.append(f)

    def _plan_domain(self, name: str, entity: str, size: int) -> None:
        rng = self.rng
        ent = kebab_of(entity)
        p_js = 0.74 if self.legacy[name] else 0.16
        fixed = 3  # index.ts, models/index.ts, routes/index
        counts = allocate(size - fixed, [w for _, w in KIND_WEIGHT], minimum=1)
        per_kind: dict[str, list[FileSpec]] = {k: [] for k, _ in KIND_WEIGHT}
        self.domain_files[name] = per_kind
        stems_used: dict[str, set] = {}

        def make_stem(kind: str, i: int) -> str:
            used = stems_used.setdefault(kind, set())
            if i == 0:
                s = ent
            else:
                tries = 0
                while True:
                    tries += 1
                    s = f"{ent}-{rng.choice(FACETS)}"
                    if s in used or rng.random() < 0.25:
                        s = f"{ent}-{rng.choice(FACETS)}-{rng.choice(QUALIFIERS)}"
                    if tries > 40:
                        s = f"{s}-{tries}"
                    if s not in used:
                        break
            used.add(s)
            return s

        service_stems: list[str] = []
        for (kind, _), count in zip(KIND_WEIGHT, counts):
            for i in range(count):
                if kind == "test":
                    base = service_stems[i % len(service_stems)] if service_stems else ent
                    stem = base if i < len(service_stems) else f"{base}-{rng.choice(FACETS)}"
                    tries = 0
                    while stem in stems_used.setdefault("test", set()):
                        tries += 1
                        stem = f"{base}-{rng.choice(FACETS)}-{rng.choice(QUALIFIERS)}"
                        if tries > 40:
                            stem = f"{stem}-{tries}"
                    stems_used["test"].add(stem)
                    lang = self._lang(p_js)
                    path = f"src/{name}/__tests__/{stem}.service.test.{lang}"
                else:
                    stem = make_stem(kind, i)
                    lang = self._lang(p_js)
                    suffix = {"model": "model", "repository": "repository", "validator": "validator",
                              "service": "service", "controller": "controller", "routes": "routes",
                              "job": "job"}[kind]
                    path = f"src/{name}/{KIND_DIR[kind]}/{stem}.{suffix}.{lang}"
                    if kind == "service":
                        service_stems.append(stem)
                f = self.add(FileSpec(path, lang, kind, name, stem, i))
                self._domain_exports(f)
                per_kind[kind].append(f)

        mi = self.add(FileSpec(f"src/{name}/models/index.ts", "ts", "models-index", name, "index"))
        self.models_index[name] = mi
        mi.exports = [e for m in per_kind["model"] for e in m.exports]
        rl = self._lang(0.8 if self.legacy[name] else 0.1)
        ri = self.add(FileSpec(f"src/{name}/routes/index.{rl}", rl, "routes-index", name, "index"))
        ri.exports = [Export(f"register{pascal(name)}Routes", "func")]
        self.routes_index[name] = ri
        b = self.add(FileSpec(f"src/{name}/index.ts", "ts", "barrel", name, "index"))
        self.barrels[name] = b

    def _domain_exports(self, f: FileSpec) -> None:
        rng = self.rng
        P = pascal(f.stem)
        c = camel(f.stem)
        U = upper(f.stem)
        ts = f.ts
        ex: list[Export] = []
        if f.kind == "model":
            if ts:
                ex += [Export(P, "type"), Export(P + "Id", "type")]
            ex += [Export(P + "Model", "class"), Export(U + "_TABLE", "const"), Export("map" + P + "Row", "func")]
        elif f.kind == "repository":
            ex += [Export(P + "Repository", "class"), Export("find" + P + "ById", "func")]
            if ts:
                ex.append(Export(P + "Filter", "type"))
            if rng.random() < 0.3:
                f.default = P + "Repository"
        elif f.kind == "service":
            ex += [Export(P + "Service", "class"), Export("create" + P + "Service", "func")]
            if ts:
                ex.append(Export(P + "ServiceOptions", "type"))
            if rng.random() < 0.25:
                f.default = P + "Service"
        elif f.kind == "controller":
            ex += [Export(P + "Controller", "class")]
            if rng.random() < 0.5:
                f.default = P + "Controller"
        elif f.kind == "validator":
            ex += [Export("validate" + P, "func"), Export(c + "Schema", "const")]
            if ts:
                ex.append(Export(P + "Input", "type"))
        elif f.kind == "routes":
            ex += [Export("register" + P + "Routes", "func")]
            f.default = c + "Router"
        elif f.kind == "job":
            ex += [Export(P + "Job", "class"), Export("schedule" + P + "Job", "func"),
                   Export(U + "_JOB_NAME", "const")]
        f.exports = ex

    def _compute_barrel_names(self) -> None:
        rng = self.rng
        for name, _, _ in self.domains:
            kinds = self.domain_files[name]
            b = self.barrels[name]
            entries: list[tuple[str, FileSpec, list[Export]]] = []  # (style, file, names)
            names: list[tuple[Export, FileSpec]] = []
            mi = self.models_index[name]
            entries.append(("star", mi, []))
            names += [(e, mi) for e in mi.exports]
            for kind, share in (("service", 0.45), ("repository", 0.15), ("controller", 0.3), ("job", 0.2)):
                for f in kinds[kind]:
                    if f.idx == 0 or rng.random() < share:
                        picked = [e for e in f.exports if rng.random() < 0.8 or e.kind == "class"]
                        if not picked:
                            continue
                        if rng.random() < 0.2:
                            entries.append(("star", f, []))
                            names += [(e, f) for e in f.exports]
                        elif f.default and rng.random() < 0.5:
                            # `export { default as XController } from ...` plus the other names
                            d = Export(f.default, "class")
                            entries.append(("default", f, [d]))
                            names.append((d, f))
                            rest = [e for e in picked if e.name != f.default]
                            if rest:
                                entries.append(("named", f, rest))
                                names += [(e, f) for e in rest]
                        else:
                            entries.append(("named", f, picked))
                            names += [(e, f) for e in picked]
            for f in kinds["validator"][:3]:
                ns = camel(f.stem) + "Validators"
                entries.append(("ns", f, [Export(ns, "const")]))
                names.append((Export(ns, "const"), f))
            ri = self.routes_index[name]
            entries.append(("named", ri, list(ri.exports)))
            names += [(e, ri) for e in ri.exports]
            b.barrel_entries = entries
            b.exports = [e for e, _ in names]
            self.barrel_names[name] = names
        # common/index.ts and db/index.ts
        for area, lst in (("common", self.common), ("db", self.db)):
            idx = next(f for f in lst if f.stem == "index" and f.kind.startswith("barrel"))
            entries = []
            for f in lst:
                if f is idx or f.kind == "migration":
                    continue
                if f.stem in ("logger", "errors", "config", "client", "transaction") or rng.random() < 0.35:
                    if rng.random() < 0.5:
                        entries.append(("star", f, []))
                    else:
                        entries.append(("named", f, list(f.exports)))
            idx.barrel_entries = entries
            idx.exports = []
            for style, f, _ in entries:
                idx.exports += list(f.exports)

    # -- imports ---------------------------------------------------------------
    def _pick_weighted(self, items: list, weights: list[float]):
        return self.rng.choices(items, weights=weights)[0]

    def _imp(self, f: FileSpec, target: FileSpec, how: str, spec: str, want_types=True,
             max_names=3) -> dict | None:
        """Decide which names f imports from target. how: local|common|db|cross|barrel."""
        rng = self.rng
        vals = target.values()
        typs = target.types() if (f.ts and want_types) else []
        imp = {"target": target, "spec": spec, "named": [], "types": [], "default": None, "ns": None,
               "prop": None}
        r = rng.random()
        if f.ts:
            if target.default and r < 0.35:
                imp["default"] = target.default
                if vals and rng.random() < 0.3:
                    imp["named"] = [rng.choice(vals).name]
            elif r < 0.43 and vals:
                imp["ns"] = camel(target.stem if target.stem != "index" else target.area) + "Module"
            else:
                pool = vals + typs
                if not pool:
                    return None
                k = min(len(pool), rng.randint(1, max_names))
                chosen = rng.sample(pool, k)
                chosen.sort(key=lambda e: pool.index(e))
                imp["named"] = [e.name for e in chosen if not e.is_type]
                imp["types"] = [e.name for e in chosen if e.is_type]
        else:
            if target.default and r < 0.4:
                imp["default"] = target.default
            elif vals and r < 0.5:
                imp["prop"] = rng.choice(vals).name
            elif vals:
                k = min(len(vals), rng.randint(1, max_names))
                chosen = rng.sample(vals, k)
                chosen.sort(key=lambda e: vals.index(e))
                imp["named"] = [e.name for e in chosen]
            else:
                return None
        return imp

    def _rel(self, f: FileSpec, target: FileSpec, esm_js: bool = False) -> str:
        tpath = target.noext
        if tpath.endswith("/index") and self.rng.random() < 0.85:
            tpath = tpath[: -len("/index")]
        elif esm_js and target.ts:
            tpath += ".js"
        rel = posixpath.relpath(tpath, posixpath.dirname(f.path))
        if not rel.startswith("."):
            rel = "./" + rel
        return rel

    def _alias(self, f: FileSpec, target: FileSpec, p_alias: float, esm_js: bool) -> str:
        rng = self.rng
        if rng.random() < p_alias:
            sub = target.noext[len("src/"):]
            if sub.endswith("/index"):
                sub = sub[: -len("/index")]
            if sub.startswith("common/"):
                return "@common/" + sub[len("common/"):]
            if sub == "common":
                return "@common/index"
            if sub.startswith("db/"):
                return "@db/" + sub[len("db/"):]
            if sub == "db":
                return "@db/index"
            if rng.random() < 0.08:
                return sub  # bare baseUrl import ("orders/services/order.service")
            return "@app/" + sub
        return self._rel(f, target, esm_js)

    def _plan_imports(self, f: FileSpec) -> None:
        rng = self.rng
        if f.kind in ("barrel", "models-index", "barrel-common", "barrel-db", "migration", "entry", "routes-index"):
            return
        esm_js = f.ts and rng.random() < 0.06
        p_alias = 0.6 if f.ts else 0.25
        imports: list[dict] = []
        seen: set = set()

        def push(imp):
            if imp and imp["target"].path not in seen:
                seen.add(imp["target"].path)
                imports.append(imp)

        logger = next(c for c in self.common if c.stem == "logger")
        errors = next(c for c in self.common if c.stem == "errors")
        config = next(c for c in self.common if c.stem == "config")
        client = next(d for d in self.db if d.stem == "client")
        txn = next(d for d in self.db if d.stem == "transaction")
        others = [c for c in self.common if c.stem not in ("logger", "errors", "config", "index")]
        other_w = zipf_weights(len(others), 0.9)

        def common_imp(target, names=None):
            spec = self._alias(f, target, p_alias, esm_js)
            if names is not None:
                vals = [n for n in names if n in {e.name for e in target.values()}]
                if not vals:
                    return None
                return {"target": target, "spec": spec, "named": vals, "types": [], "default": None,
                        "ns": None, "prop": None}
            return self._imp(f, target, "common", spec)

        light = f.kind in ("model", "validator")
        if f.area == "common" or f.area == "db":
            # shared code imports a little of the shared code
            if f.stem != "logger" and rng.random() < 0.5:
                push(common_imp(logger, ["logger"]))
            if f.area == "db" and f.stem != "client" and rng.random() < 0.8:
                push(common_imp(client, ["db", "pool", "query"][: rng.randint(1, 3)]))
                f.uses_db = True
            if f.stem not in ("config", "logger") and rng.random() < 0.3:
                push(common_imp(config, ["config"]))
            for _ in range(rng.randint(0, 3)):
                t = self._pick_weighted(others, other_w)
                if t is not f and t.idx < f.idx:
                    push(common_imp(t))
        else:
            if rng.random() < (0.25 if light else 0.65):
                push(common_imp(logger, ["logger"] if rng.random() < 0.85 else ["logger", "createLogger"]))
            if rng.random() < (0.2 if light else 0.45):
                errs = ["NotFoundError", "ValidationError", "ConflictError", "ForbiddenError", "AppError"]
                push(common_imp(errors, rng.sample(errs, rng.randint(1, 3))))
            if rng.random() < 0.15:
                push(common_imp(config, ["config"]))
            for _ in range(rng.randint(0, 2 if light else 3)):
                push(common_imp(self._pick_weighted(others, other_w)))
            # database access
            p_db = {"repository": 1.0, "service": 0.25, "job": 0.35, "model": 0.15 if f.lang == "js" else 0.03,
                    "controller": 0.05}.get(f.kind, 0.0)
            if rng.random() < p_db:
                names = ["db"] if rng.random() < 0.5 else ["pool", "query"]
                if rng.random() < 0.3:
                    names = ["db", "pool", "query"]
                push(common_imp(client, names))
                f.uses_db = True
                if rng.random() < 0.3:
                    push(common_imp(txn, ["withTransaction"]))
            # same-domain imports
            kinds = self.domain_files[f.area]
            aff = AFFINITY[f.kind]
            lo, hi = LOCAL_IMPORTS[f.kind]
            want = rng.randint(lo, hi)
            cands: list[FileSpec] = []
            cw: list[float] = []
            for k, w in aff.items():
                lst = kinds[k]
                zw = zipf_weights(len(lst), 0.8)
                for t, z in zip(lst, zw):
                    if t is f:
                        continue
                    if RANK[k] == RANK[f.kind] and t.idx > f.idx and rng.random() > 0.03:
                        continue  # keep the graph mostly acyclic within a layer
                    cands.append(t)
                    cw.append(w * z)
            if f.kind == "test":
                same = [s for s in kinds["service"] if f.stem.startswith(s.stem)]
                if same:
                    push(self._imp(f, same[0], "local", self._rel(f, same[0], esm_js)))
            if f.kind == "routes" and kinds["controller"]:
                t = kinds["controller"][min(f.idx, len(kinds["controller"]) - 1)]
                push(self._imp(f, t, "local", self._rel(f, t, esm_js)))
            tries = 0
            while cands and len([i for i in imports if i["target"].area == f.area]) < want and tries < want * 4:
                tries += 1
                t = self._pick_weighted(cands, cw)
                push(self._imp(f, t, "local", self._rel(f, t, esm_js)))
            if f.kind in ("model", "repository", "service") and rng.random() < 0.06:
                push(self._imp(f, self.models_index[f.area], "local", self._rel(f, self.models_index[f.area], esm_js)))
            # rare upward import (creates a cycle, as real monoliths have)
            if f.kind in ("model", "repository") and rng.random() < 0.02 and kinds["service"]:
                t = rng.choice(kinds["service"])
                push(self._imp(f, t, "local", self._rel(f, t, esm_js)))
            # cross-domain
            lo, hi = CROSS_IMPORTS[f.kind]
            n_cross = rng.randint(lo, hi) if rng.random() < 0.8 else 0
            rel_doms = self.related.get(f.area, [])
            for _ in range(n_cross):
                if not rel_doms:
                    break
                d = self._pick_weighted(rel_doms, self.related_w[f.area])
                if rng.random() < 0.55:
                    b = self.barrels[d]
                    spec = self._alias(f, b, 0.55, esm_js)
                    push(self._imp(f, b, "barrel", spec, max_names=2))
                else:
                    dk = self.domain_files[d]
                    k = rng.choices(["service", "model", "repository", "validator"], [4, 3, 1, 1])[0]
                    lst = dk[k]
                    if not lst:
                        continue
                    t = self._pick_weighted(lst, zipf_weights(len(lst), 1.0))
                    spec = self._alias(f, t, 0.45, esm_js)
                    push(self._imp(f, t, "cross", spec, max_names=2))
            # one dynamic import now and then (lazy loading a heavy module)
            if f.kind in ("service", "controller", "job") and rng.random() < 0.04:
                lst = [t for t in kinds["job"] + kinds["service"] if t is not f and t.values()]
                if lst:
                    t = rng.choice(lst)
                    f.dynamic = {"spec": self._rel(f, t, esm_js), "name": rng.choice(t.values()).name}
        f.imports = imports


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


class Ctx:
    """What a file being rendered can refer to."""

    def __init__(self, f: FileSpec, rng: random.Random, plan: Plan):
        self.f = f
        self.ts = f.ts
        self.rng = rng
        self.plan = plan
        self.values: list[str] = []  # imported value identifiers
        self.funcs: list[str] = []
        self.classes: list[str] = []
        self.types: list[str] = []
        self.namespaces: list[tuple[str, list[str]]] = []
        self.deps: list[tuple[str, str]] = []  # (field, ClassName)
        self.db_names: set = set()
        self.logger = False
        self.errors: list[str] = []
        self.config = False
        self.externals: list[str] = []  # rendered import lines
        self.ext_ids: dict[str, str] = {}
        self.locals: set = set()
        self.method_names: set = set()
        self.domain = f.area
        self.tables: list[str] = []
        self.other_tables: list[tuple[str, str]] = []  # (table, fk column)
        if f.area in plan.domain_files:
            d = next(d for d in plan.domains if d[0] == f.area)
            self.tables = d[2]
            self.entity = d[1]
            for od in plan.related.get(f.area, []):
                o = next(x for x in plan.domains if x[0] == od)
                self.other_tables.append((o[2][0], snake_of(o[1]) + "_id"))
        else:
            all_t = [d for d in plan.domains]
            pick = rng.sample(all_t, min(3, len(all_t)))
            self.tables = [pick[0][2][0]] + [p[2][0] for p in pick[1:]]
            self.entity = pick[0][1]
            self.other_tables = [(p[2][0], snake_of(p[1]) + "_id") for p in pick[1:]]
        if not self.other_tables:
            self.other_tables = [("audit_entries", "audit_entry_id")]

    def t(self, s: str) -> str:
        return s if self.ts else ""

    def ret_type(self) -> str:
        if self.types and self.rng.random() < 0.6:
            return self.rng.choice(self.types)
        return "Record<string, unknown>"

    def err(self) -> str:
        return self.rng.choice(self.errors) if self.errors else "Error"

    def log(self, level: str, msg: str, fields: str) -> str:
        if self.logger:
            return f"logger.{level}('{msg}', {fields});"
        return f"console.{'error' if level == 'error' else 'log'}('[{msg}]', {fields});"

    def callee(self, in_class: bool) -> str | None:
        opts = []
        if in_class:
            opts += [f"this.{d}.{self.rng.choice(VERBS)}{self.rng.choice(NOUNS)}" for d, _ in self.deps]
        opts += self.funcs
        opts += [f"{ns}.{m}" for ns, members in self.namespaces for m in members]
        if not opts:
            return None
        return self.rng.choice(opts)

    def unique_method(self, base: str) -> str:
        name = base
        i = 2
        while name in self.method_names:
            name = f"{base}{i}"
            i += 1
        self.method_names.add(name)
        return name

    def fresh_name(self) -> str:
        return self.unique_method(self.rng.choice(VERBS) + self.rng.choice(NOUNS))


def sql_select(c: Ctx, ind: str) -> tuple[list[str], str]:
    rng = c.rng
    t = rng.choice(c.tables)
    a = t[0]
    cols = rng.sample(COLUMNS, rng.randint(2, 5))
    lines = [f"{ind}const sql = `"]
    sel = ", ".join([f"{a}.id"] + [f"{a}.{col}" for col in cols])
    joins = []
    if rng.random() < 0.65:
        ot, fk = rng.choice(c.other_tables)
        b = ot[0] + "2" if ot[0] == a else ot[0]
        sel += f", {b}.name AS {singular(ot)}_name"
        joins.append(f"{ind}  JOIN {ot} {b} ON {b}.id = {a}.{fk}")
        if rng.random() < 0.3 and len(c.tables) > 1:
            t2 = [x for x in c.tables if x != t][0]
            joins.append(f"{ind}  LEFT JOIN {t2} x ON x.{snake_of(c.entity)}_id = {a}.id")
    lines.append(f"{ind}  SELECT {sel}")
    lines.append(f"{ind}  FROM {t} {a}")
    lines += joins
    lines.append(f"{ind}  WHERE {a}.{rng.choice(['status', 'region', 'source'])} = $1")
    if rng.random() < 0.6:
        lines.append(f"{ind}    AND {a}.created_at >= $2")
        params = "[status, since]"
    else:
        params = "[status]"
    if rng.random() < 0.5:
        lines.append(f"{ind}  ORDER BY {a}.created_at DESC")
    lines.append(f"{ind}  LIMIT {rng.choice([20, 50, 100, 500])}")
    lines.append(f"{ind}`;")
    return lines, params


def body_sql_read(c: Ctx, ind: str) -> list[str]:
    lines, params = sql_select(c, ind)
    if "query" in c.db_names:
        lines.append(f"{ind}const rows = await query(sql, {params});")
    elif "pool" in c.db_names:
        lines.append(f"{ind}const {{ rows }} = await pool.query(sql, {params});")
    else:
        lines.append(f"{ind}const {{ rows }} = await db.raw(sql, {params});")
    lines.append(f"{ind}return rows;")
    return lines


def body_sql_write(c: Ctx, ind: str) -> list[str]:
    rng = c.rng
    t = rng.choice(c.tables)
    cols = rng.sample(COLUMNS[:9], rng.randint(2, 4))
    runner = "query" if "query" in c.db_names else ("pool.query" if "pool" in c.db_names else "db.raw")
    if rng.random() < 0.5:
        ph = ", ".join(f"${i + 1}" for i in range(len(cols)))
        lines = [f"{ind}const result = await {runner}(",
                 f"{ind}  `INSERT INTO {t} ({', '.join(cols)})",
                 f"{ind}   VALUES ({ph})",
                 f"{ind}   RETURNING id`,",
                 f"{ind}  [{', '.join('input.' + camel(col.replace('_', '-')) for col in cols)}],",
                 f"{ind});"]
    else:
        sets = ", ".join(f"{col} = ${i + 1}" for i, col in enumerate(cols))
        lines = [f"{ind}const result = await {runner}(",
                 f"{ind}  'UPDATE {t} SET {sets}, updated_at = NOW() WHERE id = ${len(cols) + 1}',",
                 f"{ind}  [{', '.join('input.' + camel(col.replace('_', '-')) for col in cols)}, id],",
                 f"{ind});"]
    lines.append(f"{ind}return result;")
    return lines


def body_knex(c: Ctx, ind: str) -> list[str]:
    rng = c.rng
    t = rng.choice(c.tables)
    r = rng.random()
    if r < 0.35:
        return [f"{ind}const row = await db('{t}')",
                f"{ind}  .where({{ id }})",
                f"{ind}  .whereNull('deleted_at')",
                f"{ind}  .first();",
                f"{ind}if (!row) {{",
                f"{ind}  throw new {c.err()}(`{t} ${{id}} not found`);",
                f"{ind}}}",
                f"{ind}return row;"]
    if r < 0.7:
        ot, fk = rng.choice(c.other_tables)
        return [f"{ind}const rows = await db('{t}')",
                f"{ind}  .join('{ot}', '{ot}.id', '{t}.{fk}')",
                f"{ind}  .select('{t}.*', '{ot}.name as {ot}_name')",
                f"{ind}  .where('{t}.status', status)",
                f"{ind}  .andWhere('{t}.created_at', '>=', since)",
                f"{ind}  .orderBy('{t}.created_at', 'desc')",
                f"{ind}  .limit({rng.choice([25, 50, 100])});",
                f"{ind}return rows;"]
    if r < 0.85:
        return [f"{ind}const [created] = await db('{t}')",
                f"{ind}  .insert({{ ...input, status: '{rng.choice(STATUSES)}', created_at: db.fn.now() }})",
                f"{ind}  .returning('*');",
                f"{ind}return created;"]
    return [f"{ind}return db.transaction(async (trx) => {{",
            f"{ind}  await trx('{t}').where({{ id }}).update({{ status, updated_at: trx.fn.now() }});",
            f"{ind}  await trx('{rng.choice(c.tables)}').insert({{ {snake_of(c.entity)}_id: id, status }});",
            f"{ind}  return trx('{t}').where({{ id }}).first();",
            f"{ind}}});"]


def body_txn(c: Ctx, ind: str) -> list[str]:
    rng = c.rng
    t = c.tables[0]
    t2 = rng.choice(c.tables)
    ot, fk = rng.choice(c.other_tables)
    st = rng.choice(STATUSES)
    if "withTransaction" in c.db_names and (rng.random() < 0.5 or "pool" not in c.db_names):
        return [f"{ind}return withTransaction(async (client) => {{",
                f"{ind}  await client.query('UPDATE {t} SET status = $1 WHERE id = $2', ['{st}', id]);",
                f"{ind}  await client.query(",
                f"{ind}    `INSERT INTO {t2} ({snake_of(c.entity)}_id, status, created_at)",
                f"{ind}     VALUES ($1, $2, NOW())`,",
                f"{ind}    [id, '{st}'],",
                f"{ind}  );",
                f"{ind}  return id;",
                f"{ind}}});"]
    return [f"{ind}const client = await pool.connect();",
            f"{ind}try {{",
            f"{ind}  await client.query('BEGIN');",
            f"{ind}  const {{ rows }} = await client.query(",
            f"{ind}    'SELECT id, status FROM {t} WHERE id = $1 FOR UPDATE',",
            f"{ind}    [id],",
            f"{ind}  );",
            f"{ind}  if (rows.length === 0) {{",
            f"{ind}    throw new {c.err()}('{t} not found');",
            f"{ind}  }}",
            f"{ind}  await client.query('UPDATE {t} SET status = $1, updated_at = NOW() WHERE id = $2', ['{st}', id]);",
            f"{ind}  await client.query(",
            f"{ind}    `INSERT INTO {t2} ({snake_of(c.entity)}_id, status, created_at)",
            f"{ind}     SELECT $1, $2, NOW()",
            f"{ind}     WHERE NOT EXISTS (SELECT 1 FROM {ot} WHERE {ot}.id = $1 AND {ot}.status = 'locked')`,",
            f"{ind}    [id, '{st}'],",
            f"{ind}  );",
            f"{ind}  await client.query('COMMIT');",
            f"{ind}  return rows[0];",
            f"{ind}}} catch (err) {{",
            f"{ind}  await client.query('ROLLBACK');",
            f"{ind}  throw err;",
            f"{ind}}} finally {{",
            f"{ind}  client.release();",
            f"{ind}}}"]


def body_validate(c: Ctx, ind: str) -> list[str]:
    rng = c.rng
    fields = rng.sample(["name", "status", "amount", "currency", "email", "region", "notes", "priority"], 3)
    lines = [f"{ind}const problems{c.t(': string[]')} = [];"]
    for fld in fields:
        if fld == "amount":
            lines += [f"{ind}if (typeof input.amount !== 'number' || input.amount < 0) {{",
                      f"{ind}  problems.push('amount must be a non-negative number');",
                      f"{ind}}}"]
        elif fld == "status":
            sts = ", ".join(f"'{s}'" for s in rng.sample(STATUSES, 3))
            lines += [f"{ind}if (![{sts}].includes(input.status)) {{",
                      f"{ind}  problems.push(`unknown status: ${{input.status}}`);",
                      f"{ind}}}"]
        else:
            lines += [f"{ind}if (!input.{fld} || String(input.{fld}).trim() === '') {{",
                      f"{ind}  problems.push('{fld} is required');",
                      f"{ind}}}"]
    lines += [f"{ind}if (problems.length > 0) {{",
              f"{ind}  throw new {c.err()}(problems.join('; '));",
              f"{ind}}}",
              f"{ind}return input;"]
    return lines


def body_compute(c: Ctx, ind: str) -> list[str]:
    rng = c.rng
    k = rng.choice(["amount", "quantity", "weight", "score"])
    return [f"{ind}let total = 0;",
            f"{ind}let count = 0;",
            f"{ind}for (const item of items) {{",
            f"{ind}  if (item.deletedAt) {{",
            f"{ind}    continue;",
            f"{ind}  }}",
            f"{ind}  total += Number(item.{k} ?? 0) * {rng.choice(['1', '1.2', '0.85', 'rate'])};",
            f"{ind}  count += 1;",
            f"{ind}}}",
            f"{ind}const average = count === 0 ? 0 : Math.round((total / count) * 100) / 100;",
            f"{ind}return {{ total, count, average }};"]


def body_map(c: Ctx, ind: str) -> list[str]:
    rng = c.rng
    cols = rng.sample(COLUMNS, rng.randint(3, 7))
    lines = [f"{ind}return {{", f"{ind}  id: String(row.id),"]
    for col in cols:
        lines.append(f"{ind}  {camel(col.replace('_', '-'))}: row.{col} ?? null,")
    lines.append(f"{ind}}};")
    return lines


def body_switch(c: Ctx, ind: str) -> list[str]:
    rng = c.rng
    lines = [f"{ind}switch (status) {{"]
    for s in rng.sample(STATUSES, rng.randint(3, 5)):
        lines += [f"{ind}  case '{s}':", f"{ind}    return '{rng.choice(STATUSES)}';"]
    lines += [f"{ind}  default:", f"{ind}  throw new {c.err()}(`unexpected status ${{status}}`);", f"{ind}}}"]
    return lines


def body_retry(c: Ctx, ind: str, callee: str) -> list[str]:
    return [f"{ind}let lastError{c.t(': unknown')} = null;",
            f"{ind}for (let attempt = 1; attempt <= {c.rng.randint(2, 5)}; attempt += 1) {{",
            f"{ind}  try {{",
            f"{ind}    return await {callee}(id);",
            f"{ind}  }} catch (err) {{",
            f"{ind}    lastError = err;",
            f"{ind}    {c.log('warn', c.domain + '.retry', '{ attempt, id }')}",
            f"{ind}    await new Promise((resolve) => setTimeout(resolve, attempt * 100));",
            f"{ind}  }}",
            f"{ind}}}",
            f"{ind}throw lastError;"]


def body_delegate(c: Ctx, ind: str, callee: str) -> list[str]:
    rng = c.rng
    return [f"{ind}{c.log('debug', c.domain + '.' + camel(c.f.stem), '{ id }')}",
            f"{ind}const result = await {callee}(id, {{ includeDeleted: {rng.choice(['true', 'false'])} }});",
            f"{ind}if (!result) {{",
            f"{ind}  return null;",
            f"{ind}}}",
            f"{ind}return {{ ...result, fetchedAt: new Date().toISOString() }};"]


def body_handler(c: Ctx, ind: str, callee: str | None) -> list[str]:
    rng = c.rng
    call = f"await {callee}(req.params.id, req.query)" if callee else "{ id: req.params.id }"
    code = rng.choice(["200", "201", "202"])
    return [f"{ind}try {{",
            f"{ind}  const result = {call};",
            f"{ind}  res.status({code}).json({{ data: result }});",
            f"{ind}}} catch (err) {{",
            f"{ind}  next(err);",
            f"{ind}}}"]


def body_filter(c: Ctx, ind: str) -> list[str]:
    rng = c.rng
    return [f"{ind}const cutoff = Date.now() - {rng.randint(1, 90)} * 24 * 60 * 60 * 1000;",
            f"{ind}return items",
            f"{ind}  .filter((item) => new Date(item.createdAt).getTime() >= cutoff)",
            f"{ind}  .filter((item) => item.status !== '{rng.choice(STATUSES)}')",
            f"{ind}  .sort((a, b) => String(a.id).localeCompare(String(b.id)))",
            f"{ind}  .slice(0, {rng.choice([10, 25, 100])});"]


def make_body(c: Ctx, in_class: bool, ind: str) -> tuple[list[str], str, bool]:
    """Return (body lines, params signature, async?)."""
    rng = c.rng
    has_knex = "db" in c.db_names
    has_pool = "pool" in c.db_names or "query" in c.db_names or has_knex
    opts = ["validate", "compute", "map", "switch", "filter"]
    callee = c.callee(in_class)
    if callee:
        opts += ["delegate", "delegate", "retry"]
    if c.f.kind == "controller" and in_class:
        opts = ["handler"] * 6 + opts
    if has_pool:
        opts += ["sql_read", "sql_read", "sql_write"]
    if "pool" in c.db_names or "withTransaction" in c.db_names:
        opts += ["txn"]
    if has_knex:
        opts += ["knex", "knex"]
    kind = rng.choice(opts)
    ts = c.ts
    if kind == "validate":
        return body_validate(c, ind), f"input{c.t(': ' + c.ret_type())}", False
    if kind == "compute":
        return body_compute(c, ind), f"items{c.t(': Array<Record<string, any>>')}, rate = 1", False
    if kind == "map":
        return body_map(c, ind), f"row{c.t(': Record<string, any>')}", False
    if kind == "switch":
        return body_switch(c, ind), f"status{c.t(': string')}", False
    if kind == "filter":
        return body_filter(c, ind), f"items{c.t(': Array<Record<string, any>>')}", False
    if kind == "delegate":
        return body_delegate(c, ind, callee), f"id{c.t(': string')}", True
    if kind == "retry":
        return body_retry(c, ind, callee), f"id{c.t(': string')}", True
    if kind == "handler":
        sig = "req: Request, res: Response, next: NextFunction" if ts else "req, res, next"
        return body_handler(c, ind, callee), sig, True
    if kind == "sql_read":
        return body_sql_read(c, ind), f"status{c.t(': string')}, since{c.t(': Date')} = new Date(0)", True
    if kind == "sql_write":
        return body_sql_write(c, ind), f"id{c.t(': string')}, input{c.t(': Record<string, any>')}", True
    if kind == "knex":
        return body_knex(c, ind), (f"id{c.t(': string')}, status{c.t(': string')} = 'active', "
                                   f"since{c.t(': Date')} = new Date(0), input{c.t(': Record<string, any>')} = {{}}"), True
    if kind == "txn":
        return body_txn(c, ind), f"id{c.t(': string')}", True
    raise AssertionError(kind)


def render_method(c: Ctx, name: str | None = None) -> list[str]:
    name = name or c.fresh_name()
    body, params, is_async = make_body(c, True, "    ")
    lines = []
    if c.rng.random() < 0.35:
        lines += ["  /**", f"   * {name[:1].upper() + name[1:]} for the {c.domain} {c.f.kind or 'module'}.", "   */"]
    mod = "async " if is_async else ""
    vis = ""
    if c.ts and c.rng.random() < 0.25:
        vis = c.rng.choice(["private ", "protected ", "public "])
    ret = ""
    if c.ts and c.rng.random() < 0.5:
        ret = ": Promise<unknown>" if is_async else ": unknown"
    lines.append(f"  {vis}{mod}{name}({params}){ret} {{")
    lines += body
    lines.append("  }")
    return lines


def render_function(c: Ctx, name: str, exported: bool) -> list[str]:
    body, params, is_async = make_body(c, False, "  ")
    kw = ("export " if exported and c.ts else "") + ("async " if is_async else "")
    lines = []
    if c.rng.random() < 0.4:
        lines += ["/**", f" * {name} ({c.domain}).", " */"]
    if not exported and c.rng.random() < 0.2:
        lines.append(f"const {name} = {'async ' if is_async else ''}({params}) => {{")
        lines += body
        lines.append("};")
    else:
        lines.append(f"{kw}function {name}({params}) {{")
        lines += body
        lines.append("}")
    return lines


def render_type(c: Ctx, name: str) -> list[str]:
    rng = c.rng
    if name.endswith("Id"):
        return [f"export type {name} = string & {{ readonly __brand: '{name}' }};"]
    if name.endswith(("Kind", "Code")):
        return [f"export type {name} = " + " | ".join(f"'{s}'" for s in rng.sample(STATUSES, 4)) + ";"]
    cols = rng.sample(COLUMNS, rng.randint(3, 8))
    lines = [f"export interface {name} {{", "  id: string;"]
    for col in cols:
        typ = rng.choice(["string", "number", "boolean", "Date", "string | null", "Record<string, unknown>"])
        opt = "?" if rng.random() < 0.3 else ""
        lines.append(f"  {camel(col.replace('_', '-'))}{opt}: {typ};")
    lines.append("}")
    return lines


SPECIAL_CONSTS = {
    "logger": lambda c: [f"{'export ' if c.ts else ''}const logger = createLogger(process.env.SERVICE_NAME || 'monolith');"],
    "config": lambda c: [f"{'export ' if c.ts else ''}const config = loadConfig(process.env);"],
    "db": lambda c: [f"{'export ' if c.ts else ''}const db = knex({{",
                     "  client: 'pg',",
                     "  connection: process.env.DATABASE_URL,",
                     "  pool: { min: 2, max: Number(process.env.DB_POOL_MAX || 10) },",
                     "});"],
    "pool": lambda c: [f"{'export ' if c.ts else ''}const pool = new Pool({{ connectionString: process.env.DATABASE_URL, max: 10 }});"],
}


def render_const(c: Ctx, name: str) -> list[str]:
    if name in SPECIAL_CONSTS:
        return SPECIAL_CONSTS[name](c)
    rng = c.rng
    kw = "export " if c.ts else ""
    if name.endswith("_TABLE"):
        return [f"{kw}const {name} = '{rng.choice(c.tables)}';"]
    if name.endswith("_JOB_NAME"):
        return [f"{kw}const {name} = '{c.domain}:{c.f.stem}';"]
    if name.endswith("Schema"):
        lines = [f"{kw}const {name} = Object.freeze({{"]
        for col in rng.sample(COLUMNS, rng.randint(3, 6)):
            lines.append(f"  {camel(col.replace('_', '-'))}: {{ type: '{rng.choice(['string', 'number', 'date'])}', required: {rng.choice(['true', 'false'])} }},")
        lines.append("});")
        return lines
    lines = [f"{kw}const {name} = Object.freeze({{"]
    for _ in range(rng.randint(2, 6)):
        key = camel(rng.choice(VERBS) + "-" + rng.choice(NOUNS).lower())
        lines.append(f"  {key}: {rng.choice(['true', 'false', str(rng.randint(1, 5000)), repr(rng.choice(STATUSES))])},")
    lines.append("});")
    # de-duplicate keys (object literal keys may repeat but it reads badly)
    seen = set()
    out = []
    for ln in lines:
        k = ln.split(":")[0].strip()
        if ln.startswith("  ") and k in seen:
            continue
        seen.add(k)
        out.append(ln)
    return out


def render_class(c: Ctx, name: str, exported: bool, budget: int, is_error: bool = False) -> list[str]:
    rng = c.rng
    kw = "export " if exported and c.ts else ""
    if is_error:
        base = "Error" if name == "AppError" else "AppError"
        lines = [f"{kw}class {name} extends {base} {{"]
        if c.ts:
            lines += ["  readonly status: number;", "  readonly code: string;", ""]
        lines += [f"  constructor(message{c.t(': string')}, code{c.t(': string')} = '{upper(kebab_of(name))}') {{",
                  "    super(message);",
                  f"    this.name = '{name}';",
                  f"    this.status = {rng.choice([400, 403, 404, 409, 500])};",
                  "    this.code = code;",
                  "  }",
                  "",
                  "  toJSON() {",
                  "    return { name: this.name, code: this.code, message: this.message };",
                  "  }",
                  "}"]
        return lines
    c.method_names = set()
    ext = ""
    if name.endswith("Controller") and "BaseController" not in c.locals and rng.random() < 0.0:
        ext = " extends BaseController"
    lines = [f"{kw}class {name}{ext} {{"]
    deps = c.deps[:]
    if c.ts:
        lines.append("  private readonly cache = new Map<string, unknown>();")
        if deps:
            lines.append("")
            lines.append("  constructor(")
            for field, cls in deps:
                lines.append(f"    private readonly {field}: {cls},")
            lines.append("  ) {}")
    else:
        lines.append("  constructor(" + ", ".join(f for f, _ in deps) + ") {")
        for field, _ in deps:
            lines.append(f"    this.{field} = {field};")
        lines.append("    this.cache = new Map();")
        lines.append("  }")
    methods = 0
    while True:
        m = render_method(c)
        if methods >= 1 and len(lines) + len(m) + 2 > budget:
            break
        lines.append("")
        lines += m
        methods += 1
        if len(lines) >= budget:
            break
    lines.append("}")
    return lines


def render_imports(c: Ctx) -> list[str]:
    f = c.f
    rng = c.rng
    lines: list[str] = []
    ext_lines: list[str] = []
    # externals by kind
    ext_pick: list[str] = []
    if f.kind in ("controller", "routes"):
        ext_pick.append("express")
    if f.area == "db" and f.stem == "client":
        ext_pick += ["knex", "pg"]
    if rng.random() < 0.35:
        ext_pick.append(rng.choice(["lodash", "dayjs", "uuid", "zod", "axios", "ioredis", "bullmq", "joi",
                                    "@aws-sdk/client-s3"]))
    if rng.random() < 0.2:
        ext_pick.append(rng.choice(BUILTINS))
    seen = []
    for e in ext_pick:
        if e in seen:
            continue
        seen.append(e)
        if e == "express":
            if c.ts:
                if f.kind == "controller":
                    ext_lines.append("import type { Request, Response, NextFunction } from 'express';")
                else:
                    ext_lines.append("import { Router } from 'express';")
                    ext_lines.append("import type { Express, Request, Response, NextFunction } from 'express';")
                    c.ext_ids["Router"] = "Router"
            else:
                ext_lines.append("const { Router } = require('express');" if f.kind == "routes"
                                 else "const express = require('express');")
                c.ext_ids["Router"] = "Router"
            continue
        if e == "knex":
            ext_lines.append("import knex from 'knex';" if c.ts else "const knex = require('knex');")
            continue
        if e == "pg":
            ext_lines.append("import { Pool } from 'pg';" if c.ts else "const { Pool } = require('pg');")
            continue
        if e in BUILTINS:
            ident = camel(e.replace("node:", "").replace("/", "-"))
            if c.ts:
                if rng.random() < 0.15:
                    ext_lines.append(f"import {ident} = require('{e}');")
                else:
                    ext_lines.append(f"import * as {ident} from '{e}';")
            else:
                ext_lines.append(f"const {ident} = require('{e}');")
            c.locals.add(ident)
            continue
        named, default = EXTERNALS[e]
        if c.ts:
            ext_lines.append(f"import {{ {named} }} from '{e}';" if named else f"import {default} from '{e}';")
        else:
            ext_lines.append(f"const {{ {named} }} = require('{e}');" if named else f"const {default} = require('{e}');")
        c.locals.add(named or default)

    local_lines: list[str] = []
    alias_lines: list[str] = []
    # A module never imports its own names (e.g. a model importing its models/index barrel).
    for e in f.exports:
        c.locals.add(e.name)
    if f.default:
        c.locals.add(f.default)
    for imp in f.imports:
        t: FileSpec = imp["target"]
        spec = imp["spec"]
        named = [n for n in imp["named"] if n not in c.locals]
        types = [n for n in imp["types"] if n not in c.locals]
        default = imp["default"] if imp["default"] not in c.locals else None
        ns = imp["ns"] if imp["ns"] not in c.locals else None
        prop = imp["prop"] if imp["prop"] not in c.locals else None
        out: list[str] = []
        if c.ts:
            if ns:
                out.append(f"import * as {ns} from '{spec}';")
                members = [e.name for e in t.values() if e.kind == "func"][:3]
                c.namespaces.append((ns, members))
                c.locals.add(ns)
            elif default or named or types:
                parts = []
                if default:
                    parts.append(default)
                inline_types = bool(named) and types and rng.random() < 0.3
                if named or inline_types:
                    inner = list(named)
                    if inline_types:
                        inner += [f"type {x}" for x in types]
                    parts.append("{ " + ", ".join(inner) + " }")
                if parts:
                    out.append(f"import {', '.join(parts)} from '{spec}';")
                if types and not inline_types:
                    out.append(f"import type {{ {', '.join(types)} }} from '{spec}';")
            else:
                continue
        else:
            if default:
                if t.ts:
                    out.append(f"const {default} = require('{spec}').default;")
                else:
                    out.append(f"const {default} = require('{spec}');")
            elif prop:
                out.append(f"const {prop} = require('{spec}').{prop};")
                named = [prop]
            elif named:
                out.append(f"const {{ {', '.join(named)} }} = require('{spec}');")
            else:
                continue
        # Record what the names are.
        exports = {e.name: e for e in t.exports}
        for n in named:
            c.locals.add(n)
            e = exports.get(n)
            kind = e.kind if e else "func"
            if n == "logger":
                c.logger = True
            elif n in ("db", "pool", "query", "withTransaction"):
                c.db_names.add(n)
            elif n == "config":
                c.config = True
            elif kind == "class":
                if n.endswith("Error"):
                    c.errors.append(n)
                else:
                    c.classes.append(n)
            elif kind == "func":
                c.funcs.append(n)
            else:
                c.values.append(n)
        for n in types:
            c.locals.add(n)
            c.types.append(n)
        if default:
            c.locals.add(default)
            if default.endswith("Router"):
                c.values.append(default)
            else:
                c.classes.append(default)
        (alias_lines if not spec.startswith(".") else local_lines).extend(out)
    for cls in c.classes[:4]:
        field = cls[:1].lower() + cls[1:]
        c.deps.append((field, cls))
    lines = ext_lines
    if alias_lines:
        if lines:
            lines.append("")
        lines += alias_lines
    if local_lines:
        if lines:
            lines.append("")
        lines += local_lines
    return lines


def header(c: Ctx, title: str) -> list[str]:
    rng = c.rng
    lines = ["/**", f" * {title}"]
    if rng.random() < 0.5:
        lines += [" *", f" * Owned by the {c.domain} team. Keep business rules here, not in the controllers."]
    if rng.random() < 0.2:
        lines += [" * TODO: split this module once the " + c.domain + " service is extracted."]
    lines.append(" */")
    if not c.ts and rng.random() < 0.7:
        lines = ["'use strict';", ""] + lines
    return lines


def render_generic(c: Ctx) -> str:
    f = c.f
    rng = c.rng
    target = f.target_lines
    kind_title = {"model": "model", "repository": "repository", "service": "service",
                  "controller": "HTTP controller", "validator": "input validation", "job": "background job",
                  "common": "shared helpers", "dbmod": "database helpers"}.get(f.kind, f.kind)
    title = f"{pascal(f.stem)} {kind_title} ({f.area})."
    out = header(c, title)
    imp = render_imports(c)
    if imp:
        out += [""] + imp
    # Declarations
    types = [e for e in f.exports if e.is_type]
    consts = [e for e in f.exports if e.kind == "const"]
    classes = [e for e in f.exports if e.kind == "class"]
    funcs = [e for e in f.exports if e.kind == "func"]
    for e in types:
        out += [""] + render_type(c, e.name)
    if f.area == "common" and f.stem == "logger":
        out += [""] + render_logger_factory(c)
        funcs = [e for e in funcs if e.name != "createLogger"]
    if f.area == "common" and f.stem == "config":
        out += [""] + render_config_loader(c)
        funcs = [e for e in funcs if e.name != "loadConfig"]
    for e in consts:
        out += [""] + render_const(c, e.name)
    func_blocks = [render_function(c, e.name, True) for e in funcs]
    footer: list[str] = []
    if not c.ts:
        names = [e.name for e in f.exports if not e.is_type]
        if f.default and f.default in names:
            footer = ["", f"module.exports = {f.default};"] + [f"module.exports.{n} = {n};" for n in names]
        elif f.default:  # default is a router instance (routes)
            footer = ["", f"module.exports = {f.default};"] + [f"module.exports.{n} = {n};" for n in names]
        else:
            footer = ["", "module.exports = {"] + [f"  {n}," for n in names] + ["};"]
    elif f.default and any(e.name == f.default for e in classes):
        footer = ["", f"export default {f.default};"]
    used = len(out) + sum(len(b) + 1 for b in func_blocks) + len(footer)
    if classes:
        is_err = f.stem == "errors"
        per = max(12, (target - used) // len(classes)) if not is_err else 0
        for e in classes:
            blk = render_class(c, e.name, True, per, is_error=is_err)
            out += [""] + blk
    for b in func_blocks:
        out += [""] + b
    # fill with module-private helpers
    guard = 0
    while len(out) + len(footer) < target and guard < 50:
        guard += 1
        blk = render_function(c, c.fresh_name(), False)
        if len(out) + len(footer) + len(blk) + 1 > 398:
            blk = render_small_helper(c)
            if len(out) + len(footer) + len(blk) + 1 > 400:
                break
        out += [""] + blk
    if f.dynamic:
        out += [""] + render_dynamic(c, f.dynamic)
    out += footer
    return "\n".join(out) + "\n"


def render_small_helper(c: Ctx) -> list[str]:
    name = c.fresh_name()
    return [f"function {name}(value{c.t(': unknown')}) {{",
            "  return value === undefined ? null : value;",
            "}"]


def render_dynamic(c: Ctx, dyn: dict) -> list[str]:
    name = c.fresh_name()
    return [f"{'export ' if c.ts else ''}async function {name}Lazily(id{c.t(': string')}) {{",
            f"  const mod = await import('{dyn['spec']}');",
            f"  return mod.{dyn['name']}(id);",
            "}"]


def render_logger_factory(c: Ctx) -> list[str]:
    kw = "export " if c.ts else ""
    return [f"{kw}function createLogger(name{c.t(': string')}){c.t(': Logger')} {{",
            f"  const write = (level{c.t(': string')}, message{c.t(': string')}, fields{c.t(': Record<string, unknown>')} = {{}}) => {{",
            "    const line = JSON.stringify({ level, name, message, ...fields, time: new Date().toISOString() });",
            "    process.stdout.write(line + '\\n');",
            "  };",
            "  return {",
            "    debug: (message, fields) => write('debug', message, fields),",
            "    info: (message, fields) => write('info', message, fields),",
            "    warn: (message, fields) => write('warn', message, fields),",
            "    error: (message, fields) => write('error', message, fields),",
            f"  }}{c.t(' as Logger')};",
            "}"]


def render_config_loader(c: Ctx) -> list[str]:
    kw = "export " if c.ts else ""
    return [f"{kw}function loadConfig(env{c.t(': NodeJS.ProcessEnv')}){c.t(': AppConfig')} {{",
            "  return {",
            "    port: Number(env.PORT || 3000),",
            "    databaseUrl: env.DATABASE_URL || 'postgres://localhost:5432/monolith',",
            "    redisUrl: env.REDIS_URL || 'redis://localhost:6379',",
            "    logLevel: env.LOG_LEVEL || 'info',",
            "    featureFlags: (env.FEATURE_FLAGS || '').split(',').filter(Boolean),",
            f"  }}{c.t(' as unknown as AppConfig')};",
            "}"]


def render_routes(c: Ctx) -> str:
    f = c.f
    rng = c.rng
    out = header(c, f"HTTP routes for {f.stem.replace('-', ' ')} ({f.area}).")
    imp = render_imports(c)
    out += [""] + imp
    ctrl = next((n for n in c.classes if n.endswith("Controller")), None)
    out.append("")
    if ctrl:
        deps = ", ".join("undefined" for _ in range(0))
        out.append(f"const controller = new {ctrl}({deps});")
    else:
        out.append("const controller = { handle: async (req, res) => res.json({ ok: true }) };" if not c.ts else
                   "const controller: Record<string, any> = { handle: async (_req: Request, res: Response) => res.json({ ok: true }) };")
    out.append(f"const {f.default} = Router();")
    base = "/" + f.stem.replace(kebab_of(c.entity), kebab_of(c.entity) + "s", 1) if f.area in c.plan.domain_files else "/"
    verbs = ["get", "post", "put", "patch", "delete"]
    n_routes = 0
    fields = ["", "/:id", "/:id/history", "/:id/status", "/search", "/bulk", "/:id/items", "/export",
              "/:id/events", "/summary", "/:id/notes", "/import"]
    while len(out) + 7 < max(60, f.target_lines) and len(out) + 9 + 7 <= 400 and n_routes < 60:
        sub = fields[n_routes % len(fields)] + ("" if n_routes < len(fields) else f"/v{n_routes // len(fields) + 1}")
        verb = rng.choice(verbs)
        out.append("")
        if rng.random() < 0.3:
            out.append(f"// {verb.upper()} {base}{sub}")
        out.append(f"{f.default}.{verb}('{base}{sub}', async (req{c.t(': Request')}, res{c.t(': Response')}, next{c.t(': NextFunction')}) => {{")
        out.append("  try {")
        if ctrl:
            out.append(f"    await controller.{rng.choice(VERBS)}{rng.choice(NOUNS)}(req, res, next);")
        else:
            out.append("    await controller.handle(req, res);")
        out.append("  } catch (err) {")
        out.append("    next(err);")
        out.append("  }")
        out.append("});")
        n_routes += 1
    reg = next(e.name for e in f.exports if e.kind == "func")
    out += ["",
            f"{'export ' if c.ts else ''}function {reg}(app{c.t(': Express')}, prefix = '/api') {{",
            f"  app.use(prefix, {f.default});",
            f"  {c.log('info', f.area + '.routes', '{ prefix }')}",
            "}"]
    if c.ts:
        out += ["", f"export default {f.default};"]
    else:
        out += ["", f"module.exports = {f.default};", f"module.exports.{reg} = {reg};"]
    return "\n".join(out) + "\n"


def render_test(c: Ctx) -> str:
    f = c.f
    rng = c.rng
    out = header(c, f"Unit tests for {f.stem.replace('-', ' ')} ({f.area}).")
    imp = render_imports(c)
    out += [""] + imp + [""]
    subject = next((n for n in c.classes if n.endswith("Service")), None) or (c.classes[0] if c.classes else None)
    out.append(f"describe('{subject or f.stem}', () => {{")
    out.append(f"  let subject{c.t(': any')};")
    out.append("")
    out.append("  beforeEach(() => {")
    if subject:
        args = ", ".join("{}" for _ in range(rng.randint(0, 3)))
        out.append(f"    subject = new {subject}({args});")
    else:
        out.append("    subject = {};")
    out.append("  });")
    n = 0
    while len(out) + 1 < max(60, f.target_lines) and len(out) + 9 + 1 <= 400:
        n += 1
        st = rng.choice(STATUSES)
        out += ["",
                f"  it('{rng.choice(VERBS)}s {rng.choice(NOUNS).lower()} when status is {st} (case {n})', async () => {{",
                f"    const input = {{ id: '{f.area[:3]}-{n}', status: '{st}', amount: {rng.randint(0, 9999)} }};",
                "    const result = await Promise.resolve(input);",
                f"    expect(result.status).toBe('{st}');",
                f"    expect(result.amount).toBeGreaterThanOrEqual(0);"]
        if rng.random() < 0.4:
            out += ["    expect(subject).toBeDefined();"]
        out += ["  });"]
    out.append("});")
    return "\n".join(out) + "\n"


def render_barrel(plan: Plan, f: FileSpec, rng: random.Random) -> str:
    out = ["/**", f" * Public API of the {f.area} module.", " *",
           " * Other modules should import from here rather than reaching into",
           " * the internals of this folder.", " */"]
    groups: dict[str, list[str]] = {}
    for style, t, names in f.barrel_entries:
        rel = posixpath.relpath(t.noext, posixpath.dirname(f.path))
        if rel.endswith("/index"):
            rel = rel[: -len("/index")]
        if not rel.startswith("."):
            rel = "./" + rel
        section = t.path.split("/")[-2] if t.path.count("/") >= 3 else "root"
        g = groups.setdefault(section, [])
        if style == "star":
            g.append(f"export * from '{rel}';")
        elif style == "ns":
            g.append(f"export * as {names[0].name} from '{rel}';")
        elif style == "default":
            g.append(f"export {{ default as {names[0].name} }} from '{rel}';")
        else:
            vals = [e.name for e in names if not e.is_type]
            typs = [e.name for e in names if e.is_type]
            if vals:
                g.append(f"export {{ {', '.join(vals)} }} from '{rel}';")
            if typs:
                g.append(f"export type {{ {', '.join(typs)} }} from '{rel}';")
    for section, lines in groups.items():
        out += ["", f"// {section}"] + lines
    doc_names = [e.name for e in f.exports]
    if len(out) < 60:
        extra = ["", "/*", " * Exported names (kept in sync by hand):"]
        for n in doc_names:
            extra.append(f" *   - {n}")
            if len(out) + len(extra) >= 58:
                break
        while len(out) + len(extra) < 59:
            extra.append(" *")
        extra.append(" */")
        out += extra
    return "\n".join(out) + "\n"


def render_models_index(plan: Plan, f: FileSpec, rng: random.Random) -> str:
    out = ["/**", f" * Models of the {f.area} domain.", " */", ""]
    for m in plan.domain_files[f.area]["model"]:
        rel = "./" + posixpath.basename(m.noext)
        if m.ts and rng.random() < 0.5:
            out.append(f"export * from '{rel}';")
        else:
            vals = [e.name for e in m.values()]
            typs = [e.name for e in m.types()]
            out.append(f"export {{ {', '.join(vals)} }} from '{rel}';")
            if typs:
                out.append(f"export type {{ {', '.join(typs)} }} from '{rel}';")
    while len(out) < 60:
        out.append("")
        out.append(f"// {len(out)}: models are re-exported one file at a time so that tree shaking keeps working.")
    return "\n".join(out) + "\n"


def render_routes_index(plan: Plan, f: FileSpec, c: Ctx) -> str:
    ts = f.ts
    out = ["/**", f" * Mounts every router of the {f.area} domain.", " */"]
    routes = plan.domain_files[f.area]["routes"]
    regs = []
    imp_lines = []
    for r in routes:
        rel = "./" + posixpath.basename(r.noext)
        reg = next(e.name for e in r.exports if e.kind == "func")
        if ts:
            imp_lines.append(f"import {{ {reg} }} from '{rel}';")
        else:
            imp_lines.append(f"const {{ {reg} }} = require('{rel}');")
        regs.append(reg)
    if ts:
        out += ["", "import type { Express } from 'express';", ""] + imp_lines
    else:
        out = ["'use strict';", ""] + out + [""] + imp_lines
    name = f.exports[0].name
    out += ["", f"{'export ' if ts else ''}function {name}(app{c.t(': Express')}, prefix = '/api/{f.area}') {{"]
    for reg in regs:
        out.append(f"  {reg}(app, prefix);")
    out.append("}")
    while len(out) < (60 if ts else 58):
        out += ["", f"// route group {len(out)} is reserved for the {f.area} admin API."]
    if not ts:
        out += ["", f"module.exports = {{ {name} }};"]
    return "\n".join(out) + "\n"


def render_migration(f: FileSpec, rng: random.Random) -> str:
    t = f.migration_table
    cols = rng.sample(COLUMNS[:12], rng.randint(4, 9))
    alter = "_alter_" in f.path or "alter_" in f.stem
    out = ["'use strict';", "", f"/** Migration: {f.stem.split('_', 1)[1].replace('_', ' ')}. */", "",
           "exports.up = async function up(knex) {"]
    if not alter:
        out += ["  await knex.raw(`", f"    CREATE TABLE IF NOT EXISTS {t} (", "      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),"]
        for col in cols:
            typ = {"created_at": "TIMESTAMPTZ NOT NULL DEFAULT NOW()", "updated_at": "TIMESTAMPTZ",
                   "deleted_at": "TIMESTAMPTZ", "amount_cents": "BIGINT NOT NULL DEFAULT 0",
                   "metadata": "JSONB", "version": "INTEGER NOT NULL DEFAULT 1",
                   "priority": "SMALLINT", "score": "NUMERIC(10, 4)"}.get(col, "TEXT")
            out.append(f"      {col} {typ},")
        out[-1] = out[-1].rstrip(",")
        out += ["    )", "  `);", f"  await knex.raw('CREATE INDEX IF NOT EXISTS {t}_status_idx ON {t} (status)');"]
    else:
        out += [f"  await knex.schema.alterTable('{t}', (table) => {{"]
        for col in cols[:3]:
            out.append(f"    table.string('{col}_v{rng.randint(2, 9)}').nullable();")
        out += ["  });", f"  await knex.raw(\"UPDATE {t} SET updated_at = NOW() WHERE updated_at IS NULL\");"]
    out += ["};", "", "exports.down = async function down(knex) {"]
    if not alter:
        out.append(f"  await knex.raw('DROP TABLE IF EXISTS {t}');")
    else:
        out.append(f"  await knex.schema.alterTable('{t}', (table) => {{")
        out.append("    table.dropColumns();")
        out.append("  });")
    out.append("};")
    while len(out) < 60:
        out += ["", f"// Data note {len(out)}: backfilled by a separate job, see runbook for {t}."]
    return "\n".join(out) + "\n"


def render_entry(plan: Plan, f: FileSpec, rng: random.Random) -> str:
    if f.stem == "server":
        out = ["/**", " * Process entry point: HTTP server, database pool and graceful shutdown.", " */",
               "import 'reflect-metadata';", "import http from 'http';", "",
               "import { config } from '@common/config';", "import { logger } from '@common/logger';",
               "import { pool } from '@db/client';", "", "import { createApp } from './app';", "",
               "const app = createApp();", "const server = http.createServer(app);", "",
               "server.listen(config.port, () => {",
               "  logger.info('server.listening', { port: config.port });", "});", ""]
        for sig in ("SIGTERM", "SIGINT"):
            out += [f"process.on('{sig}', async () => {{",
                    f"  logger.info('server.shutdown', {{ signal: '{sig}' }});",
                    "  server.close();", "  await pool.end();", "  process.exit(0);", "});", ""]
        out += ["process.on('unhandledRejection', (reason) => {",
                "  logger.error('server.unhandledRejection', { reason: String(reason) });", "});"]
        while len(out) < 60:
            out += ["", f"// Startup check {len(out)}: keep the boot sequence free of business logic."]
        return "\n".join(out) + "\n"
    if f.stem == "app":
        mws = [m for m in plan.common if m.path.startswith("src/common/middleware/") and m.values()]
        out = ["/**", " * Express application: middleware stack and route registration.", " */",
               "import express from 'express';", "import type { Express } from 'express';", ""]
        used = []
        for m in mws[:8]:
            fn = m.values()[0].name
            out.append(f"import {{ {fn} }} from '@common/middleware/{posixpath.basename(m.noext)}';")
            used.append(fn)
        out += ["import { registerRoutes } from './routes';", "",
                "export function createApp(): Express {", "  const app = express();",
                "  app.use(express.json({ limit: '1mb' }));"]
        for fn in used:
            out.append(f"  app.use({fn});")
        out += ["  registerRoutes(app);", "  return app;", "}"]
        while len(out) < 60:
            out += ["", f"// Middleware slot {len(out)}: order matters, see docs/middleware.md."]
        return "\n".join(out) + "\n"
    if f.stem == "routes":
        out = ["/**", " * Mounts the routers of every domain.", " */", "import type { Express } from 'express';", ""]
        calls = []
        for name, _, _ in plan.domains:
            reg = plan.routes_index[name].exports[0].name
            if rng.random() < 0.5:
                out.append(f"import {{ {reg} }} from './{name}';")
            else:
                out.append(f"import {{ {reg} }} from './{name}/routes';")
            calls.append(reg)
        out += ["", "export function registerRoutes(app: Express): void {"]
        out += [f"  {c}(app);" for c in calls]
        out.append("}")
        while len(out) < 60:
            out += ["", f"// Route table note {len(out)}: domains mount under /api/<domain>."]
        return "\n".join(out) + "\n"
    if f.stem == "knexfile":
        out = ["'use strict';", "", "/** Knex configuration used by the migration CLI. */",
               "require('dotenv').config();", "",
               "module.exports = {"]
        for env in ("development", "test", "staging", "production"):
            out += [f"  {env}: {{", "    client: 'pg',",
                    f"    connection: process.env.DATABASE_URL || 'postgres://localhost:5432/monolith_{env}',",
                    "    pool: { min: 2, max: 10 },",
                    "    migrations: { directory: './src/db/migrations', tableName: 'knex_migrations' },",
                    "  },"]
        out.append("};")
        while len(out) < 60:
            out += ["", f"// Environment note {len(out)}: credentials come from the secret store."]
        return "\n".join(out) + "\n"
    raise AssertionError(f.path)


def render_plugin_loader(c: Ctx) -> str:
    """A deliberately dynamic loader: require() of a computed path."""
    c.f.target_lines = min(c.f.target_lines, 385)
    base = render_generic(c)
    extra = ["", "function loadPlugins(dir" + c.t(": string") + ", names" + c.t(": string[]") + ") {",
             "  const loaded = [];",
             "  for (const name of names) {",
             "    // eslint-disable-next-line global-require",
             "    loaded.push(require(`${dir}/${name}`));",
             "  }",
             "  return loaded;",
             "}"]
    if not c.ts:
        extra.append("module.exports.loadPlugins = loadPlugins;")
    return base + "\n".join(extra) + "\n"


def render_file(plan: Plan, f: FileSpec, rng: random.Random) -> str:
    if f.kind in ("barrel", "barrel-common", "barrel-db"):
        return render_barrel(plan, f, rng)
    if f.kind == "models-index":
        return render_models_index(plan, f, rng)
    if f.kind == "migration":
        return render_migration(f, rng)
    if f.kind == "entry":
        return render_entry(plan, f, rng)
    c = Ctx(f, rng, plan)
    if f.kind == "routes-index":
        return render_routes_index(plan, f, c)
    if f.kind == "routes":
        return render_routes(c)
    if f.kind == "test":
        return render_test(c)
    if f.area == "common" and f.stem == "plugin-loader":
        return render_plugin_loader(c)
    return render_generic(c)


# ---------------------------------------------------------------------------
# Config files
# ---------------------------------------------------------------------------


def config_files(plan: Plan) -> dict[str, str]:
    pkg = {
        "name": "acme-commerce-monolith",
        "version": "4.12.0",
        "private": True,
        "description": "Synthetic commerce monolith used to benchmark seamline.",
        "main": "dist/server.js",
        "scripts": {
            "build": "tsc -p tsconfig.json",
            "start": "node dist/server.js",
            "dev": "ts-node -r tsconfig-paths/register src/server.ts",
            "migrate": "knex migrate:latest --knexfile knexfile.js",
            "test": "jest",
        },
        "dependencies": {
            "@aws-sdk/client-s3": "^3.540.0", "axios": "^1.6.8", "bullmq": "^5.4.2", "dayjs": "^1.11.10",
            "dotenv": "^16.4.5", "express": "^4.19.2", "ioredis": "^5.3.2", "joi": "^17.12.2",
            "knex": "^3.1.0", "lodash": "^4.17.21", "pg": "^8.11.3", "reflect-metadata": "^0.2.1",
            "uuid": "^9.0.1", "winston": "^3.13.0", "zod": "^3.22.4",
        },
        "devDependencies": {
            "@types/express": "^4.17.21", "@types/jest": "^29.5.12", "@types/node": "^20.11.30",
            "jest": "^29.7.0", "ts-jest": "^29.1.2", "ts-node": "^10.9.2", "tsconfig-paths": "^4.2.0",
            "typescript": "^5.4.3",
        },
    }
    base = {
        "compilerOptions": {
            "target": "ES2021", "module": "commonjs", "moduleResolution": "node", "strict": True,
            "esModuleInterop": True, "allowJs": True, "checkJs": False, "skipLibCheck": True,
            "resolveJsonModule": True, "sourceMap": True, "experimentalDecorators": True,
        }
    }
    tsconfig = (
        "{\n"
        "  // Shared compiler settings live in tsconfig.base.json.\n"
        '  "extends": "./tsconfig.base.json",\n'
        '  "compilerOptions": {\n'
        '    "outDir": "dist",\n'
        '    "rootDir": "src",\n'
        '    "baseUrl": "./src",\n'
        "    // Path aliases; keep in sync with jest.moduleNameMapper.\n"
        '    "paths": {\n'
        '      "@common/*": ["common/*"],\n'
        '      "@db/*": ["db/*"],\n'
        '      "@app/*": ["*"]\n'
        "    }\n"
        "  },\n"
        '  "include": ["src/**/*"],\n'
        '  "exclude": ["node_modules", "dist"]\n'
        "}\n"
    )
    readme = ("# acme-commerce-monolith\n\n"
              "Synthetic Node/TypeScript monolith written by seamline's scripts/gen-monolith.py\n"
              "for benchmarking. It is not meant to run.\n\n"
              f"Domains: {', '.join(d[0] for d in plan.domains)}.\n")
    return {
        "package.json": json.dumps(pkg, indent=2) + "\n",
        "tsconfig.base.json": json.dumps(base, indent=2) + "\n",
        "tsconfig.json": tsconfig,
        ".gitignore": "node_modules/\ndist/\ncoverage/\n.env\n",
        "README.md": readme,
    }


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="output directory (created; must be empty unless --force)")
    ap.add_argument("--files", type=int, default=10000, help="number of source files (default 10000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--force", action="store_true", help="write into a non-empty directory")
    ap.add_argument("--line-scale", type=float, default=1.0,
                    help="scale every file's target length (default 1.0: about 160 lines per file)")
    args = ap.parse_args(argv)

    out = args.out
    if os.path.isdir(out) and os.listdir(out) and not args.force:
        print(f"error: {out} exists and is not empty (use --force)", file=sys.stderr)
        return 2

    rng = random.Random(args.seed)
    plan = Plan(args.files, rng, args.line_scale)

    total_bytes = 0
    n_ts = n_js = 0
    lines_total = 0
    written = 0
    made_dirs: set = set()

    def write(rel: str, text: str) -> None:
        nonlocal total_bytes, written
        path = os.path.join(out, *rel.split("/"))
        d = os.path.dirname(path)
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
        data = text.encode("utf-8")
        with open(path, "wb") as fh:
            fh.write(data)
        total_bytes += len(data)
        written += 1

    os.makedirs(out, exist_ok=True)
    src_bytes = 0
    for f in plan.files:
        # One RNG per file, derived from the master seed and the path, so a file's
        # content does not depend on the order in which files are rendered.
        frng = random.Random(f"{args.seed}:{f.path}")
        text = render_file(plan, f, frng)
        write(f.path, text)
        src_bytes += len(text.encode("utf-8"))
        lines_total += text.count("\n")
        if f.ts:
            n_ts += 1
        else:
            n_js += 1
    for rel, text in config_files(plan).items():
        write(rel, text)

    n_src = n_ts + n_js
    print(f"source files: {n_src} ({n_ts} .ts, {n_js} .js), {src_bytes} bytes, {lines_total} lines, "
          f"{len(plan.domains)} domains")
    print(f"total files: {written}, total bytes: {total_bytes}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
