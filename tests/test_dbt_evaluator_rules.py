"""dbt-project-evaluator's rules, read from the manifest of `dbt parse`, against the exceptions the
project declares (dbt_project/evaluator/dbt_project_evaluator_exceptions.csv).

The package itself is not a dependency (CI has no network for `dbt deps`), so these are the rules
it would apply, written the way it computes them (github.com/dbt-labs/dbt-project-evaluator,
models/marts/*): model type from the name's prefix, else from the closest folder; tests are no
children in the DAG; exposures are children but not for rejoining. Each case a rule flags must be
declared in the exceptions file with its reason, and each declared exception must still match a
case, so the file neither hides a new problem nor outlives an old one.
"""
from __future__ import annotations

import csv
import fnmatch
import json
import os
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from ingest.dbt_runner import dbt_executable
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

EXCEPTIONS = REPO_ROOT / "dbt_project" / "evaluator" / "dbt_project_evaluator_exceptions.csv"
# the package's defaults (its dbt_project.yml vars)
PREFIX_TYPES = {"base_": "base", "stg_": "staging", "int_": "intermediate", "fct_": "marts", "dim_": "marts", "rpt_": "other"}
FOLDER_TYPES = {"base": "base", "staging": "staging", "intermediate": "intermediate", "marts": "marts"}
FANOUT_THRESHOLD = 3
TOO_MANY_JOINS_THRESHOLD = 7


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("parse")
    env = {**os.environ, "HASILA_WAREHOUSE": str(work / "unused.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    run = subprocess.run([str(dbt_executable()), "parse", "--target-path", str(work / "target"),
                          "--log-path", str(work / "logs")],
                         cwd=REPO_ROOT / "dbt_project", env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:]
    return json.loads((work / "target" / "manifest.json").read_text(encoding="utf-8"))


def model_type(node: dict) -> tuple[str, str | None]:
    """(type by prefix else folder else 'other', type of the closest typed folder)."""
    folder_type = None
    for folder in node["original_file_path"].split("/")[:-1]:
        folder_type = FOLDER_TYPES.get(folder, folder_type)
    prefix = node["name"].split("_")[0] + "_"
    return PREFIX_TYPES.get(prefix) or folder_type or "other", folder_type


def flagged(manifest: dict) -> dict[str, set[tuple[str, str]]]:
    """fct_name -> {(column_name, id)} the package would report, before exceptions."""
    nodes = {uid: node for uid, node in manifest["nodes"].items() if node["package_name"] == "hasila"}
    models = {uid: node for uid, node in nodes.items() if node["resource_type"] == "model"}
    exposures = manifest["exposures"]
    name = lambda uid: uid.split(".")[-1]  # noqa: E731
    parents: dict[str, set[str]] = defaultdict(set)
    for uid, node in [*models.items(), *exposures.items()]:
        parents[uid] |= set(node["depends_on"]["nodes"])
    children: dict[str, set[str]] = defaultdict(set)
    for child, ps in parents.items():
        for parent in ps:
            children[parent].add(child)
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)

    for uid, node in models.items():
        kind, folder_kind = model_type(node)
        if PREFIX_TYPES.get(node["name"].split("_")[0] + "_") != kind:
            out["fct_model_naming_conventions"].add(("resource_name", node["name"]))
        if folder_kind is not None and kind != folder_kind:
            out["fct_model_directories"].add(("resource_name", node["name"]))
        sources = {p for p in parents[uid] if p.startswith("source.")}
        if not parents[uid]:
            out["fct_root_models"].add(("child", node["name"]))
        if len(parents[uid]) >= TOO_MANY_JOINS_THRESHOLD:
            out["fct_too_many_joins"].add(("child", node["name"]))
        if len(sources) > 1:
            out["fct_multiple_sources_joined"].add(("child", node["name"]))
        if sources and len(parents[uid]) > len(sources):
            out["fct_direct_join_to_source"].add(("child", node["name"]))
        if sources and kind in ("intermediate", "marts"):
            out["fct_marts_or_intermediate_dependent_on_source"].add(("child", node["name"]))
        public = node["config"].get("access") == "public"
        if public and not node["config"]["contract"]["enforced"]:
            out["fct_public_models_without_contract"].add(("resource_name", node["name"]))
        if public and not all(column.get("description") for column in node["columns"].values()):
            out["fct_undocumented_public_models"].add(("resource_name", node["name"]))
        if not node.get("description"):
            out["fct_undocumented_models"].add(("resource_name", node["name"]))

    for uid, source in manifest["sources"].items():
        if source["package_name"] != "hasila":
            continue
        table = f"{source['source_name']}.{source['name']}"
        freshness = source.get("freshness") or source["config"].get("freshness") or {}
        if not any((freshness.get(level) or {}).get("count") for level in ("warn_after", "error_after")):
            out["fct_sources_without_freshness"].add(("resource_name", table))
        if not source.get("description"):
            out["fct_undocumented_source_tables"].add(("resource_name", table))
        if not source.get("source_description"):
            out["fct_undocumented_sources"].add(("resource_name", source["source_name"]))
        if len({c for c in children[uid] if c in models}) > 1:
            out["fct_source_fanout"].add(("parent", table))
        if not {c for c in children[uid] if c in models}:
            out["fct_unused_sources"].add(("source", table))

    for uid, node in models.items():
        if model_type(node)[0] == "staging":
            upstream = {model_type(models[p])[0] for p in parents[uid] if p in models}
            if "staging" in upstream:
                out["fct_staging_dependent_on_staging"].add(("child", node["name"]))
            if upstream & {"intermediate", "marts"}:
                out["fct_staging_dependent_on_marts_or_intermediate"].add(("child", node["name"]))

    for exposure in exposures.values():
        for parent in exposure["depends_on"]["nodes"]:
            if parent.startswith("source.") or nodes[parent]["config"]["materialized"] in ("view", "ephemeral"):
                out["fct_exposure_parents_materializations"].add(("parent_resource_name", name(parent)))

    leaves = {uid for uid in models if not children[uid]}
    for uid in [*models, *(u for u, n in nodes.items() if n["resource_type"] == "seed")]:
        if len(children[uid] & leaves) >= FANOUT_THRESHOLD:
            out["fct_model_fanout"].add(("parent", name(uid)))

    dag = {uid: {c for c in cs if not c.startswith("exposure.")} for uid, cs in children.items()}
    for parent, direct in dag.items():
        for between in direct:
            if len(dag.get(between, ())) == 1 and dag[between] & direct:
                out["fct_rejoining_of_upstream_concepts"].add(("parent_and_child", name(between)))

    for exposure in exposures.values():
        for parent in exposure["depends_on"]["nodes"]:
            if nodes[parent]["config"].get("access") != "public":
                out["fct_exposures_dependent_on_private_models"].add(("parent_resource_name", name(parent)))

    tests_on: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for node in nodes.values():
        if node["resource_type"] == "test" and node.get("test_metadata") and node.get("attached_node") in models:
            tests_on[node["attached_node"]][node["test_metadata"]["name"]].add(node.get("column_name"))
            if os.path.dirname(node["original_file_path"]) != os.path.dirname(models[node["attached_node"]]["original_file_path"]):
                out["fct_test_directories"].add(("resource_name", name(node["attached_node"])))
    for uid, node in models.items():
        tests = tests_on[uid]
        if not (tests.get("unique_combination_of_columns") or tests.get("unique", set()) & tests.get("not_null", set())):
            out["fct_missing_primary_key_tests"].add(("resource_name", node["name"]))
        if not tests:
            out["fct_test_coverage"].add(("resource_name", node["name"]))
    return out


def declared() -> list[dict[str, str]]:
    with open(EXCEPTIONS, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def is_excepted(fct: str, column: str, value: str, exceptions: list[dict[str, str]]) -> bool:
    return any(e["fct_name"] == fct and e["column_name"] == column
               and fnmatch.fnmatchcase(value, e["id_to_exclude"].replace("%", "*").replace("_", "?"))
               for e in exceptions)


def test_every_case_the_evaluator_flags_is_a_declared_exception(manifest):
    exceptions = declared()
    undeclared = sorted((fct, value) for fct, cases in flagged(manifest).items()
                        for column, value in cases if not is_excepted(fct, column, value, exceptions))
    assert not undeclared, f"fix these or declare them in {EXCEPTIONS.name}: {undeclared}"


def test_every_declared_exception_still_excepts_a_case(manifest):
    cases = flagged(manifest)
    stale = [e for e in declared()
             if not any(is_excepted(e["fct_name"], column, value, [e]) for column, value in cases.get(e["fct_name"], ()))]
    assert not stale, f"exceptions that no longer match anything: {stale}"
    assert all(e["comment"].strip() for e in declared()), "each exception says why"


def test_the_rules_see_a_violation(manifest):
    """The emulation must be able to fail: an export that read an intermediate model directly
    would make it a root of a rejoin, and a model without a test lacks a primary key."""
    broken = json.loads(json.dumps(manifest))
    uid = next(u for u in broken["nodes"] if u.endswith(".exp_acled_events"))
    broken["nodes"][uid]["depends_on"]["nodes"] = []
    broken["nodes"][uid]["config"]["access"] = "protected"
    cases = flagged(broken)
    assert ("child", "exp_acled_events") in cases["fct_root_models"]
    assert ("parent_resource_name", "exp_acled_events") in cases["fct_exposures_dependent_on_private_models"]
