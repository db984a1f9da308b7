"""The aggregation rules: what may be added up, and what may only be set side by side.

- Only recommended figures not graded discounted count; households with a
  size count as people, without one they stay households; stocks (a level at
  a date) and flows never share a series or a row.
- A series is one source's count of one metric, group, unit, kind, place and
  anchor. A running total's value at a day is its latest active report whose
  period ends by then; a stock's likewise.
- A source's standing total adds its series only where they cannot hold the
  same dead: a series inside another (places inside, anchor no earlier) is
  left out, yet never hides a larger count (a country's 100 with its own
  province's 111 stands at 111); series sharing ground in part hold at least
  the largest and at most their sum.
- A week's change is interval arithmetic on the totals standing at the ends
  of consecutive weeks: from [l1, h1] to [l2, h2] a running total rose by
  [max(0, l2 - h1), h2 - l1]; it fell (a revision) only when h2 < l1; a
  stock's change is net. A base older than the week before dates the change;
  a series new to a total but counting from before makes it partly unknown.
- Incident figures of one source are summed over a week only when neither is
  a subset of the other, their places and days don't overlap, and no running
  total of the same source covers them (it wins). Overlapping incidents count
  as at least the largest and at most their sum. A subset counted in an
  earlier week comes off its parent.
- Across sources nothing is summed: the summary gives each source's figure
  and, for like figures only, the range from the lowest low to the highest.
- Bounds travel: lows add, highs add only when all are known ("at least 25" +
  "111" = "at least 136"), a missing best makes the total's best missing.
- Every number carries the ids of the figures it was computed from.

Everything here returns pandas tables; nothing is drawn, written or printed.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..model.counting import BOUND_PARTS, counting_view, counts_mask, standing_mask
from ..model.series import (
    SERIES_KEY,
    SOURCE_KEY,
    day_number,
    days,
    key_codes,
    recency,
    series_and_source_codes,
)
from ..model.weeks import Week, weeks_between
from .bounds import SEP, joined_ids
from .candidates import eligible, week_candidates
from .changes import (
    change_since,
    earlier_subsets,
    interval_change,
    less_counted_before,
    new_counts,
    unknown_parts,
)
from .incidents import INCIDENT_COLUMNS, incident_total
from .standing import carried_forward, standing_steps

if TYPE_CHECKING:
    from ..model.frames import pd


def _text_extreme(frame: pd.DataFrame, by: list[str], column: str, which) -> pd.Series:
    """The largest (which=max) or smallest (min) text of `column` per `by` group.

    pandas takes text extremes one group at a time in Python; ranking the
    distinct values once and taking integer extremes is far faster.
    """
    import numpy as np

    from ..model.frames import pd

    codes, distinct = pd.factorize(frame[column], sort=True)
    groups = key_codes(frame, by)
    grouped = pd.Series(codes).groupby(groups)
    ranks = (grouped.max() if which is max else grouped.min()).to_numpy()
    # Each group named by its first row's key (the groups are numbered in that order).
    first = np.unique(groups, return_index=True)[1]
    index = pd.MultiIndex.from_frame(frame[by].iloc[first])
    return pd.Series(distinct[ranks], index=index, name=column)


KEY_WEEK = [*SOURCE_KEY, "_week"]


def weekly_by_source(figures: pd.DataFrame, week: Week, as_of: date | None = None) -> pd.DataFrame:
    """Per source, metric and group: the total standing at the week's end and what was new."""
    return weekly_table(week_candidates(figures, week, as_of), week, week, as_of)


def weekly_table(
    figures: pd.DataFrame, first: Week, last: Week, as_of: date | None = None
) -> pd.DataFrame:
    """weekly_by_source for every week from `first` to `last`, computed in one pass.

    Column by column over all weeks at once: a row per source, metric, group
    and week holds the total standing at the week's end, its change, any
    revision, the week's incidents and what was new (columns: WEEK_COLUMNS).
    """
    return weekly_table_of_eligible(eligible(figures, as_of), first, last)


def weekly_table_of_eligible(known: pd.DataFrame, first: Week, last: Week) -> pd.DataFrame:
    """weekly_table of figures already chosen by `candidates.eligible`."""
    weeks = weeks_between(first, last)
    cumulative = _with_weeks(known[standing_mask(known)], weeks)
    parts = [
        _weekly_standings(cumulative, weeks),
        _weekly_incidents(known, cumulative, weeks),
        _weekly_falls(cumulative, weeks),
    ]
    return _week_columns(_outer_merged(parts), weeks)


def _outer_merged(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts side by side on KEY_WEEK; an empty part only adds its columns.

    (Merging an empty part would compare key columns of different types.)
    """
    filled = [p for p in parts if not p.empty]
    table = filled[0] if filled else parts[0]
    for part in filled[1:]:
        table = table.merge(part, on=KEY_WEEK, how="outer")
    for part in parts:
        for column in part.columns.difference(table.columns):
            table[column] = None
    return table


def _week_columns(table: pd.DataFrame, weeks: list[Week]) -> pd.DataFrame:
    """The standing totals, incidents and falls of each key and week as WEEK_COLUMNS."""
    import numpy as np

    from ..model.frames import pd

    if table.empty:
        return _typed_counts(pd.DataFrame(columns=WEEK_COLUMNS))
    table = table.reset_index(drop=True)
    now, before = _bounds_of(table, "now"), _bounds_of(table, "before")
    known_both = table["now_ids"].notna() & table["before_ids"].notna()
    same = _same_ids(table["now_ids"], table["before_ids"], known_both)
    changed = (known_both & ~same).to_numpy()
    stock = (table["kind"] == "stock").to_numpy()
    unknown = table["unknown_low"].fillna(0).astype("int64").reset_index(drop=True)
    partial = changed & (unknown > 0).to_numpy()
    change, fall = interval_change(now, before, stock, unknown)
    fell = changed & fall["low"].notna().to_numpy()
    change = {p: change[p].where(changed & ~fell) for p in BOUND_PARTS}
    change_ids = _joined(table["now_ids"], table["before_ids"], changed)
    incidents = _bounds_of(table, "incidents")
    has_incidents = np.array([isinstance(i, tuple) and bool(i) for i in table["incidents_ids"]])
    # A fall is a revision: it adds nothing new that week; a stock's change is net, not new.
    adds = changed & ~fell & ~stock
    new = new_counts(change, incidents, adds, has_incidents)
    has_new = adds | has_incidents
    new_ids = [
        joined_ids((*(c.split(SEP) if a else ()), *(i if h else ())))
        for c, a, i, h in zip(change_ids, adds, table["incidents_ids"], has_incidents, strict=True)
    ]
    has_fall = table["fall_low"].notna().to_numpy() & ~fell & ~stock
    revision = {
        p: fall[p].where(fell, table[f"fall_{p}"].astype("Int64").where(has_fall))
        for p in ("low", "high")
    }
    number = table["_week"].to_numpy().astype("int64")
    frame = pd.DataFrame(
        {
            "week": np.array([w.label for w in weeks])[number],
            "week_start": np.array([w.start.isoformat() for w in weeks])[number],
            "week_end": np.array([w.end.isoformat() for w in weeks])[number],
            **{k: table[k].to_numpy() for k in SOURCE_KEY},
            **{f"standing_{p}": now[p] for p in BOUND_PARTS},
            "standing_ids": _id_texts(table["now_ids"]),
            **{f"change_{p}": change[p] for p in BOUND_PARTS},
            "change_ids": np.where(changed & ~fell, change_ids, ""),
            "change_since": change_since(table, changed, weeks, number),
            "change_partial": partial & ~fell,
            "revision": fell | has_fall,
            **{f"revision_{p}": revision[p] for p in ("low", "high")},
            "revision_ids": np.where(
                fell, change_ids, np.where(has_fall, _id_texts(table["fall_ids"]), "")
            ),
            **{f"incidents_{p}": incidents[p].where(has_incidents) for p in BOUND_PARTS},
            "incidents_ids": _id_texts(table["incidents_ids"]),
            "covered_ids": _id_texts(table["covered_ids"]),
            **{f"new_{p}": new[p].where(has_new) for p in BOUND_PARTS},
            "new_ids": np.where(has_new, new_ids, ""),
        }
    )
    ranks = [pd.factorize(frame[k], sort=True)[0] for k in reversed(SOURCE_KEY)]
    order = np.lexsort((*ranks, number))
    return _typed_counts(frame.iloc[order].reset_index(drop=True))


def _bounds_of(table: pd.DataFrame, prefix: str) -> dict[str, pd.Series]:
    return {p: table[f"{prefix}_{p}"].astype("Int64").reset_index(drop=True) for p in BOUND_PARTS}


def _same_ids(first: pd.Series, second: pd.Series, where: pd.Series) -> pd.Series:
    """Whether two id tuples name the same figures (only where `where`)."""
    from ..model.frames import pd

    same = [w and set(a) == set(b) for a, b, w in zip(first, second, where, strict=True)]
    return pd.Series(same, dtype=bool)


def _joined(first: pd.Series, second: pd.Series, where) -> list[str]:
    """The ids of both tuples, once each, as text (empty where not `where`)."""
    return [joined_ids((*a, *b)) if w else "" for a, b, w in zip(first, second, where, strict=True)]


def _id_texts(ids: pd.Series) -> list[str]:
    return ["" if not isinstance(t, tuple) else joined_ids(t) for t in ids]


def _week_numbers(dates: pd.Series, weeks: list[Week]):
    """Index in `weeks` of the week holding each ISO day (-1 before, len after)."""
    import numpy as np

    number = (days(dates) - day_number(weeks[0].start)) // 7
    return np.clip(number, -1, len(weeks))


def _with_weeks(cumulative: pd.DataFrame, weeks: list[Week]) -> pd.DataFrame:
    """Cumulative reports up to the last week, with their week, recency and series number."""
    cumulative = cumulative.assign(_week=_week_numbers(cumulative["period_end"], weeks))
    cumulative = cumulative[cumulative["_week"] < len(weeks)]
    series, source = series_and_source_codes(cumulative)
    return cumulative.assign(_recency=recency(cumulative), _series=series, _source=source)


STANDING_COLUMNS = [
    *KEY_WEEK,
    *(f"{side}_{p}" for side in ("now", "before") for p in (*BOUND_PARTS, "ids", "end")),
    "unknown_low",
]


def _weekly_standings(cumulative: pd.DataFrame, weeks: list[Week]) -> pd.DataFrame:
    """Per source, metric, group and week: the total standing at its end and a week before.

    One table of every series at the end of every week (its last report,
    carried forward), the place rule applied to all weeks at once. Columns:
    STANDING_COLUMNS, ids as tuples; `before` is missing where nothing stood
    yet, zero where the count began after the week before.
    """
    import numpy as np

    from ..model.frames import pd

    if cumulative.empty:
        return pd.DataFrame(columns=STANDING_COLUMNS)
    times = cumulative["_week"].to_numpy()
    steps = standing_steps(cumulative, SOURCE_KEY, times, cumulative["_source"].to_numpy())
    totals = carried_forward(steps, SOURCE_KEY, len(weeks)).rename(columns={"_time": "_week"})
    ends = dict(zip(cumulative["id"].tolist(), cumulative["period_end"].tolist(), strict=True))
    totals["end"] = [max(ends[i] for i in ids) if ids else None for ids in totals["ids"]]
    # Weeks run unbroken from a key's first series on, so the row before is the week before.
    parts = ["low", "best", "high", "ids", "end"]
    previous = totals.groupby("_code", sort=False)[parts].shift()
    first_of_key = previous["ids"].isna().to_numpy()
    # A running total that began after the week before rose from 0; a stock has no anchor.
    anchors = _text_extreme(cumulative, SOURCE_KEY, "anchor", min)
    anchor = anchors.reindex(pd.MultiIndex.from_frame(totals[SOURCE_KEY])).to_numpy()
    number = totals["_week"].to_numpy()
    ends_before = np.array([w.previous().end.isoformat() for w in weeks])[number.clip(0)]
    began_since = first_of_key & (anchor > ends_before) & (anchor != "")
    for part in BOUND_PARTS:
        previous.loc[began_since, part] = 0
    previous.loc[began_since, "ids"] = pd.Series([()] * int(began_since.sum()), dtype=object).values
    frame = pd.concat(
        [
            totals[KEY_WEEK],
            totals[parts].add_prefix("now_"),
            previous.add_prefix("before_"),
        ],
        axis=1,
    )
    frame["unknown_low"] = unknown_parts(cumulative, totals, weeks)
    return frame[number >= 0]


def _weekly_incidents(known: pd.DataFrame, cumulative: pd.DataFrame, weeks: list[Week]) -> dict:
    """Per source, metric, group and week: the incidents' total and the ids a series covers."""
    from ..model.frames import pd

    incidents = known[~standing_mask(known)]
    incidents = incidents.assign(_week=_week_numbers(incidents["period_end"], weeks))
    earlier = earlier_subsets(incidents)
    incidents = incidents[(incidents["_week"] >= 0) & (incidents["_week"] < len(weeks))]
    keys = incidents[SOURCE_KEY].drop_duplicates()
    running = cumulative[cumulative["basis"] == "cumulative"]
    covering = running.merge(keys, on=SOURCE_KEY) if len(keys) else running.iloc[0:0]
    spans: dict[tuple, list] = {}
    last = _text_extreme(covering, [*SOURCE_KEY, "place_codes", "period_start"], "period_end", max)
    for (*key, places, anchor), day in last.items():
        spans.setdefault(tuple(key), []).append((places, anchor, day))
    columns = [*SOURCE_KEY, "_week", *INCIDENT_COLUMNS]
    grouped: dict[tuple, list] = {}
    for row in incidents[columns].itertuples(index=False):
        if row.id in earlier:
            row = less_counted_before(row, earlier[row.id])
        grouped.setdefault(tuple(row[: len(KEY_WEEK)]), []).append(row)
    rows = []
    for key, of_key in grouped.items():
        total, covered = incident_total(of_key, spans.get(key[: len(SOURCE_KEY)], []))
        rows.append((*key, total.low, total.best, total.high, total.ids, covered))
    names = [f"incidents_{p}" for p in (*BOUND_PARTS, "ids")]
    return pd.DataFrame(rows, columns=[*KEY_WEEK, *names, "covered_ids"])


def _weekly_falls(cumulative: pd.DataFrame, weeks: list[Week]) -> pd.DataFrame:
    """Per source key and week: how far running totals certainly fell inside it, their ids.

    Bounds add: the lows of the falls, and their highs while all are known.
    """
    running = cumulative[cumulative["basis"] == "cumulative"]
    reporting = running.loc[running["_week"] >= 0, "_series"].unique()
    falls = _falls(running[running["_series"].isin(reporting)], "_series")
    falls = falls.assign(_week=_week_numbers(falls["period_end"], weeks))
    falls = falls[(falls["_week"] >= 0) & (falls["_week"] < len(weeks))]
    grouped = falls.groupby(KEY_WEEK, sort=False)
    ids = [
        (*previous, *now)
        for previous, now in zip(
            grouped["previous_id"].agg(tuple), grouped["id"].agg(tuple), strict=True
        )
    ]
    highs = grouped["fall_high"].agg(lambda h: None if h.isna().any() else int(h.sum()))
    return (
        grouped["fall_low"]
        .sum()
        .astype("int64")
        .reset_index()
        .assign(fall_high=highs.astype("Int64").to_numpy(), fall_ids=ids)
    )


WEEK_COLUMNS = [
    "week",
    "week_start",
    "week_end",
    *SOURCE_KEY,
    *(
        f"{part}_{field}"
        for part in ("standing", "change")
        for field in ("low", "best", "high", "ids")
    ),
    "change_since",
    "change_partial",
    "revision",
    "revision_low",
    "revision_high",
    "revision_ids",
    *(f"incidents_{field}" for field in ("low", "best", "high", "ids")),
    "covered_ids",
    *(f"new_{field}" for field in ("low", "best", "high", "ids")),
]


def running_total_falls(figures: pd.DataFrame) -> pd.DataFrame:
    """Reports whose running total is below the same series' previous report: revisions."""
    figures = counting_view(figures)
    cumulative = figures[(figures["basis"] == "cumulative") & (figures["status"] == "active")]
    cumulative = cumulative[counts_mask(cumulative)]
    return _falls(cumulative.assign(_recency=recency(cumulative)), SERIES_KEY)


def _falls(cumulative: pd.DataFrame, series) -> pd.DataFrame:
    """Reports certainly below their series' report before (high under the earlier low).

    The fall is the interval [earlier low - high, earlier high - low], high
    missing where the earlier report had no upper bound.
    """
    ordered = cumulative.sort_values("_recency")
    bounds = ["id", "value_low", "value_high"]
    previous = ordered.groupby(series, sort=False)[bounds].shift()
    fell = (ordered["value_high"] < previous["value_low"]).fillna(False).astype(bool)
    falls = ordered.loc[fell, [*SOURCE_KEY, "place_codes", "period_end", *bounds]]
    return falls.assign(
        previous_id=previous.loc[fell, "id"],
        previous_low=previous.loc[fell, "value_low"],
        fall_low=(previous.loc[fell, "value_low"] - falls["value_high"]).astype("Int64"),
        fall_high=(previous.loc[fell, "value_high"] - falls["value_low"]).astype("Int64"),
    ).reset_index(drop=True)


def _typed_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts as nullable integers, ids as text: the shape every output expects."""
    for column in frame.columns:
        if column.endswith(("_low", "_best", "_high")):
            frame[column] = frame[column].astype("Int64")
        elif column.endswith("_ids"):
            frame[column] = frame[column].fillna("").astype("str")
    frame["revision"] = frame["revision"].astype(bool)
    frame["change_partial"] = frame["change_partial"].fillna(False).astype(bool)
    return frame
