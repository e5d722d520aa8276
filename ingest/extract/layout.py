"""The document model: which parts of a captured page are the report, and which are the page around it.

Real reports arrive as captured web pages: a Facebook post has an author/date header glued to its
first sentence and reaction counters ("All reactions:2.1K453 comments") glued to its last, then a
comment thread with comment ages ("21w", "1y"); an X post ends in "7:28 PM · Nov 27, 2024" and
view counters, then replies; a news page has menus and "الأكثر قراءة" lists of other headlines.
Their numbers are not the report's. `read_layout` splits the cleaned text into regions, keeps only
the body for reading (every other character is blanked, so offsets still map to the original), and
records what it dropped and by which rule, so the loader can store it.

Cues are data (seeds/layout_cues.csv, one named row per cue; the Arabic comment and boilerplate
cues of seeds/lexicon_cues.csv); the few patterns that must be regexes (dates in headers,
counters, handles, hashtag digits) are named in `_RULES` below.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Optional

from .dates import DateContext, find_dates
from .embeds import quoted_posts
from .lexicons import Lexicons, read_seed
from .page_blocks import is_title, leading_menu, repeated_teasers, titles_above, word_count
from .text import CleanText, normalize_form
from .tokens import find_all, token_index, tokenize

KINDS = ("header", "body", "engagement", "comments", "hashtag", "related", "furniture")
_DROPPED_TO_END = ("engagement", "comments")   # once they start, nothing after is the report

_EN_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_EN_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"

# Patterns that have to be regexes, each with the name stored with the region it finds.
_RULES = {
    # "October 22, 2025" / "Oct 22, 2025" (Facebook and X headers)
    "en_month_day_year": re.compile(rf"(?P<mon>{_EN_MONTH})\s(?P<day>\d{{1,2}}),\s?(?P<year>20\d\d)"),
    # X's timestamp under the post: "7:28 PM · Nov 27, 2024" (views and replies follow)
    "x_timestamp": re.compile(rf"\d{{1,2}}:\d\d\s?[AP]M\s?·\s?(?P<mon>{_EN_MONTH})\s(?P<day>\d{{1,2}}),\s?(?P<year>20\d\d)"),
    # the same in X's Arabic interface: "10:43 م · 15 يونيو 2025" (the date is read by dates.py; ص/م are
    # the interface's AM/PM marks, part of the timestamp format like the "·")
    "x_timestamp_ar": re.compile(r"\d{1,2}:\d\d\s?[صم]\s?·\s?(?P<date>\d{1,2}\s\S+\s20\d\d)"),
    # the attribution line under an embedded post: "— Name (@handle) February 1, 2025"
    "embed_attribution": re.compile(r"^[ \t]*[—–-]\s.{0,80}\(@[A-Za-z0-9_]{1,15}\).{0,40}$", re.M),
    # X author line: "Name@handle" and, for a thread's earlier posts, "Dec 5, 2024" or "3h" glued on
    "x_author_handle": re.compile(rf"@[A-Za-z0-9_]{{1,15}}(?:\s?(?:{_EN_MONTH}\s\d{{1,2}}(?:,\s?20\d\d)?|\d{{1,2}}[hm](?![a-z])))?"),
    # a headline cut short by the site ("... تتواصل…"): a link to another article
    "truncated_title": re.compile(r"\u2026\s*$"),
    # a post age in a header: "3h", "2d", "Yesterday at 10:15"
    "relative_post_age": re.compile(r"(?<![\w])(?:\d{1,2}\s?[smhdwy]|Yesterday(?: at \d{1,2}:\d\d\s?[AP]M)?|Just now)(?=\s?·)"),
    # digits glued to a hashtag: "#الأطفال11145" is a counter or a year, never a head count
    "hashtag_number": re.compile(r"#[^\s#]*?[^\s#\d](?P<num>\d+)(?![^\s#.,،:])"),
    # a counter glued to the last word of a line: "... القصف العشوائي1231"
    "line_end_counter": re.compile(r"(?<=[\u0621-\u064a])(?P<num>\d+)[ \t]*$", re.M),
    # a line of counters only: "12K views", "2 Likes", "453 comments", "1.3KViews721"
    "counter_line": re.compile(r"^[ \t]*[\d.,]+\s?[KM]?\s?(?:Views|views|Likes?|likes?|Reposts?|reposts?|Quotes?|"
                               r"Bookmarks?|comments?|shares?|replies|Repl(?:y|ies)|Retweets?)(?:[\d.,]+[KM]?)?[ \t]*$",
                               re.M),
}

_HASHTAG = re.compile(r"#[^\s#]+")
_HEADER_WINDOW = 1200    # a post header (with the page title above it) sits in the first characters
_AUTHOR_REACH = 200      # an X author line ("Name@handle") opens the post; a later @ is a mention in the text
_TITLE_WORDS = 25          # a truncated headline is a title, not a paragraph
_TEASER_AFTER = 3           # titles a related list must already hold before a longer teaser line may follow
_TEASER_WORDS = 45          # a teaser is a sentence or two; a longer line is the text going on
_COMMENT_LINE_WORDS = 12    # "التعليقات (3)" is a heading, not a sentence that happens to start so
_CUE_REACH = 120            # characters of a line enough to find the comment or boilerplate cue opening it


@dataclass(frozen=True)
class Region:
    kind: str          # one of KINDS
    start: int         # offsets in the cleaned text
    end: int
    rule: str          # the cue or rule that found it
    orig_start: int = 0   # offsets in the original text
    orig_end: int = 0


@dataclass
class Layout:
    regions: list[Region]            # in text order; body regions between the dropped ones
    header_date: Optional[date]      # the post's own date, read from its header
    header_date_rule: Optional[str]
    clean: str                       # the cleaned text with every non-body character blanked (same length)
    norm: str

    @property
    def dropped(self) -> list[Region]:
        return [r for r in self.regions if r.kind != "body"]


@dataclass(frozen=True)
class _Cue:
    name: str
    kind: str
    form: str
    position: str
    key: str                  # the form normalised like the text (alef, yeh, teh marbuta forms unified)
    words: tuple[str, ...]


@lru_cache(maxsize=1)
def _cues() -> tuple[_Cue, ...]:
    out = []
    for r in read_seed("layout_cues.csv"):
        key = normalize_form(r["form"])
        out.append(_Cue(r["name"], r["kind"], r["form"], r["position"], key, tuple(key.split())))
    return tuple(out)


def _en_date(m: re.Match) -> Optional[date]:
    try:
        return date(int(m.group("year")), _EN_MONTHS[m.group("mon")[:3].lower()], int(m.group("day")))
    except (ValueError, KeyError):
        return None


def _lines(text: str):
    """(start, end, text) of each line."""
    pos = 0
    for raw in text.split("\n"):
        yield pos, pos + len(raw), raw
        pos += len(raw) + 1


def _line_cue(raw: str) -> Optional[_Cue]:
    """The line cue a line is (or opens with), when the line is short: a heading, not a sentence."""
    text = raw.strip()
    for cue in _line_cues()[0]:
        if (text.startswith(cue.form) and not text[len(cue.form):len(cue.form) + 1].isalpha()
                and len(text) <= len(cue.form) + 40):
            return cue
    words = _LEADING_NON_LETTERS.sub("", text).split()
    for cue in _line_cues()[1].get(words[0], ()) if words else ():
        if tuple(words[: len(cue.words)]) == cue.words and word_count(text) <= len(cue.words) + 3:
            return cue
    return None


_LEADING_NON_LETTERS = re.compile(r"^[^\u0621-\u064a]+")


@lru_cache(maxsize=1)
def _line_cues() -> tuple[tuple[_Cue, ...], dict[str, tuple[_Cue, ...]]]:
    """Line cues: the Latin ones (matched as prefixes), the Arabic ones by their first word."""
    latin, arabic = [], {}
    for cue in _cues():
        if cue.position in ("line", "line_one"):
            if cue.form.isascii():
                latin.append(cue)
            else:
                arabic.setdefault(cue.words[0], []).append(cue)
    return tuple(latin), {w: tuple(c) for w, c in arabic.items()}


@dataclass(frozen=True)
class _Cut:
    """Where the report ends: engagement chrome or the comment thread starts there and runs to the end."""
    at: int
    kind: Optional[str] = None
    rule: Optional[str] = None


_Dated = tuple[Optional[date], Optional[str]]   # the post's own date and the rule that read it


def read_layout(ct: CleanText, lex: Lexicons) -> Layout:
    """Split a cleaned document into header, body and the page chrome around it."""
    n = len(ct.clean)
    found: list[Region] = []
    # 1. Where engagement chrome or the comment thread starts: nothing after it is the report.
    cut = _anywhere_cut(ct.norm, n)
    ts, ts_rule = _post_timestamp(ct.clean)
    dated: _Dated = (None, None)
    if ts:
        dated = (_timestamp_date(ts), ts_rule)
        if ts.start() < cut.at:
            found.append(Region("header", ts.start(), ts.end(), ts_rule))
            cut = _Cut(ts.end(), "engagement", ts_rule)
    # 2. Blocks told by their shape (page_blocks.py): the site menu on top, a feed of other articles below.
    lines = list(_lines(ct.norm))
    found.extend(_page_blocks(ct.norm, lines, cut, lex))
    # 3. Line cues: Arabic comment headings, boilerplate lines, menus, related-article lists.
    line_regions, cut = _line_regions(ct.norm, lines, cut, lex, found)
    found.extend(line_regions)
    found.extend(_trailing_titles(lines, cut.at, found))
    if cut.at < n:
        found.append(Region(cut.kind or "comments", cut.at, n, cut.rule or "comments_start"))
    # 4. The post header: author, date, audience ("... October 22, 2025 · Shared with Public").
    header, dated = _post_header(ct, cut.at, found, bool(ts), dated)
    found.extend(header)
    found.extend(_embedded_posts(ct, lines, found, cut.at))
    # 5. Numbers that are counters, not counts: glued to a hashtag or to the last word of a line.
    found.extend(_rule_regions("hashtag", "hashtag_number", ct.clean, cut.at))
    found.extend(_rule_regions("engagement", "line_end_counter", ct.clean, cut.at))
    found.extend(_rule_regions("engagement", "counter_line", ct.clean, cut.at))
    return _assemble(ct, found, *dated)


def _anywhere_cut(norm: str, n: int) -> _Cut:
    """The earliest engagement or comment cue found anywhere in the text (n when there is none)."""
    cut = _Cut(n)
    for cue in _cues():
        if cue.position == "anywhere" and cue.kind in _DROPPED_TO_END:
            at = norm.find(cue.key)
            if 0 <= at < cut.at:
                cut = _Cut(at, cue.kind, cue.name)
    return cut


def _post_timestamp(clean: str) -> tuple[Optional[re.Match], str]:
    """X's timestamp under the post (English interface first, then Arabic) and the rule that found it."""
    for rule in ("x_timestamp", "x_timestamp_ar"):
        ts = _RULES[rule].search(clean)
        if ts:
            return ts, rule
    return None, ""


def _page_blocks(norm: str, lines: list, cut: _Cut, lex: Lexicons) -> list[Region]:
    """The site menu at the top of a page and the feed of other articles below it (page_blocks.py)."""
    texts = [raw if start < cut.at else "" for start, _, raw in lines]

    def says_outcome(k: int) -> bool:
        return bool(find_all(token_index(norm).plain_between(lines[k][0], lines[k][1]), lex.outcomes))

    out = []
    menu = leading_menu(texts, says_outcome)
    if menu:
        out.append(Region("furniture", lines[0][0], lines[menu - 1][1], "leading_menu"))
    out.extend(Region("related", lines[first][0], min(lines[last][1], cut.at), "repeated_teasers")
               for first, last in repeated_teasers(texts, _RULES["embed_attribution"].match))
    return out


def _rule_regions(kind: str, rule: str, clean: str, cut: int) -> list[Region]:
    """Every match of the named regex rule before the cut, as a region (its `num` group when it has one)."""
    out = []
    for m in _RULES[rule].finditer(clean, 0, cut):
        s, e = (m.start("num"), m.end("num")) if "num" in m.re.groupindex else (m.start(), m.end())
        out.append(Region(kind, s, e, rule))
    return out


def _embedded_posts(ct: CleanText, lines: list, found: list[Region], cut: int) -> list[Region]:
    """The attribution lines of embedded posts, and the posts whose text the body already gives
    (embeds.py): the outlet's own post retelling the article, the same post shown twice."""
    attributions = _rule_regions("furniture", "embed_attribution", ct.clean, cut)
    if not attributions:
        return []
    line_at = {start: k for k, (start, _, _) in enumerate(lines)}
    body_lines = _blank(ct.norm, _merged_spans(found, len(ct.norm)), []).split("\n")
    quoted = quoted_posts(body_lines, [line_at[r.start] for r in attributions if r.start in line_at])
    return attributions + [Region("furniture", lines[first][0], min(lines[last][1], cut), "embedded_post")
                           for first, last in quoted]


class _RelatedList:
    """A related-article list being read: after its heading, short lines are other articles' titles
    (one with its teaser under it may follow several titles); the first other line ends it."""

    def __init__(self):
        self.left = 0     # how many more lines may be titles of the list
        self.titles = 0   # titles seen in the current list

    def open(self, cue: "_Cue", n: int, after: list[str]):
        # a list heading ("الأكثر قراءة") is followed by titles; "اقرأ أيضاً" inside the text by one, but
        # at the end of the text, with only titles below it, by all of them
        one = cue.position == "line_one" and not _only_titles(after)
        self.left = 0 if cue.kind != "related" else 1 if one else n
        self.titles = 0

    def take(self, lines: list, i: int, text: str, span: tuple[int, int]) -> Optional[Region]:
        """The region of line i when it belongs to the list, else None (and the list is closed)."""
        if not self.left:
            return None
        self.left -= 1
        words = word_count(text)
        if is_title(text):   # another article's title (page_blocks.py)
            self.titles += 1
            return Region("related", *span, "related_list")
        if self.titles >= _TEASER_AFTER and words <= _TEASER_WORDS and _next_is_title(lines, i):
            # a list of several titles, one with its teaser under it: the list goes on
            return Region("related", *span, "related_teaser")
        self.left = 0
        return None


def _only_titles(after: list[str]) -> bool:
    """The lines up to the end of the report are a list of headlines: several, and nothing else (one title
    and a short line after it are a link inside the text, and the text going on)."""
    texts = [t.strip() for t in after if t.strip()]
    return len(texts) >= _TEASER_AFTER and all(is_title(t) for t in texts)


def _line_regions(norm: str, lines: list, cut: _Cut, lex: Lexicons,
                  blocks: list[Region]) -> tuple[list[Region], _Cut]:
    """Regions found by the cue a line is or opens with, and the cut moved up to the line that opens
    the comment thread, if one does. Lines inside the page blocks already found are not read again."""
    found: list[Region] = []
    in_block = [any(b.start <= start < b.end for b in blocks) for start, _, _ in lines]
    truncated: list[Region] = []   # headlines cut short ("…")
    related = _RelatedList()
    for i, (start, end, raw) in enumerate(lines):
        if start >= cut.at:
            break
        text = raw.strip()
        if not text or in_block[i]:
            continue
        line_cue = _line_cue(raw)
        tokens = tokenize(norm, start, min(end, start + _CUE_REACH))   # cues open a line
        if _comments_closed(norm, start, end, tokens, lex):
            found.append(Region("furniture", start, end, "comments_closed"))
            continue
        thread = _thread_start(line_cue, text, tokens, lex)
        if thread:
            return _with_truncated(found, truncated), _Cut(start, *thread)
        if line_cue and line_cue.kind in ("furniture", "header_line", "related"):
            found.append(Region("header" if line_cue.kind == "header_line" else line_cue.kind,
                                start, end, line_cue.name))
            after = [raw for s, _, raw in lines[i + 1:] if s < cut.at]
            related.open(line_cue, len(norm), after)
            if line_cue.kind == "related" and line_cue.position == "line":
                found.extend(_titles_above(lines, i, found + blocks, cut.at))
            continue
        listed = related.take(lines, i, text, (start, min(end, cut.at)))
        if listed:
            found.append(listed)
        elif _starts_with_cue(tokens, lex, "boilerplate"):
            found.append(Region("furniture", start, end, "boilerplate"))
        elif _RULES["truncated_title"].search(text) and word_count(text) <= _TITLE_WORDS:
            truncated.append(Region("related", start, end, "truncated_title"))
    return _with_truncated(found, truncated), cut


def _titles_above(lines: list, heading: int, dropped: list[Region], cut: int) -> list[Region]:
    """The previous and next articles' headlines between the text and a related-list heading (page_blocks.py)."""
    def is_dropped(k: int) -> bool:
        return any(r.start <= lines[k][0] < r.end for r in dropped)
    return [Region("related", lines[k][0], min(lines[k][1], cut), "titles_above_related")
            for k in titles_above([raw for _, _, raw in lines], heading, is_dropped)]


def _thread_start(line_cue: Optional["_Cue"], text: str, tokens, lex: Lexicons) -> Optional[tuple[str, str]]:
    """(kind, rule) when the line opens the comment thread or the engagement chrome."""
    if line_cue and line_cue.kind in _DROPPED_TO_END:
        return line_cue.kind, line_cue.name
    words = [t for t in tokens if not t.is_digit]   # "3 تعليقات" starts the comments too
    if _starts_with_cue(words, lex, "comments_start", within=1) and word_count(text) <= _COMMENT_LINE_WORDS:
        return "comments", "comments_start"
    return None


def _comments_closed(norm: str, start: int, end: int, tokens, lex: Lexicons) -> bool:
    """"التعليقات على <the headline> مغلقة": a notice that comments are closed, opening with a comments cue and
    ending with a closed word (lexicon_cues.csv, comments_closed_word); page furniture, and the article goes on."""
    if not _starts_with_cue(tokens, lex, "comments_start", within=1):
        return False
    last = tokenize(norm, max(start, end - _CUE_REACH), end)
    words = [t.text for t in last if t.text[0].isalpha()]
    return bool(words) and words[-1] in lex.cues["comments_closed_word"].words


def _with_truncated(found: list[Region], truncated: list[Region]) -> list[Region]:
    # one cut line may be the post itself ("See more"); several are a list of links
    return found + truncated if len(truncated) >= 2 else found


def _post_header(ct: CleanText, cut: int, found: list[Region], has_timestamp: bool,
                 dated: _Dated) -> tuple[list[Region], _Dated]:
    """The post's header region (a Facebook header up to its audience marker, else an X author line)
    and the date it gives, when it gives one."""
    head = ct.norm[: min(cut, _HEADER_WINDOW)]
    for cue in _cues():
        if cue.kind == "header_end":
            at = head.find(cue.key)
            if at >= 0:
                region = Region("header", 0, at + len(cue.key), cue.name)
                return [region], _header_date(ct.clean[max(0, at - 160): at].rstrip(" ·")) or dated
    if not (has_timestamp or any(r.rule == "x_post_label" for r in found)):
        return [], dated
    m = _RULES["x_author_handle"].search(head, 0, _AUTHOR_REACH)
    if not m:
        return [], dated
    if dated[0] is None and (d := _RULES["en_month_day_year"].search(m.group())):
        dated = (_en_date(d), "en_month_day_year")
    return [Region("header", 0, m.end(), "x_author_handle")], dated


_TRAILING_TITLES = 4        # short lines in a row at the end of a page, after the text: other articles
_TRAILING_TITLE_WORDS = 16
_BODY_LINE_WORDS = 25       # the text above them has at least one line this long
_LIST_ITEM = re.compile(r"^\s*(?:[-–•*▪◾🔸🔹]|\d+\s*[-.)])")


def _trailing_titles(lines: list, cut: int, found: list) -> list:
    """Headlines of other articles at the end of a page with no heading above them: a run of short lines
    (no final period, no list marker) reaching to the end of the text, below a paragraph."""
    dropped = [(r.start, r.end) for r in found]
    run: list[tuple[int, int]] = []
    for start, end, raw in reversed(lines):
        text = raw.strip()
        if start >= cut or not text or any(s <= start < e for s, e in dropped):
            continue
        words = word_count(text)
        if words <= _TRAILING_TITLE_WORDS and not text.endswith((".", ":", "。")) and not _LIST_ITEM.match(text):
            run.append((start, end))
            continue
        if len(run) >= _TRAILING_TITLES and words >= _BODY_LINE_WORDS:
            return [Region("related", s, min(e, cut), "trailing_titles") for s, e in run]
        return []
    return []


def _next_is_title(lines: list, i: int) -> bool:
    """The next non-empty line is short enough to be another article's title."""
    for _, _, raw in lines[i + 1:]:
        text = raw.strip()
        if text:
            return is_title(text)
    return False


def _timestamp_date(m: re.Match) -> Optional[date]:
    if "date" in m.re.groupindex:
        refs = [r for r in find_dates(m.group("date"), DateContext(None)) if r.value and r.precision == "day"]
        return refs[0].value if refs else None
    return _en_date(m)


def _header_date(before: str) -> Optional[tuple[date, str]]:
    """The date closest before the header's audience marker: English or Arabic month forms."""
    en = list(_RULES["en_month_day_year"].finditer(before))
    if en and (d := _en_date(en[-1])):
        return d, "en_month_day_year"
    refs = [r for r in find_dates(before, DateContext(None)) if r.value and r.precision == "day"]
    if refs:
        return refs[-1].value, "ar_day_month_year"
    if _RULES["relative_post_age"].search(before + " ·"):
        return None, "relative_post_age"   # "3h ·": an age at capture time, which the page does not give
    return None


def _starts_with_cue(tokens, lex: Lexicons, category: str, within: int = 3) -> bool:
    if category not in lex.cues:
        return False
    return any(m.start < within for m in find_all(tokens[: within + 4], lex.cues[category]))


def _blank(text: str, spans: list[tuple[int, int]], extra: list[int]) -> str:
    """`text` with the spans blanked (newlines kept, so lines keep their numbers) and the extra
    positions turned into spaces."""
    if not spans and not extra:
        return text   # (the same string: the body's tokens are then the layout pass's, tokens.token_index)
    chars = list(text)
    for start, end in spans:
        chars[start:end] = _NOT_NEWLINE.sub(" ", text[start:end])
    for i in extra:
        chars[i] = " "
    return "".join(chars)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _assemble(ct: CleanText, found: list[Region], header_date, header_rule) -> Layout:
    n = len(ct.clean)
    spans = _merged_spans(found, n)
    # "#دير_الزور": the underscores of a hashtag join the words of a name the body should read
    joined = [m.start() + k for m in _HASHTAG.finditer(ct.clean) for k, ch in enumerate(m.group()) if ch == "_"]
    clean, norm = _blank(ct.clean, spans, joined), _blank(ct.norm, spans, joined)
    regions = _dropped_regions(ct.clean, found) + _body_regions(ct.clean, spans)
    all_regions = []
    for r in sorted(regions, key=lambda r: (r.start, r.end)):
        s, e = ct.orig_span(r.start, min(r.end, n))
        all_regions.append(Region(r.kind, r.start, r.end, r.rule, s, e))
    return Layout(all_regions, header_date, header_rule, clean, norm)


def _merged_spans(found: list[Region], n: int) -> list[tuple[int, int]]:
    """The dropped stretches of text, overlapping or touching regions merged."""
    spans: list[tuple[int, int]] = []
    for r in sorted(found, key=lambda r: r.start):
        end = min(r.end, n)
        if spans and r.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        elif r.start < end:
            spans.append((r.start, end))
    return spans


def _dropped_regions(clean: str, found: list[Region]) -> list[Region]:
    """Dropped regions as found, a run of one rule separated only by blanks merged into one
    (hashtag numbers stay one region each)."""
    regions: list[Region] = []
    for r in sorted(found, key=lambda r: (r.start, r.end)):
        last = regions[-1] if regions else None
        if (last and last.kind == r.kind and last.rule == r.rule and r.kind != "hashtag"
                and not clean[last.end:r.start].strip()):
            regions.pop()
            r = Region(r.kind, last.start, max(last.end, r.end), last.rule)
        regions.append(r)
    return regions


def _body_regions(clean: str, spans: list[tuple[int, int]]) -> list[Region]:
    """The body: the stretches between the dropped spans, trimmed of blanks."""
    regions = []
    bounds = [0] + [x for span in spans for x in span] + [len(clean)]
    for start, end in zip(bounds[::2], bounds[1::2]):
        text = clean[start:end]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            regions.append(Region("body", start + lead, start + len(text.rstrip()), "body"))
    return regions
