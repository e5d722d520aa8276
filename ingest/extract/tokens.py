"""Tokens with offsets, and phrase matching that tolerates Arabic proclitics.

camel-tools' simple_word_tokenize does the splitting; we re-align its tokens on
the normalised text to recover character offsets, and split the few tokens it
leaves glued (a conjunction or digits stuck to a word: "و20", "3عمليات").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from camel_tools.tokenizers.word import simple_word_tokenize

from .lexicons import Entry, PhraseTable

# digits, Latin letters and the rest are split apart: "و20"، "3عمليات"، and page furniture glued to the
# text it precedes ("SyriaCivilDefeإصابة"، "Publicاستشهد")
_GLUED = re.compile(r"\d+|[A-Za-z]+|[^\dA-Za-z]+")
# Quotes around names ("داعش"، “قسد”) and hashtags carry no meaning for matching.
_IGNORED = {'"', "'", "“", "”", "«", "»", "„", "‘", "’", "#"}
# Arabic proclitics are grammar, not a word list: a closed set of letters written onto the next word.
CONJUNCTIONS = "وف"      # "and", "so"
PREPOSITIONS = "بلك"     # "with/by", "to/for", "like"
ARTICLE = "ال"
_IMPERFECT_PREFIXES = "تي"   # a verb's person prefix: a word ending in "تصاب" may be an imperfect verb
_GROUP_SEPARATORS = {",", "٬", "،"}   # thousands separators (Latin, Arabic, and the Arabic comma used so)


@dataclass(slots=True)   # (many are made and read: slots make both faster)
class Token:
    text: str    # normalised form
    start: int   # offsets in the cleaned text
    end: int

    @property
    def is_digit(self) -> bool:
        return self.text.isdigit()


def tokenize(norm: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(norm) if end is None else end
    segment = norm[start:end]
    tokens, cursor = [], 0
    for raw in (piece for word in segment.split() for piece in _word_pieces(word)):
        pos = segment.find(raw, cursor)
        if pos < 0:
            continue
        cursor = pos + len(raw)
        if raw in _IGNORED:
            continue
        for m in _GLUED.finditer(raw):
            piece, at = m.group(), start + pos + m.start()
            if len(piece) < _MIN_GLUED:   # (the common case, without a call)
                tokens.append(Token(piece, at, at + len(piece)))
                continue
            for piece_start, piece_end in _split_glued_trigger(piece):
                tokens.append(Token(piece[piece_start:piece_end], at + piece_start, at + piece_end))
    return _merge_digit_groups(tokens)


@lru_cache(maxsize=200_000)
def _word_pieces(word: str) -> tuple[str, ...]:
    """simple_word_tokenize of one whitespace-free word: it splits the text at whitespace and then each word
    on its own, so its pieces are remembered per word (news text repeats its words)."""
    return tuple(simple_word_tokenize(word))


_MIN_GLUED = 7        # shorter words are left alone
_MIN_TRIGGER = 4      # "مقتل"، "اصابه"، "استشهد": long enough not to end an ordinary word by chance
_MIN_AFTER_HEADER = 3   # "عاجلفقد" splits; "عاجلا"، "عاجله" (adverb, feminine) are words of their own


@lru_cache(maxsize=100_000)
def _split_glued_trigger(word: str) -> tuple[tuple[int, int], ...]:
    """A post's header word glued to the trigger that opens its text ("عاجلإصابة"، "السبتمقتل"، "منبجأصيب")
    is read as two words; a word the lexicons know ("والقتلى") is left whole."""
    whole = ((0, len(word)),)
    if len(word) < _MIN_GLUED or word.isdigit() or word.isascii():
        return whole
    lex = _lexicons()
    if any(v in lex.outcomes.words or v in lex.actors.words for v in variants(word)):
        return whole
    header = next((h for h in lex.cues["glued_header_word"].words if word.startswith(h)), None)
    if header and len(word) - len(header) >= _MIN_AFTER_HEADER:
        # "#عاجلفقد مدني حياته": the header word is written as a word of its own whatever follows it
        # (the trigger may be short, "فقد", or come later in the sentence).
        return (0, len(header)), (len(header), len(word))
    for cut in range(3, len(word) - _MIN_TRIGGER + 1):
        # (not an imperfect verb: "للاغتصاب" ends in "تصاب" by chance)
        if word[cut:] in lex.outcomes.by_first and word[cut] not in _IMPERFECT_PREFIXES:
            return (0, cut), (cut, len(word))
    return whole


def _lexicons():
    from .lexicons import load_lexicons   # noqa: PLC0415 - lexicons is loaded after this module
    return load_lexicons()


def _merge_digit_groups(tokens: list[Token]) -> list[Token]:
    """'1' ',' '339' written without spaces is one number (1339)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        while (t.is_digit and i + 2 < len(tokens) and tokens[i + 1].text in _GROUP_SEPARATORS
               and tokens[i + 2].is_digit and len(tokens[i + 2].text) == 3
               and tokens[i + 1].start == t.end and tokens[i + 2].start == tokens[i + 1].end):
            t = Token(t.text + tokens[i + 2].text, t.start, tokens[i + 2].end)
            i += 2
        out.append(t)
        i += 1
    return out


@lru_cache(maxsize=200_000)
def variants(word: str) -> tuple[str, ...]:
    """The word and the forms left when Arabic proclitics (و ف ب ل ك ال) are taken off."""
    out = [word]
    w = word
    if len(w) > 2 and w[0] in CONJUNCTIONS:
        w = w[1:]
        out.append(w)
    if len(w) > 2 and w[0] in PREPOSITIONS:
        if w.startswith("لل"):   # "لل" is ل + ال with the article's alef dropped: "للنظام" = ل + النظام
            out.append(ARTICLE + w[2:])
        out.append(w[1:])
    for x in list(out):
        if x.startswith(ARTICLE) and len(x) > 3:
            out.append(x[len(ARTICLE):])
    return tuple(out)


@dataclass(slots=True)
class Match:
    start: int      # token index
    end: int        # token index, exclusive
    entry: Entry


def match_at(tokens: list[Token], i: int, table: PhraseTable, strip: bool = True) -> Match | None:
    """Longest phrase of `table` starting at token i (the first word may carry proclitics)."""
    first_forms = variants(tokens[i].text) if strip else [tokens[i].text]
    for form in first_forms:
        for entry in table.by_first.get(form, ()):
            n = len(entry.words)
            if i + n > len(tokens):
                continue
            if all(tokens[i + k].text == entry.words[k] or entry.words[k] in variants(tokens[i + k].text)[:3]
                   for k in range(1, n)):
                return Match(i, i + n, entry)
    return None


_START_CACHE_SIZE = 100_000   # words remembered per table (a cache: cleared when full)


def _start_words(table: PhraseTable, strip: bool) -> dict[str, bool]:
    """Per table, the token texts already seen and whether a phrase of the table can start at them
    (tables are not changed once built)."""
    caches = table.__dict__.setdefault("_start_words", ({}, {}))
    cache = caches[strip]
    if len(cache) > _START_CACHE_SIZE:
        cache.clear()
    return cache


def _can_start(table: PhraseTable, text: str, strip: bool) -> bool:
    if not strip:
        return text in table.by_first
    return any(form in table.by_first for form in variants(text))


def find_all(tokens: list[Token], table: PhraseTable, lo: int = 0, hi: int | None = None,
             strip: bool = True) -> list[Match]:
    """Non-overlapping longest matches, left to right."""
    hi = len(tokens) if hi is None else hi
    starts = _start_words(table, strip)
    out, i = [], lo
    while i < hi:
        # (most tokens start no phrase of the table: they are skipped without a call to match_at)
        text = tokens[i].text
        hit = starts.get(text)
        if hit is None:
            hit = starts[text] = _can_start(table, text, strip)
        if not hit:
            i += 1
            continue
        m = match_at(tokens, i, table, strip)
        if m and m.end <= hi:
            out.append(m)
            i = m.end
        else:
            i += 1
    return out


class CategoryTables:
    """Several phrase tables matched in one pass over the tokens: each token's proclitic variants are looked
    up once in a joint index of first words, and only the tables that have one of them are tried there.
    Each table's matches are what `find_all` would give for it alone (non-overlapping, longest first)."""

    def __init__(self, tables: dict[str, PhraseTable]):
        self.tables = tables
        self.by_first: dict[str, tuple[str, ...]] = {}
        for name, table in tables.items():
            for first in table.by_first:
                self.by_first[first] = self.by_first.get(first, ()) + (name,)

    def find_all(self, tokens: list[Token]) -> dict[str, list[Match]]:
        out: dict[str, list[Match]] = {name: [] for name in self.tables}
        free = dict.fromkeys(self.tables, 0)   # per table, the first token not inside one of its matches
        for i, tok in enumerate(tokens):
            names = {n for form in variants(tok.text) for n in self.by_first.get(form, ())}
            for name in names:
                if free[name] > i:
                    continue
                m = match_at(tokens, i, self.tables[name])
                if m:
                    out[name].append(m)
                    free[name] = m.end
        return out


class TokenIndex:
    """A document tokenised once; sentences and lines take slices of it by character offsets."""

    def __init__(self, norm: str):
        self.tokens = tokenize(norm)
        self._starts = [t.start for t in self.tokens]

    def between(self, start: int, end: int) -> list[Token]:
        return self.tokens[bisect_left(self._starts, start):bisect_left(self._starts, end)]
