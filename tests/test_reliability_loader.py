"""The loader under hostile but ordinary input (issues 7 and 8): versions, manifests that go wrong,
mentions that break the contract, documents that break the extractor, memory."""
from __future__ import annotations

import csv
import time
from datetime import date

import duckdb
import pytest

from ingest import contract, loader
from ingest.corpus import read_corpus
from ingest.extract.mention import Mention
from ingest.loader import IngestRefused, load_corpus
from tests.conftest import ARTICLES, fake_mentions, without_layout, write_corpus


def load(con, folder):
    return load_corpus(con, read_corpus(folder), show_progress=False)


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchall()


def rewrite_dates(folder, new_date):
    """Rewrite every published_at of the manifest with new_date(old ISO date)."""
    path = folder / "manifest.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        row[2] = new_date(row[2])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def ten_articles() -> dict[str, str]:
    return {f"n{i}.txt": ARTICLES["abc"[i % 3] + ".txt"] + f" وذكر المصدر الخبر رقم {i}." for i in range(10)}


# --------------------------------------------------------------------------- A. versions

KILLED = "قالت مصادر محلية إن {n} مدنيا قتلوا يوم الثلاثاء في قصف جوي استهدف بلدة في ريف إدلب الجنوبي."


def test_new_text_under_a_loaded_doc_id_is_a_new_version_and_history_is_kept(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a.txt": KILLED.format(n=53)}, dates={"a.txt": "2023-05-03"})
    con = duckdb.connect()
    load(con, folder)
    write_corpus(folder, {"a.txt": KILLED.format(n=54)}, dates={"a.txt": "2023-05-03"})  # the publisher's update
    report = load(con, folder)
    assert report.new_versions == 1 and report.count("new") == 1 and not report.quarantine_reasons()
    rows = one(con, "SELECT version, is_current, status, ingested_at, superseded_at IS NOT NULL, content_hash "
                    "FROM raw.documents WHERE doc_id = 'doc_a' ORDER BY version")
    assert [r[:3] for r in rows] == [(1, False, "loaded"), (2, True, "loaded")]
    assert rows[0][3] <= rows[1][3] and [r[4] for r in rows] == [True, False]
    counts = {h: {c for (c,) in one(con, "SELECT count FROM raw.mentions WHERE content_hash = ? AND outcome = 'killed'", h)}
              for *_, h in rows}
    assert counts == {rows[0][5]: {53}, rows[1][5]: {54}}
    load(con, folder)  # running again changes nothing: no version 3
    assert one(con, "SELECT max(version), count(*) FROM raw.documents") == [(2, 2)]


def test_an_older_warehouse_gets_versions(tmp_path, fake_extractor):
    con = duckdb.connect()
    load(con, write_corpus(tmp_path / "c", ARTICLES))
    con.execute("ALTER TABLE raw.documents DROP COLUMN superseded_at; ALTER TABLE raw.documents DROP COLUMN is_current;"
                "ALTER TABLE raw.documents DROP COLUMN version; DROP TABLE raw.rejected_mentions")
    loader.apply_raw_schema(con)
    assert one(con, "SELECT DISTINCT version, is_current, superseded_at FROM raw.documents") == [(1, True, None)]


# --------------------------------------------------------------------------- B. manifests

def test_a_manifest_problem_never_demotes_a_loaded_document(corpus_dir, fake_extractor):
    con = duckdb.connect()
    load(con, corpus_dir)
    n_mentions = one(con, "SELECT count(*) FROM raw.mentions")
    write_corpus(corpus_dir, ARTICLES, dates={"a.txt": "2 May 23"})  # no date form the manifest reads
    report = load(con, corpus_dir)
    [event] = [e for e in report.events if e.file_name == "a.txt"]
    assert (event.outcome, event.reason) == ("updated", "bad_manifest_date") and "never demoted" in event.detail
    assert one(con, "SELECT status, published_at FROM raw.documents WHERE doc_id = 'doc_a'") == [("loaded", date(2023, 5, 2))]
    assert one(con, "SELECT count(*) FROM raw.mentions") == n_mentions


def test_a_manifest_that_would_quarantine_most_of_a_corpus_is_refused(tmp_path, fake_extractor):
    folder = write_corpus(tmp_path / "c", ten_articles())
    rewrite_dates(folder, lambda iso: "/".join(reversed(iso[2:].split("-"))))  # 2023-05-02 -> 02/05/23: unreadable
    con = duckdb.connect()
    with pytest.raises(IngestRefused, match=r"quarantine 10 of 10 documents \(bad_manifest_date 10; first: n0.txt"):
        load(con, folder)
    assert not one(con, "SELECT * FROM information_schema.tables WHERE table_schema = 'raw'")  # nothing loaded


def test_a_broken_manifest_on_a_loaded_warehouse_changes_nothing(tmp_path, fake_extractor):
    folder = write_corpus(tmp_path / "c", ten_articles())
    con = duckdb.connect()
    load(con, folder)
    before = one(con, "SELECT * EXCLUDE (body) FROM raw.documents ORDER BY content_hash")
    rewrite_dates(folder, lambda iso: "/".join(reversed(iso[2:].split("-"))))
    with pytest.raises(IngestRefused):
        load(con, folder)
    assert one(con, "SELECT * EXCLUDE (body) FROM raw.documents ORDER BY content_hash") == before


def test_a_few_bad_manifest_rows_are_not_refused(tmp_path, fake_extractor):
    folder = write_corpus(tmp_path / "c", ten_articles(), dates={f"n{i}.txt": "2023-02-30" for i in range(5)})
    report = load(duckdb.connect(), folder)  # 5 of 10 is not "more than half"
    assert report.quarantine_reasons() == {"bad_manifest_date": 5}


# --------------------------------------------------------------------------- C. the mention contract

def good_mention(**changes) -> dict:
    fields = dict(doc_id="d", outcome="killed", count=3, count_qualifier="exact", victim="civilians",
                  perpetrator="regime", scope="incident", event_date="2023-05-01", date_precision="day",
                  period_start=None, period_end=None, place="حلب", admin1="SY-HL", source="sohr",
                  char_start=0, char_end=20, sentence="قتل ثلاثة مدنيين", date_basis="stated")
    return {**fields, **changes}


TALLY = dict(scope="tally", event_date=None, date_precision="unknown", date_basis=None)
RULE_CASES = {
    "date_unreadable": good_mention(event_date="02/05/2023"),
    "outcome_not_allowed": good_mention(outcome="wounded"),
    "count_qualifier_not_allowed": good_mention(count_qualifier="roughly"),
    "victim_not_allowed": good_mention(victim="aliens"),
    "perpetrator_not_allowed": good_mention(perpetrator="previous"),
    "scope_not_allowed": good_mention(scope="event"),
    "date_precision_not_allowed": good_mention(date_precision="week"),
    "source_not_allowed": good_mention(source="previous"),
    "date_basis_not_allowed": good_mention(date_basis="guessed"),
    "admin1_not_iso_code": good_mention(admin1="Aleppo"),
    "count_out_of_range": good_mention(count=100_001),
    "span_outside_document": good_mention(char_end=101),
    "sentence_missing": good_mention(sentence=""),
    "scope_fields_mismatch": good_mention(period_start="2023-01-01"),
    "date_precision_mismatch": good_mention(date_precision="unknown"),
    "date_before_war": good_mention(**TALLY, period_start="1974-01-01", period_end="2023-05-01"),
    "event_after_publication": good_mention(event_date="2023-05-03"),
    "period_inverted": good_mention(**TALLY, period_start="2023-05-01", period_end="2023-04-01"),
    "period_after_publication": good_mention(**TALLY, period_start="2023-01-01", period_end="2023-06-01"),
}


def test_every_contract_rule_has_a_failing_case():
    assert set(RULE_CASES) == set(contract.RULE_NAMES)


@pytest.mark.parametrize("rule", sorted(RULE_CASES))
def test_contract_rule_fails_its_case(rule):
    assert contract.check(good_mention(), 100, date(2023, 5, 2)) is None
    assert contract.check(RULE_CASES[rule], 100, date(2023, 5, 2)) == rule
    assert contract.describe(rule, RULE_CASES[rule], date(2023, 5, 2))


@pytest.mark.parametrize("changes", [dict(count=-1), dict(count=True), dict(count="3"), dict(char_start=20),
                                     dict(event_date="2011-03-14")])
def test_more_contract_edges(changes):
    assert contract.check(good_mention(**changes), 100, date(2023, 5, 2)) is not None


def broken_every_third(text, doc_id, published_at=None, outlet=None):
    """fake_mentions, plus one mention dated before the war for every two good ones."""
    good = fake_mentions(text, doc_id, published_at, outlet)
    bad = [Mention(**{**m.to_dict(), "event_date": "1974-10-06", "count": 99}) for m in good[::2]]
    return good + bad


def test_mentions_that_break_the_contract_are_kept_out_with_a_reason(corpus_dir, monkeypatch):
    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(broken_every_third))
    con = duckdb.connect()
    report = load(con, corpus_dir)
    n_bad = one(con, "SELECT count(*) FROM raw.rejected_mentions WHERE reason = 'date_before_war'")[0][0]
    assert n_bad and report.mentions_rejected == n_bad and report.rejection_reasons == {"date_before_war": n_bad}
    assert not one(con, "SELECT * FROM raw.mentions WHERE event_date < DATE '2011-03-15'")
    assert one(con, "SELECT count(*) FROM raw.mentions")[0][0] == report.mentions_added > 0
    assert "event_date='1974-10-06'" in one(con, "SELECT detail FROM raw.rejected_mentions LIMIT 1")[0][0]
    assert f"mentions rejected     {n_bad}  (date_before_war {n_bad})" in "\n".join(report.summary_lines())
    # n_mentions counts what was loaded, so the raw expectations still add up
    assert one(con, "SELECT sum(n_mentions) FROM raw.documents")[0][0] == report.mentions_added


def test_a_run_with_mostly_rejected_mentions_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(broken_every_third))
    long_articles = {name: ". ".join([text] * 8) for name, text in ten_articles().items()}
    con = duckdb.connect()
    with pytest.raises(IngestRefused, match=r"broke the mention contract \(date_before_war"):
        load(con, write_corpus(tmp_path / "c", long_articles))
    assert not one(con, "SELECT * FROM information_schema.tables WHERE table_schema = 'raw'")


# --------------------------------------------------------------------------- D. one document, one failure

def test_an_extractor_exception_quarantines_only_its_document(corpus_dir, monkeypatch):
    def fragile(text, doc_id, published_at=None, outlet=None):
        if doc_id == "doc_b":
            return {}["no such key"]
        return fake_mentions(text, doc_id, published_at, outlet)

    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(fragile))
    con = duckdb.connect()
    report = load(con, corpus_dir)
    [event] = [e for e in report.events if e.doc_id == "doc_b"]
    assert (event.outcome, event.reason) == ("quarantined", "extraction_failed")
    assert "b.txt (doc_b): KeyError: 'no such key' (in fragile" in event.detail
    assert one(con, "SELECT doc_id, status FROM raw.documents ORDER BY doc_id") == [
        ("doc_a", "loaded"), ("doc_b", "quarantined"), ("doc_c", "loaded")]
    assert not one(con, "SELECT * FROM raw.mentions WHERE doc_id = 'doc_b'")
    # the same extractor again: not retried; a newer extractor: retried and loaded
    assert load(con, corpus_dir).count("unchanged") == 3
    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(fake_mentions))
    monkeypatch.setattr("ingest.loader.EXTRACTOR_VERSION", "99.0")
    load(con, corpus_dir)
    assert one(con, "SELECT status, is_current FROM raw.documents WHERE doc_id = 'doc_b'") == [("loaded", True)]


def test_too_many_mentions_quarantine_the_document_and_load_none(corpus_dir, fake_extractor, monkeypatch):
    most = max(len(fake_mentions(text, "x")) for text in ARTICLES.values())
    monkeypatch.setattr(loader, "MAX_MENTIONS_PER_DOCUMENT", most - 1)
    con = duckdb.connect()
    report = load(con, corpus_dir)
    heavy = {e.doc_id for e in report.events if e.reason == "too_many_mentions"}
    assert heavy and all(f"more than {most - 1}" in e.detail for e in report.events if e.reason == "too_many_mentions")
    assert not one(con, "SELECT * FROM raw.mentions WHERE doc_id IN (SELECT unnest(?))", sorted(heavy))
    assert {r[0] for r in one(con, "SELECT DISTINCT quarantine_reason FROM raw.documents WHERE status = 'quarantined'")} \
        == {"too_many_mentions"}


def test_a_huge_document_is_read_in_pieces_and_stops_at_the_cap(tmp_path, monkeypatch):
    seen: list[int] = []

    def counting(text, doc_id, published_at=None, outlet=None):
        seen.append(len(text))
        return fake_mentions(text, doc_id, published_at, outlet)

    monkeypatch.setattr("ingest.loader.extract_with_layout", without_layout(counting))
    monkeypatch.setattr(loader, "LARGE_DOCUMENT_CHARS", 2_000)
    monkeypatch.setattr(loader, "CHUNK_CHARS", 500)
    sentence = ARTICLES["a.txt"].split(". ")[0]
    body = ". ".join([sentence] * 60)  # one line, about 6,000 characters
    folder = write_corpus(tmp_path / "c", {"big.txt": body, **ARTICLES})
    con = duckdb.connect()
    load(con, folder)
    assert max(seen) <= 500 and len(seen) > 3
    rows = one(con, "SELECT m.char_start, m.char_end, m.sentence, d.body FROM raw.mentions m "
                    "JOIN raw.documents d USING (content_hash) WHERE d.file_name = 'big.txt'")
    assert len(rows) > 20 and all(body[s:e] == sentence for s, e, sentence, body in rows)  # offsets into the whole

    monkeypatch.setattr(loader, "MAX_MENTIONS_PER_DOCUMENT", 10)
    seen.clear()
    report = load(duckdb.connect(), folder)
    assert [e.reason for e in report.events if e.file_name == "big.txt"] == ["too_many_mentions"]
    assert len(seen) < 8  # stopped soon after the cap, not after all 13 pieces


@pytest.mark.slow
def test_a_2mb_repeated_sentence_is_quarantined_quickly(tmp_path):
    body = (KILLED.format(n=53) + " ") * (2_000_000 // len((KILLED.format(n=53) + " ").encode("utf-8")) - 1)
    folder = write_corpus(tmp_path / "c", {"flood.txt": body})
    started = time.monotonic()
    report = load(duckdb.connect(), folder)
    assert [e.reason for e in report.events] == ["too_many_mentions"]
    assert time.monotonic() - started < 60


# --------------------------------------------------------------------------- E. memory

def test_mentions_are_written_a_batch_at_a_time_and_bodies_not_read_back(corpus_dir, fake_extractor, monkeypatch):
    inserts: list[int] = []
    real_insert = loader._insert

    def spying_insert(con, table, columns, rows):
        if table == "raw.mentions":
            inserts.append(len(rows))
        real_insert(con, table, columns, rows)

    def no_reading_back(con, hashes):
        raise AssertionError(f"bodies read back from the warehouse: {hashes}")

    monkeypatch.setattr(loader, "_insert", spying_insert)
    monkeypatch.setattr(loader, "_stored_jobs", no_reading_back)
    monkeypatch.setattr(loader, "BATCH_DOCUMENTS", 1)
    report = load(duckdb.connect(), corpus_dir)
    assert len(inserts) == 3 and sum(inserts) == report.mentions_added


def test_a_load_runs_under_duckdbs_load_memory_limit_and_restores_the_connections(corpus_dir, fake_extractor,
                                                                                  monkeypatch):
    """DuckDB's default memory limit lets its buffer pool keep every block a load writes (memory grew with the
    corpus); the load sets loader.LOAD_MEMORY_MB (plus its indexes' room) while it writes, and gives the
    connection its own back."""
    limits: list[float] = []
    real_insert = loader._insert

    def noting_insert(con, table, columns, rows):
        limits.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        real_insert(con, table, columns, rows)

    monkeypatch.setattr(loader, "_insert", noting_insert)
    con = duckdb.connect()
    con.execute("SET memory_limit = '3GiB'")
    load(con, corpus_dir)
    mb = {round(float(limit.removesuffix(" MiB")) * 2**20 / 10**6) for limit in limits}   # DuckDB's MB are 10^6 bytes
    assert mb and all(loader.LOAD_MEMORY_MB <= m <= loader.LOAD_MEMORY_MB + 2 for m in mb), limits
    assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "3.0 GiB"


def test_the_load_memory_limit_leaves_room_for_the_indexes_duckdb_cannot_spill():
    """A primary-key index stays in memory until the commit and DuckDB refuses a load whose index outgrows
    the limit: the index's size comes on top of LOAD_MEMORY_MB, so a large corpus still loads."""
    con = duckdb.connect()
    con.execute("CREATE TABLE keyed (k VARCHAR PRIMARY KEY)")
    con.execute("INSERT INTO keyed SELECT md5(i::VARCHAR) FROM range(200000) t(i)")
    index_mb = con.execute("SELECT sum(memory_usage_bytes) / 10**6 FROM duckdb_memory() WHERE tag = 'ART_INDEX'").fetchone()[0]
    assert index_mb > 4
    limit = loader._fit_memory_limit(con)
    assert limit >= loader.LOAD_MEMORY_MB + index_mb
    shown = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert abs(float(shown.removesuffix(" MiB")) - limit * 10**6 / 2**20) < 0.2, shown


def test_python_memory_per_document_of_a_load_stays_small(tmp_path, fake_extractor, monkeypatch):
    """What a load keeps in Python for each file (its report event, the duplicate checks, the listing and
    manifest rows not yet read) is at most a few hundred bytes: the corpus is not held. Measured as the
    growth of the Python heap's peak from a corpus to one four times its size (about 1.5 KB a file before
    listing entries, manifest rows and events were made small and let go as read)."""
    import tracemalloc

    from ingest.corpus import open_corpus

    monkeypatch.setattr(loader, "BATCH_DOCUMENTS", 50)

    def peak(n: int) -> int:
        folder = write_corpus(tmp_path / f"c{n}", {f"n{i:05d}.txt": KILLED.format(n=i % 90 + 2) for i in range(n)})
        con = duckdb.connect()
        tracemalloc.start()
        try:
            corpus, documents = open_corpus(folder)
            load_corpus(con, corpus, show_progress=False, documents=documents)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(150), peak(600)
    assert (large - small) / 450 < 700, f"{(large - small) / 450:.0f} bytes per document"


@pytest.mark.slow
def test_an_updated_article_is_published_with_its_history(tmp_path):
    """Issue 8's 'done when': re-running after the publisher's update publishes the new version, and a
    query shows both versions with their dates; the marts count the new figure only."""
    from ingest.refresh import refresh

    warehouse, folder = tmp_path / "w.duckdb", tmp_path / "c"
    for n in (53, 54):
        write_corpus(folder, {"a.txt": KILLED.format(n=n)}, dates={"a.txt": "2023-05-03"})
        refresh(folder, warehouse, echo=lambda line: None, show_progress=False)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        versions = one(con, "SELECT version, is_current, ingested_at, superseded_at FROM marts.dim_documents "
                            "WHERE doc_id = 'doc_a' ORDER BY version")
        assert [v[:2] for v in versions] == [(1, False), (2, True)]
        assert versions[0][3] is not None and versions[0][2] <= versions[0][3] <= versions[1][2]
        assert one(con, "SELECT killed_best FROM marts.fct_incidents") == [(54,)]
        assert one(con, "SELECT reported_count, rejection_reason FROM intermediate.int_mentions_rejected "
                        "WHERE outcome = 'killed'") == [(53, "superseded_version")]
