"""The contract model and its validation: the real contract, and a corpus of broken ones."""

from pathlib import Path

import pytest

from contractbook.cli import main
from contractbook.contract import ContractError, load, parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "contracts"
BROKEN = FIXTURES / "broken"

# broken contract -> (line, path, message) of every error it must report, in order.
EXPECTED = {
    "invalid_yaml": [
        (18, "", "invalid YAML: expected <block end>, but found '<block mapping start>'")
    ],
    "missing_required_fields": [
        (2, "", "not valid ODCS: 'version' is a required property"),
        (2, "", "not valid ODCS: 'id' is a required property"),
    ],
    "fk_missing_table": [
        (
            31,
            "schema[orders].properties[customer_id].relationships[0].to",
            "relationship 'orders_customer' points to table 'clients', "
            "which the contract does not declare",
        )
    ],
    "fk_missing_column": [
        (
            31,
            "schema[orders].properties[customer_id].relationships[0].to",
            "relationship 'orders_customer': table 'customers' has no column 'cust_id'",
        )
    ],
    "fk_type_mismatch": [
        (
            31,
            "schema[orders].properties[customer_id].relationships[0].to",
            "relationship 'orders_customer': orders.customer_id (integer) cannot reference "
            "customers.customer_id (string(32))",
        )
    ],
    "pk_missing_column": [
        (
            10,
            "schema[customers].properties",
            "primary key of 'customers' has no column at position(s) [1] (positions declared: [2])",
        )
    ],
    "bad_regex": [
        (
            13,
            "schema[customers].properties[customer_id].logicalTypeOptions.pattern",
            "pattern '^[0-9a-f{32}$' of customers.customer_id does not compile: "
            "unterminated character set at position 1",
        )
    ],
    "duplicate_column": [
        (
            17,
            "schema[customers].properties[customer_id].name",
            "column 'customer_id' is declared twice in table 'customers'",
        )
    ],
    "unsafe_identifier": [
        (
            20,
            "schema[../orders; drop table x].name",
            "table name '../orders; drop table x' contains `/` (a table's default "
            "input file is <name>.csv)",
        )
    ],
    "empty_allowed_values": [
        (
            37,
            "schema[orders].properties[order_status].quality[0].arguments.validValues",
            "the validValues list is empty",
        )
    ],
    "unknown_type": [
        (
            19,
            "schema[customers].properties[customer_state].physicalType",
            "column 'customer_state': physicalType 'geography' is not understood; use one of "
            "bigint, bool, boolean, char, date, datetime, decimal, double, float, float64, int, "
            "integer, long, numeric, real, smallint, string, text, time, timestamp, timestamp_tz, "
            "timestamptz, varchar, with (length) or (p,s)",
        )
    ],
    "bad_sql_rule": [
        (
            42,
            "schema[orders].quality[0].query",
            "SQL rule 'broken_sql' does not parse: Expecting ). Line 1, Col: 19.",
        )
    ],
    "unsupported_api_version": [(2, "apiVersion", "apiVersion 'v2.0.0' is not supported")],
    "many_errors": [
        (
            13,
            "schema[customers].properties[customer_id].logicalTypeOptions.pattern",
            "pattern '(' of customers.customer_id does not compile: missing ), unterminated "
            "subpattern at position 0",
        ),
        (
            17,
            "schema[customers].properties[customer_id].name",
            "column 'customer_id' is declared twice in table 'customers'",
        ),
        (
            31,
            "schema[orders].properties[customer_id].relationships[0].to",
            "relationship 'orders_customer' points to table 'clients', "
            "which the contract does not declare",
        ),
    ],
}


def test_corpus_is_complete():
    assert {p.stem for p in BROKEN.glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_contract_reports_exact_errors(name):
    contract, problems = parse(BROKEN / f"{name}.yaml")
    errors = [p for p in problems if p.severity == "error"]
    assert contract is None
    assert [(p.line, p.path, p.message) for p in errors] == EXPECTED[name]
    assert all(p.file.endswith(f"{name}.yaml") and p.fix for p in errors)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_cli_exits_1_naming_file_and_place(name, capsys):
    assert main(["validate", str(BROKEN / f"{name}.yaml")]) == 1
    err = capsys.readouterr().err
    line, path, message = EXPECTED[name][0]
    assert f"{name}.yaml:{line}: error: {path or '<root>'}: {message}" in err
    assert "fix: " in err


def test_load_raises_with_every_problem():
    with pytest.raises(ContractError) as e:
        load(BROKEN / "many_errors.yaml")
    assert len(e.value.problems) == 3 and "3 error(s)" in str(e.value)


def test_missing_file_is_a_clear_error():
    contract, problems = parse(FIXTURES / "nope.yaml")
    assert contract is None and problems[0].message == "file not found"


def test_real_contract_is_valid_with_no_warnings(contract_path, capsys):
    assert main(["validate", str(contract_path)]) == 0
    assert (
        "valid ODCS v3.1.0 contract urn:contractbook:olist_mini v2.0.0: 9 tables"
        in capsys.readouterr().out
    )


def test_real_contract_is_valid_odcs_for_the_package_model(contract_path):
    import yaml
    from open_data_contract_standard.model import OpenDataContractStandard

    model = OpenDataContractStandard(**yaml.safe_load(contract_path.read_text()))
    assert model.apiVersion == "v3.1.0" and len(model.schema_) == 9


def test_model_tables_keys_and_order(contract):
    assert contract.table_names == [
        "customers",
        "geolocation",
        "product_category_name_translation",
        "products",
        "sellers",
        "orders",
        "order_items",
        "order_payments",
        "order_reviews",
    ]
    assert contract.table("order_items").primary_key == ("order_id", "order_item_id")
    assert contract.table("order_payments").primary_key == ("order_id", "payment_sequential")
    assert contract.table("order_reviews").primary_key == ("review_id", "order_id")
    assert contract.table("geolocation").primary_key == ()
    order = contract.dependency_order
    for r in contract.relationships:
        assert order.index(r.to_table) < order.index(r.table), r.id


def test_model_types_keep_ids_as_strings_and_money_as_decimal(contract):
    items = contract.table("order_items")
    assert str(items.column("price").type) == "decimal(10,2)"
    assert items.column("shipping_limit_date").type.kind == "timestamp"
    assert contract.table("customers").column("customer_zip_code_prefix").type.kind == "string"
    assert contract.table("products").column("product_name_lenght").type.kind == "integer"


def test_every_foreign_key_is_declared(contract):
    fks = {
        (r.table, r.columns, r.to_table, r.to_columns, r.on_violation)
        for r in contract.relationships
    }
    assert fks == {
        ("orders", ("customer_id",), "customers", ("customer_id",), "reject"),
        ("order_items", ("order_id",), "orders", ("order_id",), "reject"),
        ("order_items", ("product_id",), "products", ("product_id",), "reject"),
        ("order_items", ("seller_id",), "sellers", ("seller_id",), "reject"),
        ("order_payments", ("order_id",), "orders", ("order_id",), "reject"),
        ("order_reviews", ("order_id",), "orders", ("order_id",), "reject"),
        (
            "products",
            ("product_category_name",),
            "product_category_name_translation",
            ("product_category_name",),
            "warn",
        ),
    }


def test_rule_ids_are_unique_and_cover_every_constraint(contract):
    ids = [r.id for r in contract.rules]
    assert len(ids) == len(set(ids))
    by_kind = {
        k: {r.id for r in contract.rules if r.kind == k} for k in {r.kind for r in contract.rules}
    }
    assert by_kind["allowed_values"] == {
        "orders.order_status.allowed_values",
        "order_payments.payment_type.allowed_values",
    }
    assert by_kind["sql"] == {
        "orders.sql.order_timestamps_ordered",
        "order_payments.sql.payments_match_items",
        "orders.sql.order_handover_sequence",
        "order_payments.sql.payments_below_items",
    }
    policy = {r.id: r.policy for r in contract.rules if r.kind == "sql"}
    assert policy["orders.sql.order_handover_sequence"] == "warn"  # known quirks: warned
    assert policy["order_payments.sql.payments_below_items"] == "warn"
    assert policy["orders.sql.order_timestamps_ordered"] == "reject"
    required = sum(c.required for t in contract.tables for c in t.columns)
    assert len(by_kind["required"]) == required
    assert "order_reviews.review_score.range" in by_kind["range"]
    assert all(r.params["rows_query"] for r in contract.rules if r.kind == "sql")


def test_v32_enum_form_is_read_like_valid_values(tmp_path):
    text = (
        (FIXTURES / "minimal.yaml")
        .read_text()
        .replace(
            "        quality:\n          - metric: invalidValues\n"
            "            arguments: {validValues: [delivered, shipped]}\n            mustBe: 0\n",
            "        enum:\n          - value: delivered\n          - value: shipped\n",
        )
        .replace("v3.1.0", "v3.2.0")
    )
    (tmp_path / "c.yaml").write_text(text)
    column = load(tmp_path / "c.yaml").table("orders").column("order_status")
    assert (
        column.allowed_values == ("delivered", "shipped") and column.allowed_values_form == "enum"
    )


def test_unenforced_declarations_are_warnings(tmp_path):
    text = (
        (FIXTURES / "minimal.yaml")
        .read_text()
        .replace(
            "            mustBe: 0\n",
            "            mustBe: 0\n          - metric: rowCount\n"
            "            mustBeGreaterThan: 10\n",
        )
    )
    (tmp_path / "c.yaml").write_text(text)
    contract = load(tmp_path / "c.yaml")
    assert [w.message for w in contract.warnings] == [
        "quality rule 'rowCount' is declared but not enforced by contractbook"
    ]


def test_contract_renders_as_html(contract):
    html = contract._repr_html_()
    assert (
        "<table" in html
        and "product_name_lenght" in html
        and "&rarr; customers.customer_id" in html
    )


def test_error_points_at_the_broken_one_of_two_unnamed_relationships(tmp_path):
    text = (
        (FIXTURES / "minimal.yaml")
        .read_text()
        .replace(
            "          - id: orders_customer\n            to: customers.customer_id\n",
            "          - to: customers.customer_id\n          - to: customers.missing_column\n",
        )
    )
    (tmp_path / "c.yaml").write_text(text)
    _, problems = parse(tmp_path / "c.yaml")
    errors = [p for p in problems if p.severity == "error"]
    assert [p.path for p in errors] == [
        "schema[orders].properties[customer_id].relationships[1].to"
    ]
    assert errors[0].line == 31


def test_relationship_ids_must_be_unique(tmp_path):
    text = (
        (FIXTURES / "minimal.yaml")
        .read_text()
        .replace(
            "          - id: orders_customer\n            to: customers.customer_id\n",
            "          - to: customers.customer_id\n          - to: customers.customer_id\n",
        )
    )
    (tmp_path / "c.yaml").write_text(text)
    contract, problems = parse(tmp_path / "c.yaml")
    assert contract is None
    assert [(p.path, p.message) for p in problems if p.severity == "error"] == [
        (
            "schema[orders].properties[customer_id].relationships[1]",
            "relationship id 'orders_customer_id__customers_customer_id' is used twice",
        )
    ]
