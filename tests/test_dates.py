"""Date expressions: finding them, resolving them against the publication date, periods, month headings.

Conventions checked here (see ingest/extract/dates.py):
- an explicit count of days back ("قبل يومين", "قبل 3 أيام") is precision 'day';
  vaguer spans ("قبل أسبوع", "قبل أيام") keep a best-guess day with precision 'month';
- a weekday that contradicts "أمس"/"اليوم" wins, with precision 'month';
- month/year expressions hold the first day of the month/year.
All sentences are written for these tests.
"""
import csv
from dataclasses import replace
from datetime import date, datetime

import pytest

from ingest import SEEDS_DIR
from ingest.extract.dates import DateContext, DateRef, find_dates, find_period, section_month
from ingest.extract.lexicons import read_seed

SUN_2023_02_19 = DateContext(date(2023, 2, 19))   # a Sunday
MON_2023_06_12 = DateContext(date(2023, 6, 12))
SAT_2021_01_23 = DateContext(date(2021, 1, 23))
SUN_2021_02_14 = DateContext(date(2021, 2, 14))
SAT_2019_04_13 = DateContext(date(2019, 4, 13))
NO_DATE = DateContext(None)


def only_date(text: str, ctx: DateContext) -> DateRef:
    refs = find_dates(text, ctx)
    assert len(refs) == 1, refs
    return refs[0]


def resolved(text: str, ctx: DateContext) -> tuple:
    ref = only_date(text, ctx)
    return (ref.value.isoformat() if ref.value else None), ref.precision


# --------------------------------------------------------------------------- relative days

@pytest.mark.parametrize("text, expected", [
    ("قال مسؤول محلي إن الاشتباك وقع أمس السبت قرب القرية", ("2023-02-18", "day")),
    ("انفجرت عبوة أول من أمس الجمعة على طريق ترابي", ("2023-02-17", "day")),
    ("انفجرت عبوة اول من امس الجمعة", ("2023-02-17", "day")),          # hamza left off
    ("سقطت القذيفة أول أمس", ("2023-02-17", "day")),
    ("سقطت القذيفة أمس الأول", ("2023-02-17", "day")),
    ("أطلق المسلحون النار يوم أمس على حاجز", ("2023-02-18", "day")),
    ("وقع الانفجار مساء أمس في السوق", ("2023-02-18", "day")),
    ("وداهمت دورية المنزل ليل أمس", ("2023-02-18", "day")),
    ("شنت الطائرات غارات الليلة الماضية على المنطقة", ("2023-02-18", "day")),
    ("عثر الأهالي البارحة على جثة", ("2023-02-18", "day")),
    ("قصفت المدفعية البلدة فجر اليوم", ("2023-02-19", "day")),
    ("قصفت المدفعية البلدة صباح اليوم الأحد", ("2023-02-19", "day")),
    ("وبالأمس أعلنت الفصائل الهدنة", ("2023-02-18", "day")),
    ("جرى تبادل إطلاق النار قبل يوم في الريف", ("2023-02-18", "day")),
    ("جرى تبادل إطلاق النار قبل يومين في الريف", ("2023-02-17", "day")),
    ("أعلنت الشرطة قبل ثلاثة أيام عن اعتقالات", ("2023-02-16", "day")),
    ("أعلنت الشرطة قبل 3 أيام عن اعتقالات", ("2023-02-16", "day")),
    ("أعلنت الشرطة منذ يومين عن اعتقالات", ("2023-02-17", "day")),
    ("بدأت الحملة قبل أسبوع", ("2023-02-12", "month")),
    ("بدأت الحملة قبل أسبوع من الآن", ("2023-02-12", "month")),
    ("بدأت الحملة قبل أسبوعين", ("2023-02-05", "month")),
    ("جرت المداهمة قبل أيام قليلة", ("2023-02-16", "month")),
    ("تصاعد القصف منذ شهرين", ("2022-12-01", "month")),
    ("توقفت المعارك قبل عامين", ("2021-01-01", "year")),
])
def test_relative_days(text, expected):
    assert resolved(text, SUN_2023_02_19) == expected


def test_yesterday_two_days_before_publication_on_another_date():
    assert resolved("قال الجيش إن الهجوم وقع قبل يومين", SAT_2019_04_13) == ("2019-04-11", "day")


def test_weekday_contradicting_yesterday_decides():
    ref = only_date("وقع الهجوم أمس الأحد في البادية", SUN_2023_02_19)   # published on a Sunday
    assert (ref.value, ref.precision, ref.kind, ref.rule) == (date(2023, 2, 19), "day", "weekday",
                                                              "relative_day_weekday")


def test_weekday_contradicting_today_decides():
    ref = only_date("اليوم الخميس أعلنت المحافظة الحداد", SUN_2023_02_19)
    assert (ref.value, ref.precision, ref.kind) == (date(2023, 2, 16), "day", "weekday")


def test_today_of_another_story_is_not_today():
    assert find_dates("وفي اليوم التالي عاد النازحون", SUN_2023_02_19) == []
    assert find_dates("خلال اليوم الأول من المعركة", SUN_2023_02_19) == []


def test_counting_back_from_another_event_is_not_a_date():
    assert find_dates("انسحبت القوات قبل يومين من الهجوم", SUN_2023_02_19) == []


# --------------------------------------------------------------------------- weekdays

@pytest.mark.parametrize("text, expected", [
    ("وتعرضت الدورية لكمين مساء الخميس", "2023-02-16"),
    ("أعلن المرصد الجمعة ارتفاع الحصيلة", "2023-02-17"),
    ("وقع الاشتباك يوم الجمعة الماضي", "2023-02-17"),
    ("أطلق سراح الرهائن السبت الماضي", "2023-02-18"),
    ("أطلق سراح الرهائن الأحد الماضي", "2023-02-12"),       # strictly before publication
    ("أعلنت الوزارة الأحد عن خطة", "2023-02-19"),            # on or before publication
    ("تبنى التنظيم الهجوم ليل الجمعة السبت", "2023-02-17"),   # the first night named
    ("جرت المداهمة منتصف ليلة الأربعاء - الخميس", "2023-02-15"),
    ("جرت المداهمة فجر الاثنين", "2023-02-13"),
    ("جرت المداهمة فجر الإثنين", "2023-02-13"),
    ("تبدأ المفاوضات الثلاثاء المقبل", "2023-02-21"),
])
def test_weekdays(text, expected):
    ref = only_date(text, SUN_2023_02_19)
    assert (ref.value.isoformat(), ref.precision, ref.kind) == (expected, "day", "weekday")


def test_weekday_in_a_sentence_with_a_full_date_on_that_weekday_means_that_date():
    refs = find_dates("ففي 8 كانون الثاني قتل مسلح في إنزال جوي نفذ ليل الأحد", MON_2023_06_12)
    assert [r.value for r in refs] == [date(2023, 1, 8), date(2023, 1, 8)]


def test_weekday_followed_by_its_date_is_one_expression():
    text = "وفي يوم الخميس الموافق 16 شباط انفجرت سيارة"
    ref = only_date(text, SUN_2023_02_19)
    assert (ref.value, ref.precision, ref.kind) == (date(2023, 2, 16), "day", "absolute")
    assert text[ref.start:ref.end] == "يوم الخميس الموافق 16 شباط"


SUN_2024_12_01 = DateContext(date(2024, 12, 1))   # a post dated by its incident; 2 December 2024 is a Monday


@pytest.mark.parametrize("text, ctx, expected", [
    # the year before publication has no Monday 2 December: the weekday's year, held at publication
    ("وأدت لمقتل 7 مدنيين، يوم الاثنين 2 كانون الأول", SUN_2024_12_01, (date(2024, 12, 1), "weekday_date_published")),
    # published a week later: that Monday itself
    ("وأدت لمقتل 7 مدنيين، يوم الاثنين 2 كانون الأول", DateContext(date(2024, 12, 9)), (date(2024, 12, 2), "weekday_date")),
    # a Saturday 30 December of the year before publication
    ("قتل مدني يوم السبت 30 كانون الأول", DateContext(date(2024, 1, 3)), (date(2023, 12, 30), "weekday_date")),
    # "today, Wednesday 2 December" published on Thursday 2 December 2021: a slip, not a day of 2020
    ("أصيب 6 مدنيين يوم الأربعاء 2 كانون الأول", DateContext(date(2021, 12, 2)), (date(2021, 12, 2), "weekday_date")),
    # a year written out is kept, whatever the weekday
    ("قتل مدني يوم الاثنين 2 كانون الأول 2023", SUN_2024_12_01, (date(2023, 12, 2), "weekday_date")),
])
def test_a_weekday_names_the_year_of_a_yearless_date(text, ctx, expected):
    ref = only_date(text, ctx)
    assert (ref.value, ref.rule) == expected

def test_the_two_is_not_monday():
    assert find_dates("فرقت الشرطة بين الاثنين قبل أن يتشاجرا", SUN_2023_02_19) == []


# --------------------------------------------------------------------------- absolute dates

@pytest.mark.parametrize("text, ctx, expected", [
    ("وفي العاشر من فبراير داهمت القوات منزلا", SUN_2023_02_19, ("2023-02-10", "day")),
    ("في الحادي والعشرين من كانون الثاني", SUN_2023_02_19, ("2023-01-21", "day")),
    ("في الأول من شهر آذار", SUN_2023_02_19, ("2022-03-01", "day")),      # would be after publication
    ("في الثاني عشر من شهر تموز", SUN_2023_02_19, ("2022-07-12", "day")),
    ("وقعت المجزرة في الحادي والثلاثين من تشرين الأول", SUN_2023_02_19, ("2022-10-31", "day")),
    ("ففي 8 كانون الثاني اندلعت اشتباكات", MON_2023_06_12, ("2023-01-08", "day")),
    ("في 17 أيار اعتقلت الدورية شابا", MON_2023_06_12, ("2023-05-17", "day")),
    ("في 17 ايار اعتقلت الدورية شابا", MON_2023_06_12, ("2023-05-17", "day")),
    ("قتل مزارع في 3 آب/أغسطس بقذيفة", SUN_2023_02_19, ("2022-08-03", "day")),
    ("قتل مزارع في 25 ديسمبر (كانون الأول) الماضي", SUN_2023_02_19, ("2022-12-25", "day")),
    ("أعلن التحالف في 23 آذار/مارس نهاية المعارك", SAT_2019_04_13, ("2019-03-23", "day")),
    ("بدأ الحصار في 24 مارس/آذار 2019 واستمر", SUN_2021_02_14, ("2019-03-24", "day")),
    ("بدأ الحصار في 24 مارس 2019", SUN_2021_02_14, ("2019-03-24", "day")),
    ("بدأ الحصار في ٢٤ آذار ٢٠١٩", SUN_2021_02_14, ("2019-03-24", "day")),   # Eastern digits
    ("انطلقت العملية في 16 الشهر الجاري", SAT_2021_01_23, ("2021-01-16", "day")),
    ("انطلقت العملية في 16 الشهر الماضي", SUN_2021_02_14, ("2021-01-16", "day")),
    ("انطلقت العملية في 16 من الشهر الماضي", SUN_2021_02_14, ("2021-01-16", "day")),
    ("انسحبت القوات في الخامس من الشهر الجاري", MON_2023_06_12, ("2023-06-05", "day")),
    ("انسحبت القوات يوم 5 الجاري", MON_2023_06_12, ("2023-06-05", "day")),
    ("وفي 4 حزيران الجاري هاجم مسلحون", MON_2023_06_12, ("2023-06-04", "day")),
    ("صدر القرار بتاريخ 1/3/2023", MON_2023_06_12, ("2023-03-01", "day")),
    ("صدر القرار بتاريخ 2023-03-01", MON_2023_06_12, ("2023-03-01", "day")),
    ("صدر القرار بتاريخ 05 / نوفمبر / 2022", MON_2023_06_12, ("2022-11-05", "day")),
])
def test_absolute_days(text, ctx, expected):
    assert resolved(text, ctx) == expected
    assert only_date(text, ctx).kind == "absolute"


def test_impossible_day_is_not_a_date():
    assert find_dates("في 31 شباط", SUN_2023_02_19) == []
    assert find_dates("الرقم 45/13/2023", SUN_2023_02_19) == []


# --------------------------------------------------------------------------- months and years

@pytest.mark.parametrize("text, ctx, expected, kind", [
    ("سقطت المدينة في آذار 2019", SUN_2023_02_19, ("2019-03-01", "month"), "month_only"),
    ("انتهت المعارك في شهر أبريل/نيسان من العام 2018", SUN_2023_02_19, ("2018-04-01", "month"), "month_only"),
    ("أعلن النصر في آذار/مارس 2019", SUN_2023_02_19, ("2019-03-01", "month"), "month_only"),
    ("تراجعت الهجمات خلال شهر أيار", MON_2023_06_12, ("2023-05-01", "month"), "month_only"),
    ("تراجعت الهجمات في أيلول", MON_2023_06_12, ("2022-09-01", "month"), "month_only"),
    ("تراجعت الهجمات في أيار الماضي", MON_2023_06_12, ("2023-05-01", "month"), "month_only"),
    ("تراجعت الهجمات في حزيران الماضي", MON_2023_06_12, ("2022-06-01", "month"), "month_only"),
    ("تصاعدت الهجمات في حزيران الجاري", MON_2023_06_12, ("2023-06-01", "month"), "month_only"),
    ("بين فبراير (شباط) وقتنا هذا", MON_2023_06_12, ("2023-02-01", "month"), "month_only"),
    ("انهار التنظيم عام 2019", SUN_2023_02_19, ("2019-01-01", "year"), "absolute"),
    ("وأعلن الخلافة في العام 2014", SUN_2023_02_19, ("2014-01-01", "year"), "absolute"),
    ("ارتفعت الحصيلة منذ مطلع 2021", SUN_2023_02_19, ("2021-01-01", "month"), "absolute"),
    ("قتل العشرات الشهر الماضي", SUN_2023_02_19, ("2023-01-01", "month"), "relative"),
    ("قتل العشرات خلال الشهر الجاري", SUN_2023_02_19, ("2023-02-01", "month"), "relative"),
    ("قتل العشرات هذا الشهر", SUN_2023_02_19, ("2023-02-01", "month"), "relative"),
    ("قتل المئات العام الماضي", SUN_2023_02_19, ("2022-01-01", "year"), "relative"),
    ("قتل المئات في السنة الماضية", SUN_2023_02_19, ("2022-01-01", "year"), "relative"),
    ("قتل المئات منذ مطلع العام الجاري", MON_2023_06_12, ("2023-01-01", "month"), "relative"),
])
def test_months_and_years(text, ctx, expected, kind):
    assert resolved(text, ctx) == expected
    assert only_date(text, ctx).kind == kind


@pytest.mark.parametrize("text", [
    "مارس الضغط على الطرفين",          # مارس as a verb
    "زار أب وابنه المعتقل",              # أب (father) folds to the same letters as آب
    "قتل أكثر من 2000 شخص",             # a count, not a year
    "حكم عليه بالسجن 15 عاما",
    "هناك أيام صعبة مقبلة",
    "",
    "   ",
    "٫٫٫ ... ///",
])
def test_not_dates(text):
    assert find_dates(text, SUN_2023_02_19) == []


# --------------------------------------------------------------------------- missing publication date / sections

def test_relative_dates_without_publication_date_are_unresolved():
    for text in ("قتل مدني أمس", "قصفت القرية الخميس", "قتل العشرات الشهر الماضي", "قبل يومين"):
        ref = only_date(text, NO_DATE)
        assert (ref.value, ref.precision) == (None, "unknown"), text


def test_absolute_dates_without_publication_date():
    assert resolved("في 24 آذار 2019", NO_DATE) == ("2019-03-24", "day")
    assert resolved("عام 2019", NO_DATE) == ("2019-01-01", "year")
    assert resolved("في 8 كانون الثاني", NO_DATE) == (None, "unknown")


def test_section_month_supplies_the_year_and_the_month():
    in_june = DateContext(None, section_month=(2023, 6))
    assert resolved("وفي 4 حزيران الجاري هاجم مسلحون", in_june) == ("2023-06-04", "day")
    assert resolved("وفي 9 حزيران قتل شاب", in_june) == ("2023-06-09", "day")
    in_january = DateContext(date(2023, 6, 12), section_month=(2023, 1))
    assert resolved("ففي 8 منه قتل قيادي", in_january) == ("2023-01-08", "day")
    assert resolved("ففي 8 منه قتل قيادي", MON_2023_06_12) == (None, "unknown")
    assert resolved("وفي 20 من الشهر نفسه أفرج عنه", in_january) == ("2023-01-20", "day")


def test_context_may_hold_a_datetime_and_a_list():
    ctx = DateContext(datetime(2023, 2, 19, 14, 30), section_month=[2023, 1])
    assert resolved("في 8 كانون الثاني", ctx) == ("2023-01-08", "day")
    assert resolved("أمس", ctx) == ("2023-02-18", "day")


# --------------------------------------------------------------------------- result shape

def test_results_are_sorted_non_overlapping_with_offsets_into_the_text():
    text = "وقع الاشتباك أمس السبت بعد كمين في 8 كانون الثاني ومقتل آخرين عام 2019"
    refs = find_dates(text, SUN_2023_02_19)
    assert [text[r.start:r.end] for r in refs] == ["أمس السبت", "8 كانون الثاني", "عام 2019"]
    assert all(a.end <= b.start for a, b in zip(refs, refs[1:]))


def test_longest_expression_wins():
    text = "أطلقوا في 16 الشهر الماضي حملة"
    ref = only_date(text, SUN_2021_02_14)
    assert text[ref.start:ref.end] == "16 الشهر الماضي"


@pytest.mark.parametrize("text", ["9" * 500, "ـــ", "\u200f\u200e", "31/02/2020", "في 00 آذار"])
def test_odd_input_reads_as_no_date(text):
    """Impossible or empty dates are no dates (not an error, not a guess)."""
    assert find_dates(text, SUN_2023_02_19) == []
    assert find_period(text, SUN_2023_02_19) == (None, None)
    assert section_month(text, SUN_2023_02_19) is None


def test_a_grammar_error_surfaces(monkeypatch):
    """No catch-all: a bug in the date grammar reaches the loader, which quarantines the document
    as extraction_failed with the error named, instead of leaving its mentions silently undated."""
    import ingest.extract.dates as dates

    def broken(*_args):
        raise KeyError("grammar bug")
    monkeypatch.setattr(dates, "_find_hits", broken)
    monkeypatch.setattr(dates, "_find_period", broken)
    monkeypatch.setattr(dates, "_grammar", broken)
    with pytest.raises(KeyError, match="grammar bug"):
        find_dates("قتل ثلاثة أمس", SUN_2023_02_19)
    with pytest.raises(KeyError, match="grammar bug"):
        find_period("منذ مطلع العام الجاري", SUN_2023_02_19)
    with pytest.raises(KeyError, match="grammar bug"):
        section_month("كانون الثاني:", SUN_2023_02_19)


def test_a_failing_rule_is_named(monkeypatch):
    """The error says which rule failed on which words, for the loader's extraction_failed report."""
    import ingest.extract.dates as dates

    grammar = dates._grammar()
    broken = tuple(replace(rule, handler=lambda *_: 1 / 0) if rule.name == "relative_day" else rule
                   for rule in grammar.rules)
    monkeypatch.setattr(dates, "_grammar", lambda: replace(grammar, rules=broken))
    dates._find_hits.cache_clear()
    with pytest.raises(dates.DateRuleError, match="date rule 'relative_day' failed on 'امس': ZeroDivisionError"):
        find_dates("قتل ثلاثة أمس", SUN_2023_02_19)
    dates._find_hits.cache_clear()


# --------------------------------------------------------------------------- periods

def period(text: str, ctx: DateContext) -> tuple:
    start, end = find_period(text, ctx)
    return (start.value.isoformat() if start and start.value else start and "unresolved",
            end.value.isoformat() if end and end.value else end and "unresolved")


@pytest.mark.parametrize("text, ctx, expected", [
    ("قتل 640 مسلحا من 9 تموز/يوليو 2018 وحتى يومنا هذا", SUN_2021_02_14, ("2018-07-09", "2021-02-14")),
    ("خلال الفترة الممتدة من 24 آذار 2019 حتى الآن قتل المئات", SUN_2021_02_14, ("2019-03-24", "2021-02-14")),
    ("نفذت القوات 30 عملية منذ مطلع العام الجاري", MON_2023_06_12, ("2023-01-01", "2023-06-12")),
    ("وثق المرصد 40 هجوما منذ بداية شهر يناير", SAT_2021_01_23, ("2021-01-01", "2021-01-23")),
    ("سجل الناشطون 25 غارة منذ بداية شهر أكتوبر/تشرين الأول الجاري", DateContext(date(2022, 10, 20)),
     ("2022-10-01", "2022-10-20")),
    ("قتل 70 عنصرا منذ مطلع 2021", SUN_2021_02_14, ("2021-01-01", "2021-02-14")),
    ("قتل 70 عنصرا منذ 24 مارس 2019", SUN_2021_02_14, ("2019-03-24", "2021-02-14")),
    ("اعتقل 41 شخصا خلال شهر أيار", MON_2023_06_12, ("2023-05-01", "2023-05-31")),
    ("اعتقل 41 شخصا خلال الشهر الجاري", MON_2023_06_12, ("2023-06-01", "2023-06-12")),
    ("اعتقل 41 شخصا خلال العام الماضي", MON_2023_06_12, ("2022-01-01", "2022-12-31")),
    ("قتل 12 منذ 1 أيار حتى 30 حزيران", DateContext(date(2023, 7, 12)), ("2023-05-01", "2023-06-30")),
    ("قتل 12 خلال الأيام الثلاثة الماضية", MON_2023_06_12, ("2023-06-09", "2023-06-12")),
    ("قتل 31 عنصرا في الأسبوع الأول من الحملة", MON_2023_06_12, ("unresolved", None)),
    ("قتل مليون شخص منذ اندلاع الحرب", MON_2023_06_12, ("unresolved", None)),
    ("قتل مليون شخص منذ اندلاع الحرب عام 2011", MON_2023_06_12, ("2011-01-01", "2023-06-12")),
    ("قتل 9 أشخاص خلال ال24 ساعة الماضية", MON_2023_06_12, ("2023-06-11", "2023-06-12")),
    ("قتل 9 أشخاص خلال الساعات الماضية", MON_2023_06_12, (None, None)),
    ("بلغت الحصيلة 15 قتيلا حتى الآن", MON_2023_06_12, (None, "2023-06-12")),
    ("قتل خمسة أمس في قصف", MON_2023_06_12, (None, None)),
    ("قتل خمسة في 5 آذار", MON_2023_06_12, (None, None)),
    ("قتل خمسة من 5 آذار", MON_2023_06_12, (None, None)),     # "من <date>" without an end
    ("قتل خمسة", MON_2023_06_12, (None, None)),
])
def test_periods(text, ctx, expected):
    assert period(text, ctx) == expected


def test_period_refs_have_period_kinds_and_cover_the_marker():
    text = "قتل 70 عنصرا منذ مطلع العام الجاري"
    start, end = find_period(text, MON_2023_06_12)
    assert (start.kind, end.kind) == ("period_start", "period_end")
    assert text[start.start:start.end] == "منذ مطلع العام الجاري"


def test_counted_days_give_a_day_precise_start():
    start, _ = find_period("قتل 12 خلال الأيام الثلاثة الماضية", MON_2023_06_12)
    assert (start.value, start.precision) == (date(2023, 6, 9), "day")


def test_period_without_publication_date():
    start, end = find_period("نفذت القوات 30 عملية منذ مطلع العام الجاري", NO_DATE)
    assert (start.value, start.precision) == (None, "unknown")
    assert (end.value, end.precision) == (None, "unknown")
    assert period("قتل 900 منذ 24 آذار 2019 وحتى يومنا هذا", NO_DATE) == ("2019-03-24", "unresolved")


# --------------------------------------------------------------------------- month headings

@pytest.mark.parametrize("line, ctx, expected", [
    ("كانون الثاني:", MON_2023_06_12, (2023, 1)),
    ("حزيران الجاري:", MON_2023_06_12, (2023, 6)),
    ("- شهر أيار", MON_2023_06_12, (2023, 5)),
    ("  أيار :  ", MON_2023_06_12, (2023, 5)),
    ("تموز:", MON_2023_06_12, (2022, 7)),          # after the publication month: the year before
    ("أيار الماضي:", MON_2023_06_12, (2023, 5)),
    ("حزيران الماضي:", MON_2023_06_12, (2022, 6)),
    ("نيسان/أبريل 2020:", MON_2023_06_12, (2020, 4)),
    ("نيسان 2020", NO_DATE, (2020, 4)),
    ("كانون الثاني:", NO_DATE, None),
    ("قتل خمسة في أيار", MON_2023_06_12, None),
    ("اعتقالات في دير الزور:", MON_2023_06_12, None),
    ("", MON_2023_06_12, None),
])
def test_section_month(line, ctx, expected):
    assert section_month(line, ctx) == expected


# --------------------------------------------------------------------------- lexicons

def test_month_lexicon_has_both_styles_for_every_month():
    with open(SEEDS_DIR / "lexicon_months.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    styles = {(int(r["month"]), r["style"]) for r in rows}
    assert styles == {(m, s) for m in range(1, 13) for s in ("levantine", "egyptian")}


def test_weekday_lexicon_covers_the_week():
    with open(SEEDS_DIR / "lexicon_weekdays.csv", encoding="utf-8") as f:
        assert {int(r["weekday"]) for r in csv.DictReader(f)} == set(range(7))


def test_a_date_word_is_a_seed_row(monkeypatch):
    """The grammar is built from seeds/lexicon_dates.csv: a new relative word ("المنقضي", elapsed) in
    the seed, and nothing else, makes "الشهر المنقضي" last month."""
    import ingest.extract.dates as dates

    def with_new_word(name):
        rows = read_seed(name)
        if name == "lexicon_dates.csv":
            rows.append({"category": "relative_word", "form": "المنقضي", "value": "past", "number": "", "note": ""})
        return rows

    def fresh():
        for cached in (dates._lexicon, dates._grammar, dates._find_hits):
            cached.cache_clear()

    text = "قتل 40 مدنيا خلال الشهر المنقضي"
    assert find_period(text, MON_2023_06_12) == (None, None)
    monkeypatch.setattr(dates, "read_seed", with_new_word)
    fresh()
    try:
        start, end = find_period(text, MON_2023_06_12)
        assert (start.value, end.value) == (date(2023, 5, 1), date(2023, 5, 31))
    finally:
        monkeypatch.undo()
        fresh()


# --------------------------------------------------------------------------- rule names, forward periods

@pytest.mark.parametrize("text, rule", [
    ("قتل مدني في 8 كانون الثاني", "day_month"),
    ("قتل مدني أمس", "relative_day"),
    ("قتل مدني قبل يومين", "ago"),
    ("قتل مدني يوم الخميس", "weekday"),
    ("قتل مدني يوم الخميس 16 شباط", "weekday_date"),
    ("قتل مدني في 1/2/2023", "numeric_dmy"),
    ("قتل مدني الشهر الماضي", "relative_period"),
])
def test_every_date_names_the_rule_that_read_it(text, rule):
    assert only_date(text, SUN_2023_02_19).rule == rule


def test_past_year_with_its_number_is_that_year():
    ref = only_date("قتل مدنيون منذ بداية العام الماضي 2022", DateContext(date(2023, 6, 12)))
    assert ref.value == date(2022, 1, 1)


def test_a_period_runs_forward_from_its_start():
    start, end = find_period("قتل 40 مدنياً منذ بداية العام الماضي 2022 وحتى 20 كانون الأول", DateContext(date(2023, 1, 5)))
    assert (start.value, end.value) == (date(2022, 1, 1), date(2022, 12, 20))


def test_day_of_the_current_month_after_publication_is_last_month():
    assert resolved("قتل مدني في 25 الجاري", DateContext(date(2023, 3, 3))) == ("2023-02-25", "day")


# --------------------------------------------------------------------------- how mentions are dated

from ingest.extract import extract_document  # noqa: E402

PUB = date(2023, 6, 12)   # a Monday


def dated(text, published=PUB):
    return [(m.event_date, m.date_basis, m.date_rule) for m in extract_document(text, "t", published)
            if m.scope == "incident"]


def test_stated_and_relative_bases():
    assert dated("قتل 3 مدنيين في قصف على إدلب في 8 حزيران.") == [("2023-06-08", "stated", "day_month")]
    assert dated("قتل 3 مدنيين في قصف على إدلب أمس.") == [("2023-06-11", "relative", "relative_day")]


def test_a_weekday_s_day_just_after_publication_is_dated_by_the_publication():
    # Monday 2 December 2024 in a post whose publication date is the day before (its incident's)
    assert dated("قتل 7 مدنيين في غارات على بلدة، يوم الاثنين 2 كانون الأول.", date(2024, 12, 1)) == [
        ("2024-12-01", "published", "weekday_date_published")]


def test_a_report_naming_no_day_is_dated_by_its_publication():
    assert dated("قتل 3 مدنيين في قصف على إدلب.") == [("2023-06-12", "published", "publication_date")]


def test_no_publication_date_no_published_basis():
    assert dated("قتل 3 مدنيين في قصف على إدلب.", published=None) == [(None, None, None)]


def test_a_report_that_names_its_day_leaves_background_undated():
    text = "قتل 3 مدنيين في قصف على إدلب أمس.\nوكان قصف سابق على المدينة قد أدى إلى مقتل 5 مدنيين."
    assert dated(text) == [("2023-06-11", "relative", "relative_day"), (None, None, None)]


def test_sentences_pointing_elsewhere_in_time_are_not_dated_by_publication():
    assert dated("وقتل يومها 5 مدنيين في قصف على إدلب.") == [(None, None, None)]
    assert dated("قتل 4 مدنيين في قصف على إدلب في 2009.") == [(None, None, None)]


def test_the_line_frame_carries_a_date_as_context():
    text = "قصفت قوات النظام أمس قرية في ريف إدلب، وقتل في القصف 3 مدنيين. وأصيب 5 آخرون بجروح."
    assert dated(text) == [("2023-06-11", "relative", "relative_day"), ("2023-06-11", "context", "line_frame")]


def test_a_future_date_never_dates_an_event():
    assert dated("قتل 3 مدنيين في قصف على إدلب الخميس المقبل.") == [(None, None, None)]


def test_a_named_weekday_decides_between_candidate_days():
    # published Monday 12 June; "أمس" is Sunday 11, the Thursday is 8 June
    assert dated("قتل 3 مدنيين أمس بعد قصف يوم الخميس على إدلب.")[0][0] == "2023-06-08"


def test_tallies_over_a_year_are_not_incidents():
    assert dated("قتل 300 مدني خلال عام 2022 في محافظة إدلب.") == []


def test_place_rules():
    ms = extract_document("قتل 3 مدنيين في قصف على قرية كفرنبل في ريف إدلب.", "t", PUB)
    assert [(m.admin1, m.place_rule) for m in ms] == [("SY-ID", "clause_place")]
    ms = extract_document("#حلب\nقتل 3 مدنيين في قصف صاروخي.", "t", PUB)
    assert [(m.admin1, m.place_rule) for m in ms] == [("SY-HL", "doc_governorate")]


def test_day_of_the_section_month_is_context():
    text = "حزيران 2023:\n- قتل 3 مدنيين في قصف على إدلب في 8 منه."
    assert [(m.event_date, m.date_basis, m.date_rule) for m in extract_document(text, "t", PUB)] == [
        ("2023-06-08", "context", "section_month")]


def test_an_ambiguous_place_takes_the_governorate_of_the_town_beside_it():
    # القحطانية is a town in al-Hasakah and one in Quneitra; القامشلي is only in al-Hasakah
    ms = extract_document("قتل مدني في قصف على بلدة القحطانية بريف القامشلي.", "t", PUB)
    assert [(m.place, m.admin1) for m in ms] == [("القحطانية", "SY-HA")]


def test_a_word_with_the_article_is_not_a_place_named_without_it():
    # "السلمي" (peaceful) is not the town سلمى once alef maksura is folded
    ms = extract_document("قتل مدني في التظاهر السلمي على الطريق العام.", "t", PUB)
    assert all(m.place is None for m in ms)


def test_a_span_of_years_does_not_date_an_incident():
    assert dated("وتتعرض البلدة لقصف منذ أكثر من عامين أدى إلى مقتل 3 مدنيين.") == [(None, None, None)]


def test_a_sentence_without_figures_sets_the_scene_for_the_next():
    text = "قصفت قوات النظام أمس بلدة كفرنبل بالمدفعية. وأدى القصف إلى مقتل 3 مدنيين."
    [m] = extract_document(text, "t", PUB)
    assert (m.event_date, m.date_basis, m.date_rule) == ("2023-06-11", "context", "line_frame")
    assert (m.admin1, m.place_rule) == ("SY-ID", "line_frame")


def test_a_headline_above_the_dated_lead_takes_the_lead_day():
    text = "6 ضحايا بقصف على بلدة في ريف إدلب\nلقي 6 مدنيين مصرعهم أمس في قصف مدفعي على بلدة في ريف إدلب."
    assert dated(text) == [("2023-06-11", "context", "headline_of_lead"), ("2023-06-11", "relative", "relative_day")]


def test_a_day_named_deep_in_the_text_does_not_date_the_headline():
    text = "مقتل 4 مدنيين بقصف على بلدة في ريف إدلب\n" + "وتشهد المنطقة تصعيداً مستمراً منذ أسابيع.\n" * 40 + \
        "وكان قصف سابق قد أدى إلى مقتل 4 مدنيين في 3 حزيران."
    assert dated(text)[0] == (None, None, None)


def test_a_headline_with_another_toll_keeps_no_day():
    # a day stated for another figure may be another event
    text = "مقتل 4 مدنيين بقصف على بلدة في ريف إدلب\nأصيب 7 مدنيين في 10 حزيران في قصف مدفعي على بلدة في ريف حلب."
    assert dated(text)[0] == (None, None, None)


def test_a_lead_above_todays_news_takes_its_day():
    # "صباح اليوم" below: the report's own news, which the lead above announces
    text = "أعدم مسلحون ثلاثة مدنيين في قرية بريف دير الزور.\nوقالت المصادر إن المسلحين قتلوا صباح اليوم شابين في القرية."
    assert dated(text)[0] == ("2023-06-12", "context", "headline_of_lead")


def test_a_toll_over_several_incidents_is_a_tally_of_its_day():
    got = [(m.scope, m.period_start, m.period_end) for m in
           extract_document("9 أشخاص قتلوا في ظروف مختلفة في 8 حزيران في مناطق سورية متفرقة.", "t", PUB)]
    assert got == [("tally", "2023-06-08", "2023-06-08")]
    got = [(m.scope, m.period_start) for m in extract_document("وأدت هذه الهجمات إلى مقتل 12 مدنياً.", "t", PUB)]
    assert got == [("tally", None)]


def test_a_restated_toll_takes_the_place_of_its_dated_statement():
    text = ("وقال الدفاع المدني إن القصف أدى إلى إصابة مدني بجروح.\nأصيب مدني أمس بقصف مدفعي على بلدة في ريف إدلب.\n"
            "وتشهد مدينة حلب هدوءاً حذراً.")   # two governorates: the post's one governorate does not decide
    first = extract_document(text, "t", PUB)[0]
    assert (first.event_date, first.admin1, first.place_rule) == ("2023-06-11", "SY-ID", "headline_of_lead")


def test_a_toll_restated_further_down_takes_the_day_of_its_lead():
    text = ("قتل 5 مدنيين أمس بقصف مسيرة على منزل في قرية بريف الرقة.\nوأضاف المصدر أن القصف استهدف منزل العائلة.\n"
            "وأكدت مصادر محلية مقتل 5 أفراد من العائلة نفسها.")
    assert dated(text)[-1] == ("2023-06-11", "context", "restated_toll")


def test_a_toll_told_only_later_does_not_date_an_earlier_one():
    text = ("قتل 5 مدنيين أمس بقصف على بلدة في ريف إدلب.\nوقال الدفاع المدني إن الضحايا طفلان وامرأتان ورجل.\n"
            "وكان شخصان لقيا مصرعهما في قصف على مزرعة في 3 حزيران.")
    got = dated(text)
    assert got[1][0] is None   # the two children: not the day of the two killed on the farm


def test_a_running_total_dates_the_figures_it_raises():
    """"وبذلك ترتفع حصيلة القتلى، منذ أمس الأحد 11 حزيران، إلى 9": the figures told before it (the dead it adds
    up, the injured beside them) are of its day; a figure above the total is not one of its parts."""
    text = ("قتل 3 مدنيين وأصيب 6 بجروح، إثر قصف مدفعي على بلدة الأتارب غرب حلب.\n"
            "كما قتلت امرأة نتيجة قصف على قرية في ريف إدلب.\n"
            "وبذلك، ترتفع حصيلة القتلى منذ أمس الأحد 11 حزيران إلى 9 قتلى في ريف إدلب.")
    got = dated(text)
    assert got[:3] == [("2023-06-11", "context", "raised_by_running_total")] * 3
    above = dated("قتل 12 مدنياً في قصف على بلدة في ريف إدلب.\n"
                  "وبذلك، ترتفع حصيلة القتلى منذ أمس الأحد 11 حزيران إلى 9 قتلى في ريف إدلب.")
    assert above[0][2] != "raised_by_running_total"


def test_the_toll_of_a_campaign_ongoing_for_a_month_is_a_tally():
    """"الهجمات المستمرة منذ قرابة شهر": how long they have lasted, not "a month ago"."""
    got = extract_document("قصفت القوات اليوم قرى في ريف إدلب، ضمن حملة القصف المستمرة منذ نحو شهر التي خلّفت "
                           "مقتل أكثر من 60 مدنياً.", "t", PUB)
    assert [(m.scope, m.period_end) for m in got] == [("tally", "2023-06-12")]
    got = extract_document("قتل طفل بقصف على بلدة في ريف إدلب اليوم. وأصيب 4 مدنيين جراء القصف المتواصل على القرى "
                           "منذ قرابة أسبوع.", "t", PUB)
    assert [m.scope for m in got] == ["incident", "tally"]   # (a sentence further down the text too)
    got = extract_document("قتل شاب برصاص مجهولين في ريف درعا منذ نحو شهر.", "t", PUB)
    assert [m.scope for m in got] == ["incident"]   # no ongoing word: a month ago


def test_a_pluperfect_sentence_tells_an_earlier_event():
    """"وكانت قوات النظام قد قصفت ...": background, neither the day of the line nor the publication day; an
    earlier report of the news ("وكان المرصد قد وثق") or a sentence about "the attack" keeps the day."""
    lead = "قتل طفل بقصف على بلدة في ريف إدلب أمس. "
    assert dated(lead + "وكانت قوات النظام قد قصفت قرية مجاورة بالمدفعية ما أدى لمقتل 4 مدنيين.")[1] == (None, None, None)
    assert dated("وكانت قوات النظام قد قصفت قرية في ريف إدلب ما أدى لمقتل 4 مدنيين.") == [(None, None, None)]
    assert dated(lead + "وكان المرصد قد وثق في وقت سابق مقتل 3 مدنيين في البلدة.")[1][0] == "2023-06-11"
    assert dated(lead + "وكان القصف قد أدى إلى إصابة 4 آخرين.")[1][0] == "2023-06-11"


def test_a_round_up_heading_gives_its_items_its_day_and_victims():
    text = "وثق المرصد مقتل مدنيين يوم 8 حزيران على النحو التالي:\n- 3 في ريف إدلب\n- 2 في ريف حلب"
    got = [(m.count, m.victim, m.event_date, m.date_rule) for m in extract_document(text, "t", PUB)]
    assert got[0] == (3, "civilians", "2023-06-08", "list_heading")


def test_a_toll_of_several_attacks_is_a_tally():
    got = extract_document("استجابت الفرق لـ 27 هجوماً بالصواريخ الموجهة أدت لمقتل 5 مدنيين.", "t", PUB)
    assert [m.scope for m in got] == ["tally"]
    got = extract_document("استهدفت القوات بـ 5 قذائف قرية في ريف إدلب ما أدى لمقتل مدني.", "t", PUB)
    assert [m.scope for m in got] == ["incident"]


def test_tolls_of_the_attacks_or_of_years_are_tallies():
    for text in ("وأسفرت الهجمات بحسب الدفاع المدني عن مقتل أكثر من 90 شخصاً.",
                 "وتمارس القوات القتل منذ 11 عاماً وقتلت 90 مدنياً.",
                 "وشهد العام الماضي سقوط قرابة 65 قتيلاً من المسلحين."):
        assert [m.scope for m in extract_document(text, "t", PUB)] == ["tally"], text


def test_opening_look_ahead_changes_no_match():
    """Every date pattern carries a look-ahead for the characters its matches open with (dates._opening):
    on the bundled corpus each finds what the pattern without it finds, and the rules' patterns all have one."""
    import re

    from ingest import BUNDLED_CORPUS
    from ingest.corpus import corpus_files, read_document
    from ingest.extract import dates
    from ingest.extract.text import clean_text

    grammar = dates._grammar()
    patterns = [r.pattern for r in grammar.rules] + [getattr(grammar, name) for name in (
        "section_heading", "period_end_now", "period_until", "start_marker", "unresolved_start",
        "counted_span", "month_preposition", "year_preposition", "dual_context")]
    assert all(p.pattern.startswith("(?=[") for p in patterns)
    docs = (read_document(path) for path in corpus_files(BUNDLED_CORPUS))
    lines = [line for d in docs if d.status == "loaded"
             for line in dates._fold_keeping_offsets(clean_text(d.body).clean).split("\n") if line.strip()]
    assert len(lines) > 200
    for pattern in patterns:
        bare = re.compile(pattern.pattern[re.match(r"\(\?=\[[^\]]*\]\)", pattern.pattern).end():])
        for line in lines:
            assert ([(m.span(), m.groups()) for m in pattern.finditer(line)]
                    == [(m.span(), m.groups()) for m in bare.finditer(line)]), (pattern.pattern[:60], line)
