#!/usr/bin/env python3
"""Compare seamline's local module edges with dependency-cruiser's.

Usage:
    compare-depcruise.py --depcruise DC.json --seamline SL.json [--root REPO] [--name NAME]
                         [--sample 30] [--min-agreement 0.99]

Both reports must use paths relative to the same root (run depcruise from the repository
root; seamline with that root). Python 3 standard library only. The output is a Markdown
section for BENCHMARKS.md.

How the comparison is kept fair
-------------------------------
* Modules: depcruise's analysed modules are its `modules[]` entries that it cruised (no
  module-level `couldNotResolve`), are code files (.js .jsx .ts .tsx .mjs .cjs .mts .cts,
  .d.ts included) and are not under node_modules. seamline's are `modules[].path`.
  Only edges whose *both* ends are modules of *both* tools are compared (the "comparable
  universe"); the rest is counted separately (e.g. hidden folders or generated files that
  seamline skips by design).
* Edges: depcruise's local edges are its dependencies that it resolved (not
  `couldNotResolve`, not `coreModule`) to a code file outside node_modules, from != to,
  folded into one edge per (from, to) like seamline's.
* Agreement = common / (common + disagreements), where these do NOT count as disagreements
  because one tool could not resolve the specifier at all (they are reported separately):
    - seamline-only edges for which depcruise has a matching `couldNotResolve` specifier
      in the same source module ("seamline resolves more");
    - depcruise-only edges whose specifier seamline reported as `unresolved-import`
      ("depcruise resolves more").
  Also out of scope (different rules, not different resolution): depcruise edges that come
  only from triple-slash directives or AMD define/require, which seamline does not model.
  Everything else is a disagreement: an edge one tool has and the other lacks although it
  resolved (or classed as an npm package) the same specifier, or never saw the import.
"""

import argparse
import json
import os
import posixpath
import re
import sys
from collections import Counter, defaultdict

CODE_EXTS = (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")
SKIP_DIRS = {"node_modules", ".git", "dist", "build", "coverage", "out", ".next", ".turbo", ".cache"}
OUT_OF_SCOPE_TYPES = {
    "triple-slash-directive": "triple-slash reference (not an import for seamline)",
    "amd-define": "AMD define dependency (seamline does not model AMD)",
    "amd-require": "AMD require dependency (seamline does not model AMD)",
    "amd-exotic": "AMD dependency (seamline does not model AMD)",
}
NODE_MODULES_RE = re.compile(r"(^|/)node_modules/")


# ---------------------------------------------------------------- helpers

def norm(path):
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def is_code(path):
    return path.endswith(CODE_EXTS)


def strip_ext(path):
    for ext in (".d.ts", ".d.mts", ".d.cts") + CODE_EXTS:
        if path.endswith(ext):
            return path[: -len(ext)]
    return path


def target_keys(target):
    """Extension-less forms a specifier may use to name `target`."""
    base = strip_ext(target)
    keys = {base}
    if base.endswith("/index"):
        keys.add(base[: -len("/index")])
        if base.endswith("/src/index"):
            keys.add(base[: -len("/src/index")])
    return keys


def clean_spec(spec):
    """Drop a bundler query (`./x.svg?raw`)."""
    return spec.split("?", 1)[0]


def package_name(spec):
    parts = spec.split("/")
    if spec.startswith("@") and len(parts) >= 2 and parts[0] != "@":
        return "/".join(parts[:2])
    return parts[0]


def spec_matches(from_path, spec, target):
    """Heuristic: could `spec`, written in `from_path`, name the module `target`?"""
    spec = clean_spec(spec)
    if not spec:
        return False
    keys = target_keys(target)
    if spec.startswith("."):
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), spec))
        return joined in keys or strip_ext(joined) in keys
    if spec.startswith("/"):
        s = strip_ext(spec.lstrip("/"))
        return any(k == s or k.endswith("/" + s) for k in keys)
    # Aliases, baseUrl and workspace packages: drop the package/alias prefix (0, 1 or, for
    # `@scope/name`, 2 segments) and compare the rest with the end of the target's path.
    parts = [p for p in spec.split("/") if p not in ("", ".")]
    scoped = spec.startswith("@") and not spec.startswith("@/") and len(parts) >= 2
    for drop in range(0, (2 if scoped else 1) + 1):
        tail = strip_ext("/".join(parts[drop:]))
        if tail and any(k == tail or k.endswith("/" + tail) for k in keys):
            return True
    # Bare package name (`@scope/pkg`, `pkg`): its index/main file in a folder named like it.
    if len(parts) == (2 if scoped else 1):
        tdir = posixpath.dirname(target)
        if posixpath.basename(tdir) == "src":
            tdir = posixpath.dirname(tdir)
        return posixpath.basename(tdir) == parts[-1]
    return False


def looks_local(spec, local_prefixes, workspace_names):
    if spec.startswith((".", "/", "@/", "~", "#")):
        return True
    if package_name(spec) in workspace_names:
        return True
    return any(spec == p or spec.startswith(p) for p in local_prefixes if p)


def load_jsonc(path):
    with open(path, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    out, i, n, in_str = [], 0, len(text), False
    while i < n:  # strip // and /* */ comments outside strings
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            out.append(c)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(c)
        i += 1
    cleaned = re.sub(r",(\s*[}\]])", r"\1", "".join(out))
    return json.loads(cleaned)


def scan_root(root):
    """Workspace package names and tsconfig/jsconfig `paths` prefixes under `root`."""
    names, prefixes = set(), set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        for fn in filenames:
            full = os.path.join(dirpath, fn)
            try:
                if fn == "package.json":
                    data = load_jsonc(full)
                    if isinstance(data, dict) and isinstance(data.get("name"), str):
                        names.add(data["name"])
                elif re.match(r"^(tsconfig|jsconfig).*\.json$", fn):
                    data = load_jsonc(full)
                    paths = (data.get("compilerOptions") or {}).get("paths") or {}
                    for key in paths:
                        prefixes.add(key.split("*", 1)[0])
            except (OSError, ValueError, AttributeError):
                continue
    return names, prefixes


def spec_in_message(spec, message):
    for q in ("'", '"', "`"):
        if f"{q}{spec}{q}" in message:
            return True
    return False


def quoted_specs(message):
    return re.findall(r"""['"`]([^'"`]+)['"`]""", message)


# ---------------------------------------------------------------- loading

def load_depcruise(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    modules = set()
    edges = defaultdict(lambda: {"specs": set(), "types": set()})  # (from, to) -> info
    unresolved = []  # (from, spec)
    nonlocal_resolved = defaultdict(list)  # from -> [(spec, resolved)]
    by_from = defaultdict(list)  # from -> [(spec, to)] resolved local
    for mod in data.get("modules", []):
        src = norm(mod["source"])
        if "couldNotResolve" in mod or mod.get("coreModule"):
            continue  # a target that was not cruised (unresolved, core, ...)
        if not is_code(src) or NODE_MODULES_RE.search(src):
            continue
        modules.add(src)
        for dep in mod.get("dependencies", []):
            spec = dep.get("module", "")
            if dep.get("coreModule"):
                continue
            if dep.get("couldNotResolve"):
                unresolved.append((src, spec))
                continue
            res = norm(dep.get("resolved", ""))
            if not is_code(res) or NODE_MODULES_RE.search(res):
                nonlocal_resolved[src].append((spec, res))
                continue
            if res == src:
                continue
            info = edges[(src, res)]
            info["specs"].add(spec)
            info["types"].update(dep.get("dependencyTypes", []))
            by_from[src].append((spec, res))
    return {"modules": modules, "edges": edges, "unresolved": unresolved,
            "nonlocal": nonlocal_resolved, "by_from": by_from}


def load_seamline(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    edges = {}
    by_from = defaultdict(set)
    for dep in data.get("dependencies", []):
        f, t = norm(dep["from"]), norm(dep["to"])
        edges[(f, t)] = dep.get("kinds", [])
        by_from[f].add(t)
    if "modules" in data:
        modules = {norm(m["path"] if isinstance(m, dict) else m) for m in data["modules"]}
        inferred = False
    else:  # older report without `modules`: best effort
        modules = set()
        for f, t in edges:
            modules.update((f, t))
        for d in data.get("diagnostics", []):
            modules.add(norm(d.get("path", "")))
        for ext in data.get("external_dependencies", []):
            modules.update(norm(m) for m in ext.get("modules", []))
        inferred = True
    skipped = {norm(s["path"]): s.get("reason", "") for s in data.get("skipped", [])}
    unresolved = defaultdict(list)  # from -> [message]
    for d in data.get("diagnostics", []):
        if d.get("code") == "unresolved-import":
            unresolved[norm(d.get("path", ""))].append(d.get("message", ""))
    externals = defaultdict(set)  # from -> {package}
    for ext in data.get("external_dependencies", []):
        for m in ext.get("modules", []):
            externals[norm(m)].add(ext.get("package", ""))
    return {"modules": modules, "edges": edges, "by_from": by_from, "skipped": skipped,
            "unresolved": unresolved, "externals": externals, "inferred": inferred}


# ---------------------------------------------------------------- comparison

def compare(dc, sl, local_prefixes, workspace_names):
    both = dc["modules"] & sl["modules"]
    cats = defaultdict(list)  # category -> [sample rows]
    counts = Counter()

    def in_universe(f, t):
        return f in both and t in both

    dc_edges = {e: i for e, i in dc["edges"].items() if in_universe(*e)}
    sl_edges = {e: k for e, k in sl["edges"].items() if in_universe(*e)}
    outside = Counter()
    for (f, t) in dc["edges"]:
        if not in_universe(f, t):
            who = t if f in both else f
            why = ("seamline skipped (%s)" % sl["skipped"][who]) if who in sl["skipped"] else \
                  ("not a seamline module" if who in dc["modules"] else "not a depcruise module")
            outside["depcruise edge, %s" % why] += 1
    dc_unres_by_from = defaultdict(list)
    for f, spec in dc["unresolved"]:
        dc_unres_by_from[f].append(spec)
    for (f, t) in sl["edges"]:
        if not in_universe(f, t):
            who = t if f in both else f
            why = "not a depcruise module" if who not in dc["modules"] else "not a seamline module"
            if f in both and any(spec_matches(f, s, t) for s in dc_unres_by_from.get(f, [])):
                why += ", depcruise `couldNotResolve` the specifier"
            outside["seamline edge, %s" % why] += 1

    common = set(dc_edges) & set(sl_edges)
    only_dc = sorted(set(dc_edges) - set(sl_edges))
    only_sl = sorted(set(sl_edges) - set(dc_edges))

    # seamline-only edges
    for f, t in only_sl:
        row = {"from": f, "to": t, "kinds": ",".join(sl_edges[(f, t)])}
        specs = [s for s in dc_unres_by_from.get(f, []) if spec_matches(f, s, t)]
        if specs:
            row["spec"] = specs[0]
            cats["sl_more"].append(row)
            continue
        other = [(s, r) for s, r in dc["by_from"].get(f, []) if r != t and spec_matches(f, s, t)]
        if other:
            row["spec"], row["dc_to"] = other[0]
            cats["sl_diff"].append(row)
            continue
        nonlocal_ = [(s, r) for s, r in dc["nonlocal"].get(f, []) if spec_matches(f, s, t)]
        if nonlocal_:
            row["spec"], row["dc_to"] = nonlocal_[0]
            cats["sl_dc_nonlocal"].append(row)
            continue
        cats["sl_nomatch"].append(row)

    # depcruise-only edges
    for f, t in only_dc:
        info = dc_edges[(f, t)]
        specs = sorted(info["specs"])
        row = {"from": f, "to": t, "spec": " | ".join(specs),
               "kinds": ",".join(sorted(info["types"]))}
        scope = [OUT_OF_SCOPE_TYPES[x] for x in info["types"] if x in OUT_OF_SCOPE_TYPES]
        if scope and not info["types"] & {"import", "export", "require", "dynamic-import",
                                          "import-equals", "type-only", "type-import"}:
            row["why"] = scope[0]
            cats["out_of_scope"].append(row)
            continue
        msgs = sl["unresolved"].get(f, [])
        if any(spec_in_message(s, m) for s in specs for m in msgs):
            cats["dc_more"].append(row)
            continue
        other = [t2 for t2 in sl["by_from"].get(f, ()) if t2 != t and (f, t2) not in dc_edges
                 and any(spec_matches(f, s, t2) for s in specs)]
        if other:
            row["sl_to"] = sorted(other)[0]
            cats["dc_diff"].append(row)
            continue
        exts = sl["externals"].get(f, set())
        if any(package_name(s) in exts for s in specs):
            cats["dc_sl_external"].append(row)
            continue
        cats["dc_missing"].append(row)

    # depcruise couldNotResolve local-looking specifiers: did seamline resolve them?
    unres_local = Counter()
    unres_rows = defaultdict(list)
    seen = set()
    for f, spec in dc["unresolved"]:
        if (f, spec) in seen or f not in both or not looks_local(spec, local_prefixes, workspace_names):
            continue
        seen.add((f, spec))
        if any(spec_in_message(spec, m) for m in sl["unresolved"].get(f, [])):
            key = "both unresolved"
        else:
            hits = [t for t in sl["by_from"].get(f, ()) if spec_matches(f, spec, t)]
            if hits:
                key = "seamline resolved"
                unres_rows[key].append({"from": f, "spec": spec, "to": sorted(hits)[0]})
                unres_local[key] += 1
                continue
            key = "seamline: no edge, no diagnostic"
        unres_local[key] += 1
        unres_rows[key].append({"from": f, "spec": spec})

    disagreements = (len(cats["sl_diff"]) + len(cats["sl_dc_nonlocal"]) + len(cats["sl_nomatch"])
                     + len(cats["dc_diff"]) + len(cats["dc_sl_external"]) + len(cats["dc_missing"]))
    denom = len(common) + disagreements
    counts.update({
        "dc_modules": len(dc["modules"]), "sl_modules": len(sl["modules"]), "both_modules": len(both),
        "dc_edges_all": len(dc["edges"]), "sl_edges_all": len(sl["edges"]),
        "dc_edges": len(dc_edges), "sl_edges": len(sl_edges), "common": len(common),
        "only_dc": len(only_dc), "only_sl": len(only_sl),
        "dc_unresolved": len(dc["unresolved"]),
        "disagreements": disagreements, "denominator": denom,
    })
    agreement = (len(common) / denom) if denom else 1.0
    return counts, cats, agreement, outside, unres_local, unres_rows


# ---------------------------------------------------------------- report

CATEGORY_TITLES = [
    ("sl_more", "seamline-only, depcruise `couldNotResolve` the specifier (seamline resolves more; excluded)"),
    ("dc_more", "depcruise-only, seamline reported `unresolved-import` (depcruise resolves more; excluded)"),
    ("out_of_scope", "depcruise-only, triple-slash/AMD dependency (not modelled by seamline; excluded)"),
    ("dc_diff", "disagreement: same specifier, seamline resolved to another module"),
    ("sl_diff", "disagreement: same specifier, depcruise resolved to another module"),
    ("dc_sl_external", "disagreement: depcruise resolved locally, seamline classed as npm package"),
    ("sl_dc_nonlocal", "disagreement: seamline resolved locally, depcruise to a non-code/node_modules target"),
    ("dc_missing", "disagreement: depcruise-only edge, no matching seamline edge or diagnostic"),
    ("sl_nomatch", "disagreement: seamline-only edge, no matching depcruise specifier"),
]


def fmt_row(r):
    s = f"`{r['from']}` → `{r['to']}`" if "to" in r else f"`{r['from']}`"
    if r.get("spec"):
        s += f" (specifier `{r['spec']}`)"
    if r.get("sl_to"):
        s += f"; seamline → `{r['sl_to']}`"
    if r.get("dc_to"):
        s += f"; depcruise → `{r['dc_to']}`"
    if r.get("why"):
        s += f"; {r['why']}"
    if r.get("kinds"):
        s += f" [{r['kinds']}]"
    return "- " + s


def render(name, counts, cats, agreement, outside, unres_local, unres_rows, sample, inferred, threshold):
    pct = f"{agreement * 100:.2f}%"
    ok = "" if threshold is None else (" ✅" if agreement >= threshold else " ❌")
    lines = [f"### {name}: seamline vs dependency-cruiser", ""]
    if inferred:
        lines += ["> seamline report has no `modules`; its module set was inferred from edges and diagnostics.", ""]
    lines += [
        f"**Agreement on edges both tools resolved: {pct}**{ok} "
        f"({counts['common']} common / {counts['denominator']} = common + disagreements)",
        "",
        "| measure | count |",
        "|---|---:|",
        f"| modules: depcruise / seamline / both | {counts['dc_modules']} / {counts['sl_modules']} / {counts['both_modules']} |",
        f"| depcruise local edges (all / between common modules) | {counts['dc_edges_all']} / {counts['dc_edges']} |",
        f"| seamline edges (all / between common modules) | {counts['sl_edges_all']} / {counts['sl_edges']} |",
        f"| common edges | {counts['common']} |",
        f"| only depcruise | {counts['only_dc']} |",
        f"| only seamline | {counts['only_sl']} |",
    ]
    for key, title in CATEGORY_TITLES:
        lines.append(f"| &nbsp;&nbsp;{title} | {len(cats[key])} |")
    lines.append(f"| disagreements (counted against agreement) | {counts['disagreements']} |")
    total_ul = sum(unres_local.values())
    lines.append(f"| depcruise `couldNotResolve` local-looking specifiers (in common modules) | {total_ul} |")
    for key in ("seamline resolved", "both unresolved", "seamline: no edge, no diagnostic"):
        lines.append(f"| &nbsp;&nbsp;{key} | {unres_local.get(key, 0)} |")
    for key in sorted(outside):
        lines.append(f"| outside comparison: {key} | {outside[key]} |")
    lines.append("")
    for key, title in CATEGORY_TITLES:
        rows = cats[key]
        if not rows:
            continue
        lines += [f"<details><summary>{title}: {len(rows)} (showing {min(sample, len(rows))})</summary>", ""]
        lines += [fmt_row(r) for r in rows[:sample]]
        lines += ["", "</details>", ""]
    for key in ("seamline resolved", "both unresolved", "seamline: no edge, no diagnostic"):
        rows = unres_rows.get(key, [])
        if not rows:
            continue
        groups = Counter("/".join(r["spec"].split("/")[:2])
                         if r["spec"].startswith((".", "@/", "~/", "#")) else package_name(r["spec"])
                         for r in rows)
        top = ", ".join(f"`{g}` ×{c}" for g, c in groups.most_common(8))
        lines += [f"<details><summary>depcruise couldNotResolve, {key}: {len(rows)} "
                  f"(top prefixes: {top})</summary>", ""]
        lines += [fmt_row(r) for r in rows[:sample]]
        lines += ["", "</details>", ""]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--depcruise", required=True, help="dependency-cruiser --output-type json file")
    ap.add_argument("--seamline", required=True, help="seamline JSON report")
    ap.add_argument("--root", help="repository root: read workspace package names and tsconfig path aliases")
    ap.add_argument("--local-prefix", action="append", default=[],
                    help="extra specifier prefix counted as local (repeatable)")
    ap.add_argument("--name", help="heading name (default: the depcruise file name)")
    ap.add_argument("--sample", type=int, default=30, help="rows shown per category (default 30)")
    ap.add_argument("--min-agreement", type=float, default=None,
                    help="exit 1 when agreement is below this fraction, e.g. 0.99")
    args = ap.parse_args(argv)

    dc = load_depcruise(args.depcruise)
    sl = load_seamline(args.seamline)
    names, prefixes = (scan_root(args.root) if args.root else (set(), set()))
    prefixes.update(args.local_prefix)
    counts, cats, agreement, outside, unres_local, unres_rows = compare(dc, sl, prefixes, names)
    name = args.name or os.path.basename(args.depcruise).split(".")[0]
    print(render(name, counts, cats, agreement, outside, unres_local, unres_rows,
                 args.sample, sl["inferred"], args.min_agreement))
    if args.min_agreement is not None and agreement < args.min_agreement:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
