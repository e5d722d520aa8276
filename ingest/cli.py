"""The `hasila` command line: refresh, ingest, extract, validate, status."""
from __future__ import annotations

import json
import signal
import sys
from datetime import date
from pathlib import Path
from typing import Optional

import click
import duckdb

from . import BUNDLED_CORPUS, DEFAULT_WAREHOUSE
from .corpus import MANIFEST_NAME, ManifestError, corpus_files, read_document, read_manifest
from .publish import RefreshBusy

# Failures we can explain in one line; anything else is a bug and keeps its traceback.
EXPECTED_ERRORS = (RefreshBusy, ManifestError, FileNotFoundError, duckdb.Error)


class HasilaGroup(click.Group):
    def invoke(self, ctx: click.Context):
        from .refresh import RefreshFailed  # deferred: keeps `hasila --help` fast
        try:
            return super().invoke(ctx)
        except (RefreshFailed, *EXPECTED_ERRORS) as exc:
            raise click.ClickException(str(exc)) from exc


warehouse_option = click.option(
    "--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_WAREHOUSE,
    show_default=True, help="The published DuckDB warehouse file.")


@click.group(cls=HasilaGroup, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Hasila: Arabic news reports on Syria -> a DuckDB warehouse of casualty mentions and incidents."""


def _run_refresh(corpus: Path, warehouse: Path, run_dbt: bool, kind: str) -> None:
    from .refresh import refresh
    from .validate import format_results

    result = refresh(corpus, warehouse, run_dbt=run_dbt, kind=kind)
    click.echo(format_results(result.checks, problems_only=True), err=True)
    click.echo(f"published {result.warehouse} ({kind} {result.refresh_id}, {result.seconds:.1f}s)")


@cli.command()
@click.argument("corpus", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@warehouse_option
def refresh(corpus: Optional[Path], warehouse: Path) -> None:
    """Ingest CORPUS (default: the bundled corpus), dbt build, run the expectations and publish.

    The warehouse is built in a separate file and replaces the published one only when every
    step passed; a failed or interrupted refresh leaves the published warehouse as it was.
    """
    _run_refresh(corpus or BUNDLED_CORPUS, warehouse, run_dbt=True, kind="refresh")


@cli.command()
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@warehouse_option
def ingest(corpus: Path, warehouse: Path) -> None:
    """Load CORPUS into the raw tables only (no dbt build), through the same safe-publish path.

    The marts are not rebuilt: run `hasila refresh` to bring them up to date.
    """
    _run_refresh(corpus, warehouse, run_dbt=False, kind="ingest")


def _expand(paths: tuple[Path, ...], manifest: Optional[Path]) -> tuple[list[Path], dict]:
    """Files to extract and the manifest rows by file name (a folder brings its own manifest.csv)."""
    files: list[Path] = []
    rows = read_manifest(manifest) if manifest else {}
    for path in paths:
        if path.is_dir():
            files.extend(corpus_files(path))
            if manifest is None and (path / MANIFEST_NAME).is_file():
                rows = {**read_manifest(path / MANIFEST_NAME), **rows}
        else:
            files.append(path)
    return files, rows


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="manifest.csv giving doc_id and published_at per file name.")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Publication date (YYYY-MM-DD) for files the manifest does not date.")
def extract(paths: tuple[Path, ...], manifest: Optional[Path], published) -> None:
    """Print the casualty mentions in PATHS (files or folders) as JSON Lines (MENTIONS.md contract)."""
    from tqdm import tqdm

    from .extract import extract_document

    fallback: Optional[date] = published.date() if published else None
    files, rows = _expand(paths, manifest)
    skipped = 0
    for path in tqdm(files, desc="extracting", unit="doc", disable=None):
        doc = read_document(path, rows.get(path.name))
        if doc.quarantine_reason == "bad_manifest_date":
            click.echo(f"hasila: {path.name}: unreadable published_at in the manifest; "
                       + ("using --published" if fallback else "treating it as undated"), err=True)
        elif doc.quarantine_reason:
            click.echo(f"hasila: skipped {path}: {doc.quarantine_reason}", err=True)
            skipped += 1
            continue
        for mention in extract_document(doc.body, doc.doc_id, doc.published_at or fallback, doc.outlet):
            click.echo(json.dumps(mention.to_dict(), ensure_ascii=False))
    if skipped:
        click.echo(f"hasila: {skipped} of {len(files)} file(s) skipped", err=True)


@cli.command()
@warehouse_option
@click.option("--layer", type=click.Choice(["raw", "marts"]), multiple=True,
              help="Only these suites (default: all).")
def validate(warehouse: Path, layer: tuple[str, ...]) -> None:
    """Run the Great Expectations suites on the published warehouse (read-only); exit 1 on failure."""
    from .validate import LAYERS, format_results, validate_warehouse

    if not warehouse.exists():
        raise FileNotFoundError(f"no published warehouse at {warehouse}; run `hasila refresh` first")
    results = validate_warehouse(warehouse, layer or LAYERS)
    click.echo(format_results(results))
    if any(r.failed for r in results):
        sys.exit(1)


@cli.command()
@warehouse_option
def status(warehouse: Path) -> None:
    """Show what is published: documents by status, mentions, marts, the last refresh and its checks."""
    from .status import status_lines

    click.echo("\n".join(status_lines(warehouse)))


def _terminate(signum, _frame):
    # SystemExit unwinds through the refresh's cleanup, so the build file is removed.
    raise SystemExit(128 + signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    cli(prog_name="hasila")


if __name__ == "__main__":
    main()
