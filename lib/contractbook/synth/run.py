"""Run the generator: simulate, plant defects, write the CSVs, defect manifest and manifest.json."""

from __future__ import annotations

import contextlib
import csv
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import layout as layouts
from . import plugins, tableplant
from .plant import plan
from .render import lines_sql, text_sql
from .spec import DEFECT_KINDS
from .spec import parse as parse_spec
from .targets import not_planted
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
    files: dict[str, str] = field(default_factory=dict)  # table -> file name (the layout's)

    @property
    def total_rows(self) -> int:
        """Records written over all tables (planted ones included)."""
        return sum(self.rows.values())

    def path(self, table: str) -> Path:
        """The CSV file of a table."""
        return self.out_dir / self.files.get(table, f"{table}.csv")

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(
            f"<tr><td>{escape(t)}</td><td style='text-align:right'>{n:,}</td></tr>"
            for t, n in self.rows.items()
        )
        return (
            f"<p>{self.total_rows:,} rows in {self.seconds:.1f} s into "
            f"<code>{escape(str(self.out_dir))}"
            f"</code>, {len(self.defects)} planted defect record(s)</p>"
            f"<table><tr><th>table</th><th>rows</th></tr>{rows}</table>"
        )


def _load(contract):
    if isinstance(contract, (str, Path)):
        from contractbook.contract import load

        return load(contract)
    return contract


def generate(
    contract,
    n_orders: int,
    seed: int,
    out_dir,
    defects: str = "",
    progress: Callable[[str], None] | None = print,
    layout: str | None = None,
) -> Result:
    """Write every contract table's file, `defects.csv` and `manifest.json` into out_dir.

    layout: None or "plain" (`<table>.csv`), or one the contract's plug-in publishes (olist_mini:
    "kaggle", the published file names and styles plus the public data's quirks).
    """
    import duckdb

    contract = _load(contract)
    spec = parse_spec(defects)
    plugin = plugins.for_contract(contract)
    lay = layouts.choose(plugin, layout)
    files = lay.file_names(contract)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    typed = plugin.tables(contract, n_orders, seed)
    if lay.quirks:
        typed = lay.quirks(contract, typed, seed)
    say(
        f"simulated {n_orders:,} {'orders' if plugin.name == 'olist' else 'rows per table'} "
        f"({plugin.name}) in {time.perf_counter() - t0:.2f} s"
    )
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    with contextlib.suppress(duckdb.Error):  # Jupyter without ipywidgets refuses the setting
        con.execute("SET enable_progress_bar = false")

    searched: dict[str, str] = {}  # SQL rules no mutation broke: why (manifest not_plantable)
    src = _DuckRows(con, contract, typed)
    events = plan(contract, src, spec, seed, plugin, searched)
    table_level: dict = {}  # one-number SQL rules: the row whose value makes the metric fail
    if not spec.empty:
        table_level, why = tableplant.plant(contract, src, events)
        searched |= why
    manifest, rows = [], {}
    for t in contract.tables:
        t1 = time.perf_counter()
        con.register("_rows", typed[t.name])
        style = lay.style(t.name)
        planted = [
            replace(ev, data=layouts.terminate(layouts.requote(ev.data, t, lay.quoted), style))
            for ev in events[t.name]
        ]
        (out / files[t.name]).parent.mkdir(parents=True, exist_ok=True)
        with open(out / files[t.name], "wb") as fh:
            writer = TableWriter(fh, layouts.header(t, style), planted)
            sql = lines_sql(t, "_rows", style.newline, lay.quoted)
            for batch in con.sql(sql).to_arrow_reader(BATCH_ROWS):
                writer.feed(batch)
            writer.close()
        con.unregister("_rows")
        rows[t.name] = writer.records
        for line_no, ev in writer.placed:
            manifest += [
                {"table": t.name, "line": line_no, "key": key, "kind": kind, "rule_id": rule}
                for kind, rule, key in ev.entries
            ]
        dt = time.perf_counter() - t1
        say(f"  {t.name:<34} {writer.records:>11,} rows {dt:6.2f} s")
    _write_manifest(out / "defects.csv", manifest)
    seconds = time.perf_counter() - t0
    params = {"n_orders": n_orders, "seed": seed, "defects": str(spec)}
    unplanted = {
        k: v for k, v in (not_planted(contract, plugin) | searched).items() if k not in table_level
    }
    if lay is not layouts.PLAIN:
        params["layout"] = lay.name
    _write_json(
        out / "manifest.json", contract, params, rows, manifest, files, unplanted, table_level
    )
    if unplanted and not spec.empty:
        say(
            f"  {len(unplanted)} rule(s) no defect can break (why: manifest.json "
            "defects.not_plantable)"
        )
    total = sum(rows.values())
    say(
        f"wrote {total:,} rows and {len(manifest)} planted defect(s) to {out} in {seconds:.2f} s "
        f"({total / max(seconds, 1e-9):,.0f} rows/s)"
    )
    return Result(out, rows, manifest, seconds, params, files)


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

    def arrow(self, table: str) -> pa.Table:
        return self.typed[table]

    def texts(self, table: str, rows: np.ndarray) -> list[list]:
        self.con.register("_src", self.typed[table].take(rows))
        try:
            return [
                list(r)
                for r in self.con.sql(text_sql(self.contract.table(table), "_src")).fetchall()
            ]
        finally:
            self.con.unregister("_src")


def _write_manifest(path: Path, manifest: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.DictWriter(fh, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        out.writeheader()
        out.writerows(manifest)


def _write_json(
    path: Path,
    contract,
    params: dict,
    rows: dict,
    manifest: list[dict],
    files: dict[str, str],
    unplanted: dict | None = None,
    table_level: dict | None = None,
) -> None:
    kinds = {k: n for k in DEFECT_KINDS if (n := sum(1 for m in manifest if m["kind"] == k))}
    doc = {
        "generator": GENERATOR,
        "generator_version": VERSION,
        "contract": {"id": contract.id, "name": contract.name, "version": contract.version},
        "params": params,
        "rows": rows,
        "total_rows": sum(rows.values()),
        "defects": {
            "records": len(manifest),
            "by_kind": kinds,
            "file": "defects.csv",
            "not_plantable": unplanted or {},
        },
        "files": {t: files[t] for t in rows},
    }
    if table_level:  # rules returning one value: no row is rejected, the table check fails
        doc["defects"]["table_level"] = {k: p.to_dict() for k, p in table_level.items()}
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
