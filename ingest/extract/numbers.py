"""Count expressions: Western/Eastern digits (already ASCII after cleaning) and Arabic number words.

Handles compounds ("خمسة وعشرين" = 25, "ثلاثة عشر" = 13, "مئة وخمسين" = 150,
"ثلاثة آلاف" = 3000). Vague quantities (عشرات، مئات) are never numbers.
"""
from __future__ import annotations

from dataclasses import dataclass

from .lexicons import Lexicons
from .tokens import CONJUNCTIONS, Token


@dataclass
class Number:
    value: int
    start: int   # token index
    end: int     # token index, exclusive


# Script punctuation, not vocabulary: the Latin and Arabic decimal points and thousands separators.
_DECIMAL_POINTS = {".", "٫"}
_DIGIT_SEPARATORS = _DECIMAL_POINTS | {",", "٬"}
# Grammar, not a word list: the proclitics a number word may carry ("وثلاثة"، "لخمسة") and the
# conjunction that joins the parts of a compound ("خمسة وعشرين").
_LAM = "ل"
_WAW = "و"
# The words that scale the number before them (seeds/lexicon_cues.csv).
_THOUSAND = "number_thousand_multiplier"
_TEEN = "number_teen_part"
_HUNDRED = "number_hundred_part"


def _word_value(lex: Lexicons, word: str, allow_conj: bool) -> tuple[int, str] | None:
    """The number word, or the word behind its proclitic (a conjunction when allowed, "ل")."""
    value = lex.numbers.get(word)
    if value is None and len(word) > 2 and (word[0] == _LAM or allow_conj and word[0] in CONJUNCTIONS):
        value = lex.numbers.get(word[1:])
    return value


def _is(tokens: list[Token], j: int, lex: Lexicons, category: str) -> bool:
    """Token j exists and is one of the words of the cue category."""
    return j < len(tokens) and tokens[j].text in lex.cues[category].words


def parse_number(tokens: list[Token], i: int, lex: Lexicons) -> Number | None:
    if tokens[i].is_digit:
        return _digits(tokens, i, lex)
    return _number_words(tokens, i, lex)


def _digits(tokens: list[Token], i: int, lex: Lexicons) -> Number | None:
    """A count written in digits, times 1000 when "آلاف" follows ("3 آلاف"); never part of a larger
    or decimal number."""
    if _after_separator(tokens, i) or _before_decimal(tokens, i):
        return None
    value = int(tokens[i].text)
    if _is(tokens, i + 1, lex, _THOUSAND):
        return Number(value * 1000, i, i + 2)
    return Number(value, i, i + 1)


def _after_separator(tokens: list[Token], i: int) -> bool:
    """The tail of "350.209" or "2,5": part of a larger or decimal number, never a count alone."""
    if i < 2:
        return False
    sep, head = tokens[i - 1], tokens[i - 2]
    return sep.text in _DIGIT_SEPARATORS and head.is_digit and head.end == sep.start and sep.end == tokens[i].start


def _before_decimal(tokens: list[Token], i: int) -> bool:
    """The whole part of a decimal ("2.5"): never a head count."""
    return (i + 2 < len(tokens) and tokens[i + 1].text in _DECIMAL_POINTS and tokens[i + 2].is_digit
            and tokens[i + 2].start == tokens[i + 1].end)


def _number_words(tokens: list[Token], i: int, lex: Lexicons) -> Number | None:
    """A count in words: a first word, scaled ("ثلاثة عشر"، "ثلاث مئة"، "ثلاثة آلاف"), then the smaller
    parts joined by "و" ("خمسة وعشرين"، "مئة وخمسين"، "ألف ومئتين")."""
    first = _word_value(lex, tokens[i].text, allow_conj=True)
    if not first:
        return None
    value, kind = first
    if kind == "thousands":
        return None  # "آلاف" alone is vague
    value, kind, j = _scaled(tokens, i + 1, value, kind, lex)
    value, j = _joined_parts(tokens, j, value, kind, lex)
    return Number(value, i, j)


def _scaled(tokens: list[Token], j: int, value: int, kind: str, lex: Lexicons) -> tuple[int, str, int]:
    """The first word with the word that scales it: unit + "عشر" is a teen, unit + "مئة" hundreds,
    and anything under 1000 + "آلاف" thousands."""
    if kind == "unit" and value < 10 and _is(tokens, j, lex, _TEEN):
        value, j = value + 10, j + 1
    elif kind == "unit" and _is(tokens, j, lex, _HUNDRED):
        value, kind, j = value * 100, "hundred", j + 1
    if _is(tokens, j, lex, _THOUSAND) and value < 1000:
        value, kind, j = value * 1000, "thousand", j + 1
    return value, kind, j


def _joined_parts(tokens: list[Token], j: int, value: int, kind: str, lex: Lexicons) -> tuple[int, int]:
    """Smaller parts after "و" added on; a unit takes only a tens part ("خمسة وعشرين"), which ends the number."""
    while j < len(tokens):
        nxt = tokens[j].text
        if not (len(nxt) > 1 and nxt[0] == _WAW):
            break
        part = _word_value(lex, nxt[1:], allow_conj=False)
        if not _adds_to(part, value, kind):
            break
        value += part[0]
        j += 1
        if part[1] == "ten":
            break
    return value, j


def _adds_to(part: tuple[int, str] | None, value: int, kind: str) -> bool:
    if not part:
        return False
    if kind == "unit":
        return part[1] == "ten"
    return part[0] < value
