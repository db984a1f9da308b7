"""Commands that move figures between the store and files: template, import, export."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .options import (
    as_stored_option,
    checked,
    figure_filters,
    output_file,
    output_path,
    query_of,
    tell,
)
from .shell import emit, open_store

if TYPE_CHECKING:
    from ..files.importing import Progress


@click.command()
@output_file(".xlsx")
@click.pass_context
def template(ctx: click.Context, out: str, force: bool) -> None:
    """An Excel workbook for entering figures, laid out as the store keeps them.

    One sheet per table (Figures, Sources, Publications, Citations) with the
    store's columns, drop-down lists for every controlled value and for the
    source and publication ids, date cells, and an Instructions sheet with every
    column's meaning and an example. The store's sources and publications come
    filled in when the store exists.

    \b
    Example:
      casualties template --out entry.xlsx
    """
    from ..errors import StoreNotInitialised
    from ..files.template import write_template
    from ..store.database import Store

    try:
        store = Store.open(ctx.obj["db"])
    except StoreNotInitialised:
        sources = publications = None
    else:
        sources, publications = store.table("sources"), store.table("publications")
        store.close()
    with output_path(out, force, ".xlsx") as path:
        write_template(path, sources, publications, overwrite=True)
    known = 0 if sources is None else len(sources)
    tell(out, f"Wrote {out}: the entry sheets, with {known} sources already filled in.")


EXCEL = click.option(
    "--excel",
    is_flag=True,
    help="For Excel: a UTF-8 byte-order mark, so ≥ and – and Arabic read right when the "
    "file is opened by a double click (other tools may take the mark as text).",
)
EXPORT_AS_OF = click.option(
    "--as-of",
    help="Only figures reported by this day (their status as it stands now; for the store "
    "as it stood then, --as-stored).",
)


@click.command("csv")
@figure_filters
@EXPORT_AS_OF
@as_stored_option
@output_file(".csv")
@EXCEL
@click.pass_context
def export_csv(ctx: click.Context, out: str, force: bool, **filters) -> None:
    """The figures as CSV: one row per figure, one column per field of the contract.

    Text a spreadsheet would run as a formula (starting with = + - @, a tab or a
    carriage return) is written with an apostrophe before it.

    \b
    Example:
      casualties export csv --out reports/figures.csv --metric killed
    """
    from ..files.exports import write_figures_csv

    excel = filters.pop("excel")
    _write_figures(ctx, partial(write_figures_csv, excel=excel), out, force, filters)


@click.command("json")
@figure_filters
@EXPORT_AS_OF
@as_stored_option
@output_file(".json")
@click.pass_context
def export_json(ctx: click.Context, out: str, force: bool, **filters) -> None:
    """The figures with the sources, publications and citations they name, as JSON.

    \b
    Example:
      casualties export json --out reports/figures.json --source sohr
    """
    from ..files.exports import related_tables, write_json

    store = open_store(ctx)
    tables = related_tables(store, _query(store, filters))
    with output_path(out, force, ".json") as path:
        write_json(tables, path)
    counts = ", ".join(f"{len(frame)} {name}" for name, frame in tables.items())
    tell(out, f"Wrote {out}: {counts}.")


@click.command("datasette-metadata")
@output_file(".json")
@click.pass_context
def export_datasette_metadata(ctx: click.Context, out: str, force: bool) -> None:
    """Metadata for Datasette: the store as a browsable, read-only site, every table
    and column described as in schemas/.

    \b
    Example:
      casualties export datasette-metadata --out metadata.json
      datasette serve --immutable data/casualties.db --metadata metadata.json
    """
    from ..files.datasette import write_datasette_metadata

    with output_path(out, force, ".json") as path:
        write_datasette_metadata(Path(ctx.obj["db"]), path)
    tell(out, f"Wrote {out}: descriptions of every table and column for {ctx.obj['db']}.")


@click.command("parquet")
@figure_filters
@EXPORT_AS_OF
@as_stored_option
@output_file(".parquet")
@click.pass_context
def export_parquet(ctx: click.Context, out: str, force: bool, **filters) -> None:
    """The figures as Parquet: one column per field of the contract, typed by it.

    Counts are 64-bit integers, household sizes floats and days Parquet dates,
    so pandas, R, DuckDB and Arrow read them as such; each column carries its
    description. Needs pyarrow: pip install 'casualties[parquet]'.

    \b
    Example:
      casualties export parquet --out reports/figures.parquet --metric killed
    """
    from ..files.exports import write_figures_parquet

    _write_figures(ctx, write_figures_parquet, out, force, filters)


@click.command("hxl")
@figure_filters
@EXPORT_AS_OF
@as_stored_option
@output_file(".csv")
@EXCEL
@click.pass_context
def export_hxl(ctx: click.Context, out: str, force: bool, excel: bool, **filters) -> None:
    """The figures as CSV with the HXL hashtag row HDX reads (schemas/hxl.yaml).

    Every field keeps its own column and hashtag, so `casualties import` reads the
    file back; places stand at each admin level (#country, #adm1, #adm2 with
    +code and +name), and #affected+killed and the like hold only top-level
    incidents that count, so an HXL sum counts each once and no running total
    or subset.

    \b
    Example:
      casualties export hxl --out reports/figures-hxl.csv --place Syria
    """
    from ..files.hxl import write_hxl
    from ..store.query import matching_figures

    store = open_store(ctx)
    figures = matching_figures(store, _query(store, filters))
    with output_path(out, force, ".csv") as path:
        write_hxl(figures, path, excel)
    tell(out, f"Wrote {out}: {len(figures)} figures with their HXL hashtags.")


# Warnings shown in full; past these, a count (the same kind repeats by the thousand).
WARNINGS_SHOWN = 20


def _show_warnings(warnings: tuple[str, ...]) -> None:
    """Each warning on a line of its own, the first few of many, then how many more."""
    for warning in warnings[:WARNINGS_SHOWN]:
        emit(f"Warning: {warning}")
    if len(warnings) > WARNINGS_SHOWN:
        emit(f"… and {len(warnings) - WARNINGS_SHOWN:,} more warnings like these.")


def _hdx_provenance(dataset, source_id, publication_id, basis, since, skipped=()):
    """What --from hdx needs told about the file's counts; None for other files."""
    given = {"--source": source_id, "--publication": publication_id}
    if dataset != "hdx":
        stray = {**given, "--basis": basis, "--since": since, "--skip": skipped}
        named = [option for option, value in stray.items() if value]
        if named:
            raise click.UsageError(f"{', '.join(named)}: only for --from hdx")
        return None
    missing = [option for option, value in given.items() if not value]
    if missing:
        raise click.UsageError(f"--from hdx needs {', '.join(missing)}: the file does not say")
    from ..files.hdx import Provenance

    return Provenance(source_id, publication_id, basis, since, tuple(skipped))


@contextmanager
def _progress_bar(path: Path) -> Iterator[Progress | None]:
    """A bar on the terminal while a large file is imported (nothing when piped).

    A file read whole (a workbook, a dataset's export) says so first: reading
    100,000 rows of a workbook takes seconds before a row can be counted.
    """
    from ..files import importing, reading
    from ..files.importing import Progress

    if not sys.stderr.isatty():
        yield None
        return
    bars = []

    def expect(rows: int) -> None:
        # A file stored in one step has nothing to show between its start and its end.
        if rows > min(reading.CHUNK_ROWS, importing.STORED_AT_ONCE) and not bars:
            bar = click.progressbar(length=rows, label=f"Importing {path.name}", file=sys.stderr)
            bars.append(bar.__enter__())

    def advance(rows: int) -> None:
        if bars:
            bars[0].update(rows)

    if path.suffix.lower() in reading.READ_WHOLE_SUFFIXES or path.stat().st_size > 1 << 20:
        click.echo(f"Reading {path.name} …", err=True)
    try:
        yield Progress(expect, advance)
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


def _write_figures(ctx: click.Context, write, out: str, force: bool, filters: dict) -> None:
    """The filtered figures written by `write` (store, query, path) → how many, said."""
    with output_path(out, force, Path(out).suffix) as path:
        store = open_store(ctx)
        count = write(store, _query(store, filters), path)
    tell(out, f"Wrote {out}: {count} figures.")


def _query(store, filters: dict):
    """The filters as a query, each value checked against the store and vocabularies."""
    from dataclasses import replace

    from ..model.weeks import parse_day

    query = checked(store, query_of(filters))
    if not filters.get("as_of"):
        return query
    day = parse_day(filters["as_of"], "--as-of").isoformat()
    return replace(query, where=replace(query.where, reported_by=day))


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--table",
    type=click.Choice(["figures", "sources", "publications", "citations"]),
    help="What a one-table file holds (default: figures; workbooks name it by sheet).",
)
@click.option(
    "--from",
    "dataset",
    type=click.Choice(["acled", "ucdp-ged", "hdx"]),
    help="The file is an event dataset's export (mapped by schemas/datasets/NAME.yaml), "
    "or an HDX file tagged with HXL by others (each count cell a figure).",
)
@click.option("--source", "source_id", help="With --from hdx: the stored source that counted.")
@click.option(
    "--publication", "publication_id", help="With --from hdx: the stored publication of the file."
)
@click.option(
    "--basis",
    type=click.Choice(["incident", "cumulative", "stock"]),
    help="With --from hdx: each row's own day's toll, running totals, or a stock "
    "standing at the row's date (the default for IDPs present and other stocks).",
)
@click.option(
    "--since",
    help="With --from hdx --basis cumulative: the day the totals run from (YYYY-MM-DD).",
)
@click.option(
    "--skip",
    "skipped",
    multiple=True,
    metavar="HASHTAG",
    help="With --from hdx: leave the columns of this hashtag unread (#affected+idps+f, "
    "#operation+name); repeat for more. Said with the import's warnings.",
)
@click.option("--dry-run", is_flag=True, help="Check everything, write nothing.")
@click.option("--dayfirst", is_flag=True, help="Read dates like 06/12/2024 as 6 December.")
@click.option(
    "--decimal-comma",
    is_flag=True,
    help="Read 1.200 as twelve hundred and 2,5 as two and a half (a European file).",
)
@click.option(
    "--encoding",
    help="A CSV's text encoding (utf-8, cp1256, cp1252, utf-16…), where its bytes "
    "do not tell it; found by default.",
)
@click.option(
    "--keep-valid",
    type=click.Path(dir_okay=False),
    help="Store the valid rows; write the rejected ones, with reasons, to this .csv or .xlsx "
    "(a sheet per table; a .csv holds one table's, and rows of two tables rejected to one "
    ".csv refuse the import). The file is written before the rows are stored: if it cannot "
    "be, nothing is.",
)
@click.pass_context
def import_(
    ctx: click.Context,
    file: str,
    table: str | None,
    dry_run: bool,
    dayfirst: bool,
    decimal_comma: bool,
    encoding: str | None,
    keep_valid: str | None,
    dataset: str | None,
    source_id: str | None,
    publication_id: str | None,
    basis: str | None,
    since: str | None,
    skipped: tuple[str, ...],
):
    """Figures, sources and publications from a CSV, TSV, Excel or JSON file.

    A workbook's sheets (as `casualties template` and `export xlsx` lay them
    out) or a JSON object's tables are read together; a CSV holds figures
    unless --table says otherwise. Every row is checked first: one bad cell and
    nothing is written, each problem named by file, sheet, row and column;
    with --keep-valid the valid rows are stored and the others written,
    untouched and with their reasons, to a file to fix and import again.
    Rows already in the store are skipped, so importing a file twice adds
    nothing the second time.

    \b
    Example:
      casualties import entry.xlsx --dry-run
      casualties import figures.csv
      casualties import old-records.csv --dayfirst --keep-valid rejects.csv
      casualties import zahlen.xlsx --decimal-comma
      casualties import idlib-desk.csv --encoding cp1256
      casualties import --from acled acled-syria-2024.csv
      casualties import --from hdx gaza-daily.csv --source moh-gaza \\
          --publication ocha-hdx-2024 --basis cumulative --since 2023-10-07
    """
    from ..files.importing import REJECTS_SUFFIXES, import_file

    rejects = Path(keep_valid) if keep_valid else None
    if rejects is not None and rejects.exists():
        raise click.UsageError(f"{rejects} exists; name a new file for the rejected rows")
    if rejects is not None and rejects.suffix.lower() not in REJECTS_SUFFIXES:
        raise click.UsageError(f"--keep-valid {rejects}: name a .csv or an .xlsx")
    provenance = _hdx_provenance(dataset, source_id, publication_id, basis, since, skipped)
    if encoding is not None:
        from ..errors import InvalidInput
        from ..files.encodings import known_encoding

        try:
            known_encoding(encoding)
        except InvalidInput as error:
            raise click.BadParameter(str(error), param_hint="--encoding") from None
    store = open_store(ctx)
    warned: list[str] = []
    try:
        with _progress_bar(Path(file)) as progress:
            done = import_file(
                store,
                Path(file),
                table=table,
                dry_run=dry_run,
                dayfirst=dayfirst,
                keep_valid=rejects,
                dataset=dataset,
                decimal_comma=decimal_comma,
                encoding=encoding,
                progress=progress,
                provenance=provenance,
                warned=warned.append,
            )
    finally:
        # Shown even when the import fails: a name not placed may be why.
        _show_warnings(tuple(warned))
    read = ", ".join(f"{count} {name}" for name, count in done.read.items())
    if done.rows is not None:
        read = f"{done.rows} rows ({read})"
    blank = f" ({done.blank_rows} blank rows skipped)" if done.blank_rows else ""
    if warned:
        blank += f"; {len(warned)} warnings (above)"
    added = ", ".join(f"{count} {name}" for name, count in done.added.items())
    if done.rejected:
        blank += f"; {done.rejected} rows rejected, written with the reasons to {keep_valid}"
    if dry_run:
        emit(f"Read {read} from {file}{blank}; checked: {added} would be added. Nothing written.")
    elif not any(done.added.values()):
        emit(f"Read {read} from {file}{blank}; all were already in the store: nothing added.")
    else:
        emit(f"Read {read} from {file}{blank}; added {added}.")
