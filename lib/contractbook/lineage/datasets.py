"""OpenLineage datasets of contract tables: raw CSV files and warehouse tables, with their facets.

Pure: contracts, paths and results in; openlineage-python dataset objects out.
"""

from __future__ import annotations

from pathlib import Path

from openlineage.client.event_v2 import InputDataset, OutputDataset
from openlineage.client.generated import (
    column_lineage_dataset as cl,
)
from openlineage.client.generated import (
    data_quality_assertions_dataset as dqa,
)
from openlineage.client.generated import (
    data_quality_metrics_dataset as dqm,
)
from openlineage.client.generated import (
    data_quality_metrics_input_dataset as dqmi,
)
from openlineage.client.generated import (
    output_statistics_output_dataset as stats,
)
from openlineage.client.generated import (
    schema_dataset as sd,
)
from openlineage.client.generated.base import InputDatasetFacet, OutputDatasetFacet

from contractbook.catalog.results import RuleResult, TableRun
from contractbook.catalog.sources import sources
from contractbook.contract import Contract, Table

FILE_NAMESPACE = "file"


def warehouse_namespace(warehouse: str | Path) -> str:
    """The namespace of tables in a DuckDB file: duckdb://<absolute path>."""
    return f"duckdb://{Path(warehouse).resolve()}"


def schema(table: Table) -> sd.SchemaDatasetFacet:
    """The table's columns, with the contract's physical types and descriptions."""
    return sd.SchemaDatasetFacet(
        fields=[
            sd.SchemaDatasetFacetFields(
                name=c.name, type=c.physical_type or str(c.type), description=c.description or None
            )
            for c in table.columns
        ]
    )


def assertions(results: list[RuleResult], rules: dict) -> dqa.DataQualityAssertionsDatasetFacet:
    """One assertion per rule: its kind, column, severity and failing-row count."""
    out = []
    for r in results:
        rule = rules.get(r.rule_id)
        cols: tuple[str, ...] = rule.columns if rule else ()
        out.append(
            dqa.Assertion(
                assertion=r.kind,
                success=r.passed,
                column=cols[0] if len(cols) == 1 else None,
                severity="warn" if rule is not None and rule.policy == "warn" else "error",
                name=r.rule_id,
                description=rule.description if rule else None,
                expected="0",
                actual=str(r.failing_rows),
                params={"source": r.source},
            )
        )
    return dqa.DataQualityAssertionsDatasetFacet(assertions=out)


def raw_file(
    table: Table,
    raw_dir: str | Path,
    results: list[RuleResult] | None = None,
    rules: dict | None = None,
    run: TableRun | None = None,
) -> InputDataset:
    """A raw CSV as an input, with its schema and (when known) assertions and rows read."""
    facets: dict[str, InputDatasetFacet] = {}
    if results:
        facets["dataQualityAssertions"] = assertions(results, rules or {})
    if run:
        facets["dataQualityMetrics"] = dqmi.DataQualityMetricsInputDatasetFacet(
            columnMetrics={}, rowCount=run.rows_read, fileCount=1
        )
    return InputDataset(
        namespace=FILE_NAMESPACE,
        name=str((Path(raw_dir) / f"{table.name}.csv").resolve()),
        facets={"schema": schema(table)},
        inputFacets=facets,
    )


def raw_output(table: Table, raw_dir: str | Path) -> OutputDataset:
    """A raw CSV as an output (of the generator), with its schema."""
    return OutputDataset(
        namespace=FILE_NAMESPACE,
        name=str((Path(raw_dir) / f"{table.name}.csv").resolve()),
        facets={"schema": schema(table)},
    )


def table_input(
    table: Table,
    warehouse,
    schema_name: str,
    results: list[RuleResult] | None = None,
    rules: dict | None = None,
) -> InputDataset:
    """A warehouse table read by a task, with its schema and (when known) assertions."""
    facets: dict[str, InputDatasetFacet] = (
        {"dataQualityAssertions": assertions(results, rules or {})} if results else {}
    )
    return InputDataset(
        namespace=warehouse_namespace(warehouse),
        name=f"{schema_name}.{table.physical}",
        facets={"schema": schema(table)},
        inputFacets=facets,
    )


def column_lineage(
    table: Table, contract: Contract, namespace: str, source_schema: str
) -> cl.ColumnLineageDatasetFacet | None:
    """Column lineage of a curated table from its columns' `transformSourceObjects`."""
    fields = {}
    for (tbl, col), srcs in sources(contract).items():
        if tbl != table.name:
            continue
        inputs = []
        for src in srcs:
            src_table, _, src_col = src.rpartition(".")
            inputs.append(
                cl.InputField(
                    namespace=namespace,
                    name=f"{source_schema}.{src_table.split('.')[-1]}",
                    field=src_col,
                )
            )
        fields[col] = cl.Fields(
            inputFields=inputs,
            transformationType="INDIRECT",
            transformationDescription=f"curated model {table.name}",
        )
    return cl.ColumnLineageDatasetFacet(fields=fields) if fields else None


def table_output(
    table: Table,
    warehouse,
    schema_name: str,
    rows: int | None = None,
    lineage: cl.ColumnLineageDatasetFacet | None = None,
) -> OutputDataset:
    """A warehouse table written by a task: schema, column lineage, rows written."""
    facets: dict = {"schema": schema(table)}
    if lineage:
        facets["columnLineage"] = lineage
    out_facets: dict[str, OutputDatasetFacet] = {}
    if rows is not None:
        facets["dataQualityMetrics"] = dqm.DataQualityMetricsDatasetFacet(
            columnMetrics={}, rowCount=rows
        )
        out_facets["outputStatistics"] = stats.OutputStatisticsOutputDatasetFacet(rowCount=rows)
    return OutputDataset(
        namespace=warehouse_namespace(warehouse),
        name=f"{schema_name}.{table.physical}",
        facets=facets,
        outputFacets=out_facets,
    )


def rejects_output(table: Table, warehouse, schema_name: str, rows: int) -> OutputDataset:
    """The `<table>__rejects` table: rows rejected in this run."""
    return OutputDataset(
        namespace=warehouse_namespace(warehouse),
        name=f"{schema_name}.{table.physical}__rejects",
        facets={
            "dataQualityMetrics": dqm.DataQualityMetricsDatasetFacet(
                columnMetrics={}, rowCount=rows
            )
        },
        outputFacets={"outputStatistics": stats.OutputStatisticsOutputDatasetFacet(rowCount=rows)},
    )


def file_dataset(path: str | Path, output: bool):
    """Any other file or folder a task reads or writes (contract file, DDL, reports)."""
    cls = OutputDataset if output else InputDataset
    return cls(namespace=FILE_NAMESPACE, name=str(Path(path).resolve()))
