"""The aggregation rules, pinned on the seed example data and on crafted cases."""

from datetime import date

import pandas as pd
import pytest

from casualties.model.weeks import parse_week
from casualties.reporting.aggregation import (
    running_total_falls,
    weekly_by_source,
)
from casualties.reporting.chart_tables import standing_over_time
from casualties.reporting.summary import weekly_summary
from casualties.store.ledger import add_figures
from tests.test_validation import figure

SOHR_CIVILIANS = ("sohr", "killed", "civilians", "people", "flow")
W48, W49, W50 = (parse_week(w) for w in ("2024-W48", "2024-W49", "2024-W50"))


def row(table: pd.DataFrame, source: str, group: str = "civilians", metric="killed") -> pd.Series:
    chosen = table[
        (table["source_id"] == source)
        & (table["population_group"] == group)
        & (table["metric"] == metric)
    ]
    assert len(chosen) == 1, chosen
    return chosen.iloc[0]


def stored(store, *rows) -> pd.DataFrame:
    add_figures(store, pd.DataFrame(list(rows)))
    return store.figures()


def incident(id_, day, low, high=None, place="SY07", source="white-helmets", **more) -> dict:
    best = low if high == low else None
    qualifier = "exact" if high == low else ("at_least" if high is None else "between")
    return figure(
        id=id_,
        period_start=day,
        value_low=low,
        value_best=best,
        value_high=high,
        qualifier=qualifier,
        place_codes=place,
        source_id=source,
        quote=f"quote of {id_}",
        **more,
    )


def cumulative(id_, start, day, value, source="sohr", place="SYR", **more) -> dict:
    return figure(
        id=id_,
        basis="cumulative",
        period_start=start,
        period_end=day,
        reported_on=day,
        value_low=value,
        value_best=value,
        value_high=value,
        place_codes=place,
        source_id=source,
        quote=f"quote of {id_}",
        **more,
    )


def test_seed_tolls_are_never_added(example_store):
    table = weekly_summary(example_store.figures(), W49)
    assert row(table, "sohr")["latest"] == "111"
    assert row(table, "sohr", "combatants")["latest"] == "715"
    white_helmets = row(table, "white-helmets")
    assert white_helmets["latest"] == "≥25"
    # A one-day toll of Sunday (week 48), reported on Friday of week 49, is not set
    # beside a running total: no range.
    assert white_helmets["flags"] == (
        "stale: latest ends 2024-12-01; "
        "back-dated: for 2024-W48, reported 2024-12-06 (syr-wh-civilians-killed-2024-12-01)"
    )
    assert (white_helmets["basis"], row(table, "sohr")["basis"]) == ("incident", "cumulative")
    assert not table["source_id"].str.startswith("all sources").any()
    shown = " ".join(table["latest"])
    for false_sum in ("136", "826", "39"):
        assert false_sum not in shown


def test_seed_subsets_stand_under_their_parent(example_store):
    weekly = weekly_by_source(example_store.figures(), W48)
    assert row(weekly, "white-helmets")["new_low"] == 25
    assert row(weekly, "white-helmets", "children")["new_low"] == 10
    assert row(weekly, "white-helmets", "women")["new_low"] == 4


def test_seed_homs_exodus_is_counted_once(example_store):
    weekly = weekly_by_source(example_store.figures(), W49)
    displaced = weekly[weekly["metric"] == "displaced"]
    assert len(displaced) == 1
    assert (displaced.iloc[0]["new_low"], displaced.iloc[0]["new_high"]) == (20000, 99999)
    assert displaced.iloc[0]["new_best"] is pd.NA


def test_incidents_of_one_source_on_separate_days_add_up_with_bounds(example_store):
    figures = stored(
        example_store,
        incident("inc-a", "2024-12-02", 25),  # at least 25
        incident("inc-b", "2024-12-03", 111, 111),
    )  # exactly 111
    total = row(weekly_by_source(figures, W49), "white-helmets")
    assert (total["new_low"], total["new_high"]) == (136, None) or pd.isna(total["new_high"])
    assert total["new_low"] == 136
    assert set(total["new_ids"].split(";")) == {"inc-a", "inc-b"}
    summary = weekly_summary(figures, W49)
    assert row(summary, "white-helmets")["week_change"] == "+≥136"


def test_overlapping_incidents_count_as_the_largest_up_to_their_sum(example_store):
    # The same day, Idlib governorate and Idlib city inside it: maybe the same dead.
    figures = stored(
        example_store,
        incident("gov", "2024-12-02", 10, 10, place="SY07"),
        incident("city", "2024-12-02", 6, 6, place="SYR.idlib", place_precision="city"),
    )
    total = row(weekly_by_source(figures, W49), "white-helmets")
    assert (total["new_low"], total["new_high"]) == (10, 16)


@pytest.mark.parametrize(
    "second_publication, low, high",
    [
        # A dataset's export lists each event once (UCDP's battle and its attack on
        # civilians in one district on one day): 10 + 6 = 16.
        ("upi-2024-12-06", 16, 16),
        # The same two counts from two publications may tell of the same dead.
        ("tdt-afp-2024-12-06", 10, 16),
    ],
)
def test_one_publications_events_in_one_place_and_day_add_up_two_publications_may_not(
    example_store, second_publication, low, high
):
    both = [
        incident("first", "2024-12-02", 10, 10, publication_ids="upi-2024-12-06"),
        incident("second", "2024-12-02", 6, 6, publication_ids=second_publication),
    ]
    total = row(weekly_by_source(stored(example_store, *both), W49), "white-helmets")
    assert (total["new_low"], total["new_high"]) == (low, high)


def test_incidents_in_separate_places_on_one_day_add_up(example_store):
    figures = stored(
        example_store,
        incident("idlib", "2024-12-02", 10, 10, place="SY07"),
        incident("hama", "2024-12-02", 6, 6, place="SY05"),
    )
    total = row(weekly_by_source(figures, W49), "white-helmets")
    assert (total["new_low"], total["new_high"]) == (16, 16)


def test_a_cumulative_series_of_the_same_source_wins_over_its_incidents(example_store):
    figures = stored(
        example_store, incident("inc", "2024-12-03", 7, 7, source="sohr", place="SY07")
    )
    # SOHR's running total since 2024-11-25 covers all Syria: its incident is already in it.
    total = row(weekly_by_source(figures, W49), "sohr")
    assert total["covered_ids"] == "inc"
    assert pd.isna(total["incidents_low"])


def test_a_falling_running_total_is_a_revision_not_negative_deaths(example_store):
    figures = stored(
        example_store,
        cumulative("r1", "2024-11-25", "2024-12-13", 120),
        cumulative("r2", "2024-11-25", "2024-12-14", 105),
    )
    week = row(weekly_by_source(figures, W50), "sohr")
    assert week["revision"]
    assert (week["revision_low"], week["revision_high"]) == (6, 6)  # 111 at W49's end, 105 now
    assert week["standing_low"] == 105
    assert pd.isna(week["new_low"])
    falls = running_total_falls(figures)
    assert falls[["previous_id", "id", "fall_low"]].values.tolist() == [["r1", "r2", 15]]
    summary = weekly_summary(figures, W50)
    assert row(summary, "sohr")["week_change"] == "revised −6"
    steps = standing_over_time(figures, "killed", "civilians")
    assert steps.loc[steps["ids"] == "r2", "revision"].item()


def test_a_rise_is_the_difference_of_week_end_totals(example_store):
    figures = stored(example_store, cumulative("up", "2024-11-25", "2024-12-12", 150))
    week = row(weekly_by_source(figures, W50), "sohr")
    assert (week["new_low"], week["new_high"], week["revision"]) == (39, 39, False)
    assert set(week["new_ids"].split(";")) == {"up", "syr-sohr-civilians-killed-2024-12-06"}


def test_two_sources_give_a_range_never_a_sum(example_store):
    figures = stored(
        example_store, cumulative("wh-cum", "2024-11-25", "2024-12-06", 140, source="white-helmets")
    )
    # Both running totals of Syria since 2024-11-25, both in week 49: like with like.
    summary = weekly_summary(figures, W49)
    killed = summary[
        (summary["metric"] == "killed")
        & (summary["population_group"] == "civilians")
        & summary["source_id"].str.startswith("all sources")
    ]
    assert killed[["sources", "latest_low", "latest_high"]].values.tolist() == [[2, 111, 140]]


def test_a_same_group_subset_is_not_added_to_its_parent(example_store):
    figures = stored(
        example_store,
        incident("whole", "2024-12-02", 30, 30, place="SY07"),
        incident(
            "part", "2024-12-02", 20, 20, place="SYR.idlib", place_precision="city", part_of="whole"
        ),
    )
    total = row(weekly_by_source(figures, W49), "white-helmets")
    assert (total["new_low"], total["new_high"]) == (30, 30)


def test_as_of_replays_the_week_with_what_was_reported_by_then(example_store):
    figures = stored(
        example_store,
        cumulative("late", "2024-11-25", "2024-12-07", 130) | {"reported_on": "2024-12-10"},
    )
    now = row(weekly_by_source(figures, W49), "sohr")
    then = row(weekly_by_source(figures, W49, as_of=date(2024, 12, 8)), "sohr")
    assert (now["standing_low"], then["standing_low"]) == (130, 111)
    assert then["standing_ids"] == "syr-sohr-civilians-killed-2024-12-06"


def test_retracted_figures_leave_every_total(example_store):
    from casualties.store.ledger import retract_figure

    retract_figure(example_store, "syr-wh-civilians-killed-2024-12-01", "wrong")
    weekly = weekly_by_source(example_store.figures(), W48)
    assert "civilians" not in set(weekly["population_group"])


@pytest.mark.parametrize("start", ["monday", "saturday"])
def test_weeks_can_start_on_another_day(example_store, start):
    from casualties.model.weeks import parse_week_start, week_of

    week = week_of(date(2024, 12, 1), parse_week_start(start))
    weekly = weekly_by_source(example_store.figures(), week)
    assert row(weekly, "white-helmets")["new_low"] == 25
    assert week.start.strftime("%A").lower() == start


def test_a_source_total_adds_disjoint_series_and_leaves_out_nested_ones(example_store):
    from casualties.reporting.standing import standing_totals

    figures = stored(
        example_store,
        cumulative("idlib-1", "2024-11-27", "2024-12-02", 40, place="SY07"),
        cumulative("hama-1", "2024-11-27", "2024-12-03", 30, place="SY05"),
        cumulative("idlib-2", "2024-11-27", "2024-12-09", 50, place="SY07"),
    )
    # SOHR's Syria-wide 111 (2024-12-06) holds Idlib and Hama: from then on only it counts.
    steps = standing_over_time(figures, "killed", "civilians")
    sohr = steps[steps["source_id"] == "sohr"].set_index("day")
    assert sohr.loc["2024-12-02", "low"] == 40
    assert sohr.loc["2024-12-03", "low"] == 70  # Idlib and Hama are disjoint: added
    assert sohr.loc["2024-12-06", "low"] == 111  # Syria holds both: they leave the total
    assert sohr.loc["2024-12-09", "low"] == 111
    assert sohr.loc["2024-12-06", "ids"] == "syr-sohr-civilians-killed-2024-12-06"
    for day, step in sohr.iterrows():
        total = standing_totals(figures, date.fromisoformat(day))[SOHR_CIVILIANS]
        assert (step["low"], set(step["ids"].split(";"))) == (total.low, set(total.ids)), day
