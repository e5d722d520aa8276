"""What the document has said so far: the discourse frames (date, place and perpetrator of the event being
reported, and the line each was read on) and the document state the sentences of a report share, with the
two ways a sentence without a casualty figure still feeds them (a scene-setting sentence, a list heading)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from . import places as gaz
from .date_choice import plausible
from .dates import DateContext, DateRef, find_dates
from .lexicons import Lexicons
from .place_choice import in_actor_name, single_governorate
from .tokens import find_all

_ANAPHORA_LINES = 2   # how many lines back "الهجوم" may point for a date, place or perpetrator


@dataclass
class Frame:
    """What the text has said so far about the event being reported: date, place, who did it,
    and the line each was read on (so a reference back to "the attack" does not reach too far)."""
    event_date: Optional[date] = None
    precision: str = "unknown"
    place: Optional[str] = None
    admin1: Optional[str] = None
    perpetrator: Optional[str] = None
    lines: dict = field(default_factory=dict)

    def learn(self, line_no, event_date, precision, place, admin1, perp):
        if event_date:
            self.event_date, self.precision, self.lines["date"] = event_date, precision, line_no
        if admin1:
            self.place, self.admin1, self.lines["place"] = place, admin1, line_no
        if perp:
            self.perpetrator, self.lines["perp"] = perp, line_no

    def recent(self, what: str, line_no: int) -> bool:
        return line_no - self.lines.get(what, -99) <= _ANAPHORA_LINES


@dataclass
class DocState:
    published: Optional[date]
    section: Optional[tuple[int, int]] = None
    last_period: Optional[tuple[Optional[date], Optional[date], str]] = None
    last_source: Optional[str] = None
    last_victim: Optional[str] = None       # for "عناصر" with no group named in its sentence
    list_outcome: Optional[str] = None      # a toll line ending in ":" announces a list of its parts
    last_outcome: Optional[str] = None      # the outcome of the latest incident mention (for running totals)
    list_victim: Optional[str] = None       # the victim group a round-up heading names for its items
    list_period: Optional[tuple] = None     # ... and, for a tally, the period its parts share
    line_period: Optional[tuple] = None
    line_frame: Frame = field(default_factory=Frame)   # this line (a paragraph in most web text)
    list_frame: Frame = field(default_factory=Frame)   # the heading line of the current list
    doc_frame: Frame = field(default_factory=Frame)    # the latest explicit values in the document
    in_list: bool = False                   # the current line is an item of a list under a heading
    doc_admin1: Optional[str] = None        # the one governorate the document names, if only one
    doc_admin1s: set = field(default_factory=set)   # every governorate its unambiguous places lie in
    harmed: set = field(default_factory=set)   # the groups of the dead and wounded named so far
    undated_reports: list = field(default_factory=list)   # incident mentions with no date of their own
    other_events: set = field(default_factory=set)   # char_start of mentions of another event ("في حادثة سابقة")


def _plausible_days(text: str, state: DocState) -> list[DateRef]:
    """The days a text names that could date an event of this report."""
    return [r for r in find_dates(text, DateContext(state.published, state.section))
            if r.value and r.precision == "day" and plausible(r, state.published)]


def learn_heading(line, toks: list, state: DocState, lex: Lexicons) -> None:
    """A round-up heading ("الضحايا المدنيون يوم الأحد 5 آذار:") gives the items below it its day, when it
    names one and no count of its own gave one, and its victim group when it names civilians."""
    if state.list_frame.event_date is None:
        days = _plausible_days(line.text, state)
        if len({r.value for r in days}) == 1:
            state.list_frame.learn(line.line_no, days[0].value, "day", None, None, None)
    state.list_victim = "civilians" if any(
        m.entry.category == "civilians" for m in find_all(toks, lex.actors)) else None


def learn_setting(sent_text: str, tokens: list, line_no: int, state: DocState, lex: Lexicons) -> None:
    """A sentence with no casualty figure may still set the scene the next one refers to ("قصفت قوات
    النظام أمس بلدة كفرنبل. وأدى القصف إلى مقتل 3 مدنيين"): its day and its place enter the frames."""
    if find_all(tokens, lex.cues["past_reference"]):
        return
    days = _plausible_days(sent_text, state)
    found = [m for m in gaz.find_places(tokens) if single_governorate(m)
             and not in_actor_name(tokens, m)]   # not "نقاط لقوات حكومة دمشق"
    if not days and not found:
        return
    event_date = days[0].value if len(days) == 1 else None   # two days named: no single scene
    place, admin1 = _most_specific(found)
    for frame in (state.line_frame, state.doc_frame):
        frame.learn(line_no, event_date, "day", place, admin1, None)


def _most_specific(found: list) -> tuple[Optional[str], Optional[str]]:
    """The name and governorate of the most specific of the places found (Nones when none)."""
    if not found:
        return None, None
    best = min((p for m in found for p in m.candidates if p.admin1), key=lambda p: p.rank)
    return best.name_ar, best.admin1
