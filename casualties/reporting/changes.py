"""A week's change as an interval, and what may not be counted in it twice.

From [l1, h1] to [l2, h2] a running total rose by [max(0, l2 - h1), h2 - l1]
and certainly fell only when h2 < l1 (`interval_change`); a stock's change is
the whole interval. What was new is the rise plus the incidents, bounds
added (`new_counts`); a base older than the week before dates the change
(`change_since`); a series new to a total but counting from before it makes
the change partly unknown (`unknown_parts`); a subset counted in an earlier
week comes off its parent (`earlier_subsets`, `less_counted_before`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.counting import BOUND_PARTS
from ..model.series import SOURCE_KEY

if TYPE_CHECKING:
    from ..model.frames import pd
    from ..model.weeks import Week


def interval_change(now: dict, before: dict, stock, unknown) -> tuple[dict, dict]:
    """The change from `before` to `now` as an interval, and a certain fall (a revision).

    From [l1, h1] to [l2, h2] a count changed by at least l2 - h1 and at most
    h2 - l1; an open bound (missing high) leaves that side open. A running
    total cannot fall, so its change is at least 0, and a fall is stated only
    when certain (h2 < l1), as the interval [l1 - h2, h1 - l2]. A stock
    rises and falls: its change is the whole interval. Best minus best is the
    best change where both are known and it lies inside the bounds. `unknown`
    is the part of `now` that may have accrued before (a series new to the
    total): it leaves the change's low, and the best with it.
    """
    import numpy as np

    from ..model.frames import pd

    stock = pd.Series(np.asarray(stock, dtype=bool))
    low = now["low"] - unknown - before["high"]
    low = low.where(stock, low.fillna(0).clip(lower=0))
    high = now["high"] - before["low"]
    best = (now["best"] - before["best"]).where(unknown == 0)
    inside = (best >= low.fillna(best)) & (best <= high.fillna(best))
    best = best.where(inside.fillna(False).astype(bool))
    certain = (now["high"] < before["low"]).fillna(False).astype(bool) & ~stock
    fall = {
        "low": (before["low"] - now["high"]).where(certain),
        "high": (before["high"] - now["low"]).where(certain),
    }
    return {"low": low, "best": best, "high": high}, fall


def new_counts(change: dict, incidents: dict, adds, has_incidents) -> dict:
    """A week's new count: the running totals' rise plus the incidents', bounds added.

    A missing high is open and stays open in the sum; a missing best makes the
    sum's best missing.
    """
    new = {}
    for part in BOUND_PARTS:
        rise = change[part].where(adds, 0)
        extra = incidents[part].where(has_incidents, 0)
        if part == "low":
            new[part] = rise.fillna(0) + extra.fillna(0)
        else:
            new[part] = rise + extra
    return new


def change_since(table: pd.DataFrame, changed, weeks: list[Week], number) -> list[str]:
    """Where a change's base is older than the week before: the day the base ended.

    The base is the total standing at the week before's end; if its newest
    report ended before that week began, the change accrued since that day,
    not in one week.
    """
    ends = table["before_end"].tolist()
    starts = [weeks[n].previous().start.isoformat() for n in number.tolist()]
    return [
        end if c and isinstance(end, str) and end < start else ""
        for c, end, start in zip(changed, ends, starts, strict=True)
    ]


def unknown_parts(cumulative: pd.DataFrame, totals: pd.DataFrame, weeks: list[Week]) -> list:
    """Per total, the low of the series that joined it this week counting from before it.

    A running total first reported this week whose anchor lies before the
    week (SOHR's first count for Hama "since the war began"), or a stock first
    reported, brings a count that did not all accrue this week: how much of
    it did is unknown, so it is taken off the change's low bound.
    """
    import numpy as np

    first = cumulative.groupby("_series")["_week"].transform("min").to_numpy()
    ends_before = [w.previous().end.isoformat() for w in weeks]
    unknown = {}
    rows = zip(
        cumulative["id"].tolist(),
        first.tolist(),
        cumulative["anchor"].tolist(),
        cumulative["kind"].tolist(),
        cumulative["value_low"].astype("Int64").fillna(0).to_numpy(dtype=np.int64).tolist(),
        strict=True,
    )
    for figure, week, anchor, kind, low in rows:
        if week >= 0 and (kind == "stock" or anchor <= ends_before[week]):
            unknown[figure] = (week, low)
    return [
        sum(unknown[i][1] for i in ids if i in unknown and unknown[i][0] == week)
        for ids, week in zip(totals["ids"], totals["_week"].tolist(), strict=True)
    ]


def earlier_subsets(incidents: pd.DataFrame) -> dict[str, list]:
    """Per incident, its subsets of the same source key that ended in an earlier week.

    Such a subset was counted in its own week; its parent, whose period ran
    on into a later week, must not count it again there.
    """
    parts = incidents[incidents["part_of"].notna()]
    if parts.empty:
        return {}
    parents = incidents.set_index("id")
    keyed = parts[parts["part_of"].isin(parents.index)]
    earlier: dict[str, list] = {}
    for part in keyed.to_dict("records"):
        parent = parents.loc[part["part_of"]]
        same_key = all(part[k] == parent[k] for k in SOURCE_KEY)
        if same_key and part["_week"] < parent["_week"]:
            earlier.setdefault(part["part_of"], []).append(part)
    return earlier


def less_counted_before(row, parts: list):
    """An incident's bounds less its subsets counted in earlier weeks: [l - Σh, h - Σl]."""
    from ..model.missing import count_or_none

    lows = sum(count_or_none(p["value_low"]) or 0 for p in parts)
    highs = [count_or_none(p["value_high"]) for p in parts]
    bests = [count_or_none(p["value_best"]) for p in parts]
    low, best, high = (count_or_none(v) for v in (row.value_low, row.value_best, row.value_high))
    new_low = 0 if None in highs else max(0, (low or 0) - sum(highs))
    new_high = None if high is None else max(new_low, high - lows)
    new_best = None if best is None or None in bests else best - sum(bests)
    if new_best is not None and not (new_low <= new_best <= (new_high or new_best)):
        new_best = None
    return row._replace(value_low=new_low, value_best=new_best, value_high=new_high)
