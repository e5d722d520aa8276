"""Extraction throughput: run extract_document once over >= 10,000 synthetic articles.

    ./run python benchmarks/bench_extract.py [--articles N] [--corpus DIR] [--seed S] [--workers N ...]
    ./run python benchmarks/bench_extract.py --trees OLD_CHECKOUT . [--rounds R] [--articles N]

Articles are built in memory by resampling sentences of the bundled corpus (or a few built-in
sentences when it is absent), shuffled and lightly perturbed (numbers changed, sentences
recombined), so the extractor cannot benefit from exact repeats. One run, one figure: this is
a throughput report, not a test. With --workers 1 2 the same articles are extracted once per
pool size (ingest/extraction_pool.py, batches as the loader makes them); 1 is this process alone.
Articles per CPU-second count the workers' time too, so they show the pool's overhead.

With --trees, the same articles are extracted by the extractor of each source tree (a checkout of
an older commit, e.g. `git archive 149c0ac | tar -x -C /tmp/old`, and this one), each in its own
process with that tree first on the path, one process alone, the trees taking turns for --rounds
rounds; each tree's articles per CPU-second and its speed against the first tree are printed. Only
`ingest.extract.extract_document` is asked of a tree, so any commit since the first one compares.
A tree's first article is extracted once before timing (its lexicons load then, as a pool's
parent does before the fork).
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tqdm import tqdm

from ingest import BUNDLED_CORPUS
from ingest.corpus import corpus_files, read_document
from ingest.extract import EXTRACTOR_VERSION, extract_document
from ingest.extraction_pool import map_batches

FALLBACK_SENTENCES = [  # our own words, used only when no corpus is available
    "قالت مصادر محلية إن ثلاثة مدنيين قتلوا يوم الثلاثاء في قصف مدفعي استهدف قرية في ريف إدلب الجنوبي.",
    "وأصيب خمسة آخرون بجروح متفاوتة ونقلوا إلى مستشفى قريب.",
    "أفاد ناشطون بأن دورية أمنية اعتقلت شابين في مدينة دير الزور بعد مداهمة منزلهما فجر اليوم.",
    "انفجر لغم أرضي بسيارة تقل عمالا في بادية حمص الشرقية، ما أدى إلى مقتل أربعة منهم.",
    "أطلق مسلحون مجهولون النار على رجل في بلدة بريف درعا الغربي مساء الأحد فأردوه قتيلا.",
    "وثق المرصد مقتل 120 عنصرا من قوات النظام منذ مطلع العام الجاري في هجمات متفرقة.",
]
SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+|\n+")
NUMBER = re.compile(r"\d+")


def load_sentences(corpus: Path) -> list[str]:
    sentences: list[str] = []
    if corpus.is_dir():
        for path in corpus_files(corpus):
            doc = read_document(path)
            if doc.status == "loaded":
                sentences += [s.strip() for s in SENTENCE_END.split(doc.body) if len(s.strip()) > 20]
    return sentences or FALLBACK_SENTENCES


def build_articles(sentences: list[str], n: int, rng: random.Random) -> list[tuple[str, date]]:
    """n articles of 4-15 resampled sentences, with numbers perturbed, each with a publication date."""
    articles = []
    for _ in range(n):
        picked = rng.choices(sentences, k=rng.randint(4, 15))
        text = " ".join(NUMBER.sub(lambda m: str(max(1, int(m.group()) + rng.randint(-3, 3))), s) for s in picked)
        articles.append((text, date(2019, 1, 1) + timedelta(days=rng.randint(0, 2400))))
    return articles


def _extract(item: tuple[int, str, date]) -> int:
    i, text, published = item
    return len(extract_document(text, f"bench_{i}", published))


def _cpu_seconds() -> float:
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def run(articles: list[tuple[str, date]], workers: int, batch: int = 200) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, mentions) of one extraction of every article with `workers`."""
    items = [(i, text, published) for i, (text, published) in enumerate(articles)]
    batches = [items[k:k + batch] for k in range(0, len(items), batch)]
    mentions = 0
    progress = tqdm(total=len(items), desc=f"extracting ({workers} worker(s))", unit="doc", disable=None)
    started, cpu = time.perf_counter(), _cpu_seconds()
    for _batch, results in map_batches(_extract, batches, workers):
        for n in results:
            mentions += n
            progress.update()
    progress.close()
    return time.perf_counter() - started, _cpu_seconds() - cpu, mentions


def run_tree(tree: Path, articles_file: Path) -> dict:
    """One tree's extraction of the articles, in a fresh process with that tree first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    child = Path(__file__).with_name("extract_in_tree.py")
    out = subprocess.run([sys.executable, str(child), str(articles_file)], cwd=tree, env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare_trees(articles: list[tuple[str, date]], trees: list[Path], rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        articles_file = Path(folder) / "articles.pickle"
        articles_file.write_bytes(pickle.dumps(articles))
        for round_ in range(1, rounds + 1):
            first = None
            for tree in trees:
                figures = run_tree(tree.resolve(), articles_file)
                per_cpu = len(articles) / figures["cpu_seconds"]
                first = first or per_cpu
                print(f"  round {round_}  {tree} (extractor {figures['version']}): {figures['cpu_seconds']:.1f} CPU-s  "
                      f"{per_cpu:,.1f} articles/CPU-s  {figures['mentions']} mentions  "
                      f"speed vs {trees[0]}: {per_cpu / first:.2f}x", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=BUNDLED_CORPUS)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument("--trees", type=Path, nargs="+", help="source trees whose extractors to compare")
    parser.add_argument("--rounds", type=int, default=2, help="with --trees: turns each tree takes")
    args = parser.parse_args()

    sentences = load_sentences(args.corpus)
    articles = build_articles(sentences, args.articles, random.Random(args.seed))
    n_sentences = sum(len(SENTENCE_END.split(text)) for text, _ in articles)
    n_chars = sum(len(text) for text, _ in articles)
    print(f"extractor {EXTRACTOR_VERSION}: {len(articles)} articles ({n_sentences} sentences, "
          f"{n_chars / 1e6:.1f} M chars) from {len(sentences)} source sentences")
    if args.trees:
        compare_trees(articles, args.trees, args.rounds)
        return 0
    first = None
    for workers in args.workers:
        seconds, cpu, mentions = run(articles, workers)
        first = first or seconds
        print(f"  workers {workers}: {seconds:.1f}s  {len(articles) / seconds:,.0f} articles/s  "
              f"{len(articles) / cpu:,.0f} articles/CPU-s  {n_sentences / seconds:,.0f} sentences/s  "
              f"{mentions} mentions ({mentions / len(articles):.2f} per article)  "
              f"speed vs the first: {first / seconds:.2f}x", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
