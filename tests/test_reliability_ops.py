"""Operations reliability: the guarded query path, one-line failures with their recovery, --rebuild,
a dbt child that dies with its parent, and what `hasila status` tells about failures and rejects."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from ingest.cli import EXIT_BAD_INPUT, EXIT_BUSY, cli
from ingest.dbt_runner import DbtOutcome, run_child
from ingest.loader import IngestRefused
from ingest.publish import WarehouseFolderError, build_dir, failure_path, read_failure, record_failure, refresh_lock
from ingest.refresh import RefreshFailed, _dbt_failure, refresh
from ingest.sql import GUARDED_CONFIG, open_guarded
from ingest.status import status_lines, status_report
from tests.conftest import NEW_ARTICLE, REPO_ROOT, processes_mentioning, wait_until, write_corpus

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def ingest(corpus: Path, warehouse: Path, **kwargs):
    return refresh(corpus, warehouse, run_dbt=False, kind="ingest", echo=lambda line: None, show_progress=False,
                   **kwargs)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(result) -> str:
    """The CLI's error: exactly one line on stderr, no traceback."""
    err = result.stderr.strip()
    assert "Traceback" not in err and err.count("\n") == 0, err
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return err


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def published(corpus_dir, tmp_path, fake_extractor) -> Path:
    warehouse = tmp_path / "wh" / "w.duckdb"
    warehouse.parent.mkdir()
    ingest(corpus_dir, warehouse)
    with duckdb.connect(str(warehouse)) as con:  # a stand-in mart, so queries on marts can be checked
        con.execute("CREATE SCHEMA IF NOT EXISTS marts; "
                    "CREATE TABLE marts.fct_incidents AS SELECT 1 AS incident_id, 3 AS killed_best; CHECKPOINT")
    return warehouse


# --- 1. the guarded query path -------------------------------------------------------------------

HOSTILE = {
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "read_text": "SELECT * FROM read_text('/etc/passwd')",
    "read_blob": "SELECT * FROM read_blob('/etc/passwd')",
    "read_json": "SELECT * FROM read_json('/etc/passwd')",
    "glob": "SELECT * FROM glob('/etc/*')",
    "copy_to": "COPY (SELECT 1) TO '{tmp}/x.csv'",
    "copy_table_to": "COPY raw.documents TO '{tmp}/docs.parquet' (FORMAT parquet)",
    "export_database": "EXPORT DATABASE '{tmp}/export'",
    "attach_file": "ATTACH '{tmp}/other.duckdb' AS other",
    "attach_memory": "ATTACH ':memory:' AS scratch",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set_external_access": "SET enable_external_access = true",
    "reset_external_access": "RESET enable_external_access",
    "unlock_configuration": "SET lock_configuration = false",
    "set_allowed_paths": "SET allowed_paths = ['/etc/passwd']",
    "pragma_setting": "PRAGMA threads = 1",
    "pragma_profiling_output": "PRAGMA profiling_output = '{tmp}/profile.json'",
    "create_table": "CREATE TABLE main.evil (a INTEGER)",
    "create_view": "CREATE VIEW marts.evil AS SELECT 1",
    "insert": "INSERT INTO marts.fct_incidents VALUES (2, 99)",
    "update": "UPDATE raw.mentions SET count = 0",
    "delete": "DELETE FROM raw.documents",
    "drop": "DROP TABLE marts.fct_incidents",
    "create_secret": "CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_statement_fails_without_side_effect(published, tmp_path, name):
    statement = HOSTILE[name].format(tmp=tmp_path)
    before, files_before = digest(published), sorted(p.name for p in tmp_path.iterdir())
    with open_guarded(published) as con:
        with pytest.raises(duckdb.Error):
            con.execute(statement).fetchall()
        # the guard is still up afterwards, and the marts still answer
        assert con.execute("SELECT current_setting('enable_external_access'), "
                           "current_setting('lock_configuration')").fetchone() == (False, True)
        assert con.execute("SELECT killed_best FROM marts.fct_incidents").fetchall() == [(3,)]
    assert digest(published) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before, "a hostile statement created a file"


def test_the_battery_is_real_an_unguarded_connection_lets_files_through(published, tmp_path):
    """Without the guard config the same statements succeed: the guard is what stops them."""
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM read_text('/etc/passwd')").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM glob('/etc/*')").fetchone()[0] > 0
        con.execute(HOSTILE["copy_to"].format(tmp=tmp_path))
    assert (tmp_path / "x.csv").exists()


def test_guarded_connection_answers_ordinary_selects(published):
    with open_guarded(published) as con:
        assert con.execute("SELECT count(*) FROM raw.documents").fetchone() == (3,)
        assert con.execute("SELECT incident_id, killed_best FROM marts.fct_incidents").fetchall() == [(1, 3)]
        settings = dict(con.execute("SELECT name, value FROM duckdb_settings() WHERE name IN "
                                    "('access_mode', 'autoload_known_extensions', 'autoinstall_known_extensions')").fetchall())
    assert settings == {"access_mode": "read_only", "autoload_known_extensions": "false",
                        "autoinstall_known_extensions": "false"}
    assert set(GUARDED_CONFIG) >= {"enable_external_access", "lock_configuration",
                                   "autoinstall_known_extensions", "autoload_known_extensions"}


def test_hasila_sql_formats_and_stdin(runner, published):
    query = "SELECT incident_id, killed_best FROM marts.fct_incidents"
    table = runner.invoke(cli, ["sql", query, "--warehouse", str(published)])
    assert table.exit_code == 0, table.output
    assert table.stdout.splitlines()[0].split() == ["incident_id", "killed_best"] and "(1 row)" in table.stdout
    as_csv = runner.invoke(cli, ["sql", query, "--warehouse", str(published), "--format", "csv"])
    assert as_csv.stdout.splitlines() == ["incident_id,killed_best", "1,3"]
    piped = runner.invoke(cli, ["sql", "--warehouse", str(published), "--format", "json"],
                          input="SELECT doc_id, published_at FROM raw.documents ORDER BY doc_id")
    rows = [json.loads(line) for line in piped.stdout.splitlines()]
    assert rows[0] == {"doc_id": "doc_a", "published_at": "2023-05-02"} and len(rows) == 3


def test_hasila_sql_refuses_hostile_sql_in_one_line(runner, published, tmp_path):
    target = tmp_path / "leak.csv"
    result = runner.invoke(cli, ["sql", f"COPY (SELECT body FROM raw.documents) TO '{target}'",
                                 "--warehouse", str(published)])
    assert result.exit_code == 1 and "disabled by configuration" in result.stderr
    assert not target.exists()
    read = runner.invoke(cli, ["sql", "--warehouse", str(published)], input="SELECT * FROM read_csv('/etc/passwd')")
    assert read.exit_code == 1 and "root:" not in read.stdout


def test_hasila_sql_without_warehouse_or_query(runner, tmp_path, published):
    missing = runner.invoke(cli, ["sql", "SELECT 1", "--warehouse", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "hasila refresh" in one_line_error(missing)
    empty = runner.invoke(cli, ["sql", "--warehouse", str(published)], input="  \n")
    assert empty.exit_code == 2 and "no SQL given" in empty.stderr


# --- 2. clean failure: one line, recovery named, published file untouched ----------------------------

def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_while_copying_is_one_line(runner, published, corpus_dir, monkeypatch):
    before = digest(published)
    monkeypatch.setattr("ingest.publish.shutil.copy2", _enospc)
    result = runner.invoke(cli, ["ingest", str(corpus_dir), "--warehouse", str(published)])
    assert result.exit_code == 1
    assert f"disk full at {published.parent}: free space and re-run" in one_line_error(result)
    assert digest(published) == before and not list(build_dir(published).glob("w.*.duckdb*"))
    assert read_failure(published)["reason"].startswith("disk full at")


def test_disk_full_inside_duckdb_is_one_line(published, corpus_dir, monkeypatch):
    def full_disk_loader(con, corpus, show_progress=None, **_ignored):
        raise duckdb.TransactionException(
            f'TransactionContext Error: Failed to commit: Could not write file "{published.parent}/.build/w.1.duckdb": '
            "No space left on device")
    monkeypatch.setattr("ingest.refresh.load_corpus", full_disk_loader)
    with pytest.raises(RefreshFailed, match=r"^disk full at .*/\.build/w\.1\.duckdb: free space and re-run$"):
        ingest(corpus_dir, published)


def test_dbt_hitting_a_full_disk_is_reported_as_such(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    full = DbtOutcome("failed", 'Database Error in model fct_mentions\nCould not write file "/x/.build/w.1.duckdb": '
                                "No space left on device", tmp_path / "dbt_build.log")
    assert str(_dbt_failure(full, warehouse)) == "disk full at /x/.build/w.1.duckdb: free space and re-run"
    broken = DbtOutcome("failed", "Compilation Error in model x", tmp_path / "dbt_build.log")
    assert str(_dbt_failure(broken, warehouse)).startswith("dbt build failed")


def test_permission_denied_on_the_warehouse_folder_is_one_line(runner, published, corpus_dir, monkeypatch):
    def denied(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    monkeypatch.setattr("ingest.publish.open", denied, raising=False)  # the lock file is the first write
    result = runner.invoke(cli, ["ingest", str(corpus_dir), "--warehouse", str(published)])
    assert result.exit_code == 1
    message = one_line_error(result)
    assert "permission denied at" in message and "writable" in message


def test_disk_full_writing_the_lock_note_is_one_line(published, corpus_dir):
    class FullDisk:  # the open succeeds, the write does not
        def __init__(self, *args):
            self.handle = open(*args)

        def __getattr__(self, name):
            return getattr(self.handle, name)

        def flush(self):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    import ingest.publish as publish_module
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(publish_module, "open", FullDisk, raising=False)
        with pytest.raises(WarehouseFolderError, match=rf"^disk full at {published.parent}: free space and re-run$"):
            ingest(corpus_dir, published)


def test_ingest_refused_is_one_line_and_keeps_the_warehouse(runner, published, corpus_dir, monkeypatch):
    before = digest(published)

    def refusing_loader(con, corpus, show_progress=None, **_ignored):
        raise IngestRefused("the manifest would quarantine 3 of 3 loaded documents; refusing")
    monkeypatch.setattr("ingest.refresh.load_corpus", refusing_loader)
    result = runner.invoke(cli, ["ingest", str(corpus_dir), "--warehouse", str(published)])
    assert result.exit_code == EXIT_BAD_INPUT == 65 and "refusing" in one_line_error(result)
    assert digest(published) == before and not list(build_dir(published).glob("w.*.duckdb*"))
    assert "would quarantine" in "\n".join(status_lines(published))


def test_busy_exits_75_bad_input_exits_65(runner, published, corpus_dir, tmp_path):
    with refresh_lock(published.resolve()):
        busy = runner.invoke(cli, ["ingest", str(corpus_dir), "--warehouse", str(published)])
    assert busy.exit_code == EXIT_BUSY == 75 and "another refresh" in one_line_error(busy)
    empty = tmp_path / "empty_corpus"
    empty.mkdir()
    failed = runner.invoke(cli, ["ingest", str(empty), "--warehouse", str(published)])
    assert failed.exit_code == EXIT_BAD_INPUT and "no documents" in one_line_error(failed)


def _corrupt(warehouse: Path) -> bytes:
    garbage = os.urandom(warehouse.stat().st_size)
    warehouse.write_bytes(garbage)
    return garbage


def test_corrupt_published_file_names_the_rebuild(runner, published, corpus_dir):
    garbage = _corrupt(published)
    for command in (["ingest", str(corpus_dir)], ["status"], ["sql", "SELECT 1"], ["validate"]):
        result = runner.invoke(cli, [*command, "--warehouse", str(published)])
        message = one_line_error(result)
        assert result.exit_code == 1 and "unreadable" in message and "hasila refresh --rebuild" in message, command
    assert published.read_bytes() == garbage, "the corrupt file is evidence: never modified"
    assert not list(build_dir(published).glob("w.*.duckdb*"))


def test_rebuild_replaces_a_corrupt_file_and_keeps_it_aside(published, corpus_dir, fake_extractor):
    garbage = _corrupt(published)
    result = ingest(corpus_dir, published, rebuild=True)
    assert result.kept_aside is not None and result.kept_aside.name.startswith("w.duckdb.corrupt-")
    assert result.kept_aside.read_bytes() == garbage
    with open_guarded(published) as con:
        assert con.execute("SELECT count(*) FROM raw.documents").fetchone() == (3,)
    assert failure_path(published).exists() is False


def test_rebuild_of_a_readable_file_starts_empty_and_keeps_the_old_one(published, tmp_path, fake_extractor):
    other = write_corpus(tmp_path / "other", {NEW_ARTICLE[0]: NEW_ARTICLE[1]})
    result = ingest(other, published, rebuild=True)
    assert result.kept_aside.name.startswith("w.duckdb.replaced-")
    with open_guarded(published) as con:  # only the given corpus: the build did not start from a copy
        assert con.execute("SELECT list(doc_id) FROM raw.documents").fetchone() == (["doc_d"],)
    with open_guarded(result.kept_aside) as con:
        assert con.execute("SELECT count(*) FROM raw.documents").fetchone() == (3,)


def test_refresh_rebuild_flag_on_the_command_line(runner, published, corpus_dir, monkeypatch):
    garbage = _corrupt(published)
    monkeypatch.setattr("ingest.refresh.dbt_build", lambda build, work_dir, **kw: DbtOutcome("passed"))
    result = runner.invoke(cli, ["refresh", str(corpus_dir), "--warehouse", str(published), "--rebuild"])
    assert result.exit_code == 0, result.output
    kept = list(published.parent.glob("w.duckdb.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == garbage
    assert "kept as" in result.stderr


def _in_private_mount(script: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run a shell script in its own mount namespace (mounts vanish with it); skip where not allowed."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare not available")
    probe = subprocess.run(["unshare", "--mount", "sh", "-c", "mount -t tmpfs tmpfs /mnt"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)")
    return subprocess.run(["unshare", "--mount", "sh", "-euc", script], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=timeout)


def _cli(*args: str) -> str:
    return " ".join([sys.executable, "-m", "ingest.cli", *args])


@pytest.mark.slow
def test_real_full_disk_and_read_only_file_system(published, corpus_dir, tmp_path):
    """A tmpfs just big enough for the published file (no room for the build copy), then read-only."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    size_kb = published.stat().st_size // 1024 + 64
    warehouse = mount / "w.duckdb"
    out = _in_private_mount(f"""
        mount -t tmpfs -o size={size_kb}k tmpfs {mount}
        cp {published} {warehouse}
        sum_before=$(sha256sum {warehouse})
        set +e
        {_cli("ingest", str(corpus_dir), "--warehouse", str(warehouse))} 2> {tmp_path}/full.err
        echo "full=$?"
        mount -o remount,ro {mount}
        {_cli("ingest", str(corpus_dir), "--warehouse", str(warehouse))} 2> {tmp_path}/ro.err
        echo "ro=$?"
        [ "$sum_before" = "$(sha256sum {warehouse})" ] && echo "unchanged=yes"
        ls -A {mount}/.build || true
    """)
    assert "full=1" in out.stdout and "ro=1" in out.stdout and "unchanged=yes" in out.stdout, out.stdout + out.stderr
    full_err = [line for line in (tmp_path / "full.err").read_text().splitlines() if line.startswith("Error")]
    assert len(full_err) == 1 and "free space and re-run" in full_err[0]
    assert f"disk full at {mount}/.build/w." in full_err[0], "the path named is where the write failed"
    ro_err = (tmp_path / "ro.err").read_text()
    assert "Traceback" not in ro_err and "read-only file system at" in ro_err
    left = out.stdout.split("unchanged=yes")[1].split()
    assert not [name for name in left if re.fullmatch(r"w\.\d+\.duckdb.*", name)], f"build file left on the full disk: {left}"


# --- 3. the dbt child dies with its parent ---------------------------------------------------------

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_child_is_killed_when_its_parent_is_sigkilled(tmp_path):
    marker = f"hasila-orphan-check-{os.getpid()}-{time.monotonic_ns()}"
    parent = subprocess.Popen(
        [sys.executable, "-c", "import sys; from ingest.dbt_runner import run_child; "
                               "run_child([sys.executable, '-c', 'import time; time.sleep(300)', sys.argv[1]])", marker],
        cwd=REPO_ROOT)
    children = lambda: [pid for pid in processes_mentioning(marker) if pid != parent.pid]  # noqa: E731
    try:
        assert wait_until(children, 30), "the child never started"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert wait_until(lambda: not children(), 10), "the child outlived its parent"
    finally:
        for pid in processes_mentioning(marker):
            os.kill(pid, signal.SIGKILL)


def test_child_is_terminated_on_keyboard_interrupt(monkeypatch):
    started = []

    class Recorded(subprocess.Popen):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append(self)

    def interrupt(line):  # Ctrl-C arrives while the parent reads the child's output
        raise KeyboardInterrupt
    monkeypatch.setattr("ingest.dbt_runner.subprocess.Popen", Recorded)
    with pytest.raises(KeyboardInterrupt):
        run_child(["sh", "-c", "echo started; sleep 300"], on_line=interrupt)
    assert started and started[0].poll() is not None, "the child was left running"


SLOW_MODEL = """
def model(dbt, session):
    import time
    dbt.config(materialized="table")
    time.sleep(300)
    return session.sql("select 1 as a")
"""


def _slow_dbt_refresh(corpus: Path, warehouse: Path, project: Path) -> subprocess.Popen:
    """`hasila refresh` whose dbt project has a model that sleeps, so the test can act while dbt runs."""
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: slow\nversion: '1.0'\nconfig-version: 2\nprofile: slow\n")
    (project / "profiles.yml").write_text(
        "slow:\n  target: t\n  outputs:\n    t:\n      type: duckdb\n"
        "      path: \"{{ env_var('HASILA_WAREHOUSE') }}\"\n")
    (project / "models" / "sleeps.py").write_text(SLOW_MODEL)
    script = ("import functools, sys, ingest.refresh as r, ingest.dbt_runner as d, ingest.cli as c; "
              "r.dbt_build = functools.partial(d.dbt_build, project_dir=__import__('pathlib').Path(sys.argv[1])); "
              "sys.argv = ['hasila', 'refresh', sys.argv[2], '--warehouse', sys.argv[3]]; c.main()")
    return subprocess.Popen([sys.executable, "-c", script, str(project), str(corpus), str(warehouse)],
                            cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["sigkill", "sigterm"])
def test_no_dbt_survives_its_refresh(corpus_dir, tmp_path, how):
    warehouse = tmp_path / "w.duckdb"
    proc = _slow_dbt_refresh(corpus_dir, warehouse, tmp_path / "slow_dbt")
    dbt_marker = str(build_dir(warehouse) / "dbt" / "target")  # only this refresh's dbt has it on its command line
    try:
        assert wait_until(lambda: processes_mentioning(dbt_marker), 120), "dbt never started"
        time.sleep(3)  # let dbt reach the sleeping model
        proc.send_signal(how)
        assert proc.wait(30) != 0
        assert wait_until(lambda: not processes_mentioning(dbt_marker), 15), "dbt outlived the refresh"
        if how == signal.SIGTERM:  # a terminated refresh also cleans up its build file
            assert not list(build_dir(warehouse).glob("w.*.duckdb*"))
        assert not warehouse.exists()
    finally:
        for pid in processes_mentioning(dbt_marker):
            os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()


# --- 4. status: why the last refresh failed, rejected mentions, --json ------------------------------

def test_status_shows_the_whole_failure(published):
    reason = "dbt build failed (full log: x.log):\n" + "\n".join(f"Failure in test t{i} (models/x.yml)" for i in range(20))
    record_failure(published, "r-1", reason)
    text = "\n".join(status_lines(published))
    assert "Last failed attempt r-1" in text and "dbt build failed" in text
    assert "Failure in test t0 " in text and "Failure in test t10 " in text and "Failure in test t19" not in text
    assert "9 more line(s)" in text


def test_status_without_a_warehouse_says_why_the_first_refresh_failed(runner, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    record_failure(warehouse, "r-0", "2 expectation(s) failed: raw_mentions.victim_allowed\nmore")
    result = runner.invoke(cli, ["status", "--warehouse", str(warehouse)])
    assert result.exit_code == 1 and "victim_allowed" in one_line_error(result)


def test_status_counts_rejected_mentions_by_reason(runner, published):
    assert "Rejected mentions (kept out of raw.mentions): 0" in status_lines(published)
    with duckdb.connect(str(published)) as con:
        con.execute("""INSERT INTO raw.rejected_mentions VALUES
                       ('m1', 'h1', 'doc_a', 'source_not_allowed', 'previous', '{}', '0.1', now()),
                       ('m2', 'h1', 'doc_a', 'source_not_allowed', 'previous', '{}', '0.1', now()),
                       ('m3', 'h2', 'doc_b', 'date_before_war', '1974', '{}', '0.1', now())""")
    lines = status_lines(published)
    assert "Rejected mentions (kept out of raw.mentions): 3" in lines
    assert any(line.split() == ["source_not_allowed", "2", "in", "1", "document(s)"] for line in lines)
    as_json = runner.invoke(cli, ["status", "--json", "--warehouse", str(published)])
    report = json.loads(as_json.stdout)
    assert report["rejected_mentions"]["by_reason"][0] == {"reason": "source_not_allowed", "count": 2, "documents": 1}
    assert report["documents"] == [{"status": "loaded", "reason": None, "count": 3}]
    assert report["last_refresh"]["kind"] == "ingest" and report["last_failure"] is None


def test_status_json_matches_the_text(published):
    report = status_report(published)
    assert report["mentions"]["total"] == sum(row["count"] for row in report["mentions"]["by_outcome"])
    assert f"Mentions: {report['mentions']['total']}" in "\n".join(status_lines(published))


@pytest.mark.parametrize("command", [["sql"], ["refresh"], ["status"]])
def test_new_options_are_documented(runner, command):
    text = runner.invoke(cli, [*command, "--help"]).output
    expected = {"sql": ["--format", "stdin", "read-only"], "refresh": ["--rebuild", "75"], "status": ["--json"]}
    assert all(word in text for word in expected[command[0]]), text


def test_a_killed_refreshs_spill_folder_is_removed_with_its_build_file(tmp_path):
    """A load spills uncommitted rows to DuckDB's temporary folder beside the build file; a killed
    refresh leaves it behind, and the next refresh removes it with the build file."""
    from ingest.publish import build_dir, clean_stale_builds

    warehouse = tmp_path / "w.duckdb"
    spill = build_dir(warehouse) / "w.4242.duckdb.tmp"
    spill.mkdir(parents=True)
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"\0" * 64)
    (build_dir(warehouse) / "w.4242.duckdb").write_bytes(b"")
    kept = build_dir(warehouse) / "other.4242.duckdb.tmp"
    kept.mkdir()
    removed = clean_stale_builds(warehouse)
    assert sorted(p.name for p in removed) == ["w.4242.duckdb", "w.4242.duckdb.tmp"]
    assert not spill.exists() and kept.is_dir()
