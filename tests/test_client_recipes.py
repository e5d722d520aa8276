"""The README's connection recipes stay in step with the guarded query path: the init script for
Harlequin and the clients' probe in benchmarks/check_client_compat.py hold exactly ingest/sql.py's
guard settings. (The clients themselves are tried by the slow tests/test_analyst_access.py.)"""
from __future__ import annotations

import importlib.util
import re

from ingest.sql import GUARDED_CONFIG
from tests.conftest import REPO_ROOT

GUARD_FILE = REPO_ROOT / "docs" / "read_only_guard.sql"
README = REPO_ROOT / "README.md"


def _compat_module():
    spec = importlib.util.spec_from_file_location("check_client_compat", REPO_ROOT / "benchmarks" / "check_client_compat.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_init_script_sets_the_guard_lock_last():
    text = GUARD_FILE.read_text(encoding="utf-8")
    settings = re.findall(r"^SET (\w+) = (\w+);$", text, re.M)
    assert dict(settings) == {k: str(v).lower() for k, v in GUARDED_CONFIG.items()}
    assert settings[-1] == ("lock_configuration", "true")
    # Harlequin splits the script at every semicolon and fails on a piece that is only a comment.
    assert not [line for line in text.splitlines() if line.startswith("--") and ";" in line]


def test_the_client_probes_use_the_same_guard():
    compat = _compat_module()
    scope: dict = {}
    exec(compat.GUARD, scope)
    assert scope["GUARD"] == GUARDED_CONFIG
    assert compat.GUARD_FILE == GUARD_FILE
    assert all(probe.startswith(compat.GUARD) for _specs, probe in compat.CLIENTS.values())


def test_the_readme_names_every_client_check_and_the_init_script():
    readme = README.read_text(encoding="utf-8")
    for client in _compat_module().CLIENTS:
        assert f"--client {client}`" in readme, client
    assert "--init-path docs/read_only_guard.sql" in readme
