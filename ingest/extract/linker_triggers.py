"""Trigger rules: which outcome trigger each count of a sentence belongs to.

The rules of TRIGGER_RULES are tried in order on each count; the first that finds a trigger wins. A count
placed under its trigger (`place`) also carries the name of its count rule: a numeral's is named after the
trigger rule that placed it (_NUMERAL_RULE).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from .lexicons import Entry, Lexicons
from .linker_counts import Count
from .linker_words import back_trigger, coordinated, forward_verb, person_entry, running_total_cue, victim_noun_after
from .sentence import SentenceView
from .tokens import Match


@dataclass
class _TriggerQuery:
    view: SentenceView
    count: Count
    noun_trig: Optional[Match]       # a victim noun right after the count, or the count's own noun
    subset_cue: Optional[Match]      # "بينهم"، "بين القتلى" before the count, or "أحدهما" as the count
    prev_trig: Optional[Match]       # trigger of the sentence's previous candidate
    list_outcome: Optional[str]
    total_outcome: Optional[str] = None   # the outcome the document reported last (for "ليرتفع العدد إلى 5")


def _victim_noun(q: _TriggerQuery) -> Optional[Match]:
    """"8 قتلى"، "35 قتيلاً": the victim noun after the count is its trigger."""
    return q.noun_trig if q.noun_trig and not q.subset_cue else None


_SUBSET_REACH = 3   # "وجرح آخرين من بينهم طفل": the uncounted toll the subset cue follows


def _subset_of_previous(q: _TriggerQuery) -> Optional[Match]:
    """"بينهم أربعة أطفال": a subset of the toll just given has its outcome; when a later trigger with no
    count of its own stands right before the cue ("استشهاد امرأة وجرح آخرين من بينهم طفل"), that is
    the toll just given."""
    if not q.subset_cue or q.prev_trig is None:
        return None
    closer = back_trigger(q.view, q.subset_cue.start, _SUBSET_REACH)
    return closer if closer is not None and closer.start > q.prev_trig.start else q.prev_trig


def _nearest_trigger(q: _TriggerQuery) -> Optional[Match]:
    """The trigger before the count ("مقتل 4")، or a verb after it when that is closer ("53 شخصاً ... قتلوا")."""
    c = q.count
    back = back_trigger(q.view, c.start)
    fwd = forward_verb(q.view, c.end if c.end > c.start else c.start + 1)
    if fwd and (not back or (fwd.start - c.end) < (c.start - back.end)):
        return fwd
    return back


def _running_total_toll(q: _TriggerQuery) -> Optional[Match]:
    """"ارتفعت حصيلة مصابي المجزرة التي ارتكبها ... أمس إلى 61": the toll named after the running-total cue,
    however long the phrase that describes it."""
    cue = running_total_cue(q.view, q.count.start)
    if cue is None:
        return None
    return back_trigger(q.view, q.count.start, q.count.start - cue.end)


MAX_BACK_VERB = 20   # "اختطف مسلحون يعتقد أنهم من خلايا التنظيم، ظهر أول من أمس الأحد، 6 رعاة"


def _distant_verb(q: _TriggerQuery) -> Optional[Match]:
    """A verb whose long subject and time phrase stand between it and its object: the count must be
    followed by a person noun, and be the sentence's first count."""
    c = q.count
    if q.prev_trig is not None or c.end >= len(q.view.tokens) or not person_entry(q.view, c.end):
        return None
    return back_trigger(q.view, c.start, MAX_BACK_VERB, verbs_only=True)


def _coordinated_with_previous(q: _TriggerQuery) -> Optional[Match]:
    """"..., بالإضافة لـ 145 من المليشيات": a count continuing a list shares its outcome."""
    return q.prev_trig if q.prev_trig is not None and coordinated(q.view, q.count.start) else None


def _list_heading(q: _TriggerQuery) -> Optional[Match]:
    """"- 93 مدنياً" under a toll line ending in ":"."""
    c = q.count
    return Match(c.start, c.start, Entry((), q.list_outcome, kind="noun")) if q.list_outcome else None


def _running_total_of_document(q: _TriggerQuery) -> Optional[Match]:
    """"وتوفي طفل متأثراً بجراحه ليرتفع العدد إلى 3": a running total with no toll named in its sentence is
    the total of the outcome the document reported last."""
    c = q.count
    cue = running_total_cue(q.view, c.start) if q.total_outcome else None
    if cue and any(cue.end <= m.start < c.start for m in q.view.cues.get("toll_word", [])):
        return Match(c.start, c.start, Entry((), q.total_outcome, kind="noun"))
    return None   # (not "ارتفعت درجات الحرارة إلى 40": the number must be a toll's)


def _subset_cue_noun(q: _TriggerQuery) -> Optional[Match]:
    """"بين القتلى سبعة عسكريين": the subset cue itself carries the outcome noun."""
    cue = q.subset_cue
    if cue is None or cue.entry is None:
        return None
    return next((q.view.triggers[k] for k in range(cue.start, cue.end) if k in q.view.triggers), None)


def _direction(q: _TriggerQuery, trig: Match) -> str:
    return "forward_verb" if trig.start > q.count.start else "back_trigger"


TRIGGER_RULES: tuple[tuple[str, Callable[[_TriggerQuery], Optional[Match]]], ...] = (
    ("victim_noun", _victim_noun),
    ("subset_of_previous", _subset_of_previous),
    ("nearest_trigger", _nearest_trigger),
    ("running_total_toll", _running_total_toll),
    ("distant_verb", _distant_verb),
    ("coordinated", _coordinated_with_previous),
    ("list_heading", _list_heading),
    ("subset_cue_noun", _subset_cue_noun),
    ("running_total_of_document", _running_total_of_document),
)
# the count rule of a numeral, named after the trigger rule that placed it
_NUMERAL_RULE = {
    "victim_noun": "victim_noun_with_count",
    "subset_of_previous": "subset_cue",
    "back_trigger": "numeral_after_trigger",
    "forward_verb": "numeral_before_verb",
    "distant_verb": "numeral_after_trigger",
    "running_total_toll": "running_total",
    "coordinated": "coordinated_count",
    "list_heading": "list_item",
    "subset_cue_noun": "subset_cue",
    "running_total_of_document": "running_total",
}


def _find_trigger(q: _TriggerQuery) -> tuple[Optional[Match], str]:
    for name, rule in TRIGGER_RULES:
        trig = rule(q)
        if trig is not None:
            return trig, (_direction(q, trig) if name == "nearest_trigger" else name)
    return None, ""


def _subset_cue(view: SentenceView, lex: Lexicons, start: int) -> Optional[Match]:
    q_before = view.cue_ending_at("qualifier_before", start)
    cue = view.cue_ending_at("subset", q_before.start if q_before else start)
    if cue is None and start in view.numbers and lex.numbers.get(view.tokens[start].text, (0, ""))[1] == "one_of":
        cue = Match(start, start, None)   # "أحدهما طفل": one of the toll just given
    return cue


def _numeral_rule(view: SentenceView, c: Count, subset_cue: Optional[Match], trig_rule: str, same_trigger: bool) -> str:
    """The count rule of a numeral, named after how it was placed."""
    if running_total_cue(view, c.start):
        return "running_total"
    if subset_cue is not None:
        return "subset_cue"
    if same_trigger and coordinated(view, c.start):
        return "coordinated_count"   # "و2 من منطقة البوكمال": the list goes on
    return _NUMERAL_RULE[trig_rule]


def _killed_and_wounded(view: SentenceView, noun: Match, second: bool = False) -> bool:
    """"قتيل وجريح"، "قتلى وجرحى": the victim noun joined by "و" to a victim noun of another outcome (with
    `second`, the noun is the one after "و")."""
    if noun.entry.kind != "victim_noun":
        return False
    if second:   # (only after a number: "وقوع قتيل وجريح" is one dead and one wounded)
        other = next((m for m in view.triggers.values() if m.end == noun.start), None)
        joined = view.tokens[noun.start].text.startswith("و") and other is not None and any(
            n.end == other.start for n in view.numbers.values())
    else:
        other = view.triggers.get(noun.end)
        joined = noun.end < len(view.tokens) and view.tokens[noun.end].text.startswith("و")
    return bool(other and joined and other.entry.kind == "victim_noun" and other.entry.category != noun.entry.category)


_HARM = {"killed", "injured"}


def _two_outcomes_joined(view: SentenceView, trig: Match) -> bool:
    """"مقتل وإصابة 16 مدنياً"، "قتل وجرح 5": the trigger joined by "و" to a trigger of the other harm right before
    it, with no number between: one figure for the dead and wounded together is a count of neither (not when the
    first has its own count: "قتيل وإصابة 3"، "طفلٌ قُتل وأُصيب أربعة آخرون"). So is one figure for the missing
    and the wounded ("بفقدان وإصابة 30", lexicon_cues.csv missing_noun): the missing are not wounded."""
    text = view.tokens[trig.start].text
    joined = text.startswith("و") and text != trig.entry.words[0]
    if (missing := view.cue_ending_at("missing_noun", trig.start)) is not None:
        return joined and missing.start - 1 not in view.numbers
    other = next((m for m in view.triggers.values() if m.end == trig.start), None)
    if other is None or other.entry.kind == "victim_noun" or other.start - 1 in view.actor_at \
            or other.start - 1 in view.numbers:
        return False
    return joined and {other.entry.category, trig.entry.category} == _HARM


def _counted_noun(view: SentenceView, c: Count) -> Optional[Match]:
    """The outcome noun the count is of: a victim noun right after it ("8 قتلى")، the noun that is its own
    count ("قتيلين")، or after 11 and more an outcome noun in the singular ("14 إصابة")."""
    if c.end == c.start:
        return view.triggers.get(c.start)
    noun = victim_noun_after(view, c.end)
    if noun is None and c.value >= 11 and (m := view.triggers.get(c.end)) and m.entry.kind == "noun":
        return m
    return noun


@dataclass
class Placed:
    """A count with the trigger it belongs to, and the rules that found the count and placed it."""
    count: Count
    noun: Optional[Match]          # _counted_noun
    subset_cue: Optional[Match]
    trig: Match
    trig_rule: str
    count_rule: str

    @property
    def phrase_start(self) -> int:
        """Where the victim phrase starts: after the victim noun when that is the trigger, else after the count."""
        c = self.count
        if self.trig_rule == "victim_noun":
            return self.noun.end if c.end > c.start else c.start + (self.noun.end - self.noun.start)
        return c.end if c.end > c.start else c.start


def place(view: SentenceView, lex: Lexicons, c: Count, prev_trig: Optional[Match], list_outcome: Optional[str],
          total_outcome: Optional[str]) -> Optional[Placed]:
    """The count's trigger, or None when it has none or one figure stands for two outcomes; `prev_trig` is
    the trigger of the sentence's previous candidate."""
    q = _TriggerQuery(view, c, _counted_noun(view, c), _subset_cue(view, lex, c.start), prev_trig, list_outcome,
                      total_outcome)
    if c.end > c.start and q.noun_trig is not None and _killed_and_wounded(view, q.noun_trig):
        return None   # "12 ألف قتيل وجريح": one figure for two outcomes is a count of neither
    trig, trig_rule = _find_trigger(q)
    if trig is None or _killed_and_wounded(view, trig, second=True) or _two_outcomes_joined(view, trig):
        return None
    count_rule = _numeral_rule(view, c, q.subset_cue, trig_rule, trig is prev_trig) if c.rule == "numeral" else c.rule
    if c.added:
        count_rule += "+" + c.added   # "numeral_after_trigger+coordinated_nouns": both rules gave the number
    return Placed(c, q.noun_trig, q.subset_cue, trig, trig_rule, count_rule)
