"""Run locks: beside the warehouse, in the state directory, named for a server; holder reported."""

from __future__ import annotations

import pytest

from contractbook.errors import WarehouseBusy
from contractbook.ingest import runlock


def test_lock_files_beside_a_local_warehouse_and_in_the_state_dir(tmp_path):
    locks = runlock.lock_files(tmp_path / "data" / "warehouse.duckdb", "ignored", tmp_path / "st")
    assert locks == [
        tmp_path / "data" / "warehouse.duckdb.lock",
        tmp_path / "st" / "contractbook.lock",
    ]


def test_a_server_lock_is_named_by_its_location_only(tmp_path):
    a = runlock.lock_files(None, "postgres://db:5432/shop", tmp_path)[0]
    b = runlock.lock_files(None, "postgres://db:5432/other", tmp_path)[0]
    assert a != b and a.parent == tmp_path and a.name.startswith("warehouse-")
    assert a == runlock.lock_files(None, "postgres://db:5432/shop", tmp_path)[0]


def test_one_state_dir_is_one_run_even_for_two_warehouses(tmp_path):
    first = runlock.lock_files(tmp_path / "a.duckdb", "a", tmp_path / "st")
    second = runlock.lock_files(tmp_path / "b.duckdb", "b", tmp_path / "st")
    with runlock.exclusive(first, "run-a"):
        with pytest.raises(
            WarehouseBusy,
            match=r"^warehouse busy: run run-a since \S+ \(pid \d+ "
            r"on .+\) holds .+contractbook\.lock; wait",
        ):
            with runlock.exclusive(second, "run-b"):
                pass
        assert not (tmp_path / "b.duckdb.lock.json").exists()  # nothing held, nothing claimed
    with runlock.exclusive(second, "run-b"):  # released with the block
        assert runlock.read_holder(tmp_path / "st" / "contractbook.lock").run_id == "run-b"


def test_waiting_says_so_and_gives_up_with_the_holder(tmp_path):
    locks = runlock.lock_files(tmp_path / "w.duckdb", "w", tmp_path / "st")
    said = []
    with runlock.exclusive(locks, "run-a"):
        with pytest.raises(WarehouseBusy, match="after waiting 0.2s"):
            with runlock.exclusive(locks, "run-b", wait=0.2, progress=said.append):
                pass
    assert len(said) == 1 and "busy: run run-a since" in said[0] and "waiting up to 0.2s" in said[0]
