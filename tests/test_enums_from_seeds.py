"""Issue 11: the outcomes and actor groups are seed rows (seeds/outcomes.csv, seeds/actor_groups.csv),
and adding one is a seed edit plus a test, nothing else.

The slow test copies the project, adds an outcome (`displaced`, trigger word تهجير) and an actor group
(`observers`, person form مراقبين) to the copy's seeds only, and runs the copy's own code on one short
report written for it: the extractor reads the sentence as 12 displaced observers, and a refresh
(loader contract, `dbt build` with its tests, the Great Expectations checkpoints) publishes that
mention into the marts. The fast test keeps the dbt YAML from growing a literal list of them again.
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
import yaml

from ingest import PROJECT_ROOT, SEEDS_DIR
from ingest.extract.mention import (ACTOR_GROUPS, ATTRIBUTIONS, DATE_BASES, DATE_PRECISIONS, OUTCOMES, QUALIFIERS,
                                    SCOPES, SOURCES, UNATTRIBUTED)

NEW_OUTCOME = {"code": "displaced", "label_en": "displaced", "label_ar": "مهجرون",
               "description": "Forced from their homes by an armed group",
               "acled_role": ""}   # ACLED codes no event for a displacement
NEW_TRIGGER = {"form": "تهجير", "outcome": "displaced", "kind": "noun", "note": "forced displacement"}
NEW_ACTOR = {"code": "observers", "label_en": "UN observers", "label_ar": "المراقبون الدوليون",
             "description": "Unarmed military observers of the United Nations", "regime_allied": "false",
             "is_state_actor": "false"}
NEW_ACTOR_FORM = {"form": "مراقبين", "actor_group": "observers", "kind": "person", "number": "plural",
                  "era": "any", "note": ""}
# Written for this test (no real report uses the new vocabulary).
REPORT = "أفاد المرصد السوري لحقوق الإنسان بتهجير 12 مراقبين من بلدة تلبيسة في ريف حمص الشمالي يوم أمس.\n"
PUBLISHED = "2024-05-02"

_SKIP_COPY = shutil.ignore_patterns("__pycache__", "target", "logs", "dbt_packages", "*.duckdb", "*.duckdb.wal",
                                    ".user.yml")


def _append(seed: Path, row: dict) -> None:
    with open(seed, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert list(row) == header, f"{seed.name}: the test's row no longer matches the seed's columns"
    with open(seed, "a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, fieldnames=header, lineterminator="\n").writerow(row)


def _project_with_new_vocabulary(root: Path) -> Path:
    """A copy of the code, seeds, dbt project and expectations, with one outcome and one actor added
    to its seeds and nowhere else."""
    for part in ("ingest", "seeds", "dbt_project", "expectations"):
        shutil.copytree(PROJECT_ROOT / part, root / part, ignore=_SKIP_COPY)
    _append(root / "seeds" / "outcomes.csv", NEW_OUTCOME)
    _append(root / "seeds" / "lexicon_outcomes.csv", NEW_TRIGGER)
    _append(root / "seeds" / "actor_groups.csv", NEW_ACTOR)
    _append(root / "seeds" / "actor_dictionary.csv", NEW_ACTOR_FORM)
    return root


def _hasila(project: Path, *args: str) -> subprocess.CompletedProcess:
    """`hasila ARGS` run from the copy's own ingest package (PYTHONPATH first, so its seeds are read)."""
    env = {key: value for key, value in os.environ.items() if key != "HASILA_WAREHOUSE"}
    env["PYTHONPATH"] = str(project)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    return subprocess.run([sys.executable, "-m", "ingest.cli", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=1200)


@pytest.mark.slow
def test_an_outcome_and_an_actor_added_in_the_seeds_only_pass_extractor_dbt_and_expectations(tmp_path):
    project = _project_with_new_vocabulary(tmp_path / "project")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "observers.txt").write_text(REPORT, encoding="utf-8")
    (corpus / "manifest.csv").write_text(
        f"doc_id,file,published_at,outlet,url\nobservers,observers.txt,{PUBLISHED},test,\n", encoding="utf-8")

    # the extractor
    extracted = _hasila(project, "extract", str(corpus / "observers.txt"), "--published", PUBLISHED)
    assert extracted.returncode == 0, extracted.stderr[-3000:]
    mentions = [json.loads(line) for line in extracted.stdout.splitlines() if line.strip()]
    assert [(m["outcome"], m["count"], m["victim"]) for m in mentions] == [("displaced", 12, "observers")]

    # the loader's contract, dbt build (models and tests) and the expectations, in one refresh
    warehouse = tmp_path / "warehouse.duckdb"
    refreshed = _hasila(project, "refresh", str(corpus), "--warehouse", str(warehouse))
    assert refreshed.returncode == 0, (refreshed.stdout + refreshed.stderr)[-4000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT outcome, victim FROM raw.mentions").fetchall() == [("displaced", "observers")]
        assert con.execute("SELECT count(*) FROM raw.rejected_mentions").fetchone() == (0,)
        assert con.execute("SELECT outcome, victim, best FROM marts.fct_incident_casualties").fetchall() == [
            ("displaced", "observers", 12)]
        checks = dict(con.execute(
            "SELECT check_name, status FROM meta.check_results WHERE check_name IN ('outcome_allowed', 'victim_allowed')"
        ).fetchall())
    assert checks == {"outcome_allowed": "passed", "victim_allowed": "passed"}


def _accepted_values_lists(node) -> list[list]:
    if isinstance(node, dict):
        found = []
        for key, value in node.items():
            if key == "accepted_values":
                arguments = value.get("arguments", value)
                found.append(list(arguments.get("values", [])))
            else:
                found.extend(_accepted_values_lists(value))
        return found
    if isinstance(node, list):
        return [found for item in node for found in _accepted_values_lists(item)]
    return []


def test_dbt_yaml_lists_no_outcome_actor_group_or_source_by_hand():
    """Outcome, actor and source columns are tested against their seed (relationships), never a copied list."""
    codes = set(OUTCOMES) | set(ACTOR_GROUPS) | set(SOURCES)
    offending = []
    for path in sorted((PROJECT_ROOT / "dbt_project" / "models").rglob("*.yml")):
        for values in _accepted_values_lists(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if codes & set(map(str, values)):
                offending.append(f"{path.relative_to(PROJECT_ROOT)}: {values}")
    assert not offending, offending


# The contract's own small enums (MENTIONS.md) are no seed: dbt lists them as accepted_values, and these
# lists must be the Python tuples the loader's contract checks, column by column.
CONTRACT_ENUM_COLUMNS = {"count_qualifier": QUALIFIERS, "scope": SCOPES, "mention_scope": SCOPES,
                         "date_precision": DATE_PRECISIONS, "date_basis": DATE_BASES}


def _accepted_values_by_column(node, found: list) -> list[tuple[str, list]]:
    if isinstance(node, dict):
        if node.get("name") in CONTRACT_ENUM_COLUMNS:
            for values in _accepted_values_lists(node.get("data_tests", [])):
                found.append((node["name"], values))
        for value in node.values():
            _accepted_values_by_column(value, found)
    elif isinstance(node, list):
        for item in node:
            _accepted_values_by_column(item, found)
    return found


def test_dbt_lists_of_the_contract_enums_are_the_python_enums():
    found = []
    for path in sorted((PROJECT_ROOT / "dbt_project" / "models").rglob("*.yml")):
        _accepted_values_by_column(yaml.safe_load(path.read_text(encoding="utf-8")), found)
    assert {column for column, _ in found} == set(CONTRACT_ENUM_COLUMNS)
    wrong = [(column, values) for column, values in found if values != list(CONTRACT_ENUM_COLUMNS[column])]
    assert not wrong, wrong


def test_the_enums_are_the_seed_rows():
    def codes(seed):
        with open(SEEDS_DIR / seed, encoding="utf-8", newline="") as f:
            return tuple(row["code"] for row in csv.DictReader(f))
    assert OUTCOMES == codes("outcomes.csv")
    assert ACTOR_GROUPS == codes("actor_groups.csv")
    with open(SEEDS_DIR / "source_priority.csv", encoding="utf-8", newline="") as f:
        sources = tuple(row["source"] for row in csv.DictReader(f))
    assert ATTRIBUTIONS == sources and UNATTRIBUTED in sources
    assert SOURCES == tuple(source for source in sources if source != UNATTRIBUTED)
