"""One local[2] SparkSession for every Spark test (start-up costs seconds; keep tests few)."""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """A small local Spark: local[2], 2 shuffle partitions, no UI; a failure under CI."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("Java is required in CI for the Spark tests (.ci/run installs it)")
        pytest.skip("no java on PATH")
    from contractbook.spark.session import session

    s = session(
        warehouse=tmp_path_factory.mktemp("spark-warehouse"),
        conf={"spark.sql.adaptive.enabled": "false"},
    )
    yield s
    s.stop()
