"""A refresh over a corpus the warehouse mostly holds already: files it holds loaded are hashed, not
decoded (Corpus.already_stored), and the raw tables come out as when every file is decoded."""
from __future__ import annotations

import duckdb
import pytest

from ingest import corpus as corpus_mod
from ingest.corpus import open_corpus, read_corpus
from ingest.loader import load_corpus
from tests.conftest import ARTICLES, NEW_ARTICLE, write_corpus

RAW_TABLES = ("raw.documents", "raw.mentions", "raw.rejected_mentions", "raw.document_regions")


def _streamed(con, folder):
    """As `hasila refresh` loads: documents read as they are planned (open_corpus)."""
    corpus, documents = open_corpus(folder)
    return load_corpus(con, corpus, show_progress=False, documents=documents)


def _read_first(con, folder):
    """Every document read and decoded before the load starts (read_corpus): nothing is known yet."""
    return load_corpus(con, read_corpus(folder), show_progress=False)


def _rows(con) -> dict[str, list[tuple]]:
    """The raw tables without the columns saying when a row was written."""
    tables = {}
    for table in RAW_TABLES:
        schema, name = table.split(".")
        columns = [c for c, kind in con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                                                "WHERE schema_name = ? AND table_name = ?", [schema, name]).fetchall()
                   if not kind.startswith("TIMESTAMP")]
        tables[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()
    return tables


@pytest.fixture
def decoded(monkeypatch) -> list[bytes]:
    """The bytes of every file decoded (classify_content) while the test runs."""
    seen: list[bytes] = []
    classify = corpus_mod.classify_content
    monkeypatch.setattr(corpus_mod, "classify_content", lambda data, size=None: seen.append(data) or classify(data, size))
    return seen


def _second_corpus(tmp_path):
    """The first corpus with: a copy of a.txt under another name, b.txt redated in the manifest, a new file."""
    articles = {**ARTICLES, "a_copy.txt": ARTICLES["a.txt"], NEW_ARTICLE[0]: NEW_ARTICLE[1]}
    return write_corpus(tmp_path / "second", articles, dates={"b.txt": "2023-06-01"})


def test_known_files_are_hashed_not_decoded_and_the_rows_are_the_same(tmp_path, corpus_dir, fake_extractor,
                                                                      decoded):
    second = _second_corpus(tmp_path)
    streamed, read_first = duckdb.connect(), duckdb.connect()
    _streamed(streamed, corpus_dir)
    decoded.clear()
    report = _streamed(streamed, second)

    outcomes = {e.file_name: e.outcome for e in report.events}
    assert outcomes == {"a.txt": "unchanged", "c.txt": "unchanged", "a_copy.txt": "duplicate",
                        "b.txt": "updated", "d.txt": "new"}
    # only the redated file (its metadata changed) and the new one were decoded
    assert sorted(decoded) == sorted((second / name).read_bytes() for name in ("b.txt", "d.txt"))

    _read_first(read_first, corpus_dir)
    _read_first(read_first, second)
    assert _rows(streamed) == _rows(read_first)


def test_a_known_file_without_a_manifest_date_is_decoded(tmp_path, fake_extractor, decoded):
    """Its publication date may be its page's, which only decoding reads."""
    folder = write_corpus(tmp_path / "c", {"a.txt": ARTICLES["a.txt"]}, manifest=False)
    con = duckdb.connect()
    _streamed(con, folder)
    decoded.clear()
    report = _streamed(con, folder)
    assert [e.outcome for e in report.events] == ["unchanged"] and len(decoded) == 1


def test_a_file_stored_as_quarantined_is_decoded_again(tmp_path, fake_extractor, decoded):
    """Judged anew (rules change): only a loaded document is never demoted."""
    folder = write_corpus(tmp_path / "c", {"a.txt": ARTICLES["a.txt"], "e.txt": "plain English, not Arabic at all."})
    con = duckdb.connect()
    _streamed(con, folder)
    decoded.clear()
    _streamed(con, folder)
    assert decoded == [(folder / "e.txt").read_bytes()]
