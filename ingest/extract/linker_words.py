"""Word-level questions the linker's rules ask about one sentence: is this token a person noun, a
victim noun, the trigger that governs a count, a coordinator; where does a victim phrase end.

Shared by the count rules (linker_counts.py), the victim rules (linker_victims.py) and the
trigger rules (linker_triggers.py); none of them decides anything on its own.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Optional

from .actor_eras import group_in_era
from .lexicons import cue_forms, load_lexicons
from .sentence import SentenceView
from .tokens import Match, variants

MAX_BACK = 10          # tokens between a trigger and the count it governs
MAX_FORWARD_VERB = 5   # "53 شخصاً كانوا يجمعون الكمأة قتلوا"
MAX_PHRASE = 10        # tokens of the victim phrase after a count
CLAUSE_PUNCT = {"،", ",", ".", ":", "؛", ";", "(", ")", "!", "؟", "?", "-", "–"}
# Closed word lists are rows of seeds/lexicon_cues.csv (cue_forms). What stays in code is orthography and
# grammar, not vocabulary: punctuation (CLAUSE_PUNCT), the proclitics و ف ب tested on a token's first letter,
# and the dual ending "-ان".


def negated(view: SentenceView, trig: Match) -> bool:
    return any(trig.start - 4 <= m.end <= trig.start for m in view.cues.get("negation", []))


def person_entry(view: SentenceView, i: int) -> Optional[Match]:
    m = view.actor_at.get(i)
    return m if m and m.entry.kind == "person" else None


def is_victim_noun(m: Match) -> bool:
    return m.entry.kind == "victim_noun"


def group_of(m: Match, era_date: Optional[date]) -> str:
    """The actor group a dictionary form names on the date the sentence is read at (seeds/actor_eras.csv);
    forms marked era=fixed ("قوات الأسد") name their group whatever the date."""
    if m.entry.era == "fixed":
        return m.entry.category
    return group_in_era(m.entry.category, m.entry.words, era_date)


def is_person_form(stem: str) -> bool:
    return any(e.kind == "person" for v in variants(stem) for e in load_lexicons().actors.by_first.get(v, ())
               if len(e.words) == 1)


def dual_of_person(view: SentenceView, i: int) -> bool:
    """"مقاتلان"، "راعيان": a nominative dual of a listed singular person noun (the "-ين" form is left
    to the dictionary, as it is also the plural of many nouns)."""
    w = view.tokens[i].text
    return len(w) > 4 and w.endswith("ان") and is_person_form(w[:-2])


def back_trigger(view: SentenceView, start: int, reach: int = MAX_BACK, verbs_only: bool = False) -> Optional[Match]:
    """The nearest un-negated trigger ending before `start`, at most `reach` tokens back."""
    for t in range(start - 1, max(-1, start - 1 - reach), -1):
        m = view.triggers.get(t)
        if m and m.end <= start and not negated(view, m) and (not verbs_only or m.entry.kind == "verb"):
            return m
    return None


def forward_verb(view: SentenceView, end: int) -> Optional[Match]:
    """A trigger verb a few tokens after the count ("53 شخصاً ... قتلوا"), not past another number."""
    for t in range(end, min(len(view.tokens), end + MAX_FORWARD_VERB)):
        if t in view.numbers and t != end:
            return None
        m = view.triggers.get(t)
        if m and m.entry.kind == "verb" and not negated(view, m):
            # "قتل مدنيان اثنان وأصيب ثلاثة": a verb opening a new clause ("وأصيب") governs what follows it
            return None if _opens_with_conjunction(view.tokens[t].text, m) else m
    return None


def _opens_with_conjunction(text: str, m: Match) -> bool:
    """"وأصيب"، "فقتل": a conjunction written onto the trigger; "فقد حياته" starts with its own "ف"."""
    return text[0] in "وف" and text != m.entry.words[0]


def victim_noun_after(view: SentenceView, end: int) -> Optional[Match]:
    """"8 قتلى"، "3 من الجرحى": a victim noun right after the count (or after "من"); a bracket closing the
    number is skipped ("(5) شهداء")."""
    if end < len(view.tokens) and view.tokens[end].text == ")":
        end += 1
    for t in (end, end + 1):
        m = view.triggers.get(t)
        if m and is_victim_noun(m):
            if t == end + 1 and view.tokens[end].text not in cue_forms("partitive"):
                return None
            return m
    return None


def coordinated(view: SentenceView, start: int) -> bool:
    """The count continues a list: "و11 من الرعاة"، "بالإضافة لـ 145 ..."."""
    toks = view.tokens
    if toks[start].text.startswith("و"):
        return True
    return any(toks[k].text in cue_forms("list_coordinator") for k in range(max(0, start - 3), start))


@lru_cache(maxsize=1)
def _instrument_words() -> frozenset:
    """Nouns that, after "ب", start an instrument or cause phrase: "بقذائف"، "بانفجار"، "بجروح"."""
    lex = load_lexicons()
    cats = ("violence", "non_person_unit", "agent_marker")
    return frozenset(w for c in cats for e in lex.cues[c].by_first.values() for x in e for w in x.words[:1]) \
        | cue_forms("instrument_noun")


def _group_follows(view: SentenceView, j: int) -> bool:
    """"في صفوف ..."، "في قوات النظام": the preposition at j, before a group, says whose ranks, not where."""
    toks = view.tokens
    return toks[j].text in cue_forms("group_preposition") and j + 1 < len(toks) and (
        toks[j + 1].text in cue_forms("ranks_word") or (j + 1) in view.actor_at)


def _ends_phrase(view: SentenceView, j: int, lo: int, stops: set[int]) -> bool:
    """Does token j end the victim phrase that starts at lo?"""
    toks = view.tokens
    t = toks[j].text
    if j in stops or t in CLAUSE_PUNCT:
        return True
    if j in view.triggers and j != lo and not is_victim_noun(view.triggers[j]):
        return True
    if t in cue_forms("victim_phrase_stop") and not _group_follows(view, j):
        return True
    # "بقذائف"، "برصاص"، "بانفجار": an instrument phrase ends the victims (but "بتنظيم داعش" is membership)
    return j != lo and t.startswith("ب") and t[1:] in _instrument_words()


def phrase_end(view: SentenceView, lo: int, stop_at: set[int]) -> int:
    """Token index where the victim phrase starting at lo ends (exclusive)."""
    stops = stop_at | view.cue_starts("subset") | view.cue_starts("agent_marker") | view.cue_starts("attack_verb")
    qualifiers = {m.start: m.end for m in view.cues.get("qualifier_after", [])}
    j = lo
    while j < len(view.tokens) and j - lo < MAX_PHRASE:
        if j in qualifiers:   # "35 قتيلاً على الأقل في صفوف ...": the phrase goes on after it
            j = qualifiers[j]
            continue
        if _ends_phrase(view, j, lo, stops):
            break
        j += 1
    return j


_TOTAL_REACH = 16   # "ارتفع عدد الشهداء المدنيين في البلدة إلى 38"، "ارتفعت حصيلة مصابي المجزرة التي ارتكبها ... أمس إلى 61"


def running_total_cue(view: SentenceView, start: int) -> Optional[Match]:
    """"ارتفعت حصيلة القتلى إلى 7"، "ليرتفع العدد إلى 5": the cue when the count after "إلى" is the new
    total of a toll (lexicon_cues.csv, running_total)."""
    if start == 0 or view.tokens[start - 1].text not in cue_forms("running_total_to"):
        return None
    return next((m for m in view.cues.get("running_total", []) if 0 < start - m.end <= _TOTAL_REACH), None)

