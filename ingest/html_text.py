"""Saved web pages: recognising HTML and reducing it to the article text and its date.

A page read as text puts menus, share buttons and related-article links into the body, so the
extractor counts the same figure several times. trafilatura keeps the article itself; its
metadata (meta tags, <time>, JSON-LD, URL) gives the publication date. Nothing is fetched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

import trafilatura

# A page starts with one of these (after whitespace and an optional XML declaration) ...
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
# ... or is a fragment whose markup is a large share of its characters.
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
MIN_TAGS = 3
MIN_TAG_SHARE = 0.15
SNIFF_CHARS = 20_000

# Precision over recall: a figure from a "related articles" box is worse than a missed paragraph.
EXTRACT_OPTIONS = dict(
    output_format="txt", favor_precision=True, include_comments=False, include_tables=False,
    include_links=False, include_images=False, include_formatting=False, with_metadata=False,
)
# htmldate: the original (not last-modified) date, from markup only (no guessing from the text).
DATE_OPTIONS = dict(extensive_search=False, original_date=True, outputformat="%Y-%m-%d")


@dataclass(frozen=True)
class Article:
    text: Optional[str]           # None when the page has no article text
    published_at: Optional[date]


def looks_like_html(text: str) -> bool:
    head = text[:SNIFF_CHARS]
    if _HTML_START.match(head):
        return True
    tags = _TAG.findall(head)
    return len(tags) >= MIN_TAGS and sum(map(len, tags)) >= MIN_TAG_SHARE * len(head.strip())


def _page_date(html: str) -> Optional[date]:
    found = trafilatura.extract_metadata(html, date_config=dict(DATE_OPTIONS)).date
    if not found:
        return None
    try:
        return date.fromisoformat(found[:10])
    except ValueError:
        return None


def article_from_html(html: str) -> Article:
    text = trafilatura.extract(html, **EXTRACT_OPTIONS)
    text = text.strip() if text else None
    return Article(text or None, _page_date(html))
