"""Progress for the dbt step: dbt's per-node lines parsed, shown as a bar or as a few log lines, and
streamed from the child as it writes them (the child handling of ingest/dbt_runner.py unchanged)."""
from __future__ import annotations

import json
import re
import sys
import time

import pytest

from ingest.dbt_progress import DbtProgress, parse_node_line
from ingest.dbt_runner import _only_tests_failed, run_child
from tests.tiny_dbt import write_dbt_project


def node_lines(total: int, failing: int | None = None) -> list[str]:
    """dbt-style output: a START and a finished line per node, plus chatter."""
    lines = ["07:30:00  Running with dbt=1.11.2", f"07:30:00  Found {total} nodes",
             "07:30:00  1 of 1 START hook: hasila.on-run-start.0 ..................... [RUN]",
             "07:30:00  1 of 1 OK hook: hasila.on-run-start.0 ........................ [OK in 0.02s]"]
    for i in range(1, total + 1):
        lines.append(f"07:30:01  {i} of {total} START sql table model marts.m{i} ......... [RUN]")
        if i == failing:
            lines.append(f"07:30:02  {i} of {total} FAIL 3 not_null_m{i}_id ......................... [FAIL 3 in 0.02s]")
        else:
            lines.append(f"07:30:02  {i} of {total} OK created sql table model marts.m{i} ..... [OK in 0.10s]")
    lines.append(f"07:30:03  Done. PASS={total} WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL={total}")
    return lines


def test_finished_node_lines_are_parsed_and_others_ignored():
    node = parse_node_line("07:30:02  12 of 306 OK created sql table model marts.fct_incidents ..... [OK in 0.10s]")
    assert (node.index, node.total, node.status, node.what) == (12, 306, "OK", "created sql table model marts.fct_incidents")
    failed = parse_node_line("04:34:49  7 of 306 FAIL 1 source_accepted_values_x ..... [FAIL 1 in 0.03s]")
    assert (failed.status, failed.what) == ("FAIL", "1 source_accepted_values_x")
    assert parse_node_line("07:30:01  1 of 306 START seed file reference.actor_groups ..... [RUN]") is None
    assert parse_node_line("07:30:03  Done. PASS=124 WARN=0 ERROR=1 SKIP=181 NO-OP=0 TOTAL=306") is None
    assert parse_node_line("  Got 1 result, configured to fail if != 0") is None


def test_a_log_gets_quarter_milestones_and_every_failing_node():
    said: list[str] = []
    progress = DbtProgress(said.append, show_bar=False)
    for line in node_lines(100, failing=30):
        progress(line)
    progress.close()
    assert said == ["dbt build: 25 of 100 nodes done", "dbt: 30 of 100 FAIL 3 not_null_m30_id",
                    "dbt build: 50 of 100 nodes done", "dbt build: 75 of 100 nodes done",
                    "dbt build: 100 of 100 nodes done"]
    assert progress.done == 100


def test_a_terminal_gets_a_bar(capsys):
    said: list[str] = []
    progress = DbtProgress(said.append, show_bar=True)
    for line in node_lines(8):
        progress(line)
    assert progress.bar is not None and progress.bar.n == 8 and progress.bar.total == 8
    progress.close()
    assert said == [] and "dbt build" in capsys.readouterr().err


def test_lines_reach_the_callback_while_the_child_still_runs():
    arrivals: list[tuple[str, float]] = []
    script = "import time\nprint('1 of 2 OK a', flush=True)\ntime.sleep(1.5)\nprint('2 of 2 OK b')"
    started = time.monotonic()
    code, output = run_child([sys.executable, "-c", script], on_line=lambda line: arrivals.append((line, time.monotonic())))
    finished = time.monotonic()
    assert code == 0 and output == "1 of 2 OK a\n2 of 2 OK b\n"
    assert [line for line, _ in arrivals] == ["1 of 2 OK a", "2 of 2 OK b"]
    assert arrivals[0][1] - started < finished - started - 1.0, "the first line came only when the child ended"


@pytest.mark.parametrize("statuses, expected", [
    (["success", "pass", "fail", "skipped"], True),   # a test failed, its dependants skipped
    (["success", "fail", "error"], False),            # a model broke too
    (["success", "pass"], False),
])
def test_a_failed_build_is_told_from_failed_tests_by_run_results(tmp_path, statuses, expected):
    (tmp_path / "run_results.json").write_text(json.dumps({"results": [{"status": s} for s in statuses]}))
    assert _only_tests_failed(tmp_path) is expected
    assert _only_tests_failed(tmp_path / "missing") is False


def test_failed_dbt_tests_are_failed_checks_a_broken_model_is_not(tmp_path):
    from ingest.dbt_runner import DbtOutcome
    from ingest.refresh import ChecksFailed, RefreshFailed, _dbt_failure
    tests_only = DbtOutcome("failed", "Failure in test not_null_x", tmp_path / "dbt_build.log", only_tests_failed=True)
    assert isinstance(_dbt_failure(tests_only, tmp_path / "w.duckdb"), ChecksFailed)
    broken = DbtOutcome("failed", "Compilation Error in model x", tmp_path / "dbt_build.log")
    failure = _dbt_failure(broken, tmp_path / "w.duckdb")
    assert isinstance(failure, RefreshFailed) and not isinstance(failure, ChecksFailed)


@pytest.mark.slow
def test_real_dbt_output_drives_the_progress_and_a_failed_test_is_told_apart(tmp_path):
    """A two-model project with one failing test, built by the real dbt: its lines are parsed as
    nodes, and the outcome says only a test failed."""
    from ingest.dbt_runner import dbt_build
    project = write_dbt_project(tmp_path / "tiny", "tiny", {
        "a.sql": "select 1 as id",
        "b.sql": "select cast(null as integer) as id",
        "schema.yml": "version: 2\nmodels:\n  - name: b\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
    })
    said: list[str] = []
    progress = DbtProgress(said.append, show_bar=False)
    outcome = dbt_build(tmp_path / "w.duckdb", tmp_path / "work", project_dir=project, on_line=progress)
    assert outcome.status == "failed" and outcome.only_tests_failed
    assert progress.done == 3  # two models and the test
    assert [line for line in said if re.fullmatch(r"dbt: \d of 3 FAIL 1 not_null_b_id", line)]
    assert said[-1] == "dbt build: 3 of 3 nodes done"
    (project / "models" / "a.sql").write_text("select * from no_such_table")
    broken = dbt_build(tmp_path / "w.duckdb", tmp_path / "work", project_dir=project)
    assert broken.status == "failed" and not broken.only_tests_failed
