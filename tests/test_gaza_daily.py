"""The Gaza daily reports load as the offices' own figures, facts checked against the file."""

import json
from collections import Counter
from itertools import pairwise

import pandas as pd
import pytest

from casualties.bundled.examples import Loaded
from casualties.bundled.gaza_daily import gaza_daily_tables, load_gaza_daily
from casualties.store.database import Store
from casualties.store.ledger import store_problems
from tests.conftest import SHARED, store_dump

GAZA_FILE = SHARED / "data" / "tfp_gaza_casualties_daily.json"
OFFICES = {"mohtel": "gaza-moh", "gmotel": "gaza-gmo"}
# Written out here, not taken from the module, so the test checks its mapping.
FIELDS = {
    "killed_cum": ("killed", "people"),
    "injured_cum": ("injured", "people"),
    "killed_children_cum": ("killed", "children"),
    "killed_women_cum": ("killed", "women"),
    "med_killed_cum": ("killed", "health_workers"),
    "press_killed_cum": ("killed", "journalists"),
    "civdef_killed_cum": ("killed", "civil_defence_staff"),
}


@pytest.fixture(scope="module")
def reports() -> list[dict]:
    return json.loads(GAZA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    store = Store.create(tmp_path_factory.mktemp("gaza") / "gaza.db")
    added = load_gaza_daily(store, GAZA_FILE)
    return store, added


@pytest.fixture(scope="module")
def figures(loaded):
    store, _ = loaded
    return store.figures().set_index("id")


def test_file_is_the_one_described(reports):
    assert len(reports) == 1051
    assert Counter(r["report_source"] for r in reports) == {
        "mohtel": 1001,
        "missing": 28,
        "gmotel": 22,
    }


def test_one_figure_per_reported_field(reports, loaded, figures):
    expected = Counter(
        (*FIELDS[field], OFFICES[r["report_source"]])
        for r in reports
        if r["report_source"] in OFFICES
        for field in FIELDS
        if field in r
    )
    stored = Counter(
        zip(figures["metric"], figures["population_group"], figures["source_id"], strict=True)
    )
    assert stored == expected
    assert expected[("killed", "people", "gaza-moh")] == 999
    assert expected[("killed", "people", "gaza-gmo")] == 22
    assert loaded[1] == Loaded(sources=2, publications=1, figures=sum(expected.values()))


def test_no_missing_row_became_a_figure(reports, figures):
    gap_filled = {r["report_date"] for r in reports if r["report_source"] == "missing"}
    assert len(gap_filled) == 28
    assert not set(figures["reported_on"]) & gap_filled
    assert not figures["quote"].str.contains('"missing"').any()
    assert not figures["source_term"].str.startswith("ext_").any()


def test_last_report_killed_figure(reports, figures):
    last = reports[-1]
    assert (last["report_date"], last["report_source"]) == ("2026-08-22", "mohtel")
    toll = figures.loc["pse-moh-killed-2026-08-22"]
    assert toll["value_best"] == last["killed_cum"] == 73419
    assert (toll["value_low"], toll["value_high"], toll["qualifier"]) == (73419, 73419, "exact")
    assert toll["quote"] == (
        '{"report_date": "2026-08-22", "report_source": "mohtel", "killed_cum": 73419}'
    )
    assert (toll["basis"], toll["period_start"], toll["period_end"]) == (
        "cumulative",
        "2023-10-07",
        "2026-08-22",
    )
    assert (toll["place_codes"], toll["source_term"]) == ("PSE.gaza-strip", "killed_cum")


def test_subsets_are_part_of_the_same_reports_killed_figure(figures):
    children = figures.loc["pse-gmo-children-killed-2023-10-16"]
    assert (children["value_best"], children["part_of"]) == (853, "pse-gmo-killed-2023-10-16")
    assert figures.loc["pse-gmo-killed-2023-10-16", "value_best"] == 2808
    # The report of 2024-01-05 gives killed_cum only: its breakdown is gap-fill (ext_*).
    assert "pse-moh-killed-2024-01-05" in figures.index
    assert "pse-moh-children-killed-2024-01-05" not in figures.index
    # The 2023-12-20 report gives a breakdown but no killed_cum: no parent to link to.
    orphan = figures.loc["pse-moh-health-workers-killed-2023-12-20"]
    assert orphan["value_best"] == 310
    assert pd.isna(orphan["part_of"])
    # No subset in the file exceeds its parent, so no link was dropped.
    assert figures["notes"].isna().all()


def test_store_is_valid(loaded):
    assert store_problems(loaded[0]) == []


def test_loading_twice_adds_nothing(store):
    load_gaza_daily(store, GAZA_FILE)
    before = store_dump(store)
    assert load_gaza_daily(store, GAZA_FILE) == Loaded(0, 0, 0)
    assert store_dump(store) == before


def test_falling_running_total_is_kept(reports, figures):
    """A revision is kept as reported: both values of a falling pair are stored."""
    moh = [r for r in reports if r["report_source"] == "mohtel"]
    killed = [r for r in moh if "killed_cum" in r]
    # In this file the ministry's killed_cum never falls from one report to the next;
    # its women killed does: 1,000 on 2023-10-19, then 967 on 2023-10-21.
    assert all(a["killed_cum"] <= b["killed_cum"] for a, b in pairwise(killed))
    women = [r for r in moh if "killed_women_cum" in r]
    falls = [(a, b) for a, b in pairwise(women) if b["killed_women_cum"] < a["killed_women_cum"]]
    assert [(a["report_date"], b["report_date"]) for a, b in falls] == [
        ("2023-10-19", "2023-10-21")
    ]
    before, after = falls[0]
    assert figures.loc["pse-moh-women-killed-2023-10-19", "value_best"] == 1000
    assert figures.loc["pse-moh-women-killed-2023-10-21", "value_best"] == 967
    assert before["killed_women_cum"] == 1000 and after["killed_women_cum"] == 967


def test_subset_above_its_parent_keeps_its_value_and_loses_its_link(tmp_path):
    rows = [
        {"report_date": "2024-01-05", "report_source": "gmotel", "killed_cum": 10},
        {"report_date": "2024-01-06", "report_source": "gmotel", "killed_cum": 20},
    ]
    rows[0]["press_killed_cum"] = 11
    rows[1]["killed_children_cum"], rows[1]["killed_women_cum"] = 12, 9
    path = tmp_path / "daily.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    figures = gaza_daily_tables(path)["figures"].set_index("id")
    for figure_id, value in [
        ("pse-gmo-journalists-killed-2024-01-05", 11),
        ("pse-gmo-children-killed-2024-01-06", 12),
        ("pse-gmo-women-killed-2024-01-06", 9),
    ]:
        assert figures.loc[figure_id, "value_best"] == value
        assert pd.isna(figures.loc[figure_id, "part_of"])
        assert "killed_cum" in figures.loc[figure_id, "notes"]


def test_civil_defence_staff_are_not_aid_workers():
    """The offices' civdef_killed_cum counts emergency services ('first responders'):
    its own group, so no reader sets it against UN aid-worker counts."""
    from casualties.model import contract

    groups = contract.vocabularies()["population_group"].terms
    from casualties.bundled import gaza_daily

    assert gaza_daily.FIELDS["civdef_killed_cum"] == ("killed", "civil_defence_staff")
    assert groups["civil_defence_staff"]["broader"] == ["people", "civilians"]
    assert "not civil-defence staff" in groups["aid_workers"]["definition"]
    assert contract.series_label("killed", "civil_defence_staff") == "Civil-defence staff killed"


def test_a_load_retracts_civil_defence_staff_an_earlier_load_filed_as_aid_workers(
    reports, tmp_path, monkeypatch
):
    from casualties.bundled import gaza_daily

    with_civdef = [r for r in reports if "civdef_killed_cum" in r][:3]
    path = tmp_path / "daily.json"
    path.write_text(json.dumps(with_civdef), encoding="utf-8")
    store = Store.create(tmp_path / "old.db")
    # The mapping the loader had before civil-defence staff had a group of their own.
    old = {**gaza_daily.FIELDS, "civdef_killed_cum": ("killed", "aid_workers")}
    monkeypatch.setattr(gaza_daily, "FIELDS", old)
    load_gaza_daily(store, path)
    monkeypatch.undo()

    again = load_gaza_daily(store, path)
    assert again.retracted == 3 and again.figures == 3
    current = store.figures()
    civdef = current[current["source_term"] == "civdef_killed_cum"].set_index("id")
    old_ids = [i for i in civdef.index if "-aid-workers-" in i]
    assert len(old_ids) == 3 and (civdef.loc[old_ids, "status"] == "retracted").all()
    assert civdef.loc[old_ids[0], "change_reason"] == (
        "civdef_killed_cum counts civil defence staff, not aid workers:"
        " stored again as civil_defence_staff"
    )
    active = civdef[civdef["status"] == "active"]
    assert set(active["population_group"]) == {"civil_defence_staff"} and len(active) == 3
    assert store_problems(store) == []
    assert load_gaza_daily(store, path).retracted == 0  # once only
