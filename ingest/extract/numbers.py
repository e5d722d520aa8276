"""Count expressions: Western/Eastern digits (already ASCII after cleaning) and Arabic number words.

Handles compounds ("خمسة وعشرين" = 25, "ثلاثة عشر" = 13, "مئة وخمسين" = 150,
"ثلاثة آلاف" = 3000). Vague quantities (عشرات، مئات) are never numbers.
"""
from __future__ import annotations

from dataclasses import dataclass

from .lexicons import Lexicons
from .tokens import Token


@dataclass
class Number:
    value: int
    start: int   # token index
    end: int     # token index, exclusive


_DIGIT_SEPARATORS = {".", "٫", ",", "٬"}


def _word_value(lex: Lexicons, word: str, allow_conj: bool) -> tuple[int, str] | None:
    forms = [word]
    if allow_conj and len(word) > 2 and word[0] in "وف":
        forms.append(word[1:])
    if len(word) > 2 and word[0] == "ل" and word[1:] in lex.numbers:
        forms.append(word[1:])
    for f in forms:
        if f in lex.numbers:
            return lex.numbers[f]
    return None


def parse_number(tokens: list[Token], i: int, lex: Lexicons) -> Number | None:
    tok = tokens[i]
    if tok.is_digit and i >= 2 and tokens[i - 1].text in _DIGIT_SEPARATORS and tokens[i - 2].is_digit \
            and tokens[i - 2].end == tokens[i - 1].start and tokens[i - 1].end == tok.start:
        return None  # the tail of "350.209" or "2,5": part of a larger or decimal number, never a count alone
    if tok.is_digit:
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
        if nxt in {".", "٫"} and i + 2 < len(tokens) and tokens[i + 2].is_digit and tokens[i + 2].start == tokens[i + 1].end:
            return None  # a decimal: never a head count
        value = int(tok.text)
        # "ثلاثة آلاف"-style multiplier written after digits: "3 آلاف"
        if nxt in {"الاف", "الف"}:
            return Number(value * 1000, i, i + 2)
        return Number(value, i, i + 1)
    first = _word_value(lex, tok.text, allow_conj=True)
    if not first:
        return None
    value, kind = first
    if kind == "thousands":
        return None  # "آلاف" alone is vague
    j = i + 1
    # unit + "عشر" -> teen
    if kind == "unit" and value < 10 and j < len(tokens) and tokens[j].text in {"عشر", "عشره"}:
        value += 10
        j += 1
    # hundreds written as two words: "ثلاث مئة"
    elif kind == "unit" and j < len(tokens) and tokens[j].text in {"مئه", "مائه"}:
        value *= 100
        kind = "hundred"
        j += 1
    if j < len(tokens) and tokens[j].text in {"الاف", "الف"} and value < 1000:
        value *= 1000
        kind = "thousand"
        j += 1
    # "... و" + a smaller part: "خمسة وعشرين", "مئة وخمسين", "ألف ومئتين"
    while j < len(tokens):
        nxt = tokens[j].text
        if not (len(nxt) > 1 and nxt[0] == "و"):
            break
        part = _word_value(lex, nxt[1:], allow_conj=False)
        if not part or part[0] >= value and kind != "unit":
            break
        if kind == "unit" and part[1] != "ten":
            break
        value += part[0]
        j += 1
        if part[1] == "ten":
            break
    return Number(value, i, j)
