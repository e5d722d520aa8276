"""Blocks of a news page that are not the article, told by their shape rather than by their words.

A captured news page often opens with the site's menu (dozens of one- to three-word lines: sections, programmes,
languages) and, below the article, runs a feed of other articles in which each headline and its teaser are
printed twice (the link, then the card). Neither has a heading to find it by; both have a shape no article
has. Their headlines name other places and other dead, and a menu full of foreign capitals at the top of a
page makes the lead look like a story about another country (relevance.py), so both are page furniture.

Each rule returns line spans (indices into the page's lines); layout.py turns them into named regions.
"""
from __future__ import annotations

import re
from itertools import islice

_WORD = re.compile(r"[\u0621-\u064a]{2,}|[A-Za-z]{2,}")
_DIGIT = re.compile(r"\d")

_MENU_WORDS = 3          # a menu entry is a word or three ("العالم العربي", "Mobile apps")
_MENU_MIN_ENTRIES = 8    # fewer short lines at the top are a post's header, not a site menu
_MENU_SHARE = 0.7        # of the lines of the menu block, at least this share are entries
_MENU_GAP = 2            # longer lines in a row (a section title with its entries on one line) the menu may hold
_TEASER_ITEMS = 2        # headlines printed twice with their teasers: one is a coincidence, two are a feed
_TITLE_WORDS = 20        # a headline (another article's title in a related list) is this short and has no final period
_PARAGRAPH_WORDS = 12    # a line this long ending in a period is article text


def word_count(text: str) -> int:
    """Words of two letters or more, Arabic or Latin (digits and punctuation are no words)."""
    return len(_WORD.findall(text))


def words_up_to(text: str, n: int) -> int:
    """word_count(text), but no more than n: the shape tests only ask whether a line is shorter than a few
    words, and a page that is one long line (most posts) need not have all its words listed to tell."""
    return sum(1 for _ in islice(_WORD.finditer(text), n))


def is_title(text: str) -> bool:
    """A headline's shape: short, no final period."""
    return not text.endswith((".", "。")) and words_up_to(text, _TITLE_WORDS + 1) <= _TITLE_WORDS


def is_paragraph(text: str) -> bool:
    """Article text's shape: a sentence or more, ending in a period."""
    return text.endswith(".") and words_up_to(text, _PARAGRAPH_WORDS) >= _PARAGRAPH_WORDS


def leading_menu(lines: list[str], says_outcome) -> int:
    """How many lines at the top of the page are the site's menu (0 when there is none): a block of
    one- to three-word lines without digits (a line or two of longer ones between them), ending at the
    last such line before the page's own text starts. A line that names an outcome ("مقتل مدنيين") is
    never a menu entry and ends the block."""
    entries, last_entry, longer_run = 0, -1, 0
    for k, raw in enumerate(lines):
        text = raw.strip()
        if not text:
            continue
        if is_paragraph(text) or says_outcome(k):   # (the shape first: says_outcome reads the line's tokens)
            break
        if words_up_to(text, _MENU_WORDS + 1) <= _MENU_WORDS and not _DIGIT.search(text):
            entries, last_entry, longer_run = entries + 1, k, 0
            continue
        longer_run += 1
        if longer_run > _MENU_GAP:
            break
    if entries < _MENU_MIN_ENTRIES:
        return 0
    block = sum(1 for raw in lines[: last_entry + 1] if raw.strip())
    return last_entry + 1 if entries >= _MENU_SHARE * block else 0


def repeated_teasers(lines: list[str], is_attribution) -> list[tuple[int, int]]:
    """(first, last) line of each item of a feed of other articles: a headline and its teaser, then the same
    two again. Only below article text (a paragraph above the first item), and only when there are several.
    A post and its attribution line ("— Name (@handle) date") shown twice is an embedded post the article
    quotes (embeds.py keeps one copy), not a feed item."""
    filled = [k for k, raw in enumerate(lines) if raw.strip()]
    text = [lines[k].strip() for k in filled]
    items = []
    j = 0
    while j + 3 < len(text):
        title, teaser = text[j], text[j + 1]
        if (title != teaser and is_title(title) and text[j + 2] == title and text[j + 3] == teaser
                and not is_attribution(title) and not is_attribution(teaser)):
            items.append((filled[j], filled[j + 3]))
            j += 4
            continue
        j += 1
    if len(items) < _TEASER_ITEMS:
        return []
    first = filled.index(items[0][0])
    return items if any(is_paragraph(t) for t in text[:first]) else []


def titles_above(lines: list[str], heading: int, dropped) -> list[int]:
    """The headlines right above a related-article heading ("مقالات ذات صلة"): the previous and next articles'
    links, printed between the text and the list. Two or more short lines, below a paragraph that ends the
    text or below other page furniture; a single short line may be the text's last sentence, so it stays."""
    run = []
    for k in range(heading - 1, -1, -1):
        text = lines[k].strip()
        if not text:
            continue
        if dropped(k) or is_paragraph(text):
            return run if len(run) >= 2 else []
        if not is_title(text):
            return []
        run.append(k)
    return []
