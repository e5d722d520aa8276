"""Refresh at scale: full and incremental refreshes over synthetic corpora of chosen sizes.

    ./run python benchmarks/bench_refresh.py [--sizes 1000 10000 100000] [--out /tmp/bench_refresh]
                                             [--increment 0.01] [--seed 7] [--articles-per-day 25]

For each size N a corpus of N articles (benchmarks/synth_corpus.py: several reports per incident,
many places and days) is refreshed into a new warehouse (full), then the 1 % more articles are
added to its folder (the first N files left as they are, the manifest replaced by one listing all)
and it is refreshed into the warehouse again (incremental). Each refresh runs in its own process. Printed per
refresh: whether it published, its CPU seconds (with dbt and extraction workers), seconds and CPU seconds per stage
(build_file: the private copy or clone of the published warehouse; ingest, dbt, expectations,
publish: from the refresh's own progress lines), the slowest dbt models (run_results.json), peak resident memory of
the refresh process and of dbt (its child, polled from /proc), and the pair rows of
int_mention_pairs_scored; per size, the p95 of two BI queries on the published warehouse through
the guarded read-only path (ingest/sql.py). Between sizes: the growth exponent of the full
refresh's total time, log(t2/t1)/log(N2/N1) (1.0 = linear). Ratios within one run are the claim;
absolute times depend on the machine's load.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth_corpus import days_for, generate, write_corpus  # noqa: E402

from ingest.hash_cache import RACY_SECONDS  # noqa: E402
from ingest.publish import build_dir  # noqa: E402
from ingest.sql import open_guarded, run_query  # noqa: E402

# a refresh's progress lines that open each stage (ingest/refresh.py)
STAGE_MARKS = (("dbt", "running dbt build"), ("expectations", "running expectations"), ("publish", "Data Docs:"))
STAGES = ("build_file", "ingest", "dbt", "expectations", "publish")
BI_QUERIES = {
    "incidents_per_month_by_governorate": """
        SELECT admin1, date_trunc('month', event_date) AS month, count(*) AS incidents,
               sum(killed_best) AS killed
        FROM marts.fct_incidents
        GROUP BY ALL ORDER BY month, admin1""",
    "top_incidents_with_sources": """
        SELECT i.incident_id, i.event_date, i.place, i.killed_best,
               string_agg(DISTINCT m.source, ', ') AS sources
        FROM (SELECT * FROM marts.fct_incidents ORDER BY killed_best DESC NULLS LAST LIMIT 50) AS i
        JOIN marts.fct_mentions AS m ON m.incident_id = i.incident_id
        GROUP BY ALL ORDER BY i.killed_best DESC NULLS LAST""",
}
BI_REPEATS = 40


def _descendants(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        direct = [int(c) for c in children.read_text().split()]
    except OSError:
        return []
    return direct + [d for c in direct for d in _descendants(c)]


def _peak_kib(pid: int) -> int:
    """VmHWM of a live process (its peak resident set so far), 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _is_dbt(pid: int) -> bool:
    try:
        return b"dbt" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


class DbtMemory(threading.Thread):
    """Polls this process's descendants for dbt and keeps its peak resident memory."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_kib = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            for pid in _descendants(os.getpid()):
                if _is_dbt(pid):
                    self.peak_kib = max(self.peak_kib, _peak_kib(pid))


def child(corpus: Path, warehouse: Path) -> None:
    """One refresh in this process; prints its figures as one JSON line."""
    import ingest.refresh
    from ingest.refresh import RefreshFailed, refresh

    marks: dict[str, float] = {}
    cpu_marks: dict[str, float] = {}  # CPU seconds so far (this process and its waited-for children)
    started, started_cpu = time.monotonic(), _cpu_seconds()
    made = []  # how the build file was made: clone, copy, new (ingest/publish.py new_build_file)
    new_build_file = ingest.refresh.new_build_file

    def timed_build_file(*args, **kwargs):  # the build file's end is the start of ingest
        build, how = new_build_file(*args, **kwargs)
        marks["ingest"], cpu_marks["ingest"] = time.monotonic(), _cpu_seconds()
        made.append(how)
        return build, how
    ingest.refresh.new_build_file = timed_build_file

    def echo(line: str) -> None:
        for stage, prefix in STAGE_MARKS:
            if line.startswith(prefix) and stage not in marks:
                marks[stage], cpu_marks[stage] = time.monotonic(), _cpu_seconds()

    memory = DbtMemory()
    memory.start()
    error = None
    try:
        refresh(corpus, warehouse, echo=echo, show_progress=False)
    except RefreshFailed as exc:
        error = str(exc).splitlines()[0][:300]
    ended, ended_cpu = time.monotonic(), _cpu_seconds()
    memory.stopped.set()
    memory.join()
    bounds = [started] + [marks.get(stage) for stage in STAGES[1:]] + [ended]
    stages = {}
    for name, begin, end in zip(STAGES, bounds, bounds[1:]):
        if begin is not None and end is not None:
            stages[name] = round(end - begin, 2)
    cpu_bounds = [started_cpu] + [cpu_marks.get(stage) for stage in STAGES[1:]] + [ended_cpu]
    cpu_stages = {name: round(end - begin, 2) for name, begin, end in zip(STAGES, cpu_bounds, cpu_bounds[1:])
                  if begin is not None and end is not None}
    print(json.dumps({
        "published": error is None, "error": error, "total": round(ended - started, 2), "stages": stages, "cpu_stages": cpu_stages,
        "build_file": made[0] if made else None,
        "cpu": round(_cpu_seconds(), 2),
        "main_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "dbt_peak_mib": memory.peak_kib // 1024,
        "slowest_models": _slowest_models(warehouse),
    }))


def _cpu_seconds() -> float:
    """CPU seconds of this refresh process and its waited-for children (dbt, extraction workers):
    on a machine other jobs share, the steadier figure than wall time."""
    return sum(usage.ru_utime + usage.ru_stime
               for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def _slowest_models(warehouse: Path, top: int = 3) -> list[tuple[str, float]]:
    results = build_dir(warehouse) / "dbt" / "target" / "run_results.json"
    if not results.is_file():
        return []
    nodes = json.loads(results.read_text())["results"]
    timed = sorted(((n["unique_id"].split(".")[-1], round(n["execution_time"], 2)) for n in nodes
                    if n["unique_id"].startswith("model.")), key=lambda item: -item[1])
    return timed[:top]


def run_refresh(corpus: Path, warehouse: Path) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(warehouse)],
                          capture_output=True, text=True, check=False)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"refresh process failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1])


def pair_rows(warehouse: Path) -> int | None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute("SELECT table_schema FROM information_schema.tables "
                            "WHERE table_name = 'int_mention_pairs_scored'").fetchone()
        if found is None:
            return None
        return con.execute(f'SELECT count(*) FROM "{found[0]}".int_mention_pairs_scored').fetchone()[0]


def bi_p95(warehouse: Path) -> dict[str, float]:
    """p95 milliseconds of each BI query on the published warehouse, through the guarded path."""
    con = open_guarded(warehouse)
    try:
        result = {}
        for name, query in BI_QUERIES.items():
            run_query(con, query)  # warm
            times = []
            for _ in range(BI_REPEATS):
                begin = time.perf_counter()
                run_query(con, query)
                times.append((time.perf_counter() - begin) * 1000)
            times.sort()
            result[name] = round(times[math.ceil(0.95 * len(times)) - 1], 1)
        return result
    finally:
        con.close()


def _write(folder: Path, n: int, seed: int, days: int) -> Path:
    if not (folder / "manifest.csv").is_file():
        write_corpus(folder, generate(n, seed, days))
    return folder


def _copy_settled(corpus: Path, live: Path) -> Path:
    """A copy of `corpus` the refreshes read and the new articles are added to, as a corpus folder grows
    in place; its files are left to settle first (the hash cache does not record files changed within
    RACY_SECONDS of a refresh, ingest/hash_cache.py), as a corpus's files have by its next refresh."""
    shutil.rmtree(live, ignore_errors=True)
    shutil.copytree(corpus, live)
    time.sleep(RACY_SECONDS + 0.5)
    return live


def _add_new_articles(grown: Path, live: Path) -> None:
    """The articles of `grown` that `live` lacks, and `grown`'s manifest listing them all."""
    for path in sorted(grown.iterdir()):
        if path.name == "manifest.csv" or not (live / path.name).exists():
            shutil.copy2(path, live / path.name)


def _show(label: str, run: dict) -> None:
    stages = " ".join(f"{name} {run['stages'].get(name, '-')}s" for name in STAGES)
    state = "published" if run["published"] else f"NOT published: {run['error']}"
    print(f"  {label:<12} total {run['total']:.1f}s  cpu {run['cpu']:.1f}s  [{stages}]  build file: {run['build_file']}"
          f"  main {run['main_peak_mib']} MiB"
          f"  dbt {run['dbt_peak_mib']} MiB  {state}")
    print("               cpu per stage: " + " ".join(f"{name} {run['cpu_stages'].get(name, '-')}s" for name in STAGES))
    if run["slowest_models"]:
        print("               slowest models: " + ", ".join(f"{m} {s}s" for m, s in run["slowest_models"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_refresh"))
    parser.add_argument("--increment", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--articles-per-day", type=float, default=25.0)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    totals = {}
    for n in args.sizes:
        days = days_for(n, args.articles_per_day)
        grown = n + max(1, round(n * args.increment))
        base = _write(args.out / f"corpus_{n}", n, args.seed, days)
        more = _write(args.out / f"corpus_{n}_plus", grown, args.seed, days)
        warehouse = args.out / f"warehouse_{n}.duckdb"
        shutil.rmtree(build_dir(warehouse), ignore_errors=True)
        warehouse.unlink(missing_ok=True)
        live = _copy_settled(base, args.out / f"corpus_{n}_live")
        print(f"{n} articles ({days} days), then {grown}:")
        full = run_refresh(live, warehouse)
        _show("full", full)
        if full["published"]:
            print(f"               pair rows: {pair_rows(warehouse)}  BI p95 ms: {bi_p95(warehouse)}")
        _add_new_articles(more, live)
        incremental = run_refresh(live, warehouse)
        _show(f"+{grown - n} articles", incremental)
        print(f"               incremental / full: {incremental['total'] / full['total']:.2f} wall, "
              f"{incremental['cpu'] / full['cpu']:.2f} CPU")
        totals[n] = full
    sizes = sorted(totals)
    for small, large in zip(sizes, sizes[1:]):
        ratio = math.log(large / small)
        growth = {"total": math.log(totals[large]["total"] / totals[small]["total"]) / ratio}
        for stage in STAGES:
            a, b = totals[small]["stages"].get(stage), totals[large]["stages"].get(stage)
            if a and b:
                growth[stage] = math.log(b / a) / ratio
        print(f"growth exponent {small} -> {large}: " + ", ".join(f"{k} {v:.2f}" for k, v in growth.items()))


if __name__ == "__main__":
    main()
