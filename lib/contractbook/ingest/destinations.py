"""Destinations as data: how to build each dlt destination, where it writes, what it needs.

Credentials never pass through here: dlt reads them from the environment (or .dlt/secrets.toml),
e.g. DESTINATION__POSTGRES__CREDENTIALS=postgresql://user:password@host:5432/db.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from contractbook.registry import lookup


@dataclass(frozen=True)
class Destination:
    """One dlt destination: factory, default location, table format and what it requires."""

    name: str
    summary: str
    default_warehouse: str | None = None  # a path under the project; None for servers
    table_format: str | None = None
    merge_strategy: str | None = None  # dlt merge strategy when the default does not apply
    # dlt file format for tables with a binary column (rejects' raw bytes) where the default one
    # cannot hold bytes that are not UTF-8 (PostgreSQL loads Arrow as CSV COPY)
    binary_file_format: str | None = None
    # characters a column name cannot hold in the default file format's header (dlt's Postgres
    # COPY splits the CSV header at every comma): such tables load as binary_file_format too
    header_unsafe: str = ""
    env: tuple[str, ...] = ()  # environment variables dlt reads (credentials)
    permissions: str = ""
    tested: bool = False  # exercised for real by this project's tests
    settings: str = ""  # .dlt/config.toml fragment (no secrets)
    extras: tuple[str, ...] = field(default=())
    identity: str = ""  # a server's warehouse from its credential fields (no secret), e.g. {host}
    # SQL dialect of dlt's sql client (contractbook.ddl dialects), which moves relay tables'
    # rows (ingest/relay.py); None: no SQL client, names dlt cannot carry are refused
    dialect: str | None = None

    def local_path(self, warehouse: str | Path | None = None) -> Path | None:
        """The file or folder a local destination writes; None for a server."""
        if self.default_warehouse is None:
            return None
        return Path(warehouse or self.default_warehouse)

    def warehouse_in(self, data_dir: str | Path) -> Path | None:
        """A local destination's file or folder under data_dir (named as its default); None for
        a server."""
        return (
            Path(data_dir) / Path(self.default_warehouse).name if self.default_warehouse else None
        )

    def location(self, warehouse: str | Path | None = None) -> str:
        """Which warehouse a run writes (never a secret): a local path or the server's identity.

        For a server it resolves the credentials as dlt will; missing ones are an environment
        failure naming the variables to set.
        """
        local = self.local_path(warehouse)
        if local is not None:
            return f"{self.name}:{local.resolve()}"
        if warehouse:
            raise ValueError(
                f"destination {self.name!r} takes no --warehouse path; its location "
                f"and credentials come from the environment: {', '.join(self.env)}"
            )
        creds = self._credentials()
        return f"{self.name}://" + self.identity.format_map(
            {k: getattr(creds, k, "") for k in re.findall(r"\{(\w+)\}", self.identity)}
        )

    def _warehouse(self, warehouse: str | Path | None) -> str | Path:
        """The warehouse given, else the default of a local destination."""
        found = warehouse or self.default_warehouse
        assert found is not None, f"{self.name} has no default warehouse"
        return found

    def _credentials(self):
        import dlt
        from dlt.common.configuration.exceptions import ConfigurationException

        from contractbook.errors import EnvironmentFailure

        factory = getattr(dlt.destinations, self.name)()
        spec = factory.spec()
        spec.dataset_name = "olist"
        try:
            return factory.configuration(spec).credentials
        except ConfigurationException:
            raise EnvironmentFailure(
                f"no usable credentials for {self.name}: set "
                f"{' or '.join(self.env)} in the environment (or "
                ".dlt/secrets.toml)"
            ) from None

    def build(self, warehouse: str | Path | None = None, memory_limit: str | None = None):
        """The dlt destination object; warehouse is the file or folder for local destinations.

        memory_limit bounds an embedded DuckDB destination (it spills beyond it).
        """
        import dlt

        factory = getattr(dlt.destinations, self.name)
        if self.name == "duckdb":
            from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

            path = Path(self._warehouse(warehouse))
            path.parent.mkdir(parents=True, exist_ok=True)
            config = {"memory_limit": memory_limit} if memory_limit else None
            return factory(credentials=DuckDbCredentials(str(path), global_config=config))
        if self.name == "filesystem":
            path = Path(self._warehouse(warehouse)).resolve()
            path.mkdir(parents=True, exist_ok=True)
            return factory(bucket_url=path.as_uri())
        if warehouse:
            raise ValueError(
                f"destination {self.name!r} takes no --warehouse path; its location "
                f"and credentials come from the environment: {', '.join(self.env)}"
            )
        return factory()


_WAREHOUSE_SETTINGS = """[destination.{name}]
# credentials: set {env} in the environment or in .dlt/secrets.toml (never commit it)
"""

DESTINATIONS: dict[str, Destination] = {
    d.name: d
    for d in (
        Destination(
            "duckdb",
            "embedded DuckDB file (default)",
            dialect="duckdb",
            default_warehouse="data/warehouse.duckdb",
            tested=True,
        ),
        Destination(
            "postgres",
            "PostgreSQL server (loads via COPY)",
            dialect="postgres",
            env=("DESTINATION__POSTGRES__CREDENTIALS",),
            identity="{host}:{port}/{database}",
            binary_file_format="insert_values",
            header_unsafe=',"',
            permissions="CONNECT and CREATE on the database (dlt creates the schema `{schema}` and "
            "its staging schema), or USAGE+CREATE on an existing schema `{schema}`.",
            tested=True,
        ),
        Destination(
            "filesystem",
            "Delta tables in a folder (deltalake)",
            default_warehouse="data/delta",
            table_format="delta",
            merge_strategy="upsert",
            tested=True,
            permissions="write access to the folder (or bucket: list, read, write, delete).",
        ),
        Destination(
            "bigquery",
            "Google BigQuery (settings only, not run here)",
            dialect="bigquery",
            env=(
                "DESTINATION__BIGQUERY__CREDENTIALS__PROJECT_ID",
                "DESTINATION__BIGQUERY__CREDENTIALS__CLIENT_EMAIL",
                "DESTINATION__BIGQUERY__CREDENTIALS__PRIVATE_KEY",
                "DESTINATION__BIGQUERY__LOCATION",
            ),
            identity="{project_id}",
            permissions="roles BigQuery Data Editor and BigQuery Job User on the project "
            "(dataset create, table create/update/delete, jobs.create).",
            extras=("dlt[bigquery]",),
            settings='[destination.bigquery]\nlocation = "EU"\n',
        ),
        Destination(
            "snowflake",
            "Snowflake (settings only, not run here)",
            dialect="snowflake",
            env=(
                "DESTINATION__SNOWFLAKE__CREDENTIALS__DATABASE",
                "DESTINATION__SNOWFLAKE__CREDENTIALS__USERNAME",
                "DESTINATION__SNOWFLAKE__CREDENTIALS__PASSWORD",
                "DESTINATION__SNOWFLAKE__CREDENTIALS__HOST",
                "DESTINATION__SNOWFLAKE__CREDENTIALS__WAREHOUSE",
                "DESTINATION__SNOWFLAKE__CREDENTIALS__ROLE",
            ),
            identity="{host}/{database}",
            permissions="a role with USAGE on the warehouse and database, CREATE SCHEMA on the "
            "database, and ownership (or CREATE TABLE/STAGE) in schema `{schema}`.",
            extras=("dlt[snowflake]",),
            settings='[destination.snowflake]\n# stage_name = "..."  # optional named stage\n',
        ),
        Destination(
            "databricks",
            "Databricks SQL warehouse / Unity Catalog (settings only, not run here)",
            dialect="databricks",
            env=(
                "DESTINATION__DATABRICKS__CREDENTIALS__SERVER_HOSTNAME",
                "DESTINATION__DATABRICKS__CREDENTIALS__HTTP_PATH",
                "DESTINATION__DATABRICKS__CREDENTIALS__ACCESS_TOKEN",
                "DESTINATION__DATABRICKS__CREDENTIALS__CATALOG",
            ),
            identity="{server_hostname}/{catalog}",
            permissions="CAN USE on the SQL warehouse; USE CATALOG, CREATE SCHEMA on the "
            "catalog; USE SCHEMA, CREATE TABLE, MODIFY, SELECT on schema `{schema}`; "
            "READ VOLUME/WRITE VOLUME if loading through a volume.",
            extras=("dlt[databricks]",),
            settings="[destination.databricks]\n# staging volume etc. go here\n",
        ),
    )
}


def get(name: str) -> Destination:
    """The destination called name; a clear error listing the known ones otherwise."""
    return lookup(DESTINATIONS, name, "destination")
