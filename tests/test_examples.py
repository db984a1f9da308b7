"""The example data holds every figure of the seed articles, and nothing else."""

import re

import pytest

from casualties.bundled.examples import example_tables, load_example
from casualties.store.query import figure_card


@pytest.fixture(scope="module")
def figures():
    return example_tables()["figures"].set_index("id")


def test_every_quote_is_verbatim_in_a_seed_article(seed_text):
    tables = example_tables()
    quotes = [*tables["figures"]["quote"], *tables["citations"]["quote"]]
    missing = [q for q in quotes if q not in seed_text]
    assert missing == []


def test_sohr_tolls_are_cumulative_since_last_week(example_store):
    civilians = figure_card(example_store, "syr-sohr-civilians-killed-2024-12-06")["figure"]
    combatants = figure_card(example_store, "syr-sohr-combatants-killed-2024-12-06")["figure"]
    assert (civilians["value_best"], civilians["population_group"]) == (111, "civilians")
    assert (combatants["value_best"], combatants["population_group"]) == (715, "combatants")
    for toll in (civilians, combatants):
        assert toll["source_id"] == "sohr"
        assert toll["basis"] == "cumulative"
        assert toll["anchor_words"].startswith("since the fighting broke out")
        # 'last week' before Friday 2024-12-06 is the ISO week of Mon 25 November.
        assert (toll["period_start"], toll["date_precision"]) == ("2024-11-25", "week")
        assert "2024-12-06" in toll["date_resolution"]


def test_white_helmets_toll_has_its_subsets(example_store):
    card = figure_card(example_store, "syr-wh-civilians-killed-2024-12-01")
    toll = card["figure"]
    assert (toll["value_low"], toll["value_high"], toll["qualifier"]) == (25, None, "at_least")
    assert toll["period_start"] == toll["period_end"] == "2024-12-01"  # 'Sunday'
    assert set(toll["place_codes"].split(";")) == {"SY07", "SY02"}
    subsets = {s["population_group"]: s["value_best"] for s in card["subsets"]}
    assert subsets == {"children": 10, "women": 4}


def test_homs_exodus_is_one_figure_with_two_publications(example_store, seed_text):
    card = figure_card(example_store, "syr-sohr-homs-displaced-2024-12-05")
    assert [p["publisher"] for p in card["publications"]] == ["AFP via TDT", "UPI"]
    assert all(p["quote"] in seed_text for p in card["publications"])
    figure = card["figure"]
    assert (figure["qualifier"], figure["value_words"]) == ("vague", "tens of thousands")
    assert (figure["value_low"], figure["value_high"], figure["value_best"]) == (20000, 99999, None)
    homs = example_store.figures()
    assert (homs["metric"] == "displaced").sum() == 1


def test_homs_2014_attack_is_month_precise(figures):
    attack = figures.loc["syr-afp-homs-killed-2014-04"]
    assert (attack["period_start"], attack["period_end"]) == ("2014-04-01", "2014-04-30")
    assert attack["date_precision"] == "month"
    assert (attack["value_low"], attack["qualifier"]) == (100, "at_least")


def test_numbers_that_are_not_casualties_are_not_figures(figures, seed_text):
    numbers_in_quotes = {int(n) for q in figures["quote"] for n in re.findall(r"\d+", q)}
    values = set(figures[["value_low", "value_best", "value_high"]].stack().dropna().astype(int))
    # distances, years, ages and durations the articles mention
    for not_a_figure in (13, 40, 2011, 2016, 2020, 1970, 37):
        assert re.search(rf"\b{not_a_figure}", seed_text)
        assert not_a_figure not in values
    assert {111, 715, 25, 100} <= values
    assert numbers_in_quotes - {2014} <= values


def test_loading_twice_adds_nothing(example_store):
    before = example_store.counts()
    again = load_example(example_store)
    assert (again.figures, again.sources, again.publications) == (0, 0, 0)
    assert (
        example_store.counts()
        == before
        == {
            "sources": 3,
            "publications": 2,
            "citations": 1,
            "figures": 7,
        }
    )
