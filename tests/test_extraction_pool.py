"""Extraction in a process pool (ingest/extraction_pool.py): the same rows as the serial path, worker
failures named and quarantined or refused, and no worker outliving its loader."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ingest import BUNDLED_CORPUS
from ingest.corpus import read_corpus
from ingest.corpus_extraction import extract_corpus
from ingest.extraction_pool import WORKERS_ENV, WorkerDied, map_batches, workers_setting
from ingest.loader import load_corpus
from tests.conftest import ARTICLES, REPO_ROOT, fake_mentions, processes_mentioning, wait_until, without_layout, write_corpus

# Columns that hold the time of the run, the only thing two loads of one corpus may differ in.
RUN_TIMES = {"raw.documents": ("ingested_at", "superseded_at"), "raw.mentions": ("extracted_at",),
             "raw.rejected_mentions": ("rejected_at",), "raw.document_regions": ()}


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    columns = [c for (c,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
        "ORDER BY ordinal_position", table.split(".")).fetchall() if c not in RUN_TIMES[table]]
    listed = ", ".join(f'"{c}"' for c in columns)
    return con.execute(f"SELECT {listed} FROM {table} ORDER BY ALL").fetchall()


def _load(folder: Path, workers: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load_corpus(con, read_corpus(folder), show_progress=False, workers=workers)
    return con


def test_pool_loads_the_same_rows_as_the_serial_path():
    serial, pooled = _load(BUNDLED_CORPUS, 1), _load(BUNDLED_CORPUS, 2)
    for table in RUN_TIMES:
        assert _rows(serial, table) == _rows(pooled, table), table
    assert len(_rows(serial, "raw.mentions")) > 20 and _rows(serial, "raw.document_regions")


def test_hasila_extract_prints_the_same_with_a_pool():
    def listed(workers):
        return [(doc.doc_id, [m.to_dict() for m in mentions])
                for doc, mentions in extract_corpus(BUNDLED_CORPUS, workers=workers)]
    serial = listed(1)
    assert listed(2) == serial and sum(len(m) for _d, m in serial) > 20


def _failing_in_worker(text, doc_id, published_at=None, outlet=None):
    if doc_id == "doc_b":
        raise RuntimeError(f"broken in process {os.getpid()}")
    return fake_mentions(text, doc_id, published_at, outlet)


def test_an_exception_in_a_worker_quarantines_its_document_by_name(tmp_path, monkeypatch):
    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(_failing_in_worker))
    folder = write_corpus(tmp_path / "c", {**ARTICLES, **{f"x{i}.txt": ARTICLES["a.txt"] + f" رقم {i}." for i in range(6)}})
    con = duckdb.connect()
    report = load_corpus(con, read_corpus(folder), show_progress=False, workers=2)
    [event] = [e for e in report.events if e.outcome == "quarantined"]
    assert (event.doc_id, event.reason) == ("doc_b", "extraction_failed")
    assert "b.txt (doc_b): RuntimeError: broken in process" in event.detail
    assert f"process {os.getpid()})" not in event.detail  # it really ran in a worker
    assert con.execute("SELECT count(DISTINCT doc_id) FROM raw.mentions").fetchone()[0] == 8


def _dying(text, doc_id, published_at=None, outlet=None):
    if doc_id == "doc_c":
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
    return fake_mentions(text, doc_id, published_at, outlet)


def test_a_worker_that_dies_fails_the_load_and_loads_nothing(tmp_path, monkeypatch, corpus_dir):
    con = duckdb.connect()
    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(fake_mentions))
    load_corpus(con, read_corpus(corpus_dir), show_progress=False, workers=1)
    before = {table: _rows(con, table) for table in RUN_TIMES}
    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(_dying))
    # the first document is extracted in this process (it warms the extractor before the fork): not c.txt
    later = write_corpus(tmp_path / "later", {f"a{i}.txt": ARTICLES["abc"[i % 3] + ".txt"] + f" رقم {i}."
                                              for i in range(6)})
    (later / "c.txt").write_text(ARTICLES["c.txt"] + " تحديث.", encoding="utf-8")
    with (later / "manifest.csv").open("a", encoding="utf-8") as manifest:
        manifest.write("doc_c,c.txt,2023-05-03,,\n")
    with pytest.raises(WorkerDied, match=r"worker died .* unfinished document\(s\): .*c\.txt \(doc_c\)"):
        load_corpus(con, read_corpus(later), show_progress=False, workers=2)
    assert {table: _rows(con, table) for table in RUN_TIMES} == before


def test_workers_setting(monkeypatch):
    monkeypatch.setenv(WORKERS_ENV, "3")
    assert workers_setting() == 3
    monkeypatch.delenv(WORKERS_ENV)
    assert workers_setting() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(WORKERS_ENV, "0")
    with pytest.raises(ValueError, match=WORKERS_ENV):
        workers_setting()


def test_a_bad_workers_setting_is_one_line(monkeypatch, corpus_dir):
    from click.testing import CliRunner

    from ingest.cli import EXIT_FAILED, cli
    monkeypatch.setenv(WORKERS_ENV, "all")
    result = CliRunner().invoke(cli, ["extract", str(corpus_dir)])
    assert result.exit_code == EXIT_FAILED and result.exception.__class__ is SystemExit
    assert f"{WORKERS_ENV} must be a whole number" in result.output


def test_results_come_in_input_order_batch_by_batch():
    batches = [[5, 1, 4], [2], [3, 0]]
    out = [(list(batch), list(results)) for batch, results in map_batches(_slow_square, batches, 2)]
    assert out == [([5, 1, 4], [25, 1, 16]), ([2], [4]), ([3, 0], [9, 0])]


def _slow_square(n: int) -> int:
    time.sleep(n / 100)  # later items finish first
    return n * n


def _children(marker: str, parent: int) -> list[int]:
    return [pid for pid in processes_mentioning(marker) if pid != parent]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["sigkill", "sigterm"])
def test_no_worker_outlives_a_killed_loader(corpus_dir, how):
    marker = f"hasila-pool-check-{os.getpid()}-{time.monotonic_ns()}"
    # the workers hang on their documents (the first one, extracted before the fork, does not)
    script = ("import os, sys, time, signal, duckdb; from ingest import loader; from ingest.corpus import read_corpus; "
              "signal.signal(signal.SIGTERM, lambda *a: sys.exit(143)); "  # as `hasila` does
              "parent = os.getpid(); "
              "loader.extract_with_layout = lambda *a, **k: ([], None) if os.getpid() == parent else time.sleep(300); "
              "loader.load_corpus(duckdb.connect(), read_corpus(sys.argv[1]), show_progress=False, workers=2)")
    parent = subprocess.Popen([sys.executable, "-c", script, str(corpus_dir), marker], cwd=REPO_ROOT,
                              env={**os.environ, WORKERS_ENV: "2"})
    try:
        assert wait_until(lambda: len(_children(marker, parent.pid)) == 2, 60), "the workers never started"
        parent.send_signal(how)
        assert parent.wait(30) != 0
        assert wait_until(lambda: not _children(marker, parent.pid), 10), "a worker outlived its loader"
    finally:
        for pid in _children(marker, parent.pid):
            os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_an_ingest_killed_while_extracting_leaves_the_published_warehouse_untouched(tmp_path, monkeypatch):
    from ingest.refresh import refresh

    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(fake_mentions))
    warehouse = tmp_path / "w.duckdb"
    refresh(write_corpus(tmp_path / "first", ARTICLES), warehouse, run_dbt=False, echo=lambda line: None,
            show_progress=False)
    published = warehouse.read_bytes()
    later = write_corpus(tmp_path / "later", {f"n{i}.txt": ARTICLES["abc"[i % 3] + ".txt"] + f" رقم {i}."
                                              for i in range(8)})
    marker = f"hasila-ingest-kill-{os.getpid()}-{time.monotonic_ns()}"
    script = ("import os, sys, time; from ingest import loader, cli; parent = os.getpid(); "
              "loader.extract_with_layout = lambda *a, **k: ([], None) if os.getpid() == parent else time.sleep(300); "
              "sys.argv = ['hasila', 'ingest', sys.argv[1], '--warehouse', sys.argv[2]]; cli.main()")
    proc = subprocess.Popen([sys.executable, "-c", script, str(later), str(warehouse), marker], cwd=REPO_ROOT,
                            env={**os.environ, WORKERS_ENV: "2"}, stderr=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: len(_children(marker, proc.pid)) == 2, 60), "the workers never started"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert wait_until(lambda: not _children(marker, proc.pid), 10), "a worker outlived its refresh"
        assert warehouse.read_bytes() == published
    finally:
        for pid in _children(marker, proc.pid):
            os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
