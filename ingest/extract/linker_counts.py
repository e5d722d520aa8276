"""Count rules: which tokens of a sentence state how many people an outcome befell.

Two passes, as a reader does: first the numerals ("4"، "خمسة وعشرين")، unless what they count is
not people (ages, years, units, money); then the nouns that are their own count, tried in the
order of NOUN_COUNT_RULES on every token left ("قتيلين"، "ضابطان"، "مقتل شاب"، "ومقتل آخر").
Each Count carries the name of the rule that found it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional

from .lexicons import cue_forms, load_lexicons
from .linker_words import CLAUSE_PUNCT, back_trigger, dual_of_person, is_victim_noun, person_entry
from .sentence import SentenceView
from .tokens import ARTICLE, variants


@dataclass(frozen=True)
class Count:
    start: int    # token span of the count expression (start == end: the noun is its own count)
    end: int
    value: int
    rule: str     # name of the count rule that found it
    added: str = ""   # name of the rule that added people named after the numeral's noun (numeral_with_nouns)

    @property
    def key(self) -> tuple[int, int, int]:
        return self.start, self.end, self.value


# --- numerals -----------------------------------------------------------------------------

# Closed word lists are rows of seeds/lexicon_cues.csv (cue_forms). What stays in code is orthography and
# grammar, not vocabulary: punctuation, the conjunction "و" (a token of its own or a proclitic), the article
# "ال", and the endings tested on a word (dual "-ان"/"-ين"، feminine plural "-ات"، possessive "-ه"/"-ها"/"-هم").
_CLOSING = {")", "»", "]"}
_AND = {"و", "،", ","}   # what joins two numbers: the conjunction or a comma


def _is_year(view: SentenceView, start: int, end: int, value: int) -> bool:
    """A four-digit year not followed by what it would count ("2019 من المدنيين" is a count)."""
    toks = view.tokens
    if not (toks[start].is_digit and len(toks[start].text) == 4 and 1900 <= value <= 2100):
        return False
    followed_by_people = end < len(toks) and (
        toks[end].text in cue_forms("partitive") or person_entry(view, end)
        or (view.triggers.get(end) and is_victim_noun(view.triggers[end])))
    return not followed_by_people


def not_a_head_count(view: SentenceView, start: int, end: int, value: int) -> bool:
    """The number at [start, end) counts something other than people: any of the reasons below."""
    return value <= 0 or value > 100000 or any(reason(view, start, end, value) for reason in _NOT_A_HEAD_COUNT)


def _counts_a_unit(view: SentenceView, start: int, end: int, value: int) -> bool:
    """"(15) سنة": an age; "3 أيام"; "لأحد المنازل" is one of the houses. A noun counted by 2 or more is
    indefinite, so "اثنين اليوم" is two, today."""
    toks = view.tokens
    unit_at = end + 1 if end < len(toks) and toks[end].text in _CLOSING else end
    return any(m.start == unit_at for m in view.cues.get("non_person_unit", [])) and not (
        value >= 2 and unit_at < len(toks) and toks[unit_at].text.startswith(("ال", "وال")))


def _fate_unknown(view: SentenceView, start: int, end: int, value: int) -> bool:
    """"البحث عن 5 عالقين": people whose fate is not known are no toll of the trigger before them."""
    return view.cue_starting_at("fate_unknown_noun", end) is not None


def _magnitude(view: SentenceView, start: int, end: int, value: int) -> bool:
    toks = view.tokens
    return end < len(toks) and toks[end].text in cue_forms("magnitude_word")


def _names_year_or_glued(view: SentenceView, start: int, end: int, value: int) -> bool:
    return names_something(view, start) or _is_year(view, start, end, value) or _adjective_one(view, start, end) \
        or _glued(view, start, end) or _one_of_things(view, start, end)


def _children_of_a_parent(view: SentenceView, start: int, end: int, value: int) -> bool:
    """"وهو أب لخمسة أطفال"، "أب ل 5 أولاد": a parent's children (lexicon_cues.csv, parent_of), not victims."""
    toks = view.tokens
    before = start - 1 if toks[start].text.startswith("ل") else start - 2
    return before >= 0 and (before + 1 == start or toks[before + 1].text in ("ل", "لـ")) \
        and toks[before].text in cue_forms("parent_of")


_NOT_A_HEAD_COUNT = (_counts_a_unit, _fate_unknown, _magnitude, _names_year_or_glued, _children_of_a_parent)


def _one_of_things(view: SentenceView, start: int, end: int) -> bool:
    """"أحد معسكرات التدريب"، "إحدى القرى": "one of" followed by things (lexicon_cues.csv, non_person_unit)."""
    return view.tokens[start].text in cue_forms("one_of_before_noun") and view.cue_starting_at("non_person_unit", end) is not None


def _glued(view: SentenceView, start: int, end: int) -> bool:
    """Digits written against a word or a clock: "2025851Views"، "#الأطفال11145"، "9:32" - page furniture
    (counters, hashtags, times), never a head count. "و20" (a conjunction) and "بـ3" are fine."""
    toks = view.tokens
    first, last = toks[start], toks[end - 1]
    if not first.is_digit:
        return False
    if end < len(toks) and toks[end].start == last.end and (toks[end].text[0].isascii() and toks[end].text[0].isalpha()
                                                            or toks[end].text == ":"):
        return True
    if start == 0:
        return False
    before = toks[start - 1].text
    if before.isascii() and before.isalpha():
        return True   # "Sep 28": a date or label of the page, in Latin letters
    return toks[start - 1].end == first.start and (before == ":" or (len(before) > 2 and before.isalpha()))


def names_something(view: SentenceView, start: int) -> bool:
    """"الفرقة 17"، "القرار 2254"، "عام 2019": a naming word (lexicon_cues.csv) right before the number."""
    return view.cue_ending_at("naming_word", start) is not None


def _adjective_one(view: SentenceView, start: int, end: int) -> bool:
    """"من عائلة واحدة"، "شخص واحد": "واحد" after a noun qualifies it (the noun, if a person, is the count);
    after a trigger, a subset cue or a comma it is a count ("ومقتل واحد منهم")."""
    toks = view.tokens
    if toks[start].text not in cue_forms("adjective_one") or start == 0 or end - start > 1:   # "واحد وعشرين" is 21
        return False
    before = toks[start - 1]
    if start + 1 < len(toks) and (start + 1 in view.actor_at or toks[start + 1].text in cue_forms("partitive")):
        return False   # "وأحد عناصر الأمن"، "واحد من المدنيين": "و" + "أحد", one of a group
    return not (any(m.end == start for m in view.triggers.values()) or before.text in CLAUSE_PUNCT or before.is_digit
                or view.cue_ending_at("subset", start) or view.cue_ending_at("qualifier_before", start))


def _repeats_dual(view: SentenceView, i: int) -> bool:
    """"مدنيان اثنان": the number 2 right after a dual noun repeats it."""
    p = person_entry(view, i - 1) if i > 0 else None
    return bool(p and p.entry.number == "dual")


def _continues_naming(view: SentenceView, start: int, named_end: int) -> bool:
    """"القرارين 2139 و2254": a number joined by "و" to a number that names something names something too."""
    toks = view.tokens
    return start == named_end + 1 and toks[named_end].text in _AND or \
        start == named_end and toks[start].text.startswith("و")


def numeral_counts(view: SentenceView) -> list[Count]:
    out: list[Count] = []
    named_end = -2
    i = 0
    while i < len(view.tokens):
        n = view.numbers.get(i)
        if n and n.value == 2 and _repeats_dual(view, i):
            i = n.end
            continue
        if n and (names_something(view, i) or _continues_naming(view, i, named_end)):
            named_end = i = n.end
            continue
        if n and i not in view.blocked and not not_a_head_count(view, n.start, n.end, n.value):
            out.append(Count(n.start, n.end, n.value, "numeral"))
            i = n.end
            continue
        if (value := _definite_number(view, i)) is not None and i not in view.blocked:
            out.append(Count(i, i + 1, value, "numeral"))
        i += 1
    return out


def _definite_number(view: SentenceView, i: int) -> Optional[int]:
    """"الجثث الأربعة"، "الأشخاص الثلاثة": a definite number word after a definite person or victim noun
    counts it (after another noun, "الأيام الثلاثة", it counts no one)."""
    text = view.tokens[i].text
    if i == 0 or not text.startswith("ال") or not view.tokens[i - 1].text.startswith(("ال", "وال")):
        return None
    trig = next((m for m in view.triggers.values() if m.end == i), None)   # "الجثث"، "تحرير المختطفين"
    if not (person_entry(view, i - 1) or (trig and (is_victim_noun(trig) or len(trig.entry.words) > 1))):
        return None
    entry = load_lexicons().numbers.get(text[2:])
    return entry[0] if entry is not None and entry[1] == "unit" and 2 <= entry[0] <= 10 else None


# --- nouns that are their own count -------------------------------------------------------

@dataclass
class _At:
    """What the noun rules look at for token i."""
    view: SentenceView
    i: int
    counts: list[Count]   # counts found so far (numerals, then nouns to the left of i)

    @property
    def person(self):
        return person_entry(self.view, self.i)

    @property
    def after_number(self) -> bool:
        """A count started at most three tokens back: "4 عناصر، بينهم ضابط" - the noun is not a new count
        (unless a trigger stands between them: "مقتل رجل وطفله وإصابة زوجته")."""
        return any(c.start >= self.i - 3 and not any(k in self.view.triggers for k in range(c.end + 1, self.i))
                   for c in self.counts if c.start < self.i)


def _dual_victim_noun(at: _At) -> Optional[int]:
    """"قتيلين"، "جريحين"، "شهيدان": an indefinite dual victim noun is its own count."""
    trig = at.view.triggers.get(at.i)
    if trig and is_victim_noun(trig) and trig.entry.words[0].endswith(("ين", "ان")) \
            and trig.entry.words[0] not in cue_forms("sound_plural_victim_noun") \
            and not at.view.tokens[at.i].text.startswith(("ال", "وال")):
        # ("-ين" plurals are no duals; "الجريحان الآخران"، "والمصابان هما": the two already counted, named again)
        return 2
    return None


def _dual_of_person(at: _At) -> Optional[int]:
    """"مقاتلان": the dual of a listed person noun."""
    if not at.person and dual_of_person(at.view, at.i) and not at.after_number:
        return 2
    return None


def _dual_noun(at: _At) -> Optional[int]:
    """"ضابطين"، "طفلان": a dual person noun from the dictionary; "مدنيين هما ...": a "-ين" noun is dual
    when "هما" (the two of them) names them."""
    p = at.person
    if not p or at.after_number:
        return None
    if p.entry.number == "dual":
        return 2
    toks, nxt = at.view.tokens, p.end
    if nxt < len(toks) and toks[nxt].text in ("،", ","):
        nxt += 1   # "استشهاد مدنيين، وهما: ..."
    return 2 if p.entry.number == "plural" and nxt < len(toks) and toks[nxt].text in cue_forms("the_two_pronoun") \
        and toks[at.i].text.endswith("ين") else None


_PHRASE_REACH = 6   # "3 من قوات حكومة دمشق، ومواطن": the counted phrase, its comma, then the noun


def _noun_after_counted_phrase(at: _At) -> Optional[int]:
    """"وإصابة 4 آخرين من أطفالها، وزوجها": a person noun joined by "و" after the comma closing a counted
    phrase is one more victim of that outcome (another part: not added to the number)."""
    view, i = at.view, at.i
    p = at.person
    if not (p and p.entry.number in _PERSON_VALUE and view.tokens[i].text.startswith("و") and i >= 2
            and view.tokens[i - 1].text in ("،", ",")):
        return None
    c = next((c for c in reversed(at.counts) if c.end > c.start and 0 < i - c.end <= _PHRASE_REACH), None)
    if c is None or any(k in view.triggers or view.tokens[k].text in ("،", ",") for k in range(c.end, i - 1)):
        return None
    return _PERSON_VALUE[p.entry.number]


def _noun_in_subset(at: _At) -> Optional[int]:
    """"بينهم قيادي بارز"، "وإصابة ثلاثة بينهم امرأة"، "بينهم طفلان": part of the toll just given (right after
    its number too: the subset cue says it is a part, not the number's own noun)."""
    p = at.person
    if p and p.entry.number in _PERSON_VALUE and at.view.cue_ending_at("subset", at.i):
        return _PERSON_VALUE[p.entry.number]
    return None


def _noun_after_counted_subset(at: _At) -> Optional[int]:
    """"بينهم 5 أطفال وامرأتان"، "بينهم 4 أطفال وامرأة": a person noun joined by "و" to the counted noun of a
    subset is a further part of the toll, counted on its own (its own number, not added to the numeral)."""
    view, i = at.view, at.i
    p = at.person
    if not (p and p.entry.number in _PERSON_VALUE and view.tokens[i].text.startswith("و") and i >= 2):
        return None
    noun = view.actor_at.get(i - 1)
    if noun is None or noun.end != i:
        return None
    c = next((c for c in at.counts if c.end == noun.start and c.end > c.start), None)
    if c is None or not view.cue_ending_at("subset", c.start):
        return None
    return _PERSON_VALUE[p.entry.number]


def _with_companion(at: _At) -> Optional[int]:
    """"مقتل كادر ومرافقه"، "إصابة مختار القرية وسائقه": a trigger, a noun the dictionary does not list as a
    person, then "و" + his companion or relative: two people, the one named and his."""
    view, i = at.view, at.i
    p = at.person
    text = view.tokens[i].text
    if not (p and p.entry.number == "singular" and text.startswith("و") and text.endswith(("ه", "ها")) and i >= 2):
        return None
    before = view.tokens[i - 1].text
    if person_entry(view, i - 1) or (i - 1) in view.numbers or before in CLAUSE_PUNCT or before.endswith(("ها", "هم")):
        return None   # (not "وأصيب أولادها وزوجها": "her children" says no number)
    trig = view.triggers.get(i - 2)
    return 2 if trig and trig.end == i - 1 and not at.after_number else None


def _singular_after_trigger(at: _At) -> Optional[int]:
    """"مقتل شاب"، "اعتقال قيادي": a singular person noun governed by a trigger close before it."""
    p, view, i = at.person, at.view, at.i
    if not (p and p.entry.number == "singular" and not at.after_number):
        return None
    back = back_trigger(view, i)
    return 1 if back and _governs(view, back, i) else None


def _governs(view: SentenceView, trig, i: int) -> bool:
    """Does trigger `trig` govern the noun at i: close, in the same clause, no number between (a date's
    numbers are no count: "استشهد يوم 5 آب شاب")?"""
    gap = range(trig.end, i)
    if any(k in view.numbers and k not in view.blocked for k in gap):
        return False
    if i - trig.end <= 4 and not any(view.tokens[k].text in CLAUSE_PUNCT for k in gap):
        return True
    # A verb may have its subject between it and its object:
    # "اختطف ملثمون يقودون سيارة سوداء، طالباً".
    return trig.entry.kind == "verb" and i - trig.end <= 8 and not any(
        (q := person_entry(view, k)) and q.entry.number != "plural" for k in gap)


_SUBJECT_REACH = 3   # "مواطن يفقد حياته"، "فقدان شخص لحياته"، "طفل من القرية استشهد"


def _singular_before_verb(at: _At) -> Optional[int]:
    """"مواطن يفقد حياته"، "فقدان شخص لحياته": a singular person noun as the subject of a trigger that
    follows its victim (lexicon_cues.csv, verb_after_subject)."""
    p, view = at.person, at.view
    if not (p and p.entry.number == "singular" and not at.after_number):
        return None
    for m in view.cues.get("verb_after_subject", []):
        gap = range(p.end, m.start)
        if 0 <= m.start - p.end <= _SUBJECT_REACH and not any(
                view.tokens[k].text in CLAUSE_PUNCT or k in view.numbers or k in view.actor_at for k in gap):
            return 1
    return None


_NAMED_SUBJECT_REACH = 9   # "المواطن سامر عبد الكريم يوسف (35 عاماً) حياته": a name of up to four words and an age


def _named_before_verb(at: _At) -> Optional[int]:
    """"المواطن نادر خليل نادر (29 عاماً) أصيب بجروح"، "فقد المواطن فلان (42 عاماً) حياته": a definite singular
    person noun, the person's name (and age) after it, then a trigger that follows its victim
    (lexicon_cues.csv, verb_after_subject). The name is what puts the verb beyond singular_noun_before_verb's reach."""
    return 1 if not at.after_number and named_subject_end(at.view, at.i) is not None else None


def named_subject_end(view: SentenceView, i: int) -> Optional[int]:
    """Where the name after the definite singular person noun at i ends: the start of the trigger that
    follows it (None when there is none)."""
    p = person_entry(view, i)
    if not (p and p.entry.number == "singular" and view.tokens[i].text.startswith(("ال", "وال"))):
        return None   # (the article: "the citizen <name>")
    return next((m.start for m in view.cues.get("verb_after_subject", [])
                 if 0 < m.start - p.end <= _NAMED_SUBJECT_REACH and _name_and_age(view, p.end, m.start)), None)


def _name_and_age(view: SentenceView, lo: int, hi: int) -> bool:
    """Tokens lo..hi are a name, with at most an age ("(42 عاماً)"): no clause break, trigger, person noun or
    other number between."""
    toks, k = view.tokens, lo
    while k < hi:
        text = toks[k].text
        if k in view.numbers and k + 1 < hi and toks[k + 1].text in cue_forms("age_unit"):
            k += 2
            continue
        if (text in CLAUSE_PUNCT and text not in "()") or k in view.triggers or k in view.actor_at or k in view.numbers:
            return False
        k += 1
    return True


_NAME_REACH = 4   # "إصابة عبد العزيز 49 عاماً": a name of up to four words between the trigger and the age
_HARM = ("killed", "injured")


def _name_with_age(at: _At) -> Optional[int]:
    """"إصابة عبد العزيز 49 عاماً": a trigger, a name with no person noun, then the person's age: one victim
    (the age itself counts no one: not_a_head_count)."""
    view, i, toks = at.view, at.i, at.view.tokens
    n = view.numbers.get(i)
    if n is None or at.after_number or n.end >= len(toks) or toks[n.end].text not in cue_forms("age_unit"):
        return None
    trig = _act_on_named(view, i)
    if trig is None or any((toks[k].text in CLAUSE_PUNCT and toks[k].text != "(") or k in view.actor_at
                           or k in view.numbers or k in view.triggers for k in range(trig.end, i)):
        return None
    return 1


def _act_on_named(view: SentenceView, i: int):
    """The killing or wounding named a few words before token i: the verbal noun of an act done to the person
    ("إصابة"، "مقتل"), not a victim noun restating a toll ("الجرحى هم فلان (20 عاماً)") nor a definite act in
    general ("جرائم القتل")."""
    trig = back_trigger(view, i, _NAME_REACH + 1)
    if trig is None or trig.end >= i or trig.entry.category not in _HARM or trig.entry.kind != "noun" \
            or view.tokens[trig.start].text.startswith(("ال", "وال")):
        return None   # (a verb may have another subject: "قضت المحكمة بسجنه 10 سنوات")
    return trig


# the article, bare or after a proclitic ("و"، "ب"، and "ل", which swallows the article's alif: "للقتيل")
_DEFINITE = ("ال", "وال", "بال", "لل")


def _singular_victim_noun(at: _At) -> Optional[int]:
    """"وقوع قتيل"، "ارتقى شهيداً": a singular victim noun (indefinite) is one victim, unless a person noun
    after it is the count ("جثة شاب") or it names a kind of victim in a vague toll ("بين قتيل ومصاب")."""
    view, i = at.view, at.i
    cue = view.cue_starting_at("singular_victim_noun", i)
    if cue is None or at.after_number or view.tokens[i].text.startswith(_DEFINITE):
        return None   # ("صورة للقتيل"، "جثمان القتيل": the one already counted, named again)
    # "بين قتيل ومصاب"، "عشرات من ...": a kind of victim, not a count; "(و)تقبله شهيداً": a prayer, not a report
    if any(v in cue_forms("uncounting_word") for k in range(max(0, i - 2), i) for v in variants(view.tokens[k].text)):
        return None
    nxt = cue.end
    if nxt < len(view.tokens) and (person_entry(view, nxt) or nxt in view.numbers):
        return None
    return 1


def _another_of_same(at: _At) -> Optional[int]:
    """"ومقتل آخر"، "وإصابة ثالث": one more of the group just counted; "وأصيب آخران": two more."""
    text = at.view.tokens[at.i].text
    trig = at.view.triggers.get(at.i - 1) if at.i > 0 else None
    two = text in cue_forms("two_others")   # the dual of "آخر" (nominative: "-ين" is read as a plural)
    if (two or text in cue_forms("another_one")) and trig and not trig.entry.words[-1].endswith("ات"):
        return 2 if two else 1   # (not "إصابات أخرى": other injuries, no number)
    return None


_LIST_REACH = 16   # tokens of a named list: a few names of two to five words


def named_list(view: SentenceView, i: int) -> Optional[tuple[int, int]]:
    """"اعتقال كل من سامر الخالد وأحمد العلي": after a trigger, "كل من" opens a list of names; each "و" that
    does not start a name ("وليد") or a description ("وهو") adds one. Returns (how many, end of the list)."""
    cue = view.cue_starting_at("named_list", i)
    if cue is None:
        return None
    names, j = _names_listed(view, cue.end)
    return (names, j) if names and _list_governed(view, i, j) else None


def _names_listed(view: SentenceView, start: int) -> tuple[int, int]:
    """How many names the list opening at `start` holds, and the token where it ends."""
    toks, names, j = view.tokens, 0, start
    while j < min(len(toks), start + _LIST_REACH):
        text = toks[j].text
        if text in ("،", ",") and j + 1 < len(toks) and toks[j + 1].text == "و":
            j += 1   # "“فلان”، و”فلان”": a comma before a "و" standing alone goes on with the list
            continue
        if names and text in cue_forms("name_relative"):
            j += 1   # "فلانة والتي تبلغ 23 عاماً وأخوها فلان": a relative clause describes the name before it
            continue
        if names and _is_name_part(view, j):
            j += 1
            continue
        if _ends_named_list(view, j):
            break
        if text.startswith("و") and not view.cue_starting_at("name_with_waw", j) and names:
            if text in cue_forms("description_opener"):
                break
            names += 1
        elif text[0].isalpha() and not names:
            names = 1
        j += 1
    return names, j


def _is_name_part(view: SentenceView, j: int) -> bool:
    """A name that reads as a stop word once ى is folded onto ي (lexicon_cues.csv name_like_stop: "علي", the
    name Ali, is the preposition "على"): inside a list, between a name word and a word without the article
    ("فلانة علي فلان") it is part of the name; "على الحاجز" still ends the list."""
    toks = view.tokens
    return (toks[j].text in cue_forms("name_like_stop") and j + 1 < len(toks) and j - 1 >= 0
            and toks[j + 1].text[:1].isalpha() and not toks[j + 1].text.startswith(ARTICLE)
            and not _ends_named_list(view, j + 1) and not _ends_named_list(view, j - 1))


def _ends_named_list(view: SentenceView, j: int) -> bool:
    """A clause break (brackets aside), a word that ends a victim phrase
    ("في"، "خلال") or a trigger ends the names."""
    text = view.tokens[j].text
    return (text in CLAUSE_PUNCT and text not in "()") or text in cue_forms("victim_phrase_stop") or j in view.triggers


def _list_governed(view: SentenceView, i: int, end: int) -> bool:
    """The list is the object of a trigger before it ("اعتقال كل من") or the subject of a verb after it
    ("كل من فلان وفلان تعرضا للإصابة")."""
    return any(m.end in (i, i - 1) for m in view.triggers.values()) or any(
        k in view.triggers and view.triggers[k].entry.kind == "verb" for k in range(end, min(len(view.tokens), end + 3)))


def _named_list(at: _At) -> Optional[int]:
    found = named_list(at.view, at.i)
    return found[0] if found else None


# Tried in this order on each token that is not a numeral; the first rule that gives a value wins.
NOUN_COUNT_RULES: tuple[tuple[str, Callable[[_At], Optional[int]]], ...] = (
    ("dual_victim_noun", _dual_victim_noun),
    ("noun_in_subset", _noun_in_subset),
    ("noun_after_counted_subset", _noun_after_counted_subset),
    ("noun_after_counted_phrase", _noun_after_counted_phrase),
    ("dual_of_person", _dual_of_person),
    ("dual_noun", _dual_noun),
    ("with_companion", _with_companion),
    ("singular_noun_after_trigger", _singular_after_trigger),
    ("singular_noun_before_verb", _singular_before_verb),
    ("named_singular_before_verb", _named_before_verb),
    ("singular_victim_noun", _singular_victim_noun),
    ("another_of_same", _another_of_same),
    ("named_list", _named_list),
    ("name_with_age", _name_with_age),
)
# span end of the count expression, relative to the token, per rule ("آخر" is a word of its own)
_SPAN = {"another_of_same": 1}


def _may_count(view: SentenceView, i: int, text: str) -> bool:
    """Cheap test that some noun rule could apply to token i (most tokens: none can)."""
    return i in view.actor_at or i in view.triggers or text in cue_forms("another_one") or text.endswith("ان") \
        or text in _named_list_openers() or i in view.numbers


@lru_cache(maxsize=1)
def _named_list_openers() -> frozenset[str]:
    """First words of the named_list cues ("كل من"، "كلاً من")."""
    return frozenset(load_lexicons().cues["named_list"].by_first)


_PERSON_VALUE = {"singular": 1, "dual": 2}
# noun counts that take in the nouns coordinated after them (not a subset's parts: "بينهم طفلان وسيدة" states
# how many children, then a woman)
_NOUN_RULES = {"dual_noun", "singular_noun_after_trigger", "singular_noun_before_verb", "noun_in_subset"}


def _names_the_dead(view: SentenceView, i: int) -> bool:
    """"إن الضحايا طفلان وامرأتان ورجلان": a list after the toll's own definite noun tells what the toll
    was made of, part by part (like "بينهم")، not a new statement to add up."""
    trig = next((m for m in view.triggers.values() if m.end == i), None)
    return bool(trig and is_victim_noun(trig) and view.tokens[trig.start].text.startswith(("ال", "وال")))


_NAMES_REACH = 24   # tokens: a few names of two to four words, each with its age


def _names_after_ages(view: SentenceView, start: int) -> int:
    """"استشهاد الطفلة سارة محمود 12 عاماً وعلي محمود 25 عاماً": after a named person and the age, a
    name joined by "و" is one more person. Returns how many more."""
    toks, more = view.tokens, 0
    for k in range(start, min(len(toks) - 2, start + _NAMES_REACH)):
        text = toks[k].text
        if k in view.triggers or text in CLAUSE_PUNCT:
            break
        nxt = toks[k + 1].text
        if text in cue_forms("age_unit") and k - 1 in view.numbers and nxt.startswith("و") and len(nxt) > 2 \
                and k + 1 not in view.triggers and k + 1 not in view.actor_at and k + 1 not in view.numbers:
            more += 1
    return more


def coordinated_nouns(view: SentenceView, count: Count) -> tuple[list[Count], int]:
    """"امرأة وطفلة"، "جندي ومدني": person nouns joined by "و" to a noun count. Those of the count's group
    add to it (one statement of two civilians: the contract's one mention per number, outcome and group);
    one of another group is a count of its own. Returns the counts and the first token after the list."""
    if person_entry(view, count.start) is None:
        return [count], count.start + 1
    out = [count]
    parts = _names_the_dead(view, count.start)
    j = _take_coordinated(view, out, count.start + 1, parts)
    if len(out) == 1 and (k := _person_after_wounds(view, j)) is not None:
        # "إصابة شاب بجروح خطيرة وطفل بجروح طفيفة": each with his wounds, one statement of two
        j = _take_coordinated(view, out, k, parts)
    if len(out) == 1 and (k := _another_one_after(view, j)) is not None:
        # "اغتال ملثمون مختار الحي الشرقي ورجلاً آخر": one more, after the first one's description
        out[0] = Count(count.start, count.end, count.value + 1, "coordinated_nouns")
        j = k + 2
    elif len(out) == 1 and (rel := _relative_after_name(view, count.start, j)) is not None:
        out[0] = Count(count.start, count.end, count.value + _PERSON_VALUE[rel.entry.number], "relative_after_name")
        j = rel.end
    return out, j


def _take_coordinated(view: SentenceView, out: list[Count], j: int, parts: bool) -> int:
    """Adds to `out` the person nouns joined by "و" from token j on; returns the first token after them."""
    while (q := person_entry(view, j)) and view.tokens[j].text.startswith("و") and q.entry.number in _PERSON_VALUE:
        value = _PERSON_VALUE[q.entry.number]
        # "مواطن وطفليه": a relative the dictionary gives no group of his own (seeds/actor_dictionary.csv, empty
        # actor_group) is of the group of the one named before him
        group = q.entry.category or person_entry(view, out[-1].start).entry.category
        same = None if parts else next(
            (c for c in out if person_entry(view, c.start).entry.category == group), None)
        if same is not None:
            out[out.index(same)] = Count(same.start, same.end, same.value + value, "coordinated_nouns")
        else:
            out.append(Count(j, j, value, "coordinated_nouns"))
        j = q.end
    return j


_WOUNDS_REACH = 3   # "بجروح" and a word or two of how bad ("خطيرة"، "بليغة جداً")


def _person_after_wounds(view: SentenceView, j: int) -> Optional[int]:
    """The index of "و" + person noun right after the wounds of the person before ("بجروح خطيرة وطفل"), with
    no clause break, trigger or number between; None when there is none."""
    toks = view.tokens
    if j >= len(toks) or toks[j].text not in cue_forms("wound_phrase"):
        return None
    for k in range(j + 1, min(len(toks), j + _WOUNDS_REACH + 1)):
        if person_entry(view, k) and toks[k].text.startswith("و"):
            return k
        if toks[k].text in CLAUSE_PUNCT or k in view.triggers or k in view.numbers:
            return None
    return None


_POSSESSIVE_ENDINGS = ("ه", "ها", "هما", "هم")   # "وابنه"، "وزوجها": his / her / their (grammar, not vocabulary)


def _relative_after_name(view: SentenceView, noun: int, j: int):
    """"إصابة المواطن محمد العلي وابنه أحمد"، "مقتل السيدة فلانة والشاب فلان": after a named person (a definite
    person noun and the name), "و" + a relative of his ("وابنه"، "وطفليها") or + another definite person noun of
    the same group (or of none) is one more victim of the same statement (two for a dual). Returns the
    relative's person match, or None."""
    toks = view.tokens
    if not toks[noun].text.startswith(("ال", "وال")):
        return None
    for k in range(j, min(len(toks), j + _ANOTHER_REACH)):
        if toks[k].text in CLAUSE_PUNCT or k in view.triggers or k in view.numbers:
            return None
        q = person_entry(view, k)
        if q is not None:
            text = toks[k].text
            relative = (text.startswith("و") and text.endswith(_POSSESSIVE_ENDINGS)) or (
                text.startswith("وال") and q.entry.category in ("", person_entry(view, noun).entry.category))
            return q if relative and q.entry.number in _PERSON_VALUE and k > j else None
    return None


_ANOTHER_REACH = 6   # words describing the first person ("مختار بلدة الطيبة") before "ورجلاً آخر"


def _another_one_after(view: SentenceView, j: int) -> Optional[int]:
    """The index of "و" + singular person noun + "آخر" a few words on, with no trigger or number before it and
    no clause break, but for a comma right before it ("إصابة رجل بجروح، وامرأة أخرى بحالة حرجة": "another"
    says she is one more of the same statement); None when there is none."""
    toks = view.tokens
    for k in range(j, min(len(toks) - 1, j + _ANOTHER_REACH)):
        if toks[k].text in _COMMAS and _another_one_at(view, k + 1):
            return k + 1
        if toks[k].text in CLAUSE_PUNCT or k in view.triggers or k in view.numbers:
            return None
        if _another_one_at(view, k):
            return k
    return None


_COMMAS = {"،", ","}


def _another_one_at(view: SentenceView, k: int) -> bool:
    """Token k starts "و" + singular person noun + "آخر"/"أخرى"."""
    toks = view.tokens
    q = person_entry(view, k) if k < len(toks) else None
    return bool(q and q.end < len(toks) and toks[k].text.startswith("و") and q.entry.number == "singular"
                and toks[q.end].text in cue_forms("another_adjective"))


def noun_counts(view: SentenceView, counts: list[Count]) -> list[Count]:
    """The nouns that are their own count, left to right, after the numerals `counts`."""
    taken = {c.start for c in counts}
    found = list(counts)
    skip_to = 0
    for i, tok in enumerate(view.tokens):
        if i < skip_to or i in taken or i in view.blocked or not _may_count(view, i, tok.text):
            continue
        count = _noun_count(_At(view, i, found))
        if count is not None:
            listed, skip_to = _taken_in(view, count)
            found += listed
    return found[len(counts):]


def _noun_count(at: _At) -> Optional[Count]:
    """The count of the first rule of NOUN_COUNT_RULES that gives token `at.i` a value."""
    for name, rule in NOUN_COUNT_RULES:
        value = rule(at)
        if value is not None:
            return Count(at.i, at.i + _SPAN.get(name, 0), value, name)
    return None


def _taken_in(view: SentenceView, count: Count) -> tuple[list[Count], int]:
    """The counts a noun count makes with what it takes in (person nouns coordinated after it, names after
    their ages, the names of a named list), and the first token after them."""
    if count.rule in _NOUN_RULES:
        listed, end = coordinated_nouns(view, count)
        if len(listed) == 1 and listed[0].value == 1 and (more := _names_after_ages(view, end)):
            listed = [Count(count.start, count.end, 1 + more, "names_after_ages")]
        return listed, end
    if count.rule == "named_singular_before_verb":   # spans the name and age: the verb after them is close
        end = named_subject_end(view, count.start)
        return [Count(count.start, end, count.value, count.rule)], end
    if count.rule == "named_list":
        end = named_list(view, count.start)[1]   # the names' own nouns ("وابنه") are in the count
        return [Count(count.start, end, count.value, count.rule)], end   # spans the names: a verb after them is close
    if count.rule == "another_of_same" and (k := _person_after_wounds(view, count.end)) is not None:
        more, end = _persons_joined(view, k)
        if more:   # "وإصابة آخر بجروح وامرأة": one more, and a person joined after his wounds: one statement
            return [Count(count.start, count.end, count.value + more, count.rule, added="coordinated_nouns")], end
    return [count], count.start + 1


def _persons_joined(view: SentenceView, j: int, keeps=lambda person, text: True) -> tuple[int, int]:
    """How many people the person nouns joined by "و" from token j on name (while `keeps(person match, token
    text)` holds), and the first token after them."""
    more = 0
    while (q := person_entry(view, j)) and view.tokens[j].text.startswith("و") and q.entry.number in _PERSON_VALUE \
            and keeps(q, view.tokens[j].text):
        more, j = more + _PERSON_VALUE[q.entry.number], q.end
    return more, j


_APPOSITION_REACH = 5   # "اعتقال المدعو أحمد العلي أحد عناصر التنظيم": the name, then what he is


def _apposition(view: SentenceView, c: Count, counts: list[Count]) -> bool:
    """A singular noun count described, after the person's name, by "أحد ..." (no "و"): one person, and the
    "أحد" phrase says which group; the noun count gives way to it."""
    if c.value != 1 or c.start != c.end:
        return False
    return any(view.tokens[o.start].text in cue_forms("one_of_before_noun") and 0 < o.start - c.start <= _APPOSITION_REACH
               and not any(view.tokens[k].text in CLAUSE_PUNCT for k in range(c.start, o.start))
               for o in counts)


_UNKNOWN_FATE_REACH = 6   # "عن 4 مفقودين آخرين من أقاربه تحت الركام بينهم": the missing, a few words, the cue


def _of_unknown_fate(view: SentenceView, c: Count) -> bool:
    """"بينهم خمسة أطفال" right after "5 مفقودين": a part of the missing (lexicon_cues.csv, fate_unknown_noun),
    not of the toll before them."""
    cue = view.cue_ending_at("subset", c.start)
    if cue is None:
        return False
    return any(0 <= cue.start - m.end <= _UNKNOWN_FATE_REACH
               and not any(k in view.triggers for k in range(m.end, cue.start))
               for m in view.cues.get("fate_unknown_noun", []))


def numeral_with_nouns(view: SentenceView, c: Count) -> Count:
    """"إصابة 6 أطفال وامرأة ورجل": person nouns joined by "و" to the noun a numeral counts, of its group (or
    their relatives: "ووالدهم"), are more people of the same statement, added to the number (rule
    coordinated_nouns). Not after a subset cue ("بينهم 5 أطفال وامرأتان" gives the parts of a toll one by one),
    nor after a noun the number does not count ("مدنيين اثنين رجل وزوجته": the two, named; a counted noun is
    plural, or singular after 11 and more: "15 طفلاً")."""
    head = person_entry(view, c.end) if c.rule == "numeral" and c.end < len(view.tokens) else None
    if head is None or not head.entry.category or view.cue_ending_at("subset", c.start) \
            or not (head.entry.number == "plural" or c.value >= 11):
        return c
    more, j = _persons_joined(view, head.end, lambda person, text: person.entry.category == head.entry.category
                              or not person.entry.category and text.endswith(_POSSESSIVE_ENDINGS))
    if not more:
        return c
    view.blocked.update(range(head.end, j))   # (counted here: no noun rule counts them again)
    return Count(c.start, c.end, c.value + more, c.rule, added="coordinated_nouns")


def find_counts(view: SentenceView) -> list[Count]:
    """Every count expression of the sentence, left to right."""
    counts = [numeral_with_nouns(view, c) for c in numeral_counts(view)]
    counts += noun_counts(view, counts)
    counts = [c for c in counts if not _apposition(view, c, counts) and not _of_unknown_fate(view, c)]
    return sorted(counts, key=lambda c: c.key)


def qualifier_of(view: SentenceView, c: Count, phrase_lo: int, hi: int) -> str:
    """How exact the count is: a qualifier cue before it ("ما لا يقل عن") or in its phrase ("على الأقل")."""
    qualifier = "exact"
    q = view.cue_ending_at("qualifier_before", c.start)
    if q:
        qualifier = q.entry.value
    for m in view.cues.get("qualifier_after", []):
        if phrase_lo <= m.start <= hi + 1 and m.start >= c.end:
            qualifier = m.entry.value
    return qualifier


def list_item_nouns(view: SentenceView) -> list[Count]:
    """"- طفل في ريف حلب برصاص قناص" under "الضحايا المدنيون يوم ...:": an item opening with a person noun
    is one victim (two for a dual) of the heading's toll."""
    first = next((k for k, t in enumerate(view.tokens) if t.text not in ("-", "–", "•", "*")), None)
    p = person_entry(view, first) if first is not None else None
    if p is None or p.entry.number not in _PERSON_VALUE:
        return []
    listed, _ = coordinated_nouns(view, Count(first, first, _PERSON_VALUE[p.entry.number], "list_item_noun"))
    return listed   # "-مواطن وطفل بقصف ...": both
