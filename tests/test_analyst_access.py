"""A refreshed warehouse in analysts' hands: a DuckDB 1.x client opens it, the dbt descriptions are in
it as comments, and `hasila export` round-trips every mart. One real refresh (dbt included), shared with other
modules (tests/conftest.py refreshed_articles).
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest.export import COLUMNS_FILE, EXPORT_SCHEMAS, export_warehouse
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

CHECK_SCRIPT = REPO_ROOT / "benchmarks" / "check_client_compat.py"
# A folder keeping one venv per client across runs (optional; fresh ones are made under tmp otherwise).
CLIENT_VENVS_ENV = "HASILA_CLIENT_VENVS"
# Apache Superset itself takes minutes and about 1 GB to install: only when asked.
TRY_SUPERSET_ENV = "HASILA_TRY_SUPERSET"


@pytest.fixture(scope="module")
def refreshed(refreshed_articles, tmp_path_factory) -> Path:
    """A copy of the session's refreshed warehouse (tests/conftest.py) named as the README names it:
    duckdb-engine calls its schemas warehouse.marts and so on."""
    return Path(shutil.copy2(refreshed_articles.warehouse, tmp_path_factory.mktemp("analyst") / "warehouse.duckdb"))


def _tables(warehouse: Path) -> dict[tuple[str, str], int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                            "WHERE schema_name IN (SELECT unnest(?))", [list(EXPORT_SCHEMAS)]).fetchall()
        return {(s, t): con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0] for s, t in names}


def _client(warehouse: Path, client: str, tmp_path: Path) -> dict:
    """What benchmarks/check_client_compat.py saw with `client` installed into its own venv."""
    venv = Path(os.environ.get(CLIENT_VENVS_ENV) or tmp_path) / client
    run = subprocess.run([sys.executable, str(CHECK_SCRIPT), str(warehouse), "--client", client, "--venv", str(venv)],
                         capture_output=True, text=True, timeout=1800)
    if run.returncode == 77:
        pytest.skip(f"{client} could not be installed: {run.stderr.strip()}")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_refreshed_warehouse_opens_in_a_duckdb_1x_client(refreshed, tmp_path):
    seen = _client(refreshed, "duckdb", tmp_path)
    assert seen["client"].startswith("1.")
    assert seen["fct_incidents_rows"] == _tables(refreshed)[("marts", "fct_incidents")] > 0
    assert seen["documented_columns"] == seen["columns"] > 0  # the comments are readable by 1.x too
    assert seen["guarded"]


def test_harlequin_lists_and_queries_it_read_only(refreshed, tmp_path):
    seen = _client(refreshed, "harlequin", tmp_path)
    rows = _tables(refreshed)[("marts", "fct_incidents")]
    assert {"marts", "exports", "reference", "raw"} <= set(seen["schemas"])
    assert seen["marts_tables"] == sum(schema == "marts" for schema, _ in _tables(refreshed))
    assert seen["fct_incidents_rows"] == seen["hsql_rows"] == rows > 0
    assert seen["fct_incidents_columns"] > 0 and seen["guarded"]


def _check_sqlalchemy_reflection(seen: dict, warehouse: Path) -> None:
    assert "warehouse.marts" in seen["schemas"]  # duckdb-engine names schemas database.schema
    assert seen["marts_tables"] == sum(schema == "marts" for schema, _ in _tables(warehouse))
    assert seen["documented_columns"] == seen["fct_incidents_columns"] > 0
    assert seen["fct_incidents_rows"] == _tables(warehouse)[("marts", "fct_incidents")] > 0
    assert seen["guarded"]


def test_supersets_sqlalchemy_path_reflects_it(refreshed, tmp_path):
    seen = _client(refreshed, "superset-sqlalchemy", tmp_path)
    assert seen["client"].startswith("sqlalchemy 1.4") and seen["duckdb"].startswith("1.")
    _check_sqlalchemy_reflection(seen, refreshed)
    assert seen["table_comment"]


def test_sqlalchemy_2_0_reflects_it(refreshed, tmp_path):
    seen = _client(refreshed, "sqlalchemy", tmp_path)
    assert seen["client"].startswith("sqlalchemy 2.0")
    _check_sqlalchemy_reflection(seen, refreshed)


@pytest.mark.skipif(not os.environ.get(TRY_SUPERSET_ENV), reason=f"set {TRY_SUPERSET_ENV}=1 to install Apache Superset")
def test_superset_adds_it_as_a_database(refreshed, tmp_path):
    seen = _client(refreshed, "superset", tmp_path)
    assert seen["client"].startswith("superset ")
    _check_sqlalchemy_reflection(seen, refreshed)


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
