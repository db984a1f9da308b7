"""The store picks a week's figures (figure_keys) exactly as the rules pick them in memory."""

from datetime import date

import pandas as pd
import pytest

from benchmarks.generate import synthetic_figures
from casualties.bundled.gaza_daily import load_gaza_daily
from casualties.model.weeks import parse_week
from casualties.reporting.candidates import week_candidates, week_figures
from casualties.reporting.summary import default_week, summary_from_store, weekly_summary
from casualties.store import ledger
from casualties.store.database import FigureFilter, Store
from casualties.store.query import FigureQuery, latest_day, matching_figures
from tests.test_gaza_daily import GAZA_FILE

EVERY = FigureQuery()


@pytest.fixture(scope="module")
def gaza(tmp_path_factory) -> Store:
    store = Store.create(tmp_path_factory.mktemp("gaza") / "gaza.db")
    load_gaza_daily(store, GAZA_FILE)
    return store


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Store:
    """5,000 generated figures: many sources, series, places, incidents and subsets."""
    store = Store.create(tmp_path_factory.mktemp("synthetic") / "synthetic.db")
    sources, publications, figures = synthetic_figures(5_000, seed=3)
    ledger.add_sources(store, sources)
    ledger.add_publications(store, publications)
    ledger.add_figures(store, figures)
    return store


def chosen_ids(store: Store, week: str, as_of: date | None, query=EVERY) -> tuple:
    """(ids the store picks, ids the rules pick from every matching figure)."""
    parsed = parse_week(week)
    picked = week_figures(store, query, parsed, as_of)
    every = matching_figures(store, query)
    expected = week_candidates(every, parsed, as_of)
    return sorted(picked["id"]), sorted(expected["id"])


def same_summary(store: Store, week: str | None, as_of: date | None, query=EVERY):
    every = matching_figures(store, query)
    parsed = parse_week(week) if week else default_week(every, as_of)
    expected = weekly_summary(every, parsed, as_of, places=query.places)
    shown_week, table = summary_from_store(store, query, parse_week(week) if week else None, as_of)
    assert shown_week == parsed
    pd.testing.assert_frame_equal(table, expected)
    return table


@pytest.mark.parametrize("week", ["2024-W48", "2024-W49", "2024-W50", "2014-W15"])
@pytest.mark.parametrize("as_of", [None, date(2024, 12, 5)])
def test_example_weeks(example_store, week, as_of):
    picked, expected = chosen_ids(example_store, week, as_of)
    assert picked == expected
    same_summary(example_store, week, as_of)


@pytest.mark.parametrize("week", ["2023-W41", "2023-W42", "2023-W52", "2024-W30", "2025-W10"])
@pytest.mark.parametrize("as_of", [None, date(2023, 12, 1)])
def test_gaza_weeks(gaza, week, as_of):
    picked, expected = chosen_ids(gaza, week, as_of)
    assert picked == expected
    assert len(picked) < len(matching_figures(gaza, FigureQuery())) / 10
    same_summary(gaza, week, as_of)


@pytest.mark.parametrize("week", ["2024-W20", "2025-W01", "2025-W52"])
@pytest.mark.parametrize("as_of", [None, date(2025, 6, 1)])
def test_synthetic_weeks(synthetic, week, as_of):
    picked, expected = chosen_ids(synthetic, week, as_of)
    assert picked == expected
    table = same_summary(synthetic, week, as_of)
    assert table["ids"].str.len().gt(0).all()


@pytest.mark.parametrize(
    "query",
    [
        FigureQuery(FigureFilter(metrics=("killed",))),
        FigureQuery(FigureFilter(groups=("children", "civilians"), sources=("sohr", "snhr"))),
        FigureQuery(places=("Idlib",)),
    ],
)
def test_filtered_summaries(synthetic, query):
    picked, expected = chosen_ids(synthetic, "2025-W30", None, query)
    assert picked == expected
    same_summary(synthetic, None, None, query)
    same_summary(synthetic, "2025-W30", date(2025, 7, 1), query)


def test_default_week_is_the_latest_with_figures(gaza, example_store):
    assert latest_day(gaza, FigureQuery()) == date.fromisoformat(gaza.figures()["period_end"].max())
    assert latest_day(example_store, FigureQuery(), as_of=date(2024, 12, 5)) is None
    assert latest_day(example_store, FigureQuery(), as_of=date(2024, 12, 6)) == date(2024, 12, 6)
    later = FigureQuery(FigureFilter(groups=("children",)))
    assert latest_day(example_store, later) == date(2024, 12, 1)
    same_summary(gaza, None, None)
    same_summary(gaza, None, date(2024, 1, 15))


def test_amended_and_retracted_figures_change_the_keys(example_store):
    ledger.retract_figure(example_store, "syr-wh-civilians-killed-2024-12-01", "wrong")
    ledger.amend_figure(
        example_store,
        "syr-sohr-civilians-killed-2024-12-06",
        {"value_low": 120, "value_best": 120, "value_high": 120},
        "recount",
    )
    picked, expected = chosen_ids(example_store, "2024-W49", None)
    assert "syr-wh-civilians-killed-2024-12-01" not in picked
    current = "SELECT id FROM figures WHERE is_current = 1 GROUP BY id HAVING count(*) > 1"
    assert example_store.connection.execute(current).fetchall() == []
    assert picked == expected
    table = same_summary(example_store, "2024-W49", None)
    assert "120" in set(table["latest"])


def test_a_store_made_before_figure_keys_gets_them(example_store, tmp_path):
    keys = "SELECT * FROM figure_keys ORDER BY figure"
    before = example_store.connection.execute(keys).fetchall()
    assert len(before) == 7
    example_store.connection.executescript("DROP TABLE figure_keys; PRAGMA user_version = 1;")
    path = example_store.path
    example_store.close()
    reopened = Store.open(path)
    assert reopened.connection.execute(keys).fetchall() == before


def definition_total(cumulative: pd.DataFrame, key: tuple, day: str) -> tuple:
    """A source's standing total from the rule's words: per place and anchor the newest
    report by then, leaving out a lane inside another (places inside or the same, anchor
    no earlier, the other's first report reaching that anchor); lows add, a missing best
    or high is missing; a counted lane is raised to what the lanes directly inside it
    hold (added where disjoint). Series here have one anchor per place unless stated."""
    from casualties.model.gazetteer import places_overlap, places_within
    from casualties.model.missing import count_or_none
    from casualties.model.series import recency

    reports = cumulative[
        (cumulative["source_id"] == key[0])
        & (cumulative["metric"] == key[1])
        & (cumulative["population_group"] == key[2])
        & (cumulative["period_end"] <= day)
    ]
    ordered = reports.assign(rank=recency(reports)).sort_values("rank")
    lanes = ordered.groupby(["place_codes", "period_start"]).tail(1)
    rows = list(lanes.itertuples(index=False))
    reports_of = {
        lane: list(group.itertuples(index=False))
        for lane, group in ordered.groupby(["place_codes", "period_start"], sort=False)
    }

    def reach(b, a) -> str:
        """How far lane b's count ran when the later of the two lanes first appeared."""
        first_a = reports_of[(a.place_codes, a.period_start)][0].rank
        before = [r for r in reports_of[(b.place_codes, b.period_start)] if r.rank < first_a]
        return (before[-1] if before else reports_of[(b.place_codes, b.period_start)][0]).period_end

    def inside(a, b) -> bool:
        same = (a.place_codes, a.period_start) == (b.place_codes, b.period_start)
        places = a.place_codes == b.place_codes or places_within(a.place_codes, b.place_codes)
        anchored = b.period_start <= a.period_start
        return (
            not same
            and places
            and anchored
            and (b.period_start == a.period_start or reach(b, a) >= a.period_start)
        )

    counted = [r for r in rows if not any(inside(r, o) for o in rows)]

    def total(column):
        values = [count_or_none(getattr(r, column)) for r in counted]
        return None if None in values else sum(values)

    low = sum(count_or_none(r.value_low) or 0 for r in counted)
    best, high = total("value_best"), total("value_high")
    ids = {r.id for r in counted}
    for outer in counted:
        held_in = [r for r in rows if r not in counted and inside(r, outer)]
        tops = [r for r in held_in if not any(inside(r, o) for o in held_in)]
        if not tops:
            continue
        lows = [count_or_none(r.value_low) or 0 for r in tops]
        disjoint = not any(
            places_overlap(a.place_codes, b.place_codes)
            for n, a in enumerate(tops)
            for b in tops[n + 1 :]
        )
        held = sum(lows) if disjoint else max(lows)
        if held > (count_or_none(outer.value_low) or 0):
            low += held - (count_or_none(outer.value_low) or 0)
            ob, oh = count_or_none(outer.value_best), count_or_none(outer.value_high)
            best = best + held - ob if best is not None and ob is not None and ob < held else best
            high = high + held - oh if high is not None and oh is not None and oh < held else high
            ids |= {r.id for r in (tops if disjoint else [tops[lows.index(held)]])}
    return low, best, high, ids


def test_weekly_standing_totals_follow_the_rule_as_written(synthetic):
    from casualties.model.missing import count_or_none
    from casualties.reporting.aggregation import weekly_table
    from casualties.reporting.candidates import eligible
    from casualties.reporting.workbook_tables import default_weeks

    figures = eligible(synthetic.figures())
    cumulative = figures[figures["basis"] == "cumulative"]
    table = weekly_table(figures, *default_weeks(figures))
    standing = table[table["standing_ids"] != ""]
    sample = standing.sample(400, random_state=7)
    for row in sample.itertuples():
        got = (
            int(row.standing_low),
            count_or_none(row.standing_best),
            count_or_none(row.standing_high),
            set(row.standing_ids.split(";")),
        )
        key = (row.source_id, row.metric, row.population_group)
        if row.unit != "people":
            continue
        assert got == definition_total(cumulative, key, row.week_end), (row.week, key)
    # The sample holds totals whose best is unknown: a missing best must not be carried over.
    assert sample["standing_best"].isna().any() and sample["standing_best"].notna().any()


def test_retracting_a_series_newest_report_brings_back_the_one_before(example_store):
    from tests.test_aggregation import cumulative

    ledger.add_figures(
        example_store,
        pd.DataFrame([cumulative("later", "2024-11-25", "2024-12-07", 130)]),
    )
    later = same_summary(example_store, "2024-W50", None)
    assert "130" in set(later["latest"])
    ledger.retract_figure(example_store, "later", "wrong day")
    picked, expected = chosen_ids(example_store, "2024-W50", None)
    assert picked == expected
    assert "111" in set(same_summary(example_store, "2024-W50", None)["latest"])
    newest = "SELECT count(*) FROM figure_keys WHERE latest GROUP BY series HAVING count(*) > 1"
    assert example_store.connection.execute(newest).fetchall() == []
