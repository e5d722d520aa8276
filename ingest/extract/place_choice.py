"""The place of a mention: which of the places a sentence names is the event's, and its governorate.

The mention's own clause first, then the most specific place, then the nearest; a place named only as a
landmark for another ("السفيرة شرقي حلب": Aleppo says where al-Safira lies) is never the event's; a name of several places
is resolved by the governorates named around it, then by the document's. A place inside an actor's name
("قوات حكومة دمشق") or a hospital the wounded were taken to is not where the event happened.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from . import places as gaz
from .clauses import mention_clause
from .lexicons import cue_forms, load_lexicons
from .linker import Candidate
from .places import Place, PlaceMatch
from .sentence import SentenceView
from .text import CleanText
from .tokens import TokenIndex, variants


def single_governorate(m: PlaceMatch) -> Optional[str]:
    """The governorate of a place name that can only be in one ("القحطانية بريف القامشلي"), else None."""
    admin1s = {p.admin1 for p in m.candidates if p.admin1}
    return next(iter(admin1s)) if len(admin1s) == 1 else None


def place_of(view: SentenceView, cand: Candidate, ct: CleanText,
             doc_admin1s: frozenset = frozenset()) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(place as written, governorate, place_rule) of a candidate; Nones when the sentence names no place."""
    found = _places_outside_actor_names(view)
    hospitals = {m.end for m in view.cues.get("not_event_place", [])}
    matches = [m for m in found if m.start not in hospitals]
    if not matches:
        return _hospital_governorate(found)
    governorates = _sentence_governorates(matches)
    landmarks, regions = _landmarks(view.tokens, matches)
    resolved = [(m, (m.start in regions and _region(m)) or _resolve(m, governorates, doc_admin1s)) for m in matches]
    lo, hi = mention_clause(view, cand)
    choosable = [mp for mp in resolved if mp[0].start not in landmarks]
    def order(mp):
        return not lo <= mp[0].start < hi, mp[1].rank, abs(mp[0].start - cand.trigger)
    chosen = min(choosable, key=order)
    m, place = _clause_governorate_veto(resolved, *chosen, lo, hi)
    # named after the landmark rule only when it decided: the place it kept is the one given
    over_landmark = m is chosen[0] and min(resolved, key=order)[0] is not m
    admin1 = place.admin1 or (_nearest_admin1(resolved, cand) if governorates else None)
    rule = "landmark_after_direction" if over_landmark \
        else "direction_region" if m.start in regions and place.feature_type == "governorate" \
        else "clause_place" if lo <= m.start < hi else "nearest_place"
    return _name_as_written(view, m, ct, place), admin1, rule


def _region(m: PlaceMatch) -> Optional[Place]:
    """Rule direction_region: "جنوب إدلب" with no place before it is the south of the governorate, not
    the city of the same name (a village the gazetteer lacks, "بلدة ... جنوب إدلب", is no strike on the
    city). A name that is no governorate's keeps its own place."""
    return next((p for p in m.candidates if p.feature_type == "governorate"), None)


def _landmarks(tokens: list, matches: list[PlaceMatch]) -> tuple[set[int], set[int]]:
    """Rule landmark_after_direction: the starts of the places named right after a direction word that
    follows another place ("قرية X غربي مدينة Y", direction_word and settlement_noun in lexicon_cues.csv).
    Y only says where X lies; the event is at X, however specific Y is. A place is a landmark only
    when it comes after another, so one is always left to choose. Second set: the names right after a
    direction word with no place before it (direction_region)."""
    directions, nouns = cue_forms("direction_word"), cue_forms("settlement_noun")
    ends = {m.end for m in matches}

    def is_direction(i: int) -> bool:
        # the bare word only: "ريف حلب الغربي" is an adjective of the place before, no landmark after it
        return i >= 0 and tokens[i].text in directions

    found, regions = set(), set()
    for m in matches:
        d = m.start - 1
        bare = True
        if d >= 0 and nouns.intersection(variants(tokens[d].text)) and not is_direction(d):
            d, bare = d - 1, False   # "غربي مدينة منبج": a settlement noun may stand between
        if not is_direction(d):
            continue
        while is_direction(d - 1):
            d -= 1   # "شمال شرقي الحسكة"
        if d in ends:
            found.add(m.start)
        elif bare:
            regions.add(m.start)
    return found, regions


def _places_outside_actor_names(view: SentenceView) -> list[PlaceMatch]:
    """A place inside an actor's name is no place of the event ("قوات حكومة دمشق" fight in Aleppo)."""
    in_actor = {k for a in view.actors for k in range(a.start, a.end)}
    return [m for m in gaz.find_places(view.tokens) if m.start not in in_actor]


def _hospital_governorate(found: list[PlaceMatch]) -> tuple[None, Optional[str], Optional[str]]:
    """"نُقلوا إلى مستشفى تدمر": the hospital's town is not the event's place, but it is almost always in
    the same governorate."""
    admin1s = {p.admin1 for m in found for p in m.candidates if p.admin1}
    if len(admin1s) == 1:
        return None, admin1s.pop(), "hospital_governorate"
    return None, None, None


def _sentence_governorates(matches: list[PlaceMatch]) -> set[str]:
    """The governorates the sentence names, and those of the places that can only be in one."""
    named = {p.admin1 for m in matches for p in m.candidates if p.feature_type == "governorate"}
    return named | {a for m in matches if (a := single_governorate(m))}


def _resolve(m: PlaceMatch, governorates: set[str], doc_admin1s: frozenset) -> Place:
    """A name of several places, none in a governorate of the sentence: the document's governorates decide
    ("القحطانية" in a report about al-Hasakah)."""
    if any(p.admin1 in governorates for p in m.candidates):
        return gaz.resolve(m, governorates)
    return gaz.resolve(m, governorates | doc_admin1s)


def _nearest_admin1(resolved: list, cand: Candidate) -> Optional[str]:
    """For a place that spans governorates (a river, a desert): the governorate of the nearest place that has one."""
    nearest = min((mp for mp in resolved if mp[1].admin1), key=lambda mp: abs(mp[0].start - cand.trigger), default=None)
    return nearest[1].admin1 if nearest else None


def _name_as_written(view: SentenceView, m: PlaceMatch, ct: CleanText, place: Place) -> str:
    if m.words in gaz.gazetteer().hashtag_forms:
        return place.name_ar   # "#سد_تشرين" is written "سدتشرين" in the cleaned text: the name as the gazetteer has it
    start, end = view.tokens[m.start].start, view.tokens[m.end - 1].end
    first = view.tokens[m.start].text
    name_first = m.words[0]
    if first != name_first and first.endswith(name_first):
        start += len(first) - len(name_first)   # "وحلب" -> "حلب": proclitics are not part of the name
    return ct.clean[start:end]


def _clause_governorate_veto(resolved: list, m, place, lo: int, hi: int):
    """"مزرعة اليرموك شمال الرقة": when the clause names one governorate and the place it matched lies only
    in another (a homonym the gazetteer does not hold), the governorate is what the text says."""
    clause_govs = [(mp[0], p) for mp in resolved if lo <= mp[0].start < hi and mp[0] is not m
                   for p in mp[0].candidates if p.feature_type == "governorate"]
    if len({p.admin1 for _, p in clause_govs}) == 1 and place.feature_type != "governorate" \
            and not any(_in_or_around(p.admin1, clause_govs[0][1].admin1) for p in m.candidates):
        return clause_govs[0]
    return m, place


def _in_or_around(admin1: str, named: str) -> bool:
    """A place in the named governorate or in the countryside governorate around it: "بلدة النبك شمالي
    العاصمة دمشق" names the capital as a landmark for a town of Rif Dimashq, no homonym."""
    return admin1 == named or gaz.countryside_governorates().get(admin1) == named


def doc_governorates(index: TokenIndex) -> set[str]:
    """The governorates of the unambiguous places the body names (headline and hashtags included)."""
    return {a for m in gaz.find_places(index.tokens) if not in_actor_name(index.tokens, m) and (a := single_governorate(m))}


def only_governorate(admin1s: set[str]) -> Optional[str]:
    """The one governorate of the document's places; None when it names none or several."""
    return next(iter(admin1s)) if len(admin1s) == 1 else None


@lru_cache(maxsize=1)
def _actor_place_words() -> dict[str, frozenset[str]]:
    """For each word that is a place inside a multi-word actor name ("حكومه دمشق"، "مجلس دير الزور
    العسكري"), the words that stand right before it in those names."""
    table = gaz.gazetteer()
    firsts = {w[0] for w in getattr(table, "places", {})}
    before: dict[str, set[str]] = {}
    for entries in load_lexicons().actors.by_first.values():
        for e in entries:
            for k in range(1, len(e.words)):
                if e.words[k] in firsts:
                    before.setdefault(e.words[k], set()).add(e.words[k - 1])
    return {w: frozenset(b) for w, b in before.items()}


def in_actor_name(tokens: list, m: PlaceMatch) -> bool:
    """A place match that is part of an actor's name: the word before it is the one the name has there."""
    prev = _actor_place_words().get(m.words[0])
    return bool(prev and m.start > 0 and any(v in prev for v in variants(tokens[m.start - 1].text)))
