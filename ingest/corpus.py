"""Reading a corpus folder: its files, its manifest.csv, and the quarantine rules.

A corpus is a folder of article files (text or saved web pages, in UTF-8, UTF-16 or a legacy
Arabic code page) plus an optional manifest.csv with columns doc_id,file,published_at,outlet,url.
Every regular file, in the folder or a subfolder, becomes a `Document` keyed by its path relative
to the corpus root, with a stable id (sha256 of its bytes) and either status 'loaded' or
'quarantined' with a reason. Every other entry (link, FIFO, device, hidden or badly named entry)
becomes a `RefusedEntry`: nothing in the folder goes unaccounted for, and nothing outside it is
ever read (links are never followed). Nothing here touches the warehouse: deciding what is new
or a duplicate of an already-loaded document is the loader's job.
"""
from __future__ import annotations

import csv
import errno
import hashlib
import os
import posixpath
import re
import stat
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterator, NamedTuple, Optional, Protocol

from .decode import decode
from .html_text import article_from_html, looks_like_html

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("doc_id", "file", "published_at", "outlet", "url")
# Articles are a few KB; anything this big is a dump or a mistake, not an article.
MAX_BYTES = 2_000_000
READ_CHUNK = 1 << 20
# A text is Arabic when most of its letters are Arabic script (headlines may quote Latin names).
MIN_ARABIC_LETTER_SHARE = 0.5
MIN_ARABIC_LETTERS = 20

QUARANTINE_REASONS = (
    # judged from one file's content
    "empty", "undecodable", "not_utf8", "binary", "too_large", "not_arabic",
    # judged against the manifest or the rest of the corpus
    "bad_manifest_date", "duplicate", "duplicate_doc_id", "duplicate_manifest_row",
    # folder entries that never become documents (RefusedEntry)
    "symlink", "not_regular_file", "hidden_file", "bad_file_name", "unreadable",
    # judged while extracting (set by the loader)
    "too_many_mentions", "extraction_failed",
)
# 'not_utf8' is the name 'undecodable' had before legacy encodings were decoded: it is no longer
# produced, but warehouses built before stay valid. 'duplicate' (same bytes as another document)
# never gets its own raw.documents row, because content_hash is the table's key; it is recorded
# in meta.document_events instead, like every RefusedEntry and duplicate_manifest_row.
SOURCE_FORMATS = ("text", "html")

_ARABIC_LETTER = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC]")

# Manifest dates in the forms real spreadsheets and CMS exports write them; a time of day or a
# zone after the date is allowed and ignored (the date as written is the publication date).
_TIME_SUFFIX = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
MANIFEST_DATE_FORMATS = (
    ("iso", re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME_SUFFIX)),
    ("year_first_slash", re.compile(r"(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})" + _TIME_SUFFIX)),
    ("day_first", re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})" + _TIME_SUFFIX)),
)
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class ManifestError(ValueError):
    """The manifest cannot be read at all (missing columns, not CSV)."""


class RefusedFile(Exception):
    """A path that is not a regular file of the corpus (link, FIFO, device...): never read."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


@dataclass
class RefusedEntry:
    """A folder entry (or manifest row) that does not become a Document, and why."""
    path: str        # relative to the corpus root; bytes that are not UTF-8 shown as \\xNN
    reason: str      # one of QUARANTINE_REASONS
    detail: str


@dataclass(slots=True)  # no __dict__: a manifest may have 100k rows, held until their files are read
class ManifestRow:
    doc_id: str
    file: str                       # path relative to the corpus root, '/'-separated
    published_at: Optional[date]
    outlet: Optional[str]
    url: Optional[str]
    bad_date: Optional[str] = None  # the raw text when published_at did not parse
    line: int = 0                   # line number in manifest.csv (header = 1)


@dataclass
class Manifest:
    rows: dict[str, ManifestRow]    # by relative file path; the first row for a file wins
    problems: list[RefusedEntry] = field(default_factory=list)


@dataclass
class Document:
    """One input file, classified."""
    path: Path
    content_hash: str                # sha256 of the bytes (of the first MAX_BYTES+1 when too_large)
    doc_id: str
    byte_size: int
    body: Optional[str]              # decoded text without BOM; for HTML the article text only
    published_at: Optional[date] = None
    outlet: Optional[str] = None
    url: Optional[str] = None
    in_manifest: bool = False
    quarantine_reason: Optional[str] = None
    rel_path: Optional[str] = None   # path relative to the corpus root ('sub/a.txt')
    source_encoding: Optional[str] = None  # utf-8 | utf-8-sig | utf-16 | utf-32 | cp1256 | ...
    source_format: Optional[str] = None    # text | html
    detail: Optional[str] = None     # why it was quarantined, naming the other file when there is one
    # False when its bytes were hashed but never decoded, because the warehouse already holds them,
    # loaded, under this name and manifest row (Corpus.already_stored): body and encoding are unknown
    classified: bool = True

    @property
    def file_name(self) -> str:
        return self.rel_path or self.path.name

    @property
    def status(self) -> str:
        return "quarantined" if self.quarantine_reason else "loaded"

    @property
    def char_count(self) -> Optional[int]:
        return None if self.body is None else len(self.body)


class FileHashes(Protocol):
    """Content hashes recorded by file stat (ingest/hash_cache.py HashCache)."""

    def hash_of(self, path: str, info: os.stat_result) -> Optional[str]: ...

    def record(self, path: str, info: os.stat_result, content_hash: str, stat_taken_ns: int) -> None: ...


@dataclass
class Corpus:
    root: Path
    documents: list[Document]
    has_manifest: bool
    missing_files: list[str] = field(default_factory=list)      # manifest rows whose file is absent
    not_in_manifest: list[str] = field(default_factory=list)    # files the manifest does not list
    refused: list[RefusedEntry] = field(default_factory=list)   # entries that are not documents
    manifest_problems: list[RefusedEntry] = field(default_factory=list)  # e.g. duplicate_manifest_row
    # Set by the loader before it reads the documents of open_corpus: whether the warehouse already
    # holds a document (hashed, manifest row applied, not yet decoded) loaded exactly as it stands.
    # Such a file is left undecoded: decoding and judging every known file was most of the cost of
    # a refresh that adds a few files to a large corpus.
    already_stored: Optional[Callable[["Document"], bool]] = None
    # Set by the loader too: the hash recorded for a file with this very stat, so that a file
    # already_stored accepts is not even read (reading and hashing every known file was the rest of
    # that cost), and where the hash of each file read is recorded.
    hashes: Optional[FileHashes] = None
    listed_at_ns: int = 0  # time.time_ns() before the folder's entries were stat'ed


def _blank_to_none(value: Optional[str]) -> Optional[str]:
    value = (value or "").strip()
    return value or None


def shown_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 written as \\xNN (never a conversion error)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def normalise_manifest_path(value: str) -> str:
    """'./sub\\a.txt' -> 'sub/a.txt': the form Document.rel_path takes."""
    value = value.strip().replace("\\", "/")
    return posixpath.normpath(value).lstrip("/") if value else ""


def parse_manifest_date(raw: str) -> date:
    """The date in `raw` (see MANIFEST_DATE_FORMATS); ValueError when none fits or it is not a day."""
    text = raw.strip()
    for _name, pattern in MANIFEST_DATE_FORMATS:
        found = pattern.fullmatch(text)
        if found:
            return date(int(found["y"]), int(found["m"]), int(found["d"]))
    raise ValueError(f"not a date: {raw!r}")


def _manifest_date(raw: Optional[str]) -> tuple[Optional[date], Optional[str]]:
    """(published_at, the raw text when unusable): a date that does not parse or lies in the future
    is kept as bad_date, so the document is quarantined rather than dated wrongly."""
    raw_date = _blank_to_none(raw)
    if not raw_date:
        return None, None
    try:
        published = parse_manifest_date(raw_date)
    except ValueError:
        return None, raw_date
    if published > date.today():
        return None, raw_date
    return published, None


def _manifest_row(line: dict, file_path: str, line_num: int) -> ManifestRow:
    published, bad = _manifest_date(line.get("published_at"))
    outlet = _blank_to_none(line.get("outlet"))
    return ManifestRow(
        doc_id=_blank_to_none(line.get("doc_id")) or Path(file_path).stem,
        file=file_path, published_at=published,
        outlet=outlet and sys.intern(outlet),   # a few outlets repeated over the rows: one string each
        url=_blank_to_none(line.get("url")),
        bad_date=bad, line=line_num,
    )


def _read_manifest_rows(path: Path, reader: csv.DictReader) -> Manifest:
    missing = [c for c in ("doc_id", "file", "published_at") if c not in (reader.fieldnames or [])]
    if missing:
        raise ManifestError(f"{path}: missing column(s) {', '.join(missing)}; "
                            f"expected {','.join(MANIFEST_COLUMNS)}")
    manifest = Manifest(rows={})
    for line in reader:
        file_path = normalise_manifest_path(line.get("file") or "")
        if not file_path or file_path == ".":
            continue
        first = manifest.rows.get(file_path)
        if first is not None:
            manifest.problems.append(RefusedEntry(
                file_path, "duplicate_manifest_row",
                f"manifest line {reader.line_num} lists {file_path} again; line {first.line} is kept"))
            continue
        manifest.rows[file_path] = _manifest_row(line, file_path, reader.line_num)
    return manifest


def load_manifest(path: Path) -> Manifest:
    """Manifest rows keyed by relative file path, and the rows that repeat a file (reported)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return _read_manifest_rows(path, csv.DictReader(handle))
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: not UTF-8 ({exc.reason})") from exc
    except csv.Error as exc:
        raise ManifestError(f"{path}: not a readable CSV ({exc})") from exc


def read_manifest(path: Path) -> dict[str, ManifestRow]:
    """Manifest rows keyed by relative file path (the first row for a file wins)."""
    return load_manifest(path).rows


def is_arabic(text: str) -> bool:
    letters = sum(map(str.isalpha, text))  # map: no Python frame per character (every file is read each refresh)
    arabic = len(_ARABIC_LETTER.findall(text))
    return arabic >= MIN_ARABIC_LETTERS and arabic >= MIN_ARABIC_LETTER_SHARE * letters


def _reads_as_arabic(text: str) -> bool:
    """A legacy-encoding guess is right when its non-ASCII letters are Arabic (markup is ASCII)."""
    non_ascii = sum(ch.isalpha() and not ch.isascii() for ch in text)
    arabic = len(_ARABIC_LETTER.findall(text))
    return arabic >= MIN_ARABIC_LETTERS and arabic >= MIN_ARABIC_LETTER_SHARE * non_ascii


@dataclass
class Content:
    """What a file's bytes are, judged from the bytes alone."""
    reason: Optional[str]
    body: Optional[str]
    encoding: Optional[str] = None
    format: Optional[str] = None
    page_date: Optional[date] = None   # publication date read from an HTML page
    detail: Optional[str] = None


def classify_content(data: bytes, size: Optional[int] = None) -> Content:
    """Decode and judge one file's bytes (`size`: its size on disk when only a prefix was read)."""
    size = len(data) if size is None else size
    if size > MAX_BYTES or len(data) > MAX_BYTES:
        return Content("too_large", None, detail=f"{size} bytes, over the {MAX_BYTES} byte limit")
    if not data.strip():
        return Content("empty", data.decode("utf-8", errors="replace") if data else "", "utf-8", "text")
    decoded = decode(data, _reads_as_arabic)
    if decoded.text is None:
        return Content(decoded.reason, None, decoded.encoding)
    text, fmt, page_date = decoded.text, "text", None
    if looks_like_html(text):
        fmt = "html"
        article = article_from_html(text)
        page_date = article.published_at if article.published_at and article.published_at <= date.today() else None
        if article.text is None:
            return Content("empty", "", decoded.encoding, fmt, page_date, "HTML page without article text")
        text = article.text
    if not text.strip():
        return Content("empty", text, decoded.encoding, fmt, page_date)
    if not is_arabic(text):
        return Content("not_arabic", text, decoded.encoding, fmt, page_date)
    return Content(None, text, decoded.encoding, fmt, page_date)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "folder"), (stat.S_ISLNK, "symbolic link")):
        if test(mode):
            return name
    return "special file"


def read_bounded(path: Path, expect: Optional[os.stat_result | ListedFile] = None) -> tuple[bytes, int]:
    """(at most MAX_BYTES+1 bytes, size on disk) of a regular file, without following a link.

    Raises RefusedFile for a link, FIFO, device or socket (a FIFO is never opened for a blocking
    read; O_NONBLOCK covers one swapped in after the folder was listed) and when the file opened
    is not the one `expect` (its lstat from the folder listing) describes.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):
            raise RefusedFile("symlink", "symbolic link; links are never followed") from exc
        if exc.errno in (errno.ENXIO, errno.ENODEV):  # a socket, or a device without a driver
            raise RefusedFile("not_regular_file", os.strerror(exc.errno)) from exc
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise RefusedFile("not_regular_file", f"{_kind(info.st_mode)}, not a regular file; never read")
        if expect is not None and (info.st_dev, info.st_ino) != (expect.st_dev, expect.st_ino):
            raise RefusedFile("not_regular_file", "replaced while the corpus was being read")
        limit, chunks, got = MAX_BYTES + 1, [], 0
        while got < limit:  # streaming, bounded even when st_size lies (growing files)
            chunk = os.read(fd, min(READ_CHUNK, limit - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks), max(info.st_size, got)
    finally:
        os.close(fd)


def _apply_manifest(doc: Document, row: Optional[ManifestRow], content: Content) -> None:
    if row:
        doc.doc_id, doc.in_manifest = row.doc_id, True
        doc.published_at, doc.outlet, doc.url = row.published_at, row.outlet, row.url
        if doc.quarantine_reason is None and row.bad_date:
            doc.quarantine_reason = "bad_manifest_date"
            doc.detail = f"published_at {row.bad_date!r} (manifest line {row.line}) is not a past date"
    if doc.published_at is None and not (row and row.bad_date) and content.page_date:
        doc.published_at = content.page_date  # the page's own date when the manifest gives none


_UNREAD = Content(None, None)  # what a document's metadata is judged with before its bytes are decoded


def _unread_document(path: Path, content_hash: str, size: int, manifest_row: Optional[ManifestRow],
                     rel_path: Optional[str]) -> Document:
    """A document known by its hash and manifest row only (classified=False): body unknown."""
    doc = Document(path=path, content_hash=content_hash, doc_id=path.stem,
                   byte_size=size, body=None, rel_path=rel_path, classified=False)
    _apply_manifest(doc, manifest_row, _UNREAD)
    return doc


def read_document(path: Path, manifest_row: Optional[ManifestRow] = None, *, rel_path: Optional[str] = None,
                  expect: Optional[os.stat_result | ListedFile] = None,
                  already_stored: Optional[Callable[[Document], bool]] = None) -> Document:
    """Read and classify one file on its own (no duplicate detection); a file `already_stored` accepts
    (see Corpus.already_stored) is hashed only, and comes back unclassified.

    Raises RefusedFile when `path` is a link or not a regular file (it is then never read).
    """
    # One Path and one digest per file: each Path() parses its string again, and every stored file
    # of the corpus passes here on each refresh (15 % of the CPU of re-reading an unchanged 10k corpus).
    path = Path(path)
    data, size = read_bounded(path, expect)
    content_hash = hashlib.sha256(data).hexdigest()
    if already_stored is not None:
        doc = _unread_document(path, content_hash, size, manifest_row, rel_path)
        if already_stored(doc):
            return doc
    content = classify_content(data, size)
    doc = Document(
        path=path, content_hash=content_hash, doc_id=path.stem,
        byte_size=size, body=content.body, quarantine_reason=content.reason, rel_path=rel_path,
        source_encoding=content.encoding, source_format=content.format, detail=content.detail,
    )
    _apply_manifest(doc, manifest_row, content)
    return doc


class ListedFile(NamedTuple):
    """A regular file of a folder listing: its path relative to the root, and the identity its lstat
    gave (read_bounded checks the file it opens against it). A plain tuple, not a Path and a stat
    result: a listing holds every file of the corpus (about 100 bytes each instead of 1,000)."""
    rel: str
    st_dev: int
    st_ino: int


@dataclass
class _Listing:
    files: list[ListedFile] = field(default_factory=list)
    refused: list[RefusedEntry] = field(default_factory=list)
    devices: dict[int, int] = field(default_factory=dict)   # one int object per device, shared by its files
    started_ns: int = field(default_factory=time.time_ns)  # before any entry was stat'ed


def _list(folder: Path, prefix: str, listing: _Listing) -> None:
    """Walk one folder explicitly: lstat only, so no link is ever followed."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        listing.refused.append(RefusedEntry(prefix.rstrip("/") or ".", "unreadable", f"folder not listable: {exc.strerror}"))
        return
    for entry in entries:
        rel = prefix + shown_name(entry.name)
        try:
            entry.name.encode("utf-8")
        except UnicodeEncodeError:
            listing.refused.append(RefusedEntry(rel, "bad_file_name", "file name is not valid UTF-8; rename it"))
            continue
        if entry.name.startswith("."):
            listing.refused.append(RefusedEntry(rel, "hidden_file", "hidden entries are not read"))
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            listing.refused.append(RefusedEntry(rel, "unreadable", exc.strerror or str(exc)))
            continue
        if stat.S_ISLNK(info.st_mode):
            try:
                target = shown_name(os.readlink(entry.path))
            except OSError:
                target = "?"
            dangling = not os.path.exists(entry.path)
            listing.refused.append(RefusedEntry(
                rel, "symlink", f"{'dangling ' if dangling else ''}symbolic link to {target}; links are never followed"))
        elif stat.S_ISDIR(info.st_mode):
            _list(Path(entry.path), rel + "/", listing)
        elif stat.S_ISREG(info.st_mode):
            if rel != MANIFEST_NAME:
                device = listing.devices.setdefault(info.st_dev, info.st_dev)
                listing.files.append(ListedFile(rel, device, info.st_ino))
        else:
            listing.refused.append(RefusedEntry(rel, "not_regular_file", f"{_kind(info.st_mode)}; never opened"))


def list_corpus(root: Path) -> _Listing:
    listing = _Listing()
    _list(Path(root), "", listing)
    listing.files.sort(key=lambda f: f.rel)
    return listing


def corpus_files(root: Path) -> list[Path]:
    """Every regular file of the folder and its subfolders (no links, hidden or badly named
    entries, not the manifest), in relative-path order."""
    return [Path(root) / listed.rel for listed in list_corpus(root).files]


def _match_manifest(rows: dict[str, ManifestRow], present: list[str]) -> dict[str, ManifestRow]:
    """Manifest row per present file: by relative path, else (older manifests that prefix a
    folder) by the file name of a row naming a path that does not exist, when that name is unique."""
    matched = {rel: rows[rel] for rel in present if rel in rows}
    by_name: dict[str, list[ManifestRow]] = {}
    for key, row in rows.items():
        if key not in matched and "/" in key:
            by_name.setdefault(posixpath.basename(key), []).append(row)
    for rel in present:
        if rel not in matched and len(by_name.get(rel, [])) == 1:
            matched[rel] = by_name[rel][0]
    return matched


@dataclass
class _FirstSeen:
    """The first file of the corpus with each content hash and each loaded doc_id."""
    by_hash: dict[str, str] = field(default_factory=dict)
    by_doc_id: dict[str, str] = field(default_factory=dict)

    def mark_duplicate(self, doc: Document, rel: str) -> None:
        """Quarantine a later copy of the same bytes, or a second loaded document under one doc_id;
        else remember `rel` as the first file with this content (and doc_id)."""
        if doc.content_hash in self.by_hash:
            doc.quarantine_reason = "duplicate"
            doc.detail = f"same content as {self.by_hash[doc.content_hash]}"
        elif doc.status == "loaded" and doc.doc_id in self.by_doc_id:
            doc.quarantine_reason = "duplicate_doc_id"
            doc.detail = f"doc_id {doc.doc_id} is already used by {self.by_doc_id[doc.doc_id]}"
        self.by_hash.setdefault(doc.content_hash, rel)
        if doc.status == "loaded":
            self.by_doc_id.setdefault(doc.doc_id, rel)


def _unread_if_stored(path: Path, row: Optional[ManifestRow], rel: str, info: os.stat_result,
                      corpus: Corpus) -> Optional[Document]:
    """The document of a file whose hash corpus.hashes holds for this very stat, left unread, when
    corpus.already_stored accepts it; else None (the file is to be read)."""
    if corpus.already_stored is None:
        return None
    content_hash = corpus.hashes.hash_of(str(path), info)
    if content_hash is None:
        return None
    doc = _unread_document(path, content_hash, info.st_size, row, rel)
    return doc if corpus.already_stored(doc) else None


def _read_listed(path: Path, row: Optional[ManifestRow], rel: str, listed: ListedFile,
                 corpus: Corpus) -> Optional[Document]:
    """One listed file, or None when it is refused (recorded in corpus.refused)."""
    try:
        if corpus.hashes is None:
            return read_document(path, row, rel_path=rel, expect=listed, already_stored=corpus.already_stored)
        # The listing keeps no stat per file (memory), so the cache's key is stat'ed here; a file
        # replaced since it was listed is refused by read_bounded's identity check as before.
        info = os.lstat(path)
        doc = _unread_if_stored(path, row, rel, info, corpus)
        if doc is not None:
            return doc
        doc = read_document(path, row, rel_path=rel, expect=listed, already_stored=corpus.already_stored)
        corpus.hashes.record(str(path), info, doc.content_hash, corpus.listed_at_ns)
        return doc
    except RefusedFile as refused:
        corpus.refused.append(RefusedEntry(rel, refused.reason, refused.detail))
    except OSError as exc:  # permission denied, I/O error: this file only, the corpus goes on
        corpus.refused.append(RefusedEntry(rel, "unreadable", exc.strerror or str(exc)))
    return None


def read_corpus(root: Path) -> Corpus:
    """Read and classify every entry of a corpus folder; duplicates within it are marked too."""
    corpus, documents = open_corpus(root)
    corpus.documents = list(documents)
    return corpus


def open_corpus(root: Path) -> tuple[Corpus, Iterator[Document]]:
    """The corpus (its documents list left empty) and its documents, read and classified one at a time
    as the iterator is consumed, so that only one body need be in memory. Once the iterator is
    exhausted, the corpus accounts for every entry (refused files, files not in the manifest)."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {root}")
    manifest_path = root / MANIFEST_NAME
    has_manifest = manifest_path.is_file() and not manifest_path.is_symlink()
    manifest = load_manifest(manifest_path) if has_manifest else Manifest(rows={})
    listing = list_corpus(root)
    present = [listed.rel for listed in listing.files]
    matched = _match_manifest(manifest.rows, present)
    accounted = {row.file for row in matched.values()} | {e.path for e in listing.refused}
    corpus = Corpus(root=root, documents=[], has_manifest=has_manifest,
                    missing_files=sorted(set(manifest.rows) - accounted),
                    refused=list(listing.refused), manifest_problems=list(manifest.problems),
                    listed_at_ns=listing.started_ns)
    return corpus, _documents(corpus, listing, matched)


def _documents(corpus: Corpus, listing: _Listing, matched: dict[str, ManifestRow]) -> Iterator[Document]:
    first_seen = _FirstSeen()
    # Each file's listing entry and manifest row are let go once it is read: what a load holds of the
    # corpus shrinks as it goes, instead of the whole listing staying until the last document.
    files = listing.files
    listing.files = []
    files.reverse()
    while files:
        listed = files.pop()
        rel = listed.rel
        row = matched.pop(rel, None)
        if row is None and corpus.has_manifest:
            corpus.not_in_manifest.append(rel)
        doc = _read_listed(corpus.root / rel, row, rel, listed, corpus)
        if doc is not None:
            first_seen.mark_duplicate(doc, rel)
            yield doc
