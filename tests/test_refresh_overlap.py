"""The expectations' fixed cost (importing Great Expectations) is paid while dbt builds, in a
background thread of the refresh (ingest/validate.py import_while_waiting)."""
from __future__ import annotations

import sys

import duckdb

import ingest.refresh as refresh_mod
from ingest.dbt_runner import DbtOutcome
from ingest.validate import import_while_waiting


def test_great_expectations_is_being_imported_when_dbt_starts(tmp_path, monkeypatch):
    order: list[str] = []
    monkeypatch.setattr(refresh_mod, "import_while_waiting", lambda: order.append("import"))
    monkeypatch.setattr(refresh_mod, "dbt_build", lambda *args, **kwargs: order.append("dbt") or DbtOutcome("passed"))
    build = tmp_path / "build.duckdb"
    duckdb.connect(str(build)).close()
    refresh_mod._build_marts(build, tmp_path / "warehouse.duckdb", True, "refresh", lambda line: None, False)
    assert order == ["import", "dbt"]


def test_the_background_import_leaves_great_expectations_imported():
    thread = import_while_waiting()
    assert thread.daemon
    thread.join()
    assert "great_expectations" in sys.modules and "great_expectations.core.run_identifier" in sys.modules
