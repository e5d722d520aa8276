"""Loading a classified corpus into the raw tables (raw.documents, raw.mentions, raw.rejected_mentions).

Idempotent by construction: a document is keyed by the sha256 of its bytes, so re-running
on the same corpus adds nothing, and a new file adds only its own rows. Documents whose
mentions came from an older extractor are re-extracted from their stored body.

What this module guarantees, whatever the input (issues 7 and 8):
- a new text under a loaded doc_id is a new *version*: the earlier one keeps its row and its
  mentions (is_current = false), so the warehouse can say what it believed on any date;
- a manifest never demotes a loaded document, and a manifest that would quarantine most of a
  corpus is refused before anything is written;
- a mention that breaks the contract (ingest/contract.py) goes to raw.rejected_mentions, never
  into raw.mentions and never fails the run; a document whose extraction raises or yields an
  implausible number of mentions is quarantined on its own;
- a run whose mentions are largely rejected is refused: the extractor is broken, not the input.
The whole load is one transaction, so a refused run leaves the tables as they were.
"""
from __future__ import annotations

import hashlib
import json
import re
import traceback
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

import duckdb
import pandas as pd
from packaging.version import InvalidVersion, Version
from tqdm import tqdm

from . import PROJECT_ROOT
from . import contract
from .corpus import Corpus, Document
from .extract import EXTRACTOR_VERSION, extract_with_layout
from .extract.layout import Layout
from .extraction_pool import map_batches, workers_setting
from .hash_cache import read_cache, write_cache

RAW_SCHEMA_SQL = PROJECT_ROOT / "ingest" / "raw_schema.sql"

DOCUMENT_COLUMNS = (
    "content_hash", "doc_id", "file_name", "source_path", "published_at", "outlet", "url",
    "status", "quarantine_reason", "byte_size", "char_count", "body", "extractor_version",
    "n_mentions", "ingested_at", "version", "is_current", "superseded_at", "source_encoding", "source_format",
)
MENTION_COLUMNS = (
    "mention_id", "content_hash", "doc_id", "outcome", "count", "count_qualifier", "victim",
    "perpetrator", "scope", "event_date", "date_precision", "period_start", "period_end",
    "place", "admin1", "source", "char_start", "char_end", "sentence", "extractor_version",
    "extracted_at", "date_basis", "count_rule", "victim_rule", "date_rule", "place_rule",
)
REGION_COLUMNS = ("content_hash", "region_no", "kind", "rule", "char_start", "char_end")
REJECTED_COLUMNS = (
    "mention_id", "content_hash", "doc_id", "reason", "detail", "mention_json", "extractor_version", "rejected_at",
)

# Quarantine reasons decided here, after extraction (corpus.py decides the others from the file).
EXTRACTION_REASONS = ("too_many_mentions", "extraction_failed")
# Reasons that come from the manifest rather than from the file: they never demote a loaded
# document, and a manifest causing them for most of a corpus is refused.
MANIFEST_REASONS = ("bad_manifest_date", "duplicate_doc_id")

# Measured under extractor 0.1.1: the 1,124 real reports of airwars-dev (posts, pages and NGO
# round-ups, up to 47,000 characters) give at most 32 mentions (99th percentile 19), the bundled
# corpus at most 12. 400 leaves twelve times that for long monthly round-ups, while a repeated or
# generated text (thousands of mentions, millions of pairs in dbt) is stopped within its first
# 10,000-30,000 characters.
MAX_MENTIONS_PER_DOCUMENT = 400
# Above this size a body is extracted in pieces, so that the extractor's cost stays linear in the
# size and stops at the mention cap. The extractor is quadratic on such input (places are looked up
# over the whole sentence once per mention; text cleaning searches the whole text before each
# "word. word" for its last word): a 2 MB one-line text ran for more than 5 minutes whole, and takes
# about a second in pieces. No real report comes near this size (airwars-dev: 47,000 characters at
# most), so real documents are always read whole.
LARGE_DOCUMENT_CHARS = 100_000
CHUNK_CHARS = 10_000
# Documents and mentions are written every this many documents, so memory holds a batch or two
# (one being written, the next being extracted), not the corpus.
BATCH_DOCUMENTS = 200
# DuckDB's memory for a load's rows, in MB. Its default (most of the machine's memory) lets the buffer pool
# keep every block the load writes, so a load's memory grew with the corpus even though rows are written
# batch by batch. Rows not yet committed wait in the pool (raw.documents, bodies included, never fills the
# 122,880-row group DuckDB would write to the file early); under this limit they spill to a temporary
# file beside the warehouse, so this part stays the same size whatever the corpus (measured by
# benchmarks/bench_ingest.py: 256 MB let it grow from 90 MB at 10k documents to the limit at 100k).
LOAD_MEMORY_MB = 64
# The primary-key indexes (raw.documents, raw.mentions) cannot be spilled: about 45 bytes per key, and
# DuckDB refuses the load when they outgrow the limit. They get room on top of LOAD_MEMORY_MB, set
# again after each batch (_fit_memory_limit), so the rows' share stays LOAD_MEMORY_MB at any size.
INDEX_MEMORY_TAGS = ("ART_INDEX",)

# A manifest that would quarantine more than this share of a corpus of at least this many documents
# is broken as a whole (a date format, a shifted column), not wrong about some documents.
MAX_MANIFEST_QUARANTINE_SHARE = 0.5
MIN_DOCUMENTS_FOR_MANIFEST_SHARE = 10
# More than this share of a run's mentions breaking the contract means the extractor is broken.
MAX_REJECTED_SHARE = 0.20
MIN_MENTIONS_FOR_REJECTED_SHARE = 50


class IngestRefused(RuntimeError):
    """The whole input is unusable (a broken manifest, a broken extractor): nothing was loaded."""


@dataclass(slots=True)  # no __dict__: a report holds one per file of the corpus
class DocumentEvent:
    """What one input file turned into during one ingest (kept in meta.document_events)."""
    file_name: str
    source_path: str
    content_hash: Optional[str]  # None for an entry that was never read (a link, a FIFO, a manifest row)
    doc_id: Optional[str]
    outcome: str                 # new | updated | unchanged | quarantined | duplicate | refused
    reason: Optional[str] = None
    detail: Optional[str] = None


@dataclass
class IngestReport:
    corpus: str
    events: list[DocumentEvent] = field(default_factory=list)
    reextracted: int = 0         # stored documents re-extracted because of an older extractor
    mentions_added: int = 0
    identical_mentions_merged: int = 0
    new_versions: int = 0        # new texts under a doc_id already loaded (the earlier text is kept)
    mentions_rejected: int = 0   # mentions that broke the contract (raw.rejected_mentions)
    rejection_reasons: Counter = field(default_factory=Counter)
    missing_files: list[str] = field(default_factory=list)
    not_in_manifest: list[str] = field(default_factory=list)
    has_manifest: bool = True

    def count(self, outcome: str) -> int:
        return sum(e.outcome == outcome for e in self.events)

    def quarantine_reasons(self) -> Counter:
        return Counter(e.reason for e in self.events if e.outcome in ("quarantined", "duplicate", "refused"))

    def summary_lines(self) -> list[str]:
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(self.quarantine_reasons().items()))
        rejected = ", ".join(f"{r} {n}" for r, n in sorted(self.rejection_reasons.items()))
        lines = [
            f"Ingest of {self.corpus}: {len(self.events)} file(s) accounted for",
            f"  loaded (new)          {self.count('new')}"
            + (f"  (of which new versions of a loaded doc_id: {self.new_versions})" if self.new_versions else ""),
            f"  updated (manifest)    {self.count('updated')}",
            f"  unchanged             {self.count('unchanged')}",
            f"  quarantined           {self.count('quarantined') + self.count('duplicate')}",
            f"  refused (never read)  {self.count('refused')}",
            f"  by reason: {reasons}" if reasons else "  by reason: none",
            f"  re-extracted (older extractor) {self.reextracted}",
            f"  mentions added        {self.mentions_added}",
            f"  mentions rejected     {self.mentions_rejected}" + (f"  ({rejected})" if rejected else ""),
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


# --------------------------------------------------------------------------- the corpus as a whole

@dataclass
class ManifestTally:
    """What the manifest check needs of each document, as counts: the number of documents, and those
    the manifest quarantined by reason with the first few named (not one entry per document)."""
    total: int = 0
    bad: Counter = field(default_factory=Counter)
    first_bad: list[tuple[str, str]] = field(default_factory=list)

    def add(self, name: str, reason: Optional[str]) -> None:
        self.total += 1
        if reason in MANIFEST_REASONS:
            self.bad[reason] += 1
            if len(self.first_bad) < 3:
                self.first_bad.append((name, reason))


def refuse_broken_manifest(root, tally: ManifestTally) -> None:
    """Raise IngestRefused when the manifest would quarantine most of a corpus of some size.
    `tally`: the quarantine reasons of every document of the corpus at `root`."""
    n_bad = sum(tally.bad.values())
    if tally.total >= MIN_DOCUMENTS_FOR_MANIFEST_SHARE and n_bad > MAX_MANIFEST_QUARANTINE_SHARE * tally.total:
        reasons = ", ".join(f"{r} {n}" for r, n in tally.bad.most_common())
        first = "; ".join(f"{name}: {reason}" for name, reason in tally.first_bad)
        raise IngestRefused(
            f"ingest refused: manifest.csv of {root} would quarantine {n_bad} of {tally.total} documents "
            f"({reasons}; first: {first}). A manifest this wrong is broken as a whole (date format? columns?): "
            f"fix it and run again. Nothing was loaded.")


def refuse_broken_extractor(report: IngestReport) -> None:
    """Raise IngestRefused when too large a share of this run's mentions broke the contract."""
    total = report.mentions_added + report.mentions_rejected
    if total >= MIN_MENTIONS_FOR_REJECTED_SHARE and report.mentions_rejected > MAX_REJECTED_SHARE * total:
        reasons = ", ".join(f"{r} {n}" for r, n in report.rejection_reasons.most_common(3))
        raise IngestRefused(
            f"ingest refused: {report.mentions_rejected} of {total} extracted mentions "
            f"({report.mentions_rejected / total:.0%}) broke the mention contract ({reasons}); more than "
            f"{MAX_REJECTED_SHARE:.0%} means the extractor is broken, not the input. Nothing was loaded.")


# --------------------------------------------------------------------------- extraction, per document

@dataclass
class ExtractionJob:
    """One document to (re-)extract, with its body already in memory. With extract_rows and
    document_row, the loader's per-document step, which the Spark job (ingest/spark_extract.py) runs
    on its executors too."""
    content_hash: str
    doc_id: str
    file_name: str
    source_path: Optional[str]
    body: str
    published_at: Optional[date]
    outlet: Optional[str]

    @classmethod
    def of_document(cls, row: dict) -> "ExtractionJob":
        """The job of a raw.documents row (document_row's, or one read back from the table)."""
        return cls(**{name: row[name] for name in cls.__dataclass_fields__})


class _DocumentQuarantined(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


_BREAKS = (re.compile(r"\n"), re.compile(r"[.!؟?]\s"), re.compile(r"[،,;؛]\s"), re.compile(r"\s"))


def _chunks(body: str) -> Iterator[tuple[int, str]]:
    """(offset, text) pieces of at most CHUNK_CHARS characters, cut at a line end, else a sentence
    end, else a comma, else a space, in the second half of each piece."""
    size, start = CHUNK_CHARS, 0
    while start < len(body):
        end = min(start + size, len(body))
        if end < len(body):
            window = body[start + size // 2:end]
            for pattern in _BREAKS:
                cuts = [m.end() for m in pattern.finditer(window)]
                if cuts:
                    end = start + size // 2 + cuts[-1]
                    break
        yield start, body[start:end]
        start = end


def _shifted(mention, offset: int):
    mention.char_start += offset
    mention.char_end += offset
    return mention


def _extract(job: ExtractionJob) -> tuple[list, Optional[Layout]]:
    """The document's mentions and its document model (none for a pathological size read in pieces);
    _DocumentQuarantined when extraction raises or yields too many."""
    try:
        if len(job.body) <= LARGE_DOCUMENT_CHARS:
            return extract_with_layout(job.body, job.doc_id, job.published_at, job.outlet)
        else:  # a pathological size: pieces, stopping as soon as the cap is passed
            mentions = []
            for offset, text in _chunks(job.body):
                piece, _layout = extract_with_layout(text, job.doc_id, job.published_at, job.outlet)
                mentions += [_shifted(m, offset) for m in piece]
                if len(mentions) > MAX_MENTIONS_PER_DOCUMENT:
                    raise _DocumentQuarantined(
                        "too_many_mentions",
                        f"{job.file_name} ({job.doc_id}): more than {MAX_MENTIONS_PER_DOCUMENT} mentions "
                        f"({len(mentions)} in its first {offset + len(text)} of {len(job.body)} characters); none loaded")
    except _DocumentQuarantined:
        raise
    except Exception as exc:  # noqa: BLE001 -- any extractor bug; named, with where it happened, then quarantined
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        raise _DocumentQuarantined(
            "extraction_failed",
            f"{job.file_name} ({job.doc_id}): {type(exc).__name__}: {exc} "
            f"(in {frame.name}, {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})") from exc
    return mentions, None


@dataclass
class ExtractedRows:
    """One document's extraction as rows, without their timestamps (a worker process computes it,
    the loader stamps and writes it), or the reason it is quarantined."""
    content_hash: str
    failure: Optional[tuple[str, str]] = None          # (reason, detail)
    mentions: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    regions: list[dict] = field(default_factory=list)
    merged: int = 0                                     # identical mentions merged
    header_date: Optional[date] = None
    header_date_rule: Optional[str] = None


def extract_rows(job: ExtractionJob) -> ExtractedRows:
    """The rows of one document: its mentions split by the contract, its dropped regions."""
    try:
        mentions, layout = _extract(job)
        unique = {}
        for m in mentions:
            unique.setdefault(mention_id(job.content_hash, m), m)
        if len(unique) > MAX_MENTIONS_PER_DOCUMENT:
            raise _DocumentQuarantined(
                "too_many_mentions", f"{job.file_name} ({job.doc_id}): {len(unique)} mentions, more than "
                                     f"{MAX_MENTIONS_PER_DOCUMENT}; none loaded")
    except _DocumentQuarantined as failure:
        return ExtractedRows(job.content_hash, failure=(failure.reason, failure.detail))
    out = ExtractedRows(job.content_hash, merged=len(mentions) - len(unique),
                     header_date=layout.header_date if layout else None,
                     header_date_rule=layout.header_date_rule if layout else None)
    published_at = job.published_at or out.header_date   # the date the extractor resolved against
    out.regions = [{"content_hash": job.content_hash, "region_no": k, "kind": r.kind, "rule": r.rule,
                    "char_start": r.orig_start, "char_end": r.orig_end}
                   for k, r in enumerate(layout.dropped if layout else [])]
    for mid, m in unique.items():
        row = m.to_dict()
        reason = contract.check(row, len(job.body), published_at)
        if reason:
            out.rejected.append({
                "mention_id": mid, "content_hash": job.content_hash, "doc_id": job.doc_id, "reason": reason,
                "detail": contract.describe(reason, row, published_at),
                "mention_json": json.dumps(row, ensure_ascii=False, default=str),
                "extractor_version": EXTRACTOR_VERSION})
            continue
        row.update(mention_id=mid, content_hash=job.content_hash, doc_id=job.doc_id,
                   extractor_version=EXTRACTOR_VERSION)
        out.mentions.append(row)
    return out


def _job_name(job: ExtractionJob) -> str:
    return f"{job.file_name} ({job.doc_id})"


def _fit_memory_limit(con: duckdb.DuckDBPyConnection) -> int:
    """Set DuckDB's memory limit to LOAD_MEMORY_MB for rows plus what its indexes hold now; the limit in MB."""
    index_bytes = con.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
                              "WHERE tag IN (SELECT unnest(?))", [list(INDEX_MEMORY_TAGS)]).fetchone()[0]
    limit = LOAD_MEMORY_MB + -(-index_bytes // 10**6)   # DuckDB's MB are 10^6 bytes
    con.execute(f"SET memory_limit = '{limit}MB'")
    return limit


class _Batch:
    """The rows of a batch of extracted documents, written together (then forgotten)."""

    def __init__(self, now: datetime, report: IngestReport):
        self.now, self.report = now, report
        self.mentions: list[dict] = []
        self.rejected: list[dict] = []
        self.regions: list[dict] = []
        self.done: list[tuple[str, int, Optional[date], Optional[str]]] = []   # (hash, n_mentions, header date, rule)
        self.quarantined: list[tuple[str, str]] = []          # (content_hash, reason)

    def add(self, extracted: ExtractedRows) -> Optional[_DocumentQuarantined]:
        """Take one document's rows, stamped with this run's time; its quarantine, if any."""
        if extracted.failure:
            self.quarantined.append((extracted.content_hash, extracted.failure[0]))
            return _DocumentQuarantined(*extracted.failure)
        self.report.identical_mentions_merged += extracted.merged
        self.regions += extracted.regions
        for row in extracted.rejected:
            row["rejected_at"] = self.now
            self.report.rejection_reasons[row["reason"]] += 1
        self.rejected += extracted.rejected
        for row in extracted.mentions:
            row["extracted_at"] = self.now
        self.mentions += extracted.mentions
        self.done.append((extracted.content_hash, len(extracted.mentions), extracted.header_date,
                          extracted.header_date_rule))
        self.report.mentions_added += len(extracted.mentions)
        self.report.mentions_rejected += len(extracted.rejected)
        return None

    def flush(self, con: duckdb.DuckDBPyConnection) -> None:
        hashes = [done[0] for done in self.done] + [h for h, _ in self.quarantined]
        if hashes:
            for table in ("raw.mentions", "raw.rejected_mentions", "raw.document_regions"):
                con.execute(f"DELETE FROM {table} WHERE content_hash IN (SELECT unnest(?))", [hashes])
            _insert(con, "raw.mentions", MENTION_COLUMNS, self.mentions)
            _insert(con, "raw.rejected_mentions", REJECTED_COLUMNS, self.rejected)
            _insert(con, "raw.document_regions", REGION_COLUMNS, self.regions)
        if self.done:  # loaded now (a document quarantined by an earlier extractor is promoted back)
            done = pd.DataFrame(  # noqa: F841 (read by duckdb)
                self.done, columns=["content_hash", "n_mentions", "header_date", "header_date_rule"])
            con.execute("UPDATE raw.documents AS d SET n_mentions = done.n_mentions, extractor_version = ?, "
                        "status = 'loaded', quarantine_reason = NULL, header_date = CAST(done.header_date AS DATE), "
                        "header_date_rule = done.header_date_rule FROM done "
                        "WHERE d.content_hash = done.content_hash", [EXTRACTOR_VERSION])
        if self.quarantined:  # the extractor version is kept, so a later extractor retries the document
            failed = pd.DataFrame(self.quarantined, columns=["content_hash", "reason"])  # noqa: F841
            con.execute("UPDATE raw.documents AS d SET status = 'quarantined', quarantine_reason = failed.reason, "
                        "n_mentions = NULL, extractor_version = ?, is_current = false FROM failed "
                        "WHERE d.content_hash = failed.content_hash", [EXTRACTOR_VERSION])
        self.mentions, self.rejected, self.regions, self.done, self.quarantined = [], [], [], [], []


# --------------------------------------------------------------------------- documents

@dataclass
class _Stored:
    content_hash: str
    doc_id: str
    file_name: str
    published_at: Optional[date]
    status: str
    quarantine_reason: Optional[str]
    version: Optional[int]
    is_current: bool
    superseded_at: Optional[datetime]
    ingested_at: datetime


def document_row(doc: Document, now: datetime, *, version: Optional[int] = None,
                 stored: Optional[_Stored] = None) -> dict:
    """The raw.documents row of a classified file before extraction (no mention count yet, not
    current); `stored` is its earlier row when the file was loaded before."""
    return {
        "content_hash": doc.content_hash, "doc_id": doc.doc_id, "file_name": doc.file_name,
        "source_path": str(doc.path), "published_at": doc.published_at, "outlet": doc.outlet,
        "url": doc.url, "status": doc.status, "quarantine_reason": doc.quarantine_reason,
        "byte_size": doc.byte_size, "char_count": doc.char_count, "body": doc.body,
        "extractor_version": None, "n_mentions": None,
        # a metadata update keeps the document's history: when it came, which version it is
        "ingested_at": stored.ingested_at if stored else now,
        "version": version, "is_current": False,  # set by _settle_versions once extraction is done
        "superseded_at": stored.superseded_at if stored else None,
        "source_encoding": doc.source_encoding, "source_format": doc.source_format,
    }


def _settle_versions(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """The current version of a doc_id is its loaded text with the highest version; the others are
    superseded (since the first time they were). Quarantined rows are never current."""
    con.execute("""
        UPDATE raw.documents AS d SET
            is_current = d.status = 'loaded' AND coalesce(d.version = latest.version, false),
            superseded_at = CASE WHEN d.status = 'loaded' AND d.version < latest.version
                                 THEN coalesce(d.superseded_at, ?) END
        FROM (SELECT doc_id, max(version) AS version FROM raw.documents
              WHERE status = 'loaded' GROUP BY doc_id) AS latest
        WHERE d.doc_id = latest.doc_id""", [now])
    con.execute("UPDATE raw.documents SET is_current = false, superseded_at = NULL "
                "WHERE status = 'quarantined' AND (is_current OR superseded_at IS NOT NULL)")


def _as_classified(known: Optional[_Stored]) -> tuple[Optional[str], Optional[str]]:
    """(status, reason) of a stored document as the corpus would classify it: a document the extractor
    could not finish counts as loaded (whether it is retried is up to the extractor version)."""
    if known is None:
        return None, None
    if known.quarantine_reason in EXTRACTION_REASONS:
        return "loaded", None
    return known.status, known.quarantine_reason


@dataclass
class _History:
    """What raw.documents already holds: each stored file by content hash, the last version number
    of each doc_id and its current loaded version."""
    stored: dict[str, _Stored]
    last_version: dict[str, int]
    current: dict[str, _Stored]


def _history(con: duckdb.DuckDBPyConnection) -> _History:
    stored = {row[0]: _Stored(*row) for row in con.execute(
        "SELECT content_hash, doc_id, file_name, published_at, status, quarantine_reason, version, "
        "coalesce(is_current, false), superseded_at, ingested_at FROM raw.documents").fetchall()}
    history = _History(stored, {}, {})
    for s in stored.values():
        if s.version is not None:
            history.last_version[s.doc_id] = max(history.last_version.get(s.doc_id, 0), s.version)
        if s.status == "loaded" and s.is_current:
            history.current[s.doc_id] = s
    return history


def _stored_as_is(history: _History) -> Callable[[Document], bool]:
    """Corpus.already_stored: files whose bytes the warehouse holds loaded change nothing stored
    whatever they would now be judged, so they need not be decoded (_left_as_stored): one under
    another name is a duplicate of it, one under the same name, doc_id and manifest publication date
    is unchanged (a loaded document is never demoted). A file without a manifest date may take its
    page's date, which only decoding tells: it is decoded."""
    def stored_as_is(doc: Document) -> bool:
        known = history.stored.get(doc.content_hash)
        if known is None or _as_classified(known) != ("loaded", None) or doc.quarantine_reason is not None:
            return False
        return known.file_name != doc.file_name or (
            doc.published_at is not None
            and (known.doc_id, known.published_at) == (doc.doc_id, doc.published_at))
    return stored_as_is


def _left_as_stored(doc: Document, known: Optional[_Stored], event: DocumentEvent) -> bool:
    """The rules under which a file changes nothing stored (its event says why): a duplicate, in this
    corpus or of another stored file, a loaded document this run would quarantine, or no change."""
    if doc.quarantine_reason == "duplicate":  # same bytes earlier in this corpus: that file holds the row
        event.outcome, event.reason, event.detail = "duplicate", "duplicate", doc.detail
        return True
    if known and known.file_name != doc.file_name:
        event.outcome, event.reason = "duplicate", "duplicate"
        event.detail = f"same content as already loaded {known.file_name} ({known.doc_id})"
        return True
    known_status = _as_classified(known)
    if known_status[0] == "loaded" and doc.status == "quarantined":
        # Never demote: the manifest (or a changed rule) has a problem, the document does not.
        event.outcome, event.reason = "updated", doc.quarantine_reason
        event.detail = (f"{doc.quarantine_reason} in this run ignored: a loaded document is never demoted; "
                        f"stored metadata kept (published_at {known.published_at})")
        return True
    if known and (known.doc_id, known.published_at, *known_status) == (
            doc.doc_id, doc.published_at, doc.status, doc.quarantine_reason):
        event.outcome = "unchanged"
        return True
    return False


def _drop_changed(con: duckdb.DuckDBPyConnection, doc: Document, known: _Stored, event: DocumentEvent) -> None:
    """A stored file whose metadata or classification changed: its rows go, to be written anew."""
    known_status = _as_classified(known)
    changed = [name for name, old, new in (
        ("doc_id", known.doc_id, doc.doc_id), ("published_at", known.published_at, doc.published_at),
        ("status", known_status[0], doc.status), ("quarantine_reason", known_status[1],
                                                  doc.quarantine_reason)) if old != new]
    event.outcome, event.detail = "updated", "changed: " + ", ".join(changed)
    con.execute("DELETE FROM raw.documents WHERE content_hash = ?", [doc.content_hash])
    con.execute("DELETE FROM raw.mentions WHERE content_hash = ?", [doc.content_hash])
    con.execute("DELETE FROM raw.rejected_mentions WHERE content_hash = ?", [doc.content_hash])


def _loaded_version(doc: Document, known: Optional[_Stored], history: _History, report: IngestReport,
                    event: DocumentEvent) -> int:
    """The version number of a loaded document: its stored one for the same text under the same id,
    else the next for its doc_id (the current version is then kept as superseded)."""
    same_text = known and _as_classified(known)[0] == "loaded" and known.doc_id == doc.doc_id
    version = known.version if same_text else history.last_version.get(doc.doc_id, 0) + 1
    previous = history.current.get(doc.doc_id)
    if not same_text and previous and previous.content_hash != doc.content_hash:
        report.new_versions += 1
        event.detail = "; ".join(filter(None, [
            event.detail, f"version {version} of {doc.doc_id}; version {previous.version} "
                          f"({previous.file_name}, {previous.content_hash[:12]}) kept as superseded"]))
    history.last_version[doc.doc_id] = version
    return version


@dataclass
class _Plan:
    """What planning has decided so far: the event of each document sent to extraction and not yet
    written (an extraction failure changes it), the documents sent to extraction, and the tally of
    quarantine reasons for the manifest check."""
    root: Path
    history: _History
    events: dict[str, DocumentEvent] = field(default_factory=dict)
    fresh: set[str] = field(default_factory=set)
    classified: ManifestTally = field(default_factory=ManifestTally)


def _plan_document(con: duckdb.DuckDBPyConnection, doc: Document, plan: _Plan, report: IngestReport,
                   now: datetime) -> Optional[dict]:
    """Decide what one file becomes: its raw.documents row (None when it changes nothing stored);
    its event goes into the report, its hash into plan.fresh when it is to be extracted."""
    plan.classified.add(doc.file_name, doc.quarantine_reason)
    event = DocumentEvent(doc.file_name, str(doc.path), doc.content_hash, doc.doc_id, outcome="new")
    report.events.append(event)
    known = plan.history.stored.get(doc.content_hash)
    if _left_as_stored(doc, known, event):
        return None
    if not doc.classified:  # _stored_as_is accepted it: it cannot differ from what is stored
        raise AssertionError(f"{doc.file_name} was left undecoded but differs from its stored row")
    if known:
        _drop_changed(con, doc, known, event)
    version = None
    if doc.status == "quarantined":
        if not known:
            event.outcome, event.reason = "quarantined", doc.quarantine_reason
        event.detail = event.detail or doc.detail
    else:
        version = _loaded_version(doc, known, plan.history, report, event)
        plan.fresh.add(doc.content_hash)
        plan.events[doc.content_hash] = event   # until its batch is written (_extract_all)
    return document_row(doc, now, version=version, stored=known)


def _jobs(con: duckdb.DuckDBPyConnection, documents: Iterable[Document], plan: _Plan, report: IngestReport,
          now: datetime) -> Iterator[list[ExtractionJob]]:
    """The documents to extract, a batch at a time: the corpus's own, planned and written to
    raw.documents as they come (their bodies are the corpus's strings: never read back), then stored
    ones from an older extractor (their bodies read a batch at a time)."""
    rows: list[dict] = []
    jobs: list[ExtractionJob] = []
    for doc in documents:
        row = _plan_document(con, doc, plan, report, now)
        if row is not None:
            rows.append(row)
            if doc.content_hash in plan.fresh:
                jobs.append(ExtractionJob.of_document(row))
        if len(rows) >= BATCH_DOCUMENTS:
            _insert(con, "raw.documents", DOCUMENT_COLUMNS, rows)
            rows = []
            if jobs:
                yield jobs
                jobs = []
    _insert(con, "raw.documents", DOCUMENT_COLUMNS, rows)
    if jobs:
        yield jobs
    # A manifest that quarantines most documents left little to extract: it is judged once every
    # document was read, before any stored one is re-extracted; the rollback undoes the rest.
    refuse_broken_manifest(plan.root, plan.classified)
    stale = _stale_jobs(con, plan.fresh)
    report.reextracted = len(stale)
    for i in range(0, len(stale), BATCH_DOCUMENTS):
        yield _stored_jobs(con, stale[i:i + BATCH_DOCUMENTS])


def _stale_jobs(con: duckdb.DuckDBPyConnection, fresh: set[str]) -> list[str]:
    """Stored documents whose mentions come from an older extractor (or whose extraction an older
    extractor could not finish): their content hashes, bodies are read batch by batch."""
    rows = con.execute(
        "SELECT content_hash, extractor_version FROM raw.documents "
        "WHERE (status = 'loaded' OR quarantine_reason IN (SELECT unnest(?))) "
        "AND extractor_version IS DISTINCT FROM ?", [list(EXTRACTION_REASONS), EXTRACTOR_VERSION]).fetchall()
    return [h for h, version in rows if h not in fresh and is_older_extractor(version)]


def _stored_jobs(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> list[ExtractionJob]:
    fields = list(ExtractionJob.__dataclass_fields__)   # (the job's fields are raw.documents columns)
    return [ExtractionJob(*row) for row in con.execute(
        f"SELECT {', '.join(fields)} FROM raw.documents "
        "WHERE content_hash IN (SELECT unnest(?)) ORDER BY content_hash", [hashes]).fetchall()]


def load_corpus(con: duckdb.DuckDBPyConnection, corpus: Corpus, show_progress: Optional[bool] = None,
                workers: Optional[int] = None, documents: Optional[Iterable[Document]] = None) -> IngestReport:
    """Load a classified corpus into the raw tables of `con`; return what happened to each file.

    `documents` (default: corpus.documents) may be a stream (ingest.corpus.open_corpus): they are
    planned, written and extracted a batch at a time, so memory holds a batch or two, not the corpus.
    Documents are extracted in `workers` processes (default: $HASILA_WORKERS, else every core); the
    rows are the same whatever the number. Raises IngestRefused (nothing loaded: the whole load is one
    transaction) when the manifest or the extractor is broken as a whole.
    """
    now = utcnow()
    report = IngestReport(corpus=str(corpus.root), missing_files=list(corpus.missing_files),
                          has_manifest=corpus.has_manifest)
    previous_limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    _fit_memory_limit(con)
    con.begin()
    try:
        apply_raw_schema(con)
        plan = _Plan(corpus.root, _history(con))
        corpus.already_stored = _stored_as_is(plan.history)  # read by open_corpus's documents as they come
        corpus.hashes = read_cache(con)
        _extract_all(con, _jobs(con, corpus.documents if documents is None else documents, plan, report, now),
                     report, plan.events, now, show_progress, workers)
        write_cache(con, corpus.hashes)
        _account_for_the_rest(report, corpus)
        _settle_versions(con, now)
        refuse_broken_extractor(report)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.execute(f"SET memory_limit = '{previous_limit}'")
    return report


def _account_for_the_rest(report: IngestReport, corpus: Corpus) -> None:
    """What the corpus knows once every document was read: files the manifest does not list, and
    entries never read (links, FIFOs, hidden or badly named files) and manifest rows set aside,
    accounted for like documents (one event each, with the reason), first."""
    report.not_in_manifest = list(corpus.not_in_manifest)
    report.events[:0] = [DocumentEvent(e.path, str(corpus.root / e.path), None, None, "refused", e.reason, e.detail)
                         for e in corpus.refused + corpus.manifest_problems]


def _extract_all(con: duckdb.DuckDBPyConnection, batches: Iterator[list[ExtractionJob]], report: IngestReport,
                 events: dict[str, DocumentEvent], now: datetime, show_progress: Optional[bool],
                 workers: Optional[int]) -> None:
    """Extract each batch of documents (in a pool of `workers`), writing each batch's rows."""
    batch = _Batch(now, report)
    progress = tqdm(desc="extracting", unit="doc", disable=None if show_progress is None else not show_progress)
    extracted_batches = map_batches(extract_rows, batches, workers or workers_setting(), name=_job_name)
    with closing(extracted_batches), closing(progress):  # closing stops the workers at once
        for jobs, results in extracted_batches:
            for job, extracted in zip(jobs, results):
                failure = batch.add(extracted)
                if failure:
                    _record_quarantine(report, events, job, failure)
                events.pop(job.content_hash, None)   # final now: only the report keeps it
                progress.update()
            batch.flush(con)
            _fit_memory_limit(con)


def _record_quarantine(report: IngestReport, events: dict[str, DocumentEvent], job: ExtractionJob,
                       failure: _DocumentQuarantined) -> None:
    event = events.get(job.content_hash)
    if event is None:  # a stored document re-extracted: it gets its own event
        event = DocumentEvent(job.file_name, job.source_path or "", job.content_hash, job.doc_id, outcome="quarantined")
        report.events.append(event)
    event.outcome, event.reason, event.detail = "quarantined", failure.reason, failure.detail
