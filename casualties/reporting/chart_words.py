"""A chart's words: its title (what, where, the days drawn), the source line naming
who counted and where they published, and place names for codes.

No matplotlib here: the pack, the manifest and the brief write the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..model import contract
from ..model.gazetteer import default_gazetteer

if TYPE_CHECKING:
    from ..model.frames import pd

# What each kind of chart shows of the series, after its label.
SHOWS = {
    "toll": "",
    "weekly": ", new per week",
    "place": ", latest figure by place",
    "compare": ", latest count by source",
}


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


def headline(kind: str, context: ChartContext) -> str:
    """'Civilians killed, new per week': the title's words before the place and dates."""
    return f"{context.what()}{SHOWS[kind]}"


def chart_title(kind: str, context: ChartContext) -> str:
    """The whole title a chart of `kind` carries: what, where and the days drawn."""
    return f"{headline(kind, context)}, {context.place_label}, {context.period}"


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


def place_name(place_codes: str) -> str:
    """The gazetteer names of ';'-separated place codes, joined with ' and '."""
    places = default_gazetteer().places
    codes = place_codes.split(contract.LIST_SEPARATOR)
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


def standing_words(metric: str) -> str:
    """What a toll chart's line is: a running total, or the level a stock stood at."""
    kind = contract.vocabularies()["metric"].terms.get(metric, {}).get("kind")
    return "count at each report" if kind == "stock" else "running total"
