"""The guarded query path: the published warehouse, read-only, with no way out to the file system.

People and BI tools run arbitrary SQL; DuckDB's SQL can read any file (`read_csv('/etc/passwd')`),
write one (`COPY ... TO`), attach databases and install extensions. A guarded connection is
read-only, has external access disabled and its configuration locked, so none of that works and
no statement can switch it back on. `open_guarded` is the one place that knows the recipe; the
README shows the same dictionary for tools that connect on their own.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

import duckdb

from .publish import WarehouseUnreadable, unreadable_message

# Passed to duckdb.connect(config=...). Order does not matter: DuckDB applies the lock last.
GUARDED_CONFIG: dict[str, object] = {
    "enable_external_access": False,        # no file reads/writes besides the database itself, no ATTACH
    "autoinstall_known_extensions": False,  # a query never downloads an extension ...
    "autoload_known_extensions": False,     # ... nor loads one it happens to find on disk
    "allow_community_extensions": False,
    "lock_configuration": True,             # SET / RESET / PRAGMA cannot undo any of the above
}

FORMATS = ("table", "csv", "json")


def open_guarded(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to `warehouse` that cannot touch other files, extensions or settings."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"no published warehouse at {warehouse}; run `hasila refresh` first")
    try:
        return duckdb.connect(str(warehouse), read_only=True, config=dict(GUARDED_CONFIG))
    except duckdb.Error as exc:
        message = unreadable_message(warehouse, exc)
        if message is None:
            raise
        raise WarehouseUnreadable(message) from exc


def run_query(con: duckdb.DuckDBPyConnection, query: str) -> tuple[list[str], list[tuple]]:
    """Column names and rows of `query` (several statements: the last one's result)."""
    cursor = con.execute(query)
    if cursor.description is None:  # a statement without a result set
        return [], []
    return [column[0] for column in cursor.description], cursor.fetchall()


def _plain(value: object) -> object:
    """A value as JSON can hold it; dates and times as ISO 8601 text."""
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _cell(value: object) -> str:
    """One value as text: NULL spelled out, lists and structs as JSON."""
    if value is None:
        return "NULL"
    if isinstance(value, Decimal):  # exact digits in text; JSON gets a number
        return str(value)
    plain = _plain(value)
    if isinstance(plain, (list, dict)):
        return json.dumps(plain, ensure_ascii=False)
    return str(plain)


def _table(columns: Sequence[str], rows: Iterable[tuple]) -> str:
    cells = [[_cell(v).replace("\n", " ") for v in row] for row in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    line = lambda values: "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(columns), line(["-" * w for w in widths]), *(line(row) for row in cells)]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


def _csv(columns: Sequence[str], rows: Iterable[tuple]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([("" if v is None else _cell(v)) for v in row] for row in rows)
    return buffer.getvalue().rstrip("\n")


def _json_lines(columns: Sequence[str], rows: Iterable[tuple]) -> str:
    return "\n".join(json.dumps(dict(zip(columns, (_plain(v) for v in row))), ensure_ascii=False) for row in rows)


def format_rows(columns: Sequence[str], rows: list[tuple], fmt: str) -> str:
    """`table` for people, `csv` with a header, `json` as one object per line (like `hasila extract`)."""
    if not columns:
        return ""
    return {"table": _table, "csv": _csv, "json": _json_lines}[fmt](columns, rows)
