#!/usr/bin/env python3
"""Differential check of seamline's SQL table modes against an independent sqlglot reading.

Usage:
    sqlglot-diff.py [--corpus tests/sql/corpus.json] [--report ANALYSIS.json]
                    [--seamline target/release/seamline | --no-seamline] [--output FILE]

Needs the `sqlglot` package (e.g. `python3 -m venv /tmp/sqlglot-venv &&
/tmp/sqlglot-venv/bin/pip install sqlglot`, then run the script with that interpreter).

Inputs
------
* `--corpus FILE`: the hand-written corpus (`tests/sql/corpus.json`), a JSON array of
  `{"id", "dialect", "sql", "kind", "reads", "writes", "schema", "approximate"[, "dynamic_tables"]}`.
  Three pairs are compared: seamline vs expected, sqlglot vs expected, seamline vs sqlglot.
* `--report FILE`: a seamline analysis JSON whose top-level `"sql"` array holds
  `{"path", "line", "kind", "reads", "writes", "schema", "approximate", "dynamic_tables", "text", "dialect"}`
  (SQL found in a real repository). There are no hand expectations there, so only seamline vs
  sqlglot is compared.
* seamline's corpus results come from `BIN sql --input FILE`, which reads a JSON array of
  `{"id", "dialect", "sql"}` and prints a JSON array of
  `{"id", "kind", "reads", "writes", "schema", "approximate", "dynamic_tables"}`.
  `--no-seamline` skips it (and the two pairs that need it).

How sqlglot's reading is computed (docs/data-access-rules.md §3)
----------------------------------------------------------------
* Parse with the matching sqlglot dialect (postgres, mysql, sqlite, tsql for mssql, none for
  generic). If sqlglot rejects the text, placeholders (`$1`, `?`, `?1`, `:name`, `@p`, `$name`)
  are replaced by `?` and it is tried again.
* Write targets: the table of INSERT/REPLACE, UPDATE, DELETE, MERGE INTO, TRUNCATE.
  Schema targets: the table of CREATE TABLE, CREATE INDEX … ON, ALTER TABLE, DROP TABLE.
  Every other table node (FROM/JOIN, subqueries, EXISTS, CTE bodies, UPDATE … FROM,
  DELETE … USING, MERGE … USING, CREATE TABLE … AS SELECT) is a read. A write target is
  therefore also a read only when the same name occurs again elsewhere.
* Not tables: CTE names (unqualified references to a name defined by a WITH anywhere in the
  statement), tables under REFERENCES / FOREIGN KEY, index operator classes, table functions.
  A table named `__seamline_dyn_N` (seamline's placeholder for a non-constant substitution)
  counts in `dynamic_tables` and is never reported.
* Names: each part lower-cased with quotes removed; `db.schema.table` keeps `schema.table`;
  a leading `public.` is dropped.
* kind: select, insert, update, delete (also TRUNCATE), merge, ddl, other, by the main statement.
* When sqlglot cannot parse the text at all, or only as an opaque `Command` (e.g. `REPLACE INTO`
  in some dialects, `SET …`), the §3 lexical fallback is applied to sqlglot's tokens: the name after
  INTO, UPDATE, DELETE FROM, TRUNCATE [TABLE] is written, after CREATE/ALTER/DROP TABLE a schema
  change, after FROM/JOIN read; such a result is marked approximate.

What is compared
----------------
Per statement the set of (table, mode) pairs, mode in read/write/schema. For a pair "A vs B",
precision = common / |A| and recall = common / |B|, summed over all statements both sides have.
A statement disagrees when its (table, mode) sets, its kind or its dynamic_tables differ; in
"seamline vs expected" also when `approximate` differs (sqlglot's parser accepts different SQL
than sqlparser, so `approximate` is not compared in the pairs that involve sqlglot).

The output is a Markdown summary. The script always exits 0: it is a review tool.
"""

import argparse
import json
import logging
import os
import re
import subprocess
import sys
import tempfile

try:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError, TokenError
except ImportError:  # pragma: no cover - reported in the output
    sqlglot = None

SQLGLOT_DIALECT = {"postgres": "postgres", "mysql": "mysql", "sqlite": "sqlite", "mssql": "tsql", "generic": None}
DYN_RE = re.compile(r"^__seamline_dyn_\d+$", re.IGNORECASE)
MODES = ("reads", "writes", "schema")
MODE_WORD = {"reads": "read", "writes": "write", "schema": "schema"}
KINDS = ("select", "insert", "update", "delete", "merge", "ddl", "other")

# ---------------------------------------------------------------- placeholders

_PH_RE = re.compile(
    r"""('(?:[^']|'')*')"""            # string literal: keep
    r'''|("(?:[^"]|"")*")'''           # quoted identifier: keep
    r"""|(`[^`]*`)"""                  # backtick identifier: keep
    r"""|(\?\d*)"""                    # ?  ?1
    r"""|(?<![:\w]):[A-Za-z_]\w*"""    # :name (not ::cast)
    r"""|(?<![\w@])@[A-Za-z_]\w*"""    # @p1, @name (not @@, @>)
    r"""|\$(?:\d+|[A-Za-z_]\w*)"""     # $1, $name
)


def normalise_placeholders(sql):
    def rep(m):
        for g in (1, 2, 3):
            if m.group(g):
                return m.group(g)
        return "?"

    return _PH_RE.sub(rep, sql)


# ---------------------------------------------------------------- names

def _ident_text(node):
    if node is None:
        return ""
    if isinstance(node, exp.Identifier):
        return node.this or ""
    if isinstance(node, str):
        return node
    return node.name if hasattr(node, "name") else str(node)


def normalise_parts(parts):
    parts = [p.strip().strip('"`[]').lower() for p in parts if p and p.strip()]
    if len(parts) > 2:
        parts = parts[-2:]
    if len(parts) == 2 and parts[0] == "public":
        parts = parts[1:]
    return ".".join(parts)


def table_name(table):
    """Normalised name of an exp.Table, or None when it is not a plain named table."""
    if not isinstance(table.this, exp.Identifier):
        return None  # table function, e.g. FROM unnest(...)
    parts = [_ident_text(table.args.get("catalog")), _ident_text(table.args.get("db")), _ident_text(table.this)]
    return normalise_parts(parts) or None


# ---------------------------------------------------------------- sqlglot AST walk

def _unwrap_table(node):
    while isinstance(node, exp.Schema):
        node = node.this
    return node if isinstance(node, exp.Table) else None


def _statement_kind(root):
    node = root
    while isinstance(node, (exp.Subquery, exp.Paren)) and node.this is not None:
        node = node.this
    if isinstance(node, (exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Values)):
        return "select"
    if isinstance(node, exp.Insert):
        return "insert"
    if isinstance(node, exp.Update):
        return "update"
    if isinstance(node, (exp.Delete, exp.TruncateTable)):
        return "delete"
    if isinstance(node, exp.Merge):
        return "merge"
    ddl_types = tuple(getattr(exp, n) for n in ("Create", "Alter", "AlterTable", "Drop") if hasattr(exp, n))
    if isinstance(node, ddl_types):
        return "ddl"
    return "other"


_TABLE_LIKE = {"TABLE", "VIEW", "MATERIALIZED VIEW"}


def _ancestors(node, stop):
    node = node.parent
    while node is not None and node is not stop:
        yield node
        node = node.parent


def _targets(root):
    """Map id(exp.Table) -> 'writes' | 'schema' | 'skip' for the statement targets inside `root`.
    ('skip': the name of a non-table object such as an index in DROP INDEX.)"""
    targets = {}

    def mark(node, mode):
        t = _unwrap_table(node)
        if t is not None:
            targets.setdefault(id(t), mode)

    for node in root.walk():
        if isinstance(node, exp.Insert):
            mark(node.this, "writes")
        elif isinstance(node, exp.Update):
            mark(node.this, "writes")  # MERGE's WHEN … THEN UPDATE has no table: nothing marked
        elif isinstance(node, exp.Delete):
            mark(node.this, "writes")
        elif isinstance(node, exp.Merge):
            mark(node.this, "writes")
        elif isinstance(node, exp.TruncateTable):
            for t in node.expressions:
                mark(t, "writes")
        elif isinstance(node, exp.Create):
            target = node.this
            kind = str(node.args.get("kind") or "").upper()
            if isinstance(target, exp.Index):
                mark(target.args.get("table"), "schema")
            else:
                # CREATE TABLE / VIEW name; the name of anything else (SCHEMA, SEQUENCE,
                # FUNCTION, …) is not a table
                mark(target, "schema" if kind in _TABLE_LIKE else "skip")
        elif type(node).__name__ in ("Alter", "AlterTable"):
            kind = str(node.args.get("kind") or "TABLE").upper()
            mark(node.this, "schema" if kind in _TABLE_LIKE else "skip")
            for t in node.find_all(exp.Table):
                # the new name of ALTER … RENAME TO, and anything under ALTER INDEX/SEQUENCE/…,
                # is not an access
                renamed = any(type(a).__name__ in ("AlterRename", "RenameTable") for a in _ancestors(t, node))
                if renamed or kind not in _TABLE_LIKE:
                    targets.setdefault(id(t), "skip")
        elif isinstance(node, exp.Drop):
            kind = str(node.args.get("kind") or "").upper()
            mode = "schema" if kind in _TABLE_LIKE else "skip"  # DROP INDEX idx names no table
            if node.this is not None:
                mark(node.this, mode)
            for t in node.args.get("tables") or []:
                mark(t, mode)
            for t in node.args.get("expressions") or []:
                mark(t, mode)
    return targets


_NOT_A_TABLE_PARENTS = tuple(
    getattr(exp, n) for n in ("Reference", "ForeignKey", "Opclass") if hasattr(exp, n)
)


def _excluded(table):
    """Tables under REFERENCES / FOREIGN KEY, an index operator class or SQLite's
    `INDEXED BY index` (kept by sqlglot as a Table in the `indexed` arg) are not accesses."""
    if table.arg_key == "indexed":
        return True
    node = table.parent
    while node is not None:
        if isinstance(node, _NOT_A_TABLE_PARENTS):
            return True
        node = node.parent
    return False


def analyse_tree(root):
    res = {"reads": set(), "writes": set(), "schema": set(), "dynamic_tables": 0}
    cte_names = set()
    for cte in root.find_all(exp.CTE):
        if cte.alias:
            cte_names.add(cte.alias.lower())
    targets = _targets(root)
    for t in root.find_all(exp.Table):
        if _excluded(t):
            continue
        name = table_name(t)
        if not name:
            continue
        if DYN_RE.match(name.split(".")[-1]):
            res["dynamic_tables"] += 1
            continue
        mode = targets.get(id(t), "reads")
        if mode == "skip":
            continue
        if mode == "reads" and "." not in name and name in cte_names:
            continue
        res[mode].add(name)
    return res


# ---------------------------------------------------------------- lexical fallback (§3)

_NOT_NAMES = {
    "select", "set", "values", "value", "where", "lateral", "only", "table", "if", "default", "of",
    "with", "on", "using", "as", "join", "from", "into", "by", "order", "group", "limit", "top",
    "unnest", "not", "exists", "and", "or", "(", ")", "nothing",
}


_LEX_RE = re.compile(
    r"'(?:[^']|'')*'"            # string literal (skipped)
    r"|--[^\n]*|/\*.*?\*/"       # comments (skipped)
    r'|"(?:[^"]|"")*"'           # quoted identifiers
    r"|`[^`]*`|\[[^\]]*\]"
    r"|[A-Za-z_#][\w$#]*"        # words
    r"|\S",                      # any other character
    re.DOTALL,
)


def _tokens(sql):
    """(text, quoted) tokens for the lexical fallback. sqlglot's own tokenizer turns the rest of an
    unsupported statement (REPLACE …, SET …) into a single string token, so a small scanner is used."""
    out = []
    for m in _LEX_RE.finditer(sql):
        text = m.group(0)
        if text.startswith(("'", "--", "/*")):
            continue
        if text[0] in '"`[':
            out.append((text[1:-1], True))
        else:
            out.append((text, False))
    return out


def _read_name(tokens, i):
    """Dotted name starting at tokens[i]; returns (name parts, next index) or (None, i)."""
    parts = []
    j = i
    while j < len(tokens):
        text, quoted = tokens[j]
        if not quoted and (text.lower() in _NOT_NAMES or not re.match(r"^[A-Za-z_#][\w$#]*$", text)):
            break
        parts.append(text)
        j += 1
        if j < len(tokens) and tokens[j][0] == "." and j + 1 < len(tokens):
            j += 1
            continue
        break
    return (parts or None), j


_TABLE_MODIFIERS = {"OR", "REPLACE", "TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "VIRTUAL"}


def lexical_fallback(sql, dialect):
    tokens = _tokens(sql)
    res = {"reads": set(), "writes": set(), "schema": set(), "dynamic_tables": 0}
    upper = [t.upper() if not q else "" for t, q in tokens]

    def add(mode, start):
        parts, _ = _read_name(tokens, start)
        if not parts:
            return
        name = normalise_parts(parts)
        if DYN_RE.match(name.split(".")[-1]):
            res["dynamic_tables"] += 1
        elif name:
            res[mode].add(name)

    i = 0
    while i < len(tokens):
        w = upper[i]
        nxt = upper[i + 1] if i + 1 < len(tokens) else ""
        if w == "DELETE" and nxt == "FROM":
            add("writes", i + 2)
            i += 2
            continue
        if w in ("INTO", "UPDATE"):
            add("writes", i + 1)
        elif w == "TRUNCATE":
            add("writes", i + 2 if nxt == "TABLE" else i + 1)
        elif w in ("CREATE", "ALTER", "DROP"):
            # CREATE [OR REPLACE] [TEMP|TEMPORARY|UNLOGGED|GLOBAL|LOCAL] TABLE [IF [NOT] EXISTS] name
            j = i + 1
            while j < len(tokens) and upper[j] in _TABLE_MODIFIERS:
                j += 1
            if j < len(tokens) and upper[j] == "TABLE":
                j += 1
                while j < len(tokens) and upper[j] in ("IF", "NOT", "EXISTS"):
                    j += 1
                add("schema", j)
                i = j
                continue
        elif w in ("FROM", "JOIN"):
            add("reads", i + 1)
        i += 1
    return res, _lexical_kind(upper)


def _lexical_kind(upper):
    words = [w for w in upper if w]
    if not words:
        return "other"
    first = words[0]
    if first == "WITH":
        depth = 0
        for w in upper:
            if w == "(":
                depth += 1
            elif w == ")":
                depth -= 1
            elif depth == 0 and w in ("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"):
                first = w
                break
        else:
            first = "SELECT"
    return {
        "SELECT": "select", "INSERT": "insert", "REPLACE": "insert", "UPSERT": "insert",
        "UPDATE": "update", "DELETE": "delete", "TRUNCATE": "delete", "MERGE": "merge",
        "CREATE": "ddl", "ALTER": "ddl", "DROP": "ddl",
    }.get(first, "other")


# ---------------------------------------------------------------- sqlglot reading of one statement

def sqlglot_analyse(sql, dialect):
    """Returns dict(kind, reads, writes, schema, dynamic_tables, approximate, note)."""
    gdialect = SQLGLOT_DIALECT.get((dialect or "postgres").lower(), "postgres")
    parsed, note = None, ""
    for attempt, text in enumerate((sql, normalise_placeholders(sql))):
        if attempt == 1 and text == sql:
            break
        try:
            stmts = [s for s in sqlglot.parse(text, read=gdialect) if s is not None]
            if stmts:
                parsed = stmts
                if attempt == 1:
                    note = "parsed after placeholder normalisation"
                break
        except (ParseError, TokenError) as e:
            note = "sqlglot parse error: " + str(e).splitlines()[0][:120]
        except Exception as e:  # sqlglot can raise other errors on odd input
            note = f"sqlglot error {type(e).__name__}: " + str(e).splitlines()[0][:120] if str(e) else type(e).__name__
    if parsed is None or any(isinstance(s, exp.Command) for s in parsed):
        if parsed is not None:
            note = "sqlglot parsed it only as an opaque Command"
        res, kind = lexical_fallback(sql, gdialect)
        return _finish(res, kind, True, note)
    res = {"reads": set(), "writes": set(), "schema": set(), "dynamic_tables": 0}
    for s in parsed:
        r = analyse_tree(s)
        for m in MODES:
            res[m] |= r[m]
        res["dynamic_tables"] += r["dynamic_tables"]
    return _finish(res, _statement_kind(parsed[0]), False, note)


def _finish(res, kind, approximate, note):
    return {
        "kind": kind,
        "reads": sorted(res["reads"]),
        "writes": sorted(res["writes"]),
        "schema": sorted(res["schema"]),
        "dynamic_tables": res["dynamic_tables"],
        "approximate": approximate,
        "note": note,
    }


# ---------------------------------------------------------------- seamline

def run_seamline(binary, corpus):
    """Returns ({id: result}, error message or None)."""
    if not os.path.exists(binary):
        return None, f"seamline binary `{binary}` not found"
    payload = [{"id": e["id"], "dialect": e.get("dialect", "postgres"), "sql": e["sql"]} for e in corpus]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(payload, f)
        path = f.name
    try:
        proc = subprocess.run([binary, "sql", "--input", path], capture_output=True, text=True, timeout=600)
    except Exception as e:
        return None, f"running seamline failed: {e}"
    finally:
        os.unlink(path)
    if proc.returncode != 0:
        return None, f"`seamline sql` exited {proc.returncode}: {proc.stderr.strip()[:300]}"
    try:
        data = json.loads(proc.stdout)
    except ValueError as e:
        return None, f"`seamline sql` printed invalid JSON: {e}"
    return {r["id"]: r for r in data if isinstance(r, dict) and "id" in r}, None


# ---------------------------------------------------------------- comparison

def triples(r):
    return {(name, MODE_WORD[m]) for m in MODES for name in (r.get(m) or [])}


def canon(r):
    return {
        "kind": r.get("kind"),
        "reads": sorted(set(r.get("reads") or [])),
        "writes": sorted(set(r.get("writes") or [])),
        "schema": sorted(set(r.get("schema") or [])),
        "dynamic_tables": int(r.get("dynamic_tables") or 0),
        "approximate": bool(r.get("approximate", False)),
    }


EMPTY = {"kind": None, "reads": [], "writes": [], "schema": [], "dynamic_tables": 0, "approximate": False}


def compare(items, a_name, b_name, check_approximate):
    """items: list of (key, sql, dialect, a_result, b_result). Returns a summary dict."""
    n = tp = na = nb = 0
    kind_mismatch = 0
    disagreements = []
    for key, sql, dialect, a, b in items:
        missing = [name for name, r in ((a_name, a), (b_name, b)) if r is None]
        if len(missing) == 2:
            continue
        a = canon(a) if a is not None else EMPTY
        b = canon(b) if b is not None else EMPTY
        n += 1
        ta, tb = triples(a), triples(b)
        common = ta & tb
        tp += len(common)
        na += len(ta)
        nb += len(tb)
        reasons = [f"no {m} result" for m in missing]
        if ta != tb:
            only_a = sorted(ta - tb)
            only_b = sorted(tb - ta)
            if only_a:
                reasons.append(f"only {a_name}: " + ", ".join(f"{t} ({m})" for t, m in only_a))
            if only_b:
                reasons.append(f"only {b_name}: " + ", ".join(f"{t} ({m})" for t, m in only_b))
        if a["kind"] != b["kind"] and not missing:
            kind_mismatch += 1
            reasons.append(f"kind {a['kind']} vs {b['kind']}")
        if a["dynamic_tables"] != b["dynamic_tables"] and not missing:
            reasons.append(f"dynamic_tables {a['dynamic_tables']} vs {b['dynamic_tables']}")
        if check_approximate and not missing and a["approximate"] != b["approximate"]:
            reasons.append(f"approximate {a['approximate']} vs {b['approximate']}")
        if reasons:
            disagreements.append((key, sql, dialect, a, b, reasons))
    return {
        "pair": f"{a_name} vs {b_name}",
        "a": a_name,
        "b": b_name,
        "n": n,
        "tp": tp,
        "na": na,
        "nb": nb,
        "precision": (tp / na) if na else 1.0,
        "recall": (tp / nb) if nb else 1.0,
        "kind_mismatch": kind_mismatch,
        "disagreements": disagreements,
    }


def shorten(sql, limit=160):
    sql = " ".join(sql.split())
    return sql if len(sql) <= limit else sql[: limit - 1] + "…"


def fmt_side(r):
    parts = [f"kind={r['kind']}"]
    for m in MODES:
        parts.append(f"{m}=[{', '.join(r[m])}]")
    if r["dynamic_tables"]:
        parts.append(f"dynamic_tables={r['dynamic_tables']}")
    if r["approximate"]:
        parts.append("approximate")
    return " ".join(parts)


def md_escape(text):
    return text.replace("`", "'")


def render(title, summaries, notes, sqlglot_notes):
    out = [f"## {title}", ""]
    for n in notes:
        out.append(f"- {n}")
    if notes:
        out.append("")
    out.append("| pair | statements compared | (statement, table, mode) A / B / common | precision | recall | kind mismatches | disagreeing statements |")
    out.append("|---|---:|---:|---:|---:|---:|---:|")
    for s in summaries:
        out.append(
            f"| {s['pair']} | {s['n']} | {s['na']} / {s['nb']} / {s['tp']} | {s['precision']:.4f} | {s['recall']:.4f} "
            f"| {s['kind_mismatch']} | {len(s['disagreements'])} |"
        )
    out.append("")
    out.append("Precision = common / |A|, recall = common / |B|, for the pair \"A vs B\".")
    out.append("")
    for s in summaries:
        out.append(f"### {s['pair']}: {len(s['disagreements'])} disagreeing statement(s)")
        out.append("")
        for key, sql, dialect, a, b, reasons in s["disagreements"]:
            out.append(f"- `{key}` ({dialect}): `{md_escape(shorten(sql))}`")
            out.append(f"  - {s['a']}: {fmt_side(a)}")
            out.append(f"  - {s['b']}: {fmt_side(b)}")
            out.append(f"  - {'; '.join(reasons)}")
            if s["a"] == "sqlglot" or s["b"] == "sqlglot":
                note = sqlglot_notes.get(key)
                if note:
                    out.append(f"  - sqlglot note: {note}")
        if not s["disagreements"]:
            out.append("(none)")
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="hand-written corpus JSON (default tests/sql/corpus.json unless --report is given)")
    ap.add_argument("--report", help="seamline analysis JSON with a top-level `sql` array")
    ap.add_argument("--seamline", default="target/release/seamline", help="seamline binary")
    ap.add_argument("--no-seamline", action="store_true", help="do not run seamline (compare sqlglot with the corpus only)")
    ap.add_argument("--output", help="write the Markdown here instead of stdout")
    args = ap.parse_args()

    out = ["# SQL differential check (seamline / sqlglot / hand expectations)", ""]
    if sqlglot is None:
        out.append("sqlglot is not installed: `pip install sqlglot` (e.g. in a venv) and run again.")
        emit("\n".join(out) + "\n", args.output)
        return 0
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    out.append(f"sqlglot {getattr(sqlglot, '__version__', '?')}")
    out.append("")

    corpus_path = args.corpus
    if not corpus_path and not args.report:
        corpus_path = "tests/sql/corpus.json"

    if corpus_path:
        try:
            with open(corpus_path) as f:
                corpus = json.load(f)
        except (OSError, ValueError) as e:
            out.append(f"Cannot read corpus `{corpus_path}`: {e}")
            corpus = None
        if corpus is not None:
            out.append(corpus_section(corpus, corpus_path, args))
    if args.report:
        try:
            with open(args.report) as f:
                report = json.load(f)
            entries = report.get("sql") or []
        except (OSError, ValueError, AttributeError) as e:
            out.append(f"Cannot read report `{args.report}`: {e}")
            entries = None
        if entries is not None:
            out.append(report_section(entries, args.report))
    emit("\n".join(out) + "\n", args.output)
    return 0


def emit(text, path):
    if path:
        with open(path, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


def corpus_section(corpus, path, args):
    notes = []
    by_dialect, by_kind = {}, {}
    for e in corpus:
        by_dialect[e.get("dialect", "postgres")] = by_dialect.get(e.get("dialect", "postgres"), 0) + 1
        by_kind[e.get("kind")] = by_kind.get(e.get("kind"), 0) + 1
    notes.append(
        f"corpus `{path}`: {len(corpus)} statements; by dialect: "
        + ", ".join(f"{d} {n}" for d, n in sorted(by_dialect.items()))
        + "; by kind: "
        + ", ".join(f"{k} {by_kind[k]}" for k in KINDS if k in by_kind)
    )
    glot, glot_notes = {}, {}
    fallback = 0
    for e in corpus:
        r = sqlglot_analyse(e["sql"], e.get("dialect"))
        glot[e["id"]] = r
        if r["note"]:
            glot_notes[e["id"]] = r["note"]
        fallback += r["approximate"]
    notes.append(f"sqlglot could not parse {fallback} statements fully and used the lexical fallback on them")
    seam = None
    if args.no_seamline:
        notes.append("seamline skipped (--no-seamline)")
    else:
        seam, err = run_seamline(args.seamline, corpus)
        if err:
            notes.append(f"seamline skipped: {err}")
        elif seam is not None:
            missing = [e["id"] for e in corpus if e["id"] not in seam]
            if missing:
                notes.append(
                    f"seamline returned no result for {len(missing)} statement(s) (counted as disagreements): "
                    + ", ".join(missing[:20])
                )

    def items(a_of, b_of):
        return [(e["id"], e["sql"], e.get("dialect", "postgres"), a_of(e), b_of(e)) for e in corpus]

    expected = lambda e: e  # noqa: E731
    summaries = []
    if seam is not None:
        summaries.append(compare(items(lambda e: seam.get(e["id"]), expected), "seamline", "expected", True))
    summaries.append(compare(items(lambda e: glot[e["id"]], expected), "sqlglot", "expected", False))
    if seam is not None:
        summaries.append(compare(items(lambda e: seam.get(e["id"]), lambda e: glot[e["id"]]), "seamline", "sqlglot", False))
    return render("Corpus", summaries, notes, glot_notes)


def report_section(entries, path):
    notes = [f"report `{path}`: {len(entries)} SQL statements"]
    its, glot_notes = [], {}
    for e in entries:
        key = f"{e.get('path', '?')}:{e.get('line', '?')}"
        sql = e.get("text") or ""
        dialect = e.get("dialect") or "postgres"
        r = sqlglot_analyse(sql, dialect)
        if r["note"]:
            glot_notes[key] = r["note"]
        its.append((key, sql, dialect, e, r))
    summary = compare(its, "seamline", "sqlglot", False)
    return render("Report", [summary], notes, glot_notes)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # a review tool: report, never fail
        print(f"sqlglot-diff: internal error: {type(e).__name__}: {e}")
    sys.exit(0)
