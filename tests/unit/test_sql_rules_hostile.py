"""Hostile `type: sql` rules: each forbidden construct is an error naming rule and construct."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from contractbook.contract import parse
from contractbook.contract.sqlrules import rows_query

RULE = "order_timestamps_ordered"
CANARY = "/tmp/contractbook-canary-never-read.txt"
FN = "(reads outside the contract's tables)"

# query -> the construct the error names (exact)
REFUSED = {
    f"SELECT COUNT(*) FROM read_csv('{CANARY}')": "table function read_csv() in FROM",
    f"SELECT COUNT(*) FROM (SELECT content FROM read_text('{CANARY}'))": "table function read_text() in FROM",
    "SELECT COUNT(*) FROM glob('/tmp/*')": "table function glob() in FROM",
    "SELECT COUNT(*) FROM 'file.csv'": "file path 'file.csv', which is not a contract table",
    "SELECT COUNT(*) FROM orders JOIN read_parquet('x.parquet') ON true": "table function read_parquet() in FROM",
    "SELECT COUNT(*) FROM query('DROP TABLE orders')": "table function query() in FROM",
    "SELECT COUNT(*) FROM duckdb_tables()": "table function duckdb_tables() in FROM",
    "SELECT COUNT(*) FROM (SELECT getenv('HOME') AS h)": f"function getenv() {FN}",
    "SELECT COUNT(*) FROM unnest([1, 2])": "UNNEST in FROM",
    "SELECT COUNT(*) FROM orders, LATERAL (SELECT 1)": "LATERAL in FROM",
    "WITH x AS (SELECT * FROM read_csv('f.csv')) SELECT COUNT(*) FROM x": "table function read_csv() in FROM",
    f"COPY orders TO '{CANARY}'": "COPY statement (only SELECT is allowed)",
    f"ATTACH '{CANARY}' AS x": "ATTACH statement (only SELECT is allowed)",
    "DETACH x": "DETACH statement (only SELECT is allowed)",
    "INSTALL httpfs": "INSTALL statement (only SELECT is allowed)",
    "LOAD httpfs": "LOAD statement (only SELECT is allowed)",
    "PRAGMA version": "PRAGMA statement (only SELECT is allowed)",
    "SET threads = 1": "SET statement (only SELECT is allowed)",
    "CALL pragma_version()": "CALL statement (only SELECT is allowed)",
    "USE memory": "USE statement (only SELECT is allowed)",
    "DROP TABLE orders": "DROP statement (only SELECT is allowed)",
    "DELETE FROM orders": "DELETE statement (only SELECT is allowed)",
    "INSERT INTO orders SELECT * FROM orders": "INSERT statement (only SELECT is allowed)",
    "UPDATE orders SET order_status = 'x'": "UPDATE statement (only SELECT is allowed)",
    "CREATE TABLE x AS SELECT 1": "CREATE statement (only SELECT is allowed)",
    "DESCRIBE orders": "DESCRIBE statement (only SELECT is allowed)",
    "SELECT COUNT(*) FROM orders; DROP TABLE orders": "2 statements (only one SELECT is allowed)",
    "BEGIN; SELECT 1": "2 statements (only one SELECT is allowed)",
    "SELECT COUNT(*) FROM main.orders": "qualified table name main.orders (use the contract's table names)",
    "SELECT COUNT(*) FROM (SELECT * FROM information_schema.tables)": "qualified table name information_schema.tables (use the contract's table names)",
    "SELECT COUNT(*) FROM secrets": "table 'secrets', which is not a contract table",
    "-- only a comment": "an empty query",
}
# Comment tricks that are comments: accepted, and what runs is the tree without them.
COMMENT_TRICKS = {
    f"SELECT COUNT(*) FROM (SELECT order_id FROM orders -- */ ; COPY orders TO '{CANARY}'\n)": "SELECT\n  order_id\nFROM orders",
    "SELECT COUNT(*) FROM (SELECT order_id FROM orders /* -- */ WHERE false -- */ DROP TABLE x\n)": "SELECT\n  order_id\nFROM orders\nWHERE\n  FALSE",
}


def _contract_with(tmp_path, contract_path, query: str):
    doc = yaml.safe_load(contract_path.read_text(encoding="utf-8"))
    orders = next(o for o in doc["schema"] if o["name"] == "orders")
    rule = next(q for q in orders["quality"] if q.get("id") == RULE)
    rule["query"] = query
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("query", list(REFUSED))
def test_forbidden_rule_is_a_validation_error(tmp_path, contract_path, query):
    contract, problems = parse(_contract_with(tmp_path, contract_path, query))
    errors = [p.message for p in problems if p.severity == "error"]
    assert contract is None
    assert errors == [f"SQL rule {RULE!r} is refused: {REFUSED[query]}"]


@pytest.mark.parametrize("query", list(COMMENT_TRICKS))
def test_comment_tricks_stay_comments(tmp_path, contract_path, query):
    contract, problems = parse(_contract_with(tmp_path, contract_path, query))
    assert contract is not None, [p.message for p in problems]
    rule = next(r for r in contract.rules if r.id == f"orders.sql.{RULE}")
    assert rule.params["rows_query"] == COMMENT_TRICKS[query]
    assert rows_query(query) == COMMENT_TRICKS[query]


def test_validate_cli_exits_1_naming_rule_and_construct(tmp_path, contract_path):
    path = _contract_with(tmp_path, contract_path, f"COPY orders TO '{CANARY}'")
    out = subprocess.run(
        [sys.executable, "-m", "contractbook", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1, out.stderr
    text = out.stdout + out.stderr
    assert f"SQL rule {RULE!r} is refused: COPY statement (only SELECT is allowed)" in text
    assert "Traceback" not in text
