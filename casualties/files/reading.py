"""Tables read from files: CSV streamed in chunks, workbooks and JSON whole.

A file holds one table (a CSV: figures unless told) or several (a workbook's
sheets or a JSON object, named for their tables, as the entry template and the
exports lay them out; `sheets` opens them). Each table's header may sit below
a few title rows; blank rows are skipped and counted; each column's cells are
cleaned to its type (`cells`).

A CSV is read CHUNK_ROWS records at a time, so a million-row file never sits
in memory whole; every row keeps the number a spreadsheet shows it under.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, UnreadableFile, ValidationFailed
from ..model import contract
from .cells import Reading, RefusedCells, clean_name, cleaned_column, is_blank
from .encodings import text_encoding
from .sheets import TABLE_ORDER, json_sheets, table_named, workbook_sheets

if TYPE_CHECKING:
    from ..model.frames import pd

REASON_COLUMN = "rejected_because"
# The rejects file's reasons, the workbook's link to a figure's first publication and
# its place names, and the review columns of drafted figures (`casualties extract`):
# read by people, not stored.
DERIVED_COLUMNS = {
    REASON_COLUMN,
    *("publication_url", "place_names"),
    *("confidence", "doubts", "quote_at"),
}
HEADER_SEARCH_ROWS = 20
SAMPLE_BYTES = 20_000  # what the separator is guessed from
CHUNK_ROWS = 100_000
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
# Files read whole (any other is read as CSV, a chunk at a time).
READ_WHOLE_SUFFIXES = {*WORKBOOK_SUFFIXES, ".json"}


@dataclass(frozen=True)
class Part:
    """Rows of one table read from a file: typed, as read, and where each sits in the file."""

    table: str
    sheet: str | None
    frame: pd.DataFrame  # the table's columns, each cleaned to its type
    row_numbers: list[int]  # as a spreadsheet numbers the rows
    blank_rows: int
    header: tuple[str, ...] = ()  # as written in the file
    raw: pd.DataFrame | None = None  # each row's cells as read, for a rejects file
    # What the reader did that the analyst should know (a placeholder code
    # skipped, an odd row repaired), each naming its row; never a refusal.
    warnings: tuple[str, ...] = ()
    # The file's rows these figures come from, where not one row each (a dataset's
    # export: parts summed, several counts a row); None: one row each.
    file_rows: int | None = None

    def without(self, numbers: set[int]) -> Part:
        """The part less the rows at these file row numbers."""
        kept = [i for i, n in enumerate(self.row_numbers) if n not in numbers]
        return replace(
            self,
            frame=self.frame.iloc[kept].reset_index(drop=True),
            row_numbers=[self.row_numbers[i] for i in kept],
            raw=None if self.raw is None else self.raw.iloc[kept].reset_index(drop=True),
        )

    def sliced(self, start: int, stop: int) -> Part:
        """The part's rows from position `start` to `stop`; its blank rows go with the first."""
        return replace(
            self,
            frame=self.frame.iloc[start:stop].reset_index(drop=True),
            row_numbers=self.row_numbers[start:stop],
            raw=None if self.raw is None else self.raw.iloc[start:stop].reset_index(drop=True),
            blank_rows=self.blank_rows if start == 0 else 0,
            warnings=self.warnings if start == 0 else (),
            file_rows=self.file_rows if start == 0 else (0 if self.file_rows is not None else None),
        )

    def only(self, numbers: set[int]) -> Part:
        """The part's rows at these file row numbers, none of its blank rows."""
        return replace(self.without(set(self.row_numbers) - numbers), blank_rows=0)

    def followed_by(self, other: Part) -> Part:
        """This part's rows, then the other's (of the same table and sheet)."""
        from ..model.frames import pd

        def stacked(first, second):
            if first is None or second is None:
                return None
            return pd.concat([first, second], ignore_index=True)

        return replace(
            other,
            frame=stacked(self.frame, other.frame),
            row_numbers=[*self.row_numbers, *other.row_numbers],
            raw=stacked(self.raw, other.raw),
        )

    def raw_rows(self, numbers: set[int]) -> list[list]:
        """The cells as read of the rows at these file row numbers, in file order."""
        if self.raw is None:
            return []
        at = [i for i, n in enumerate(self.row_numbers) if n in numbers]
        return [[None if is_blank(v) else v for v in row] for row in self.raw.iloc[at].values]


def read_batches(path: Path, table: str | None, reading: Reading) -> Iterator[list[Part]]:
    """The file's tables, in the order to store them: a CSV in chunks, other files whole."""
    if not path.is_file():
        raise UnreadableFile(path, "no such file")
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        yield _parts_of_sheets(path, workbook_sheets(path, table), table, reading)
        return
    if suffix == ".json":
        yield _parts_of_sheets(path, json_sheets(path), table, reading)
        return
    # Only CSV text carries the apostrophe the writers put before a formula-like text
    # (workbooks hold such text exactly, as a text cell).
    yield from _csv_batches(path, table or "figures", replace(reading, guarded=True))


def approximate_rows(path: Path) -> int:
    """The file's lines: its rows, give or take the line breaks inside quoted cells."""
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            lines += block.count(b"\n")
    return lines


def dataset_batches(
    path: Path, dataset: str, provenance=None, encoding: str | None = None
) -> Iterator[list[Part]]:
    """The sources, publications and figures an event dataset's export holds.

    `dataset` names a mapping in schemas/datasets/, or is "hdx": a file tagged
    with HXL by others, its counts given the `provenance` (`hdx.Provenance`).
    """
    from ..model.frames import pd

    name, rows = _first_sheet(path, encoding)
    if dataset == "hdx":
        from .hdx import hashtag_row, hdx_figures

        at = hashtag_row(rows, path.name)
        read = hdx_figures(rows, provenance, path.name)
        tables, warnings = {"figures": read.figures}, tuple(read.warnings)
    else:
        from .datasets import dataset_tables

        at = 0
        header = [clean_name(v) for v in rows[0]]
        records = [dict(zip(header, row, strict=False)) for row in rows[1:]]
        read = partial(dataset_tables, records, dataset, path.name)
        tables, warnings = _with_dataset_warnings(read)
    figures = tables.pop("figures")
    positions = [int(p) for p in figures.pop("_row")] if len(figures) else []
    body = rows[at + 1 :]
    blank = sum(all(is_blank(v) for v in row) for row in body)
    parts = [Part(table, None, frame, [1], 0) for table, frame in tables.items()]
    raw = pd.DataFrame([body[p] for p in positions], dtype=object)
    numbers = [at + 2 + p for p in positions]
    heading = tuple("" if is_blank(v) else str(v) for v in rows[at])
    counted = len(body) - blank
    figures_part = Part("figures", name, figures, numbers, blank, heading, raw, warnings, counted)
    yield [*parts, figures_part]


def _with_dataset_warnings(read) -> tuple:
    """What `read` returns, and the DatasetWarnings it gave (an event mended, a name not
    placed) as the import's own warnings; any other warning goes on as it came."""
    import warnings

    from .datasets import DatasetWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DatasetWarning)
        result = read()
    for other in (w for w in caught if not issubclass(w.category, DatasetWarning)):
        warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    said = tuple(str(w.message) for w in caught if issubclass(w.category, DatasetWarning))
    return result, said


def _first_sheet(path: Path, encoding: str | None = None) -> tuple[str | None, list[list]]:
    """The rows of a CSV, or of a workbook's first sheet."""
    from ..model.frames import pd

    if not path.is_file():
        raise UnreadableFile(path, "no such file")
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        name, rows = workbook_sheets(path, first_only=True)[0]
    else:
        layout = _csv_layout(path, Reading(encoding=encoding))
        chunks = list(_csv_chunks(path, 0, None, layout))
        name, rows = None, pd.concat(chunks).values.tolist() if chunks else []
    if not rows:
        raise UnreadableFile(path, "is empty")
    return name, rows


def _parts_of_sheets(path: Path, sheets: list, table: str | None, reading: Reading) -> list[Part]:
    from ..model.frames import pd

    parts = []
    for name, rows in sheets:
        table_name = table or table_named(name, single=len(sheets) == 1)
        if table_name is None:
            continue
        layout = _layout(rows, table_name, name, path)
        body = pd.DataFrame(rows[layout.at + 1 :], dtype=object)
        parts.append(_part(table_name, name, layout, body, layout.at + 2, reading, path))
    if not parts:
        names = ", ".join(repr(n) for n, _ in sheets)
        tables = ", ".join(TABLE_ORDER)
        raise UnreadableFile(path, f"no sheet named for a table ({tables}): {names}")
    return sorted(parts, key=lambda p: TABLE_ORDER.index(p.table))


@dataclass(frozen=True)
class _Layout:
    """Where a table's header is and what each column holds ('' for a column set aside)."""

    at: int  # the header's row, from 0
    names: list[str]
    header: tuple[str, ...]


def _layout(rows: list[list], table: str, sheet: str | None, path: Path) -> _Layout:
    from .hxl import fields_of, is_hashtag_row

    known = set(contract.table(table).column_names)
    at = _header_row(rows, known)
    tagged = next((n for n, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if is_hashtag_row(r)), None)
    if at is None and tagged is None:
        where = f"sheet {sheet!r}" if sheet else "the file"
        raise UnreadableFile(path, f"{where} has no header row naming {table} columns")
    names = [clean_name(v) for v in rows[at]] if at is not None else []
    header = tuple("" if is_blank(v) else str(v) for v in rows[at]) if at is not None else ()
    if tagged is not None and (at is None or tagged == at + 1):
        # HXL: the hashtag row says which field each column holds.
        at, names = tagged, fields_of(rows[tagged])
        header = tuple("" if is_blank(v) else str(v) for v in rows[tagged])
    # Columns this tool adds to what it writes (not fields of the table) are set aside.
    names = ["" if n in DERIVED_COLUMNS else n for n in names]
    _refuse_repeated_columns(names, at, sheet or table, path)
    return _Layout(at, names, header)


def _refuse_repeated_columns(names: list[str], at: int, sheet: str, path: Path) -> None:
    """Refuse a header naming a field twice: which of the two to store is anyone's guess."""
    problems = []
    for name in dict.fromkeys(n for n in names if n):
        where = [column_letter(i) for i, n in enumerate(names) if n == name]
        if len(where) > 1:
            reason = f"{len(where)} columns hold it ({', '.join(where)}): keep one"
            problems.append(Problem(sheet, f"row {at + 1}", name, None, reason, path.name))
    if problems:
        raise ValidationFailed(problems)


def column_letter(position: int) -> str:
    """A spreadsheet's name for the column at `position` (from 0): A, B, …, Z, AA."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _part(
    table: str,
    sheet: str | None,
    layout: _Layout,
    body: pd.DataFrame,
    first: int,
    reading: Reading,
    path: Path,
) -> Part:
    """The rows of `body` (cells as read, the first at file row `first`) as a table's part.

    Raises ValidationFailed naming every cell refused (`cells.RefusedCells`).
    """
    import numpy as np

    from ..model.frames import pd

    kinds = {c.name: _kind(c) for c in contract.table(table).columns}
    named = {name: position for position, name in enumerate(layout.names) if name}
    empty = pd.Series(None, index=body.index, dtype=object)  # a column no row reaches
    cleaned, refused = {}, []
    for name, position in named.items():
        cells = body.iloc[:, position] if position < body.shape[1] else empty
        try:
            # A column the table does not have is kept as text: validation names it.
            cleaned[name] = cleaned_column(cells, kinds.get(name, "string"), reading)
        except RefusedCells as refusal:
            refused.extend(
                Problem(sheet or table, f"row {first + at}", name, value, reason, path.name)
                for at, (value, reason) in refusal.cells.items()
            )
    if refused:
        raise ValidationFailed(sorted(refused, key=lambda p: int(p.row.split()[1])))
    frame = pd.DataFrame(cleaned, index=body.index, columns=list(named))
    blank = frame.isna().all(axis=1).to_numpy() if named else np.ones(len(body), dtype=bool)
    numbers = (np.arange(len(body)) + first)[~blank].tolist()
    if blank.any():
        frame = frame[~blank].reset_index(drop=True)
        body = body[~blank].reset_index(drop=True)
    return Part(table, sheet, frame, numbers, int(blank.sum()), layout.header, body)


def _kind(column: contract.Column) -> str:
    """How a column's cells are read: its type, or "text" for free text kept as written.

    Free text is what names no term, code or row: a quote, a note, a title.
    """
    coded = column.vocabulary or column.pattern or column.references or column.gazetteer
    return "text" if column.type == "string" and not coded else column.type


def _header_row(rows: list[list], known: set[str]) -> int | None:
    """The row among the first few that names the most of the table's columns (two at least)."""
    best, best_count = None, 1
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        count = sum(clean_name(v) in known for v in row)
        if count > best_count:
            best, best_count = number, count
    return best


# CSV ----------------------------------------------------------------------


@dataclass(frozen=True)
class _CsvLayout:
    encoding: str
    delimiter: str
    sample: list[list[str]]  # the first records, for the header


def _csv_layout(path: Path, reading: Reading) -> _CsvLayout:
    """The file's encoding and separator, and its first records."""
    encoding = text_encoding(path, reading.encoding)
    with path.open(encoding=encoding, newline="") as handle:
        text = handle.read(SAMPLE_BYTES)
        try:
            delimiter = csv.Sniffer().sniff(text, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
        handle.seek(0)
        records = csv.reader(handle, delimiter=delimiter)
        sample = [row for _, row in zip(range(HEADER_SEARCH_ROWS), records, strict=False)]
    return _CsvLayout(encoding, delimiter, sample)


def _csv_batches(path: Path, table: str, reading: Reading) -> Iterator[list[Part]]:
    layout = _csv_layout(path, reading)
    if not layout.sample:
        raise UnreadableFile(path, "is empty")
    where = _layout(layout.sample, table, None, path)
    first = where.at + 2
    for body in _csv_chunks(path, where.at + 1, len(where.names), layout, table):
        yield [_part(table, None, where, body, first, reading, path)]
        first += len(body)
    if approximate_rows(path) > first - 1:  # more lines than records: cells span lines
        _refuse_swallowed_rows(path, table, where, layout)


def _refuse_swallowed_rows(path: Path, table: str, where: _Layout, layout: _CsvLayout) -> None:
    """Refuse a cell whose lines after the first are whole records: a stray quote mark
    opened it, and the rows it swallowed would be lost (issue 13: "Read 1 figures" of 3).

    Only looked for once the file is read and is found to hold cells of several lines.
    """
    width = len(where.names)
    if width < 3:
        return
    problems, first = [], where.at + 2
    for body in _csv_chunks(path, where.at + 1, width, layout):
        for position in range(body.shape[1]):
            cells = body.iloc[:, position]
            if "\n" not in "\x00".join(cells):
                continue
            for at, cell in enumerate(cells):
                swallowed = [line for line in cell.splitlines()[1:] if _is_record(line, layout)]
                if swallowed:
                    name = where.names[position] or column_letter(position)
                    reason = (
                        f"this cell opens with a quote mark that swallows {len(swallowed)} "
                        'rows after it (a stray "?): close it, or remove it'
                    )
                    shown = cell[:60] + ("…" if len(cell) > 60 else "")
                    problems.append(
                        Problem(table, f"row {first + at}", name, shown, reason, path.name)
                    )
        first += len(body)
    if problems:
        raise ValidationFailed(problems)


def _is_record(line: str, layout: _CsvLayout) -> bool:
    """Whether a line holds as many separators as a record of the file's header."""
    return line.count(layout.delimiter) >= len(layout.sample[0]) - 1 if layout.sample else False


def _csv_chunks(
    path: Path, skip: int, width: int | None, layout: _CsvLayout, table: str = "figures"
):
    """The records after the first `skip`, CHUNK_ROWS at a time, every cell as text.

    Cells past the header's `width` have no column and are not read.
    """
    from ..model.frames import pd

    width = width or max((len(r) for r in layout.sample), default=1)
    try:
        yield from pd.read_csv(
            path,
            sep=layout.delimiter,
            encoding=layout.encoding,
            encoding_errors="strict",  # the whole file decodes: `encodings` made sure
            header=None,
            skiprows=skip,
            names=range(width),
            usecols=range(width),
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            chunksize=CHUNK_ROWS,
        )
    except pd.errors.EmptyDataError:
        return
    except pd.errors.ParserError as error:
        unclosed = re.search(r"EOF inside string starting at row (\d+)", str(error))
        if unclosed:
            row = f"row {int(unclosed.group(1)) + 1}"
            reason = 'a quote mark opens a cell here that never closes (a stray "?)'
            raise ValidationFailed(
                [Problem("figures", row, "-", None, reason, path.name)]
            ) from None
        raise UnreadableFile(path, f"is not a CSV this tool can read ({error})") from error
