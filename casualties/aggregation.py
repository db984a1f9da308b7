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
from functools import cache
from typing import TYPE_CHECKING

from . import contract
from .gazetteer import default_gazetteer
from .missing import count_or_none
from .series import (
    SERIES_KEY,
    SOURCE_KEY,
    day_number,
    days,
    key_codes,
    newest_positions,
    recency,
)
from .weeks import Week, weeks_between

if TYPE_CHECKING:
    import pandas as pd

SEP = contract.LIST_SEPARATOR
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
    return figures.loc[chosen, [c for c in RULE_COLUMNS if c in figures.columns]]


def latest_by_series(figures: pd.DataFrame, by_day: date | None = None) -> pd.DataFrame:
    """Each cumulative series' latest report (period ending by `by_day`), and every incident."""
    import pandas as pd

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


def standing_totals(figures: pd.DataFrame, day: date) -> dict[tuple, Bounds]:
    """Each source's cumulative total per metric and group standing at the end of `day`."""
    kept = counted_series(figures, day)
    if kept.empty:
        return {}
    totals = _summed(kept, SOURCE_KEY)
    return {
        key: _total_bounds(row) for key, row in zip(totals.index, totals.itertuples(), strict=True)
    }


def counted_series(figures: pd.DataFrame, day: date) -> pd.DataFrame:
    """The latest report of each series that counts in its source's total at `day`."""
    latest = latest_by_series(figures[figures["basis"] == "cumulative"], day)
    if latest.empty:
        return latest
    return _counted(latest.assign(_recency=recency(latest)), SOURCE_KEY)


def _counted(latest: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Of each `key`'s series, those that count toward its total.

    A series whose places lie inside another series' places of the same key
    is left out (the broader count holds it); of series with the same places,
    the latest report stands.
    """
    import numpy as np
    import pandas as pd

    # Integer codes for the key and the places: merging on them is many times
    # faster than on four text columns.
    group = key_codes(latest, key)
    place, places = pd.factorize(latest["place_codes"])
    # Of series with the same places, the newest report: the last of each run when
    # sorted by key, places and recency.
    order = np.lexsort((latest["_recency"].to_numpy(), place, group))
    same = (group[order][1:] == group[order][:-1]) & (place[order][1:] == place[order][:-1])
    chosen = np.sort(order[np.append(~same, True)])
    latest, group, place = latest.iloc[chosen], group[chosen], place[chosen]
    pairs = _inside_pairs(tuple(sorted(places)))
    if pairs.empty:
        return latest
    number = {p: n for n, p in enumerate(places)}
    inner = pairs["inner"].map(number).dropna().astype("int64")
    outer = pairs.loc[inner.index, "outer"].map(number).dropna().astype("int64")
    inner = inner.loc[outer.index]
    present = pd.DataFrame({"group": group, "outer": place})
    keyed = pd.DataFrame({"group": group, "inner": place})
    candidates = keyed.merge(pd.DataFrame({"inner": inner, "outer": outer}), on="inner")
    covered = candidates.merge(present, on=["group", "outer"])
    covered_codes = set(zip(covered["group"], covered["inner"], strict=True))
    kept = [(g, p) not in covered_codes for g, p in zip(group, place, strict=True)]
    return latest[np.array(kept, dtype=bool)]


def _summed(kept: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Per key: the sum of lows, of bests and highs where all are known, and the ids."""
    import numpy as np
    import pandas as pd

    grouped = kept.groupby(key, sort=False)
    size = grouped["id"].size()
    # The ids of each key, gathered by one sort instead of a Python call per group.
    codes = grouped.ngroup().to_numpy()
    ordered = kept["id"].to_numpy()[np.argsort(codes, kind="stable")]
    bounds = np.cumsum(np.bincount(codes, minlength=len(size)))[:-1]
    ids = pd.Series([tuple(part) for part in np.split(ordered, bounds)], index=size.index)
    return pd.DataFrame(
        {
            "low": grouped["value_low"].sum(),
            "best": grouped["value_best"].sum().where(grouped["value_best"].count() == size),
            "high": grouped["value_high"].sum().where(grouped["value_high"].count() == size),
            "ids": ids,
        }
    )


def _text_extreme(frame: pd.DataFrame, by: list[str], column: str, which) -> pd.Series:
    """The largest (which=max) or smallest (min) text of `column` per `by` group.

    pandas takes text extremes one group at a time in Python; ranking the
    distinct values once and taking integer extremes is far faster.
    """
    import pandas as pd

    codes, distinct = pd.factorize(frame[column], sort=True)
    grouped = pd.Series(codes, index=frame.index).groupby([frame[k] for k in by])
    ranks = grouped.max() if which is max else grouped.min()
    return pd.Series(distinct[ranks.to_numpy()], index=ranks.index, name=column)


def row_bounds(row) -> Bounds:
    return Bounds(
        count_or_none(row.value_low) or 0,
        count_or_none(row.value_best),
        count_or_none(row.value_high),
        (row.id,),
    )


@cache
def _inside_pairs(places: tuple[str, ...]) -> pd.DataFrame:
    """(inner, outer) for every two different place lists where inner lies in outer."""
    import pandas as pd

    pairs = [(a, b) for a in places for b in places if a != b and places_within(a, b)]
    return pd.DataFrame(pairs, columns=["inner", "outer"])


@cache
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


INCIDENT_COLUMNS = [
    "id",
    "part_of",
    "place_codes",
    "period_start",
    "period_end",
    "value_low",
    "value_best",
    "value_high",
]


def incident_total(
    incidents: pd.DataFrame, cumulative: pd.DataFrame
) -> tuple[Bounds, tuple[str, ...]]:
    """One source's incidents of one metric and group in a week, added where allowed.

    Returns the total and the ids left out because a cumulative series of the
    same source covers them.
    """
    rows = list(incidents[INCIDENT_COLUMNS].itertuples(index=False))
    return _incident_total(rows, series_spans(cumulative))


def series_spans(cumulative: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(places, anchor, last day reported) of each cumulative series."""
    if cumulative.empty:
        return []
    spans = _text_extreme(cumulative, ["place_codes", "period_start"], "period_end", max)
    return [(places, anchor, last) for (places, anchor), last in spans.items()]


def _incident_total(rows: list, spans: list[tuple[str, str, str]]) -> tuple[Bounds, tuple]:
    # Plain tuples: a week holds a handful of incidents, and pandas costs more than the work.
    ids = {row.id for row in rows}
    rows = [row for row in rows if row.part_of not in ids]  # a subset never adds to its whole
    covered = [row for row in rows if _covered(row, spans)]
    counted = [row for row in rows if row not in covered]
    total = ZERO
    for cluster in _overlapping_clusters(counted):
        total = total + _cluster_bounds(cluster)
    return total, tuple(row.id for row in covered)


def _covered(row, spans: list[tuple[str, str, str]]) -> bool:
    """Whether a cumulative series of the same source already counts this incident."""
    return any(
        anchor <= row.period_start <= last and places_within(row.place_codes, places)
        for places, anchor, last in spans
    )


def _overlapping_clusters(rows: list) -> list[list]:
    """Groups of incidents linked by sharing days and ground."""
    clusters: list[list] = []
    for row in rows:
        joined = [c for c in clusters if any(_incidents_overlap(row, other) for other in c)]
        merged = [row, *(r for c in joined for r in c)]
        clusters = [c for c in clusters if c not in joined] + [merged]
    return clusters


def _incidents_overlap(first, second) -> bool:
    days_meet = first.period_start <= second.period_end and second.period_start <= first.period_end
    return days_meet and places_overlap(first.place_codes, second.place_codes)


def _cluster_bounds(cluster: list) -> Bounds:
    """Overlapping counts: at least the largest, at most all of them together."""
    total = ZERO
    for row in cluster:
        total = total + row_bounds(row)
    if len(cluster) == 1:
        return total
    largest = max(count_or_none(row.value_low) or 0 for row in cluster)
    return Bounds(largest, None, total.high, total.ids)


def weekly_by_source(figures: pd.DataFrame, week: Week, as_of: date | None = None) -> pd.DataFrame:
    """Per source, metric and group: the total standing at the week's end and what was new."""
    return weekly_table(week_candidates(figures, week, as_of), week, week, as_of)


def week_candidates(figures: pd.DataFrame, week: Week, as_of: date | None = None) -> pd.DataFrame:
    """The figures one week's numbers are made of; the rules give the same week on these alone.

    Each cumulative series' latest report before the week, every report of
    the week, each source's newest earlier incident per metric and group (a
    summary shows it where no total stands), and the figures the chosen ones
    are parts of. Of a million figures this keeps a few percent, so the
    rules run on thousands of rows instead of the whole store.
    """
    import numpy as np

    end = days(figures["period_end"])
    known = _eligible_mask(figures, as_of) & (end <= day_number(week.end))
    in_week = known & (end > day_number(week.previous().end))
    cumulative = (figures["basis"] == "cumulative").to_numpy()
    chosen = np.concatenate(
        [
            np.flatnonzero(in_week),
            newest_positions(figures, known & cumulative & ~in_week, SERIES_KEY),
            newest_positions(figures, known & ~cumulative & ~in_week, SOURCE_KEY),
        ]
    )
    wanted = figures["part_of"].iloc[chosen].dropna()
    parents = np.flatnonzero(known & figures["id"].isin(wanted).to_numpy())
    kept = np.unique(np.concatenate([chosen, parents]))
    columns = [c for c in RULE_COLUMNS if c in figures.columns]
    return by_id(figures.iloc[kept][columns])


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in id order: the same figures give the same table however they were read."""
    return frame.sort_values("id", kind="stable").reset_index(drop=True)


def _eligible_mask(figures: pd.DataFrame, as_of: date | None):
    """eligible() as a boolean array, for selecting before copying."""
    chosen = (figures["status"] == "active").to_numpy()
    if as_of is not None:
        chosen = chosen & (figures["reported_on"] <= as_of.isoformat()).to_numpy()
    return chosen


def weekly_table(
    figures: pd.DataFrame, first: Week, last: Week, as_of: date | None = None
) -> pd.DataFrame:
    """weekly_by_source for every week from `first` to `last`, computed in one pass."""
    import pandas as pd

    known = eligible(figures, as_of)
    weeks = weeks_between(first, last)
    cumulative = _with_weeks(known[known["basis"] == "cumulative"], weeks)
    standings = _weekly_standings(cumulative, weeks)
    incidents = _weekly_incidents(known, cumulative, weeks)
    falls = _weekly_falls(cumulative, weeks)
    keys = sorted(set(standings) | set(incidents) | set(falls))
    rows = [
        _week_row(
            key[:3],
            weeks[key[3]],
            *standings.get(key, (None, None)),
            *incidents.get(key, (ZERO, ())),
            falls.get(key),
        )
        for key in sorted(keys, key=lambda k: (k[3], k[:3]))
    ]
    return _typed_counts(pd.DataFrame(rows, columns=WEEK_COLUMNS))


def _week_numbers(dates: pd.Series, weeks: list[Week]):
    """Index in `weeks` of the week holding each ISO day (-1 before, len after)."""
    import numpy as np

    number = (days(dates) - day_number(weeks[0].start)) // 7
    return np.clip(number, -1, len(weeks))


def _with_weeks(cumulative: pd.DataFrame, weeks: list[Week]) -> pd.DataFrame:
    """Cumulative reports up to the last week, with their week, recency and series number."""
    cumulative = cumulative.assign(_week=_week_numbers(cumulative["period_end"], weeks))
    cumulative = cumulative[cumulative["_week"] < len(weeks)]
    return cumulative.assign(
        _recency=recency(cumulative),
        _series=cumulative.groupby(SERIES_KEY, sort=False).ngroup(),
    )


def _weekly_standings(cumulative: pd.DataFrame, weeks: list[Week]) -> dict:
    """(source, metric, group, week) → (total standing at the week's end, at the week before).

    One table of every series at the end of every week (its last report,
    carried forward), the place rule applied to all weeks at once.
    """
    if cumulative.empty:
        return {}
    standing = _series_by_week(cumulative, len(weeks))
    totals = _summed(_counted(standing, [*SOURCE_KEY, "_week"]), [*SOURCE_KEY, "_week"])
    anchors = _text_extreme(cumulative, SOURCE_KEY, "period_start", min)
    bounds = {
        key: _total_bounds(row) for key, row in zip(totals.index, totals.itertuples(), strict=True)
    }
    result = {}
    for (*key, number), now in bounds.items():
        if number < 0:
            continue
        before = bounds.get((*key, number - 1))
        if before is None and anchors[tuple(key)] > weeks[number].previous().end.isoformat():
            before = ZERO  # the count began after last week: it stood at zero then
        result[(*key, number)] = (now, before)
    return result


def _series_by_week(cumulative: pd.DataFrame, weeks: int) -> pd.DataFrame:
    """Each series' standing report at the end of each week, from its first week on."""
    import numpy as np
    import pandas as pd

    last = cumulative.loc[cumulative.groupby(["_series", "_week"])["_recency"].idxmax()]
    first = last.groupby("_series")["_week"].min()
    lengths = (weeks - first).to_numpy()
    starts = np.repeat(first.to_numpy(), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    grid = pd.DataFrame(
        {"_series": np.repeat(first.index.to_numpy(), lengths), "_week": starts + offsets}
    )
    grid = grid.merge(last, on=["_series", "_week"], how="left")
    carried = [c for c in grid.columns if c not in ("_series", "_week")]
    grid[carried] = grid.groupby("_series")[carried].ffill()
    return grid


def _total_bounds(row) -> Bounds:
    return Bounds(int(row.low), count_or_none(row.best), count_or_none(row.high), row.ids)


def _weekly_incidents(known: pd.DataFrame, cumulative: pd.DataFrame, weeks: list[Week]) -> dict:
    """(source, metric, group, week) → (incident total, ids covered by a cumulative series)."""
    incidents = known[known["basis"] != "cumulative"]
    incidents = incidents.assign(_week=_week_numbers(incidents["period_end"], weeks))
    incidents = incidents[(incidents["_week"] >= 0) & (incidents["_week"] < len(weeks))]
    keys = incidents[SOURCE_KEY].drop_duplicates()
    covering = cumulative.merge(keys, on=SOURCE_KEY) if len(keys) else cumulative.iloc[0:0]
    spans: dict[tuple, list] = {}
    last = _text_extreme(covering, [*SOURCE_KEY, "place_codes", "period_start"], "period_end", max)
    for (*key, places, anchor), day in last.items():
        spans.setdefault(tuple(key), []).append((places, anchor, day))
    result = {}
    columns = [*SOURCE_KEY, "_week", *INCIDENT_COLUMNS]
    grouped: dict[tuple, list] = {}
    for row in incidents[columns].itertuples(index=False):
        grouped.setdefault(tuple(row[:4]), []).append(row)
    for key, rows in grouped.items():
        result[key] = _incident_total(rows, spans.get(key[:3], []))
    return result


def _weekly_falls(cumulative: pd.DataFrame, weeks: list[Week]) -> dict:
    """(source, metric, group, week) → (how far running totals fell inside it, their ids)."""
    reporting = cumulative.loc[cumulative["_week"] >= 0, "_series"].unique()
    falls = _falls(cumulative[cumulative["_series"].isin(reporting)], "_series")
    falls = falls.assign(_week=_week_numbers(falls["period_end"], weeks))
    falls = falls[(falls["_week"] >= 0) & (falls["_week"] < len(weeks))]
    return {
        key: (int(f["fall"].sum()), (*f["previous_id"], *f["id"]))
        for key, f in falls.groupby([*SOURCE_KEY, "_week"])
    }


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
    return _falls(cumulative.assign(_recency=recency(cumulative)), SERIES_KEY)


def _falls(cumulative: pd.DataFrame, series) -> pd.DataFrame:
    ordered = cumulative.sort_values("_recency")
    previous = ordered.groupby(series, sort=False)[["id", "value_low", "value_high"]].shift()
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


def _week_row(key, week, now, before, incidents, covered, fallen) -> dict:
    change, fell = cumulative_change(now, before)
    # A fall is a revision: it adds nothing new that week.
    new = incidents if change is None or fell else change + incidents
    row = {
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
    if fallen and not fell:
        # The week ended higher, but a running total fell between two reports in it.
        fall, ids = fallen
        row.update(revision=True, revision_fall=fall, revision_ids=_ids(ids))
    return row


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


def standing_over_time(
    figures: pd.DataFrame, metric: str, group: str, as_of: date | None = None
) -> pd.DataFrame:
    """Each source's cumulative total after each of its reports: the steps of a toll chart.

    Columns: source_id, day (the report's period_end), low, best, high, ids,
    revision (the total fell at this report).
    """
    import pandas as pd

    wanted = (figures["metric"] == metric) & (figures["population_group"] == group)
    chosen = eligible(figures[wanted], as_of)
    chosen = chosen[chosen["basis"] == "cumulative"]
    rows = []
    for source, of_source in chosen.groupby("source_id", sort=True):
        rows += _standing_steps(source, of_source, metric, group)
    columns = ["source_id", "day", "low", "best", "high", "ids", "revision"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"low": "Int64", "best": "Int64", "high": "Int64", "revision": bool})


def _standing_steps(source: str, reports: pd.DataFrame, metric: str, group: str) -> list[dict]:
    """The source's total after each report day; one series needs no place rule."""
    single = reports[["place_codes", "period_start"]].drop_duplicates().shape[0] == 1
    if single:
        ordered = reports.loc[recency(reports).sort_values().index]
        last = ordered.drop_duplicates("period_end", keep="last")
        totals = [
            (day, row_bounds(r))
            for day, r in zip(last["period_end"], last.itertuples(index=False), strict=True)
        ]
    else:
        totals = _several_series_totals(reports)
    steps, previous = [], None
    for day, total in totals:
        fell = previous is not None and total.low < previous.low
        steps.append(
            {
                "source_id": source,
                "day": day,
                "low": total.low,
                "best": total.best,
                "high": total.high,
                "ids": _ids(total.ids),
                "revision": fell,
            }
        )
        previous = total
    return steps


def _several_series_totals(reports: pd.DataFrame) -> list[tuple[str, Bounds]]:
    """A source's total after each report day, the place rule applied as series appear.

    One pass in report order: each series' latest report is kept, and which
    series count is worked out again only when a series appears (or when two
    series share places, since the newer of them counts).
    """
    ordered = reports.loc[recency(reports).sort_values().index]
    latest: dict[tuple, object] = {}
    counted: list[tuple] = []
    shared_places = ordered.groupby("place_codes")["period_start"].nunique().gt(1).any()
    totals: list[tuple[str, Bounds]] = []
    rows = list(ordered.itertuples(index=False))
    for number, row in enumerate(rows):
        key = (row.place_codes, row.period_start)
        appeared = key not in latest
        latest[key] = row
        if appeared or shared_places:
            counted = _counted_keys(latest)
        last_of_day = number + 1 == len(rows) or rows[number + 1].period_end != row.period_end
        if last_of_day:
            total = ZERO
            for series in counted:
                total = total + row_bounds(latest[series])
            totals.append((row.period_end, total))
    return totals


def _counted_keys(latest: dict[tuple, object]) -> list[tuple]:
    """Series that count: the newest of those sharing places, none inside another's places."""
    newest: dict[str, tuple] = {}
    for key, row in latest.items():
        held = newest.get(key[0])
        if held is None or (row.period_end, row.reported_on) >= (
            latest[held].period_end,
            latest[held].reported_on,
        ):
            newest[key[0]] = key
    places = list(newest)
    return [newest[p] for p in places if not any(q != p and places_within(p, q) for q in places)]


def latest_by_place(
    figures: pd.DataFrame, metric: str, group: str, as_of: date | None = None
) -> pd.DataFrame:
    """Each source's latest figure for each place: the bars of a by-place chart.

    Cumulative series give their latest report; incidents are not set beside
    them (one day is not a toll). Columns: place_codes, source_id, low, best,
    high, period_end, ids.
    """
    chosen = eligible(figures, as_of)
    chosen = chosen[
        (chosen["metric"] == metric)
        & (chosen["population_group"] == group)
        & (chosen["basis"] == "cumulative")
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


def _typed_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as nullable integers, ids as text: the shape every output expects."""
    for column in frame.columns:
        if column.endswith(("_low", "_best", "_high", "_fall")):
            frame[column] = frame[column].astype("Int64")
        elif column.endswith("_ids"):
            frame[column] = frame[column].fillna("").astype("str")
    frame["revision"] = frame["revision"].astype(bool)
    return frame


def across_sources(weekly: pd.DataFrame) -> pd.DataFrame:
    """Per week, metric and group: the range across sources, never their sum.

    Columns: week, week_start, week_end, metric, population_group, sources,
    standing_low (lowest low), standing_high (highest figure), new_low,
    new_high, revision (any source revised), ids.
    """
    import pandas as pd

    top = weekly["standing_high"].fillna(weekly["standing_low"])
    new_top = weekly["new_high"].fillna(weekly["new_low"])
    frame = weekly.assign(_top=top, _new_top=new_top)
    grouped = frame.groupby(
        ["week", "week_start", "week_end", "metric", "population_group"], sort=False
    )
    result = pd.DataFrame(
        {
            "sources": grouped["source_id"].nunique(),
            "standing_low": grouped["standing_low"].min(),
            "standing_high": grouped["_top"].max(),
            "new_low": grouped["new_low"].min(),
            "new_high": grouped["_new_top"].max(),
            "revision": grouped["revision"].any(),
            "ids": grouped[["standing_ids", "new_ids", "revision_ids"]].apply(
                lambda f: _ids(
                    i for column in f.columns for v in f[column] for i in v.split(SEP) if i
                )
            ),
        }
    ).reset_index()
    return result.astype(
        {c: "Int64" for c in ("standing_low", "standing_high", "new_low", "new_high")}
    )
