"""Extracts the casualty mentions of one document (../shared/spec/MENTIONS.md).

One pass over the cleaned text: boilerplate lines are dropped, and only the
sentences that carry an outcome trigger are analysed. Each linked count gets its
date, scope, place, source and perpetrator from its sentence, plus the few pieces
of document context an analyst would use (publication date, the dated section of
a monthly list, the period of the previous tally for "الفترة ذاتها").

The steps live in modules named after them: relevance.py (is the story about violence in Syria),
frames.py (what the document has said so far), sentence_mentions.py (the mentions of one sentence),
victim_choice.py, place_choice.py, date_choice.py (the choices for one mention) and
publication_date.py (the document-level date choice, once the whole report is read).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Optional

from .dates import DateContext, section_month
from .frames import DocState, Frame, learn_heading
from .layout import Layout, read_layout
from .lexicons import Lexicons, load_lexicons
from .list_items import is_list_heading, is_list_item
from .mention import Mention
from .place_choice import doc_governorates, only_governorate
from .publication_date import date_by_publication
from .relevance import in_scope
from .segment import lines_of, sentences_of
from .sentence_mentions import sentence_mentions
from .text import CleanText, clean_text
from .tokens import TokenIndex, find_all, match_at, token_index, tokenize, variants


def _known_word(word: str) -> bool:
    lex = load_lexicons()
    return any(v in lex.outcomes.words or v in lex.actors.words for v in variants(word))


def _default_source(outlet: Optional[str], lex: Lexicons) -> Optional[str]:
    if not outlet:
        return None
    toks = tokenize(clean_text(outlet).norm)
    m = match_at(toks, 0, lex.sources) if toks else None   # the outlet's name must start with the source
    return m.entry.category if m else None


def document_layout(text: str) -> Layout:
    """The document model of a text (layout.py): its regions and the date of its header."""
    return read_layout(clean_text(text, is_word=_known_word), load_lexicons())


def extract_document(text: str, doc_id: str, published_at: Optional[date] = None,
                     outlet: Optional[str] = None) -> list[Mention]:
    return extract_with_layout(text, doc_id, published_at, outlet)[0]


def extract_with_layout(text: str, doc_id: str, published_at: Optional[date] = None,
                        outlet: Optional[str] = None) -> tuple[list[Mention], Layout]:
    """The mentions of a document and its document model (regions dropped, header date) for the loader."""
    lex = load_lexicons()
    ct = clean_text(text, is_word=_known_word)
    layout = read_layout(ct, lex)
    # Only the body is read: header, counters, comments and page furniture are blanked (same offsets).
    ct = replace(ct, clean=layout.clean, norm=layout.norm)
    index = token_index(ct.norm)
    if not in_scope(index, lex):
        return [], layout
    published_at = published_at or layout.header_date   # a post's own date line, when the manifest has none
    doc_govs = doc_governorates(index)
    state = DocState(published_at, doc_admin1=only_governorate(doc_govs), doc_admin1s=doc_govs)
    mentions = _read_lines(ct, index, layout, doc_id, state, lex, _default_source(outlet, lex))
    date_by_publication(mentions, state)
    return mentions, layout


def _read_lines(ct: CleanText, index: TokenIndex, layout: Layout, doc_id: str, state: DocState,
                lex: Lexicons, outlet_source: Optional[str]) -> list[Mention]:
    """The mentions of the body, line by line: a dated section heading sets the month of what follows, a
    line ending in ":" announces a list whose items share its outcome, day, victim group and period."""
    mentions: list[Mention] = []
    seen: set[tuple] = set()
    for line in lines_of(layout):
        heading = section_month(line.text.strip(), DateContext(state.published))
        if heading:
            state.section = heading
            continue
        in_list = state.in_list = is_list_item(line.text)
        is_heading = is_list_heading(line.text)
        if not in_list and not is_heading:
            state.list_outcome = None
        state.line_frame = state.list_frame if in_list else Frame()
        state.line_period = None
        for sent in sentences_of(line):
            mentions.extend(sentence_mentions(ct, index.between(sent.start, sent.end), sent, doc_id, state,
                                              lex, outlet_source, seen, state.list_outcome if in_list else None))
        if is_heading:
            _open_list(line, index, state, lex)
        elif not in_list:
            state.list_period = None
    return mentions


def _open_list(line, index: TokenIndex, state: DocState, lex: Lexicons) -> None:
    """A list heading: its outcome, frame and period are its items'."""
    toks = index.between(line.start, line.end)
    trig = find_all(toks, lex.outcomes)
    state.list_outcome = trig[-1].entry.category if trig else None
    state.list_frame = state.line_frame
    state.list_period = state.line_period
    learn_heading(line, toks, state, lex)
