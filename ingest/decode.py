"""Turning a file's bytes into text: byte-order marks, UTF-8, legacy Arabic code pages.

Real Arabic reports arrive as UTF-8 (with or without a BOM), UTF-16 from Windows tools, and
Windows-1256 / ISO-8859-6 from older Arabic sites. The decoded text never keeps the BOM, so
character offsets count from the first character of the article.
"""
from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from typing import Callable, Optional

# Longest mark first: the UTF-32-LE mark starts with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer's "chaos" (share of implausible characters, 0 = clean). A legacy guess
# messier than this is a guess, not a reading.
MAX_LEGACY_CHAOS = 0.2
# Bytes looked at when deciding whether NULs mean binary or BOM-less UTF-16.
SNIFF_BYTES = 8192
# A reading that yields unassigned, private-use or surrogate code points, or control characters
# other than whitespace, is the wrong reading (e.g. a stray FF FE at the start of a Latin-1 file).
_IMPLAUSIBLE_CATEGORIES = {"Cn", "Co", "Cs", "Cc"}
_WHITESPACE_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}


@dataclass(frozen=True)
class Decoded:
    text: Optional[str]
    encoding: Optional[str]       # codec that produced `text` (utf-8, utf-8-sig, utf-16, cp1256, ...)
    reason: Optional[str] = None  # 'binary' | 'undecodable' when text is None


def _bom_codec(data: bytes) -> Optional[str]:
    return next((codec for bom, codec in BOMS if data.startswith(bom)), None)


def _bomless_utf16(data: bytes) -> Optional[str]:
    """'utf-16-le'/'utf-16-be' when every NUL sits in the high byte of a code unit (ASCII in UTF-16)."""
    head = data[:SNIFF_BYTES]
    if len(data) % 2:
        return None
    odd = any(head[i] == 0 for i in range(1, len(head), 2))
    even = any(head[i] == 0 for i in range(0, len(head), 2))
    if odd and not even:
        return "utf-16-le"
    if even and not odd:
        return "utf-16-be"
    return None


def _plausible(text: str) -> bool:
    return not any(unicodedata.category(ch) in _IMPLAUSIBLE_CATEGORIES and ch not in _WHITESPACE_CONTROLS
                   for ch in text[:SNIFF_BYTES])


def _strict(data: bytes, codec: str) -> Optional[str]:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def decode(data: bytes, is_wanted: Callable[[str], bool]) -> Decoded:
    """Decode `data`; a legacy code-page guess is kept only when `is_wanted(text)` (Arabic) holds."""
    codec = _bom_codec(data)
    if codec:
        text = _strict(data, codec)  # these codecs drop the BOM themselves
        if text is None or not _plausible(text):
            return Decoded(None, codec, "undecodable")
        return Decoded(text, codec)
    if b"\x00" in data[:SNIFF_BYTES]:
        codec = _bomless_utf16(data)
        text = _strict(data, codec) if codec else None
        if text is None or not _plausible(text):
            return Decoded(None, None, "binary")
        return Decoded(text, codec)
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    import charset_normalizer  # here: only files that are not UTF-8 pay for its import

    # Not UTF-8: ask charset-normalizer, best match first, and keep the first plausible Arabic reading.
    for match in charset_normalizer.from_bytes(data):
        if match.chaos > MAX_LEGACY_CHAOS:
            continue
        text = str(match)
        if is_wanted(text):
            return Decoded(text, match.encoding)
    return Decoded(None, None, "undecodable")
