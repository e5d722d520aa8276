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

# A page starts with one of these (after whitespace and an optional XML declaration) ...
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
# ... or is a fragment holding several HTML elements (prose never writes <p> or </div>).
_HTML_ELEMENT = re.compile(
    r"</?(?:p|div|span|br|a|h[1-6]|ul|ol|li|table|tr|td|th|article|section|header|footer|nav|aside|main"
    r"|img|meta|link|script|style|strong|em|b|i|blockquote|figure|figcaption|time|body|head|title)\b[^<>]*>", re.I)
MIN_ELEMENTS = 3
SNIFF_CHARS = 20_000

# Precision over recall: a figure from a "related articles" box is worse than a missed paragraph.
# A page too small for the precise pass gets one recall pass rather than losing the document.
EXTRACT_OPTIONS = dict(
    output_format="txt", include_comments=False, include_tables=False, include_links=False,
    include_images=False, include_formatting=False, with_metadata=False,
)
# htmldate: the original (not last-modified) date, from markup only (no guessing from the text).
DATE_OPTIONS = dict(extensive_search=False, original_date=True, outputformat="%Y-%m-%d")


@dataclass(frozen=True)
class Article:
    text: Optional[str]           # None when the page has no article text
    published_at: Optional[date]


def looks_like_html(text: str) -> bool:
    head = text[:SNIFF_CHARS]
    return bool(_HTML_START.match(head)) or len(_HTML_ELEMENT.findall(head)) >= MIN_ELEMENTS


def _page_date(html: str) -> Optional[date]:
    import trafilatura  # here, not at the top: a quarter second most corpora (plain text) never need

    found = trafilatura.extract_metadata(html, date_config=dict(DATE_OPTIONS)).date
    if not found:
        return None
    try:
        return date.fromisoformat(found[:10])
    except ValueError:
        return None


def article_from_html(html: str) -> Article:
    import trafilatura  # see _page_date

    # trafilatura reads a bare fragment (<p>...</p>) only inside a page
    page = html if _HTML_START.match(html) else f"<html><body>{html}</body></html>"
    text = (trafilatura.extract(page, favor_precision=True, **EXTRACT_OPTIONS)
            or trafilatura.extract(page, favor_recall=True, **EXTRACT_OPTIONS))
    text = text.strip() if text else None
    return Article(text or None, _page_date(page))
