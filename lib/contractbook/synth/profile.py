"""A short profile of generated data for the notebook: row counts, orders per month, status mix, defects."""

from __future__ import annotations

from pathlib import Path

# The path is a bound parameter ($path), never SQL text.
_READ = ("read_csv($path, header = true, all_varchar = true, delim = ',', quote = '\"', "
         "escape = '\"', ignore_errors = true)")


def _sql(query: str, path: Path):
    import duckdb

    return duckdb.connect().execute(query, {"path": str(path)}).df()


def row_counts(result):
    """Records per table (as written, planted ones included) and planted defects per table."""
    import pandas as pd

    planted = {}
    for d in result.defects:
        planted[d["table"]] = planted.get(d["table"], 0) + 1
    return pd.DataFrame({"table": list(result.rows), "rows": list(result.rows.values()),
                         "planted defects": [planted.get(t, 0) for t in result.rows]})


def orders_per_month(out_dir):
    """Orders per purchase month (readable records only)."""
    path = Path(out_dir) / "orders.csv"
    return _sql(f"""SELECT date_trunc('month', TRY_CAST(order_purchase_timestamp AS TIMESTAMP)) AS month,
                    count(*) AS orders FROM {_READ} GROUP BY 1 HAVING month IS NOT NULL
                    ORDER BY 1""", path)


def status_mix(out_dir):
    """Orders per status, with the share of all orders."""
    path = Path(out_dir) / "orders.csv"
    return _sql(f"""SELECT order_status, count(*) AS orders,
                    round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS percent
                    FROM {_READ} GROUP BY 1 ORDER BY 2 DESC""", path)


def defect_summary(out_dir):
    """Planted defects per kind and rule id, from defects.csv."""
    path = Path(out_dir) / "defects.csv"
    return _sql("""SELECT kind, rule_id, count(*) AS records, min(CAST(line AS INTEGER)) AS first_line
                    FROM read_csv($path, header = true, all_varchar = true)
                    GROUP BY ALL ORDER BY kind, rule_id""", path)


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
