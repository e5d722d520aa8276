"""The `hasila` command line, driven in-process with click's CliRunner."""
from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest
from click.testing import CliRunner

from ingest.cli import EXIT_BAD_INPUT, EXIT_BUSY, EXIT_CHECKS_FAILED, EXIT_FAILED, cli
from tests.conftest import ARTICLES, fake_mentions

# The keys of one mention in MENTIONS.md's output table, in order.
MENTION_KEYS = ["doc_id", "outcome", "count", "count_qualifier", "victim", "perpetrator", "scope", "event_date",
                "date_precision", "period_start", "period_end", "place", "admin1", "source", "char_start",
                "char_end", "sentence", "date_basis", "count_rule", "victim_rule", "date_rule", "place_rule"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", [[], ["refresh"], ["ingest"], ["extract"], ["validate"], ["status"], ["export"],
                                     ["report"], ["sql"]])
def test_help_everywhere(runner, command):
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_extract_writes_the_mention_contract(runner, corpus_dir, monkeypatch):
    seen = {}

    def recording_extractor(text, doc_id, published_at=None, outlet=None):
        seen[doc_id] = published_at
        return fake_mentions(text, doc_id, published_at)
    monkeypatch.setattr("ingest.extract.extract_document", recording_extractor)
    (corpus_dir / "undated.txt").write_text(ARTICLES["b.txt"] + " ثم أفرج عنهما.", encoding="utf-8")
    files = [str(corpus_dir / "a.txt"), str(corpus_dir / "undated.txt")]
    result = runner.invoke(cli, ["extract", *files, "--manifest", str(corpus_dir / "manifest.csv"),
                                 "--published", "2024-01-10"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert records and all(list(r) == MENTION_KEYS for r in records)
    assert "مدنيين" in result.stdout  # Arabic kept as is (ensure_ascii=False)
    assert {r["doc_id"] for r in records} == {"doc_a", "undated"}
    assert seen == {"doc_a": date(2023, 5, 2), "undated": date(2024, 1, 10)}


def test_extract_skips_unreadable_files_with_a_note(runner, corpus_dir, monkeypatch):
    monkeypatch.setattr("ingest.extract.extract_document", fake_mentions)
    (corpus_dir / "blob.bin").write_bytes(b"\x00\x01\x02")
    result = runner.invoke(cli, ["extract", str(corpus_dir)])
    assert result.exit_code == 0
    assert "skipped" in result.stderr and "binary" in result.stderr
    assert {json.loads(line)["doc_id"] for line in result.stdout.splitlines()} == {"doc_a", "doc_b", "doc_c"}


def test_missing_warehouse_is_a_one_line_error(runner, tmp_path):
    for command in (["validate"], ["status"]):
        result = runner.invoke(cli, [*command, "--warehouse", str(tmp_path / "none.duckdb")])
        assert result.exit_code == 1
        assert result.stderr.strip().count("\n") == 0 and "hasila refresh" in result.stderr


def test_ingest_status_validate(runner, corpus_dir, tmp_path, fake_extractor):
    warehouse = tmp_path / "w.duckdb"
    result = runner.invoke(cli, ["ingest", str(corpus_dir), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "published" in result.stdout and "3 file(s) accounted for" in result.stderr

    status = runner.invoke(cli, ["status", "--warehouse", str(warehouse)])
    assert status.exit_code == 0 and "Last ingest" in status.stdout and "Mentions:" in status.stdout

    ok = runner.invoke(cli, ["validate", "--warehouse", str(warehouse), "--layer", "raw"])
    assert ok.exit_code == 0 and "0 failed" in ok.stdout

    with duckdb.connect(str(warehouse)) as con:  # a bad row slipped into the published file
        con.execute("UPDATE raw.mentions SET victim = 'aliens' WHERE rowid = 0")
    bad = runner.invoke(cli, ["validate", "--warehouse", str(warehouse)])
    assert bad.exit_code == EXIT_CHECKS_FAILED == 3 and "victim_allowed" in bad.stdout and "FAILED" in bad.stdout

    as_json = runner.invoke(cli, ["validate", "--warehouse", str(warehouse), "--json"])
    report = json.loads(as_json.stdout)
    assert as_json.exit_code == EXIT_CHECKS_FAILED and report["failed"] == 1 and report["passed"] > 0
    failed = [c for c in report["checks"] if c["status"] == "failed"]
    assert [c["check"] for c in failed] == ["victim_allowed"] and failed[0]["unexpected"] == 1
    assert report["data_docs"].startswith("file://") and report["data_docs"].endswith("index.html")


def test_refresh_of_missing_folder_fails_cleanly(runner, tmp_path):
    result = runner.invoke(cli, ["refresh", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_extract_never_reads_a_device_or_a_link(runner, corpus_dir, monkeypatch):
    monkeypatch.setattr("ingest.extract.extract_document", fake_mentions)
    (corpus_dir / "passwd.txt").symlink_to("/etc/passwd")
    result = runner.invoke(cli, ["extract", "/dev/zero", str(corpus_dir / "passwd.txt")])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "/dev/zero: not_regular_file" in result.stderr and "passwd.txt: symlink" in result.stderr


def test_extract_matches_nested_files_to_their_manifest_rows(runner, tmp_path, monkeypatch):
    monkeypatch.setattr("ingest.extract.extract_document", fake_mentions)
    (tmp_path / "c" / "sub").mkdir(parents=True)
    (tmp_path / "c" / "sub" / "a.txt").write_text(ARTICLES["a.txt"], encoding="utf-8")
    (tmp_path / "c" / "manifest.csv").write_text(
        "doc_id,file,published_at,outlet,url\nnested,sub/a.txt,2023-05-02,,\n", encoding="utf-8")
    for args in (["extract", str(tmp_path / "c")],
                 ["extract", str(tmp_path / "c" / "sub" / "a.txt"), "--manifest", str(tmp_path / "c" / "manifest.csv")]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert {json.loads(line)["doc_id"] for line in result.stdout.splitlines()} == {"nested"}


def test_version_comes_from_the_package_metadata(runner):
    from importlib.metadata import version
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"hasila, version {version('hasila')}"


def test_exit_statuses_are_distinct_and_documented():
    # usage errors are click's 2; each status means one thing to a scheduler
    codes = {"failed": EXIT_FAILED, "usage": 2, "checks": EXIT_CHECKS_FAILED, "bad input": EXIT_BAD_INPUT,
             "busy": EXIT_BUSY}
    assert len(set(codes.values())) == len(codes) and 0 not in codes.values()
    from tests.conftest import REPO_ROOT
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit statuses", 1)[1].split("\n#", 1)[0]
    for code in codes.values():
        assert f"| {code} |" in section, code


def test_a_manifest_that_cannot_be_read_is_bad_input(runner, corpus_dir, tmp_path, fake_extractor):
    (corpus_dir / "manifest.csv").write_bytes(b"doc_id,file\n\x80\x81,a.txt\n")
    result = runner.invoke(cli, ["ingest", str(corpus_dir), "--warehouse", str(tmp_path / "w.duckdb")])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert "manifest.csv" in result.stderr and result.stderr.strip().count("\n") == 0


def test_a_refresh_whose_checks_fail_exits_3(runner, corpus_dir, tmp_path, monkeypatch):
    from ingest.refresh import ChecksFailed

    def failing_checks(*args, **kwargs):
        raise ChecksFailed("1 expectation(s) failed: raw_mentions.victim_allowed (1 unexpected)")
    monkeypatch.setattr("ingest.refresh.refresh", failing_checks)
    result = runner.invoke(cli, ["refresh", str(corpus_dir), "--warehouse", str(tmp_path / "w.duckdb")])
    assert result.exit_code == EXIT_CHECKS_FAILED and "victim_allowed" in result.stderr
