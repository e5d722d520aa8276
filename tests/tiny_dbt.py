"""A throwaway dbt project on the warehouse file $HASILA_WAREHOUSE names, as the tests that need the
real dbt without the project's models write it (a failing test, a model that cannot build)."""
from __future__ import annotations

from pathlib import Path


def write_dbt_project(root: Path, name: str, models: dict[str, str]) -> Path:
    """root/dbt_project.yml and profiles.yml (dbt-duckdb, path from HASILA_WAREHOUSE) and one file per
    entry of `models` (file name -> text) in root/models; returns root."""
    (root / "models").mkdir(parents=True)
    (root / "dbt_project.yml").write_text(f"name: {name}\nversion: '1.0'\nconfig-version: 2\nprofile: {name}\n")
    (root / "profiles.yml").write_text(
        f"{name}:\n  target: t\n  outputs:\n    t:\n      type: duckdb\n"
        "      path: \"{{ env_var('HASILA_WAREHOUSE') }}\"\n")
    for file_name, text in models.items():
        (root / "models" / file_name).write_text(text)
    return root
