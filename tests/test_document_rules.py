"""The document-level rules of the extractor (ingest/extract/document.py and the modules it is split into):
their vocabulary and actor special cases come from the seeds, and their rule names reach the mentions.
Every sentence is written for this suite."""
from datetime import date

import pytest

from ingest.extract import extract_document
from ingest.extract import actor_rules as actor_rules_module
from ingest.extract.actor_rules import actor_rules
from ingest.extract.lexicons import PhraseTable, load_lexicons, read_seed
from ingest.extract.publication_date import LEAD_RULES
from ingest.extract.victim_choice import VICTIM_RULES

PUB = date(2023, 3, 6)


def one(text):
    [m] = extract_document(text, "t", PUB)
    return m


@pytest.fixture
def fresh_actor_rules():
    actor_rules.cache_clear()
    yield
    actor_rules.cache_clear()


# --- actor special cases (seeds/actor_rules.csv) ----------------------------------------------------------

def test_dead_attackers_of_a_turkish_attack_are_opposition():
    m = one("شنت القوات التركية هجوما على قرية في ريف منبج، وقتل 3 من المهاجمين.")
    assert (m.victim, m.victim_rule, m.perpetrator) == ("opposition", "attacker_side", None)


def test_dead_attackers_of_other_forces_are_their_own():
    m = one("هاجمت قوات النظام نقطة في ريف إدلب، وقتل 3 من المهاجمين.")
    assert (m.victim, m.victim_rule, m.perpetrator) == ("regime", "attacker_side", None)


def test_a_force_reporting_isis_dead_reports_its_own_strike():
    """No agent in the sentence: the perpetrator is the force whose statement is the source."""
    m = one("قتل 3 عناصر من تنظيم داعش، بحسب بيان القيادة المركزية.")
    assert (m.victim, m.source, m.perpetrator) == ("isis", "centcom", "us_coalition")


@pytest.mark.parametrize("source, victim, perpetrator", [
    ("centcom", "isis", "us_coalition"), ("coalition", "isis", "us_coalition"),
    ("sohr", "isis", None), ("centcom", "civilians", None)])
def test_reported_own_strike_rows(source, victim, perpetrator):
    assert actor_rules().reporter_as_perpetrator(source, victim) == perpetrator


def test_a_monitor_reporting_isis_dead_names_no_perpetrator():
    m = one("قتل 3 عناصر من تنظيم داعش، بحسب بيان المرصد السوري.")
    assert (m.victim, m.source, m.perpetrator) == ("isis", "sohr", None)


def test_actor_rules_are_read_from_the_seed(monkeypatch, fresh_actor_rules):
    rows = [r for r in read_seed("actor_rules.csv") if r["when_perpetrator"] != "turkey"]
    monkeypatch.setattr(actor_rules_module, "read_seed", lambda name: rows)
    m = one("شنت القوات التركية هجوما على قرية في ريف منبج، وقتل 3 من المهاجمين.")
    assert (m.victim, m.victim_rule) == ("turkey", "attacker_side")


def test_an_unknown_actor_rule_fails_loudly(monkeypatch, fresh_actor_rules):
    rows = [{"rule": "attackers_sid", "when_perpetrator": "turkey", "when_victim": "", "when_source": "",
             "then_group": "opposition", "note": ""}]
    monkeypatch.setattr(actor_rules_module, "read_seed", lambda name: rows)
    with pytest.raises(ValueError, match="attackers_sid"):
        actor_rules()


def test_actor_rules_name_known_groups_and_sources():
    groups = {r["code"] for r in read_seed("actor_groups.csv")}
    sources = {r["source"] for r in read_seed("source_priority.csv")}
    for r in read_seed("actor_rules.csv"):
        assert {r["when_perpetrator"], r["when_victim"], r["then_group"]} - {""} <= groups, r
        assert r["when_source"] in sources | {""}, r


# --- word lists (seeds/lexicon_cues.csv) -----------------------------------------------------------------

TWO_TALLIES = "وثق المرصد مقتل 40 مدنياً منذ مطلع العام. وفي الفترة ذاتها قتل 12 عنصراً من قوات النظام."


def test_the_same_period_is_the_period_of_the_tally_before():
    last = extract_document(TWO_TALLIES, "t", PUB)[-1]
    assert (last.count, last.scope, last.period_start, last.period_end) == (12, "tally", "2023-01-01", "2023-03-06")


def test_same_period_phrases_are_seed_rows(monkeypatch):
    monkeypatch.setitem(load_lexicons().cues, "same_period", PhraseTable([]))
    assert extract_document(TWO_TALLIES, "t", PUB)[-1].scope == "incident"


@pytest.mark.parametrize("span, scope", [("منذ 11 عاماً", "tally"), ("منذ 11 يوما", "incident")])
def test_a_count_since_years_ago_is_a_tally(span, scope):
    assert one(f"قتل 5 عناصر من قوات النظام {span} في ريف حماة.").scope == scope


def test_year_units_are_seed_rows(monkeypatch):
    monkeypatch.setitem(load_lexicons().cues, "tally_year_unit", PhraseTable([]))
    assert one("قتل 5 عناصر من قوات النظام منذ 11 عاماً في ريف حماة.").scope == "incident"


RUNNING_TOTAL = "قتل 3 مدنيين في قصف على إدلب اليوم. وارتفع العدد لاحقاً إلى 5 في المدينة."


def test_a_running_total_counts_the_outcome_reported_before():
    assert [(m.count, m.count_rule) for m in extract_document(RUNNING_TOTAL, "t", PUB)] == [
        (3, "numeral_after_trigger"), (5, "running_total")]


def test_the_running_total_preposition_is_a_seed_row(monkeypatch):
    monkeypatch.setitem(load_lexicons().cues, "running_total_to", PhraseTable([]))
    assert [m.count for m in extract_document(RUNNING_TOTAL, "t", PUB)] == [3]


# --- rule names ------------------------------------------------------------------------------------------

def test_rule_tables_keep_the_names_the_mentions_carry():
    """victim_rule and date_rule values are read downstream (fct_mentions, the gold reports): renaming a rule
    is a contract change, not a refactor."""
    assert [r.name for r in VICTIM_RULES] == [
        "attacker_side", "inherited_from_previous", "fallback_member_group", "document_group", "unspecified",
        "civilian_context", "civilian_harm", "document_civilians"]
    assert [r.name for r in LEAD_RULES] == ["headline_of_lead", "restated_toll", "raised_by_running_total"]


# --- actor eras (seeds/actor_eras.csv) ---------------------------------------------------------------------
def test_every_actor_era_form_is_a_dictionary_form_of_its_group():
    """A row for a form the dictionary does not give its group would never apply."""
    from ingest.extract.actor_eras import actor_eras
    forms = {(e.category, e.words) for lst in load_lexicons().actors.by_first.values() for e in lst}
    groups = {r["code"] for r in read_seed("actor_groups.csv")}
    for (group, words), era in actor_eras().items():
        assert group in groups and era.then_group in groups
        assert not words or (group, words) in forms, " ".join(words)


def test_an_unknown_actor_era_rule_fails_loudly(monkeypatch):
    from ingest.extract import actor_eras as actor_eras_module
    rows = [{"rule": "actor_eta", "actor_group": "regime", "form": "", "holds_from": "", "holds_until": "2024-12-08",
             "then_group": "transitional_gov", "note": ""}]
    monkeypatch.setattr(actor_eras_module, "read_seed", lambda name: rows)
    actor_eras_module.actor_eras.cache_clear()
    try:
        with pytest.raises(ValueError, match="actor_eta"):
            actor_eras_module.actor_eras()
    finally:
        actor_eras_module.actor_eras.cache_clear()
