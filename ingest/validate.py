"""Runs the Great Expectations suites in expectations/*.yml against a DuckDB warehouse.

Each suite file names a table, a SQL query that reads it into a pandas DataFrame (adding
boolean helper columns for cross-table rules) and a list of named checks, each one GE
expectation. We validate DataFrames, not SQL, because GE's SQL datasource returns empty
results over duckdb-engine.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import duckdb
import yaml

from . import PROJECT_ROOT
from .corpus import QUARANTINE_REASONS
from .extract import mention as mention_enums

SUITES_DIR = PROJECT_ROOT / "expectations"
LAYERS = ("raw", "marts")

# `value_set: enum:NAME` in a suite refers to one of these, so the suites never drift from the code.
ENUMS = {
    "OUTCOMES": mention_enums.OUTCOMES,
    "QUALIFIERS": mention_enums.QUALIFIERS,
    "ACTOR_GROUPS": mention_enums.ACTOR_GROUPS,
    "SCOPES": mention_enums.SCOPES,
    "DATE_PRECISIONS": mention_enums.DATE_PRECISIONS,
    "SOURCES": mention_enums.SOURCES,
    "QUARANTINE_REASONS": QUARANTINE_REASONS,
}


@dataclass
class Check:
    name: str
    expect: str
    kwargs: dict


@dataclass
class Suite:
    name: str
    layer: str
    table: str
    query: str
    checks: list[Check] = field(default_factory=list)
    path: Optional[Path] = None


@dataclass
class CheckResult:
    suite: str
    check: str
    status: str                  # passed | failed | skipped
    unexpected: Optional[int] = None
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def _resolve_enums(kwargs: dict) -> dict:
    """Expand `enum:NAME` (alone or as an item of a list) into the enum's values."""
    value_set = kwargs.get("value_set")
    if value_set is None:
        return kwargs
    items = value_set if isinstance(value_set, list) else [value_set]
    expanded = []
    for item in items:
        if isinstance(item, str) and item.startswith("enum:"):
            expanded.extend(ENUMS[item.removeprefix("enum:")])
        else:
            expanded.append(item)
    return {**kwargs, "value_set": expanded}


def load_suite(path: Path) -> Suite:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    checks = [Check(c["name"], c["expect"], _resolve_enums(c.get("kwargs", {}))) for c in spec["checks"]]
    names = [c.name for c in checks]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: check names must be unique")
    return Suite(spec["suite"], spec["layer"], spec["table"], spec["query"], checks, path)


def load_suites(layers: Iterable[str] = LAYERS, suites_dir: Path = SUITES_DIR) -> list[Suite]:
    suites = [load_suite(p) for p in sorted(suites_dir.glob("*.yml"))]
    order = {layer: i for i, layer in enumerate(LAYERS)}
    return sorted((s for s in suites if s.layer in set(layers)), key=lambda s: (order[s.layer], s.name))


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    schema, _, name = table.rpartition(".")
    return con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema or "main", name]).fetchone()[0] > 0


def _expectation(check: Check, gx):
    class_name = "".join(part.capitalize() for part in check.expect.split("_"))
    cls = getattr(gx.expectations, class_name, None)
    if cls is None:
        raise ValueError(f"unknown expectation {check.expect!r} in check {check.name!r}")
    return cls(**check.kwargs, meta={"check": check.name})


def _detail(result) -> tuple[Optional[int], str]:
    info = result.exception_info or {}
    if info.get("raised_exception"):
        message = (info.get("exception_message") or "error").splitlines()[0]
        return None, f"error: {message[:160]}"
    res = result.result or {}
    if "unexpected_count" in res:
        sample = res.get("partial_unexpected_list") or []
        return res["unexpected_count"], ("e.g. " + ", ".join(map(str, sample[:3]))) if sample and not result.success else ""
    if "observed_value" in res:
        return None, f"observed {res['observed_value']}"
    return None, ""


class Validator:
    """One ephemeral GE context, reused for every suite of a run (creating it is the slow part)."""

    def __init__(self):
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no usage statistics calls
        import great_expectations as gx  # imported lazily: it takes seconds
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.datasource = self.context.data_sources.add_pandas("hasila")
        self._runs = 0

    def run_suite(self, con: duckdb.DuckDBPyConnection, suite: Suite) -> list[CheckResult]:
        if not table_exists(con, suite.table):
            note = f"table {suite.table} does not exist" + (" (dbt build not run yet?)" if suite.layer == "marts" else "")
            return [CheckResult(suite.name, "*", "skipped", detail=note)]
        frame = con.execute(suite.query.format(table=suite.table)).df()
        gx = self.gx
        self._runs += 1
        key = f"{suite.name}_{self._runs}"
        batch = self.datasource.add_dataframe_asset(key).add_batch_definition_whole_dataframe("all")
        ge_suite = self.context.suites.add(gx.ExpectationSuite(name=key))
        for check in suite.checks:
            ge_suite.add_expectation(_expectation(check, gx))
        definition = self.context.validation_definitions.add(gx.ValidationDefinition(name=key, data=batch, suite=ge_suite))
        outcome = definition.run(batch_parameters={"dataframe": frame})
        by_name = {r.expectation_config.meta["check"]: r for r in outcome.results}
        results = []
        for check in suite.checks:
            result = by_name[check.name]
            unexpected, detail = _detail(result)
            results.append(CheckResult(suite.name, check.name, "passed" if result.success else "failed", unexpected, detail))
        return results


def validate_connection(con: duckdb.DuckDBPyConnection, layers: Iterable[str] = LAYERS,
                        suites: Optional[list[Suite]] = None) -> list[CheckResult]:
    validator = Validator()
    results: list[CheckResult] = []
    for suite in suites if suites is not None else load_suites(layers):
        results.extend(validator.run_suite(con, suite))
    return results


def validate_warehouse(path: Path, layers: Iterable[str] = LAYERS) -> list[CheckResult]:
    """Validate a warehouse file, opened read-only (safe while BI tools read it)."""
    with duckdb.connect(str(path), read_only=True) as con:
        return validate_connection(con, layers)


def format_results(results: list[CheckResult], problems_only: bool = False) -> str:
    """A text table of the results (or only the failed/skipped ones) and a one-line tally."""
    shown = [r for r in results if r.status != "passed"] if problems_only else results
    rows = [("suite", "check", "status", "unexpected", "detail")]
    rows += [(r.suite, r.check, r.status.upper() if r.failed else r.status,
              "" if r.unexpected is None else str(r.unexpected), r.detail) for r in shown]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + "  " + row[4] for row in rows]
    lines.insert(1, "-" * min(120, len(lines[0])))
    if len(rows) == 1:
        lines = []
    failed = sum(r.failed for r in results)
    passed = sum(r.status == "passed" for r in results)
    skipped = sum(r.status == "skipped" for r in results)
    lines.append(f"{passed} passed, {failed} failed, {skipped} suite(s) skipped")
    return "\n".join(lines)
