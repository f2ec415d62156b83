"""Load an ODCS contract: YAML -> ODCS schema and model -> contractbook model -> semantic checks."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ContractError, Problem
from .model import Column, Contract, Relationship, SqlRule, Table
from .semantics import check
from .source import Key, Source
from .types import TypeProblem, resolve_noted
from .versions import VERSIONS, schema_path

SUPPORTED_API_VERSIONS = tuple(VERSIONS)
# Versions whose contracts the open-data-contract-standard package's pydantic model (v3.2) reads.
MODEL_VERSIONS = ("v3.1.0", "v3.2.0")


@lru_cache(maxsize=8)
def _odcs_validator(api: str):
    from contractbook.fastimport import jsonschema as _jsonschema

    jsonschema = _jsonschema()
    text = schema_path(api).read_text(encoding="utf-8")
    return jsonschema.Draft202012Validator(json.loads(text))


def _schema_problems(src: Source, api: str) -> list[Problem]:
    """ODCS JSON Schema violations (the contract's own version's schema), most specific first."""
    if not schema_path(api).exists():
        return [
            src.problem(
                ["apiVersion"],
                f"the JSON Schema of ODCS {api} is not installed (expected {schema_path(api)})",
                "run `make setup`: it downloads the official schemas into the venv",
            )
        ]
    validator = _odcs_validator(api)  # first: it imports jsonschema the fast way
    from jsonschema.exceptions import best_match

    problems = []
    for err in sorted(validator.iter_errors(src.data), key=lambda e: list(e.absolute_path)):
        err = best_match([err]) if not err.context else best_match(err.context)
        keys = list(err.absolute_path)
        problems.append(
            src.problem(
                keys,
                f"not valid ODCS: {err.message}",
                f"see the ODCS {api} reference for this field",
            )
        )
    return problems


def _v32_fields(data: dict) -> list[tuple[str, list[Key]]]:
    """(field, keys) of the v3.2 fields contractbook reads natively: relationship `id`, `enum`."""
    out: list[tuple[str, list[Key]]] = []
    for i, obj in enumerate(data.get("schema") or []):
        if not isinstance(obj, dict):
            continue
        for k, rel in enumerate(obj.get("relationships") or []):
            if isinstance(rel, dict) and "id" in rel:
                out.append(("relationship `id`", ["schema", i, "relationships", k, "id"]))
        for j, prop in enumerate(obj.get("properties") or []):
            if not isinstance(prop, dict):
                continue
            if "enum" in prop:
                out.append(("`enum`", ["schema", i, "properties", j, "enum"]))
            for k, rel in enumerate(prop.get("relationships") or []):
                if isinstance(rel, dict) and "id" in rel:
                    out.append(
                        (
                            "relationship `id`",
                            ["schema", i, "properties", j, "relationships", k, "id"],
                        )
                    )
    return out


def _without(data: dict, keys_list: list[list[Key]]) -> dict:
    """A deep copy of data without the elements at keys_list."""
    import copy

    out = copy.deepcopy(data)
    for keys in keys_list:
        cur = out
        for k in keys[:-1]:
            cur = cur[k]
        cur.pop(keys[-1], None)
    return out


def _forward_problems(src: Source, api: str) -> tuple[Source, list[Problem]]:
    """For contracts older than v3.2: the v3.2 fields read anyway, one warning per field kind."""
    found = _v32_fields(src.data) if api != "v3.2.0" else []
    if not found:
        return src, []
    warnings = []
    for name in dict.fromkeys(f for f, _ in found):
        where = [keys for f, keys in found if f == name]
        warnings.append(
            src.problem(
                where[0],
                f"{name} is ODCS v3.2, not {api}: read anyway "
                f"({len(where)} place(s)); the {api} schema is checked "
                "without it",
                "declare `apiVersion: v3.2.0`",
                severity="warning",
            )
        )
    return Source(src.file, _without(src.data, [k for _, k in found]), src._root), warnings


def _model_problems(src: Source) -> list[Problem]:
    """What the open-data-contract-standard package's pydantic model refuses."""
    import pydantic
    from open_data_contract_standard.model import OpenDataContractStandard

    try:
        OpenDataContractStandard(**src.data)
    except pydantic.ValidationError as e:
        return [
            src.problem(
                [k for k in err["loc"] if k != "schema_"],
                f"not valid ODCS: {err['msg']}",
                "see the ODCS v3.1 reference",
            )
            for err in e.errors()
        ]
    return []


def _enum_value(e):
    """One ODCS 3.2 enum entry (`{value: x}`); a bare value is read as itself."""
    return e.get("value") if isinstance(e, dict) else e


def _allowed_values(
    src: Source, keys: list[Key], prop: dict
) -> tuple[tuple | None, str | None, list]:
    """Allowed values: ODCS 3.1 invalidValues/validValues, 3.0 `rule: validValues` or 3.2 enum."""
    found, problems = [], []
    if prop.get("enum") is not None:
        found.append(("enum", tuple(_enum_value(e) for e in prop["enum"]), keys + ["enum"]))
    for i, q in enumerate(prop.get("quality") or []):
        valid = (q.get("arguments") or {}).get("validValues")
        if q.get("metric") == "invalidValues" and valid is not None:
            found.append(
                ("validValues", tuple(valid), keys + ["quality", i, "arguments", "validValues"])
            )
        elif q.get("rule") == "validValues" and not q.get("metric"):
            where = keys + ["quality", i]
            valid = q.get("validValues", (q.get("arguments") or {}).get("validValues"))
            if valid is not None:
                found.append(("validValues", tuple(valid), where + ["validValues"]))
                problems.append(
                    src.problem(
                        where,
                        "ODCS v3.0 `rule: validValues` is read as "
                        "`metric: invalidValues` with arguments.validValues",
                        "write it in the v3.1 form",
                        severity="warning",
                    )
                )
    for form, values, where in found:
        if not values:
            problems.append(
                src.problem(
                    where,
                    f"the {form} list is empty",
                    "list at least one allowed value, or remove the rule",
                )
            )
    if len({v for _, v, _ in found}) > 1:
        problems.append(
            src.problem(
                keys, "`enum` and `validValues` disagree", "keep one list of allowed values"
            )
        )
    if not found:
        return None, None, problems
    form, values, _ = found[0]
    return values, form, problems


def _column(src: Source, keys: list[Key], prop: Any) -> tuple[Column | None, list[Problem]]:
    opts = prop.get("logicalTypeOptions") or {}
    try:
        ctype, notes = resolve_noted(prop.get("logicalType"), prop.get("physicalType"), opts)
    except TypeProblem as e:
        return None, [
            src.problem(
                keys + ["physicalType" if prop.get("physicalType") else "logicalType"],
                f"column {prop.get('name')!r}: {e}",
                "give the column a supported logicalType and physicalType "
                "(engine spellings such as int4, NUMBER or INT64 are read too)",
            )
        ]
    values, form, problems = _allowed_values(src, keys, prop)
    problems += [
        src.problem(
            keys + ["physicalType"],
            f"column {prop.get('name')!r}: {n}",
            "declare the logicalType that matches the physicalType",
            severity="warning",
        )
        for n in notes
    ]
    pk = prop.get("primaryKey")
    position = prop.get("primaryKeyPosition") if pk else None
    required = bool(prop.get("required"))
    if pk and not required:
        required = True
        problems.append(
            src.problem(
                keys,
                f"primary-key column {prop.get('name')!r} is not "
                "`required`: read as required (NOT NULL in the DDL, empty "
                "values rejected), as every engine's PRIMARY KEY implies",
                "set `required: true` to say so",
                severity="warning",
            )
        )
    col = Column(
        name=prop.get("name"),
        type=ctype,
        logical_type=prop.get("logicalType"),
        physical_type=prop.get("physicalType"),
        required=required,
        physical_name=prop.get("physicalName"),
        description=(prop.get("description") or "").strip(),
        unique=bool(prop.get("unique")),
        primary_key_position=(position if position not in (None, -1) else (0 if pk else None)),
        classification=prop.get("classification"),
        tags=tuple(prop.get("tags") or ()),
        pattern=opts.get("pattern"),
        minimum=opts.get("minimum"),
        maximum=opts.get("maximum"),
        exclusive_minimum=opts.get("exclusiveMinimum"),
        exclusive_maximum=opts.get("exclusiveMaximum"),
        min_length=opts.get("minLength"),
        max_length=opts.get("maxLength"),
        allowed_values=values,
        allowed_values_form=form,
        format=opts.get("format"),
        path=src.path(keys),
    )
    return col, problems


# ODCS 3.1+ fully qualified reference: [file.yaml#][/]schema/<object id>/properties/<property id>
_QUALIFIED = re.compile(r"^(?:[^#]*#)?/?schema/([^/]+)/properties/([^/]+)$")


def _split_ref(
    ref: str, default_table: str | None, known: dict | None = None, ids: dict | None = None
) -> tuple[str | None, str]:
    """`table.column`, `column` inside its own table, or a fully qualified reference by ids
    (the only form ODCS 3.1+ allows for names beyond [A-Za-z0-9_-]) -> (table, column).

    Shorthand names may hold dots: the split is the one whose table and column the contract
    declares (known: {table: column names}), else the last dot.
    """
    ref = str(ref)
    if ids and (m := _QUALIFIED.match(ref)) and (m.group(1), m.group(2)) in ids:
        return ids[(m.group(1), m.group(2))]
    for i in (i for i, ch in enumerate(ref) if ch == "."):
        if ref[i + 1 :] in (known or {}).get(ref[:i], ()):
            return ref[:i], ref[i + 1 :]
    if default_table is not None and ref in (known or {}).get(default_table, ()):
        return default_table, ref
    parts = ref.rsplit(".", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (default_table, parts[0])


def _known(src: Source) -> tuple[dict, dict]:
    """{table name: column names} and {(object id, property id): (table, column)} as the
    document declares them (for resolving references)."""
    objs = [o for o in src.data.get("schema") or [] if isinstance(o, dict)]
    props = [(o, p) for o in objs for p in o.get("properties") or [] if isinstance(p, dict)]
    names = {
        o.get("name"): {p.get("name") for p in o.get("properties") or [] if isinstance(p, dict)}
        for o in objs
    }
    ids = {
        (str(o.get("id")), str(p.get("id"))): (o.get("name"), p.get("name"))
        for o, p in props
        if o.get("id") is not None and p.get("id") is not None
    }
    return names, ids


def _as_list(x) -> list:
    return x if isinstance(x, list) else [x]


def _relationship(
    src: Source, keys: list[Key], rel: Any, table: Any, column: str | None
) -> Relationship:
    known, ids = _known(src)
    frm = [_split_ref(r, table, known, ids)[1] for r in _as_list(rel.get("from") or column)]
    targets = [_split_ref(r, None, known, ids) for r in _as_list(rel.get("to") or [])]
    props = {p.get("property"): p.get("value") for p in rel.get("customProperties") or []}
    to_table = targets[0][0] if targets else None
    rid = rel.get("id") or f"{table}_{'_'.join(frm)}__{to_table}_{'_'.join(c for _, c in targets)}"
    # no `to`: to_table None, which semantics reports (the model types the valid case)
    return Relationship(
        id=rid,
        table=table,
        columns=tuple(frm),
        to_table=to_table,  # type: ignore[arg-type]
        to_columns=tuple(c for _, c in targets),
        on_violation=str(props.get("onViolation", "reject")),
        path=src.path(keys),
        keys=tuple(keys),
    )


def _sql_rule(src: Source, keys: list[Key], q: Any, table: Any) -> SqlRule:
    """The rule, parsed and checked once (sqlrules.check); a refusal is kept for semantics."""
    import sqlglot

    from . import sqlrules

    names = {
        n
        for o in src.data.get("schema") or []
        if isinstance(o, dict) and isinstance(n := o.get("name"), str)
    }
    from .thresholds import declared

    rows, tree, refused = None, None, ""
    try:
        parsed = sqlrules.check(q.get("query") or "", names)
        rows, tree = parsed.rows, parsed.tree
    except sqlrules.RuleRefused as e:
        refused = e.construct
    except sqlglot.errors.ParseError as e:
        refused = "does not parse: " + (str(e).splitlines() or [""])[0]
    return SqlRule(
        id=q.get("id") or q.get("name") or f"sql_{keys[-1]}",
        table=table,
        name=q.get("name") or "",
        description=(q.get("description") or "").strip(),
        query=q.get("query") or "",
        rows_query=sqlrules.sql(rows) if rows is not None else None,
        must_be=q.get("mustBe", 0),
        severity=q.get("severity") or "error",
        path=src.path(keys),
        rows_tree=rows,
        refused=refused,
        keys=tuple(keys),
        tree=tree,
        thresholds=declared(q),
    )


def _number_keys(columns: list[Column]) -> list[Column]:
    """Key columns without primaryKeyPosition (0 here) take the next positions, in column order."""
    last = max((c.primary_key_position or 0 for c in columns), default=0)
    out = []
    for c in columns:
        if c.primary_key_position == 0:
            last += 1
            c = replace(c, primary_key_position=last)
        out.append(c)
    return out


def _table(src: Source, i: int, obj: Any) -> tuple[Table, list[Problem]]:
    problems: list[Problem] = []
    name, tkeys = obj.get("name"), list[Key](["schema", i])
    columns, rels, sql = [], [], []
    for j, prop in enumerate(obj.get("properties") or []):
        pkeys = tkeys + ["properties", j]
        col, found = _column(src, pkeys, prop)
        problems += found
        if col:
            columns.append(col)
        for k, rel in enumerate(prop.get("relationships") or []):
            rels.append(
                _relationship(src, pkeys + ["relationships", k], rel, name, prop.get("name"))
            )
    for k, rel in enumerate(obj.get("relationships") or []):
        rels.append(_relationship(src, tkeys + ["relationships", k], rel, name, None))
    columns = _number_keys(columns)
    for k, q in enumerate(obj.get("quality") or []):
        if q.get("type") == "sql":
            sql.append(_sql_rule(src, tkeys + ["quality", k], q, name))
    table = Table(
        name=name,
        columns=tuple(columns),
        description=(obj.get("description") or "").strip(),
        physical_name=obj.get("physicalName"),
        relationships=tuple(rels),
        sql_rules=tuple(sql),
        path=src.path(tkeys),
    )
    return table, problems


def parse(path: str | Path) -> tuple[Contract | None, list[Problem]]:
    """Load and check a contract; returns the model (None on errors) and every problem found."""
    src, problems = Source.read(path)
    if src is None:
        return None, problems
    api = src.data.get("apiVersion")
    if api not in SUPPORTED_API_VERSIONS:
        return None, [
            src.problem(
                ["apiVersion"],
                f"apiVersion {api!r} is not supported",
                f"set apiVersion to one of {', '.join(SUPPORTED_API_VERSIONS)}",
            )
        ]
    checked, forward = _forward_problems(src, api)
    problems = _schema_problems(checked, api) or (
        _model_problems(src) if api in MODEL_VERSIONS else []
    )
    if problems:
        return None, problems
    problems = forward
    if VERSIONS[api].note:
        problems.append(src.problem(["apiVersion"], VERSIONS[api].note, "", severity="warning"))
    tables = []
    for i, obj in enumerate(src.data.get("schema") or []):
        table, found = _table(src, i, obj)
        tables.append(table)
        problems += found
    contract = Contract(
        id=src.data["id"],
        name=src.data.get("name") or src.data["id"],
        version=str(src.data["version"]),
        api_version=api,
        tables=tuple(tables),
        path=str(path),
        description=((src.data.get("description") or {}).get("purpose") or "").strip(),
        raw=src.data,
    )
    problems = sorted(problems + check(src, contract), key=lambda p: p.line or 0)
    errors = [p for p in problems if p.severity == "error"]
    warnings = tuple(p for p in problems if p.severity != "error")
    if errors:
        return None, problems
    return replace(contract, warnings=warnings), problems


def load(path: str | Path) -> Contract:
    """Load a contract or raise ContractError listing every problem."""
    contract, problems = parse(path)
    if contract is None:
        raise ContractError(problems)
    return contract
