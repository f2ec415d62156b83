"""Runner: rejects as Parquet, partitioned by reason (rule id) and ingest date."""

from __future__ import annotations

from pathlib import Path

from .plan import qi


def write_parquet(con, checks, out: Path, run_id: str) -> int:
    """Write each table's rejects under out/reason=<rule id>/date=<YYYY-MM-DD>/; rows written.

    A record with several reasons is written once under each of its reasons (the rejects table in
    the destination holds it once, with all of them).
    """
    written = 0
    out.mkdir(parents=True, exist_ok=True)  # there even when no row was rejected (a DAG product)
    for c in checks:
        rel = (
            f"SELECT * EXCLUDE (_reason_list), unnest(_reason_list) AS reason, "
            f"CAST(timezone('UTC', ingested_at) AS DATE) AS date FROM work.{qi('rej_' + c.table)}"
        )
        n = con.execute(f"SELECT count(*) FROM ({rel})").fetchall()[0][0]
        if not n:
            continue
        # the folder and the file names are user text: bound parameters, never SQL text
        con.execute(
            f"COPY ({rel}) TO $out (FORMAT parquet, PARTITION_BY (reason, date), "
            "APPEND true, FILENAME_PATTERN $pattern)",
            {"out": out.as_posix(), "pattern": f"{c.table}-{run_id}-{{uuid}}"},
        )
        written += n
    return written
