"""Pure generator: contract -> {relative path: text} of a standalone dlt pipeline.

Hints come from contractbook.ingest.hints.table_hints and types from ingest.castmap, the very
functions the ingest runner uses, so the generated pipeline and `contractbook ingest` agree.
"""

from __future__ import annotations

import keyword

from contractbook import provenance, sqltext
from contractbook.contract import Contract, naming
from contractbook.ingest.castmap import sql_type
from contractbook.ingest.destinations import DESTINATIONS
from contractbook.ingest.hints import table_hints

GENERATOR = "contractbook.dltgen"


def _hints_literal(hints: dict) -> str:
    """HINTS as readable Python: one line per column."""
    out = ["{"]
    for table, h in hints.items():
        out.append(f"    {table!r}: {{")
        for key in ("name", "primary_key", "write_disposition"):
            out.append(f"        {key!r}: {h[key]!r},")
        out.append("        'columns': {")
        out += [f"            {c!r}: {spec!r}," for c, spec in h["columns"].items()]
        out += ["        },", "    },"]
    return "\n".join(out + ["}"])


def _header(contract: Contract, what: str, style: str = "python") -> str:
    """Header comment lines; contract text goes through sqltext.comment, so it stays inert."""
    return provenance.comment(contract, GENERATOR, what, style)


def _columns_struct(contract: Contract, table: str) -> str:
    """DuckDB struct literal {'column': 'TYPE', ...} for read_csv's `columns`, quoted by sqltext
    (the physicalName: the CSV's columns are read under the names the hints give them)."""
    cols = contract.table(table).columns
    return (
        "{"
        + ", ".join(
            f"{sqltext.literal(c.physical)}: {sqltext.literal(sql_type(c, table))}" for c in cols
        )
        + "}"
    )


def _py_name(name: str) -> str:
    """name when it is a plain Python identifier, else a fixed one (contract text is not code)."""
    ok = name.isidentifier() and name.isascii() and not keyword.iskeyword(name)
    return name if ok else "contract_source"


def naming_code() -> str:
    """contractbook's dlt naming convention (ingest/dltnaming.py), as standalone module code.

    Copied from the module's own source, so the generated pipeline lands physicalName and odd
    names exactly as `contractbook ingest` does (dlt's snake_case would rename them).
    """
    import ast
    import inspect

    from contractbook.ingest import dltnaming

    text = inspect.getsource(dltnaming)
    first = ast.parse(text).body[1].lineno  # after the module docstring
    keep = [
        ln
        for ln in text.splitlines()[first - 1 :]
        if ln not in ("from __future__ import annotations", "MODULE = __name__")
    ]
    return "\n".join(keep).strip() + "\n"


def _refusals(contract: Contract) -> str:
    """Python comment lines naming the tables dlt cannot load under their names ('' if none)."""
    from contractbook.ingest.hints import dlt_problem

    found = [p for t in contract.tables if (p := dlt_problem(t))]
    return "".join(f"# NOT LOADABLE AS NAMED: {sqltext.one_line(p)}\n" for p in found)


_BODY = '''
import os
import sys

import dlt
import duckdb

# --- contractbook's dlt naming convention (contractbook.ingest.dltnaming), copied verbatim:
# names land as the contract's physicalName (case, spaces and SQL characters kept), as the DDL
# creates them and `contractbook ingest` loads them.
{naming}# --- end of the naming convention
{refusals}
# Load order: foreign-key parents first.
TABLES = {order}

# dlt resource hints per table: column types, nullability, primary key, write disposition.
HINTS = {hints}

# DuckDB types of the CSV columns (the contract's typed casting map), as read_csv's `columns`
# struct, written by contractbook's quoting function (column names are never formatted into SQL).
CSV_COLUMNS = {types}


def read_csv(data_dir: str, table: str, batch_rows: int = 100_000):
    """Yield one CSV as typed Arrow record batches (memory stays bounded).

    A value that does not fit its type stops the load with DuckDB's error. For row-level checks,
    rejects kept as data and row accounting use `python -m contractbook ingest`.
    """
    con = duckdb.connect()
    rel = con.sql(f"SELECT * FROM read_csv(?, columns={{CSV_COLUMNS[table]}}, header=true, auto_detect=false, "
                  "delim=',', quote='\\"', escape='\\"', strict_mode=true, "
                  "timestampformat='%Y-%m-%d %H:%M:%S')", params=[os.path.join(data_dir, f"{{table}}.csv")])
    yield from rel.to_arrow_reader(batch_rows)


@dlt.source(schema=dlt.Schema({name!r}, {{"names": NamingConvention}}))
def {func}(data_dir: str = "data/raw"):
    """One resource per contract table, with the contract's hints."""
    for table in TABLES:
        yield dlt.resource(read_csv(data_dir, table), **HINTS[table])


if __name__ == "__main__":
    # Credentials come from the environment or .dlt/secrets.toml, e.g.
    # DESTINATION__POSTGRES__CREDENTIALS=postgresql://user:password@host:5432/db
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    pipeline = dlt.pipeline(pipeline_name={pipeline!r}, pipelines_dir=".state/dlt",
                            destination=os.environ.get("DESTINATION", "duckdb"), dataset_name={dataset})
    print(pipeline.run({func}(sys.argv[1] if len(sys.argv) > 1 else "data/raw")))
'''


def pipeline_py(contract: Contract) -> str:
    """The text of pipeline.py: a dlt source with one resource per table."""
    order = contract.dependency_order
    hints = {t: table_hints(contract, t) for t in order}
    types = "{\n" + "".join(f"    {t!r}: {_columns_struct(contract, t)!r},\n" for t in order) + "}"
    doc = _docstring(f"Standalone dlt pipeline for {contract.name}: python pipeline.py [DATA_DIR].")
    return (
        _header(contract, "dlt pipeline")
        + doc
        + "\n"
        + _BODY.format(
            order=repr(order),
            hints=_hints_literal(hints),
            types=types,
            name=sqltext.name_token(contract.name),
            func=_py_name(contract.name),
            dataset=repr(naming.dataset(contract)),
            pipeline=f"{sqltext.name_token(contract.name)}_standalone",
            naming=naming_code(),
            refusals=_refusals(contract),
        )
    )


def _docstring(text: str) -> str:
    """A module docstring holding text: triple-quoted when that is exact, else repr()."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"""{text}"""'
    return repr(text)


def _permissions(contract: Contract, d) -> str:
    """A destination's minimum permissions, naming the contract's schema there."""
    return d.permissions.replace("{schema}", naming.dataset(contract, d.name))


def settings_toml(contract: Contract, name: str) -> str:
    """.dlt/config.toml fragment for one destination; secrets stay in the environment."""
    d = DESTINATIONS[name]
    env = "".join(f"#   {v}\n" for v in d.env) or "#   (none)\n"
    return (
        _header(contract, f"dlt settings ({name})", "toml")
        + f"# {d.summary}\n# Environment variables (credentials; never commit them):\n{env}"
        f"# Minimum permissions: {_permissions(contract, d) or 'none beyond the files it writes'}\n"
        + (f"# Install: pip install {' '.join(d.extras)}\n" if d.extras else "")
        + f"# Dataset (schema): {naming.dataset(contract)}, set by the pipeline.\n\n"
        + (d.settings or f"[destination.{name}]\n")
    )


def readme(contract: Contract) -> str:
    """README.md of the generated folder: how to run, destinations, env vars, permissions."""
    rows = "\n".join(
        f"| `{d.name}` | {d.summary} | {', '.join(f'`{v}`' for v in d.env) or '-'} | "
        f"{_permissions(contract, d) or '-'} |"
        for d in DESTINATIONS.values()
    )
    return (
        "<!--\n"
        + _header(contract, "Generated dlt pipeline", "html")
        + "-->\n\n"
        + "# dlt pipeline for "
        + sqltext.one_line(contract.name)
        + "\n\n"
        f"`pipeline.py` loads `<table>.csv` files into dataset `{naming.dataset(contract)}` "
        "with dlt: one resource per "
        "contract table, column types and primary keys from the contract, write disposition "
        "`merge` on the key (`replace` for tables without one). Tables and columns land under "
        "the contract's physicalName, case and spaces kept (contractbook's naming convention, "
        "copied into the file). It loads clean data; "
        "`python -m contractbook ingest` adds the row checks, the rejects and the accounting "
        "with the same hints.\n\n"
        "```\nDESTINATION=duckdb python pipeline.py data/raw\n```\n\n"
        "| destination | what | environment variables | minimum permissions |\n|---|---|---|---|\n"
        + rows
        + "\n\nSettings templates: `destinations/<name>.toml` (copy into `.dlt/config.toml`).\n"
    )


def files(contract: Contract) -> dict[str, str]:
    """Every generated file, by path relative to the output folder."""
    out = {"pipeline.py": pipeline_py(contract), "README.md": readme(contract)}
    for name in DESTINATIONS:
        out[f"destinations/{name}.toml"] = settings_toml(contract, name)
    return out
