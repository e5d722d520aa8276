"""Per-sentence analysis: which tokens are outcome triggers, counts, actors, cues.

One `SentenceView` is built for each sentence that carries a trigger; the
linker's rule modules (linker_counts, linker_triggers, linker_victims, and the
word-level questions of linker_words) read it, linker.py itself only passes it
on. Building it is the only place where the sentence is scanned against the
lexicons, so each lexicon is matched once.
"""
from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from operator import attrgetter

from .lexicons import Entry, Lexicons
from .numbers import Number, parse_number
from .tokens import Match, Token, find_all


@dataclass
class SentenceView:
    tokens: list[Token]
    triggers: dict[int, Match]            # token index -> outcome match (entry.category = outcome)
    actors: list[Match]                   # actor dictionary matches
    actor_at: dict[int, Match]            # token index (start) -> actor match
    cues: dict[str, list[Match]]          # cue category -> matches
    sources: list[Match] = field(default_factory=list)   # source lexicon matches (attributions)
    numbers: dict[int, Number] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)   # token indices inside dates: never counts

    _by_start: dict = field(default_factory=dict)   # category -> {start: match}, built on first use
    _by_end: dict = field(default_factory=dict)     # category -> {end: match}

    def cue_starts(self, category: str) -> AbstractSet[int]:
        return self._starts(category).keys()

    def cue_ending_at(self, category: str, i: int) -> Match | None:
        """A cue of `category` whose last token is i-1 (it stands right before token i)."""
        ends = self._by_end.get(category)
        if ends is None:   # (matches of one category never overlap: one per end)
            ends = self._by_end[category] = {m.end: m for m in reversed(self.cues.get(category, []))}
        return ends.get(i)

    def cue_starting_at(self, category: str, i: int) -> Match | None:
        return self._starts(category).get(i)

    def _starts(self, category: str) -> dict[int, Match]:
        starts = self._by_start.get(category)
        if starts is None:
            starts = self._by_start[category] = {m.start: m for m in reversed(self.cues.get(category, []))}
        return starts

    def actor_matches_between(self, lo: int, hi: int) -> list[Match]:
        return [m for m in self.actors if lo <= m.start < hi]


_CUE_CATEGORIES = ("qualifier_before", "qualifier_after", "non_person_unit", "vague_quantity", "subset",
                   "negation", "reporting_verb", "agent_marker", "attack_verb", "not_event_place", "naming_word",
                   "civilian_harm", "combatant_context", "running_total", "verb_after_subject", "singular_victim_noun",
                   "named_list", "name_with_waw", "several_incidents", "lost_life", "life_word", "toll_word", "attack_count_noun",
                   "fate_unknown_noun", "funeral_word", "unknown_agent", "weapon_origin_after", "weapon_origin_before",
                   "missing_noun")


def analyse(tokens: list[Token], lex: Lexicons) -> SentenceView:
    # (a sentence's Tokens are matched against every lexicon in one pass, the first time one is asked about)
    cues = {cat: find_all(tokens, lex.cues[cat]) for cat in _CUE_CATEGORIES if cat in lex.cues}
    actors = _drop_weapon_makers(find_all(tokens, lex.actors), cues)
    inside_actor = {k for m in actors for k in range(m.start, m.end)}
    # An outcome word inside an actor name is not a trigger ("هيئة تحرير الشام").
    triggers = {m.start: m for m in find_all(tokens, lex.outcomes) if m.start not in inside_actor}
    _add_lost_life(triggers, cues, _named_subjects(tokens, actors))
    _drop_mourned(triggers, cues)
    view = SentenceView(tokens, triggers, actors, {m.start: m for m in actors}, cues,
                        sources=find_all(tokens, lex.sources))
    for i in range(len(tokens)):
        n = parse_number(tokens, i, lex)
        if n:
            view.numbers[i] = n
    return view


def _drop_weapon_makers(actors: list[Match], cues: dict[str, list[Match]]) -> list[Match]:
    """"قذائف روسية الصنع"، "صواريخ من صنع روسي": a group named as where a weapon was made (lexicon_cues.csv,
    weapon_origin_after right after it, weapon_origin_before right before it) is no party to the event: not
    an actor of the sentence, so never its perpetrator."""
    made_after = {m.start for m in cues.get("weapon_origin_after", [])}
    made_before = {m.end for m in cues.get("weapon_origin_before", [])}
    return [m for m in actors if m.entry.kind != "group" or (m.end not in made_after and m.start not in made_before)]


_LIFE_REACH = 4   # "فقد الطفل سامر حياته": up to three words of subject between the verb and "حياته"


_NAMED_LIFE_REACH = 11   # "فقد المواطن فلان الفلاني الفلاني (42 عاماً) حياته": the person, the name, the age


def _named_subjects(tokens: list[Token], actors: list[Match]) -> set[int]:
    """Where a definite singular person noun stands ("المواطن"، "الطفلة"): a name may follow it."""
    return {m.start for m in actors if m.entry.kind == "person" and m.entry.number == "singular"
            and tokens[m.start].text.startswith("ال")}


_LIST_LIFE_REACH = 24   # "فقد كل من فلان (23 عاماً) وأخوه فلان (20 عاماً) حياتهم": names, ages, a relative clause
_LIST_GAP = 2   # "فقد على إثره كل من ...": a short adverbial may stand between the verb and the list


def _named_lists(cues: dict[str, list[Match]]) -> set[int]:
    """Where a subject that is a list of named people may begin: at most _LIST_GAP words before a
    named_list cue ("كل من"، lexicon_cues.csv). "فقد كل من فلان وأخته فلانة حياتهما" has its life word as far
    on as a named subject's."""
    return {m.start - gap for m in cues.get("named_list", []) for gap in range(_LIST_GAP + 1)}


def _add_lost_life(triggers: dict[int, Match], cues: dict[str, list[Match]], named: AbstractSet[int]) -> None:
    """"فقد طفل حياته": a life word a few tokens after "فقد" (lexicon_cues.csv, lost_life and life_word)
    is a killed trigger; the lexicon's "فقد حياته" only covers the verb right before it. When a named person
    is the subject ("فقد المواطن فلان (42 عاماً) حياته") the life word may stand further on, and further
    still when the subject is a list of names ("فقد كل من فلان وفلان حياتهما", _named_lists)."""
    lists = _named_lists(cues)
    lost = [(m.end, _LIST_LIFE_REACH if m.end in lists else _NAMED_LIFE_REACH if m.end in named else _LIFE_REACH)
            for m in cues.get("lost_life", [])]
    if not lost:
        return
    covered = {k for t in triggers.values() for k in range(t.start, t.end)}
    for m in cues.get("life_word", []):
        if m.start not in covered and any(0 <= m.start - e < reach for e, reach in lost):
            triggers[m.start] = Match(m.start, m.end, Entry(m.entry.words, "killed", kind="verb"))


_MOURNERS_REACH = 4   # "شيع أهالي البلدة جثمان": the mourners may stand between the funeral and the body


def _drop_mourned(triggers: dict[int, Match], cues: dict[str, list[Match]]) -> None:
    """"يشيعون جثمان مقاتل"، "شيع الأهالي جثامين الضحايا": the body of a funeral (lexicon_cues.csv, funeral_word
    a few words before it, no other trigger between) is a death reported before, not a toll of this sentence."""
    for m in cues.get("funeral_word", []):
        body = next((k for k in range(m.end, m.end + _MOURNERS_REACH) if k in triggers), None)
        if body is not None and triggers[body].entry.kind == "victim_noun":
            del triggers[body]


def has_trigger(tokens: list[Token], lex: Lexicons) -> bool:
    if find_all(tokens, lex.outcomes):
        return True
    life = lex.cues["life_word"].words if "life_word" in lex.cues else set()
    return not life.isdisjoint(map(attrgetter("text"), tokens))   # "فقد طفل حياته" (see _add_lost_life)
