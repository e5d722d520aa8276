"""Violent deaths in Syria only: not accidents or disease, not another country's war."""
from __future__ import annotations

from . import places as gaz
from .lexicons import Lexicons
from .sentence import SentenceView
from .tokens import TokenIndex, find_all

_LEAD_CHARS = 400   # headline and lead say where the story is


def _accident(tokens: list, lex: Lexicons) -> bool:
    """An accident or disaster with no violence named ("حادث سير"، "زلزال")."""
    return bool(find_all(tokens, lex.cues["accident"])) and not find_all(tokens, lex.cues["violence"])


def _in_syria(tokens: list, lex: Lexicons) -> bool:
    return bool(find_all(tokens, lex.cues["syria_cue"]) or gaz.find_places(tokens))


def _abroad(tokens: list, lex: Lexicons) -> bool:
    """A foreign place named, and nothing Syrian."""
    return bool(find_all(tokens, lex.cues["foreign_place"])) and not _in_syria(tokens, lex)


def is_relevant(view: SentenceView, lex: Lexicons) -> bool:
    """A sentence about violence in Syria (an accident, or a foreign place with nothing Syrian, is not)."""
    return not _accident(view.tokens, lex) and not _abroad(view.tokens, lex)


def in_scope(index: TokenIndex, lex: Lexicons) -> bool:
    """Is the document about violence in Syria? Not about another country, not a disaster or accident story."""
    toks = index.tokens
    if _accident(toks, lex) or _abroad(index.between(0, _LEAD_CHARS), lex):
        return False
    return _in_syria(toks, lex) or not find_all(toks, lex.cues["foreign_place"])


def foreign_clause(view: SentenceView, lex: Lexicons, lo: int, hi: int) -> bool:
    """The mention's clause is about another country ("... قتلوا في قطاع غزة")."""
    return _abroad(view.tokens[lo:hi], lex)
