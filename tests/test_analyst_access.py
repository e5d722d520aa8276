"""A refreshed warehouse in analysts' hands: a DuckDB 1.x client opens it, the dbt descriptions are in
it as comments, and `hasila export` round-trips every mart. One real refresh (dbt included) per module.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest.export import COLUMNS_FILE, EXPORT_SCHEMAS, export_warehouse
from ingest.refresh import refresh

from tests.conftest import ARTICLES, REPO_ROOT, fake_mentions, without_layout, write_corpus

pytestmark = pytest.mark.slow

CHECK_SCRIPT = REPO_ROOT / "benchmarks" / "check_client_compat.py"
# Reuse a venv holding the 1.x client across runs (optional; a fresh one is made under tmp otherwise).
CLIENT_VENV_ENV = "HASILA_CLIENT_VENV"


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("analyst")
    corpus = write_corpus(root / "corpus", ARTICLES)
    warehouse = root / "wh" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("ingest.loader.extract_with_layout", without_layout(fake_mentions))
        result = refresh(corpus, warehouse, echo=lambda line: None, show_progress=False)
    assert result.dbt.status == "passed"
    return warehouse


def _tables(warehouse: Path) -> dict[tuple[str, str], int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                            "WHERE schema_name IN (SELECT unnest(?))", [list(EXPORT_SCHEMAS)]).fetchall()
        return {(s, t): con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0] for s, t in names}


def test_a_refreshed_warehouse_opens_in_a_duckdb_1x_client(refreshed, tmp_path):
    venv = Path(os.environ.get(CLIENT_VENV_ENV) or tmp_path / "duckdb1x")
    run = subprocess.run([sys.executable, str(CHECK_SCRIPT), str(refreshed), "--venv", str(venv)],
                         capture_output=True, text=True, timeout=900)
    if run.returncode == 77:
        pytest.skip(f"no DuckDB 1.x client could be installed: {run.stderr.strip()}")
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["client"].startswith("1.")
    assert seen["fct_incidents_rows"] == _tables(refreshed)[("marts", "fct_incidents")] > 0
    assert seen["documented_columns"] == seen["columns"] > 0  # the comments are readable by 1.x too


def test_dbt_descriptions_reach_duckdb_comments(refreshed):
    with duckdb.connect(str(refreshed), read_only=True) as con:
        undocumented = con.execute(
            "SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
            "WHERE schema_name IN ('staging', 'intermediate', 'marts', 'exports', 'reference') AND comment IS NULL"
        ).fetchall()
        tables = con.execute("SELECT count(*), count(comment) FROM duckdb_tables() "
                             "WHERE schema_name = 'marts'").fetchone()
        # What BI tools read: the SQL-standard views carry the same text.
        via_information_schema = con.execute(
            "SELECT column_comment FROM information_schema.columns WHERE table_schema = 'marts' "
            "AND table_name = 'fct_incidents' AND column_name = 'killed_best'").fetchone()[0]
    assert undocumented == []
    assert tables[0] == tables[1] > 0
    assert via_information_schema and "kill" in via_information_schema.lower()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_round_trips_the_marts(refreshed, tmp_path, fmt):
    expected = _tables(refreshed)
    exported = export_warehouse(refreshed, tmp_path / "out", fmt)
    assert {(t.schema, t.table): t.rows for t in exported} == expected
    assert {("exports", "exp_acled_events"), ("exports", "exp_ucdp_ged_events"),
            ("marts", "fct_incidents")} <= set(expected)
    reader = "read_csv" if fmt == "csv" else "read_parquet"
    with duckdb.connect() as con:
        for table in exported:
            assert con.execute(f"SELECT count(*) FROM {reader}('{table.path}')").fetchone()[0] == expected[
                (table.schema, table.table)]
    with open(tmp_path / "out" / COLUMNS_FILE, encoding="utf-8", newline="") as handle:
        columns = list(csv.DictReader(handle))
    assert columns and all(row["description"] for row in columns)
