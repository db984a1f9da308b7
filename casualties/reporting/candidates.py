"""Which figures count at all, and which a week's numbers are made of.

A figure counts (`eligible`) when it is recommended and not graded
discounted, and was standing on the as-of day: reported by then, active, or
superseded only by a correction reported after that day (the source had not
yet corrected itself). An amendment or retraction of our own entry applies
at every date: it fixes our record of what was published. A week's
numbers need only each series' latest report before the week, the week's own
reports and each source's newest earlier incident (`week_candidates`); the
store makes the same choice without reading every figure (`week_figures`),
and tests/test_week_figures.py proves the two agree.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..model.counting import NEEDED_COLUMNS, counting_view, counts_mask, standing_mask
from ..model.series import SERIES_KEY, SOURCE_KEY, day_number, days, newest_positions, recency
from ..model.weeks import Week
from ..store.query import FigureQuery, inside_places, matching_figures, place_column

if TYPE_CHECKING:
    from ..model.frames import pd
    from ..store.database import Store

# The columns the rules read: aggregation works on these alone, for speed.
RULE_COLUMNS = list(
    dict.fromkeys(
        [
            "id",
            "version",
            "status",
            "role",
            "grade",
            "supersedes",
            "source_id",
            "metric",
            "population_group",
            "place_codes",
            "period_start",
            "period_end",
            "reported_on",
            "part_of",
            "publication_ids",
            *NEEDED_COLUMNS,
        ]
    )
)


# What the rules read of figures the store chose through its keys: those hold
# counting figures only (recommended, not discounted) and give counts in people
# where a household size is known, so role, grade and the people columns are
# not read (a third of the time of a million-figure summary).
KEYED_COLUMNS = [
    c
    for c in RULE_COLUMNS
    if c not in ("role", "grade", "household_size") and not c.startswith("people_")
]


def eligible(figures: pd.DataFrame, as_of: date | None = None) -> pd.DataFrame:
    """The figures that count as of `as_of` (all standing now when None), as the rules read them."""
    chosen = eligible_mask(figures, as_of)
    columns = [c for c in RULE_COLUMNS if c in figures.columns]
    return counting_view(figures.loc[chosen, columns])


def latest_by_series(figures: pd.DataFrame, by_day: date | None = None) -> pd.DataFrame:
    """Each standing series' latest report (period ending by `by_day`), and every incident."""
    from ..model.frames import pd

    figures = counting_view(figures)
    cumulative = figures[standing_mask(figures)]
    if by_day is not None:
        cumulative = cumulative[cumulative["period_end"] <= by_day.isoformat()]
    if cumulative.empty:
        latest = cumulative
    else:
        order = recency(cumulative)
        latest = cumulative.loc[order.groupby([cumulative[k] for k in SERIES_KEY]).idxmax()]
    incidents = figures[~standing_mask(figures)]
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

    figures = counting_view(figures)
    end = days(figures["period_end"])
    known = eligible_mask(figures, as_of) & (end <= day_number(week.end))
    in_week = known & (end > day_number(week.previous().end))
    cumulative = standing_mask(figures)
    # An earlier subset of a parent in the week: counted before, it comes off the parent.
    parents = figures["id"].to_numpy()[in_week]
    earlier_parts = known & ~in_week & figures["part_of"].isin(parents).to_numpy()
    # Reported in the week about an earlier one: the week it became known flags it.
    reported = figures["reported_on"].to_numpy()
    back_dated = known & ~in_week & (reported >= week.start.isoformat())
    back_dated &= reported <= week.end.isoformat()
    chosen = np.concatenate(
        [
            np.flatnonzero(in_week),
            newest_positions(figures, known & cumulative & ~in_week, SERIES_KEY),
            newest_positions(figures, known & ~cumulative & ~in_week, SOURCE_KEY),
            np.flatnonzero(earlier_parts),
            np.flatnonzero(back_dated),
        ]
    )
    kept = np.unique(chosen)
    columns = [c for c in (*RULE_COLUMNS, "kind", "anchor") if c in figures.columns]
    return by_id(_as_they_stood(figures.iloc[kept][columns], as_of))


def _as_they_stood(chosen: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    """The chosen figures with the status they had on `as_of`.

    A figure corrected after that day was active then; its correction is not
    among the figures chosen, so the status says it.
    """
    if as_of is None or not (chosen["status"] == "superseded").any():
        return chosen
    return chosen.assign(status="active")


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in id order: the same figures give the same table however they were read."""
    return frame.sort_values("id", kind="stable").reset_index(drop=True)


def eligible_mask(figures: pd.DataFrame, as_of: date | None):
    """Which figures count as of `as_of`, for selecting before copying (numpy booleans)."""
    return standing_on(figures, as_of) & counts_mask(figures)


def standing_on(figures: pd.DataFrame, as_of: date | None):
    """Which figures stood on `as_of` (all active ones when None), counted or not."""
    active = (figures["status"] == "active").to_numpy()
    if as_of is None:
        return active
    day = as_of.isoformat()
    reported = (figures["reported_on"] <= day).to_numpy()
    return (active | _corrected_after(figures, day)) & reported


def _corrected_after(figures: pd.DataFrame, day: str):
    """Superseded figures whose correction was reported after `day`: they stood that day."""
    import numpy as np

    superseded = (figures["status"] == "superseded").to_numpy()
    if not superseded.any() or "supersedes" not in figures.columns:
        return np.zeros(len(figures), dtype=bool)
    corrections = figures[figures["supersedes"].notna()]
    corrected_on = corrections.groupby("supersedes")["reported_on"].min()
    on = figures["id"].map(corrected_on).astype(object).fillna("")
    # A superseded figure whose correction is not among these figures stays out.
    return superseded & (on > day).to_numpy(dtype=bool)


def week_figures(
    store: Store, query: FigureQuery, week: Week, as_of: date | None = None
) -> pd.DataFrame:
    """The rule columns of the figures a week's numbers are made of, chosen by the store.

    The same rows as week_candidates picks from all matching figures, without
    reading them all.
    """
    from ..model.frames import pd

    if query.stored_at or (as_of is not None and store.corrected_after(as_of)):
        # The store keeps keys of its current active figures only: a store read
        # as it stood earlier, or a figure corrected since the day replayed (it
        # stood then), needs the week chosen from all the figures.
        return week_candidates(matching_figures(store, query, RULE_COLUMNS), week, as_of)
    names = [*KEYED_COLUMNS, *place_column(query, KEYED_COLUMNS)]
    places = bool(query.places)
    frame = store.week_figures(week.start, week.end, as_of, query.where, names, places)
    parents = frame.loc[frame["period_end"] >= week.start.isoformat(), "id"].tolist()
    parts = store.counted_subsets(parents, week.start, as_of, query.where, names)
    frame = pd.concat([frame, parts[~parts["id"].isin(frame["id"])]], ignore_index=True)
    if not places:
        return by_id(frame)
    # The store gave each place's newest incidents; of those inside, the rules pick.
    inside = frame[frame["place_codes"].map(inside_places(query.places)).astype(bool)]
    return week_candidates(inside, week, as_of)
