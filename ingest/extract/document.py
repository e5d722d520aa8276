"""Extracts the casualty mentions of one document (../shared/spec/MENTIONS.md).

One pass over the cleaned text: boilerplate lines are dropped, and only the
sentences that carry an outcome trigger are analysed. Each linked count gets its
date, scope, place, source and perpetrator from its sentence, plus the few pieces
of document context an analyst would use (publication date, the dated section of
a monthly list, the period of the previous tally for "الفترة ذاتها").
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Optional

from . import places as gaz
from .attribution import perpetrator, source_in
from .dates import DateContext, DateRef, find_dates, find_period, section_month
from .layout import Layout, read_layout
from .lexicons import Lexicons, load_lexicons
from .linker import Candidate, _group_of, link
from .linker_victims import civilian_harm
from .mention import Mention
from .segment import Sentence, lines_of, sentences_of
from .sentence import SentenceView, analyse, has_trigger
from .text import CleanText, clean_text
from .tokens import TokenIndex, find_all, match_at, tokenize, variants

# The Assad government fell on 8 December 2024: after it, "government forces" are the transitional government's.
TRANSITION = date(2024, 12, 8)
# The uprising began on 15 March 2011: an incident date before it is another story (or a misreading).
EARLIEST_EVENT = date(2011, 3, 15)
_SAME_PERIOD = {("الفتره", "ذاتها"), ("الفتره", "نفسها"), ("ذات", "الفتره"), ("نفس", "الفتره")}
_ANAPHORA_LINES = 2   # how many lines back "الهجوم" may point for a date, place or perpetrator
_REPORT_GAP = 1   # a date right after "أفاد المرصد" / "أحصى المرصد السوري" is the report's date, not the event's


@dataclass
class _Frame:
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
class _DocState:
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
    line_frame: _Frame = field(default_factory=_Frame)   # this line (a paragraph in most web text)
    list_frame: _Frame = field(default_factory=_Frame)   # the heading line of the current list
    doc_frame: _Frame = field(default_factory=_Frame)    # the latest explicit values in the document
    in_list: bool = False                   # the current line is an item of a list under a heading
    doc_admin1: Optional[str] = None        # the one governorate the document names, if only one
    doc_admin1s: set = field(default_factory=set)   # every governorate its unambiguous places lie in
    harmed: set = field(default_factory=set)   # the groups of the dead and wounded named so far
    undated_reports: list = field(default_factory=list)   # incident mentions with no date of their own


def _known_word(word: str) -> bool:
    lex = load_lexicons()
    return any(v in lex.outcomes.words or v in lex.actors.words for v in variants(word))


def _tally_period(sent_text: str, view: SentenceView, state: _DocState, dctx: DateContext, refs: list[DateRef]):
    """(period_start, period_end, precision) when the sentence counts over a period, else None."""
    start_ref, end_ref = find_period(sent_text, dctx)
    if start_ref is not None:
        end = end_ref.value if end_ref is not None else state.published
        period = (start_ref.value, end, start_ref.precision if start_ref.value else "unknown")
        state.last_period = state.line_period = period
        return period
    if view.cues.get("several_incidents") or _counts_attacks(view):
        # "9 قتلوا ... في ظروف مختلفة في 28 تشرين الثاني": a day's toll summed over several incidents
        day = next((r.value for r in refs if r.precision == "day" and r.value), None)
        return (day, day, "day") if day else (None, None, "unknown")
    words = [t.text for t in view.tokens]
    if state.last_period and any(pair in _SAME_PERIOD for pair in zip(words, words[1:])):
        return state.last_period
    if state.list_period and _is_list_item(sent_text):
        return state.list_period   # "- 47 من قوات النظام" under "وثق المرصد خلال شهر حزيران ... :"
    if state.section and not any(r.precision == "day" and r.value for r in refs):
        year, month = state.section
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        if state.published and last > state.published:
            last = state.published
        return first, last, "month"
    return None


_YEARS = {"عاما", "اعوام", "سنوات", "سنه", "عام"}


def _counts_attacks(view: SentenceView) -> bool:
    """"استجابت فرقنا لـ 27 هجوماً ... أدت لمقتل 5": a number of attacks (two or more) in the sentence;
    "منذ 11 عاماً": a count over years."""
    if any(m.start - 1 in view.numbers and view.numbers[m.start - 1].value >= 2
           for m in view.cues.get("attack_count_noun", [])):
        return True
    toks = view.tokens
    return any(t.text == "منذ" and k + 1 in view.numbers and view.numbers[k + 1].end < len(toks)
               and toks[view.numbers[k + 1].end].text in _YEARS for k, t in enumerate(toks))


def _token_index(view: SentenceView, offset: int) -> int:
    for k, t in enumerate(view.tokens):
        if t.end > offset:
            return k
    return len(view.tokens)


def _event_date(view: SentenceView, refs: list[tuple[int, DateRef]], cand: Candidate) -> DateRef | None:
    if not refs:
        return None
    anchors = [m.end for m in view.cues.get("reporting_verb", [])] + [m.end for m in view.sources]
    event_refs = [(k, r) for k, r in refs if not any(0 <= k - e <= _REPORT_GAP for e in anchors)] or refs
    # A weekday named on purpose decides between candidate days: "أمس ... يوم الخميس" keeps the Thursday.
    weekdays = {r.value.weekday() for _, r in event_refs if r.kind == "weekday" and r.value and r.precision == "day"}
    if len(weekdays) == 1:
        agreeing = [(k, r) for k, r in event_refs
                    if r.precision != "day" or not r.value or r.value.weekday() in weekdays]
        event_refs = agreeing or event_refs
    # The date nearest the trigger, on either side ("أفرج ... عن 25 من 60 كان قد خطفهم، السبت الماضي");
    # on a tie the one before it.
    return min(event_refs, key=lambda kr: (abs(kr[0] - cand.trigger), kr[0] > cand.trigger))[1]


def _date_basis(ref: DateRef) -> str:
    """How a date the sentence states was found: named outright, counted from the publication day,
    or (for "في 8 منه") completed by the month of the list section it sits in."""
    if ref.rule == "section_month":
        return "context"
    return "relative" if ref.kind in ("relative", "weekday") else "stated"


def _plausible(ref: DateRef, published: Optional[date]) -> bool:
    """An event date after the report or before the uprising is a misreading (or another story);
    "منذ أكثر من عامين" / "قبل 3 سنوات" measure a span of years, they do not date an incident."""
    if ref.value is None:
        return True
    if ref.rule == "ago" and ref.precision == "year":
        return False
    return EARLIEST_EVENT <= ref.value and (published is None or ref.value <= published)


def _place(view: SentenceView, cand: Candidate, ct: CleanText,
           doc_admin1s: frozenset = frozenset()) -> tuple[Optional[str], Optional[str], Optional[str]]:
    hospitals = {m.end for m in view.cues.get("not_event_place", [])}
    # a place inside an actor's name is no place of the event ("قوات حكومة دمشق" fight in Aleppo)
    in_actor = {k for a in view.actors for k in range(a.start, a.end)}
    found = [m for m in gaz.find_places(view.tokens) if m.start not in in_actor]
    matches = [m for m in found if m.start not in hospitals]
    if not matches:
        # "نُقلوا إلى مستشفى تدمر": the hospital's town is not the event's place, but it is
        # almost always in the same governorate
        admin1s = {p.admin1 for m in found for p in m.candidates if p.admin1}
        if len(admin1s) == 1:
            return None, admin1s.pop(), "hospital_governorate"
        return None, None, None
    governorates = {p.admin1 for m in matches for p in m.candidates if p.feature_type == "governorate"}
    # ... and the governorates of the places that can only be in one ("القحطانية بريف القامشلي")
    governorates |= {a for m in matches if len(a_s := {p.admin1 for p in m.candidates if p.admin1}) == 1
                     for a in a_s}
    # a name of several places, none in a governorate of the sentence: the document's governorates decide
    # ("القحطانية" in a report about al-Hasakah)
    resolved = [(m, gaz.resolve(m, governorates if any(p.admin1 in governorates for p in m.candidates)
                                else governorates | doc_admin1s)) for m in matches]
    lo, hi = _clause(view, min(cand.trigger, cand.count_start), max(cand.phrase_end, cand.trigger + 1))
    # The mention's own clause first, then the most specific place, then the nearest.
    m, place = min(resolved, key=lambda mp: (not lo <= mp[0].start < hi, mp[1].rank, abs(mp[0].start - cand.trigger)))
    m, place = _clause_governorate_veto(resolved, m, place, lo, hi)
    admin1 = place.admin1 or None
    if not admin1 and len(governorates) >= 1:
        nearest = min((mp for mp in resolved if mp[1].admin1),
                      key=lambda mp: abs(mp[0].start - cand.trigger), default=None)
        admin1 = nearest[1].admin1 if nearest else None
    start, end = view.tokens[m.start].start, view.tokens[m.end - 1].end
    first = view.tokens[m.start].text
    name_first = m.words[0]
    if first != name_first and first.endswith(name_first):
        start += len(first) - len(name_first)   # "وحلب" -> "حلب": proclitics are not part of the name
    rule = "clause_place" if lo <= m.start < hi else "nearest_place"
    return ct.clean[start:end], admin1, rule


def _clause_governorate_veto(resolved: list, m, place, lo: int, hi: int):
    """"مزرعة اليرموك شمال الرقة": when the clause names one governorate and the place it matched lies only
    in another (a homonym the gazetteer does not hold), the governorate is what the text says."""
    clause_govs = [(mp[0], p) for mp in resolved if lo <= mp[0].start < hi and mp[0] is not m
                   for p in mp[0].candidates if p.feature_type == "governorate"]
    if len({p.admin1 for _, p in clause_govs}) == 1 and place.feature_type != "governorate" \
            and not any(p.admin1 == clause_govs[0][1].admin1 for p in m.candidates):
        return clause_govs[0]
    return m, place


_CLAUSE_BREAK = {"،", ",", "؛", ";", ":"}


def _clause(view: SentenceView, lo: int, hi: int) -> tuple[int, int]:
    while lo > 0 and view.tokens[lo - 1].text not in _CLAUSE_BREAK:
        lo -= 1
    while hi < len(view.tokens) and view.tokens[hi].text not in _CLAUSE_BREAK:
        hi += 1
    return lo, hi


_DOC_CIVILIANS_MAX = 5   # a larger toll of "أشخاص" is often a mixed one: it stays unspecified


def _fallback_victim(view: SentenceView, cand: Candidate, perp: Optional[str], post2024: bool,
                     civilian_context: bool, doc_victim: Optional[str], named_victims: set[str],
                     doc_civilians: bool = False) -> tuple[str, str]:
    """(victim group, rule name) when the count's own phrase names no group."""
    if cand.person_kind == "member":
        groups = [(abs(m.start - cand.count_start), m.start > cand.count_start, _group_of(m, post2024))
                  for m in view.actors if m.entry.kind == "group"]
        # (not a group that is another count's victim in this sentence: "25 من قسد، و56 من المسلحين")
        groups = [g for g in groups if g[2] != perp and g[2] != "unspecified" and g[2] not in named_victims]
        if groups:
            return min(groups)[2], "fallback_member_group"
        # "مقتل 23 عنصراً" with no group in the sentence: the armed group the article was talking about
        if doc_victim and doc_victim != perp:
            return doc_victim, "document_group"
        return "unspecified", "unspecified"
    if civilian_context:
        return "civilians", "civilian_context"
    if civilian_harm(view, cand.outcome):
        return "civilians", "civilian_harm"
    armed = any(m.entry.category not in ("civilians", "unspecified", "") for m in view.actors)
    if doc_civilians and cand.outcome in ("killed", "injured") and cand.count <= _DOC_CIVILIANS_MAX \
            and not armed and not view.cues.get("combatant_context"):
        # "الأشخاص الأربعة أصيبوا" in a report whose dead and wounded so far are all civilians
        return "civilians", "document_civilians"
    return "unspecified", "unspecified"


def _is_relevant(view: SentenceView, lex: Lexicons) -> bool:
    """Violent deaths in Syria only: not accidents or disease, not another country's war."""
    toks = view.tokens
    if find_all(toks, lex.cues["accident"]) and not find_all(toks, lex.cues["violence"]):
        return False
    if find_all(toks, lex.cues["foreign_place"]):
        return bool(gaz.find_places(toks) or find_all(toks, lex.cues["syria_cue"]))
    return True


def _in_scope(index: TokenIndex, lex: Lexicons) -> bool:
    """Is the document about violence in Syria? Not about another country, not a disaster or accident story."""
    toks = index.tokens
    if find_all(toks, lex.cues["accident"]) and not find_all(toks, lex.cues["violence"]):
        return False
    lead = index.between(0, 400)   # headline and lead say where the story is
    if find_all(lead, lex.cues["foreign_place"]) and not (find_all(lead, lex.cues["syria_cue"]) or gaz.find_places(lead)):
        return False
    if find_all(toks, lex.cues["syria_cue"]) or gaz.find_places(toks):
        return True
    return not find_all(toks, lex.cues["foreign_place"])


def _foreign_clause(view: SentenceView, lex: Lexicons, lo: int, hi: int) -> bool:
    """The mention's clause is about another country ("... قتلوا في قطاع غزة")."""
    clause = view.tokens[lo:hi]
    return bool(find_all(clause, lex.cues["foreign_place"])) and not (
        gaz.find_places(clause) or find_all(clause, lex.cues["syria_cue"]))


_LIST_BULLET = ("-", "–", "—", "•", "*", "·", "▪")


def _is_list_item(text: str) -> bool:
    t = text.strip()
    return t.startswith(_LIST_BULLET) or bool(t[:3].rstrip(".)-").isdigit() and len(t) > 3 and t[1:3].strip()[:1] in ").-")


def _doc_governorates(index: TokenIndex) -> set[str]:
    """The governorates of the unambiguous places the body names (headline and hashtags included)."""
    admin1s: set[str] = set()
    places = [m for m in gaz.find_places(index.tokens) if not _in_actor_name(index.tokens, m)]
    for m in places:
        names = {p.admin1 for p in m.candidates if p.admin1}
        if len(names) == 1:
            admin1s |= names
    return admin1s


@lru_cache(maxsize=1)
def _actor_place_words() -> dict[str, frozenset[str]]:
    """For each word that is a place inside a multi-word actor name ("حكومه دمشق"، "مجلس دير الزور
    العسكري"), the words that stand right before it in those names."""
    table = gaz.gazetteer()
    firsts = {w[0] for w in getattr(table, "places", {})}
    before: dict[str, set[str]] = {}
    for entries in load_lexicons().actors.by_first.values():
        for e in entries:
            for k in range(1, len(e.words)):
                if e.words[k] in firsts:
                    before.setdefault(e.words[k], set()).add(e.words[k - 1])
    return {w: frozenset(b) for w, b in before.items()}


def _in_actor_name(tokens: list, m) -> bool:
    """A place match that is part of an actor's name: the word before it is the one the name has there."""
    prev = _actor_place_words().get(m.words[0])
    return bool(prev and m.start > 0 and any(v in prev for v in variants(tokens[m.start - 1].text)))


def _only_governorate(admin1s: set[str]) -> Optional[str]:
    """The one governorate of the document's places; None when it names none or several."""
    return next(iter(admin1s)) if len(admin1s) == 1 else None


def _default_source(outlet: Optional[str], lex: Lexicons) -> Optional[str]:
    if not outlet:
        return None
    toks = tokenize(clean_text(outlet).norm)
    m = match_at(toks, 0, lex.sources) if toks else None   # the outlet's name must start with the source
    return m.entry.category if m else None


def document_layout(text: str) -> Layout:
    """The document model of a text (layout.py): its regions and the date of its header."""
    return read_layout(clean_text(text, is_word=_known_word), load_lexicons())


def extract_document(text: str, doc_id: str, published_at: Optional[date] = None,
                     outlet: Optional[str] = None) -> list[Mention]:
    return extract_with_layout(text, doc_id, published_at, outlet)[0]


def extract_with_layout(text: str, doc_id: str, published_at: Optional[date] = None,
                        outlet: Optional[str] = None) -> tuple[list[Mention], Layout]:
    """The mentions of a document and its document model (regions dropped, header date) for the loader."""
    lex = load_lexicons()
    ct = clean_text(text, is_word=_known_word)
    layout = read_layout(ct, lex)
    # Only the body is read: header, counters, comments and page furniture are blanked (same offsets).
    ct = replace(ct, clean=layout.clean, norm=layout.norm)
    index = TokenIndex(ct.norm)
    if not _in_scope(index, lex):
        return [], layout
    published_at = published_at or layout.header_date   # a post's own date line, when the manifest has none
    doc_govs = _doc_governorates(index)
    state = _DocState(published_at, doc_admin1=_only_governorate(doc_govs), doc_admin1s=doc_govs)
    outlet_source = _default_source(outlet, lex)
    mentions: list[Mention] = []
    seen: set[tuple] = set()
    for line in lines_of(layout):
        heading = section_month(line.text.strip(), DateContext(published_at))
        if heading:
            state.section = heading
            continue
        in_list = state.in_list = _is_list_item(line.text)
        is_heading = line.text.rstrip().endswith(":") and not in_list
        if not in_list and not is_heading:
            state.list_outcome = None
        state.line_frame = state.list_frame if in_list else _Frame()
        state.line_period = None
        for sent in sentences_of(line):
            mentions.extend(_sentence_mentions(ct, index.between(sent.start, sent.end), sent, doc_id, state,
                                               lex, outlet_source, seen, state.list_outcome if in_list else None))
        if is_heading:
            toks = index.between(line.start, line.end)
            trig = find_all(toks, lex.outcomes)
            state.list_outcome = trig[-1].entry.category if trig else None
            state.list_frame = state.line_frame
            state.list_period = state.line_period
            _learn_heading(line, toks, state, lex)
        elif not in_list:
            state.list_period = None
    _date_by_publication(mentions, state)
    return mentions, layout


_LEAD_REACH = 1500   # characters: a headline, a post header or a page menu, and the lead paragraph


def _date_by_publication(mentions: list[Mention], state: _DocState) -> None:
    """A report that names no event day anywhere is dated, as human coders date it, by its publication:
    its undated incident mentions take the publication day. A report that names a day for its event
    leaves its other undated mentions alone (they are background, or carried from a frame already),
    except a headline or lead restating the same toll as a dated statement of the lead."""
    if state.published is None:
        return
    dated = [m for m in mentions if m.scope == "incident" and m.date_precision == "day"
             and m.date_basis in ("stated", "relative")]
    if dated:
        # A headline or lead above the first dated statement is about that statement's event when it
        # restates its toll ("6 ضحايا بقصف ..." over "لقي 6 مدنيين مصرعهم، اليوم السبت، ...") or when that
        # statement dates itself from the publication ("صباح اليوم"، "أمس": the report's own news).
        ordered = sorted(dated, key=lambda d: d.char_start)
        first = ordered[0]
        for m in state.undated_reports:
            same = next((d for d in ordered if m.char_start < first.char_start and m.char_start < d.char_start
                         <= _LEAD_REACH and (d.outcome, d.count) == (m.outcome, m.count)), None)
            if same is None and m.char_start < first.char_start <= _LEAD_REACH and first.date_basis == "relative":
                same = first
            rule = "headline_of_lead"
            if same is None:
                # the same toll restated further down ("مما أسفر عن مقتل 8 أفراد" under "استشهد 8 مدنيين، اليوم")
                restated = [d for d in ordered if (d.outcome, d.count) == (m.outcome, m.count)
                            and d.char_start < m.char_start   # told before, restated after
                            and (d.date_basis == "relative" or d.char_start <= _LEAD_REACH)]   # not background
                if restated and len({d.event_date for d in restated}) == 1:
                    same, rule = restated[0], "restated_toll"
            if same is not None:
                m.event_date, m.date_precision = same.event_date, "day"
                m.date_basis, m.date_rule = "context", rule
                if m.admin1 is None and (same.outcome, same.count) == (m.outcome, m.count):
                    # the same toll restated: the same event, so the same place
                    m.place, m.admin1, m.place_rule = same.place, same.admin1, rule
        return
    for m in state.undated_reports:
        m.event_date, m.date_precision = state.published.isoformat(), "day"
        m.date_basis, m.date_rule = "published", "publication_date"


def _learn_heading(line, toks: list, state: _DocState, lex: Lexicons) -> None:
    """A round-up heading ("الضحايا المدنيون يوم الأحد 5 آذار:") gives the items below it its day, when it
    names one and no count of its own gave one, and its victim group when it names civilians."""
    if state.list_frame.event_date is None:
        days = [r for r in find_dates(line.text, DateContext(state.published, state.section))
                if r.value and r.precision == "day" and _plausible(r, state.published)]
        if len({r.value for r in days}) == 1:
            state.list_frame.learn(line.line_no, days[0].value, "day", None, None, None)
    state.list_victim = "civilians" if any(
        m.entry.category == "civilians" for m in find_all(toks, lex.actors)) else None


def _states_running_total(tokens: list, lex: Lexicons) -> bool:
    """A running-total cue followed, a few words on, by "إلى" and a number ("ليرتفع العدد إلى 5")."""
    words = lex.cues["running_total"].words
    for k in range(1, len(tokens) - 1):
        if tokens[k].text in ("الي", "لي") and tokens[k + 1].is_digit and any(
                v in words for i in range(max(0, k - 8), k) for v in variants(tokens[i].text)):
            return True
    return False


def _learn_setting(sent_text: str, tokens: list, line_no: int, state: _DocState, lex: Lexicons) -> None:
    """A sentence with no casualty figure may still set the scene the next one refers to ("قصفت قوات
    النظام أمس بلدة كفرنبل. وأدى القصف إلى مقتل 3 مدنيين"): its day and its place enter the frames."""
    if find_all(tokens, lex.cues["past_reference"]):
        return
    days = [r for r in find_dates(sent_text, DateContext(state.published, state.section))
            if r.value and r.precision == "day" and _plausible(r, state.published)]
    found = [m for m in gaz.find_places(tokens) if len({p.admin1 for p in m.candidates if p.admin1}) == 1
             and not _in_actor_name(tokens, m)]   # not "نقاط لقوات حكومة دمشق"
    if not days and not found:
        return
    event_date = days[0].value if len(days) == 1 else None   # two days named: no single scene
    place = admin1 = None
    if found:
        best = min((p for m in found for p in m.candidates if p.admin1), key=lambda p: p.rank)
        place, admin1 = best.name_ar, best.admin1
    for frame in (state.line_frame, state.doc_frame):
        frame.learn(line_no, event_date, "day", place, admin1, None)


def _sentence_mentions(ct: CleanText, tokens: list, sent: Sentence, doc_id: str, state: _DocState,
                       lex: Lexicons, outlet_source: Optional[str], seen: set,
                       list_outcome: Optional[str]) -> list[Mention]:
    total_outcome = state.last_outcome if _states_running_total(tokens, lex) else None
    if not list_outcome and not total_outcome and not has_trigger(tokens, lex):
        # the common case: no trigger, no analysis; but an attribution ("وقال المرصد") carries on
        said = [m for m in find_all(tokens, lex.sources)
                if m.entry.kind == "anywhere" and m.entry.category != "previous"]   # "المصدر نفسه" names no one new
        if said:
            state.last_source = said[-1].entry.category
        _learn_setting(ct.clean[sent.start:sent.end], tokens, sent.line_no, state, lex)
        return []
    view = analyse(tokens, lex)
    if not (view.triggers or list_outcome or total_outcome) or not _is_relevant(view, lex):
        return []
    sent_text = ct.clean[sent.start:sent.end]
    dctx = DateContext(state.published, state.section)
    refs = find_dates(sent_text, dctx)
    for r in refs:   # numbers inside dates ("24 آذار 2019") are never head counts
        for k, t in enumerate(tokens):
            if r.start <= t.start - sent.start < r.end:
                view.blocked.add(k)
    token_refs = [(_token_index(view, sent.start + r.start), r) for r in refs]
    post2024 = bool(state.published and state.published >= TRANSITION)
    period = _tally_period(sent_text, view, state, dctx, refs)
    civilian_context = any(m.entry.kind == "context" for m in view.actors)
    # Which earlier statement this sentence continues: its own line (or list heading), else, when it
    # refers back to "the attack" / "the toll", the latest event of the document.
    anaphoric = bool(find_all(tokens, lex.cues["event_anaphor"]))
    points_elsewhere = bool(find_all(tokens, lex.cues["past_reference"]))   # "يومها": not the frame's day
    s_start, s_end = ct.orig_span(sent.start, sent.end)
    sentence_text = ct.original[s_start:s_end].strip()
    out = []
    cands = link(view, lex, post2024, list_outcome, total_outcome)
    named_victims = {c.victim for c in cands if c.victim}
    sentence_victims: list[str] = []   # specific groups given so far in this sentence
    for cand in cands:
        perp = perpetrator(view, cand, post2024, named_victims)
        lo, hi = _clause(view, min(cand.trigger, cand.count_start), max(cand.phrase_end, cand.trigger + 1))
        if _foreign_clause(view, lex, lo, hi):
            continue
        if not cand.victim and cand.person_kind == "attacker":
            # "مقتل أحد المهاجمين"، "قتل 23 مرتزقاً": the dead belong to the side that attacked
            victim, victim_rule = "opposition" if perp == "turkey" else (perp or "unspecified"), "attacker_side"
            perp = None
        elif cand.victim:
            victim, victim_rule = cand.victim, cand.victim_rule
        elif cand.same_as_previous and sentence_victims:
            # "مقتل 23 عنصراً ... وإصابة 10 آخرين": the group the count before was given from context
            victim, victim_rule = sentence_victims[-1], "inherited_from_previous"
        else:
            victim, victim_rule = _fallback_victim(view, cand, perp, post2024, civilian_context,
                                                   state.last_victim, named_victims,
                                                   state.harmed == {"civilians"})
        if victim == "unspecified" and state.in_list and state.list_victim:
            victim, victim_rule = state.list_victim, "list_heading"   # "- 3 في ريف إدلب" under "الضحايا المدنيون:"
        if victim not in ("unspecified", "civilians"):
            state.last_victim = victim
        if cand.outcome in ("killed", "injured") and victim != "unspecified":
            state.harmed.add(victim)
        if victim != "unspecified":
            sentence_victims.append(victim)
        if perp == victim:
            perp = None
        source = source_in(view, cand)
        if source == "previous":   # "وفق المصدر نفسه"
            source = state.last_source
        source = source or state.last_source or outlet_source
        if source:
            state.last_source = source
        if perp is None and victim == "isis" and source in ("centcom", "coalition"):
            perp = "us_coalition"
        place, admin1, place_rule = _place(view, cand, ct, state.doc_admin1s)
        date_basis = date_rule = None
        undated_report = False
        if period:
            scope, event_date, precision = "tally", None, period[2] if period[0] else "unknown"
            p_start, p_end = period[0], period[1]
        else:
            scope, p_start, p_end = "incident", None, None
            ref = _event_date(view, [(k, r) for k, r in token_refs if _plausible(r, state.published)], cand)
            event_date = ref.value if ref and ref.value else None
            precision = ref.precision if event_date else "unknown"
            if event_date:
                date_basis, date_rule = _date_basis(ref), ref.rule
            state.line_frame.learn(sent.line_no, event_date, precision, place, admin1, perp)
            state.doc_frame.learn(sent.line_no, event_date, precision, place, admin1, perp)
            # Each missing value comes from the same line (or list heading), else, for a sentence that
            # refers back to "the attack", from the document's latest statement a line or two back.
            line, doc = state.line_frame, state.doc_frame

            def carried(what: str):
                if line.lines.get(what) is not None:
                    return line, "list_heading" if state.in_list else "line_frame"
                return (doc, "doc_frame_anaphor") if anaphoric and doc.recent(what, sent.line_no) else (None, None)

            if event_date is None and not points_elsewhere and (fr := carried("date"))[0]:
                event_date, precision = fr[0].event_date, fr[0].precision
                date_basis, date_rule = "context", fr[1]
            if admin1 is None and (fr := carried("place"))[0]:
                place, admin1, place_rule = fr[0].place, fr[0].admin1, fr[1]
            if perp is None and (f := carried("perp")[0]) and f.perpetrator != victim:
                perp = f.perpetrator
            # A report that names no day tells of that day's events: coders date it by its publication
            # (decided once the whole document is read; not when the sentence dates itself elsewhere,
            # "في 2019"، "يومها", nor without a publication date).
            undated_report = event_date is None and bool(state.published) and not refs and not points_elsewhere
            if admin1 is None and state.doc_admin1:
                # a post that names one governorate (often only in its headline or hashtags) is about it
                admin1, place_rule = state.doc_admin1, "doc_governorate"
        lo_tok = min(cand.trigger, cand.count_start)
        hi_tok = max(cand.phrase_end, cand.count_end, cand.trigger + 1)
        c_start, c_end = ct.orig_span(tokens[lo_tok].start, tokens[min(hi_tok, len(tokens)) - 1].end)
        key = (cand.outcome, cand.count, victim, c_start, c_end)
        if key in seen:
            continue
        seen.add(key)
        mention = Mention(
            doc_id=doc_id, outcome=cand.outcome, count=cand.count, count_qualifier=cand.qualifier,
            victim=victim, perpetrator=perp, scope=scope,
            event_date=event_date.isoformat() if event_date else None, date_precision=precision,
            period_start=p_start.isoformat() if p_start else None,
            period_end=p_end.isoformat() if p_end else None,
            place=place, admin1=admin1, source=source, char_start=c_start, char_end=c_end,
            sentence=sentence_text, date_basis=date_basis, date_rule=date_rule, place_rule=place_rule,
            count_rule=cand.count_rule, victim_rule=victim_rule,
        )
        out.append(mention)
        if scope == "incident" and cand.outcome in ("killed", "injured"):
            state.last_outcome = cand.outcome
        if undated_report:
            state.undated_reports.append(mention)
    return out
