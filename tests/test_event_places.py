"""Event datasets' admin names placed by the gazetteer, in any country OCHA publishes."""

import pytest

from casualties.files.event_places import depth_of, locate

COLUMNS = ("adm_1", "adm_2")


@pytest.mark.parametrize(
    ("country", "admin1", "admin2", "code"),
    [
        # The words that say a level, in any country and either place.
        ("BGD", "Chittagong Division", "Cox's Bazar District", "BD2022"),
        ("BGD", "Khulna Division", "Sātkhira District", "BD4087"),
        ("SDN", "Khartoum State", "", "SD01"),
        ("SDN", "Province of North Darfur", "Al Fasher District", "SD02114"),
        ("MMR", "Sagaing Region", "Shwebo District", "MMR005D002"),
        ("Myanmar (Burma)", "Sagaing", "Shwebo", "MMR005D002"),  # UCDP's name and former name
        ("Sudan", "Khartoum", "", "SD01"),
        # A misspelt level word is still one ("Pabna Disctrict", as UCDP writes it).
        ("BGD", "Rajshahi Division", "Pabna Disctrict", "BD5076"),
    ],
)
def test_admin_names_are_found_in_the_events_country(country, admin1, admin2, code):
    found = locate([country], admin1, admin2, "admin2", COLUMNS)
    assert found.code == code and found.warnings == []


def test_a_name_another_country_holds_is_not_taken():
    # Khartoum is Sudan's; in an event in Myanmar it is no place.
    found = locate(["MMR"], "Khartoum", "", "admin2", COLUMNS)
    assert (found.code, found.level) == ("MMR", "country")
    assert found.warnings == [("adm_1", "Khartoum", "is no admin1 of MMR in the gazetteer")]
    assert found.notes == ["adm_1 'Khartoum' not found: placed in MMR"]


def test_a_name_a_letter_away_is_read_and_said():
    found = locate(["BGD"], "Khulna Division", "Jhenaidaha District", "admin2", COLUMNS)
    assert found.code == "BD4044"
    reason = "read as Jhenaidah (BD4044), a letter apart"
    assert found.warnings == [("adm_2", "Jhenaidaha District", reason)]
    assert found.notes == [f"adm_2 'Jhenaidaha District' {reason}"]


def test_a_short_name_is_never_read_by_a_letter():
    # "Ekat" is a letter from Eket alone, but a four-letter name is too short to guess at.
    assert locate(["NGA"], "", "Ekett", "admin2", COLUMNS).code == "NG003003"
    found = locate(["NGA"], "", "Ekat", "admin2", COLUMNS)
    assert found.level == "country" and found.warnings[0][2].startswith("is no admin2")


def test_a_name_a_letter_from_two_areas_is_read_only_where_its_admin1_settles_it():
    # "Um Badu" is a letter from Um Bada (Khartoum) and from Um Baru (North Darfur).
    found = locate(["SDN"], "", "Um Badu", "admin2", COLUMNS)
    assert (found.code, found.level) == ("SDN", "country")
    assert locate(["SDN"], "Khartoum", "Um Badu", "admin2", COLUMNS).code == "SD01002"


def test_an_unknown_admin2_leaves_the_event_in_its_admin1_and_says_so():
    found = locate(["BGD"], "Rajshahi Division", "Chapai Nawabganj District", "admin2", COLUMNS)
    assert (found.code, found.level) == ("BD50", "admin1")
    reason = "is no admin2 of Rajshahi (BD50) in the gazetteer"
    assert found.warnings == [("adm_2", "Chapai Nawabganj District", reason)]
    assert found.notes == ["adm_2 'Chapai Nawabganj District' not found: placed in BD50"]


def test_an_admin2_outside_the_admin1_given_is_kept_and_said():
    # UCDP names the division before 2015's split: Sherpur is now Mymensingh's.
    found = locate(["BGD"], "Dhaka Division", "Sherpur District", "admin2", COLUMNS)
    assert found.code == "BD4589"
    assert "lies in Mymensingh (BD45), not in Dhaka (BD30): kept" in found.warnings[0][2]


def test_the_precision_says_how_deep_to_look():
    assert [depth_of(p) for p in ("point", "city", "admin2")] == ["admin2"] * 3
    assert [depth_of(p) for p in ("admin1", "country", "region")] == [
        "admin1",
        "country",
        "country",
    ]
    found = locate(["BGD"], "Chittagong Division", "Feni District", "admin1", COLUMNS)
    assert (found.code, found.warnings) == ("BD20", [])


def test_an_unknown_country_leaves_the_event_unplaced_and_says_so():
    found = locate(["XXX", "Atlantis"], "North", "", "admin2", COLUMNS)
    assert found.code is None
    assert found.warnings[0][:2] == ("country", "XXX / Atlantis")


def test_an_event_located_only_to_its_country_has_its_admin_names_left_alone():
    # UCDP's where_prec 6: the adm_1 it may still give is not looked for, nor warned of.
    found = locate(["BGD"], "Nowhere Division", "Feni District", "country", COLUMNS)
    assert (found.code, found.level, found.warnings, found.notes) == ("BGD", "country", [], [])
