"""HDX files tagged by others: every count cell a figure of the source the analyst names."""

import pytest
from click.testing import CliRunner

from casualties.cli.app import cli
from casualties.errors import InvalidInput, ValidationFailed
from casualties.files.hdx import NotAnHdxFile, Provenance
from casualties.files.importing import import_file
from tests.conftest import SHARED

# The wide layout of HDX casualty datasets: a row per place and day, a column per count.
HDX = """Date,Governorate,Governorate P-code,Killed,Killed (children),Injured,IDPs
#date,#adm1+name,#adm1+code,#affected+killed+num,#affected+killed+children,#affected+injured,#affected+idps
2024-12-01,Idlib,SY07,25,10,40,
,,,,,,
2024-12-02,Aleppo,SY02,12,,30,"1,500"
"""
DAILY = Provenance("white-helmets", "upi-2024-12-06", "incident")


@pytest.fixture
def hdx_file(tmp_path):
    path = tmp_path / "idlib-aleppo-daily.csv"
    path.write_text(HDX, encoding="utf-8")
    return path


def test_each_count_cell_becomes_a_figure_with_its_provenance(with_references, hdx_file):
    done = import_file(with_references, hdx_file, dataset="hdx", provenance=DAILY)
    assert done.added == {"figures": 6} and done.blank_rows == 1
    figures = with_references.figures().set_index(["place_codes", "metric", "population_group"])
    idlib = figures.loc[("SY07", "killed", "people")]
    assert idlib["value_best"] == 25 and idlib["qualifier"] == "exact"
    assert idlib["period_start"] == idlib["period_end"] == "2024-12-01"
    assert idlib["source_id"] == "white-helmets" and idlib["publication_ids"] == "upi-2024-12-06"
    assert idlib["basis"] == "incident" and idlib["place_reported"] == "Idlib"
    assert idlib["quote"] == "Killed: 25 (idlib-aleppo-daily.csv, row 3)"
    assert figures.loc[("SY07", "killed", "children"), "value_best"] == 10
    assert figures.loc[("SY02", "idps", "people"), "value_best"] == 1500
    assert ("SY07", "idps", "people") not in figures.index  # an empty cell is no figure
    again = import_file(with_references, hdx_file, dataset="hdx", provenance=DAILY)
    assert again.added == {"figures": 0}


def test_running_totals_need_their_anchor(with_references, hdx_file):
    with pytest.raises(InvalidInput, match="--since"):
        import_file(
            with_references,
            hdx_file,
            dataset="hdx",
            provenance=Provenance("white-helmets", "upi-2024-12-06", "cumulative"),
        )
    since = Provenance("white-helmets", "upi-2024-12-06", "cumulative", "2024-11-27")
    import_file(with_references, hdx_file, dataset="hdx", provenance=since)
    figures = with_references.figures()
    assert set(figures["period_start"]) == {"2024-11-27"}
    assert set(figures["basis"]) == {"cumulative"}


def test_idps_read_as_a_stock_stand_at_their_day(with_references, hdx_file):
    stock = Provenance("white-helmets", "upi-2024-12-06", "stock")
    import_file(with_references, hdx_file, dataset="hdx", provenance=stock)
    figures = with_references.figures()
    assert set(figures["basis"]) == {"stock"}
    assert (figures["period_start"] == figures["period_end"]).all()


def test_a_bad_count_is_reported_at_its_row_and_nothing_is_stored(with_references, hdx_file):
    hdx_file.write_text(HDX.replace(",12,", ",twelve,"), encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        import_file(with_references, hdx_file, dataset="hdx", provenance=DAILY)
    where = {(p.row, p.column, p.value) for p in failed.value.problems}
    assert ("row 5", "value_low", "twelve") in where
    assert with_references.figures().empty


def test_a_group_the_vocabulary_lacks_is_refused_naming_the_column(with_references, hdx_file):
    hdx_file.write_text(HDX.replace("#affected+injured", "#affected+injured+elderly"))
    with pytest.raises(NotAnHdxFile, match=r"column 6 \(#affected\+injured\+elderly\)"):
        import_file(with_references, hdx_file, dataset="hdx", provenance=DAILY)


def test_a_real_hdx_file_without_counts_is_refused(with_references):
    pcodes = SHARED / "data" / "cod_pcodes_syr_adm1-2.csv"  # OCHA's, as HDX serves it
    with pytest.raises(NotAnHdxFile, match="no column of counts"):
        import_file(with_references, pcodes, dataset="hdx", provenance=DAILY)


def test_the_cli_asks_for_what_the_file_does_not_say(example_store, hdx_file):
    runner = CliRunner()
    db = ["--db", example_store.path]
    missing = runner.invoke(cli, [*db, "import", str(hdx_file), "--from", "hdx"])
    assert missing.exit_code == 2
    assert "--from hdx needs --source, --publication, --basis" in missing.output
    stray = runner.invoke(cli, [*db, "import", str(hdx_file), "--source", "sohr"])
    assert stray.exit_code == 2 and "--source: only for --from hdx" in stray.output
    told = ["--source", "sohr", "--publication", "upi-2024-12-06", "--basis", "incident"]
    done = runner.invoke(cli, [*db, "import", str(hdx_file), "--from", "hdx", *told])
    assert done.exit_code == 0, done.output
    assert "added 6 figures" in done.output
