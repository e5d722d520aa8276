"""Incremental refresh against a full one: what adding a few new articles costs.

    ./run python benchmarks/bench_incremental.py [--size 2000] [--new-share 0.01] [--out /tmp/bench_incremental]

A synthetic corpus of --size articles (bench_extract.py's resampled, perturbed sentences of the
bundled corpus, as bench_ingest.py writes it) is split: the first (1 - new share) of its files, in
name order, is the old corpus. Timed, each a `hasila refresh` in its own process:
  full         the whole corpus into an empty warehouse (`--rebuild`),
  incremental  the whole corpus into a warehouse published from the old corpus (built first, untimed).
Printed: both wall and CPU times (the refresh and its children: dbt, extraction workers) and their
ratios, the claim (one run); on a machine other jobs share, the CPU ratio is the steadier one. Each refresh's log is kept under --out.
"""
from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest import write_corpus  # noqa: E402


def split_corpus(full: Path, old: Path, new_share: float) -> int:
    """Copy the first (1 - new_share) of `full`'s files and their manifest rows into `old` (a corpus
    refuses links, so the files are copied); the number of new articles."""
    with open(full / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: row["file"])
    n_new = max(1, round(len(rows) * new_share))
    kept = rows[:-n_new]
    if old.exists():
        shutil.rmtree(old)
    old.mkdir(parents=True)
    for row in kept:
        shutil.copy2(full / row["file"], old / row["file"])
    with open(old / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    return n_new


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_refresh(corpus: Path, warehouse: Path, log: Path, *extra: str) -> tuple[float, float]:
    """One refresh in its own process: its wall seconds and CPU seconds (dbt and extraction workers
    included: the CPU figure holds on a machine other jobs share, the wall one does not)."""
    started, cpu_started = time.monotonic(), _children_cpu()
    with open(log, "w", encoding="utf-8") as out:
        done = subprocess.run([sys.executable, "-m", "ingest.cli", "refresh", str(corpus), "--warehouse", str(warehouse),
                               *extra], stdout=out, stderr=subprocess.STDOUT)
    seconds, cpu = time.monotonic() - started, _children_cpu() - cpu_started
    if done.returncode != 0:
        raise SystemExit(f"refresh of {corpus} failed (exit {done.returncode}): see {log}")
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--new-share", type=float, default=0.01)
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder instead of a synthetic one")
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_incremental"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    full = args.corpus or write_corpus(args.out / f"corpus_{args.size}", args.size, seed=7)
    old = args.out / "corpus_old"
    n_new = split_corpus(full, old, args.new_share)
    for name in ("full.duckdb", "incremental.duckdb"):
        (args.out / name).unlink(missing_ok=True)
    timed_refresh(old, args.out / "incremental.duckdb", args.out / "old.log", "--rebuild")
    incremental = timed_refresh(full, args.out / "incremental.duckdb", args.out / "incremental.log")
    whole = timed_refresh(full, args.out / "full.duckdb", args.out / "full.log", "--rebuild")
    print(f"corpus {full}: {n_new} new article(s) of {n_new + sum(1 for _ in old.glob('*.txt'))}")
    for name, (wall, cpu) in (("full", whole), ("incremental", incremental)):
        print(f"{name + ' refresh':20s}{wall:8.1f} s wall {cpu:8.1f} s CPU")
    print(f"ratio incremental / full: {incremental[0] / whole[0]:.3f} wall, {incremental[1] / whole[1]:.3f} CPU")


if __name__ == "__main__":
    main()
