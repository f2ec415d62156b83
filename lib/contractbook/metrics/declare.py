"""Model declarations: each SQL file's header (YAML in its leading comment) as typed records.

A header names the model, describes it, lists its inputs (`olist.<table>` for accepted raw rows,
`curated.<model>` for another model), its primary key and its output columns. A column either
declares its type (`logicalType`, `physicalType`, options such as `minimum`) or passes one
source column through (`from: [orders.order_id]`) and inherits that column's type and
description from the raw contract or from the upstream model: nothing is written twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

from contractbook.contract import Contract

RAW, CURATED = "olist", "curated"  # schema names the model SQL is written against
# header keys that are ODCS logicalTypeOptions
OPTIONS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "pattern",
    "minLength",
    "maxLength",
    "format",
    "timezone",
)
_HEADER = re.compile(r"^\s*/\*(.*?)\*/", re.S)


class ModelError(ValueError):
    """A model file whose header or SQL does not hold together."""


@dataclass(frozen=True)
class Input:
    """One input of a model: a raw contract table (`olist`) or another model (`curated`)."""

    schema: str
    name: str

    @property
    def is_model(self) -> bool:
        """True when the input is another model."""
        return self.schema == CURATED

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class OutputColumn:
    """One output column: ODCS type, description, options and the source columns it comes from."""

    name: str
    logical_type: str
    physical_type: str
    description: str
    required: bool = False
    options: dict = field(default_factory=dict, hash=False, compare=False)
    sources: tuple[str, ...] = ()  # "table.column" of raw tables or models


@dataclass(frozen=True)
class Model:
    """A SQL model: its declaration (header) and its DuckDB-dialect SELECT."""

    name: str
    description: str
    inputs: tuple[Input, ...]
    columns: tuple[OutputColumn, ...]
    primary_key: tuple[str, ...]
    sql: str = field(repr=False)
    path: str = ""

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Names of the models this one reads."""
        return tuple(i.name for i in self.inputs if i.is_model)

    @property
    def raw_inputs(self) -> tuple[str, ...]:
        """Names of the raw contract tables this one reads directly."""
        return tuple(i.name for i in self.inputs if not i.is_model)

    @property
    def column_names(self) -> list[str]:
        """Output column names in declared order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> OutputColumn:
        """The output column called name."""
        return next(c for c in self.columns if c.name == name)

    def lineage(self) -> list[tuple[str, str]]:
        """Column lineage as (source, target) pairs of `schema.table.column` names."""
        schema = {i.name: i.schema for i in self.inputs}
        return [
            (f"{schema[s.partition('.')[0]]}.{s}", f"{CURATED}.{self.name}.{c.name}")
            for c in self.columns
            for s in c.sources
        ]

    def _repr_html_(self) -> str:
        from .report import model_html

        return model_html(self)


def _input(text: str, where: str) -> Input:
    schema, _, name = str(text).partition(".")
    if schema not in (RAW, CURATED) or not name:
        raise ModelError(f"{where}: input {text!r} must be {RAW}.<table> or {CURATED}.<model>")
    return Input(schema, name)


def _column(spec: dict, where: str) -> OutputColumn:
    if "name" not in spec:
        raise ModelError(f"{where}: a column needs a name: {spec}")
    return OutputColumn(
        name=spec["name"],
        logical_type=spec.get("logicalType") or "",
        physical_type=str(spec.get("physicalType") or ""),
        description=str(spec.get("description") or "").strip(),
        required=bool(spec.get("required", False)),
        options={k: spec[k] for k in OPTIONS if k in spec},
        sources=tuple(spec.get("from") or ()),
    )


def parse(text: str, path: str = "") -> Model:
    """A model from the text of its SQL file (header + SELECT); ModelError when malformed."""
    m = _HEADER.match(text)
    if not m:
        raise ModelError(f"{path}: a model file starts with a /* YAML header */")
    head = yaml.safe_load(m.group(1)) or {}
    where = path or head.get("name", "?")
    missing = [k for k in ("name", "description", "inputs", "columns") if k not in head]
    if missing:
        raise ModelError(f"{where}: header lacks {', '.join(missing)}")
    return Model(
        name=head["name"],
        description=" ".join(str(head["description"]).split()),
        inputs=tuple(_input(i, where) for i in head["inputs"]),
        columns=tuple(_column(c, where) for c in head["columns"]),
        primary_key=tuple(head.get("primary_key") or ()),
        sql=text[m.end() :].strip(),
        path=path,
    )


def model_files() -> list[Path]:
    """The packaged model files, sorted by name."""
    return sorted(Path(str(files("contractbook.metrics") / "models")).glob("*.sql"))


@cache
def _declared() -> tuple[Model, ...]:
    return tuple(parse(p.read_text(encoding="utf-8"), p.name) for p in model_files())


def order(models: tuple[Model, ...] | list[Model]) -> tuple[Model, ...]:
    """Models with every model after the models it reads (stable by name); error on a cycle."""
    by_name = {m.name: m for m in models}
    for m in models:
        unknown = set(m.depends_on) - set(by_name)
        if unknown:
            raise ModelError(f"{m.path or m.name}: reads unknown model(s) {sorted(unknown)}")
    done: list[Model] = []
    while len(done) < len(models):
        names = {d.name for d in done}
        ready = [m for m in models if m.name not in names and set(m.depends_on) <= names]
        if not ready:
            raise ModelError(f"models read each other in a cycle: {sorted(set(by_name) - names)}")
        done.append(ready[0])
    return tuple(done)


def _inherit(col: OutputColumn, contract: Contract, resolved: dict[str, Model], where: str):
    """A pass-through column with its type, options and description from its one source."""
    if col.logical_type:
        return col
    if len(col.sources) != 1:
        raise ModelError(
            f"{where}: column {col.name!r} declares no logicalType and does not "
            "pass exactly one source column through"
        )
    table, _, name = col.sources[0].partition(".")
    if table in resolved:
        src = resolved[table].column(name)
        return replace(
            col,
            logical_type=src.logical_type,
            physical_type=src.physical_type,
            description=col.description or src.description,
            options={**src.options, **col.options},
        )
    try:
        c = contract.table(table).column(name)
    except KeyError as e:
        raise ModelError(f"{where}: column {col.name!r}: source {col.sources[0]!r}: {e}") from None
    options = {
        k: v
        for k, v in (
            ("pattern", c.pattern),
            ("minimum", c.minimum),
            ("maximum", c.maximum),
            ("format", c.format),
        )
        if v is not None
    }
    return replace(
        col,
        logical_type=c.logical_type,
        physical_type=c.physical_type or "",
        description=col.description or c.description,
        options={**options, **col.options},
    )


def resolve(models: tuple[Model, ...], contract: Contract) -> tuple[Model, ...]:
    """Models in dependency order with every pass-through column typed from its source."""
    resolved: dict[str, Model] = {}
    for m in order(models):
        for i in m.inputs:
            if not i.is_model and i.name not in contract.table_names:
                raise ModelError(f"{m.path}: input {i} is not a table of {contract.id}")
        inputs = {i.name for i in m.inputs}
        for c in m.columns:
            stray = [s for s in c.sources if s.partition(".")[0] not in inputs]
            if stray:
                raise ModelError(
                    f"{m.path}: column {c.name!r} comes from {stray}, which are not "
                    f"among the declared inputs {sorted(inputs)}"
                )
        cols = tuple(_inherit(c, contract, resolved, m.path) for c in m.columns)
        missing = set(m.primary_key) - {c.name for c in cols}
        if missing:
            raise ModelError(f"{m.path}: primary key column(s) {sorted(missing)} not declared")
        resolved[m.name] = replace(m, columns=cols)
    return tuple(resolved.values())


def models(contract: Contract | None = None) -> tuple[Model, ...]:
    """Every packaged model, typed and in dependency order (contract: the raw contract,
    default the project's contracts/olist_mini/contract.yaml)."""
    if contract is None:
        from contractbook.contract import load
        from contractbook.paths import default_contract

        contract = load(default_contract())
    return resolve(_declared(), contract)
