"""Splits a cleaned document into lines and sentences, leaving out page boilerplate.

Related-article links, "read more", social-media follow lines, site chrome and the
reader-comment section carry numbers and dates that are not the article's; they
are dropped here, before any extraction, by the cue lists in seeds/lexicon_cues.csv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicons import Lexicons
from .tokens import Token, TokenIndex, find_all

_SENTENCE_END = re.compile(r"(?:\.\.+|[.!?؟؛])(?=\s|$)|\n")
_WORD = re.compile(r"[\u0621-\u064a]{2,}")


@dataclass
class Sentence:
    start: int        # offsets in the cleaned text
    end: int
    line_no: int      # index of the source line


@dataclass
class Line:
    start: int
    end: int
    line_no: int
    text: str         # cleaned text of the line


def _starts_with_cue(tokens: list[Token], lex: Lexicons, category: str, within: int = 3) -> bool:
    if category not in lex.cues:
        return False
    return any(m.start < within for m in find_all(tokens[: within + 4], lex.cues[category]))


def lines_of(clean: str, norm: str, index: TokenIndex, lex: Lexicons) -> list[Line]:
    """Content lines of the document: boilerplate lines removed, stops at the comment section."""
    out, pos = [], 0
    for line_no, raw in enumerate(norm.split("\n")):
        start, end = pos, pos + len(raw)
        pos = end + 1
        text = raw.strip()
        if not text:
            continue
        n_words = len(_WORD.findall(text))
        tokens = index.between(start, end)
        words = [t for t in tokens if not t.is_digit]   # "3 تعليقات" starts the comments too
        if n_words <= 12 and _starts_with_cue(words, lex, "comments_start", within=1):
            break   # reader comments follow: nothing after this is the article
        if _starts_with_cue(tokens, lex, "boilerplate"):
            continue
        if n_words < 2 and not re.search(r"\d", text) and not text.endswith(":"):
            continue   # logos, single-word section labels
        out.append(Line(start, end, line_no, clean[start:end]))
    return out


def sentences_of(line: Line) -> list[Sentence]:
    out, cursor = [], line.start
    text = line.text
    for m in _SENTENCE_END.finditer(text):
        end = line.start + m.end()
        if end > cursor:
            out.append(Sentence(cursor, end, line.line_no))
        cursor = end
    if cursor < line.end:
        out.append(Sentence(cursor, line.end, line.line_no))
    return out
