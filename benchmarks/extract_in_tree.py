"""bench_extract.py --trees, in the child: one source tree's extractor over pickled articles.

    PYTHONPATH=TREE python benchmarks/extract_in_tree.py ARTICLES.pickle   (prints one JSON line)

A file of its own, not a mode of bench_extract.py, so that it imports nothing of `ingest` but the
one function every tree has had: any older commit's checkout can be measured.
"""
from __future__ import annotations

import json
import pickle
import resource
import sys
import time
from pathlib import Path

from ingest.extract import EXTRACTOR_VERSION, extract_document


def main(articles_file: Path) -> dict:
    articles = pickle.loads(articles_file.read_bytes())
    extract_document(articles[0][0], "bench_warm_up", articles[0][1])  # loads the lexicons
    usage = resource.getrusage(resource.RUSAGE_SELF)
    started, cpu = time.perf_counter(), usage.ru_utime + usage.ru_stime
    mentions = sum(len(extract_document(text, f"bench_{i}", published))
                   for i, (text, published) in enumerate(articles))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": time.perf_counter() - started, "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu,
            "mentions": mentions, "version": EXTRACTOR_VERSION}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
