"""Run the generator: simulate, plant defects, write the CSVs, defect manifest and manifest.json."""

from __future__ import annotations

import contextlib
import csv
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import plugins
from .plant import plan
from .render import header, lines_sql, text_sql
from .spec import DEFECT_KINDS
from .spec import parse as parse_spec
from .write import TableWriter

GENERATOR = "contractbook.synth"
VERSION = "1"
BATCH_ROWS = 1 << 18
MANIFEST_COLUMNS = ("table", "line", "key", "kind", "rule_id")


@dataclass
class Result:
    """What a run wrote: directory, rows per table, planted defects, and timings."""

    out_dir: Path
    rows: dict[str, int]
    defects: list[dict]
    seconds: float
    params: dict = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        """Records written over all tables (planted ones included)."""
        return sum(self.rows.values())

    def path(self, table: str) -> Path:
        """The CSV file of a table."""
        return self.out_dir / f"{table}.csv"

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(f"<tr><td>{escape(t)}</td><td style='text-align:right'>{n:,}</td></tr>"
                       for t, n in self.rows.items())
        return (f"<p>{self.total_rows:,} rows in {self.seconds:.1f} s into "
                f"<code>{escape(str(self.out_dir))}"
                f"</code>, {len(self.defects)} planted defect record(s)</p>"
                f"<table><tr><th>table</th><th>rows</th></tr>{rows}</table>")


def _load(contract):
    if isinstance(contract, (str, Path)):
        from contractbook.contract import load

        return load(contract)
    return contract


def generate(contract, n_orders: int, seed: int, out_dir, defects: str = "",
             progress: Callable[[str], None] | None = print) -> Result:
    """Write `<table>.csv` per contract table, `defects.csv` and `manifest.json` into out_dir."""
    import duckdb

    contract = _load(contract)
    spec = parse_spec(defects)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    plugin = plugins.for_contract(contract)
    typed = plugin.tables(contract, n_orders, seed)
    say(f"simulated {n_orders:,} {'orders' if plugin.name == 'olist' else 'rows per table'} "
        f"({plugin.name}) in {time.perf_counter() - t0:.2f} s")
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    with contextlib.suppress(duckdb.Error):  # Jupyter without ipywidgets refuses the setting
        con.execute("SET enable_progress_bar = false")

    events = plan(contract, _DuckRows(con, contract, typed), spec, seed, plugin)
    manifest, rows = [], {}
    for t in contract.tables:
        t1 = time.perf_counter()
        con.register("_rows", typed[t.name])
        with open(out / f"{t.name}.csv", "wb") as fh:
            writer = TableWriter(fh, header(t).encode("utf-8"), events[t.name])
            for batch in con.sql(lines_sql(t, "_rows")).to_arrow_reader(BATCH_ROWS):
                writer.feed(batch)
            writer.close()
        con.unregister("_rows")
        rows[t.name] = writer.records
        for line_no, ev in writer.placed:
            manifest += [{"table": t.name, "line": line_no, "key": key, "kind": kind, "rule_id": rule}
                         for kind, rule, key in ev.entries]
        dt = time.perf_counter() - t1
        say(f"  {t.name:<34} {writer.records:>11,} rows {dt:6.2f} s")
    _write_manifest(out / "defects.csv", manifest)
    seconds = time.perf_counter() - t0
    params = {"n_orders": n_orders, "seed": seed, "defects": str(spec)}
    _write_json(out / "manifest.json", contract, params, rows, manifest)
    total = sum(rows.values())
    say(f"wrote {total:,} rows and {len(manifest)} planted defect(s) to {out} in {seconds:.2f} s "
        f"({total / max(seconds, 1e-9):,.0f} rows/s)")
    return Result(out, rows, manifest, seconds, params)


class _DuckRows:
    """The clean tables registered in DuckDB under their names, each with a `_row` position."""

    def __init__(self, con, contract, typed: dict):
        self.con, self.contract, self.typed = con, contract, typed
        for name, t in typed.items():
            con.register(name, t.append_column("_row", pa.array(np.arange(t.num_rows))))

    def count(self, table: str) -> int:
        return self.typed[table].num_rows

    def where(self, sql: str) -> np.ndarray:
        return self.con.sql(sql).fetchnumpy()["_row"].astype(np.int64)

    def texts(self, table: str, rows: np.ndarray) -> list[list]:
        self.con.register("_src", self.typed[table].take(rows))
        try:
            return [list(r) for r in self.con.sql(text_sql(self.contract.table(table), "_src")).fetchall()]
        finally:
            self.con.unregister("_src")


def _write_manifest(path: Path, manifest: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        out.writeheader()
        out.writerows(manifest)


def _write_json(path: Path, contract, params: dict, rows: dict, manifest: list[dict]) -> None:
    kinds = {k: n for k in DEFECT_KINDS if (n := sum(1 for m in manifest if m["kind"] == k))}
    doc = {"generator": GENERATOR, "generator_version": VERSION,
           "contract": {"id": contract.id, "name": contract.name, "version": contract.version},
           "params": params, "rows": rows, "total_rows": sum(rows.values()),
           "defects": {"records": len(manifest), "by_kind": kinds, "file": "defects.csv"},
           "files": {t: f"{t}.csv" for t in rows}}
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
