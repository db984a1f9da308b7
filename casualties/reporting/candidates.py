"""Which figures count at all, and which a week's numbers are made of.

Only active figures reported by the as-of day count (`eligible`). A week's
numbers need only each series' latest report before the week, the week's own
reports and each source's newest earlier incident (`week_candidates`); the
store makes the same choice without reading every figure (`week_figures`),
and tests/test_week_figures.py proves the two agree.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..model.series import SERIES_KEY, SOURCE_KEY, day_number, days, newest_positions, recency
from ..model.weeks import Week
from ..store.query import FigureQuery, inside_places, place_column

if TYPE_CHECKING:
    from ..model.frames import pd
    from ..store.database import Store

# The columns the rules read: aggregation works on these alone, for speed.
RULE_COLUMNS = [
    "id",
    "version",
    "status",
    "source_id",
    "metric",
    "population_group",
    "place_codes",
    "period_start",
    "period_end",
    "reported_on",
    "basis",
    "part_of",
    "value_low",
    "value_best",
    "value_high",
    "publication_ids",
]


def eligible(figures: pd.DataFrame, as_of: date | None = None) -> pd.DataFrame:
    """Active figures reported on or before `as_of` (all active ones when None)."""
    chosen = eligible_mask(figures, as_of)
    return figures.loc[chosen, [c for c in RULE_COLUMNS if c in figures.columns]]


def latest_by_series(figures: pd.DataFrame, by_day: date | None = None) -> pd.DataFrame:
    """Each cumulative series' latest report (period ending by `by_day`), and every incident."""
    from ..model.frames import pd

    cumulative = figures[figures["basis"] == "cumulative"]
    if by_day is not None:
        cumulative = cumulative[cumulative["period_end"] <= by_day.isoformat()]
    if cumulative.empty:
        latest = cumulative
    else:
        order = recency(cumulative)
        latest = cumulative.loc[order.groupby([cumulative[k] for k in SERIES_KEY]).idxmax()]
    incidents = figures[figures["basis"] != "cumulative"]
    return pd.concat([latest, incidents]) if not incidents.empty else latest


def week_candidates(figures: pd.DataFrame, week: Week, as_of: date | None = None) -> pd.DataFrame:
    """The figures one week's numbers are made of; the rules give the same week on these alone.

    Each cumulative series' latest report before the week, every report of
    the week, and each source's newest earlier incident per metric and group
    (a summary shows it where no total stands). Of a million figures this
    keeps a few percent, so the rules run on thousands of rows instead of
    the whole store.
    """
    import numpy as np

    end = days(figures["period_end"])
    known = eligible_mask(figures, as_of) & (end <= day_number(week.end))
    in_week = known & (end > day_number(week.previous().end))
    cumulative = (figures["basis"] == "cumulative").to_numpy()
    chosen = np.concatenate(
        [
            np.flatnonzero(in_week),
            newest_positions(figures, known & cumulative & ~in_week, SERIES_KEY),
            newest_positions(figures, known & ~cumulative & ~in_week, SOURCE_KEY),
        ]
    )
    kept = np.unique(chosen)
    columns = [c for c in RULE_COLUMNS if c in figures.columns]
    return by_id(figures.iloc[kept][columns])


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in id order: the same figures give the same table however they were read."""
    return frame.sort_values("id", kind="stable").reset_index(drop=True)


def eligible_mask(figures: pd.DataFrame, as_of: date | None):
    """Which figures are active and reported by `as_of`, for selecting before copying."""
    chosen = (figures["status"] == "active").to_numpy()
    if as_of is not None:
        chosen = chosen & (figures["reported_on"] <= as_of.isoformat()).to_numpy()
    return chosen


def week_figures(
    store: Store, query: FigureQuery, week: Week, as_of: date | None = None
) -> pd.DataFrame:
    """The rule columns of the figures a week's numbers are made of, chosen by the store.

    The same rows as week_candidates picks from all matching figures, without
    reading them all.
    """
    names = [*RULE_COLUMNS, *place_column(query, RULE_COLUMNS)]
    places = bool(query.places)
    frame = store.week_figures(week.start, week.end, as_of, query.where, names, places)
    if not places:
        return by_id(frame)
    # The store gave each place's newest incidents; of those inside, the rules pick.
    inside = frame[frame["place_codes"].map(inside_places(query.places)).astype(bool)]
    return week_candidates(inside, week, as_of)
