"""Honest numbers: one small store per situation an analyst meets, each answer worked by hand.

Each situation adds a few figures to the seed example store (its figures are
killed, displaced and Homs 2014: the situations count other metrics or places
so as not to meet them) and states what the summary must print for one row.
The arithmetic behind every expected number is written beside it.
"""

import json
from datetime import date

import pandas as pd
import pytest

from casualties.model.weeks import parse_week
from casualties.reporting.summary import summary_from_store, weekly_summary
from casualties.store.ledger import add_figures
from casualties.store.query import FigureQuery
from tests.test_validation import figure

W49, W50 = parse_week("2024-W49"), parse_week("2024-W50")


def flow(id_, day, low, best=None, high=None, source="white-helmets", **more) -> dict:
    """An incident (a one-day toll) of `source`, reported on its day."""
    stated = more.pop("qualifier", "between")
    qualifier = "exact" if low == high == best else stated
    return figure(
        id=id_,
        metric=more.pop("metric", "injured"),
        population_group=more.pop("population_group", "civilians"),
        period_start=more.pop("period_start", day),
        period_end=day,
        reported_on=more.pop("reported_on", day),
        value_low=low,
        value_best=best,
        value_high=high,
        qualifier=qualifier,
        source_id=source,
        quote=f"quote of {id_}",
        **more,
    )


def exact(id_, day, value, **more) -> dict:
    return flow(id_, day, value, value, value, **more)


def running(id_, since, day, low, best=None, high=None, **more) -> dict:
    """A running total since `since`, as of `day`."""
    more.setdefault("qualifier", "exact" if low == high == best else "between")
    return flow(id_, day, low, best, high, basis="cumulative", period_start=since, **more)


def level(id_, day, value, **more) -> dict:
    """A stock standing on `day`: IDPs present."""
    return exact(id_, day, value, metric="idps", population_group="people", basis="stock", **more)


def summary_row(store, figures: list[dict], week, source="white-helmets", **match) -> pd.Series:
    add_figures(store, pd.DataFrame(figures))
    table = weekly_summary(store.figures(), week, match.pop("as_of", None))
    chosen = table["source_id"] == source
    for column, value in {"metric": "injured", "population_group": "civilians", **match}.items():
        chosen &= table[column] == value
    assert chosen.sum() == 1, table[["source_id", "metric", "population_group", "latest"]]
    return table[chosen].iloc[0]


# (situation, figures, week, which row, {column: expected}); numbers worked by hand.
SITUATIONS = [
    (
        "households with a size count as people: 100 households × 5 + 300 people = 800",
        [
            flow("hh", "2024-12-09", 100, 100, 100, household_size=5.0, unit="households"),
            exact("pp", "2024-12-10", 300, place_codes="SY05", place_reported="Hama"),
        ],
        W50,
        {},
        {"week_change": "+800", "unit": "people", "latest_low": 300},
    ),
    (
        "households without a size stay households, never added to people",
        [
            flow("hh", "2024-12-09", 40, 40, 40, unit="households"),
            exact("pp", "2024-12-10", 300, place_codes="SY05", place_reported="Hama"),
        ],
        W50,
        {"unit": "households"},
        {"week_change": "+40", "latest": "40", "ids": "hh"},
    ),
    (
        "a stock's week shows its level and net change: 52,000 → 47,000 is net −5,000",
        [
            level("i1", "2024-11-29", 50_000),
            level("i2", "2024-12-06", 52_000),
            level("i3", "2024-12-13", 47_000),
        ],
        W50,
        {"metric": "idps", "population_group": "people"},
        {
            "latest": "47,000",
            "basis": "stock",
            "week_change": "net −5,000",
            "change_low": -5000,
            "revision_low": pd.NA,
            "ids": "i3",
        },
    ),
    (
        "a stock's rise is net too: 50,000 → 52,000 is net +2,000, never +102,000",
        [
            level("i1", "2024-11-29", 50_000),
            level("i2", "2024-12-06", 52_000),
        ],
        W49,
        {"metric": "idps", "population_group": "people"},
        {"latest": "52,000", "week_change": "net +2,000"},
    ),
    (
        "triangulation and discounted figures are never counted",
        [
            exact("rec", "2024-12-10", 40),
            exact("tri", "2024-12-11", 60, role="triangulation", place_codes="SY05"),
            exact("dis", "2024-12-12", 80, grade="discounted", place_codes="SY04"),
        ],
        W50,
        {"flags": ""},
        {"latest": "40", "week_change": "+40", "ids": "rec"},
    ),
    (
        "a triangulation figure is shown beside the totals, marked",
        [
            exact("rec", "2024-12-10", 40),
            exact("tri", "2024-12-11", 60, role="triangulation", place_codes="SY05"),
        ],
        W50,
        {"ids": "tri"},
        {"latest": "60", "flags": "not counted: triangulation", "week_change": ""},
    ),
    (
        "two running totals of one place with different anchors: the longer holds the shorter",
        [
            running("war-1", "2011-03-15", "2024-12-05", 5000, 5000, 5000, place_codes="SYR"),
            running("war-2", "2011-03-15", "2024-12-12", 5100, 5100, 5100, place_codes="SYR"),
            running("truce", "2024-12-09", "2024-12-13", 40, 40, 40, place_codes="SYR"),
        ],
        W50,
        {},
        {"latest": "5,100", "week_change": "+100", "revision_low": pd.NA, "ids": "war-2"},
    ),
    (
        "a count begun after another stopped is added, until the other runs past its start",
        [
            running("war-1", "2011-03-15", "2024-11-28", 5000, 5000, 5000, place_codes="SYR"),
            # Begun after "since the war began" last stood: 5,000 + 40 in 2024-W49 ...
            running("truce", "2024-12-02", "2024-12-05", 40, 40, 40, place_codes="SYR"),
            # ... until that count runs past the truce's start and holds its 40: 5,100.
            running("war-2", "2011-03-15", "2024-12-12", 5100, 5100, 5100, place_codes="SYR"),
        ],
        W50,
        {},
        {"latest": "5,100", "week_change": "+60", "ids": "war-2"},
    ),
    (
        "between 100 and 150 → between 180 and 200: [180 − 150, 200 − 100] = +30–100",
        [
            running("b1", "2024-11-25", "2024-12-05", 100, None, 150),
            running("b2", "2024-11-25", "2024-12-12", 180, None, 200),
        ],
        W50,
        {},
        {"week_change": "+30–100", "change_low": 30, "change_high": 100},
    ),
    (
        "at least 25 → 111: [max(0, 111 − ∞), 111 − 25] = +0–86",
        [
            running("a1", "2024-11-25", "2024-12-05", 25, qualifier="at_least"),
            running("a2", "2024-11-25", "2024-12-12", 111, 111, 111),
        ],
        W50,
        {},
        {"week_change": "+0–86", "change_low": 0, "change_high": 86, "revision_low": pd.NA},
    ),
    (
        "tens of thousands → 25,000 is no revision: [max(0, 25,000 − 99,999), 25,000 − 20,000]",
        [
            running(
                "v1",
                "2024-11-25",
                "2024-12-05",
                20000,
                None,
                99999,
                qualifier="vague",
                value_words="tens of thousands",
            ),
            running("v2", "2024-11-25", "2024-12-12", 25000, 25000, 25000),
        ],
        W50,
        {},
        {"week_change": "+0–5,000", "revision_low": pd.NA},
    ),
    (
        "a certain fall is a revision with its bounds: [100, 150] → [60, 90] fell 10 to 90",
        [
            running("f1", "2024-11-25", "2024-12-05", 100, None, 150),
            running("f2", "2024-11-25", "2024-12-12", 60, None, 90),
        ],
        W50,
        {},
        {"week_change": "revised −10 to −90", "revision_low": 10, "revision_high": 90},
    ),
    (
        "an open upper bound stays open: at least 25 is ≥25",
        [running("o1", "2024-11-25", "2024-12-12", 25, qualifier="at_least")],
        W50,
        {},
        {"latest": "≥25", "latest_high": pd.NA, "latest_open": True},
    ),
    (
        "about 300 is ~300 with the approximate bounds (10 %), never 0",
        [flow("ab", "2024-12-12", None, 300, None, qualifier="about")],
        W50,
        {},
        {"latest": "~300 (270–330)", "latest_low": 270, "latest_best": 300, "latest_high": 330},
    ),
    (
        "UCDP-style low/best/high travel together: 5 / 16 / 18",
        [flow("u1", "2024-12-12", 5, 16, 18, qualifier="between")],
        W50,
        {},
        {"latest": "~16 (5–18)", "week_change": "~+16 (+5–18)", "change_best": 16},
    ),
    (
        "a change over four silent weeks says since when: 1,000 (11-08) → 1,600 (12-13)",
        [
            running("s1", "2024-10-01", "2024-11-08", 1000, 1000, 1000),
            running("s2", "2024-10-01", "2024-12-13", 1600, 1600, 1600),
        ],
        W50,
        {},
        {"week_change": "+600 since 2024-11-08", "change_since": "2024-11-08"},
    ),
    (
        "two same-day reports that disagree are shown as a conflict with both values",
        [
            running("c1", "2024-11-25", "2024-12-12", 111, 111, 111),
            running("c2", "2024-11-25", "2024-12-12", 120, 120, 120),
        ],
        W50,
        {},
        {"flags": "conflict: 111 (c1) vs 120 (c2), both for 2024-12-12"},
    ),
    (
        "a series new to a total that counts from before is partly unknown: +100 known, ≤3,100",
        [
            running("idlib-1", "2011-03-15", "2024-12-05", 5000, 5000, 5000, place_codes="SY07"),
            running("idlib-2", "2011-03-15", "2024-12-12", 5100, 5100, 5100, place_codes="SY07"),
            # Hama, first counted this week, "since the war began": not all of it is new.
            running("hama-1", "2011-03-15", "2024-12-12", 3000, 3000, 3000, place_codes="SY05"),
        ],
        W50,
        {},
        {
            "latest": "8,100",
            "week_change": "+100–3,100, partly unknown",
            "change_low": 100,
            "change_high": 3100,
            "change_best": pd.NA,
        },
    ),
    (
        "a country's 100 cannot hide its own Idlib's 111: the total is at least 111",
        [
            running("idlib", "2024-11-25", "2024-12-10", 111, 111, 111, place_codes="SY07"),
            running("syria", "2024-11-25", "2024-12-12", 100, 100, 100, place_codes="SYR"),
        ],
        W50,
        {},
        {"latest": "111", "latest_low": 111, "ids": "syria;idlib"},
    ),
    (
        "a subset counted last week never adds to its parent this week: 5 then 50 is 50, not 55",
        [
            exact("market", "2024-12-08", 5, part_of="toll", place_codes="SY07"),
            exact("toll", "2024-12-10", 50, period_start="2024-12-08", place_codes="SY07"),
        ],
        W50,
        {},
        {"week_change": "+45", "change_low": 45},
    ),
    (
        "a correction reported this week for last week is flagged now, naming its week",
        [
            running("w49", "2024-11-25", "2024-12-05", 150, 150, 150),
            running("fix", "2024-11-25", "2024-12-05", 140, 140, 140, reported_on="2024-12-11"),
        ],
        W50,
        {},
        {
            "flags": "stale: latest ends 2024-12-05; "
            "back-dated: for 2024-W49, reported 2024-12-11 (fix)",
            "latest": "140",
        },
    ),
    (
        "a correction that supersedes last week's figure names it",
        [
            running("w49", "2024-11-25", "2024-12-05", 150, 150, 150),
            running(
                "fix",
                "2024-11-25",
                "2024-12-05",
                140,
                140,
                140,
                reported_on="2024-12-11",
                supersedes="w49",
            ),
        ],
        W50,
        {},
        {
            "flags": "stale: latest ends 2024-12-05; "
            "back-dated: for 2024-W49, reported 2024-12-11 (fix, correcting w49)",
            "latest": "140",
        },
    ),
    (
        "running totals sharing ground give [largest, sum], never an exact sum: 40–70",
        [
            running(
                "idlib-aleppo", "2024-11-25", "2024-12-10", 40, 40, 40, place_codes="SY07;SY02"
            ),
            running("aleppo-hama", "2024-11-25", "2024-12-11", 30, 30, 30, place_codes="SY02;SY05"),
        ],
        W50,
        {},
        {"latest": "40–70", "latest_best": pd.NA, "latest_low": 40, "latest_high": 70},
    ),
    (
        "an incident that began in the week before is marked as spanning weeks",
        [flow("sp", "2024-12-10", 12, 12, 12, period_start="2024-12-07")],
        W50,
        {},
        {"flags": "spans weeks: sp from 2024-12-07"},
    ),
    (
        "a subset stands under its own parent only: 7 children in Aleppo are not of 40 in Idlib",
        [
            exact("idlib", "2024-12-10", 40),
            exact(
                "aleppo-children",
                "2024-12-10",
                7,
                population_group="children",
                place_codes="SY02",
                place_reported="Aleppo",
            ),
        ],
        W50,
        {"population_group": "children"},
        {"depth": 0, "parent_id": ""},
    ),
    (
        "a subset stands under its parent at its depth: children of civilians of people",
        [
            exact("all", "2024-12-10", 50, population_group="people"),
            exact("civ", "2024-12-10", 40, part_of="all"),
            exact("kids", "2024-12-10", 9, population_group="children", part_of="civ"),
        ],
        W50,
        {"population_group": "children"},
        {"depth": 2, "parent_id": "civ", "latest": "9"},
    ),
]


@pytest.mark.parametrize(
    ("figures", "week", "match", "expected"),
    [s[1:] for s in SITUATIONS],
    ids=[s[0] for s in SITUATIONS],
)
def test_situation(example_store, figures, week, match, expected):
    row = summary_row(example_store, figures, week, **match)
    shown = {column: row[column] for column in expected}
    normalised = {k: (pd.NA if pd.isna(v) else v) for k, v in shown.items()}
    assert normalised == expected


def test_ranges_hold_like_with_like_and_open_bounds_stay_open(example_store):
    add_figures(
        example_store,
        pd.DataFrame(
            [
                running("sohr-1", "2024-11-25", "2024-12-12", 111, 111, 111, source="sohr"),
                running("wh-1", "2024-11-25", "2024-12-13", 200, qualifier="at_least"),
                # An incident of a third source: not like a running total, no range with it.
                exact("afp-1", "2024-12-13", 30, source="afp"),
            ]
        ),
    )
    table = weekly_summary(example_store.figures(), W50)
    ranges = table[(table["source_id"] == "all sources (2)") & (table["metric"] == "injured")]
    assert ranges[["latest", "latest_low", "sources", "latest_open"]].values.tolist() == [
        ["111 to ≥200", 111, 2, True]
    ]
    assert pd.isna(ranges.iloc[0]["latest_high"])
    assert set(ranges.iloc[0]["ids"].split(";")) == {"sohr-1", "wh-1"}


def test_a_stale_source_is_dated_and_left_out_of_the_range(example_store):
    add_figures(
        example_store,
        pd.DataFrame(
            [
                running("sohr-1", "2024-11-01", "2024-12-12", 111, 111, 111, source="sohr"),
                running("wh-old", "2024-11-01", "2024-11-20", 90, 90, 90),
            ]
        ),
    )
    table = weekly_summary(example_store.figures(), W50)
    injured = table[table["metric"] == "injured"]
    old = injured[injured["source_id"] == "white-helmets"].iloc[0]
    assert old["flags"] == "stale: latest ends 2024-11-20"
    assert not injured["source_id"].str.startswith("all sources").any()
    # A window of four weeks takes it back in: 90–111.
    wide = weekly_summary(example_store.figures(), W50, window=4)
    ranged = wide[(wide["metric"] == "injured") & wide["source_id"].str.startswith("all")]
    assert ranged["latest"].tolist() == ["90–111"]


def test_as_of_replays_what_had_been_reported_before_a_correction(example_store):
    add_figures(
        example_store,
        pd.DataFrame([running("first", "2024-11-25", "2024-12-05", 150, 150, 150)]),
    )
    correction = running(
        "corrected", "2024-11-25", "2024-12-05", 100, 100, 100, reported_on="2024-12-07"
    )
    add_figures(example_store, pd.DataFrame([{**correction, "supersedes": "first"}]))
    figures = example_store.figures()

    def latest(as_of):
        table = weekly_summary(figures, W49, as_of)
        chosen = (table["metric"] == "injured") & (table["source_id"] == "white-helmets")
        return table[chosen].iloc[0][["latest", "ids"]].tolist()

    # On 12-06 SOHR had not yet corrected itself: its 150 stood.
    assert latest(date(2024, 12, 6)) == ["150", "first"]
    assert latest(date(2024, 12, 8)) == ["100", "corrected"]
    assert latest(None) == ["100", "corrected"]
    # The store's own choice of the week's figures replays the same way.
    _, table = summary_from_store(example_store, FigureQuery(), W49, date(2024, 12, 6))
    chosen = (table["metric"] == "injured") & (table["source_id"] == "white-helmets")
    assert table[chosen].iloc[0]["ids"] == "first"


def test_retracting_a_parent_names_its_subsets_and_validate_reports_them(tmp_path):
    from click.testing import CliRunner

    from casualties.cli.app import cli

    db = str(tmp_path / "example.db")

    def run(*args):
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    assert run("init", "--example").exit_code == 0
    parent = "syr-wh-civilians-killed-2024-12-01"
    said = run("retract", parent, "--reason", "test: wrongly entered").output
    assert "syr-wh-children-killed-2024-12-01, syr-wh-women-killed-2024-12-01" in said
    checked = run("validate")
    assert checked.exit_code == 1
    where = "figures:syr-wh-children-killed-2024-12-01:part_of"
    assert f"{where}: is part of {parent}, which is retracted" in checked.output
    # In the summary the children stand on their own, under no other figure.
    table = run("summary", "--week", "2024-W48", "--format", "json").output
    children = [r for r in json.loads(table) if r["population_group"] == "children"]
    assert [(c["depth"], c["parent_id"]) for c in children] == [(0, "")]


def test_a_figure_reaching_beyond_the_place_asked_for_is_flagged(example_store):
    # The White Helmets' 25 civilians of Sunday are in "Idlib and rural Aleppo" (SY07;SY02).
    for place, beyond in (("Idlib", "SY02"), ("Aleppo", "SY07")):
        _, table = summary_from_store(
            example_store, FigureQuery(places=(place,)), parse_week("2024-W48"), None
        )
        civilians = table[table["population_group"] == "civilians"].iloc[0]
        assert civilians["latest"] == "≥25"
        assert f"beyond place: also counts {beyond}" in civilians["flags"]


@pytest.mark.parametrize(
    ("figures", "week"), [s[1:3] for s in SITUATIONS], ids=[s[0] for s in SITUATIONS]
)
def test_the_workbook_says_what_the_summary_says(example_store, figures, week):
    """One computation: every changed summary row is the Weekly sheet's row for that week."""
    from casualties.reporting.aggregation import weekly_table
    from casualties.reporting.week_words import week_rows

    add_figures(example_store, pd.DataFrame(figures))
    every = example_store.figures()
    summary = weekly_summary(every, week)
    sheet = week_rows(weekly_table(every, parse_week("2024-W45"), week))
    sheet = sheet[sheet["week"] == week.label]
    key = ["metric", "population_group", "source_id", "unit"]
    for row in summary[summary["week_change"] != ""].itertuples():
        found = sheet[(sheet[key] == [getattr(row, k) for k in key]).all(axis=1)]
        assert found[["total", "week_change", "change_ids"]].values.tolist() in (
            [[row.latest, row.week_change, row.change_ids]],
            [["", row.week_change, row.change_ids]],  # an incident: no total stands
        ), row
