"""Safe publishing of the warehouse file: one writer at a time, build aside, swap atomically.

Readers (BI tools) only ever see a complete warehouse: a refresh works on a copy in
`.build/` next to the warehouse and `os.replace`s it into place only after every check
passed. A killed refresh leaves its build file behind; the next one deletes it.

File-system failures (disk full, read-only or forbidden folder, an unreadable published file)
are turned into one-line messages that name the way out.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator, Optional

import duckdb


class RefreshBusy(RuntimeError):
    """Another refresh holds the lock."""


class WarehouseFolderError(RuntimeError):
    """The warehouse folder cannot be written (disk full, read-only, permission denied)."""


class WarehouseUnreadable(RuntimeError):
    """The published file is not a readable DuckDB database; `hasila refresh --rebuild` replaces it."""


REBUILD_HINT = ("run `hasila refresh --rebuild` to build a new one from the corpus "
                "(the unreadable file will be kept beside it as .corrupt-<time>)")

# DuckDB's words for a file that is not (or no longer) a database; anything else is not corruption.
_CORRUPT = re.compile(r"not a valid DuckDB database|Corrupt database file|Could not read enough bytes|"
                      r"database file .* (?:is|was) (?:truncated|corrupt)", re.IGNORECASE)
# DuckDB reports OS failures in its message text, not as OSError; the strerror text is what is stable.
_DUCKDB_ERRNO = (("No space left on device", errno.ENOSPC), ("Read-only file system", errno.EROFS),
                 ("Permission denied", errno.EACCES), ("Operation not permitted", errno.EPERM))
_QUOTED_FILE = re.compile(r'file "([^"]+)"')


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def looks_corrupt(text: str) -> bool:
    """Whether a DuckDB message says the database file itself is damaged."""
    return bool(_CORRUPT.search(text))


def unreadable_message(warehouse: Path, exc: BaseException) -> Optional[str]:
    """One line for a published file DuckDB cannot read, or None when `exc` is not about corruption."""
    if not isinstance(exc, duckdb.Error) or not looks_corrupt(str(exc)):
        return None
    # DuckDB names the file it opened, which may be the build copy: the warehouse is what the user knows.
    why = _QUOTED_FILE.sub("file", _first_line(exc))
    return f"the published warehouse {warehouse} is unreadable ({why}): {REBUILD_HINT}"


def _io_message(code: Optional[int], path: Optional[str], where: Path) -> Optional[str]:
    place = Path(path) if path else where
    if code == errno.ENOSPC:
        return f"disk full at {place}: free space and re-run"
    if code == errno.EROFS:
        return (f"read-only file system at {place}: the refresh writes next to the warehouse; remount it "
                f"read-write or pass --warehouse on a writable disk, then re-run")
    if code in (errno.EACCES, errno.EPERM):
        return (f"permission denied at {place}: make {where} writable for this user "
                f"(or pass --warehouse PATH), then re-run")
    return None


def io_failure_in_text(text: str, where: Path) -> Optional[str]:
    """The one-line message for an OS failure DuckDB (or dbt through it) reported as text, else None."""
    code = next((number for words, number in _DUCKDB_ERRNO if words in text), None)
    quoted = _QUOTED_FILE.search(text)
    return _io_message(code, quoted.group(1) if quoted else None, where)


def io_failure_message(exc: BaseException, where: Path) -> Optional[str]:
    """One line naming the recovery for disk full / read-only / permission failures, else None.

    `where` is the folder the refresh writes to; a path named by the error itself wins.
    """
    if isinstance(exc, OSError):  # a two-path error (copy, rename) names the destination second
        return _io_message(exc.errno, exc.filename2 or exc.filename, where)
    if isinstance(exc, duckdb.Error):
        return io_failure_in_text(str(exc), where)
    return None


def build_dir(warehouse: Path) -> Path:
    return warehouse.parent / ".build"


def lock_path(warehouse: Path) -> Path:
    return build_dir(warehouse) / f"{warehouse.name}.lock"


def failure_path(warehouse: Path) -> Path:
    return build_dir(warehouse) / f"{warehouse.name}.last_failure.json"


def wal_path(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def _folder_error(exc: OSError, warehouse: Path) -> OSError | WarehouseFolderError:
    """The one-line error for a warehouse folder that cannot be written, or `exc` itself if it is not that."""
    message = io_failure_message(exc, warehouse.parent)
    return WarehouseFolderError(message) if message else exc


@contextmanager
def refresh_lock(warehouse: Path) -> Iterator[None]:
    """Hold an exclusive, non-blocking fcntl lock for the duration of a refresh.

    The kernel drops the lock when the process dies, so a killed refresh never blocks the next one.
    The lock file is the refresh's first write, so a folder that cannot be written is reported here.
    """
    path = lock_path(warehouse)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
    except OSError as exc:
        raise _folder_error(exc, warehouse) from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown process"
            raise RefreshBusy(f"another refresh of {warehouse} is running ({holder}); try again when it has finished")
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}, started {datetime.now().isoformat(timespec='seconds')}")
            handle.flush()
        except OSError as exc:  # a full disk can still take the open, not the note
            raise _folder_error(exc, warehouse) from exc
        yield
    finally:
        handle.close()  # closing releases the flock


def clean_stale_builds(warehouse: Path) -> list[Path]:
    """Delete build files left by killed refreshes, and the folder DuckDB spilled to beside each (a load
    spills its uncommitted rows there, ingest/loader.py LOAD_MEMORY_MB). Call only while holding the lock."""
    pattern = re.compile(rf"{re.escape(warehouse.stem)}\.\d+\.duckdb(\.wal|\.tmp)?")
    removed = []
    for stale in build_dir(warehouse).glob(f"{warehouse.stem}.*"):
        if pattern.fullmatch(stale.name):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale)
            else:
                stale.unlink(missing_ok=True)
            removed.append(stale)
    return removed


def build_file(warehouse: Path) -> Path:
    """Where this process builds (the pid keeps concurrent leftovers apart)."""
    return build_dir(warehouse) / f"{warehouse.stem}.{os.getpid()}.duckdb"


# The storage format every build file is written in. DuckDB 2.0 writes format 69 by default, which
# DuckDB 1.x clients (the CLI, DBeaver's driver, Node, duckdb-wasm) refuse; a file created with
# this compatibility version stays in it when DuckDB 2.0 later writes to it (loader, dbt), and opens
# in every DuckDB from 1.4.0 on. dbt_project/profiles.yml passes the same value to dbt-duckdb.
STORAGE_VERSION = "v1.4.0"
STORAGE_CONFIG = {"storage_compatibility_version": STORAGE_VERSION}


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def storage_version(database: Path) -> str:
    """The storage version DuckDB reports for `database` ('v1.4.0+', 'v2.0.0+', ...), opened read-only."""
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{_sql_path(database)}' AS probe (READ_ONLY)")
        tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'probe'").fetchone()[0]
    return tags.get("storage_version", "")


def readable_by_1x(database: Path) -> bool:
    """Whether `database` is written in STORAGE_VERSION or older, i.e. DuckDB 1.4+ clients open it."""
    return _version_tuple(storage_version(database)) <= _version_tuple(STORAGE_VERSION)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def create_database(path: Path) -> None:
    """An empty DuckDB file in STORAGE_VERSION (DuckDB fixes a file's format when it creates it)."""
    with duckdb.connect(str(path), config=dict(STORAGE_CONFIG)):
        pass


def migrate_copy(source: Path, target: Path) -> None:
    """Copy every schema, table, view and comment of `source` into a new STORAGE_VERSION file `target`."""
    with duckdb.connect(str(target), config=dict(STORAGE_CONFIG)) as con:
        con.execute(f"ATTACH '{_sql_path(source)}' AS published (READ_ONLY)")
        name = con.execute("SELECT current_database()").fetchone()[0].replace('"', '""')
        con.execute(f'COPY FROM DATABASE published TO "{name}"')
        con.execute("DETACH published")
        con.execute("CHECKPOINT")


# <linux/fs.h> FICLONE (fcntl.FICLONE from Python 3.12): make a file share another's blocks copy-on-write.
FICLONE = getattr(fcntl, "FICLONE", 0x40049409)
# What an ioctl answers where the file system (ext4, tmpfs, ...) or the platform has no clones.
_NO_CLONE = (errno.EOPNOTSUPP, errno.ENOTTY, errno.EINVAL, errno.EXDEV, errno.ENOSYS)


def _clone(source: Path, target: Path) -> bool:
    """Make `target` a copy-on-write clone of `source`; False where the file system makes none."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        try:
            fcntl.ioctl(dst.fileno(), FICLONE, src.fileno())
        except OSError as exc:
            if exc.errno not in _NO_CLONE:
                raise
            return False
    return True


def clone_or_copy(source: Path, target: Path) -> str:
    """Copy `source` to `target`: a copy-on-write clone where the file system makes one (btrfs, XFS
    with reflink, bcachefs: constant time, no second copy of the blocks on disk), else byte for byte.
    Either way a later write to `target` never reaches `source`. Returns "clone" or "copy"."""
    if _clone(source, target):
        shutil.copystat(source, target)
        return "clone"
    shutil.copy2(source, target)  # in-kernel (sendfile) on Linux
    return "copy"


def new_build_file(warehouse: Path, fresh: bool = False) -> tuple[Path, str]:
    """A private copy of the published warehouse to build into; an empty start on first run or when `fresh`.
    Returns the file and how it was made: "clone" or "copy" (clone_or_copy), "converted" or "new".

    Either way the build file is in STORAGE_VERSION: a published file written in a newer format (by
    a Hasila before this rule) is carried over table by table instead of byte for byte.
    """
    build = build_file(warehouse)
    build.parent.mkdir(parents=True, exist_ok=True)
    if warehouse.exists() and not fresh:
        if readable_by_1x(warehouse):
            how = clone_or_copy(warehouse, build)
            if wal_path(warehouse).exists():  # un-checkpointed writes belong to the published state too
                clone_or_copy(wal_path(warehouse), wal_path(build))
            return build, how
        migrate_copy(warehouse, build)  # attaching replays the published file's WAL, so nothing is lost
        return build, "converted"
    create_database(build)
    return build, "new"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def aside_path(warehouse: Path, readable: bool, now: Optional[datetime] = None) -> Path:
    """Where a rebuild keeps the file it replaces: `.corrupt-<time>` when unreadable, else `.replaced-<time>`."""
    label = "replaced" if readable else "corrupt"
    return warehouse.with_name(f"{warehouse.name}.{label}-{(now or datetime.now()):%Y%m%dT%H%M%S}")


def is_readable(warehouse: Path) -> bool:
    """Whether DuckDB can open the published file (read-only, so readers are not disturbed)."""
    try:
        with duckdb.connect(str(warehouse), read_only=True):
            return True
    except duckdb.Error as exc:
        if unreadable_message(warehouse, exc) is None:
            raise
        return False


def keep_aside(warehouse: Path) -> Optional[Path]:
    """Give the published file (and its WAL) a second name before a rebuild replaces it; never deletes.

    A hard link keeps `warehouse` in place until the atomic swap, so readers never find it missing.
    """
    if not warehouse.exists():
        return None
    aside = aside_path(warehouse, is_readable(warehouse))
    try:
        os.link(warehouse, aside)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EMLINK):
            raise
        os.replace(warehouse, aside)  # no hard links here: a brief moment without a published file
    if wal_path(warehouse).exists():
        os.replace(wal_path(warehouse), wal_path(aside))
    return aside


def publish(build: Path, warehouse: Path, keep_old: bool = False) -> Optional[Path]:
    """Atomically put the finished build file in place of the published warehouse.

    The build connection must be closed (and checkpointed) first, so the file is self-contained.
    With `keep_old` (a rebuild) the replaced file is kept under a new name, returned.
    """
    if wal_path(build).exists():
        raise RuntimeError(f"{build} still has a write-ahead log; close the connection before publishing")
    _fsync(build)
    aside = keep_aside(warehouse) if keep_old else None
    # A WAL next to the old file was copied into the build; left in place it would be replayed
    # against the new file.
    wal_path(warehouse).unlink(missing_ok=True)
    os.replace(build, warehouse)
    _fsync(warehouse.parent)
    return aside


def record_failure(warehouse: Path, refresh_id: str, reason: str) -> bool:
    """Remember why the last refresh failed (the published warehouse is not touched).

    Best effort: on a full or read-only disk the note cannot be written, and that must not hide
    the failure being reported. Returns whether it was written.
    """
    path = failure_path(warehouse)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"refresh_id": refresh_id, "failed_at": datetime.now().isoformat(timespec="seconds"),
                                    "reason": reason}, ensure_ascii=False), encoding="utf-8")
    except OSError:  # a half-written note is unparseable, and read_failure ignores it
        return False
    return True


def read_failure(warehouse: Path) -> dict | None:
    try:
        return json.loads(failure_path(warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
