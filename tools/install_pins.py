"""Write the two files that install the hasila wheel with exactly the locked dependencies.

A wheel's metadata carries the ranges of pyproject.toml, not uv.lock's versions, and not the
project's [tool.uv] override-dependencies that keep camel-tools' neural stack (torch, transformers,
about 6 GB) out. With these two files the wheel gets what a checkout gets:

    .tools/bin/uv build --wheel
    .venv/bin/python tools/install_pins.py dist
    uv tool install dist/hasila-0.1.0-py3-none-any.whl -c dist/constraints.txt --overrides dist/overrides.txt

constraints.txt is `uv export --frozen --no-dev --no-emit-project --no-hashes` (every locked runtime
package, pinned); overrides.txt the override-dependencies, read from pyproject.toml. The pins are
constraints, not overrides: an override replaces a requirement whole and would drop its extras
(dbt-common needs mashumaro[msgpack]).
"""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
UV = REPO_ROOT / ".tools" / "bin" / "uv"


def locked_pins(repo: Path = REPO_ROOT) -> list[str]:
    """uv.lock's runtime packages as `name==version` lines (with their environment markers)."""
    export = subprocess.run([str(UV), "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
                             "--no-header", "--no-annotate"],
                            cwd=repo, capture_output=True, text=True, check=True)
    return [line for line in export.stdout.splitlines() if line.strip() and not line.startswith("#")]


def project_overrides(repo: Path = REPO_ROOT) -> list[str]:
    """The [tool.uv] override-dependencies of pyproject.toml (the packages that must never install)."""
    with open(repo / "pyproject.toml", "rb") as handle:
        return list(tomllib.load(handle)["tool"]["uv"]["override-dependencies"])


CONSTRAINTS, OVERRIDES = "constraints.txt", "overrides.txt"


def write_pins(out_dir: Path, repo: Path = REPO_ROOT) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    constraints, overrides = out_dir / CONSTRAINTS, out_dir / OVERRIDES
    constraints.write_text("\n".join(locked_pins(repo)) + "\n", encoding="utf-8")
    overrides.write_text("\n".join(project_overrides(repo)) + "\n", encoding="utf-8")
    return constraints, overrides


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(f"usage: {Path(__file__).name} OUT_DIR   (writes {CONSTRAINTS} and {OVERRIDES} there)", file=sys.stderr)
        return 2
    for path in write_pins(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
