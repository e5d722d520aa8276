"""Victim rules: whose toll a count is, read from the sentence.

The rules of VICTIM_RULES are tried in order; the first that names a group wins and its name is
recorded on the candidate (Mention.victim_rule). When none does, victim_choice.py falls back on the
sentence's context (a member noun's nearest armed group, civilian-harm vocabulary) and records
that rule's name instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Optional

from .lexicons import cue_forms
from .linker_counts import Count
from .linker_triggers import Placed
from .linker_words import (coordinated, group_of, is_person_form, is_victim_noun, person_entry, phrase_end,
                           running_total_cue)
from .sentence import SentenceView
from .tokens import Match

# Closed word lists are rows of seeds/lexicon_cues.csv (cue_forms: same_as_previous, generic_person). The
# possessive endings stay in code: they are morphology ("جنوده"، "عناصرها"), not a list of words.
_POSSESSIVE_SUFFIXES = ("هم", "ها", "ه")


@dataclass
class PhraseReading:
    """What a span of tokens says about victims."""
    group: Optional[str] = None          # named groups: the one named, 'unspecified' when several
    person_group: Optional[str] = None   # the group of a person noun that has one ("مدنيين"، "جنود")
    kind: str = ""                       # 'generic' (شخص) | 'member' (عنصر) | 'specific' | 'attacker' | ''

    @property
    def victim(self) -> Optional[str]:
        return self.group if self.group is not None else self.person_group


def _kind_of(m: Match) -> str:
    """The kind of victim a phrase's first person or attacker noun makes it."""
    if m.entry.kind == "attacker":
        return "attacker"   # "مقتل أحد المهاجمين": the victims are the attacking side
    if m.entry.category:
        return "specific"
    return "generic" if m.entry.words[0] in cue_forms("generic_person") else "member"


def read_phrase(view: SentenceView, lo: int, hi: int, era_date: Optional[date]) -> PhraseReading:
    groups, people, out = [], [], PhraseReading()
    head_end = -1
    for m in view.actor_matches_between(lo, hi):
        is_person = m.entry.kind == "person"
        if out.kind == "generic" and m.start == head_end and is_person and m.entry.category:
            out.kind = "specific"   # "4 أشخاص مدنيين"، "شخص مدني": the adjective gives the generic noun a group
        if m.entry.kind in ("group", "context"):
            groups.append(group_of(m, era_date))
        elif is_person and m.entry.category and (not people or m.entry.number == "plural"):
            people.append(group_of(m, era_date))   # the head noun, then plurals joined to it
        if not out.kind and (is_person or m.entry.kind == "attacker"):
            out.kind, head_end = _kind_of(m), m.end
    out.group = _one_or_unspecified(groups)
    # "277 جريحاً من المدنيين والعسكريين": people of two groups under one number
    # (only when the head noun has a group itself: "42 شخصاً غالبيتهم عسكريون" leaves the group open; and
    # only plurals join a plural head: "أحد ضباط الجيش والعامل مع مفرزة الأمن" is one officer)
    out.person_group = _one_or_unspecified(people) if out.kind == "specific" else None
    return out


def _one_or_unspecified(groups: list[str]) -> Optional[str]:
    distinct = list(dict.fromkeys(groups))
    if not distinct:
        return None
    return distinct[0] if len(distinct) == 1 else "unspecified"


@dataclass
class VictimQuery:
    """One count being resolved, with what the victim rules may look at."""
    view: SentenceView
    era_date: Optional[date]
    count: Count
    trig: Match
    phrase_lo: int
    phrase_hi: int
    subset_cue: Optional[Match]
    prev_trig: Optional[Match]          # trigger of the previous candidate of the sentence
    previous_victims: list[str]         # victims of the earlier candidates of the sentence
    stop_tokens: set[int]
    reading: PhraseReading = field(default_factory=PhraseReading)
    same_as_previous: bool = False      # it is "آخرون"، "منهم": of the previous count's group, whoever that is
    victim: str = ""                    # what resolve_victim found, and the rule that found it
    victim_rule: str = ""

    @property
    def kind(self) -> str:
        return self.reading.kind


def _phrase_group(q: VictimQuery) -> Optional[str]:
    """"مقتل 4 عناصر من الميليشيات": a group named in the victim phrase."""
    return q.reading.group


def _person_noun_default(q: VictimQuery) -> Optional[str]:
    """"مقتل 3 مدنيين"، "مقتل جنديين": the person noun carries its group."""
    return q.reading.person_group


def _named_people(q: VictimQuery) -> Optional[str]:
    """"كل من فلان وفلان تعرضا للإصابة": people named with no group are civilians (the contract: a person
    killed by unknown gunmen is a civilian unless the text says a fighter; a group in the phrase comes first)."""
    return "civilians" if q.count.rule in ("named_list", "name_with_age") else None


def _noun_before_count(q: VictimQuery) -> Optional[str]:
    """"عسكريين اثنين": the noun stands before the number."""
    start = q.count.start
    # (not "شاب وأحد عناصر الأمن": a count joined by "و" starts a new person)
    if start > 0 and person_entry(q.view, start - 1) and not q.view.tokens[start].text.startswith("و"):
        q.reading = read_phrase(q.view, start - 1, start, q.era_date)
        return q.reading.victim
    return None


def _victim_noun_phrase(q: VictimQuery) -> Optional[str]:
    """"ارتفع عدد الشهداء المدنيين إلى 38": the victim noun before the count names the group."""
    if q.trig.end < q.count.start and is_victim_noun(q.trig):
        # (only the noun's own phrase: not "ضحايا المجزرة التي ارتكبتها القوات التركية ... إلى 12")
        hi = min(phrase_end(q.view, q.trig.end, q.stop_tokens), q.count.start)
        return read_phrase(q.view, q.trig.end, hi, q.era_date).victim
    return None


def _running_total_phrase(q: VictimQuery) -> Optional[str]:
    """"ارتفاع عدد قتلى قسد ... إلى 46 قتيلاً": the toll named before "إلى" says whose it is."""
    cue = running_total_cue(q.view, q.count.start)
    if cue is None:
        return None
    hi = min(phrase_end(q.view, cue.end, q.stop_tokens), q.count.start)
    return read_phrase(q.view, cue.end, hi, q.era_date).victim


def _possessive_owner(q: VictimQuery) -> Optional[str]:
    """'أربعة من جنوده': the group is the possessor, the nearest actor named before the count."""
    view = q.view
    for t in range(q.phrase_lo, q.phrase_hi):
        w = view.tokens[t].text
        for suf in _POSSESSIVE_SUFFIXES:
            stem = w[: -len(suf)] if w.endswith(suf) else None
            if stem and stem.endswith("ئ"):
                stem = stem[:-1] + "ء"   # "أعضائها" -> "أعضاء"
            if stem and is_person_form(stem):
                prior = [m for m in view.actors if m.end <= q.count.start and m.entry.kind == "group"]
                return group_of(prior[-1], q.era_date) if prior else None
    return None


def _continues_previous(q: VictimQuery) -> bool:
    """Is the count of the same group as the count before it in the sentence?"""
    toks, c = q.view.tokens, q.count
    if any(toks[k].text in cue_forms("same_as_previous")   # "منهم"، "آخرين"
           for k in range(max(c.start, q.phrase_lo - 1), min(q.phrase_hi + 1, len(toks)))):
        return True
    if q.subset_cue is not None and q.kind in ("", "member"):
        return True
    if q.prev_trig is None:
        return False
    if q.kind in ("", "generic") and q.trig is q.prev_trig and coordinated(q.view, c.start):
        return True   # "و2 من منطقة البوكمال": the list goes on
    # "مقتل 8 من عناصر النظام وإصابة 9"، "11 شهيداً من المدنيين وستة جرحى": a bare count in a clause joined
    # by "و" to the toll before it belongs to the same group
    return q.kind == "" and (coordinated(q.view, c.start) or toks[q.trig.start].text.startswith("و"))


def _inherited_from_previous(q: VictimQuery) -> Optional[str]:
    """"ومقتل واحد منهم"، "واعتقال 2 آخرين"، "و2 من منطقة البوكمال": the group of the count before."""
    q.same_as_previous = _continues_previous(q)
    if not q.same_as_previous:
        return None
    return next((v for v in reversed(q.previous_victims) if v not in ("", "unspecified")), None)


def _subset_names_group(q: VictimQuery) -> Optional[str]:
    """"قتل 14 بينهم قياديون ميدانيون في صفوف الفصيل": a count-less subset names the group."""
    if q.subset_cue is not None or q.kind not in ("", "member"):
        return None
    sub = q.view.cue_starting_at("subset", q.phrase_hi)
    if not sub:
        return None
    sub_hi = phrase_end(q.view, sub.end, q.stop_tokens)
    if any(k in q.view.numbers for k in range(sub.end, sub_hi)):
        return None
    return read_phrase(q.view, sub.end, sub_hi, q.era_date).victim


# Tried in this order; the first that names a group wins.
VICTIM_RULES: tuple[tuple[str, Callable[[VictimQuery], Optional[str]]], ...] = (
    ("phrase_group", _phrase_group),
    ("person_noun_default", _person_noun_default),
    ("named_people", _named_people),
    ("noun_before_count", _noun_before_count),
    ("victim_noun_phrase", _victim_noun_phrase),
    ("running_total_phrase", _running_total_phrase),
    ("possessive_owner", _possessive_owner),
    ("inherited_from_previous", _inherited_from_previous),
    ("subset_names_group", _subset_names_group),
)


def resolve_victim(q: VictimQuery) -> tuple[str, str]:
    """(victim group, rule name), or ('', '') when the sentence does not say (victim_choice.py decides)."""
    c = q.count
    q.reading = read_phrase(q.view, c.start if c.end == c.start else q.phrase_lo, q.phrase_hi, q.era_date)
    for name, rule in VICTIM_RULES:
        victim = rule(q)
        if victim is not None:
            return victim, name
    return "", ""


def read_victim(view: SentenceView, era_date: Optional[date], p: Placed, prev_trig: Optional[Match], previous_victims: list[str],
                stop_tokens: set[int]) -> VictimQuery:
    """The victim phrase of a count placed under its trigger, read by the victim rules; the query keeps the
    victim, its rule and what the phrase said (kind of person, same group as the count before)."""
    c = p.count
    lo = p.phrase_start
    hi = phrase_end(view, lo, stop_tokens - {c.start})
    q = VictimQuery(view, era_date, c, p.trig, lo, hi, p.subset_cue, prev_trig, previous_victims, stop_tokens)
    q.victim, q.victim_rule = resolve_victim(q)
    return q


_HARMED_BY_STRIKES = ("killed", "injured")
_AGENT_REACH = 3   # "برصاص عناصر ..."، "بقصف مقاتلي ...": fighters named as the attackers


def civilian_harm(view: SentenceView, outcome: str) -> bool:
    """Deaths or injuries from a strike, shelling or a blast on a place, with no fighting or fighters in the
    sentence: the people it names (اشخاص، شهداء، قتلى) are civilians, as a reader of such a report takes them."""
    if outcome not in _HARMED_BY_STRIKES or not view.cues.get("civilian_harm"):
        return False
    agents = view.cues.get("agent_marker", [])
    fighters = [m.start for m in view.cues.get("combatant_context", [])] + \
               [m.start for m in view.actors if _is_fighter(m)]
    # (a fighter named right after an agent marker is the attacker: "برصاص عناصر"؛ the marker itself,
    # "اشتباك مع"، still says there was fighting)
    return not any(not any(a.start < k <= a.end + _AGENT_REACH for a in agents) for k in fighters)


def _is_fighter(m: Match) -> bool:
    """A person noun of an armed side ("عنصراً"، "جنديين") or of no side but not a generic person ("مقاتلين")."""
    e = m.entry
    return e.kind == "person" and e.category != "civilians" and e.words[0] not in cue_forms("generic_person")

