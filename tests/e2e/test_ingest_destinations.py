"""The same ingest into a real PostgreSQL server and into Delta tables, read back from each."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractbook.ingest.run import ingest

CLEAN = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "clean"


def _run(contract, tmp_path, destination, warehouse=None):
    return ingest(
        contract,
        CLEAN,
        destination,
        warehouse,
        rejects_dir=tmp_path / "rejects",
        state_dir=tmp_path / "state",
        progress=lambda *_: None,
    )


@pytest.mark.postgres
def test_postgres_twice_same_rows(contract, tmp_path, postgres_dsn, monkeypatch):
    import psycopg2

    # dlt insists on a password; the throwaway server trusts local connections and ignores it
    user, rest = postgres_dsn.split("://", 1)[1].split("@", 1)
    creds = f"postgresql://{user.split(':')[0]}:unused@{rest}"
    monkeypatch.setenv("DESTINATION__POSTGRES__CREDENTIALS", creds)
    runs = []
    for _ in range(2):
        result = _run(contract, tmp_path, "postgres")
        assert result.ok
        runs.append(result.run_id)
    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        counts = {}
        for t in contract.table_names:
            cur.execute(f'SELECT count(*) FROM olist."{t}"')
            counts[t] = cur.fetchall()[0][0]
        cur.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = 'olist' "
            "AND table_name = 'order_items' AND column_name = 'price'"
        )
        price_type = cur.fetchall()[0][0]
        # this test's runs only: the server is shared with the other PostgreSQL tests
        cur.execute("SELECT count(*) FROM olist._run_metrics WHERE run_id = ANY(%s)", [runs])
        metric_rows = cur.fetchall()[0][0]
    assert counts == {
        "customers": 3,
        "geolocation": 3,
        "product_category_name_translation": 2,
        "products": 2,
        "sellers": 2,
        "orders": 3,
        "order_items": 3,
        "order_payments": 3,
        "order_reviews": 3,
    }
    assert price_type == "numeric" and metric_rows == 2 * len(contract.tables)


def test_postgres_refuses_a_warehouse_path(contract, tmp_path):
    with pytest.raises(ValueError, match="takes no --warehouse"):
        _run(contract, tmp_path, "postgres", tmp_path / "x")


def test_filesystem_delta_twice_same_rows(contract, tmp_path):
    from deltalake import DeltaTable

    for _ in range(2):
        assert _run(contract, tmp_path, "filesystem", tmp_path / "delta").ok
    root = tmp_path / "delta" / "olist"
    items = DeltaTable(str(root / "order_items")).to_pyarrow_dataset().to_table()
    assert items.num_rows == 3 and str(items.schema.field("price").type) == "decimal128(10, 2)"
    geo = DeltaTable(str(root / "geolocation")).to_pyarrow_dataset().to_table()
    assert geo.num_rows == 3  # no key: replaced, not appended
    reviews = DeltaTable(str(root / "order_reviews")).to_pyarrow_dataset().to_table()
    assert sorted(reviews.column("review_score").to_pylist()) == [1, 4, 5]


@pytest.mark.postgres
def test_postgres_table_of_other_types_is_one_refusal_then_loads_once_dropped(
    contract, tmp_path, postgres_dsn, monkeypatch
):
    """PostgreSQL refusing a table's rows: LoadRefused naming it, nothing pending after it, and
    the run after the table was dropped creates it again and loads (dlt recorded the table)."""
    import psycopg2

    from contractbook.errors import LoadRefused

    user, rest = postgres_dsn.split("://", 1)[1].split("@", 1)
    monkeypatch.setenv(
        "DESTINATION__POSTGRES__CREDENTIALS", f"postgresql://{user.split(':')[0]}:unused@{rest}"
    )
    _run(contract, tmp_path, "postgres")  # the tables exist and dlt recorded them
    cols = ", ".join(f'"{c.physical}" INTEGER' for c in contract.table("sellers").columns)
    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        cur.execute(f"DROP TABLE olist.sellers; CREATE TABLE olist.sellers ({cols})")
    try:
        with pytest.raises(LoadRefused, match=r"refused the rows of table 'sellers' \(") as err:
            _run(contract, tmp_path / "second", "postgres")
        assert "unused" not in str(err.value)  # no secret in the message
        assert not list((tmp_path / "second" / "state").glob("*/load/normalized/*"))
    finally:
        with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
            cur.execute("DROP TABLE olist.sellers")
    assert _run(contract, tmp_path / "third", "postgres").ok
    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM olist.sellers")
        assert cur.fetchall()[0][0] == 2
