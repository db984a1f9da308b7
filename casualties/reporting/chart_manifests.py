"""Each chart's manifest: which figures went into it, and the ids behind every number drawn."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .chart_marks import shown
from .chart_words import ChartContext, chart_title
from .charts import KINDS, SEP

if TYPE_CHECKING:
    from ..model.frames import pd

ID_COLUMNS = ("ids", "new_ids", "standing_ids", "revision_ids")
# Okabe–Ito: told apart under every common colour-vision deficiency.


def chart_manifest(kind: str, table: pd.DataFrame, context: ChartContext, path: Path) -> dict:
    """Which figures went into a chart, and each plotted number's ids: JSON-able."""
    if kind not in KINDS:
        raise ValueError(f"chart kind {kind!r} is not one of {', '.join(KINDS)}")
    points = {
        "toll": _toll_points,
        "weekly": _weekly_points,
        "place": _place_points,
        "compare": _compare_points,
    }[kind]
    return {
        "kind": kind,
        "file": Path(path).name,
        "context": {
            "metric": context.metric,
            "population_group": context.population_group,
            "place_label": context.place_label,
            "as_of": context.as_of.isoformat() if context.as_of else None,
            "period": context.period,
            "sources": dict(sorted(context.sources.items())),
            "publications": list(context.publications),
        },
        # What the chart writes, so a reader of the manifest sees what the PNG says.
        "title": chart_title(kind, context),
        "as_of_text": context.as_of_text(),
        "sources_not_drawn": list(context.left_out),
        "figure_ids": figure_ids(table),
        "points": points(table) if not table.empty else [],
    }


def figure_ids(table: pd.DataFrame) -> list[str]:
    """Every figure id in the table's id-list columns, once each, sorted."""
    found = {
        figure_id
        for column in ID_COLUMNS
        if column in table.columns
        for listed in table[column].dropna()
        for figure_id in listed.split(SEP)
        if figure_id
    }
    return sorted(found)


def _toll_points(steps: pd.DataFrame) -> list[dict]:
    return _points(steps, "day", shown(steps), steps["ids"], "running total")


def _weekly_points(weekly: pd.DataFrame) -> list[dict]:
    bars = weekly[weekly["new_low"].notna()]
    falls = weekly[weekly["revision"] & weekly["revision_low"].notna()]
    return _points(bars, "week", bars["new_low"], bars["new_ids"], "new") + _points(
        falls, "week", falls["revision_low"], falls["revision_ids"], "revision fall"
    )


def _place_points(latest: pd.DataFrame) -> list[dict]:
    return _points(latest, "place_codes", shown(latest), latest["ids"], "latest")


def _compare_points(compared: pd.DataFrame) -> list[dict]:
    return _points(compared, "period_end", shown(compared), compared["ids"], "latest")


def _points(rows: pd.DataFrame, x: str, values: pd.Series, ids: pd.Series, what: str) -> list:
    """One record per plotted number: source, position, value and the ids behind it."""
    return [
        {
            "source_id": source,
            "x": at,
            "value": int(value),
            "ids": [i for i in listed.split(SEP) if i],
            "what": what,
        }
        for source, at, value, listed in zip(rows["source_id"], rows[x], values, ids, strict=True)
    ]
