"""An ACLED export, in ACLED's published columns, for events in Sudan and Myanmar.

tests/data/acled_sudan_myanmar.csv is made for these tests, not ACLED's
data: its columns are those of ACLED's Data Export Tool (acleddata.com,
2024: event_id_cnty … notes, fatalities, tags, timestamp), its places real
admin areas of the two countries (Khartoum, North Darfur / Al Fasher,
Sagaing / Shwebo, Rakhine / Sittwe) and one ACLED spelling OCHA's list lacks
("Omdurman"); the events, counts and sources are made up.
"""

from pathlib import Path

import pytest

from casualties.files.importing import import_file
from casualties.model.gazetteer import default_gazetteer
from casualties.model.weeks import parse_week
from casualties.reporting.summary import weekly_summary

EXPORT = Path(__file__).parent / "data" / "acled_sudan_myanmar.csv"


@pytest.fixture
def imported(store):
    done = import_file(store, EXPORT, dataset="acled")
    return done, store.figures().set_index("id"), list(done.warnings)


def test_each_event_with_fatalities_is_a_figure(imported):
    done, figures, _ = imported
    assert done.read["figures"] == 5 and done.added["figures"] == 5  # SDN90004 killed no one
    assert "acled-sdn90004-people" not in figures.index
    assert set(figures["source_id"]) == {"acled"}
    assert (figures["value_best"] == figures["value_low"]).all()  # ACLED gives one count


def test_admin_names_become_p_codes_in_each_events_country(imported):
    _, figures, _ = imported
    places = figures[["place_codes", "place_precision"]].apply(tuple, axis=1).to_dict()
    assert places == {
        "acled-sdn90001-people": ("SD01007", "city"),  # Khartoum / Khartoum
        "acled-sdn90002-people": ("SD02114", "city"),  # North Darfur / Al Fasher
        "acled-sdn90003-people": ("SD01", "city"),  # Omdurman: not an OCHA admin2 name
        "acled-mmr70001-people": ("MMR005D002", "city"),  # Sagaing / Shwebo
        "acled-mmr70002-people": ("MMR012", "admin1"),  # geo_precision 3: the region only
    }


def test_an_admin2_name_the_gazetteer_lacks_is_warned_of_with_its_row(imported):
    _, figures, said = imported
    assert said == [
        "acled_sudan_myanmar.csv:row 4:admin2: is no admin2 of Khartoum (SD01) in the "
        "gazetteer (value: 'Omdurman')"
    ]
    assert (
        "admin2 'Omdurman' not found: placed in SD01"
        in figures.loc["acled-sdn90003-people", "notes"]
    )


def test_the_id_notes_sources_and_timestamp_are_kept(imported):
    _, figures, _ = imported
    event = figures.loc["acled-sdn90001-people"]
    assert event["quote"] == (
        "On 2 December 2024, RSF shelling hit a market in Khartoum, killing 12 civilians."
    )
    assert event["notes"].startswith("ACLED event SDN90001; at 15.5881,32.5342")
    assert "sources: Sudan Tribune, Radio Dabanga" in event["notes"]
    assert event["reported_on"] == "2024-12-10"  # timestamp 1733788800
    assert event["cause"] == "Rapid Support Forces against Civilians (Sudan)"
    assert event["source_term"] == "Explosions/Remote violence / Shelling/artillery/missile attack"
    assert figures.loc["acled-mmr70002-people", "date_precision"] == "week"


def test_a_weeks_events_sum_to_acleds_fatalities(imported):
    _, figures, _ = imported
    summary = weekly_summary(figures.reset_index(), parse_week("2024-W49"))
    row = summary[summary["population_group"] == "people"].iloc[0]
    assert (row["change_low"], row["change_best"], row["change_high"]) == (51, 51, 51)
    gazetteer = default_gazetteer()
    in_sudan = figures[figures["place_codes"].map(lambda code: gazetteer.within(code, "SDN"))]
    sudan = weekly_summary(in_sudan.reset_index(), parse_week("2024-W49"))
    assert sudan[sudan["population_group"] == "people"].iloc[0]["change_best"] == 12 + 25 + 4
