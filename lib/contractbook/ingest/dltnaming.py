"""dlt naming convention that keeps the contract's physical names as they are (case, spaces, SQL).

dlt's default (snake_case) renames `OrderItems` to `order_items` and `direct` replaces quotes in
every name, so the warehouse would hold other tables and columns than the DDL creates. Here a
column name passes unchanged (dlt quotes it per destination) and a table name too, except for
the characters dlt cannot carry in a table name: it writes the name, unescaped, into its
load-file paths (split at `.`, inside '...' in the DuckDB loader's SQL). dlt never sees such
names: ingest loads those tables through a relay table with a safe name and safe column aliases
and moves the rows into the real table itself (ingest/relay.py); a destination without a SQL
client refuses them before loading. So the replacement below never renames silently.
"""

from __future__ import annotations

import re

from dlt.common.normalizers.naming.direct import NamingConvention as _Direct

MODULE = __name__
# Characters dlt 1.31 cannot carry in a name, measured: a table's name goes unescaped into its
# load-file paths (split at `.`, quoted '...' in the DuckDB loader's SQL); its merge and replace
# jobs split their SQL at every `;` and line break, whatever is quoted; ▶ is its path separator.
# `contractbook ingest` loads a table with any of them in its name or a column's name through a
# relay table (contractbook.ingest.relay), so such names never reach dlt.
REFUSED = {
    "table": (
        re.compile(r"[.'\"/\\;\n\r▶]"),
        "dlt writes a table's name unescaped into "
        "its load-file paths and splits its SQL at `;`, so a loaded table name "
        "cannot hold . ' \" / \\ ;",
    ),
    "column": (
        re.compile(r"[;\n\r▶]"),
        "dlt splits its merge SQL at every `;`, so a loaded column name cannot hold ;",
    ),
}


class NamingConvention(_Direct):
    """Case-sensitive and verbatim: names are only shortened to the destination's limit."""

    def normalize_identifier(self, identifier: str) -> str:
        """identifier unchanged (dlt strips surrounding spaces first), shortened if too long."""
        identifier = super(_Direct, self).normalize_identifier(identifier)
        return self.shorten_identifier(identifier, identifier, self.max_length)

    def normalize_table_identifier(self, identifier: str) -> str:
        """A table name: unchanged unless it holds what dlt cannot carry (ingest relays those)."""
        identifier = super(_Direct, self).normalize_identifier(identifier)
        safe = REFUSED["table"][0].sub("_", identifier)
        return self.shorten_identifier(safe, identifier, self.max_length)
