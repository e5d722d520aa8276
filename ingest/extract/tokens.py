"""Tokens with offsets, and phrase matching that tolerates Arabic proclitics.

camel-tools' simple_word_tokenize does the splitting, word by word (its pieces of
a word follow one another, so their offsets add up); we split the few tokens it
leaves glued (a conjunction or digits stuck to a word: "و20", "3عمليات").
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache, wraps

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
    tokens = []
    for word in _WORD.finditer(norm, start, end):
        at = word.start()
        for text, piece_start, piece_end in _word_tokens(word.group()):
            tokens.append(Token(text, at + piece_start, at + piece_end))
    return tokens


_WORD = re.compile(r"\S+")   # (the words of str.split(): both use Unicode's whitespace)


@lru_cache(maxsize=200_000)
def _word_tokens(word: str) -> tuple[tuple[str, int, int], ...]:
    """The tokens of one whitespace-free word with their offsets in it (news text repeats its words).
    simple_word_tokenize splits a word into pieces that follow one another, so offsets add up."""
    out, at = [], 0
    for raw in simple_word_tokenize(word):
        pos, at = at, at + len(raw)
        if raw in _IGNORED:
            continue
        for m in _GLUED.finditer(raw):
            piece, piece_at = m.group(), pos + m.start()
            for piece_start, piece_end in _split_glued_trigger(piece):
                out.append((piece[piece_start:piece_end], piece_at + piece_start, piece_at + piece_end))
    return tuple(_merge_digit_groups(out))


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


def _merge_digit_groups(pieces: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """'1' ',' '339' written without spaces is one number (1339): pieces of one word (text, start, end)."""
    out = []
    i = 0
    while i < len(pieces):
        text, start, end = pieces[i]
        while (text.isdigit() and i + 2 < len(pieces) and pieces[i + 1][0] in _GROUP_SEPARATORS
               and pieces[i + 2][0].isdigit() and len(pieces[i + 2][0]) == 3
               and pieces[i + 1][1] == end and pieces[i + 2][1] == pieces[i + 1][2]):
            text, end = text + pieces[i + 2][0], pieces[i + 2][2]
            i += 2
        out.append((text, start, end))
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
    entries = table.starting[strip].get(tokens[i].text)
    if entries is None:
        entries = _entries_starting(table, tokens[i].text, strip)
    return _first_match(tokens, i, entries) if entries else None


def _first_match(tokens: list[Token], i: int, entries: tuple[Entry, ...]) -> Match | None:
    """The first of `entries` (which start at token i) whose other words follow it (with proclitics too)."""
    for entry in entries:
        words = entry.words
        n = len(words)
        if n == 1:   # (most phrases are one word)
            return Match(i, i + 1, entry)
        if i + n > len(tokens):
            continue
        for k in range(1, n):
            text = tokens[i + k].text
            if text != words[k] and words[k] not in variants(text)[:3]:
                break
        else:
            return Match(i, i + n, entry)
    return None


_START_CACHE_SIZE = 100_000   # token texts remembered per table (a cache: cleared when full)


def _entries_starting(table: PhraseTable, text: str, strip: bool) -> tuple[Entry, ...]:
    """The entries a phrase at a token `text` may be, in the order they are tried: the token's proclitic
    variants in turn, and for each the longest phrase first (remembered in table.starting)."""
    forms = variants(text) if strip else (text,)
    starting = table.starting[strip]
    if len(starting) > _START_CACHE_SIZE:
        starting.clear()
    entries = starting[text] = tuple(e for form in forms for e in table.by_first.get(form, ()))
    return entries


def find_all(tokens: list[Token], table: PhraseTable, lo: int = 0, hi: int | None = None,
             strip: bool = True) -> list[Match]:
    """Non-overlapping longest matches, left to right."""
    if isinstance(tokens, Tokens) and lo == 0 and hi is None and strip:
        return list(tokens.matches(table))
    return _find_table(tokens, table, lo, len(tokens) if hi is None else hi, strip)


def _find_table(tokens: list[Token], table: PhraseTable, lo: int, hi: int, strip: bool) -> list[Match]:
    starting = table.starting[strip]
    out, i = [], lo
    while i < hi:
        # (most tokens start no phrase of the table: one look-up, and the next token)
        text = tokens[i].text
        entries = starting.get(text)
        if entries is None:
            entries = _entries_starting(table, text, strip)
        if entries:
            m = _first_match(tokens, i, entries)
            if m and m.end <= hi:
                out.append(m)
                i = m.end
                continue
        i += 1
    return out


class CategoryTables:
    """Several phrase tables matched in one pass over the tokens: the tables that have a phrase starting at
    a token text are looked up once (and remembered), and only they are tried there.
    Each table's matches are what `find_all` would give for it alone (non-overlapping, longest first)."""

    def __init__(self, tables: dict[Hashable, PhraseTable],
                 by_first: dict[str, tuple[tuple[Hashable, list[Entry]], ...]] | None = None):
        self.tables = tables
        self._starting: dict[str, tuple[tuple[Hashable, Entry | None, tuple[Entry, ...]], ...]] = {}
        # first word of a phrase -> the tables with phrases starting with it, and those phrases (longest first)
        self._by_first = {} if by_first is None else by_first
        if by_first is None:
            for name, table in tables.items():
                self._index(name, table)

    def _index(self, name: Hashable, table: PhraseTable) -> None:
        for word, entries in table.by_first.items():
            if entries:   # (by_first is a defaultdict: a word once asked for holds an empty list)
                self._by_first[word] = self._by_first.get(word, ()) + ((name, entries),)

    def adding(self, name: Hashable, table: PhraseTable) -> "CategoryTables":
        """These tables and one more (the index is copied, not built again: the gazetteer is large)."""
        joint = CategoryTables({**self.tables, name: table}, dict(self._by_first))
        joint._index(name, table)
        return joint

    def find_all(self, tokens: list[Token]) -> dict[Hashable, list[Match]]:
        out: dict[Hashable, list[Match]] = {name: [] for name in self.tables}
        free = dict.fromkeys(self.tables, 0)   # per table, the first token not inside one of its matches
        starting = self._starting
        if len(starting) > _START_CACHE_SIZE:
            starting.clear()
        for i, tok in enumerate(tokens):
            tables = starting.get(tok.text)
            if tables is None:
                tables = starting[tok.text] = self._tables_starting(tok.text)
            for name, one_word, entries in tables:
                if free[name] > i:
                    continue
                # (the longest phrase first: when it is one word, it is the match)
                m = Match(i, i + 1, one_word) if one_word else _first_match(tokens, i, entries)
                if m:
                    out[name].append(m)
                    free[name] = m.end
        return out

    def _tables_starting(self, text: str) -> tuple[tuple[Hashable, Entry | None, tuple[Entry, ...]], ...]:
        """The tables with a phrase that may start at a token `text`, each with those phrases in the order
        they are tried (as _entries_starting orders them: the token's proclitic variants in turn), and the
        first of them when it is one word."""
        found: dict[Hashable, list[Entry]] = {}
        for form in variants(text):
            for name, entries in self._by_first.get(form, ()):
                found.setdefault(name, []).extend(entries)
        return tuple((name, entries[0] if len(entries[0].words) == 1 else None, tuple(entries))
                     for name, entries in found.items())


class Tokens(list):
    """The tokens of a document or a sentence, which remember their phrase matches: the first time a table
    is asked about (find_all, whole list, proclitics stripped), every table asked about so far is matched in
    one pass, so a sentence is read once for all its lexicons. A slice of a document's Tokens (a sentence,
    a line: TokenIndex.between) takes its matches from the document's instead of reading its tokens again.
    Token lists are not changed once made."""

    __slots__ = ("_matches", "_whole", "_offset", "_starts")

    def __init__(self, tokens=(), whole: "Tokens | None" = None, offset: int = 0):
        super().__init__(tokens)
        self._matches: dict[PhraseTable, list[Match]] | None = None
        self._whole = whole     # the document's Tokens this list is the slice [offset, offset + len) of
        self._offset = offset
        self._starts: dict[PhraseTable, list[int]] = {}   # per table, where its matches start (for slices)

    def matches(self, table: PhraseTable) -> list[Match]:
        found = self._matches
        if found is None or table not in found:
            if self._whole is not None:
                if found is None:
                    found = self._matches = {}
                found[table] = self._whole.matches_in(table, self._offset, self._offset + len(self))
            else:
                found = self._matches = _known_tables(table).find_all(self)
        return found[table]

    def matches_in(self, table: PhraseTable, lo: int, hi: int) -> list[Match]:
        """The matches find_all gives for the slice [lo, hi) alone, in the slice's token indices. They are
        the document's that lie inside the slice when none of the document's runs across one of its edges
        (left to right, longest first, the matching starts afresh at lo and a phrase never reaches past hi);
        when one does, the slice is matched on its own."""
        found = self.matches(table)
        if not found:   # (most tables match nowhere in a document)
            return []
        starts = self._starts.get(table)
        if starts is None:
            starts = self._starts[table] = [m.start for m in found]
        first, last = bisect_left(starts, lo), bisect_left(starts, hi)
        if (first and found[first - 1].end > lo) or (last and found[last - 1].end > hi):
            return _find_table(self[lo:hi], table, 0, hi - lo, True)
        return [Match(m.start - lo, m.end - lo, m.entry) for m in found[first:last]]


_MAX_KNOWN_TABLES = 500   # (lexicons are loaded once; tests that load many start the set again)
_known: list[CategoryTables] = []


def _known_tables(table: PhraseTable) -> CategoryTables:
    """Every table asked about so far, `table` included, as one CategoryTables."""
    joint = _known[0] if _known and len(_known[0].tables) < _MAX_KNOWN_TABLES else CategoryTables({})
    if table not in joint.tables:
        joint = joint.adding(table, table)
        _known[:] = [joint]
    return joint


def keeps_last_answer(find: Callable[[list[Token]], list]) -> Callable[[list[Token]], list]:
    """For a function of a token list alone that is asked about the same list again (the places of a
    sentence, once per count of it): the answer for the last list is kept. The list is held, so it is the
    same list and not a new one at its address; token lists are not changed once made, and each caller
    gets a copy of the answer."""
    last: list[tuple] = [(None, [])]   # (one cell, read and written whole: safe across threads)

    @wraps(find)
    def find_once(tokens: list[Token]) -> list:
        held, answer = last[0]
        if tokens is not held:
            answer = find(tokens)
            last[0] = tokens, answer
        return list(answer)
    return find_once


class TokenIndex:
    """A document tokenised once; sentences and lines take slices of it by character offsets."""

    def __init__(self, norm: str):
        self.norm = norm
        self.tokens = Tokens(tokenize(norm))
        self._starts = [t.start for t in self.tokens]

    def between(self, start: int, end: int) -> Tokens:
        lo, hi = bisect_left(self._starts, start), bisect_left(self._starts, end)
        return Tokens(self.tokens[lo:hi], self.tokens, lo)

    def plain_between(self, start: int, end: int) -> list[Token]:
        """The tokens between two offsets as a plain list: find_all matches it against the one table asked
        (a few lines asked about one table need no pass of every table over the whole text)."""
        return self.tokens[bisect_left(self._starts, start):bisect_left(self._starts, end)]


_last_index: list[TokenIndex | None] = [None]   # (one cell, read and written whole)


def token_index(norm: str) -> TokenIndex:
    """The TokenIndex of a text; the last one is kept, since the layout pass and the body read the same text
    when the page has nothing to drop (a line's tokens are the text's tokens that start in it: no word runs
    across a newline)."""
    index = _last_index[0]
    if index is None or index.norm != norm:
        index = _last_index[0] = TokenIndex(norm)
    return index
