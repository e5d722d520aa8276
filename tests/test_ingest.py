"""Reading a corpus (quarantine rules, manifest) and loading it into the raw tables."""
from __future__ import annotations

import hashlib
from datetime import date

import duckdb
import pytest

from ingest import corpus as corpus_mod
from ingest.corpus import read_corpus
from ingest.loader import load_corpus
from tests.conftest import ARTICLES, NEW_ARTICLE, SHARED, fake_mentions, without_layout, write_corpus


def statuses(folder):
    return {d.file_name: (d.status, d.quarantine_reason) for d in read_corpus(folder).documents}


def load(con, folder):
    return load_corpus(con, read_corpus(folder), show_progress=False)


def test_documents_get_stable_id_and_manifest_metadata(corpus_dir):
    docs = {d.file_name: d for d in read_corpus(corpus_dir).documents}
    a = docs["a.txt"]
    assert a.content_hash == hashlib.sha256((corpus_dir / "a.txt").read_bytes()).hexdigest()
    assert (a.doc_id, a.published_at, a.outlet, a.status) == ("doc_a", date(2023, 5, 2), "موقع تجريبي", "loaded")
    assert a.char_count == len(ARTICLES["a.txt"])


@pytest.mark.parametrize("content,reason", [
    (b"", "empty"),
    (b"  \n\t\n", "empty"),
    (b"\xff\xfe\xfa not utf-8 \xc3\x28", "undecodable"),  # was not_utf8 before legacy encodings were decoded
    (b"PK\x03\x04\x00\x00binary zip header", "binary"),
    (b"An English page about the weather, long enough to count as text of some kind.", "not_arabic"),
])
def test_content_quarantine_reasons(tmp_path, content, reason):
    folder = write_corpus(tmp_path / "c", {"a.txt": ARTICLES["a.txt"]})
    (folder / "bad.txt").write_bytes(content)
    assert statuses(folder)["bad.txt"] == ("quarantined", reason)
    assert statuses(folder)["a.txt"] == ("loaded", None)


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_mod, "MAX_BYTES", 100)
    folder = write_corpus(tmp_path / "c", {"a.txt": ARTICLES["a.txt"]})
    assert statuses(folder)["a.txt"] == ("quarantined", "too_large")


def test_bad_manifest_dates(tmp_path):
    folder = write_corpus(tmp_path / "c", ARTICLES, dates={"a.txt": "2023-02-30", "b.txt": "2999-01-01"})
    got = statuses(folder)
    assert got["a.txt"] == got["b.txt"] == ("quarantined", "bad_manifest_date")
    assert got["c.txt"] == ("loaded", None)


def test_duplicates_in_one_corpus(tmp_path):
    folder = write_corpus(tmp_path / "c", {**ARTICLES, "a_again.txt": ARTICLES["a.txt"]})
    (folder / "other.txt").write_text(ARTICLES["c.txt"] + " وأكد شهود ذلك.", encoding="utf-8")
    with (folder / "manifest.csv").open("a", encoding="utf-8") as handle:
        handle.write("doc_c,other.txt,2023-05-03,,\n")  # a second file claiming doc_c
    got = statuses(folder)
    assert got["a_again.txt"] == ("quarantined", "duplicate")
    assert got["other.txt"] == ("quarantined", "duplicate_doc_id")


def test_manifest_gaps_are_reported(tmp_path):
    folder = write_corpus(tmp_path / "c", ARTICLES)
    with (folder / "manifest.csv").open("a", encoding="utf-8") as handle:
        handle.write("gone,gone.txt,2023-01-01,,\n")
    (folder / "extra.txt").write_text(NEW_ARTICLE[1], encoding="utf-8")
    corpus = read_corpus(folder)
    assert corpus.missing_files == ["gone.txt"] and corpus.not_in_manifest == ["extra.txt"]
    extra = next(d for d in corpus.documents if d.file_name == "extra.txt")
    assert (extra.status, extra.doc_id, extra.published_at) == ("loaded", "extra", None)


def test_without_manifest_published_at_is_null(tmp_path):
    folder = write_corpus(tmp_path / "c", ARTICLES, manifest=False)
    corpus = read_corpus(folder)
    assert not corpus.has_manifest and corpus.not_in_manifest == []
    assert {d.doc_id for d in corpus.documents} == {"a", "b", "c"}
    assert all(d.published_at is None for d in corpus.documents)


def test_bad_manifest_header_is_an_error(tmp_path):
    folder = write_corpus(tmp_path / "c", ARTICLES, manifest=False)
    (folder / "manifest.csv").write_text("id,path\n1,a.txt\n", encoding="utf-8")
    with pytest.raises(corpus_mod.ManifestError, match="missing column"):
        read_corpus(folder)


def test_every_file_is_accounted_for(tmp_path, fake_extractor):
    folder = write_corpus(tmp_path / "c", {**ARTICLES, "copy.txt": ARTICLES["b.txt"]})
    (folder / "empty.txt").write_bytes(b"")
    con = duckdb.connect()
    report = load(con, folder)
    assert len(report.events) == 5
    assert [e.outcome for e in report.events].count("new") == 3
    assert report.quarantine_reasons() == {"duplicate": 1, "empty": 1}
    # the in-run duplicate has no row of its own (content_hash is the key); everything else does
    assert con.execute("SELECT count(*) FROM raw.documents").fetchone()[0] == 4
    assert "5 file(s) accounted for" in "\n".join(report.summary_lines())


def test_mentions_carry_provenance(corpus_dir, fake_extractor):
    con = duckdb.connect()
    load(con, corpus_dir)
    rows = con.execute("""
        SELECT m.mention_id, m.content_hash, m.char_start, m.char_end, m.outcome, m.victim, m.count,
               m.sentence, d.body, m.doc_id, m.event_date, m.extractor_version
        FROM raw.mentions m JOIN raw.documents d USING (content_hash)""").fetchall()
    assert rows
    for mid, chash, start, end, outcome, victim, count, sentence, body, doc_id, event_date, version in rows:
        key = f"{chash}|{start}|{end}|{outcome}|{victim}|{count}"
        assert mid == hashlib.sha256(key.encode()).hexdigest()[:16]
        assert body[start:end] == sentence and doc_id.startswith("doc_")
        assert event_date == date(2023, 5, 2) and version
    n = con.execute("SELECT sum(n_mentions) FROM raw.documents").fetchone()[0]
    assert n == len(rows)


def test_rerun_adds_nothing_and_new_document_adds_only_its_rows(corpus_dir, fake_extractor):
    con = duckdb.connect()
    load(con, corpus_dir)
    before = con.execute("SELECT count(*), (SELECT count(*) FROM raw.mentions) FROM raw.documents").fetchone()
    report = load(con, corpus_dir)
    assert report.count("unchanged") == 3 and report.mentions_added == 0
    assert con.execute("SELECT count(*), (SELECT count(*) FROM raw.mentions) FROM raw.documents").fetchone() == before
    write_corpus(corpus_dir, {**ARTICLES, NEW_ARTICLE[0]: NEW_ARTICLE[1]})
    report = load(con, corpus_dir)
    assert report.count("new") == 1 and report.count("unchanged") == 3
    after = con.execute("SELECT count(*), (SELECT count(*) FROM raw.mentions) FROM raw.documents").fetchone()
    assert after == (before[0] + 1, before[1] + len(fake_extractor(NEW_ARTICLE[1], "x")))


def test_same_content_under_another_name_is_a_duplicate(tmp_path, fake_extractor):
    con = duckdb.connect()
    load(con, write_corpus(tmp_path / "one", ARTICLES))
    report = load(con, write_corpus(tmp_path / "two", {"renamed.txt": ARTICLES["a.txt"]}))
    [event] = report.events
    assert (event.outcome, event.reason) == ("duplicate", "duplicate") and "a.txt" in event.detail
    assert con.execute("SELECT count(*) FROM raw.documents").fetchone()[0] == 3


def test_manifest_correction_updates_the_document(corpus_dir, fake_extractor):
    con = duckdb.connect()
    load(con, corpus_dir)
    write_corpus(corpus_dir, ARTICLES, dates={"a.txt": "2023-06-01"})
    report = load(con, corpus_dir)
    assert report.count("updated") == 1
    assert con.execute("SELECT DISTINCT m.event_date FROM raw.mentions m JOIN raw.documents d USING (content_hash) "
                       "WHERE d.doc_id = 'doc_a'").fetchall() == [(date(2023, 6, 1),)]
    assert con.execute("SELECT count(*) FROM raw.documents").fetchone()[0] == 3


def test_older_extractor_version_is_re_extracted(corpus_dir, monkeypatch):
    monkeypatch.setattr("ingest.loader.EXTRACTOR_VERSION", "0.1.0")
    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(lambda text, doc_id, published_at=None, outlet=None: []))
    con = duckdb.connect()
    load(con, corpus_dir)
    assert con.execute("SELECT count(*) FROM raw.mentions").fetchone()[0] == 0

    monkeypatch.setattr("ingest.loader.EXTRACTOR_VERSION", "0.2.0")
    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(fake_mentions))
    report = load(con, corpus_dir)
    assert report.reextracted == 3 and report.count("unchanged") == 3
    assert con.execute("SELECT DISTINCT extractor_version FROM raw.documents WHERE status = 'loaded'").fetchall() == [("0.2.0",)]
    assert con.execute("SELECT DISTINCT extractor_version FROM raw.mentions").fetchall() == [("0.2.0",)]
    n = con.execute("SELECT count(*) FROM raw.mentions").fetchone()[0]
    assert n > 0
    load(con, corpus_dir)  # same version again: nothing re-extracted, nothing doubled
    assert con.execute("SELECT count(*) FROM raw.mentions").fetchone()[0] == n


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "corpus" / "seeds").is_dir(), reason="../shared is not available")
def test_seed_corpus_loads():
    con = duckdb.connect()
    report = load(con, SHARED / "corpus" / "seeds")
    assert report.count("new") == 5 and not report.missing_files and not report.not_in_manifest
    assert con.execute("SELECT count(*) FROM raw.documents WHERE status = 'loaded' AND published_at IS NOT NULL"
                       ).fetchone()[0] == 5
