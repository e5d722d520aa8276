"""The expectation suites: a clean warehouse passes, and every single check can fail.

The bad-row cases are keyed by check name; `test_every_check_has_a_failing_case` makes sure a
check added to expectations/*.yml cannot go without one. Checks run one at a time on suites built
straight from the YAML; tests/test_gx_context.py shows the file context's checkpoints hold the
same suites and catch a bad row too.
"""
from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import datetime

import duckdb
import pytest

from ingest.loader import RAW_SCHEMA_SQL
from ingest.validate import SUITES_DIR, Changed, Validator, checks_fingerprint, load_suites, mark_changed

BODY = "قتل ثلاثة مدنيين في قصف على قرية. وأحصى المرصد عشرة قتلى منذ مطلع العام."
DOC = "a" * 64
QUARANTINED = "b" * 64

CLEAN_ROWS = f"""
INSERT INTO raw.documents VALUES
  ('{DOC}', 'doc1', 'a.txt', '/c/a.txt', DATE '2023-05-02', 'موقع', NULL, 'loaded', NULL, 200, {len(BODY)},
   '{BODY}', '0.0.1', 2, TIMESTAMP '2023-05-03 10:00:00', 1, true, NULL, 'utf-8', 'text', NULL, NULL),
  ('{QUARANTINED}', 'doc2', 'b.txt', '/c/b.txt', NULL, NULL, NULL, 'quarantined', 'not_arabic', 40, 40,
   'plain English text of no interest here.', NULL, NULL, TIMESTAMP '2023-05-03 10:00:00', NULL, false, NULL, 'utf-8', 'text', NULL, NULL);
INSERT INTO raw.mentions VALUES
  ('m1', '{DOC}', 'doc1', 'killed', 3, 'exact', 'civilians', 'regime', 'incident', DATE '2023-05-01', 'day',
   NULL, NULL, 'قرية', 'SY-HI', 'sohr', 0, 33, 'قتل ثلاثة مدنيين في قصف على قرية', '0.0.1', TIMESTAMP '2023-05-03 10:00:00',
   'stated', NULL, NULL, NULL, NULL),
  ('m2', '{DOC}', 'doc1', 'killed', 10, 'exact', 'unspecified', NULL, 'tally', NULL, 'unknown',
   DATE '2023-01-01', DATE '2023-05-02', NULL, NULL, 'sohr', 35, {len(BODY)}, 'وأحصى المرصد عشرة قتلى', '0.0.1',
   TIMESTAMP '2023-05-03 10:00:00', NULL, NULL, NULL, NULL, NULL);
CREATE SCHEMA marts;
CREATE TABLE marts.fct_incidents AS SELECT
  'i1' AS incident_id, DATE '2023-05-01' AS event_date, 'day' AS date_precision, 'تدمر' AS place,
  'SY-HI' AS admin1, 34.55 AS latitude, 38.27 AS longitude, 'isis' AS perpetrator,
  2 AS n_mentions, 1 AS n_documents, 1 AS n_sources, DATE '2023-05-02' AS first_published_at;
CREATE TABLE marts.fct_mentions AS
  SELECT 'm1' AS mention_id, 'incident' AS destination, 'i1' AS incident_id
  UNION ALL SELECT 'm2', 'tally', NULL;
CREATE TABLE marts.fct_incident_casualties AS SELECT
  'i1' AS incident_id, 'killed' AS outcome, 'civilians' AS victim, 3 AS best, 3 AS low, 4 AS high,
  'max_of_sources' AS best_rule;
CREATE TABLE marts.fct_reported_tallies AS SELECT
  't1' AS tally_id, 'unspecified' AS victim, 'killed' AS outcome, DATE '2023-01-01' AS period_start,
  DATE '2023-05-02' AS period_end, 10 AS value, 'sohr' AS source, 'doc1' AS doc_id;
"""

# check name -> SQL that plants one bad row (or table state) that this check must catch.
BAD_ROWS = {
    "raw_documents": {
        "has_documents": "DELETE FROM raw.mentions; DELETE FROM raw.documents",
        "content_hash_unique": "INSERT INTO raw.documents SELECT * FROM raw.documents WHERE status = 'quarantined'",
        "content_hash_is_sha256": "UPDATE raw.documents SET content_hash = 'abc' WHERE status = 'quarantined'",
        "doc_id_present": "UPDATE raw.documents SET doc_id = NULL WHERE status = 'quarantined'",
        "status_allowed": "UPDATE raw.documents SET status = 'maybe' WHERE status = 'quarantined'",
        "quarantine_reason_allowed": "UPDATE raw.documents SET quarantine_reason = 'odd' WHERE status = 'quarantined'",
        "status_reason_consistent": "UPDATE raw.documents SET quarantine_reason = NULL WHERE status = 'quarantined'",
        "loaded_document_complete": "UPDATE raw.documents SET char_count = char_count + 5 WHERE status = 'loaded'",
        "byte_size_nonnegative": "UPDATE raw.documents SET byte_size = -1",
        "n_mentions_nonnegative": "UPDATE raw.documents SET n_mentions = -1 WHERE status = 'loaded'",
        "n_mentions_matches_mentions": "UPDATE raw.documents SET n_mentions = 5 WHERE status = 'loaded'",
        "published_not_in_future": "UPDATE raw.documents SET published_at = current_date + 10",
    },
    "raw_mentions": {
        "mention_id_unique": "INSERT INTO raw.mentions SELECT * FROM raw.mentions WHERE mention_id = 'm1'",
        "mention_of_loaded_document": f"UPDATE raw.mentions SET content_hash = '{QUARANTINED}' WHERE mention_id = 'm1'",
        "outcome_allowed": "UPDATE raw.mentions SET outcome = 'wounded' WHERE mention_id = 'm1'",
        "count_qualifier_allowed": "UPDATE raw.mentions SET count_qualifier = 'roughly' WHERE mention_id = 'm1'",
        "victim_allowed": "UPDATE raw.mentions SET victim = 'aliens' WHERE mention_id = 'm1'",
        "perpetrator_allowed": "UPDATE raw.mentions SET perpetrator = 'aliens' WHERE mention_id = 'm1'",
        "scope_allowed": "UPDATE raw.mentions SET scope = 'event' WHERE mention_id = 'm1'",
        "date_precision_allowed": "UPDATE raw.mentions SET date_precision = 'week' WHERE mention_id = 'm2'",
        "source_allowed": "UPDATE raw.mentions SET source = 'twitter' WHERE mention_id = 'm1'",
        "admin1_is_syrian_iso_code": "UPDATE raw.mentions SET admin1 = 'Homs' WHERE mention_id = 'm1'",
        "count_nonnegative": "UPDATE raw.mentions SET count = -3 WHERE mention_id = 'm1'",
        "span_start_nonnegative": "UPDATE raw.mentions SET char_start = -1 WHERE mention_id = 'm1'",
        "span_end_after_start": "UPDATE raw.mentions SET char_end = char_start WHERE mention_id = 'm1'",
        "span_within_document": "UPDATE raw.mentions SET char_end = 10000 WHERE mention_id = 'm2'",
        "event_date_in_conflict_window": [
            "UPDATE raw.mentions SET event_date = DATE '2010-06-01' WHERE mention_id = 'm1'",  # before the war
            "UPDATE raw.mentions SET event_date = DATE '2023-05-09' WHERE mention_id = 'm1'",  # after publication
        ],
        "date_precision_consistent": "UPDATE raw.mentions SET date_precision = 'unknown' WHERE mention_id = 'm1'",
        "period_ordered": "UPDATE raw.mentions SET period_start = DATE '2023-05-02', period_end = DATE '2023-04-01' "
                          "WHERE mention_id = 'm2'",
        "period_end_not_after_publication": "UPDATE raw.mentions SET period_end = DATE '2023-06-01' WHERE mention_id = 'm2'",
        "sentence_present": "UPDATE raw.mentions SET sentence = NULL WHERE mention_id = 'm1'",
    },
    "fct_incidents": {
        "event_date_in_conflict_window": [
            "UPDATE marts.fct_incidents SET event_date = DATE '2010-06-01'",
            "UPDATE marts.fct_incidents SET event_date = current_date + 30",
        ],
        "event_date_not_after_first_report": "UPDATE marts.fct_incidents SET event_date = DATE '2023-05-20'",
        "latitude_in_syria": "UPDATE marts.fct_incidents SET latitude = 51.5",
        "longitude_in_syria": "UPDATE marts.fct_incidents SET longitude = -0.1",
        "n_mentions_positive": "UPDATE marts.fct_incidents SET n_mentions = 0, n_documents = 0",
        "n_documents_positive": "UPDATE marts.fct_incidents SET n_documents = 0",
        "n_sources_nonnegative": "UPDATE marts.fct_incidents SET n_sources = -1",
        "documents_not_more_than_mentions": "UPDATE marts.fct_incidents SET n_documents = 3",
    },
    "fct_incident_casualties": {
        "low_nonnegative": "UPDATE marts.fct_incident_casualties SET low = -1",
        "best_nonnegative": "UPDATE marts.fct_incident_casualties SET best = -1, low = -1",
        "high_nonnegative": "UPDATE marts.fct_incident_casualties SET high = -1, best = -1, low = -1",
    },
    "fct_mentions": {
        "every_mention_accounted_for": "DELETE FROM marts.fct_mentions WHERE mention_id = 'm1'",
        "incident_mention_has_incident": "UPDATE marts.fct_mentions SET incident_id = NULL WHERE mention_id = 'm1'",
    },
    "fct_reported_tallies": {
        "source_allowed": "UPDATE marts.fct_reported_tallies SET source = 'twitter'",
        "value_nonnegative": "UPDATE marts.fct_reported_tallies SET value = -10",
        "period_ordered": "UPDATE marts.fct_reported_tallies SET period_start = DATE '2023-06-01', period_end = DATE '2023-05-02'",
        "period_in_conflict_window": "UPDATE marts.fct_reported_tallies SET period_start = DATE '2010-01-01'",
        "period_end_not_in_future": "UPDATE marts.fct_reported_tallies SET period_end = current_date + 30",
        "document_exists": "UPDATE marts.fct_reported_tallies SET doc_id = 'ghost'",
    },
}

SUITES = {suite.name: suite for suite in load_suites()}
CASES = [(suite, check, sql) for suite, checks in BAD_ROWS.items() for check, sqls in checks.items()
         for sql in ([sqls] if isinstance(sqls, str) else sqls)]


def clean_warehouse() -> duckdb.DuckDBPyConnection:
    """A small warehouse that satisfies every suite. The raw tables are created without their
    keys and NOT NULLs, so the checks that back those constraints up can be shown to fire."""
    con = duckdb.connect()
    ddl = re.sub(r"\bPRIMARY KEY\b|\bNOT NULL\b", "", RAW_SCHEMA_SQL.read_text(encoding="utf-8"))
    con.execute(ddl)
    con.execute(CLEAN_ROWS)
    return con


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def test_every_check_has_a_failing_case():
    declared = {(s.name, c.name) for s in SUITES.values() for c in s.checks}
    covered = {(suite, check) for suite, checks in BAD_ROWS.items() for check in checks}
    assert declared == covered


def test_clean_warehouse_passes_every_check(validator):
    con = clean_warehouse()
    results = [r for suite in SUITES.values() for r in validator.run_suite(con, suite)]
    assert results and all(r.status == "passed" for r in results), [r for r in results if r.status != "passed"]


@pytest.mark.parametrize("suite,check,sql", CASES, ids=[f"{s}.{c}#{i}" for i, (s, c, _) in enumerate(CASES)])
def test_bad_rows_fail_their_check(validator, suite, check, sql):
    con = clean_warehouse()
    con.execute(sql)
    only_this_check = dataclasses.replace(SUITES[suite], checks=[c for c in SUITES[suite].checks if c.name == check])
    [result] = validator.run_suite(con, only_this_check)
    assert result.status == "failed", result


def test_missing_mart_is_skipped_with_a_note(validator):
    con = clean_warehouse()
    con.execute("DROP TABLE marts.fct_reported_tallies")
    [result] = validator.run_suite(con, SUITES["fct_reported_tallies"])
    assert result.status == "skipped" and "does not exist" in result.detail


def test_missing_contract_column_fails(validator):
    con = clean_warehouse()
    con.execute("ALTER TABLE marts.fct_incidents DROP COLUMN n_sources")
    results = {r.check: r for r in validator.run_suite(con, SUITES["fct_incidents"])}
    assert results["n_sources_nonnegative"].status == "failed"


# An incremental refresh checks the rows of the documents it changed (ingest/validate.py Changed).
SINCE = datetime(2030, 1, 1)  # after every stamp of CLEAN_ROWS: only the listed documents count as changed


@pytest.mark.parametrize("suite, bad_row, checked_when_changed", [
    ("raw_documents", "UPDATE raw.documents SET byte_size = -1 WHERE status = 'quarantined'", [QUARANTINED]),
    ("raw_mentions", "UPDATE raw.mentions SET count = -3 WHERE mention_id = 'm1'", [DOC]),
    ("fct_mentions", "UPDATE marts.fct_mentions SET incident_id = NULL WHERE mention_id = 'm1'", [DOC]),
])
def test_a_refresh_checks_the_rows_of_the_documents_it_changed(validator, suite, bad_row, checked_when_changed):
    con = clean_warehouse()
    con.execute(bad_row)
    other = [QUARANTINED] if checked_when_changed == [DOC] else [DOC]
    mark_changed(con, Changed(other, SINCE))
    assert not [r for r in validator.run_suite(con, SUITES[suite], scoped=True) if r.failed]  # left as published
    assert [r for r in validator.run_suite(con, SUITES[suite]) if r.failed]                  # hasila validate
    mark_changed(con, Changed(checked_when_changed, SINCE))
    assert [r for r in validator.run_suite(con, SUITES[suite], scoped=True) if r.failed]


def test_rows_stamped_by_the_refresh_count_as_changed(validator):
    con = clean_warehouse()
    con.execute("UPDATE raw.mentions SET count = -3, extracted_at = TIMESTAMP '2030-01-02' WHERE mention_id = 'm1'")
    mark_changed(con, Changed([], SINCE))  # re-extracted (an older extractor): no event, a new stamp
    assert [r for r in validator.run_suite(con, SUITES["raw_mentions"], scoped=True) if r.failed]


def test_a_mention_without_its_document_is_caught_whatever_changed(validator):
    con = clean_warehouse()
    con.execute("UPDATE raw.mentions SET content_hash = repeat('c', 64) WHERE mention_id = 'm1'")
    mark_changed(con, Changed([], SINCE))
    failed = [r.check for r in validator.run_suite(con, SUITES["raw_mentions"], scoped=True) if r.failed]
    assert failed == ["mention_of_loaded_document"]


def test_a_suite_with_no_changed_row_is_skipped_not_failed(validator):
    con = clean_warehouse()
    mark_changed(con, Changed([], SINCE))
    results = validator.run_suite(con, SUITES["raw_documents"], scoped=True)
    assert [(r.status, r.check) for r in results] == [("skipped", "*")]


def test_checks_fingerprint_follows_the_suites(tmp_path):
    """A refresh reads only the changed rows when the published file passed suites with this digest."""
    suites = tmp_path / "expectations"
    shutil.copytree(SUITES_DIR, suites, ignore=shutil.ignore_patterns("gx"))
    before = checks_fingerprint(suites)
    assert checks_fingerprint(suites) == before
    suite = suites / "raw_mentions.yml"
    suite.write_text(suite.read_text(encoding="utf-8").replace("min_value: 0}", "min_value: 1}", 1), encoding="utf-8")
    assert checks_fingerprint(suites) != before
