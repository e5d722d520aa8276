"""The stat cache of content hashes (ingest/hash_cache.py): a refresh reads the files it adds, not the
ones it already holds, and still sees every file whose bytes changed."""
from __future__ import annotations

import os

import duckdb
import pytest

from ingest import corpus as corpus_mod
from ingest import hash_cache
from ingest.corpus import open_corpus, read_corpus
from ingest.loader import load_corpus
from tests.conftest import ARTICLES, NEW_ARTICLE, write_corpus
from tests.test_ingest_unchanged import _rows


def _load(con, folder):
    corpus, documents = open_corpus(folder)
    return load_corpus(con, corpus, show_progress=False, documents=documents)


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The names of the files whose bytes were read while the test runs."""
    seen: list[str] = []
    read = corpus_mod.read_bounded
    monkeypatch.setattr(corpus_mod, "read_bounded", lambda path, expect=None: seen.append(path.name) or read(path, expect))
    return seen


@pytest.fixture
def settled(monkeypatch):
    """Files written by the test count as settled at once (no racy window), as files written
    seconds before a refresh do."""
    monkeypatch.setattr(hash_cache, "RACY_SECONDS", 0)


def _entries(con) -> int:
    """Rows of the cache table (0 when a rolled-back load left no table)."""
    schema, name = hash_cache.TABLE.split(".")
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?",
                       [schema, name]).fetchone()[0]:
        return 0
    return con.execute(f"SELECT count(*) FROM {hash_cache.TABLE}").fetchone()[0]


def test_known_files_are_not_read_and_the_rows_are_the_same(tmp_path, corpus_dir, fake_extractor, opened, settled):
    con = duckdb.connect()
    _load(con, corpus_dir)
    assert _entries(con) == len(ARTICLES)
    # one article added to the folder: its file and a manifest listing it, the others left as they are
    grown = write_corpus(tmp_path / "grown", {**ARTICLES, NEW_ARTICLE[0]: NEW_ARTICLE[1]})
    (corpus_dir / NEW_ARTICLE[0]).write_bytes((grown / NEW_ARTICLE[0]).read_bytes())
    (corpus_dir / "manifest.csv").write_bytes((grown / "manifest.csv").read_bytes())
    opened.clear()
    report = _load(con, corpus_dir)
    assert opened == [NEW_ARTICLE[0]]
    assert {e.file_name: e.outcome for e in report.events} == {"a.txt": "unchanged", "b.txt": "unchanged",
                                                                "c.txt": "unchanged", "d.txt": "new"}
    every_file_read = duckdb.connect()
    load_corpus(every_file_read, read_corpus(corpus_dir), show_progress=False)
    assert _rows(con) == _rows(every_file_read)


def test_a_file_rewritten_with_its_size_and_modification_time_is_read_again(corpus_dir, fake_extractor, opened,
                                                                            settled):
    con = duckdb.connect()
    _load(con, corpus_dir)
    path = corpus_dir / "a.txt"
    before = path.stat()
    changed = ARTICLES["a.txt"].replace("ثلاثة", "أربعة")  # same number of bytes in UTF-8
    assert len(changed.encode()) == before.st_size
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r` or a copy keeping times
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)
    opened.clear()
    report = _load(con, corpus_dir)
    assert "a.txt" in opened
    event = next(e for e in report.events if e.file_name == "a.txt")
    assert event.outcome == "new" and "version 2" in event.detail


def test_a_file_changed_just_before_its_stat_is_not_recorded(corpus_dir, fake_extractor, opened):
    """Written within RACY_SECONDS of the listing: its times could stay the same through a later write."""
    con = duckdb.connect()
    _load(con, corpus_dir)
    assert _entries(con) == 0
    opened.clear()
    _load(con, corpus_dir)
    assert sorted(opened) == sorted(ARTICLES)


def test_a_refused_load_records_no_hash(corpus_dir, fake_extractor, settled, monkeypatch):
    """The entries are written in the load's transaction: a load that fails leaves none behind."""
    con = duckdb.connect()
    monkeypatch.setattr("ingest.loader._settle_versions", lambda con, now: (_ for _ in ()).throw(RuntimeError("stop")))
    with pytest.raises(RuntimeError, match="stop"):
        _load(con, corpus_dir)
    assert _entries(con) == 0
