"""`hasila extract` and `--help` start fast: they never import the warehouse's libraries (issue 10)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import ARTICLES, REPO_ROOT, write_corpus

HEAVY = ("pandas", "duckdb", "great_expectations", "dbt", "numpy")


def imported_top_level(args: list[str], cwd) -> set[str]:
    """The top-level modules `hasila ARGS` imports, from `python -X importtime`."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-c",
                          "import sys; from ingest.cli import main; sys.argv = ['hasila', *sys.argv[1:]]; main()",
                          *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return {m.group(1).split(".")[0] for m in re.finditer(r"^import time:.*\|\s*([\w.]+)$", run.stderr, re.M)}


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"], ["extract", "CORPUS"]], ids=str)
def test_extract_imports_no_warehouse_library(tmp_path, args):
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    modules = imported_top_level([str(corpus) if a == "CORPUS" else a for a in args], REPO_ROOT)
    assert "ingest" in modules and not modules & set(HEAVY), sorted(modules & set(HEAVY))

