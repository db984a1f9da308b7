"""The weekly summary: each source's latest figure, the range across sources, the week's change.

Rows are per metric and population group. Nothing is added across sources:
the 'all sources' row gives the range and the number of sources. Subsets (a
group of figures that are parts of others) come under their parent's group.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from ..model import contract
from ..model.missing import count_or_none
from ..model.notation import grouped, range_text
from ..model.series import SOURCE_KEY, recency
from ..model.weeks import Week, week_of
from .aggregation import weekly_table
from .bounds import SEP, Bounds, row_bounds
from .candidates import eligible, week_candidates

if TYPE_CHECKING:
    from ..model.frames import pd
    from ..store.database import Store
    from ..store.query import FigureQuery

SUMMARY_COLUMNS = [
    "metric",
    "population_group",
    "source_id",
    "latest",
    "latest_low",
    "latest_best",
    "latest_high",
    "period_end",
    "reported_on",
    "publication",
    "week_change",
    "change_low",
    "change_high",
    "revision",
    "sources",
    "ids",
    "change_ids",
]
TABLE_COLUMNS = [
    "metric",
    "population_group",
    "source_id",
    "latest",
    "period_end",
    "reported_on",
    "publication",
    "week_change",
]


def default_week(figures: pd.DataFrame, as_of: date | None, week_start: int = 0) -> Week:
    """The week of the latest day the figures cover (as known on `as_of`)."""
    known = eligible(figures, as_of)
    if known.empty:
        return week_of(as_of or date.today(), week_start)
    return week_of(date.fromisoformat(known["period_end"].max()), week_start)


def parent_groups(store: Store, query: FigureQuery, ids: list[str]) -> pd.Series:
    """The population group of each of these figures (those the query selects), by id."""
    from ..store.query import matching_figures

    where = replace(query.where, ids=tuple(ids))
    found = matching_figures(store, replace(query, where=where), ["id", "population_group"])
    return found.set_index("id")["population_group"]


def summary_from_store(
    store: Store, query: FigureQuery, week: Week | None, as_of: date | None, week_start: int = 0
) -> tuple[Week, pd.DataFrame]:
    """The week (the latest with figures if None) and its summary, reading only its figures."""
    from ..store.query import latest_day
    from .candidates import week_figures

    if week is None:
        week = week_of(latest_day(store, query, as_of) or as_of or date.today(), week_start)
    # The store picked exactly what week_candidates would (tests/test_week_figures.py).
    figures = week_figures(store, query, week, as_of)
    groups = parent_groups(store, query, figures["part_of"].dropna().unique().tolist())
    return week, _summary_of(figures, week, as_of, groups)


def weekly_summary(figures: pd.DataFrame, week: Week, as_of: date | None = None) -> pd.DataFrame:
    """Each source's latest figure and week's change per metric and group, then the range."""
    groups = figures.set_index("id")["population_group"]
    return _summary_of(week_candidates(figures, week, as_of), week, as_of, groups)


def _summary_of(
    figures: pd.DataFrame, week: Week, as_of: date | None, groups: pd.Series
) -> pd.DataFrame:
    """weekly_summary of the week's candidate figures; `groups` gives parents' groups by id."""
    from ..model.frames import pd

    weekly = weekly_table(figures, week, week, as_of).set_index(SOURCE_KEY)
    known = eligible(figures, as_of)
    known = known[known["period_end"] <= week.end.isoformat()]
    latest = _latest_shown(known, weekly)
    by_key = dict(zip(weekly.index, weekly.to_dict("records"), strict=True))
    rows = [
        _source_row(key, shown, by_key.get(key))
        for key, shown in zip(latest.index, latest.itertuples(index=False), strict=True)
    ]
    by_group: dict[tuple, list[dict]] = {}
    for row in rows:
        by_group.setdefault((row["metric"], row["population_group"]), []).append(row)
    rows += [_range_row(*key, group) for key, group in by_group.items() if len(group) > 1]
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return _ordered(frame, _subset_groups(known, groups))


def _latest_shown(known: pd.DataFrame, weekly: pd.DataFrame) -> pd.DataFrame:
    """Per source, metric and group, the figure whose dates and publication a row shows.

    Where a cumulative total stands, its newest report; else the newest incident.
    """
    from ..model.frames import pd

    standing = weekly.loc[weekly["standing_ids"] != "", "standing_ids"].str.split(SEP).explode()
    in_standing = known[known["id"].isin(standing)]
    incidents = known[(known["basis"] != "cumulative")]
    incidents = incidents[~_keys_of(incidents).isin(standing.index)]
    candidates = pd.concat([in_standing, incidents])
    if candidates.empty:
        return candidates.set_index(SOURCE_KEY)
    newest = recency(candidates).groupby([candidates[k] for k in SOURCE_KEY]).idxmax()
    return candidates.loc[newest.to_numpy()].set_index(SOURCE_KEY)


def _keys_of(frame: pd.DataFrame) -> pd.MultiIndex:
    from ..model.frames import pd

    return pd.MultiIndex.from_frame(frame[SOURCE_KEY])


def _source_row(key: tuple, shown, week: dict | None) -> dict:
    """One source's row: its standing total (else its newest incident) and the week's change."""
    source, metric, group = key
    if week is not None and week["standing_ids"]:
        bounds = Bounds(
            int(week["standing_low"]),
            count_or_none(week["standing_best"]),
            count_or_none(week["standing_high"]),
            tuple(week["standing_ids"].split(SEP)),
        )
    else:
        bounds = row_bounds(shown)
    return {
        "metric": metric,
        "population_group": group,
        "source_id": source,
        **_latest_columns(bounds),
        "period_end": shown.period_end,
        "reported_on": shown.reported_on,
        "publication": shown.publication_ids.split(SEP)[0],
        **_change_columns(week),
        "sources": 1,
        "ids": SEP.join(bounds.ids),
    }


def _latest_columns(bounds: Bounds) -> dict:
    return {
        "latest": bounds_text(bounds),
        "latest_low": bounds.low,
        "latest_best": bounds.best,
        "latest_high": bounds.high,
    }


def _change_columns(week) -> dict:
    """The week's new count ('+28') and any revision ('revision −33'), with their ids."""
    if week is None:
        return {
            "week_change": "",
            "change_low": None,
            "change_high": None,
            "revision": False,
            "change_ids": "",
        }
    parts = []
    if week["new_ids"]:
        new = Bounds(
            int(week["new_low"]),
            count_or_none(week["new_best"]),
            count_or_none(week["new_high"]),
            (),
        )
        parts.append("+" + bounds_text(new))
    if week["revision"]:
        parts.append(f"revision −{grouped(week['revision_fall'])}")
    ids = [i for i in (*week["new_ids"].split(SEP), *week["revision_ids"].split(SEP)) if i]
    return {
        "week_change": ", ".join(parts),
        "change_low": count_or_none(week["new_low"]),
        "change_high": count_or_none(week["new_high"]),
        "revision": bool(week["revision"]),
        "change_ids": SEP.join(dict.fromkeys(ids)),
    }


def _range_row(metric, group, source_rows: list[dict]) -> dict:
    """Lowest low to highest figure across sources: compared, never added."""
    low = min(r["latest_low"] for r in source_rows)
    top = max(
        r["latest_high"] if r["latest_high"] is not None else r["latest_low"] for r in source_rows
    )
    ids = SEP.join(i for r in source_rows for i in r["ids"].split(SEP))
    return {
        "metric": metric,
        "population_group": group,
        "source_id": f"all sources ({len(source_rows)})",
        "latest": f"{grouped(low)}–{grouped(top)}" if low != top else grouped(low),
        "latest_low": low,
        "latest_best": None,
        "latest_high": top,
        "period_end": max(r["period_end"] for r in source_rows),
        "reported_on": max(r["reported_on"] for r in source_rows),
        "publication": "",
        "week_change": "",
        "change_low": None,
        "change_high": None,
        "revision": False,
        "sources": len(source_rows),
        "ids": ids,
        "change_ids": "",
    }


def bounds_text(bounds: Bounds) -> str:
    """A computed count as an analyst writes it: 136, ≥136, 20,000–99,999."""
    return range_text(bounds.low, bounds.high)


def _ordered(frame: pd.DataFrame, parent_of: dict[tuple[str, str], str]) -> pd.DataFrame:
    """Metrics and groups in vocabulary order, each subset group just under its parent's."""
    metrics = {m: i for i, m in enumerate(contract.terms("metric"))}
    groups = {g: i for i, g in enumerate(contract.terms("population_group"))}
    keys = [
        (
            metrics.get(m, 99),
            groups.get(parent_of.get((m, g), g), 99),
            (m, g) in parent_of,
            groups.get(g, 99),
            source.startswith("all sources"),
            source,
        )
        for m, g, source in zip(
            frame["metric"], frame["population_group"], frame["source_id"], strict=True
        )
    ]
    order = sorted(range(len(frame)), key=keys.__getitem__)
    frame = frame.iloc[order].reset_index(drop=True)
    is_subset = [
        (m, g) in parent_of for m, g in zip(frame["metric"], frame["population_group"], strict=True)
    ]
    frame.loc[is_subset, "population_group"] = (
        "  of which " + frame.loc[is_subset, "population_group"]
    )
    return frame


def _subset_groups(known: pd.DataFrame, groups: pd.Series) -> dict[tuple[str, str], str]:
    """(metric, group) of subset figures → the group most of their parents count."""
    from ..model.frames import pd

    parts = known[known["part_of"].notna()]
    parents = parts["part_of"].map(groups).dropna()
    pairs = pd.DataFrame(
        {
            "metric": parts.loc[parents.index, "metric"],
            "group": parts.loc[parents.index, "population_group"],
            "parent": parents,
        }
    )
    pairs = pairs[pairs["group"] != pairs["parent"]]
    counts = pairs.value_counts().reset_index()
    counts = counts.sort_values(["count", "parent"], ascending=[False, True])
    first = counts.drop_duplicates(["metric", "group"])
    return {(m, g): p for m, g, p in first[["metric", "group", "parent"]].itertuples(index=False)}
