"""The clause of a mention: the tokens between the punctuation marks around its count and trigger."""
from __future__ import annotations

from .linker import Candidate
from .sentence import SentenceView

# Punctuation, not vocabulary: the marks (Arabic and Latin) that close a clause.
_CLAUSE_BREAK = {"،", ",", "؛", ";", ":"}


def clause(view: SentenceView, lo: int, hi: int) -> tuple[int, int]:
    """The token span [lo, hi) widened to the clause breaks on either side."""
    while lo > 0 and view.tokens[lo - 1].text not in _CLAUSE_BREAK:
        lo -= 1
    while hi < len(view.tokens) and view.tokens[hi].text not in _CLAUSE_BREAK:
        hi += 1
    return lo, hi


def mention_clause(view: SentenceView, cand: Candidate) -> tuple[int, int]:
    """The clause of a candidate's trigger, count and victim phrase."""
    return clause(view, min(cand.trigger, cand.count_start), max(cand.phrase_end, cand.trigger + 1))
