"""HDX files tagged by others: every count cell a figure of the source the analyst names."""

import pandas as pd
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


def test_a_count_column_of_a_group_the_vocabulary_lacks_is_skipped_and_named(
    with_references, hdx_file
):
    hdx_file.write_text(HDX.replace("#affected+injured", "#affected+injured+elderly"))
    done = import_file(with_references, hdx_file, dataset="hdx", provenance=DAILY)
    (warning,) = done.warnings
    assert "column 6 (#affected+injured+elderly) skipped" in warning
    assert done.added == {"figures": 4}
    assert "injured" not in set(with_references.figures()["metric"])


def test_a_flow_needs_its_basis_a_stock_has_its_own(with_references, hdx_file):
    with pytest.raises(InvalidInput, match=r"#affected\+killed\+num counts killed: give --basis"):
        import_file(
            with_references,
            hdx_file,
            dataset="hdx",
            provenance=Provenance("white-helmets", "upi-2024-12-06", None),
        )
    idps_only = "\n".join(
        ",".join(cells[:3] + cells[-1:]) for cells in (line.split(",") for line in HDX.splitlines())
    )
    hdx_file.write_text(idps_only.replace('"1', "1").replace('500"', "500"), encoding="utf-8")
    provenance = Provenance("white-helmets", "upi-2024-12-06", None)
    import_file(with_references, hdx_file, dataset="hdx", provenance=provenance)
    assert set(with_references.figures()["basis"]) == {"stock"}


def test_a_real_hdx_file_without_counts_is_refused(with_references):
    pcodes = SHARED / "data" / "cod_pcodes_syr_adm1-2.csv"  # OCHA's, as HDX serves it
    with pytest.raises(NotAnHdxFile, match="no column of counts"):
        import_file(with_references, pcodes, dataset="hdx", provenance=DAILY)


def test_the_cli_asks_for_what_the_file_does_not_say(example_store, hdx_file):
    runner = CliRunner()
    db = ["--db", example_store.path]
    missing = runner.invoke(cli, [*db, "import", str(hdx_file), "--from", "hdx"])
    assert missing.exit_code == 2
    assert "--from hdx needs --source, --publication" in missing.output
    unsaid = ["--source", "sohr", "--publication", "upi-2024-12-06"]
    flow = runner.invoke(cli, [*db, "import", str(hdx_file), "--from", "hdx", *unsaid])
    assert flow.exit_code == 1 and "counts killed: give --basis" in flow.output
    stray = runner.invoke(cli, [*db, "import", str(hdx_file), "--source", "sohr"])
    assert stray.exit_code == 2 and "--source: only for --from hdx" in stray.output
    told = ["--source", "sohr", "--publication", "upi-2024-12-06", "--basis", "incident"]
    done = runner.invoke(cli, [*db, "import", str(hdx_file), "--from", "hdx", *told])
    assert done.exit_code == 0, done.output
    assert "added 6 figures" in done.output


# IOM's Displacement Tracking Matrix as HDX publishes it: IDPs present at admin levels 0 to 2,
# each place and date split over rows by displacement reason and place of origin.
DTM = SHARED / "data" / "iom_dtm_idps_admin0-2.csv"


@pytest.fixture(scope="module")
def dtm_store(tmp_path_factory):
    from casualties.store import ledger
    from casualties.store.database import Store
    from tests.conftest import example_tables

    store = Store.create(tmp_path_factory.mktemp("dtm") / "dtm.db")
    tables = example_tables()
    ledger.add_sources(store, tables["sources"])
    ledger.add_publications(store, tables["publications"])
    # No --basis: IDPs present are a stock, standing at each row's day.
    provenance = Provenance("sohr", "upi-2024-12-06", None)
    done = import_file(store, DTM, dataset="hdx", provenance=provenance)
    return store, done


def stored(store, place, day, group="people"):
    figures = store.figures()
    return figures[
        (figures["place_codes"] == place)
        & (figures["period_end"] == day)
        & (figures["population_group"] == group)
    ]


def test_iom_dtm_country_figures_are_ioms_own_whatever_the_route(dtm_store):
    """IOM's Haiti figure for 2025-06-30 is 1,287,593 over nine rows (three reasons, several
    provinces of origin); Afghanistan's for 2017-03-30 is 246,362 over three reasons."""
    from casualties.model.weeks import parse_week
    from casualties.reporting.summary import summary_from_store
    from casualties.store.query import FigureQuery

    store, _ = dtm_store
    (haiti,) = stored(store, "HTI", "2025-06-30").itertuples()
    assert haiti.value_best == 1_287_593 and haiti.basis == "stock"
    assert haiti.cause == "Conflict; Insecurity; Natural disaster"
    assert "the sum of 9 rows" in haiti.quote and "Ouest / HT01: 1013636" in haiti.notes
    (afghanistan,) = stored(store, "AFG", "2017-03-30").itertuples()
    assert afghanistan.value_best == 246_362
    for place, week, expected in [("HTI", "2025-W27", 1_287_593), ("AFG", "2017-W13", 246_362)]:
        query = FigureQuery(places=(place,))
        _, table = summary_from_store(store, query, parse_week(week), None)
        people = table[(table["metric"] == "idps") & (table["population_group"] == "people")]
        assert people["latest_best"].tolist() == [expected], place


def test_iom_dtm_sex_splits_are_subsets_of_their_row(dtm_store):
    store, _ = dtm_store
    (haiti,) = stored(store, "HTI", "2025-06-30").itertuples()
    (males,) = stored(store, "HTI", "2025-06-30", "males").itertuples()
    (females,) = stored(store, "HTI", "2025-06-30", "females").itertuples()
    assert males.part_of == females.part_of == haiti.id
    assert males.value_best + females.value_best == haiti.value_best == 578_068 + 709_525


def test_iom_dtm_admin_levels_keep_their_pcodes_and_are_never_added(dtm_store):
    """Haiti's West (HT01) stands at IOM's 413,216 for 2025-06-30: its districts'
    levels of that day hold no more, and one district left out of that round (150 IDPs
    in May 2024) does not raise it."""
    from casualties.model.weeks import parse_week
    from casualties.reporting.summary import summary_from_store
    from casualties.store.query import FigureQuery

    store, _ = dtm_store
    places = set(store.figures()["place_codes"])
    assert {"AF02", "HT01", "HT0111"} <= places
    _, table = summary_from_store(
        store, FigureQuery(places=("HT01",)), parse_week("2025-W27"), None
    )
    people = table[(table["metric"] == "idps") & (table["population_group"] == "people")]
    assert people["latest_best"].tolist() == [413_216]


def test_iom_dtm_assessments_of_one_place_and_day_are_not_added(dtm_store):
    """Chad, 2017-09-30: IOM's baseline (BA) and site (SA) assessments both count
    147,032; they are two counts of the same people, never 294,064."""
    store, _ = dtm_store
    chad = stored(store, "TCD", "2017-09-30")
    assert chad["value_best"].tolist() == [147_032, 147_032]
    assert {"assessmentType: BA", "assessmentType: SA"} <= {
        part for notes in chad["notes"] for part in notes.split("; ")
    }


def test_iom_dtm_unknown_pcodes_are_placed_by_name_and_said(dtm_store):
    """Chad's Lac was TD07 in IOM's file; OCHA's codes now say TCD07."""
    store, done = dtm_store
    said = [w for w in done.warnings if "P-code TD07 is not in the gazetteer" in w]
    assert len(said) == 1 and "placed by its name at TCD07" in said[0]
    assert "rows 11436–11449" in said[0]
    lac = store.figures()
    assert not lac["place_codes"].isin(["TD07"]).any()
    assert (lac["place_codes"] == "TCD07").any()


def test_iom_dtm_country_figure_is_ioms_in_the_workbook_and_the_chart(dtm_store):
    """The Latest sheet and the by-place chart take the same one figure per place and day."""
    from casualties.reporting.chart_tables import latest_by_place
    from casualties.reporting.workbook_tables import latest_table

    store, _ = dtm_store
    figures = store.figures()
    latest = latest_table(figures)
    haiti = latest[(latest["place_codes"] == "HTI") & (latest["population_group"] == "people")]
    assert haiti["value_best"].tolist() == [1_287_593]
    bars = latest_by_place(figures, "idps", "people")
    assert bars.loc[bars["place_codes"] == "HTI", "best"].tolist() == [1_287_593]
    assert bars.loc[bars["place_codes"] == "HT01", "best"].tolist() == [413_216]


def test_columns_asked_to_be_skipped_are_left_unread_and_said(with_references, tmp_path):
    """`--skip '#affected+idps+f'`: no females figure; the row's whole and males stand."""
    lines = DTM.read_text(encoding="utf-8-sig").splitlines()
    sample = tmp_path / "dtm-sample.csv"
    sample.write_text("\n".join(lines[:5]) + "\n", encoding="utf-8")  # header, tags, 3 rows
    provenance = Provenance("sohr", "upi-2024-12-06", None, skipped=("#affected+idps+f",))
    done = import_file(with_references, sample, dataset="hdx", provenance=provenance)
    assert "columns left unread, as asked: 17 (#affected+idps+f)" in done.warnings[0]
    assert "columns not read" in done.warnings[1] and "12 (#date+year+reported)" in done.warnings[1]
    assert "females" not in set(with_references.figures()["population_group"])
    assert done.added == {"figures": 1}  # Afghanistan, 2017-03-30: 246,362 over three rows
    assert with_references.figures()["value_best"].tolist() == [246_362]


def test_a_split_given_by_only_some_parts_of_a_count_is_a_floor(with_references, tmp_path):
    """Three reason rows, only one giving its males: the count's males are at least that."""
    lines = DTM.read_text(encoding="utf-8-sig").splitlines()
    rows = lines[2:5]
    header = lines[:2]
    first = rows[0].split(",")
    first[15] = "90000"  # numberMales of the Conflict row only
    sample = tmp_path / "dtm-sample.csv"
    sample.write_text("\n".join([*header, ",".join(first), *rows[1:]]) + "\n", encoding="utf-8")
    provenance = Provenance("sohr", "upi-2024-12-06", None)
    import_file(with_references, sample, dataset="hdx", provenance=provenance)
    males = with_references.figures().set_index("population_group").loc["males"]
    assert (males["value_low"], males["qualifier"]) == (90_000, "at_least")
    assert (
        pd.isna(males["value_high"]) and "at least 90,000, the sum of 1 of 3 rows" in males["quote"]
    )
