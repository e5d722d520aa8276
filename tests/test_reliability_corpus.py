"""Reliability at the corpus boundary (issue 8): every folder entry is accounted for, nothing
outside the corpus is read, real encodings and saved web pages are read, and every quarantine
reason is one accepted value everywhere.

Each case builds its corpus in tmp_path and ends by checking that every input is accounted for:
a Document (loaded or quarantined with its reason) or a RefusedEntry / manifest problem.
"""
from __future__ import annotations

import codecs
import csv
import os
import signal
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from ingest import PROJECT_ROOT
from ingest import corpus as corpus_mod
from ingest.corpus import QUARANTINE_REASONS, RefusedFile, read_corpus, read_document
from ingest.loader import load_corpus
from tests.conftest import ARTICLES, write_corpus

ARABIC = ARTICLES["a.txt"]
SECRET = "نص سري خارج مجلد المدونة لا يجوز أن يقرأ أبدا مهما كانت الروابط التي تشير إليه."


@pytest.fixture(autouse=True)
def no_hang():
    """A blocking open (a FIFO read by mistake) fails the test instead of hanging the suite."""
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("reading the corpus blocked"))
    signal.alarm(20)
    yield
    signal.alarm(0)


def outcomes(corpus) -> dict[str, str]:
    """Every input of the corpus -> 'loaded' or its reason (documents, refused entries, manifest rows)."""
    got = {d.file_name: d.quarantine_reason or "loaded" for d in corpus.documents}
    for entry in corpus.refused:
        assert entry.path not in got, f"{entry.path} both read and refused"
        got[entry.path] = entry.reason
    for problem in corpus.manifest_problems:
        got[f"manifest:{problem.path}"] = problem.reason
    assert all(r == "loaded" or r in QUARANTINE_REASONS for r in got.values())
    return got


def folder_entries(root: Path) -> set[str]:
    """Every entry of the folder as the operating system lists it (links not followed)."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            rel = os.path.normpath(os.path.join(rel_dir, name))
            found.add(os.fsencode(rel).decode("utf-8", "backslashreplace"))
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d))
                       and _utf8(d)]
    for dirpath, dirnames, _ in os.walk(root):  # hidden and badly named folders are one entry each
        for d in dirnames:
            if d.startswith(".") or not _utf8(d):
                found.add(os.fsencode(os.path.relpath(os.path.join(dirpath, d), root)).decode("utf-8", "backslashreplace"))
    if not (root / corpus_mod.MANIFEST_NAME).is_symlink():
        found.discard(corpus_mod.MANIFEST_NAME)  # the manifest is read as such, not as a document
    return {f for f in found if not any(f.startswith(h + "/") for h in found)}


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def assert_all_accounted(root: Path, corpus) -> dict[str, str]:
    got = outcomes(corpus)
    files = {k for k in got if not k.startswith("manifest:")}
    assert files == folder_entries(root)
    return got


def write_manifest(folder: Path, rows: list[tuple[str, str, str]]) -> None:
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["doc_id", "file", "published_at", "outlet", "url"])
        for doc_id, file, day in rows:
            writer.writerow([doc_id, file, day, "", ""])


@pytest.fixture
def opened(monkeypatch):
    """Real paths of every file the corpus reader opens."""
    seen: list[str] = []
    real_open = os.open

    def spy(path, flags, *args, **kwargs):
        seen.append(os.path.realpath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(corpus_mod.os, "open", spy)
    return seen


# --- the corpus boundary -------------------------------------------------------------------------

def test_symlinks_are_never_followed_in_or_out(tmp_path, opened):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC})
    os.symlink(outside / "secret.txt", folder / "leak.txt")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink(folder / "a.txt", folder / "inside.txt")    # even a link to a corpus file
    os.symlink(outside, folder / "linked_folder")          # and to a folder
    corpus = read_corpus(folder)
    got = assert_all_accounted(folder, corpus)
    assert got == {"a.txt": "loaded", "leak.txt": "symlink", "passwd.txt": "symlink",
                   "inside.txt": "symlink", "linked_folder": "symlink"}
    assert str((outside / "secret.txt").resolve()) not in opened and "/etc/passwd" not in opened
    bodies = " ".join(d.body or "" for d in corpus.documents)
    assert SECRET not in bodies and "root:" not in bodies
    leak = next(e for e in corpus.refused if e.path == "leak.txt")
    assert "never followed" in leak.detail


def test_dangling_symlink_is_reported(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC})
    os.symlink(tmp_path / "nowhere.txt", folder / "gone.txt")
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"a.txt": "loaded", "gone.txt": "symlink"}
    assert "dangling" in corpus.refused[0].detail


def test_fifo_is_never_opened(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC})
    os.mkfifo(folder / "pipe.txt")
    corpus = read_corpus(folder)  # opening the FIFO for reading would block here
    assert assert_all_accounted(folder, corpus) == {"a.txt": "loaded", "pipe.txt": "not_regular_file"}
    assert "FIFO" in corpus.refused[0].detail


def test_device_is_refused_without_reading(tmp_path):
    with pytest.raises(RefusedFile) as refused:
        read_document(Path("/dev/zero"))  # `hasila extract /dev/zero` once read until MemoryError
    assert refused.value.reason == "not_regular_file"


def test_linked_manifest_is_not_read(tmp_path):
    outside = write_corpus(tmp_path / "outside", {"a.txt": ARABIC}, dates={"a.txt": "2023-01-01"})
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC}, manifest=False)
    os.symlink(outside / "manifest.csv", folder / "manifest.csv")
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"a.txt": "loaded", "manifest.csv": "symlink"}
    assert not corpus.has_manifest and corpus.documents[0].published_at is None


def test_hidden_files_and_folders_are_reported(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC})
    (folder / ".draft.txt").write_text(ARTICLES["b.txt"], encoding="utf-8")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("[core]", encoding="utf-8")
    got = assert_all_accounted(folder, read_corpus(folder))
    assert got == {"a.txt": "loaded", ".draft.txt": "hidden_file", ".git": "hidden_file"}


def test_nested_file_listed_in_the_manifest_is_a_document(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC}, manifest=False)
    (folder / "2023" / "may").mkdir(parents=True)
    (folder / "2023" / "may" / "b.txt").write_text(ARTICLES["b.txt"], encoding="utf-8")
    write_manifest(folder, [("doc_a", "a.txt", "2023-05-02"), ("doc_b", "2023/may/b.txt", "2023-05-03")])
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"a.txt": "loaded", "2023/may/b.txt": "loaded"}
    nested = next(d for d in corpus.documents if d.file_name == "2023/may/b.txt")
    assert (nested.doc_id, nested.published_at, nested.in_manifest) == ("doc_b", date(2023, 5, 3), True)
    assert corpus.missing_files == [] and corpus.not_in_manifest == []


def test_file_name_that_is_not_utf8_is_refused_and_shown_escaped(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC})
    with open(os.path.join(os.fsencode(folder), b"bad\xff\xfe.txt"), "wb") as handle:
        handle.write(ARTICLES["b.txt"].encode("utf-8"))
    corpus = read_corpus(folder)
    got = assert_all_accounted(folder, corpus)
    assert got == {"a.txt": "loaded", "bad\\xff\\xfe.txt": "bad_file_name"}
    "\n".join(e.path + e.detail for e in corpus.refused).encode("utf-8")  # printable, storable


def test_unreadable_file_does_not_stop_the_corpus(tmp_path, monkeypatch):
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC, "locked.txt": ARTICLES["b.txt"]})
    real_open = os.open

    def denied(path, flags, *args, **kwargs):  # chmod 0 does not stop root, so deny it here
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(corpus_mod.os, "open", denied)
    got = assert_all_accounted(folder, read_corpus(folder))
    assert got == {"a.txt": "loaded", "locked.txt": "unreadable"}


# --- bounded reads --------------------------------------------------------------------------------

def test_too_large_is_refused_after_a_bounded_read(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus_mod, "MAX_BYTES", 1000)
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC})
    (folder / "huge.txt").write_bytes(ARABIC.encode("utf-8") * 200)
    read_sizes: list[int] = []
    real_read = os.read

    def counting_read(fd, n):
        data = real_read(fd, n)
        read_sizes.append(len(data))
        return data

    monkeypatch.setattr(corpus_mod.os, "read", counting_read)
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"a.txt": "loaded", "huge.txt": "too_large"}
    huge = next(d for d in corpus.documents if d.file_name == "huge.txt")
    assert huge.body is None and huge.byte_size == (folder / "huge.txt").stat().st_size
    assert sum(read_sizes) <= 2 * (1000 + 1)  # two files, each at most MAX_BYTES + 1


# --- encodings and formats ------------------------------------------------------------------------

@pytest.mark.parametrize("encoding,expected", [
    ("cp1256", "cp1256"),
    ("iso8859_6", "iso8859_6"),
])
def test_legacy_arabic_code_pages_are_decoded(tmp_path, encoding, expected):
    folder = write_corpus(tmp_path / "c", {}, manifest=False)
    (folder / "old.txt").write_bytes(ARABIC.encode(encoding))
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"old.txt": "loaded"}
    [doc] = corpus.documents
    assert doc.body == ARABIC and doc.source_encoding == expected and doc.source_format == "text"


@pytest.mark.parametrize("data,encoding", [
    (codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), "utf-16"),
    (codecs.BOM_UTF32_LE + ARABIC.encode("utf-32-le"), "utf-32"),
    (ARABIC.encode("utf-16-le"), "utf-16-le"),  # no BOM: NUL bytes, yet text, not binary
])
def test_utf16_and_utf32_are_text_not_binary(tmp_path, data, encoding):
    folder = write_corpus(tmp_path / "c", {}, manifest=False)
    (folder / "wide.txt").write_bytes(data)
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"wide.txt": "loaded"}
    assert (corpus.documents[0].body, corpus.documents[0].source_encoding) == (ARABIC, encoding)


def test_binary_and_undecodable_are_told_apart(tmp_path):
    folder = write_corpus(tmp_path / "c", {}, manifest=False)
    (folder / "archive.zip.txt").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes("café crème brûlée à la française, très bien. ".encode("latin-1") * 4)
    got = assert_all_accounted(folder, read_corpus(folder))
    assert got == {"archive.zip.txt": "binary", "latin1.txt": "undecodable"}


def test_utf8_bom_is_stripped_and_offsets_point_into_the_body(tmp_path, fake_extractor):
    folder = write_corpus(tmp_path / "c", {}, manifest=False)
    (folder / "bom.txt").write_bytes(codecs.BOM_UTF8 + ARABIC.encode("utf-8"))
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"bom.txt": "loaded"}
    [doc] = corpus.documents
    assert doc.body == ARABIC and doc.source_encoding == "utf-8-sig" and doc.char_count == len(ARABIC)
    con = duckdb.connect()
    load_corpus(con, corpus, show_progress=False)
    rows = con.execute("SELECT m.char_start, m.char_end, m.sentence, d.body FROM raw.mentions m "
                       "JOIN raw.documents d USING (content_hash) ORDER BY m.char_start").fetchall()
    assert rows and rows[0][0] == 0 and not rows[0][3].startswith("\ufeff")
    assert all(body[start:end] == sentence for start, end, sentence, body in rows)


PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>قصف على ريف إدلب</title>
<meta property="article:published_time" content="2023-04-11T08:30:00+03:00"></head>
<body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/news">أخبار</a></li><li><a href="/sport">رياضة</a></li></ul></nav>
<article>
<h1>قصف على ريف إدلب</h1>
<p>{a}</p>
<p>{c}</p>
</article>
<aside><h3>اقرأ أيضا</h3><ul><li><a href="/n/1">مقتل 53 شخصا في انفجار سيارة مفخخة</a></li>
<li><a href="/n/2">مقتل 53 شخصا في غارة جوية على سوق شعبي</a></li></ul></aside>
<footer><p>جميع الحقوق محفوظة</p></footer>
</body></html>
""".format(a=ARTICLES["a.txt"], c=ARTICLES["c.txt"])


def test_html_page_is_reduced_to_its_article_text_and_date(tmp_path):
    folder = write_corpus(tmp_path / "c", {}, manifest=False)
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "page_cp1256.html").write_bytes(PAGE.replace("utf-8", "windows-1256")
                                               .replace("2023-04-11", "2023-04-12").encode("cp1256"))
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"page.html": "loaded", "page_cp1256.html": "loaded"}
    for doc in corpus.documents:
        assert doc.source_format == "html"
        assert "<" not in doc.body and "href" not in doc.body
        assert ARTICLES["a.txt"] in doc.body and ARTICLES["c.txt"] in doc.body
        assert "53" not in doc.body  # the related-articles box is not the article
    page, legacy = corpus.documents
    assert (page.published_at, page.source_encoding) == (date(2023, 4, 11), "utf-8")
    assert (legacy.published_at, legacy.source_encoding) == (date(2023, 4, 12), "cp1256")


def test_html_fragment_and_tiny_page_keep_their_text(tmp_path):
    folder = write_corpus(tmp_path / "c", {}, manifest=False)
    (folder / "fragment.txt").write_text("".join(f"<p>{t}</p>\n" for t in ARTICLES.values()), encoding="utf-8")
    (folder / "tiny.html").write_text(f"<div><span>{ARTICLES['c.txt']}</span></div>", encoding="utf-8")
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"fragment.txt": "loaded", "tiny.html": "loaded"}
    fragment, tiny = corpus.documents
    assert fragment.source_format == tiny.source_format == "html"
    assert fragment.body.split("\n") == list(ARTICLES.values()) and tiny.body == ARTICLES["c.txt"]


def test_manifest_date_wins_over_the_page_date(tmp_path):
    folder = write_corpus(tmp_path / "c", {}, manifest=False)
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    write_manifest(folder, [("p", "page.html", "2023-04-10")])
    [doc] = read_corpus(folder).documents
    assert doc.published_at == date(2023, 4, 10)


# --- the manifest ---------------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "2023-05-02", "02/05/2023", "2/5/2023", "02-05-2023", "02.05.2023", "2023/05/02",
    "2023-05-02T23:40:00+03:00", "2023-05-02 08:00:00", "2023-05-02T08:00:00Z", " 2023-05-02 ",
])
def test_manifest_dates_in_common_forms_parse(tmp_path, written):
    folder = write_corpus(tmp_path / "c", ARTICLES, dates={name: written for name in ARTICLES})
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {name: "loaded" for name in ARTICLES}
    assert {d.published_at for d in corpus.documents} == {date(2023, 5, 2)}


@pytest.mark.parametrize("written", ["2023-02-30", "31/31/2023", "yesterday", "2023-05", "05/02/23",
                                     (date.today() + timedelta(days=400)).isoformat()])
def test_unparseable_or_future_manifest_date_is_quarantined(tmp_path, written):
    folder = write_corpus(tmp_path / "c", ARTICLES, dates={"a.txt": written})
    corpus = read_corpus(folder)
    got = assert_all_accounted(folder, corpus)
    assert got == {"a.txt": "bad_manifest_date", "b.txt": "loaded", "c.txt": "loaded"}
    bad = next(d for d in corpus.documents if d.file_name == "a.txt")
    assert written in bad.detail and "line 2" in bad.detail


def test_duplicate_manifest_rows_first_wins_and_later_is_reported(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC}, manifest=False)
    write_manifest(folder, [("first", "a.txt", "2023-05-02"), ("second", "./a.txt", "2023-06-01")])
    corpus = read_corpus(folder)
    got = assert_all_accounted(folder, corpus)
    assert got == {"a.txt": "loaded", "manifest:a.txt": "duplicate_manifest_row"}
    [doc] = corpus.documents
    assert (doc.doc_id, doc.published_at) == ("first", date(2023, 5, 2))
    assert "line 3" in corpus.manifest_problems[0].detail and "line 2" in corpus.manifest_problems[0].detail


def test_duplicate_doc_id_names_the_first_file(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC, "b.txt": ARTICLES["b.txt"]}, manifest=False)
    write_manifest(folder, [("same", "a.txt", "2023-05-02"), ("same", "b.txt", "2023-05-02")])
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"a.txt": "loaded", "b.txt": "duplicate_doc_id"}
    second = next(d for d in corpus.documents if d.file_name == "b.txt")
    assert "a.txt" in second.detail


def test_duplicate_content_names_the_first_file(tmp_path):
    folder = write_corpus(tmp_path / "c", {"a.txt": ARABIC, "z.txt": ARABIC}, manifest=False)
    corpus = read_corpus(folder)
    assert assert_all_accounted(folder, corpus) == {"a.txt": "loaded", "z.txt": "duplicate"}
    assert "a.txt" in corpus.documents[1].detail


def test_every_kind_of_entry_at_once_is_accounted_for(tmp_path):
    folder = write_corpus(tmp_path / "c", ARTICLES)
    (folder / "sub").mkdir()
    (folder / "sub" / "d.txt").write_bytes(ARTICLES["b.txt"].encode("cp1256") + " إضافة".encode("cp1256"))
    (folder / "sub" / ".hidden").write_text("x", encoding="utf-8")
    os.mkfifo(folder / "sub" / "pipe")
    os.symlink("/etc/passwd", folder / "sub" / "passwd")
    (folder / "empty.txt").write_bytes(b"")
    corpus = read_corpus(folder)
    got = assert_all_accounted(folder, corpus)
    assert got == {"a.txt": "loaded", "b.txt": "loaded", "c.txt": "loaded", "sub/d.txt": "loaded",
                   "sub/.hidden": "hidden_file", "sub/pipe": "not_regular_file", "sub/passwd": "symlink",
                   "empty.txt": "empty"}
    assert corpus.not_in_manifest == ["empty.txt", "sub/d.txt"]


# --- one list of reasons --------------------------------------------------------------------------

def test_quarantine_reasons_are_one_list_in_code_dbt_and_expectations():
    from ingest.validate import ENUMS

    sources = yaml.safe_load((PROJECT_ROOT / "dbt_project" / "models" / "staging" / "hasila_raw"
                              / "_hasila_raw__sources.yml").read_text(encoding="utf-8"))
    [documents] = [t for s in sources["sources"] for t in s["tables"] if t["name"] == "documents"]
    [column] = [c for c in documents["columns"] if c["name"] == "quarantine_reason"]
    [dbt_values] = [t["accepted_values"]["arguments"]["values"] for t in column["data_tests"]
                    if isinstance(t, dict) and "accepted_values" in t]

    suite = yaml.safe_load((PROJECT_ROOT / "expectations" / "raw_documents.yml").read_text(encoding="utf-8"))
    [check] = [c for c in suite["checks"] if c["kwargs"].get("column") == "quarantine_reason"]
    value_set = check["kwargs"]["value_set"]
    ge_values = ENUMS[value_set.removeprefix("enum:")] if isinstance(value_set, str) else value_set

    assert len(set(QUARANTINE_REASONS)) == len(QUARANTINE_REASONS)
    assert list(dbt_values) == list(QUARANTINE_REASONS) == list(ge_values)
    for name in ("empty", "undecodable", "not_utf8", "binary", "too_large", "not_arabic", "bad_manifest_date",
                 "duplicate", "duplicate_doc_id", "symlink", "not_regular_file", "hidden_file", "bad_file_name",
                 "duplicate_manifest_row", "too_many_mentions", "extraction_failed"):
        assert name in QUARANTINE_REASONS  # other modules use these exact names
