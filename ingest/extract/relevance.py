"""Violent deaths in Syria only: not accidents or disease, not another country's war."""
from __future__ import annotations

from . import places as gaz
from .lexicons import Lexicons
from .sentence import SentenceView
from .tokens import TokenIndex, find_all

_LEAD_CHARS = 400   # headline and lead say where the story is


def is_relevant(view: SentenceView, lex: Lexicons) -> bool:
    """A sentence about violence in Syria (an accident, or a foreign place with nothing Syrian, is not)."""
    toks = view.tokens
    if find_all(toks, lex.cues["accident"]) and not find_all(toks, lex.cues["violence"]):
        return False
    if find_all(toks, lex.cues["foreign_place"]):
        return bool(gaz.find_places(toks) or find_all(toks, lex.cues["syria_cue"]))
    return True


def _in_syria(tokens: list, lex: Lexicons) -> bool:
    return bool(find_all(tokens, lex.cues["syria_cue"]) or gaz.find_places(tokens))


def in_scope(index: TokenIndex, lex: Lexicons) -> bool:
    """Is the document about violence in Syria? Not about another country, not a disaster or accident story."""
    toks = index.tokens
    if find_all(toks, lex.cues["accident"]) and not find_all(toks, lex.cues["violence"]):
        return False
    lead = index.between(0, _LEAD_CHARS)
    if find_all(lead, lex.cues["foreign_place"]) and not _in_syria(lead, lex):
        return False
    if _in_syria(toks, lex):
        return True
    return not find_all(toks, lex.cues["foreign_place"])


def foreign_clause(view: SentenceView, lex: Lexicons, lo: int, hi: int) -> bool:
    """The mention's clause is about another country ("... قتلوا في قطاع غزة")."""
    clause = view.tokens[lo:hi]
    return bool(find_all(clause, lex.cues["foreign_place"])) and not (
        gaz.find_places(clause) or find_all(clause, lex.cues["syria_cue"]))
