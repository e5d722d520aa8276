"""One loop from a corpus to its mentions, shared by `hasila extract` and the gold tests.

Folders are walked like a corpus (no link followed) and bring their own manifest.csv; each file is
read and classified as the loader reads it, and a file the loader would quarantine is skipped with
a notice. Because the command and the tests go through this one function, the gold scores measure
exactly what `hasila extract` prints.
"""
from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .corpus import MANIFEST_NAME, Document, ManifestRow, RefusedFile, list_corpus, read_document, read_manifest
from . import extract
from .extract.mention import Mention
from .extraction_pool import map_batches, workers_setting


@dataclass(frozen=True)
class Notice:
    """Something the caller should tell the user about one file."""
    path: Path
    text: str          # one line, e.g. "skipped a.txt: empty"
    skipped: bool      # the file yields nothing


def _manifest_key(path: Path, manifest: Optional[Path]) -> str:
    """A file's manifest key: its path relative to the manifest's folder when inside it, else its name."""
    if manifest is not None and path.resolve().is_relative_to(manifest.resolve().parent):
        return path.resolve().relative_to(manifest.resolve().parent).as_posix()
    return path.name


def corpus_listing(paths: Iterable[Path], manifest: Optional[Path] = None) -> list[tuple[Path, Optional[ManifestRow]]]:
    """Each file to extract with its manifest row; a folder is walked like a corpus (no links followed)
    and brings its own manifest.csv, keyed by path relative to the folder, unless `manifest` is given."""
    given = read_manifest(manifest) if manifest else {}
    out: list[tuple[Path, Optional[ManifestRow]]] = []
    for path in paths:
        if path.is_dir():
            own = path / MANIFEST_NAME
            rows = given or (read_manifest(own) if own.is_file() and not own.is_symlink() else {})
            out += [(path / listed.rel, rows.get(listed.rel)) for listed in list_corpus(path).files]
        else:
            out.append((path, given.get(_manifest_key(path, manifest))))
    return out


def _ignore(notice: Notice) -> None:
    return None


def _readable(path: Path, row: Optional[ManifestRow], published: Optional[date],
              notify: Callable[[Notice], None]) -> Optional[Document]:
    """The document to extract, or None (after a notice) when the loader would not extract it."""
    try:
        doc = read_document(path, row)
    except RefusedFile as refused:   # a link, FIFO or device: never read
        notify(Notice(path, f"skipped {path}: {refused.reason} ({refused.detail})", skipped=True))
        return None
    if doc.quarantine_reason == "bad_manifest_date":
        notify(Notice(path, f"{path.name}: unreadable published_at in the manifest; "
                      + ("using --published" if published else "treating it as undated"), skipped=False))
    elif doc.quarantine_reason:
        notify(Notice(path, f"skipped {path}: {doc.quarantine_reason}", skipped=True))
        return None
    return doc


# Documents per batch handed to the extraction pool (ingest/extraction_pool.py): large enough that
# the workers are rarely idle, small enough that the first lines print at once.
BATCH_DOCUMENTS = 32


def _extract_one(item: tuple[Document, Optional[date]]) -> list[Mention]:
    doc, published = item
    # looked up at each call (not bound at import), so a test's stand-in extractor is used
    return extract.extract_document(doc.body, doc.doc_id, doc.published_at or published, doc.outlet)


def _name(item: tuple[Document, Optional[date]]) -> str:
    return f"{item[0].path} ({item[0].doc_id})"


def _batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_corpus(paths: Path | Iterable[Path], manifest: Optional[Path] = None, *,
                   published: Optional[date] = None, doc_ids: Optional[set[str]] = None,
                   notify: Callable[[Notice], None] = _ignore,
                   progress: Callable[[list], Iterable] = iter,
                   workers: Optional[int] = None) -> Iterator[tuple[Document, list[Mention]]]:
    """(document, its mentions) for every readable file of `paths` (a corpus folder, or files and folders),
    in the order of the files.

    `published` dates the files the manifest does not; `doc_ids` keeps only the files whose manifest row
    has one of those ids; `notify` hears of skipped files and unreadable manifest dates; `progress`
    wraps the list of files (a progress bar). Files are read here and extracted in `workers` processes
    (default: $HASILA_WORKERS, else every core)."""
    files = corpus_listing([paths] if isinstance(paths, Path) else paths, manifest)
    if doc_ids is not None:
        files = [(path, row) for path, row in files if row is not None and row.doc_id in doc_ids]
    documents = ((doc, published) for path, row in progress(files)
                 if (doc := _readable(path, row, published, notify)) is not None)
    workers = min(workers_setting() if workers is None else workers, len(files))
    with closing(map_batches(_extract_one, _batched(documents, BATCH_DOCUMENTS), workers, name=_name)) as batches:
        for batch, results in batches:
            for (doc, _published), mentions in zip(batch, results):
                yield doc, mentions
