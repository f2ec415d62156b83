"""A corpus of hostile strings, and a copy of the shipped contract with them in every text field.

Each string tries one way out of the place it is written into: a SQL string literal (quotes,
backslashes, `' || (SELECT ...) || '`), a `--` or `/* */` comment (LF, CR, CRLF, U+2028,
comment terminators), a statement (`;`), Python/JSON/YAML text (quotes, braces, `\"\"\"`), or sheer
size (10,000 characters). The canary paths name files no step may read or write.
"""

from __future__ import annotations

from pathlib import Path

import yaml

CANARY_TEXT = "CANARY-7f3a-NEVER-COPIED"


def strings(canary: Path, canary_out: Path) -> list[str]:
    """The corpus: every entry is a complete attack on its own."""
    return [
        "it's a quote ' and '' two",
        'double "quotes" and ""',
        "semi; DROP TABLE orders; --",
        "-- a line comment",
        "/* open comment",
        "close comment */ DROP TABLE orders; /*",
        "LF\nDROP TABLE orders;\nCREATE TABLE pwned_lf (x INT);",
        "CR\rCREATE TABLE pwned_cr (x INT);",
        "CRLF\r\nCREATE TABLE pwned_crlf (x INT);",
        "U+2028\u2028CREATE TABLE pwned_ls (x INT);",
        "back\\slash\\' OR 1=1 -- \\",
        "trailing backslash \\",
        "non-ASCII: ünïcødé ção 日本語 🚀 \u202e",
        f"' || (SELECT content FROM read_text('{canary}')) || '",
        f"'); COPY (SELECT 42) TO '{canary_out}'; --",
        f"*/ ; COPY (SELECT 1) TO '{canary_out}'; /*",
        "$$ dollar $$ $tag$ E'\\x41' `tick` ``",
        "{batch} {0} {} %s %(x)s \"\"\" ''' <!-- --> #",
        "x" * 10_000,
    ]


def one_line(items: list[str]) -> str:
    """The corpus joined into one single-line string (for fields that must stay on one line)."""
    return " | ".join(s.replace("\n", " ") for s in items if len(s) < 1000) + " " + "y" * 10_000


def everything(items: list[str]) -> str:
    """The whole corpus in one string."""
    return " | ".join(items)


def hostile_contract(
    shipped: Path, out: Path, canary: Path, canary_out: Path, version: str | None = None
) -> dict:
    """Write a copy of the shipped contract with hostile text in every free-text field; returns it.

    Fields ODCS constrains (quality rule ids: StableId) keep their values; `version` stays
    semver-valid (`1.0.0-<one line of the corpus>`), as contractbook's diff demands.
    """
    items = strings(canary, canary_out)
    text, line = everything(items), one_line(items)
    doc = yaml.safe_load(shipped.read_text(encoding="utf-8"))
    doc["id"] = text
    doc["name"] = text
    doc["version"] = version or "1.0.0-" + line
    doc["domain"] = text
    doc["dataProduct"] = text
    doc["tenant"] = text
    doc["tags"] = [*items[:6], text]
    doc["description"] = {"purpose": text, "usage": text, "limitations": text}
    for s in doc["servers"]:
        s["server"] = text
        s["description"] = text
        s["environment"] = text
        if "schema" in s or s.get("type") != "local":  # a local file server holds no schema
            s["schema"] = SCHEMA
    for i, obj in enumerate(doc["schema"]):
        obj["description"] = items[i % len(items)] + " || " + text
        obj["tags"] = [items[(i + 1) % len(items)]]
        for j, prop in enumerate(obj.get("properties") or []):
            prop["description"] = items[(i + j) % len(items)]
            prop["tags"] = [items[(i + j + 2) % len(items)]]
            for k, rel in enumerate(prop.get("relationships") or []):
                rel["id"] = f"rel{i}_{j}_{k} " + items[(i + j + k) % len(items)][:40]
        for k, q in enumerate(obj.get("quality") or []):
            q["name"] = text
            q["description"] = items[(i + k) % len(items)]
            if q.get("type") == "sql":
                # comments that would become live SQL if the rule were re-rendered with them
                q["query"] = q["query"].replace(
                    "SELECT COUNT(*) FROM (",
                    f"SELECT COUNT(*) FROM ( -- */ ; COPY (SELECT 1) TO '{canary_out}'; /*\n",
                    1,
                )
    out.write_text(
        yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100_000), encoding="utf-8"
    )
    return doc


# The server schema: quoted, on several lines, with a quote and a statement in it, under 63 bytes.
SCHEMA = "olist\"; DROP SCHEMA main; --\nü'x"
