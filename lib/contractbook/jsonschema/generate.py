"""Pure generator: contract -> one JSON Schema (draft 2020-12) per table."""

from __future__ import annotations

import json

from contractbook import provenance
from contractbook.contract import Column, Contract, Table
from contractbook.contract.kinds import by_field

DIALECT_URI = "https://json-schema.org/draft/2020-12/schema"
GENERATOR = "contractbook.jsonschema"
# Portable type kind -> JSON Schema fragment for the value as it appears in a JSON record.
TYPES: dict[str, dict] = by_field("json_schema")

# Column attribute -> JSON Schema keyword (applied when the attribute is set).
_KEYWORDS = (
    ("pattern", "pattern"),
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("exclusive_minimum", "exclusiveMinimum"),
    ("exclusive_maximum", "exclusiveMaximum"),
    ("min_length", "minLength"),
    ("max_length", "maxLength"),
)


def _column(c: Column) -> dict:
    if c.type.kind not in TYPES:
        raise ValueError(f"column {c.name!r}: type kind {c.type.kind!r} has no JSON Schema mapping")
    schema = {"description": c.description, **TYPES[c.type.kind]}
    for attr, keyword in _KEYWORDS:
        value = getattr(c, attr)
        if value is not None and not (keyword == "pattern" and "pattern" in TYPES[c.type.kind]):
            schema[keyword] = value
    if c.allowed_values is not None:
        schema["enum"] = list(c.allowed_values)
    if c.type.kind == "decimal":
        schema["$comment"] = f"decimal({c.type.precision},{c.type.scale})"
    if not c.required:
        schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"].append(None)
    return schema


def table_schema(contract: Contract, table: Table) -> dict:
    """The JSON Schema of one row of table, with provenance."""
    return {
        "$schema": DIALECT_URI,
        "$id": f"{contract.id}:{contract.version}:{table.name}",
        "$comment": provenance.line(contract, GENERATOR, f"JSON Schema of table {table.name}"),
        "title": table.name,
        "description": table.description,
        "x-contractbook": {
            "contract": contract.id,
            "version": contract.version,
            "table": table.name,
            "primaryKey": list(table.primary_key),
            "generator": GENERATOR,
        },
        "type": "object",
        "properties": {c.name: _column(c) for c in table.columns},
        "required": table.column_names,
        "additionalProperties": False,
    }


def generate(contract: Contract) -> dict[str, dict]:
    """Every table's schema, keyed by table name."""
    return {t.name: table_schema(contract, t) for t in contract.tables}


def render(schema: dict) -> str:
    """Stable text form of a schema (what is committed)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def files(contract: Contract) -> dict[str, str]:
    """`<table>.json` -> text of every table's schema."""
    return {f"{name}.json": render(schema) for name, schema in generate(contract).items()}
