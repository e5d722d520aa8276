"""Synthetic corpora for the scale benchmark, built from the bundled articles.

    ./run python benchmarks/synth_corpus.py OUT_DIR --articles N [--seed S] [--articles-per-day K]

Each synthetic incident takes one bundled article as its template, moves it to another day and
another gazetteer place (seeds/gazetteer.csv), and is told by several articles (1 to 6, most often
2-3) from different outlets, published on the incident's day or the next, each lightly varied
(paragraphs dropped, figures kept so that reports restate each other as real ones do). Years
written in the text follow the new publication day. Days span N / articles-per-day days from
2012, so the number of reports per day stays realistic as the corpus grows.

Written in Hasila's corpus format: one `<doc_id>.txt` per article and `manifest.csv`
(doc_id, file, published_at, outlet, url). The same seed gives the same articles, and the first
N articles of a larger corpus are those of the N-article one (same seed and --days), which is
how bench_refresh.py makes its +1 % increment.
"""
from __future__ import annotations

import argparse
import csv
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

from ingest import BUNDLED_CORPUS, SEEDS_DIR

FIRST_DAY = date(2012, 1, 1)
ARABIC_LETTER = "\u0621-\u064a"
YEAR = re.compile(r"(?<!\d)20[12]\d(?!\d)")
# gazetteer places a template's own place is swapped for (a spot, not a region)
TARGET_FEATURES = {"town", "village", "city"}
# names of these kinds are left in place: a governorate is context, not the incident's spot
KEPT_FEATURES = {"governorate"}


@dataclass(frozen=True)
class Template:
    paragraphs: tuple[str, ...]
    places: tuple[str, ...]  # gazetteer names found in the text, longest first


@dataclass(frozen=True)
class Article:
    doc_id: str
    text: str
    published_at: date
    outlet: str


def _gazetteer() -> tuple[list[str], list[str]]:
    """(names a template's place may be, names of target spots)."""
    replaceable, targets, kept = set(), [], set()
    with (SEEDS_DIR / "gazetteer.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names = [row["name_ar"], *filter(None, row["variants_ar"].split("|"))]
            if row["feature_type"] in KEPT_FEATURES:
                kept.update(names)
                continue
            replaceable.update(name for name in names if len(name) >= 3)
            if row["feature_type"] in TARGET_FEATURES:
                targets.append(row["name_ar"])
    return sorted(replaceable - kept, key=len, reverse=True), sorted(targets)


def _name_pattern(name: str) -> re.Pattern:
    return re.compile(rf"(?<![{ARABIC_LETTER}]){re.escape(name)}(?![{ARABIC_LETTER}])")


def load_templates(corpus: Path = BUNDLED_CORPUS) -> tuple[list[Template], list[str], list[str]]:
    """The bundled articles as templates, the gazetteer spots to move them to, and the outlets."""
    replaceable, targets = _gazetteer()
    templates, outlets = [], set()
    with (corpus / "manifest.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = (corpus / row["file"]).read_text(encoding="utf-8")
            outlets.add(row["outlet"])
            places = tuple(name for name in replaceable if _name_pattern(name).search(text))
            paragraphs = tuple(p for p in text.split("\n\n") if p.strip())
            templates.append(Template(paragraphs, places))
    return templates, targets, sorted(outlets)


def _vary(template: Template, spot: str, published: date, rng: random.Random) -> str:
    """One report of the incident: the template at its new spot and year, a paragraph or two dropped."""
    kept = [template.paragraphs[0]] + [p for p in template.paragraphs[1:] if rng.random() > 0.2]
    text = "\n\n".join(kept) + "\n"
    for name in template.places[:2]:  # the article's own places; later ones are background
        text = _name_pattern(name).sub(spot, text)
    return YEAR.sub(str(published.year), text)


def generate(n: int, seed: int, days: int) -> Iterator[Article]:
    """The first n articles of the corpus of this seed and day span (a longer run extends a shorter)."""
    rng = random.Random(seed)
    templates, targets, outlets = load_templates()
    made = 0
    while made < n:
        template = rng.choice(templates)
        spot = rng.choice(targets)
        day = FIRST_DAY + timedelta(days=rng.randrange(days))
        # reports per incident: most incidents are told two or three times, a few by many outlets
        for _ in range(min(1 + int(rng.expovariate(0.6)), 6)):
            if made == n:
                return
            published = day + timedelta(days=rng.choice((0, 0, 1)))
            yield Article(f"syn_{made:07d}", _vary(template, spot, published, rng), published, rng.choice(outlets))
            made += 1


def write_corpus(folder: Path, articles: Iterator[Article]) -> int:
    """Write the articles and their manifest into `folder`; how many were written."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "file", "published_at", "outlet", "url"])
        for article in articles:
            name = f"{article.doc_id}.txt"
            (folder / name).write_text(article.text, encoding="utf-8")
            writer.writerow([article.doc_id, name, article.published_at.isoformat(), article.outlet,
                             f"https://example.org/synthetic/{article.doc_id}"])
            count += 1
    return count


def days_for(n: int, articles_per_day: float) -> int:
    return max(1, round(n / articles_per_day))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--articles-per-day", type=float, default=25.0)
    parser.add_argument("--days", type=int, help="day span (default: articles / articles-per-day)")
    args = parser.parse_args()
    days = args.days or days_for(args.articles, args.articles_per_day)
    written = write_corpus(args.out, generate(args.articles, args.seed, days))
    print(f"{written} articles over {days} days in {args.out}")


if __name__ == "__main__":
    main()
