"""A refresh: ingest -> dbt build -> expectations -> publish, all-or-nothing.

Runs under the refresh lock on a private copy of the published warehouse (so raw tables
accumulate across corpora); the copy replaces the published file only when dbt's tests and
every expectation passed. The refresh log lives inside the warehouse, in schema `meta`.
"""
from __future__ import annotations

import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Optional

import duckdb
import pandas as pd

from .corpus import open_corpus
from .dbt_progress import DbtProgress
from .dbt_runner import DbtOutcome, dbt_build, project_fingerprint
from .extract import EXTRACTOR_VERSION
from .loader import IngestRefused, IngestReport, load_corpus, utcnow
from .publish import (REBUILD_HINT, build_dir, build_file, clean_stale_builds, failure_path, io_failure_in_text,
                      io_failure_message, looks_corrupt, new_build_file, publish, record_failure, refresh_lock,
                      unreadable_message, wal_path)
from .validate import (Changed, CheckResult, checks_fingerprint, data_docs_dir, import_while_waiting,
                       validate_connection)

PAUSE_ENV = "HASILA_TEST_PAUSE_BEFORE_PUBLISH"  # tests only: seconds to sleep just before the swap

META_DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.refreshes (
    refresh_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL, corpus VARCHAR, extractor_version VARCHAR,
    n_files INTEGER, n_new INTEGER, n_updated INTEGER, n_unchanged INTEGER, n_quarantined INTEGER,
    n_reextracted INTEGER, n_mentions_added INTEGER, n_missing_files INTEGER, n_not_in_manifest INTEGER,
    n_documents_total BIGINT, n_mentions_total BIGINT,
    dbt_status VARCHAR, checks_passed INTEGER, checks_failed INTEGER, suites_skipped INTEGER
);
-- added after the first release (older warehouses get them here)
ALTER TABLE meta.refreshes ADD COLUMN IF NOT EXISTS n_refused INTEGER;
ALTER TABLE meta.refreshes ADD COLUMN IF NOT EXISTS n_mentions_rejected INTEGER;
ALTER TABLE meta.refreshes ADD COLUMN IF NOT EXISTS dbt_fingerprint VARCHAR;
ALTER TABLE meta.refreshes ADD COLUMN IF NOT EXISTS checks_fingerprint VARCHAR;
CREATE TABLE IF NOT EXISTS meta.check_results (
    refresh_id VARCHAR NOT NULL, suite VARCHAR NOT NULL, check_name VARCHAR NOT NULL,
    status VARCHAR NOT NULL, unexpected BIGINT, detail VARCHAR
);
CREATE TABLE IF NOT EXISTS meta.document_events (
    refresh_id VARCHAR NOT NULL, file_name VARCHAR, source_path VARCHAR, content_hash VARCHAR,
    doc_id VARCHAR, outcome VARCHAR NOT NULL, reason VARCHAR, detail VARCHAR
);
"""


class RefreshFailed(RuntimeError):
    """The refresh stopped; the published warehouse was left as it was."""


class ChecksFailed(RefreshFailed):
    """Everything ran, but data checks (dbt tests or expectations) failed: the data is wrong, not the run."""


# Failures a refresh reports in its own words (one message, no traceback); the CLI maps them too.
REFUSALS = (RefreshFailed, IngestRefused)


@dataclass
class RefreshResult:
    refresh_id: str
    warehouse: Path
    report: IngestReport
    dbt: DbtOutcome
    checks: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0
    kept_aside: Optional[Path] = None  # a rebuild's replaced file


def _write_log(con: duckdb.DuckDBPyConnection, result: RefreshResult, kind: str, started: datetime) -> None:
    con.execute(META_DDL)
    report, checks = result.report, result.checks
    totals = con.execute("SELECT (SELECT count(*) FROM raw.documents), (SELECT count(*) FROM raw.mentions)").fetchone()
    log = {
        "refresh_id": result.refresh_id, "kind": kind, "started_at": started, "finished_at": utcnow(),
        "corpus": report.corpus, "extractor_version": EXTRACTOR_VERSION, "n_files": len(report.events),
        "n_new": report.count("new"), "n_updated": report.count("updated"), "n_unchanged": report.count("unchanged"),
        "n_quarantined": report.count("quarantined") + report.count("duplicate"), "n_refused": report.count("refused"),
        "n_reextracted": report.reextracted, "n_mentions_added": report.mentions_added,
        "n_mentions_rejected": report.mentions_rejected, "n_missing_files": len(report.missing_files),
        "n_not_in_manifest": len(report.not_in_manifest), "n_documents_total": totals[0], "n_mentions_total": totals[1],
        "dbt_status": result.dbt.status, "dbt_fingerprint": result.dbt.fingerprint,
        "checks_fingerprint": checks_fingerprint(), "checks_passed": sum(c.status == "passed" for c in checks),
        "checks_failed": sum(c.failed for c in checks), "suites_skipped": sum(c.status == "skipped" for c in checks),
    }
    con.execute(f"INSERT INTO meta.refreshes ({', '.join(log)}) VALUES ({', '.join('?' for _ in log)})", list(log.values()))
    checks_frame = pd.DataFrame(  # noqa: F841 (read by duckdb)
        [(result.refresh_id, c.suite, c.check, c.status, c.unexpected, c.detail) for c in checks],
        columns=["refresh_id", "suite", "check_name", "status", "unexpected", "detail"], dtype=object)
    con.execute("INSERT INTO meta.check_results SELECT * FROM checks_frame")
    events = [(result.refresh_id, e.file_name, e.source_path, e.content_hash, e.doc_id, e.outcome, e.reason, e.detail)
              for e in report.events]
    events += [(result.refresh_id, name, None, None, None, "missing_file", "missing_file", "listed in manifest.csv, not found")
               for name in report.missing_files]
    events_frame = pd.DataFrame(  # noqa: F841 (read by duckdb)
        events, columns=["refresh_id", "file_name", "source_path", "content_hash", "doc_id", "outcome", "reason", "detail"],
        dtype=object)
    con.execute("INSERT INTO meta.document_events SELECT * FROM events_frame")


def _describe(check: CheckResult) -> str:
    count = f"{check.unexpected} unexpected" if check.unexpected is not None else ""
    return ", ".join(part for part in (count, check.detail) if part)


def _pause_for_tests(echo: Callable[[str], None]) -> None:
    seconds = float(os.environ.get(PAUSE_ENV) or 0)
    if seconds > 0:
        echo(f"paused before publish ({seconds:g}s, {PAUSE_ENV})")
        time.sleep(seconds)


def _discard(build: Path) -> None:
    build.unlink(missing_ok=True)
    wal_path(build).unlink(missing_ok=True)


def _explain(exc: BaseException, warehouse: Path, rebuild: bool) -> Optional[str]:
    """One line for a failure of the file system or of the published file, naming the recovery."""
    if isinstance(exc, (OSError, duckdb.Error)):
        message = io_failure_message(exc, warehouse.parent)
        if message is None and not rebuild:  # a rebuild starts empty: its own file cannot be the culprit
            message = unreadable_message(warehouse, exc)
        return message
    return None


def _dbt_failure(dbt: DbtOutcome, warehouse: Path) -> RefreshFailed:
    message = io_failure_in_text(dbt.detail, warehouse.parent)  # dbt writes the same disk
    if message is None and looks_corrupt(dbt.detail):
        message = f"dbt could not read the build copy of {warehouse}: {REBUILD_HINT}"
    if message:
        return RefreshFailed(message)
    if dbt.only_tests_failed:
        return ChecksFailed(f"dbt tests failed (full log: {dbt.log_file}):\n{dbt.detail}")
    return RefreshFailed(f"dbt build failed (full log: {dbt.log_file}):\n{dbt.detail}")


def _ingest(build: Path, corpus_dir: Path, show_progress: Optional[bool], echo: Callable[[str], None]) -> IngestReport:
    """Step 1: read the corpus and load its raw tables into the build file."""
    corpus, documents = open_corpus(Path(corpus_dir))  # read as they are loaded: one batch in memory
    with duckdb.connect(str(build)) as con:
        report = load_corpus(con, corpus, show_progress=show_progress, documents=documents)
    if not any(event.content_hash for event in report.events):  # the build file is discarded
        raise IngestRefused(f"no documents in {corpus_dir}")
    for line in report.summary_lines():
        echo(line)
    return report


def built_by(con: duckdb.DuckDBPyConnection) -> Optional[str]:
    """The project fingerprint of the last refresh that built (and published) the marts of this file."""
    if not con.execute("SELECT 1 FROM duckdb_columns() WHERE schema_name = 'meta' AND table_name = 'refreshes' "
                       "AND column_name = 'dbt_fingerprint'").fetchone():
        return None
    row = con.execute("SELECT dbt_fingerprint FROM meta.refreshes WHERE dbt_status = 'passed' "
                      "ORDER BY finished_at DESC LIMIT 1").fetchone()
    return row[0] if row else None


def checked_by(con: duckdb.DuckDBPyConnection, layers: tuple[str, ...]) -> Optional[str]:
    """The checks fingerprint of the refresh that published this file, when its checks covered
    `layers` (a raw-only `hasila ingest` never checked the marts)."""
    if not con.execute("SELECT 1 FROM duckdb_columns() WHERE schema_name = 'meta' AND table_name = 'refreshes' "
                       "AND column_name = 'checks_fingerprint'").fetchone():
        return None
    row = con.execute("SELECT checks_fingerprint, dbt_status FROM meta.refreshes "
                      "ORDER BY finished_at DESC LIMIT 1").fetchone()
    if row is None or ("marts" in layers and row[1] != "passed"):
        return None
    return row[0]


def _changed_since_published(build: Path, report: IngestReport, layers: tuple[str, ...],
                             started: datetime) -> Optional[Changed]:
    """What the expectations may limit themselves to: the documents this refresh changed, when every
    row of the published file passed these very suites (its refresh's checks fingerprint); None
    (every row) otherwise."""
    with duckdb.connect(str(build), read_only=True) as con:
        if checked_by(con, layers) != checks_fingerprint():
            return None
    touched = [e.content_hash for e in report.events  # a duplicate changes nothing stored
               if e.content_hash and e.outcome not in ("unchanged", "duplicate")]
    return Changed(touched, started)


def _build_marts(build: Path, warehouse: Path, run_dbt: bool, kind: str, echo: Callable[[str], None],
                 show_progress: Optional[bool]) -> DbtOutcome:
    """Step 2: `dbt build` (models and tests) on the build file, its progress shown as it goes, unless
    this kind of run skips it; raises when it failed. When the project is the one that built the
    published marts, the build is incremental (dbt_build's `incremental`)."""
    if not run_dbt:
        return DbtOutcome("skipped", f"{kind} does not rebuild the marts")
    with duckdb.connect(str(build), read_only=True) as con:
        unchanged = built_by(con) == project_fingerprint()
    echo("running dbt build ..." + (" (incremental: the project built the published marts)" if unchanged else ""))
    import_while_waiting()  # the expectations' fixed cost, paid while dbt works
    progress = DbtProgress(echo, show_progress)
    try:
        dbt = dbt_build(build, build_dir(warehouse) / "dbt", on_line=progress, incremental=unchanged)
    finally:
        progress.close()
    if dbt.status == "failed":
        raise _dbt_failure(dbt, warehouse)
    echo(f"dbt build: {dbt.status}" + (f" ({dbt.detail})" if dbt.detail else ""))
    return dbt


def _check_and_log(build: Path, result: RefreshResult, layers: tuple[str, ...], kind: str, started: datetime,
                   echo: Callable[[str], None]) -> None:
    """Step 3: the expectations on the build file (on the rows this refresh changed, when the published
    rows passed the same suites); when all pass, the refresh log goes into it."""
    changed = _changed_since_published(build, result.report, layers, started)
    echo("running expectations (GE checkpoints) ..." + (" (on the documents this refresh changed)" if changed else ""))
    docs = data_docs_dir(result.warehouse)
    with duckdb.connect(str(build)) as con:
        # Data Docs are rebuilt even when a check fails: they show what failed
        result.checks = validate_connection(con, docs, layers, changed)
        echo(f"Data Docs: {docs / 'index.html'}")
        failed = [c for c in result.checks if c.failed]
        if failed:
            raise ChecksFailed(f"{len(failed)} expectation(s) failed: " + "; ".join(
                f"{c.suite}.{c.check} ({_describe(c)})" for c in failed))
        _write_log(con, result, kind, started)
        con.execute("CHECKPOINT")


def _publish(build: Path, result: RefreshResult, rebuild: bool, echo: Callable[[str], None]) -> None:
    """Step 4: the atomic swap; a rebuild keeps the file it replaces aside."""
    result.kept_aside = publish(build, result.warehouse, keep_old=rebuild)
    if result.kept_aside:
        echo(f"the replaced warehouse is kept as {result.kept_aside}")
    failure_path(result.warehouse).unlink(missing_ok=True)  # the last failure is history now


def refresh(corpus_dir: Path, warehouse: Path, *, run_dbt: bool = True, kind: str = "refresh",
            rebuild: bool = False,
            echo: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
            show_progress: Optional[bool] = None) -> RefreshResult:
    """Ingest `corpus_dir` into a copy of `warehouse`, build and check it, then publish it atomically.

    With `rebuild` the build starts from an empty file instead of a copy (raw tables hold only this
    corpus), and the file it replaces is kept aside, never deleted: the way out of a corrupt file.

    Raises RefreshBusy when another refresh holds the lock, RefreshFailed when a step fails (one
    line for disk full, read-only or unreadable files) and IngestRefused when the loader refuses
    the corpus; in every case the published warehouse is untouched.
    """
    warehouse = Path(warehouse).resolve()
    started_clock, started = time.monotonic(), utcnow()
    refresh_id = f"{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    layers = ("raw", "marts") if run_dbt else ("raw",)
    with refresh_lock(warehouse):
        for stale in clean_stale_builds(warehouse):
            echo(f"removed stale build file from an interrupted refresh: {stale.name}")
        build = build_file(warehouse)
        try:
            new_build_file(warehouse, fresh=rebuild)
            report = _ingest(build, corpus_dir, show_progress, echo)
            result = RefreshResult(refresh_id, warehouse, report, _build_marts(build, warehouse, run_dbt, kind, echo, show_progress))
            _check_and_log(build, result, layers, kind, started, echo)
            _pause_for_tests(echo)
            _publish(build, result, rebuild, echo)
        except BaseException as exc:  # includes SystemExit from SIGTERM: never leave a half-built file
            _discard(build)
            explained = _explain(exc, warehouse, rebuild)
            record_failure(warehouse, refresh_id, explained or str(exc) or type(exc).__name__)
            if explained:
                raise RefreshFailed(explained) from exc
            raise
    result.seconds = time.monotonic() - started_clock
    return result
