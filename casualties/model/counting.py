"""What a figure counts as in totals: its unit, kind, anchor, bounds, and whether it counts.

The rules read every figure through `counting_view`, so that one place says:

- **Units.** Households or families with a household size count as the people
  stored for them (`people_low/best/high`); without a size they stay in their
  own unit, in rows of their own, never added to people.
- **Kind.** A figure with basis `stock` is a level standing at a date (IDPs
  present, missing, detained); every other figure is a flow (deaths,
  displacements). Stocks and flows never share a series, a row or a range.
- **Anchor.** A running total runs from its anchor (`period_start`); a stock
  and an incident have none, so a stock's rounds with different dates stay
  one series.
- **Approximate numbers.** "About 300" with no bounds of its own has those
  `schemas/vague_numbers.yaml` gives approximate numbers, best 300, never 0.
- **Which figures count** (`counts_mask`): the recommended ones not graded
  discounted (IDMC Helix's role, Airwars' grading); the others are shown
  beside them, never added.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import contract

if TYPE_CHECKING:
    from .frames import pd

VIEW_COLUMNS = ("kind", "anchor")
# Bases whose later report replaces the earlier one: a running total, a level.
STANDING_BASES = ("cumulative", "stock")
# The stored columns counting_view reads.
NEEDED_COLUMNS = [
    "basis",
    "unit",
    "household_size",
    "qualifier",
    "period_start",
    "value_low",
    "value_best",
    "value_high",
    "people_low",
    "people_best",
    "people_high",
]
BOUND_PARTS = ("low", "best", "high")


def counting_view(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures as the rules count them: people bounds, kind, anchor, approximate bounds.

    A frame already seen (it has the view's columns) is returned as it is.
    """
    if all(c in figures.columns for c in VIEW_COLUMNS):
        return figures
    figures = figures.copy()
    if "people_low" in figures.columns:
        in_people = (figures["unit"] == "people") | figures["household_size"].notna()
        for part in BOUND_PARTS:
            figures[f"value_{part}"] = figures[f"value_{part}"].where(
                ~in_people, figures[f"people_{part}"]
            )
        figures["unit"] = figures["unit"].where(~in_people, "people")
    if "qualifier" in figures.columns:
        figures = _approximate_bounds(figures)
    stock = (figures["basis"] == "stock").to_numpy()
    figures["kind"] = ["stock" if s else "flow" for s in stock]
    running = (figures["basis"] == "cumulative").to_numpy()
    figures["anchor"] = figures["period_start"].where(running, "")
    return figures


def _approximate_bounds(figures: pd.DataFrame) -> pd.DataFrame:
    """'About N' without bounds of its own: N less and more the approximate margin."""
    import numpy as np

    about = (figures["qualifier"] == "about") & figures["value_best"].notna()
    if not about.any():
        return figures
    margin = contract.approximate_margin()
    best = figures.loc[about, "value_best"].astype("float64")
    low = np.floor(best * (1 - margin)).astype("int64")
    high = np.ceil(best * (1 + margin)).astype("int64")
    figures["value_low"] = figures["value_low"].astype("Int64")
    figures["value_high"] = figures["value_high"].astype("Int64")
    figures.loc[about, "value_low"] = figures.loc[about, "value_low"].fillna(low)
    figures.loc[about, "value_high"] = figures.loc[about, "value_high"].fillna(high)
    return figures


def standing_mask(figures: pd.DataFrame):
    """Which figures are reports of a standing count (a running total or a stock)."""
    return figures["basis"].isin(STANDING_BASES).to_numpy()


def counts_mask(figures: pd.DataFrame):
    """Which figures enter totals: recommended, not graded discounted (numpy booleans).

    Figures read without role and grade were chosen through the store's keys,
    which hold counting figures only.
    """
    import numpy as np

    if "role" not in figures.columns:
        return np.ones(len(figures), dtype=bool)
    chosen = (figures["role"] == "recommended").to_numpy()
    return chosen & (figures["grade"] != "discounted").to_numpy()


def default_basis(metric: str) -> str:
    """The basis a figure of `metric` has when none is given: stock for a stock metric."""
    kind = contract.vocabularies()["metric"].terms.get(metric, {}).get("kind")
    return "stock" if kind == "stock" else "incident"
