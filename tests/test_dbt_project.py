"""End-to-end check of the dbt project on a tiny hand-written warehouse.

The raw tables are created from ingest/raw_schema.sql and filled with a handful of
invented mentions shaped like real reports: one desert attack told by two sources
with different figures and a breakdown, a raid whose four injured soldiers are
reported three times, a release of hostages on the same day, a cumulative tally,
a subset ("among them four officers") and two mentions that must be rejected.
One `dbt build` per session; every test reads the resulting marts.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT = REPO / "dbt_project"
RAW_SCHEMA = REPO / "ingest" / "raw_schema.sql"
EXTRACTED_AT = datetime(2024, 1, 1, 6, 0)

# doc_id -> (published_at, status)
DOCUMENTS = {
    "attack_report": (date(2023, 2, 19), "loaded"),
    "raid_followup": (date(2023, 2, 18), "loaded"),
    "raid_first": (date(2023, 2, 17), "loaded"),
    "regime_tally": (date(2021, 2, 14), "loaded"),
    "officers": (date(2019, 4, 13), "loaded"),
    "broken": (date(2023, 3, 1), "quarantined"),
    "raid_first_v1": (date(2023, 2, 17), "loaded"),  # superseded by raid_first (version 2)
}

# Sentences are placeholders: resolution only compares them for equality.
S = {name: f"sentence {name}" for name in "abcdefghijklmnop"}

MENTION_FIELDS = (
    "doc_id outcome count victim perpetrator scope event_date date_precision "
    "period_start period_end place admin1 source sentence char_start"
).split()

MENTIONS = [
    # --- the attack: 68 (sohr) = 61 civilians + 7 regime (sohr); 53 civilians (state media)
    ("attack_report", "killed", 68, "unspecified", "isis", "incident", "2023-02-17", "day", None, None, None, None, "sohr", S["a"], 100),
    ("attack_report", "killed", 61, "civilians", None, "incident", "2023-02-17", "day", None, None, None, "SY-HI", "sohr", S["b"], 900),
    ("attack_report", "killed", 7, "regime", None, "incident", "2023-02-17", "day", None, None, None, "SY-HI", "sohr", S["b"], 930),
    ("attack_report", "killed", 53, "civilians", "isis", "incident", "2023-02-17", "day", None, None, "السخنة", "SY-HI", "state_media", S["c"], 1300),
    ("attack_report", "killed", 7, "regime", None, "incident", None, "unknown", None, None, None, None, "other", S["d"], 1500),
    ("attack_report", "killed", 7, "regime", None, "incident", None, "unknown", None, None, None, None, "sohr", S["e"], 1600),
    # --- the raid: four US soldiers injured, told three times across three articles
    ("attack_report", "injured", 4, "us_coalition", None, "incident", "2023-02-16", "day", None, None, None, None, "centcom", S["f"], 2500),
    ("attack_report", "killed", 1, "isis", "us_coalition", "incident", "2023-02-16", "day", None, None, None, None, "centcom", S["f"], 2450),
    ("raid_followup", "injured", 4, "us_coalition", None, "incident", "2023-02-17", "day", None, None, None, None, "coalition", S["g"], 300),
    ("raid_followup", "killed", 1, "isis", "us_coalition", "incident", "2023-02-17", "day", None, None, None, None, "coalition", S["g"], 250),
    ("raid_first", "injured", 4, "us_coalition", None, "incident", "2023-02-16", "day", None, None, None, None, "centcom", S["h"], 50),
    # --- same day as the attack, same perpetrator, but a release of hostages: its own event
    ("attack_report", "released", 25, "civilians", "isis", "incident", "2023-02-17", "day", None, None, None, None, "sohr", S["i"], 2000),
    ("attack_report", "kidnapped", 60, "civilians", "isis", "incident", "2023-02-11", "day", None, None, None, None, "sohr", S["i"], 2040),
    # --- another attack the next day in the same governorate
    ("attack_report", "killed", 16, "civilians", "isis", "incident", "2023-02-18", "day", None, None, None, "SY-HI", "sohr", S["j"], 1800),
    # --- a cumulative tally and an incident in the same article
    ("regime_tally", "killed", 1339, "regime", "isis", "tally", None, "unknown", "2019-03-24", "2021-02-14", None, None, "sohr", S["k"], 400),
    ("regime_tally", "killed", 145, "iran_backed", None, "tally", None, "unknown", "2019-03-24", "2021-02-14", None, None, "sohr", S["k"], 460),
    ("regime_tally", "killed", 4, "iran_backed", "isis", "incident", "2021-02-13", "day", None, None, None, "SY-HL", "sohr", S["l"], 100),
    # --- "27 regime soldiers killed, among them four officers"
    ("officers", "killed", 27, "regime", "isis", "incident", "2019-04-11", "day", None, None, None, "SY-HI", "sohr", S["m"], 200),
    ("officers", "killed", 4, "regime", "isis", "incident", "2019-04-11", "day", None, None, None, "SY-HI", "sohr", S["m"], 260),
    # --- rejected: a quarantined document, and an event dated after publication
    ("broken", "killed", 3, "civilians", None, "incident", "2023-02-20", "day", None, None, None, None, None, S["n"], 10),
    ("officers", "killed", 5, "regime", None, "incident", "2019-05-01", "day", None, None, None, None, None, S["o"], 500),
    # --- rejected: the first version of raid_first said 3 injured; the current version says 4
    ("raid_first_v1", "injured", 3, "us_coalition", None, "incident", "2023-02-16", "day", None, None, None, None, "centcom", S["p"], 50),
]


def build_raw_warehouse(path: Path, documents: dict = DOCUMENTS, mentions: list = MENTIONS) -> None:
    """Create raw.documents / raw.mentions from the contract and load the rows given (default: above)."""
    con = duckdb.connect(str(path))
    try:
        con.execute(RAW_SCHEMA.read_text(encoding="utf-8"))
        for doc_id, (published_at, status) in documents.items():
            con.execute(
                "insert into raw.documents values (?, ?, ?, null, ?, null, null, ?, ?, 100, 50, ?, '0.0.1', 0, ?, ?, ?, ?, 'utf-8', 'text', null, null)",
                [f"hash_{doc_id}", doc_id.removesuffix("_v1"), f"{doc_id}.txt", published_at, status,
                 "binary" if status == "quarantined" else None,
                 None if status == "quarantined" else "نص", EXTRACTED_AT,
                 # an earlier text of raid_first, replaced by the one above: history only
                 None if status == "quarantined" else 1 + (doc_id == "raid_first"),
                 status == "loaded" and not doc_id.endswith("_v1"),
                 EXTRACTED_AT if doc_id.endswith("_v1") else None],
            )
        for i, row in enumerate(mentions):
            m = dict(zip(MENTION_FIELDS, row))
            con.execute(
                "insert into raw.mentions values "
                "(?, ?, ?, ?, ?, 'exact', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '0.0.1', ?, ?, NULL, NULL, NULL, NULL)",
                [f"m{i:03d}", f"hash_{m['doc_id']}", m["doc_id"].removesuffix("_v1"), m["outcome"], m["count"],
                 m["victim"], m["perpetrator"], m["scope"], m["event_date"], m["date_precision"],
                 m["period_start"], m["period_end"], m["place"], m["admin1"], m["source"],
                 m["char_start"], m["char_start"] + 40, m["sentence"], EXTRACTED_AT,
                 row[len(MENTION_FIELDS)] if len(row) > len(MENTION_FIELDS) else None],  # optional date_basis
            )
    finally:
        con.close()


def run_dbt(args: list[str], warehouse: Path, work: Path) -> subprocess.CompletedProcess:
    """Run the venv's dbt on the project with its own target/log dirs (parallel-safe)."""
    dbt = Path(sys.executable).parent / "dbt"
    env = {**os.environ, "HASILA_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [str(dbt), *args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        env=env, capture_output=True, text=True, cwd=work,
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("dbt")
    path = work / "warehouse.duckdb"
    build_raw_warehouse(path)
    result = run_dbt(["build"], path, work)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return path


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def incident_of(warehouse: Path, outcome: str, victim: str, count: int, doc_id: str) -> str:
    rows = query(warehouse, f"""
        select l.incident_id from intermediate.int_mentions_linked l
        join staging.stg_hasila_raw__mentions m using (mention_id)
        where m.outcome = '{outcome}' and m.victim = '{victim}'
          and m.reported_count = {count} and m.doc_id = '{doc_id}'""")
    assert rows, (outcome, victim, count, doc_id)
    return rows[0][0]



@pytest.mark.slow
def test_attack_is_one_incident_with_ucdp_style_total(warehouse):
    incident = incident_of(warehouse, "killed", "unspecified", 68, "attack_report")
    members = {incident_of(warehouse, "killed", v, c, "attack_report")
               for v, c in [("civilians", 61), ("regime", 7), ("civilians", 53)]}
    assert members == {incident}
    (row,) = query(warehouse, f"""
        select event_date, admin1, n_sources, killed_best, killed_low, killed_high, n_mentions
        from marts.fct_incidents where incident_id = '{incident}'""")
    assert row[0] == date(2023, 2, 17) and row[1] == "SY-HI"
    assert row[2] >= 2
    assert row[3:6] == (68, 53, 68)
    assert row[6] == 6  # both undated "7 soldiers among the dead" joined too


@pytest.mark.slow
def test_parts_agree_with_stated_total(warehouse):
    incident = incident_of(warehouse, "killed", "unspecified", 68, "attack_report")
    rows = dict((v, (b, lo, hi, ab, rule)) for v, b, lo, hi, ab, rule in query(warehouse, f"""
        select victim, best, low, high, additive_best, best_rule
        from marts.fct_incident_casualties where incident_id = '{incident}' and outcome = 'killed'"""))
    assert rows["civilians"][:3] == (61, 53, 61) and rows["civilians"][4] == "most_trusted_source"
    assert rows["regime"][:3] == (7, 7, 7)
    assert rows["unspecified"][0] == 68 and rows["unspecified"][3] == 0
    assert sum(r[3] for r in rows.values()) == 68


@pytest.mark.slow
def test_injured_soldiers_counted_once(warehouse):
    incidents = {incident_of(warehouse, "injured", "us_coalition", 4, d)
                 for d in ("attack_report", "raid_followup", "raid_first")}
    assert len(incidents) == 1
    (incident,) = incidents
    (row,) = query(warehouse, f"""
        select best, low, high from marts.fct_incident_casualties
        where incident_id = '{incident}' and outcome = 'injured' and victim = 'us_coalition'""")
    assert row == (4, 4, 4)
    assert query(warehouse, f"select event_date from marts.fct_incidents where incident_id = '{incident}'") \
        == [(date(2023, 2, 16),)]


@pytest.mark.slow
def test_release_and_next_day_attack_stay_apart(warehouse):
    attack = incident_of(warehouse, "killed", "unspecified", 68, "attack_report")
    others = {incident_of(warehouse, "released", "civilians", 25, "attack_report"),
              incident_of(warehouse, "killed", "civilians", 16, "attack_report"),
              incident_of(warehouse, "kidnapped", "civilians", 60, "attack_report")}
    assert attack not in others
    assert len(others) == 3


@pytest.mark.slow
def test_superseded_version_is_history_not_data(warehouse):
    assert query(warehouse, """
        select m.reported_count, r.rejection_reason from intermediate.int_mentions_rejected r
        join staging.stg_hasila_raw__mentions m using (mention_id) where m.content_hash = 'hash_raid_first_v1'""") \
        == [(3, "superseded_version")]
    assert query(warehouse, """
        select version, is_current, superseded_at is not null from marts.dim_documents
        where doc_id = 'raid_first' order by version""") == [(1, False, True), (2, True, False)]


@pytest.mark.slow
def test_subset_never_adds_to_its_total(warehouse):
    incident = incident_of(warehouse, "killed", "regime", 27, "officers")
    assert incident == incident_of(warehouse, "killed", "regime", 4, "officers")
    assert query(warehouse, f"""
        select best, low, high from marts.fct_incident_casualties
        where incident_id = '{incident}' and victim = 'regime'""") == [(27, 27, 27)]


@pytest.mark.slow
def test_tally_only_in_tallies_and_regime_report(warehouse):
    tallies = query(warehouse, """
        select value, period_start, as_of_date, source from marts.fct_reported_tallies
        where victim = 'regime' and outcome = 'killed'""")
    assert tallies == [(1339, date(2019, 3, 24), date(2021, 2, 14), "sohr")]
    assert not query(warehouse, """
        select 1 from intermediate.int_mentions_linked l
        join staging.stg_hasila_raw__mentions m using (mention_id) where m.reported_count = 1339""")
    report = query(warehouse, """
        select victim, tally_value, incident_killed_best from marts.rpt_regime_loss_tallies_since_2019
        where victim = 'regime'""")
    # incidents between 2019-03-24 and the tally's as-of date: only the 27 of 2019-04-11
    assert report == [("regime", 1339, 27)]
    # one row per regime-allied group, with or without incidents in the window
    groups = query(warehouse, """
        select victim from marts.rpt_regime_losses_by_group_since_2019 order by victim""")
    assert groups == query(warehouse, "select actor_code from marts.dim_actors where is_regime_allied order by 1")



@pytest.mark.slow
def test_every_report_query_runs_on_the_marts(warehouse):
    """ingest/report.py reads marts by name: each of its queries must run on what dbt builds."""
    from ingest.report import QUERIES
    for name, sql in QUERIES.items():
        query(warehouse, sql)  # raises on a table or column the marts do not have
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(QUERIES["regime_losses"])
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()
    # the two report grains meet again in one chart: each tally, and each group's sum to date
    assert {(r["row_kind"], r["victim"]) for r in rows} >= {
        ("reported_tally", "regime"), ("reported_tally", "iran_backed"), ("incidents_only", "regime")}
    assert all(r["tally_id"] is None for r in rows if r["row_kind"] == "incidents_only")

# Inputs a crawler really hands over: a corpus without manifest.csv (no publication date at all),
# an article whose manifest date is wrong (years too early), background sentences dated before the war.
HOSTILE_DOCUMENTS = {
    "no_manifest": (None, "loaded"),
    "wrong_date": (date(2012, 1, 1), "loaded"),
    "good": (date(2023, 2, 19), "loaded"),
    "breaking": (date(2023, 3, 5), "loaded"),
}
HOSTILE_MENTIONS = [
    # no publication date: an incident, and a tally "until today" whose end is therefore unknown
    ("no_manifest", "killed", 5, "civilians", "regime", "incident", "2023-02-17", "day", None, None, None, "SY-ID", "sohr", S["a"], 10),
    ("no_manifest", "killed", 900, "civilians", None, "tally", None, "unknown", "2023-01-01", None, None, None, "sohr", S["b"], 200),
    # a wrong publication date: the event and the tally period fall after it
    ("wrong_date", "killed", 4, "civilians", "regime", "incident", "2023-02-17", "day", None, None, None, "SY-ID", None, S["c"], 10),
    ("wrong_date", "killed", 800, "civilians", None, "tally", None, "unknown", "2019-03-24", "2012-01-01", None, None, "sohr", S["d"], 200),
    # a background sentence: a date before the war
    ("good", "killed", 30, "civilians", None, "incident", "2009-05-01", "day", None, None, None, None, None, S["e"], 500),
    ("good", "killed", 5, "civilians", "regime", "incident", "2023-02-17", "day", None, None, None, "SY-ID", "sohr", S["f"], 10),
    # breaking news that names no day: dated by its publication day (date_basis 'published')
    ("breaking", "killed", 3, "civilians", "regime", "incident", "2023-03-05", "day", None, None, None, "SY-HL", None, S["g"], 10, "published"),
]


def build_and_validate(work: Path, documents: dict, mentions: list) -> Path:
    """dbt build a warehouse from the rows given; it must pass, and so must the marts' expectations. The unit
    tests are left out: they check the SQL on rows of their own, whatever the warehouse holds, and run in
    the module's build (fixture `warehouse`)."""
    from ingest.validate import validate_warehouse

    path = work / "warehouse.duckdb"
    build_raw_warehouse(path, documents, mentions)
    result = run_dbt(["build", "--exclude-resource-type", "unit_test"], path, work)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    failed = [(r.suite, r.check, r.detail) for r in validate_warehouse(path, layers=["marts"]) if r.failed]
    assert not failed, failed
    return path


@pytest.mark.slow
def test_warehouse_without_loaded_documents_builds_and_passes(tmp_path):
    path = build_and_validate(tmp_path, {"broken": (date(2023, 3, 1), "quarantined")}, [])
    assert query(path, "select count(*) from marts.fct_incidents") == [(0,)]


@pytest.mark.slow
def test_missing_or_wrong_publication_dates_never_block_the_build(tmp_path):
    path = build_and_validate(tmp_path, HOSTILE_DOCUMENTS, HOSTILE_MENTIONS)
    rejected = dict(query(path, """
        select r.reported_count, r.rejection_reason from intermediate.int_mentions_rejected r"""))
    assert rejected == {4: "event_after_publication", 800: "tally_period_inverted", 30: "date_before_conflict"}
    # the tally with no as-of date is reported, but has no coverage window
    assert query(path, "select value, as_of_date from marts.fct_reported_tallies") == [(900, None)]
    assert query(path, "select count(*) from marts.fct_tally_coverage") == [(0,)]
    # the two good reports of the Idlib attack are one incident, dated by the one that has a date
    assert query(path, """
        select n_documents, event_date, first_published_at from marts.fct_incidents where admin1 = 'SY-ID'""") == [
        (2, date(2023, 2, 17), date(2023, 2, 19))]
    # a publication-day date says so, and the exports code it as a range of days
    assert query(path, "select date_basis from marts.fct_incidents where admin1 = 'SY-HL'") == [("published",)]
    assert query(path, "select time_precision from exports.exp_acled_events where admin1 = 'Aleppo'") == [(2,)]
    assert query(path, "select date_start, date_end, date_prec from exports.exp_ucdp_ged_events where adm_1 = 'Aleppo'") == [
        (date(2023, 3, 4), date(2023, 3, 5), 2)]


def test_every_seed_csv_is_documented():
    """Each CSV in seeds/ (written by several people) needs a YAML entry with column docs."""
    documented = {}
    for path in (DBT_PROJECT / "models").rglob("*.yml"):
        for seed in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("seeds", []):
            documented[seed["name"]] = {c["name"] for c in seed.get("columns", [])}
    for csv_path in sorted((REPO / "seeds").glob("*.csv")):
        header = csv_path.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert csv_path.stem in documented, f"{csv_path.name} has no entry in dbt_project/models/seeds/_seeds.yml"
        assert set(header) == documented[csv_path.stem], f"{csv_path.name}: columns differ from its YAML"


def test_every_seed_row_has_its_header_columns():
    """dbt refuses a seed whose row has an extra field (an unquoted comma in a note): catch it here, fast."""
    import csv
    for csv_path in sorted((REPO / "seeds").glob("*.csv")):
        with open(csv_path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        bad = [n for n, row in enumerate(rows[1:], start=2) if len(row) != len(rows[0])]
        assert not bad, f"{csv_path.name}: rows {bad[:5]} do not have {len(rows[0])} fields"
