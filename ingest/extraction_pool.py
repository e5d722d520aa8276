"""Extraction on every core: a process pool fed batch by batch, results in input order.

The loader and `hasila extract` hand it batches of work (documents); it yields each batch with its
results, lazily and in order, while the next batch is already being extracted. At most two batches
are in flight, so memory holds two batches whatever the size of the corpus, and the caller writes a
batch (DuckDB, stdout) while the workers go on. Output is the serial path's, item for item.

Workers are forked: they start in milliseconds with the extractor and its lexicons already loaded
(the first item is extracted in the parent, before the fork, to load them once), and a stand-in
extractor a test installs is the one they run. The kernel kills them
when their parent dies (PR_SET_PDEATHSIG, as for dbt), and the pool is shut down whenever the
caller stops, so no worker outlives an interrupted or killed refresh.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator, Optional, Sequence, TypeVar

from .dbt_runner import _die_with_parent

# Number of extraction processes; 1 extracts in this process (no pool). Default: the cores this
# process may run on.
WORKERS_ENV = "HASILA_WORKERS"

Item = TypeVar("Item")
Result = TypeVar("Result")


class WorkerDied(RuntimeError):
    """A worker process disappeared (killed, out of memory, crashed in C code): nothing is trusted."""


class BadWorkersSetting(ValueError):
    """$HASILA_WORKERS is not a number of processes."""


def workers_setting() -> int:
    """$HASILA_WORKERS, else the number of cores this process may use."""
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if not raw:
        cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
        return max(1, len(cores))
    if not raw.isdigit() or int(raw) < 1:
        raise BadWorkersSetting(f"{WORKERS_ENV} must be a whole number of processes, at least 1 (got {raw!r})")
    return int(raw)


def _results(futures: list[Future], items: Sequence, name: Callable[[object], str], first: tuple = ()) -> Iterator:
    """Each future's result in order (after `first`, results computed here); an exception names the
    item it came from."""
    yield from first
    for future, item in zip(futures, items[len(first):]):
        try:
            yield future.result()
        except BrokenProcessPool as exc:
            raise WorkerDied(_died(futures, items[len(first):], name)) from exc
        except Exception as exc:  # a bug in the worker's code: re-raised as is, with the item named
            exc.add_note(f"while extracting {name(item)} in a worker process")
            raise


def _died(futures: list[Future], items: Sequence, name: Callable[[object], str]) -> str:
    """Which documents a dead worker may have held: those of the batch left unfinished (the first
    of them, in the order they were handed out)."""
    unfinished = [name(item) for future, item in zip(futures, items)
                  if future.done() and isinstance(future.exception(), BrokenProcessPool)]
    shown = ", ".join(unfinished[:5]) + (f" and {len(unfinished) - 5} more" if len(unfinished) > 5 else "")
    return (f"an extraction worker died (killed? out of memory?) while holding one of {len(unfinished)} "
            f"unfinished document(s): {shown}; the run was stopped (a load is rolled back)")


def _serial(fn: Callable[[Item], Result], batches: Iterable[Sequence[Item]]
            ) -> Iterator[tuple[Sequence[Item], Iterator[Result]]]:
    for batch in batches:
        yield batch, map(fn, batch)


def _pooled(fn: Callable[[Item], Result], batches: Iterable[Sequence[Item]], workers: int,
            name: Callable[[object], str]) -> Iterator[tuple[Sequence[Item], Iterator[Result]]]:
    batches = iter(batches)
    first_batch = next((batch for batch in batches if batch), None)
    if first_batch is None:
        return
    # The first item is computed here, before the fork: the workers inherit what it loaded (the
    # extractor's lexicons, gazetteer, compiled patterns) instead of each loading it again. The
    # pool starts with the second item: a single document never forks.
    first = (fn(first_batch[0]),)
    pool: Optional[ProcessPoolExecutor] = None

    def submit(items: Sequence) -> list[Future]:
        nonlocal pool
        if items and pool is None:
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_die_with_parent(os.getpid()))
        return [pool.submit(fn, item) for item in items]

    finished = False
    try:
        pending: deque = deque([(first_batch, submit(first_batch[1:]), first)])
        for batch in batches:
            pending.append((batch, submit(batch), ()))
            if len(pending) > 1:  # the next batch is submitted before this one is consumed
                done, futures, computed = pending.popleft()
                yield done, _results(futures, done, name, computed)
        while pending:
            done, futures, computed = pending.popleft()
            yield done, _results(futures, done, name, computed)
        finished = True
    finally:
        if pool is not None and finished:
            pool.shutdown(wait=True)
        elif pool is not None:  # interrupted (an error, Ctrl-C, SIGTERM): the work in flight is discarded
            _stop_now(pool)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Cancel the queued work and kill the workers: waiting for the documents they hold could take
    as long as the slowest of them, and their results would be thrown away."""
    # Python 3.14 has pool.terminate_workers(); before it, the processes are only reachable here
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()


def map_batches(fn: Callable[[Item], Result], batches: Iterable[Sequence[Item]], workers: int,
                name: Callable[[object], str] = repr) -> Iterator[tuple[Sequence[Item], Iterator[Result]]]:
    """(batch, its results in order) for each batch; `fn` runs in `workers` forked processes, or here
    when workers is 1 or fork is not available. Consume each batch's results before the next batch.
    `name` names an item in errors (a document's file and id)."""
    if workers <= 1 or sys.platform == "win32" or "fork" not in multiprocessing.get_all_start_methods():
        return _serial(fn, batches)
    return _pooled(fn, batches, workers, name)
