"""`cd dbt_project && dbt build` on a fresh clone: dbt creates the raw tables itself (on-run-start,
from ingest/raw_schema.sql) and writes its own development file, never the published warehouse.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from ingest.dbt_runner import dbt_executable
from ingest.publish import readable_by_1x

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def _fresh_clone(root: Path) -> Path:
    """The parts of the repository dbt reads, as a clone has them: no warehouse, no target/."""
    skip = shutil.ignore_patterns("target", "logs", "dbt_packages", "*.duckdb", "*.duckdb.wal", ".user.yml")
    shutil.copytree(REPO_ROOT / "dbt_project", root / "dbt_project", ignore=skip)
    shutil.copytree(REPO_ROOT / "seeds", root / "seeds", ignore=skip)
    (root / "ingest").mkdir()
    shutil.copy2(REPO_ROOT / "ingest" / "raw_schema.sql", root / "ingest" / "raw_schema.sql")
    return root / "dbt_project"


def test_plain_dbt_build_works_on_a_fresh_clone(tmp_path):
    project = _fresh_clone(tmp_path / "clone")
    env = {key: value for key, value in os.environ.items() if key != "HASILA_WAREHOUSE"}
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    run = subprocess.run([str(dbt_executable()), "build"], cwd=project, env=env, capture_output=True, text=True,
                         timeout=900)
    assert run.returncode == 0, run.stdout[-4000:]
    dev = project / "target" / "dev.duckdb"
    assert dev.exists()
    assert not list(tmp_path.rglob("warehouse.duckdb"))  # the published file's name is never written
    assert readable_by_1x(dev)
    with duckdb.connect(str(dev), read_only=True) as con:
        raw = {row[0] for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'raw'").fetchall()}
        assert {"documents", "mentions"} <= raw
        assert con.execute("SELECT count(*) FROM marts.fct_incidents").fetchone()[0] == 0
