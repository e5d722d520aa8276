"""The fast paths of tokens.py give what the plain ones give: tokens cut word by word keep their offsets,
and a Tokens list that matches every lexicon in one pass finds, for each table, what find_all finds
scanning for that table alone."""
from __future__ import annotations

from ingest import BUNDLED_CORPUS
from ingest.corpus import corpus_files, read_document
from ingest.extract.lexicons import load_lexicons
from ingest.extract.places import gazetteer
from ingest.extract.text import clean_text
from ingest.extract.tokens import TokenIndex, Tokens, find_all, tokenize


def _bundled_norms() -> list[str]:
    docs = (read_document(p) for p in corpus_files(BUNDLED_CORPUS))
    return [clean_text(d.body).norm for d in docs if d.status == "loaded"]


def _spans(matches) -> list[tuple]:
    return [(m.start, m.end, m.entry) for m in matches]


def test_tokens_point_at_their_text():
    norm = clean_text('قتل 1,339 شخصاً و«داعش» في #دير_الزور و20 عنصراً، 3عمليات').norm
    tokens = tokenize(norm)
    assert [t.text for t in tokens if "1339" in t.text] == ["1339"]   # a digit group is one number
    assert all(norm[t.start:t.end] == t.text for t in tokens if t.text != "1339")
    assert {"«", "»", "#"}.isdisjoint(t.text for t in tokens)
    for norm in _bundled_norms():
        assert all(norm[t.start:t.end] == t.text for t in tokenize(norm) if not t.text.isdigit())


def test_one_pass_finds_what_each_table_finds_alone():
    lex = load_lexicons()
    tables = [lex.actors, lex.outcomes, lex.sources, gazetteer(), *lex.cues.values()]
    for norm in _bundled_norms():
        plain = tokenize(norm)
        remembered = Tokens(plain)
        for table in tables:
            assert _spans(find_all(remembered, table)) == _spans(find_all(plain, table))


def test_a_slice_of_a_document_finds_what_its_tokens_find_alone():
    """A sentence's Tokens (TokenIndex.between) take their matches from the document's; cut anywhere, even
    inside a phrase the document matches across the cut, each table finds what it finds in the slice alone."""
    lex = load_lexicons()
    tables = [lex.actors, lex.outcomes, lex.sources, gazetteer(), *lex.cues.values()]
    cut_inside_a_phrase = 0
    for norm in _bundled_norms():
        index = TokenIndex(norm)
        whole = {table: find_all(index.tokens, table) for table in tables}
        starts = [t.start for t in index.tokens]
        for lo in range(0, len(starts), 5):
            for hi in (lo + 3, lo + 11, len(starts)):
                start, end = starts[lo], starts[hi] if hi < len(starts) else len(norm)
                cut = index.between(start, end)
                for table in tables:
                    assert _spans(find_all(cut, table)) == _spans(find_all(list(cut), table))
                    cut_inside_a_phrase += any(m.start < lo < m.end or m.start < hi < m.end for m in whole[table])
    assert cut_inside_a_phrase > 100   # the fallback for a phrase across an edge was exercised
