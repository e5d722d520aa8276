"""The casualty mentions of one sentence, in named steps: read the sentence (its dates, its period, its
cues), link its counts, then give each count its victim, perpetrator, source, place and date, from the
sentence first and from the document's frames when the sentence does not say."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from .actor_rules import actor_rules
from .attribution import attacker, perpetrator, source_in
from .clauses import mention_clause
from .date_choice import date_basis, event_date, plausible, tally_period, tells_earlier_event, token_index
from .dates import DateContext, DateRef, find_dates
from .frames import DocState, Frame, learn_setting
from .lexicons import Lexicons
from .linker import Candidate, link
from .mention import Mention
from .place_choice import place_of
from .relevance import foreign_clause, is_relevant
from .segment import Sentence
from .sentence import SentenceView, analyse, has_trigger
from .text import CleanText
from .tokens import find_all, variants
from .victim_choice import VictimQuery, choose_victim

_RUNNING_TOTAL_REACH = 8   # words between a running-total cue ("ليرتفع العدد") and its "إلى"


@dataclass
class _Sentence:
    """What every mention of the sentence shares."""
    ct: CleanText
    sent: Sentence
    doc_id: str
    view: SentenceView
    state: DocState
    lex: Lexicons
    outlet_source: Optional[str]
    refs: list[DateRef]
    token_refs: list[tuple[int, DateRef]]
    era_date: Optional[date]
    period: Optional[tuple]
    civilian_context: bool
    anaphoric: bool          # it refers back to "the attack" / "the toll"
    points_elsewhere: bool   # "يومها": not the frame's day
    tells_other_event: bool  # "وفي حادثة سابقة": an earlier, other event, no anchor for the report's own date
    text: str                # the original text of the sentence
    named_victims: set = field(default_factory=set)
    victims: list = field(default_factory=list)   # specific groups given so far in this sentence


@dataclass
class _Draft:
    """The fields of one mention as the steps decide them."""
    victim: str
    victim_rule: str
    perp: Optional[str]
    perp_rule: str = ""      # the perpetrator rule (attribution.PERPETRATOR_RULES); unknown_agent: none to fill in
    source: Optional[str] = None
    place: Optional[str] = None
    admin1: Optional[str] = None
    place_rule: Optional[str] = None
    scope: str = "incident"
    event_date: Optional[date] = None
    precision: str = "unknown"
    period_start: Optional[date] = None
    period_end: Optional[date] = None
    date_basis: Optional[str] = None
    date_rule: Optional[str] = None
    undated_report: bool = False


def states_running_total(tokens: list, lex: Lexicons) -> bool:
    """A running-total cue followed, a few words on, by "إلى" and a number ("ليرتفع العدد إلى 5")."""
    words = lex.cues["running_total"].words
    to = lex.cues["running_total_to"].words
    for k in range(1, len(tokens) - 1):
        if tokens[k].text in to and tokens[k + 1].is_digit and any(
                v in words for i in range(max(0, k - _RUNNING_TOTAL_REACH), k) for v in variants(tokens[i].text)):
            return True
    return False


def sentence_mentions(ct: CleanText, tokens: list, sent: Sentence, doc_id: str, state: DocState,
                      lex: Lexicons, outlet_source: Optional[str], seen: set,
                      list_outcome: Optional[str]) -> list[Mention]:
    total_outcome = state.last_outcome if states_running_total(tokens, lex) else None
    if not list_outcome and not total_outcome and not has_trigger(tokens, lex):
        _carry_on(ct, tokens, sent, state, lex)   # the common case: no trigger, no analysis
        return []
    view = analyse(tokens, lex)
    if not (view.triggers or list_outcome or total_outcome) or not is_relevant(view, lex):
        return []
    s = _read_sentence(ct, tokens, sent, doc_id, view, state, lex, outlet_source)
    cands = link(view, lex, s.era_date, list_outcome, total_outcome)
    s.named_victims = {c.victim for c in cands if c.victim}
    out = []
    for cand in cands:
        mention = _mention(s, cand, seen)
        if mention is not None:
            out.append(mention)
    return out


def _carry_on(ct: CleanText, tokens: list, sent: Sentence, state: DocState, lex: Lexicons) -> None:
    """A sentence with no casualty figure: an attribution ("وقال المرصد") carries on, a scene is set."""
    said = [m for m in find_all(tokens, lex.sources)
            if m.entry.kind == "anywhere" and m.entry.category != "previous"]   # "المصدر نفسه" names no one new
    if said:
        state.last_source = said[-1].entry.category
    learn_setting(ct.clean[sent.start:sent.end], tokens, sent.line_no, state, lex)
    if find_all(tokens, lex.cues["attack_verb"]):   # "استهدفت مسيرة تركية سيارة": who attacked, for "وأسفر الهجوم"
        perp = attacker(analyse(tokens, lex), state.published)
        for frame in (state.line_frame, state.doc_frame):
            frame.learn(sent.line_no, None, "unknown", None, None, perp)


def _read_sentence(ct: CleanText, tokens: list, sent: Sentence, doc_id: str, view: SentenceView,
                   state: DocState, lex: Lexicons, outlet_source: Optional[str]) -> _Sentence:
    sent_text = ct.clean[sent.start:sent.end]
    dctx = DateContext(state.published, state.section)
    refs = find_dates(sent_text, dctx)
    for r in refs:   # numbers inside dates ("24 آذار 2019") are never head counts
        view.blocked.update(k for k, t in enumerate(tokens) if r.start <= t.start - sent.start < r.end)
    s_start, s_end = ct.orig_span(sent.start, sent.end)
    return _Sentence(
        ct=ct, sent=sent, doc_id=doc_id, view=view, state=state, lex=lex, outlet_source=outlet_source,
        refs=refs, token_refs=[(token_index(view, sent.start + r.start), r) for r in refs],
        era_date=state.published,   # who a form names depends on when (seeds/actor_eras.csv)
        period=tally_period(sent_text, view, state, dctx, refs),
        civilian_context=any(m.entry.kind == "context" for m in view.actors),
        # Which earlier statement this sentence continues: its own line (or list heading), else, when it
        # refers back to "the attack" / "the toll", the latest event of the document.
        anaphoric=bool(find_all(tokens, lex.cues["event_anaphor"])),
        points_elsewhere=bool(find_all(tokens, lex.cues["past_reference"])) or tells_earlier_event(view),
        tells_other_event=bool(find_all(tokens, lex.cues["other_event"])),
        text=ct.original[s_start:s_end].strip(),
    )


def _mention(s: _Sentence, cand: Candidate, seen: set) -> Optional[Mention]:
    """The mention of one candidate (None for a clause about another country, or one already given)."""
    perp, perp_rule = perpetrator(s.view, cand, s.era_date, s.named_victims)
    lo, hi = mention_clause(s.view, cand)
    if foreign_clause(s.view, s.lex, lo, hi):
        return None
    d = _victim_step(s, cand, perp)
    d.perp_rule = perp_rule
    _source_step(s, cand, d)
    d.place, d.admin1, d.place_rule = place_of(s.view, cand, s.ct, s.state.doc_admin1s)
    if s.period:
        _tally_step(s, d)
    else:
        _incident_date_step(s, cand, d)
    return _emit(s, cand, d, seen)


def _victim_step(s: _Sentence, cand: Candidate, perp: Optional[str]) -> _Draft:
    state = s.state
    victim, victim_rule, perp = choose_victim(VictimQuery(
        s.view, cand, perp, s.era_date, s.civilian_context, state.last_victim, s.named_victims,
        state.harmed == {"civilians"}, s.victims, state.list_victim if state.in_list else None))
    if victim not in ("unspecified", "civilians"):
        state.last_victim = victim
    if cand.outcome in ("killed", "injured") and victim != "unspecified":
        state.harmed.add(victim)
    if victim != "unspecified":
        s.victims.append(victim)
    return _Draft(victim, victim_rule, None if perp == victim else perp)


def _source_step(s: _Sentence, cand: Candidate, d: _Draft) -> None:
    """The source named for the count, else the last one named (the outlet's own at first); a force that
    reports a toll of its enemy with no perpetrator named reports its own strike (seeds/actor_rules.csv)."""
    source = source_in(s.view, cand)
    if source == "previous":   # "وفق المصدر نفسه"
        source = s.state.last_source
    source = source or s.state.last_source or s.outlet_source
    if source:
        s.state.last_source = source
    d.source = source
    if d.perp is None and d.perp_rule != "unknown_agent":
        d.perp = actor_rules().reporter_as_perpetrator(source, d.victim)


def _tally_step(s: _Sentence, d: _Draft) -> None:
    start, end, precision = s.period
    d.scope, d.event_date, d.precision = "tally", None, precision if start else "unknown"
    d.period_start, d.period_end = start, end


def _incident_date_step(s: _Sentence, cand: Candidate, d: _Draft) -> None:
    """The incident's own date; then what the sentence leaves open comes from the frames, and a report
    that names no day is left for the publication date (publication_date.py, once the document is read)."""
    state = s.state
    ref = event_date(s.view, [(k, r) for k, r in s.token_refs if plausible(r, state.published)], cand)
    d.event_date = ref.value if ref and ref.value else None
    d.precision = ref.precision if d.event_date else "unknown"
    if d.event_date:
        d.date_basis, d.date_rule = date_basis(ref), ref.rule
    state.line_frame.learn(s.sent.line_no, d.event_date, d.precision, d.place, d.admin1, d.perp)
    state.doc_frame.learn(s.sent.line_no, d.event_date, d.precision, d.place, d.admin1, d.perp)
    _carry_from_frames(s, d)
    # A report that names no day tells of that day's events: coders date it by its publication
    # (decided once the whole document is read; not when the sentence dates itself elsewhere,
    # "في 2019"، "يومها", nor without a publication date).
    d.undated_report = d.event_date is None and bool(state.published) and not s.refs and not s.points_elsewhere
    if d.admin1 is None and state.doc_admin1:
        # a post that names one governorate (often only in its headline or hashtags) is about it
        d.admin1, d.place_rule = state.doc_admin1, "doc_governorate"


def _carried(s: _Sentence, what: str) -> tuple[Optional[Frame], Optional[str]]:
    """The frame a missing value comes from, and the rule: the same line (or list heading), else, for a
    sentence that refers back to "the attack", the document's latest statement a line or two back."""
    state = s.state
    if state.line_frame.lines.get(what) is not None:
        return state.line_frame, "list_heading" if state.in_list else "line_frame"
    if s.anaphoric and state.doc_frame.recent(what, s.sent.line_no):
        return state.doc_frame, "doc_frame_anaphor"
    return None, None


def _carry_from_frames(s: _Sentence, d: _Draft) -> None:
    if d.event_date is None and not s.points_elsewhere:
        frame, rule = _carried(s, "date")
        if frame:
            d.event_date, d.precision = frame.event_date, frame.precision
            d.date_basis, d.date_rule = "context", rule
    if d.admin1 is None:
        frame, rule = _carried(s, "place")
        if frame:
            d.place, d.admin1, d.place_rule = frame.place, frame.admin1, rule
    if d.perp is None and d.perp_rule != "unknown_agent":
        frame, _rule = _carried(s, "perp")
        if frame and frame.perpetrator != d.victim:
            d.perp = frame.perpetrator


def _emit(s: _Sentence, cand: Candidate, d: _Draft, seen: set) -> Optional[Mention]:
    """The Mention, unless the document gave the same count of the same group at the same span already."""
    tokens = s.view.tokens
    lo_tok = min(cand.trigger, cand.count_start)
    hi_tok = max(cand.phrase_end, cand.count_end, cand.trigger + 1)
    c_start, c_end = s.ct.orig_span(tokens[lo_tok].start, tokens[min(hi_tok, len(tokens)) - 1].end)
    key = (cand.outcome, cand.count, d.victim, c_start, c_end)
    if key in seen:
        return None
    seen.add(key)
    mention = Mention(
        doc_id=s.doc_id, outcome=cand.outcome, count=cand.count, count_qualifier=cand.qualifier,
        victim=d.victim, perpetrator=d.perp, scope=d.scope,
        event_date=_iso(d.event_date), date_precision=d.precision,
        period_start=_iso(d.period_start), period_end=_iso(d.period_end),
        place=d.place, admin1=d.admin1, source=d.source, char_start=c_start, char_end=c_end,
        sentence=s.text, date_basis=d.date_basis, date_rule=d.date_rule, place_rule=d.place_rule,
        count_rule=cand.count_rule, victim_rule=d.victim_rule,
    )
    if d.scope == "incident" and cand.outcome in ("killed", "injured"):
        s.state.last_outcome = cand.outcome
    if d.undated_report:
        s.state.undated_reports.append(mention)
    if s.tells_other_event:
        s.state.other_events.add(mention.char_start)
    return mention


def _iso(day: Optional[date]) -> Optional[str]:
    return day.isoformat() if day else None
