"""Pure generators: contract in, DDL text out (CREATE script and DROP script) for one dialect."""

from __future__ import annotations

from dataclasses import dataclass, field

from contractbook import provenance, sqltext
from contractbook.contract import Column, Contract, Relationship, Table, naming

from . import names
from .dialect import Dialect
from .registry import get

GENERATOR = "contractbook.ddl"
# How foreign keys with `onViolation: warn` are written, by whether the engine enforces keys.
WARN_NOTE = {
    True: "Foreign keys with onViolation: warn are written as comments, not created: the engine "
    "would reject the orphan rows the contract keeps (the pipeline reports them instead).",
    False: "Foreign keys with onViolation: warn are declared like the others: they are "
    "informational here anyway.",
}


@dataclass(frozen=True)
class DdlTarget:
    """Where the tables go: dialect plus optional catalog (project/database) and schema."""

    dialect: Dialect
    schema: str
    catalog: str | None = None
    tables: dict = field(default_factory=dict, compare=False)  # logical name -> Table
    foreign_keys: bool = True  # False: FOREIGN KEYs written as comments only (ingest checks them)

    def physical(self, name: str) -> str:
        """The engine's name of the contract table called name (other names pass through)."""
        return self.tables[name].physical if name in self.tables else name

    def column(self, table: str, name: str) -> str:
        """The engine's name of column name of the contract table called table."""
        t = self.tables.get(table)
        return t.column(name).physical if t is not None and name in t.column_names else name

    def columns(self, table: str, names) -> str:
        """Comma-separated quoted engine names of columns of table."""
        return ", ".join(self.dialect.ident(self.column(table, n)) for n in names)

    def table(self, name: str) -> str:
        """Fully qualified, quoted engine name of the table called name."""
        return self.dialect.qualify(self.catalog, self.schema, self.physical(name))

    def index(self, name: str) -> str:
        """Schema-qualified, quoted index name."""
        return self.dialect.qualify(self.catalog, self.schema, name)


def default_schema(contract: Contract, dialect: str | None = None) -> str:
    """The schema the contract's server of that type names (else its first), else its name."""
    return naming.dataset(contract, dialect)


def target(
    contract: Contract,
    dialect: str | Dialect,
    catalog: str | None = None,
    schema: str | None = None,
    foreign_keys: bool = True,
) -> DdlTarget:
    """A DdlTarget with the dialect's default catalog and the contract's default schema."""
    d = get(dialect)
    return DdlTarget(
        d,
        schema or default_schema(contract, d.name),
        catalog or d.default_catalog,
        {tb.name: tb for tb in contract.tables},
        foreign_keys,
    )


def column_def(t: DdlTarget, table: Table, col: Column) -> str:
    """`name TYPE [NOT NULL] [comment]` for one column."""
    d = t.dialect
    d.check_name(
        col.physical,
        f"column {table.name}.{col.name}" + ("" if col.physical == col.name else ", physicalName"),
        "column",
    )
    sql = f"{d.ident(col.physical)} {d.render_type(col.type, f'{table.name}.{col.name}')}"
    sql += " NOT NULL" if col.required else ""
    if d.column_comment and col.description:
        sql += d.column_comment.format(text=d.literal(col.description))
    return sql


def is_enforced(t: DdlTarget, rel: Relationship) -> bool:
    """False for warn-policy FKs in engines that would reject the rows the contract keeps, and
    for every FK when the target leaves them out."""
    return t.foreign_keys and not (t.dialect.enforces_keys and rel.on_violation == "warn")


def primary_key_clause(t: DdlTarget, table: Table) -> str:
    """The PRIMARY KEY table constraint (composite keys in key order)."""
    return t.dialect.primary_key.format(
        name=t.dialect.ident(names.primary_key(table.physical)),
        columns=t.columns(table.name, table.primary_key),
    )


def unique_clause(t: DdlTarget, table: Table, col: Column) -> str:
    """The UNIQUE table constraint of one column (dialect must support UNIQUE)."""
    assert t.dialect.unique is not None, t.dialect.name
    return t.dialect.unique.format(
        name=t.dialect.ident(names.unique(table.physical, col.physical)),
        columns=t.dialect.ident(col.physical),
    )


def foreign_key_clause(t: DdlTarget, rel: Relationship) -> str:
    """The FOREIGN KEY table constraint of one relationship."""
    d = t.dialect
    return d.foreign_key.format(
        name=d.ident(names.foreign_key(rel)),
        columns=t.columns(rel.table, rel.columns),
        ref=t.table(rel.to_table),
        ref_columns=t.columns(rel.to_table, rel.to_columns),
    )


def _fk_note(t: DdlTarget, rel: Relationship) -> str:
    arrow = f"{rel.table}({', '.join(rel.columns)}) -> {rel.to_table}({', '.join(rel.to_columns)})"
    if not t.foreign_keys:
        return (
            f"{arrow}: NOT CREATED (no foreign keys asked for): ingest checks it and rejects "
            "the orphans; an enforced key would refuse dlt's parallel loads and merges"
        )
    if not is_enforced(t, rel):
        return (
            f"{arrow}: NOT CREATED, onViolation is warn and {t.dialect.title} would reject "
            "the orphans the contract keeps; the pipeline reports them instead"
        )
    suffix = "; onViolation: warn" if rel.on_violation == "warn" else ""
    return f"{arrow}: {t.dialect.key_note}{suffix}"


def _entries(t: DdlTarget, table: Table) -> list[tuple[list[str], str | None]]:
    """Body items of CREATE TABLE: (comment lines, SQL or None for comment-only items)."""
    d = t.dialect
    items: list[tuple[list[str], str | None]] = [
        ([], column_def(t, table, c)) for c in table.columns
    ]
    if table.primary_key:
        items.append(([f"primary key: {d.key_note}"], primary_key_clause(t, table)))
    for c in (c for c in table.columns if c.unique):
        if d.unique is None:
            items.append(([f"UNIQUE ({c.name}): not created, {d.unique_note}"], None))
        else:
            items.append(([f"unique {c.name}: {d.key_note}"], unique_clause(t, table, c)))
    for rel in table.relationships:
        sql = foreign_key_clause(t, rel)
        if is_enforced(t, rel):
            items.append(([f"{rel.id}: {_fk_note(t, rel)}"], sql))
        else:
            items.append(([f"{rel.id}: {_fk_note(t, rel)}", sql], None))
    return items


def _body(items: list[tuple[list[str], str | None]]) -> list[str]:
    last = max(i for i, (_, sql) in enumerate(items) if sql is not None)
    lines = []
    for i, (comments, sql) in enumerate(items):
        lines += ["  " + line for c in comments for line in sqltext.comment(c)]
        if sql is not None:
            lines.append(f"  {sql}{',' if i < last else ''}")
    return lines


def fk_indexes(t: DdlTarget, table: Table) -> list[tuple[str, tuple[str, ...]]]:
    """(index name, columns) for FK columns not already leading the primary key."""
    if t.dialect.index is None:
        return []
    out: dict[tuple[str, ...], str] = {}
    for rel in table.relationships:
        if tuple(table.primary_key[: len(rel.columns)]) != rel.columns:
            out.setdefault(
                rel.columns,
                names.index(table.physical, [t.column(table.name, c) for c in rel.columns]),
            )
    return [(name, cols) for cols, name in out.items()]


def index_statement(t: DdlTarget, table: str, name: str, columns) -> str:
    """CREATE INDEX for one index."""
    d = t.dialect
    assert d.index is not None, d.name  # only dialects with indexes get here
    return d.index.format(
        name=d.ident(name), table=t.table(table), columns=t.columns(table, columns)
    )


def comment_statements(t: DdlTarget, table: Table) -> list[str]:
    """COMMENT ON TABLE/COLUMN statements (dialects without inline comments)."""
    d = t.dialect
    if not d.comment_statements:
        return []
    out = (
        [
            d.alters["table_comment"].format(
                table=t.table(table.name), text=d.literal(table.description)
            )
        ]
        if table.description
        else []
    )
    return out + [
        d.alters["column_comment"].format(
            table=t.table(table.name), column=d.ident(c.physical), text=d.literal(c.description)
        )
        for c in table.columns
        if c.description
    ]


def create_table(t: DdlTarget, table: Table) -> list[str]:
    """CREATE TABLE plus its comments and FK indexes, as a list of statements."""
    d = t.dialect
    d.check_name(
        table.physical,
        f"table {table.name}" + ("" if table.physical == table.name else ", physicalName"),
        "table",
    )
    head = d.create_table.format(table=t.table(table.name))
    tail = d.table_suffix.format(comment=d.literal(table.description)) + ";"
    stmt = "\n".join([head, *_body(_entries(t, table)), tail])
    idx = [index_statement(t, table.name, n, cols) for n, cols in fk_indexes(t, table)]
    return [stmt, *comment_statements(t, table), *idx]


def preamble(t: DdlTarget, contract: Contract) -> list[str]:
    """Schema creation and USE statements."""
    d = t.dialect
    values = {
        "schema": d.qualify(t.catalog, t.schema),
        "schema_name": d.ident(t.schema),
        "catalog": d.ident(t.catalog or ""),
        "comment": d.literal(contract.description),
    }
    return [s.format(**values) for s in d.preamble]


def header(t: DdlTarget, contract: Contract, what: str) -> list[str]:
    """Comment lines naming contract id, version, generator and dialect (contract text inert)."""
    d = t.dialect
    where = d.qualify(t.catalog, t.schema)
    lines = provenance.lines(
        contract, GENERATOR, f"{what} for {d.title} ({d.name}), schema {where},"
    )
    if what == "CREATE script":
        lines.append(f"Keys: {d.key_note}." + ("" if d.unique else f" {d.unique_note}."))
        if any(r.on_violation == "warn" for r in contract.relationships):
            lines.append(WARN_NOTE[d.enforces_keys])
        notes = sorted(
            {
                d.type_of(c.type, f"{tb.name}.{c.name}").note
                for tb in contract.tables
                for c in tb.columns
            }
            - {""}
        )
        lines += [f"Types: {n}." for n in notes]
    return [out for line in lines for out in sqltext.comment(line)]


def create(
    contract: Contract,
    dialect: str | Dialect,
    catalog: str | None = None,
    schema: str | None = None,
    foreign_keys: bool = True,
) -> str:
    """The CREATE script: schema, then tables in FK dependency order (foreign_keys False: the
    FOREIGN KEYs as comments, for a warehouse ingest merges into)."""
    t = target(contract, dialect, catalog, schema, foreign_keys)
    parts = ["\n".join(header(t, contract, "CREATE script")), "\n".join(preamble(t, contract))]
    for name in contract.dependency_order:
        table = contract.table(name)
        parts.append(
            sqltext.comment_text(
                f"{table.label()}: {table.description}" if table.description else table.label()
            )
        )
        parts[-1] += "\n" + "\n".join(create_table(t, table))
    return "\n\n".join(parts) + "\n"


def drop(
    contract: Contract,
    dialect: str | Dialect,
    catalog: str | None = None,
    schema: str | None = None,
) -> str:
    """The DROP script: tables in reverse dependency order (the schema is left in place)."""
    t = target(contract, dialect, catalog, schema)
    stmts = [
        t.dialect.drop_table.format(table=t.table(n)) for n in reversed(contract.dependency_order)
    ]
    return "\n".join(header(t, contract, "DROP script")) + "\n\n" + "\n".join(stmts) + "\n"


def render(
    contract: Contract,
    dialect: str | Dialect,
    drop_script: bool = False,
    catalog: str | None = None,
    schema: str | None = None,
    foreign_keys: bool = True,
) -> str:
    """The CREATE script, or the DROP script when drop_script is true."""
    if drop_script:
        return drop(contract, dialect, catalog, schema)
    return create(contract, dialect, catalog, schema, foreign_keys)
