"""Proof on planted defects: every GX check flags exactly the rows the generator planted."""

from __future__ import annotations

import pandas as pd
import pytest

from support.gx_data import load_frames_duckdb

pytestmark = pytest.mark.slow
N_ORDERS = 300
NOT_LOADED = ("type", "csv_column_count", "csv_quoting", "csv_encoding")


@pytest.fixture(scope="module")
def gx_ctx(tmp_path_factory):
    from contractbook.gx.context import open_context

    root = tmp_path_factory.mktemp("gx")
    return open_context(root / "state", root / "docs")


def _synth(contract, out, defects: str):
    from contractbook.synth import generate

    generate(contract, n_orders=N_ORDERS, seed=11, out_dir=out, defects=defects)
    return out, pd.read_csv(out / "defects.csv", dtype=str, keep_default_na=False)


def _warehouse(contract, csv_dir, manifest, db):
    """What an ingest would load: well-formed records without type defects, cast to types."""
    from support.readback import frame

    frames = {}
    for t in contract.tables:
        drop = manifest[(manifest.table == t.name) & (manifest.kind == "type")].line.astype(int)
        frames[t.name] = frame(csv_dir / f"{t.name}.csv", t).drop(index=list(drop))
    return load_frames_duckdb(contract, frames, db)


@pytest.fixture(scope="module")
def planted(contract, tmp_path_factory):
    root = tmp_path_factory.mktemp("planted")
    csv_dir, manifest = _synth(contract, root / "raw", "all=2")
    return csv_dir, manifest, _warehouse(contract, csv_dir, manifest, root / "wh.duckdb")


def test_every_kind_was_planted(planted):
    from contractbook.synth import DEFECT_KINDS

    assert set(planted[1].kind) == set(DEFECT_KINDS)


def test_preload_flags_exactly_the_planted_lines(gx_ctx, contract, planted):
    from contractbook.gx.proof import compare
    from contractbook.gx.runner import run_preload

    csv_dir, manifest, _ = planted
    run = run_preload(gx_ctx, contract, csv_dir)
    rows = pd.DataFrame(compare(run, contract, manifest[manifest.kind != "sql"]))
    assert rows.ok.all(), rows[~rows.ok].to_string()
    assert set(rows.rule_id) == set(manifest[manifest.kind != "sql"].rule_id)


def test_duckdb_postload_flags_exactly_the_planted_keys(gx_ctx, contract, planted):
    from contractbook.gx.proof import compare
    from contractbook.gx.runner import run_postload

    _, manifest, db = planted
    run = run_postload(gx_ctx, contract, f"duckdb:///{db}", "duckdb")
    loaded = manifest[~manifest.kind.isin(NOT_LOADED)]
    rows = pd.DataFrame(compare(run, contract, loaded))
    assert rows.ok.all(), rows[~rows.ok].to_string()
    assert set(rows.rule_id) == set(loaded.rule_id)
    assert {
        "orders.sql.order_timestamps_ordered",
        "order_payments.sql.payments_match_items",
    } <= set(rows.rule_id)


def test_clean_data_passes_every_check(gx_ctx, contract, tmp_path):
    from contractbook.gx.runner import run_postload, run_preload

    csv_dir, manifest = _synth(contract, tmp_path / "raw", "")
    assert manifest.empty
    pre = run_preload(gx_ctx, contract, csv_dir)
    post = run_postload(
        gx_ctx,
        contract,
        f"duckdb:///{_warehouse(contract, csv_dir, manifest, tmp_path / 'w.duckdb')}",
    )
    for run in (pre, post):
        failed = run.to_frame().query("not success")
        assert failed.empty and run.success, failed.to_string()
