"""Charts of the aggregation tables: a toll over time, new figures per week, figures by place.

A chart is a matplotlib drawing ("figure" here means a reported number). The
builders take the tables `casualties.aggregation` returns and return a
matplotlib Figure; `save_chart` writes one as a PNG, the same bytes for the
same data; `chart_manifest` says which figures went into it. Sources are set
side by side, never added. matplotlib is imported inside the functions so the
CLI starts fast, and pyplot not at all: no global state, no display needed.
"""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CasualtiesError
from ..model import contract
from ..model.notation import range_text
from .chart_axes import bar_centres, count_axis, date_axis, days_around, week_axis
from .chart_labels import BarTop, LineEnd, keep_apart, label_bars, label_line_ends
from .chart_marks import (
    as_dates,
    as_floats,
    draw_steps,
    draw_whiskers,
    mark_revisions,
    shown,
    zero_for_missing,
)
from .chart_words import (
    ChartContext,
    drawn_sources,
    footnote_text,
    headline,
    place_name,
    standing_words,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..model.frames import pd


SEP = contract.LIST_SEPARATOR

KINDS = ("toll", "weekly", "place", "compare")

FOOTNOTE_WIDTH = 190  # characters of the 11-point footnote across 1600 px

PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")

SIZE_INCHES = (16, 9)

DPI = 100

GROUP_SPAN = 0.8  # share of a week's or a place's slot the side-by-side bars fill

STYLE = {
    "font.size": 12,
    "axes.titlesize": 18,
    "axes.labelsize": 13,
    "legend.fontsize": 11,
    "svg.hashsalt": "casualties",
}


class NothingToChart(CasualtiesError):
    """A chart's selection holds no figure: no empty PNG is written."""

    def __init__(self, what: str, where: str, filters: dict[str, str] | None = None):
        given = ", ".join(f"{k} {v}" for k, v in (filters or {}).items())
        told = f" (filters: {given})" if given else ""
        super().__init__(f"no figures to chart for {what}, {where}{told}")


def in_chart_style(build):
    """Run a chart builder under the charts' own sizes, whatever the user's matplotlibrc says."""

    @functools.wraps(build)
    def styled(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(STYLE):
            return build(*args, **kwargs)

    return styled


@in_chart_style
def toll_chart(steps: pd.DataFrame, title_context: ChartContext) -> Figure:
    """Each source's running total after each report, bounds shaded, revisions marked."""
    context = title_context
    chart, axes = blank_chart(context, headline("toll", context), steps)
    colours = source_colours(context, steps["source_id"])
    last = steps["day"].max()
    for source, rows in steps.groupby("source_id", sort=True):
        name = context.sources.get(source, source)
        # A source that stopped reporting is dated: its line is not today's count.
        ended = rows["day"].max()
        label = name if ended == last else f"{name} (last report {ended})"
        draw_steps(axes, rows, colours[source], label)
    revised = steps[steps["revision"]]
    falls = _toll_falls(steps)[steps["revision"]]
    mark_revisions(axes, as_dates(revised["day"]), as_floats(shown(revised)), falls)
    date_axis(axes.xaxis, "date of report (end of the period counted)")
    days_around(axes, steps["day"])
    count_axis(axes.yaxis, f"{context.what()}, {standing_words(context.metric)}")
    label_line_ends(axes, _line_ends(steps, context))
    keep_apart(axes)
    axes.legend(loc="upper left")
    return chart


@in_chart_style
def weekly_chart(weekly: pd.DataFrame, context: ChartContext) -> Figure:
    """New figures per week, each source's bar beside the others, revisions marked."""
    chart, axes = blank_chart(context, headline("weekly", context), weekly)
    import matplotlib.dates as mdates

    sources = sorted(weekly["source_id"].unique())
    bases = mdates.date2num(as_dates(weekly["week_start"])) + 3.5
    centres = bar_centres(weekly["source_id"], bases, sources, 7 * GROUP_SPAN)
    width = 7 * GROUP_SPAN / len(sources)
    low = as_floats(weekly["new_low"])
    drawn = _source_bars(
        axes.bar, weekly["source_id"], centres, low, context, sources,
        width=width, edgecolor="black", linewidth=0.3,
    )  # fmt: skip
    for source, bars in drawn.items():
        mine = (weekly["source_id"] == source).to_numpy()
        for bar, revised in zip(bars, weekly["revision"][mine], strict=True):
            bar.set_hatch("///" if revised else "")
    high = as_floats(weekly["new_high"])
    draw_whiskers(axes, centres, low, high, vertical=True)
    revised = weekly["revision"].to_numpy()
    tops = zero_for_missing(low[revised])
    mark_revisions(axes, centres[revised], tops, weekly["revision_low"][revised])
    week_axis(axes, weekly, bases)
    count_axis(axes.yaxis, f"{context.what()}, new in the week")
    axes.legend(loc="upper right")  # first: the bars' numbers make room for it
    label_bars(axes, _bar_tops(weekly, centres, low, high), width)
    keep_apart(axes, ("bar-value", "revision"))
    return chart


def _bar_tops(weekly: pd.DataFrame, centres, low, high) -> list[BarTop]:
    """Each drawn bar's number (the week's new count with its bounds) and where it goes:
    above its whisker, or clear of the mark at its top (a revision's or an open bound's)."""
    import numpy as np

    tops = np.fmax(low, np.nan_to_num(high))
    marked = weekly["revision"].to_numpy(bool) | (np.isnan(high) & (low > 0))
    rows = weekly[["new_low", "new_best", "new_high"]].itertuples(index=False)
    return [
        BarTop(x, top, range_text(row.new_low, row.new_high, row.new_best), bool(mark))
        for x, top, row, mark, drawn in zip(
            centres, tops, rows, marked, ~np.isnan(low), strict=True
        )
        if drawn
    ]


@in_chart_style
def place_chart(latest: pd.DataFrame, context: ChartContext) -> Figure:
    """Each source's latest figure for each place, as horizontal bars with range whiskers."""
    chart, axes = blank_chart(context, headline("place", context), latest)
    import numpy as np

    places = _places_by_size(latest)
    sources = sorted(latest["source_id"].unique())
    bases = latest["place_codes"].map({p: i for i, p in enumerate(places)}).to_numpy(float)
    centres = bar_centres(latest["source_id"], bases, sources, GROUP_SPAN)
    value = as_floats(shown(latest))
    height = GROUP_SPAN / len(sources)
    _source_bars(axes.barh, latest["source_id"], centres, value, context, sources, height=height)
    high = as_floats(latest["high"])
    draw_whiskers(axes, centres, as_floats(latest["low"]), high, vertical=False)
    ends = np.fmax(value, np.nan_to_num(high))
    for centre, end, row in zip(centres, ends, latest.itertuples(index=False), strict=True):
        label = f"{range_text(row.low, row.high)} (to {row.period_end})"
        axes.annotate(label, (end, centre), xytext=(6, 0), textcoords="offset points", va="center")
    axes.set_yticks(range(len(places)), [place_name(p) for p in places])
    count_axis(axes.xaxis, f"{context.what()}, latest figure")
    axes.set_xlim(0, np.nanmax(ends) * 1.25)  # room for the labels at the bars' ends
    axes.legend(loc="lower right")
    return chart


def _source_bars(draw, source_ids: pd.Series, centres, counts, context, sources, **style):
    """One set of bars per source (axes.bar or axes.barh), in its colour; returns each
    source's bars. A missing count draws no bar, and a source with no count at all
    (weeks holding only its revisions) is not named in the legend: an entry must
    point at something drawn."""
    import numpy as np

    colours = source_colours(context, sources)
    drawn = {}
    for source in sources:
        mine = (source_ids == source).to_numpy()
        known = ~np.isnan(counts[mine])
        label = context.sources.get(source, source) if known.any() else NO_LEGEND
        lengths = zero_for_missing(counts[mine])
        drawn[source] = draw(centres[mine], lengths, color=colours[source], label=label, **style)
    return drawn


# matplotlib leaves out of the legend any artist whose label starts with an underscore.
NO_LEGEND = "_nolegend_"


def save_chart(chart: Figure, path: Path) -> None:
    """Write the chart as a PNG with no timestamp or version in it, then release it."""
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"]}):
        chart.savefig(path, dpi=DPI, format="png", metadata={"Software": None})
    chart.clear()


def source_colours(context: ChartContext, source_ids) -> dict[str, str]:
    """Colour per source by its rank among all sources, so it is the same on every chart.

    A store with more sources than colours ranks only the chart's own, so no two
    sources on one chart share a colour (within_palette keeps them few enough).
    """
    everyone = set(context.sources) | set(source_ids)
    known = sorted(everyone if len(everyone) <= len(PALETTE) else set(source_ids))
    return {source: PALETTE[i % len(PALETTE)] for i, source in enumerate(known)}


# The number each kind of chart ranks sources by, when it must leave some out.
RANKED_BY = {"toll": "low", "weekly": "new_low", "place": "low", "compare": "low"}


def within_palette(kind: str, table: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The chart's rows for at most as many sources as there are colours, and those left out.

    Past eight, colours repeat and lines cannot be told apart: the sources with
    the largest figures are drawn; the footnote and manifest name the rest.
    """
    if "source_id" not in table.columns or table["source_id"].nunique() <= len(PALETTE):
        return table, ()
    largest = table.groupby("source_id")[RANKED_BY[kind]].max().fillna(0)
    ranked = sorted(largest.index, key=lambda s: (-largest[s], s))
    drawn = set(ranked[: len(PALETTE)])
    return table[table["source_id"].isin(drawn)], tuple(sorted(ranked[len(PALETTE) :]))


def blank_chart(context: ChartContext, what: str, table: pd.DataFrame) -> tuple[Figure, Axes]:
    """A 1600×900 chart with its title, "as of" day and source line; an empty table is refused."""
    if table.empty:
        raise NothingToChart(what, context.place_label)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    chart = Figure(figsize=SIZE_INCHES, dpi=DPI)
    FigureCanvasAgg(chart)
    axes = chart.add_subplot()
    chart.subplots_adjust(left=0.08, right=0.97, top=0.92, bottom=0.13)
    axes.set_title(f"{what}, {context.place_label}, {context.period}", loc="left")  # chart_title
    axes.set_title(context.as_of_text(), loc="right", fontsize=14, color="#333333")
    sources = drawn_sources(table)
    # Long lists of sources wrap onto a second line rather than run off the image.
    footnote = textwrap.fill(footnote_text(context, sources), FOOTNOTE_WIDTH, max_lines=3)
    chart.text(0.01, 0.012, footnote, fontsize=11, color="#333333", va="bottom")
    return chart, axes


def _line_ends(steps: pd.DataFrame, context: ChartContext) -> list[LineEnd]:
    """Each source's last step: where its line ends and the number written there."""
    last_day = steps["day"].max()
    ends = []
    for source, rows in steps.groupby("source_id", sort=True):
        row = rows.iloc[-1]
        text = range_text(row["low"], row["high"])
        if row["day"] != last_day:  # a line that stopped is not today's count
            text += f" ({row['day']})"
        colour = source_colours(context, steps["source_id"])[source]
        ends.append(LineEnd(as_dates(rows["day"])[-1], float(shown(rows).iloc[-1]), text, colour))
    return ends


def _places_by_size(latest: pd.DataFrame) -> list[str]:
    """Place codes, smallest first, so the largest bar is drawn at the top."""
    size = shown(latest).groupby(latest["place_codes"]).max()
    return sorted(size.index, key=lambda p: (int(size[p]), place_name(p)))


def _toll_falls(steps: pd.DataFrame) -> pd.Series:
    """How far each step's low is below the same source's previous step."""
    return steps.groupby("source_id")["low"].shift() - steps["low"]
