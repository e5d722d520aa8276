"""The linker's named rules: each count and victim says which rule produced it, and each counting
behaviour a careful reader has (singular and named victims, coordinated nouns, duals, split letters,
running totals, civilian-harm context, numbers that count no one) is pinned by a sentence of our own."""
from datetime import date

import pytest

from ingest.extract import extract_document
from ingest.extract.linker_counts import NOUN_COUNT_RULES
from ingest.extract.linker_victims import VICTIM_RULES
from ingest.extract.linker_triggers import TRIGGER_RULES

PUB = date(2023, 3, 6)


def found(text):
    return [(m.outcome, m.count, m.victim) for m in extract_document(text, "t", PUB)]


def rules(text):
    return [(m.count, m.count_rule, m.victim_rule) for m in extract_document(text, "t", PUB)]


# --- rule tables ------------------------------------------------------------------------

def test_rule_tables_have_unique_names():
    for table in (NOUN_COUNT_RULES, VICTIM_RULES, TRIGGER_RULES):
        names = [name for name, _ in table]
        assert len(names) == len(set(names)), names


@pytest.mark.parametrize("text,count,count_rule", [
    ("قتل 12 مدنياً في قصف على قرية في ريف إدلب.", 12, "numeral_after_trigger"),
    ("سقط 8 قتلى من المدنيين في قصف على قرية.", 8, "victim_noun_with_count"),
    ("عثر على 4 رعاة قتلوا في البادية.", 4, "numeral_before_verb"),
    ("أسفر الانفجار عن مقتل ضابطين من قوات النظام قرب تدمر.", 2, "dual_noun"),
    ("قتل شاب برصاص مسلحين مجهولين في درعا.", 1, "singular_noun_after_trigger"),
    ("ارتفعت حصيلة القتلى جراء القصف على البلدة إلى 7 مدنيين.", 7, "running_total"),
])
def test_count_rule_names(text, count, count_rule):
    assert [(c, r) for c, r, _ in rules(text)] == [(count, count_rule)]


def test_subset_and_coordination_rule_names():
    got = rules("قتل 10 مدنيين بينهم 3 أطفال في قصف على قرية في ريف حلب.")
    assert (3, "subset_cue", "person_noun_default") in got
    got = rules("قتل 5 عناصر من قوات النظام، و2 من منطقة البوكمال في هجوم للتنظيم.")
    assert (2, "coordinated_count", "inherited_from_previous") in got


@pytest.mark.parametrize("text,victim,victim_rule", [
    ("مقتل 4 عناصر من الميليشيات الإيرانية بغارة في البوكمال.", "iran_backed", "phrase_group"),
    ("مقتل 3 مدنيين بقصف على قرية في ريف إدلب.", "civilians", "person_noun_default"),
    ("قتل 3 أشخاص في اشتباكات بين مجموعتين في ريف درعا.", "unspecified", "unspecified"),
    ("استشهد 5 أشخاص بقصف مدفعي على قرية في ريف إدلب.", "civilians", "civilian_harm"),
])
def test_victim_rule_names(text, victim, victim_rule):
    ms = extract_document(text, "t", PUB)
    assert [(m.victim, m.victim_rule) for m in ms] == [(victim, victim_rule)]


# --- a victim without a numeral ----------------------------------------------------------

@pytest.mark.parametrize("text", [
    "قُتل سائق شاحنة بقصف على طريق في ريف حلب.",
    "استشهد الرضيع متأثراً بجراحه بعد القصف على بلدته.",
    "مقتل المدعو خالد السالم برصاص مسلحين مجهولين في ريف درعا.",
    "مواطن يفقد حياته في قصف على قرية بريف عفرين.",
    "لقي شاب حتفه بانفجار لغم في ريف حماة.",
])
def test_singular_and_named_victims_count_one_civilian(text):
    assert found(text) == [("killed", 1, "civilians")]


def test_named_person_described_as_member_is_one_of_that_group():
    assert found("اعتقال المدعو خالد السالم أحد عناصر تنظيم داعش في ريف دير الزور.") == [("arrested", 1, "isis")]


# --- coordination, duals, numbers after the noun ------------------------------------------

def test_coordinated_nouns_of_one_group_are_one_statement_of_their_sum():
    # the contract's one mention per number x outcome x group: "a woman and a girl" is two civilians
    assert found("قتلت امرأة وطفلة بقصف على بلدة في ريف إدلب.") == [("killed", 2, "civilians")]
    got = rules("قتلت امرأة وطفلة بقصف على بلدة في ريف إدلب.")
    assert got[0][1] == "coordinated_nouns"


def test_coordinated_nouns_of_two_groups_are_two_mentions():
    assert sorted(found("مقتل جندي ومدني بقصف على بلدة في ريف حماة.")) == [
        ("killed", 1, "civilians"), ("killed", 1, "regime")]


@pytest.mark.parametrize("text", [
    "قتل طفلان بقصف على بلدة في ريف إدلب.",
    "قتل مدنيين اثنين بقصف على بلدة في ريف إدلب.",
])
def test_duals_and_numbers_after_the_noun(text):
    assert found(text) == [("killed", 2, "civilians")]


# --- split letters ----------------------------------------------------------------------

@pytest.mark.parametrize("text,outcome,count", [
    ("فـ ـقـ ـدان شخـ ـصـ ـين لحـ ـيـ ـاتـ ـهما في قـ ـصـ ـف على قرية.", "killed", 2),
    ("اغتـ ـيال شـ ـاب برصاص مجهولين في ريف درعا.", "killed", 1),
    ("إصـ*ـابة 3 مدنيين بقصف على بلدة في ريف إدلب.", "injured", 3),
    ("ق.تل 4 مدنيين بقصف على بلدة في ريف إدلب.", "killed", 4),
])
def test_split_letters_are_read_as_words(text, outcome, count):
    assert [(o, c) for o, c, _ in found(text)] == [(outcome, count)]


# --- massacres and running totals --------------------------------------------------------

def test_massacre_that_claimed():
    assert found("ارتكبت الطائرات مجزرة راح ضحيتها 5 مدنيين في قرية بريف إدلب.") == [("killed", 5, "civilians")]


def test_new_total_is_a_mention():
    assert found("وارتفع عدد القتلى جراء الغارة على القرية إلى 7 مدنيين.") == [("killed", 7, "civilians")]


# --- civilian-harm context ---------------------------------------------------------------

def test_unnamed_toll_of_a_strike_on_a_village_is_civilian():
    assert found("استشهد 5 أشخاص بغارة جوية على قرية في ريف إدلب.") == [("killed", 5, "civilians")]
    assert found("سقط 3 شهداء بقصف صاروخي على حي سكني في مدينة إدلب.") == [("killed", 3, "civilians")]


def test_unnamed_toll_in_fighting_stays_unspecified():
    assert found("قتل 6 أشخاص في اشتباكات بين مجموعتين مسلحتين في ريف درعا.") == [("killed", 6, "unspecified")]
    assert found("قتل 6 أشخاص بينهم عنصران بقصف على قرية في ريف حماة.")[0] == ("killed", 6, "unspecified")


# --- numbers that count no one -----------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("إصابة 6 أشخاص من عائلة واحدة بقصف على بلدة في ريف إدلب.", [("injured", 6, "civilians")]),
    ("قتل 3 مدنيين في خرق لقراري مجلس الأمن 2139 و2254 بقصف على بلدة.", [("killed", 3, "civilians")]),
    ("قتل 3 مدنيين في خرق للقرار 2254 بقصف على بلدة.", [("killed", 3, "civilians")]),
    ("قتل 3 عناصر من الفرقة 25 في هجوم بريف حماة.", [("killed", 3, "regime")]),
])
def test_numbers_that_are_not_counts(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text,expected", [
    # counters and clock times glued to the page, a date label in Latin letters
    ("وقوع عدة إصابات بقصف على البلدة.9:32 AM · Sep 28, 2025851Views111", []),
    ("قتل مدني في شارع 48 بقصف على المدينة.", [("killed", 1, "civilians")]),
    ("استهدف القصف أحد معسكرات التدريب وقتل 3 مدنيين في قرية مجاورة.", [("killed", 3, "civilians")]),
    ("تجاوز عدد المصابين بالقصف خلال الشهر الحالي واحد وعشرين شخصاً.", [("injured", 21, "civilians")]),
])
def test_page_furniture_and_things_are_not_counts(text, expected):
    assert found(text) == expected


def test_running_total_takes_the_group_of_its_toll():
    ms = extract_document('وأكدت مصادر ارتفاع عدد قتلى "قسد" إلى 46 قتيلاً.', "t", PUB)
    assert [(m.count, m.victim, m.count_rule, m.victim_rule) for m in ms] == [
        (46, "sdf", "running_total", "running_total_phrase")]


def test_family_members_are_civilians_and_each_trigger_counts_its_own():
    assert sorted(found("مقتل رجل وطفله وإصابة زوجته وطفلته بقصف على قرية في ريف إدلب.")) == [
        ("injured", 2, "civilians"), ("killed", 2, "civilians")]


@pytest.mark.parametrize("text", [
    "قتل 4 مدنيين بقصف طال 40% من منازل القرية.",
    "قتل 4 مدنيين بقصف ارتفعت بعده نسبة 35 من النازحين في المخيم.",
    "قتل 4 مدنيين بقصف على قرية في ريف إدلب عام 2019.",
])
def test_percentages_and_years_are_not_counts(text):
    assert found(text) == [("killed", 4, "civilians")]


@pytest.mark.parametrize("text,expected", [
    ("أدت الغارة على القرية إلى وقوع قتيل وإصابة 3 مدنيين.", [("injured", 3, "civilians"), ("killed", 1, "civilians")]),
    ("وقع عشرات الضحايا بين قتيل ومصاب في القصف على المدينة.", []),
    ("اللهم تقبله شهيداً في جنات النعيم.", []),
    # the one already counted, named again with the article ("ل" + "ال" = "لل")
    ("قتل شاب برصاص مجهولين في درعا. وتظهر صورة متداولة للقتيل آثار التعذيب.", [("killed", 1, "civilians")]),
])
def test_a_singular_victim_noun_is_one_victim(text, expected):
    assert sorted(found(text)) == expected


def test_a_bare_count_in_the_next_clause_shares_the_group():
    assert found("مقتل 6 من عناصر قوات الحكومة وإصابة 11 في كمين بالبادية.") == [
        ("killed", 6, "regime"), ("injured", 11, "regime")]
    assert found("قتل 5 مدنيين، وأصيب 7 في القصف على السوق.") == [
        ("killed", 5, "civilians"), ("injured", 7, "civilians")]


def test_gunmen_named_as_attackers_do_not_make_the_victims_fighters():
    # "A person killed by unknown gunmen is civilians unless the text says they were a fighter."
    assert found("قتل 3 أشخاص برصاص عناصر مجهولين في ريف درعا.") == [("killed", 3, "civilians")]
    assert found("قتل 3 أشخاص في اشتباك مع مسلحين في ريف درعا.") == [("killed", 3, "unspecified")]


def test_people_of_two_groups_under_one_number_are_unspecified():
    assert found("أسفر التفجير عن 277 جريحاً من المدنيين والعسكريين.") == [("injured", 277, "unspecified")]
    assert found("قتلت ضربات جوية 42 شخصاً غالبيتهم عسكريون.") == [("killed", 42, "unspecified")]
    assert found("مقتل أحد ضباط النظام والعامل مع مفرزة الأمن الجوي بعبوة ناسفة.") == [("killed", 1, "regime")]


def test_a_verb_reaches_its_object_past_a_long_subject():
    text = ("اختطف مسلحون يعتقد أنهم من خلايا تنظيم داعش، ظهر أول من أمس الأحد، 6 رعاة من أبناء القرية "
            "أثناء رعيهم المواشي.")
    got = extract_document(text, "t", PUB)
    assert [(m.outcome, m.count, m.victim) for m in got] == [("kidnapped", 6, "civilians")]


def test_others_take_the_group_the_count_before_was_given_from_context():
    ms = extract_document("قتل 5 عناصر من قوات النظام بهجوم على حاجز. وقتل 3 عناصر آخرين وأصيب 4 آخرون "
                          "بانفجار لغم في البادية.", "t", PUB)
    assert [(m.count, m.victim, m.victim_rule) for m in ms] == [
        (5, "regime", "phrase_group"), (3, "regime", "document_group"), (4, "regime", "inherited_from_previous")]


def test_a_part_of_a_toll_right_after_its_number_counts():
    assert sorted(found("قتل 5 مدنيين بينهم طفلان بقصف على قرية.")) == [("killed", 2, "civilians"), ("killed", 5, "civilians")]
    assert ("injured", 1, "civilians") in found("وإصابة ثلاثة مدنيين بينهم امرأة بقصف على قرية.")


@pytest.mark.parametrize("text,expected", [
    ("#عاجلإصابة 3 مدنيين بقصف على بلدة في ريف حلب.", [("injured", 3, "civilians")]),
    ("يرتكب مجزرة في سوق البلدةاستشهد 5 اشخاص جراء القصف على السوق.", [("killed", 5, "civilians")]),
    ("الدفاع المدني@SyriaCivilDefeإصابة طفلة بجروح إثر قصف على مدينة دارة عزة.", [("injured", 1, "civilians")]),
])
def test_a_trigger_glued_to_the_word_before_it_is_read(text, expected):
    assert found(text) == expected


def test_cue_categories_in_one_pass_match_each_table_alone():
    from ingest.extract.lexicons import load_lexicons
    from ingest.extract.text import clean_text
    from ingest.extract.tokens import CategoryTables, find_all, tokenize

    lex = load_lexicons()
    tables = CategoryTables(dict(lex.cues))
    text = ("قتل 3 مدنيين على الأقل بينهم طفلان بقصف مدفعي على قرية، وأصيب ما لا يقل عن 5 آخرين "
            "في اشتباكات مع عناصر من الفرقة 25 خلال الأيام الماضية.")
    toks = tokenize(clean_text(text).norm)
    together = tables.find_all(toks)
    assert any(together.values())
    for name, table in lex.cues.items():
        assert together[name] == find_all(toks, table), name


def test_an_adjective_gives_a_generic_person_its_group():
    assert found("عثر على جثة شخص مدني في البادية.") == [("killed", 1, "civilians")]


def test_a_group_after_areas_of_says_where_not_who():
    assert found("مقتل شاب خنقاً بريف دير الزور ضمن مناطق سيطرة قسد.") == [("killed", 1, "civilians")]


def test_a_count_followed_by_injuries_counts_the_injured():
    # "و5 إصابات" after a killed toll: the noun after the number gives its outcome
    assert ("injured", 5, "civilians") in found("سقوط رجل شهيد و5 إصابات في صفوف المدنيين بقصف مدفعي على مخيم في ريف إدلب.")
    assert ("killed", 5, "civilians") not in found("سقوط رجل شهيد و5 إصابات في صفوف المدنيين بقصف مدفعي على مخيم في ريف إدلب.")


def test_a_subset_belongs_to_the_uncounted_toll_right_before_it():
    # "وجرح آخرين من بينهم طفل": the child is among the injured, not among the dead
    got = found("استشهاد رجل وجرح آخرين من بينهم طفل إثر قصف مدفعي على بلدة في ريف إدلب.")
    assert ("killed", 1, "civilians") in got and ("injured", 1, "civilians") in got
    assert got.count(("killed", 1, "civilians")) == 1


def test_coordinated_nouns_of_a_subset_add_up():
    # "بينهم رجل وطفل": one statement of two civilians among the injured
    assert ("injured", 2, "civilians") in found("قتل 3 مدنيين وأصيب 5 آخرون بينهم رجل وطفل بقصف على قرية في ريف إدلب.")


def test_a_noun_joined_to_a_counted_subset_is_a_further_part():
    # "بينهم 3 أطفال وامرأتان": three children, and two women counted on their own
    got = found("أصيب 9 مدنيين بينهم 3 أطفال وامرأتان جراء قصف صاروخي على بلدة في ريف حلب الغربي.")
    assert ("injured", 3, "civilians") in got and ("injured", 2, "civilians") in got
    assert ("injured", 5, "civilians") not in got


def test_met_their_death_with_the_subject_in_between():
    # "لقي N ... مصرعهم" as "لقي ... حتفهم"
    assert found("لقي 4 مدنيين مصرعهم جراء قصف مدفعي على قرية في ريف إدلب.") == [("killed", 4, "civilians")]
    assert found("كما لقي شخصان مصرعهما بقصف صاروخي على مزرعة في ريف حماة.")[0][:2] == ("killed", 2)


def test_a_list_after_the_tolls_definite_noun_gives_its_parts():
    # "إن الضحايا طفلان وامرأتان": what the toll was made of, part by part, not one sum
    got = found("وقال الدفاع المدني إن الضحايا طفلان وامرأتان، في حين أصيب رجل بجروح.")
    assert got.count(("killed", 2, "civilians")) == 2 and ("killed", 4, "civilians") not in got


def test_an_escort_is_counted_with_the_one_he_accompanies():
    assert found("مقتل قيادي ومرافقه بغارة جوية على سيارة في ريف الحسكة.")[0][:2] == ("killed", 2)


def test_an_age_in_brackets_is_not_a_count():
    assert found("أدى القصف لمقتل الطفل «سامر الخالد» (14) سنة في بلدة بريف دير الزور.") == [("killed", 1, "civilians")]


def test_the_tail_of_a_number_with_a_separator_is_not_a_count():
    assert all(m[1] != 417 for m in found("ووثقت المنظمة مقتل ما لا يقل عن 210.417 أشخاص منذ عام 2011."))


def test_present_tense_arrest_verbs_of_headlines():
    assert found("ميليشيا قسد تعتقل 5 أشخاص من قرية في ريف دير الزور الغربي.")[0][:2] == ("arrested", 5)


@pytest.mark.parametrize("text,count", [
    ("أسفرت المداهمة عن اعتقال كل من سامر خالد العلي وأحمد محمود الحسن في قرية بريف الرقة.", 2),
    ("اعتقلت الدورية كل من ماجد العبد و عمار الخلف دون معرفة الأسباب.", 2),
    ("اعتقال كل من وليد الأحمد في قرية بريف الرقة.", 1),   # a name that starts with و
    ("قسد تعتقل كلاً من سامر العلي وأحمد الخالد خلال حملة مداهمات.", 2),   # accusative
])
def test_a_named_list_counts_one_per_name(text, count):
    assert [(m[0], m[1]) for m in found(text)] == [("arrested", count)]


def test_a_bracketed_count_before_its_victim_noun():
    assert found("قصف مدفعي على أحياء المدينة، و (6) شهداء حصيلة أولية.")[0][:2] == ("killed", 6)


def test_two_injuries_is_a_count_of_two():
    assert found("وذكر ناشطون وقوع إصابتين بين المدنيين إثر استهداف القرية بالمدفعية.")[0][:2] == ("injured", 2)


def test_a_death_counts_only_with_violence_in_its_sentence():
    assert found("وفاة شاب متأثراً بإصابته جراء الغارات الجوية على المدينة أمس.")[0][:2] == ("killed", 1)
    assert found("توفي طفل إثر حريق نشب في خيمته بمخيم في ريف إدلب.") == []


def test_a_definite_number_word_after_a_definite_victim_noun_counts():
    assert found("وقال المصدر إن الأشخاص الثلاثة أصيبوا بجروح جراء القصف على البلدة.")[0][:2] == ("injured", 3)
    assert all(m[1] != 3 for m in found("قتل مدني خلال الأيام الثلاثة الماضية بقصف على البلدة."))


def test_a_noun_after_the_comma_closing_a_counted_phrase_is_one_more():
    got = found("استشهاد رجل، وإصابة 3 آخرين من أبنائه، وزوجته، بقصف مدفعي على قرية في ريف حلب.")
    assert ("injured", 3, "civilians") in got and ("injured", 1, "civilians") in got


def test_a_plural_form_named_as_the_two_is_two():
    assert found("نتج عن القصف إصابة مدنيين هما سامر العلي وأحمد الخالد في المدينة.")[0][:2] == ("injured", 2)


def test_two_others_and_a_present_tense_headline():
    assert ("injured", 2, "civilians") in found("قتل 3 مدنيين وأصيب آخران جراء قصف صاروخي على مدينة إدلب.")
    assert found("مجزرة في ريف الرقة تودي بحياة 5 مدنيين من عائلة واحدة")[0][:2] == ("killed", 5)


def test_a_named_list_before_its_verb_counts_civilians():
    # "كل من “فلان”، و”فلان”، تعرضا للإصابة": the names are the subject; named people of no group are civilians
    got = rules("وقال مصدر محلي إن كل من “سامر العلي”، و”أحمد الخالد”، تعرضا للإصابة برصاص حرس الحدود.")
    assert got == [(2, "named_list", "named_people")]



@pytest.mark.parametrize("text", [
    # "فقد كل من فلان وفلان حياتهما": the list of names is the subject of "lost their life"
    "فقد كل من ياسر الحمود وأخته هالة حياتهما جراء قصف مدفعي على البلدة.",
    # a short adverbial between the verb and the list, each name with an age
    "وفقد على إثره كل من الطفل ياسر الحمود 9 أعوام وأخوه عمر الحمود 12 عاماً حياتهما.",
    # a relative clause about the first name ("والتي تبلغ ...") is no name of its own
    "وقصفت المدفعية منزلاً في القرية وفقدت على إثره كل من الفتاة هالة ياسر الحمود والتي تبلغ 17 عاماً"
    " وأخوها عمر ياسر الحمود 15 عاماً حياتهما.",
])
def test_a_named_list_that_lost_its_life_counts_one_per_name(text):
    assert rules(text) == [(2, "named_list", "named_people")]


def test_the_name_ali_does_not_end_a_named_list():
    # once ى is folded onto ي the name "علي" reads as the preposition "على", a word that ends a victim phrase
    assert rules("قتل كل من سامر علي حمود وأخته هالة بقصف على البلدة.") == [(2, "named_list", "named_people")]
    # the preposition before a word with the article still ends the list
    assert found("اعتقلت الدورية كل من سامر الحسن وعمر الخالد على الحاجز وحمص.")[0][:2] == ("arrested", 2)

def test_a_comma_before_a_preposition_ends_a_named_list():
    assert [m[:2] for m in found("اعتقال كل من سامر العلي وأحمد الخالد، وسط تأكيدات أنهما مدنيان.")] == [("arrested", 2)]


def test_a_noun_and_his_companion_are_two():
    # "كادر" is no listed person noun; "ومرافقه" (his escort) says there were two
    assert found("مقتل كادر ومرافقه في استهداف جوي لسيارة في ريف حلب.")[0][:2] == ("killed", 2)
    # "her children and her husband": the children are no one person
    assert ("injured", 2, "civilians") not in found("وأصيب أولادها وزوجها بجروح بقصف على مخيم في ريف حلب.")


def test_eleven_and_more_injuries_in_the_singular():
    assert found("وسجلت المشافي 12 إصابة بين المدنيين جراء القصف على المدينة.")[0][:2] == ("injured", 12)


def test_a_toll_over_the_past_days_and_an_aside_abroad():
    got = extract_document("ووثق الدفاع المدني خلال الأيام الماضية 14 إصابة في صفوف المدنيين.", "t", PUB)
    assert [(m.count, m.scope) for m in got] == [(14, "tally")]
    assert found("القبض على 5 مسلحين من خلايا التنظيم في موسكو.") == []


def test_people_harmed_in_a_report_of_civilian_victims_are_civilians():
    text = "أصيب أربعة مدنيين بقصف مسيرة على حافلة قرب القامشلي.\nوقال مصدر طبي إن الأشخاص الأربعة أصيبوا بجروح متفاوتة."
    assert [(m.victim, m.victim_rule) for m in extract_document(text, "t", PUB)][1] == ("civilians", "document_civilians")
    # not when fighters were harmed too
    text = "قتل عنصران من قوات النظام بهجوم.\nوأصيب 3 أشخاص بجروح."
    assert extract_document(text, "t", PUB)[-1].victim == "unspecified"


def test_died_in_shelling_and_two_named_after_a_comma():
    assert found("بقصف مدفعي قضى الشاب سامر الخالد أثناء جمع الحطب قرب بلدة في ريف إدلب.")[0][:2] == ("killed", 1)
    assert found("قضت المحكمة بسجنه 10 سنوات.") == []
    assert found("ما أسفر عن استشهاد مدنيين، وهما: سامر (25 عاماً) وعلا (12 عاماً).")[0][:2] == ("killed", 2)


def test_names_joined_after_their_ages_add_up():
    got = found("أسفر القصف عن مقتل الطفلة سارة أحمد 12 عاماً وعلي أحمد 25 عاماً بقصف على قرية.")
    assert got[0][:2] == ("killed", 2)
    assert found("مقتل الشاب سامر 30 عاماً وإصابة آخرين بقصف على قرية.")[0][:2] == ("killed", 1)


def test_lost_his_life_with_the_subject_between():
    assert found("فقد طفل حياته جراء قصف مدفعي على قرية في ريف حلب.")[0][:2] == ("killed", 1)
    assert found("فقد المواطن سامر الخالد حياته متأثراً بجراحه جراء قصف على القرية.")[0][:2] == ("killed", 1)
    assert found("حفاظاً على حياته غادر 3 أشخاص المدينة.") == []


def test_a_running_total_with_a_long_description_of_its_toll():
    text = "ارتفعت حصيلة مصابي المجزرة التي ارتكبها الطيران الحربي الروسي أمس في سوق المدينة إلى 40 شخصاً."
    assert rules(text)[0][:2] == (40, "running_total")
    assert found(text)[0][:2] == ("injured", 40)


def test_a_running_total_with_no_toll_in_its_sentence_is_the_documents_last():
    got = extract_document("أصيب 3 مدنيين بقصف على قرية في ريف إدلب. ويرتفع العدد إلى 6 بعد وصول جرحى جدد.", "t", PUB)
    assert [(m.outcome, m.count, m.count_rule) for m in got] == [("injured", 3, "numeral_after_trigger"),
                                                                 ("injured", 6, "running_total")]
    got = extract_document("أصيب 3 مدنيين بقصف على قرية. وارتفعت درجات الحرارة إلى 40.", "t", PUB)
    assert [m.count for m in got] == [3]


def test_died_of_his_wounds_is_a_violent_death():
    assert ("killed", 1, "civilians") in found("وتوفي طفل متأثراً بجراحه التي أصيب بها في قصف على قريته.")


def test_liberation_of_a_place_is_no_release():
    assert found("ترجع الخصومة إلى أيام تحرير القرية إذ تتهم إحدى العشيرتين بموالاة النظام.") == []
    assert found("أعلنت الفصائل تحرير المختطفين الثلاثة في ريف درعا.")[0][0] == "released"


def test_a_round_up_item_opening_with_a_person_noun():
    text = "الضحايا المدنيون يوم الأحد:\n- 3 في ريف إدلب بقصف مدفعي\n- طفل في ريف حلب برصاص قناص\n- رجل وطفل بقصف"
    got = [(m.outcome, m.count, m.count_rule) for m in extract_document(text, "t", PUB)]
    assert got == [("killed", 3, "list_item"), ("killed", 1, "list_item_noun"), ("killed", 2, "coordinated_nouns")]


def test_other_injuries_is_no_count():
    assert found("وتأكدت الفرق من عدم وجود إصابات أخرى في المكان.") == []


def test_the_other_one():
    assert ("injured", 1, "civilians") in found("أدت الغارة إلى مقتل أحد الرعاة وإصابة الآخر بجروح بليغة.")


def test_another_man_after_the_first_ones_description():
    assert found("كما اغتال مجهولون مختار بلدة في ريف درعا ورجلاً آخر.")[0][:2] == ("killed", 2)


def test_one_figure_for_killed_and_wounded_counts_neither():
    assert found("12 قتيلاً وجريحاً من عناصر الميليشيات بغارات على ريف حلب.") == []
    assert found("سقط 8 قتلى و5 جرحى بقصف على البلدة.") == [("killed", 8, "civilians"), ("injured", 5, "civilians")]


def test_since_an_intervention_is_a_tally():
    got = extract_document("وثق الدفاع المدني مقتل 3000 مدني منذ التدخل الروسي في سوريا.", "t", PUB)
    assert [m.scope for m in got] == ["tally"]


def test_a_large_toll_of_people_stays_unspecified_in_a_civilian_report():
    text = "أصيب مدنيان بقصف على بلدة في ريف حمص.\nوقتل ما لا يقل عن 85 شخصاً في الهجوم على حفل الزفاف."
    assert extract_document(text, "t", PUB)[-1].victim == "unspecified"


def test_a_total_over_a_month_is_a_tally():
    got = extract_document("ووصل عدد الشهداء المدنيين في هجمات الجيش خلال الشهر الجاري إلى 16 شهيداً.", "t", PUB)
    assert [m.scope for m in got] == ["tally"]


# --- vocabulary is seed data --------------------------------------------------------------

_LINKER_MODULES = ("linker.py", "linker_counts.py", "linker_triggers.py", "linker_victims.py", "linker_words.py",
                   "sentence.py")


def _arabic_literals(path):
    """Arabic string constants of a module (docstrings left out), with their line."""
    import ast
    import re
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
            and re.search("[\u0621-\u064a]", n.value)]


@pytest.mark.parametrize("module", _LINKER_MODULES)
def test_linker_words_are_seed_rows_not_code(module):
    """The linker's closed word lists are rows of seeds/lexicon_cues.csv (lexicons.cue_forms); what may stay
    in code is morphology: the conjunction "و", the article "ال", and the endings and proclitics (at most three
    letters: "وال"، "ين"، "ها"). A word of four letters or more in a literal is vocabulary left in Python."""
    from ingest import PROJECT_ROOT
    words = [(line, s) for line, s in _arabic_literals(PROJECT_ROOT / "ingest" / "extract" / module)
             if len(s) > 3]
    assert words == []


# --- session 3: extraction misses on real posts (sentences of our own) ----------------------

def test_a_named_subject_before_its_verb_is_one_victim():
    """named_singular_before_verb: "the citizen <name> (<age>) was wounded"."""
    assert rules("قال مصدر طبي إن المواطن سالم خليل داود (45 عاماً) أصيب بجروح جراء قصف مدفعي على القرية.") \
        == [(1, "named_singular_before_verb", "civilian_harm")]


def test_a_named_subject_needs_the_article_and_no_clause_break():
    assert found("قال مصدر إن مواطن سالم خليل داود من أهالي القرية، وأصيب بجروح في قصف.") == []


def test_a_recovered_body_is_one_killed():
    assert found("انتشلت فرق الإنقاذ جثمان رجل من تحت أنقاض منزله بعد غارة جوية على البلدة.") \
        == [("killed", 1, "civilians")]
    assert found("وصلت ثلاثة جثامين إلى المشفى بعد انفجار عبوة ناسفة في السوق.") == [("killed", 3, "civilians")]


def test_a_funeral_or_a_repatriated_body_is_no_new_toll():
    assert found("شيع أهالي البلدة جثمان مقاتل في الفصائل اليوم في مقبرة البلدة.") == []
    assert found("شيع الأهالي جثامين 3 مدنيين في مقبرة البلدة.") == []
    assert found("جمع ناشطون تبرعات لإعادة جثمان شاب سوري إلى بلدته.") == []


def test_people_trapped_or_missing_are_no_toll():
    """fate_unknown_noun: the number before them, and the part of them after "بينهم", count no one."""
    assert found("قتلت امرأة بغارة جوية ويستمر البحث عن 4 مفقودين آخرين من أسرتها بينهم 3 أطفال.") \
        == [("killed", 1, "civilians")]


def test_a_death_under_a_military_vehicle_is_violence():
    assert found("توفي طفل اليوم بعد دهسه بمدرعة عسكرية على الطريق العام في البلدة.") == [("killed", 1, "civilians")]
    assert found("توفي طفل اليوم في حادث سير على الطريق العام في البلدة.") == []


def test_lost_life_verb_is_not_a_conjunction_and_a_verb():
    """"فقدت" opens with its own "ف": the noun before it is its subject."""
    assert found("وأمس، رجل فقد حياته وأصيب ابنه بقصف صاروخي على الحي.") == [("killed", 1, "civilians"),
                                                                           ("injured", 1, "civilians")]


def test_a_glued_urgent_header_is_a_word_of_its_own():
    assert ("killed", 1, "civilians") in found("#عاجلفقد مدني حياته وأصيب اثنان بقصف على القرية.")


def test_a_prayer_with_its_conjunction_counts_no_one():
    assert found("رحمه الله وتقبله شهيداً بعد القصف على القرية.") == []


def test_a_relative_without_a_group_joins_the_one_named_before():
    """"مواطن وطفليه": the children have the citizen's group, one count of three (not 1 civilian + 2 unspecified)."""
    assert rules("أصيب مواطن وطفليه بقصف مدفعي على الحي الشرقي من البلدة.") == [(3, "coordinated_nouns", "person_noun_default")]


def test_a_relative_after_a_named_person_is_one_more():
    """relative_after_name: "the citizen <name> and his son"."""
    assert rules("أسفر القصف عن إصابة المواطن سالم يوسف النجار وابنه بجروح متوسطة.") \
        == [(2, "relative_after_name", "person_noun_default")]
    assert found("أسفر القصف عن إصابة المواطن سالم يوسف النجار، وابنه بجروح متوسطة.") == [("injured", 1, "civilians")]


def test_they_wound_is_an_injured_trigger():
    assert found("مسلحون يصيبون 4 مدنيين برصاص عشوائي في السوق.") == [("injured", 4, "civilians")]


def test_one_of_the_hospitals_counts_no_one():
    assert found("أصيب شاب بقصف مدفعي ونقل إلى أحد المشافي القريبة.") == [("injured", 1, "civilians")]


def test_terrorists_are_no_civilians_of_a_civilian_harm_report():
    assert found("قصف على القرية أدى إلى مقتل ثلاثة إرهابيين وإصابة مدني.") == [("killed", 3, "unspecified"),
                                                                            ("injured", 1, "civilians")]


def test_a_terrorist_attack_names_no_victim():
    """The singular "الإرهابي" is an adjective: it counts no one and leaves the civilian context alone."""
    assert found("ارتفاع عدد ضحايا الاعتداء الإرهابي على السوق إلى 9 مدنيين.") == [("killed", 9, "civilians")]


def test_an_indefinite_dual_victim_noun_counts_two_and_a_definite_one_restates():
    assert found("شهيدان وجريحان بقصف مدفعي على البلدة.") == [("killed", 2, "civilians"), ("injured", 2, "civilians")]
    assert found("ونقل الجريحان إلى مشفى المدينة لتلقي العلاج.") == []


def test_an_escalation_is_a_cause_that_ends_the_victims():
    assert found("أصيب مدنيان بتصعيد جوي متجدد لقوات النظام على قرى الريف الشرقي.") == [("injured", 2, "civilians")]


def test_the_title_of_an_elderly_man_is_one_civilian():
    assert found("استشهاد الحاج سليم العمر متأثراً بجراحه جراء قصف مدفعي على مزرعته.") == [("killed", 1, "civilians")]


def test_another_earlier_event_does_not_date_the_report():
    """other_event: the headline takes the publication day, not the date of "a previous incident" told below."""
    text = ("مقتل طفل بقصف مدفعي على قرية في الريف الشرقي\n\n"
            "وفي حادثة سابقة، قتل شاب في 3 شباط الماضي بقصف مماثل على القرية نفسها.\n")
    dated = {(m.count, m.event_date, m.date_rule) for m in extract_document(text, "t", PUB)}
    assert (1, PUB.isoformat(), "publication_date") in dated


def test_a_count_over_a_span_named_by_its_length_is_a_tally():
    """span_of_days: "خلال أسبوع" with no day named; a sentence that names its day stays one event."""
    ms = extract_document("وسجلت خلال أسبوع من القصف المتواصل إصابة 12 مدنياً في قرى الريف.", "t", PUB)
    assert [(m.scope, m.period_start, m.period_end) for m in ms] == [("tally", "2023-02-27", PUB.isoformat())]
    ms = extract_document("في ثاني غارة خلال أسبوع، قتل 3 مدنيين فجر أمس بقصف على القرية.", "t", PUB)
    assert [m.scope for m in ms] == ["incident"]


def test_today_after_a_number_is_no_unit_of_it():
    """"أكثر من 35 اليوم" is 35 people, today ("3 أيام" is three days); "لأحد المنازل" stays one of the houses."""
    assert found("قتل 4 مدنيين وأصيب أكثر من 20 اليوم الأحد بقصف على البلدة.") == [("killed", 4, "civilians"),
                                                                              ("injured", 20, "civilians")]
    assert found("قتل شخص بقصف استهدف أحد المنازل في القرية.") == [("killed", 1, "civilians")]


def test_lost_life_with_a_named_subject_between():
    assert rules("فقد المواطن سالم خليل داود (45 عاماً) حياته متأثراً بجراحه بعد قصف مدفعي على قريته.") \
        == [(1, "named_singular_before_verb", "civilian_harm")]


def test_a_name_with_an_age_after_an_act_is_one_named_civilian():
    """name_with_age: "إصابة <name> (49 عاماً)"; a list of names after a victim noun restates, no new count."""
    assert rules("أطلق جنود النار على الأهالي، ما أسفر عن إصابة سالم داود 49 عاماً بطلقة في ظهره.") \
        == [(1, "name_with_age", "named_people")]
    assert found("وقال المصدر إن الجرحى هم سالم داود (20 عاماً) وخالد يوسف.") == []


def test_a_full_stop_glued_to_the_next_sentence_ends_it():
    """A capture that lost its spaces ("طفيفة.ويشار"): the tally of the second sentence does not make the first
    one's event a tally; an obfuscation dot inside a word ("إصـ.ـابة"، "ق.تل") is still joined."""
    ms = extract_document("أصيب ثلاثة مدنيين بجروح طفيفة.ويشار أن القصف منذ 8 كانون الثاني أدى إلى مقتل 24 مدنياً.",
                          "t", PUB)
    assert [(m.count, m.scope) for m in ms] == [(3, "incident"), (24, "tally")]
    assert found("ق.تل مدني بقصف على القرية.") == [("killed", 1, "civilians")]


def test_a_statement_dated_weeks_before_publication_is_background_for_the_headline():
    """_OWN_NEWS_DAYS: the headline's toll restated with a date a year back ("26 تموز" read as last year) is
    not the report's news; the headline takes the publication day."""
    text = ("مقتل امرأة بقصف مدفعي على قرية في الريف الشمالي\n\n"
            "ووثق المرصد مقتل امرأة بقصف مدفعي على القرية في 20 كانون الثاني 2022.\n")
    first = extract_document(text, "t", PUB)[0]
    assert (first.event_date, first.date_rule) == (PUB.isoformat(), "publication_date")


def test_the_attacker_of_a_scene_sentence_carries_to_the_toll_that_refers_back():
    """attribution.attacker: "قصفت القوات التركية القرية. وأسفر القصف عن ..." - the toll's perpetrator."""
    ms = extract_document("قصفت القوات التركية قرية في ريف الحسكة صباح اليوم. وأسفر القصف عن إصابة 3 مدنيين.", "t", PUB)
    assert [(m.count, m.perpetrator) for m in ms] == [(3, "turkey")]


def test_another_one_after_a_comma_is_one_more_of_the_same_statement():
    # "another" after the comma says she is one more victim of the same statement
    assert found("تسبب القصف بإصابة رجل مسن بجروح خطيرة، وامرأة أخرى بحالة حرجة.") == [("injured", 2, "civilians")]
    # a new verb after the comma starts a statement of its own
    assert found("أدى القصف إلى إصابة شاب بجروح، وقتل طفل آخر بشظايا.") == [
        ("injured", 1, "civilians"), ("killed", 1, "civilians")]


def test_a_person_after_the_wounds_of_the_one_before_is_one_more():
    assert found("إصابة شاب بجروح خطيرة وطفل بجروح طفيفة في القصف على البلدة.") == [("injured", 2, "civilians")]
    assert found("أسفر القصف عن إصابة رجل بجروح وامرأة.") == [("injured", 2, "civilians")]
    # a new outcome after the wounds is a statement of its own
    assert found("أصيب رجل بجروح ومقتل امرأة في القصف.") == [("injured", 1, "civilians"), ("killed", 1, "civilians")]
    # "another one" wounded, then a person joined after his wounds: both
    assert rules("أسفر القصف عن مقتل طفلين وإصابة آخر بجروح وامرأة.")[1][:2] == (2, "another_of_same+coordinated_nouns")


def test_the_eleventh_hour_is_no_count():
    # "الحادية عشرة": an ordinal (the hour of a ceremony), not ten people
    assert found("افتتح النصب التذكاري للشهداء في الحادية عشرة من صباح يوم الأحد.") == []
    assert found("أصيب أحد عشر مدنياً في القصف على البلدة.") == [("injured", 11, "civilians")]
