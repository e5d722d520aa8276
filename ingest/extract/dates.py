"""Find and resolve the date expressions of Arabic news sentences (MENTIONS.md, "Rules").

The extractor hands us a cleaned sentence (no diacritics/tatweel, Western digits) and the
article's publication date; we return every date expression with its character span, the
date it denotes and how precise that is.

Why regexes over a lexicon rather than `dateparser`: the extractor needs, for every
expression, its span, a precision and a kind, and news Arabic is full of forms dateparser
does not parse ("8 كانون الثاني", "العاشر من فبراير", "16 الشهر الماضي", "أول من أمس",
"السبت الماضي", "آذار 2019", doubled "مارس/آذار") or parses without telling how vague the
result is ("الشهر الماضي" -> a single day). The vocabulary lives in seeds so it can be extended
without touching code: month and weekday names (seeds/lexicon_months.csv, lexicon_weekdays.csv)
and every closed word list of the grammar, one named category each (seeds/lexicon_dates.csv:
relative words, relative days, day parts, ordinal days, duration units, period markers...). The
grammar that combines them (the named rules of `_grammar`) is small and lives here.

Resolution conventions (documented in tests/test_dates.py too):
- `value` is the date meant; for precision 'month' / 'year' it is the first day of that
  month / year, except for *approximate days* ("قبل أسبوع", "قبل أيام"), which keep the
  best-guess day with precision 'month'.
- A weekday named with "أمس"/"اليوم" decides when they disagree: "أمس الأحد" published on a
  Sunday is that Sunday (rule 'relative_day_weekday', precision 'day'); the weekday is written
  on purpose, the relative word often survives from a wire story of the day before.
- A day and month without a year take the publication year, or the year before when that
  date would fall after publication; a month alone likewise.
- Without a publication date, relative expressions (and absolute ones lacking a year)
  resolve to value None, precision 'unknown'.
"""
from __future__ import annotations

import calendar
import re
from re import _constants as _sre, _parser as _sre_parse   # (the parsed pattern: what its matches open with)
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable, Optional

from .lexicons import read_seed
from .text import normalize_form

__all__ = ["DateRef", "DateContext", "DateRuleError", "find_dates", "find_period", "section_month"]


@dataclass(frozen=True)
class DateRef:
    start: int            # char offsets of the expression in the given text
    end: int
    value: date | None    # resolved date (first day of month/year for coarser precisions); None if unresolvable
    precision: str        # 'day' | 'month' | 'year' | 'unknown'
    kind: str             # 'absolute' | 'relative' | 'weekday' | 'month_only' | 'period_start' | 'period_end'
    rule: str = ""        # name of the grammar rule that read it (_Grammar.rules), for Mention.date_rule


@dataclass(frozen=True)
class DateContext:
    published: date | None
    section_month: tuple[int, int] | None = None   # (year, month) of an enclosing dated section


# --------------------------------------------------------------------------- normalising

# One normaliser for text, lexicon forms and patterns (text.normalize_form). Patterns and seed
# forms get the full form; the sentence keeps its offsets (it is already cleaned, and every
# expression is reported by its span in it).
@lru_cache(maxsize=64)   # (a sentence is folded for its dates, then again for its period: once is enough)
def _fold_keeping_offsets(text: str) -> str:
    return normalize_form(text, keep_offsets=True)


def _key(phrase: str) -> str:
    """Lookup key of a matched phrase: folded, all whitespace removed."""
    return re.sub(r"\s+", "", normalize_form(phrase))


def _alternation(forms, gap: str = r"\s*") -> str:
    """Regex alternation of (folded) phrases, longest first; `gap` between the words of a phrase
    (month names are also written run together: "كانون الثاني" / "كانونالثاني")."""
    parts = sorted({normalize_form(f).strip() for f in forms}, key=len, reverse=True)
    return "|".join(gap.join(re.escape(w) for w in p.split()) if " " in p else re.escape(p)
                    for p in parts)


def _gate(forms) -> tuple[str, ...]:
    """Substrings one of which every phrase of `forms` holds: the one-word phrases, then the first
    word of each longer phrase that holds none of them (a cheap filter before the pattern runs)."""
    folded = sorted({normalize_form(f).strip() for f in forms}, key=lambda p: (" " in p, len(p), p))
    gate: list[str] = []
    for phrase in folded:
        if not any(word in phrase for word in gate):
            gate.append(phrase.split()[0])
    return tuple(gate)


_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT)
_CLASS_CATEGORIES = {_sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_SPACE: r"\s"}
_MAX_RANGE = 512   # (a wider range of openings is no filter worth having)


def _opening(pattern: str) -> str:
    """A look-ahead for the characters a match of `pattern` can open with, to put in front of it. The date
    patterns open with look-behinds (a word start, a clitic before it), and a pattern that opens so is tried
    in full at every position of a sentence; one class test rejects most positions at once. Empty when no
    short class holds every opening (any character may open a match, or the pattern may match nothing)."""
    chars, complete = _openings(_sre_parse.parse(pattern))
    if chars is None or not complete:
        return ""
    return "(?=[" + "".join(sorted(c if c in _CLASS_CATEGORIES.values() else re.escape(c) for c in chars)) + "])"


def _openings(items) -> tuple[set[str] | None, bool]:
    """(the characters or class escapes the sequence of parsed items can open with, whether it must consume
    one); None when they cannot be listed."""
    out: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is _sre.LITERAL:
            return out | {chr(av)}, True
        if op is _sre.IN:
            chars = _class_openings(av)
            return (None if chars is None else out | chars), True
        if op is _sre.SUBPATTERN:
            parts = [av[3]]
        elif op is _sre.BRANCH:
            parts = av[1]
        elif op in _REPEATS:
            parts = [av[2]]
        else:   # any character, a back reference...: not listed
            return None, True
        consumes = True
        for part in parts:
            chars, must = _openings(part)
            if chars is None:
                return None, True
            out |= chars
            consumes = consumes and must
        if op in _REPEATS and av[0] == 0:
            consumes = False
        if consumes:
            return out, True
    return out, False


def _class_openings(items) -> set[str] | None:
    out: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            out.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < _MAX_RANGE:
            out.update(map(chr, range(av[0], av[1] + 1)))
        elif op is _sre.CATEGORY and av in _CLASS_CATEGORIES:
            out.add(_CLASS_CATEGORIES[av])
        else:
            return None
    return out


# --------------------------------------------------------------------------- lexicons

@dataclass(frozen=True)
class _Lexicon:
    """The date vocabulary: month and weekday names (lexicon_months.csv, lexicon_weekdays.csv) and
    the closed word lists of the grammar (lexicon_dates.csv, one category per list)."""
    months: dict[str, int]                    # key -> month number
    weekdays: dict[str, int]                  # key -> weekday (Monday=0)
    forms: dict[str, tuple[str, ...]]         # category ('month', 'weekday' too) -> forms as written
    values: dict[str, dict[str, str]]         # category -> key -> value column
    numbers: dict[str, dict[str, int | None]]  # category -> key -> number column (None when blank)

    def alternation(self, category: str, gap: str = r"\s*") -> str:
        return _alternation(self.forms[category], gap)

    def forms_valued(self, category: str, value: str) -> list[str]:
        return [f for f in self.forms[category] if self.values[category][_key(f)] == value]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    forms: dict[str, list[str]] = {}
    values: dict[str, dict[str, str]] = {}
    numbers: dict[str, dict[str, int | None]] = {}
    for row in read_seed("lexicon_dates.csv"):
        category, key = row["category"], _key(row["form"])
        forms.setdefault(category, []).append(row["form"])
        values.setdefault(category, {})[key] = row["value"]
        numbers.setdefault(category, {})[key] = int(row["number"]) if row["number"] else None
    months, weekdays = read_seed("lexicon_months.csv"), read_seed("lexicon_weekdays.csv")
    forms["month"] = [r["form"] for r in months]
    forms["weekday"] = [r["form"] for r in weekdays]
    return _Lexicon(
        months={_key(r["form"]): int(r["month"]) for r in months},
        weekdays={_key(r["form"]): int(r["weekday"]) for r in weekdays},
        forms={c: tuple(fs) for c, fs in forms.items()}, values=values, numbers=numbers)


def _value(category: str, phrase: str | None) -> str | None:
    return _lexicon().values[category].get(_key(phrase)) if phrase else None


def _number(category: str, phrase: str) -> int | None:
    return _lexicon().numbers[category].get(_key(phrase))


# "اليوم التالي"، "اليوم الأول من الحملة"، "اليوم نفسه": a day of some other story, not today.
# (grammar: the article or "the same" right after اليوم)
_OTHER_DAY = re.compile(normalize_form(r"\s+(?:ال|نفسه|ذاته)"))


# --------------------------------------------------------------------------- patterns

@dataclass(frozen=True)
class _Hit:
    """One expression found: the public ref plus the interval it covers (for periods)."""
    ref: DateRef
    first: date | None = None     # first day of the interval the expression names
    last: date | None = None      # last day of it
    weekday: int | None = None    # the weekday named, for weekday expressions


_Handler = Callable[[re.Match, str, DateContext], Optional[_Hit]]


class DateRuleError(RuntimeError):
    """A bug in one date rule: the loader quarantines the document with this message (rule and words)."""


@dataclass(frozen=True)
class _Rule:
    name: str                 # stored as Mention.date_rule
    gate: tuple[str, ...]     # folded substrings; the rule can only match text holding one of them
    pattern: re.Pattern
    handler: _Handler
    holds: re.Pattern | None = None   # a part of the pattern every match holds (a month name, a unit...)

    def hits(self, folded: str, ctx: DateContext):
        if _may_hold(self.gate, self.holds, folded):
            for match in self.pattern.finditer(folded):
                hit = self._read(match, folded, ctx)
                if hit is not None:
                    yield hit if hit.ref.rule else replace(hit, ref=replace(hit.ref, rule=self.name))

    def _read(self, match: re.Match, folded: str, ctx: DateContext) -> _Hit | None:
        try:
            return self.handler(match, folded, ctx)
        except Exception as error:  # noqa: BLE001 -- never swallowed: raised again, naming the rule and the words
            raise DateRuleError(f"date rule {self.name!r} failed on {match.group()!r}: "
                                f"{type(error).__name__}: {error}") from error


@lru_cache(maxsize=16)   # (rules that share a gate, the month rules, ask about the same sentence in turn)
def _may_hold(gate: tuple[str, ...], part: re.Pattern | None, folded: str) -> bool:
    """Substring tests are far cheaper than running a rule's pattern over every sentence, and a search for
    one part of it ("آب" is in many words, the month only before a word's end) cheaper than the whole."""
    return any(map(folded.__contains__, gate)) and (part is None or part.search(folded) is not None)


@dataclass(frozen=True)
class _Grammar:
    rules: tuple[_Rule, ...]
    section_heading: re.Pattern
    period_end_now: re.Pattern
    period_until: re.Pattern
    start_marker: re.Pattern
    unresolved_start: re.Pattern
    counted_span: re.Pattern
    weekday_date_gap: re.Pattern
    month_preposition: re.Pattern   # a bare month name counts as a date after one of these
    year_preposition: re.Pattern    # a bare 4-digit number is a year only after these
    dual_context: re.Pattern        # "بين الاثنين" = "between the two"


# The patterns below are built from the seed word lists (lexicon_dates.csv and the month and weekday
# lexicons: `words(category)`). The Arabic left in them is grammar, not vocabulary: the clitics و ف ب ل ك,
# the article ال, the prepositions that join a date's parts (من، في، خلال، منذ), the noun شهر/يوم that
# may precede a month or weekday name, the demonstratives of "الشهر نفسه"-like phrases, and the fixed
# words of single constructions ("الموافق" joining a weekday to its date, "حتى تاريخ"، "حتى لحظة ...",
# "من الآن"); a new word of an existing kind is a seed row, a new construction is a new pattern here.
@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    f = normalize_form
    lex = _lexicon()

    spaced = r"\s+"

    def words(category: str, gap: str = spaced) -> str:
        return f"(?:{lex.alternation(category, gap)})"

    word_start = r"(?:(?<!\w)|(?<=(?<!\w)[وفبلك])|(?<=(?<!\w)[وف][بلك]))"  # allow و ف ب ل ك clitics
    after_wa_fa = r"(?:(?<!\w)|(?<=(?<!\w)[وف]))"                          # allow و ف only
    tight = r"\s*"     # month names and the like are also written run together ("كانونالثاني")
    month = words("month", tight) + r"(?!\w)"
    weekday = words("weekday", tight) + r"(?!\w)"
    ordinal = words("day_ordinal", tight) + r"(?!\w)"
    past_current_next = words("relative_word", tight) + r"(?!\w)"
    edges = words("period_edge", tight)
    day_part = words("day_part", tight)
    # "عام"/"سنة" with or without the article: the calendar_unit rows of value 'year', article dropped
    year_nouns = [form.removeprefix(f("ال")) for form in map(f, lex.forms_valued("calendar_unit", "year"))]
    year_word = rf"(?:ال)?(?:{_alternation(year_nouns)})"
    this_year = _alternation(lex.forms_valued("this_period", "year"), spaced)

    month_group = (rf"(?:(?P<shahr>شهر)\s+)?(?P<m1>{month})"
                   rf"(?:\s*(?:/|\()\s*(?:شهر\s+)?(?P<m2>{month})(?:\s*\))?)?")
    month_rel = rf"(?:\s+(?P<mrel>{past_current_next}))?"
    year_tail = (rf"(?:\s*[/\-,،]?\s*(?:من\s+)?(?:"
                 rf"(?:{year_word}\s*)?(?P<y>(?:19|20)\d\d)م?(?!\w)"
                 rf"|(?P<yrel>(?:{year_word}\s+{past_current_next})|{this_year})))?")
    number_day = r"(?P<dn>(?<!\d)[0-3]?\d(?!\d))"
    # "الشهر نفسه"، "هذا الشهر"، "الجاري" after a day: the month is not named
    same_or_this_month = lex.forms["same_month_reference"] + tuple(lex.forms_valued("this_period", "month"))
    unnamed_month = (rf"(?:ال)?شهر\s+(?P<shrel>{past_current_next})"
                     rf"|{_alternation(same_or_this_month, spaced)}|{words('current_month_word')}")

    def c(pattern: str) -> re.Pattern:
        folded = f(pattern)
        return re.compile(_opening(folded) + folded)

    def gate(*words: str) -> tuple[str, ...]:
        return tuple(f(w) for w in words)

    month_words = tuple({f(form).split()[0] for form in lex.forms["month"]})
    weekday_words = tuple({f(form) for form in lex.forms["weekday"]})
    count_words = _alternation(lex.forms["count_word"] + lex.forms["vague_count_word"])
    numeric_date_part = re.compile(r"\d\s*[/.\-]\s*\d")   # "5/3"، "2023-03": day and month, year and month
    month_name = c(month)

    rules = (
        # "8 كانون الثاني"، "24 مارس/آذار 2019"، "العاشر من فبراير"، "4 حزيران الجاري"، "05 / نوفمبر / 2024"
        _Rule("day_month", month_words,
              c(rf"{word_start}(?:{number_day}(?:\s+من)?(?:\s*[/\-]\s*|\s+)|(?P<do>{ordinal})\s+من\s+)"
                rf"{month_group}{month_rel}{year_tail}"),
              _day_month, holds=month_name),
        # "16 الشهر الماضي"، "الخامس من الشهر الجاري"، "في 8 منه"، "يوم 5 الجاري"
        _Rule("day_relative_month", gate("شهر") + _gate(same_or_this_month + lex.forms["current_month_word"]),
              c(rf"{word_start}(?:{number_day}(?:\s+من)?\s+|(?P<do>{ordinal})\s+(?:من\s+)?(?=من|ال?شهر|هذا|نفس))"
                rf"(?P<rel>{unnamed_month})(?!\w)"),
              _day_relative_month, holds=c(rf"(?:{unnamed_month})(?!\w)")),
        # "1/3/2023"، "1-3-2023" (day first, as Arabic writes it)
        _Rule("numeric_dmy", gate("/", "-", "."),
              c(r"(?<!\d)(?<!\d[/.\-])(?P<dn>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<mn>\d{1,2})\s*(?P=sep)\s*"
                r"(?P<y>(?:19|20)\d\d)(?!\d)(?![/.\-]\d)"),
              _numeric_date, holds=numeric_date_part),
        # "2023-03-01"
        _Rule("numeric_ymd", gate("/", "-", "."),
              c(r"(?<!\d)(?<!\d[/.\-])(?P<y>(?:19|20)\d\d)(?P<sep>[/.\-])(?P<mn>\d{1,2})(?P=sep)(?P<dn>\d{1,2})"
                r"(?!\d)(?![/.\-]\d)"),
              _numeric_date, holds=numeric_date_part),
        # "آذار 2019"، "شهر أيار"، "حزيران الجاري"، "بداية شهر يناير/كانون الثاني الجاري"
        _Rule("month_only", month_words,
              c(rf"{word_start}(?:(?P<edge>{edges})\s+)?{month_group}{month_rel}{year_tail}"),
              _month_only, holds=month_name),
        # "عام 2019"، "مطلع 2021"، "مطلع العام 2021"
        _Rule("year_only", gate("19", "20"),
              c(rf"{word_start}(?:(?P<edge>{edges})\s+)?(?:(?P<yw>{year_word})\s*)?(?P<y>(?:19|20)\d\d)م?(?!\w)"),
              _year_only),
        # "أمس"، "أول من أمس الجمعة"، "مساء أمس"، "فجر اليوم"، "اليوم الأحد"
        _Rule("relative_day", _gate(lex.forms["relative_day"]),
              c(rf"{word_start}(?:(?P<part>{day_part})\s+)?(?:يوم\s+)?"
                rf"(?P<rd>{words('relative_day')})(?!\w)"
                rf"(?:[\s،,]+(?:يوم\s+)?(?P<wd>{weekday}))?"),
              _relative_day),
        # "الليلة الماضية"
        _Rule("last_night", _gate(lex.forms["last_night"]),
              c(rf"{after_wa_fa}{words('last_night')}(?!\w)"),
              _last_night),
        # "قبل يومين"، "قبل ثلاثة أيام"، "منذ أسبوع"، "قبل أيام قليلة"، "قبل أسبوع من الآن"
        # (not "قبل يوم من الهجوم": that counts back from another event)
        _Rule("ago", _gate(lex.forms["ago_marker"]),
              c(rf"{word_start}{words('ago_marker')}\s+(?P<q>{words('approximate_qualifier')}\s+)?"
                rf"(?:(?P<n>\d{{1,3}}|{count_words})\s+)?(?P<unit>{lex.alternation('duration_unit')})(?!\w)"
                rf"(?:\s+(?P<few>{words('vague_count_after')}))?(?:\s+من\s+الآن)?(?!\s*(?:\d|{month}|من\s))"),
              _ago, holds=c(rf"(?:{lex.alternation('duration_unit')})(?!\w)")),
        # "الشهر الماضي"، "العام الجاري"، "هذا الشهر"، "مطلع العام"، "الأسبوع الماضي"
        _Rule("relative_period", _gate(lex.forms["calendar_unit"]),
              c(rf"{word_start}(?:(?P<edge>{edges})\s+)?"
                rf"(?:(?P<unit>{lex.alternation('calendar_unit')})(?:\s+(?P<rel>{past_current_next}))?"
                rf"(?:\s+(?P<y>(?:19|20)\d\d)(?!\d))?(?!\s*\d)"
                rf"|(?P<this>{lex.alternation('this_period', spaced)}))(?!\w)"),
              _relative_period),
        # "الخميس"، "يوم الجمعة"، "مساء الخميس"، "ليل الجمعة السبت"، "السبت الماضي"
        _Rule("weekday", weekday_words,
              c(rf"{word_start}(?:(?P<part>{day_part})\s+)?(?:يوم\s+)?(?P<wd>{weekday})"
                rf"(?:\s*[-–/]?\s*(?P<wd2>{weekday}))?(?:\s+(?P<rel>{past_current_next}))?"),
              _weekday),
    )

    end_marker = f(rf"{after_wa_fa}{words('period_end_marker')}\s+(?:تاريخ\s+)?")
    count_word = lex.forms["count_word"]
    return _Grammar(
        rules=rules,
        section_heading=c(rf"[\s\-–—•*·:]*(?:(?:خلال|في)\s+)?{month_group}{month_rel}{year_tail}\s*[:：\-–]?\s*"),
        # "حتى لحظة كتابة التقرير": any word after لحظة, so a pattern rather than a seed phrase
        period_end_now=c(end_marker + rf"(?:{lex.alternation('until_now', spaced)}|لحظة\s+\w+)(?!\w)"),
        period_until=c(end_marker + r"$"),
        start_marker=c(rf"{after_wa_fa}(?P<kw>{lex.alternation('period_start_marker', spaced)})\s*$"),
        # "خلال الأسبوع الأول من الحملة"، "منذ اندلاع الثورة": a period named by an event
        unresolved_start=c(rf"{after_wa_fa}(?:(?:خلال|في)\s+(?:ال)?{words('opening_span_unit')}\s+"
                           rf"{words('first_ordinal')}"
                           rf"|منذ\s+{words('event_onset')})\s+(?:من\s+)?(?!\d)\w+"),
        counted_span=c(rf"{after_wa_fa}(?:خلال|في)\s+(?:ال)?(?:(?P<n1>\d{{1,3}})\s+)?"
                       rf"(?P<unit>{lex.alternation('counted_span_unit')})(?:\s+(?P<n2>"
                       rf"{_alternation([f('ال') + w for w in count_word] + list(count_word))}))?"
                       rf"\s+(?:{past_current_next}|{lex.alternation('recent_word')})(?!\w)"),
        weekday_date_gap=c(r"[\s،,]*(?:الموافق\s*)?(?:في\s+)?"),
        month_preposition=c(rf"(?<!\w)[وف]?{words('month_preposition')}\s*$"),
        year_preposition=c(rf"(?<!\w)[وف]?{words('year_preposition')}\s*$"),
        dual_context=c(rf"{words('dual_context')}\s+$"),
    )


# --------------------------------------------------------------------------- resolution helpers

def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _weekday_on_or_before(published: date, weekday: int, strictly: bool = False) -> date:
    back = (published.weekday() - weekday) % 7
    if strictly and back == 0:
        back = 7
    return published - timedelta(days=back)


def _weekday_after(published: date, weekday: int) -> date:
    ahead = (weekday - published.weekday()) % 7
    return published + timedelta(days=ahead or 7)


def _direction(word: str | None) -> str | None:
    return _value("relative_word", word)


def _unresolved(m: re.Match, kind: str) -> _Hit:
    return _Hit(DateRef(m.start(), m.end(), None, "unknown", kind))


def _month_hit(start: int, end: int, year: int, month: int, kind: str) -> _Hit:
    return _Hit(DateRef(start, end, date(year, month, 1), "month", kind),
                date(year, month, 1), _last_day(year, month))


def _day_hit(start: int, end: int, day: date, kind: str, precision: str = "day") -> _Hit:
    return _Hit(DateRef(start, end, day, precision, kind), day, day)


def _year_for_named_month(month: int, direction: str | None, explicit_year: int | None,
                          year_direction: str | None, ctx: DateContext) -> int | None:
    """Year of a month named without a full date ("آذار 2019", "أيار الماضي", "حزيران")."""
    if explicit_year:
        return explicit_year
    pub = ctx.published
    if year_direction:
        if pub is None:
            return None
        return pub.year + {"past": -1, "current": 0, "next": 1}[year_direction]
    if ctx.section_month and ctx.section_month[1] == month and direction in (None, "current"):
        return ctx.section_month[0]
    return _year_of_month_near(pub, month, direction) if pub else None


def _year_of_month_near(pub: date, month: int, direction: str | None) -> int:
    """The year of `month` seen from publication: "الماضي" the last one before it, "المقبل" the next one
    after it, "الجاري" this year's; a bare month is the latest one up to publication."""
    if direction == "current":
        return pub.year
    if direction == "past":
        return pub.year if month < pub.month else pub.year - 1
    if direction == "next":
        return pub.year if month > pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def _explicit_year(m: re.Match) -> int | None:
    return int(m.group("y")) if m.group("y") else None


def _year_direction(m: re.Match) -> str | None:
    yrel = m.group("yrel")
    if not yrel:
        return None
    if _value("this_period", yrel):        # "هذا العام"
        return "current"
    return _direction(yrel.split()[-1])


def _month_number(m: re.Match) -> int:
    return _lexicon().months[_key(m.group("m1"))]


# --------------------------------------------------------------------------- rule handlers

def _day_of(m: re.Match) -> int:
    if m.group("dn"):
        return int(m.group("dn"))
    return _number("day_ordinal", m.group("do"))


def _day_month(m: re.Match, text: str, ctx: DateContext) -> _Hit | None:
    day, month = _day_of(m), _month_number(m)
    if not 1 <= day <= 31:
        return None
    explicit_year, year_direction = _explicit_year(m), _year_direction(m)
    direction = _direction(m.group("mrel"))
    if explicit_year or year_direction or direction:
        year = _year_for_named_month(month, direction, explicit_year, year_direction, ctx)
    elif ctx.section_month and ctx.section_month[1] == month:
        year = ctx.section_month[0]
    elif ctx.published:
        year = ctx.published.year
        candidate = _safe_date(year, month, day)
        if candidate and candidate > ctx.published:
            year -= 1
    else:
        year = None
    if year is None:
        return _unresolved(m, "absolute")
    resolved = _safe_date(year, month, day)
    if resolved is None:          # "31 شباط": not a date
        return None
    return _day_hit(m.start(), m.end(), resolved, "absolute")


def _day_relative_month(m: re.Match, text: str, ctx: DateContext) -> _Hit | None:
    day = _day_of(m)
    if not 1 <= day <= 31:
        return None
    shrel = m.group("shrel")
    if _key(m.group("rel")) in _lexicon().values["same_month_reference"]:
        # "في 8 منه": the month of the enclosing section, if the caller knows it.
        if not ctx.section_month:
            return _unresolved(m, "absolute")
        year, month = ctx.section_month
        resolved = _safe_date(year, month, day)
        # the month is the enclosing section's, not the sentence's: the rule says so
        return _Hit(DateRef(m.start(), m.end(), resolved, "day", "absolute", "section_month"),
                    resolved, resolved) if resolved else None
    else:
        direction = _direction(shrel) or "current"   # "هذا الشهر"، "الجاري"، "الحالي"
        if ctx.published is None:
            if direction == "current" and ctx.section_month:
                year, month = ctx.section_month
            else:
                return _unresolved(m, "absolute")
        else:
            offset = {"past": -1, "current": 0, "next": 1}[direction]
            year, month = _shift_month(ctx.published.year, ctx.published.month, offset)
            if direction == "current" and day > ctx.published.day:
                # "في 25 الجاري" in a report of the 3rd cannot be a future event: the report was
                # written last month and published late, so the day belongs to the month before
                year, month = _shift_month(year, month, -1)
    resolved = _safe_date(year, month, day)
    return _day_hit(m.start(), m.end(), resolved, "absolute") if resolved else None


def _numeric_date(m: re.Match, text: str, ctx: DateContext) -> _Hit | None:
    resolved = _safe_date(int(m.group("y")), int(m.group("mn")), int(m.group("dn")))
    return _day_hit(m.start(), m.end(), resolved, "absolute") if resolved else None


def _month_only(m: re.Match, text: str, ctx: DateContext) -> _Hit | None:
    month = _month_number(m)
    direction = _direction(m.group("mrel"))
    explicit_year, year_direction = _explicit_year(m), _year_direction(m)
    strong_context = any((m.group("shahr"), m.group("m2"), direction, explicit_year, year_direction,
                          m.group("edge")))
    if not strong_context:
        after_preposition = _grammar().month_preposition.search(text, max(0, m.start() - 12), m.start())
        # Month forms that are also everyday words (مارس "he practised", أب "father" once hamza is
        # folded): alone they count as a month only with a day, a year, "شهر" or a doubled form.
        if _key(m.group("m1")) in _lexicon().values["ambiguous_month_form"] or not after_preposition:
            return None
    year = _year_for_named_month(month, direction, explicit_year, year_direction, ctx)
    if year is None:
        return _unresolved(m, "month_only")
    return _month_hit(m.start(), m.end(), year, month, "month_only")


def _year_only(m: re.Match, text: str, ctx: DateContext) -> _Hit | None:
    year, edge = int(m.group("y")), m.group("edge")
    if not (edge or m.group("yw") or _grammar().year_preposition.search(text, max(0, m.start() - 12), m.start())):
        return None   # a bare 4-digit number is more often a count than a year
    first, last = date(year, 1, 1), date(year, 12, 31)
    if _value("period_edge", edge) == "start":     # "مطلع 2021" = January
        return _Hit(DateRef(m.start(), m.end(), first, "month", "absolute"), first, date(year, 1, 31))
    if _value("period_edge", edge) == "end":
        return _Hit(DateRef(m.start(), m.end(), date(year, 12, 1), "month", "absolute"), date(year, 12, 1), last)
    return _Hit(DateRef(m.start(), m.end(), first, "year", "absolute"), first, last)


def _relative_day(m: re.Match, text: str, ctx: DateContext) -> _Hit | None:
    days_back = _number("relative_day", m.group("rd"))
    if days_back == 0 and not m.group("wd") and not m.group("part") and _OTHER_DAY.match(text, m.end()):
        return None
    if ctx.published is None:
        return _unresolved(m, "relative")
    resolved = ctx.published - timedelta(days=days_back)
    if m.group("wd"):
        weekday = _lexicon().weekdays[_key(m.group("wd"))]
        if resolved.weekday() != weekday:
            # The weekday contradicts the relative word. Trust the weekday: it is named on purpose,
            # while "أمس" often survives from a wire story written a day before publication.
            guess = _weekday_on_or_before(ctx.published, weekday)
            hit = _day_hit(m.start(), m.end(), guess, "weekday")
            return replace(hit, ref=replace(hit.ref, rule="relative_day_weekday"), weekday=weekday)
    return _day_hit(m.start(), m.end(), resolved, "relative")


def _last_night(m: re.Match, text: str, ctx: DateContext) -> _Hit | None:
    if ctx.published is None:
        return _unresolved(m, "relative")
    return _day_hit(m.start(), m.end(), ctx.published - timedelta(days=1), "relative")


_VAGUE_COUNT = {"day": 3, "week": 3, "month": 3, "year": None, "hour": 6}


def _ago(m: re.Match, text: str, ctx: DateContext) -> _Hit | None:
    unit, count = _value("duration_unit", m.group("unit")), _number("duration_unit", m.group("unit"))
    said_count = m.group("n")
    if said_count:
        count = int(said_count) if said_count.isdigit() else _count_word(said_count)
    vague = count is None or bool(m.group("q"))
    if count is None:
        count = _VAGUE_COUNT[unit]
    if ctx.published is None or count is None:
        return _unresolved(m, "relative")
    pub = ctx.published
    if unit in ("hour", "day"):
        back = count // 24 if unit == "hour" else count
        day = pub - timedelta(days=back)
        return _day_hit(m.start(), m.end(), day, "relative", precision="month" if vague and unit == "day" else "day")
    if unit == "week":
        return _day_hit(m.start(), m.end(), pub - timedelta(days=7 * count), "relative", precision="month")
    if unit == "month":
        year, month = _shift_month(pub.year, pub.month, -count)
        return _month_hit(m.start(), m.end(), year, month, "relative")
    year = pub.year - count
    return _Hit(DateRef(m.start(), m.end(), date(year, 1, 1), "year", "relative"), date(year, 1, 1), date(year, 12, 31))


def _count_word(word: str) -> int | None:
    return _number("count_word", word)   # None for the vague ones (عدة، بضعة)


def _relative_period(m: re.Match, text: str, ctx: DateContext) -> _Hit | None:
    edge, rel, this = m.group("edge"), m.group("rel"), m.group("this")
    if not (edge or rel or this):
        return None
    unit = _value("calendar_unit", m.group("unit")) or _value("this_period", this)
    direction = _direction(rel) or "current"
    if ctx.published is None:
        return _unresolved(m, "relative")
    pub = ctx.published
    offset = {"past": -1, "current": 0, "next": 1}[direction]
    start, end = m.start(), m.end()
    if unit == "week":
        day = pub + timedelta(days=7 * offset)
        return _Hit(DateRef(start, end, day, "month", "relative"), min(day, pub), max(day, pub))
    if unit == "month":
        year, month = _shift_month(pub.year, pub.month, offset)
        return _month_hit(start, end, year, month, "relative")
    # "العام الماضي 2023": the year said outright wins over the one counted from publication
    year = int(m.group("y")) if m.group("y") else pub.year + offset
    edge_side = _value("period_edge", edge)
    if edge_side == "start":      # "مطلع العام الجاري" = January
        return _Hit(DateRef(start, end, date(year, 1, 1), "month", "relative"), date(year, 1, 1), date(year, 1, 31))
    if edge_side == "end":
        return _Hit(DateRef(start, end, date(year, 12, 1), "month", "relative"), date(year, 12, 1), date(year, 12, 31))
    return _Hit(DateRef(start, end, date(year, 1, 1), "year", "relative"), date(year, 1, 1), date(year, 12, 31))


def _weekday(m: re.Match, text: str, ctx: DateContext) -> _Hit | None:
    weekday = _lexicon().weekdays[_key(m.group("wd"))]
    if weekday == 0 and not m.group("part") and _grammar().dual_context.search(text, max(0, m.start() - 8), m.start()):
        return None   # "بين الاثنين" = "between the two"
    if ctx.published is None:
        return replace(_unresolved(m, "weekday"), weekday=weekday)
    direction = _direction(m.group("rel"))
    if direction == "next":
        day = _weekday_after(ctx.published, weekday)
    else:
        day = _weekday_on_or_before(ctx.published, weekday, strictly=direction == "past")
    return replace(_day_hit(m.start(), m.end(), day, "weekday"), weekday=weekday)


# --------------------------------------------------------------------------- public API

@lru_cache(maxsize=64)      # the extractor asks find_dates and find_period about the same sentence
def _find_hits(text: str, ctx: DateContext) -> tuple[_Hit, ...]:
    grammar = _grammar()
    folded = _fold_keeping_offsets(text)
    candidates = [hit for rule in grammar.rules for hit in rule.hits(folded, ctx)]
    # Longest expression wins; ties go to the rule listed first (the more specific one).
    order = sorted(range(len(candidates)),
                   key=lambda i: (-(candidates[i].ref.end - candidates[i].ref.start), i))
    taken: list[_Hit] = []
    for i in order:
        hit = candidates[i]
        if all(hit.ref.end <= t.ref.start or hit.ref.start >= t.ref.end for t in taken):
            taken.append(hit)
    taken.sort(key=lambda h: h.ref.start)
    return tuple(_anchor_weekdays(_merge_weekday_with_date(taken, folded, grammar, ctx.published)))


def _anchor_weekdays(hits: list[_Hit]) -> list[_Hit]:
    """A weekday in a sentence that also gives a full date on that weekday means that date:
    "ففي 8 كانون الثاني ... ليل الأحد-الاثنين" is Sunday 8 January, not last Sunday."""
    dated = [h.ref.value for h in hits if h.ref.kind == "absolute" and h.ref.precision == "day" and h.ref.value]
    anchored = []
    for hit in hits:
        same_day = [d for d in dated if hit.weekday is not None and d.weekday() == hit.weekday]
        if hit.ref.kind == "weekday" and len(set(same_day)) == 1:
            ref = replace(hit.ref, value=same_day[0], precision="day", rule="weekday_anchored")
            hit = replace(hit, ref=ref, first=same_day[0], last=same_day[0])
        anchored.append(hit)
    return anchored


def _merge_weekday_with_date(hits: list[_Hit], folded: str, grammar: _Grammar,
                             published: date | None) -> list[_Hit]:
    """"الخميس 8 كانون الثاني" / "يوم الخميس الموافق 8 ...": one expression, the date wins (in the year
    its weekday names, when the text gives no year: _year_of_weekday)."""
    merged: list[_Hit] = []
    for hit in hits:
        previous = merged[-1] if merged else None
        if (previous is not None and previous.ref.kind == "weekday" and hit.ref.kind == "absolute"
                and hit.ref.precision == "day"
                and grammar.weekday_date_gap.fullmatch(folded, previous.ref.end, hit.ref.start)):
            value, rule = _year_of_weekday(hit.ref.value, previous.weekday, folded[hit.ref.start:hit.ref.end], published)
            merged[-1] = _Hit(DateRef(previous.ref.start, hit.ref.end, value, "day", "absolute", rule), value, value)
        else:
            merged.append(hit)
    return merged


_WEEKDAY_YEAR_REACH = 7   # days after publication a day its weekday names may lie (a post dated by its incident)
_YEAR_DIGITS = re.compile(r"\d{4}")


def _year_of_weekday(value: date | None, weekday: int | None, written: str,
                     published: date | None) -> tuple[date | None, str]:
    """A yearless day put in the year before publication (it lies after the publication date) whose weekday is
    the next year's: "يوم الاثنين 2 كانون الأول" read with a publication date of Sunday 1 December 2024 is
    Monday 2 December 2024, not 2023 (no Monday). No event follows its report, so a day up to
    _WEEKDAY_YEAR_REACH days after the publication date (a post dated by its incident, not its own day) is
    held at that date (rule 'weekday_date_published'). A year written out is kept; so is a weekday that
    matches no nearer year (a slip of the writer's)."""
    if value is None or weekday is None or published is None or value.weekday() == weekday \
            or _YEAR_DIGITS.search(written):
        return value, "weekday_date"
    following = _safe_date(value.year + 1, value.month, value.day)
    if following and following.weekday() == weekday and \
            published < following <= published + timedelta(days=_WEEKDAY_YEAR_REACH):
        return published, "weekday_date_published"
    return value, "weekday_date"


def _plain_context(ctx: DateContext) -> DateContext:
    """A hashable context holding a plain date: a datetime does not compare with a date."""
    published = ctx.published.date() if isinstance(ctx.published, datetime) else ctx.published
    section = tuple(ctx.section_month) if ctx.section_month else None
    return DateContext(published, section)


def find_dates(text: str, ctx: DateContext) -> list[DateRef]:
    """All date expressions in `text`, sorted by start, non-overlapping (longest match wins)."""
    if not text:
        return []
    return [hit.ref for hit in _find_hits(text, _plain_context(ctx))]


def find_period(text: str, ctx: DateContext) -> tuple[DateRef | None, DateRef | None]:
    """For tallies: the start (منذ 24 مارس 2019، منذ مطلع العام الجاري، منذ بداية شهر يناير، خلال الفترة
    الممتدة من ... وحتى يومنا هذا، خلال شهر أيار، منذ مطلع 2021، خلال الأسبوع الأول من الحملة...) and the end
    (وحتى يومنا هذا / حتى الآن -> published date; 'حتى 30 حزيران' -> that date). Return (None, None)
    when there is no period.

    Start refs span the marker too ("منذ مطلع العام الجاري"); their value is the first day of
    the period (None when it is named by an event, "خلال الأسبوع الأول من الحملة"). End refs
    hold the last day of the period: a month or year named after "حتى"/"خلال" ends on its
    last day, never after publication; "منذ ..." without an explicit end ends at publication.
    """
    if not text:
        return None, None
    return _find_period(text, _plain_context(ctx))


def _find_period(text: str, ctx: DateContext) -> tuple[DateRef | None, DateRef | None]:
    start, end = _find_period_bounds(text, ctx)
    return start, _forward(start, end, ctx.published)


def _forward(start: DateRef | None, end: DateRef | None, pub: date | None) -> DateRef | None:
    """A period runs forward: "منذ بداية العام الماضي 2023 وحتى 24 كانون الأول" ends in December 2023,
    not in the December before its start (a yearless end day took the year before publication)."""
    if not (start and end and start.value and end.value) or end.value >= start.value:
        return end
    for years in (1, 2):
        later = _safe_date(end.value.year + years, end.value.month, end.value.day)
        if later and later >= start.value and (pub is None or later <= pub):
            return replace(end, value=later)
    return end


_Period = tuple[Optional[DateRef], Optional[DateRef]]


def _find_period_bounds(text: str, ctx: DateContext) -> _Period:
    """The first reading that applies: a date after a start marker, a counted span, a period named by
    an event, or else only an end ("حتى الآن")."""
    reader = _PeriodReader(_grammar(), _fold_keeping_offsets(text), _find_hits(text, ctx), ctx.published)
    return (reader.marked_period() or reader.counted_period() or reader.event_period()
            or (None, reader.explicit_end(0)))


@dataclass(frozen=True)
class _PeriodReader:
    """Reads the period of one sentence from its date hits and the period markers around them."""
    grammar: _Grammar
    folded: str
    hits: tuple[_Hit, ...]
    pub: date | None

    def capped(self, day: date | None) -> date | None:
        """A period never ends after publication."""
        return min(day, self.pub) if day and self.pub else day

    def explicit_end(self, after: int) -> DateRef | None:
        """The end said after `after`: a date after "حتى"/"إلى", or "حتى الآن" (= publication)."""
        now = self.grammar.period_end_now.search(self.folded, after)
        for hit in self.hits:
            if hit.ref.start < after:
                continue
            if now and now.start() < hit.ref.start:
                break
            if self.grammar.period_until.search(self.folded, max(after, hit.ref.start - 16), hit.ref.start):
                last = hit.last or hit.ref.value
                precision = hit.ref.precision if hit.ref.value else "unknown"
                return DateRef(hit.ref.start, hit.ref.end, self.capped(last), precision, "period_end")
        if now:
            return DateRef(now.start(), now.end(), self.pub, "day" if self.pub else "unknown", "period_end")
        return None

    def until_publication(self, at: int) -> DateRef:
        return DateRef(at, at, self.pub, "day" if self.pub else "unknown", "period_end")

    def marked_period(self) -> _Period | None:
        """A date after a start marker: "منذ 24 آذار"، "خلال شهر أيار"، "من 1 أيار حتى 30 حزيران"."""
        for hit in self.hits:
            marker = self.grammar.start_marker.search(self.folded, max(0, hit.ref.start - 24), hit.ref.start)
            if marker:
                period = self._period_of_marker(hit, marker)
                if period:
                    return period
        return None

    def _period_of_marker(self, hit: _Hit, marker: re.Match) -> _Period | None:
        ref, role = hit.ref, _start_role(marker.group("kw"))
        if role == "during" and ref.precision == "day":
            return None           # "خلال يوم أمس"، "خلال 5 آذار": one day, not a period
        start_value = hit.first if ref.value else None
        start = DateRef(marker.start(), ref.end, start_value, ref.precision if start_value else "unknown",
                        "period_start")
        end = self.explicit_end(ref.end)
        if role == "during":      # "خلال شهر أيار": the month itself, never beyond publication
            last = self.capped(hit.last) if ref.value else None
            return start, end or DateRef(ref.start, ref.end, last, ref.precision if last else "unknown",
                                         "period_end")
        if role == "from":        # a bare "من <date>" is a period only with its "حتى ..."
            return (start, end) if end else None
        if role == "range":       # "الفترة الممتدة من <date>"
            return start, end
        return start, end or self.until_publication(ref.end)   # "منذ"، "اعتبارا من": until now

    def counted_period(self) -> _Period | None:
        """"خلال الأيام الثلاثة الماضية": counted back from publication."""
        counted = self.grammar.counted_span.search(self.folded)
        if not (counted and self.pub):
            return None
        start = _counted_span_start(counted, self.pub)
        if start is None:
            return None
        by_days = _value("counted_span_unit", counted.group("unit")) in ("hour", "day")
        ref = DateRef(counted.start(), counted.end(), start, "day" if by_days else "month", "period_start")
        return ref, self.explicit_end(counted.end()) or self.until_publication(counted.end())

    def event_period(self) -> _Period | None:
        """"منذ اندلاع الثورة"، "خلال الأسبوع الأول من الحملة": a period named by an event."""
        unresolved = self.grammar.unresolved_start.search(self.folded)
        if not unresolved:
            return None
        # "منذ اندلاع الثورة عام 2011": the event is often dated right after it.
        dated = next((h for h in self.hits if 0 <= h.ref.start - unresolved.end() <= 24 and h.ref.value), None)
        if dated:
            start = DateRef(unresolved.start(), dated.ref.end, dated.first, dated.ref.precision, "period_start")
            return start, self.explicit_end(dated.ref.end) or self.until_publication(dated.ref.end)
        start = DateRef(unresolved.start(), unresolved.end(), None, "unknown", "period_start")
        return start, self.explicit_end(unresolved.end())


def _start_role(keyword: str) -> str:
    """How a start marker bounds a period: 'since' (until now), 'during' (the named unit),
    'range' (الفترة الممتدة من), 'from' (plain من, needs an explicit end)."""
    return _value("period_start_marker", keyword)   # the seed row's value


def _counted_span_start(m: re.Match, pub: date) -> date | None:
    """"خلال الأيام الثلاثة الماضية" / "خلال 10 أيام الأخيرة": start of the counted span."""
    said = m.group("n1") or m.group("n2")
    if not said:
        return None          # "خلال الأيام الماضية" names no span
    count = int(said) if said.isdigit() else _count_word(said.removeprefix(normalize_form("ال")))
    if not count:
        return None
    unit = _value("counted_span_unit", m.group("unit"))
    if unit == "day":
        return pub - timedelta(days=count)
    if unit == "week":
        return pub - timedelta(days=7 * count)
    if unit == "hour":
        return pub - timedelta(days=count // 24)
    year, month = _shift_month(pub.year, pub.month, -count)
    return date(year, month, 1)


def section_month(line: str, ctx: DateContext) -> tuple[int, int] | None:
    """If a line is a month heading of a list ('كانون الثاني:', 'حزيران الجاري:', '- شهر أيار'), return
    (year, month) with the year inferred from the publication date (a month after the publication
    month belongs to the previous year; 'الجاري' = the publication month/year, 'الماضي' = the previous).
    Without a publication date only a heading that states its year resolves."""
    if not line or len(line) > 60:
        return None
    m = _grammar().section_heading.fullmatch(_fold_keeping_offsets(line.strip()))
    if not m:
        return None
    month = _month_number(m)
    year = _year_for_named_month(month, _direction(m.group("mrel")), _explicit_year(m),
                                 _year_direction(m), DateContext(_plain_context(ctx).published))
    return (year, month) if year else None
