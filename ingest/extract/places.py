"""Places named in a sentence, looked up in the gazetteer seed (seeds/gazetteer.csv).

The most specific place wins (a village over its governorate); a name shared by
places in several governorates is resolved by the governorates the sentence or
the document names ("ريف دير الزور", "بادية حمص").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import SEEDS_DIR
from .lexicons import Entry, PhraseTable, cue_forms, load_lexicons, read_seed
from .text import normalize_form
from .tokens import ARTICLE, Token, find_all, keeps_last_answer, match_at, variants

# Lower rank = more specific.
_SPECIFICITY = {
    "village": 0, "oil_field": 0, "gas_field": 0, "camp": 0, "military_base": 0, "dam": 0,
    "border_crossing": 0, "neighbourhood": 0, "prison": 0, "mountain": 1, "town": 1, "city": 2,
    "subdistrict": 3, "area": 4, "river_area": 4, "desert": 5, "district": 6, "governorate": 7,
}


@dataclass(frozen=True)
class Place:
    name_ar: str
    admin1: str          # '' when the place spans governorates
    feature_type: str

    @property
    def rank(self) -> int:
        return _SPECIFICITY.get(self.feature_type, 3)


@dataclass
class PlaceMatch:
    start: int   # token indices
    end: int
    candidates: tuple[Place, ...]
    words: tuple[str, ...]   # the gazetteer form that matched


def _gazetteer_rows() -> list[dict]:
    """The governorates (seeds/governorates.csv) and the places of seeds/gazetteer.csv."""
    rows = []
    if (SEEDS_DIR / "governorates.csv").exists():
        rows.extend({**r, "feature_type": "governorate"} for r in read_seed("governorates.csv"))
    if (SEEDS_DIR / "gazetteer.csv").exists():
        rows.extend(read_seed("gazetteer.csv"))
    return rows


@lru_cache(maxsize=1)
def countryside_governorates() -> dict[str, str]:
    """The governorate named as the countryside of another (ريف دمشق -> دمشق), by their names in
    seeds/governorates.csv: {countryside admin1: city admin1}. Rif Dimashq surrounds Damascus, so a town
    "north of Damascus" lies in Rif Dimashq."""
    rows = read_seed("governorates.csv") if (SEEDS_DIR / "governorates.csv").exists() else []
    by_name = {r["name_ar"]: r["admin1"] for r in rows}
    return {r["admin1"]: by_name[city] for r in rows
            if r["name_ar"].startswith("ريف ") and (city := r["name_ar"][len("ريف "):]) in by_name}


@lru_cache(maxsize=1)
def gazetteer() -> PhraseTable:
    places: dict[tuple[str, ...], list[Place]] = {}
    for r in _gazetteer_rows():
        place = Place(r["name_ar"], r.get("admin1") or "", r.get("feature_type") or "town")
        names = [r["name_ar"]] + [v for v in (r.get("variants_ar") or "").split("|") if v]
        for name in names:
            words = tuple(normalize_form(name).split())
            if words and place not in places.setdefault(words, []):
                places[words].append(place)
    hashtag_forms = _hashtag_forms(places)
    for key, same in hashtag_forms.items():
        places[key] = same
    entries = [Entry(words=w, category="place", value=str(i)) for i, w in enumerate(places)]
    table = PhraseTable(entries)
    table.places = {e.words: tuple(places[e.words]) for e in entries}
    table.hashtag_forms = frozenset(hashtag_forms)
    return table


def _hashtag_forms(places: dict[tuple[str, ...], list[Place]]) -> dict[tuple[str, ...], list[Place]]:
    """A name of several words as a hashtag writes it: one word ("#سد_تشرين" is "سدتشرين" once clean_text has
    taken out the underscore). Only where that word is not already a name of its own ("ديرالزور" is a variant)."""
    out: dict[tuple[str, ...], list[Place]] = {}
    for words, same in places.items():
        key = ("".join(words),)
        if len(words) > 1 and key not in places:
            out.setdefault(key, [])
            out[key].extend(p for p in same if p not in out[key])
    return out


@keeps_last_answer
def find_places(tokens: list[Token]) -> list[PlaceMatch]:
    table = gazetteer()
    if not table:
        return []
    return [PlaceMatch(m.start, m.end, table.places[m.entry.words], m.entry.words) for m in find_all(tokens, table)
            if not _in_common_noun_phrase(tokens, m.start) and not _named_as_origin(tokens, m.start)
            and not _article_added(tokens[m.start].text, m.entry.words[0])
            and not (m.end - m.start == 1 and _other_word(tokens[m.start].text, m.entry.words[0]))
            and not _after_street_noun(tokens, m.start)]


@lru_cache(maxsize=1)
def _other_words() -> frozenset[str]:
    """One-word places abroad (lexicon_cues.csv, foreign_place) and common words that hold a one-word Syrian
    place once a proclitic is taken off (place_homograph_word: "فرقة" is "a unit", not ف + "رقة")."""
    cues = load_lexicons().cues
    return frozenset(e.words[0] for cat in ("foreign_place", "place_homograph_word")
                     for entries in cues[cat].by_first.values() for e in entries if len(e.words) == 1)


def _other_word(token: str, name_first: str) -> bool:
    """"لبنان" is Lebanon, not the Aleppo village بنان behind a proclitic "ل", and "فاطمة" is a name, not
    ف + "أطمة": a token that, with fewer proclitics taken off than the place needs, is itself a place abroad
    or a common word does not match the Syrian name ("ولبنان" too)."""
    others = _other_words()
    return any(v in others for v in variants(token) if len(v) > len(name_first))


_ORIGIN_CUES = ("strike_origin_cue", "displaced_origin_cue")
_MAX_SETTLEMENT_NOUNS = 2   # "من منطقة ريف المعرة": a district noun, then the countryside


def _in_common_noun_phrase(tokens: list[Token], i: int) -> bool:
    """The place name at token i is part of a phrase where it is an ordinary noun (not_place_phrase:
    "الحراك السلمي" is the peaceful movement, not the town al-Hirak; "تجدر الإشارة" is "it is worth noting")."""
    table = load_lexicons().cues["not_place_phrase"]
    return any((m := match_at(tokens, k, table)) and m.end > i for k in range(max(0, i - _longest("not_place_phrase") + 1), i + 1))


def _named_as_origin(tokens: list[Token], start: int) -> bool:
    """A place named as an origin: of a strike ("عدواناً جوياً من اتجاه الجولان"، "قذائف مصدرها ...",
    strike_origin_cue) or of displaced victims ("نازحة من بلدة تل الضمان", displaced_origin_cue): the strike
    came from there and the victims fled from there; neither happened there. Up to two settlement nouns
    may stand between ("من بلدة"، "من ريف"، "من منطقة ريف", settlement_noun)."""
    ends = [start]
    nouns = cue_forms("settlement_noun")
    while len(ends) <= _MAX_SETTLEMENT_NOUNS and ends[-1] > 0 \
            and nouns.intersection(variants(tokens[ends[-1] - 1].text)):
        ends.append(ends[-1] - 1)
    return any(_phrase_ends_at(tokens, end, cat) for end in ends for cat in _ORIGIN_CUES)


def _phrase_ends_at(tokens: list[Token], end: int, category: str) -> bool:
    table = load_lexicons().cues[category]
    return any((m := match_at(tokens, k, table)) and m.end == end for k in range(max(0, end - _longest(category)), end))


@lru_cache(maxsize=None)
def _longest(category: str) -> int:
    """The most words a phrase of a lexicon_cues.csv category has."""
    return max(len(e.words) for entries in load_lexicons().cues[category].by_first.values() for e in entries)


def _after_street_noun(tokens: list[Token], start: int) -> bool:
    """"دوار المزرعة"، "ساحة الكرامة": a square, roundabout or street named after a place is not that place
    (street_feature_noun); the town it is in is named around it."""
    return start > 0 and bool(set(variants(tokens[start - 1].text)) & cue_forms("street_feature_noun"))


def _article_added(token: str, name_first: str) -> bool:
    """"السلمي" is the adjective "peaceful", not the town سلمى: a name written without the article
    does not match a word that carries one (proclitics و ف ب ل ك are still taken off)."""
    return not name_first.startswith(ARTICLE) and ARTICLE + name_first in variants(token)


def resolve(match: PlaceMatch, preferred_admin1: set[str]) -> Place:
    """Pick one candidate of an ambiguous name, preferring governorates named in context."""
    cands = sorted(match.candidates, key=lambda p: (p.admin1 not in preferred_admin1, p.rank))
    return cands[0]
