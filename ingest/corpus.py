"""Reading a corpus folder: its files, its manifest.csv, and the quarantine rules.

A corpus is a folder of article files (UTF-8 text) plus an optional manifest.csv with
columns doc_id,file,published_at,outlet,url. Every file becomes a `Document` with a
stable id (sha256 of its bytes) and either status 'loaded' or 'quarantined' with a
reason. Nothing here touches the warehouse: deciding what is new or a duplicate of an
already-loaded document is the loader's job.
"""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("doc_id", "file", "published_at", "outlet", "url")
# Articles are a few KB; anything this big is a dump or a mistake, not an article.
MAX_BYTES = 2_000_000
# A text is Arabic when most of its letters are Arabic script (headlines may quote Latin names).
MIN_ARABIC_LETTER_SHARE = 0.5
MIN_ARABIC_LETTERS = 20

QUARANTINE_REASONS = (
    "empty", "not_utf8", "binary", "too_large", "not_arabic",
    "bad_manifest_date", "duplicate", "duplicate_doc_id",
)
# 'duplicate' (same bytes as another document) never gets its own raw.documents row, because
# content_hash is the table's key; it is recorded in meta.document_events instead.

_ARABIC_LETTER = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC]")


class ManifestError(ValueError):
    """The manifest cannot be read at all (missing columns, not CSV)."""


@dataclass
class ManifestRow:
    doc_id: str
    file: str
    published_at: Optional[date]
    outlet: Optional[str]
    url: Optional[str]
    bad_date: Optional[str] = None  # the raw text when published_at did not parse


@dataclass
class Document:
    """One input file, classified."""
    path: Path
    content_hash: str
    doc_id: str
    byte_size: int
    body: Optional[str]
    published_at: Optional[date] = None
    outlet: Optional[str] = None
    url: Optional[str] = None
    in_manifest: bool = False
    quarantine_reason: Optional[str] = None

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def status(self) -> str:
        return "quarantined" if self.quarantine_reason else "loaded"

    @property
    def char_count(self) -> Optional[int]:
        return None if self.body is None else len(self.body)


@dataclass
class Corpus:
    root: Path
    documents: list[Document]
    has_manifest: bool
    missing_files: list[str] = field(default_factory=list)      # manifest rows whose file is absent
    not_in_manifest: list[str] = field(default_factory=list)    # files the manifest does not list


def _blank_to_none(value: Optional[str]) -> Optional[str]:
    value = (value or "").strip()
    return value or None


def read_manifest(path: Path) -> dict[str, ManifestRow]:
    """Manifest rows keyed by file name (the `file` column may hold a relative path)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("doc_id", "file", "published_at") if c not in (reader.fieldnames or [])]
            if missing:
                raise ManifestError(f"{path}: missing column(s) {', '.join(missing)}; "
                                    f"expected {','.join(MANIFEST_COLUMNS)}")
            rows: dict[str, ManifestRow] = {}
            for line in reader:
                file_name = Path((line.get("file") or "").strip()).name
                if not file_name:
                    continue
                raw_date = _blank_to_none(line.get("published_at"))
                published, bad = None, None
                if raw_date:
                    try:
                        published = date.fromisoformat(raw_date)
                    except ValueError:
                        bad = raw_date
                    else:
                        if published > date.today():
                            published, bad = None, raw_date
                rows[file_name] = ManifestRow(
                    doc_id=_blank_to_none(line.get("doc_id")) or Path(file_name).stem,
                    file=file_name, published_at=published,
                    outlet=_blank_to_none(line.get("outlet")), url=_blank_to_none(line.get("url")),
                    bad_date=bad,
                )
            return rows
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: not UTF-8 ({exc.reason})") from exc
    except csv.Error as exc:
        raise ManifestError(f"{path}: not a readable CSV ({exc})") from exc


def content_quarantine_reason(data: bytes) -> tuple[Optional[str], Optional[str]]:
    """(reason or None, decoded text or None) judged from the bytes alone."""
    if not data.strip():
        return "empty", (data.decode("utf-8", errors="replace") if data else "")
    if len(data) > MAX_BYTES:
        return "too_large", None
    if b"\x00" in data[:8192]:
        return "binary", None
    try:
        text = data.decode("utf-8")  # offsets in MENTIONS.md are into the file as decoded from UTF-8
    except UnicodeDecodeError:
        return "not_utf8", None
    if not text.strip():
        return "empty", text
    letters = sum(ch.isalpha() for ch in text)
    arabic = len(_ARABIC_LETTER.findall(text))
    if arabic < MIN_ARABIC_LETTERS or arabic < MIN_ARABIC_LETTER_SHARE * letters:
        return "not_arabic", text
    return None, text


def read_document(path: Path, manifest_row: Optional[ManifestRow] = None) -> Document:
    """Read and classify one file on its own (no duplicate detection)."""
    data = path.read_bytes()
    reason, body = content_quarantine_reason(data)
    doc = Document(
        path=path, content_hash=hashlib.sha256(data).hexdigest(),
        doc_id=manifest_row.doc_id if manifest_row else path.stem,
        byte_size=len(data), body=body, in_manifest=manifest_row is not None,
    )
    if manifest_row:
        doc.published_at, doc.outlet, doc.url = manifest_row.published_at, manifest_row.outlet, manifest_row.url
        if reason is None and manifest_row.bad_date:
            reason = "bad_manifest_date"
    doc.quarantine_reason = reason
    return doc


def corpus_files(root: Path) -> list[Path]:
    """Every regular file in the folder except the manifest and hidden files, in name order."""
    return sorted(p for p in root.iterdir()
                  if p.is_file() and p.name != MANIFEST_NAME and not p.name.startswith("."))


def read_corpus(root: Path) -> Corpus:
    """Read and classify every file of a corpus folder; duplicates within it are marked too."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {root}")
    manifest_path = root / MANIFEST_NAME
    manifest = read_manifest(manifest_path) if manifest_path.is_file() else {}
    files = corpus_files(root)
    present = {p.name for p in files}
    corpus = Corpus(root=root, documents=[], has_manifest=manifest_path.is_file(),
                    missing_files=sorted(set(manifest) - present))
    seen_hashes: set[str] = set()
    seen_doc_ids: set[str] = set()
    for path in files:
        row = manifest.get(path.name)
        if row is None and corpus.has_manifest:
            corpus.not_in_manifest.append(path.name)
        doc = read_document(path, row)
        if doc.content_hash in seen_hashes:
            doc.quarantine_reason = "duplicate"
        elif doc.status == "loaded" and doc.doc_id in seen_doc_ids:
            doc.quarantine_reason = "duplicate_doc_id"
        seen_hashes.add(doc.content_hash)
        if doc.status == "loaded":
            seen_doc_ids.add(doc.doc_id)
        corpus.documents.append(doc)
    return corpus
