"""Links counts to outcome triggers and victim groups inside one sentence.

Arabic news states a toll in a few shapes, all handled here:
  trigger + count + victim     "مقتل 4 عناصر من الميليشيات"، "اعتقال 111 شخصاً من عناصر التنظيم"
  count + victim noun          "35 قتيلاً في صفوف قوات النظام"، "8 قتلى"
  count + noun + passive verb  "53 شخصاً كانوا ... قتلوا"
  trigger + singular/dual noun "اعتقال قيادي"، "مقتل شاب"، "ضابطان"
  subset of a toll             "بينهم أربعة ضباط"، "بين القتلى سبعة عسكريين"
  coordination                 "قتل 61 مدنياً وسبعة عسكريين"، "ومقتل واحد منهم"، "ومقتل آخر"

Three tables of named rules do the work, each tried in order, first answer wins:
  count rules    (linker_counts.py)   which tokens are counts
  trigger rules  (linker_triggers.py) which outcome each count belongs to
  victim rules   (linker_victims.py)  whose toll it is
and every candidate records the names of the rules behind its count and its victim. This module only
puts them in that order: the sentence (SentenceView) is read by the rule modules and the word-level
questions they share (linker_words.py), never here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from .lexicons import Lexicons
from .linker_counts import find_counts, list_item_nouns, qualifier_of
from .linker_triggers import Placed, place
from .linker_victims import VictimQuery, read_victim
from .sentence import SentenceView
from .tokens import Match



@dataclass
class Candidate:
    outcome: str
    count: int
    qualifier: str
    victim: str
    trigger: int            # token index of the trigger
    count_start: int        # token span of the count expression
    count_end: int
    phrase_end: int         # token index where the victim phrase ends
    is_subset: bool = False
    person_kind: str = ""   # 'generic' (شخص) | 'member' (عنصر) | 'specific' | 'attacker' | ''
    count_rule: str = ""    # the rule that found the count (linker_counts.NOUN_COUNT_RULES, linker_triggers._NUMERAL_RULE)
    victim_rule: str = ""   # the rule that named the victim ('' when victim_choice.py falls back on context)
    same_as_previous: bool = False   # "وإصابة 10 آخرين": of the group victim_choice.py gives the count before


def _candidate(p: Placed, vq: VictimQuery, qualifier: str) -> Candidate:
    """The candidate of a placed count, from what the trigger and victim rules found."""
    c, trig = p.count, p.trig
    return Candidate(trig.entry.category, c.value, qualifier, vq.victim, trig.start, c.start, max(c.end, c.start + 1),
                     vq.phrase_hi, is_subset=p.subset_cue is not None, person_kind=vq.kind, count_rule=p.count_rule,
                     victim_rule=vq.victim_rule, same_as_previous=vq.same_as_previous)


def link(view: SentenceView, lex: Lexicons, era_date: Optional[date], list_outcome: Optional[str] = None,
         total_outcome: Optional[str] = None) -> list[Candidate]:
    """Candidates of one sentence; `list_outcome` is the outcome of the toll a list item belongs to
    ("وتتوزع الحصيلة على النحو التالي:" followed by "- 93 مدنياً")."""
    counts = find_counts(view) or (list_item_nouns(view) if list_outcome else [])
    stop_tokens = {c.start for c in counts}
    out: list[Candidate] = []
    prev_trig: Optional[Match] = None
    for c in counts:
        placed = place(view, lex, c, prev_trig, list_outcome, total_outcome)
        if placed is None:
            continue
        vq = read_victim(view, era_date, placed, prev_trig, [e.victim for e in out], stop_tokens)
        out.append(_candidate(placed, vq, qualifier_of(view, c, vq.phrase_lo, vq.phrase_hi)))
        prev_trig = placed.trig
    return out
