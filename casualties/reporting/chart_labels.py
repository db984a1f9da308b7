"""Labels of a chart's numbers: at the ends of its lines, nudged apart so no two overlap,
and above its bars.

Two sources near the same count end their lines side by side; their numbers
would print over each other. Each label keeps its line's height where it can
and moves up or down only as far as the gap between labels needs, with a
thin leader back to its point when it moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

LABEL_GAP = 22.0  # points between label centres: a 12-point bold line in its box, and air
ROOM_RIGHT = 0.09  # share of the date span added on the right for the labels
BAR_LABEL_POINTS = 10  # the size of a bar's number
CHARACTER_POINTS = 0.62 * BAR_LABEL_POINTS  # a digit's width, about, at that size
LABEL_RISE = 4.0  # points between a bar's top (or its whisker's) and its number
MARKED_RISE = 12.0  # clear of a triangle or arrowhead drawn at the bar's top


@dataclass(frozen=True)
class LineEnd:
    """Where one line ends (x as a date or number, y the count) and what is written there."""

    x: object
    y: float
    text: str
    colour: str


@dataclass(frozen=True)
class BarTop:
    """Where a bar's number goes: its centre, the top of the bar or its whisker, the text,
    and whether a mark (a revision's triangle, an open bound's arrowhead) sits there."""

    x: float
    top: float
    text: str
    marked: bool = False


def spread(heights: list[float], gap: float, top: float) -> list[float]:
    """Heights at least `gap` apart, each as near its own as the others allow, within 0..top."""
    order = sorted(range(len(heights)), key=lambda i: (heights[i], i))
    placed = [heights[i] for i in order]
    for n in range(1, len(placed)):
        placed[n] = max(placed[n], placed[n - 1] + gap)
    if placed and placed[-1] > top:
        placed[-1] = top
        for n in range(len(placed) - 2, -1, -1):
            placed[n] = min(placed[n], placed[n + 1] - gap)
    moved = [0.0] * len(heights)
    for n, i in enumerate(order):
        moved[i] = placed[n]
    return moved


def label_line_ends(axes: Axes, ends: list[LineEnd]) -> None:
    """Write each line's latest value just right of its last point, labels kept apart."""
    if not ends:
        return
    left, right = axes.get_xlim()
    axes.set_xlim(left, right + (right - left) * ROOM_RIGHT)
    bottom, top = axes.get_ylim()
    chart_height = axes.figure.get_size_inches()[1] * 72
    height = axes.get_position().height * chart_height  # the plot's height in points
    heights = [(end.y - bottom) / (top - bottom) * height for end in ends]
    for end, own, placed in zip(ends, heights, spread(heights, LABEL_GAP, height), strict=True):
        lead = {"arrowstyle": "-", "color": end.colour, "linewidth": 0.8}
        axes.annotate(
            end.text,
            (end.x, end.y),
            xytext=(10, placed - own),
            textcoords="offset points",
            va="center",
            color="black",
            fontweight="bold",
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": end.colour},
            arrowprops=lead if abs(placed - own) > 1 else None,
            gid="line-end",
        )


def keep_apart(axes: Axes, gids: tuple[str, ...] = ("line-end", "revision")) -> None:
    """Move labels up, in the order of `gids`, until none overlaps one placed before it.

    Line ends are already spread among themselves; revision labels, a few
    days apart on a busy line, may still meet each other or a line's end.
    """
    texts = [t for gid in gids for t in axes.texts if t.get_gid() == gid]
    if len(texts) < 2:
        return
    renderer = axes.figure.canvas.get_renderer()
    placed = []
    for text in texts:
        box = _extent(text, renderer)
        for _ in range(len(texts) * 3):
            if not any(box.overlaps(other) for other in placed):
                break
            x, y = text.xyann
            text.xyann = (x, y + LABEL_GAP)
            box = _extent(text, renderer)
        placed.append(box)


def _extent(text, renderer):
    """Where an annotation's label lies on the chart, in pixels: its own text, not the
    leader line back to its point (an annotation places its text only when asked)."""
    from matplotlib.text import Text

    text.update_positions(renderer)
    return Text.get_window_extent(text, renderer)


def label_bars(axes: Axes, bars: list[BarTop], width: float) -> bool:
    """Write each bar's number above it (or above its whisker or arrowhead).

    Upright where the bars are wide enough for the longest number, turned on
    its side where they are not; none at all where even that would make the
    numbers run into each other (the manifest lists every value). Room is made
    above the tallest for its number and the legend (drawn before), so no
    number leaves the plot or hides behind the legend. False when none was written.
    """
    if not bars:
        return False
    left, right = axes.get_xlim()
    plot_points = axes.get_position().width * axes.figure.get_size_inches()[0] * 72
    bar_points = width / (right - left) * plot_points
    longest = max(len(bar.text) for bar in bars) * CHARACTER_POINTS
    if bar_points >= longest + 2:
        rotation, reach = 0, BAR_LABEL_POINTS * 1.4
    elif bar_points >= BAR_LABEL_POINTS * 1.3:
        rotation, reach = 90, longest
    else:
        return False
    for bar in bars:
        axes.annotate(
            bar.text,
            (bar.x, bar.top),
            xytext=(0, MARKED_RISE if bar.marked else LABEL_RISE),
            textcoords="offset points",
            ha="center",
            va="bottom",
            rotation=rotation,
            fontsize=BAR_LABEL_POINTS,
            gid="bar-value",
        )
    legend = axes.get_legend()
    renderer = axes.figure.canvas.get_renderer()
    legend_points = (
        legend.get_window_extent(renderer).height * 72 / axes.figure.dpi if legend else 0
    )
    _room_above(axes, max(bar.top for bar in bars), reach + MARKED_RISE + legend_points)
    return True


def _room_above(axes: Axes, highest: float, points: float) -> None:
    """Raise the count axis so `points` fit above `highest`."""
    bottom, top = axes.get_ylim()
    plot_points = axes.get_position().height * axes.figure.get_size_inches()[1] * 72
    share = min(points / plot_points, 0.5)
    needed = bottom + (highest - bottom) / (1 - share)
    if needed > top:
        axes.set_ylim(bottom, needed)
