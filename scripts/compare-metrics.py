#!/usr/bin/env python3
"""Compare seamline's module metrics (ca, ce, instability) with dependency-cruiser's `--metrics`.

Usage:
    compare-metrics.py --depcruise DC.json --seamline SL.json [--name NAME]
                       [--examples 5]

DC.json: `depcruise --metrics --output-type json --ts-pre-compilation-deps ...` run from the
repository root (module entries then carry `dependents` and `instability`). SL.json:
`seamline analyze REPO --output SL.json`. Python 3 standard library only; the edge-matching
helpers (specifier heuristics) are shared with scripts/compare-depcruise.py. Prints a Markdown
section.

What is compared
----------------
Modules: those both tools analysed (depcruise: cruised local code files; seamline:
`modules[].path`). Import edges: local edges between two such modules, folded to one per
(from, to), leaving out edges that only one tool could resolve (the other reported the
specifier unresolved) and depcruise's AMD / triple-slash dependencies (not modelled by
seamline). Edges that both resolved but to different modules stay in (they are real
disagreements).

For each module, Ca = distinct modules with an arc into it, Ce = distinct modules it has an
arc to, I = Ce / (Ca + Ce) (null when both are 0), over four arc sets:

    DC-all  depcruise's local import edges, every dependency type (what its metric counts,
            minus npm/core/unresolved targets, which depcruise's own `instability` includes)
    DC-val  DC-all without edges whose every statement is `type-only`
    SL-raw  seamline's `dependencies` with a kind other than `type-only` (no barrel
            substitution, no calls)
    SL      seamline's reported `ca`/`ce`/`instability` (coupling-rules.md §3: barrel hops
            replaced by the defining modules, plus call arcs; over all of seamline's modules)

(a) DC-val vs SL-raw: same definition, so differences are resolution or `type-only`
    classification differences.  (b) DC-all vs SL.  (c) The arcs behind the differences in
    (b), by cause. SL's arcs are rebuilt from the report (`dependencies[].defined_in`,
    `calls`, `coupling.edges[].reasons.calls`) and checked against the reported ca/ce.

Agreement = share of common modules whose Ca and Ce are both equal; plus the mean absolute
difference of I over modules where both sides have one, and the count where only one does.
"""

import argparse
import importlib.util
import json
import os
import sys
from collections import Counter, defaultdict

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("compare_depcruise", os.path.join(_here, "compare-depcruise.py"))
cd = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cd)

VALUE_TYPES = {"import", "export", "require", "dynamic-import", "import-equals", "type-only",
               "type-import"}


# ---------------------------------------------------------------- loading

def load_depcruise(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    modules = {}  # path -> native fields
    edges = {}  # (from, to) -> {"specs", "types", "value": has a non-type-only statement}
    unresolved = defaultdict(list)  # from -> [spec]
    for mod in data.get("modules", []):
        src = cd.norm(mod["source"])
        if "couldNotResolve" in mod or mod.get("coreModule"):
            continue
        if not cd.is_code(src) or cd.NODE_MODULES_RE.search(src):
            continue
        modules[src] = {"dependencies": len(mod.get("dependencies", [])),
                        "dependents": len(set(mod.get("dependents", []))),
                        "instability": mod.get("instability")}
        for dep in mod.get("dependencies", []):
            if dep.get("coreModule"):
                continue
            if dep.get("couldNotResolve"):
                unresolved[src].append(dep.get("module", ""))
                continue
            res = cd.norm(dep.get("resolved", ""))
            if not cd.is_code(res) or cd.NODE_MODULES_RE.search(res) or res == src:
                continue
            types = set(dep.get("dependencyTypes", []))
            info = edges.setdefault((src, res), {"specs": set(), "types": set(), "value": False,
                                                 "in_scope": False})
            info["specs"].add(dep.get("module", ""))
            info["types"] |= types
            if "type-only" not in types:
                info["value"] = True
            if types & VALUE_TYPES or not types & set(cd.OUT_OF_SCOPE_TYPES):
                info["in_scope"] = True
    return {"modules": modules, "edges": edges, "unresolved": unresolved}


def load_seamline(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    modules = {cd.norm(m["path"]): m for m in data["modules"]}
    raw = {}  # (from, to) -> {"kinds", "defined_in"}
    for d in data.get("dependencies", []):
        raw[(cd.norm(d["from"]), cd.norm(d["to"]))] = {"kinds": set(d.get("kinds", [])),
                                                       "defined_in": [cd.norm(x) for x in d.get("defined_in", [])]}
    unresolved = defaultdict(list)
    for d in data.get("diagnostics", []):
        if d.get("code") == "unresolved-import":
            unresolved[cd.norm(d.get("path", ""))].append(d.get("message", ""))
    calls = Counter()
    for c in data.get("calls", []):
        a, b = cd.norm(c["from"].split("#", 1)[0]), cd.norm(c["to"].split("#", 1)[0])
        if a != b:
            calls[(a, b)] += c.get("count", 1)
    pair_calls = {}
    for e in data.get("coupling", {}).get("edges", []):
        pair_calls[(cd.norm(e["a"]), cd.norm(e["b"]))] = e.get("reasons", {}).get("calls", 0)
    calls_complete = len(data.get("calls", [])) > 0 or data.get("summary", {}).get("calls", 0) == 0
    return {"modules": modules, "raw": raw, "unresolved": unresolved, "calls": calls,
            "pair_calls": pair_calls, "calls_complete": calls_complete}


def is_value(kinds):
    return bool(set(kinds) - {"type-only"})


# ---------------------------------------------------------------- seamline's arcs (§3), rebuilt

def rebuild_seamline_arcs(sl):
    """Directed arcs of coupling-rules.md §3, with the reason of each, checked against ca/ce."""
    reasons = defaultdict(set)  # (a, b) -> {"import", "barrel", "call", "unresolved-call"}
    maybe = set()  # a -> barrel `to` that may also define some imported names
    for (a, t), e in sl["raw"].items():
        if not is_value(e["kinds"]):
            continue
        if e["defined_in"]:
            for d in e["defined_in"]:
                if d != a:
                    reasons[(a, d)].add("barrel")
            maybe.add((a, t))
        else:
            reasons[(a, t)].add("import")
    for (a, b) in sl["calls"]:
        reasons[(a, b)].add("call")
    # Unresolved calls: coupling.edges counts call sites of both directions; what `calls[]`
    # does not explain is unresolved calls. Their direction is known when only one exists.
    unresolved_pairs = []
    for (a, b), n in sl["pair_calls"].items():
        rest = n - sl["calls"].get((a, b), 0) - sl["calls"].get((b, a), 0)
        if rest > 0:
            unresolved_pairs.append((a, b))
    # Decide the undetermined arcs (a barrel `to` that also defines a name; the direction of an
    # unresolved call) with the reported ca/ce: take a candidate when both of its ends still
    # lack an arc. Repeat until nothing changes.
    cands = [((a, t), "import") for (a, t) in maybe if (a, t) not in reasons]
    for (a, b) in unresolved_pairs:
        if (a, b) in reasons or (b, a) in reasons:
            # an arc already exists; the unresolved call most likely runs along it
            for arc in ((a, b), (b, a)):
                if arc in reasons and not (reasons[arc] & {"call"}):
                    reasons[arc].add("unresolved-call")
            continue
        cands += [((a, b), "unresolved-call"), ((b, a), "unresolved-call")]

    def counts():
        ca, ce = defaultdict(set), defaultdict(set)
        for (a, b) in reasons:
            ce[a].add(b)
            ca[b].add(a)
        return ca, ce

    changed = True
    while changed and cands:
        changed = False
        ca, ce = counts()
        for i, (arc, why) in enumerate(cands):
            a, b = arc
            ma, mb = sl["modules"].get(a), sl["modules"].get(b)
            if ma and mb and len(ce[a]) < ma["ce"] and len(ca[b]) < mb["ca"]:
                reasons[arc].add(why)
                cands.pop(i)
                changed = True
                break
    ca, ce = counts()
    mismatch = [p for p, m in sl["modules"].items() if len(ca[p]) != m["ca"] or len(ce[p]) != m["ce"]]
    return reasons, mismatch


# ---------------------------------------------------------------- metrics

def metrics(arcs, modules):
    ca, ce = defaultdict(set), defaultdict(set)
    for (a, b) in arcs:
        ce[a].add(b)
        ca[b].add(a)
    out = {}
    for m in modules:
        x, y = len(ca[m]), len(ce[m])
        out[m] = (x, y, (round(y / (x + y), 4) if x + y else None))
    return out


def agreement(left, right, modules):
    equal = sum(1 for m in modules if left[m][:2] == right[m][:2])
    active = [m for m in modules if left[m][:2] != (0, 0) or right[m][:2] != (0, 0)]
    equal_active = sum(1 for m in active if left[m][:2] == right[m][:2])
    both = [m for m in modules if left[m][2] is not None and right[m][2] is not None]
    mad = (sum(abs(left[m][2] - right[m][2]) for m in both) / len(both)) if both else 0.0
    one_null = sum(1 for m in modules if (left[m][2] is None) != (right[m][2] is None))
    ca_eq = sum(1 for m in modules if left[m][0] == right[m][0])
    ce_eq = sum(1 for m in modules if left[m][1] == right[m][1])
    return {"n": len(modules), "equal": equal, "share": equal / len(modules) if modules else 1.0,
            "active": len(active), "equal_active": equal_active,
            "share_active": equal_active / len(active) if active else 1.0,
            "ca_eq": ca_eq, "ce_eq": ce_eq, "mad": mad, "i_both": len(both), "one_null": one_null}


# ---------------------------------------------------------------- comparison

def compare(dc, sl):
    both = set(dc["modules"]) & set(sl["modules"])
    excluded = Counter()

    # depcruise edges between common modules that seamline also resolved
    dc_all = {}
    for (f, t), info in dc["edges"].items():
        if f not in both or t not in both:
            continue
        if not info["in_scope"]:
            excluded["depcruise: AMD / triple-slash only (seamline does not model them)"] += 1
            continue
        if (f, t) not in sl["raw"] and any(cd.spec_in_message(s, m) for s in info["specs"]
                                           for m in sl["unresolved"].get(f, [])):
            excluded["depcruise: seamline reported the specifier unresolved"] += 1
            continue
        dc_all[(f, t)] = info
    # seamline edges between common modules that depcruise also resolved
    sl_raw_edges = {}
    for (f, t), e in sl["raw"].items():
        if f not in both or t not in both:
            continue
        if (f, t) not in dc["edges"] and any(cd.spec_matches(f, s, t) for s in dc["unresolved"].get(f, [])):
            excluded["seamline: depcruise `couldNotResolve` the specifier"] += 1
            continue
        sl_raw_edges[(f, t)] = e
    not_comparable = set(sl["raw"]) - set(sl_raw_edges)

    dc_val = {e for e, i in dc_all.items() if i["value"]}
    sl_val = {e for e, i in sl_raw_edges.items() if is_value(i["kinds"])}
    mods = sorted(both)
    m_dc_all = metrics(dc_all, mods)
    m_dc_val = metrics(dc_val, mods)
    m_sl_raw = metrics(sl_val, mods)
    m_sl = {p: (sl["modules"][p]["ca"], sl["modules"][p]["ce"], sl["modules"][p]["instability"]) for p in mods}
    native_fields = {p: (dc["modules"][p]["dependents"], dc["modules"][p]["dependencies"],
                         dc["modules"][p]["instability"]) for p in mods}

    # (a) arc differences DC-val vs SL-raw
    a_causes = defaultdict(list)
    for arc in sorted(dc_val - sl_val):
        if arc in sl_raw_edges:
            a_causes["type-only: seamline `type-only`, depcruise not"].append(arc)
        else:
            a_causes["edge only depcruise resolved (both resolved the import, to different modules)"].append(arc)
    for arc in sorted(sl_val - dc_val):
        if arc in dc_all:
            a_causes["type-only: depcruise `type-only`, seamline not"].append(arc)
        else:
            a_causes["edge only seamline resolved (both resolved the import, to different modules)"].append(arc)

    # (b)/(c) arc differences DC-all vs SL (rebuilt)
    sl_arcs, mismatch = rebuild_seamline_arcs(sl)
    dc_arcs = set(dc_all)
    c_causes = defaultdict(list)
    for arc in sorted(set(sl_arcs) - dc_arcs):
        a, b = arc
        if a not in both or b not in both:
            continue  # handled below (affects a common module only through one end)
        why = sl_arcs[arc]
        if arc in sl["raw"] and is_value(sl["raw"][arc]["kinds"]) and arc in not_comparable:
            c_causes["SL+ import only seamline resolved (depcruise `couldNotResolve`)"].append(arc)
        elif arc in sl_raw_edges and is_value(sl_raw_edges[arc]["kinds"]):
            c_causes["SL+ import edge depcruise lacks (resolution)"].append(arc)
        elif "barrel" in why:
            c_causes["SL+ barrel substitution: arc to the module defining an imported name"].append(arc)
        elif "call" in why:
            c_causes["SL+ call arc without a value import between the two"].append(arc)
        elif "unresolved-call" in why:
            c_causes["SL+ unresolved-call arc without a value import"].append(arc)
        else:
            c_causes["SL+ unexplained"].append(arc)
    for arc in sorted(set(sl_arcs)):
        a, b = arc
        if (a in both) != (b in both):
            c_causes["SL+ arc to/from a module depcruise did not analyse"].append(arc)
    for arc in sorted(dc_arcs - set(sl_arcs)):
        info = dc_all[arc]
        raw = sl["raw"].get(arc)
        if not info["value"]:
            c_causes["DC+ type-only import (depcruise counts it, §3 does not)"].append(arc)
        elif raw and not is_value(raw["kinds"]):
            c_causes["DC+ seamline classes the import `type-only`, depcruise does not"].append(arc)
        elif raw and raw["defined_in"]:
            c_causes["DC+ barrel hop: every imported name is defined elsewhere"].append(arc)
        elif raw:
            c_causes["DC+ unexplained (seamline has the edge)"].append(arc)
        else:
            c_causes["DC+ import edge seamline lacks (resolution)"].append(arc)

    # modules whose (ca, ce) differ in (b), per cause
    affected = defaultdict(set)
    diff_b = {m for m in mods if m_dc_all[m][:2] != m_sl[m][:2]}
    for cause, arcs in c_causes.items():
        for (a, b) in arcs:
            for m in (a, b):
                if m in diff_b:
                    affected[cause].add(m)
    explained = set().union(*affected.values()) if affected else set()
    return {
        "both": mods, "excluded": excluded, "dc_all": dc_all, "dc_val": dc_val, "sl_val": sl_val,
        "dc_modules": len(dc["modules"]), "sl_modules": len(sl["modules"]),
        "a": agreement(m_dc_val, m_sl_raw, mods),
        "a_all": agreement(m_dc_all, m_sl_raw, mods),
        "b": agreement(m_dc_all, m_sl, mods),
        "native_ca": sum(1 for m in mods if native_fields[m][0] == m_dc_all[m][0]),
        "native_formula": sum(1 for m in mods if native_fields[m][2] is not None and abs(
            native_fields[m][2] - (native_fields[m][1] / (native_fields[m][0] + native_fields[m][1])
                                   if native_fields[m][0] + native_fields[m][1] else 0.0)) < 1e-9),
        "native_i": sum(1 for m in mods if native_fields[m][2] is not None
                        and abs(native_fields[m][2] - (m_dc_all[m][2] or 0.0)) < 1e-4),
        "a_causes": a_causes, "c_causes": c_causes, "affected": affected,
        "diff_b": diff_b, "unexplained_modules": sorted(diff_b - explained),
        "mismatch": mismatch, "sl_arcs": len(sl_arcs), "calls_complete": sl["calls_complete"],
        "m_dc_all": m_dc_all, "m_sl": m_sl,
    }


# ---------------------------------------------------------------- report

def fmt_ag(x):
    return (f"{x['share'] * 100:.2f} % ({x['equal']}/{x['n']}); modules with any arc "
            f"{x['share_active'] * 100:.2f} % ({x['equal_active']}/{x['active']}) | "
            f"{x['ca_eq']} / {x['ce_eq']} | {x['mad']:.4f} ({x['i_both']}) | {x['one_null']}")


def render(name, r, examples):
    arrow = lambda arc: f"`{arc[0]}` → `{arc[1]}`"
    lines = [f"### {name}: module metrics, seamline vs dependency-cruiser --metrics", ""]
    lines += [
        f"Modules: depcruise {r['dc_modules']}, seamline {r['sl_modules']}, both {len(r['both'])}. "
        f"Comparable import edges (between common modules, both tools resolved): depcruise {len(r['dc_all'])} "
        f"({len(r['dc_val'])} with a non-type-only statement), seamline {len(r['sl_val'])} non-type-only.",
        "",
    ]
    if r["excluded"]:
        lines.append("Left out: " + "; ".join(f"{k}: {v}" for k, v in sorted(r["excluded"].items())) + ".")
        lines.append("")
    lines += [
        "| comparison | Ca and Ce equal | Ca equal / Ce equal | mean abs. ΔI (modules) | I null on one side only |",
        "|---|---|---|---|---|",
        f"| (a) DC-val vs SL-raw (same definition) | {fmt_ag(r['a'])} |",
        f"| (a′) DC-all vs SL-raw (depcruise keeps `type-only`) | {fmt_ag(r['a_all'])} |",
        f"| (b) DC-all vs seamline's reported ca/ce/instability | {fmt_ag(r['b'])} |",
        "",
        f"depcruise's own fields: `dependents` has DC-all's Ca on {r['native_ca']}/{len(r['both'])} modules; "
        f"`instability` = dependencies / (dependencies + dependents) on {r['native_formula']}/{len(r['both'])}, "
        f"where `dependencies` lists every dependency (npm, core, unresolved, repeats of one target), so it "
        f"equals DC-all's I on only {r['native_i']}/{len(r['both'])} (and it is 0, not null, without arcs).",
        "",
        f"seamline's arcs rebuilt from the report: {r['sl_arcs']}; modules whose rebuilt ca/ce differ from the "
        f"reported ones: {len(r['mismatch'])}" + ("" if r["calls_complete"] else
                                                   " (the report's `calls[]` was left out; call arcs are incomplete)")
        + ".",
        "",
    ]
    if r["mismatch"]:
        lines.append("Rebuild mismatches: " + ", ".join(f"`{m}`" for m in r["mismatch"][:examples]))
        lines.append("")
    lines += ["(a) arc differences:", ""]
    if not r["a_causes"]:
        lines += ["- none", ""]
    for cause, arcs in sorted(r["a_causes"].items()):
        lines.append(f"- {cause}: {len(arcs)} — " + ", ".join(arrow(a) for a in arcs[:examples]))
    lines += ["", f"(c) causes of the (b) differences ({len(r['diff_b'])} modules differ; "
              "an arc can change Ca of one module and Ce of another; SL+ = arc only in seamline's relation, "
              "DC+ = only in depcruise's):", "",
              "| cause | arcs | modules with different (Ca, Ce) it touches |", "|---|---:|---:|"]
    for cause, arcs in sorted(r["c_causes"].items(), key=lambda kv: -len(kv[1])):
        lines.append(f"| {cause} | {len(arcs)} | {len(r['affected'].get(cause, ()))} |")
    lines.append(f"| modules that differ with no arc cause found | | {len(r['unexplained_modules'])} |")
    lines.append("")
    for cause, arcs in sorted(r["c_causes"].items(), key=lambda kv: -len(kv[1])):
        lines.append(f"<details><summary>{cause}: {len(arcs)} (first {min(examples, len(arcs))})</summary>")
        lines.append("")
        for a in arcs[:examples]:
            lines.append(f"- {arrow(a)}")
        lines += ["", "</details>", ""]
    if r["unexplained_modules"]:
        lines.append("Differing modules without a cause: " + ", ".join(
            f"`{m}` DC {r['m_dc_all'][m][:2]} SL {r['m_sl'][m][:2]}" for m in r["unexplained_modules"][:examples]))
        lines.append("")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--depcruise", required=True, help="depcruise --metrics --output-type json file")
    ap.add_argument("--seamline", required=True, help="seamline JSON report")
    ap.add_argument("--name", help="heading name (default: the depcruise file name)")
    ap.add_argument("--examples", type=int, default=5, help="examples per cause (default 5)")
    args = ap.parse_args(argv)
    dc = load_depcruise(args.depcruise)
    sl = load_seamline(args.seamline)
    if any("ca" not in m for m in sl["modules"].values()):
        print("seamline report has no module metrics (`ca`/`ce`): re-run a current seamline", file=sys.stderr)
        return 2
    if not any(m.get("instability") is not None for m in dc["modules"].values()):
        print("depcruise output has no `instability`: run depcruise with --metrics", file=sys.stderr)
        return 2
    r = compare(dc, sl)
    name = args.name or os.path.basename(args.depcruise).split(".")[0]
    print(render(name, r, args.examples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
