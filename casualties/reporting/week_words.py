"""A week's numbers in words: a total and a change as the summary and the workbook write them.

One weekly-table row (aggregation.weekly_table) gives a total standing and a
change; `week_bounds` reads them, `latest_columns` and `change_columns` write
them (+28, +30–100, net −5,000, revised −33, +747 net (rose 780, revised −33),
+600 since 2024-11-08, partly unknown), and `week_rows` lays a whole weekly
table out in those words. The summary's rows and the workbook's Weekly sheet
are both written here, so they cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.missing import count_or_none
from ..model.notation import change_text, fall_text, range_text
from .bounds import SEP, Bounds

if TYPE_CHECKING:
    from ..model.frames import pd


def week_bounds(week: dict, part: str) -> Bounds:
    """A weekly-table row's bounds of one part (standing, new, change) with its ids."""
    return Bounds(
        int(week[f"{part}_low"]) if count_or_none(week[f"{part}_low"]) is not None else 0,
        count_or_none(week[f"{part}_best"]),
        count_or_none(week[f"{part}_high"]),
        tuple(i for i in week[f"{part}_ids"].split(SEP) if i),
    )


def latest_columns(bounds: Bounds) -> dict:
    return {
        "latest": range_text(bounds.low, bounds.high, bounds.best),
        "latest_low": bounds.low,
        "latest_best": bounds.best,
        "latest_high": bounds.high,
        "latest_open": bounds.high is None,
    }


NO_CHANGE = {
    "week_change": "",
    "change_low": None,
    "change_best": None,
    "change_high": None,
    "change_open": False,
    "change_since": "",
    "revision_low": None,
    "revision_high": None,
    "change_ids": "",
    "revision_ids": "",
}


def change_columns(week: dict | None, kind: str) -> dict:
    """The week's change with its bounds, any revision, and their ids.

    A flow's change is what was new ('+28', '+30–100', '+≥80'); a stock's is
    its net rise or fall ('net −5,000'). A certain fall of a running total is
    a revision ('revised −33'); a week that rose and was revised says both
    ('+747 net (rose 780, revised −33)'). A change over more than a week says
    since when.
    """
    if week is None:
        return dict(NO_CHANGE)
    part = "change" if kind == "stock" else "new"
    ids = week[f"{part}_ids"]
    change = week_bounds(week, part) if ids else None
    revised = bool(week["revision"])
    fall = (count_or_none(week["revision_low"]), count_or_none(week["revision_high"]))
    text = ""
    if change is not None:
        low = change.low if kind != "stock" else count_or_none(week["change_low"])
        text = change_text(low, change.high, change.best)
        if kind == "stock":
            text = "net " + text
        elif revised:
            rose = change_text(low + fall[0], _sum_or_none(change.high, fall[1]))
            text = f"{text} net (rose {rose.lstrip('+')}, revised {fall_text(*fall)})"
    elif revised:
        text = f"revised {fall_text(*fall)}"
    since = week["change_since"] if change is not None else ""
    if since:
        text += f" since {since}"
    if change is not None and week["change_partial"]:
        text += ", partly unknown"
    return {
        "week_change": text,
        "change_low": None if change is None else (low if kind == "stock" else change.low),
        "change_best": None if change is None else change.best,
        "change_high": None if change is None else change.high,
        "change_open": change is not None and change.high is None,
        "change_since": since,
        "revision_low": fall[0] if revised else None,
        "revision_high": fall[1] if revised else None,
        "change_ids": ids,
        "revision_ids": week["revision_ids"],
    }


def _sum_or_none(first: int | None, second: int | None) -> int | None:
    return None if first is None or second is None else first + second


CHANGE_COLUMNS = (
    "week_change",
    "change_low",
    "change_best",
    "change_high",
    "change_since",
    "revision_low",
    "revision_high",
)
WEEK_ROW_COLUMNS = [
    "week",
    "week_start",
    "week_end",
    "metric",
    "population_group",
    "source_id",
    "unit",
    "basis",
    "total",
    "total_low",
    "total_best",
    "total_high",
    *CHANGE_COLUMNS,
    "ids",
    "change_ids",
    "revision_ids",
]


def week_rows(weekly: pd.DataFrame) -> pd.DataFrame:
    """A weekly table (aggregation.weekly_table) as a reader's rows, in the summary's words.

    One row per week and source key in which something changed (a rise, a fall,
    new incidents): the total standing at the week's end and the change, each
    with its bounds and ids, written by the same rules as the summary's rows,
    so the two never disagree.
    """
    from ..model.frames import pd

    rows = []
    # Only weeks something happened in: a total carried unchanged says nothing new
    # (and a row per series per week would fill a sheet with repeats).
    stock = weekly["kind"] == "stock"
    moved = weekly["new_ids"].where(~stock, weekly["change_ids"]).ne("") | weekly["revision"]
    for week in weekly[moved].to_dict("records"):
        standing = bool(week["standing_ids"])
        change = change_columns(week, week["kind"])
        total = week_bounds(week, "standing") if standing else None
        basis = "stock" if week["kind"] == "stock" else ("cumulative" if standing else "incident")
        rows.append(
            {
                **{k: week[k] for k in ("week", "week_start", "week_end")},
                **{k: week[k] for k in ("metric", "population_group", "source_id", "unit")},
                "basis": basis,
                "total": "" if total is None else range_text(total.low, total.high, total.best),
                "total_low": None if total is None else total.low,
                "total_best": None if total is None else total.best,
                "total_high": None if total is None else total.high,
                **{k: change[k] for k in CHANGE_COLUMNS},
                "ids": week["standing_ids"],
                "change_ids": change["change_ids"],
                "revision_ids": change["revision_ids"],
            }
        )
    frame = pd.DataFrame(rows, columns=WEEK_ROW_COLUMNS)
    counts = [c for c in WEEK_ROW_COLUMNS if c.endswith(("_low", "_best", "_high"))]
    return frame.astype({c: "Int64" for c in counts})
