"""The tables charts draw: each source's running total over time, by place, and by week."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..model.counting import NEEDED_COLUMNS, counting_view, standing_mask
from ..model.series import days, recency
from ..model.weeks import Week, weeks_between
from .bounds import joined_ids
from .candidates import eligible, eligible_mask, latest_by_series
from .standing import standing_steps

if TYPE_CHECKING:
    from ..model.frames import pd

STEP_COLUMNS = [
    "id",
    "version",
    "source_id",
    "place_codes",
    "period_end",
    "reported_on",
    "value_low",
    "value_best",
    "value_high",
]


def standing_over_time(
    figures: pd.DataFrame, metric: str, group: str, as_of: date | None = None
) -> pd.DataFrame:
    """Each source's standing total in people after each of its report days: a toll chart's steps.

    Running totals and stocks alike (a metric is one or the other). Columns:
    source_id, day (the reports' period_end), low, best, high, ids, revision
    (a running total certainly fell at this report: its high under the low before).
    """
    # Masks first, then one copy of the few columns the steps read.
    wanted = eligible_mask(figures, as_of) & standing_mask(figures)
    wanted &= (figures["metric"] == metric).to_numpy()
    wanted &= (figures["population_group"] == group).to_numpy()
    columns = [c for c in dict.fromkeys([*STEP_COLUMNS, *NEEDED_COLUMNS]) if c in figures]
    chosen = counting_view(figures.loc[wanted, columns])
    chosen = chosen[chosen["unit"] == "people"]
    steps = standing_steps(chosen, ["source_id"], days(chosen["period_end"]))
    steps = steps.sort_values(["source_id", "_time"], kind="stable").reset_index(drop=True)
    previous = steps.groupby("source_id", sort=False)["low"].shift()
    fell = (steps["high"] < previous).fillna(False).astype(bool).to_numpy()
    running = not (chosen["kind"] == "stock").any()
    frame = steps.assign(
        day=steps["_time"].to_numpy().astype("int64").astype("datetime64[D]").astype(str),
        ids=[joined_ids(ids) for ids in steps["ids"]],
        revision=fell & running,
    )
    columns = ["source_id", "day", "low", "best", "high", "ids", "revision"]
    frame = frame[columns] if len(frame) else frame.reindex(columns=columns)
    return frame.astype({"low": "Int64", "best": "Int64", "high": "Int64", "revision": bool})


def latest_by_place(
    figures: pd.DataFrame, metric: str, group: str, as_of: date | None = None
) -> pd.DataFrame:
    """Each source's latest figure for each place: the bars of a by-place chart.

    Standing series (running totals, stocks) in people give their latest
    report; incidents are not set beside them (one day is not a toll).
    Columns: place_codes, source_id, low, best, high, period_end, ids.
    """
    chosen = eligible(figures, as_of)
    chosen = chosen[
        (chosen["metric"] == metric)
        & (chosen["population_group"] == group)
        & (chosen["unit"] == "people")
        & standing_mask(chosen)
        & chosen["part_of"].isna()
    ]
    latest = latest_by_series(chosen)
    order = recency(latest)
    newest = latest.loc[order.groupby([latest["place_codes"], latest["source_id"]]).idxmax()]
    return newest.rename(
        columns={"value_low": "low", "value_best": "best", "value_high": "high", "id": "ids"}
    )[["place_codes", "source_id", "low", "best", "high", "period_end", "ids"]].reset_index(
        drop=True
    )


COMPARE_COLUMNS = {
    "source_id": "source_id",
    "basis": "basis",
    "anchor": "anchor",
    "latest_low": "low",
    "latest_best": "best",
    "latest_high": "high",
    "period_end": "period_end",
    "reported_on": "reported_on",
    "flags": "flags",
    "ids": "ids",
}


def sources_compared(
    figures: pd.DataFrame,
    metric: str,
    group: str,
    week: Week,
    as_of: date | None = None,
    places: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Each source's latest count of one metric and group: the summary's own rows, one per
    source and series, for a chart setting them side by side with their dates.

    The summary's 'all sources' range rows are left out (the bars are the sources),
    and so are counts not in people. Columns: source_id, basis, anchor, low, best,
    high, period_end, reported_on, flags, ids.
    """
    from .summary import weekly_summary

    return compared_rows(weekly_summary(figures, week, as_of, places=places), metric, group)


def compared_rows(table: pd.DataFrame, metric: str, group: str) -> pd.DataFrame:
    """The rows of a weekly summary a comparison chart of one metric and group draws."""
    chosen = (table["metric"] == metric) & (table["population_group"] == group)
    chosen &= (table["unit"] == "people") & ~table["source_id"].str.startswith("all sources")
    rows = table.loc[chosen, list(COMPARE_COLUMNS)].rename(columns=COMPARE_COLUMNS)
    rows = rows.astype({"low": "Int64", "best": "Int64", "high": "Int64"})
    return rows.sort_values(["source_id", "basis", "anchor"], kind="stable").reset_index(drop=True)


def weekly_changes_by_source(
    rows: pd.DataFrame, last: Week, most_weeks: int
) -> tuple[pd.DataFrame, tuple[str, str] | None]:
    """The week's change in people of each source, one column per source: a weekly bar chart.

    `rows` are the Weekly sheet's (week_words.week_rows). Of the flows in
    people, the metric and group with the most weeks among the last
    `most_weeks` to `last` is drawn, from its first such week to `last`; a
    week without a row stays blank (no report is not a zero). Each bar is
    the week's best change, else its certain (low) part.
    """
    from ..model.frames import pd

    window = weeks_between(_weeks_before(last, most_weeks), last)
    labels = [w.label for w in window]
    flows = rows[(rows["unit"] == "people") & (rows["basis"] != "stock")]
    flows = flows[flows["week"].isin(labels)]
    if flows.empty:
        return pd.DataFrame({"week": pd.Series(dtype=object)}), None
    counts = flows.groupby(["metric", "population_group"], sort=False)["week"].nunique()
    metric, group = max(counts.index, key=lambda key: (counts[key], -_position(key)))
    chosen = flows[(flows["metric"] == metric) & (flows["population_group"] == group)]
    change = chosen["change_best"].fillna(chosen["change_low"])
    wide = chosen.assign(change=change).pivot_table(
        index="week", columns="source_id", values="change", aggfunc="sum"
    )
    shown = labels[labels.index(min(chosen["week"], key=labels.index)) :]
    wide = wide.reindex(shown).astype("Int64").rename_axis(columns=None)
    return wide.reset_index(names="week"), (metric, group)


def _weeks_before(last: Week, count: int) -> Week:
    week = last
    for _ in range(count - 1):
        week = week.previous()
    return week


def _position(key: tuple[str, str]) -> int:
    """Where a metric and group come in the vocabularies' order (earlier wins a tie)."""
    from ..model import contract

    metrics, groups = contract.terms("metric"), contract.terms("population_group")
    metric = metrics.index(key[0]) if key[0] in metrics else len(metrics)
    group = groups.index(key[1]) if key[1] in groups else len(groups)
    return metric * 1000 + group
