"""Who did it (perpetrator) and who says so (source), read from the sentence around a mention."""
from __future__ import annotations

from typing import Optional

from .linker import Candidate, _group_of
from .sentence import SentenceView
from .tokens import Match, find_all

AGENT_WINDOW = 5        # tokens after an agent marker ("برصاص", "هجوم شنه") where the agent is named
NEVER_PERPETRATOR = {"civilians", "unspecified"}


def perpetrator(view: SentenceView, cand: Candidate, post2024: bool) -> Optional[str]:
    """The group held responsible: named after an agent marker, or as the subject/object of the trigger verb."""
    options: list[tuple[int, str]] = []   # (distance to trigger, group)
    groups = [(m, _group_of(m, post2024)) for m in view.actors if m.entry.kind == "group"]
    victim_span = range(cand.count_start, cand.phrase_end)
    for marker in view.cues.get("agent_marker", []):
        for m, g in groups:
            if marker.end <= m.start <= marker.end + AGENT_WINDOW and m.start not in victim_span:
                options.append((abs(m.start - cand.trigger), g))
                break
    trig = view.triggers.get(cand.trigger)
    if trig is not None and trig.entry.kind == "verb":
        # "اعتقلت قسد ..."، "أفرج تنظيم داعش عن ..."، "قتلت قوات ...": the actor next to the verb acts.
        for m, g in groups:
            if (trig.end <= m.start <= trig.end + 1 or m.end == trig.start) and m.start not in victim_span:
                options.append((0, g))
    options = [(d, g) for d, g in options if g != cand.victim and g not in NEVER_PERPETRATOR]
    if options:
        return min(options)[1]
    # Fall back on the one other armed group the sentence names, if there is exactly one.
    others = {g for m, g in groups if m.start not in victim_span and g != cand.victim and g not in NEVER_PERPETRATOR}
    if len(others) == 1 and cand.outcome in ("killed", "injured", "kidnapped", "arrested", "released"):
        return others.pop()
    return None


def source_in(view: SentenceView, source_table, cand: Candidate) -> Optional[str]:
    """The attribution nearest the mention: "بحسب المرصد"، "قال التلفزيون السوري"، "أعلن التحالف"."""
    matches: list[Match] = find_all(view.tokens, source_table)
    if not matches:
        return None
    best = min(matches, key=lambda m: (abs(m.start - cand.trigger), m.start > cand.trigger))
    return best.entry.category
