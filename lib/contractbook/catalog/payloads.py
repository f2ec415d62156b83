"""OpenMetadata create requests built with the SDK's own models, from contracts and a destination.

Pure: contracts, a destination and the latest rule results in; pydantic request objects out.
Any number of contracts: the raw one and the curated output contract(s) of the metrics step,
whose columns name their sources in ODCS `transformSourceObjects` (`table.column`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from metadata.generated.schema.api.classification.createClassification import (
    CreateClassificationRequest,
)
from metadata.generated.schema.api.classification.createTag import CreateTagRequest
from metadata.generated.schema.api.data.createDatabase import CreateDatabaseRequest
from metadata.generated.schema.api.data.createDatabaseSchema import CreateDatabaseSchemaRequest
from metadata.generated.schema.api.data.createTable import CreateTableRequest
from metadata.generated.schema.api.services.createDatabaseService import (
    CreateDatabaseServiceRequest,
)
from metadata.generated.schema.api.tests.createTestCase import CreateTestCaseRequest
from metadata.generated.schema.entity.data.table import (
    Column,
    Constraint,
    ConstraintType,
    DataType,
    TableConstraint,
)
from metadata.generated.schema.tests.basic import TestCaseResult, TestCaseStatus
from metadata.generated.schema.tests.testCase import TestCaseParameterValue
from metadata.generated.schema.type.tagLabel import LabelType, State, TagLabel, TagSource

from contractbook.contract import Contract, Rule, Table
from contractbook.sqltext import ident, literal

from . import targets
from .results import RuleResult
from .sources import sources

# portable type kind -> OpenMetadata DataType (strings: CHAR for char(n), else VARCHAR/TEXT)
DATA_TYPES = {
    "string": DataType.VARCHAR,
    "integer": DataType.INT,
    "bigint": DataType.BIGINT,
    "decimal": DataType.DECIMAL,
    "double": DataType.DOUBLE,
    "boolean": DataType.BOOLEAN,
    "date": DataType.DATE,
    "timestamp": DataType.TIMESTAMP,
    "timestamptz": DataType.TIMESTAMPZ,
    "time": DataType.TIME,
    "object": DataType.JSON,
    "array": DataType.ARRAY,
    "map": DataType.MAP,
}

# Classification of the contract's `classification` values, and contract tags -> built-in tags.
CLASSIFICATION = "ContractClassification"
TAGS = {"pii": "PII.Sensitive"}

# rule kind -> OpenMetadata test definition; kinds without a native one count the rejects.
TEST_DEFINITIONS = {
    "required": "columnValuesToBeNotNull",
    "unique": "columnValuesToBeUnique",
    "allowed_values": "columnValuesToBeInSet",
    "pattern": "columnValuesToMatchRegex",
    "range": "columnValuesToBeBetween",
    "length": "columnValueLengthsToBeBetween",
    "sql": "tableCustomSQLQuery",
    "type": "tableCustomSQLQuery",
    "primary_key": "tableCustomSQLQuery",
    "foreign_key": "tableCustomSQLQuery",
}


@dataclass(frozen=True)
class Edge:
    """A lineage edge between two tables by FQN (ids are the server's), with column pairs."""

    from_fqn: str
    to_fqn: str
    columns: tuple[tuple[tuple[str, ...], str], ...] = ()  # ((from column FQNs), to column FQN)
    description: str = ""


@dataclass
class Payloads:
    """Every request to register, in the order a server needs them."""

    destination: str
    contracts: list[str]
    services: list = field(default_factory=list)
    databases: list = field(default_factory=list)
    schemas: list = field(default_factory=list)
    classifications: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    test_cases: list = field(default_factory=list)
    test_results: dict = field(default_factory=dict)  # test case FQN -> TestCaseResult
    lineage: list[Edge] = field(default_factory=list)

    PAYLOAD_KINDS = (
        "services",
        "databases",
        "schemas",
        "classifications",
        "tags",
        "tables",
        "test_cases",
    )

    def counts(self) -> dict[str, int]:
        """Number of requests per kind (lineage edges and test results included)."""
        return {
            **{k: len(getattr(self, k)) for k in self.PAYLOAD_KINDS},
            "test_results": len(self.test_results),
            "lineage": len(self.lineage),
        }


def fqn(*parts: str) -> str:
    """An OpenMetadata fully qualified name; parts holding a dot are quoted."""
    return ".".join(f'"{p}"' if "." in p else p for p in parts)


def column(table: Table, c, tags: list[TagLabel], physical: bool = True) -> Column:
    """One column: type with length/precision/scale, description, constraint and tags."""
    t = c.type
    base = (c.physical_type or "").split("(")[0].strip().lower()
    kind = DataType.CHAR if base == "char" else DATA_TYPES[t.kind]
    if t.kind == "string" and not t.length and base != "char":
        kind = DataType.TEXT
    constraint = (
        Constraint.PRIMARY_KEY
        if table.primary_key == (c.name,)
        else Constraint.UNIQUE
        if c.unique
        else Constraint.NOT_NULL
        if c.required
        else Constraint.NULL
    )
    name = c.physical if physical else c.name
    return Column(
        name=name,
        displayName=c.name if name != c.name else None,
        dataType=kind,
        dataLength=t.length if t.length else None,
        precision=t.precision,
        scale=t.scale,
        dataTypeDisplay=c.physical_type or str(t),
        description=c.description or None,
        constraint=constraint,
        tags=tags or None,
    )


def _label(tag_fqn: str) -> TagLabel:
    return TagLabel(
        tagFQN=tag_fqn,
        source=TagSource.Classification,
        labelType=LabelType.Manual,
        state=State.Confirmed,
    )


def column_tags(c) -> list[TagLabel]:
    """Tags of a column: its classification and its contract tags that map to built-in ones."""
    labels = [_label(f"{CLASSIFICATION}.{c.classification}")] if c.classification else []
    return labels + [_label(TAGS[t]) for t in c.tags if t in TAGS]


def constraints(table: Table, schema_fqn: str, tables: dict | None = None) -> list[TableConstraint]:
    """The table's primary key and one FOREIGN_KEY per relationship, parents by FQN; with
    tables ({name: Table}), in the warehouse's names (physicalName)."""
    tables = tables or {}

    def col(t: str, c: str) -> str:
        return tables[t].column(c).physical if t in tables else c

    def tbl(t: str) -> str:
        return tables[t].physical if t in tables else t

    out = []
    if table.primary_key:
        out.append(
            TableConstraint(
                constraintType=ConstraintType.PRIMARY_KEY,
                columns=[col(table.name, c) for c in table.primary_key],
            )
        )
    for r in table.relationships:
        out.append(
            TableConstraint(
                constraintType=ConstraintType.FOREIGN_KEY,
                columns=[col(r.table, c) for c in r.columns],
                referredColumns=[
                    fqn(*schema_fqn.split("."), tbl(r.to_table), col(r.to_table, c))
                    for c in r.to_columns
                ],
            )
        )
    return out


def table(t: Table, schema_fqn: str, tables: dict | None = None) -> CreateTableRequest:
    """The create request of one contract table: in the warehouse's names (physicalName, the
    logical name as displayName) when tables ({name: Table}) is given, else as the raw file."""
    physical = tables is not None
    name = t.physical if physical else t.name
    return CreateTableRequest(
        name=name,
        displayName=t.name if name != t.name else None,
        description=t.description or None,
        databaseSchema=schema_fqn,
        columns=[column(t, c, column_tags(c), physical) for c in t.columns],
        tableConstraints=constraints(t, schema_fqn, tables) or None,
    )


def registered_name(request) -> str:
    """The name a create request registers, as the engine spells it: OpenMetadata's models
    encode `"`, `::`, `>` and line breaks in names for storage (e.g. `__reserved__quote__`)."""
    from metadata.ingestion.models.custom_basemodel_validation import revert_separators

    return revert_separators(getattr(request.name, "root", request.name))


def _sql(rule: Rule, rejects: str, schema: str, dialect: str) -> str:
    """The rows breaking a rule without a native test definition: the rejects kept for it (names
    quoted and the rule id written as a literal in the warehouse's dialect)."""
    if rule.kind == "sql" and rule.params.get("rows_query"):
        return rule.params["rows_query"]
    # reject_reasons is a JSON array: the id as JSON writes it, LIKE's wildcards escaped
    token = json.dumps(rule.id, ensure_ascii=False)
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", token) + "%"
    return (
        f"SELECT * FROM {ident(schema, dialect)}.{ident(rejects, dialect)} "
        f"WHERE reject_reasons LIKE {literal(pattern, dialect)} ESCAPE {literal(chr(92), dialect)}"
    )


def _parameters(
    rule: Rule, schema: str, physical: str = "", dialect: str = "duckdb"
) -> list[TestCaseParameterValue]:
    p = rule.params
    values = {
        "allowed_values": lambda: {"allowedValues": str(list(p["values"]))},
        "pattern": lambda: {"regex": p["pattern"]},
        "range": lambda: {
            "minValue": p.get("minimum", p.get("exclusive_minimum")),
            "maxValue": p.get("maximum", p.get("exclusive_maximum")),
        },
        "length": lambda: {"minLength": p.get("min_length"), "maxLength": p.get("max_length")},
    }.get(rule.kind)
    if TEST_DEFINITIONS[rule.kind] == "tableCustomSQLQuery":
        rejects = f"{physical or rule.table}__rejects"
        pairs = {"sqlExpression": _sql(rule, rejects, schema, dialect), "strategy": "ROWS"}
    else:
        pairs = values() if values else {}
    return [TestCaseParameterValue(name=k, value=str(v)) for k, v in pairs.items() if v is not None]


def test_case_name(rule: Rule) -> str:
    """A test case name without dots (OpenMetadata FQNs split on them)."""
    return rule.id.replace(".", "__")


def test_case(
    rule: Rule, table_fqn: str, schema: str, table: Table | None = None, dialect: str = "duckdb"
) -> CreateTestCaseRequest:
    """One contract rule as an OpenMetadata test case on its table (or column); table: the
    contract table, whose physicalNames the warehouse holds; dialect: the warehouse's SQL."""
    link = f"<#E::table::{table_fqn}"
    if len(rule.columns) == 1 and TEST_DEFINITIONS[rule.kind] != "tableCustomSQLQuery":
        c = rule.columns[0]
        link += f"::columns::{table.column(c).physical if table is not None else c}"
    return CreateTestCaseRequest(
        name=test_case_name(rule),
        displayName=rule.id,
        description=rule.description or None,
        testDefinition=TEST_DEFINITIONS[rule.kind],
        entityLink=link + ">",
        parameterValues=_parameters(
            rule, schema, table.physical if table is not None else "", dialect
        ),
    )


def test_result(result: RuleResult, when: datetime) -> TestCaseResult:
    """The latest run's result of one rule: passed or failed and the failing-row count."""
    status = TestCaseStatus.Success if result.passed else TestCaseStatus.Failed
    return TestCaseResult(
        timestamp=int(when.timestamp() * 1000),
        testCaseStatus=status,
        result=f"{result.failing_rows} failing row(s) of {result.rows_checked} "
        f"({result.source} run {result.run_id})",
        failedRows=result.failing_rows,
        passedRows=max(result.rows_checked - result.failing_rows, 0),
    )


def _raw_edges(contract: Contract, raw_schema: str, schema_fqn: str) -> list[Edge]:
    return [
        Edge(
            fqn(*raw_schema.split("."), t.name),
            fqn(*schema_fqn.split("."), t.physical),
            tuple(
                (
                    (fqn(*raw_schema.split("."), t.name, c.name),),
                    fqn(*schema_fqn.split("."), t.physical, c.physical),
                )
                for c in t.columns
            ),
            f"ingest: data/raw/{t.name}.csv loaded by contractbook",
        )
        for t in contract.tables
    ]


def _curated_edges(contract: Contract, schema_fqn: str, where: dict[str, str]) -> list[Edge]:
    """Warehouse -> curated tables, from transformSourceObjects; where: table -> schema FQN."""
    pairs: dict[tuple[str, str], list] = {}
    for (tbl, col), srcs in sources(contract).items():
        for src in srcs:
            src_table, _, src_col = src.rpartition(".")
            src_table = src_table.split(".")[-1]
            if src_table not in where:
                continue
            pairs.setdefault((src_table, tbl), []).append(
                (
                    (fqn(*where[src_table].split("."), src_table, src_col),),
                    fqn(*schema_fqn.split("."), tbl, col),
                )
            )
    return [
        Edge(
            fqn(*where[s].split("."), s),
            fqn(*schema_fqn.split("."), t),
            tuple(cols),
            f"curated model {t}",
        )
        for (s, t), cols in pairs.items()
    ]


def build(
    contracts: Sequence[Contract],
    destination: str = "duckdb",
    results: dict[str, RuleResult] | None = None,
    when: datetime | None = None,
) -> Payloads:
    """Every create request for the contracts' tables in destination, rules and lineage.

    The first contract's tables are also registered as raw files (Datalake service) with
    lineage raw file -> warehouse table; later contracts' tables get lineage from the
    warehouse tables their columns' `transformSourceObjects` name.
    """
    target, results, when = targets.get(destination), results or {}, when or datetime.now(UTC)
    service = targets.service_name(target)
    raw_service = targets.service_name(targets.RAW)
    out = Payloads(destination, [f"{c.id} {c.version}" for c in contracts])
    out.services = [
        CreateDatabaseServiceRequest(
            name=service,
            serviceType=target.service_type,
            description=f"contractbook warehouse ({destination}); {target.note}".rstrip("; "),
        ),
        CreateDatabaseServiceRequest(
            name=raw_service, serviceType=targets.RAW.service_type, description=targets.RAW.note
        ),
    ]
    db_fqn, raw_db = fqn(service, target.database), fqn(raw_service, targets.RAW.database)
    raw_schema = fqn(raw_service, targets.RAW.database, targets.RAW_SCHEMA)
    out.databases = [
        CreateDatabaseRequest(name=target.database, service=service),
        CreateDatabaseRequest(name=targets.RAW.database, service=raw_service),
    ]
    out.schemas.append(
        CreateDatabaseSchemaRequest(
            name=targets.RAW_SCHEMA, database=raw_db, description="raw CSV files"
        )
    )
    levels = sorted(
        {
            c.classification
            for k in contracts
            for t in k.tables
            for c in t.columns
            if c.classification
        }
    )
    out.classifications = [
        CreateClassificationRequest(
            name=CLASSIFICATION,
            description="Classification of columns as declared in the "
            "data contracts (ODCS `classification`).",
        )
    ]
    out.tags = [
        CreateTagRequest(
            name=lv,
            classification=CLASSIFICATION,
            description=f"Columns the contract classifies `{lv}`.",
        )
        for lv in levels
    ]
    where: dict[str, str] = {}
    seen: set[str] = set()  # schema FQNs already requested (contracts may share a schema)
    for i, contract in enumerate(contracts):
        schema = targets.schema_of(contract)
        schema_fqn = fqn(service, target.database, schema)
        if schema_fqn not in seen:
            seen.add(schema_fqn)
            out.schemas.append(
                CreateDatabaseSchemaRequest(
                    name=schema, database=db_fqn, description=f"tables of contract {contract.id}"
                )
            )
        by_name = {t.name: t for t in contract.tables}
        for t in contract.tables:
            out.tables.append(table(t, schema_fqn, by_name))
            if i == 0:
                out.tables.append(table(t, raw_schema))
        for rule in contract.rules:
            tb = by_name[rule.table]
            tc = test_case(
                rule, fqn(*schema_fqn.split("."), tb.physical), schema, tb, target.dialect
            )
            out.test_cases.append(tc)
            if rule.id in results:
                out.test_results[fqn(*schema_fqn.split("."), tb.physical, tc.name.root)] = (
                    test_result(results[rule.id], when)
                )
        out.lineage += (
            _raw_edges(contract, raw_schema, schema_fqn)
            if i == 0
            else _curated_edges(contract, schema_fqn, where)
        )
        where.update({t.name: schema_fqn for t in contract.tables})
    return out
