"""The aggregation rules: what may be added up, and what may only be set side by side.

- A cumulative series is one source's running total of one metric for one
  group, place and anchor (period_start). Its value at a day is its latest
  active report whose period ends by then; a week's change is the difference
  of the values standing at the ends of consecutive weeks; a fall is a
  revision, never a negative count.
- A source's standing total adds its cumulative series only where their
  places are disjoint; a series whose place lies inside another's is left out
  (the broader count already holds it).
- Incident figures of one source are summed over a week only when neither is
  a subset of the other, their places and days don't overlap, and no
  cumulative series of the same source covers them (the cumulative wins).
  Overlapping incidents count as at least the largest and at most their sum.
- Across sources nothing is summed: each source's figure is given, and the
  range from the lowest low to the highest figure, with the number of sources.
- Bounds travel: lows add, highs add only when all are known ("at least 25" +
  "111" = "at least 136"), a missing best makes the total's best missing.
- Every number carries the ids of the figures it was computed from.

Everything here returns pandas tables; nothing is drawn, written or printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from . import contract
from .gazetteer import default_gazetteer
from .weeks import Week

if TYPE_CHECKING:
    import pandas as pd

SERIES_KEY = ["source_id", "metric", "population_group", "place_codes", "period_start"]
SOURCE_KEY = ["source_id", "metric", "population_group"]
GROUP_KEY = ["metric", "population_group"]
SEP = contract.LIST_SEPARATOR


@dataclass(frozen=True)
class Bounds:
    """A count with its bounds and the figures it came from; high None = unbounded."""

    low: int
    best: int | None
    high: int | None
    ids: tuple[str, ...]

    def __add__(self, other: Bounds) -> Bounds:
        return Bounds(
            self.low + other.low,
            None if self.best is None or other.best is None else self.best + other.best,
            None if self.high is None or other.high is None else self.high + other.high,
            self.ids + other.ids,
        )


ZERO = Bounds(0, 0, 0, ())


def eligible(figures: pd.DataFrame, as_of: date | None = None) -> pd.DataFrame:
    """Active figures reported on or before `as_of` (all active ones when None)."""
    chosen = figures["status"] == "active"
    if as_of is not None:
        chosen &= figures["reported_on"] <= as_of.isoformat()
    return figures[chosen]


def latest_by_series(figures: pd.DataFrame, by_day: date | None = None) -> pd.DataFrame:
    """Each cumulative series' latest report (period ending by `by_day`), and every incident."""
    import pandas as pd

    cumulative = figures[figures["basis"] == "cumulative"]
    if by_day is not None:
        cumulative = cumulative[cumulative["period_end"] <= by_day.isoformat()]
    if cumulative.empty:
        latest = cumulative
    else:
        order = _recency(cumulative)
        latest = cumulative.loc[order.groupby([cumulative[k] for k in SERIES_KEY]).idxmax()]
    incidents = figures[figures["basis"] != "cumulative"]
    return pd.concat([latest, incidents]) if not incidents.empty else latest


def _recency(frame: pd.DataFrame) -> pd.Series:
    """A number that orders reports by period end, then report day, then version."""
    import pandas as pd

    end = _days(frame["period_end"])
    reported = _days(frame["reported_on"])
    version = frame["version"].to_numpy().astype("int64") % 2**8
    return pd.Series(end * 2**32 + reported * 2**8 + version, index=frame.index)


def _days(dates: pd.Series):
    """Days since 1970 of ISO date strings, as int64."""
    return dates.to_numpy().astype("datetime64[D]").astype("int64")


def bounds_of(rows: pd.DataFrame) -> Bounds:
    """The sum of the rows' figures, bounds kept (use only where adding is allowed)."""
    low = int(rows["value_low"].fillna(0).sum())
    best = None if rows["value_best"].isna().any() else int(rows["value_best"].sum())
    high = None if rows["value_high"].isna().any() else int(rows["value_high"].sum())
    return Bounds(low, best, high, tuple(rows["id"]))


def standing_totals(figures: pd.DataFrame, day: date) -> dict[tuple, Bounds]:
    """Each source's cumulative total per metric and group standing at the end of `day`."""
    latest = latest_by_series(figures[figures["basis"] == "cumulative"], day)
    totals = {}
    for key, series in latest.groupby(SOURCE_KEY, sort=False):
        kept = _broadest_places(series)
        totals[key] = bounds_of(kept)
    return totals


def _broadest_places(series: pd.DataFrame) -> pd.DataFrame:
    """Series whose places lie inside no other series' places; the latest of equals."""
    if len(series) == 1:
        return series
    series = series.loc[_recency(series).sort_values(ascending=False).index]
    kept: list = []
    for index, places in zip(series.index, series["place_codes"], strict=True):
        if not any(places_within(places, series.at[k, "place_codes"]) for k in kept):
            kept.append(index)
    return series.loc[kept]


def places_within(inner: str, outer: str) -> bool:
    """Whether every place of `inner` lies in one of `outer` (codes ';'-separated)."""
    gazetteer = default_gazetteer()
    areas = outer.split(SEP)
    return all(any(gazetteer.within(c, a) for a in areas) for c in inner.split(SEP))


def places_overlap(first: str, second: str) -> bool:
    """Whether two place lists share any ground (one place inside the other)."""
    gazetteer = default_gazetteer()
    return any(
        gazetteer.within(a, b) or gazetteer.within(b, a)
        for a in first.split(SEP)
        for b in second.split(SEP)
    )


def incident_total(
    incidents: pd.DataFrame, cumulative: pd.DataFrame
) -> tuple[Bounds, tuple[str, ...]]:
    """One source's incidents of one metric and group in a week, added where allowed.

    Returns the total and the ids left out because a cumulative series of the
    same source covers them.
    """
    if incidents.empty:
        return ZERO, ()
    incidents = incidents[~incidents["part_of"].isin(incidents["id"])]
    covered = _covered_by_cumulative(incidents, cumulative)
    counted = incidents[~covered]
    total = ZERO
    for cluster in _overlapping_clusters(counted):
        total = total + _cluster_bounds(counted.loc[cluster])
    return total, tuple(incidents.loc[covered, "id"])


def _covered_by_cumulative(incidents: pd.DataFrame, cumulative: pd.DataFrame) -> pd.Series:
    import pandas as pd

    if cumulative.empty:
        return pd.Series(False, index=incidents.index)
    spans = cumulative.groupby(["place_codes", "period_start"])["period_end"].max()
    covered = [
        any(
            places_within(places, series_places) and anchor <= start <= last
            for (series_places, anchor), last in spans.items()
        )
        for places, start in zip(incidents["place_codes"], incidents["period_start"], strict=True)
    ]
    return pd.Series(covered, index=incidents.index)


def _overlapping_clusters(incidents: pd.DataFrame) -> list[list]:
    """Groups of incidents linked by sharing days and ground."""
    rows = list(incidents[["place_codes", "period_start", "period_end"]].itertuples())
    clusters: list[list] = []
    for row in rows:
        joined = [c for c in clusters if any(_incidents_overlap(row, other) for other in c)]
        merged = [row, *(r for c in joined for r in c)]
        clusters = [c for c in clusters if c not in joined] + [merged]
    return [[r.Index for r in cluster] for cluster in clusters]


def _incidents_overlap(first, second) -> bool:
    days_meet = first.period_start <= second.period_end and second.period_start <= first.period_end
    return days_meet and places_overlap(first.place_codes, second.place_codes)


def _cluster_bounds(cluster: pd.DataFrame) -> Bounds:
    """Overlapping counts: at least the largest, at most all of them together."""
    if len(cluster) == 1:
        return bounds_of(cluster)
    everything = bounds_of(cluster)
    return Bounds(int(cluster["value_low"].fillna(0).max()), None, everything.high, everything.ids)


def weekly_by_source(figures: pd.DataFrame, week: Week, as_of: date | None = None) -> pd.DataFrame:
    """Per source, metric and group: the total standing at the week's end and what was new."""
    import pandas as pd

    known = eligible(figures, as_of)
    cumulative = known[known["basis"] == "cumulative"]
    now = standing_totals(cumulative, week.end)
    before = standing_totals(cumulative, week.previous().end)
    # A series whose anchor falls after last week stood at zero then.
    anchors = cumulative.groupby(SOURCE_KEY)["period_start"].min()
    for key, anchor in anchors.items():
        if key not in before and anchor > week.previous().end.isoformat():
            before[key] = ZERO
    in_week = known[
        (known["basis"] != "cumulative")
        & (known["period_end"] >= week.start.isoformat())
        & (known["period_end"] <= week.end.isoformat())
    ]
    incidents = dict(tuple(in_week.groupby(SOURCE_KEY, sort=False)))
    falls = running_total_falls(cumulative)
    falls = falls[
        (falls["period_end"] >= week.start.isoformat())
        & (falls["period_end"] <= week.end.isoformat())
    ]
    fallen = {
        key: (int(f["fall"].sum()), (*f["previous_id"], *f["id"]))
        for key, f in falls.groupby(SOURCE_KEY)
    }
    cumulative_by_key = dict(tuple(cumulative.groupby(SOURCE_KEY, sort=False)))
    rows = []
    for key in sorted(set(now) | set(incidents)):
        empty = known.iloc[0:0]
        total, covered = incident_total(
            incidents.get(key, empty), cumulative_by_key.get(key, empty)
        )
        row = _week_row(key, week, now.get(key), before.get(key), total, covered)
        if key in fallen:  # a fall between two reports inside the week
            fall, ids = fallen[key]
            row["revision"] = True
            row["revision_fall"] = (row["revision_fall"] or 0) + fall
            row["revision_ids"] = _ids((*filter(None, row["revision_ids"].split(SEP)), *ids))
        rows.append(row)
    return _typed_counts(pd.DataFrame(rows, columns=WEEK_COLUMNS))


def _typed_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as nullable integers, ids as text: the shape every output expects."""
    for column in frame.columns:
        if column.endswith(("_low", "_best", "_high")):
            frame[column] = frame[column].astype("Int64")
        elif column.endswith("_ids"):
            frame[column] = frame[column].fillna("").astype("str")
    frame["revision"] = frame["revision"].astype(bool)
    return frame


WEEK_COLUMNS = [
    "week",
    "week_start",
    "week_end",
    "source_id",
    "metric",
    "population_group",
    *(
        f"{part}_{field}"
        for part in ("standing", "change")
        for field in ("low", "best", "high", "ids")
    ),
    "revision",
    "revision_fall",
    "revision_ids",
    *(f"incidents_{field}" for field in ("low", "best", "high", "ids")),
    "covered_ids",
    *(f"new_{field}" for field in ("low", "best", "high", "ids")),
]


def running_total_falls(figures: pd.DataFrame) -> pd.DataFrame:
    """Reports whose running total is below the same series' previous report: revisions."""
    cumulative = figures[(figures["basis"] == "cumulative") & (figures["status"] == "active")]
    ordered = cumulative.assign(_recency=_recency(cumulative)).sort_values("_recency")
    previous = ordered.groupby(SERIES_KEY, sort=False)[["id", "value_low", "value_high"]].shift()
    fell = (ordered["value_low"] < previous["value_low"]).fillna(False).astype(bool)
    falls = ordered.loc[fell, [*SOURCE_KEY, "place_codes", "period_end", "id", "value_low"]]
    return falls.assign(
        previous_id=previous.loc[fell, "id"],
        previous_low=previous.loc[fell, "value_low"],
        fall=previous.loc[fell, "value_low"] - falls["value_low"],
    ).reset_index(drop=True)


def cumulative_change(now: Bounds | None, before: Bounds | None) -> tuple[Bounds | None, bool]:
    """What a cumulative total added between two days, and whether it fell (a revision)."""
    if now is None or before is None:
        return None, False
    low = now.low - before.low
    best = None if now.best is None or before.best is None else now.best - before.best
    high = None if now.high is None or before.high is None else now.high - before.high
    fell = any(v is not None and v < 0 for v in (low, best, high))
    if set(now.ids) == set(before.ids):
        return None, False  # no new report: nothing to compare
    return Bounds(low, best, high, tuple(dict.fromkeys(now.ids + before.ids))), fell


def _week_row(key, week, now, before, incidents, covered) -> dict:
    change, fell = cumulative_change(now, before)
    # A fall is a revision: it adds nothing new that week.
    new = incidents if change is None or fell else change + incidents
    return {
        "week": week.label,
        "week_start": week.start.isoformat(),
        "week_end": week.end.isoformat(),
        "source_id": key[0],
        "metric": key[1],
        "population_group": key[2],
        **_columns("standing", now),
        **_columns("change", change),
        "revision": fell,
        "revision_fall": -change.low if fell else None,
        "revision_ids": _ids(change.ids) if fell else "",
        **_columns("incidents", incidents if incidents.ids else None),
        "covered_ids": _ids(covered),
        **_columns("new", new if new.ids else None),
    }


def _columns(prefix: str, bounds: Bounds | None) -> dict:
    if bounds is None:
        return dict.fromkeys([f"{prefix}_{part}" for part in ("low", "best", "high")]) | {
            f"{prefix}_ids": ""
        }
    return {
        f"{prefix}_low": bounds.low,
        f"{prefix}_best": bounds.best,
        f"{prefix}_high": bounds.high,
        f"{prefix}_ids": _ids(bounds.ids),
    }


def _ids(ids) -> str:
    return SEP.join(dict.fromkeys(ids))
