"""The date of one mention: a tally's period (a table of named period rules) or an incident's day.

An incident takes the date its sentence states nearest its trigger, not a report's date ("أفاد المرصد
اليوم ...") nor an implausible one; a sentence that counts over a period (stated, "في الفترة ذاتها", the
month section of a list) is a tally of that period.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Callable, Optional

from .dates import DateContext, DateRef, find_period
from .lexicons import PhraseTable, cue_forms, load_lexicons
from .linker import Candidate
from .list_items import is_list_item
from .sentence import SentenceView
from .tokens import find_all

if TYPE_CHECKING:
    from .frames import DocState

# The uprising began on 15 March 2011: an incident date before it is another story (or a misreading).
EARLIEST_EVENT = date(2011, 3, 15)
_REPORT_GAP = 1   # a date right after "أفاد المرصد" / "أحصى المرصد السوري" is the report's date, not the event's

Period = tuple[Optional[date], Optional[date], str]   # (period_start, period_end, precision)


@dataclass
class _PeriodQuery:
    sent_text: str
    view: SentenceView
    state: "DocState"
    dctx: DateContext
    refs: list[DateRef]


_SHORT_PERIOD_DAYS = 1   # a "period" from yesterday to today is a day's events, not a running tally


def _stated_period(q: _PeriodQuery) -> Optional[Period]:
    """"منذ مطلع العام وحتى اليوم": the period the sentence states (it becomes the period "الفترة ذاتها" means)."""
    start_ref, end_ref = find_period(q.sent_text, q.dctx)
    if start_ref is None:
        return None
    end = end_ref.value if end_ref is not None else q.state.published
    if start_ref.value and end and start_ref.precision == "day" and (end - start_ref.value).days <= _SHORT_PERIOD_DAYS:
        return None   # "منذ صباح اليوم"، "منذ منتصف ليلة الأمس": the events of a day, an incident's toll
    period = (start_ref.value, end, start_ref.precision if start_ref.value else "unknown")
    q.state.last_period = q.state.line_period = period
    return period


def _day_of_several_incidents(q: _PeriodQuery) -> Optional[Period]:
    """"7 قتلوا ... في ظروف مختلفة في 14 شباط": a day's toll summed over several incidents."""
    if not (q.view.cues.get("several_incidents") or _counts_attacks(q.view)):
        return None
    day = next((r.value for r in q.refs if r.precision == "day" and r.value), None)
    return (day, day, "day") if day else (None, None, "unknown")


def _same_period(q: _PeriodQuery) -> Optional[Period]:
    """"وفي الفترة ذاتها": the period of the tally before."""
    words = [t.text for t in q.view.tokens]
    if q.state.last_period and _says_exactly(words, load_lexicons().cues["same_period"]):
        return q.state.last_period
    return None


def _list_period(q: _PeriodQuery) -> Optional[Period]:
    """"- 47 من قوات النظام" under "وثق المرصد خلال شهر حزيران ... :": the period of the list heading."""
    return q.state.list_period if q.state.list_period and is_list_item(q.sent_text) else None


def _section_month(q: _PeriodQuery) -> Optional[Period]:
    """A count in a monthly list's section ("حصيلة شهر آذار") that names no day: that month, up to publication."""
    if not q.state.section or any(r.precision == "day" and r.value for r in q.refs):
        return None
    year, month = q.state.section
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    if q.state.published and last > q.state.published:
        last = q.state.published
    return first, last, "month"


_MONTH_DAYS = 28   # a span of this many days or more is dated to the month


def _span_of_days(q: _PeriodQuery) -> Optional[Period]:
    """"وسجل خلال أسبوع من العمليات ... استشهاد 16 مدنياً"، "خلال شهر": a count over a span that names no
    date (lexicon_cues.csv, span_of_days, its value the days) is a tally of that span up to publication."""
    found = find_all(q.view.tokens, load_lexicons().cues["span_of_days"])
    if not found or any(r.precision == "day" and r.value for r in q.refs):
        return None   # (a sentence that names its day tells one event: "ثاني غارة خلال أسبوع، فجر أمس")
    pub = q.state.published
    if pub is None:
        return None, None, "unknown"
    days = int(found[0].entry.value)
    return pub - timedelta(days=days), pub, "day" if days < _MONTH_DAYS else "month"


_ONGOING_REACH = 5   # tokens from the ongoing word to "منذ": "الغارات الجوية المستمرة على القرى منذ قرابة أسبوع"


def _ongoing_since(q: _PeriodQuery) -> Optional[Period]:
    """"في إطار الهجمات المستمرة منذ قرابة شهر، والتي خلّفت 40 قتيلاً": "منذ" + a length after an
    ongoing word (lexicon_cues.csv, ongoing_since) is how long the campaign has lasted, not when one event
    was (not "a month ago"): its toll is a tally from then up to publication."""
    cues = load_lexicons().cues
    ongoing = find_all(q.view.tokens, cues["ongoing_since"])
    ago = next((r for r in q.refs if r.rule == "ago" and r.value), None)
    if not ongoing or ago is None or q.state.published is None:
        return None
    toks, since = q.view.tokens, cues["tally_since"].words
    if not any(toks[k].text in since for m in ongoing for k in range(m.end, min(len(toks), m.end + _ONGOING_REACH))):
        return None
    days = (q.state.published - ago.value).days
    return ago.value, q.state.published, "day" if days < _MONTH_DAYS else "month"


@dataclass(frozen=True)
class _PeriodRule:
    name: str
    find: Callable[[_PeriodQuery], Optional[Period]]


# Tried in order, first answer wins.
PERIOD_RULES = (
    _PeriodRule("stated_period", _stated_period),
    _PeriodRule("day_of_several_incidents", _day_of_several_incidents),
    _PeriodRule("same_period", _same_period),
    _PeriodRule("list_period", _list_period),
    _PeriodRule("section_month", _section_month),
    _PeriodRule("span_of_days", _span_of_days),
    _PeriodRule("ongoing_since", _ongoing_since),
)


def tally_period(sent_text: str, view: SentenceView, state: "DocState", dctx: DateContext,
                 refs: list[DateRef]) -> Optional[Period]:
    """(period_start, period_end, precision) when the sentence counts over a period, else None."""
    q = _PeriodQuery(sent_text, view, state, dctx, refs)
    for rule in PERIOD_RULES:
        period = rule.find(q)
        if period is not None:
            return period
    return None


def _says_exactly(words: list[str], table: PhraseTable) -> bool:
    """One of the table's phrases, word for word (no proclitics taken off), somewhere in the words."""
    return any(tuple(words[k:k + len(e.words)]) == e.words
               for k, w in enumerate(words) for e in table.by_first.get(w, ()))


def _counts_attacks(view: SentenceView) -> bool:
    """"استجابت فرقنا لـ 27 هجوماً ... أدت لمقتل 5": a number of attacks (two or more) in the sentence;
    "منذ 11 عاماً": a count over years."""
    if any(m.start - 1 in view.numbers and view.numbers[m.start - 1].value >= 2
           for m in view.cues.get("attack_count_noun", [])):
        return True
    return _counts_years_since(view)


def _counts_years_since(view: SentenceView) -> bool:
    """"منذ 11 عاماً": "since" (exact word), a number, a unit of years."""
    cues = load_lexicons().cues
    since, years = cues["tally_since"].words, cues["tally_year_unit"].words
    toks = view.tokens
    return any(t.text in since and (n := view.numbers.get(k + 1)) is not None and n.end < len(toks)
               and toks[n.end].text in years for k, t in enumerate(toks))


_PLUPERFECT_REACH = 5   # tokens from "وكانت" to "قد": the subject between them ("وكانت قوات النظام قد ...")


def tells_earlier_event(view: SentenceView) -> bool:
    """"وكانت قوات النظام قد استهدفت البلدة ... ما أدى لمقتل 4": a sentence opened by the pluperfect (lexicon_cues.csv
    pluperfect_opener, then pluperfect_particle) tells an earlier event, for background: neither the day of
    the statement before it nor the publication day is its own. Not "وكان المرصد قد وثق ..." (a reporting
    verb after "قد": an earlier report of the news) nor a sentence about "the attack" ("وكان القصف قد ...")."""
    toks = view.tokens
    if not toks or toks[0].text not in cue_forms("pluperfect_opener"):
        return False
    particle = cue_forms("pluperfect_particle")
    k = next((k for k in range(1, min(len(toks) - 1, _PLUPERFECT_REACH + 1)) if toks[k].text in particle), None)
    if k is None or any(m.start == k + 1 for m in view.cues.get("reporting_verb", [])):
        return False
    return not find_all(toks, load_lexicons().cues["event_anaphor"])


def token_index(view: SentenceView, offset: int) -> int:
    """The index of the token a character offset of the sentence falls in (or after)."""
    for k, t in enumerate(view.tokens):
        if t.end > offset:
            return k
    return len(view.tokens)


def event_date(view: SentenceView, refs: list[tuple[int, DateRef]], cand: Candidate) -> DateRef | None:
    """The date of an incident among the (token index, date) pairs of its sentence."""
    if not refs:
        return None
    event_refs = _weekday_agreeing(_not_report_dates(view, refs))
    # The date nearest the trigger, on either side ("أفرج ... عن 12 من 40 كان قد خطفهم، الخميس الماضي");
    # on a tie the one before it.
    return min(event_refs, key=lambda kr: (abs(kr[0] - cand.trigger), kr[0] > cand.trigger))[1]


def _not_report_dates(view: SentenceView, refs: list[tuple[int, DateRef]]) -> list[tuple[int, DateRef]]:
    """Leave out the dates right after a reporting verb or a source (the report's date), unless all are."""
    anchors = [m.end for m in view.cues.get("reporting_verb", [])] + [m.end for m in view.sources]
    return [(k, r) for k, r in refs if not any(0 <= k - e <= _REPORT_GAP for e in anchors)] or refs


def _weekday_agreeing(refs: list[tuple[int, DateRef]]) -> list[tuple[int, DateRef]]:
    """A weekday named on purpose decides between candidate days: "أمس ... يوم الخميس" keeps the Thursday."""
    weekdays = {r.value.weekday() for _, r in refs if r.kind == "weekday" and r.value and r.precision == "day"}
    if len(weekdays) != 1:
        return refs
    agreeing = [(k, r) for k, r in refs if r.precision != "day" or not r.value or r.value.weekday() in weekdays]
    return agreeing or refs


def date_basis(ref: DateRef) -> str:
    """How a date the sentence states was found: named outright, counted from the publication day, the
    publication day itself (a weekday's day just after it), or (for "في 8 منه") completed by the month of
    the list section it sits in."""
    if ref.rule == "section_month":
        return "context"
    if ref.rule == "weekday_date_published":
        return "published"   # the day named lies after the publication date, which stands for it
    return "relative" if ref.kind in ("relative", "weekday") else "stated"


def plausible(ref: DateRef, published: Optional[date]) -> bool:
    """An event date after the report or before the uprising is a misreading (or another story);
    "منذ أكثر من عامين" / "قبل 3 سنوات" measure a span of years, they do not date an incident."""
    if ref.value is None:
        return True
    if ref.rule == "ago" and ref.precision == "year":
        return False
    return EARLIEST_EVENT <= ref.value and (published is None or ref.value <= published)
