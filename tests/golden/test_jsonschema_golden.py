"""JSON Schemas: golden files for a fixture contract, validity and sample checks."""

import json
from pathlib import Path

import pytest

from contractbook.contract import load
from contractbook.jsonschema import check_sample, generate, render

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def test_golden_schemas_for_fixture_contract():
    contract = load(ROOT / "tests" / "fixtures" / "contracts" / "minimal.yaml")
    expected = HERE / "expected" / "jsonschema" / "minimal"
    got = {f"{name}.json": render(schema) for name, schema in generate(contract).items()}
    assert got == {p.name: p.read_text() for p in expected.glob("*.json")}


def test_schemas_are_valid_draft_2020_12_with_provenance(contract):
    import jsonschema

    for name, schema in generate(contract).items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["x-contractbook"]["version"] == contract.version
        assert list(schema["properties"]) == contract.table(name).column_names


@pytest.fixture
def sample_dir(tmp_path, contract):
    cols = contract.table("order_reviews").column_names
    good = [
        "a" * 32,
        "b" * 32,
        "5",
        "",
        '"Ótimo, chegou ""rápido""\nobrigado"',
        "2018-01-18 00:00:00",
        "2018-01-19 10:00:00",
    ]
    bad = ["a" * 32, "c" * 32, "7", "", "", "2018-01-18", "2018-01-19 10:00:00"]
    lines = [",".join(cols), ",".join(good), ",".join(bad)]
    (tmp_path / "order_reviews.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_sample_check_reports_each_violation(contract, sample_dir):
    violations = check_sample(contract, sample_dir, n=10)
    assert {(v.table, v.record, v.path) for v in violations} == {
        ("order_reviews", 4, "review_score"),
        ("order_reviews", 4, "review_creation_date"),
    }
    assert json.dumps([v.message for v in violations])  # record = physical line (good one: 2-3)


def test_sample_check_reads_bom_and_quoted_header(contract, sample_dir):
    path = sample_dir / "order_reviews.csv"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    header, rest = text.split("\r\n", 1)
    quoted = ",".join(f'"{h}"' for h in header.split(","))
    path.write_bytes(b"\xef\xbb\xbf" + (quoted + "\r\n" + rest).encode())
    violations = check_sample(contract, sample_dir, n=10)
    assert {(v.record, v.path) for v in violations} == {
        (4, "review_score"),
        (4, "review_creation_date"),
    }
