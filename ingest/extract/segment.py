"""Splits the body of a document into lines and sentences.

What is not the report (a post's header, reaction counters, the comment thread, menus,
related-article lists, boilerplate lines) is found by the document model (layout.py) and
blanked there; lines here are the body's, trimmed of the blanks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import Layout
from .text import GLUED_SENTENCE_END

# Sentence-final punctuation, Latin and Arabic (؟ question mark, ؛ semicolon): script, not vocabulary; and the
# full stop a capture left glued to the next sentence's "و" (text.GLUED_SENTENCE_END: "طفيفة.ويشار").
_SENTENCE_END = re.compile(rf"(?:\.\.+|[.!?؟؛])(?=\s|$)|\n|{GLUED_SENTENCE_END}")
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


def lines_of(layout: Layout) -> list[Line]:
    """Content lines of the document's body, in order, each trimmed to its non-blank characters."""
    out, pos = [], 0
    for line_no, raw in enumerate(layout.norm.split("\n")):
        start, end = pos, pos + len(raw)
        pos = end + 1
        text = raw.strip()
        if not text:
            continue
        start += len(raw) - len(raw.lstrip())
        end -= len(raw) - len(raw.rstrip())
        n_words = len(_WORD.findall(text))
        if n_words < 2 and not re.search(r"\d", text) and not text.endswith(":"):
            continue   # logos, single-word section labels
        out.append(Line(start, end, line_no, layout.clean[start:end]))
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
