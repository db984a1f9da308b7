"""The data-entry workbook: one sheet per table, drop-down lists, date cells, instructions.

Analysts keep figures in spreadsheets. The template gives them the store's own
columns, lists for every controlled value (and for the source and publication
ids the workbook itself holds), cells that take a date as a date, and an
Instructions sheet with every column's meaning and an example from the seed
articles, so that what they type can be imported as it is.

Written with openpyxl: its data validations can point at a range of another
sheet, which a vocabulary longer than Excel's 255-character inline list needs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FileExists
from ..model import contract
from .atomic import write_whole
from .csv_text import append_as_text

if TYPE_CHECKING:
    from ..model.frames import pd

SHEETS = {"figures": "Figures", "sources": "Sources", "publications": "Publications"}
SHEETS["citations"] = "Citations"
LISTS_SHEET = "Lists"
ENTRY_ROWS = 2_000  # empty rows prepared with lists and date formats, after any filled in
DATE_FORMAT = "yyyy-mm-dd"
# Which sheet's id column a reference column picks from.
PICKED_FROM = {"sources.id": "Sources", "publications.id": "Publications"}
# Columns holding several ids (';'-separated) cannot be a single-choice list.
LISTED_COLUMNS = {"publication_ids"}
PROMPT_LIMIT = 255  # Excel's longest input message
INTRODUCTION = (
    "Fill one row per figure on Figures, one per source on Sources, one per publication "
    "on Publications, and on Citations each further publication that reported a figure "
    "already entered. Keep the header row as it is. Cells with a list take only its "
    "values; date cells take dates (typed as 2024-12-06). A source or publication must be "
    "on its sheet before a figure names it. The store reads these sheets back as they are. "
    "Below: every column, whether it is required, its type, what it means, the values it "
    "allows, and an example from the seed articles (the White Helmets' 'at least 25 "
    "civilians' killed in Idlib on 1 December 2024, as UPI reported it)."
)
INSTRUCTION_COLUMNS = ("sheet", "column", "required", "type", "meaning", "allowed", "example")


def write_template(
    path: Path,
    sources: pd.DataFrame | None = None,
    publications: pd.DataFrame | None = None,
    overwrite: bool = False,
    figures: pd.DataFrame | None = None,
    citations: pd.DataFrame | None = None,
) -> None:
    """Write the entry workbook to `path`, its Sources and Publications filled from a store.

    `figures` and `citations` come filled in too (drafts to review); columns of
    `figures` beyond the contract's follow its own, for the reviewer to read.
    """
    from openpyxl import Workbook

    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExists(path)
    book = Workbook()
    _instructions(book.active)
    lists = _lists(book)
    filled = {"sources": sources, "publications": publications}
    filled |= {"figures": figures, "citations": citations}
    rows = {
        name: ENTRY_ROWS + (0 if filled.get(name) is None else len(filled[name])) for name in SHEETS
    }
    for reference, title in PICKED_FROM.items():
        lists[reference] = f"{title}!$A$2:$A${rows[reference.split('.')[0]] + 1}"
    for table_name, title in SHEETS.items():
        sheet = book.create_sheet(title)
        _entry_sheet(sheet, table_name, lists, filled.get(table_name), rows[table_name])
    book.move_sheet(LISTS_SHEET, offset=len(book.sheetnames))
    write_whole(path, book.save, suffix=".xlsx")


def instruction_rows() -> list[tuple]:
    """(sheet, column, required, type, meaning, allowed values, example) for every column."""
    examples = _examples()
    rows = []
    for table_name, title in SHEETS.items():
        for column in contract.table(table_name).columns:
            rows.append(
                (
                    title,
                    column.name,
                    "required" if column.required else "optional",
                    column.type,
                    " ".join(column.description.split()),
                    _allowed(column),
                    examples.get((table_name, column.name), ""),
                )
            )
    return rows


def _instructions(sheet) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = "Instructions"
    sheet.append([INTRODUCTION])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(INSTRUCTION_COLUMNS))
    sheet.row_dimensions[1].height = 90
    sheet.append([])
    sheet.append(list(INSTRUCTION_COLUMNS))
    for row in instruction_rows():
        sheet.append(list(row))
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].alignment = wrap
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (12, 20, 10, 9, 70, 40, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=4, min_col=5, max_col=7):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = "A4"


def _lists(book) -> dict[str, str]:
    """A hidden sheet with one column per vocabulary; returns each vocabulary's range."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    sheet = book.create_sheet(LISTS_SHEET)
    ranges = {}
    for number, (name, vocabulary) in enumerate(contract.vocabularies().items(), start=1):
        letter = get_column_letter(number)
        sheet.cell(row=1, column=number, value=name)
        for row, term in enumerate(vocabulary.terms, start=2):
            sheet.cell(row=row, column=number, value=term)
        last = len(vocabulary.terms) + 1
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
    sheet.sheet_state = "hidden"
    return ranges


def _entry_sheet(
    sheet, table_name: str, lists: dict[str, str], rows: pd.DataFrame | None, entry_rows: int
):
    """Header, the store's rows if given, then lists, date formats and prompts per column."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = contract.table(table_name).columns
    names = [c.name for c in columns]
    extra = [] if rows is None else [c for c in rows.columns if c not in names]
    append_as_text(sheet, [*names, *extra])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if rows is not None:
        for values in rows.reindex(columns=[*names, *extra]).itertuples(index=False):
            cells = [_cell(v, c) for v, c in zip(values, columns, strict=False)]
            append_as_text(sheet, [*cells, *(_plain(v) for v in values[len(columns) :])])
    last = entry_rows + 1
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        cells = f"{letter}2:{letter}{last}"
        sheet.column_dimensions[letter].width = max(12, min(40, len(column.name) + 4))
        validation = _validation(column, lists)
        if validation is not None:
            validation.add(cells)
            sheet.add_data_validation(validation)
        if column.type == "date":
            for row in range(2, last + 1):
                sheet.cell(row=row, column=number).number_format = DATE_FORMAT
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last}"


def _plain(value):
    from ..model.missing import plain

    return plain(value)


def _validation(column: contract.Column, lists: dict[str, str]):
    """The data validation of a column: a list, a date, a whole number, or a prompt only."""
    from openpyxl.worksheet.datavalidation import DataValidation

    prompt = " ".join(column.description.split())[:PROMPT_LIMIT]
    if column.vocabulary:
        rule = DataValidation(type="list", formula1=lists[column.vocabulary])
        rule.error = f"Choose one of the {column.vocabulary} terms in the list."
    elif column.references in PICKED_FROM and column.name not in LISTED_COLUMNS:
        rule = DataValidation(type="list", formula1=lists[column.references])
        rule.error = f"Enter the {PICKED_FROM[column.references]} row first, then pick its id."
    elif column.type == "date":
        rule = DataValidation(type="date", operator="greaterThan", formula1="DATE(1900,1,1)")
        rule.error = "A date, typed as 2024-12-06."
    elif column.type == "integer":
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        rule.error = "A whole number, 0 or more."
    else:
        rule = DataValidation(type=None)
    rule.allow_blank = not column.required or rule.type is None
    rule.prompt = prompt
    rule.promptTitle = column.name[:32]
    rule.showInputMessage = True
    rule.showErrorMessage = rule.type is not None
    rule.errorTitle = column.name[:32]
    return rule


def _cell(value, column: contract.Column):
    """A store value as the template's cell takes it: dates as dates, missing as empty."""
    from datetime import date

    from ..model.missing import is_missing

    if is_missing(value):
        return None
    if column.type == "date":
        return date.fromisoformat(str(value)[:10])
    return value


def _allowed(column: contract.Column) -> str:
    if column.vocabulary:
        return ", ".join(contract.terms(column.vocabulary))
    if column.references:
        return f"an id from {column.references.split('.')[0]}"
    if column.pattern:
        return f"the form {column.pattern}"
    if column.min is not None:
        return f"{column.min:g} or more"
    return ""


def _examples() -> dict[tuple[str, str], str]:
    """(table, column) → the example value, from the seed articles' example data."""
    from ..bundled.examples import example_tables
    from ..model.missing import is_missing

    tables = example_tables()
    chosen = {
        "figures": tables["figures"].set_index("id").loc["syr-wh-civilians-killed-2024-12-01"],
        "sources": tables["sources"].set_index("id").loc["white-helmets"],
        "publications": tables["publications"].set_index("id").loc["upi-2024-12-06"],
    }
    examples = {}
    for table_name, row in chosen.items():
        values = {"id": row.name, **row.to_dict()}
        for name, value in values.items():
            if not is_missing(value):
                # A count read beside missing values comes back a float: show 25, not 25.0.
                whole = isinstance(value, float) and value.is_integer()
                examples[(table_name, name)] = str(int(value) if whole else value)
    return examples
