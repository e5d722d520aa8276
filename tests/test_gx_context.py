"""The file-backed Great Expectations context: it holds exactly the YAML suites, its per-layer
checkpoints catch a bad row, and a run writes Data Docs next to the warehouse (never into the
repository) that `hasila status` links to."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.loader import RAW_SCHEMA_SQL
from ingest.refresh import refresh
from ingest.status import status_lines, status_report
from ingest.validate import (GX_DIR, LAYERS, context_drift, data_docs_dir, load_suites, validate_warehouse,
                             write_context)
from tests.test_expectations import CLEAN_ROWS


def _repo_context_files() -> dict[str, int]:
    return {str(p.relative_to(GX_DIR)): p.stat().st_mtime_ns for p in GX_DIR.rglob("*")
            if p.is_file() and "uncommitted" not in p.parts}


def _warehouse(path: Path) -> Path:
    """The clean rows of test_expectations in a warehouse file."""
    with duckdb.connect(str(path)) as con:
        con.execute(re.sub(r"\bPRIMARY KEY\b|\bNOT NULL\b", "", RAW_SCHEMA_SQL.read_text(encoding="utf-8")))
        con.execute(CLEAN_ROWS)
    return path


def test_context_holds_exactly_the_yaml_suites():
    before = _repo_context_files()
    assert context_drift() == []
    assert _repo_context_files() == before  # comparing writes nothing


def test_writing_the_context_from_the_yaml_reproduces_it(tmp_path):
    (tmp_path / "gx").mkdir()
    shutil.copy(GX_DIR / "great_expectations.yml", tmp_path / "gx")
    write_context(tmp_path)
    assert context_drift(tmp_path) == []
    suite_file = tmp_path / "gx" / "expectations" / "fct_mentions.json"
    suite = json.loads(suite_file.read_text(encoding="utf-8"))
    suite["expectations"].pop()  # a check dropped from the JSON only
    suite_file.write_text(json.dumps(suite), encoding="utf-8")
    assert context_drift(tmp_path) == ["suite fct_mentions differs from fct_mentions.yml"]


def test_every_layer_has_a_checkpoint_over_its_suites():
    checkpoints = {p.stem for p in (GX_DIR / "checkpoints").glob("*.json")}
    assert checkpoints == set(LAYERS)
    definitions = {p.stem for p in (GX_DIR / "validation_definitions").glob("*.json")}
    assert definitions == {s.name for s in load_suites()}


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """A clean warehouse run through both checkpoints, then again with one bad row per layer."""
    warehouse = _warehouse(tmp_path_factory.mktemp("gx") / "w.duckdb")
    before = _repo_context_files()
    clean = validate_warehouse(warehouse)
    clean_docs = sorted(p.name for p in (data_docs_dir(warehouse) / "validations").rglob("*.html"))
    with duckdb.connect(str(warehouse)) as con:
        con.execute("UPDATE raw.mentions SET victim = 'aliens' WHERE mention_id = 'm1'")
        con.execute("UPDATE marts.fct_incidents SET latitude = 51.5")
    bad = validate_warehouse(warehouse)
    return warehouse, before, clean, clean_docs, bad


def test_checkpoints_pass_a_clean_warehouse(validated):
    _, _, clean, _, _ = validated
    assert clean and all(r.status == "passed" for r in clean), [r for r in clean if r.status != "passed"]
    assert {r.suite for r in clean} == {s.name for s in load_suites()}


def test_checkpoints_catch_a_bad_row_in_each_layer(validated):
    _, _, _, _, bad = validated
    failed = {(r.suite, r.check) for r in bad if r.failed}
    assert failed == {("raw_mentions", "victim_allowed"), ("fct_incidents", "latitude_in_syria")}


def test_checkpoints_write_data_docs_beside_the_warehouse(validated):
    warehouse, before, _, clean_docs, _ = validated
    index = data_docs_dir(warehouse) / "index.html"
    assert index.exists() and index.parent.parent.parent == warehouse.parent  # in .build/ beside it
    text = index.read_text(encoding="utf-8")
    assert all(s.name in text for s in load_suites())
    assert clean_docs, "no validation pages written"
    later_docs = list((data_docs_dir(warehouse) / "validations").rglob("*.html"))
    assert len(later_docs) > len(clean_docs)  # the second run is added, history kept
    assert _repo_context_files() == before  # nothing written into the repository's context


def test_status_links_the_data_docs(validated):
    warehouse, *_ = validated
    uri = (data_docs_dir(warehouse) / "index.html").resolve().as_uri()
    assert status_report(warehouse)["data_docs"] == uri
    assert f"Data Docs (Great Expectations): {uri}" in status_lines(warehouse)


def test_status_without_data_docs_says_nothing_of_them(tmp_path):
    warehouse = _warehouse(tmp_path / "w.duckdb")
    assert status_report(warehouse)["data_docs"] is None
    assert not any("Data Docs" in line for line in status_lines(warehouse))


def test_a_refresh_builds_data_docs_that_status_lists(corpus_dir, tmp_path, fake_extractor):
    warehouse = tmp_path / "w.duckdb"
    refresh(corpus_dir, warehouse, run_dbt=False, kind="ingest", echo=lambda line: None, show_progress=False)
    index = data_docs_dir(warehouse.resolve()) / "index.html"
    assert index.exists() and "raw_mentions" in index.read_text(encoding="utf-8")
    assert any(line.endswith(index.resolve().as_uri()) for line in status_lines(warehouse))


def test_validate_where_data_docs_cannot_be_written_still_checks(tmp_path):
    warehouse = _warehouse(tmp_path / "w.duckdb")
    (tmp_path / ".build").write_text("a file where the build folder would go")  # unwritable, even for root
    results = validate_warehouse(warehouse)
    assert results and all(r.status == "passed" for r in results)
    assert not data_docs_dir(warehouse).exists()


def test_a_run_renders_only_its_own_data_docs_pages(validated):
    """Each run renders its own validation pages and the index; earlier runs' pages are left as they
    are (rendering every stored result again made a refresh's cost grow with the refreshes before it)."""
    warehouse, *_ = validated
    pages = data_docs_dir(warehouse) / "validations"
    earlier = sorted(pages.rglob("*.html"))
    removed = earlier[0]
    removed.unlink()
    validate_warehouse(warehouse)
    now = sorted(pages.rglob("*.html"))
    assert not removed.exists()                                    # an earlier run's page: not rendered again
    assert len(now) == len(earlier) - 1 + len(load_suites())       # this run's page for every suite
    index = (data_docs_dir(warehouse) / "index.html").read_text(encoding="utf-8")
    assert all(p.stem in index for p in now)                       # the index still lists every run
