"""The exit-code table: each anticipated error class has its code and one line without secrets."""

from __future__ import annotations

import errno

import pytest

from contractbook import errors
from contractbook.ingest.read import IngestError


@pytest.mark.parametrize(
    "error,code",
    [
        (errors.UsageError("x"), 2),
        (IngestError("orders.csv: file not found"), 2),
        (errors.EnvironmentFailure("down"), 3),
        (errors.WarehouseBusy("busy"), 3),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "c"), 2),
        (NotADirectoryError(errno.ENOTDIR, "Not a directory", "f"), 2),
        (OSError(errno.ENOSPC, "No space left on device", "/data/w.duckdb"), 3),
        (OSError(errno.EIO, "Input/output error"), None),  # unanticipated: keep the traceback
        (ValueError("a bug"), None),
    ],
)
def test_exit_code_of_each_class(error, code):
    assert errors.exit_code(error) == code


def test_disk_full_names_the_path_and_the_fix():
    e = OSError(errno.ENOSPC, "No space left on device", "/data/w.duckdb")
    assert errors.one_line(e) == (
        "/data/w.duckdb: No space left on device; free disk space, or choose another disk"
    )


def test_scrub_removes_user_and_password_from_urls():
    text = "cannot use postgresql://loader:s3cr%40t@db:5432/shop or duckdb:///x.duckdb"
    assert errors.scrub(text) == "cannot use postgresql://***@db:5432/shop or duckdb:///x.duckdb"
    assert (
        errors.one_line(errors.EnvironmentFailure("bad\n  postgresql://u:p@h/d"))
        == "bad postgresql://***@h/d"
    )
