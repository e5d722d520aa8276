"""The content hash of each corpus file by its file-system stat, as git's index keeps one per path.

A refresh that adds a few files to a large corpus used to read and hash every file it already
knew, only to find its bytes stored: at 100k articles that was most of the refresh's ingest. A
file whose path, size, modification and change times, inode and device are those recorded when
its bytes were last hashed has those bytes still, and its hash is taken from here unread.

What makes that safe:
- the change time (st_ctime) is set by the kernel on every write and cannot be set back by
  `touch` or by a copy that keeps modification times, so a rewritten file never matches its
  old entry, even at the same size and modification time;
- an entry is recorded only when the file had not changed for RACY_SECONDS before its stat was
  taken (git's "racily clean" entries): a file written within the same clock tick as its stat
  could change again without its times changing, so it is hashed again next time;
- the entries live in the warehouse (meta.file_hashes), written in the load's transaction, so a
  failed or killed refresh leaves them as they were, with the rows they describe.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Optional

import duckdb
import pandas as pd

TABLE = "meta.file_hashes"
DDL = f"""
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS {TABLE} (
    source_path VARCHAR PRIMARY KEY,   -- absolute path of the file when it was hashed
    byte_size BIGINT NOT NULL, mtime_ns BIGINT NOT NULL, ctime_ns BIGINT NOT NULL,
    inode BIGINT NOT NULL, device BIGINT NOT NULL,
    content_hash VARCHAR NOT NULL
);
"""
COLUMNS = ("source_path", "byte_size", "mtime_ns", "ctime_ns", "inode", "device", "content_hash")
# A file changed less than this long before its stat was taken is not recorded: the coarsest
# file-system clocks in use tick every 2 s (FAT), most every few milliseconds.
RACY_SECONDS = 2


def _key(info: os.stat_result) -> tuple[int, int, int, int, int]:
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


@dataclass
class HashCache:
    """The recorded hashes (read once, at the start of a load) and the ones this load adds."""
    known: dict[str, tuple[tuple[int, int, int, int, int], str]] = field(default_factory=dict)
    added: dict[str, tuple] = field(default_factory=dict)

    def hash_of(self, path: str, info: os.stat_result) -> Optional[str]:
        """The content hash recorded for `path` with exactly this stat, else None (read the file)."""
        entry = self.known.get(os.path.abspath(path))
        return entry[1] if entry is not None and entry[0] == _key(info) else None

    def record(self, path: str, info: os.stat_result, content_hash: str, stat_taken_ns: int) -> None:
        """Remember the hash of a file read since its stat `info` was taken at `stat_taken_ns`,
        unless the file changed too shortly before that moment to be told apart from a later write."""
        settled_before = stat_taken_ns - RACY_SECONDS * 1_000_000_000
        if max(info.st_mtime_ns, info.st_ctime_ns) >= settled_before:
            return
        path = os.path.abspath(path)
        key = _key(info)
        if self.known.get(path) != (key, content_hash):
            self.added[path] = (path, *key, content_hash)


def read_cache(con: duckdb.DuckDBPyConnection) -> HashCache:
    con.execute(DDL)
    rows = con.execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE}").fetchall()
    return HashCache({row[0]: (tuple(row[1:6]), row[6]) for row in rows})


def write_cache(con: duckdb.DuckDBPyConnection, cache: HashCache) -> None:
    """Write the entries this load added (in the load's transaction): only new or changed files,
    so a refresh writes rows for its new files, not for the corpus."""
    if not cache.added:
        return
    frame = pd.DataFrame(list(cache.added.values()), columns=list(COLUMNS))  # noqa: F841 (read by duckdb)
    con.execute(f"INSERT OR REPLACE INTO {TABLE} SELECT {', '.join(COLUMNS)} FROM frame")
    cache.added.clear()

