"""Ingest throughput and memory: the loader (no dbt) over synthetic corpora, serial against the pool.

    ./run python benchmarks/bench_ingest.py [--sizes 2000 10000] [--workers N] [--out /tmp/bench_ingest]
                                            [--stand-in] [--pool-only]

For each size a corpus folder is written under --out (articles of bench_extract.py: resampled,
perturbed sentences of the bundled corpus, one file each, a manifest with distinct doc ids and
dates), then loaded into a new DuckDB file twice, each load in its own process: once with one
worker (the serial path), once with the pool. Printed per load: articles per second (wall and per CPU-second,
the workers' time included), the main process's peak resident memory and the largest worker's
(a forked worker's resident memory counts the pages it shares with its parent); with --python-heap
also the peak of the main process's Python heap (tracemalloc: slower, so times are not comparable). Ratios are the claim (the pool against the
serial path, one size against the other, in the same run); absolute times depend on the machine's load.

The whole ingest's peak is its proportional set size (PSS: each page shared by the parent and its
forked workers counted once, split between them), the sum over the load's process tree sampled every
SAMPLE_SECONDS: the memory the ingest as a whole takes from the machine. With --stand-in the extractor
is a cheap deterministic stand-in (one mention per sentence), so that loads of 100k articles take
minutes: what grows with the corpus is the loader's, not the extractor's.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import build_articles, load_sentences  # noqa: E402

from ingest import BUNDLED_CORPUS  # noqa: E402
from ingest.extraction_pool import WORKERS_ENV, workers_setting  # noqa: E402

HEAP_ENV = "BENCH_PYTHON_HEAP"
STAND_IN_ENV = "BENCH_STAND_IN"
SAMPLE_SECONDS = 0.05


def stand_in_extractor(text: str, doc_id: str, published_at=None, outlet=None):
    """extract_with_layout's stand-in: the tests' fake extractor (one 'killed civilians' mention per
    sentence, no document model), so the bench measures the ingest, not the extraction."""
    from tests.conftest import fake_mentions

    return fake_mentions(text, doc_id, published_at, outlet), None


def _tree(pid: int) -> list[int]:
    """pid and every live descendant (the pool's workers)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return out


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakSampler:
    """The largest PSS of this process and its descendants together, sampled in a thread."""

    def __init__(self):
        import threading

        self.peak, self._stop = 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, sum(map(_pss_mb, _tree(me))))

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def write_corpus(folder: Path, n: int, seed: int) -> Path:
    """n synthetic articles as files with a manifest (kept when already written)."""
    manifest = folder / "manifest.csv"
    if manifest.is_file() and sum(1 for _ in folder.glob("*.txt")) == n:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    articles = build_articles(load_sentences(BUNDLED_CORPUS), n, random.Random(seed))
    with manifest.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "file", "published_at", "outlet", "url"])
        for i, (text, published) in enumerate(articles):
            name = f"a{i:06d}.txt"
            (folder / name).write_text(text, encoding="utf-8")
            writer.writerow([f"bench_{i:06d}", name, published.isoformat(), "bench", ""])
    return folder


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers, once shut down)."""
    return sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def run_load(corpus: Path, warehouse: Path) -> dict:
    """One load in this process (the child): its figures as a dict."""
    import duckdb

    from ingest.corpus import open_corpus
    from ingest.loader import load_corpus

    warehouse.unlink(missing_ok=True)
    if os.environ.get(STAND_IN_ENV):
        import ingest.loader

        ingest.loader.extract_with_layout = stand_in_extractor   # the workers are forked: they inherit it
    if os.environ.get(HEAP_ENV):
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    with PeakSampler() as sampler:
        corpus_read, documents = open_corpus(corpus)   # as `hasila refresh` reads it
        with duckdb.connect(str(warehouse)) as con:
            report = load_corpus(con, corpus_read, show_progress=False, documents=documents)
    seconds = time.perf_counter() - started
    heap = tracemalloc.get_traced_memory()[1] / 2**20 if tracemalloc.is_tracing() else None
    cpu = _cpu_seconds() - cpu_started
    return {"documents": report.count("new"), "mentions": report.mentions_added, "seconds": seconds,
            "cpu_seconds": cpu, "python_heap_peak_mb": heap, "peak_pss_mb": sampler.peak,
            "peak_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "peak_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def measure(corpus: Path, warehouse: Path, workers: int, python_heap: bool, stand_in: bool) -> dict:
    """A load in a fresh process (so that its peak memory is its own)."""
    env = {**os.environ, WORKERS_ENV: str(workers), HEAP_ENV: "1" if python_heap else "",
           STAND_IN_ENV: "1" if stand_in else ""}
    out = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(warehouse)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 10_000])
    parser.add_argument("--workers", type=int, default=None, help="pool size (default: every core)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_ingest"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--python-heap", action="store_true", help="also trace the Python heap's peak")
    parser.add_argument("--stand-in", action="store_true", help="a cheap stand-in extractor (the loader's memory)")
    parser.add_argument("--pool-only", action="store_true", help="only the pool's loads (not the serial path's)")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_load(*args.child)))
        return 0

    workers = args.workers or workers_setting()
    loads = (workers,) if args.pool_only else (1, workers)
    rows = []
    for size in args.sizes:
        corpus = write_corpus(args.out / f"corpus_{size}", size, args.seed)
        for w in loads:
            figures = measure(corpus, args.out / f"w_{size}_{w}.duckdb", w, args.python_heap, args.stand_in)
            rows.append((size, w, figures))
            print(f"{size:>7} articles  workers {w}: {figures['documents'] / figures['seconds']:7.1f} articles/s, "
                  f"{figures['documents'] / figures['cpu_seconds']:6.1f} per CPU-second "
                  f"({figures['seconds']:.1f} s, {figures['mentions']} mentions)  peak memory: whole ingest (PSS) "
                  f"{figures['peak_pss_mb']:.0f} MB, main "
                  f"{figures['peak_main_mb']:.0f} MB, largest worker {figures['peak_worker_mb']:.0f} MB"
                  + (f", main Python heap {figures['python_heap_peak_mb']:.0f} MB" if args.python_heap else ""),
                  flush=True)
    for size in args.sizes if len(loads) > 1 else ():
        by_workers = {w: f for s, w, f in rows if s == size}
        print(f"{size:>7} articles: pool/serial speed {by_workers[1]['seconds'] / by_workers[workers]['seconds']:.2f}x")
    first, last = args.sizes[0], args.sizes[-1]
    for w in loads:
        a, b = (next(f for s, ww, f in rows if s == size and ww == w) for size in (first, last))
        print(f"workers {w}: peak memory at {last} / at {first}: whole ingest {b['peak_pss_mb'] / a['peak_pss_mb']:.2f}, "
              f"main {b['peak_main_mb'] / a['peak_main_mb']:.2f}"
              + (f", Python heap {b['python_heap_peak_mb'] / a['python_heap_peak_mb']:.2f}" if args.python_heap else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
