"""A local SparkSession for contractbook: small, quiet, offline, naive timestamps, UTC."""

from __future__ import annotations

from pathlib import Path

# Settings every contractbook session uses. Naive timestamps (TIMESTAMP_NTZ) and UTC match
# DuckDB's TIMESTAMP, so a local time that a daylight-saving change skips still parses.
CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
    # The checks are many short queries with wide CASE expressions: compiling whole-stage code
    # for each cost more than it saved (2 cores: 100k orders 145 s without, 166 s with; 2,000
    # orders side by side on busy cores 935 s without, 1,054 s with).
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.adaptive.enabled": "true",  # local: coalesce the few shuffle partitions further
}


def session(
    master: str = "local[2]",
    app: str = "contractbook",
    conf: dict | None = None,
    warehouse: str | Path = ".state/spark/warehouse",
):
    """The active SparkSession, or a new one on master with CONF (plus conf overrides).

    warehouse: where Spark keeps the databases it creates (git-ignored tool state, not `~`).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:  # the [spark] extra is optional
        raise RuntimeError(
            "the Spark engine needs pyspark: pip install 'contractbook[spark]' "
            "(and Java 17+ on PATH)"
        ) from e

    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.warehouse.dir", Path(warehouse).resolve().as_uri())
    )
    for k, v in {**CONF, **(conf or {})}.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
