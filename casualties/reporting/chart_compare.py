"""The source-comparison chart: every source's latest count of one metric and group, side by side.

One horizontal bar per source (and per series, where a source keeps two: a
running total and an incident), its bounds drawn as bounds (a whisker up to
the high, an arrowhead where there is none) and its dates written at its end,
so a reader sees at once who says what and as of when. The rows are the
summary's own (`chart_tables.sources_compared`): the chart and `casualties
summary` never disagree. Nothing is added across the bars.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.notation import range_text
from .chart_axes import count_axis
from .chart_marks import as_floats, draw_whiskers, shown
from .chart_words import ChartContext, headline
from .charts import blank_chart, in_chart_style, source_colours

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ..model.frames import pd

BAR_HEIGHT = 0.5
LEFT = 0.25  # share of the width for the bars' names: 400 px, the longest source names


@in_chart_style
def compare_chart(compared: pd.DataFrame, context: ChartContext) -> Figure:
    """A bar per source's latest count, bounds as whiskers, each dated at its end."""
    chart, axes = blank_chart(context, headline("compare", context), compared)
    import numpy as np

    chart.subplots_adjust(left=LEFT)  # the sources' full names stand left of the bars
    # The title starts at the chart's left edge, over the names, clear of the "as of" day.
    right = chart.subplotpars.right
    axes.set_title(axes.get_title(loc="left"), loc="left", x=(0.01 - LEFT) / (right - LEFT))

    rows = compared.iloc[::-1].reset_index(drop=True)  # the first source on top
    at = np.arange(len(rows), dtype=float)
    value = as_floats(shown(rows))
    colours = source_colours(context, rows["source_id"])
    axes.barh(at, value, height=BAR_HEIGHT, color=[colours[s] for s in rows["source_id"]])
    high = as_floats(rows["high"])
    draw_whiskers(axes, at, as_floats(rows["low"]), high, vertical=False)
    ends = np.fmax(value, np.nan_to_num(high))
    for centre, end, row in zip(at, ends, rows.itertuples(index=False), strict=True):
        axes.annotate(
            f"{range_text(row.low, row.high, row.best)}  {dates_text(row)}",
            (end, centre),
            xytext=(12, 0),  # clear of an arrowhead at the bar's end
            textcoords="offset points",
            va="center",
        )
    axes.set_yticks(at, [bar_name(row, context) for row in rows.itertuples(index=False)])
    count_axis(axes.xaxis, f"{context.what()}, latest count")
    axes.set_xlim(0, np.nanmax(ends) * 1.45)  # room for the dates at the bars' ends
    if axes.get_legend_handles_labels()[0]:  # only the marks drawn: whiskers, arrowheads
        axes.legend(loc="lower right")
    return chart


def dates_text(row) -> str:
    """'to 2025-10-07, reported 2025-10-08': the period a count runs to and when it was told."""
    told = "" if row.reported_on == row.period_end else f", reported {row.reported_on}"
    return f"(to {row.period_end}{told})"


def bar_name(row, context: ChartContext) -> str:
    """The source's full name, and under it what its count covers."""
    name = context.sources.get(row.source_id, row.source_id)
    if row.basis == "cumulative":
        anchored = isinstance(row.anchor, str) and row.anchor
        covers = f"running total since {row.anchor}" if anchored else "running total"
    elif row.basis == "incident":
        covers = "one incident or period"
    else:
        covers = "count at a date"
    return f"{name}\n{covers}"
