"""Figures in from files: CSV or TSV, Excel workbooks and JSON, every bad cell located.

A file holds one table (a CSV: figures unless told) or several (a workbook's
sheets or a JSON object, named for their tables, as the entry template and the
exports lay them out). Each table's header may sit below a few title rows;
blank rows are skipped and counted; cells are cleaned the way a spreadsheet
muddles them (spaces, "1,200", Excel's date serials, the apostrophe an export
puts before formula-like text). Everything lands in one transaction or not at
all, and a problem names the file, sheet, row (as the user sees it) and column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from . import contract
from .errors import AlreadyStored, CasualtiesError, Problem, ValidationFailed
from .missing import is_missing
from .render import FORMULA_STARTS

if TYPE_CHECKING:
    import pandas as pd

    from .store import Store

TABLE_ORDER = ("sources", "publications", "figures", "citations")
REASON_COLUMN = "rejected_because"
# The rejects file's reasons, and the workbook's link to a figure's first publication.
DERIVED_COLUMNS = {REASON_COLUMN, "publication_url"}
HEADER_SEARCH_ROWS = 20
EXCEL_EPOCH = date(1899, 12, 30)
TEXT_DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y")
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


class UnreadableFile(CasualtiesError):
    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class Part:
    """One table read from a file: its rows, and where each row sits in the file."""

    table: str
    sheet: str | None
    frame: pd.DataFrame
    row_numbers: list[int]
    blank_rows: int
    header: tuple[str, ...] = ()  # as written in the file
    raw: tuple[tuple, ...] = ()  # each kept row's cells as read, for a rejects file

    def without(self, numbers: set[int]) -> Part:
        """The part less the rows at these file row numbers."""
        keep = [n not in numbers for n in self.row_numbers]
        return replace(
            self,
            frame=self.frame[keep].reset_index(drop=True),
            row_numbers=[n for n, k in zip(self.row_numbers, keep, strict=True) if k],
            raw=tuple(r for r, k in zip(self.raw, keep, strict=True) if k),
        )


@dataclass(frozen=True)
class Imported:
    """What an import read and what it added (nothing when a dry run)."""

    read: dict[str, int]
    added: dict[str, int]
    blank_rows: int
    dry_run: bool
    rejected: int = 0


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def import_file(
    store: Store,
    path: Path,
    table: str | None = None,
    dry_run: bool = False,
    dayfirst: bool = False,
    keep_valid: Path | None = None,
    dataset: str | None = None,
) -> Imported:
    """Validate and store every table of the file at once; rows already stored are skipped.

    With `keep_valid`, rows with problems are left out (and the rows that then
    name a left-out row), the rest stored, and the left-out rows written
    untouched, with the reasons, to `keep_valid`, to fix and import again.
    """
    path = Path(path)
    parts = dataset_parts(path, dataset) if dataset else read_parts(path, table, dayfirst)
    if keep_valid is None:
        return _imported(store, parts, path, dry_run)
    every = parts  # the rows as read, for the rejects file
    rejected: dict[tuple[str, int], list[str]] = {}
    while True:
        try:
            done = _imported(store, parts, path, dry_run)
        except ValidationFailed as failed:
            found = _rejected_rows(failed.problems, parts)
            if not found:
                raise
            for key, reasons in found.items():
                rejected.setdefault(key, []).extend(reasons)
            parts = [p.without({n for (t, n) in found if t == p.table}) for p in parts]
            continue
        if rejected:
            write_rejects(keep_valid, rejected, every)
        return replace(done, rejected=len(rejected))


def _imported(store: Store, parts: list[Part], path: Path, dry_run: bool) -> Imported:
    from .ledger import add_figures, add_publications, add_sources

    frames = {part.table: part.frame for part in parts}
    added: dict[str, int] = {}
    try:
        with store.transaction():
            if "sources" in frames:
                added["sources"] = add_sources(store, frames["sources"], skip_existing=True)
            if "publications" in frames:
                publications = frames["publications"]
                added["publications"] = add_publications(store, publications, skip_existing=True)
            if "figures" in frames:
                amended = _amend_edited(store, frames["figures"], path)
                stored = add_figures(
                    store, frames["figures"], frames.get("citations"), skip_existing=True
                )
                added["figures"] = len(stored)
                if amended:
                    added["amended figures"] = amended
            elif "citations" in frames:
                added["citations"] = _cite(store, frames["citations"])
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except ValidationFailed as failed:
        raise ValidationFailed(_located(failed.problems, parts, path)) from failed
    except AlreadyStored as clash:
        raise UnreadableFile(path, str(clash)) from clash
    return Imported(
        read={p.table: len(p.frame) for p in parts},
        added=added,
        blank_rows=sum(p.blank_rows for p in parts),
        dry_run=dry_run,
    )


def _cite(store: Store, citations: pd.DataFrame) -> int:
    """Citations of stored figures (a file of citations alone); how many were new."""
    from .ledger import cite_figure

    added, problems = 0, []
    for position, row in enumerate(citations.to_dict("records"), start=1):
        try:
            cite_figure(store, row.get("figure_id"), row.get("publication_id"), row.get("quote"))
        except AlreadyStored:
            continue
        except CasualtiesError as error:
            reason = str(error).splitlines()[0]
            problems.append(
                Problem("citations", f"row {position}", "figure_id", row.get("figure_id"), reason)
            )
        else:
            added += 1
    if problems:
        raise ValidationFailed(problems)
    return added


# Not what a figure says: when and by whom it was entered, and the people counts the
# store works out from the values (an edit to a value changes them by itself).
BOOKKEEPING = {"version", "entered_by", "entered_at", "change_reason", "supersedes"}
BOOKKEEPING |= {"people_low", "people_best", "people_high"}


def _amend_edited(store: Store, figures: pd.DataFrame, path: Path) -> int:
    """Store a new version of each stored figure the file's row says differently; how many.

    A file exported, edited and imported again gives exactly its edits: the
    rows left as they were match their stored figures and are skipped.
    """
    from .ledger import amend_figure
    from .store import FigureFilter

    if "id" not in figures:
        return 0
    given = figures[figures["id"].notna()]
    stored = store.figures(FigureFilter(ids=tuple(given["id"])))
    if stored.empty:
        return 0
    current = {row["id"]: row for row in stored.to_dict("records")}
    compared = [c for c in given.columns if c not in BOOKKEEPING and c != "id"]
    amended = 0
    for row in given.to_dict("records"):
        if row["id"] not in current:
            continue
        was = current[row["id"]]
        changes = {c: row[c] for c in compared if not _same(row[c], was.get(c))}
        if changes:
            reason = row.get("change_reason") or f"edited in {path.name}"
            amend_figure(store, row["id"], changes, str(reason))
            amended += 1
    return amended


def _same(new, old) -> bool:
    """Whether a value read from a file says what the stored one says."""
    from .missing import plain

    new, old = plain(new), plain(old)
    if new is None or old is None:
        return new is None and old is None
    if isinstance(new, int | float) and isinstance(old, int | float):
        return float(new) == float(old)
    return str(new) == str(old)


def read_parts(path: Path, table: str | None = None, dayfirst: bool = False) -> list[Part]:
    """The tables in the file, typed as the contract declares them, in the order to store."""
    if not path.is_file():
        raise UnreadableFile(path, "no such file")
    sheets = _sheets(path)
    parts = []
    for name, rows in sheets:
        table_name = table or _table_named(name, single=len(sheets) == 1)
        if table_name is not None:
            parts.append(_part(table_name, name, rows, dayfirst, path))
    if not parts:
        names = ", ".join(repr(n) for n, _ in sheets)
        tables = ", ".join(TABLE_ORDER)
        raise UnreadableFile(path, f"no sheet named for a table ({tables}): {names}")
    return sorted(parts, key=lambda p: TABLE_ORDER.index(p.table))


def dataset_parts(path: Path, dataset: str) -> list[Part]:
    """The sources, publications and figures an event dataset's export holds."""
    from .datasets import dataset_tables

    if not path.is_file():
        raise UnreadableFile(path, "no such file")
    name, rows = _sheets(path)[0]
    if not rows:
        raise UnreadableFile(path, "is empty")
    header = [_clean_name(v) for v in rows[0]]
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if not all(_missing(v) for v in r)]
    records = [dict(zip(header, row, strict=False)) for _, row in body]
    tables = dataset_tables(records, dataset, path.name)
    figures = tables["figures"]
    positions = [int(p) for p in figures.pop("_row")] if len(figures) else []
    numbers = [body[p][0] for p in positions]
    raw = tuple(tuple(body[p][1]) for p in positions)
    heading = tuple(str(v) for v in rows[0])
    return [
        Part("sources", None, tables["sources"], [1], 0),
        Part("publications", None, tables["publications"], [1], 0),
        Part("figures", name, figures, numbers, len(rows) - 1 - len(body), heading, raw),
    ]


def _sheets(path: Path) -> list[tuple[str | None, list[list]]]:
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return _workbook_sheets(path)
    if suffix == ".json":
        return _json_sheets(path)
    return [(None, _delimited_rows(path))]


def _workbook_sheets(path: Path) -> list[tuple[str, list[list]]]:
    from python_calamine import CalamineWorkbook

    _refuse_unsafe_workbook(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        return [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
    except Exception as error:  # calamine raises its own types for each kind of damage
        raise UnreadableFile(path, f"not a workbook this tool can read ({error})") from error


# An OLE compound file: an old .xls, or an .xlsx that a password has encrypted.
OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
MAX_UNPACKED_BYTES = 2_000_000_000  # what a workbook may unpack to
MAX_COMPRESSION_RATIO = 200  # beyond this, in a large entry, a zip bomb, not a spreadsheet
BOMB_BYTES = 100_000_000


def _refuse_unsafe_workbook(path: Path) -> None:
    """Refuse, before any reading, an encrypted workbook and one that would unpack too far."""
    import zipfile

    with path.open("rb") as handle:
        start = handle.read(8)
    if start == OLE_SIGNATURE and path.suffix.lower() in (".xlsx", ".xlsm"):
        raise UnreadableFile(
            path, "is password-protected: save a copy without the password and import that"
        )
    if not zipfile.is_zipfile(path):
        return  # .xls and .ods are other formats; calamine says if it cannot read them
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
    unpacked = sum(e.file_size for e in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            path,
            f"would unpack to {unpacked / 1e6:,.0f} MB, more than "
            f"{MAX_UNPACKED_BYTES / 1e6:,.0f} MB: split it, or export it as CSV",
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO and entry.file_size > BOMB_BYTES:
            raise UnreadableFile(
                path, f"{entry.filename} unpacks {ratio:,.0f} times its size: refused as a zip bomb"
            )


def _json_sheets(path: Path) -> list[tuple[str | None, list[list]]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UnreadableFile(path, f"not JSON ({error})") from error
    tables = document if isinstance(document, dict) else {None: document}
    sheets = []
    for name, records in tables.items():
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise UnreadableFile(path, f"{name or 'the file'} is not a list of records")
        columns = list(dict.fromkeys(k for record in records for k in record))
        sheets.append((name, [columns, *([r.get(c) for c in columns] for r in records)]))
    return sheets


def _delimited_rows(path: Path) -> list[list]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _table_named(sheet: str | None, single: bool) -> str | None:
    if sheet is None:
        return "figures"
    name = sheet.strip().lower()
    if name in TABLE_ORDER:
        return name
    return "figures" if single else None


def _part(table: str, sheet: str | None, rows: list[list], dayfirst: bool, path: Path) -> Part:
    import pandas as pd

    from .hxl import fields_of, is_hashtag_row

    columns = contract.table(table).columns
    known = {c.name for c in columns}
    at = _header_row(rows, known)
    tagged = next((n for n, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if is_hashtag_row(r)), None)
    if at is None and tagged is None:
        where = f"sheet {sheet!r}" if sheet else "the file"
        raise UnreadableFile(path, f"{where} has no header row naming {table} columns")
    names = [_clean_name(v) for v in rows[at]] if at is not None else []
    if tagged is not None and (at is None or tagged == at + 1):
        # HXL: the hashtag row says which field each column holds.
        at, names = tagged, fields_of(rows[tagged])
    # Columns this tool adds to what it writes (not fields of the table) are set aside.
    names = ["" if n in DERIVED_COLUMNS else n for n in names]
    by_name = {c.name: c for c in columns}
    records, numbers, raw, blank = [], [], [], 0
    for offset, row in enumerate(rows[at + 1 :], start=at + 2):
        cells = {n: v for n, v in zip(names, row, strict=False) if n}
        if all(_missing(v) for v in cells.values()):
            blank += 1
            continue
        records.append({n: _cell(v, by_name.get(n), dayfirst) for n, v in cells.items()})
        numbers.append(offset)
        raw.append(tuple(row))
    used = [n for n in names if n]
    frame = pd.DataFrame(records, columns=used)
    header = tuple("" if _missing(v) else str(v) for v in rows[at])
    return Part(table, sheet, frame, numbers, blank, header, tuple(raw))


def _header_row(rows: list[list], known: set[str]) -> int | None:
    """The row among the first few that names the most of the table's columns (two at least)."""
    best, best_count = None, 1
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = sum(_clean_name(v) in known for v in row)
        if count > best_count:
            best, best_count = number, count
    return best


def _clean_name(value) -> str:
    return "" if _missing(value) else str(value).strip().lower()


def _missing(value) -> bool:
    return is_missing(value) or (isinstance(value, str) and not value.strip())


def _cell(value, column: contract.Column | None, dayfirst: bool):
    """A cell as the contract's column holds it; what cannot be read is left for validation."""
    if _missing(value):
        return None
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
            value = value[1:]  # the apostrophe an export put there to keep a spreadsheet off it
    kind = column.type if column else "string"
    if kind == "integer":
        return _integer(value)
    if kind == "number":
        return _number(value)
    if kind == "date":
        return _date(value, dayfirst)
    if kind == "datetime" and isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id or code typed as a number in a spreadsheet
    return str(value)


def _integer(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = re.sub(r"(?<=\d)[,\s\u00a0\u202f](?=\d{3}\b)", "", value)  # 1,200 and 1 200
    return int(text) if re.fullmatch(r"-?\d+", text) else value


def _number(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return value


def _date(value, dayfirst: bool):
    """ISO text from a date, an Excel serial, ISO text, d/m/Y with --dayfirst, or '6 Dec 2024'."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
    text = str(value)
    iso = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T][\d:.]*)?", text)
    if iso:
        return iso.group(1)  # a day, or a day with a time as databases write it
    if dayfirst and re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}", text):
        day, month, year = re.split(r"[/.]", text)
        return _iso(int(year), int(month), int(day), text)
    for form in TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return text  # validation reports it, with the value


def _iso(year: int, month: int, day: int, text: str) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


def _located(problems: list[Problem], parts: list[Part], path: Path) -> list[Problem]:
    """Problems named by file, sheet and the row number a user sees there."""
    by_table = {part.table: part for part in parts}
    problems = list({str(p): p for p in problems}.values())  # a cell reported once per reason
    located = []
    for problem in problems:
        part = by_table.get(problem.table)
        if part is None:
            located.append(replace(problem, file=path.name))
            continue
        labels = _row_labels(part)
        row = labels.get(str(problem.row), problem.row)
        sheet = part.sheet or problem.table
        located.append(replace(problem, table=sheet, row=row, file=path.name))
    return located


def _row_labels(part: Part) -> dict[str, str]:
    """How the ledger names a row (its id, or 'row N' of the batch) → 'row R' of the file."""
    labels = {}
    ids = part.frame["id"] if "id" in part.frame else [None] * len(part.frame)
    for position, (number, figure_id) in enumerate(zip(part.row_numbers, ids, strict=True)):
        labels[f"row {position + 1}"] = f"row {number}"
        if not _missing(figure_id):
            labels[str(figure_id)] = f"row {number}"
    return labels


def _rejected_rows(problems: list[Problem], parts: list[Part]) -> dict[tuple[str, int], list[str]]:
    """(table, file row number) → reasons, for problems that name a row; {} if any does not."""
    by_sheet = {(p.sheet or p.table): p for p in parts}
    found: dict[tuple[str, int], list[str]] = {}
    for problem in problems:
        part = by_sheet.get(problem.table)
        number = re.fullmatch(r"row (\d+)", str(problem.row))
        if part is None or number is None or int(number.group(1)) not in part.row_numbers:
            return {}
        reason = f"{problem.column}: {problem.reason}"
        if problem.value is not None:
            reason += f" (value: {problem.value!r})"
        found.setdefault((part.table, int(number.group(1))), []).append(reason)
    return found


def write_rejects(path: Path, rejected: dict[tuple[str, int], list[str]], parts: list[Part]):
    """The rejected rows as they were in the file, each with its reasons in one more column.

    A .csv holds one table's rows; an .xlsx a sheet per table.
    """
    from .files import write_whole

    tables = {}
    for part in parts:
        rows = [
            [*raw, "; ".join(rejected[(part.table, number)])]
            for number, raw in zip(part.row_numbers, part.raw, strict=True)
            if (part.table, number) in rejected
        ]
        if rows:
            tables[part.sheet or part.table] = [[*part.header, REASON_COLUMN], *rows]
    if Path(path).suffix.lower() == ".xlsx":
        write_whole(Path(path), lambda at: _rejects_workbook(at, tables), suffix=".xlsx")
        return
    if len(tables) > 1:
        names = ", ".join(tables)
        raise CasualtiesError(f"{path}: rows of {names} were rejected: name an .xlsx to hold each")
    rows = next(iter(tables.values()), [])

    def write(at: str) -> None:
        with open(at, "w", encoding="utf-8", newline="") as out:
            csv.writer(out, lineterminator="\n").writerows(
                [["" if _missing(v) else v for v in row] for row in rows]
            )

    write_whole(Path(path), write, suffix=".csv")


def _rejects_workbook(at: str, tables: dict[str, list[list]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(str(name)[:31])
        for row in rows:
            sheet.append([None if _missing(v) else v for v in row])
    if not tables:
        book.create_sheet("figures")
    book.save(at)
