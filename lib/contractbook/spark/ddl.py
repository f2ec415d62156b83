"""Databricks DDL -> DDL open-source Spark executes, rewritten on sqlglot's parsed tree.

The rewrite removes only what local Spark cannot hold, and says what it removed:
- `USE CATALOG` is dropped and three-part names lose their catalog (Spark's session catalog has
  databases, not Unity Catalog catalogs: `main.olist.orders` -> `olist.orders`);
- PRIMARY KEY / FOREIGN KEY constraints are dropped: informational on Databricks, refused by
  open-source Spark; the pipeline's checks enforce keys (as Databricks itself recommends);
- `USING DELTA` -> `USING PARQUET` (no Delta jars offline), and `delta.*` table properties go.
Columns, types, NOT NULL, column and table comments and the schema comment are kept as written
(Spark records NOT NULL on a Parquet table but does not enforce it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

READ, WRITE = "databricks", "spark"
TABLE_FORMAT = "PARQUET"


@dataclass
class Rewritten:
    """The executable statements and, per removal, what was removed and why."""

    statements: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _drop_catalog(tree: exp.Expression, out: Rewritten) -> None:
    for t in tree.find_all(exp.Table):
        if t.args.get("catalog"):
            out.removed.append(
                f"catalog {t.catalog} of {t.sql(READ)}: "
                "Spark's session catalog has no Unity Catalog level"
            )
            t.set("catalog", None)


def _drop_constraints(tree: exp.Create, out: Rewritten) -> None:
    schema = tree.this
    if not isinstance(schema, exp.Schema):
        return
    for c in list(schema.expressions):
        if isinstance(c, exp.Constraint | exp.PrimaryKey | exp.ForeignKey):
            out.removed.append(
                f"constraint {c.sql(READ)[:60]}... on {schema.this.name}: "
                "informational on Databricks, not held by open-source Spark"
            )
            c.pop()


def _parquet(tree: exp.Create, out: Rewritten) -> None:
    props = tree.args.get("properties")
    for p in list(props.expressions if props else []):
        if isinstance(p, exp.FileFormatProperty) and p.name.upper() == "DELTA":
            p.set("this", exp.Var(this=TABLE_FORMAT))
            out.removed.append(
                f"USING DELTA of {tree.this.this.name} -> USING {TABLE_FORMAT}: "
                "no Delta Lake offline"
            )
        elif isinstance(p, exp.Property) and p.name.startswith("delta."):
            out.removed.append(f"table property {p.name} of {tree.this.this.name}: Delta only")
            p.pop()


def _statement(tree: exp.Expression, out: Rewritten) -> exp.Expression | None:
    if isinstance(tree, exp.Use) and (
        tree.args.get("kind") and tree.args["kind"].name.upper() == "CATALOG"
    ):
        out.removed.append(f"USE CATALOG {tree.this.sql(READ)}: no catalogs in open-source Spark")
        return None
    _drop_catalog(tree, out)
    if isinstance(tree, exp.Create) and tree.kind == "TABLE":
        _drop_constraints(tree, out)
        _parquet(tree, out)
    if isinstance(tree, exp.Alter) and any(
        isinstance(a, exp.AddConstraint) for a in tree.args.get("actions", [])
    ):
        out.removed.append(f"{tree.sql(READ)[:60]}...: constraints are not held by Spark")
        return None
    return tree


def parse(script: str) -> list[exp.Expression]:
    """The statements of a Databricks script as sqlglot trees (comments dropped)."""
    trees = [t for t in sqlglot.parse(script, read=READ) if t is not None]
    for t in trees:
        for node in t.walk():
            node.comments = None
    return trees


def rewrite(script: str) -> Rewritten:
    """Databricks DDL script -> statements local Spark executes, with what was removed."""
    out = Rewritten()
    for tree in parse(script):
        kept = _statement(tree, out)
        if kept is not None:
            out.statements.append(kept.sql(WRITE))
    return out


def execute(spark, script: str) -> Rewritten:
    """Rewrite script and run every statement on spark (e.g. a local session)."""
    out = rewrite(script)
    for stmt in out.statements:
        spark.sql(stmt)
    return out
