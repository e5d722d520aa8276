"""Scale-out on Spark (slow): the bundled corpus extracted by the Spark job (ingest/spark_extract.py)
and built by dbt-spark's `session` method, both in Spark's local mode, gives every mart DuckDB gives
(the models under models/marts, read from the manifest of the Spark build), row for row.

The Spark side runs in its own environment, .venv-spark, installed from uv.lock with the `spark`
extra (`uv sync --frozen --extra spark`: packages from the registry only), so the project's .venv
keeps its default install. It needs a JVM; without one the test skips saying so.
"""
from __future__ import annotations

import datetime as dt
import decimal
import json
import math
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from ingest.dbt_runner import dbt_executable
from ingest.refresh import refresh

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT / "corpus" / "sample"
SPARK_VENV = REPO_ROOT / ".venv-spark"
# One timestamp for both runs, so that ingested_at and extracted_at agree too.
RUN_AT = dt.datetime(2026, 1, 2, 3, 4, 5)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None,
                       reason="no Java on this machine: Spark's local mode needs a JVM (e.g. openjdk-17-jre-headless)"),
]


def _uv() -> str:
    uv = REPO_ROOT / ".tools" / "bin" / "uv"   # installed by ./run
    return str(uv) if uv.exists() else (shutil.which("uv") or pytest.fail("uv not found: run the tests through ./run"))


@pytest.fixture(scope="module")
def spark_python() -> Path:
    """The Python of .venv-spark, synced from uv.lock with the `spark` extra."""
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(SPARK_VENV)}
    subprocess.run([_uv(), "sync", "--frozen", "--extra", "spark", "--quiet"], cwd=REPO_ROOT, env=env, check=True)
    return SPARK_VENV / "bin" / "python"


def _run(command: list[str], env: dict[str, str], cwd: Path = REPO_ROOT) -> None:
    done = subprocess.run(command, cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True)
    assert done.returncode == 0, f"{command[:3]} failed:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"


# Both engines build the marts with this command: models and seeds, no data or unit tests (they run on
# DuckDB in every refresh; what is compared here is the rows).
DBT_BUILD_MARTS = ("build", "--project-dir", ".", "--profiles-dir", ".", "--exclude-resource-type", "test", "unit_test")


def spark_build(spark_python: Path, work: Path) -> Path:
    """Extract the bundled corpus with Spark, build the dbt project on it with dbt-spark; the folder of
    Spark's tables (schema.db/table/*.parquet)."""
    raw, warehouse = work / "raw", work / "spark-warehouse"
    _run([str(spark_python), "-m", "ingest.spark_extract", str(CORPUS), str(raw), "--master", "local[2]",
          "--ingested-at", RUN_AT.isoformat()], {})
    _run([str(spark_python.parent / "dbt"), *DBT_BUILD_MARTS, "--target", "spark",
          "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
         {"HASILA_RAW_PARQUET": str(raw), "HASILA_SPARK_WAREHOUSE": str(warehouse), "HASILA_SPARK_MASTER": "local[2]"},
         cwd=REPO_ROOT / "dbt_project")
    return warehouse


def marts(target: Path) -> list[tuple[str, str]]:
    """(schema, table) of every mart of the project: the models under models/marts in the manifest
    of a build, so a new mart is compared without being listed here."""
    nodes = json.loads((target / "manifest.json").read_text())["nodes"].values()
    return sorted((node["schema"], node["alias"]) for node in nodes
                  if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/"))


def duckdb_build(work: Path, monkeypatch) -> Path:
    """The bundled corpus loaded by `hasila ingest`, its marts built by the dbt command of the Spark side
    on DuckDB: the tables `hasila refresh` publishes (its data and unit tests change no row; they pass on
    this corpus in tests/test_refresh_incremental.py's full build, tests/conftest.py refreshed_bundled)."""
    warehouse = work / "warehouse.duckdb"
    monkeypatch.setattr("ingest.loader.utcnow", lambda: RUN_AT)
    ingested = refresh(CORPUS, warehouse, run_dbt=False, kind="ingest", echo=lambda line: None, show_progress=False)
    assert ingested.report.count("new") > 0 and not [c for c in ingested.checks if c.failed]
    _run([str(dbt_executable()), *DBT_BUILD_MARTS, "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
         {"HASILA_WAREHOUSE": str(warehouse)}, cwd=REPO_ROOT / "dbt_project")
    return warehouse


def _value(value):
    """One cell as both engines' values compare: floats to 9 digits, timestamps as naive UTC."""
    if isinstance(value, (float, decimal.Decimal)):
        value = float(value)
        return round(value, 9) if math.isfinite(value) else value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _rows(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[str], list[tuple]]:
    cursor = con.execute(f"select * from {relation}")
    columns = [d[0] for d in cursor.description]
    rows = [tuple(_value(v) for v in row) for row in cursor.fetchall()]
    return columns, sorted(rows, key=lambda row: [(v is None, str(v)) for v in row])


def differences(con: duckdb.DuckDBPyConnection, spark_tables: Path, compared: list[tuple[str, str]]) -> list[str]:
    """How each mart built on Spark (Parquet under spark_tables) differs from DuckDB's (con)."""
    found = []
    for schema, table in compared:
        spark_files = spark_tables / f"{schema}.db" / table
        if not spark_files.is_dir():
            found.append(f"{schema}.{table} was not built on Spark")
            continue
        expected = _rows(con, f"{schema}.{table}")
        got = _rows(con, f"read_parquet('{spark_files}/*.parquet')")
        if got != expected:
            missing = [row for row in expected[1] if row not in got[1]][:3]
            extra = [row for row in got[1] if row not in expected[1]][:3]
            found.append(f"{schema}.{table}: columns {got[0] == expected[0]}, rows {len(got[1])} vs "
                         f"{len(expected[1])}; only DuckDB {missing}; only Spark {extra}")
    return found


def test_marts_built_on_spark_equal_duckdbs(spark_python, tmp_path, monkeypatch):
    spark_tables = spark_build(spark_python, tmp_path / "spark")
    warehouse = duckdb_build(tmp_path / "duckdb", monkeypatch)
    compared = marts(tmp_path / "spark" / "target")
    assert {("marts", "fct_incidents"), ("exports", "exp_acled_events")} <= set(compared), compared
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = differences(con, spark_tables, compared)
        assert not found, "\n".join(found)
        for mart in ("fct_reported_tallies", "fct_incidents", "fct_incident_casualties"):
            assert con.execute(f"select count(*) from marts.{mart}").fetchone()[0] > 0, f"{mart} is empty"
