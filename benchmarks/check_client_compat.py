"""Open a warehouse with an analyst's client, in an isolated environment, as that client would.

The project runs DuckDB 2.0, whose default storage format DuckDB 1.x (the CLI, DBeaver's driver,
Node, duckdb-wasm) cannot read; Hasila writes its files in the 1.4.0 format (ingest/publish.py
STORAGE_VERSION). This script checks that promise, and the README's connection recipes, from the
outside: it creates a virtual environment (python3 -m venv), pip-installs the client into it, opens
WAREHOUSE read-only with the guard settings of the README, queries marts.fct_incidents, reads the
column descriptions and checks that reading another file is refused. Clients:

  duckdb              the DuckDB Python client, 1.x by default (`duckdb<2`)
  harlequin           Harlequin (the SQL IDE for the terminal) through its own DuckDB adapter, as its
                      Data Catalog and query editor use it, and its `hsql` command with the guard
                      as an init script (`--init-path`)
  superset-sqlalchemy the SQLAlchemy path Apache Superset 6.1 takes to DuckDB: what
                      `apache-superset[duckdb]==6.1.0` pins (SQLAlchemy 1.4, duckdb-engine, DuckDB
                      1.4.2+ below 2), without Superset itself
  sqlalchemy          duckdb-engine with the newest SQLAlchemy 2.0 (reflection fails with 2.1)
  superset            apache-superset[duckdb] 6.1.0 itself (heavy: minutes, ~1 GB): its
                      `superset test-db` command, then its Database model listing schemas, tables
                      and columns (as when a dataset is added) and running a query (as SQL Lab)

    ./run python benchmarks/check_client_compat.py warehouse.duckdb
    ./run python benchmarks/check_client_compat.py warehouse.duckdb --client harlequin
    ./run python benchmarks/check_client_compat.py warehouse.duckdb --spec "duckdb==1.4.0"

Prints one JSON line (client versions, rows, documented columns). Exit status: 0 opened, 1 the
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
PIP_TIMEOUT_SECONDS = 900

# The README's read-only guard, the same five settings for every client.
GUARD = """GUARD = {"enable_external_access": False, "autoinstall_known_extensions": False,
         "autoload_known_extensions": False, "allow_community_extensions": False, "lock_configuration": True}
"""
# The same as statements, for clients that run an init script (Harlequin); passed to every probe as argv[2].
GUARD_FILE = Path(__file__).resolve().parents[1] / "docs" / "read_only_guard.sql"

# Each probe runs inside the client's venv with the warehouse path as argv[1] (and GUARD_FILE as argv[2])
# and prints one JSON line.
DUCKDB_PROBE = GUARD + """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True, config=GUARD)
rows = con.execute("SELECT count(*) FROM marts.fct_incidents").fetchone()[0]
sample = con.execute("SELECT * FROM marts.fct_incidents LIMIT 5").fetchall()
documented, columns = con.execute(
    "SELECT count(comment), count(*) FROM duckdb_columns() WHERE schema_name IN ('marts', 'exports')").fetchone()
try:
    con.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall(); guarded = False
except duckdb.Error as exc:
    guarded = "disabled by configuration" in str(exc)
print(json.dumps({"client": duckdb.__version__, "fct_incidents_rows": rows, "sample_rows": len(sample),
                  "documented_columns": documented, "columns": columns, "guarded": guarded}))
"""

HARLEQUIN_PROBE = GUARD + """
import json, subprocess, sys
from importlib.metadata import version
from pathlib import Path
from harlequin.exception import HarlequinQueryError
from harlequin_duckdb import DuckDbAdapter
init = sys.argv[2]  # docs/read_only_guard.sql, as the README's recipe passes it (--init-path)
# What the IDE does: the adapter connects read-only (-r) after the init script, the Data Catalog
# walks database > schema > table > column, the editor runs a query.
conn = DuckDbAdapter(conn_str=(sys.argv[1],), read_only=True, init_path=init).connect()
database = conn.get_catalog().items[0]
schemas = {s.label: s for s in database.fetch_children()}
marts = {t.label: t for t in schemas["marts"].fetch_children()}
columns = [c.label for c in marts["fct_incidents"].fetch_children()]
rows = conn.execute("SELECT count(*) AS n FROM marts.fct_incidents").fetchall().to_pylist()[0]["n"]
try:
    conn.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall(); guarded = False
except HarlequinQueryError as exc:
    guarded = "disabled by configuration" in str(exc)
# The same through Harlequin's non-interactive command, as the README writes it.
hsql = subprocess.run([str(Path(sys.executable).with_name("hsql")), "-r", "--init-path", init, sys.argv[1],
                       "-c", "SELECT count(*) AS n FROM marts.fct_incidents", "--csv", "--no-header"],
                      capture_output=True, text=True)
print(json.dumps({"client": "harlequin " + version("harlequin"), "duckdb": version("duckdb"),
                  "schemas": sorted(schemas), "marts_tables": len(marts), "fct_incidents_columns": len(columns),
                  "fct_incidents_rows": rows, "hsql_rows": int(hsql.stdout.strip() or -1), "guarded": guarded}))
"""

SQLALCHEMY_PROBE = GUARD + """
import json, sys
from importlib.metadata import version
from sqlalchemy import create_engine, inspect, text
engine = create_engine(f"duckdb:///{sys.argv[1]}", connect_args={"read_only": True, "config": GUARD})
inspector = inspect(engine)   # what a BI tool reflects to list tables and columns
columns = inspector.get_columns("fct_incidents", schema="marts")
with engine.connect() as con:
    rows = con.execute(text("SELECT count(*) FROM marts.fct_incidents")).scalar()
    try:
        con.execute(text("SELECT * FROM read_csv('/etc/passwd')")).fetchall(); guarded = False
    except Exception as exc:  # the DBAPI error wrapped by SQLAlchemy
        guarded = "disabled by configuration" in str(exc)
print(json.dumps({"client": "sqlalchemy " + version("sqlalchemy"), "duckdb_engine": version("duckdb_engine"),
                  "duckdb": version("duckdb"), "schemas": sorted(inspector.get_schema_names()),
                  "marts_tables": len(inspector.get_table_names(schema="marts")),
                  "fct_incidents_columns": len(columns), "documented_columns": sum(bool(c.get("comment")) for c in columns),
                  "table_comment": bool(inspector.get_table_comment("fct_incidents", schema="marts")["text"]),
                  "fct_incidents_rows": rows, "guarded": guarded}))
"""

# Superset itself, with a throwaway config and metadata database (it needs a secret key and one to
# start): its own connection test (`superset test-db`), then its Database model as the UI uses it
# when a dataset is added (schemas, tables, columns with their descriptions) and SQL Lab runs a query.
SUPERSET_PROBE = GUARD + """
import json, os, secrets, subprocess, sys, tempfile
from importlib.metadata import version
from pathlib import Path
home = Path(tempfile.mkdtemp(prefix="superset-"))
(home / "superset_config.py").write_text(
    f"SECRET_KEY = {secrets.token_hex(16)!r}\\nSQLALCHEMY_DATABASE_URI = 'sqlite:///{home}/superset.db'\\n")
os.environ.update(SUPERSET_CONFIG_PATH=str(home / "superset_config.py"), SUPERSET_HOME=str(home))
superset = str(Path(sys.executable).with_name("superset"))
uri, connect_args = f"duckdb:///{sys.argv[1]}", {"read_only": True, "config": GUARD}
subprocess.run([superset, "db", "upgrade"], capture_output=True, check=True, timeout=600)
test = subprocess.run([superset, "test-db", uri, "-c", json.dumps({"connect_args": connect_args})],
                      capture_output=True, text=True, timeout=600)
if "Connected successfully" not in test.stdout + test.stderr:
    sys.exit("superset test-db: " + (test.stderr.strip().splitlines() or ["no output"])[-1])
from superset.app import create_app
with create_app().app_context():
    from superset.models.core import Database
    from superset.sql.parse import Table
    db = Database(database_name="hasila", sqlalchemy_uri=uri,
                  extra=json.dumps({"engine_params": {"connect_args": connect_args}}))
    schemas = db.get_all_schema_names()
    tables = db.get_all_table_names_in_schema(catalog=None, schema="marts")
    columns = db.get_columns(Table("fct_incidents", "marts"))
    frame = db.get_df("SELECT count(*) AS n FROM marts.fct_incidents")
    try:
        db.get_df("SELECT * FROM read_csv('/etc/passwd')"); guarded = False
    except Exception as exc:  # whatever Superset wraps the driver's error in
        guarded = "disabled by configuration" in str(exc)
print(json.dumps({"client": "superset " + version("apache-superset"), "sqlalchemy": version("sqlalchemy"),
                  "duckdb_engine": version("duckdb_engine"), "duckdb": version("duckdb"), "schemas": sorted(schemas),
                  "marts_tables": len(tables), "fct_incidents_columns": len(columns),
                  "documented_columns": sum(bool(c.get("comment")) for c in columns),
                  "fct_incidents_rows": int(frame["n"][0]), "guarded": guarded}))
"""

CLIENTS = {
    "duckdb": (["duckdb<2"], DUCKDB_PROBE),
    "harlequin": (["harlequin"], HARLEQUIN_PROBE),
    "superset-sqlalchemy": (["duckdb-engine", "sqlalchemy>=1.4,<2", "duckdb>=1.4.2,<2"], SQLALCHEMY_PROBE),
    "sqlalchemy": (["duckdb-engine", "sqlalchemy<2.1"], SQLALCHEMY_PROBE),
    # 6.1.0 does not declare rich and cachetools, which its CLI imports, and breaks with flask-caching
    # 2.5 (SupersetMetastoreCache gets an unexpected argument): added and pinned here.
    "superset": (["apache-superset[duckdb]==6.1.0", "rich", "cachetools", "flask-caching<2.5"], SUPERSET_PROBE),
}
DEFAULT_CLIENT = "duckdb"


def _python3() -> str:
    """A system python3 to create the venv with (the project's own venv may lack ensurepip)."""
    return shutil.which("python3") or sys.executable


def install_client(venv: Path, specs: list[str]) -> tuple[bool, str]:
    """Create `venv` (if needed) and install `specs` into it; (installed, pip's last words)."""
    python = venv / "bin" / "python"
    if not python.exists():
        made = subprocess.run([_python3(), "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            return False, (made.stderr or made.stdout).strip()
    try:
        # Few retries and a short socket timeout: offline, the check is skipped quickly, not after minutes.
        pip = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "--retries", "1", "--timeout", "20", *specs],
                             capture_output=True, text=True, timeout=PIP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return False, f"pip install {' '.join(specs)} took more than {PIP_TIMEOUT_SECONDS}s"
    return pip.returncode == 0, (pip.stderr or pip.stdout).strip()


def check(warehouse: Path, venv: Path, specs: list[str], probe: str) -> tuple[int, str]:
    """(exit status, one line): open `warehouse` with the client `specs` installed into `venv`."""
    installed, words = install_client(venv, specs)
    if not installed:
        return EXIT_NOT_INSTALLED, f"could not install {' '.join(specs)}: {words.splitlines()[-1] if words else 'pip failed'}"
    run = subprocess.run([str(venv / "bin" / "python"), "-c", probe, str(warehouse.resolve()), str(GUARD_FILE)],
                         capture_output=True, text=True, timeout=900)
    if run.returncode != 0:
        lines = run.stderr.strip().splitlines()
        errors = [line for line in lines if "Error" in line] or lines  # the client's message, not the traceback
        return EXIT_FAILED, f"{' '.join(specs)} could not read {warehouse}: {errors[-1] if errors else 'no message'}"
    return EXIT_OK, run.stdout.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--client", choices=sorted(CLIENTS), default=DEFAULT_CLIENT)
    parser.add_argument("--spec", action="append",
                        help="pip requirement(s) instead of the client's own (repeatable; default for duckdb: "
                             f"{CLIENTS[DEFAULT_CLIENT][0]!r})")
    parser.add_argument("--venv", type=Path, help="reuse this environment (default: a temporary one, removed after)")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"no warehouse at {args.warehouse}", file=sys.stderr)
        return EXIT_FAILED
    specs, probe = CLIENTS[args.client]
    specs = args.spec or specs
    if args.venv:
        status, line = check(args.warehouse, args.venv, specs, probe)
    else:
        with tempfile.TemporaryDirectory(prefix=f"{args.client}-") as scratch:
            status, line = check(args.warehouse, Path(scratch) / "venv", specs, probe)
    print(line, file=sys.stdout if status == EXIT_OK else sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
