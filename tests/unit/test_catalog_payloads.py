"""OpenMetadata payloads from the contract: SDK models, types, keys, tags, tests, lineage, YAMLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractbook.catalog import results
from contractbook.contract import TYPE_KINDS, load

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "catalog" / "curated.yaml"
RUN = "20261201T000000Z-abcdef01"


@pytest.fixture(scope="module")
def sdk():
    """The SDK modules the payloads are built with (imported once: ~10 s)."""
    from contractbook.catalog import files, payloads, workflows

    return payloads, files, workflows


@pytest.fixture(scope="module")
def curated():
    return load(FIXTURE)


def metrics_rows(contract) -> list[results.MetricsRow]:
    """_run_metrics rows of two runs; the later one has failures on two rules."""
    rows = []
    for run, bad in (
        ("20261130T000000Z-00000000", {"orders.order_status.allowed_values": 9}),
        (RUN, {"orders.order_id.pattern": 2, "orders.sql.order_timestamps_ordered": 1}),
    ):
        for t in contract.tables:
            reasons = {k: v for k, v in bad.items() if k.startswith(t.name + ".")}
            warned = {"products.foreign_key.products_category": 3} if t.name == "products" else {}
            rows.append(
                results.MetricsRow.from_dict(
                    {
                        "run_id": run,
                        "table_name": t.name,
                        "rows_read": 100,
                        "rows_loaded": 100 - sum(reasons.values()),
                        "rows_rejected": sum(reasons.values()),
                        "rejected_by_reason": json.dumps(reasons),
                        "warnings_by_rule": json.dumps(warned),
                    }
                )
            )
    return rows


@pytest.fixture(scope="module")
def built(sdk, contract, curated):
    payloads = sdk[0]
    found = results.rule_results(contract, metrics_rows(contract))
    return payloads.build([contract, curated], "duckdb", found)


def test_rule_results_come_from_the_latest_run(contract):
    found = results.rule_results(contract, metrics_rows(contract))
    assert set(found) == {r.id for r in contract.rules}
    failed = {k: v.failing_rows for k, v in found.items() if not v.passed}
    assert failed == {
        "orders.order_id.pattern": 2,
        "orders.sql.order_timestamps_ordered": 1,
        "products.foreign_key.products_category": 3,
    }
    assert {v.run_id for v in found.values()} == {RUN}
    assert results.rule_results(contract, []) == {}


def test_every_document_validates_against_the_sdk_models(sdk, built, contract):
    payloads, files, _ = sdk
    from metadata.generated.schema.api.classification.createClassification import (
        CreateClassificationRequest,
    )
    from metadata.generated.schema.api.classification.createTag import CreateTagRequest
    from metadata.generated.schema.api.data.createDatabase import CreateDatabaseRequest
    from metadata.generated.schema.api.data.createDatabaseSchema import (
        CreateDatabaseSchemaRequest,
    )
    from metadata.generated.schema.api.data.createTable import CreateTableRequest
    from metadata.generated.schema.api.services.createDatabaseService import (
        CreateDatabaseServiceRequest,
    )
    from metadata.generated.schema.api.tests.createTestCase import CreateTestCaseRequest
    from metadata.generated.schema.tests.basic import TestCaseResult

    models = {
        m.__name__: m
        for m in (
            CreateDatabaseServiceRequest,
            CreateDatabaseRequest,
            CreateDatabaseSchemaRequest,
            CreateClassificationRequest,
            CreateTagRequest,
            CreateTableRequest,
            CreateTestCaseRequest,
        )
    }
    docs = json.loads(json.dumps(files.documents(built)))  # exactly what lands on disk
    for name, doc in docs.items():
        head = doc["generated"]
        assert head["generator"] == "contractbook.catalog" and head["contracts"][0].startswith(
            f"{contract.id} {contract.version}"
        )
        if name in ("lineage.json", "test_results.json"):
            continue
        model = models[head["model"]]
        assert doc["requests"], name
        for item in doc["requests"]:
            assert json.loads(model.model_validate(item).model_dump_json(exclude_none=True)) == item
    for item in docs["test_results.json"]["requests"]:
        TestCaseResult.model_validate(item["result"])


def test_types_lengths_precision_and_constraints(built):
    tables = {t.databaseSchema.root + "." + t.name.root: t for t in built.tables}
    items = tables["contractbook_duckdb.warehouse.olist.order_items"]
    cols = {c.name.root: c for c in items.columns}
    assert (cols["price"].dataType.value, cols["price"].precision, cols["price"].scale) == (
        "DECIMAL",
        10,
        2,
    )
    assert (cols["order_id"].dataType.value, cols["order_id"].dataLength) == ("VARCHAR", 32)
    assert cols["shipping_limit_date"].dataType.value == "TIMESTAMP"
    assert cols["order_item_id"].dataType.value == "INT"
    reviews = {
        c.name.root: c for c in tables["contractbook_duckdb.warehouse.olist.order_reviews"].columns
    }
    assert reviews["review_comment_message"].dataType.value == "TEXT"
    customers = {
        c.name.root: c for c in tables["contractbook_duckdb.warehouse.olist.customers"].columns
    }
    assert (customers["customer_state"].dataType.value, customers["customer_state"].dataLength) == (
        "CHAR",
        2,
    )
    assert customers["customer_id"].constraint.value == "PRIMARY_KEY"
    cons = [
        (c.constraintType.value, c.columns, [r.root for r in c.referredColumns or []])
        for c in items.tableConstraints
    ]
    assert ("PRIMARY_KEY", ["order_id", "order_item_id"], []) in cons
    assert (
        "FOREIGN_KEY",
        ["seller_id"],
        ["contractbook_duckdb.warehouse.olist.sellers.seller_id"],
    ) in cons
    assert sum(c[0] == "FOREIGN_KEY" for c in cons) == 3


def test_every_type_kind_maps(sdk):
    assert set(sdk[0].DATA_TYPES) == set(TYPE_KINDS)


def test_personal_columns_carry_classification_tags(built, contract):
    wh = [t for t in built.tables if t.databaseSchema.root == "contractbook_duckdb.warehouse.olist"]
    tagged = {
        (t.name.root, c.name.root): sorted(x.tagFQN.root for x in c.tags or [])
        for t in wh
        for c in t.columns
        if c.tags
    }
    personal = {(t.name, c.name) for t in contract.tables for c in t.columns if c.is_personal}
    assert set(tagged) == personal
    assert tagged[("customers", "customer_city")] == [
        "ContractClassification.restricted",
        "PII.Sensitive",
    ]
    assert tagged[("order_reviews", "review_comment_title")] == [
        "ContractClassification.confidential"
    ]
    assert {t.name.root for t in built.tags} == {"restricted", "confidential"}


def test_one_test_case_per_rule_with_the_latest_result(built, contract, curated):
    names = {tc.displayName for tc in built.test_cases}
    assert names == {r.id for r in contract.rules} | {r.id for r in curated.rules}
    by_name = {tc.displayName: tc for tc in built.test_cases}
    assert (
        by_name["orders.order_status.allowed_values"].testDefinition.root == "columnValuesToBeInSet"
    )
    assert (
        by_name["orders.order_id.pattern"].entityLink.root
        == "<#E::table::contractbook_duckdb.warehouse.olist.orders::columns::order_id>"
    )
    sql = {p.name: p.value for p in by_name["orders.sql.order_timestamps_ordered"].parameterValues}
    assert "order_purchase_timestamp" in sql["sqlExpression"]
    res = built.test_results
    pattern = res["contractbook_duckdb.warehouse.olist.orders.orders__order_id__pattern"]
    assert (pattern.testCaseStatus.value, pattern.failedRows, pattern.passedRows) == (
        "Failed",
        2,
        98,
    )
    ok = res["contractbook_duckdb.warehouse.olist.orders.orders__order_status__allowed_values"]
    assert (ok.testCaseStatus.value, ok.failedRows) == ("Success", 0)  # the older run failed
    # the curated fixture has no run yet: test cases, no results
    assert not [k for k in res if ".curated." in k]


def test_curated_tables_and_lineage(built):
    schemas = {s.name.root for s in built.schemas}
    assert schemas == {"raw", "olist", "curated"}
    edges = {(e.from_fqn, e.to_fqn): e for e in built.lineage}
    raw = ("contractbook_raw.files.raw.orders", "contractbook_duckdb.warehouse.olist.orders")
    assert raw in edges and len(edges[raw].columns) == 8
    cur = edges[
        (
            "contractbook_duckdb.warehouse.olist.order_items",
            "contractbook_duckdb.warehouse.curated.daily_orders",
        )
    ]
    assert sorted(f[0] for f, _ in cur.columns) == [
        "contractbook_duckdb.warehouse.olist.order_items.freight_value",
        "contractbook_duckdb.warehouse.olist.order_items.price",
    ]
    assert {t for _, t in cur.columns} == {
        "contractbook_duckdb.warehouse.curated.daily_orders.revenue"
    }
    assert (
        "contractbook_duckdb.warehouse.olist.customers",
        "contractbook_duckdb.warehouse.curated.customer_orders",
    ) in edges
    assert len(built.lineage) == 9 + 4


def test_destination_picks_the_service_type(sdk, contract):
    payloads = sdk[0]
    pg = payloads.build([contract], "postgres")
    assert pg.services[0].serviceType.value == "Postgres"
    assert payloads.build([contract], "duckdb").services[0].serviceType.value == "CustomDatabase"
    with pytest.raises(
        ValueError, match="unknown catalog destination 'oracle'; choose one of duckdb"
    ):
        payloads.build([contract], "oracle")


def test_workflow_yamls_validate_offline(sdk, contract):
    import yaml

    _, _, workflows = sdk
    for source in workflows.SOURCES:
        text = workflows.render(source, contract)
        assert text.startswith("# metadata ingest") and "urn:contractbook:olist_mini" in text
        workflows.validate(yaml.safe_load(text))
    broken = workflows.config("unitycatalog", contract)
    del broken["source"]["serviceConnection"]["config"]["hostPort"]
    with pytest.raises(Exception, match="hostPort"):
        workflows.validate(broken)


def test_files_are_written_without_secrets(sdk, built, contract, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENMETADATA_JWT_TOKEN", "eyJsecret-token-value")
    paths = sdk[1].write(built, contract, tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in paths)
    assert "tables.json" in names and "workflows/unitycatalog.yaml" in names
    assert not any("eyJsecret" in p.read_text() for p in paths)


def test_contracts_sharing_a_schema_request_it_once(sdk, contract):
    built = sdk[0].build([contract, contract])
    assert [s.name.root for s in built.schemas] == ["raw", "olist"]


def test_warehouse_tables_carry_physical_names_and_raw_files_logical_ones(sdk):
    payloads = sdk[0]
    odd = load(
        Path(__file__).resolve().parents[1]
        / "fixtures"
        / "contracts"
        / "world"
        / "v320_odd_names.yaml"
    )
    p = payloads.build([odd])
    by_schema = {}
    for t in p.tables:
        by_schema.setdefault(t.databaseSchema.root.rsplit(".", 1)[-1], {})[t.name.root] = t
    wh, raw = by_schema["Odd Schema"], by_schema["raw"]
    assert set(wh) == {"Tbl Clients (v1), Ü", "Orders (2026)"}
    assert set(raw) == {"Client; Records", "Orders (2026)"}
    clients = wh["Tbl Clients (v1), Ü"]
    assert clients.displayName == "Client; Records"
    assert [c.displayName for c in clients.columns] == ["client.id", None, "back\\slash"]
    fk = next(k for k in wh["Orders (2026)"].tableConstraints if k.referredColumns)
    assert fk.columns == ["client \\ fk"]
    assert fk.referredColumns[0].root.endswith('Tbl Clients (v1), Ü.Client "ID"')
    edge = next(e for e in p.lineage if e.from_fqn.endswith("Client; Records"))
    assert edge.to_fqn.endswith("Odd Schema.Tbl Clients (v1), Ü")


def test_a_table_name_with_quotes_registers_under_its_own_name(sdk):
    """OpenMetadata encodes `"` in names for storage; the registered name decodes to the
    physicalName the warehouse holds (relayed names such as `it's "quoted"`)."""
    payloads = sdk[0]
    world = Path(__file__).resolve().parents[1] / "fixtures" / "contracts" / "world"
    dotted = load(world / "v310_dotted_names.yaml")
    tables = {t.name: t for t in dotted.tables}
    for t in dotted.tables:
        req = payloads.table(t, "svc.db.schema", tables)
        assert payloads.registered_name(req) == t.physical
    quoted = payloads.table(tables["order_lines"], "svc.db.schema", tables)
    assert getattr(quoted.name, "root", quoted.name) != tables["order_lines"].physical


def test_rejects_test_sql_quotes_names_and_matches_only_its_rule(tmp_path):
    """The SQL a test case runs quotes the schema and table and writes the rule id as a literal:
    it runs on a table named with quotes and finds exactly the rows of its own rule."""
    import duckdb

    from contractbook.catalog.payloads import _sql
    from contractbook.contract import Rule

    rule_id = 'it\'s "q"_a%b.amount.range'
    rule = Rule(rule_id, "range", 'it\'s "q"', ("amount",), {"minimum": 0}, "reject", "")
    sql = _sql(rule, 'it\'s "q"__rejects', "odd schema", "duckdb")
    con = duckdb.connect()
    con.execute('CREATE SCHEMA "odd schema"')
    con.execute('CREATE TABLE "odd schema"."it\'s ""q""__rejects" (n INT, reject_reasons VARCHAR)')
    others = ['it\'s "q"Xa%b.amount.range', 'it\'s "q"_aZZb.amount.range', "other.rule"]
    for n, ids in enumerate([[rule_id], others, [others[2], rule_id]]):
        con.execute(
            'INSERT INTO "odd schema"."it\'s ""q""__rejects" SELECT ?, CAST(to_json(?) AS VARCHAR)',
            [n, ids],
        )
    assert sorted(r[0] for r in con.execute(sql).fetchall()) == [0, 2]
