"""Figures into the store from files: all or nothing, every bad cell located.

The file is read by `reading` (a CSV a chunk at a time) and each batch of rows
validated and stored inside one transaction: one bad row and nothing lands,
every problem named by file, sheet, row (as the user sees it) and column. With
`keep_valid` the rows with problems (and the rows naming them) are left out,
the rest stored, and the left-out rows written untouched, with the reasons, to
a file to fix and import again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import AlreadyStored, CasualtiesError, Problem, UnreadableFile, ValidationFailed
from ..model.missing import is_missing
from .atomic import PendingFile
from .cells import Reading
from .csv_text import append_as_text, csv_text
from .reading import (
    READ_WHOLE_SUFFIXES,
    REASON_COLUMN,
    Part,
    approximate_rows,
    dataset_batches,
    read_batches,
)

if TYPE_CHECKING:
    from ..model.frames import pd
    from ..store.database import Store
    from .hdx import Provenance

__all__ = ["Imported", "Progress", "import_file", "write_rejects"]

# Figures of a file read whole are stored this many at a time, so a bar can move.
STORED_AT_ONCE = 2_000


@dataclass(frozen=True)
class Progress:
    """Where an import is, for a bar: the rows to expect (once known), then each step.

    A CSV's rows are counted before reading (its lines); a workbook, a JSON
    file or a dataset export is read whole first, then stored a part at a time.
    """

    expect: Callable[[int], None]
    advance: Callable[[int], None]


@dataclass(frozen=True)
class Imported:
    """What an import read and what it added (nothing when a dry run)."""

    read: dict[str, int]
    added: dict[str, int]
    blank_rows: int
    dry_run: bool
    rejected: int = 0
    warnings: tuple[str, ...] = ()
    # The file's rows read (not blank), where they are not one figure each.
    rows: int | None = None


@dataclass
class _Tally:
    """What the batches of one file have read, added and rejected so far."""

    read: dict[str, int] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)
    blank_rows: int = 0
    rows: int | None = None
    warnings: list[str] = field(default_factory=list)
    warned: Callable[[str], None] | None = None
    problems: list[Problem] = field(default_factory=list)
    # sheet (or table) → its header as read, and each rejected row with its reasons
    rejects: dict[str, tuple[tuple, list[list]]] = field(default_factory=dict)

    def count_read(self, parts: list[Part]) -> None:
        for part in parts:
            self.read[part.table] = self.read.get(part.table, 0) + len(part.frame)
            self.blank_rows += part.blank_rows
            self.warnings.extend(part.warnings)
            if self.warned is not None:
                for warning in part.warnings:
                    self.warned(warning)
            if part.file_rows is not None:
                self.rows = (self.rows or 0) + part.file_rows

    def count_added(self, added: dict[str, int]) -> None:
        for name, number in added.items():
            self.added[name] = self.added.get(name, 0) + number

    def reject(self, rejected: dict[tuple[str, int], list[Problem]], parts: list[Part]) -> None:
        for part in parts:
            numbers = {n for (table, n) in rejected if table == part.table}
            if not numbers:
                continue
            reasons = [rejected[(part.table, n)] for n in part.row_numbers if n in numbers]
            rows = [
                [*cells, "; ".join(_reason(p) for p in problems)]
                for cells, problems in zip(part.raw_rows(numbers), reasons, strict=True)
            ]
            _, kept = self.rejects.setdefault(part.sheet or part.table, (part.header, []))
            kept.extend(rows)

    @property
    def rejected(self) -> int:
        return sum(len(rows) for _, rows in self.rejects.values())


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
    decimal_comma: bool = False,
    encoding: str | None = None,
    progress: Progress | None = None,
    provenance: Provenance | None = None,
    warned: Callable[[str], None] | None = None,
) -> Imported:
    """Validate and store every table of the file at once; rows already stored are skipped.

    `dataset` names an event dataset's mapping, or "hdx" for a file tagged
    with HXL by others, whose counts take the `provenance` the analyst gives.
    `progress` is told how many rows to expect, then how many each step stored;
    `warned`, each warning as the file is read (the import may fail later);
    `encoding`, a CSV's text encoding where its bytes do not tell it.
    """
    path = Path(path)
    reading = Reading(dayfirst=dayfirst, decimal_comma=decimal_comma, encoding=encoding)
    if dataset == "hdx" and provenance is None:
        raise CasualtiesError(f"{path}: an HDX file's counts need their source and publication")
    if dataset:
        batches = _in_steps(dataset_batches(path, dataset, provenance, encoding), progress)
    elif path.suffix.lower() in READ_WHOLE_SUFFIXES:
        batches = _in_steps(read_batches(path, table, reading), progress)
    else:
        if progress is not None:
            progress.expect(approximate_rows(path))
        batches = read_batches(path, table, reading)
    tally = _Tally(warned=warned)
    waiting: list[Part] = []
    # The rejects' file is made beside its target before the first row is read (a
    # missing folder is found at once), written before the rows are committed, and
    # only moved into place after: no more than a rename is left once they are stored.
    with _pending_rejects(keep_valid) as pending:
        try:
            with store.transaction():
                for parts, last in _marking_last(batches):
                    tally.count_read(parts)
                    joined = _joined(waiting, parts)
                    keep = keep_valid is not None
                    waiting = _store_batch(store, joined, path, tally, keep, last)
                    if progress is not None:
                        progress.advance(sum(len(p.frame) + p.blank_rows for p in parts))
                if tally.problems:
                    raise ValidationFailed(tally.problems)
                if tally.rejects:
                    pending.write(lambda at: write_rejects(Path(at), tally.rejects, keep_valid))
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    return Imported(
        tally.read,
        tally.added,
        tally.blank_rows,
        dry_run,
        tally.rejected,
        tuple(tally.warnings),
        tally.rows,
    )


def _in_steps(batches: Iterator[list[Part]], progress: Progress | None) -> Iterator[list[Part]]:
    """A file read whole, its figures stored a part at a time for the bar to move.

    Not where figures come with citations: a citation is stored with its figure.
    """
    for parts in batches:
        figures = [p for p in parts if p.table == "figures"]
        if progress is not None:
            progress.expect(sum(len(p.frame) + p.blank_rows for p in parts))
        if progress is None or len(figures) != 1 or any(p.table == "citations" for p in parts):
            yield parts
            continue
        (whole,) = figures
        others = [p for p in parts if p is not whole]
        for start in range(0, max(len(whole.frame), 1), STORED_AT_ONCE):
            step = whole.sliced(start, start + STORED_AT_ONCE)
            yield [*(others if start == 0 else []), step]


def _marking_last(batches: Iterator[list[Part]]) -> Iterator[tuple[list[Part], bool]]:
    """Each batch, and whether it is the file's last."""
    previous = None
    for batch in batches:
        if previous is not None:
            yield previous, False
        previous = batch
    if previous is not None:
        yield previous, True


def _joined(waiting: list[Part], parts: list[Part]) -> list[Part]:
    """The batch with the rows that wait from earlier batches before its own."""
    earlier = {part.table: part for part in waiting}
    return [earlier[p.table].followed_by(p) if p.table in earlier else p for p in parts]


def _store_batch(
    store: Store, parts: list[Part], path: Path, tally: _Tally, keep: bool, last: bool
) -> list[Part]:
    """Store a batch's valid rows; its problems (or, keeping, its rejects) go to the tally.

    Rows naming a figure that is neither stored nor in the batch wait for the
    next batch (the figure may come further down the file), and are returned.
    Left-out rows are taken away until the rest passes, even when nothing will
    be kept, so that the next batches are checked against the rows that would
    be stored; each problem is reported once, as first found.
    """
    rejected: dict[tuple[str, int], list[Problem]] = {}
    waiting: dict[tuple[str, int], list[Problem]] = {}
    every = parts
    while True:
        try:
            with store.savepoint():
                added = _stored(store, parts, path)
        except ValidationFailed as failed:
            found = _rejected_rows(failed.problems, parts)
            if not found:
                # A problem of the whole file (a column missing): no row to leave out.
                earlier = [] if keep else tally.problems
                raise ValidationFailed([*earlier, *failed.problems]) from None
            later = {} if last else {k: v for k, v in found.items() if _may_come_later(v)}
            waiting |= later
            now = {k: v for k, v in found.items() if k not in later}
            if not keep and not rejected:  # the first problems: later ones follow from them
                tally.problems.extend(p for v in now.values() for p in v)
            for key, problems in now.items():
                rejected.setdefault(key, []).extend(problems)
            parts = [p.without({n for (t, n) in found if t == p.table}) for p in parts]
            continue
        tally.count_added(added)
        if keep:
            tally.reject(rejected, every)
        return [p.only({n for (t, n) in waiting if t == p.table}) for p in every if waiting]


def _may_come_later(problems: list[Problem]) -> bool:
    """Whether a row's only fault is to name a figure the file may hold further down."""
    return all(
        p.column in ("part_of", "supersedes") and p.reason.startswith("names no stored figure")
        for p in problems
    )


def _stored(store: Store, parts: list[Part], path: Path) -> dict[str, int]:
    """Store the parts' rows; how many of each table were new."""
    from ..store.ledger import add_figures, add_publications, add_sources

    frames = {part.table: part.frame for part in parts}
    added: dict[str, int] = {}
    try:
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
    except ValidationFailed as failed:
        raise ValidationFailed(_located(failed.problems, parts, path)) from failed
    except AlreadyStored as clash:
        raise UnreadableFile(path, str(clash)) from clash
    return added


def _cite(store: Store, citations: pd.DataFrame) -> int:
    """Citations of stored figures (a file of citations alone); how many were new."""
    from ..store.ledger import cite_figure

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
    from ..store.database import FigureFilter
    from ..store.ledger import amend_figure

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
    from ..model.missing import plain

    new, old = plain(new), plain(old)
    if new is None or old is None:
        return new is None and old is None
    if isinstance(new, int | float) and isinstance(old, int | float):
        return float(new) == float(old)
    return str(new) == str(old)


def _located(problems: list[Problem], parts: list[Part], path: Path) -> list[Problem]:
    """Problems named by file, sheet and the row number a user sees there."""
    problem_tables = {p.table for p in problems}
    by_table = {part.table: part for part in parts}
    labels = {part.table: _row_labels(part) for part in parts if part.table in problem_tables}
    problems = list({str(p): p for p in problems}.values())  # a cell reported once per reason
    located = []
    for problem in problems:
        part = by_table.get(problem.table)
        if part is None:
            located.append(replace(problem, file=path.name))
            continue
        row = labels[part.table].get(str(problem.row), problem.row)
        sheet = part.sheet or problem.table
        reason = problem.reason + _hint(problem)
        located.append(replace(problem, table=sheet, row=row, file=path.name, reason=reason))
    return located


def _hint(problem: Problem) -> str:
    """What to do about a count written as a European file writes it."""
    if isinstance(problem.value, str) and re.fullmatch(r"-?\d{1,3}(\.\d{3})+", problem.value):
        return " (twelve hundred written 1.200? import the file with --decimal-comma)"
    return ""


def _row_labels(part: Part) -> dict[str, str]:
    """How the ledger names a row (its id, or 'row N' of the batch) → 'row R' of the file."""
    labels = {}
    ids = part.frame["id"] if "id" in part.frame else [None] * len(part.frame)
    for position, (number, figure_id) in enumerate(zip(part.row_numbers, ids, strict=True)):
        labels[f"row {position + 1}"] = f"row {number}"
        if not is_missing(figure_id):
            labels[str(figure_id)] = f"row {number}"
    return labels


def _rejected_rows(problems: list[Problem], parts: list[Part]) -> dict[tuple[str, int], list]:
    """(table, file row number) → its problems, for problems that name a row; {} if any does not."""
    by_sheet = {(p.sheet or p.table): p for p in parts}
    numbers = {p.table: set(p.row_numbers) for p in parts}
    found: dict[tuple[str, int], list[Problem]] = {}
    for problem in problems:
        part = by_sheet.get(problem.table)
        number = re.fullmatch(r"row (\d+)", str(problem.row))
        if part is None or number is None or int(number.group(1)) not in numbers[part.table]:
            return {}
        found.setdefault((part.table, int(number.group(1))), []).append(problem)
    return found


def _reason(problem: Problem) -> str:
    reason = f"{problem.column}: {problem.reason}"
    if problem.value is not None:
        reason += f" (value: {problem.value!r})"
    return reason


REJECTS_SUFFIXES = (".csv", ".xlsx")


def _pending_rejects(path: Path | None) -> PendingFile | nullcontext:
    """Where the rejects will be written, checked before anything is read; or nothing."""
    if path is None:
        return nullcontext(None)
    if path.suffix.lower() not in REJECTS_SUFFIXES:
        raise CasualtiesError(f"{path}: rejected rows are written to a .csv or an .xlsx")
    return PendingFile(path, suffix=path.suffix.lower())


def write_rejects(
    at: Path, tables: dict[str, tuple[tuple, list[list]]], named: Path | None = None
) -> None:
    """Rejected rows as they were in the file, each with its reasons in one more column.

    `tables` maps a sheet (or table) to its header and rows. A .csv holds one
    table's rows; an .xlsx a sheet per table. `at` is written as it is (the
    caller makes it whole); `named` is the file the user gave, for messages.
    """
    named = named or at
    sheets = {name: [[*header, REASON_COLUMN], *rows] for name, (header, rows) in tables.items()}
    if named.suffix.lower() == ".xlsx":
        _rejects_workbook(at, sheets)
        return
    if len(sheets) > 1:
        names = " and ".join(sheets)
        raise CasualtiesError(
            f"{named}: rows of {names} were rejected and a .csv holds one table's: "
            "nothing was stored; name an .xlsx for --keep-valid (a sheet each)"
        )
    text = csv_text(next(iter(sheets.values()), []))
    with open(at, "w", encoding="utf-8", newline="") as out:
        out.write(text)


def _rejects_workbook(at: Path, tables: dict[str, list[list]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(str(name)[:31])
        for row in rows:
            append_as_text(sheet, row)
    if not tables:
        book.create_sheet("figures")
    book.save(at)
