"""No sentence of ../shared (the evaluation material) is copied into the repo.

The texts under ../shared (its corpora, gold, spec) judge the extractor; a test, comment or gold quote that
copies one of their sentences leaks them into the repo and pins a rule to one document. Every tracked text
file except corpus/ (our own bundled articles) is read as a stream of Arabic words and numbers; no run of
RUN consecutive tokens with at least MIN_WORDS Arabic words may also occur in a ../shared text. Numbers
count as tokens, so a copied sentence with its figure is caught, but a run of numbers alone is not one (the
hex document ids that our labels point at are digit runs). Marks and spelling variants are normalised away,
so dropping a tanwin or a hamza does not hide a copy. Skipped where ../shared is absent (a plain clone).
"""
from __future__ import annotations

import bisect
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, SHARED

RUN = 7          # tokens in a run
MIN_WORDS = 5    # Arabic words (not numbers) a run needs
SHARED_PARTS = ("corpus", "realworld", "gold", "spec")
TEXT_SUFFIXES = {".py", ".md", ".sql", ".yml", ".csv", ".jsonl", ".txt", ".j2"}
OUR_ARTICLES = "corpus/"

pytestmark = [pytest.mark.shared, pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is absent")]

# A word: Arabic letters, with the marks and tatweel that may sit inside it; or a run of digits.
_TOKEN = re.compile(r"[\u0621-\u063A\u0641-\u064A\u066E-\u066F\u0671-\u06D3]"
                    r"[\u0621-\u065F\u0670-\u06D3]*|[0-9\u0660-\u0669]+")
_MARKS = re.compile(r"[\u0640\u064B-\u065F\u0670]")   # tatweel and harakat: "شاباً" is "شابا"
_LETTERS = str.maketrans("أإآٱىة", "اااايه")            # spelling variants of one letter


def tokens(text: str) -> tuple[list[str], list[int]]:
    """The text's normalised tokens and the offset each starts at."""
    found = list(_TOKEN.finditer(text))
    return [_MARKS.sub("", m.group()).translate(_LETTERS) for m in found], [m.start() for m in found]


def runs(words: list[str]):
    """(index, hash) of every run of RUN tokens with at least MIN_WORDS Arabic words."""
    words_before = [0] + [0 if w[0].isdigit() else 1 for w in words]   # Arabic words before each index
    for k in range(1, len(words_before)):
        words_before[k] += words_before[k - 1]
    for i in range(len(words) - RUN + 1):
        if words_before[i + RUN] - words_before[i] >= MIN_WORDS:
            yield i, hash(tuple(words[i:i + RUN]))


def shared_runs() -> set[int]:
    out: set[int] = set()
    for part in SHARED_PARTS:
        for path in (SHARED / part).rglob("*"):
            if path.suffix in TEXT_SUFFIXES and path.is_file():
                out.update(h for _, h in runs(tokens(path.read_text(encoding="utf-8", errors="replace"))[0]))
    return out


def tracked_texts(root: Path) -> list[str]:
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, text=True, check=True)
    return [f for f in listed.stdout.split("\0")
            if Path(f).suffix in TEXT_SUFFIXES and not f.startswith(OUR_ARTICLES)]


def copied_lines(root: Path, files: list[str], shared: set[int]) -> list[str]:
    """"path:line: run" for each run of a file that ../shared holds (one per line)."""
    out = []
    for name in files:
        text = (root / name).read_text(encoding="utf-8", errors="replace")
        words, starts = tokens(text)
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        seen = set()
        for i, h in runs(words):
            line = bisect.bisect_right(line_starts, starts[i])
            if h in shared and line not in seen:
                seen.add(line)
                out.append(f"{name}:{line}: {' '.join(words[i:i + RUN])}")
    return out


def test_no_tracked_text_copies_a_run_of_words_from_shared():
    copies = copied_lines(REPO_ROOT, tracked_texts(REPO_ROOT), shared_runs())
    assert not copies, "text copied from ../shared (write an invented sentence instead):\n" + "\n".join(copies)


def test_a_copied_run_is_found_and_numbers_alone_are_not(tmp_path):
    # A run taken from a ../shared text, its alefs spelled with hamza, is caught; a run of numbers is not.
    source = next((SHARED / "corpus").rglob("*.txt")).read_text(encoding="utf-8")
    words, starts = tokens(source)
    i = next(i for i, _ in runs(words))
    copied = source[starts[i]:starts[i + RUN - 1] + 40].replace("\n", " ").replace("ا", "أ")
    digits = [str(n) for n in range(RUN)]
    (tmp_path / "note.py").write_text(f"x = 1\n# {copied}\n# {' '.join(digits)}\n", encoding="utf-8")
    shared = {h for _, h in runs(words)} | {hash(tuple(digits))}
    assert [c.split(":")[:2] for c in copied_lines(tmp_path, ["note.py"], shared)] == [["note.py", "2"]]
