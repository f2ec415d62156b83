"""A profile of generated data for the notebook: row counts, orders per month, status, defects."""

from __future__ import annotations

from pathlib import Path


def _orders(query: str, out_dir):
    """Run query over `orders` (orders.csv read by the one reader, well-formed records only)."""
    import tempfile

    import duckdb

    from contractbook.reading.stage import stage

    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as work:
        s = stage(
            con,
            "orders",
            ["order_status", "order_purchase_timestamp"],
            Path(out_dir) / "orders.csv",
            work,
        )
        return con.execute(query.replace("{orders}", s.raw), s.params).df()


def row_counts(result):
    """Records per table (as written, planted ones included) and planted defects per table."""
    import pandas as pd

    planted: dict[str, int] = {}
    for d in result.defects:
        planted[d["table"]] = planted.get(d["table"], 0) + 1
    return pd.DataFrame(
        {
            "table": list(result.rows),
            "rows": list(result.rows.values()),
            "planted defects": [planted.get(t, 0) for t in result.rows],
        }
    )


def orders_per_month(out_dir):
    """Orders per purchase month (readable records only)."""
    return _orders(
        """SELECT date_trunc('month', TRY_CAST(order_purchase_timestamp AS TIMESTAMP))
                    AS month, count(*) AS orders FROM {orders} GROUP BY 1 HAVING month IS NOT NULL
                    ORDER BY 1""",
        out_dir,
    )


def status_mix(out_dir):
    """Orders per status, with the share of all orders."""
    return _orders(
        """SELECT order_status, count(*) AS orders,
                    round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS percent
                    FROM {orders} GROUP BY 1 ORDER BY 2 DESC""",
        out_dir,
    )


def defect_summary(out_dir):
    """Planted defects per kind and rule id, from defects.csv."""
    import duckdb

    return (
        duckdb.connect()
        .execute(
            """SELECT kind, rule_id, count(*) AS records, min(CAST(line AS INTEGER)) AS first_line
           FROM read_csv($path, header = true, all_varchar = true)
           GROUP BY ALL ORDER BY kind, rule_id""",
            {"path": str(Path(out_dir) / "defects.csv")},
        )
        .df()
    )


def plot(per_month, mix):
    """Two panels: orders per month (a bar per month) and the status mix (log scale)."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 3.5), width_ratios=(2, 1))
    left.bar(per_month["month"], per_month["orders"], width=25)
    left.set_title("orders per purchase month")
    right.barh(mix["order_status"], mix["orders"])
    right.set_xscale("log")
    right.invert_yaxis()
    right.set_title("order status (log scale)")
    fig.tight_layout()
    return fig
