"""Loads the extractor's reference data from the dbt seed CSVs in seeds/.

Lexicons live in seeds/ (not in code) so analysts can read and extend them, and
so the warehouse carries the exact vocabulary that produced its numbers.
Every form is normalised with the same function as the text.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import SEEDS_DIR
from .text import normalize_form


def read_seed(name: str, seeds_dir: Path = SEEDS_DIR) -> list[dict]:
    with open(seeds_dir / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Entry:
    words: tuple[str, ...]   # normalised words of the form
    category: str            # what the form is (outcome, actor group, cue category...)
    value: str = ""
    kind: str = ""
    number: str = ""
    era: str = ""


class PhraseTable:
    """Multi-word forms, looked up by their first word; longest match wins."""

    def __init__(self, entries: list[Entry]):
        self.by_first: dict[str, list[Entry]] = defaultdict(list)
        for e in entries:
            self.by_first[e.words[0]].append(e)
        for lst in self.by_first.values():
            lst.sort(key=lambda e: -len(e.words))
        self.words = {w for e in entries for w in e.words}
        # per proclitic stripping (False, True): token texts seen and the entries that may start at them
        # (filled by tokens.py's matching, which reads each token once per table)
        self.starting: tuple[dict[str, tuple[Entry, ...]], dict[str, tuple[Entry, ...]]] = ({}, {})

    def __bool__(self):
        return bool(self.by_first)


def _entries(rows, category_key, value_key="", **fixed) -> list[Entry]:
    out = []
    for r in rows:
        words = tuple(normalize_form(r["form"]).split())
        if not words:
            continue
        out.append(Entry(words=words, category=r[category_key] if category_key else fixed.get("category", ""),
                         value=r.get(value_key, "") if value_key else "",
                         kind=r.get("kind") or r.get("attribution") or "", number=r.get("number", "") or "", era=r.get("era", "") or ""))
    return out


@dataclass
class Lexicons:
    outcomes: PhraseTable
    actors: PhraseTable
    sources: PhraseTable
    numbers: dict[str, tuple[int, str]]
    cues: dict[str, PhraseTable]


@lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    outcomes = PhraseTable(_entries(read_seed("lexicon_outcomes.csv"), "outcome", kind=None))
    actors = PhraseTable(_entries(read_seed("actor_dictionary.csv"), "actor_group"))
    sources = PhraseTable(_entries(read_seed("lexicon_sources.csv"), "source"))
    numbers = {}
    for r in read_seed("lexicon_numbers.csv"):
        numbers[normalize_form(r["form"])] = (int(r["value"]), r["kind"])
    by_cat: dict[str, list[Entry]] = defaultdict(list)
    for e in _entries(read_seed("lexicon_cues.csv"), "category", "value"):
        by_cat[e.category].append(e)
    cues = {cat: PhraseTable(es) for cat, es in by_cat.items()}
    return Lexicons(outcomes, actors, sources, numbers, cues)


@lru_cache(maxsize=None)
def cue_forms(category: str) -> frozenset[str]:
    """The normalised forms of one lexicon_cues.csv category: a closed word list that code tests a token
    against (`token.text in cue_forms("partitive")`). A category missing from the seed raises KeyError."""
    return frozenset(" ".join(e.words) for es in load_lexicons().cues[category].by_first.values() for e in es)
