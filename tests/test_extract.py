"""Unit tests of the mention extractor, each on sentences written for this suite."""
from datetime import date

import pytest

from ingest.extract import extract_document
from ingest.extract.text import clean_text

PUB = date(2023, 3, 6)          # a Monday, before the 2024 transition
PUB_2025 = date(2025, 3, 10)    # after 8 December 2024


def mentions(text, published=PUB, outlet=None):
    return extract_document(text, "t", published, outlet)


def triples(text, published=PUB):
    return sorted((m.outcome, m.count, m.victim) for m in mentions(text, published))


# --- numbers -----------------------------------------------------------------

@pytest.mark.parametrize("text,count", [
    ("قتل 12 مدنياً في قصف على قرية في ريف إدلب.", 12),
    ("قتل ١٢ مدنياً في قصف على قرية في ريف إدلب.", 12),
    ("قتل سبعة مدنيين في قصف على قرية في ريف إدلب.", 7),
    ("قتل سبع نساء في قصف على قرية في ريف إدلب.", 7),
    ("قتل ثلاثة عشر مدنياً في قصف على قرية في ريف إدلب.", 13),
    ("قتل خمسة وعشرين مدنياً في قصف على قرية في ريف إدلب.", 25),
    ("قتل مئة مدني في قصف على قرية في ريف إدلب.", 100),
    ("قتل اثنان من المدنيين في قصف على قرية في ريف إدلب.", 2),
    ("أسفر القصف عن مقتل 1,250 شخصاً خلال الحملة.", 1250),
])
def test_count_forms(text, count):
    assert [m.count for m in mentions(text)] == [count]


def test_duals_and_singular_nouns():
    assert triples("أسفر الانفجار عن مقتل ضابطين من قوات النظام قرب تدمر.") == [("killed", 2, "regime")]
    assert triples("قتل شاب برصاص مسلحين مجهولين في درعا.") == [("killed", 1, "civilians")]
    assert triples("واعتقلت الدورية قيادياً في تنظيم داعش في ريف الحسكة.") == [("arrested", 1, "isis")]
    assert triples("وأعلن التحالف أنه قتل أحد قادة التنظيم في غارة شمال سوريا.") == [("killed", 1, "isis")]


def test_vague_quantities_never_become_numbers():
    assert mentions("قتل عشرات المدنيين في قصف على أحياء حلب.") == []
    assert mentions("سقط قتلى وجرحى في صفوف الطرفين خلال الاشتباكات في ريف درعا.") == []


@pytest.mark.parametrize("text", [
    "قتل رجل يبلغ من العمر 45 عاماً في قصف على بلدة في ريف إدلب.",
    "شنت الطائرات الروسية 30 غارة على ريف إدلب دون أنباء عن قتلى.",
    "نفذ التحالف 24 عملية منذ مطلع العام في دير الزور.",
])
def test_ages_strikes_and_operations_are_not_casualties(text):
    assert all(m.count not in (45, 30, 24) for m in mentions(text))


# --- text noise ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "قت. يل 9 عناصر من قوات النظام في هجوم للتنظيم في بادية حمص.",
    "مقـ.ـتل 9 عناصر من قوات النظام في هجوم للتنظيم في بادية حمص.",
    "مَقْتَلُ 9 عناصر من قوات النظام في هجوم للتنظيم في بادية حمص.",
    "مقــــتل 9 عناصر من قوات النظام في هجوم للتنظيم في بادية #حمص 😢",
])
def test_obfuscation_diacritics_tatweel(text):
    assert triples(text) == [("killed", 9, "regime")]


def test_offsets_point_into_the_original_text():
    text = "عنوان الخبر\nمقـ.ـتل 9 عناصر من قوات النظام في هجوم للتنظيم في بادية حمص."
    [m] = mentions(text)
    assert text[m.char_start:m.char_end].startswith("مقـ.ـتل 9")
    assert m.sentence.startswith("مقـ.ـتل 9")


def test_clean_text_map_is_monotonic():
    ct = clean_text("قُـ.ـتل ٣ أشخاص")
    assert ct.clean == "قتل 3 أشخاص"
    assert [ct.orig(i) for i in range(len(ct.clean))] == sorted(ct.orig(i) for i in range(len(ct.clean)))


def test_boilerplate_and_comments_are_ignored():
    text = ("قتل 5 مدنيين بقصف على بلدة في ريف إدلب.\n"
            "اقرأ المزيد: مقتل 40 عنصراً في هجوم سابق\n"
            "تابعنا على فيسبوك\n"
            "3 تعليقات\n"
            "قتل 100 شخص والنظام هو المسؤول\n")
    assert triples(text) == [("killed", 5, "civilians")]


# --- outcomes and negation -----------------------------------------------------------

@pytest.mark.parametrize("text,outcome", [
    ("أصيب 6 مدنيين بجروح في قصف على ريف حلب.", "injured"),
    ("اختطف مسلحون 3 مدنيين على طريق في ريف درعا.", "kidnapped"),
    ("اعتقلت قوات النظام 8 شبان في حملة دهم بريف دمشق.", "arrested"),
    ("أفرجت قوات سوريا الديمقراطية عن 20 معتقلاً من أبناء ريف دير الزور.", "released"),
    ("لقي 4 مدنيين حتفهم بانفجار لغم من مخلفات الحرب في ريف حماة.", "killed"),
    ("استشهد 3 مدنيين بقصف على بلدة في ريف إدلب.", "killed"),
])
def test_outcomes(text, outcome):
    assert [m.outcome for m in mentions(text)] == [outcome]


def test_negations_are_not_mentions():
    assert mentions("ولم يسقط قتلى أو جرحى بين المدنيين في الهجوم على ريف حلب.") == []


def test_accidents_and_other_countries_are_not_mentions():
    assert mentions("توفي 3 أشخاص في حادث سير على طريق حمص دمشق.") == []
    assert mentions("قتل 20 فلسطينياً في غارة إسرائيلية على قطاع غزة.") == []
    # a tunnel caving in on its diggers is an accident (lexicon_cues.csv, accident)
    assert mentions("وفي حادث آخر، قتل 5 عمال إثر انهيار نفق كانوا يحفرونه قرب بلدة في ريف الحسكة.") == []


# --- actors --------------------------------------------------------------------------

def test_one_mention_per_group_and_subsets():
    got = triples("قتل 30 من قوات النظام، بينهم ثلاثة ضباط، و4 مدنيين في هجوم للتنظيم في بادية حمص.")
    assert ("killed", 30, "regime") in got
    assert ("killed", 3, "regime") in got
    assert ("killed", 4, "civilians") in got


def test_government_after_the_transition():
    assert triples("قتل 5 عناصر من القوات الحكومية في كمين بريف اللاذقية.", PUB_2025) == \
        [("killed", 5, "transitional_gov")]
    assert triples("قتل 5 عناصر من القوات الحكومية في كمين بريف اللاذقية.", PUB) == [("killed", 5, "regime")]


def test_transitional_forces_only_after_the_transition():
    # seeds/actor_eras.csv: before 8 December 2024 "General Security" and the operations room are opposition
    # forces, a ministry is the Assad government's, and the transitional government names nobody
    def read(text, published):
        return [(m.victim, m.perpetrator) for m in mentions(text, published)]
    text = "قتل شاب برصاص عناصر الأمن العام في بلدة بريف إدلب."
    assert read(text, PUB_2025) == [("civilians", "transitional_gov")]
    assert read(text, PUB) == [("civilians", "opposition")]
    text = "قتل 3 مدنيين في هجوم شنته إدارة العمليات العسكرية على قرية بريف حماة."
    assert read(text, PUB_2025) == [("civilians", "transitional_gov")]
    assert read(text, PUB) == [("civilians", "opposition")]
    assert read("قتل 3 عناصر من وزارة الدفاع في هجوم بريف حماة.", PUB) == [("regime", None)]
    text = "قتل 3 مدنيين برصاص عناصر الحكومة الانتقالية في قرية بريف حمص."
    assert read(text, PUB_2025) == [("civilians", "transitional_gov")]
    assert read(text, PUB) == [("civilians", None)]
    # a foreign ministry is its own country's, whatever the date
    assert read("قتل 6 مقاتلين من قسد بقصف نفذته وزارة الدفاع التركية في ريف الحسكة.", PUB_2025) == [("sdf", "turkey")]


def test_perpetrator_from_agent_phrase():
    [m] = mentions("قتل 3 مدنيين بقصف من الجيش التركي على قرية في ريف الحسكة.")
    assert (m.victim, m.perpetrator) == ("civilians", "turkey")
    [m] = mentions("قتل جندي من قوات النظام برصاص قناص من هيئة تحرير الشام في ريف إدلب.")
    assert (m.victim, m.perpetrator) == ("regime", "opposition")


# --- dates, scope, places, sources ---------------------------------------------------------

def test_relative_date_resolves_against_publication():
    [m] = mentions("قتل 4 مدنيين أمس الأحد في قصف على ريف إدلب.")
    assert (m.event_date, m.date_precision) == ("2023-03-05", "day")


def test_no_publication_date_leaves_relative_dates_unresolved():
    [m] = mentions("قتل 4 مدنيين أمس الأحد في قصف على ريف إدلب.", published=None)
    assert (m.event_date, m.date_precision) == (None, "unknown")


def test_tally_with_period():
    [m] = mentions("وثق المرصد السوري مقتل 412 عنصراً من قوات النظام منذ مطلع العام الجاري في البادية.")
    assert (m.scope, m.period_start, m.period_end, m.source) == ("tally", "2023-01-01", "2023-03-06", "sohr")


def test_place_and_governorate():
    [m] = mentions("قتل 3 رعاة بانفجار لغم قرب بلدة السخنة في بادية حمص الشرقية.")
    assert m.admin1 == "SY-HI"
    assert m.place is not None


def test_source_attribution():
    [m] = mentions("وقال التلفزيون السوري إن 6 جنود قتلوا في هجوم على حاجز في ريف درعا.")
    assert m.source == "state_media"


def test_a_country_is_not_a_syrian_village_behind_a_clitic():
    from ingest.extract.places import find_places
    from ingest.extract.tokens import tokenize
    # "لبنان" = "ل" + "بنان" (a village in Aleppo): a country named abroad is not that village
    assert [m.words for m in find_places(tokenize("وصلت التعزيزات من لبنان"))] == []
    assert [m.words for m in find_places(tokenize("قصف على بنان بريف حلب"))][0] == ("بنان",)


def test_a_governorate_named_in_the_clause_vetoes_a_homonym_elsewhere():
    # "اليرموك" in the gazetteer is the Damascus camp; "شمال الرقة" says where this farm is
    got = [(m.admin1, m.place_rule) for m in extract_document("قتل 3 مدنيين بقصف على مزرعة اليرموك شمال الرقة.", "d")]
    assert got == [("SY-RA", "clause_place")]
    assert [m.admin1 for m in extract_document("قتل 3 مدنيين بقصف على مخيم اليرموك جنوب دمشق.", "d")] == ["SY-DI"]


def test_the_documents_governorates_decide_a_name_the_sentence_leaves_ambiguous():
    # "القحطانية" is a town in al-Hasakah and a village in Quneitra; the report is about al-Hasakah
    text = "قصف تركي على ريف الحسكة الشمالي.\nوقتل 3 مدنيين بقصف على القحطانية صباح اليوم."
    assert [m.admin1 for m in extract_document(text, "d")] == ["SY-HA"]


def test_a_place_inside_an_actors_name_is_not_the_events_place():
    text = "قتل عنصران من قوات حكومة دمشق بقصف تركي على قرية في ريف حلب الشمالي."
    assert [m.admin1 for m in extract_document(text, "d")] == ["SY-HL"]
    assert [m.admin1 for m in extract_document("قتل عنصران من قوات حكومة دمشق بقصف مدفعي.", "d")] == [None]


def test_a_scene_set_by_an_actors_name_gives_no_place():
    text = ("تتعرض نقاط لقوات حكومة دمشق لقصف تركي.\nوأدى القصف إلى مقتل عنصرين من القوات.\n"
            "وتشهد مدينتا حلب والرقة هدوءاً.")   # two governorates: the document's one does not decide
    assert [m.admin1 for m in extract_document(text, "d")] == [None]


@pytest.mark.parametrize("army, perpetrator", [("جيش الاحتلال التركي", "turkey"), ("جيش الاحتلال", "israel")])
def test_the_occupation_army_is_told_by_its_adjective(army, perpetrator):
    [m] = mentions(f"قتل ثلاثة مدنيين بقصف لـ{army} على قرية في ريف الحسكة أمس.")
    assert (m.victim, m.perpetrator) == ("civilians", perpetrator)
