"""Running `dbt build` (models + tests) against a build file, as a subprocess."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import DBT_PROJECT_DIR

# dbt's own summary lines for what broke; everything else is progress chatter.
_TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d\s*")
_FAILURE_LINE = re.compile(r"\b(ERROR|FAIL|Failure in|Error in|Compilation Error|Runtime Error|Database Error)\b")


@dataclass
class DbtOutcome:
    status: str           # passed | failed | skipped
    detail: str = ""      # why skipped / the failing node lines
    log_file: Path | None = None


def dbt_executable() -> Path:
    """The dbt installed next to this interpreter (the project venv), never whatever is on PATH."""
    return Path(sys.executable).with_name("dbt")


def dbt_build(database: Path, work_dir: Path, project_dir: Path = DBT_PROJECT_DIR) -> DbtOutcome:
    """Build every dbt model/test into `database`; dbt's output goes to work_dir/dbt_build.log."""
    if not (project_dir / "dbt_project.yml").exists():
        return DbtOutcome("skipped", f"no dbt project at {project_dir}")
    work_dir.mkdir(parents=True, exist_ok=True)
    log_file = work_dir / "dbt_build.log"
    command = [
        str(dbt_executable()), "build", "--no-use-colors",
        "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
        # Our own target/log folders: a refresh never collides with someone running dbt by hand.
        "--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs"),
    ]
    env = {**os.environ, "HASILA_WAREHOUSE": str(database.resolve())}
    proc = subprocess.run(command, env=env, capture_output=True, text=True, cwd=project_dir)
    output = proc.stdout + proc.stderr
    log_file.write_text(output, encoding="utf-8")
    if proc.returncode == 0:
        return DbtOutcome("passed", log_file=log_file)
    lines = [_TIMESTAMP.sub("", line).strip() for line in output.strip().splitlines()]
    # Each failure line plus the one after it, which carries the database's message.
    picked = [i + k for i, line in enumerate(lines) if _FAILURE_LINE.search(line) for k in (0, 1) if i + k < len(lines)]
    failing = [line for line in dict.fromkeys(lines[i] for i in picked) if line]
    detail = "\n".join(failing[:40] or lines[-5:]) or f"dbt exited with {proc.returncode} and no output"
    return DbtOutcome("failed", detail, log_file)
