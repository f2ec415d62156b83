"""The Databricks -> local Spark DDL rewrite removes only what open-source Spark cannot hold."""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from contractbook.ddl.generate import render
from contractbook.spark.ddl import parse, rewrite


def _tables(trees) -> dict[str, exp.Create]:
    return {t.this.this.name: t for t in trees if isinstance(t, exp.Create) and t.kind == "TABLE"}


def _columns(create: exp.Create) -> list[str]:
    """Every column as written: name, type, NOT NULL, comment (Spark SQL text)."""
    return [c.sql("spark") for c in create.this.expressions if isinstance(c, exp.ColumnDef)]


def _comment(create: exp.Create) -> str | None:
    props = create.args["properties"].expressions
    return next((p.this.name for p in props if isinstance(p, exp.SchemaCommentProperty)), None)


def test_every_column_type_and_comment_is_kept(contract):
    script = render(contract, "databricks")
    before, after = (
        _tables(parse(script)),
        _tables([sqlglot.parse_one(s, read="spark") for s in rewrite(script).statements]),
    )
    assert sorted(before) == sorted(after) == sorted(contract.table_names)
    for name in contract.table_names:
        assert _columns(after[name]) == _columns(before[name]), name
        assert _comment(after[name]) == _comment(before[name]) is not None, name
        assert after[name].this.this.db == before[name].this.this.db == "olist"
        assert not after[name].this.this.catalog and before[name].this.this.catalog == "main"
    n_cols = sum(len(t.columns) for t in contract.tables)
    assert sum(len(_columns(t)) for t in after.values()) == n_cols


def test_only_keys_catalog_and_delta_are_removed(contract):
    script = render(contract, "databricks")
    out = rewrite(script)
    text = "\n".join(out.statements)
    assert "PRIMARY KEY" not in text and "FOREIGN KEY" not in text and "USE CATALOG" not in text
    assert "USING PARQUET" in text and "USING DELTA" not in text and "'delta." not in text
    n_keys = sum(1 for t in contract.tables if t.primary_key) + len(contract.relationships)
    removed = [r for r in out.removed if r.startswith("constraint ")]
    assert len(removed) == n_keys
    assert sum(r.startswith("USING DELTA") for r in out.removed) == len(contract.tables)
    before = parse(script)
    # statements other than USE CATALOG survive (schema, USE SCHEMA, every table)
    assert len(out.statements) == len(before) - 1
