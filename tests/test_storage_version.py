"""Every build file, hence every published warehouse, is written in a format DuckDB 1.x clients read.

DuckDB 2.0 (the project's) writes storage format 69 by default; the DuckDB 1.x CLI, DBeaver's
driver, Node and duckdb-wasm read 64-68 only. The end-to-end check with a real 1.x client is the
slow test in tests/test_analyst_access.py.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.publish import (STORAGE_VERSION, create_database, new_build_file, readable_by_1x, storage_version,
                            wal_path)
from ingest.refresh import refresh


def ingest(corpus: Path, warehouse: Path):
    return refresh(corpus, warehouse, run_dbt=False, kind="ingest", echo=lambda line: None, show_progress=False)


def _newest_format_file(path: Path) -> None:
    """A file written in DuckDB 2.0's default format, as Hasila published before this rule."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.fct_incidents (incident_id INTEGER, killed_best INTEGER);"
                    "INSERT INTO marts.fct_incidents VALUES (1, 3), (2, 5);"
                    "COMMENT ON TABLE marts.fct_incidents IS 'one row per incident';"
                    "COMMENT ON COLUMN marts.fct_incidents.killed_best IS 'best estimate of the killed';"
                    "CREATE VIEW marts.big AS SELECT * FROM marts.fct_incidents WHERE killed_best > 4")


def test_storage_version_is_the_1_4_format():
    assert STORAGE_VERSION == "v1.4.0"  # README names DuckDB 1.4.0 as the oldest client


def test_a_fresh_build_file_is_written_for_1x_clients(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    build, _ = new_build_file(warehouse)
    assert storage_version(build) == "v1.4.0+"
    rebuilt, _ = new_build_file(warehouse, fresh=True)
    assert readable_by_1x(rebuilt)


def test_the_format_survives_writes_by_duckdb_2(tmp_path):
    path = tmp_path / "w.duckdb"
    create_database(path)
    with duckdb.connect(str(path)) as con:  # no compatibility setting: the file's own format must hold
        con.execute("CREATE TABLE t AS SELECT range AS n FROM range(100000); CHECKPOINT")
    assert storage_version(path) == "v1.4.0+"


def test_a_published_file_in_the_newest_format_is_carried_over(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    _newest_format_file(warehouse)
    assert not readable_by_1x(warehouse)
    build, _ = new_build_file(warehouse)
    assert readable_by_1x(build)
    assert not wal_path(build).exists()
    with duckdb.connect(str(build), read_only=True) as con:
        assert con.execute("SELECT sum(killed_best) FROM marts.fct_incidents").fetchone()[0] == 8
        assert con.execute("SELECT count(*) FROM marts.big").fetchone()[0] == 1
        assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'fct_incidents'"
                           ).fetchone()[0] == "one row per incident"
        assert con.execute("SELECT comment FROM duckdb_columns() "
                           "WHERE table_name = 'fct_incidents' AND column_name = 'killed_best'"
                           ).fetchone()[0] == "best estimate of the killed"


def test_an_ingest_publishes_the_1x_format_and_keeps_it(corpus_dir, tmp_path, fake_extractor):
    warehouse = tmp_path / "w.duckdb"
    ingest(corpus_dir, warehouse)
    assert storage_version(warehouse) == "v1.4.0+"
    ingest(corpus_dir, warehouse)  # the second refresh copies the published file byte for byte
    assert storage_version(warehouse) == "v1.4.0+"


def test_an_ingest_converts_a_newest_format_warehouse(corpus_dir, tmp_path, fake_extractor):
    warehouse = tmp_path / "w.duckdb"
    _newest_format_file(warehouse)
    ingest(corpus_dir, warehouse)
    assert readable_by_1x(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:  # what was published is still there
        assert con.execute("SELECT count(*) FROM marts.fct_incidents").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM raw.documents").fetchone()[0] == 3
