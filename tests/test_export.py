"""`hasila export`: marts and exports to CSV / Parquet with their column documentation, read back.

A small ingested warehouse with stand-in marts (dbt is not run here; the slow round trip on a
real refresh is in tests/test_analyst_access.py).
"""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from ingest.cli import cli
from ingest.export import COLUMNS_FILE, COLUMNS_HEADER, README_FILE, export_warehouse, open_for_export
from ingest.refresh import refresh

MARTS = {  # (schema, table) -> rows written by the fixture
    ("marts", "fct_incidents"): 2,
    ("marts", "dim_actors"): 1,
    ("exports", "exp_acled_events"): 2,
}


@pytest.fixture
def warehouse(corpus_dir, tmp_path, fake_extractor) -> Path:
    path = tmp_path / "wh" / "w.duckdb"
    path.parent.mkdir()
    refresh(corpus_dir, path, run_dbt=False, kind="ingest", echo=lambda line: None, show_progress=False)
    with duckdb.connect(str(path)) as con:  # stand-in marts, documented as dbt's persist_docs does
        con.execute("""
            CREATE SCHEMA marts; CREATE SCHEMA exports;
            CREATE TABLE marts.fct_incidents (incident_id VARCHAR, event_date DATE, killed_best INTEGER, place VARCHAR);
            INSERT INTO marts.fct_incidents VALUES ('i1', DATE '2023-05-01', 3, 'إدلب'), ('i2', NULL, 5, 'قرية "الشيخ", ريف');
            COMMENT ON TABLE marts.fct_incidents IS 'One row per resolved incident | with a pipe';
            COMMENT ON COLUMN marts.fct_incidents.incident_id IS 'Incident key.';
            COMMENT ON COLUMN marts.fct_incidents.event_date IS 'Day of the incident.';
            COMMENT ON COLUMN marts.fct_incidents.killed_best IS 'Best estimate of the killed.';
            COMMENT ON COLUMN marts.fct_incidents.place IS 'Most specific place named.';
            CREATE TABLE marts.dim_actors AS SELECT 'regime' AS actor_code;
            CREATE TABLE exports.exp_acled_events AS SELECT * FROM (VALUES ('SYR1', 3), ('SYR2', 5)) t(event_id_cnty, fatalities);
            CREATE VIEW marts.not_a_table AS SELECT 1 AS x;
            CHECKPOINT""")
    return path


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_round_trips_every_table(warehouse, tmp_path, fmt):
    out = tmp_path / "out"
    exported = export_warehouse(warehouse, out, fmt)
    assert {(t.schema, t.table): t.rows for t in exported} == MARTS
    reader = "read_csv" if fmt == "csv" else "read_parquet"
    with duckdb.connect() as con, duckdb.connect(str(warehouse), read_only=True) as source:
        for (schema, table), rows in MARTS.items():
            path = out / schema / f"{table}.{fmt}"
            assert con.execute(f"SELECT count(*) FROM {reader}('{path}')").fetchone()[0] == rows
            back = con.execute(f"SELECT * FROM {reader}('{path}') ORDER BY 1").fetchall()
            assert back == source.execute(f"SELECT * FROM {schema}.{table} ORDER BY 1").fetchall()
    assert not list(out.rglob("*.partial"))
    assert not (out / "marts" / f"not_a_table.{fmt}").exists()  # views are not marts


def test_columns_file_documents_every_exported_column(warehouse, tmp_path):
    out = tmp_path / "out"
    export_warehouse(warehouse, out, "csv")
    with open(out / COLUMNS_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == COLUMNS_HEADER
    incidents = [r for r in rows if r["table"] == "fct_incidents"]
    assert [r["column"] for r in incidents] == ["incident_id", "event_date", "killed_best", "place"]
    assert incidents[2]["description"] == "Best estimate of the killed."
    assert incidents[1]["data_type"] == "DATE" and incidents[1]["file"] == "marts/fct_incidents.csv"
    assert {r["table"] for r in rows} == {table for _schema, table in MARTS}
    readme = (out / README_FILE).read_text(encoding="utf-8")
    assert "`marts/fct_incidents.csv` | 2 | One row per resolved incident \\| with a pipe |" in readme
    assert "3 column(s) have no description" in readme  # dim_actors and the export stand-in


def test_the_export_connection_writes_only_inside_the_output_folder(warehouse, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open_for_export(warehouse, out) as con:
        con.execute(f"COPY (SELECT 1) TO '{out}/ok.csv'")
        for statement in (f"COPY (SELECT 1) TO '{tmp_path}/outside.csv'",
                          f"COPY (SELECT 1) TO '{out}/../outside.csv'",
                          "SELECT * FROM read_text('/etc/hostname')",
                          "SET enable_external_access = true",
                          "CREATE TABLE marts.t AS SELECT 1"):
            with pytest.raises(duckdb.Error):
                con.execute(statement)
    assert (out / "ok.csv").exists() and not (tmp_path / "outside.csv").exists()


def test_cli_export(warehouse, tmp_path):
    out = tmp_path / "cli_out"
    result = CliRunner().invoke(cli, ["export", "--warehouse", str(warehouse), "--out", str(out),
                                      "--format", "parquet"])
    assert result.exit_code == 0, result.output
    assert "fct_incidents.parquet  2 rows" in result.output
    assert (out / "exports" / "exp_acled_events.parquet").exists()


def test_cli_export_without_a_warehouse_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "no published warehouse" in result.output and "Traceback" not in result.output


def test_cli_reads_the_warehouse_from_hasila_warehouse(warehouse, tmp_path):
    out = tmp_path / "env_out"
    result = CliRunner().invoke(cli, ["export", "--out", str(out)], env={"HASILA_WAREHOUSE": str(warehouse)})
    assert result.exit_code == 0, result.output
    assert (out / "marts" / "fct_incidents.csv").exists()
