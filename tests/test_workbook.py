import re
import subprocess
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from casualties.bundled.gaza_daily import DEFAULT_PATH, load_gaza_daily
from casualties.cli.app import cli
from casualties.errors import FileExists
from casualties.model import contract
from casualties.model.weeks import parse_week
from casualties.reporting.workbook import SHEETS, write_workbook
from casualties.reporting.workbook_about import provenance_rows
from casualties.reporting.workbook_tables import workbook_tables
from casualties.store.ledger import add_figures, add_publications
from tests.conftest import SHARED, libreoffice

STORE_TIME = "2026-11-25T12:00:00Z"
URL = "https://example.org/news/homs-2024-12-08?id=1&lang=en"
HOSTILE_QUOTES = ("=SUM(A1:A9) civilians were killed", "@cmd reported 12 killed")


def tables_of(store, as_of=None):
    about = provenance_rows(store.path, {"metric": "killed"}, STORE_TIME)
    figures = store.figures()
    return workbook_tables(
        figures, store.table("sources"), store.table("publications"), about, as_of
    )


def written(store, tmp_path) -> Path:
    path = tmp_path / "casualties.xlsx"
    write_workbook(tables_of(store), path)
    return path


def is_count(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == int(value)


def header(sheet) -> list:
    return [c.value for c in sheet[1]]


def column_cells(sheet, name: str) -> list:
    number = header(sheet).index(name) + 1
    return [row[0] for row in sheet.iter_rows(min_row=2, min_col=number, max_col=number)]


def figure_row(quote: str, figure_id: str, publication: str = "upi-2024-12-06") -> dict:
    return {
        "id": figure_id,
        "metric": "killed",
        "population_group": "civilians",
        "value_low": 12,
        "value_best": 12,
        "value_high": 12,
        "place_reported": "Homs",
        "place_codes": "SY04",
        "place_precision": "admin1",
        "period_start": "2024-12-07",
        "basis": "incident",
        "source_id": "sohr",
        "publication_ids": publication,
        "quote": quote,
    }


@pytest.fixture
def linked_store(example_store):
    """The example data, a publication with a url, and figures citing it (two hostile)."""
    publication = {
        "id": "example-2024-12-08",
        "publisher": "Example News",
        "title": "Homs",
        "url": URL,
        "published_on": "2024-12-08",
        "language": "en",
    }
    add_publications(example_store, pd.DataFrame([publication]))
    rows = [figure_row(q, f"syr-test-{n}", publication["id"]) for n, q in enumerate(HOSTILE_QUOTES)]
    add_figures(example_store, pd.DataFrame(rows))
    return example_store


@pytest.fixture
def gaza_store(store):
    load_gaza_daily(store, DEFAULT_PATH)
    return store


FROZEN = {
    "About": "A2",
    "Latest": "E2",  # ids, source_id, metric, population_group
    "Weekly": "G2",  # week, its days, metric, population_group, source_id
    "Chart": "B2",
    "Figures": "E2",  # id, version, metric, population_group
    "Sources": "C2",
    "Publications": "B2",
}


def test_sheets_in_order_with_bold_frozen_filtered_headers(example_store, tmp_path):
    book = load_workbook(written(example_store, tmp_path))
    assert book.sheetnames == list(SHEETS)
    for name in SHEETS:
        sheet = book[name]
        assert sheet.freeze_panes == FROZEN[name]
        assert all(cell.font.bold for cell in sheet[1])
        if name != "About":
            assert sheet.auto_filter.ref


def test_numbers_are_numbers_and_dates_are_dates(example_store, tmp_path):
    book = load_workbook(written(example_store, tmp_path))
    figures = book["Figures"]
    lows = [c.value for c in column_cells(figures, "value_low") if c.value is not None]
    # Excel keeps every number as a double; a count must come back as a whole number.
    assert lows and all(is_count(v) for v in lows)
    for name in ("period_start", "period_end", "reported_on"):
        for cell in column_cells(figures, name):
            assert isinstance(cell.value, datetime)
            assert cell.number_format == "yyyy-mm-dd"
    stamps = column_cells(figures, "entered_at")
    assert all(isinstance(c.value, datetime) for c in stamps)
    starts = column_cells(book["Weekly"], "week_start")
    assert starts[0].is_date and starts[0].number_format == "yyyy-mm-dd"


def test_quote_is_stored_exactly_and_wrapped(example_store, tmp_path):
    stored = example_store.figures().set_index("id")["quote"]
    figures = load_workbook(written(example_store, tmp_path))["Figures"]
    ids = [c.value for c in column_cells(figures, "id")]
    quotes = column_cells(figures, "quote")
    for figure_id, cell in zip(ids, quotes, strict=True):
        assert cell.value == stored[figure_id]
        assert cell.alignment.wrap_text


def test_urls_are_hyperlinks(linked_store, tmp_path):
    book = load_workbook(written(linked_store, tmp_path))
    links = [c for c in column_cells(book["Figures"], "publication_url") if c.value]
    assert len(links) == 2
    assert all(c.hyperlink.target == URL and c.value == URL for c in links)
    urls = [c for c in column_cells(book["Publications"], "url") if c.value]
    assert [c.hyperlink.target for c in urls] == [URL]


def test_formula_like_text_stays_text(linked_store, tmp_path):
    path = written(linked_store, tmp_path)
    quotes = column_cells(load_workbook(path)["Figures"], "quote")
    hostile = [c for c in quotes if c.value in HOSTILE_QUOTES]
    assert len(hostile) == 2
    assert all(c.data_type == "s" for c in hostile)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Figures").to_python()
    column = rows[0].index("quote")
    assert set(HOSTILE_QUOTES) <= {row[column] for row in rows[1:]}


def test_latest_rows_are_traceable(example_store, tmp_path):
    latest = load_workbook(written(example_store, tmp_path))["Latest"]
    assert header(latest)[0] == "ids"
    stored = set(example_store.figures()["id"])
    ids = [c.value for c in column_cells(latest, "ids")]
    assert len(ids) == 7 and set(ids) <= stored
    assert {c.value for c in column_cells(latest, "unit")} == {"people"}


def test_weekly_sheet_says_what_the_summary_says_and_keeps_revisions(gaza_store, tmp_path):
    from casualties.reporting.summary import weekly_summary

    sheet = pd.read_excel(
        written(gaza_store, tmp_path), sheet_name="Weekly", dtype=str, engine="openpyxl"
    )
    sheet = sheet.fillna("")
    women = sheet[
        (sheet["week"] == "2023-W42")
        & (sheet["source_id"] == "gaza-moh")
        & (sheet["metric"] == "killed")
        & (sheet["population_group"] == "women")
    ].iloc[0]
    # 276 at the end of W41; 1,023 at the end of W42, after a fall of 33 inside the week.
    assert women["week_change"] == "+747 net (rose 780, revised −33)"
    assert (women["revision_low"], women["revision_high"]) == ("33", "33")
    assert women["revision_ids"]
    figures = gaza_store.figures()
    compared = 0
    for label in ("2023-W42", "2023-W48", "2024-W30", "2026-W34"):
        summary = weekly_summary(figures, parse_week(label))
        for row in summary[~summary["source_id"].str.startswith("all sources")].itertuples():
            match = sheet[
                (sheet["week"] == label)
                & (sheet["source_id"] == row.source_id)
                & (sheet["metric"] == row.metric)
                & (sheet["population_group"] == row.population_group)
            ]
            if row.week_change:
                assert match[["total", "week_change", "ids"]].values.tolist() == [
                    [row.latest, row.week_change, row.ids]
                ], (label, row)
                compared += 1
    assert compared > 20


def test_a_text_longer_than_a_cell_is_refused_not_cut(example_store, tmp_path):
    import dataclasses

    from casualties.reporting.workbook import CellTooLong

    tables = tables_of(example_store)
    figures = tables.figures.copy()
    figures.loc[3, "notes"] = "x" * 40_000
    path = tmp_path / "long.xlsx"
    with pytest.raises(CellTooLong, match=r"Figures:row 5:notes: 40,000 characters"):
        write_workbook(dataclasses.replace(tables, figures=figures), path)
    assert not path.exists()


def test_about_holds_provenance_rules_and_definitions(example_store, tmp_path):
    about = load_workbook(written(example_store, tmp_path))["About"]
    texts = {c.value for row in about.iter_rows(min_row=2) for c in row}
    killed = contract.vocabularies()["metric"].definition("killed")
    assert killed in texts
    assert example_store.path in texts
    assert "metric = killed" in texts
    assert any(t and t.startswith("Across sources nothing is summed") for t in texts)


def test_existing_file_is_refused_and_left_untouched(example_store, tmp_path):
    path = tmp_path / "taken.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(FileExists, match="--force"):
        write_workbook(tables_of(example_store), path)
    assert path.read_bytes() == b"not a workbook"
    write_workbook(tables_of(example_store), path, overwrite=True)
    assert load_workbook(path).sheetnames == list(SHEETS)


def test_calamine_reads_every_sheet(gaza_store, tmp_path):
    path = written(gaza_store, tmp_path)
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == list(SHEETS)
    for name in SHEETS:
        rows = book.get_sheet_by_name(name).to_python()
        assert rows and all(isinstance(v, str) for v in rows[0])
    figures = book.get_sheet_by_name("Figures").to_python()
    assert len(figures) == len(gaza_store.figures()) + 1
    start = figures[0].index("period_start")
    assert figures[1][start] == date(2023, 10, 7)


def test_as_of_leaves_later_reports_out_of_latest(gaza_store):
    tables = tables_of(gaza_store, as_of=date(2024, 1, 1))
    assert (tables.latest["reported_on"] <= pd.Timestamp("2024-01-01")).all()


def test_libreoffice_converts_without_repair(linked_store, tmp_path):
    office = libreoffice(tmp_path)  # CI installs LibreOffice (.ci/run) and must run this
    path = written(linked_store, tmp_path)
    command = [*office, "--convert-to", "csv", "--outdir", str(tmp_path), str(path)]
    subprocess.run(command, check=True, timeout=120, capture_output=True)
    text = (tmp_path / "casualties.csv").read_text(encoding="utf-8", errors="replace")
    assert text.startswith("item,text")


def test_every_sheet_prints_landscape_on_a4_one_page_wide_with_its_header(example_store, tmp_path):
    book = load_workbook(written(example_store, tmp_path))
    for sheet in book:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # Fit to one page wide (Excel's default width of 1), as many pages tall as it takes.
        assert sheet.page_setup.fitToWidth in (None, 1)
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1"


def test_counts_have_thousands_separators(gaza_store, tmp_path):
    book = load_workbook(written(gaza_store, tmp_path))
    counts = {
        "Figures": ("value_low", "value_best", "people_high"),
        "Latest": ("value_low", "people_best"),
        "Weekly": ("total_best", "change_low", "change_high"),
    }
    for sheet_name, names in counts.items():
        for name in names:
            cells = [c for c in column_cells(book[sheet_name], name) if c.value is not None]
            assert cells and all(c.number_format == "#,##0" for c in cells), (sheet_name, name)
    versions = column_cells(book["Figures"], "version")
    assert all(c.number_format == "General" for c in versions)


def test_place_names_stand_beside_codes(example_store, tmp_path):
    book = load_workbook(written(example_store, tmp_path))
    for sheet_name in ("Figures", "Latest"):
        sheet = book[sheet_name]
        names = header(sheet)
        assert names.index("place_names") == names.index("place_codes") + 1
        pairs = {
            code.value: name.value
            for code, name in zip(
                column_cells(sheet, "place_codes"), column_cells(sheet, "place_names"), strict=True
            )
        }
        assert pairs["SY07;SY02"] == "Idleb; Aleppo"
        assert pairs["SYR.homs"] == "Homs"


def test_weekly_sheet_has_only_weeks_with_a_change(example_store, tmp_path):
    """A 2014 background figure adds its own week, not the ten years between."""
    book = load_workbook(written(example_store, tmp_path))
    weeks = [c.value for c in column_cells(book["Weekly"], "week")]
    assert weeks == ["2014-W18", "2024-W48", "2024-W48", "2024-W48", "2024-W49"]
    about = dict(book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Weeks"].startswith("2014-W18 (2014-04-28) to 2024-W49 (2024-12-08); 3 of them")


def test_weekly_chart_is_a_native_chart_of_the_weekly_sheet(gaza_store, tmp_path):
    tables = tables_of(gaza_store)
    book = load_workbook(written(gaza_store, tmp_path))
    sheet = book["Chart"]
    (chart,) = sheet._charts
    assert chart.tagname == "barChart"
    rows = list(sheet.iter_rows(values_only=True))
    sources = list(rows[0][1:])
    assert rows[0][0] == "week" and sources
    assert [s.val.numRef.f for s in chart.series] == [
        f"Chart!${chr(ord('B') + i)}$2:${chr(ord('B') + i)}${len(rows)}"
        for i in range(len(sources))
    ]
    assert 1 < len(rows) - 1 <= 26
    # Each bar is the Weekly sheet's change for that week and source.
    metric, group = tables.chart_title.split(":")[0].lower().rstrip(")").split(" (")
    weekly = tables.weekly[
        (tables.weekly["metric"] == metric) & (tables.weekly["population_group"] == group)
    ].set_index(["week", "source_id"])
    for week, *values in rows[1:]:
        for source, value in zip(sources, values, strict=True):
            if value is not None:
                expected = weekly.loc[(week, source)]
                assert value == expected["change_best"] or value == expected["change_low"]


def test_an_incident_import_is_summarised_on_latest(tmp_path):
    """UCDP's 730 events: a row per source key on Latest, every event on Figures."""
    ged = SHARED / "data" / "ucdp_ged191_bgd_hdx.csv"
    db, out = str(tmp_path / "ged.db"), tmp_path / "ged.xlsx"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "init"]).exit_code == 0
    imported = runner.invoke(cli, ["--db", db, "import", "--from", "ucdp-ged", str(ged)])
    assert imported.exit_code == 0, imported.output
    exported = runner.invoke(cli, ["--db", db, "export", "xlsx", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    book = load_workbook(out)
    latest = book["Latest"]
    assert latest.max_row == 1 + 2  # killed civilians and killed people, of one source
    counts = column_cells(latest, "incidents")
    assert sorted(c.value for c in counts) == [129, 601]
    assert all(c.number_format == "#,##0" for c in counts)
    assert book["Figures"].max_row == 1 + 730


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def test_the_example_prints_in_a_few_pages(example_store, tmp_path):
    office = libreoffice(tmp_path)
    path = written(example_store, tmp_path)
    command = [*office, "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)]
    subprocess.run(command, check=True, timeout=120, capture_output=True)
    # One page a sheet, two for About's notes (it printed as 38 pages before the set-up).
    assert pdf_pages(tmp_path / "casualties.pdf") <= 8
