"""Loading a classified corpus into the raw tables (raw.documents, raw.mentions).

Idempotent by construction: a document is keyed by the sha256 of its bytes, so re-running
on the same corpus adds nothing, and a new file adds only its own rows. Documents whose
mentions came from an older extractor are re-extracted from their stored body.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Optional

import duckdb
import pandas as pd
from packaging.version import InvalidVersion, Version
from tqdm import tqdm

from . import PROJECT_ROOT
from .corpus import Corpus, Document
from .extract import EXTRACTOR_VERSION, extract_document

RAW_SCHEMA_SQL = PROJECT_ROOT / "ingest" / "raw_schema.sql"

DOCUMENT_COLUMNS = (
    "content_hash", "doc_id", "file_name", "source_path", "published_at", "outlet", "url",
    "status", "quarantine_reason", "byte_size", "char_count", "body", "extractor_version",
    "n_mentions", "ingested_at",
)
MENTION_COLUMNS = (
    "mention_id", "content_hash", "doc_id", "outcome", "count", "count_qualifier", "victim",
    "perpetrator", "scope", "event_date", "date_precision", "period_start", "period_end",
    "place", "admin1", "source", "char_start", "char_end", "sentence", "extractor_version",
    "extracted_at", "date_basis", "count_rule", "victim_rule", "date_rule", "place_rule",
)


class IngestRefused(RuntimeError):
    """The whole input is unusable (a broken manifest, a broken extractor): nothing was loaded."""


@dataclass
class DocumentEvent:
    """What one input file turned into during one ingest (kept in meta.document_events)."""
    file_name: str
    source_path: str
    content_hash: str
    doc_id: str
    outcome: str                 # new | updated | unchanged | quarantined | duplicate
    reason: Optional[str] = None
    detail: Optional[str] = None


@dataclass
class IngestReport:
    corpus: str
    events: list[DocumentEvent] = field(default_factory=list)
    reextracted: int = 0         # stored documents re-extracted because of an older extractor
    mentions_added: int = 0
    identical_mentions_merged: int = 0
    missing_files: list[str] = field(default_factory=list)
    not_in_manifest: list[str] = field(default_factory=list)
    has_manifest: bool = True

    def count(self, outcome: str) -> int:
        return sum(e.outcome == outcome for e in self.events)

    def quarantine_reasons(self) -> Counter:
        return Counter(e.reason for e in self.events if e.outcome in ("quarantined", "duplicate"))

    def summary_lines(self) -> list[str]:
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(self.quarantine_reasons().items()))
        lines = [
            f"Ingest of {self.corpus}: {len(self.events)} file(s) accounted for",
            f"  loaded (new)          {self.count('new')}",
            f"  updated (manifest)    {self.count('updated')}",
            f"  unchanged             {self.count('unchanged')}",
            f"  quarantined           {self.count('quarantined') + self.count('duplicate')}"
            + (f"  ({reasons})" if reasons else ""),
            f"  re-extracted (older extractor) {self.reextracted}",
            f"  mentions added        {self.mentions_added}",
        ]
        if self.identical_mentions_merged:
            lines.append(f"  identical mentions merged {self.identical_mentions_merged}")
        if not self.has_manifest:
            lines.append("  note: no manifest.csv; published_at is NULL for every document")
        if self.missing_files:
            lines.append(f"  manifest rows whose file is missing ({len(self.missing_files)}): "
                         + ", ".join(self.missing_files))
        if self.not_in_manifest:
            lines.append(f"  files not in the manifest (published_at NULL) ({len(self.not_in_manifest)}): "
                         + ", ".join(self.not_in_manifest))
        return lines


def apply_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RAW_SCHEMA_SQL.read_text(encoding="utf-8"))


def mention_id(content_hash: str, m) -> str:
    """The raw_schema.sql definition: sha256(content_hash|char_start|char_end|outcome|victim|count)[:16]."""
    key = f"{content_hash}|{m.char_start}|{m.char_end}|{m.outcome}|{m.victim}|{m.count}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def is_older_extractor(stored: Optional[str], current: Optional[str] = None) -> bool:
    current = current or EXTRACTOR_VERSION
    if stored is None:
        return True
    try:
        return Version(stored) < Version(current)
    except InvalidVersion:
        return stored != current


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[dict]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=list(columns), dtype=object)  # noqa: F841 (read by duckdb below)
    cols = ", ".join(f'"{c}"' for c in columns)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM frame")


class _Extraction:
    """Collects mention rows for a batch of documents and writes them in one insert."""

    def __init__(self, now: datetime):
        self.now = now
        self.rows: list[dict] = []
        self.merged = 0

    def run(self, content_hash: str, doc_id: str, body: str, published_at: Optional[date],
            outlet: Optional[str] = None) -> int:
        try:
            mentions = extract_document(body, doc_id, published_at, outlet)
        except Exception as exc:  # name the document: an extractor bug must be findable
            raise RuntimeError(f"extractor failed on {doc_id}: {exc!r}") from exc
        seen: set[str] = set()
        for m in mentions:
            mid = mention_id(content_hash, m)
            if mid in seen:  # the same span/outcome/victim/count twice: one row (the id is the key)
                self.merged += 1
                continue
            seen.add(mid)
            row = m.to_dict()
            row.update(mention_id=mid, content_hash=content_hash, doc_id=doc_id,
                       extractor_version=EXTRACTOR_VERSION, extracted_at=self.now)
            self.rows.append(row)
        return len(seen)


def _document_row(doc: Document, now: datetime) -> dict:
    return {
        "content_hash": doc.content_hash, "doc_id": doc.doc_id, "file_name": doc.file_name,
        "source_path": str(doc.path), "published_at": doc.published_at, "outlet": doc.outlet,
        "url": doc.url, "status": doc.status, "quarantine_reason": doc.quarantine_reason,
        "byte_size": doc.byte_size, "char_count": doc.char_count, "body": doc.body,
        "extractor_version": None, "n_mentions": None, "ingested_at": now,
    }


def _delete_document(con: duckdb.DuckDBPyConnection, content_hash: str) -> None:
    con.execute("DELETE FROM raw.mentions WHERE content_hash = ?", [content_hash])
    con.execute("DELETE FROM raw.documents WHERE content_hash = ?", [content_hash])


def load_corpus(con: duckdb.DuckDBPyConnection, corpus: Corpus, show_progress: Optional[bool] = None) -> IngestReport:
    """Load a classified corpus into the raw tables of `con`; return what happened to each file."""
    apply_raw_schema(con)
    now = utcnow()
    report = IngestReport(corpus=str(corpus.root), missing_files=list(corpus.missing_files),
                          not_in_manifest=list(corpus.not_in_manifest), has_manifest=corpus.has_manifest)
    stored = {row[0]: row for row in con.execute(
        "SELECT content_hash, doc_id, file_name, published_at, status, quarantine_reason FROM raw.documents").fetchall()}
    loaded_doc_ids = {row[1]: row[0] for row in stored.values() if row[4] == "loaded"}

    new_rows: list[dict] = []
    to_extract: list[Document] = []
    for doc in corpus.documents:
        event = DocumentEvent(doc.file_name, str(doc.path), doc.content_hash, doc.doc_id, outcome="new")
        report.events.append(event)
        if doc.quarantine_reason == "duplicate":  # same bytes earlier in this corpus: that file holds the row
            event.outcome, event.reason = "duplicate", "duplicate"
            event.detail = "same content as an earlier file in this corpus"
            continue
        known = stored.get(doc.content_hash)
        if known and known[2] != doc.file_name:
            event.outcome, event.reason = "duplicate", "duplicate"
            event.detail = f"same content as already loaded {known[2]} ({known[1]})"
            continue
        owner = loaded_doc_ids.get(doc.doc_id)
        if doc.status == "loaded" and owner not in (None, doc.content_hash):
            doc.quarantine_reason = "duplicate_doc_id"
            event.detail = "doc_id already used by a loaded document with other content"
        if known:
            if (known[1], known[3], known[4], known[5]) == (doc.doc_id, doc.published_at, doc.status, doc.quarantine_reason):
                event.outcome = "unchanged"
                continue
            event.outcome, event.detail = "updated", "manifest metadata or status changed"
            _delete_document(con, doc.content_hash)
        if doc.status == "quarantined":
            event.outcome, event.reason = "quarantined", doc.quarantine_reason
        else:
            loaded_doc_ids[doc.doc_id] = doc.content_hash
            to_extract.append(doc)
        new_rows.append(_document_row(doc, now))
    _insert(con, "raw.documents", DOCUMENT_COLUMNS, new_rows)

    # Every loaded document whose mentions are missing or from an older extractor gets (re-)extracted,
    # from its stored body, whichever corpus it came from.
    fresh = {d.content_hash for d in to_extract}
    stale = con.execute(  # only candidates: reading every stored body on each run would not scale
        "SELECT content_hash, doc_id, body, published_at, outlet, extractor_version FROM raw.documents "
        "WHERE status = 'loaded' AND (extractor_version IS DISTINCT FROM ? OR content_hash IN (SELECT unnest(?)))",
        [EXTRACTOR_VERSION, sorted(fresh)]).fetchall()
    stale = [r for r in stale if r[0] in fresh or is_older_extractor(r[5])]
    report.reextracted = sum(r[0] not in fresh for r in stale)

    extraction = _Extraction(now)
    counts: list[tuple[int, str]] = []
    for content_hash, doc_id, body, published_at, outlet, _ in tqdm(
            stale, desc="extracting", unit="doc", disable=None if show_progress is None else not show_progress):
        counts.append((extraction.run(content_hash, doc_id, body, published_at, outlet), content_hash))
    if stale:
        con.execute("DELETE FROM raw.mentions WHERE content_hash IN (SELECT unnest(?))", [[r[0] for r in stale]])
        _insert(con, "raw.mentions", MENTION_COLUMNS, extraction.rows)
        done = pd.DataFrame(counts, columns=["n_mentions", "content_hash"])  # noqa: F841 (read by duckdb)
        con.execute("UPDATE raw.documents AS d SET n_mentions = done.n_mentions, extractor_version = ? "
                    "FROM done WHERE d.content_hash = done.content_hash", [EXTRACTOR_VERSION])
    report.mentions_added = len(extraction.rows)
    report.identical_mentions_merged = extraction.merged
    return report
