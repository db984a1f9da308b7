"""A chart's axes: counts from zero with thousands separators, dates or week labels,
and the slots of bars set side by side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .chart_marks import as_dates

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis

    from ..model.frames import pd


WEEKS_LABELLED = 16  # beyond this many weeks, the axis shows dates instead of week labels


def week_axis(axes: Axes, weekly: pd.DataFrame, bases) -> None:
    """Week labels under the bars when they fit; dates along the axis when they don't."""
    label = "week (bars of one week side by side, one per source)"
    weeks = dict(zip(bases, weekly["week"], strict=True))
    if len(weeks) > WEEKS_LABELLED:
        date_axis(axes.xaxis, label)
        return
    axes.set_xticks(list(weeks), list(weeks.values()))
    axes.set_xlim(min(weeks) - 7, max(weeks) + 7)
    axes.xaxis.set_label_text(label)


DAYS_AROUND = 14  # a toll of a few reports shows a month around them, not years


def days_around(axes: Axes, days: pd.Series) -> None:
    """Narrow the date axis to a fortnight either side when the reports span under a month
    (matplotlib would stretch one point over years)."""
    import matplotlib.dates as mdates

    first, last = mdates.date2num(as_dates(days.agg(["min", "max"])))
    if last - first < 2 * DAYS_AROUND:
        axes.set_xlim(first - DAYS_AROUND, last + DAYS_AROUND)


def date_axis(axis: Axis, label: str) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    axis.set_major_locator(locator)
    axis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axis.set_label_text(label)


def count_axis(axis: Axis, label: str) -> None:
    """Counts from zero, with thousands separators."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10], integer=True))
    axis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))
    axis.set_label_text(label)
    axis.axes.grid(True, axis="y" if axis.axis_name == "y" else "x", color="#dddddd")
    axis.axes.set_axisbelow(True)
    if axis.axis_name == "y":
        axis.axes.set_ylim(bottom=0)
    else:
        axis.axes.set_xlim(left=0)


def bar_centres(source_ids: pd.Series, bases, sources: list[str], span: float) -> np.ndarray:
    """Each row's bar centre: its group's centre, shifted to its source's slot."""
    slot = source_ids.map({s: i for i, s in enumerate(sources)}).to_numpy(float)
    width = span / len(sources)
    return bases - span / 2 + (slot + 0.5) * width
