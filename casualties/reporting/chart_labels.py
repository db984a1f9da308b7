"""Labels at the ends of a chart's lines, nudged apart so no two overlap.

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


@dataclass(frozen=True)
class LineEnd:
    """Where one line ends (x as a date or number, y the count) and what is written there."""

    x: object
    y: float
    text: str
    colour: str


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
