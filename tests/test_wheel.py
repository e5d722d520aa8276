"""The wheel works outside a checkout: it carries the dbt project, seeds, expectations (with the GE
context) and the bundled corpus, `uv tool install` puts it into its own environment with the locked
versions, and `hasila refresh` run from a folder that is no checkout publishes a warehouse."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ARTICLES, REPO_ROOT, write_corpus

pytestmark = pytest.mark.slow

UV = REPO_ROOT / ".tools" / "bin" / "uv"
sys.path.insert(0, str(REPO_ROOT / "tools"))
from install_pins import write_pins  # noqa: E402  (a script in tools/, not a package)

# Files a refresh reads besides the code, and where the wheel keeps them (pyproject.toml).
CARRIED = [
    "ingest/_project/dbt_project/dbt_project.yml",
    "ingest/_project/dbt_project/profiles.yml",
    "ingest/_project/dbt_project/macros/create_raw_tables.sql",
    "ingest/_project/ingest/raw_schema.sql",            # read by dbt's on-run-start hook as ../ingest/
    "ingest/_project/seeds/lexicon_cues.csv",
    "ingest/_project/seeds/gazetteer.csv",
    "ingest/_project/expectations/raw_mentions.yml",
    "ingest/_project/expectations/gx/great_expectations.yml",
    "ingest/_project/expectations/gx/checkpoints/marts.json",
    "ingest/_project/corpus/sample/manifest.csv",
    "ingest/templates/report.html.j2",
]


def _version() -> str:
    with open(REPO_ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: no project venv, no PYTHONPATH to the checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"VIRTUAL_ENV", "PYTHONPATH", "HASILA_WAREHOUSE", "UV_PROJECT_ENVIRONMENT"}}
    return {**env, **extra}


def _run(args: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """`uv tool install` of a freshly built wheel into a tool folder under tmp; its `hasila`."""
    if not UV.exists():
        pytest.skip(f"no uv at {UV} (run ./run once)")
    root = tmp_path_factory.mktemp("wheel")
    built = _run([UV, "build", "--wheel", "--out-dir", root / "dist", REPO_ROOT], timeout=600)
    assert built.returncode == 0, built.stderr
    wheel = root / "dist" / f"hasila-{_version()}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert [name for name in CARRIED if name not in names] == []
    assert not [n for n in names if "/target/" in n or n.endswith((".duckdb", ".user.yml", ".pyc"))]
    constraints, overrides = write_pins(root / "dist")
    env = _clean_env(UV_TOOL_DIR=str(root / "tools"), UV_TOOL_BIN_DIR=str(root / "bin"))
    install = [UV, "tool", "install", wheel, "-c", constraints, "--overrides", overrides,
               "--python", f"{sys.version_info.major}.{sys.version_info.minor}"]
    done = _run([*install, "--offline"], env=env, cwd=root, timeout=900)  # from uv's cache when it can
    if done.returncode != 0:
        done = _run(install, env=env, cwd=root, timeout=900)
    if done.returncode != 0 and "network" in done.stderr.lower():
        pytest.skip(f"the locked packages could not be installed: {done.stderr.strip().splitlines()[-1]}")
    assert done.returncode == 0, done.stderr
    return root / "bin" / "hasila"


def test_the_installed_tool_finds_its_files_inside_the_package(installed):
    python = installed.parent.parent / "tools" / "hasila" / "bin" / "python"
    where = _run([python, "-c", "import ingest; print(ingest.INSTALLED); print(ingest.DBT_PROJECT_DIR)"],
                 env=_clean_env(), cwd=installed.parent)
    installed_flag, dbt_dir = where.stdout.split()
    assert installed_flag == "True" and "site-packages/ingest/_project/dbt_project" in dbt_dir
    assert not Path(dbt_dir).is_relative_to(REPO_ROOT)
    assert _run([python, "-c", "import torch"]).returncode != 0, "camel-tools' neural stack came along"
    version = _run([installed, "--version"], env=_clean_env())
    assert version.stdout.strip() == f"hasila, version {_version()}"


def test_refresh_outside_a_checkout_publishes(installed, tmp_path):
    corpus = write_corpus(tmp_path / "corpus", ARTICLES)
    work = tmp_path / "elsewhere"
    work.mkdir()
    package = installed.parent.parent / "tools" / "hasila"
    before = {p for p in package.rglob("*") if "__pycache__" not in p.parts}
    run = _run([installed, "refresh", corpus], env=_clean_env(), cwd=work, timeout=900)
    assert run.returncode == 0, run.stderr
    assert f"published {work / 'warehouse.duckdb'}" in run.stdout       # the default is the working folder
    assert "dbt build: passed" in run.stderr and "nodes done" in run.stderr  # progress in a log
    with duckdb.connect(str(work / "warehouse.duckdb"), read_only=True) as con:
        documents = con.execute("SELECT count(*) FROM raw.documents").fetchone()[0]
        mentions = con.execute("SELECT count(*) FROM marts.fct_mentions").fetchone()[0]
        checks = con.execute("SELECT checks_failed, checks_passed FROM meta.refreshes").fetchone()
    assert documents == len(ARTICLES) and mentions > 0 and checks[0] == 0 < checks[1]
    after = {p for p in package.rglob("*") if "__pycache__" not in p.parts}
    assert after == before, "a refresh wrote into the installed package"
