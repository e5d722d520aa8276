"""Cleaning Arabic news text while keeping a map back to the original characters.

Every mention must point at its characters in the original document, so cleaning
only ever *deletes* characters (diacritics, tatweel, obfuscation dots) or
replaces one character by one (Eastern Arabic digits -> ASCII digits, alef /
yeh / teh-marbuta variants -> one form). `CleanText.orig(i)` maps an index of
the cleaned text back to the original.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from camel_tools.utils.charsets import AR_DIAC_CHARSET
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
)

TATWEEL = "\u0640"
_DROP = set(AR_DIAC_CHARSET) | {TATWEEL, "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff"}
assert all(len(ch) == 1 for ch in _DROP)
_DROP_CHAR = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_DROP)) + "]")
_EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
_DIGITS = str.maketrans(_EASTERN_DIGITS, "01234567890123456789")
_EASTERN_DIGIT = re.compile(f"[{_EASTERN_DIGITS}]")


def _western_digits(s: str) -> str:
    # (str.translate looks up every character: most texts have no Eastern digit to translate)
    return s.translate(_DIGITS) if _EASTERN_DIGIT.search(s) else s
_AR_LETTER = "\u0621-\u063a\u0641-\u064a"

# A dot (or similar mark) that splits one word in two, as social-media posts do
# to dodge keyword filters: "قت. يلا", "مـ.ـداهمة", "ق.تل". Without a space the
# split is always joined; with a space it is joined only when the result is a
# word the extractor knows (decided by the caller through `is_word`).
# (Each pattern opens with the character it consumes first and looks behind it after: a pattern that opens
# with a look-behind is tried at every position of the text, one that opens with a character set is not.)
_SPLIT_WORD = re.compile(rf"([.·•*_](?<=[{_AR_LETTER}{TATWEEL}\u064b-\u0652].)[.·•*_]*)( ?)(?=[{_AR_LETTER}{TATWEEL}])")
# A space inside a word stretched with tatweel on both sides, as in "فـ ـقـ ـدان" or "اغتـ ـيال": always
# joined (text never puts a tatweel right before or after a real word break); with tatweel on one side
# only ("اغتـ يال") it is joined when the result is a known word, like a dot-split with a space.
_TATWEEL_SPACE = re.compile(rf" (?<={TATWEEL} ) *(?=[{_AR_LETTER}{TATWEEL}])| (?<=[{_AR_LETTER}\u064b-\u0652] ) *(?={TATWEEL})")


def normalize_form(s: str, *, keep_offsets: bool = False) -> str:
    """The canonical matching form of a word or phrase: the one Arabic normaliser of the extractor
    (lexicon and gazetteer forms, the text, the date grammar). Its SQL twin is the dbt macro
    fold_arabic (dbt_project/macros/normalize_arabic.sql); tests/test_normalizer_parity.py checks
    that both give the same form for every entry of every seed.

    It deletes diacritics, tatweel and invisible marks, writes Eastern Arabic digits as ASCII and
    unifies alef forms (أ إ آ ٱ -> ا), alef maksura (ى -> ي) and teh marbuta (ة -> ه).

    keep_offsets=True skips the deletions and keeps only the one-to-one replacements, so that an
    index into the result is an index into `s`: for text that is already cleaned (clean_text) and
    whose character spans are reported, as the date grammar does.
    """
    if not keep_offsets:
        s = _DROP_CHAR.sub("", s)
    folded = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(_western_digits(s))))
    # The folds map one character to one; were that ever to change, offsets would silently drift.
    assert len(folded) == len(s)
    return folded


@dataclass
class CleanText:
    original: str
    clean: str          # deletions + one-to-one digit mapping applied
    norm: str           # `clean` with letter variants unified; same length as `clean`
    index: list[int]    # index[i] = position in `original` of clean[i]

    def orig(self, i: int) -> int:
        """Original offset of cleaned offset i (i may be len(clean): end of text)."""
        if i >= len(self.index):
            return len(self.original)
        return self.index[i]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return self.orig(start), self.orig(start)
        return self.index[start], self.index[end - 1] + 1


_WORD_CHARS = rf"[{_AR_LETTER}{TATWEEL}\u064b-\u0652]"   # letters, tatweel, diacritics
_WORD_AFTER = re.compile(_WORD_CHARS + "+")
_WORD_CHAR_SET = frozenset(c for c in map(chr, range(0x600, 0x700)) if re.fullmatch(_WORD_CHARS, c))


def _joins_known_word(original: str, sep_start: int, sep_end: int, is_word) -> bool:
    left_start = sep_start   # (walked back: a regex anchored at the end would read the text from its start)
    while left_start > 0 and original[left_start - 1] in _WORD_CHAR_SET:
        left_start -= 1
    right = _WORD_AFTER.match(original, sep_end)
    return bool(left_start < sep_start and right
                and is_word(normalize_form(original[left_start:sep_start] + right.group())))


# A full stop glued to the next word ends a sentence, not a split word, when the word before it ends in a letter
# written only at a word's end (ة ى) or the word after it opens with the conjunction و and a word of three
# letters or more ("الشرقي.ووفقاً"): script facts, not vocabulary. A split word puts the dot anywhere else.
_WORD_FINAL_LETTERS = ("ة", "ى")
_CONJUNCTION_OPENING = re.compile(rf"و[{_AR_LETTER}]{{3}}")


def _glued_sentence_end(original: str, sep_start: int, sep: str, is_word) -> bool:
    """(and "الشرقي.قتل": the word after the dot is a known word of its own, the two joined are not)"""
    if sep != ".":
        return False
    last = sep_start - 1   # the last letter before the dot, diacritics skipped (no copy of the text before it)
    while last >= 0 and original[last] in _DIACRITICS:
        last -= 1
    return (last >= 0 and original[last] in _WORD_FINAL_LETTERS) \
        or bool(_CONJUNCTION_OPENING.match(original, sep_start + 1)) or _known_word_after(original, sep_start, is_word)


_MIN_WORD_AFTER = 3   # "مق.تل": a piece of two letters is a split word's end, never a sentence's first word
_WORD_AFTER_DOT = re.compile(rf"[{_AR_LETTER}]+(?![{TATWEEL}\u064b-\u0652])")
_DIACRITICS = frozenset(AR_DIAC_CHARSET)


def _known_word_after(original: str, sep_start: int, is_word) -> bool:
    right = _WORD_AFTER_DOT.match(original, sep_start + 1)
    return bool(right and len(right.group()) >= _MIN_WORD_AFTER and is_word(normalize_form(right.group()))
                and not _joins_known_word(original, sep_start, sep_start + 1, is_word))


def clean_text(original: str, is_word=lambda w: False) -> CleanText:
    """Clean `original`; `is_word(normalized_word)` says whether a word split by a dot and a space, or by a
    space with tatweel on one side only, should be joined."""
    # 1. Find obfuscation separators to delete (positions in the original).
    drop_positions: set[int] = set()
    for m in _SPLIT_WORD.finditer(original):
        sep_start, sep_end = m.start(1), m.end(2)
        if m.group(2) and not _joins_known_word(original, sep_start, sep_end, is_word):
            continue   # "قت. يلا": join only if the joined word is known
        if not m.group(2) and _glued_sentence_end(original, sep_start, m.group(1), is_word):
            continue   # "في بلدة الكرامة.كما اعتقلت": a full stop, kept (segment.py ends the sentence there)
        drop_positions.update(range(sep_start, sep_end))
    for m in _TATWEEL_SPACE.finditer(original):   # (a tatweel on one side at least)
        both_sides = original[m.start() - 1] == original[m.end()] == TATWEEL
        if both_sides or _joins_known_word(original, m.start(), m.end(), is_word):
            drop_positions.update(range(m.start(), m.end()))
    # 2. Build the cleaned string and its index map.
    # (runs of kept characters are copied whole: most characters are kept)
    drops = sorted(drop_positions.union(m.start() for m in _DROP_CHAR.finditer(original)))
    chars, index, kept_from = [], [], 0
    for i in drops + [len(original)]:
        if i > kept_from:
            chars.append(original[kept_from:i])
            index.extend(range(kept_from, i))
        kept_from = i + 1
    clean = _western_digits("".join(chars))
    norm = normalize_form(clean, keep_offsets=True)
    return CleanText(original, clean, norm, index)
