"""What is published: documents, mentions, marts and the last refresh (read-only)."""
from __future__ import annotations

from pathlib import Path

import duckdb

from .publish import read_failure
from .validate import load_suites, table_exists


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def status_lines(warehouse: Path) -> list[str]:
    """A plain-text report of the published warehouse (raises FileNotFoundError when there is none)."""
    if not warehouse.exists():
        raise FileNotFoundError(f"no published warehouse at {warehouse}; run `hasila refresh` first")
    lines = [f"Warehouse {warehouse} ({warehouse.stat().st_size / 1e6:.1f} MB)"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        if not table_exists(con, "raw.documents"):
            return lines + ["  no raw tables yet"]
        lines.append("Documents by status:")
        for status, reason, n in _rows(con, "SELECT status, coalesce(quarantine_reason, ''), count(*) FROM raw.documents "
                                            "GROUP BY ALL ORDER BY status, 2"):
            lines.append(f"  {status:<12} {reason:<18} {n:>7}")
        total, versions = con.execute(
            "SELECT count(*), string_agg(DISTINCT extractor_version, ', ') FROM raw.mentions").fetchone()
        lines.append(f"Mentions: {total}" + (f" (extractor {versions})" if versions else ""))
        for outcome, scope, n in _rows(con, "SELECT outcome, scope, count(*) FROM raw.mentions GROUP BY ALL ORDER BY 1, 2"):
            lines.append(f"  {outcome:<12} {scope:<10} {n:>7}")
        marts = [s.table for s in load_suites(["marts"])]
        present = [(t, con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in marts if table_exists(con, t)]
        lines.append("Marts: " + (", ".join(f"{t} {n} rows" for t, n in present) if present else "none built yet"))
        if table_exists(con, "meta.refreshes"):
            last = con.execute(
                "SELECT refresh_id, kind, started_at, finished_at, corpus, n_files, n_new, n_quarantined, "
                "n_mentions_added, dbt_status, checks_passed, checks_failed, suites_skipped "
                "FROM meta.refreshes ORDER BY finished_at DESC LIMIT 1").fetchone()
            (rid, kind, started, finished, corpus, n_files, n_new, n_quar, n_ment, dbt, passed, failed, skipped) = last
            lines += [
                f"Last {kind}: {rid}, finished {finished:%Y-%m-%d %H:%M:%S} UTC "
                f"({(finished - started).total_seconds():.1f}s) from {corpus}",
                f"  files {n_files}: {n_new} new, {n_quar} quarantined; {n_ment} mentions added",
                f"  dbt build {dbt}; checks {passed} passed, {failed} failed, {skipped} suite(s) skipped",
            ]
            if kind == "ingest":
                lines.append("  the marts do not include this ingest yet: run `hasila refresh`")
            for suite, check, detail in con.execute("SELECT suite, check_name, detail FROM meta.check_results "
                                                    "WHERE refresh_id = ? AND status <> 'passed'", [rid]).fetchall():
                lines.append(f"    {suite}.{check}: {detail}")
        else:
            lines.append("No refresh log (meta.refreshes) in this warehouse.")
    failure = read_failure(warehouse)
    if failure:
        lines.append(f"Last failed attempt {failure['refresh_id']} at {failure['failed_at']} (published warehouse kept): "
                     + failure["reason"].splitlines()[0])
    return lines
