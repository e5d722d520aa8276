"""Who did it (perpetrator) and who says so (source), read from the sentence around a mention."""
from __future__ import annotations

from typing import Optional

from .linker import Candidate, _group_of
from .sentence import SentenceView
from .tokens import Match

AGENT_WINDOW = 5        # tokens after an agent marker ("برصاص", "هجوم شنه") where the agent is named
NEVER_PERPETRATOR = {"civilians", "unspecified"}


def perpetrator(view: SentenceView, cand: Candidate, post2024: bool, victims: set[str]) -> Optional[str]:
    """The group held responsible: named after an agent marker, next to an attack or trigger verb,
    else the nearest other armed group the sentence names."""
    options: list[tuple[int, str]] = []   # (distance to trigger, group)
    groups = [(m, _group_of(m, post2024)) for m in view.actors if m.entry.kind == "group"]
    victim_span = set(range(cand.count_start, cand.phrase_end))
    for sub in view.cues.get("subset", []):   # "بينهم عناصر من وزارة الدفاع": victims too
        victim_span.update(range(sub.end, sub.end + 4))
    for marker in view.cues.get("agent_marker", []):
        for m, g in groups:
            if marker.end <= m.start <= marker.end + AGENT_WINDOW and m.start not in victim_span:
                options.append((abs(m.start - cand.trigger), g))
                break
    for verb in view.cues.get("attack_verb", []):
        # "هاجمت خلايا التنظيم ..." (subject after the verb), "عناصر التنظيم شنوا ..." (before it)
        after = next(((m, g) for m, g in groups if verb.end <= m.start <= verb.end + 2), None)
        before = next(((m, g) for m, g in groups if m.end in (verb.start, verb.start - 1)), None)
        for mg in (after, before):
            if mg and mg[0].start not in victim_span:
                options.append((abs(mg[0].start - cand.trigger), mg[1]))
    trig = view.triggers.get(cand.trigger)
    if trig is not None and trig.entry.kind == "verb":
        # "اعتقلت قسد ..."، "أفرج تنظيم داعش عن ..."، "قتلت قوات ...": the actor next to the verb acts.
        for m, g in groups:
            if (trig.end <= m.start <= trig.end + 1 or m.end == trig.start) and m.start not in victim_span:
                options.append((0, g))
    options = [(d, g) for d, g in options if g != cand.victim and g not in NEVER_PERPETRATOR]
    if options:
        return min(options)[1]
    # Fall back on the nearest other armed group the sentence names (never one that is itself a
    # victim in this sentence: "1339 ... من بينهم اثنين من الروس")
    nearest = [(abs(m.start - cand.trigger), g) for m, g in groups
               if m.start not in victim_span and g not in victims and g not in NEVER_PERPETRATOR]
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
