"""A throwaway PostgreSQL cluster on 127.0.0.1 for tests: initdb into a temp dir, start, stop."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def bindir() -> Path:
    """Directory of initdb/pg_ctl: $PG_BINDIR, Debian's /usr/lib/postgresql/N/bin, or PATH."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    which = shutil.which("initdb")
    candidates.append(str(Path(which).parent) if which else "")
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    raise PostgresUnavailable(
        "PostgreSQL server binaries not found: run `apt-get install -y postgresql` "
        "(the .ci/run script does this) or set PG_BINDIR"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root: run server commands as the postgres user then."""
    return ["runuser", "-u", USER, "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class Server:
    """A running throwaway cluster."""

    root: Path
    port: int
    bin: Path
    database: str = "contractbook"

    @property
    def dsn(self) -> str:
        """postgresql:// URL for the test database (trust auth, no password)."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{self.database}"

    def add_role(self, name: str, password: str, database: str) -> str:
        """A login role with a password owning a new database; its postgresql:// URL (TCP)."""
        import psycopg2
        from psycopg2 import sql

        conn = psycopg2.connect(host=str(self.root), port=self.port, user=USER, dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD %s").format(sql.Identifier(name)),
                (password,),
            )
            cur.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(database), sql.Identifier(name)
                )
            )
        conn.close()
        return f"postgresql://{name}:{password}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop fast and remove the data directory."""
        subprocess.run(
            _as_owner(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.root / "data"),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start(database: str = "contractbook", host_auth: str = "trust") -> Server:
    """initdb + pg_ctl start on a free port of 127.0.0.1; returns the running Server.

    host_auth="scram-sha-256" makes TCP connections prove a password (the Unix socket in the
    server's root still trusts the postgres user, for setup).
    """
    pg = bindir()
    root = Path(tempfile.mkdtemp(prefix="contractbook-pg-"))
    os.chmod(root, 0o755)
    if os.geteuid() == 0:
        shutil.chown(root, USER, USER)
    data, port = root / "data", _free_port()
    run = lambda cmd: subprocess.run(_as_owner(cmd), capture_output=True, text=True, check=True)  # noqa: E731
    try:
        run(
            [
                str(pg / "initdb"),
                "-D",
                str(data),
                "-U",
                USER,
                "--auth-local=trust",
                f"--auth-host={host_auth}",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        opts = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {root} "
            "-c fsync=off -c full_page_writes=off"
        )
        run(
            [
                str(pg / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                opts,
                "-l",
                str(root / "log"),
                "-w",
                "start",
            ]
        )
        run([str(pg / "createdb"), "-h", str(root), "-p", str(port), "-U", USER, database])
    except subprocess.CalledProcessError as e:
        log = (root / "log").read_text() if (root / "log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {e.stderr}\n{log}") from e
    return Server(root, port, pg, database)
