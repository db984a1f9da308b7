"""The entry template: the store's columns, lists for controlled values, date cells, help."""

import subprocess
from datetime import datetime

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from casualties.errors import FileExists
from casualties.files.template import SHEETS, instruction_rows, write_template
from casualties.model import contract
from tests.conftest import libreoffice
from tests.test_workbook import header


@pytest.fixture
def template(example_store, tmp_path):
    path = tmp_path / "entry.xlsx"
    write_template(path, example_store.table("sources"), example_store.table("publications"))
    return path


def validation_of(sheet, column: str):
    """The data validation covering a column's first entry row."""
    letter = sheet.cell(row=1, column=header(sheet).index(column) + 1).column_letter
    found = [v for v in sheet.data_validations.dataValidation if f"{letter}2" in v.sqref]
    assert len(found) == 1, column
    return found[0]


def listed(book, formula: str) -> list:
    """The values of the range a list validation points at."""
    sheet_name, cells = formula.split("!")
    sheet = book[sheet_name.strip("'")]
    return [c.value for row in sheet[cells.replace("$", "")] for c in row if c.value is not None]


def test_each_table_has_its_contract_columns(template):
    book = load_workbook(template)
    assert book.sheetnames == ["Instructions", *SHEETS.values(), "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    for table_name, title in SHEETS.items():
        sheet = book[title]
        assert header(sheet) == contract.table(table_name).column_names
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])


def test_every_vocabulary_column_lists_its_terms(template):
    book = load_workbook(template)
    for table_name, title in SHEETS.items():
        for column in contract.table(table_name).columns:
            if column.vocabulary:
                rule = validation_of(book[title], column.name)
                assert rule.type == "list" and rule.showErrorMessage
                assert listed(book, rule.formula1) == contract.terms(column.vocabulary)


def test_source_and_publication_ids_are_picked_from_their_sheets(template):
    book = load_workbook(template)
    source = validation_of(book["Figures"], "source_id")
    assert listed(book, source.formula1) == ["afp", "sohr", "white-helmets"]  # store order
    publication = validation_of(book["Citations"], "publication_id")
    assert set(listed(book, publication.formula1)) == {"upi-2024-12-06", "tdt-afp-2024-12-06"}
    # publication_ids holds several ids, so it cannot be a one-choice list.
    assert validation_of(book["Figures"], "publication_ids").type is None


def test_dates_and_counts_are_typed(template):
    book = load_workbook(template)
    figures = book["Figures"]
    for name in ("period_start", "period_end", "reported_on"):
        assert validation_of(figures, name).type == "date"
        number = header(figures).index(name) + 1
        assert figures.cell(row=500, column=number).number_format == "yyyy-mm-dd"
    assert validation_of(figures, "value_low").type == "whole"
    published = book["Publications"].cell(row=2, column=5)
    assert header(book["Publications"])[4] == "published_on"
    assert published.value == datetime(2024, 12, 6)


def test_instructions_explain_every_column_with_a_seed_example(template):
    rows = instruction_rows()
    assert len(rows) == sum(len(contract.table(t).columns) for t in SHEETS)
    by_column = {(r[0], r[1]): r for r in rows}
    quote = by_column[("Figures", "quote")]
    assert "at least 25 civilians" in quote[6]
    assert by_column[("Figures", "value_low")][6] == "25"
    assert by_column[("Figures", "qualifier")][5].startswith("exact")
    assert by_column[("Sources", "id")][6] == "white-helmets"
    sheet = load_workbook(template)["Instructions"]
    assert [c.value for c in sheet[3]] == [
        "sheet",
        "column",
        "required",
        "type",
        "meaning",
        "allowed",
        "example",
    ]
    assert sheet.max_row == 3 + len(rows)


def test_a_second_reader_and_libreoffice_open_it(template, tmp_path):
    sheets = CalamineWorkbook.from_path(str(template)).sheet_names
    assert sheets[:5] == ["Instructions", *SHEETS.values()]
    command = [
        *libreoffice(tmp_path),
        "--convert-to",
        "csv",
        "--outdir",
        str(tmp_path),
        str(template),
    ]
    subprocess.run(command, check=True, timeout=120, capture_output=True)
    text = (tmp_path / "entry.csv").read_text(encoding="utf-8", errors="replace")
    assert text.startswith('"Fill one row per figure')
    assert "Figures,metric,required,string,What was counted." in text


def test_an_existing_file_is_left_alone(template):
    before = template.read_bytes()
    with pytest.raises(FileExists, match="--force"):
        write_template(template)
    assert template.read_bytes() == before
