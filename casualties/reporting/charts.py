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
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CasualtiesError
from ..model import contract
from ..model.gazetteer import default_gazetteer
from ..model.missing import is_missing
from ..model.notation import range_text
from .chart_labels import LineEnd, keep_apart, label_line_ends

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

    from ..model.frames import pd

SEP = contract.LIST_SEPARATOR
KINDS = ("toll", "weekly", "place", "compare")
MAX_FALL_LABELS = 12
FOOTNOTE_WIDTH = 190  # characters of the 11-point footnote across 1600 px
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
# Not a source colour; the triangle's shape carries it for readers who cannot see red.
REVISION_COLOUR = "#CC0000"
REVISION_LABEL = "revision (the count fell)"
SIZE_INCHES = (16, 9)
DPI = 100
WEEKS_LABELLED = 16  # beyond this many weeks, the axis shows dates instead of week labels
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


@dataclass(frozen=True)
class ChartContext:
    """What a chart shows: metric and group, where, when, as of when, and who counted."""

    metric: str
    population_group: str
    place_label: str
    as_of: date | None
    # Every source of the store, id -> full name: colours follow this sorted list.
    sources: dict[str, str]
    period: str
    # Sources with figures that the chart leaves out: more than the palette can tell apart.
    left_out: tuple[str, ...] = ()
    # The publications the drawn figures came from, as the source line names them.
    publications: tuple[str, ...] = ()
    # The last day drawn: the "as of" day when no --as-of was given.
    last_day: str | None = None

    def what(self) -> str:
        """'Children killed', 'IDPs': the vocabulary's plain-English label of the series."""
        return contract.series_label(self.metric, self.population_group)

    def as_of_text(self) -> str:
        """'as of 2024-12-08': the day the figures were known by, or the last day drawn."""
        if self.as_of:
            return f"as of {self.as_of.isoformat()}"
        return f"as of {self.last_day}" if self.last_day else "every report in the store"


def _styled(build):
    """Run a chart builder under the charts' own sizes, whatever the user's matplotlibrc says."""

    @functools.wraps(build)
    def styled(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(STYLE):
            return build(*args, **kwargs)

    return styled


@_styled
def toll_chart(steps: pd.DataFrame, title_context: ChartContext) -> Figure:
    """Each source's running total after each report, bounds shaded, revisions marked."""
    context = title_context
    chart, axes = _blank_chart(context, headline("toll", context), steps)
    colours = source_colours(context, steps["source_id"])
    last = steps["day"].max()
    for source, rows in steps.groupby("source_id", sort=True):
        name = context.sources.get(source, source)
        # A source that stopped reporting is dated: its line is not today's count.
        ended = rows["day"].max()
        label = name if ended == last else f"{name} (last report {ended})"
        _draw_steps(axes, rows, colours[source], label)
    revised = steps[steps["revision"]]
    falls = _toll_falls(steps)[steps["revision"]]
    _mark_revisions(axes, _dates(revised["day"]), _floats(shown(revised)), falls)
    _date_axis(axes.xaxis, "date of report (end of the period counted)")
    _days_around(axes, steps["day"])
    _count_axis(axes.yaxis, f"{context.what()}, {_standing_words(context.metric)}")
    label_line_ends(axes, _line_ends(steps, context))
    keep_apart(axes)
    axes.legend(loc="upper left")
    return chart


@_styled
def weekly_chart(weekly: pd.DataFrame, context: ChartContext) -> Figure:
    """New figures per week, each source's bar beside the others, revisions marked."""
    chart, axes = _blank_chart(context, headline("weekly", context), weekly)
    import matplotlib.dates as mdates

    sources = sorted(weekly["source_id"].unique())
    bases = mdates.date2num(_dates(weekly["week_start"])) + 3.5
    centres = _bar_centres(weekly["source_id"], bases, sources, 7 * GROUP_SPAN)
    width = 7 * GROUP_SPAN / len(sources)
    low = _floats(weekly["new_low"])
    drawn = _source_bars(
        axes.bar, weekly["source_id"], centres, low, context, sources,
        width=width, edgecolor="black", linewidth=0.3,
    )  # fmt: skip
    for source, bars in drawn.items():
        mine = (weekly["source_id"] == source).to_numpy()
        for bar, revised in zip(bars, weekly["revision"][mine], strict=True):
            bar.set_hatch("///" if revised else "")
    _draw_whiskers(axes, centres, low, _floats(weekly["new_high"]), vertical=True)
    revised = weekly["revision"].to_numpy()
    tops = _zero_missing(low[revised])
    _mark_revisions(axes, centres[revised], tops, weekly["revision_low"][revised])
    _week_axis(axes, weekly, bases)
    _count_axis(axes.yaxis, f"{context.what()}, new in the week")
    keep_apart(axes)
    axes.legend(loc="upper right")
    return chart


@_styled
def place_chart(latest: pd.DataFrame, context: ChartContext) -> Figure:
    """Each source's latest figure for each place, as horizontal bars with range whiskers."""
    chart, axes = _blank_chart(context, headline("place", context), latest)
    import numpy as np

    places = _places_by_size(latest)
    sources = sorted(latest["source_id"].unique())
    bases = latest["place_codes"].map({p: i for i, p in enumerate(places)}).to_numpy(float)
    centres = _bar_centres(latest["source_id"], bases, sources, GROUP_SPAN)
    value = _floats(shown(latest))
    height = GROUP_SPAN / len(sources)
    _source_bars(axes.barh, latest["source_id"], centres, value, context, sources, height=height)
    high = _floats(latest["high"])
    _draw_whiskers(axes, centres, _floats(latest["low"]), high, vertical=False)
    ends = np.fmax(value, np.nan_to_num(high))
    for centre, end, row in zip(centres, ends, latest.itertuples(index=False), strict=True):
        label = f"{range_text(row.low, row.high)} (to {row.period_end})"
        axes.annotate(label, (end, centre), xytext=(6, 0), textcoords="offset points", va="center")
    axes.set_yticks(range(len(places)), [place_name(p) for p in places])
    _count_axis(axes.xaxis, f"{context.what()}, latest figure")
    axes.set_xlim(0, np.nanmax(ends) * 1.25)  # room for the labels at the bars' ends
    axes.legend(loc="lower right")
    return chart


# What each kind of chart shows of the series, after its label.
SHOWS = {
    "toll": "",
    "weekly": ", new per week",
    "place": ", latest figure by place",
    "compare": ", latest count by source",
}


def headline(kind: str, context: ChartContext) -> str:
    """'Civilians killed, new per week': the title's words before the place and dates."""
    return f"{context.what()}{SHOWS[kind]}"


def chart_title(kind: str, context: ChartContext) -> str:
    """The whole title a chart of `kind` carries: what, where and the days drawn."""
    return f"{headline(kind, context)}, {context.place_label}, {context.period}"


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
        lengths = _zero_missing(counts[mine])
        drawn[source] = draw(centres[mine], lengths, color=colours[source], label=label, **style)
    return drawn


# matplotlib leaves out of the legend any artist whose label starts with an underscore.
NO_LEGEND = "_nolegend_"
# The columns holding the first and last day each kind of chart draws.
DRAWN_DAYS = {"toll": ("day", "day"), "weekly": ("week_start", "week_end")}


def drawn_period(kind: str, table: pd.DataFrame) -> str:
    """The days a chart draws, for its title: never those of figures it leaves out."""
    if table.empty:
        return "no figures"
    if kind in ("place", "compare"):
        first, last = table["period_end"].min(), table["period_end"].max()
        return f"periods ending {first}" + (f" to {last}" if last != first else "")
    start, end = DRAWN_DAYS[kind]
    first, last = table[start].min(), table[end].max()
    return first if first == last else f"{first} to {last}"


def last_drawn_day(kind: str, table: pd.DataFrame) -> str | None:
    """The last day a chart draws: its "as of" day when no --as-of was given."""
    if table.empty:
        return None
    column = {"place": "period_end", "compare": "period_end"}.get(kind) or DRAWN_DAYS[kind][1]
    return str(table[column].max())


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


def place_name(place_codes: str) -> str:
    """The gazetteer names of ';'-separated place codes, joined with ' and '."""
    places = default_gazetteer().places
    codes = place_codes.split(SEP)
    return " and ".join(places[c].name if c in places else c for c in codes)


PUBLICATIONS_NAMED = 3  # more would push the footnote past its three lines


def footnote_text(context: ChartContext, source_ids) -> str:
    """The source line: who counted (full names) and where they published."""
    names = "; ".join(context.sources.get(s, s) for s in sorted(set(source_ids))) or "none"
    named = "; ".join(context.publications[:PUBLICATIONS_NAMED])
    more = len(context.publications) - PUBLICATIONS_NAMED
    if more > 0:
        named += f" and {more} more (the manifest lists them)"
    published = f" Published in: {named}." if named else ""
    left_out = (
        f" {len(context.left_out)} more sources with smaller figures are not drawn "
        "(eight colours at most; the manifest names them)."
        if context.left_out
        else ""
    )
    return (
        f"Sources: {names}.{published} "
        f"Each source's count is shown beside the others, never added to them.{left_out}"
    )


def drawn_sources(table: pd.DataFrame) -> list[str]:
    """The sources with something drawn: a week's rows holding neither a new count nor a
    revision draw nothing, so the source line does not name their source."""
    if "source_id" not in table.columns:
        return []
    if "new_low" in table.columns:
        table = table[table["new_low"].notna() | table["revision"].astype(bool)]
    return sorted(set(table["source_id"]))


def _blank_chart(context: ChartContext, what: str, table: pd.DataFrame) -> tuple[Figure, Axes]:
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


def _standing_words(metric: str) -> str:
    """What a toll chart's line is: a running total, or the level a stock stood at."""
    kind = contract.vocabularies()["metric"].terms.get(metric, {}).get("kind")
    return "count at each report" if kind == "stock" else "running total"


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
        ends.append(LineEnd(_dates(rows["day"])[-1], float(shown(rows).iloc[-1]), text, colour))
    return ends


def _draw_steps(axes: Axes, rows: pd.DataFrame, colour: str, name: str) -> None:
    """One source's running total as a step line, its known bounds as a shaded band."""
    import numpy as np

    days = _dates(rows["day"])
    axes.plot(days, _floats(shown(rows)), drawstyle="steps-post", marker="o", markersize=3.5)
    axes.lines[-1].set(color=colour, linewidth=2, label=name)
    low, high = _floats(rows["low"]), _floats(rows["high"])
    open_ = np.isnan(high) & ~np.isnan(low)
    if open_.any():
        axes.scatter(days[open_], low[open_], marker="^", s=50, color=colour, zorder=5)
        axes.collections[-1].set_label(f"{name}: at least (no upper bound)")
    ranged = ~np.isnan(high) & (high > low)
    if ranged.any():
        axes.fill_between(
            days, low, high, where=ranged, step="post", color=colour, alpha=0.25, linewidth=0
        )
        axes.collections[-1].set_label(f"{name}: range, low to high")


def _draw_whiskers(axes: Axes, centres, low, high, vertical: bool) -> None:
    """A whisker from each bar's low up to its high, where the high is known and above it."""
    import numpy as np

    _mark_open(axes, centres, low, high, vertical)
    ranged = ~np.isnan(high) & (high > low)
    if not ranged.any():
        return
    spans = [np.zeros(ranged.sum()), (high - low)[ranged]]
    at, low = centres[ranged], low[ranged]
    x, y = (at, low) if vertical else (low, at)
    errors = {"yerr": spans} if vertical else {"xerr": spans}
    axes.errorbar(
        x, y, **errors, fmt="none", ecolor="black", capsize=5, label="range, up to the high figure"
    )


OPEN_LABEL = "at least: no upper bound"


def _mark_open(axes: Axes, at, low, high, vertical: bool) -> None:
    """An arrowhead at the end of each bar whose count has no upper bound ("at least")."""
    import numpy as np

    open_ = np.isnan(high) & ~np.isnan(low) & (low > 0)
    if not open_.any():
        return
    x, y = (at[open_], low[open_]) if vertical else (low[open_], at[open_])
    marker = "^" if vertical else ">"
    axes.scatter(x, y, marker=marker, s=60, color="black", zorder=5, label=OPEN_LABEL)


def _mark_revisions(axes: Axes, x, y, falls) -> None:
    """A red downward triangle at each revision, with how far the count fell."""
    if len(x) == 0:
        return
    axes.scatter(
        x,
        y,
        marker="v",
        s=130,
        color=REVISION_COLOUR,
        edgecolors="black",
        zorder=5,
        label=REVISION_LABEL,
    )
    for at, top, fall in _labelled_falls(x, y, falls):
        if not is_missing(fall):
            axes.annotate(
                f"−{int(fall):,}",
                (at, top),
                xytext=(10, 0),
                textcoords="offset points",
                va="center",
                color=REVISION_COLOUR,
                fontweight="bold",
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"},
                gid="revision",
            )


def _labelled_falls(x, y, falls) -> list[tuple]:
    """The falls to write beside their triangles: all of a few, else the largest few.

    Hundreds of labels would hide the lines (and take seconds to draw); every
    fall keeps its triangle, and the manifest lists them all.
    """
    marks = list(zip(x, y, falls, strict=True))
    if len(marks) <= MAX_FALL_LABELS:
        return marks
    sized = [m for m in marks if not is_missing(m[2])]
    return sorted(sized, key=lambda m: -int(m[2]))[:MAX_FALL_LABELS]


def _week_axis(axes: Axes, weekly: pd.DataFrame, bases) -> None:
    """Week labels under the bars when they fit; dates along the axis when they don't."""
    label = "week (bars of one week side by side, one per source)"
    weeks = dict(zip(bases, weekly["week"], strict=True))
    if len(weeks) > WEEKS_LABELLED:
        _date_axis(axes.xaxis, label)
        return
    axes.set_xticks(list(weeks), list(weeks.values()))
    axes.set_xlim(min(weeks) - 7, max(weeks) + 7)
    axes.xaxis.set_label_text(label)


DAYS_AROUND = 14  # a toll of a few reports shows a month around them, not years


def _days_around(axes: Axes, days: pd.Series) -> None:
    """Narrow the date axis to a fortnight either side when the reports span under a month
    (matplotlib would stretch one point over years)."""
    import matplotlib.dates as mdates

    first, last = mdates.date2num(_dates(days.agg(["min", "max"])))
    if last - first < 2 * DAYS_AROUND:
        axes.set_xlim(first - DAYS_AROUND, last + DAYS_AROUND)


def _date_axis(axis: Axis, label: str) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator()
    axis.set_major_locator(locator)
    axis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axis.set_label_text(label)


def _count_axis(axis: Axis, label: str) -> None:
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


def _bar_centres(source_ids: pd.Series, bases, sources: list[str], span: float) -> np.ndarray:
    """Each row's bar centre: its group's centre, shifted to its source's slot."""
    slot = source_ids.map({s: i for i, s in enumerate(sources)}).to_numpy(float)
    width = span / len(sources)
    return bases - span / 2 + (slot + 0.5) * width


def _places_by_size(latest: pd.DataFrame) -> list[str]:
    """Place codes, smallest first, so the largest bar is drawn at the top."""
    size = shown(latest).groupby(latest["place_codes"]).max()
    return sorted(size.index, key=lambda p: (int(size[p]), place_name(p)))


def _toll_falls(steps: pd.DataFrame) -> pd.Series:
    """How far each step's low is below the same source's previous step."""
    return steps.groupby("source_id")["low"].shift() - steps["low"]


def shown(rows: pd.DataFrame) -> pd.Series:
    """The number drawn for each row: best where known, else low, else high ('up to N')."""
    return rows["best"].fillna(rows["low"]).fillna(rows["high"]).fillna(0)


def _floats(column: pd.Series) -> np.ndarray:
    """A nullable count column as floats, missing as NaN."""
    import numpy as np

    return column.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _zero_missing(values: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.nan_to_num(values, nan=0.0)


def _dates(days: pd.Series) -> np.ndarray:
    """ISO date strings as numpy datetimes."""
    return days.to_numpy().astype("datetime64[D]")
