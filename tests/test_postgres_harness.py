"""The harness really starts a PostgreSQL server that answers SQL on 127.0.0.1."""

import pytest

pytestmark = pytest.mark.postgres


def test_server_answers(postgres_dsn):
    import psycopg2

    with psycopg2.connect(postgres_dsn) as conn, conn.cursor() as cur:
        cur.execute("select inet_server_addr()::text, current_database(), version()")
        addr, db, version = cur.fetchone()
    assert addr.startswith("127.0.0.1") and db == "contractbook" and "PostgreSQL" in version
