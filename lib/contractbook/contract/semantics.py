"""Semantic checks beyond the ODCS schema: keys, references, identifiers, regexes, SQL rules."""

from __future__ import annotations

import re

from .errors import Problem
from .kinds import by_field
from .model import Contract, Table
from .source import Source

# Names are quoted everywhere (contractbook.sqltext), so any text is a name: capitals, spaces,
# any script and SQL syntax (; ' " ` \ . , ( )). Refused only what no step can carry: control
# characters (CSV headers and dlt's load files cannot hold a line break in a name), spaces around
# the name (dlt strips them) and, in table names, `/` (a table's default file is <name>.csv).
_BAD_NAME = re.compile(r"[\x00-\x1f\x7f]|^\s|\s\Z")
_BAD_TABLE = re.compile(r"/")
_NAME_FIX = "drop control characters and spaces around the name (anything else is quoted)"
# Type kinds that may reference each other through a foreign key.
_FAMILY = by_field("family")
# Library metrics the pipeline enforces; anything else is reported as not enforced.
_ENFORCED_METRICS = {"invalidValues"}
# Property-level fields the pipeline reads; present-but-unused ones are listed as warnings.
_UNENFORCED_OPTIONS = ("multipleOf",)


def _keys(src: Source, table: Table, path_suffix: list) -> list:
    i = next(i for i, o in enumerate(src.data.get("schema") or []) if o.get("name") == table.name)
    return ["schema", i, *path_suffix]


def _prop_index(src: Source, table: Table, column: str) -> int:
    tkeys = _keys(src, table, [])
    props = (src.data.get("schema") or [])[tkeys[1]].get("properties") or []
    return next(j for j, p in enumerate(props) if p.get("name") == column)


def _name_problem(name, table: bool) -> str | None:
    """Why name cannot be a table (table=True) or column name; None when it can."""
    if not isinstance(name, str) or not name:
        return "is not a non-empty text"
    if m := _BAD_NAME.search(name):
        return (
            f"contains the control character U+{ord(m.group()):04X}"
            if not m.group().isspace() or m.group() in "\t\n\r\x0b\x0c"
            else "has a space at its start or end"
        )
    if table and _BAD_TABLE.search(name):
        return "contains `/` (a table's default input file is <name>.csv)"
    return None


def _duplicates(src: Source, keys: list, items: list, message: str, fix: str) -> list[Problem]:
    """A problem for every repeated name: by name, then by the engine's name (physicalName or
    name) among those whose names differ; message is formatted with the name and the key."""
    out = []
    for key in ("name", "physicalName"):
        seen: dict = {}
        for j, item in enumerate(items):
            n = item.get("name") if key == "name" else item.get("physicalName") or item.get("name")
            if n is None or (key == "physicalName" and item.get("name") in seen.get(n, ())):
                continue
            if n in seen:
                out.append(
                    src.problem(
                        keys + [j, key if item.get(key) else "name"],
                        message.format(name=n, key="name" if key == "name" else "physical name"),
                        fix,
                    )
                )
            seen.setdefault(n, set()).add(item.get("name"))
    return out


def _identifiers(src: Source, contract: Contract) -> list[Problem]:
    out = []
    objs = [o for o in src.data.get("schema") or [] if isinstance(o, dict)]
    out += _duplicates(
        src,
        ["schema"],
        objs,
        "table {key} {name!r} is declared twice",
        "give every schema object a distinct name and physicalName",
    )
    for i, obj in enumerate(objs):
        name = obj.get("name")
        for key in ("name", "physicalName"):
            if (key == "name" or obj.get(key) is not None) and (
                why := _name_problem(obj.get(key), key == "name")  # name: the input file's
            ):
                out.append(
                    src.problem(
                        ["schema", i, key], f"table {key} {obj.get(key)!r} {why}", _NAME_FIX
                    )
                )
        props = [p for p in obj.get("properties") or [] if isinstance(p, dict)]
        for j, prop in enumerate(props):
            for key in ("name", "physicalName"):
                if (key == "name" or prop.get(key) is not None) and (
                    why := _name_problem(prop.get(key), False)
                ):
                    out.append(
                        src.problem(
                            ["schema", i, "properties", j, key],
                            f"column {key} {prop.get(key)!r} {why}",
                            _NAME_FIX,
                        )
                    )
        out += _duplicates(
            src,
            ["schema", i, "properties"],
            props,
            "column {name!r} is declared twice in table "
            + repr(name).replace("{", "{{").replace("}", "}}"),
            "remove or rename the duplicate column (or its physicalName)",
        )
    return out


def _primary_keys(src: Source, contract: Contract) -> list[Problem]:
    out = []
    for t in contract.tables:
        keyed = [c for c in t.columns if c.primary_key_position is not None]
        positions = sorted(c.primary_key_position or 0 for c in keyed)
        if keyed and positions != list(range(1, len(keyed) + 1)):
            missing = sorted(set(range(1, len(keyed) + 1)) - set(positions))
            out.append(
                src.problem(
                    _keys(src, t, ["properties"]),
                    f"primary key of {t.name!r} has no column at position(s) {missing} "
                    f"(positions declared: {positions})",
                    f"number the key columns 1..{len(keyed)} with primaryKeyPosition",
                )
            )
        for c in keyed:
            if not c.required:
                out.append(
                    src.problem(
                        _keys(src, t, ["properties", _prop_index(src, t, c.name), "required"]),
                        f"primary-key column {t.name}.{c.name} is not required",
                        "set `required: true` on every primary-key column",
                    )
                )
    return out


def _relationships(src: Source, contract: Contract) -> list[Problem]:
    out, names = [], set(contract.table_names)
    seen: set[str] = set()
    for r in contract.relationships:
        if r.id in seen:
            out.append(
                src.problem(
                    list(r.keys),
                    f"relationship id {r.id!r} is used twice",
                    "give each relationship its own `id`",
                )
            )
        seen.add(r.id)
    for t in contract.tables:
        for r in t.relationships:
            keys = list(r.keys)
            if r.to_table not in names:
                out.append(
                    src.problem(
                        keys + ["to"],
                        f"relationship {r.id!r} points to table {r.to_table!r}, "
                        "which the contract does not declare",
                        f"point `to` at one of: {', '.join(sorted(names))}",
                    )
                )
                continue
            target = contract.table(r.to_table)
            if len(r.columns) != len(r.to_columns):
                out.append(
                    src.problem(
                        keys,
                        f"relationship {r.id!r} maps {len(r.columns)} column(s) "
                        f"to {len(r.to_columns)}",
                        "list as many `to` columns as `from` columns",
                    )
                )
                continue
            for frm, to in zip(r.columns, r.to_columns, strict=True):
                if frm not in t.column_names:
                    out.append(
                        src.problem(
                            keys + ["from"],
                            f"relationship {r.id!r}: table {t.name!r} has no column {frm!r}",
                            f"use one of: {', '.join(t.column_names)}",
                        )
                    )
                elif to not in target.column_names:
                    out.append(
                        src.problem(
                            keys + ["to"],
                            f"relationship {r.id!r}: table {r.to_table!r} has no column {to!r}",
                            f"use one of: {', '.join(target.column_names)}",
                        )
                    )
                elif _FAMILY[t.column(frm).type.kind] != _FAMILY[target.column(to).type.kind]:
                    out.append(
                        src.problem(
                            keys + ["to"],
                            f"relationship {r.id!r}: {t.name}.{frm} ({t.column(frm).type}) "
                            f"cannot reference {r.to_table}.{to} ({target.column(to).type})",
                            "give both columns the same logical type",
                        )
                    )
            if r.on_violation not in ("reject", "warn"):
                out.append(
                    src.problem(
                        keys + ["customProperties"],
                        f"onViolation {r.on_violation!r} is not known",
                        "use `reject` or `warn`",
                    )
                )
            referenced = set(r.to_columns)
            unique = {c.name for c in target.columns if c.unique}
            if (
                referenced != set(target.primary_key)
                and not referenced <= unique
                and all(c in target.column_names for c in referenced)
            ):
                out.append(
                    src.problem(
                        keys + ["to"],
                        f"relationship {r.id!r} references "
                        f"{r.to_table}({', '.join(r.to_columns)}), "
                        "which is neither its primary key nor unique",
                        "reference the target's primary key, or declare the target column unique",
                        severity="warning",
                    )
                )
    return out


def _regexes(src: Source, contract: Contract) -> list[Problem]:
    out = []
    for t in contract.tables:
        for c in t.columns:
            if c.pattern is None:
                continue
            try:
                re.compile(c.pattern)
            except re.error as e:
                out.append(
                    src.problem(
                        _keys(
                            src,
                            t,
                            [
                                "properties",
                                _prop_index(src, t, c.name),
                                "logicalTypeOptions",
                                "pattern",
                            ],
                        ),
                        f"pattern {c.pattern!r} of {t.name}.{c.name} does not compile: {e}",
                        "write a valid regular expression (escape special characters)",
                    )
                )
    return out


def _sql(src: Source, contract: Contract) -> list[Problem]:
    """Each `type: sql` rule was parsed once at load (sqlrules.check): refusals are errors."""
    out = []
    for s in contract.sql_rules:
        keys = list(s.keys) + ["query"]
        if s.refused.startswith("does not parse"):
            out.append(
                src.problem(
                    keys,
                    f"SQL rule {s.id!r} {s.refused}",
                    "write the query in DuckDB/ANSI SQL returning one number",
                )
            )
        elif s.refused:
            out.append(
                src.problem(
                    keys,
                    f"SQL rule {s.id!r} is refused: {s.refused}",
                    "write one read-only SELECT on the contract's tables "
                    f"({', '.join(contract.table_names)})",
                )
            )
        elif s.rows_query is None and (bad := _threshold_problem(s)):
            out.append(
                src.problem(
                    list(s.keys),
                    f"SQL rule {s.id!r}: {bad}",
                    "write one of mustBe, mustNotBe, mustBeGreaterThan, mustBeGreaterOrEqualTo, "
                    "mustBeLessThan, mustBeLessOrEqualTo (one value) or mustBeBetween, "
                    "mustNotBeBetween ([low, high])",
                )
            )
        elif s.rows_query is None:
            out.append(
                src.problem(
                    list(s.keys),
                    f"SQL rule {s.id!r} returns one value, not failing rows: ingest enforces "
                    "it as a table-level check on the accepted rows (no failing row can be "
                    "shown or rejected)",
                    "to reject rows, write SELECT COUNT(*) FROM (<failing rows>) with mustBe: 0",
                    severity="warning",
                )
            )
        elif bounds := _tolerance(src, s):
            out.append(
                src.problem(
                    list(s.keys),
                    f"SQL rule {s.id!r}: ingest rejects every row its query returns, so "
                    f"{bounds} is not applied (read as mustBe: 0)",
                    "write mustBe: 0, or expect each failing row to be rejected",
                    severity="warning",
                )
            )
    return out


def _threshold_problem(s) -> str:
    """Why a table-level rule's thresholds cannot be applied ('' when they can)."""
    from .thresholds import bounds_problem

    for op, threshold in s.thresholds:
        try:
            if why := bounds_problem(op, threshold):
                return why
        except ValueError as e:
            return str(e)
    return ""


def _tolerance(src: Source, s) -> str:
    """The rule's thresholds other than `mustBe: 0`, as written ('' when there are none)."""
    q = src.data
    for k in s.keys:
        q = q[k]
    found = {k: v for k, v in q.items() if k.startswith("must")}
    return "" if found in ({}, {"mustBe": 0}) else ", ".join(f"{k}: {v}" for k, v in found.items())


def _rule_name(q: dict):
    """What a quality rule is called: its id, metric, rule or type."""
    return q.get("id") or q.get("metric") or q.get("rule") or q.get("type")


def _unenforced(src: Source, contract: Contract) -> list[Problem]:
    """Everything declared that the pipeline does not enforce, as warnings."""
    out = []
    for i, obj in enumerate(src.data.get("schema") or []):
        for j, p in enumerate(obj.get("properties") or []):
            for k, q in enumerate(p.get("quality") or []):
                v30_rule = q.get("rule") and not q.get("metric") and q["rule"] != "validValues"
                if (
                    q.get("type", "library") in ("text", "custom")
                    or v30_rule
                    or (q.get("metric") and q["metric"] not in _ENFORCED_METRICS)
                ):
                    out.append(
                        src.problem(
                            ["schema", i, "properties", j, "quality", k],
                            f"quality rule {_rule_name(q)!r} is declared but not enforced "
                            "by contractbook",
                            "express it as logicalTypeOptions, required/unique, "
                            "or a `type: sql` rule",
                            severity="warning",
                        )
                    )
            for opt in _UNENFORCED_OPTIONS:
                if opt in (p.get("logicalTypeOptions") or {}):
                    out.append(
                        src.problem(
                            ["schema", i, "properties", j, "logicalTypeOptions", opt],
                            f"{opt} is declared but not enforced by contractbook",
                            "",
                            severity="warning",
                        )
                    )
        for k, q in enumerate(obj.get("quality") or []):
            if q.get("type") in ("text", "custom", "library", None):
                out.append(
                    src.problem(
                        ["schema", i, "quality", k],
                        f"table-level quality rule "
                        f"{q.get('id') or q.get('metric') or q.get('rule') or k!r}"
                        " is declared but not enforced by contractbook",
                        "write it as a `type: sql` rule",
                        severity="warning",
                    )
                )
    for key in ("slaProperties", "price", "roles"):
        if src.data.get(key):
            out.append(
                src.problem(
                    [key],
                    f"`{key}` is documentation only; contractbook does not enforce it",
                    "",
                    severity="warning",
                )
            )
    return out


# Control characters no engine stores faithfully in names, comments or metadata (TAB, LF, CR ok).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _strings(node, keys: list):
    """(keys, text) for every string (keys and values) in the contract document."""
    if isinstance(node, str):
        yield keys, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(k, keys)
            yield from _strings(v, keys + [k])
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, keys + [i])


def _control_characters(src: Source, contract: Contract) -> list[Problem]:
    """Text with NUL or other control characters: refused (cannot reach SQL or catalogs intact)."""
    out = []
    for keys, text in _strings(src.data, []):
        if m := _CONTROL.search(text):
            out.append(
                src.problem(
                    keys,
                    f"text contains the control character U+{ord(m.group()):04X}"
                    f" at position {m.start()}",
                    "remove it (tab, CR and LF are allowed)",
                )
            )
    return out


CHECKS = (
    _control_characters,
    _identifiers,
    _primary_keys,
    _relationships,
    _regexes,
    _sql,
    _unenforced,
)


def check(src: Source, contract: Contract) -> list[Problem]:
    """Run every semantic check; returns all problems (errors and warnings)."""
    return [p for fn in CHECKS for p in fn(src, contract)]
