"""Importing files: round trips with the exports and the template, messy cells, bad rows."""

import csv
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from casualties.errors import UnreadableFile, ValidationFailed
from casualties.files.exports import related_tables, write_figures_csv, write_json
from casualties.files.importing import import_file
from casualties.files.template import write_template
from casualties.store.database import Store
from casualties.store.query import FigureQuery
from tests.conftest import libreoffice, store_dump
from tests.test_workbook import header

STORED_FIELDS = ["id", "metric", "population_group", "value_low", "value_best", "value_high"]
MORE_FIELDS = ["qualifier", "place_codes", "period_start", "period_end", "quote", "source_id"]


def same_figures(first: Store, second: Store) -> None:
    columns = STORED_FIELDS + MORE_FIELDS
    a = first.figures()[columns].sort_values("id").reset_index(drop=True)
    b = second.figures()[columns].sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def entry_row(**changes) -> dict:
    """A figure typed into the entry template's Figures sheet, with these changes."""
    row = {
        "metric": "killed",
        "population_group": "civilians",
        "value_low": 12,
        "qualifier": "at_least",
        "place_reported": "Idlib",
        "place_codes": "SY07",
        "place_precision": "admin1",
        "period_start": datetime(2024, 12, 3),
        "period_end": datetime(2024, 12, 3),
        "date_precision": "day",
        "reported_on": datetime(2024, 12, 6),
        "basis": "incident",
        "source_id": "white-helmets",
        "publication_ids": "upi-2024-12-06",
        "quote": "at least 12 civilians were killed on Tuesday",
    }
    return row | changes


def type_in(sheet, row: dict, at: int, header_at: int = 1) -> None:
    """Type a row's values into sheet row `at`, under the header at row `header_at`."""
    names = [c.value for c in sheet[header_at]]
    for name, value in row.items():
        sheet.cell(row=at, column=names.index(name) + 1, value=value)


def test_exported_csv_imports_back_the_same_figures_once(example_store, with_references, tmp_path):
    path = tmp_path / "figures.csv"
    write_figures_csv(example_store, FigureQuery(), path)
    first = import_file(with_references, path)
    assert first.read == {"figures": 7} and first.added == {"figures": 7}
    same_figures(example_store, with_references)
    again = import_file(with_references, path)
    assert again.added == {"figures": 0}


def test_exported_json_brings_its_sources_publications_and_citations(example_store, tmp_path):
    path = tmp_path / "figures.json"
    write_json(related_tables(example_store, FigureQuery()), path)
    target = Store.create(tmp_path / "empty.db")
    done = import_file(target, path)
    assert done.added == {"sources": 3, "publications": 2, "figures": 7}
    same_figures(example_store, target)
    assert len(target.table("citations")) == 1


def test_a_filled_in_template_imports(example_store, tmp_path):
    path = tmp_path / "entry.xlsx"
    write_template(path, example_store.table("sources"), example_store.table("publications"))
    book = load_workbook(path)
    sheet = book["Figures"]
    type_in(sheet, entry_row(quote="  at least 12 civilians were killed on Tuesday  "), at=2)
    book.save(path)
    before = len(example_store.figures())
    done = import_file(example_store, path)
    assert done.read["figures"] == 1 and done.added["figures"] == 1
    assert done.added["sources"] == 0  # the template came filled with the store's own
    figures = example_store.figures()
    stored = figures[figures["value_low"] == 12].iloc[0]
    assert stored["period_end"] == "2024-12-03"
    # A quote is verbatim (issue 13): the spaces typed around it are kept.
    assert stored["quote"] == "  at least 12 civilians were killed on Tuesday  "
    assert stored["qualifier"] == "at_least" and pd.isna(stored["value_high"])
    assert import_file(example_store, path).added["figures"] == 0
    assert len(example_store.figures()) == before + 1


def messy_csv(tmp_path, body: str):
    path = tmp_path / "messy.csv"
    path.write_bytes(("\ufeff" + body).encode("utf-8"))  # as Excel saves "CSV UTF-8"
    return path


MESSY_COLUMNS = [
    "metric", "population_group", "value_low", "qualifier", "place_reported", "place_codes",
    "place_precision", "period_start", "period_end", "date_precision", "reported_on", "basis",
    "source_id", "publication_ids", "quote",
]  # fmt: skip
MESSY_ROWS = [
    [
        "killed ", " civilians ", "1,200", "at_least", " Idlib ", "SY07", "admin1",
        "06/12/2024", "06/12/2024", "day", "6 Dec 2024", "incident", "white-helmets",
        "upi-2024-12-06", "'=1,200 civilians were killed",
    ],
    [""] * len(MESSY_COLUMNS),
    [
        "injured", "civilians", "45", "at_least", "Idlib", "SY07", "admin1", "2024-12-06",
        "2024-12-06", "day", "2024-12-06", "incident", "white-helmets", "upi-2024-12-06",
        "45 were injured",
    ],
]  # fmt: skip
# A title row and an empty row above the header, as a desk's sheet saved as CSV has.
MESSY = (
    "\n".join(
        ";".join(cells)
        for cells in [
            ["Figures collected by the Idlib desk"] + [""] * (len(MESSY_COLUMNS) - 1),
            [""] * len(MESSY_COLUMNS),
            MESSY_COLUMNS,
            *MESSY_ROWS,
        ]
    )
    + "\n"
)


def test_a_messy_excel_csv_is_read_as_meant(with_references, tmp_path):
    path = messy_csv(tmp_path, MESSY)
    done = import_file(with_references, path, dayfirst=True)
    assert done.added == {"figures": 2} and done.blank_rows == 1
    figures = with_references.figures().set_index("metric")
    killed = figures.loc["killed"]
    assert killed["value_low"] == 1200 and killed["population_group"] == "civilians"
    assert killed["period_start"] == "2024-12-06" and killed["reported_on"] == "2024-12-06"
    assert killed["place_reported"] == " Idlib "  # free text is kept as written (issue 13)
    assert killed["quote"] == "=1,200 civilians were killed"  # the export's apostrophe removed
    assert figures.loc["injured", "value_low"] == 45


def test_a_bad_cell_is_named_by_file_row_and_column_and_nothing_lands(with_references, tmp_path):
    body = MESSY.replace("injured;civilians;45", "murdered;civilians;45")
    assert body != MESSY
    path = messy_csv(tmp_path, body)
    before = store_dump(with_references)
    with pytest.raises(ValidationFailed) as failed:
        import_file(with_references, path, dayfirst=True)
    text = str(failed.value)
    assert "messy.csv:figures:row 6:metric: not a metric term" in text
    assert "'murdered'" in text
    assert store_dump(with_references) == before


def test_day_first_dates_need_to_be_asked_for(with_references, tmp_path):
    path = messy_csv(tmp_path, MESSY)
    with pytest.raises(ValidationFailed, match="row 4:period_start: is not a real date"):
        import_file(with_references, path)


def test_a_dry_run_checks_and_writes_nothing(with_references, tmp_path):
    path = messy_csv(tmp_path, MESSY)
    before = store_dump(with_references)
    done = import_file(with_references, path, dry_run=True, dayfirst=True)
    assert done.dry_run and done.added == {"figures": 2}
    assert store_dump(with_references) == before


def test_files_that_are_not_tables_are_refused(with_references, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("this is not a workbook", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="not a workbook"):
        import_file(with_references, fake)
    headless = tmp_path / "numbers.csv"
    headless.write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="no header row naming figures columns"):
        import_file(with_references, headless)
    with pytest.raises(UnreadableFile, match="no such file"):
        import_file(with_references, tmp_path / "missing.csv")


def test_dates_from_excel_serials_and_cells(with_references, tmp_path):
    from casualties.files.cells import iso_day

    assert iso_day(45632, False) == "2024-12-06"
    assert iso_day(datetime(2024, 12, 6, 15, 30), False) == "2024-12-06"
    assert iso_day(date(2024, 12, 6), False) == "2024-12-06"
    assert iso_day("December 6, 2024", False) == "2024-12-06"
    assert iso_day("31/02/2024", True) == "31/02/2024"  # not a day: left for validation to report


def test_keep_valid_stores_the_good_rows_and_hands_back_the_bad(with_references, tmp_path):
    body = MESSY.replace("injured;civilians;45", "murdered;civilians;45")
    path = messy_csv(tmp_path, body)
    rejects = tmp_path / "rejects.csv"
    done = import_file(with_references, path, dayfirst=True, keep_valid=rejects)
    assert done.added == {"figures": 1} and done.rejected == 1
    assert list(with_references.figures()["metric"]) == ["killed"]
    rows = list(csv.reader(rejects.open(encoding="utf-8")))
    assert rows[0] == [*MESSY_COLUMNS, "rejected_because"]
    assert rows[1][:3] == ["murdered", "civilians", "45"]  # as it was in the file
    assert rows[1][-1].startswith("metric: not a metric term")
    # Fixed, the rejects file imports like any other.
    rejects.write_text(rejects.read_text(encoding="utf-8").replace("murdered", "injured"))
    again = import_file(with_references, rejects)
    assert again.added == {"figures": 1}
    assert sorted(with_references.figures()["metric"]) == ["injured", "killed"]


def test_keep_valid_leaves_out_figures_naming_a_rejected_source(example_store, tmp_path):
    path = tmp_path / "all.json"
    tables = related_tables(example_store, FigureQuery())
    tables["sources"].loc[tables["sources"]["id"] == "afp", "kind"] = "gossip"
    write_json(tables, path)
    target = Store.create(tmp_path / "target.db")
    rejects = tmp_path / "rejects.xlsx"
    done = import_file(target, path, keep_valid=rejects)
    assert done.added["sources"] == 2
    assert "afp" not in set(target.figures()["source_id"])
    assert len(target.figures()) == 6  # the one AFP figure waits with its source
    book = load_workbook(rejects)
    assert set(book.sheetnames) == {"sources", "figures"}
    reasons = [row[-1] for row in book["sources"].iter_rows(min_row=2, values_only=True)]
    assert reasons[0].startswith("kind: not a source_kind term")


def test_export_edit_in_excel_import_gives_exactly_the_edits(example_store, tmp_path):
    from tests.test_workbook import column_cells, written

    path = written(example_store, tmp_path)  # the export xlsx workbook, all sheets
    book = load_workbook(path)
    sheet = book["Figures"]
    ids = [c.value for c in column_cells(sheet, "id")]
    row = ids.index("syr-sohr-civilians-killed-2024-12-06") + 2
    names = header(sheet)
    for name, value in (("value_low", 112), ("value_best", 112), ("value_high", 112)):
        sheet.cell(row=row, column=names.index(name) + 1, value=value)
    quote_cell = sheet.cell(
        row=ids.index("syr-afp-homs-killed-2014-04") + 2, column=names.index("notes") + 1
    )
    quote_cell.value = "Checked against the AFP wire."
    book.save(path)
    before = {f["id"]: f for f in example_store.figures().to_dict("records")}
    done = import_file(example_store, path)
    assert done.added == {"sources": 0, "publications": 0, "figures": 0, "amended figures": 2}
    after = {f["id"]: f for f in example_store.figures().to_dict("records")}
    changed = {i for i in after if after[i]["version"] != before[i]["version"]}
    assert changed == {"syr-sohr-civilians-killed-2024-12-06", "syr-afp-homs-killed-2014-04"}
    sohr = after["syr-sohr-civilians-killed-2024-12-06"]
    assert (sohr["value_low"], sohr["version"]) == (112, 2)
    assert sohr["change_reason"] == "edited in casualties.xlsx"
    assert after["syr-afp-homs-killed-2014-04"]["notes"] == "Checked against the AFP wire."
    unchanged = set(after) - changed
    for figure_id in unchanged:
        assert after[figure_id] == before[figure_id]
    again = import_file(example_store, path)  # the edits are now what is stored
    assert "amended figures" not in again.added


def test_a_file_of_citations_alone_cites_stored_figures(example_store, tmp_path):
    path = tmp_path / "cites.csv"
    path.write_text(
        "figure_id,publication_id,quote\n"
        "syr-afp-homs-killed-2014-04,upi-2024-12-06,at least 100 people were killed in Homs\n",
        encoding="utf-8",
    )
    done = import_file(example_store, path, table="citations")
    assert done.added == {"citations": 1}
    assert import_file(example_store, path, table="citations").added == {"citations": 0}
    with path.open("a", encoding="utf-8") as more:
        more.write("no-such-figure,upi-2024-12-06,a quote\n")
    before = store_dump(example_store)
    with pytest.raises(ValidationFailed, match="cites.csv:citations:row 3:figure_id"):
        import_file(example_store, path, table="citations")
    assert store_dump(example_store) == before


def test_encrypted_bombed_and_oversized_workbooks_are_refused(
    with_references, tmp_path, monkeypatch
):
    import zipfile

    from casualties.files import sheets

    locked = tmp_path / "locked.xlsx"  # what Excel writes for a workbook with a password
    locked.write_bytes(sheets.OLE_SIGNATURE + bytes(504))
    with pytest.raises(UnreadableFile, match="password-protected"):
        import_file(with_references, locked)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", bytes(3_000_000))
    monkeypatch.setattr(sheets, "BOMB_BYTES", 1_000_000)
    with pytest.raises(UnreadableFile, match="sheet1.xml unpacks .* times its size: refused"):
        import_file(with_references, bomb)
    monkeypatch.setattr(sheets, "MAX_UNPACKED_BYTES", 2_000_000)
    before = store_dump(with_references)
    with pytest.raises(UnreadableFile, match="would unpack to 3 MB"):
        import_file(with_references, bomb)
    assert store_dump(with_references) == before


def test_formula_cells_give_the_values_a_spreadsheet_saved(example_store, tmp_path):
    import subprocess

    office = libreoffice(tmp_path)  # CI installs LibreOffice (.ci/run) and must run this
    typed = tmp_path / "typed" / "entry.xlsx"
    typed.parent.mkdir()
    write_template(typed, example_store.table("sources"), example_store.table("publications"))
    book = load_workbook(typed)
    sheet = book["Figures"]
    row = entry_row(value_low="=20+5", quote="at least 25 were killed on Tuesday")
    type_in(sheet, row, at=2)
    book.save(typed)
    # LibreOffice computes the formula and saves its value beside it, as Excel does.
    saved = tmp_path / "saved"
    command = [*office, "--convert-to", "xlsx", "--outdir", str(saved), str(typed)]
    subprocess.run(command, check=True, timeout=120, capture_output=True)
    done = import_file(example_store, saved / "entry.xlsx")
    assert done.added["figures"] == 1
    figures = example_store.figures()
    assert (
        figures.loc[figures["quote"] == "at least 25 were killed on Tuesday", "value_low"].item()
        == 25
    )


def test_a_merged_title_above_the_header_is_passed_over(example_store, tmp_path):
    path = tmp_path / "desk.xlsx"
    write_template(path, example_store.table("sources"), example_store.table("publications"))
    book = load_workbook(path)
    sheet = book["Figures"]
    sheet.insert_rows(1, amount=2)
    sheet["A1"] = "Idlib desk, week 49"
    sheet.merge_cells("A1:H2")
    day = datetime(2024, 12, 4)
    row = entry_row(
        metric="injured",
        value_low=7,
        period_start=day,
        period_end=day,
        quote="seven were injured on Wednesday",
    )
    type_in(sheet, row, at=4, header_at=3)
    book.save(path)
    done = import_file(example_store, path)
    assert done.added["figures"] == 1
    bad = load_workbook(path)
    type_in(bad["Figures"], {"metric": "hurt"}, at=4, header_at=3)
    bad.save(path)
    with pytest.raises(ValidationFailed, match="desk.xlsx:Figures:row 4:metric"):
        import_file(example_store, path)


def test_a_count_in_words_is_reported_at_its_cell(with_references, tmp_path):
    path = messy_csv(tmp_path, MESSY.replace(";45;", ";forty-five;"))
    assert "forty-five" in path.read_text(encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        import_file(with_references, path, dayfirst=True)
    problems = [str(p) for p in failed.value.problems]
    assert "messy.csv:figures:row 6:value_low: is not an integer (value: 'forty-five')" in problems
    # The rules that need the count report the same row, not a crash.
    assert all(p.startswith("messy.csv:figures:row 6:") for p in problems)
    assert len(problems) == len(set(problems))
