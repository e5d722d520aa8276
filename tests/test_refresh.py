"""Safe publishing: build aside, publish atomically, refuse concurrent refreshes, survive kills."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ingest import DBT_PROJECT_DIR
from ingest.extract.mention import Mention
from ingest.publish import FICLONE, RefreshBusy, build_dir, clone_or_copy, new_build_file, read_failure, refresh_lock
from ingest.refresh import PAUSE_ENV, RefreshFailed, refresh
from ingest.status import status_lines
from tests.conftest import ARTICLES, NEW_ARTICLE, REPO_ROOT, without_layout, write_corpus
from tests.tiny_dbt import write_dbt_project

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def ingest(corpus: Path, warehouse: Path):
    return refresh(corpus, warehouse, run_dbt=False, kind="ingest", echo=lambda line: None, show_progress=False)


def table_counts(warehouse: Path) -> tuple[int, int, int, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("""SELECT (SELECT count(*) FROM raw.documents), (SELECT count(DISTINCT content_hash) FROM raw.documents),
                                     (SELECT count(*) FROM raw.mentions), (SELECT count(DISTINCT mention_id) FROM raw.mentions)""").fetchone()


def test_ingest_publishes_and_logs(corpus_dir, tmp_path, fake_extractor):
    warehouse = tmp_path / "w.duckdb"
    result = ingest(corpus_dir, warehouse)
    assert warehouse.exists() and result.report.count("new") == 3
    assert not list(build_dir(warehouse).glob("w.*.duckdb*")), "no build file left behind"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kind, n_new, passed, failed = con.execute(
            "SELECT kind, n_new, checks_passed, checks_failed FROM meta.refreshes").fetchone()
        events = con.execute("SELECT count(*) FROM meta.document_events").fetchone()[0]
    assert (kind, n_new, failed) == ("ingest", 3, 0) and passed > 0 and events == 3
    text = "\n".join(status_lines(warehouse))
    assert "Last ingest" in text and "loaded" in text


def test_accumulates_across_corpora(tmp_path, fake_extractor):
    warehouse = tmp_path / "w.duckdb"
    ingest(write_corpus(tmp_path / "one", ARTICLES), warehouse)
    ingest(write_corpus(tmp_path / "two", {NEW_ARTICLE[0]: NEW_ARTICLE[1]}), warehouse)
    docs, distinct_docs, mentions, distinct_mentions = table_counts(warehouse)
    assert docs == distinct_docs == 4 and mentions == distinct_mentions > 0


def test_failed_checks_keep_the_published_warehouse(corpus_dir, tmp_path, fake_extractor, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    ingest(corpus_dir, warehouse)
    published = warehouse.read_bytes()

    def bad_extractor(text, doc_id, published_at=None, outlet=None):
        return [Mention(doc_id, "killed", 2, "exact", "aliens", None, "incident", None, "unknown",
                        None, None, None, None, None, 0, 5, text[:5])]
    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(bad_extractor))
    # The loader's mention contract would keep this mention out; with a gap in it, the expectations
    # are the second line of defence.
    monkeypatch.setattr("ingest.contract.check", lambda mention, body_len, published_at: None)
    write_corpus(corpus_dir, {NEW_ARTICLE[0]: NEW_ARTICLE[1]})
    with pytest.raises(RefreshFailed, match="victim_allowed"):
        ingest(corpus_dir, warehouse)
    assert warehouse.read_bytes() == published
    assert not list(build_dir(warehouse).glob("w.*.duckdb*"))
    assert "victim_allowed" in read_failure(warehouse)["reason"]
    assert "Last failed attempt" in "\n".join(status_lines(warehouse))


def test_second_refresh_is_refused_while_one_runs(corpus_dir, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with refresh_lock(warehouse.resolve()):
        with pytest.raises(RefreshBusy, match="another refresh"):
            ingest(corpus_dir, warehouse)
    assert not warehouse.exists()


def test_stale_build_files_are_cleaned(corpus_dir, tmp_path, fake_extractor):
    warehouse = tmp_path / "w.duckdb"
    stale = build_dir(warehouse) / "w.99999.duckdb"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half-written")
    ingest(corpus_dir, warehouse)
    assert not stale.exists()


def _ioctl_answering(errno_or_clone: int | None, calls: list):
    """A stand-in for fcntl.ioctl: fails with `errno_or_clone`, or (None) clones by copying the bytes."""
    def ioctl(fd, request, source_fd):
        calls.append(request)
        if errno_or_clone is not None:
            raise OSError(errno_or_clone, os.strerror(errno_or_clone))
        os.sendfile(fd, source_fd, 0, os.fstat(source_fd).st_size)
    return ioctl


@pytest.mark.parametrize("answer, made", [(None, "clone"), (errno.EOPNOTSUPP, "copy"), (errno.EXDEV, "copy")],
                         ids=["clones", "no_clones_here", "other_device"])
def test_the_build_file_is_a_clone_where_the_file_system_makes_one(corpus_dir, tmp_path, fake_extractor, monkeypatch,
                                                                     answer, made):
    warehouse = tmp_path / "w.duckdb"
    ingest(corpus_dir, warehouse)
    calls = []
    monkeypatch.setattr("ingest.publish.fcntl.ioctl", _ioctl_answering(answer, calls))
    build, how = new_build_file(warehouse.resolve())
    assert (calls, how) == ([FICLONE], made) and build.read_bytes() == warehouse.read_bytes()
    write_corpus(corpus_dir, {NEW_ARTICLE[0]: NEW_ARTICLE[1]})
    ingest(corpus_dir, warehouse)  # on a build file made the same way
    assert len(calls) == 2 and table_counts(warehouse)[0] == 4


def test_a_real_clone_leaves_its_source_as_it_was(tmp_path):
    """On a file system with clones (btrfs, XFS with reflink): writing the build file never reaches
    the published one. Skipped where the file system makes none (ext4, tmpfs)."""
    source, target = tmp_path / "w.duckdb", tmp_path / "build.duckdb"
    with duckdb.connect(str(source)) as con:
        con.execute("CREATE TABLE t AS SELECT range AS n FROM range(300000); CHECKPOINT")
    published = source.read_bytes()
    if clone_or_copy(source, target) != "clone":
        pytest.skip("this file system makes no copy-on-write clones")
    with duckdb.connect(str(target)) as con:
        con.execute("UPDATE t SET n = n + 1; INSERT INTO t SELECT range FROM range(300000); CHECKPOINT")
    assert source.read_bytes() == published and target.read_bytes() != published


def test_a_clone_failing_for_another_reason_is_reported_not_copied(corpus_dir, tmp_path, fake_extractor, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    ingest(corpus_dir, warehouse)
    published = warehouse.read_bytes()
    monkeypatch.setattr("ingest.publish.fcntl.ioctl", _ioctl_answering(errno.ENOSPC, []))
    with pytest.raises(RefreshFailed, match="disk full"):
        ingest(corpus_dir, warehouse)
    assert warehouse.read_bytes() == published and not list(build_dir(warehouse).glob("w.*.duckdb*"))


def _start(corpus: Path, warehouse: Path, pause: float) -> subprocess.Popen:
    env = {**os.environ, PAUSE_ENV: str(pause)}
    return subprocess.Popen([sys.executable, "-m", "ingest.cli", "ingest", str(corpus), "--warehouse", str(warehouse)],
                            env=env, cwd=REPO_ROOT, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _wait_for_pause(proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    for line in proc.stderr:
        if "paused before publish" in line:
            return
        assert time.monotonic() < deadline
    pytest.fail(f"refresh ended before pausing (exit {proc.wait()})")


@pytest.mark.slow
def test_killed_refresh_leaves_published_warehouse_and_rerun_completes(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    warehouse = tmp_path / "w.duckdb"
    first = _start(corpus, warehouse, pause=0)
    assert first.wait() == 0, first.stderr.read()
    published = warehouse.read_bytes()
    before = table_counts(warehouse)

    write_corpus(corpus, {NEW_ARTICLE[0]: NEW_ARTICLE[1]})
    victim = _start(corpus, warehouse, pause=60)
    _wait_for_pause(victim)
    # while it runs, a second refresh is refused with a clear message
    second = subprocess.run([sys.executable, "-m", "ingest.cli", "ingest", str(corpus), "--warehouse", str(warehouse)],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert second.returncode == 75 and "another refresh" in second.stderr  # EX_TEMPFAIL: busy, not failed
    victim.send_signal(signal.SIGKILL)
    victim.wait()

    assert warehouse.read_bytes() == published
    assert list(build_dir(warehouse).glob("w.*.duckdb")), "the killed run's build file is still there"
    rerun = _start(corpus, warehouse, pause=0)
    _, err = rerun.communicate()
    assert rerun.returncode == 0, err
    assert "removed stale build file" in err
    assert not list(build_dir(warehouse).glob("w.*.duckdb"))
    docs, distinct_docs, mentions, distinct_mentions = table_counts(warehouse)
    assert docs == distinct_docs == before[0] + 1 and mentions == distinct_mentions


@pytest.mark.slow
def test_terminated_refresh_cleans_up_after_itself(corpus_dir, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    proc = _start(corpus_dir, warehouse, pause=60)
    _wait_for_pause(proc)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait() != 0
    assert not warehouse.exists() and not list(build_dir(warehouse).glob("w.*.duckdb*"))


@pytest.mark.slow
@pytest.mark.skipif(not (DBT_PROJECT_DIR / "dbt_project.yml").exists(), reason="dbt project not written yet")
def test_full_refresh_builds_marts(refreshed_articles):
    result = refreshed_articles.result  # the real extractor on corpus_dir's articles (tests/conftest.py)
    assert result.dbt.status == "passed"
    assert not [c for c in result.checks if c.failed]
    with duckdb.connect(str(refreshed_articles.warehouse), read_only=True) as con:
        assert con.execute("SELECT dbt_status FROM meta.refreshes").fetchone() == ("passed",)
        schemas = {r[0] for r in con.execute("SELECT DISTINCT table_schema FROM information_schema.tables").fetchall()}
    assert {"raw", "meta"} <= schemas


@pytest.mark.slow
def test_dbt_failure_names_the_failing_node_and_keeps_the_warehouse(corpus_dir, tmp_path, fake_extractor, monkeypatch):
    import functools

    from ingest.dbt_runner import dbt_build

    warehouse = tmp_path / "w.duckdb"
    ingest(corpus_dir, warehouse)
    published = warehouse.read_bytes()
    project = write_dbt_project(tmp_path / "broken_dbt", "broken",
                                {"needs_a_missing_table.sql": "select * from raw.no_such_table"})
    monkeypatch.setattr("ingest.refresh.dbt_build", functools.partial(dbt_build, project_dir=project))
    with pytest.raises(RefreshFailed, match="needs_a_missing_table"):
        refresh(corpus_dir, warehouse, echo=lambda line: None, show_progress=False)
    assert warehouse.read_bytes() == published
