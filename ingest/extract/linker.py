"""Links counts to outcome triggers and victim groups inside one sentence.

Arabic news states a toll in a few shapes, all handled here:
  trigger + count + victim     "مقتل 4 عناصر من الميليشيات"، "اعتقال 111 شخصاً من عناصر التنظيم"
  count + victim noun          "35 قتيلاً في صفوف قوات النظام"، "8 قتلى"
  count + noun + passive verb  "53 شخصاً كانوا ... قتلوا"
  trigger + singular/dual noun "اعتقال قيادي"، "مقتل شاب"، "ضابطان"
  subset of a toll             "بينهم أربعة ضباط"، "بين القتلى سبعة عسكريين"
  coordination                 "قتل 61 مدنياً وسبعة عسكريين"، "ومقتل واحد منهم"، "ومقتل آخر"
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .lexicons import Entry, Lexicons, load_lexicons
from .sentence import SentenceView
from .tokens import Match, variants

MAX_BACK = 10          # tokens between a trigger and the count it governs
MAX_FORWARD_VERB = 5   # "53 شخصاً كانوا يجمعون الكمأة قتلوا"
MAX_PHRASE = 10        # tokens of the victim phrase after a count
_CLAUSE_PUNCT = {"،", ",", ".", ":", "؛", ";", "(", ")", "!", "؟", "?", "-", "–"}
_PHRASE_STOP = {"جراء", "خلال", "اثر", "بعد", "قرب", "عند", "منذ", "بسبب", "حين", "عندما", "اثناء", "اثناءها",
                "في", "اليوم", "امس", "ليل", "مساء", "صباح", "فجر", "حيث", "التي", "الذي", "الذين", "فيما",
                "بينما", "كما", "وذلك", "لدي", "مع", "ضد", "علي", "الي"}
_PASS_WORDS = {"من", "صفوف", "ضمن", "التابعه", "التابعين", "التابع", "ل", "في"}
_SAME_AS_PREVIOUS = {"منهم", "اخرين", "اخرون", "اخر", "اخري", "اخران", "اخرتان", "اخريات", "مثلهم", "ثالث", "رابع",
                     "خامس"}
_POSSESSIVE_SUFFIXES = ("هم", "ها", "ه")


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


def _negated(view: SentenceView, trig: Match) -> bool:
    return any(trig.start - 4 <= m.end <= trig.start for m in view.cues.get("negation", []))


def _person_entry(view: SentenceView, i: int) -> Optional[Match]:
    m = view.actor_at.get(i)
    return m if m and m.entry.kind == "person" else None


def _dual_of_person(view: SentenceView, i: int) -> bool:
    """"مقاتلان"، "راعيان": a nominative dual of a listed singular person noun (the "-ين" form is left
    to the dictionary, as it is also the plural of many nouns)."""
    w = view.tokens[i].text
    return len(w) > 4 and w.endswith("ان") and _is_person_form(w[:-2])


def _is_victim_noun(m: Match) -> bool:
    return m.entry.kind == "victim_noun"


def _back_trigger(view: SentenceView, start: int) -> Optional[Match]:
    for t in range(start - 1, max(-1, start - 1 - MAX_BACK), -1):
        m = view.triggers.get(t)
        if m and m.end <= start and not _negated(view, m):
            return m
    return None


def _forward_verb(view: SentenceView, end: int) -> Optional[Match]:
    for t in range(end, min(len(view.tokens), end + MAX_FORWARD_VERB)):
        if t in view.numbers and t != end:
            return None
        m = view.triggers.get(t)
        if m and m.entry.kind == "verb" and not _negated(view, m):
            # "قتل مدنيان اثنان وأصيب ثلاثة": a verb opening a new clause ("وأصيب") governs what follows it
            return None if view.tokens[t].text[0] in "وف" else m
    return None


def _victim_noun_after(view: SentenceView, end: int) -> Optional[Match]:
    for t in (end, end + 1):
        m = view.triggers.get(t)
        if m and _is_victim_noun(m):
            if t == end + 1 and view.tokens[end].text not in {"من"}:
                return None
            return m
    return None


def _not_a_head_count(view: SentenceView, start: int, end: int, value: int, lex: Lexicons) -> bool:
    toks = view.tokens
    if any(m.start == end for m in view.cues.get("non_person_unit", [])):
        return True
    if end < len(toks) and toks[end].text in {"%", "الف", "الاف", "مليون"}:
        return True
    # "الفرقة 17"، "اللواء 8": unit names, not head counts
    if start > 0 and toks[start - 1].text in {"رقم", "العدد", "عام", "العام", "سنه", "ال", "الفرقه", "اللواء",
                                              "الفوج", "الكتيبه", "الفيلق", "المجموعه"}:
        return True
    is_year = toks[start].is_digit and len(toks[start].text) == 4 and 1900 <= value <= 2100
    if is_year and not (end < len(toks) and (toks[end].text in {"من"} or _person_entry(view, end)
                                               or (view.triggers.get(end) and _is_victim_noun(view.triggers[end])))):
        return True
    return value <= 0 or value > 100000


def _group_of(m: Match, era_date_after_2024: bool) -> str:
    group = m.entry.category
    if group == "regime" and era_date_after_2024 and m.entry.era != "fixed":
        return "transitional_gov"
    return group


def victim_from_phrase(view: SentenceView, lo: int, hi: int, post2024: bool) -> tuple[Optional[str], str]:
    """(group or None, person kind) for the phrase tokens[lo:hi]. kind: 'generic' | 'member' | 'specific' | ''."""
    groups, person_default, kind = [], None, ""
    for m in view.actor_matches_between(lo, hi):
        if m.entry.kind in ("group", "context"):
            groups.append(_group_of(m, post2024))
        elif m.entry.kind == "attacker" and not kind:
            kind = "attacker"   # "مقتل أحد المهاجمين": the victims are the attacking side
        elif m.entry.kind == "person" and not kind:
            if m.entry.category:
                person_default, kind = _group_of(m, post2024), "specific"
            elif m.entry.words[0] in {"شخص", "شخصا", "شخصين", "شخصان", "اشخاص"}:
                kind = "generic"
            else:
                kind = "member"
    distinct = list(dict.fromkeys(g for g in groups))
    if len(distinct) == 1:
        return distinct[0], kind
    if len(distinct) > 1:
        return "unspecified", kind
    if person_default:
        return person_default, kind
    return None, kind


@lru_cache(maxsize=1)
def _instrument_words() -> frozenset:
    """Nouns that, after "ب", start an instrument or cause phrase: "بقذائف"، "بانفجار"، "بجروح"."""
    lex = load_lexicons()
    cats = ("violence", "non_person_unit", "agent_marker")
    return frozenset(w for c in cats for e in lex.cues[c].by_first.values() for x in e for w in x.words[:1]) | {"جروح"}


def _phrase_end(view: SentenceView, lo: int, stop_at: set[int]) -> int:
    toks, j = view.tokens, lo
    subset_starts = view.cue_starts("subset")
    agent_starts = view.cue_starts("agent_marker")
    qualifiers = {m.start: m.end for m in view.cues.get("qualifier_after", [])}
    attack_verbs = view.cue_starts("attack_verb")
    while j < len(toks) and j - lo < MAX_PHRASE:
        if j in qualifiers:   # "35 قتيلاً على الأقل في صفوف ...": the phrase goes on after it
            j = qualifiers[j]
            continue
        t = toks[j].text
        if j in stop_at or j in subset_starts or j in agent_starts or t in _CLAUSE_PUNCT:
            break
        if j in view.triggers and j != lo and not _is_victim_noun(view.triggers[j]):
            break
        if t in _PHRASE_STOP and not (t == "في" and (j + 1 < len(toks) and (toks[j + 1].text == "صفوف"
                                                                          or (j + 1) in view.actor_at))):
            break
        # "بقذائف"، "برصاص"، "بانفجار": an instrument phrase ends the victims (but "بتنظيم داعش" is membership)
        if j != lo and t.startswith("ب") and t[1:] in _instrument_words():
            break
        if j in attack_verbs:
            break
        j += 1
    return j


def _possessive_group(view: SentenceView, lo: int, hi: int, before: int, post2024: bool) -> Optional[str]:
    """'أربعة من جنوده': the group is the possessor, the nearest actor named before the count."""
    for t in range(lo, hi):
        w = view.tokens[t].text
        for suf in _POSSESSIVE_SUFFIXES:
            stem = w[: -len(suf)] if w.endswith(suf) else None
            if stem and stem.endswith("ئ"):
                stem = stem[:-1] + "ء"   # "أعضائها" -> "أعضاء"
            if stem and _is_person_form(stem):
                prior = [m for m in view.actors if m.end <= before and m.entry.kind == "group"]
                return _group_of(prior[-1], post2024) if prior else None
    return None


def _is_person_form(stem: str) -> bool:
    return any(e.kind == "person" for v in variants(stem) for e in load_lexicons().actors.by_first.get(v, ())
               if len(e.words) == 1)


_COORDINATORS = {"و", "بالاضافه", "اضافه", "ل", "الي", "جانب"}


def _coordinated(view: SentenceView, start: int) -> bool:
    """The count continues a list: "و11 من الرعاة"، "بالإضافة لـ 145 ..."."""
    toks = view.tokens
    if toks[start].text.startswith("و"):
        return True
    return any(toks[k].text in _COORDINATORS for k in range(max(0, start - 3), start))


def link(view: SentenceView, lex: Lexicons, post2024: bool, list_outcome: Optional[str] = None) -> list[Candidate]:
    """Candidates of one sentence; `list_outcome` is the outcome of the toll a list item belongs to
    ("وتتوزع الحصيلة على النحو التالي:" followed by "- 93 مدنياً")."""
    toks = view.tokens
    out: list[Candidate] = []
    # 1. Count expressions: numbers, then singular/dual person nouns governed by a trigger.
    counts: list[tuple[int, int, int]] = []   # (start, end, value)
    i = 0
    while i < len(toks):
        n = view.numbers.get(i)
        dual_before = i > 0 and _person_entry(view, i - 1) and _person_entry(view, i - 1).entry.number == "dual"
        if n and n.value == 2 and dual_before:
            i = n.end   # "مدنيان اثنان": the number repeats the dual
            continue
        if n and i not in view.blocked and not _not_a_head_count(view, n.start, n.end, n.value, lex):
            counts.append((n.start, n.end, n.value))
            i = n.end
            continue
        i += 1
    count_starts = {c[0] for c in counts}
    for i in range(len(toks)):
        if i in count_starts or i in view.blocked:
            continue
        p = _person_entry(view, i)
        trig = view.triggers.get(i)
        if trig and _is_victim_noun(trig) and trig.entry.words[0].endswith(("ين", "ان")) \
                and trig.entry.words[0] not in {"مصابين", "مختطفين", "مخطوفين", "معتقلين", "موقوفين"}:
            counts.append((i, i, 2))   # "قتيلين": the dual noun is its own count
            continue
        after_number = any(c[0] >= i - 3 for c in counts if c[0] < i)
        if not p and _dual_of_person(view, i) and not after_number:
            counts.append((i, i, 2))
            continue
        if p and p.entry.number in ("singular", "dual") and not after_number:
            value = 2 if p.entry.number == "dual" else 1
            if value == 2:
                counts.append((i, i, 2))
                continue
            if view.cue_ending_at("subset", i):
                counts.append((i, i, 1))   # "بينهم قيادي بارز"
                continue
            back = _back_trigger(view, i)
            if not back or any(k in view.numbers for k in range(back.end, i)):
                continue
            gap = range(back.end, i)
            # A verb may have its subject between it and its object:
            # "اختطف مسلحون مجهولون يستقلون دراجة نارية، شاباً".
            if (i - back.end <= 4 and not any(toks[k].text in _CLAUSE_PUNCT for k in gap)) or \
                    (back.entry.kind == "verb" and i - back.end <= 8
                     and not any(_person_entry(view, k) and _person_entry(view, k).entry.number != "plural" for k in gap)):
                counts.append((i, i, 1))
        elif toks[i].text in {"اخر", "اخري", "ثالث", "رابع", "خامس"} and i > 0 and (i - 1) in view.triggers:
            counts.append((i, i + 1, 1))   # "ومقتل آخر": one more of the same group
    counts.sort()
    stop_tokens = {c[0] for c in counts}
    # 2. Each count: its outcome, its victim, its qualifier.
    prev: Optional[Candidate] = None
    prev_trig: Optional[Match] = None
    for start, end, value in counts:
        noun_trig = _victim_noun_after(view, end) if end > start else view.triggers.get(start)
        q_before = view.cue_ending_at("qualifier_before", start)
        subset_cue = view.cue_ending_at("subset", q_before.start if q_before else start)
        if subset_cue is None and start in view.numbers and lex.numbers.get(toks[start].text, (0, ""))[1] == "one_of":
            subset_cue = Match(start, start, None)   # "أحدهما طفل": one of the toll just given
        if noun_trig and not subset_cue:
            trig = noun_trig
            phrase_lo = noun_trig.end if end > start else start + (noun_trig.end - noun_trig.start)
        else:
            back = _back_trigger(view, start)
            fwd = _forward_verb(view, end if end > start else start + 1)
            trig = back
            if fwd and (not back or (fwd.start - end) < (start - back.end)):
                trig = fwd
            if subset_cue and prev is not None:
                trig = prev_trig or trig
            phrase_lo = end if end > start else start
        if trig is None and prev is not None and _coordinated(view, start):
            trig = prev_trig   # "..., بالإضافة لـ 145 من المليشيات"
        if trig is None and list_outcome:
            trig = Match(start, start, Entry((), list_outcome, kind="noun"))
        if trig is None:
            # "بين القتلى سبعة عسكريين": the subset cue itself carries the outcome noun
            if subset_cue and subset_cue.entry is not None:
                t = next((view.triggers[k] for k in range(subset_cue.start, subset_cue.end) if k in view.triggers), None)
                trig = t
            if trig is None:
                continue
        outcome = trig.entry.category
        hi = _phrase_end(view, phrase_lo, stop_tokens - {start})
        victim, kind = victim_from_phrase(view, start if end == start else phrase_lo, hi, post2024)
        if victim is None and start > 0 and _person_entry(view, start - 1):
            victim, kind = victim_from_phrase(view, start - 1, start, post2024)   # "عسكريين اثنين"
        if victim is None and trig.end < start and _is_victim_noun(trig):
            victim = victim_from_phrase(view, trig.end, start, post2024)[0]   # "الشهداء المدنيين إلى 38"
        if victim is None:
            owner = _possessive_group(view, phrase_lo, hi, start, post2024)
            if owner:
                victim = owner
        same_as_prev = any(toks[k].text in _SAME_AS_PREVIOUS for k in range(max(start, phrase_lo - 1), min(hi + 1, len(toks))))
        specific_prev = next((c.victim for c in reversed(out) if c.victim not in ("", "unspecified")), None)
        same_list = prev_trig is not None and trig is prev_trig and _coordinated(view, start)
        inherits = (same_as_prev or (subset_cue is not None and kind in ("", "member"))
                    or (kind in ("", "generic") and same_list))
        if victim is None and inherits:
            victim = specific_prev   # "ومقتل واحد منهم"، "واعتقال 2 آخرين"، "و2 من منطقة البوكمال"
        if victim is None and subset_cue is None and kind in ("", "member"):
            # "قتل 10 بينهم قادة بارزين ضمن صفوف التنظيم": a count-less subset names the group.
            sub = view.cue_starting_at("subset", hi)
            if sub:
                sub_hi = _phrase_end(view, sub.end, stop_tokens)
                if not any(k in view.numbers for k in range(sub.end, sub_hi)):
                    victim, _ = victim_from_phrase(view, sub.end, sub_hi, post2024)
        qualifier = "exact"
        q = view.cue_ending_at("qualifier_before", start)
        if q:
            qualifier = q.entry.value
        for m in view.cues.get("qualifier_after", []):
            if phrase_lo <= m.start <= hi + 1 and m.start >= end:
                qualifier = m.entry.value
        cand = Candidate(outcome, value, qualifier, victim or "", trig.start, start, max(end, start + 1), hi,
                         is_subset=subset_cue is not None, person_kind=kind)
        out.append(cand)
        prev, prev_trig = cand, trig
    return out
