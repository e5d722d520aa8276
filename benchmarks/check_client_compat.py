"""Open a warehouse with a DuckDB 1.x client, in an isolated environment, as an analyst's tools would.

The project runs DuckDB 2.0, whose default storage format DuckDB 1.x (the CLI, DBeaver's driver,
Node, duckdb-wasm) cannot read; Hasila writes its files in the 1.4.0 format (ingest/publish.py
STORAGE_VERSION). This script checks that promise from the outside: it creates a virtual
environment (python3 -m venv), pip-installs a DuckDB 1.x wheel into it, opens WAREHOUSE read-only
and runs a SELECT on marts.fct_incidents, and reads the column descriptions.

    ./run python benchmarks/check_client_compat.py warehouse.duckdb
    ./run python benchmarks/check_client_compat.py warehouse.duckdb --spec "duckdb==1.4.0"

Prints one JSON line (client version, rows, documented columns). Exit status: 0 opened, 1 the
client could not open or query the file, 77 the client could not be installed (no network or no
such version: nothing was checked).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_NOT_INSTALLED = 0, 1, 77
DEFAULT_SPEC = "duckdb<2"   # the newest 1.x release on PyPI (1.5.6 when this was written)
PIP_TIMEOUT_SECONDS = 300

# Run by the 1.x client: open read-only, query a mart and the comments dbt's persist_docs wrote.
PROBE = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
rows = con.execute("SELECT count(*) FROM marts.fct_incidents").fetchone()[0]
sample = con.execute("SELECT * FROM marts.fct_incidents LIMIT 5").fetchall()
documented, columns = con.execute(
    "SELECT count(comment), count(*) FROM duckdb_columns() WHERE schema_name IN ('marts', 'exports')").fetchone()
print(json.dumps({"client": duckdb.__version__, "fct_incidents_rows": rows, "sample_rows": len(sample),
                  "documented_columns": documented, "columns": columns}))
"""


def _python3() -> str:
    """A system python3 to create the venv with (the project's own venv may lack ensurepip)."""
    return shutil.which("python3") or sys.executable


def install_client(venv: Path, spec: str) -> tuple[bool, str]:
    """Create `venv` (if needed) and install `spec` into it; (installed, pip's last words)."""
    python = venv / "bin" / "python"
    if not python.exists():
        made = subprocess.run([_python3(), "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            return False, (made.stderr or made.stdout).strip()
    try:
        # Few retries and a short socket timeout: offline, the check is skipped quickly, not after minutes.
        pip = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "--retries", "1", "--timeout", "20", spec],
                             capture_output=True, text=True, timeout=PIP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return False, f"pip install {spec} took more than {PIP_TIMEOUT_SECONDS}s"
    return pip.returncode == 0, (pip.stderr or pip.stdout).strip()


def check(warehouse: Path, venv: Path, spec: str) -> tuple[int, str]:
    """(exit status, one line): open `warehouse` with the client `spec` installed into `venv`."""
    installed, words = install_client(venv, spec)
    if not installed:
        return EXIT_NOT_INSTALLED, f"could not install {spec}: {words.splitlines()[-1] if words else 'pip failed'}"
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", PROBE, str(warehouse.resolve())],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        lines = probe.stderr.strip().splitlines()
        errors = [line for line in lines if "Error" in line] or lines  # DuckDB's message, not the traceback
        return EXIT_FAILED, f"{spec} could not read {warehouse}: {errors[-1] if errors else 'no message'}"
    return EXIT_OK, probe.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--spec", default=DEFAULT_SPEC,
                        help=f"pip requirement for the client (default: {DEFAULT_SPEC!r})")
    parser.add_argument("--venv", type=Path, help="reuse this environment (default: a temporary one, removed after)")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"no warehouse at {args.warehouse}", file=sys.stderr)
        return EXIT_FAILED
    if args.venv:
        status, line = check(args.warehouse, args.venv, args.spec)
    else:
        with tempfile.TemporaryDirectory(prefix="duckdb1x-") as scratch:
            status, line = check(args.warehouse, Path(scratch) / "venv", args.spec)
    print(line, file=sys.stdout if status == EXIT_OK else sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
