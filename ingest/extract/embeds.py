"""Embedded posts: the text of an X or Facebook post a news page quotes, and whether the page already says it.

A page that embeds a post shows the post's text, then its attribution line ("— Name (@handle) Date",
layout's `embed_attribution`). Captured pages often show an embed twice (the quoted text, then the
rendered card), and outlets embed their own post, which retells the article. Read as body, such a
post counts the article's figures a second time. A post is dropped (rule `embedded_post`) when what
it says is already in the document: most of its words, and every figure it gives, stand in the body
or in a post above it. A post that adds something (another source's figure) stays in the body.
"""
from __future__ import annotations

import re

from .tokens import variants

# How much of a post must stand elsewhere in the document for it to be a quotation of it: the
# outlet's own post retells the article in other inflections ("استشهاد شخص" for "استشهد شخص").
QUOTED_SHARE = 0.75
# Page furniture inside a post says nothing about the document: hashtags, links, handles.
_NOT_TEXT = re.compile(r"#[^\s#]+|\S+\.\S+/\S*|@\w+")
_WORD = re.compile(r"[\u0621-\u064a]{2,}|[A-Za-z]{2,}|\d+")


def _words(text: str) -> list[str]:
    """The post's words with proclitics taken off, and its figures."""
    return [w if w.isdigit() else variants(w)[-1] for w in _WORD.findall(_NOT_TEXT.sub(" ", text))]


def _paragraph_above(lines: list[str], i: int) -> tuple[int, int, bool] | None:
    """(first, last, blank_between) of the paragraph above line i, skipping blank lines."""
    last = i - 1
    while last >= 0 and not lines[last].strip():
        last -= 1
    if last < 0:
        return None
    first = last
    while first > 0 and lines[first - 1].strip():
        first -= 1
    return first, last, last < i - 1


def _said_in(words: list[str], known: set[str]) -> bool:
    """Most of the words, and every figure, are already known."""
    if not words:
        return False
    said = sum(w in known for w in words)
    return said >= QUOTED_SHARE * len(words) and all(w in known for w in words if w.isdigit())


def quoted_posts(lines: list[str], attributions: list[int]) -> list[tuple[int, int]]:
    """(first, last) line numbers of each embedded post whose text the document already gives.

    `lines` are the document's lines up to where the report ends; `attributions` the line numbers of
    the posts' attribution lines. The text right above an attribution line is its post; a paragraph
    a blank line above it is a post only when it repeats one shown before (the rendered card), else
    it is the article's text above a post whose own text was not captured."""
    posts = _posts(lines, attributions)
    in_post = {k for first, last, _ in posts for k in range(first, last + 1)}
    body = {w for k, line in enumerate(lines) if k not in in_post and k not in attributions for w in _words(line)}
    dropped, shown = [], set()   # `shown`: the words of the posts above
    for first, last, words in posts:
        if _said_in(words, body | shown):
            dropped.append((first, last))
        shown.update(words)
    return dropped


def _posts(lines: list[str], attributions: list[int]) -> list[tuple[int, int, list[str]]]:
    """(first, last, words) of each embedded post, in text order."""
    posts: list[tuple[int, int, list[str]]] = []
    shown: set[str] = set()
    for i in attributions:
        para = _paragraph_above(lines, i)
        if not para:
            continue
        first, last, blank_between = para
        if any(k in attributions for k in range(first, last + 1)) or (posts and first <= posts[-1][1]):
            continue   # the attribution line of another post, or a paragraph already taken
        words = _words(" ".join(lines[first: last + 1]))
        if blank_between and not _said_in(words, shown):
            continue
        posts.append((first, last, words))
        shown.update(words)
    return posts
