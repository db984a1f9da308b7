"""Event datasets (ACLED, UCDP GED) imported as figures through their mapping files."""

import re

import pytest

from casualties.errors import ValidationFailed
from casualties.files.datasets import dataset_names, dataset_tables, mapping
from casualties.files.importing import import_file
from casualties.model.weeks import parse_week
from casualties.reporting.summary import weekly_summary
from tests.conftest import store_dump

# Rows in the columns of the datasets' public exports (values made up for the tests).
ACLED = """event_id_cnty,event_date,year,event_type,sub_event_type,actor1,country,admin1,admin2,location,source,notes,fatalities,timestamp
SYR123456,2024-12-01,2024,Explosions/Remote violence,Air/drone strike,Military Forces of Russia,Syria,Idlib,Idlib district,Idlib,SOHR,"On 1 December 2024, Russian airstrikes hit Idlib city, killing 12 civilians.",12,1733400000
SYR123457,02 December 2024,2024,Battles,Armed clash,HTS,Syria,Hama,Hama,Hama,SOHR,Clashes near Hama; no fatalities reported.,0,1733400000
SYR123458,2024-12-03,2024,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Syria,Syria,Aleppo,Jebel Saman,Aleppo,Local Source,Shelling killed 3 in Aleppo.,3,1733400000
"""
# UCDP's API export: no HXL row, no iso3, the country by name.
UCDP = """id,year,type_of_violence,conflict_name,dyad_name,side_a,side_b,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,country,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low
400001,2024,1,Syria: Government,Government of Syria - HTS,Government of Syria,HTS,Reuters News;Reuters News;AFP,2024-12-02;2024-12-01,"Airstrikes kill 20 in Idlib, say rescuers",rescuers,4,Idlib city,Idlib city,Idlib governorate,,35.93,36.63,Syria,1,2024-12-01 00:00:00.000,2024-12-01 00:00:00.000,0,2,15,3,20,25,18
400002,2024,1,Syria: Government,Government of Syria - HTS,Government of Syria,HTS,,,Clash in Hama,,6,Syria,Syria,Hama governorate,,35.0,38.5,Syria,4,2024-12-02 00:00:00.000,2024-12-31 00:00:00.000,2,3,0,0,5,5,5
"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def records(text: str) -> list[dict]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(text)))


def test_the_mappings_are_files_anyone_can_read():
    assert dataset_names() == ["acled", "ucdp-ged"]
    assert mapping("acled")["figures"][0]["best"] == "fatalities"


def test_acled_events_become_the_datasets_own_figures(example_store, tmp_path):
    path = write(tmp_path, "acled-syria.csv", ACLED)
    done = import_file(example_store, path, dataset="acled")
    assert done.added == {"sources": 1, "publications": 1, "figures": 2}  # 0 killed: no figure
    figures = example_store.figures().set_index("id")
    idlib = figures.loc["acled-syr123456-people"]
    assert (idlib["value_low"], idlib["value_best"], idlib["qualifier"]) == (12, 12, "exact")
    assert idlib["place_codes"] == "SY0700" and idlib["place_precision"] == "admin2"
    assert idlib["period_start"] == "2024-12-01"
    assert idlib["reported_on"] == "2024-12-05"  # ACLED's timestamp, a Unix time
    assert idlib["quote"].startswith("On 1 December 2024, Russian airstrikes")
    assert idlib["source_term"] == "Explosions/Remote violence / Air/drone strike"
    assert idlib["notes"].startswith("ACLED event SYR123456") and "sources: SOHR" in idlib["notes"]
    aleppo = figures.loc["acled-syr123458-people"]
    assert aleppo["place_codes"] == "SY0200"  # Jebel Saman, the district Aleppo city is in
    assert import_file(example_store, path, dataset="acled").added["figures"] == 0
    # Beside the monitors in the summary, never added to them.
    summary = weekly_summary(example_store.figures(), parse_week("2024-W49"))
    people = summary[(summary["metric"] == "killed") & (summary["population_group"] == "people")]
    assert "acled" in set(people["source_id"])


def test_ucdp_estimates_keep_their_bounds_and_civilians_are_a_subset(example_store, tmp_path):
    path = write(tmp_path, "ged-syria.csv", UCDP)
    done = import_file(example_store, path, dataset="ucdp-ged")
    assert done.added["figures"] == 3  # two events; only the first counted civilians
    figures = example_store.figures().set_index("id")
    deaths = figures.loc["ucdp-ged-400001-people"]
    assert (deaths["value_low"], deaths["value_best"], deaths["value_high"]) == (18, 20, 25)
    assert deaths["qualifier"] == "between"
    civilians = figures.loc["ucdp-ged-400001-civilians"]
    assert civilians["part_of"] == "ucdp-ged-400001-people" and civilians["value_best"] == 15
    assert deaths["place_codes"] == "SY07"  # "Idlib governorate", as the gazetteer knows it
    assert deaths["place_precision"] == "admin1" and deaths["period_end"] == "2024-12-01"
    assert deaths["cause"] == "state-based conflict: Government of Syria - HTS"
    assert deaths["reported_on"] == "2024-12-01"  # the first of its reports
    assert "reported 2024-12-01, 2024-12-02: the first taken" in deaths["notes"]
    assert "sources: Reuters News, AFP; original source: rescuers" in deaths["notes"]
    assert "at 35.93,36.63 (where_prec 4: within an admin1 area)" in deaths["notes"]
    hama = figures.loc["ucdp-ged-400002-people"]
    # UCDP located it only to the country: its admin1 name is not taken for more.
    assert (hama["place_codes"], hama["place_precision"]) == ("SYR", "country")
    assert hama["date_precision"] == "month" and hama["reported_on"] == "2024-12-31"


def test_an_hxl_row_under_the_header_is_not_an_event():
    tagged = UCDP.replace("\n", "\n#event+id,#date+year" + "," * 27 + "\n", 1)
    read = dataset_tables(records(tagged), "ucdp-ged", "ged-hdx.csv")
    plain = dataset_tables(records(UCDP), "ucdp-ged", "ged-hdx.csv")
    assert len(read["figures"]) == len(plain["figures"]) == 3
    # Each figure keeps its row as the file numbers it: the tagged file's are one further down.
    assert list(read["figures"]["_row"]) == [p + 1 for p in plain["figures"]["_row"]]


def test_counts_out_of_order_are_kept_widened_and_warned_of(store, tmp_path):
    odd = UCDP.replace(",5,5,5\n", ",3,0,0\n")  # best 3, high 0, low 0: as UCDP's event 84006
    path = write(tmp_path, "ged-odd.csv", odd)
    done = import_file(store, path, dataset="ucdp-ged")
    (warning,) = done.warnings
    assert re.search(r"row 3:low/best/high: event 400002: .*low 0, best 3", warning)
    assert done.added["figures"] == 3  # nothing refused
    hama = store.figures().set_index("id").loc["ucdp-ged-400002-people"]
    assert (hama["value_low"], hama["value_best"], hama["value_high"]) == (0, 3, 3)
    assert "kept as 0–3 around best 3" in hama["notes"]


def test_a_bad_event_is_located_and_nothing_lands(example_store, tmp_path):
    path = write(tmp_path, "acled-bad.csv", ACLED.replace(",3,1733400000", ",three,1733400000"))
    before = store_dump(example_store)
    with pytest.raises(ValidationFailed, match="acled-bad.csv:figures:row 4:value_low"):
        import_file(example_store, path, dataset="acled")
    assert store_dump(example_store) == before


def test_an_event_in_no_known_country_is_refused_alone(store, tmp_path):
    path = write(
        tmp_path, "ged-odd.csv", UCDP.replace(",Syria,4,2024-12-02", ",Atlantis,4,2024-12-02")
    )
    rejects = tmp_path / "rejects.csv"
    done = import_file(store, path, dataset="ucdp-ged", keep_valid=rejects)
    assert any("row 3:country: names no country the gazetteer knows" in w for w in done.warnings)
    assert done.rejected == 1 and done.added["figures"] == 2  # the other event and its civilians
    refused = rejects.read_text(encoding="utf-8").splitlines()
    assert len(refused) == 2 and refused[1].startswith("400002,")
    assert "place_codes" in refused[1]
