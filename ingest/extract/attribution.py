"""Who did it (perpetrator) and who says so (source), read from the sentence around a mention."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from .linker import Candidate
from .linker_words import group_of
from .sentence import SentenceView
from .tokens import Match

AGENT_WINDOW = 5        # tokens after an agent marker ("برصاص", "هجوم شنه") where the agent is named
NEVER_PERPETRATOR = {"civilians", "unspecified"}
UNKNOWN = ""            # the group of an unknown agent ("مجهولين"، "ملثمين", lexicon_cues.csv unknown_agent)


Option = tuple[int, str]   # (distance to the trigger, group)


@dataclass
class _Scene:
    """What the perpetrator rules read: the sentence, the mention, the armed groups the sentence names,
    and the tokens that name victims (a group named there is never the perpetrator)."""
    view: SentenceView
    cand: Candidate
    groups: list[tuple[Match, str]]
    victim_span: set[int]

    def option(self, m: Match, group: str) -> Optional[Option]:
        """The group as a perpetrator option, unless it is named among the victims."""
        return None if m.start in self.victim_span else (abs(m.start - self.cand.trigger), group)


def _after_agent_marker(s: _Scene) -> list[Option]:
    """"برصاص قوات ..."، "هجوم شنه التنظيم": the first group named within a few tokens after an agent marker."""
    out = []
    for marker in s.view.cues.get("agent_marker", []):
        first = next((opt for m, g in s.groups
                      if marker.end <= m.start <= marker.end + AGENT_WINDOW and (opt := s.option(m, g))), None)
        if first:
            out.append(first)
    return out


def _next_to_attack_verb(s: _Scene) -> list[Option]:
    """"هاجمت خلايا التنظيم ..." (subject after the verb), "عناصر التنظيم شنوا ..." (before it)."""
    out = []
    for verb in s.view.cues.get("attack_verb", []):
        after = next(((m, g) for m, g in s.groups if verb.end <= m.start <= verb.end + 2), None)
        before = next(((m, g) for m, g in s.groups if m.end in (verb.start, verb.start - 1)), None)
        out.extend(opt for opt in (s.option(*mg) for mg in (after, before) if mg) if opt)
    return out


def _next_to_trigger_verb(s: _Scene) -> list[Option]:
    """"اعتقلت قسد ..."، "أفرج تنظيم داعش عن ..."، "قتلت قوات ...": the actor next to the verb acts."""
    trig = s.view.triggers.get(s.cand.trigger)
    if trig is None or trig.entry.kind != "verb":
        return []
    return [(0, g) for m, g in s.groups
            if (trig.end <= m.start <= trig.end + 1 or m.end == trig.start) and m.start not in s.victim_span]


# The named rules that tie a group to the act; the option nearest the trigger wins.
PERPETRATOR_RULES = {
    "agent_marker": _after_agent_marker,
    "attack_verb": _next_to_attack_verb,
    "trigger_verb": _next_to_trigger_verb,
}


def _victim_span(view: SentenceView, cand: Candidate) -> set[int]:
    """The victim phrase of the mention, and a few tokens after a subset cue
    ("بينهم عناصر من وزارة الدفاع": victims too)."""
    span = set(range(cand.count_start, cand.phrase_end))
    for sub in view.cues.get("subset", []):
        span.update(range(sub.end, sub.end + 4))
    return span


def perpetrator(view: SentenceView, cand: Candidate, era_date: Optional[date], victims: set[str]) -> tuple[Optional[str], str]:
    """The group held responsible and the rule that found it: named after an agent marker, next to an attack
    or trigger verb, else the nearest other armed group the sentence names. An unknown agent in the agent's
    place ("برصاص مسلحين مجهولين"، "اغتال ملثمون") is nobody the text names: rule unknown_agent, no group
    (and none to carry from an earlier sentence)."""
    groups = [(m, group_of(m, era_date)) for m in view.actors if m.entry.kind == "group"]
    groups += [(m, UNKNOWN) for m in view.cues.get("unknown_agent", [])]
    scene = _Scene(view, cand, groups, _victim_span(view, cand))
    options = [(d, g, name) for name, rule in PERPETRATOR_RULES.items() for d, g in rule(scene)
               if g != cand.victim and g not in NEVER_PERPETRATOR]
    if options:
        _d, group, name = min(options)
        return (None, "unknown_agent") if group == UNKNOWN else (group, name)
    group = _nearest_group(scene, victims)
    return group, "nearest_group" if group else ""


def attacker(view: SentenceView, era_date: Optional[date]) -> Optional[str]:
    """The attacker a sentence with no casualty figure names ("استهدفت مسيرة تركية سيارة ..."، then "وأسفر
    الهجوم عن ..."): after an agent marker or next to an attack verb, nearest the first attack verb."""
    verbs = view.cues.get("attack_verb", [])
    groups = [(m, group_of(m, era_date)) for m in view.actors if m.entry.kind == "group"]
    if not verbs or not groups:
        return None
    groups += [(m, UNKNOWN) for m in view.cues.get("unknown_agent", [])]
    at = verbs[0].start
    scene = _Scene(view, Candidate("", 0, "exact", "", at, at, at, at), groups, set())
    options = [(d, g) for rule in (_after_agent_marker, _next_to_attack_verb) for d, g in rule(scene)
               if g not in NEVER_PERPETRATOR]
    return (min(options)[1] or None) if options else None


def _nearest_group(s: _Scene, victims: set[str]) -> Optional[str]:
    """The nearest armed group the sentence names, never one that is itself a victim in this sentence
    ("1339 ... من بينهم اثنين من الروس")."""
    nearest = [(abs(m.start - s.cand.trigger), g) for m, g in s.groups
               if m.start not in s.victim_span and g not in victims and g not in NEVER_PERPETRATOR and g != UNKNOWN]
    return min(nearest)[1] if nearest else None


def source_in(view: SentenceView, cand: Candidate) -> Optional[str]:
    """The attribution nearest the mention: "بحسب المرصد"، "قال التلفزيون السوري"، "أعلن التحالف"."""
    reports = [m.end for m in view.cues.get("reporting_verb", [])]
    # Actors named as sources ("أعلنت قسد") count only right after a reporting verb;
    # elsewhere they are parties to the event ("عمليات التحالف وقسد").
    matches: list[Match] = [m for m in view.sources
                            if m.entry.kind != "after_verb" or any(0 <= m.start - e <= 1 for e in reports)]
    if not matches:
        return None
    # "قال التلفزيون ... قتل 53"، "... 373 قتيلاً، وفق المرصد": the nearest attribution before the
    # mention, else the nearest after it.
    best = min(matches, key=lambda m: (m.start > cand.trigger, abs(m.start - cand.trigger)))
    return best.entry.category
