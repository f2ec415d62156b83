"""Benchmark of issue 5 item 9: contractbook ingest (every check + rejects) vs DuckDB alone.

Each step runs in its own Python process so its peak memory (max RSS) is its own; every step is
a function returning a dict, and `run` returns all of them plus the ratio against the target.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

TARGET_RATIO = 3.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def make_data(contract_path, n_orders: int, seed: int, out_dir, defects: str = "all=2") -> dict:
    """Synthetic CSVs (+ manifest) for n_orders, reused when out_dir already holds the same run."""
    out = Path(out_dir)
    manifest = out / "manifest.json"
    if manifest.exists():
        params = json.loads(manifest.read_text()).get("params", {})
        if params.get("n_orders") == n_orders and params.get("seed") == seed:
            return {"step": "make_data", "reused": True, **_size(out)}
    from contractbook.synth.run import generate

    started = time.perf_counter()
    generate(contract_path, n_orders, seed, out, defects=defects, progress=None)
    return {"step": "make_data", "reused": False, "seconds": time.perf_counter() - started, **_size(out)}


def _size(out: Path) -> dict:
    files = [p for p in out.glob("*.csv") if p.name != "defects.csv"]
    return {"csv_bytes": sum(p.stat().st_size for p in files), "files": len(files)}


def typed_select(table, data_dir: Path) -> str:
    """Anchor (a): a table's CSV read by DuckDB alone with the contract types, bad records skipped.

    `store_rejects` rather than `ignore_errors`: on a record with an unterminated quote, DuckDB 2.0
    with ignore_errors skips the rest of the file (measured: 90% of geolocation at 10k orders),
    with store_rejects it skips only the bad record, like the real ingest.
    """
    from contractbook.ingest.castmap import sql_type

    cols = "{" + ", ".join(f"'{c.name}': '{sql_type(c)}'" for c in table.columns) + "}"
    return (f"SELECT * FROM read_csv('{data_dir / (table.name + '.csv')}', columns={cols}, "
            f"header=true, auto_detect=false, delim=',', quote='\"', escape='\"', "
            f"timestampformat='%Y-%m-%d %H:%M:%S', strict_mode=true, store_rejects=true)")


def duckdb_alone(contract_path, data_dir, db_path) -> dict:
    """DuckDB loading the same CSVs into typed tables of a file, timed.

    Bad records go to DuckDB's rejects tables (store_rejects). Not ignore_errors: in DuckDB 2.0.1
    that silently dropped 65,155 valid rows of a 1M-row file holding one malformed line.
    """
    import duckdb

    from contractbook.contract import load

    contract = load(contract_path)
    Path(db_path).unlink(missing_ok=True)
    started, cpu = time.perf_counter(), _cpu()
    con = duckdb.connect(str(db_path))
    rows = 0
    for t in contract.dependency_order:
        con.execute(f'CREATE TABLE "{t}" AS {typed_select(contract.table(t), Path(data_dir))}')
        rows += con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]
    con.close()
    return {"step": "duckdb_alone", "seconds": time.perf_counter() - started,
            "cpu_seconds": _cpu() - cpu, "rows": rows, "peak_rss_mb": _peak_mb()}


def contractbook_ingest(contract_path, data_dir, work_dir) -> dict:
    """contractbook ingest into a DuckDB file: every check, rejects (table + Parquet), dlt merge."""
    from contractbook.contract import load
    from contractbook.ingest.run import ingest

    work = Path(work_dir)
    shutil.rmtree(work, ignore_errors=True)
    contract = load(contract_path)  # outside the timing, as in duckdb_alone
    started, cpu = time.perf_counter(), _cpu()
    result = ingest(contract, data_dir, "duckdb", work / "warehouse.duckdb",
                    rejects_dir=work / "rejects", state_dir=work / "state", progress=lambda *_: None)
    seconds = time.perf_counter() - started
    acc = result.accounting()
    return {"step": "contractbook_ingest", "seconds": seconds, "cpu_seconds": _cpu() - cpu,
            "check_seconds": sum(c.seconds for c in result.checks.values()),
            "load_seconds": result.load_seconds, "phase_seconds": result.phases,
            "accounting_ok": result.ok,
            "rows_read": sum(a["read"] for a in acc), "rows_loaded": sum(a["loaded"] for a in acc),
            "rows_rejected": sum(a["rejected"] for a in acc), "peak_rss_mb": _peak_mb()}


STEPS = {"make_data": make_data, "duckdb_alone": duckdb_alone, "contractbook_ingest": contractbook_ingest}


def in_subprocess(step: str, *args) -> dict:
    """Run one step in a fresh interpreter (own peak memory); returns its dict."""
    code = ("import json, sys; from contractbook.bench.ingest import STEPS; "
            "print(json.dumps(STEPS[sys.argv[1]](*sys.argv[2:])))")
    out = subprocess.run([sys.executable, "-c", code, step, *map(str, args)], check=True,
                         capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(contract_path, n_orders: int, work_dir, seed: int = 42, progress=print) -> dict:
    """Make (or reuse) the data, then time DuckDB alone and contractbook ingest in the same run."""
    work = Path(work_dir)
    data = work / f"raw-{n_orders}-{seed}"
    made = make_data(contract_path, n_orders, seed, data)
    progress(f"data: {made['csv_bytes'] / 1e6:,.0f} MB of CSV in {data}")
    load_before = os.getloadavg()
    progress(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)} "
             f"({os.cpu_count()} cores)")
    alone = in_subprocess("duckdb_alone", contract_path, data, work / "alone.duckdb")
    progress(f"duckdb alone: {alone['seconds']:.2f} s (cpu {alone['cpu_seconds']:.1f} s), "
             f"{alone['rows']:,} rows, "
             f"peak {alone['peak_rss_mb']:,.0f} MB")
    ours = in_subprocess("contractbook_ingest", contract_path, data, work / "ingest")
    progress(f"contractbook ingest: {ours['seconds']:.2f} s (cpu {ours['cpu_seconds']:.1f} s; "
             f"checks {ours['check_seconds']:.2f} s, "
             f"dlt load {ours['load_seconds']:.2f} s), peak {ours['peak_rss_mb']:,.0f} MB, "
             f"accounting {'OK' if ours['accounting_ok'] else 'FAILED'}")
    progress("  phases: " + ", ".join(f"{k} {v:.2f} s" for k, v in ours.get("phase_seconds", {}).items()))
    load_after = os.getloadavg()
    ratio = ours["seconds"] / alone["seconds"]
    cpu_ratio = ours["cpu_seconds"] / alone["cpu_seconds"]
    progress(f"ratio {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x): "
             f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}; cpu time ratio {cpu_ratio:.2f}x; "
             f"load average after: {' '.join(f'{x:.2f}' for x in load_after)}")
    return {"n_orders": n_orders, "seed": seed, "data": made, "duckdb_alone": alone,
            "contractbook_ingest": ours, "ratio": ratio, "cpu_ratio": cpu_ratio, "target_ratio": TARGET_RATIO,
            "target_met": ratio <= TARGET_RATIO, "cpu_count": os.cpu_count(),
            "load_avg_before": list(load_before), "load_avg_after": list(load_after)}
