"""The marks a chart draws for its numbers: step lines with their bands, bars' whiskers,
arrowheads for counts with no upper bound, triangles for revisions.

Each mark says what it is in the legend, and the numbers come as the tables
hold them (nullable counts, ISO days), read by `as_floats` and `as_dates`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.missing import is_missing

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes

    from ..model.frames import pd


MAX_FALL_LABELS = 12

# Not a source colour; the triangle's shape carries it for readers who cannot see red.
REVISION_COLOUR = "#CC0000"

REVISION_LABEL = "revision (the count fell)"


def draw_steps(axes: Axes, rows: pd.DataFrame, colour: str, name: str) -> None:
    """One source's running total as a step line, its known bounds as a shaded band."""
    import numpy as np

    days = as_dates(rows["day"])
    axes.plot(days, as_floats(shown(rows)), drawstyle="steps-post", marker="o", markersize=3.5)
    axes.lines[-1].set(color=colour, linewidth=2, label=name)
    low, high = as_floats(rows["low"]), as_floats(rows["high"])
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


def draw_whiskers(axes: Axes, centres, low, high, vertical: bool) -> None:
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


def mark_revisions(axes: Axes, x, y, falls) -> None:
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


def shown(rows: pd.DataFrame) -> pd.Series:
    """The number drawn for each row: best where known, else low, else high ('up to N')."""
    return rows["best"].fillna(rows["low"]).fillna(rows["high"]).fillna(0)


def as_floats(column: pd.Series) -> np.ndarray:
    """A nullable count column as floats, missing as NaN."""
    import numpy as np

    return column.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def zero_for_missing(values: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.nan_to_num(values, nan=0.0)


def as_dates(days: pd.Series) -> np.ndarray:
    """ISO date strings as numpy datetimes."""
    return days.to_numpy().astype("datetime64[D]")
