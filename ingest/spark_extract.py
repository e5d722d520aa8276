"""The extractor as a Spark job: a corpus folder in, the raw tables out as Parquet.

    python -m ingest.spark_extract CORPUS OUT [--master local[2]]

writes OUT/documents, OUT/mentions, OUT/rejected_mentions and OUT/document_regions, one Parquet
dataset per table of ingest/raw_schema.sql with its columns and types (read from that file, so the
two cannot drift apart), for dbt-spark to read as its `raw` sources (profiles.yml target `spark`).

The rows are the loader's for a first load of the corpus (ingest/loader.py): the corpus is walked
and classified by ingest/corpus.py (boundary, quarantine, duplicates) on the driver, and each
document is extracted and split by the mention contract by the loader's own per-document step
(`document_row`, `ExtractionJob`, `extract_rows`), on the executors, a partition at a time. The
same refusals hold: a manifest that would quarantine most of the corpus, or a run whose mentions
mostly break the contract, writes nothing. Only the bookkeeping of an existing warehouse (versions
of a doc_id across runs, re-extraction by a newer extractor) is left out: every run is a full
build, each document its version 1.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Iterator, Optional

import duckdb

from .corpus import open_corpus
from .extract import EXTRACTOR_VERSION
from .loader import (
    ExtractionJob, IngestReport, apply_raw_schema, document_row, extract_rows, refuse_broken_extractor,
    ManifestTally, refuse_broken_manifest, utcnow,
)

RAW_TABLES = ("documents", "mentions", "rejected_mentions", "document_regions")
# DuckDB's types in raw_schema.sql -> Spark SQL's
SPARK_TYPES = {"VARCHAR": "string", "INTEGER": "int", "BIGINT": "bigint", "BOOLEAN": "boolean",
               "DATE": "date", "TIMESTAMP": "timestamp"}


def raw_columns() -> dict[str, list[tuple[str, str]]]:
    """(column, DuckDB type) of each raw table, in order, as ingest/raw_schema.sql creates them."""
    con = duckdb.connect()
    apply_raw_schema(con)
    return {table: [(name, kind) for name, kind, *_ in con.execute(f"DESCRIBE raw.{table}").fetchall()]
            for table in RAW_TABLES}


def spark_schema(columns: list[tuple[str, str]]) -> str:
    """A Spark DDL schema string for a raw table's columns."""
    return ", ".join(f"`{name}` {SPARK_TYPES[kind]}" for name, kind in columns)


def _typed(value, kind: str):
    """A row value as Spark's type wants it: the extractor writes dates as ISO strings."""
    if isinstance(value, str) and kind == "DATE":
        return date.fromisoformat(value)
    if isinstance(value, str) and kind == "TIMESTAMP":
        return datetime.fromisoformat(value)
    return value


def as_tuple(row: dict, columns: list[tuple[str, str]]) -> tuple:
    return tuple(_typed(row.get(name), kind) for name, kind in columns)


def extract_partition(jobs: Iterable[tuple], columns: dict[str, list[tuple[str, str]]],
                      now: datetime) -> Iterator[tuple]:
    """One partition of documents -> (table, row) pairs: each document's raw.documents row as
    extraction leaves it (loaded with its mention count, or quarantined with the reason), and its
    mentions, rejected mentions and dropped regions. Runs on an executor."""
    for fields in jobs:
        document = dict(zip([name for name, _kind in columns["documents"]], fields))
        extracted = extract_rows(ExtractionJob.of_document(document))
        document["extractor_version"] = EXTRACTOR_VERSION
        if extracted.failure:
            document.update(status="quarantined", quarantine_reason=extracted.failure[0], n_mentions=None,
                            version=None, is_current=False)
        else:
            document.update(n_mentions=len(extracted.mentions), header_date=extracted.header_date,
                            header_date_rule=extracted.header_date_rule, is_current=True)
            for row in extracted.mentions:
                yield "mentions", as_tuple({**row, "extracted_at": now}, columns["mentions"])
            for row in extracted.rejected:
                yield "rejected_mentions", as_tuple({**row, "rejected_at": now}, columns["rejected_mentions"])
            for row in extracted.regions:
                yield "document_regions", as_tuple(row, columns["document_regions"])
        yield "documents", as_tuple(document, columns["documents"])


def classified_documents(corpus_root: Path, now: datetime) -> tuple[list[dict], list[dict]]:
    """The corpus walked and classified as the loader does: (rows of the documents to extract,
    rows of those quarantined from the file or manifest). A later copy of the same bytes has no row
    (the loader keeps only the first); raises IngestRefused for a broken manifest."""
    _corpus, documents = open_corpus(corpus_root)
    to_extract, quarantined, classified = [], [], ManifestTally()
    for doc in documents:
        classified.add(doc.file_name, doc.quarantine_reason)
        if doc.quarantine_reason == "duplicate":
            continue
        row = document_row(doc, now, version=None if doc.quarantine_reason else 1)
        (quarantined if doc.quarantine_reason else to_extract).append(row)
    refuse_broken_manifest(corpus_root, classified)
    return to_extract, quarantined


def run(corpus_root: Path, out: Path, spark, now: Optional[datetime] = None, partitions: Optional[int] = None) -> Counter:
    """Extract `corpus_root` with `spark` and write the raw tables under `out` (overwritten).
    Returns the rows written per table."""
    now = now or utcnow()
    columns = raw_columns()
    to_extract, quarantined = classified_documents(corpus_root, now)
    jobs = spark.sparkContext.parallelize(
        [as_tuple(row, columns["documents"]) for row in to_extract],
        partitions or spark.sparkContext.defaultParallelism)
    tagged = jobs.mapPartitions(lambda part: extract_partition(part, columns, now)).cache()
    counts = Counter(dict(tagged.map(lambda pair: (pair[0], 1)).reduceByKey(lambda a, b: a + b).collect()))
    reason = [name for name, _kind in columns["rejected_mentions"]].index("reason")
    reasons = (tagged.filter(lambda pair: pair[0] == "rejected_mentions")
               .map(lambda pair: (pair[1][reason], 1)).reduceByKey(lambda a, b: a + b).collect())
    refuse_broken_extractor(IngestReport(corpus=str(corpus_root), mentions_added=counts["mentions"],
                                         mentions_rejected=counts["rejected_mentions"],
                                         rejection_reasons=Counter(dict(reasons))))
    for table in RAW_TABLES:
        rows = tagged.filter(lambda pair, t=table: pair[0] == t).map(lambda pair: pair[1])
        if table == "documents":
            rows = rows.union(spark.sparkContext.parallelize(
                [as_tuple(row, columns["documents"]) for row in quarantined], 1))
        frame = spark.createDataFrame(rows, schema=spark_schema(columns[table]))
        frame.write.mode("overwrite").parquet(str(out / table))
    counts["documents"] += len(quarantined)
    tagged.unpersist()
    return counts


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ingest.spark_extract", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="corpus folder (files + manifest.csv)")
    parser.add_argument("out", type=Path, help="folder of the Parquet raw tables (overwritten)")
    parser.add_argument("--master", default=None,
                        help="Spark master URL (default: $SPARK_MASTER or spark-submit's, else local[*])")
    parser.add_argument("--ingested-at", type=datetime.fromisoformat, default=None,
                        help="the run's timestamp (ingested_at, extracted_at), UTC; default: now")
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession  # the `spark` extra: imported only when the job runs

    # Executors run this interpreter (with this environment's packages) unless told otherwise: right
    # for local mode; on a cluster set PYSPARK_PYTHON to an environment with hasila installed.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    builder = SparkSession.builder.appName("hasila-extract")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        counts = run(args.corpus, args.out, spark, args.ingested_at)
    finally:
        spark.stop()
    print(", ".join(f"{table} {counts[table]}" for table in RAW_TABLES) + f" -> {args.out}")


if __name__ == "__main__":
    main()
