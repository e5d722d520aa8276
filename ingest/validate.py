"""Runs the Great Expectations checkpoints of expectations/gx/ against a DuckDB warehouse.

expectations/*.yml is the one source of the checks: each file names a table, a SQL query that
reads it into a pandas DataFrame (adding boolean helper columns for cross-table rules) and a list
of named checks, each one GE expectation. `python -m ingest.validate` writes them into the
file-backed GE context expectations/gx/ (suite JSON, one pandas dataframe asset and validation
definition per suite, one checkpoint per layer); tests/test_gx_context.py fails when the two
drift apart. We validate DataFrames, not SQL, because GE's SQL datasource returns empty results
over duckdb-engine.

A suite may name the rows a refresh changed (`changed`, a predicate over the temporary table
CHANGED_DOCUMENTS): an incremental refresh validates those rows only, once the published warehouse
passed these very suites (see checks_fingerprint); `hasila validate` and full refreshes read all rows.

A run writes its validation results and the Data Docs site next to the warehouse, never into the
repository: great_expectations.yml reads the folder from ${hasila_data_docs}.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Iterable, Optional

import duckdb
import yaml

from . import PROJECT_ROOT
from .corpus import QUARANTINE_REASONS
from .extract import mention as mention_enums
from .publish import build_dir

SUITES_DIR = PROJECT_ROOT / "expectations"
GX_DIR = SUITES_DIR / "gx"                       # the file-backed GE context (project_root_dir: SUITES_DIR)
LAYERS = ("raw", "marts")
DATASOURCE = "hasila"                            # pandas datasource; one dataframe asset per suite
BATCH = "whole_dataframe"
DOCS_VARIABLE = "hasila_data_docs"               # substituted into great_expectations.yml at run time

# `value_set: enum:NAME` in a suite refers to one of these, so the suites never drift from the code.
# OUTCOMES, ACTOR_GROUPS and ATTRIBUTIONS are the rows of seeds/outcomes.csv, seeds/actor_groups.csv and
# seeds/source_priority.csv (SOURCES: the same without 'unattributed').
ENUMS = {
    "OUTCOMES": mention_enums.OUTCOMES,
    "QUALIFIERS": mention_enums.QUALIFIERS,
    "ACTOR_GROUPS": mention_enums.ACTOR_GROUPS,
    "SCOPES": mention_enums.SCOPES,
    "DATE_PRECISIONS": mention_enums.DATE_PRECISIONS,
    "SOURCES": mention_enums.SOURCES,
    "ATTRIBUTIONS": mention_enums.ATTRIBUTIONS,     # SOURCES plus the marts' 'unattributed'
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
    changed: Optional[str] = None  # predicate: the rows of a refresh's changed documents (query's {changed})


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
    """`value_set: enum:NAME` alone becomes the suite parameter NAME, filled from ENUMS at each run
    (enum_parameters()): the stored suites in expectations/gx/ name the enum rather than copy its
    values, so an outcome or actor group added to the seeds is accepted without rewriting them.
    `enum:NAME` as an item of a list is expanded into the enum's values."""
    value_set = kwargs.get("value_set")
    if value_set is None:
        return kwargs
    if isinstance(value_set, str) and value_set.startswith("enum:"):
        name = value_set.removeprefix("enum:")
        if name not in ENUMS:
            raise KeyError(f"unknown enum {value_set!r}; known: {sorted(ENUMS)}")
        return {**kwargs, "value_set": {"$PARAMETER": name}}
    items = value_set if isinstance(value_set, list) else [value_set]
    expanded = []
    for item in items:
        if isinstance(item, str) and item.startswith("enum:"):
            expanded.extend(ENUMS[item.removeprefix("enum:")])
        else:
            expanded.append(item)
    return {**kwargs, "value_set": expanded}


def enum_parameters() -> dict[str, list]:
    """The values of the suite parameters `enum:NAME` stands for, handed to every validation run."""
    return {name: list(values) for name, values in ENUMS.items()}


def load_suite(path: Path) -> Suite:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    checks = [Check(c["name"], c["expect"], _resolve_enums(c.get("kwargs", {}))) for c in spec["checks"]]
    names = [c.name for c in checks]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: check names must be unique")
    return Suite(spec["suite"], spec["layer"], spec["table"], spec["query"], checks, path, spec.get("changed"))


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


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no usage statistics calls
    import great_expectations as gx  # imported lazily: it takes seconds
    return gx


def import_while_waiting() -> threading.Thread:
    """Import Great Expectations in a background thread, for a refresh to call while dbt (another
    process) builds: the import is most of the expectations' cost whatever the rows (about 4.5
    CPU-seconds, scipy, altair and pandas included), and the refresh's own process is idle then,
    reading dbt's output. The checks import it again when they start, which waits for this one to
    finish; if it failed, that import fails the same way, in the refresh's own thread."""
    thread = threading.Thread(target=lambda: (_gx(), import_module("great_expectations.core.run_identifier")),
                              name="import-great-expectations", daemon=True)
    thread.start()
    return thread


def gx_suite(suite: Suite, gx, name: Optional[str] = None):
    """The GE ExpectationSuite of one YAML suite (the check name rides in each expectation's meta)."""
    # Expectations go in through the constructor: `add_expectation` on a suite whose name is in the
    # context's store writes to that stored suite.
    return gx.ExpectationSuite(name=name or suite.name, meta={"layer": suite.layer, "table": suite.table},
                               expectations=[_expectation(check, gx) for check in suite.checks])


def data_docs_dir(warehouse: Path) -> Path:
    """Where runs on `warehouse` keep their Data Docs site (and, under .results, GE's validation
    store): in the build folder beside it, which git ignores when the warehouse is the checkout's."""
    return build_dir(warehouse) / f"{warehouse.name}.data_docs"


def data_docs_index(warehouse: Path) -> Path:
    return data_docs_dir(warehouse) / "index.html"


def open_context(docs_dir: Path, project_root: Path = SUITES_DIR):
    """The repository's file context, with its stores and Data Docs site pointed at `docs_dir`."""
    gx = _gx()
    return gx.get_context(mode="file", project_root_dir=str(project_root),
                          runtime_environment={DOCS_VARIABLE: str(Path(docs_dir).resolve())})


@contextmanager
def _definitions_context(project_root: Path):
    """The file context for reading or writing definitions; its results store points at a scratch
    folder, so nothing but the definitions is written."""
    with tempfile.TemporaryDirectory(prefix="hasila-gx-") as scratch:
        yield open_context(Path(scratch), project_root)


def write_context(project_root: Path = SUITES_DIR, suites: Optional[list[Suite]] = None) -> None:
    """(Re)write the suites, dataframe assets, validation definitions and per-layer checkpoints of
    the file context from expectations/*.yml. Run after editing a suite: `python -m ingest.validate`."""
    gx = _gx()
    suites = load_suites() if suites is None else suites
    with _definitions_context(project_root) as context:
        _write_definitions(context, suites, gx)


def _write_definitions(context, suites: list[Suite], gx) -> None:
    try:
        source = context.data_sources.get(DATASOURCE)
    except KeyError:
        source = context.data_sources.add_pandas(DATASOURCE)
    known_assets = {a.name for a in source.assets}
    for name in {s.name for s in suites} - known_assets:
        source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(BATCH)
    for name in known_assets - {s.name for s in suites}:
        source.delete_asset(name)
    for checkpoint in list(context.checkpoints.all()):
        context.checkpoints.delete(checkpoint.name)
    for definition in list(context.validation_definitions.all()):
        context.validation_definitions.delete(definition.name)
    for old in list(context.suites.all()):
        context.suites.delete(old.name)
    by_layer: dict[str, list] = {}
    for suite in suites:
        ge_suite = context.suites.add(gx_suite(suite, gx))
        batch = source.get_asset(suite.name).get_batch_definition(BATCH)
        by_layer.setdefault(suite.layer, []).append(context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=batch, suite=ge_suite)))
    for layer, definitions in by_layer.items():
        context.checkpoints.add(gx.Checkpoint(
            name=layer, validation_definitions=definitions,
            actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")]))


def _definitions(ge_suite) -> list[str]:
    """The expectations of a suite as comparable text (type, arguments, check name; ids left out)."""
    rows = []
    for expectation in ge_suite.expectations:
        config = expectation.configuration
        rows.append(repr((config.type, sorted(config.kwargs.items()), (config.meta or {}).get("check"))))
    return sorted(rows)


def context_drift(project_root: Path = SUITES_DIR) -> list[str]:
    """How the file context differs from expectations/*.yml (empty when they agree)."""
    gx = _gx()
    with _definitions_context(project_root) as context:
        return _drift(context, gx)


def _drift(context, gx) -> list[str]:
    from great_expectations.exceptions import DataContextError

    problems = []
    suites = load_suites()
    stored = {s.name: s for s in context.suites.all()}
    for suite in suites:
        want = _definitions(gx_suite(suite, gx))
        got = stored.get(suite.name)
        if got is None:
            problems.append(f"suite {suite.name} missing from {GX_DIR}")
            continue
        if _definitions(got) != want:
            problems.append(f"suite {suite.name} differs from {suite.path.name}")
    for extra in set(stored) - {s.name for s in suites}:
        problems.append(f"suite {extra} in {GX_DIR} has no YAML file")
    for layer in sorted({s.layer for s in suites}):
        try:
            checkpoint = context.checkpoints.get(layer)
        except DataContextError:
            problems.append(f"checkpoint {layer} missing from {GX_DIR}")
            continue
        names = sorted(d.name for d in checkpoint.validation_definitions)
        if names != sorted(s.name for s in suites if s.layer == layer):
            problems.append(f"checkpoint {layer} validates {names}")
    return problems


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


def _results(suite: Suite, outcome) -> list[CheckResult]:
    by_name = {r.expectation_config.meta["check"]: r for r in outcome.results}
    results = []
    for check in suite.checks:
        result = by_name[check.name]
        unexpected, detail = _detail(result)
        results.append(CheckResult(suite.name, check.name, "passed" if result.success else "failed", unexpected, detail))
    return results


def _skipped(con: duckdb.DuckDBPyConnection, suite: Suite) -> Optional[CheckResult]:
    if table_exists(con, suite.table):
        return None
    note = f"table {suite.table} does not exist" + (" (dbt build not run yet?)" if suite.layer == "marts" else "")
    return CheckResult(suite.name, "*", "skipped", detail=note)


def _frame(con: duckdb.DuckDBPyConnection, suite: Suite, scoped: bool = False):
    changed = suite.changed if scoped and suite.changed else "true"
    return con.execute(suite.query.format(table=suite.table, changed=changed)).df()


# The documents a refresh touched, as a temporary table the suites' `changed` predicates read: those it
# loaded, updated or quarantined (the report's events), those whose mentions it (re-)extracted or whose
# row it stamped (ingested, superseded: its raw rows carry the time), and every version of their doc_ids
# (a new version changes the flags of the others).
CHANGED_DOCUMENTS = "changed_documents"
_CHANGED_DOCUMENTS_SQL = f"""
CREATE OR REPLACE TEMPORARY TABLE {CHANGED_DOCUMENTS} AS
WITH touched AS (
    SELECT unnest(?::VARCHAR[]) AS content_hash
    UNION SELECT content_hash FROM raw.mentions WHERE extracted_at >= ?
    UNION SELECT content_hash FROM raw.rejected_mentions WHERE rejected_at >= ?
    UNION SELECT content_hash FROM raw.documents WHERE ingested_at >= ? OR superseded_at >= ?
)
SELECT d.content_hash, d.doc_id FROM raw.documents AS d
WHERE d.doc_id IN (SELECT doc_id FROM raw.documents WHERE content_hash IN (SELECT content_hash FROM touched))
"""


@dataclass
class Changed:
    """What an incremental refresh changed: the documents of its events, and its start (raw rows made
    since carry a later stamp)."""
    content_hashes: list[str]
    since: datetime


def mark_changed(con: duckdb.DuckDBPyConnection, changed: Changed) -> int:
    """Create CHANGED_DOCUMENTS on `con`; the number of documents in it."""
    since = changed.since
    con.execute(_CHANGED_DOCUMENTS_SQL, [changed.content_hashes, since, since, since, since])
    return con.execute(f"SELECT count(*) FROM {CHANGED_DOCUMENTS}").fetchone()[0]


def checks_fingerprint(suites_dir: Path = SUITES_DIR) -> str:
    """A digest of what the expectations check: the suites, the enums they read, this module (how
    the frames are read) and the Great Expectations version. Rows a passed run with an equal
    fingerprint checked need not be checked again."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"great-expectations={version('great-expectations')}\n".encode())
    digest.update(Path(__file__).read_bytes())
    for path in sorted(suites_dir.glob("*.yml")):
        digest.update(path.name.encode() + b"\n" + path.read_bytes())
    digest.update(repr(sorted(enum_parameters().items())).encode())
    return digest.hexdigest()[:16]


def _frame_or_skip(con: duckdb.DuckDBPyConnection, suite: Suite, scoped: bool):
    """The suite's DataFrame (on the changed rows when `scoped`), or why the suite is skipped: its
    table is missing, or no row of it changed (a table-level check would read an empty frame)."""
    skipped = _skipped(con, suite)
    if skipped:
        return skipped
    frame = _frame(con, suite, scoped)
    if scoped and suite.changed and frame.empty:
        return CheckResult(suite.name, "*", "skipped", detail="no row changed since the published warehouse passed")
    return frame


def run_checkpoints(con: duckdb.DuckDBPyConnection, docs_dir: Path,
                    layers: Iterable[str] = LAYERS, changed: Optional[Changed] = None) -> list[CheckResult]:
    """Run the checkpoint of each layer in the file context and rebuild the Data Docs in `docs_dir`.

    A checkpoint hands the same batch parameters to all its validation definitions, but each suite
    needs its own DataFrame; so each definition of the checkpoint runs with its frame under the
    checkpoint's id and one run id, and the Data Docs are built once at the end, as the
    checkpoint's UpdateDataDocsAction would.

    With `changed`, suites that have a `changed` predicate read only the rows of those documents
    (the rest passed these suites when they were published); the others read every row.
    """
    from great_expectations.core.run_identifier import RunIdentifier

    suites = {s.name: s for s in load_suites(layers)}
    context = open_context(docs_dir)
    run_id = RunIdentifier(run_name="hasila")
    results: list[CheckResult] = []
    scoped = changed is not None
    if scoped:
        mark_changed(con, changed)
    for layer in [layer for layer in LAYERS if layer in set(layers)]:
        checkpoint = context.checkpoints.get(layer)
        for definition in checkpoint.validation_definitions:
            suite = suites[definition.name]
            frame = _frame_or_skip(con, suite, scoped)
            if isinstance(frame, CheckResult):
                results.append(frame)
                continue
            outcome = definition.run(checkpoint_id=checkpoint.id, run_id=run_id,
                                     batch_parameters={"dataframe": frame},
                                     expectation_parameters=enum_parameters())
            results.extend(_results(suite, outcome))
    # Only this run's pages are rendered (the index still lists every run): rendering every stored
    # result again made each refresh's Data Docs cost grow with the number of refreshes before it.
    context.build_data_docs(resource_identifiers=this_run(context, run_id))
    return results


def this_run(context, run_id) -> list:
    """The identifiers of the validation results stored under `run_id` (one per suite validated)."""
    return [key for key in context.validation_results_store.list_keys() if key.run_id == run_id]


class Validator:
    """One ephemeral GE context for single suites built straight from the YAML (tests run one check
    at a time this way); reused for every suite (creating it is the slow part)."""

    def __init__(self):
        from great_expectations.data_context.types.base import ProgressBarsConfig

        gx = _gx()
        self.gx = gx
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.datasource = self.context.data_sources.add_pandas("hasila")
        self._runs = 0

    def run_suite(self, con: duckdb.DuckDBPyConnection, suite: Suite, scoped: bool = False) -> list[CheckResult]:
        """`scoped`: on the rows of the documents in CHANGED_DOCUMENTS (mark_changed) only."""
        frame = _frame_or_skip(con, suite, scoped)
        if isinstance(frame, CheckResult):
            return [frame]
        gx = self.gx
        self._runs += 1
        key = f"{suite.name}_{self._runs}"
        batch = self.datasource.add_dataframe_asset(key).add_batch_definition_whole_dataframe("all")
        ge_suite = self.context.suites.add(gx_suite(suite, gx, name=key))
        definition = self.context.validation_definitions.add(gx.ValidationDefinition(name=key, data=batch, suite=ge_suite))
        outcome = definition.run(batch_parameters={"dataframe": frame}, expectation_parameters=enum_parameters())
        return _results(suite, outcome)


def validate_connection(con: duckdb.DuckDBPyConnection, docs_dir: Path,
                        layers: Iterable[str] = LAYERS, changed: Optional[Changed] = None) -> list[CheckResult]:
    """Run the layers' checkpoints on `con` (on the rows of `changed` documents only, where a suite
    says which they are); the Data Docs land in `docs_dir`."""
    return run_checkpoints(con, docs_dir, layers, changed)


def _writable(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def validate_warehouse(path: Path, layers: Iterable[str] = LAYERS) -> list[CheckResult]:
    """Validate a warehouse file, opened read-only (safe while BI tools read it); Data Docs beside it,
    or none when the reader may not write there (the checks still run, in a scratch folder)."""
    docs = data_docs_dir(Path(path).resolve())
    with duckdb.connect(str(path), read_only=True) as con:
        if _writable(docs):
            return validate_connection(con, docs, layers)
        with tempfile.TemporaryDirectory(prefix="hasila-gx-") as scratch:
            return validate_connection(con, Path(scratch), layers)


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


if __name__ == "__main__":
    if context_drift():  # rewriting an agreeing context would only renew its ids
        write_context()
        print(f"wrote {GX_DIR} from {SUITES_DIR}/*.yml")
    else:
        print(f"{GX_DIR} already matches {SUITES_DIR}/*.yml")


def results_report(warehouse: Path, results: list[CheckResult], data_docs: Optional[str] = None) -> dict:
    """`hasila validate --json`: the tally, every check and the Data Docs page, for scripts."""
    return {
        "warehouse": str(warehouse),
        "passed": sum(r.status == "passed" for r in results),
        "failed": sum(r.failed for r in results),
        "skipped": sum(r.status == "skipped" for r in results),
        "checks": [asdict(r) for r in results],
        "data_docs": data_docs,
    }
