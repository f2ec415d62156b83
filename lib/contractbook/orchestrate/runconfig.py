"""The run configuration: a JSON Schema for every env.yaml parameter, and its checks.

The schema is built from one table (PARAMS) and the registries it names (destinations), so the
allowed values are never written twice. `check` turns JSON Schema errors into one line each, e.g.
"destination: 'duckbd' is not one of duckdb, postgres, filesystem".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


def _dag_destinations() -> list[str]:
    """Destinations a DAG run supports: the tested ones of the destination registry."""
    from contractbook.ingest.destinations import DESTINATIONS

    return [name for name, d in DESTINATIONS.items() if d.tested]


@dataclass(frozen=True)
class Param:
    """One run parameter: its JSON Schema type, default, meaning and constraints."""

    name: str
    type: str  # JSON Schema type: string, integer, number, boolean
    default: Any
    description: str
    constraints: Mapping[str, Any] = field(default_factory=dict)  # extra JSON Schema keywords
    allowed: Callable[[], list[str]] | None = None  # enum taken from a registry

    def schema(self) -> dict:
        """This parameter's JSON Schema."""
        out = {
            "type": self.type,
            "default": self.default,
            "description": self.description,
            **self.constraints,
        }
        if self.allowed:
            out["enum"] = self.allowed()
        return out


# Defects: "" (clean), or kind=N / all=N / rate=R items separated by commas (`synth --help`).
_DEFECTS = r"^$|^[a-z_]+=\d+(\.\d+)?(,[a-z_]+=\d+(\.\d+)?)*$"
_DATE = r"^$|^\d{4}-\d{2}-\d{2}$"
_MOSTLY = (
    r"^$|^(0(\.\d+)?|1(\.0+)?)$|^[a-z_]+=(0(\.\d+)?|1(\.0+)?)(,[a-z_]+=(0(\.\d+)?|1(\.0+)?))*$"
)

PARAMS: tuple[Param, ...] = (
    Param(
        "contract",
        "string",
        "contracts/olist_mini/contract.yaml",
        "path of the ODCS contract the whole DAG is derived from",
        {"minLength": 1},
    ),
    Param(
        "data_dir",
        "string",
        "data",
        "folder of the run's data: raw files, warehouse, rejects, catalog, lineage",
        {"minLength": 1},
    ),
    Param("n_orders", "integer", 10000, "orders the synthetic-data step generates", {"minimum": 1}),
    Param(
        "seed",
        "integer",
        42,
        "random seed of the synthetic data (same seed, same bytes)",
        {"minimum": 0},
    ),
    Param(
        "defects",
        "string",
        "all=2",
        'defects the generator plants: "all=N", "kind=N,...", "rate=R"; "" for clean data',
        {"pattern": _DEFECTS},
    ),
    Param(
        "destination",
        "string",
        "duckdb",
        "where ingest loads; credentials come from the environment",
        allowed=_dag_destinations,
    ),
    Param(
        "gx_mostly",
        "string",
        "",
        'GX tolerances: "0.99" or "rule_kind=0.99,..."; empty: every row must pass',
        {"pattern": _MOSTLY},
    ),
    Param(
        "gx_fail_on_error",
        "boolean",
        False,
        "whether a failing post-load GX rule fails the gx-checks task",
    ),
    Param(
        "metrics_start",
        "string",
        "",
        'dashboard filter: first purchase date, ISO ("" = open)',
        {"pattern": _DATE},
    ),
    Param(
        "metrics_end",
        "string",
        "",
        'dashboard filter: last purchase date, ISO, inclusive ("" = open)',
        {"pattern": _DATE},
    ),
    Param(
        "metrics_states",
        "string",
        "",
        'dashboard filter: customer states, comma-separated ("" = all)',
        {"pattern": r"^$|^[A-Za-z]{2}(,[A-Za-z]{2})*$"},
    ),
    Param(
        "catalog_contracts",
        "string",
        "contracts/olist_mini/generated/curated.odcs.yaml",
        "curated output contracts registered after the raw one (comma-separated paths)",
    ),
    Param(
        "raw_dir",
        "string",
        "",
        'folder of input files the ingest side reads (`make ingest DATA=dir`); "" = the files '
        "generate-data writes",
    ),
)


def schema() -> dict:
    """The JSON Schema (draft 2020-12) of the run configuration."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "contractbook run configuration (env.yaml)",
        "type": "object",
        "additionalProperties": False,
        "properties": {p.name: p.schema() for p in PARAMS},
    }


class ConfigError(ValueError):
    """The run configuration breaks its schema; the message has one line per problem."""


def _line(error) -> str:
    """One readable line for a jsonschema ValidationError."""
    where = ".".join(str(p) for p in error.absolute_path) or "env.yaml"
    value, kind = error.instance, error.validator
    if kind == "enum":
        return f"{where}: {value!r} is not one of {', '.join(map(str, error.validator_value))}"
    if kind == "type":
        return f"{where}: {value!r} is not of type {error.validator_value}"
    if kind == "additionalProperties":
        known = ", ".join(p.name for p in PARAMS)
        return (
            f"env.yaml: unknown parameter(s) {error.message.split('(')[-1].rstrip(')')}; "
            f"known: {known}"
        )
    if kind == "pattern":
        return f"{where}: {value!r} does not have the expected form ({_help(where)})"
    return f"{where}: {error.message}"


def _help(name: str) -> str:
    """The description of parameter name, for error messages."""
    return next((p.description for p in PARAMS if p.name == name), "")


def problems(values: Mapping[str, Any]) -> list[str]:
    """Every problem of values against the schema, one line each (empty: valid)."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(dict(values)), key=lambda e: list(e.absolute_path))
    return [_line(e) for e in errors]


def check(values: Mapping[str, Any]) -> dict:
    """values with defaults filled in; ConfigError listing every problem otherwise."""
    found = problems(values)
    if found:
        raise ConfigError("run configuration:\n" + "\n".join(f"  {p}" for p in found))
    return {p.name: values.get(p.name, p.default) for p in PARAMS}


def load_env(path: Path, overrides: Mapping[str, Any] | None = None) -> dict:
    """env.yaml's values with overrides applied (as `ploomber build --env--NAME VALUE` does)."""
    values = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    for key, raw in (overrides or {}).items():
        values[key] = yaml.safe_load(raw) if isinstance(raw, str) and raw != "" else raw
    return values


def markdown_table() -> str:
    """The README's table of parameters, generated from the schema."""
    rows = ["| parameter | type | default | allowed | meaning |", "|---|---|---|---|---|"]
    for name, s in schema()["properties"].items():
        allowed = ", ".join(f"`{v}`" for v in s.get("enum", []))
        if "minimum" in s:
            allowed = f"≥ {s['minimum']}"
        default = f"`{s['default']!r}`" if isinstance(s["default"], str) else f"`{s['default']}`"
        rows.append(
            f"| `{name}` | {s['type']} | {default.lower() if s['type'] == 'boolean' else default} "
            f"| {allowed} | {s['description']} |"
        )
    return "\n".join(rows) + "\n"
