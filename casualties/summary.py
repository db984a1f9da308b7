"""The store at a glance: what it holds and each source's figures, subsets under parents.

Nothing is added up: figures of different sources, and subsets of a figure,
are shown side by side so a reader never meets a false total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .query import with_value_text

if TYPE_CHECKING:
    import pandas as pd

    from .store import Store

SUMMARY_COLUMNS = [
    "metric",
    "population_group",
    "value",
    "source_id",
    "place_reported",
    "period",
    "basis",
    "reported_on",
    "id",
]


@dataclass(frozen=True)
class Overview:
    figures: int
    active: int
    sources: int
    publications: int
    first_day: str | None
    last_day: str | None


def overview(store: Store, figures: pd.DataFrame) -> Overview:
    """Counts and the span of days the figures cover."""
    counts = store.counts()
    active = figures[figures["status"] == "active"]
    return Overview(
        figures=len(figures),
        active=len(active),
        sources=counts["sources"],
        publications=counts["publications"],
        first_day=None if figures.empty else str(figures["period_start"].min()),
        last_day=None if figures.empty else str(figures["period_end"].max()),
    )


def figures_by_metric(figures: pd.DataFrame) -> pd.DataFrame:
    """Active figures, one row each, subsets indented under their parent."""
    active = with_value_text(figures[figures["status"] == "active"])
    active["period"] = active["period_start"].where(
        active["period_start"] == active["period_end"],
        active["period_start"] + " – " + active["period_end"],
    )
    parents = active[active["part_of"].isna()].sort_values(
        ["metric", "population_group", "source_id", "period_start", "id"]
    )
    ordered = []
    for parent in parents.to_dict("records"):
        ordered.append(parent)
        for child in active[active["part_of"] == parent["id"]].to_dict("records"):
            child["population_group"] = "  of which " + child["population_group"]
            ordered.append(child)
    orphans = active[active["part_of"].notna() & ~active["part_of"].isin(parents["id"])]
    ordered += orphans.to_dict("records")
    import pandas as pd

    return pd.DataFrame(ordered, columns=[*active.columns]).reindex(columns=SUMMARY_COLUMNS)
