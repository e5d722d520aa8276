"""`hasila export`: every mart and every ACLED/UCDP-style export as CSV or Parquet, documented.

Writes OUT/marts/<table>.<ext> and OUT/exports/<table>.<ext> with DuckDB's COPY, then beside them
`columns.csv` (each column's type and description) and `README.md` (each file, its rows and what
it holds). The descriptions are the dbt YAML's, which dbt's persist_docs stores as DuckDB comments.

The published file is read through the guarded recipe (ingest/sql.py): read-only, no extension
installs or loads, configuration locked. The one difference: `enable_external_access` is switched
off *after* naming the output folder in `allowed_directories`, because COPY ... TO is a file write
and the fully guarded connection refuses every file write. Only the output folder is reachable;
reading other files, writing elsewhere, ATTACH and changing settings stay refused.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .publish import WarehouseUnreadable, unreadable_message
from .sql import GUARDED_CONFIG

EXPORT_SCHEMAS = ("marts", "exports")  # what analysts read: the marts and the event-dataset exports
FORMATS = ("csv", "parquet")
COLUMNS_FILE = "columns.csv"
README_FILE = "README.md"
COLUMNS_HEADER = ("schema", "table", "file", "position", "column", "data_type", "description")

# COPY options per format. CSV: UTF-8, header, comma, NULL as an empty field, ISO dates (DuckDB's default).
_COPY_OPTIONS = {
    "csv": "FORMAT csv, HEADER true, DELIMITER ','",
    "parquet": "FORMAT parquet, COMPRESSION zstd",
}

# Settings applied after connecting, in this order: the allowed folder must be set while external
# access is still on, and the lock comes last so nothing can undo the other two.
_CONNECT_CONFIG = {key: value for key, value in GUARDED_CONFIG.items()
                   if key not in ("enable_external_access", "lock_configuration")}


@dataclass
class ExportedTable:
    schema: str
    table: str
    path: Path
    rows: int
    description: str


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def open_for_export(warehouse: Path, out_dir: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to `warehouse` that may write files in `out_dir` and nowhere else."""
    warehouse = Path(warehouse)
    if not warehouse.exists():
        raise FileNotFoundError(f"no published warehouse at {warehouse}; run `hasila refresh` first")
    try:
        con = duckdb.connect(str(warehouse), read_only=True, config=dict(_CONNECT_CONFIG))
    except duckdb.Error as exc:
        message = unreadable_message(warehouse, exc)
        if message is None:
            raise
        raise WarehouseUnreadable(message) from exc
    folder = str(Path(out_dir).resolve()).rstrip("/") + "/"
    con.execute(f"SET allowed_directories = [{_literal(folder)}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(schema, table, description) of every exported table, marts first."""
    rows = con.execute(
        "SELECT schema_name, table_name, coalesce(comment, '') FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name IN (SELECT unnest(?)) "
        "ORDER BY list_position(?, schema_name), table_name",
        [list(EXPORT_SCHEMAS), list(EXPORT_SCHEMAS)]).fetchall()
    return [(schema, table, description) for schema, table, description in rows]


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[tuple[int, str, str, str]]:
    return con.execute(
        "SELECT column_index, column_name, data_type, coalesce(comment, '') FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [schema, table]).fetchall()


def _copy(con: duckdb.DuckDBPyConnection, schema: str, table: str, target: Path, fmt: str) -> int:
    """COPY one table to `target` through a temporary name, so a reader never sees half a file."""
    partial = target.with_name(target.name + ".partial")
    source = f"{_identifier(schema)}.{_identifier(table)}"
    rows = con.execute(f"COPY {source} TO {_literal(str(partial))} ({_COPY_OPTIONS[fmt]})").fetchone()[0]
    os.replace(partial, target)
    return int(rows)


def _last_refresh(con: duckdb.DuckDBPyConnection) -> str:
    has_log = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                          "AND schema_name = 'meta' AND table_name = 'refreshes'").fetchone()[0]
    if not has_log:
        return "no refresh log: built outside `hasila refresh`"
    row = con.execute("SELECT refresh_id, finished_at FROM meta.refreshes ORDER BY finished_at DESC LIMIT 1").fetchone()
    return f"refresh {row[0]}, finished {row[1]:%Y-%m-%d %H:%M:%S} UTC" if row else "no refresh recorded"


def _write_columns(out_dir: Path, documented: list[tuple]) -> None:
    with open(out_dir / COLUMNS_FILE, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS_HEADER)
        writer.writerows(documented)


def _write_readme(out_dir: Path, warehouse: Path, fmt: str, provenance: str, tables: list[ExportedTable],
                  undocumented: int) -> None:
    lines = [
        "# Hasila export", "",
        f"From `{warehouse}` ({provenance}), written by `hasila export --format {fmt}`.",
        "",
        "`marts/` holds the analysis tables (incidents, casualty estimates, tallies, the mention audit trail, "
        "dimensions); `exports/` holds incidents shaped as ACLED and UCDP GED events. "
        f"`{COLUMNS_FILE}` lists every column with its type and description.",
        "",
    ]
    if fmt == "csv":
        lines += ["CSV: UTF-8, comma-separated, one header row, an empty field for NULL, dates as YYYY-MM-DD.", ""]
    else:
        lines += ["Parquet: zstd-compressed, with the warehouse's column types (dates stay dates).", ""]
    if undocumented:
        lines += [f"{undocumented} column(s) have no description: the warehouse was built before dbt stored "
                  "descriptions in it; run `hasila refresh` and export again.", ""]
    lines += ["| file | rows | description |", "|---|---|---|"]
    for table in tables:
        description = table.description.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{table.path.relative_to(out_dir).as_posix()}` | {table.rows} | {description} |")
    (out_dir / README_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def export_warehouse(warehouse: Path, out_dir: Path, fmt: str = "csv") -> list[ExportedTable]:
    """Write every table of EXPORT_SCHEMAS in `fmt` under `out_dir`, with columns.csv and README.md."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    warehouse, out_dir = Path(warehouse), Path(out_dir)
    for schema in EXPORT_SCHEMAS:
        (out_dir / schema).mkdir(parents=True, exist_ok=True)
    exported: list[ExportedTable] = []
    documented: list[tuple] = []
    with open_for_export(warehouse, out_dir) as con:
        tables = _tables(con)
        if not tables:
            raise FileNotFoundError(f"{warehouse} has no marts to export; run `hasila refresh` first")
        provenance = _last_refresh(con)
        for schema, table, description in tables:
            target = out_dir / schema / f"{table}.{fmt}"
            rows = _copy(con, schema, table, target, fmt)
            exported.append(ExportedTable(schema, table, target, rows, description))
            documented += [(schema, table, target.relative_to(out_dir).as_posix(), position, column, data_type, comment)
                           for position, column, data_type, comment in _columns(con, schema, table)]
    _write_columns(out_dir, documented)
    _write_readme(out_dir, warehouse, fmt, provenance, exported, sum(1 for row in documented if not row[-1]))
    return exported
