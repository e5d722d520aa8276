"""Incremental refreshes: a warehouse built from corpus A, then refreshed with A and B, has the marts of
one built from A and B at once; a refresh killed while it builds incrementally publishes nothing."""
from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from ingest import BUNDLED_CORPUS, DBT_PROJECT_DIR
from ingest.dbt_runner import INCREMENTAL_SELECTOR, dbt_executable, project_fingerprint, run_child, stable_path
from ingest.publish import build_dir, wal_path
from ingest.refresh import PAUSE_ENV, refresh
from ingest.validate import validate_warehouse
from tests.conftest import REPO_ROOT, processes_mentioning, wait_until

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

MART_SCHEMAS = ("marts", "exports", "intermediate")


def _quiet_refresh(corpus: Path, warehouse: Path):
    return refresh(corpus, warehouse, echo=lambda line: None, show_progress=False)


def _corpus_part(folder: Path, files: list[str], redated: dict[str, str] | None = None,
                 cut: tuple[str, ...] = ()) -> Path:
    """The bundled corpus's `files` (and their manifest rows) as a corpus folder of their own, with
    the publication dates of `redated` (file -> date) changed and the files of `cut` shortened to their
    first half (another version of the document: the whole one, loaded later, supersedes it)."""
    with open(BUNDLED_CORPUS / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["file"] in files]
    for row in rows:
        row["published_at"] = (redated or {}).get(row["file"], row["published_at"])
    folder.mkdir(parents=True)
    for name in files:
        shutil.copy2(BUNDLED_CORPUS / name, folder / name)
        if name in cut:
            text = (folder / name).read_text(encoding="utf-8")
            (folder / name).write_text(text[:len(text) // 2], encoding="utf-8")
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


@pytest.fixture(scope="module")
def halves(tmp_path_factory) -> tuple[Path, Path]:
    """The bundled corpus's first half (A, by file name) and the whole of it (A and B), where a
    document of A had another publication date (a manifest correction: its mentions' rows change).
    The whole is the bundled corpus as it is, whose full build tests/conftest.py shares."""
    files = sorted(path.name for path in BUNDLED_CORPUS.glob("*.txt"))
    root = tmp_path_factory.mktemp("halves")
    return (_corpus_part(root / "a", files[:len(files) // 2], redated={files[0]: "2025-12-31"}),
            _corpus_part(root / "ab", files))


@pytest.fixture(scope="module")
def published_a(halves, tmp_path_factory) -> Path:
    """A warehouse published from corpus A (built once for the module; tests work on copies)."""
    os.environ["HASILA_WORKERS"] = "1"  # the module-scoped fixture runs before the autouse one
    warehouse = tmp_path_factory.mktemp("published_a") / "w.duckdb"
    assert _quiet_refresh(halves[0], warehouse).dbt.detail == ""  # a first build is a full one
    return warehouse


def _copy_of(warehouse: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(warehouse, folder / warehouse.name))


def _tables(warehouse: Path) -> dict[str, list[tuple]]:
    """Every table of the mart and intermediate schemas, sorted rows; columns saying when a row was
    made (timestamps) are left out, as two builds run at different times."""
    tables = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN "
                            f"({', '.join(repr(s) for s in MART_SCHEMAS)}) ORDER BY ALL").fetchall()
        for schema, table in names:
            columns = [name for name, kind in con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
                [schema, table]).fetchall() if not kind.startswith("TIMESTAMP")]
            select = ", ".join(f'"{c}"' for c in columns)
            tables[f"{schema}.{table}"] = con.execute(f'SELECT {select} FROM "{schema}"."{table}" ORDER BY ALL').fetchall()
    return tables


@pytest.mark.slow
def test_incremental_refresh_gives_the_marts_of_a_full_build(halves, published_a, refreshed_bundled, tmp_path):
    a, ab = halves
    incremental = _copy_of(published_a, tmp_path / "incremental")
    lines: list[str] = []
    result = refresh(ab, incremental, echo=lines.append, show_progress=False)
    assert "incremental" in result.dbt.detail
    assert any(line.startswith("running expectations") and "changed" in line for line in lines), \
        "the expectations read every row"
    # what the incremental refresh checked on the rows it changed holds for every row
    assert not [c for c in validate_warehouse(incremental) if c.failed]
    assert refreshed_bundled.result.dbt.detail == ""  # the whole corpus built at once: a full build
    built_whole, built_incrementally = _tables(refreshed_bundled.warehouse), _tables(incremental)
    assert "marts.fct_incidents" in built_whole and sum(map(len, built_whole.values())) > 0
    assert built_whole.keys() == built_incrementally.keys()
    for table, rows in built_whole.items():
        assert built_incrementally[table] == rows, f"{table} differs from a full build"


def _rebuild_models_whole(warehouse: Path) -> None:
    """Every model of `warehouse` rebuilt whole (`dbt run --full-refresh`) from the raw rows it holds: the
    tables a full build gives, without its data and unit tests (they change no row). It runs in the work
    folder of the refresh that published `warehouse`, through the same link (dbt_runner.stable_path), so
    dbt reuses that refresh's parse of the project."""
    work = build_dir(warehouse) / "dbt"
    link = stable_path(warehouse, work)
    try:
        returncode, output = run_child(
            [str(dbt_executable()), "run", "--full-refresh", "--no-use-colors", "--project-dir", str(DBT_PROJECT_DIR),
             "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
            env={**os.environ, "HASILA_WAREHOUSE": str(link.absolute())}, cwd=DBT_PROJECT_DIR)
    finally:
        link.unlink(missing_ok=True)
    assert returncode == 0, output[-4000:]


@pytest.mark.slow
def test_incremental_refresh_equals_a_full_dbt_build_of_the_same_raw_rows(halves, published_a, tmp_path):
    """A's warehouse refreshed with the whole corpus in which two of A's documents come in another (shorter)
    version, loaded later, which supersedes the stored one (its old mentions leave the usable set, its new
    ones come in), a document of A has its publication date corrected, and new documents fall on the days of
    old ones: the incremental build (int_mentions_enriched, int_mention_pairs_scored) gives the tables a full
    build of the very same raw rows gives."""
    files = sorted(path.name for path in BUNDLED_CORPUS.glob("*.txt"))
    warehouse = _copy_of(published_a, tmp_path / "w")
    result = _quiet_refresh(_corpus_part(tmp_path / "ab_cut", files, cut=(files[1], files[2])), warehouse)
    assert "incremental" in result.dbt.detail and not [c for c in result.checks if c.failed]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        superseded = con.execute("SELECT count(*) FROM intermediate.int_mentions_enriched "
                                 "WHERE rejection_reason = 'superseded_version'").fetchone()[0]
    assert superseded > 0, "no document was superseded: the test does not test that path"
    built_incrementally = _tables(warehouse)
    _rebuild_models_whole(warehouse)
    built_whole = _tables(warehouse)
    assert built_whole.keys() == built_incrementally.keys()
    for table, rows in built_whole.items():
        assert built_incrementally[table] == rows, f"{table} differs from a full build of the same raw rows"


def _published_state(warehouse: Path) -> tuple[bytes, bool]:
    """What readers of the published warehouse see: its bytes, and whether a WAL beside it adds to them."""
    return warehouse.read_bytes(), wal_path(warehouse).exists()


def _dbt_of(warehouse: Path) -> list[int]:
    return processes_mentioning(str(build_dir(warehouse) / "dbt" / "target"))  # only this refresh's dbt has it


def _when_dbt_builds_incrementally(warehouse: Path, proc: subprocess.Popen) -> None:
    assert wait_until(lambda: _dbt_of(warehouse), 300), "dbt never started"
    assert [pid for pid in _dbt_of(warehouse) if pid in processes_mentioning(INCREMENTAL_SELECTOR)], \
        "the refresh did not build incrementally"


def _after_line(prefix: str, wait: float = 0.0):
    """The moment the refresh prints a line starting with `prefix` (its stderr), plus `wait` seconds."""
    def reached(warehouse: Path, proc: subprocess.Popen) -> None:
        for line in proc.stderr:
            if line.startswith(prefix):
                time.sleep(wait)
                return
        pytest.fail(f"the refresh ended (exit {proc.wait()}) before printing {prefix!r}")
    return reached


# The CLI with the loader held after its first batch is written inside the load's transaction (the moment
# is told by a line on stderr, not guessed by a sleep: a small corpus loads in under a second).
HELD_LOAD_CLI = """
import sys, time
from ingest import loader
from ingest.cli import main
flush = loader._Batch.flush
def flush_and_hold(self, con):
    flush(self, con)
    print("test: load held inside its transaction", file=sys.stderr, flush=True)
    time.sleep(600)
loader._Batch.flush = flush_and_hold
sys.argv[0] = "hasila"
main()
"""


# Every step of an incremental refresh after the build file is made, each with a line the refresh
# prints only once it is past that step: the loader's transaction on the build file (held open after
# its first batch is written: HELD_LOAD_CLI), the raw tables committed with dbt starting, dbt
# building incrementally, the expectations reading the changed rows of the build file, and the
# finished, checked build about to be renamed over the warehouse.
KILL_POINTS = {
    "raw_append": (_after_line("test: load held inside its transaction"), "mentions added"),
    "raw_appended_dbt_starting": (_after_line("running dbt build"), "dbt build:"),
    "dbt_incremental": (_when_dbt_builds_incrementally, "dbt build:"),
    "expectations": (_after_line("running expectations"), "Data Docs:"),
    "before_rename": (_after_line("paused before publish"), "suite(s) skipped"),  # the CLI's summary, once published
}


@pytest.mark.slow
@pytest.mark.parametrize("point", KILL_POINTS)
def test_refresh_killed_at_any_step_publishes_nothing(halves, published_a, tmp_path, point):
    warehouse = _copy_of(published_a, tmp_path / "killed")
    published = _published_state(warehouse)
    cli = ["-c", HELD_LOAD_CLI] if point == "raw_append" else ["-m", "ingest.cli"]
    proc = subprocess.Popen([sys.executable, *cli, "refresh", str(halves[1]), "--warehouse", str(warehouse)],
                            cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, PAUSE_ENV: "600" if point == "before_rename" else "0"})
    try:
        reached, not_yet = KILL_POINTS[point]
        reached(warehouse, proc)
        assert proc.poll() is None, "the refresh ended before it was killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert not_yet not in proc.stderr.read(), f"the refresh was past {point} when it was killed"
        assert wait_until(lambda: not _dbt_of(warehouse), 15), "dbt outlived the refresh"
        assert _published_state(warehouse) == published
        assert list(build_dir(warehouse).glob("w.*.duckdb")), "the refresh was killed with its build file in place"
    finally:
        for pid in _dbt_of(warehouse):
            os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()


def test_project_fingerprint_follows_the_sql_and_seeds_not_the_build_output(tmp_path):
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"))
    shutil.copytree(DBT_PROJECT_DIR.parent / "seeds", tmp_path / "seeds")
    before = project_fingerprint(project)
    (project / "target").mkdir(exist_ok=True)
    (project / "target" / "manifest.json").write_text("{}")
    assert project_fingerprint(project) == before
    model = project / "models" / "marts" / "core" / "fct_incidents.sql"
    model.write_text(model.read_text() + "\n-- changed\n")
    changed_model = project_fingerprint(project)
    assert changed_model != before
    seed = next((tmp_path / "seeds").glob("*.csv"))
    seed.write_text(seed.read_text() + "\n")
    assert project_fingerprint(project) != changed_model


@pytest.mark.slow
def test_a_refresh_that_changes_nothing_keeps_the_marts_of_a_full_build(refreshed_bundled, tmp_path):
    """The bundled corpus again: nothing to load, no raw row to check (those suites are skipped, not
    failed), the marts still those of the full build."""
    again = _copy_of(refreshed_bundled.warehouse, tmp_path / "again")
    result = _quiet_refresh(refreshed_bundled.corpus, again)
    assert "incremental" in result.dbt.detail and result.report.count("new") == 0
    skipped = {c.suite for c in result.checks if c.status == "skipped"}
    assert {"raw_documents", "raw_mentions", "fct_mentions"} <= skipped
    assert not [c for c in result.checks if c.failed]
    assert _tables(again) == _tables(refreshed_bundled.warehouse)
