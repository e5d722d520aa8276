"""dbt's DuckDB works under a memory limit that leaves room for dbt itself within 2 GB (issue 10).

Without it DuckDB may take 80 % of the machine's memory: its buffer pool grew to 2.2-2.7 GB in
int_mention_pairs_scored and int_mentions_linked at 100k articles. Under the limit those spill to a
temporary folder beside the build file. The measured peak comes from benchmarks/bench_refresh.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import yaml

PROFILES = Path(__file__).resolve().parents[1] / "dbt_project" / "profiles.yml"
DBT_PEAK_BUDGET = 2 * 1024**3
# dbt's own Python (manifest, adapter) plus DuckDB's allocations outside its buffer pool: the dbt
# process peaked at about 200 MiB above a 1 GB limit on the 100k-article benchmark
DBT_BESIDE_DUCKDB = 400 * 1024**2
UNITS = {"KB": 1000, "MB": 1000**2, "GB": 1000**3, "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3}


def _bytes(size: str) -> int:
    number, unit = re.fullmatch(r"\s*([\d.]+)\s*([KMG]i?B)\s*", size, re.IGNORECASE).groups()
    return int(float(number) * UNITS[unit.upper()])


def test_dbt_duckdb_memory_limit_leaves_room_for_dbt_within_2_gb():
    options = yaml.safe_load(PROFILES.read_text(encoding="utf-8"))["hasila"]["outputs"]["duckdb"]["config_options"]
    assert "memory_limit" in options, "dbt's DuckDB would take up to 80 % of the machine's memory"
    assert _bytes(options["memory_limit"]) + DBT_BESIDE_DUCKDB <= DBT_PEAK_BUDGET
    with duckdb.connect(config=options) as con:  # the options dbt-duckdb hands to duckdb.connect
        applied = con.execute("select current_setting('memory_limit')").fetchone()[0]
    # DuckDB reports it rounded to a tenth of its unit ("1.4 GiB")
    assert abs(_bytes(applied) - _bytes(options["memory_limit"])) < 0.05 * _bytes(options["memory_limit"]), applied
