"""The victim group of a count, as a table of named rules (the name is the mention's victim_rule).

The linker names the group when the count's own phrase does ("مقتل 4 عناصر من الميليشيات"); otherwise the
rules below are tried in order, first answer wins: the side of the attackers, the group of the count
before, the armed group the sentence or the document is about, civilian context. A list heading that names
civilians gives its items their group when nothing else did.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Optional

from .actor_rules import actor_rules
from .linker import Candidate
from .linker_victims import civilian_harm
from .linker_words import group_of
from .sentence import SentenceView

_DOC_CIVILIANS_MAX = 5   # a larger toll of "أشخاص" is often a mixed one: it stays unspecified


@dataclass
class VictimQuery:
    view: SentenceView
    cand: Candidate
    perp: Optional[str]
    era_date: Optional[date]
    civilian_context: bool          # the sentence names civilians as context ("أحياء سكنية")
    doc_victim: Optional[str]       # the armed group the document last gave a count of
    named_victims: set[str]         # the groups other counts of the sentence name
    doc_civilians: bool             # every group killed or injured so far in the document is civilians
    sentence_victims: list[str] = field(default_factory=list)   # the groups given so far in this sentence
    list_victim: Optional[str] = None   # the group the heading of the list this line is an item of names


def _attacker_side(q: VictimQuery) -> Optional[str]:
    """"مقتل أحد المهاجمين"، "قتل 23 مرتزقاً": the dead belong to the side that attacked (seeds/actor_rules.csv)."""
    if q.cand.person_kind == "attacker":
        return actor_rules().side_of_attackers(q.perp)
    return None


def _inherited_from_previous(q: VictimQuery) -> Optional[str]:
    """"مقتل 23 عنصراً ... وإصابة 10 آخرين": the group the count before was given from context."""
    return q.sentence_victims[-1] if q.cand.same_as_previous and q.sentence_victims else None


def _member_group(q: VictimQuery) -> Optional[str]:
    """"عناصر" with a group named elsewhere in the sentence: the nearest one (not the perpetrator, nor a group
    that is another count's victim in this sentence: "25 من قسد، و56 من المسلحين")."""
    if q.cand.person_kind != "member":
        return None
    groups = [(abs(m.start - q.cand.count_start), m.start > q.cand.count_start, group_of(m, q.era_date))
              for m in q.view.actors if m.entry.kind == "group"]
    groups = [g for g in groups if g[2] not in (q.perp, "unspecified") and g[2] not in q.named_victims]
    return min(groups)[2] if groups else None


def _document_group(q: VictimQuery) -> Optional[str]:
    """"مقتل 23 عنصراً" with no group in the sentence: the armed group the article was talking about."""
    if q.cand.person_kind == "member" and q.doc_victim and q.doc_victim != q.perp:
        return q.doc_victim
    return None


def _member_of_no_group(q: VictimQuery) -> Optional[str]:
    """Members of no group the text names stay unspecified: civilian context never makes fighters civilians."""
    return "unspecified" if q.cand.person_kind == "member" else None


def _civilian_context(q: VictimQuery) -> Optional[str]:
    return "civilians" if q.civilian_context else None


def _civilian_harm(q: VictimQuery) -> Optional[str]:
    """The dead of a shelled village, with no fighting in the sentence (linker_victims.civilian_harm)."""
    return "civilians" if civilian_harm(q.view, q.cand.outcome) else None


def _document_civilians(q: VictimQuery) -> Optional[str]:
    """"الأشخاص الأربعة أصيبوا" in a report whose dead and wounded so far are all civilians (a small toll,
    no armed group nor combat vocabulary in the sentence)."""
    armed = any(m.entry.category not in ("civilians", "unspecified", "") for m in q.view.actors)
    if q.doc_civilians and q.cand.outcome in ("killed", "injured") and q.cand.count <= _DOC_CIVILIANS_MAX \
            and not armed and not q.view.cues.get("combatant_context"):
        return "civilians"
    return None


@dataclass(frozen=True)
class _VictimRule:
    name: str                                      # stored as Mention.victim_rule
    find: Callable[[VictimQuery], Optional[str]]
    drops_perpetrator: bool = False                # the attackers are the dead: no perpetrator is left


# For counts whose own phrase names no group; tried in order, first answer wins.
VICTIM_RULES = (
    _VictimRule("attacker_side", _attacker_side, drops_perpetrator=True),
    _VictimRule("inherited_from_previous", _inherited_from_previous),
    _VictimRule("fallback_member_group", _member_group),
    _VictimRule("document_group", _document_group),
    _VictimRule("unspecified", _member_of_no_group),
    _VictimRule("civilian_context", _civilian_context),
    _VictimRule("civilian_harm", _civilian_harm),
    _VictimRule("document_civilians", _document_civilians),
)


def choose_victim(q: VictimQuery) -> tuple[str, str, Optional[str]]:
    """(victim group, victim_rule, perpetrator left) of a candidate."""
    victim, rule, perp = _first_rule(q)
    if victim == "unspecified" and q.list_victim:
        victim, rule = q.list_victim, "list_heading"   # "- 3 في ريف إدلب" under "الضحايا المدنيون:"
    return victim, rule, perp


def _first_rule(q: VictimQuery) -> tuple[str, str, Optional[str]]:
    if q.cand.victim:
        return q.cand.victim, q.cand.victim_rule, q.perp   # named by the linker, in the count's own phrase
    for rule in VICTIM_RULES:
        victim = rule.find(q)
        if victim is not None:
            return victim, rule.name, None if rule.drops_perpetrator else q.perp
    return "unspecified", "unspecified", q.perp
