"""The `hasila` command line: refresh, ingest, extract, validate, status, sql, export, report."""
from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Optional

import click

from . import BUNDLED_CORPUS, DEFAULT_WAREHOUSE, WAREHOUSE_ENV
from .corpus import ManifestError

# Exit statuses, so a script or scheduler can tell the cases apart (README "Exit statuses"):
# 1 failed (something broke: look at `hasila status`), 2 bad command line (click's own),
# 3 data checks failed (dbt tests or expectations: the data is wrong, the code ran),
# EX_DATAERR (65) bad input (a corpus or manifest that cannot be used), EX_TEMPFAIL (75) another
# refresh is running (try later). Nothing is published in any of them.
EXIT_FAILED = 1
EXIT_CHECKS_FAILED = 3
EXIT_BAD_INPUT = getattr(os, "EX_DATAERR", 65)
EXIT_BUSY = getattr(os, "EX_TEMPFAIL", 75)



class HasilaError(click.ClickException):
    """A one-line error with its own exit status."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILED):
        super().__init__(message)
        self.exit_code = exit_code


class HasilaGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own ways out (--help, usage errors): nothing to explain
        except Exception as exc:  # a failure we can explain becomes one line; anything else is re-raised
            error = as_hasila_error(exc)
            if error is None:
                raise
            raise error from exc


def as_hasila_error(exc: Exception) -> Optional[HasilaError]:
    """The one-line error and exit status of a failure we can explain; None for a bug (it keeps its
    traceback). The modules defining these failures are imported only here, once something failed,
    so that `hasila extract` and `--help` start without duckdb, pandas or Great Expectations."""
    import duckdb

    from .extraction_pool import BadWorkersSetting, WorkerDied
    from .loader import IngestRefused
    from .publish import RefreshBusy, WarehouseFolderError, WarehouseUnreadable, io_failure_message
    from .refresh import REFUSALS, ChecksFailed

    if isinstance(exc, RefreshBusy):
        return HasilaError(str(exc), EXIT_BUSY)
    if isinstance(exc, ChecksFailed):
        return HasilaError(str(exc), EXIT_CHECKS_FAILED)
    if isinstance(exc, (IngestRefused, ManifestError)):
        return HasilaError(str(exc), EXIT_BAD_INPUT)
    if isinstance(exc, (*REFUSALS, FileNotFoundError, WarehouseFolderError, WarehouseUnreadable, duckdb.Error,
                        WorkerDied, BadWorkersSetting)):
        return HasilaError(str(exc))
    if isinstance(exc, OSError):  # disk full / read-only / permission outside a refresh (e.g. writing output)
        message = io_failure_message(exc, Path.cwd())
        return HasilaError(message) if message is not None else None
    return None


# HASILA_WAREHOUSE names the warehouse for every command, as it does for dbt (dbt_project/profiles.yml):
# one variable, honoured everywhere. --warehouse wins over it.
warehouse_option = click.option(
    "--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_WAREHOUSE,
    envvar=WAREHOUSE_ENV, show_envvar=True, show_default=True, help="The published DuckDB warehouse file.")


@click.group(cls=HasilaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hasila", prog_name="hasila")  # the installed package's metadata
def cli() -> None:
    """Hasila: Arabic news reports on Syria -> a DuckDB warehouse of casualty mentions and incidents."""


def _run_refresh(corpus: Path, warehouse: Path, run_dbt: bool, kind: str, rebuild: bool = False) -> None:
    from .refresh import refresh
    from .validate import format_results

    result = refresh(corpus, warehouse, run_dbt=run_dbt, kind=kind, rebuild=rebuild)
    click.echo(format_results(result.checks, problems_only=True), err=True)
    click.echo(f"published {result.warehouse} ({kind} {result.refresh_id}, {result.seconds:.1f}s)")


@cli.command()
@click.argument("corpus", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@warehouse_option
@click.option("--rebuild", is_flag=True,
              help="Start from an empty warehouse instead of a copy of the published one (the way out of a "
                   "corrupt file); the replaced file is kept as WAREHOUSE.corrupt-<time> or .replaced-<time>.")
def refresh(corpus: Optional[Path], warehouse: Path, rebuild: bool) -> None:
    """Ingest CORPUS (default: the bundled corpus), dbt build, run the expectations and publish.

    The warehouse is built in a separate file and replaces the published one only when every
    step passed; a failed or interrupted refresh leaves the published warehouse as it was.
    Exit status: 0 published, 1 failed, 3 data checks failed, 65 unusable corpus or manifest,
    75 another refresh is running (try again later).
    """
    _run_refresh(corpus or BUNDLED_CORPUS, warehouse, run_dbt=True, kind="refresh", rebuild=rebuild)


@cli.command()
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@warehouse_option
def ingest(corpus: Path, warehouse: Path) -> None:
    """Load CORPUS into the raw tables only (no dbt build), through the same safe-publish path.

    The marts are not rebuilt: run `hasila refresh` to bring them up to date.
    """
    _run_refresh(corpus, warehouse, run_dbt=False, kind="ingest")


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="manifest.csv giving doc_id and published_at per file name.")
@click.option("--published", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Publication date (YYYY-MM-DD) for files the manifest does not date.")
def extract(paths: tuple[Path, ...], manifest: Optional[Path], published) -> None:
    """Print the casualty mentions in PATHS (files or folders) as JSON Lines (MENTIONS.md contract)."""
    from tqdm import tqdm

    from .corpus_extraction import extract_corpus

    extracted = skipped = 0

    def notify(notice) -> None:
        nonlocal skipped
        click.echo(f"hasila: {notice.text}", err=True)
        skipped += notice.skipped

    for _doc, mentions in extract_corpus(paths, manifest, published=published.date() if published else None,
                                         notify=notify,
                                         progress=lambda files: tqdm(files, desc="extracting", unit="doc", disable=None)):
        extracted += 1
        for mention in mentions:
            click.echo(json.dumps(mention.to_dict(), ensure_ascii=False))
    if skipped:
        click.echo(f"hasila: {skipped} of {extracted + skipped} file(s) skipped", err=True)


@cli.command()
@warehouse_option
@click.option("--layer", type=click.Choice(["raw", "marts"]), multiple=True,
              help="Only these suites (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON object.")
def validate(warehouse: Path, layer: tuple[str, ...], as_json: bool) -> None:
    """Run the Great Expectations checkpoints on the published warehouse (read-only); exit 3 when a
    check fails."""
    import duckdb

    from .publish import WarehouseUnreadable, unreadable_message
    from .validate import LAYERS, data_docs_index, format_results, results_report, validate_warehouse

    if not warehouse.exists():
        raise FileNotFoundError(f"no published warehouse at {warehouse}; run `hasila refresh` first")
    try:
        results = validate_warehouse(warehouse, layer or LAYERS)
    except duckdb.Error as exc:
        message = unreadable_message(warehouse, exc)
        if message is None:
            raise
        raise WarehouseUnreadable(message) from exc
    docs = data_docs_index(warehouse).resolve().as_uri() if data_docs_index(warehouse).exists() else None
    if as_json:
        click.echo(json.dumps(results_report(warehouse, results, docs), ensure_ascii=False, indent=2))
    else:
        click.echo(format_results(results))
        if docs:
            click.echo(f"Data Docs: {docs}", err=True)
    if any(r.failed for r in results):
        sys.exit(EXIT_CHECKS_FAILED)


@cli.command()
@warehouse_option
@click.option("--json", "as_json", is_flag=True, help="Print the same report as one JSON object.")
def status(warehouse: Path, as_json: bool) -> None:
    """Show what is published: documents by status and quarantine reason, mentions, rejected mentions
    by reason, marts, the last refresh and its checks, and why the last attempt failed."""
    from .status import status_lines, status_report

    if as_json:
        click.echo(json.dumps(status_report(warehouse), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo("\n".join(status_lines(warehouse)))


@cli.command()
@click.argument("query", required=False)
@warehouse_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="json: one object per line.")
def sql(query: Optional[str], warehouse: Path, fmt: str) -> None:
    """Run QUERY (or the SQL read from stdin) on the published warehouse through the guarded path.

    The file is opened read-only with external access disabled and the configuration locked:
    no statement can read or write other files, attach databases, install or load extensions,
    or change settings.
    """
    from .sql import format_rows, open_guarded, run_query

    text = query if query is not None else click.get_text_stream("stdin").read()
    if not text.strip():
        raise click.UsageError("no SQL given: pass QUERY or pipe it on stdin")
    with open_guarded(warehouse) as con:
        columns, rows = run_query(con, text)
    output = format_rows(columns, rows, fmt)
    if output:
        click.echo(output)


@cli.command()
@warehouse_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="Folder to write (created if missing; files of the same name are replaced).")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True)
def export(warehouse: Path, out_dir: Path, fmt: str) -> None:
    """Write every mart (schema marts) and the ACLED/UCDP-style exports (schema exports) to OUT as CSV
    or Parquet, with columns.csv (each column's type and description) and a README.md beside them.

    The published file is read-only and the connection can write only inside OUT.
    """
    from .export import COLUMNS_FILE, export_warehouse

    exported = export_warehouse(warehouse, out_dir, fmt)
    for table in exported:
        click.echo(f"{table.path}  {table.rows} rows")
    click.echo(f"wrote {len(exported)} tables and {out_dir / COLUMNS_FILE} ({fmt})", err=True)


@cli.command()
@warehouse_option
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=Path("report.html"),
              show_default=True, help="HTML file to write (replaced if it exists).")
def report(warehouse: Path, out_file: Path) -> None:
    """Write one self-contained HTML report of the marts (charts, map, largest incidents) that opens
    offline, with every figure leading down to the Arabic sentences and documents behind it."""
    from .report import write_report

    click.echo(write_report(warehouse, out_file))


def _terminate(signum, _frame):
    # SystemExit unwinds through the refresh's cleanup (dbt child first), so the build file is removed.
    raise SystemExit(128 + signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    cli(prog_name="hasila")


if __name__ == "__main__":
    main()
