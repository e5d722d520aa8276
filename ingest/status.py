"""What is published: documents, mentions, marts, the last refresh and why the last attempt failed.

`status_report` gathers it as plain data (the `--json` output); `status_lines` renders it for people.
The warehouse is opened through the guarded, read-only path.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Optional

import duckdb

from .publish import failure_path, read_failure
from .sql import open_guarded
from .validate import data_docs_index, load_suites, table_exists

FAILURE_LINES_SHOWN = 12  # a dbt failure lists one node per line; the rest stays in the failure note


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Optional[list] = None) -> list[tuple]:
    return con.execute(sql, params or []).fetchall()


def _documents(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return [{"status": status, "reason": reason, "count": n} for status, reason, n in _rows(
        con, "SELECT status, quarantine_reason, count(*) FROM raw.documents GROUP BY ALL ORDER BY status, 2 NULLS FIRST")]


def _mentions(con: duckdb.DuckDBPyConnection) -> dict:
    total, versions = con.execute("SELECT count(*), list(DISTINCT extractor_version ORDER BY extractor_version) "
                                  "FROM raw.mentions").fetchone()
    return {"total": total, "extractor_versions": [v for v in versions or [] if v is not None],
            "by_outcome": [{"outcome": o, "scope": s, "count": n} for o, s, n in _rows(
                con, "SELECT outcome, scope, count(*) FROM raw.mentions GROUP BY ALL ORDER BY 1, 2")]}


def _rejected(con: duckdb.DuckDBPyConnection) -> Optional[dict]:
    """Mentions the contract check kept out (raw.rejected_mentions, when this warehouse has it)."""
    if not table_exists(con, "raw.rejected_mentions"):
        return None
    by_reason = _rows(con, "SELECT reason, count(*), count(DISTINCT content_hash) FROM raw.rejected_mentions "
                           "GROUP BY ALL ORDER BY 2 DESC, 1")
    return {"total": sum(n for _, n, _ in by_reason),
            "by_reason": [{"reason": r, "count": n, "documents": d} for r, n, d in by_reason]}


def _last_refresh(con: duckdb.DuckDBPyConnection) -> Optional[dict]:
    if not table_exists(con, "meta.refreshes"):
        return None
    cursor = con.execute(
        "SELECT * "   # all columns: a warehouse from an older release lacks the newer ones
        "FROM meta.refreshes ORDER BY finished_at DESC LIMIT 1")
    row = cursor.fetchone()
    if row is None:
        return None
    last = dict(zip([c[0] for c in cursor.description], row))
    last["problems"] = [{"suite": suite, "check": check, "status": status, "detail": detail}
                        for suite, check, status, detail in _rows(
                            con, "SELECT suite, check_name, status, detail FROM meta.check_results "
                                 "WHERE refresh_id = ? AND status <> 'passed'", [last["refresh_id"]])]
    return last


def status_report(warehouse: Path) -> dict[str, Any]:
    """What is published, as plain data (raises FileNotFoundError when there is no warehouse)."""
    failure = read_failure(warehouse)
    if not warehouse.exists():
        why = f" (last attempt failed: {failure['reason'].splitlines()[0]})" if failure and failure.get("reason") else ""
        raise FileNotFoundError(f"no published warehouse at {warehouse}; run `hasila refresh` first{why}")
    report: dict[str, Any] = {"warehouse": str(warehouse), "size_bytes": warehouse.stat().st_size,
                              "documents": None, "mentions": None, "rejected_mentions": None, "marts": {},
                              "last_refresh": None, "last_failure": failure, "data_docs": None}
    docs = data_docs_index(warehouse)
    if docs.exists():  # built by the last refresh or `hasila validate` on this warehouse
        report["data_docs"] = docs.resolve().as_uri()
    with open_guarded(warehouse) as con:
        if table_exists(con, "raw.documents"):
            report["documents"] = _documents(con)
            report["mentions"] = _mentions(con)
            report["rejected_mentions"] = _rejected(con)
            report["marts"] = {s.table: con.execute(f"SELECT count(*) FROM {s.table}").fetchone()[0]
                               for s in load_suites(["marts"]) if table_exists(con, s.table)}
            report["last_refresh"] = _last_refresh(con)
    return report


def _failure_lines(warehouse: Path, failure: dict) -> list[str]:
    reason_lines = (failure.get("reason") or "no reason recorded").splitlines()
    lines = [f"Last failed attempt {failure.get('refresh_id')} at {failure.get('failed_at')} "
             f"(published warehouse kept): {reason_lines[0]}"]
    lines += [f"  {line}" for line in reason_lines[1:FAILURE_LINES_SHOWN]]
    if len(reason_lines) > FAILURE_LINES_SHOWN:
        lines.append(f"  ... {len(reason_lines) - FAILURE_LINES_SHOWN} more line(s) in {failure_path(warehouse)}")
    return lines


def _time(value: datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}"


def _document_lines(report: dict) -> list[str]:
    lines = ["Documents by status (quarantined: by reason):"]
    return lines + [f"  {d['status']:<12} {d['reason'] or '':<18} {d['count']:>7}" for d in report["documents"]]


def _mention_lines(report: dict) -> list[str]:
    mentions = report["mentions"]
    versions = ", ".join(mentions["extractor_versions"])
    lines = [f"Mentions: {mentions['total']}" + (f" (extractor {versions})" if versions else "")]
    lines += [f"  {m['outcome']:<12} {m['scope']:<10} {m['count']:>7}" for m in mentions["by_outcome"]]
    rejected = report["rejected_mentions"]
    if rejected is not None:
        lines.append(f"Rejected mentions (kept out of raw.mentions): {rejected['total']}")
        lines += [f"  {r['reason']:<30} {r['count']:>7} in {r['documents']} document(s)" for r in rejected["by_reason"]]
    return lines


def _marts_line(report: dict) -> str:
    marts = report["marts"]
    return "Marts: " + (", ".join(f"{t} {n} rows" for t, n in marts.items()) if marts else "none built yet")


def _last_refresh_lines(last: Optional[dict]) -> list[str]:
    """The last logged refresh or ingest: when, from what, what it added and how its checks went."""
    if last is None:
        return ["No refresh log (meta.refreshes) in this warehouse."]
    seconds = (last["finished_at"] - last["started_at"]).total_seconds()
    lines = [
        f"Last {last['kind']}: {last['refresh_id']}, finished {_time(last['finished_at'])} UTC "
        f"({seconds:.1f}s) from {last['corpus']}",
        f"  files {last['n_files']}: {last['n_new']} new, {last['n_quarantined']} quarantined, "
        f"{last.get('n_refused') or 0} refused; {last['n_mentions_added']} mentions added, "
        f"{last.get('n_mentions_rejected') or 0} rejected",
        f"  dbt build {last['dbt_status']}; checks {last['checks_passed']} passed, {last['checks_failed']} failed, "
        f"{last['suites_skipped']} suite(s) skipped",
    ]
    if last["kind"] == "ingest":
        lines.append("  the marts do not include this ingest yet: run `hasila refresh`")
    return lines + [f"    {p['suite']}.{p['check']}: {p['detail']}" for p in last["problems"]]


def status_lines(warehouse: Path) -> list[str]:
    """A plain-text report of the published warehouse (raises FileNotFoundError when there is none)."""
    report = status_report(warehouse)
    lines = [f"Warehouse {warehouse} ({report['size_bytes'] / 1e6:.1f} MB)"]
    if report["documents"] is None:
        lines.append("  no raw tables yet")
    else:
        lines += _document_lines(report) + _mention_lines(report) + [_marts_line(report)]
        lines += _last_refresh_lines(report["last_refresh"])
    if report["data_docs"]:
        lines.append(f"Data Docs (Great Expectations): {report['data_docs']}")
    if report["last_failure"]:
        lines += _failure_lines(warehouse, report["last_failure"])
    return lines
