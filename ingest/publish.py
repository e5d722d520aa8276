"""Safe publishing of the warehouse file: one writer at a time, build aside, swap atomically.

Readers (BI tools) only ever see a complete warehouse: a refresh works on a copy in
`.build/` next to the warehouse and `os.replace`s it into place only after every check
passed. A killed refresh leaves its build file behind; the next one deletes it.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator


class RefreshBusy(RuntimeError):
    """Another refresh holds the lock."""


def build_dir(warehouse: Path) -> Path:
    return warehouse.parent / ".build"


def lock_path(warehouse: Path) -> Path:
    return build_dir(warehouse) / f"{warehouse.name}.lock"


def failure_path(warehouse: Path) -> Path:
    return build_dir(warehouse) / f"{warehouse.name}.last_failure.json"


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


@contextmanager
def refresh_lock(warehouse: Path) -> Iterator[None]:
    """Hold an exclusive, non-blocking fcntl lock for the duration of a refresh.

    The kernel drops the lock when the process dies, so a killed refresh never blocks the next one.
    """
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown process"
            raise RefreshBusy(f"another refresh of {warehouse} is running ({holder}); try again when it has finished")
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now().isoformat(timespec='seconds')}")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the flock


def clean_stale_builds(warehouse: Path) -> list[Path]:
    """Delete build files left by killed refreshes. Call only while holding the lock."""
    pattern = re.compile(rf"{re.escape(warehouse.stem)}\.\d+\.duckdb(\.wal)?")
    removed = []
    for stale in build_dir(warehouse).glob(f"{warehouse.stem}.*"):
        if pattern.fullmatch(stale.name):
            stale.unlink(missing_ok=True)
            removed.append(stale)
    return removed


def new_build_file(warehouse: Path) -> Path:
    """A private copy of the published warehouse (or nothing, on first run) to build into."""
    build = build_dir(warehouse) / f"{warehouse.stem}.{os.getpid()}.duckdb"
    build.parent.mkdir(parents=True, exist_ok=True)
    if warehouse.exists():
        shutil.copy2(warehouse, build)
        if wal_path(warehouse).exists():  # un-checkpointed writes belong to the published state too
            shutil.copy2(wal_path(warehouse), wal_path(build))
    return build


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(build: Path, warehouse: Path) -> None:
    """Atomically put the finished build file in place of the published warehouse.

    The build connection must be closed (and checkpointed) first, so the file is self-contained.
    """
    if wal_path(build).exists():
        raise RuntimeError(f"{build} still has a write-ahead log; close the connection before publishing")
    _fsync(build)
    # A WAL next to the old file was copied into the build; left in place it would be replayed
    # against the new file.
    wal_path(warehouse).unlink(missing_ok=True)
    os.replace(build, warehouse)
    _fsync(warehouse.parent)


def record_failure(warehouse: Path, refresh_id: str, reason: str) -> None:
    """Remember why the last refresh failed (the published warehouse is not touched)."""
    path = failure_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"refresh_id": refresh_id, "failed_at": datetime.now().isoformat(timespec="seconds"),
                                "reason": reason}, ensure_ascii=False), encoding="utf-8")


def read_failure(warehouse: Path) -> dict | None:
    try:
        return json.loads(failure_path(warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
