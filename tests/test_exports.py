"""CSV and JSON exports: every field kept, nothing a spreadsheet would run as a formula."""

import csv
import json
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from casualties.files.exports import related_tables, write_figures_csv, write_json
from casualties.model import contract
from casualties.store.database import FigureFilter
from casualties.store.ledger import add_figures
from casualties.store.query import FigureQuery
from tests.conftest import libreoffice
from tests.test_validation import figure

HOSTILE = {
    "hostile-eq": '=HYPERLINK("http://evil.example") 5 killed',
    "hostile-plus": "+5 killed in the strike",
    "hostile-minus": "-5 dead, the monitor said",
    "hostile-at": "@SUM(1) reported 12 killed",
    "hostile-tab": "\t12 killed",
}


@pytest.fixture
def hostile_store(example_store):
    rows = [figure(id=i, quote=q) for i, q in HOSTILE.items()]
    add_figures(example_store, pd.DataFrame(rows))
    return example_store


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_holds_every_field_of_every_figure(example_store, tmp_path):
    path = tmp_path / "figures.csv"
    assert write_figures_csv(example_store, FigureQuery(), path) == 7
    rows = read_csv(path)
    assert list(rows[0]) == contract.table("figures").column_names
    stored = example_store.figures().set_index("id")
    for row in rows:
        expected = stored.loc[row["id"]]
        assert row["quote"] == expected["quote"]
        assert int(row["value_low"]) == expected["value_low"]
        assert row["publication_ids"] == expected["publication_ids"]
        assert row["value_best"] == (
            "" if pd.isna(expected["value_best"]) else str(expected["value_best"])
        )


def test_csv_text_that_would_run_as_a_formula_is_inert(hostile_store, tmp_path):
    path = tmp_path / "figures.csv"
    write_figures_csv(hostile_store, FigureQuery(), path)
    quotes = {row["id"]: row["quote"] for row in read_csv(path)}
    for figure_id, quote in HOSTILE.items():
        assert quotes[figure_id] == "'" + quote
    assert not quotes["syr-sohr-civilians-killed-2024-12-06"].startswith("'")


def test_libreoffice_reads_the_hostile_csv_as_text(hostile_store, tmp_path):
    office = libreoffice(tmp_path)
    path = tmp_path / "figures.csv"
    write_figures_csv(hostile_store, FigureQuery(), path)
    command = [*office, "--convert-to", "xlsx", "--outdir", str(tmp_path), str(path)]
    subprocess.run(command, check=True, timeout=120, capture_output=True)
    sheet = load_workbook(tmp_path / "figures.xlsx").active
    names = [c.value for c in sheet[1]]
    column = names.index("quote") + 1
    cells = [row[0] for row in sheet.iter_rows(min_row=2, min_col=column, max_col=column)]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula ("f")


def test_csv_of_a_filter_leaves_no_temporary_file(example_store, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    query = FigureQuery(FigureFilter(sources=("white-helmets",)))
    assert write_figures_csv(example_store, query, out / "killed.csv") == 3
    assert {row["source_id"] for row in read_csv(out / "killed.csv")} == {"white-helmets"}
    assert [p.name for p in out.iterdir()] == ["killed.csv"]


def test_json_holds_the_figures_and_what_they_name(example_store, tmp_path):
    path = tmp_path / "figures.json"
    tables = related_tables(example_store, FigureQuery(FigureFilter(sources=("sohr",))))
    write_json(tables, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert list(document) == ["sources", "publications", "figures", "citations"]
    assert [s["id"] for s in document["sources"]] == ["sohr"]
    homs = [f for f in document["figures"] if f["metric"] == "displaced"]
    assert homs and homs[0]["value_low"] == 20000 and homs[0]["value_best"] is None
    # The Homs exodus was reported twice: both publications come along.
    assert {p["id"] for p in document["publications"]} == {"upi-2024-12-06", "tdt-afp-2024-12-06"}
    assert len(document["citations"]) == 1
