"""The clean fixture dataset rewritten in the published Olist (Kaggle) style, from known facts.

File names as published; the header row quoted in eight files; the translation file with a
UTF-8 BOM and CRLF line endings; zip-code prefixes as quoted strings with leading zeros; review
texts holding CRLF, quotes and commas inside quoted fields.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

TRANSLATION = "product_category_name_translation"


def kaggle_name(table: str) -> str:
    """The published file name of a table."""
    return f"{TRANSLATION}.csv" if table == TRANSLATION else f"olist_{table}_dataset.csv"


def _render(header: list[str], rows: list[list[str]], quote_header: bool, newline: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    for row in rows:
        w.writerow(row)
    zips = [i for i, h in enumerate(header) if h.endswith("zip_code_prefix")]
    lines = buf.getvalue()
    if zips:  # published: "01037" quoted even though nothing needs quoting
        out = io.StringIO()
        for row in rows:
            cells = []
            for i, v in enumerate(row):
                cell = io.StringIO()
                csv.writer(cell, lineterminator="").writerow([v])
                cells.append(f'"{v}"' if i in zips else cell.getvalue())
            out.write(",".join(cells) + newline)
        lines = out.getvalue()
    head = ",".join(f'"{h}"' for h in header) if quote_header else ",".join(header)
    return head + newline + lines


def write_kaggle(src: Path, out: Path) -> Path:
    """Write every <table>.csv of src to out under its published name and style."""
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(src).glob("*.csv")):
        table = path.stem
        with open(path, newline="", encoding="utf-8") as f:
            header, *rows = list(csv.reader(f))
        if table == "order_reviews":
            msg = header.index("review_comment_message")
            for row in rows:
                row[msg] = row[msg].replace("\r\n", "\n").replace("\n", "\r\n")
            rows[0][msg] += '\r\nAdorei, "recomendo", nota 5'
        if table == TRANSLATION:
            text = "\ufeff" + _render(header, rows, False, "\r\n")
        else:
            text = _render(header, rows, True, "\n")
        (out / kaggle_name(table)).write_bytes(text.encode("utf-8"))
    return out
