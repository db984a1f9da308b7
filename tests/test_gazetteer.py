"""Places: codes, spellings, what lies inside what, and the user's own places."""

import pytest

from casualties.errors import InvalidInput, UnknownPlace
from casualties.model.gazetteer import Gazetteer, default_gazetteer, gazetteer_files, place_fields


@pytest.mark.parametrize(
    ("spellings", "code"),
    [
        (["Hama", "Hamah", "Ḩamāh", "SY-HM", "SY05"], "SY05"),
        (["Idlib", "Idleb", "SY-ID", "rural Idlib"], "SY07"),
        (["Deir ez-Zor", "Deir al-Zour", "Deir-ez-Zor", "Dayr az Zawr"], "SY09"),
        (["Homs", "Hims", "Ḩimş", "SY-HI"], "SY04"),
        (["Aleppo", "Halab", "rural Aleppo"], "SY02"),
    ],
)
def test_common_spellings_find_the_governorate(spellings, code):
    gazetteer = default_gazetteer()
    assert {gazetteer.resolve(s, "admin1").code for s in spellings} == {code}


def test_precision_tells_homs_city_from_homs_governorate():
    gazetteer = default_gazetteer()
    assert gazetteer.resolve("Homs", "city").code == "SYR.homs"
    assert gazetteer.resolve("Homs", "admin1").code == "SY04"
    with pytest.raises(InvalidInput, match="ambiguous"):
        gazetteer.resolve("Homs")


def test_a_city_lies_in_its_district_governorate_and_country():
    gazetteer = default_gazetteer()
    assert gazetteer.within("SYR.homs", "SY04")
    assert gazetteer.within("SYR.homs", "SYR")
    assert not gazetteer.within("SYR.homs", "SY05")


def test_unknown_place_suggests_close_names():
    with pytest.raises(UnknownPlace, match="Idleb|Idlib"):
        default_gazetteer().resolve("Idlibb")


def test_places_of_one_report_become_codes_and_a_precision():
    fields = place_fields(["Idlib", "rural Aleppo"], "admin1")
    assert fields == {
        "place_codes": "SY07;SY02",
        "place_precision": "admin1",
        "place_reported": "Idlib and rural Aleppo",
    }


def test_every_governorate_of_the_ocha_file_is_there(tmp_path):
    from tests.conftest import SHARED

    lines = (SHARED / "data" / "cod_pcodes_syr_adm1-2.csv").read_text(encoding="utf-8-sig")
    codes = [line.split(",")[2] for line in lines.splitlines()[2:] if line]
    gazetteer = default_gazetteer()
    assert len(codes) == 76
    assert all(c in gazetteer for c in codes)


def test_users_extend_the_gazetteer_with_their_own_file(tmp_path, monkeypatch):
    extra = tmp_path / "mine.csv"
    extra.write_text(
        "code,name,level,country,admin1,admin2,iso_3166_2,aliases\n"
        "SYR.kafr-nubl-camp,Kafr Nubl camp,point,SYR,SY07,SY0702,,Kafranbel camp\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("CASUALTIES_GAZETTEER", str(extra))
    gazetteer = Gazetteer.from_files(gazetteer_files())
    assert gazetteer.resolve("Kafranbel camp").code == "SYR.kafr-nubl-camp"
    assert gazetteer.within("SYR.kafr-nubl-camp", "SY07")


def test_a_broken_gazetteer_row_is_named(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level\nX1,Somewhere,village\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="bad.csv:2"):
        Gazetteer.from_files([bad])


def published_pcodes() -> list[dict[str, str]]:
    """OCHA's admin1 and admin2 P-codes, as HDX publishes them (placeholders left out)."""
    import csv

    from tests.conftest import SHARED

    path = SHARED / "data" / "global_pcodes_adm1-2.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows[1:] if r["P-Code"].casefold() != r["Name"].casefold()]


def test_every_pcode_of_every_country_resolves_inside_its_parent_and_country():
    gazetteer = default_gazetteer()
    rows = published_pcodes()
    assert len({r["Location"] for r in rows}) == 156  # (its README says 158)
    for row in rows:
        place = gazetteer.resolve(row["P-Code"])
        assert place.level == f"admin{row['Admin Level']}", row
        assert gazetteer.within(row["P-Code"], row["Parent P-Code"]), row
        assert gazetteer.within(row["P-Code"], row["Location"]), row


def test_a_name_found_only_in_the_world_file_resolves_at_its_level():
    gazetteer = default_gazetteer()
    assert gazetteer.resolve("Kandahar", "admin1").code == "AF27"
    assert gazetteer.resolve("Ouest", "admin1").code == "CM008"
    with pytest.raises(InvalidInput, match="AF01 .*admin1.*AF0101 .*admin2"):
        gazetteer.resolve("Kabul")  # the province and its district: say which
    # Haiti's North and Lebanon's: listed with their countries.
    with pytest.raises(InvalidInput, match=r"HT03 \(North, admin1, HTI\), LB5 .*LBN"):
        gazetteer.resolve("North", "admin1")
    with pytest.raises(InvalidInput, match=r"and \d+ more; give a code"):
        gazetteer.resolve("Central")


def test_hand_made_spellings_stay_on_top_of_the_world_file():
    gazetteer = default_gazetteer()
    assert gazetteer.resolve("Gaza Strip").code == "PSE.gaza-strip"
    assert gazetteer.resolve("Rif Dimashq").code == "SY03"
    # The region is OCHA's PS02: what lies in one lies in the other.
    assert gazetteer.within("PS0260", "PSE.gaza-strip")
    assert gazetteer.within("PSE.gaza-strip", "PS02")
    assert not gazetteer.within("PS0101", "PSE.gaza-strip")


def test_the_world_file_is_read_only_when_a_place_is_not_hand_made():
    from casualties.model.gazetteer import GAZETTEER_DIR, WORLD_FILE

    gazetteer = Gazetteer.from_files(gazetteer_files(), GAZETTEER_DIR / WORLD_FILE)
    assert gazetteer.resolve("Idlib", "admin1").code == "SY07"
    assert gazetteer.within("SY0702", "SY07") and gazetteer.within("SY07", "SYR")
    assert not gazetteer.world_read
    assert gazetteer.resolve("HT01").name == "West"
    assert gazetteer.world_read


def test_a_name_no_place_bears_is_refused_without_reading_the_world():
    from casualties.model.gazetteer import GAZETTEER_DIR, WORLD_FILE

    gazetteer = Gazetteer.from_files(gazetteer_files(), GAZETTEER_DIR / WORLD_FILE)
    # The words an article's capitals offer as places: none of them is one.
    for word in ("Sunday", "White Helmets", "Bashar", "Islamist"):
        assert gazetteer.matches(word) == []
    assert gazetteer.places.get("XX9999") is None
    assert not gazetteer.world_read
    assert [p.code for p in gazetteer.matches("Kabul")] == ["AF01", "AF0101"]
    assert gazetteer.world_read


def test_the_shipped_world_keys_are_those_of_the_shipped_world_file():
    from casualties.model.gazetteer import (
        GAZETTEER_DIR,
        WORLD_FILE,
        WORLD_KEYS_FILE,
        world_keys_text,
    )

    shipped = (GAZETTEER_DIR / WORLD_KEYS_FILE).read_text(encoding="utf-8")
    assert shipped == world_keys_text(GAZETTEER_DIR / WORLD_FILE), (
        "run data/gazetteer/build_world_pcodes.py again"
    )


def test_an_edited_world_file_is_read_whole_whatever_its_stale_keys_say(tmp_path):
    from casualties.model.gazetteer import GAZETTEER_DIR, WORLD_FILE, WORLD_KEYS_FILE

    world = tmp_path / WORLD_FILE
    text = (GAZETTEER_DIR / WORLD_FILE).read_text(encoding="utf-8")
    world.write_text(text + "XX01,Atlantis,admin1,XXX,XX01,,,\n", encoding="utf-8")
    keys = (GAZETTEER_DIR / WORLD_KEYS_FILE).read_text(encoding="utf-8")
    (tmp_path / WORLD_KEYS_FILE).write_text(keys, encoding="utf-8")
    gazetteer = Gazetteer.from_files(gazetteer_files(), world)
    assert gazetteer.resolve("Atlantis").code == "XX01"


def test_names_like_an_unknown_one_are_looked_for_only_when_the_message_is_read():
    asked = []
    error = UnknownPlace("Kandahr", lambda: asked.append(1) or ["Kandahar"])
    assert not asked
    assert "did you mean Kandahar?" in str(error) and asked == [1]
    with pytest.raises(UnknownPlace, match="Kandahar"):
        default_gazetteer().resolve("Kandahr")


@pytest.mark.parametrize(
    "code, shape",
    [
        ("AF0199", ("AFG", "admin2")),  # no such district, but an Afghan admin2 code's shape
        ("AF01", ("AFG", "admin1")),
        ("SY0799", ("SYR", "admin2")),  # Syria's codes are hand-made: its shape is OCHA's too
        ("TCD0704", ("TCD", "admin2")),  # Chad's prefix is three letters
        ("AF012", None),  # no level of Afghanistan is five characters long
        ("TD07", None),  # Chad's old code: no country's codes begin TD
    ],
)
def test_a_pcodes_level_is_known_from_its_length(code, shape):
    from casualties.model.gazetteer import pcode_level

    assert pcode_level(code) == shape


def test_every_published_pcode_has_the_level_its_length_says():
    from casualties.model.gazetteer import pcode_level

    for row in published_pcodes():
        shape = pcode_level(row["P-Code"])
        # Where OCHA's lengths give admin2 no characters of its own (Tajikistan's and
        # Kyrgyzstan's codes are as long at both levels), the length cannot tell.
        if row["Location"] not in ("TJK", "KGZ"):
            assert shape == (row["Location"], f"admin{row['Admin Level']}"), row
