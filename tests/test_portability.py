"""The marts must stay portable: compile the dbt project and transpile every mart's
compiled SQL from DuckDB to Spark and Trino with sqlglot, failing on anything sqlglot
cannot translate or on DuckDB-only constructs."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT = REPO / "dbt_project"
TARGET_DIALECTS = ("spark", "trino")
# Functions and syntax that exist in DuckDB only (lists, structs, lambdas, macros).
DUCKDB_ONLY = re.compile(
    r"\b(list_\w+|struct_pack|struct_extract|array_transform|string_split|unnest|regexp_extract_all"
    r"|epoch_ms|strftime|strptime|qualify|exclude|replace\s*\()\b|->>|\{\s*'",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def compiled_marts(tmp_path_factory) -> dict[str, str]:
    work = tmp_path_factory.mktemp("compile")
    dbt = Path(sys.executable).parent / "dbt"
    env = {**os.environ, "HASILA_WAREHOUSE": str(work / "compile.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [str(dbt), "compile", "--select", "marts", "--project-dir", str(DBT_PROJECT),
         "--profiles-dir", str(DBT_PROJECT), "--target-path", str(work / "target"),
         "--log-path", str(work / "logs")],
        env=env, capture_output=True, text=True, cwd=work,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    marts_dir = work / "target" / "compiled" / "hasila" / "models" / "marts"
    compiled = {p.stem: p.read_text(encoding="utf-8") for p in marts_dir.rglob("*.sql")}
    assert compiled, "no compiled marts found"
    return compiled


@pytest.mark.slow
@pytest.mark.parametrize("dialect", TARGET_DIALECTS)
def test_marts_transpile(compiled_marts, dialect):
    failures = {}
    for name, sql in sorted(compiled_marts.items()):
        try:
            sqlglot.transpile(sql, read="duckdb", write=dialect,
                              error_level=ErrorLevel.RAISE, unsupported_level=ErrorLevel.RAISE)
        except Exception as error:  # noqa: BLE001 - report every model, not just the first
            failures[name] = str(error)[:300]
    assert not failures, failures


@pytest.mark.slow
def test_marts_use_no_duckdb_only_constructs(compiled_marts):
    offenders = {}
    for name, sql in sorted(compiled_marts.items()):
        body = re.sub(r"--[^\n]*", "", sql)  # comments may name anything
        hits = sorted({m.group(0).lower() for m in DUCKDB_ONLY.finditer(body)})
        # functions sqlglot does not know parse as Anonymous: dialect-specific by definition
        unknown = sorted({f.name for f in sqlglot.parse_one(body, read="duckdb").find_all(exp.Anonymous)})
        if hits or unknown:
            offenders[name] = hits + unknown
    assert not offenders, offenders
