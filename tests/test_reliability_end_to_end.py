"""Issue 8's sweep, end to end: one corpus holding every kind of bad input a crawler or a publisher
hands over, beside good articles, through a real `refresh` (extractor, dbt, expectations, publish).

Each run must end with every input accounted for in meta.document_events, nothing read from outside
the corpus, the good articles published, and a second, worse run leaving the published file intact.
The per-case tests live in test_reliability_corpus.py, _loader.py and _ops.py; this one checks that
the pieces hold together in one refresh.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from ingest.refresh import refresh
from tests.conftest import ARTICLES, copy_of, write_corpus

pytestmark = pytest.mark.slow

# written for this test: a casualty report in an old Arabic code page, and a saved web page
CP1256_REPORT = "قتل مدنيان اثنان وأصيب ثلاثة آخرون في قصف على بلدة في ريف حلب الشمالي يوم الاثنين."
HTML_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>خبر</title>
<meta property="article:published_time" content="2023-05-01"></head><body>
<nav><a href="/">الرئيسية</a> <a href="/news">أخبار</a></nav>
<article><h1>مقتل مدني بانفجار في درعا</h1>
<p>قتل مدني وأصيب اثنان آخران بانفجار عبوة ناسفة في مدينة درعا صباح اليوم، بحسب مصادر محلية.</p>
<p>وقالت المصادر إن الانفجار وقع قرب سوق شعبي مزدحم في وسط المدينة.</p></article>
<aside><h3>اقرأ أيضاً</h3><ul><li><a href="/x">مقتل 53 شخصاً في هجوم سابق</a></li></ul></aside>
</body></html>"""
SECRET = "قتل 999 شخصا في هذا النص السري الذي لا يجوز أن يقرأ من خارج المجلد أبدا"


def hostile_corpus(root: Path, outside: Path) -> Path:
    folder = write_corpus(root, ARTICLES)
    (folder / "sub").mkdir()
    (folder / "sub" / "nested.txt").write_text(ARTICLES["c.txt"].replace("أربعة", "خمسة"), encoding="utf-8")
    (folder / "legacy.txt").write_bytes(CP1256_REPORT.encode("cp1256"))
    (folder / "bom.txt").write_bytes("\ufeff".encode("utf-8") + ARTICLES["b.txt"].replace("شابين", "ثلاثة شبان").encode("utf-8"))
    (folder / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "english.txt").write_text("Nothing in Arabic here at all, just a plain English note.", encoding="utf-8")
    (folder / "copy.txt").write_text(ARTICLES["a.txt"], encoding="utf-8")           # same bytes as a.txt
    (folder / ".hidden.txt").write_text(ARTICLES["a.txt"] + " ", encoding="utf-8")
    outside.write_text(SECRET, encoding="utf-8")
    (folder / "outside.txt").symlink_to(outside)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "dangling.txt").symlink_to(root / "nowhere.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / os.fsdecode(b"bad\xff.txt")).write_text(ARTICLES["a.txt"] + "  ", encoding="utf-8")
    with (folder / "manifest.csv").open("a", encoding="utf-8") as manifest:
        manifest.write("doc_nested,sub/nested.txt,02/05/2023,موقع,\n")      # DD/MM/YYYY, nested path
        manifest.write("doc_legacy,legacy.txt,2023-05-01T09:30:00+03:00,موقع,\n")
        manifest.write("doc_a,copy.txt,2023-05-02,موقع,\n")                 # a second file under doc_a
        manifest.write("doc_again,legacy.txt,2023-05-01,موقع,\n")           # a second row for one file
        manifest.write("doc_gone,gone.txt,2023-05-01,موقع,\n")              # a file that is not there
    return folder


def test_every_input_is_accounted_for_and_the_good_ones_are_published(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    folder = hostile_corpus(tmp_path / "corpus", tmp_path / "secret.txt")
    entries = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.name != "manifest.csv"
               and not (p.is_dir() and not p.is_symlink())}
    result = refresh(folder, warehouse, echo=lambda line: None, show_progress=False)
    assert result.dbt.status == "passed" and not any(c.failed for c in result.checks)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        events = con.execute("SELECT file_name, outcome, reason FROM meta.document_events").fetchall()
        accounted = {name for name, _outcome, _reason in events}
        # every entry of the folder (shown with its bad bytes escaped) and the missing manifest row
        assert {e.replace("\udcff", "\\xff") for e in entries} | {"gone.txt"} <= accounted
        by_file = {name: (outcome, reason) for name, outcome, reason in events}
        assert by_file["outside.txt"] == by_file["passwd.txt"] == by_file["dangling.txt"] == ("refused", "symlink")
        assert by_file["pipe.txt"] == ("refused", "not_regular_file")
        assert by_file[".hidden.txt"] == ("refused", "hidden_file")
        assert by_file["bad\\xff.txt"] == ("refused", "bad_file_name")
        assert by_file["empty.txt"] == ("quarantined", "empty") and by_file["english.txt"] == ("quarantined", "not_arabic")
        assert by_file["copy.txt"][1] == "duplicate" and by_file["gone.txt"][0] == "missing_file"
        # nothing from outside the corpus reached the warehouse
        assert not con.execute("SELECT * FROM raw.documents WHERE body LIKE '%999%' OR body LIKE '%root:%'").fetchall()
        # the decoded, nested, BOM-marked and HTML documents are loaded with offsets into their bodies
        loaded = dict(con.execute("SELECT file_name, source_encoding || '/' || source_format FROM raw.documents "
                                  "WHERE status = 'loaded'").fetchall())
        assert loaded["legacy.txt"] == "cp1256/text" and loaded["bom.txt"] == "utf-8-sig/text"
        assert loaded["page.html"].endswith("/html") and "sub/nested.txt" in loaded
        spans = con.execute("SELECT d.file_name, substr(d.body, m.char_start + 1, m.char_end - m.char_start) "
                            "FROM raw.mentions m JOIN raw.documents d USING (content_hash)").fetchall()
        assert any(f == "legacy.txt" and "مدنيان" in text for f, text in spans)
        assert not any(f == "page.html" and "53" in text for f, text in spans)   # the related-articles box
        assert con.execute("SELECT count(*) FROM marts.fct_incidents").fetchone()[0] > 0


def test_a_worse_second_run_leaves_the_published_warehouse_intact(refreshed_articles, tmp_path):
    copied = copy_of(refreshed_articles, tmp_path)  # corpus_dir's ARTICLES refreshed (tests/conftest.py)
    folder, warehouse = copied.corpus, copied.warehouse
    published = warehouse.read_bytes()
    # the manifest now has dates nobody can read for every document: refused whole, nothing demoted
    write_corpus(folder, ARTICLES, dates={name: "sometime in May" for name in ARTICLES})
    big = write_corpus(tmp_path / "big", {f"{i}.txt": ARTICLES["a.txt"] + f" {i}" for i in range(12)},
                       dates={f"{i}.txt": "sometime" for i in range(12)})
    with pytest.raises(Exception, match="would quarantine"):
        refresh(big, warehouse, echo=lambda line: None, show_progress=False)
    assert warehouse.read_bytes() == published
    refresh(folder, warehouse, echo=lambda line: None, show_progress=False)   # a few bad dates: goes on
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.documents WHERE status = 'loaded'").fetchone()[0] == len(ARTICLES)
