"""Running `dbt build` (models + tests) against a build file, as a subprocess.

The child never outlives the refresh: on Linux the kernel kills it when its parent dies (even by
SIGKILL), and a parent that is stopped by SIGTERM or Ctrl-C terminates it before cleaning up.
An orphaned dbt would go on writing a build file the next refresh is about to delete.
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from . import DBT_PROJECT_DIR

# dbt's own summary lines for what broke; everything else is progress chatter.
_TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d\s*")
_FAILURE_LINE = re.compile(r"\b(ERROR|FAIL|Failure in|Error in|Compilation Error|Runtime Error|Database Error)\b")


@dataclass
class DbtOutcome:
    status: str           # passed | failed | skipped
    detail: str = ""      # why skipped / the failing node lines
    log_file: Path | None = None
    only_tests_failed: bool = False  # every failure was a dbt test (the data is wrong, the build ran)
    fingerprint: str | None = None   # project_fingerprint() of the project that built it


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
TERMINATE_GRACE_SECONDS = 10


def _die_with_parent(parent_pid: int):
    """A preexec_fn asking the kernel to SIGKILL the child when the parent dies (Linux only)."""
    # libc is loaded here, in the parent: the child runs between fork and exec, where loading a
    # library could wait on a lock some other thread held at the fork.
    # CDLL(None) is the running interpreter, which links libc.
    prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None

    def arm() -> None:
        if prctl is None:
            return
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before the request was in place
            os.kill(os.getpid(), signal.SIGKILL)
    return arm


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the child, then kill it if it does not go within the grace period."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(TERMINATE_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_child(command: list[str], on_line: Optional[Callable[[str], None]] = None,
              **popen_kwargs) -> tuple[int, str]:
    """Run `command` to the end as a child that dies with this process; its return code and output.
    Each line of output is handed to `on_line` as it arrives (progress), and kept."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                            preexec_fn=_die_with_parent(os.getpid()), **popen_kwargs)
    lines: list[str] = []
    try:
        with proc.stdout:
            for line in proc.stdout:
                lines.append(line)
                if on_line is not None:
                    on_line(line.rstrip("\n"))
        proc.wait()
    except BaseException:  # SystemExit from the SIGTERM handler, KeyboardInterrupt: the child goes first
        _stop(proc)
        raise
    return proc.returncode, "".join(lines)


def dbt_executable() -> Path:
    """The dbt installed next to this interpreter (the project venv), never whatever is on PATH."""
    return Path(sys.executable).with_name("dbt")


def _only_tests_failed(target_dir: Path) -> bool:
    """Whether dbt's run_results.json shows failing tests and nothing that errored (a broken model,
    a compilation error): then the build ran and the data is what failed."""
    try:
        results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
    except (OSError, ValueError, KeyError):  # dbt stopped before writing it: not a test failure
        return False
    statuses = {r.get("status") for r in results}
    return "fail" in statuses and "error" not in statuses


# What a dbt project's results depend on besides the data: its files, the seeds it reads from
# outside it (seed-paths ../seeds) and the raw tables' DDL. Build output is left out.
_NOT_PROJECT = {"target", "logs", "dbt_packages", ".user.yml"}


def project_fingerprint(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """A digest of everything dbt's unit tests check: the project's SQL and YAML, the seeds, the raw
    DDL, and the dbt, adapter and DuckDB versions. Equal fingerprints, equal unit-test verdicts."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{package}={version(package)}\n".encode())
    roots = (project_dir, project_dir.parent / "seeds", project_dir.parent / "ingest" / "raw_schema.sql")
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for path in files:
            relative = path.relative_to(root.parent)
            if path.is_file() and not _NOT_PROJECT.intersection(relative.parts):
                digest.update(f"{relative}\n".encode() + path.read_bytes())
    return digest.hexdigest()[:16]


INCREMENTAL_SELECTOR = "incremental_refresh"  # dbt_project/selectors.yml


def stable_path(database: Path, work_dir: Path) -> Path:
    """A link of fixed name in work_dir to `database`, the path dbt is given.

    dbt reuses its parse of the project (target/partial_parse.msgpack) only when the profile's
    connection is the same, path included, and a build file's name changes at every refresh (it
    carries the pid, ingest/publish.py build_file): each refresh re-parsed all ~400 nodes, about
    11 s at every size, more than the models of a 1 % refresh. The link's name keeps the catalog
    name dbt-duckdb and DuckDB derive from the file name (its first dot-separated part), and DuckDB
    resolves the link, so its WAL and temporary files are the build file's own."""
    link = work_dir / f"{database.name.lstrip('.').split('.')[0]}.duckdb"
    link.unlink(missing_ok=True)  # a killed refresh's link, to a build file that is gone
    link.symlink_to(database.resolve())
    return link


def dbt_build(database: Path, work_dir: Path, project_dir: Path = DBT_PROJECT_DIR,
              on_line: Optional[Callable[[str], None]] = None, incremental: bool = False) -> DbtOutcome:
    """Build every dbt model/test into `database`; dbt's output goes to work_dir/dbt_build.log, and
    each line to `on_line` as dbt writes it (see ingest/dbt_progress.py).

    `incremental` is for a database whose marts this very project built (equal project_fingerprint):
    incremental models then add only what changed, and the selector INCREMENTAL_SELECTOR
    (dbt_project/selectors.yml) leaves out the nodes whose verdict only data cannot change: unit
    tests, seeds, row-level column tests. Otherwise every incremental model is rebuilt whole
    (--full-refresh) and every node runs."""
    if not (project_dir / "dbt_project.yml").exists():
        return DbtOutcome("skipped", f"no dbt project at {project_dir}")
    fingerprint = project_fingerprint(project_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    log_file = work_dir / "dbt_build.log"
    command = [
        str(dbt_executable()), "build", "--no-use-colors",
        "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
        # Our own target/log folders: a refresh never collides with someone running dbt by hand.
        "--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs"),
    ] + (["--selector", INCREMENTAL_SELECTOR] if incremental else ["--full-refresh"])
    # Unbuffered: dbt's per-node lines reach the progress display as each node finishes.
    link = stable_path(database, work_dir)
    env = {**os.environ, "HASILA_WAREHOUSE": str(link.absolute()), "PYTHONUNBUFFERED": "1"}
    try:
        returncode, output = run_child(command, on_line, env=env, cwd=project_dir)
    finally:
        link.unlink(missing_ok=True)
    log_file.write_text(output, encoding="utf-8")
    if returncode == 0:
        return DbtOutcome("passed", f"incremental ({INCREMENTAL_SELECTOR}): project unchanged" if incremental else "",
                          log_file, fingerprint=fingerprint)
    lines = [_TIMESTAMP.sub("", line).strip() for line in output.strip().splitlines()]
    # Each failure line plus the one after it, which carries the database's message.
    picked = [i + k for i, line in enumerate(lines) if _FAILURE_LINE.search(line) for k in (0, 1) if i + k < len(lines)]
    failing = [line for line in dict.fromkeys(lines[i] for i in picked) if line]
    detail = "\n".join(failing[:40] or lines[-5:]) or f"dbt exited with {returncode} and no output"
    return DbtOutcome("failed", detail, log_file, only_tests_failed=_only_tests_failed(work_dir / "target"),
                      fingerprint=fingerprint)
