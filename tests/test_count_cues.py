"""Counting cues of real reports, each pinned by a sentence of our own: a date between a trigger and its
noun, a second named person, feminine and dual victim nouns, typo and synonym triggers, houses that are
no head count, and an unknown agent that names no perpetrator."""
from datetime import date

import pytest

from ingest.extract import extract_document

PUB = date(2023, 3, 6)


def found(text):
    return [(m.outcome, m.count, m.victim, m.count_rule) for m in extract_document(text, "t", PUB)]


def test_date_between_trigger_and_noun_is_no_count():
    """A date's day number between the verb and its noun neither blocks nor gives the count."""
    assert found("استشهد يوم 5 آب شاب في قصف على درعا.") == [
        ("killed", 1, "civilians", "singular_noun_after_trigger")]


def test_second_named_person_with_article():
    """"مقتل السيدة فلانة والشاب فلان": two named people of one statement."""
    assert found('ما تسبب بمقتل السيدة "هند الصالح" والشاب "سامر الخالد" في قصف على البلدة.') == [
        ("killed", 2, "civilians", "relative_after_name")]


def test_another_woman_after_a_named_person():
    assert found('مقتل السيدة "هند الصالح" وامرأة أخرى في قصف على البلدة.') == [
        ("killed", 2, "civilians", "coordinated_nouns")]


@pytest.mark.parametrize("text,expected", [
    ("مقتل شابة في قصف على القرية.", ("killed", 1, "civilians", "singular_noun_after_trigger")),
    ("مقتل سيدتان في قصف على القرية.", ("killed", 2, "civilians", "dual_noun")),
    ("لترتقي شهيدتان في قصف على البلدة.", ("killed", 2, "civilians", "dual_victim_noun")),
    ("ما أدى إلى ارتقاء سيدة في قصف على البلدة.", ("killed", 1, "civilians", "singular_noun_after_trigger")),
    ("وأدى ذلك إلى إصاب اثنين من المدنيين في غارة على الحي.", ("injured", 2, "civilians", "numeral_after_trigger")),
])
def test_feminine_dual_and_synonym_forms(text, expected):
    assert found(text) == [expected]


def test_houses_are_no_head_count():
    """"إصابة 4 بيوت": a number of houses is no toll (lexicon_cues.csv non_person_unit)."""
    assert found("أسفر القصف عن إصابة 4 بيوت.") == []


def test_violence_noun_makes_people_civilians():
    """"عدوان": the dead of an aggression, with no fighting named, are civilians."""
    assert [m.victim_rule for m in extract_document("استشهاد 4 أشخاص في عدوان على البلدة.", "t", PUB)] == [
        "civilian_harm"]


@pytest.mark.parametrize("text", [
    "قتل شاب برصاص مسلحين مجهولين في درعا التي تسيطر عليها قوات النظام.",
    "قصفت قوات النظام القرية. وقتل شاب برصاص مسلحين مجهولين.",
])
def test_unknown_agent_names_no_perpetrator(text):
    """An unknown agent in the agent's place: no perpetrator, not the group named elsewhere nor one carried
    from the sentence before (rule unknown_agent)."""
    assert [m.perpetrator for m in extract_document(text, "t", PUB)] == [None]


def test_named_agent_still_named():
    assert [m.perpetrator for m in extract_document("قتل شاب برصاص قوات النظام في درعا.", "t", PUB)] == ["regime"]


def test_buildings_are_not_his_two_sons():
    """"الأبنية" (buildings) is no "ابنيه" (his two sons): a possessive noun never takes the article."""
    assert found("أسفر العدوان عن استشهاد وإصابة عدد من المدنيين وتضرر الأبنية المجاورة.") == []
    assert found("مقتل رجل وابنيه في قصف على القرية.") == [("killed", 3, "civilians", "coordinated_nouns")]


@pytest.mark.parametrize("since", ["منذ صباح اليوم", "منذ منتصف ليلة الأمس"])
def test_a_day_since_is_no_tally(since):
    """"في قصف مستمر منذ صباح اليوم": the toll of a day's events is an incident, not a running tally."""
    ms = extract_document(f"قتل 3 مدنيين في قصف مستمر {since} على ريف إدلب.", "t", PUB)
    assert [(m.count, m.scope) for m in ms] == [(3, "incident")]


def test_a_longer_period_is_a_tally():
    ms = extract_document("قتل 30 مدنيا في قصف مستمر منذ مطلع الشهر على ريف إدلب.", "t", PUB)
    assert [(m.count, m.scope) for m in ms] == [(30, "tally")]


@pytest.mark.parametrize("text,count", [
    ("أكد الدفاع المدني إصابة 6 أطفال وامرأة ورجل بجروح جراء قصف طال القرية.", 8),
    ("مقتل 3 أطفال ووالدهم في قصف على القرية.", 4),
])
def test_people_joined_to_a_numerals_noun_add_to_it(text, count):
    """"6 أطفال وامرأة ورجل": eight people of one statement (dbt keeps a statement's largest figure)."""
    ms = extract_document(text, "t", PUB)
    assert [(m.count, m.victim, m.count_rule) for m in ms] == [
        (count, "civilians", "numeral_after_trigger+coordinated_nouns")]


@pytest.mark.parametrize("text,expected", [
    ("مقتل 3 مدنيين وعنصر من قوات النظام في قصف.", 3),   # another group (or none) is no more of them
    ('وذكر ناشطون أن مدنيين اثنين "امرأة وابنها" أصيبا بقصف على الحي.', 2),   # the two, named after the number
    ("قتل 10 مدنيين بينهم 5 أطفال وامرأتان في قصف.", 10),   # a subset's parts are counted one by one
])
def test_numeral_keeps_its_number(text, expected):
    assert max(m.count for m in extract_document(text, "t", PUB)) == expected


@pytest.mark.parametrize("text", [
    "أدى القصف إلى مقتل وإصابة 16 مدنياً في القرية.",
    "قتل وجرح 5 مدنيين في قصف على البلدة.",
])
def test_one_figure_for_dead_and_wounded_is_neither(text):
    """"مقتل وإصابة 16": the dead and wounded together, a count of neither outcome."""
    assert found(text) == []


def test_a_subject_before_the_first_verb_is_its_own_count():
    assert [(m.outcome, m.count) for m in extract_document(
        "وكان شخص قتل وأصيب ثلاثة آخرين بقصف مدفعي على القرية.", "t", PUB)] == [("killed", 1), ("injured", 3)]


@pytest.mark.parametrize("text", [
    "قتل الشاب جوان الأسود وهو أب لخمسة أطفال في قصف على القرية.",
    "وأسفر القصف عن مقتل المواطن جوان الأسود أب ل 5 اولاد.",
])
def test_a_parents_children_are_no_victims(text):
    assert [m.count for m in extract_document(text, "t", PUB)] == [1]


def test_their_mother_and_another_child():
    assert found("مقتل ثلاثة أطفال وأمهم وطفل آخر في قصف على القرية.") == [
        ("killed", 5, "civilians", "numeral_after_trigger+coordinated_nouns")]


@pytest.mark.parametrize("text", ["استشهد الفنان جمعة إبراهيم جراء القصف على البلدة.", "مقتل موظف في قصف على القرية."])
def test_civilian_occupations_are_people(text):
    assert found(text) == [("killed", 1, "civilians", "singular_noun_after_trigger")]


def test_an_intelligence_branch_number_is_no_count():
    ms = extract_document('وقدّر التقرير عدد الضحايا بنحو 260 شخصا، قتلوا في سجون "فرع المنطقة 227" التابع للاستخبارات.', "t", PUB)
    assert [m.count for m in ms] == [260]


@pytest.mark.parametrize("text", [
    "وأسفر القصف عن فقدان وإصابة 40 مدنياً في البلدة.",
    "تسببت الغارات بفقدان وإصابة 25 شخصاً في الريف.",
])
def test_one_figure_for_missing_and_wounded_is_neither(text):
    """"فقدان وإصابة 40": the missing and wounded together; the missing are not wounded, so a count of neither."""
    assert found(text) == []


@pytest.mark.parametrize("text", [
    "قصفت قوات النظام البلدة بقذائف روسية الصنع ما أدى إلى مقتل 4 مدنيين.",
    "ما أدى إلى مقتل 4 مدنيين بصاروخ موجه (إيراني الصنع) أطلقته قوات النظام.",
    "ما أدى إلى مقتل 4 مدنيين بصواريخ من صنع روسي أطلقتها قوات النظام على البلدة.",
])
def test_a_weapons_maker_is_no_perpetrator(text):
    """"قذائف روسية الصنع": where a weapon was made says nothing of who fired it."""
    assert [(m.count, m.perpetrator) for m in extract_document(text, "t", PUB)] == [(4, "regime")]


def test_a_weapons_maker_alone_leaves_no_perpetrator():
    assert [(m.count, m.perpetrator) for m in extract_document(
        "قتل 3 مدنيين بقذيفة هاون روسية الصنع سقطت على السوق.", "t", PUB)] == [(3, None)]
