"""The weekly summary: each source's latest figure, the range across sources, the week's change.

Rows are per metric and population group. Nothing is added across sources:
the 'all sources' row gives the range and the number of sources. Subsets (a
group of figures that are parts of others) come under their parent's group.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..model import contract
from ..model.counting import counting_view, counts_mask, standing_mask
from ..model.notation import spread_text
from ..model.series import SOURCE_KEY, key_codes, recency
from ..model.weeks import Week, week_of
from .aggregation import weekly_table_of_eligible
from .bounds import SEP, row_bounds
from .candidates import RULE_COLUMNS, eligible, week_candidates
from .flags import back_dated, flag_beyond, same_day_conflicts
from .week_words import NO_CHANGE, change_columns, latest_columns, week_bounds

if TYPE_CHECKING:
    from ..model.frames import pd
    from ..store.database import Store
    from ..store.query import FigureQuery

# The summary's columns: the contract of `summary --format json/csv`
# (schemas/summary.yaml says what each holds).
SUMMARY_COLUMNS = [
    "metric",
    "population_group",
    "source_id",
    "unit",
    "basis",
    "anchor",
    "latest",
    "latest_low",
    "latest_best",
    "latest_high",
    "latest_open",
    "period_end",
    "reported_on",
    "publication",
    "week_change",
    "change_low",
    "change_best",
    "change_high",
    "change_open",
    "change_since",
    "revision_low",
    "revision_high",
    "flags",
    "parent_id",
    "depth",
    "sources",
    "ids",
    "change_ids",
    "revision_ids",
]
# What a reader's table shows (`display_table`).
TABLE_COLUMNS = [
    "metric",
    "population_group",
    "source_id",
    "latest",
    "unit",
    "basis",
    "period_end",
    "reported_on",
    "publication",
    "week_change",
    "flags",
]
ID_COLUMNS = ("ids", "change_ids", "revision_ids")
DEFAULT_WINDOW = 1


def default_week(figures: pd.DataFrame, as_of: date | None, week_start: int = 0) -> Week:
    """The week of the latest day the figures cover (as known on `as_of`)."""
    known = eligible(figures, as_of)
    if known.empty:
        return week_of(as_of or date.today(), week_start)
    return week_of(date.fromisoformat(known["period_end"].max()), week_start)


def summary_from_store(
    store: Store,
    query: FigureQuery,
    week: Week | None,
    as_of: date | None,
    week_start: int = 0,
    window: int = DEFAULT_WINDOW,
) -> tuple[Week, pd.DataFrame]:
    """The week (the latest with figures if None) and its summary, reading only its figures."""
    from ..store.query import inside_places, latest_day, matching_figures
    from .candidates import week_figures

    if week is None:
        week = week_of(latest_day(store, query, as_of) or as_of or date.today(), week_start)
    # The store picked exactly what week_candidates would (tests/test_week_figures.py).
    figures = week_figures(store, query, week, as_of)
    first = _window_start(week, window)
    if query.stored_at:
        where = replace(query.where, start=first.isoformat(), end=week.end.isoformat())
        nearby = matching_figures(store, replace(query, where=where), RULE_COLUMNS)
    else:
        nearby = store.set_aside_figures(first, week.end, query.where, RULE_COLUMNS)
    if query.places and not query.stored_at:
        nearby = nearby[nearby["place_codes"].map(inside_places(query.places)).astype(bool)]
    aside = set_aside(nearby, week, as_of, window)
    table = _summary_of(figures, aside, week, as_of, window)
    return week, flag_beyond(table, query.places, figures, aside)


def weekly_summary(
    figures: pd.DataFrame,
    week: Week,
    as_of: date | None = None,
    window: int = DEFAULT_WINDOW,
    places: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Each source's latest figure and week's change per source key, then like-for-like ranges.

    `places`: the places the figures were chosen for (`--place`), to flag
    the rows that reach beyond them.
    """
    chosen = week_candidates(figures, week, as_of)
    table = _summary_of(chosen, set_aside(figures, week, as_of, window), week, as_of, window)
    return flag_beyond(table, places, figures)


def set_aside(
    figures: pd.DataFrame, week: Week, as_of: date | None, window: int = DEFAULT_WINDOW
) -> pd.DataFrame:
    """Figures standing but not counted (triangulation, discounted), ending in the window."""
    from .candidates import standing_on

    aside = standing_on(figures, as_of) & ~counts_mask(figures)
    ends = figures["period_end"]
    inside = (ends >= _window_start(week, window).isoformat()) & (ends <= week.end.isoformat())
    return counting_view(figures[aside & inside.to_numpy()])


def _window_start(week: Week, window: int) -> date:
    """The first day of the window of `window` weeks ending with `week`."""
    return week.start - timedelta(days=7 * (max(window, 1) - 1))


def _summary_of(
    figures: pd.DataFrame, aside: pd.DataFrame, week: Week, as_of: date | None, window: int
) -> pd.DataFrame:
    """The summary of a week's candidate figures and the figures set aside beside them."""
    from ..model.frames import pd

    known = eligible(figures, as_of)
    weekly = weekly_table_of_eligible(known, week, week).set_index(SOURCE_KEY)
    known = known[known["period_end"] <= week.end.isoformat()]
    latest = _latest_shown(known, weekly)
    by_key = dict(zip(weekly.index, weekly.to_dict("records"), strict=True))
    named = [*weekly["standing_ids"], *weekly["incidents_ids"], *latest["id"]]
    facts = _Facts(known, week, window, [i for text in named for i in text.split(SEP) if i])
    rows = [
        _source_row(key, shown, by_key.get(key), facts)
        for key, shown in zip(latest.index, latest.itertuples(index=False), strict=True)
    ]
    rows += [_aside_row(figure) for figure in aside.itertuples(index=False)]
    _nest_subsets(
        rows, {**facts.parent_of, **dict(zip(aside["id"], aside["part_of"], strict=True))}
    )
    rows += _range_rows(rows)
    frame = pd.DataFrame(_ordered(rows), columns=SUMMARY_COLUMNS)
    return frame.astype({c: "Int64" for c in COUNT_COLUMNS})


COUNT_COLUMNS = [
    *(f"{part}_{p}" for part in ("latest", "change") for p in ("low", "best", "high")),
    "revision_low",
    "revision_high",
    "depth",
    "sources",
]


class _Facts:
    """What rows need to know of the figures behind them, by id."""

    def __init__(self, known: pd.DataFrame, week: Week, window: int, shown: list[str]):
        self.week = week
        self.window_start = _window_start(week, window).isoformat()
        self.back_dated = back_dated(known, week)
        # Before the week a series brings only its newest report: twins are the week's.
        self.conflicts = same_day_conflicts(known[known["period_end"] >= str(week.start)])
        # Only the figures a row names: a summary of a million figures reads thousands.
        known = known[known["id"].isin(shown)]
        ids = known["id"].tolist()

        def by_id(column: str) -> dict:
            return dict(zip(ids, known[column].tolist(), strict=True))

        self.places, self.anchor = by_id("place_codes"), by_id("anchor")
        self.start, self.end = by_id("period_start"), by_id("period_end")
        parts = known[known["part_of"].notna()]
        self.parent_of = dict(zip(parts["id"].tolist(), parts["part_of"].tolist(), strict=True))

    def coverage(self, ids: tuple[str, ...]) -> str:
        """The places a row's figures cover, as one text (like with like in ranges)."""
        codes = {c for i in ids for c in self.places.get(i, "").split(SEP) if c}
        return SEP.join(sorted(codes))


def _latest_shown(known: pd.DataFrame, weekly: pd.DataFrame) -> pd.DataFrame:
    """Per source key, the figure whose dates and publication a row shows.

    Where a standing total stands, its newest report; else the newest incident.
    """
    from ..model.frames import pd

    standing = weekly.loc[weekly["standing_ids"] != "", "standing_ids"].str.split(SEP).explode()
    in_standing = known[known["id"].isin(standing)]
    incidents = known[~standing_mask(known)]
    incidents = incidents[~_keys_of(incidents).isin(standing.index)]
    candidates = pd.concat([in_standing, incidents])
    if candidates.empty:
        return candidates.set_index(SOURCE_KEY)
    newest = recency(candidates).groupby(key_codes(candidates, SOURCE_KEY)).idxmax()
    return candidates.loc[newest.to_numpy()].sort_values(SOURCE_KEY).set_index(SOURCE_KEY)


def _keys_of(frame: pd.DataFrame) -> pd.MultiIndex:
    from ..model.frames import pd

    return pd.MultiIndex.from_frame(frame[SOURCE_KEY])


def _source_row(key: tuple, shown, week: dict | None, facts: _Facts) -> dict:
    """One source's row: its standing total (else its newest incident) and the week's change."""
    source, metric, group, unit, kind = key
    standing = week is not None and bool(week["standing_ids"])
    bounds = week_bounds(week, "standing") if standing else row_bounds(shown)
    basis = "stock" if kind == "stock" else ("cumulative" if standing else "incident")
    anchors = [facts.anchor[i] for i in bounds.ids if facts.anchor.get(i)]
    # The flag that changes how a row is read comes first: a terminal cuts long flags.
    flags = []
    if shown.period_end < facts.window_start:
        flags.append(f"stale: latest ends {shown.period_end}")
    flags += dict.fromkeys(facts.conflicts[i] for i in bounds.ids if i in facts.conflicts)
    flags += facts.back_dated.get(key, [])
    if kind == "stock":
        days = sorted({facts.end[i] for i in bounds.ids if i in facts.end})
        if len(days) > 1:
            # Each place's latest level, added: their days differ, and the total says so.
            flags.append(f"levels of {len(days)} days: {days[0]} to {days[-1]}")
    row = {
        "metric": metric,
        "population_group": group,
        "source_id": source,
        "unit": unit,
        "basis": basis,
        "anchor": min(anchors) if basis == "cumulative" and anchors else "",
        **latest_columns(bounds),
        "period_end": shown.period_end,
        "reported_on": shown.reported_on,
        "publication": shown.publication_ids.split(SEP)[0],
        **change_columns(week, kind),
        "flags": flags,
        "sources": 1,
        "ids": SEP.join(bounds.ids),
        "_coverage": facts.coverage(bounds.ids),
    }
    # An incident that began before the week is counted in the week its period ends.
    incident_ids = (week or {}).get("incidents_ids") or ""
    began = str(facts.week.start)
    spanning = [i for i in incident_ids.split(SEP) if i and facts.start.get(i, began) < began]
    if spanning:
        flags.append("spans weeks: " + ", ".join(f"{i} from {facts.start[i]}" for i in spanning))
    return row


def _aside_row(figure) -> dict:
    """A figure shown beside the totals and never added: triangulation or discounted."""
    bounds = row_bounds(figure)
    why = "discounted" if figure.grade == "discounted" else figure.role
    return {
        "metric": figure.metric,
        "population_group": figure.population_group,
        "source_id": figure.source_id,
        "unit": figure.unit,
        "basis": figure.basis,
        "anchor": figure.anchor,
        **latest_columns(bounds),
        "period_end": figure.period_end,
        "reported_on": figure.reported_on,
        "publication": figure.publication_ids.split(SEP)[0],
        **NO_CHANGE,
        "flags": [f"not counted: {why}"],
        "sources": 1,
        "ids": figure.id,
        "_aside": True,
    }


def _nest_subsets(rows: list[dict], parent_of: dict[str, str]) -> None:
    """Give each row the figure its figures are a subset of, and its nesting depth.

    A subset stands under the row holding its own parent figure, whatever the
    group: seven children in Aleppo never stand under 40 civilians in Idlib.
    """
    row_of = {i: n for n, row in enumerate(rows) for i in row["ids"].split(SEP)}
    for row in rows:
        parents = [parent_of[i] for i in row["ids"].split(SEP) if parent_of.get(i) in row_of]
        row["parent_id"] = parents[0] if parents else ""
        row["_parent"] = row_of[parents[0]] if parents else None
    for row in rows:
        depth, seen, at = 0, set(), row["_parent"]
        while at is not None and at not in seen:
            seen.add(at)
            depth += 1
            at = rows[at]["_parent"]
        row["depth"] = depth


LIKE_KEY = ("metric", "population_group", "unit", "basis", "anchor", "_coverage")


def _range_rows(rows: list[dict]) -> list[dict]:
    """Per like-with-like group of two sources or more: the range, never the sum.

    Like with like: the same metric, group, unit, basis, anchor and places,
    periods ending in the window. A stale source is listed and left out.
    """
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        if not row.get("_aside") and not any(f.startswith("stale") for f in row["flags"]):
            groups.setdefault(tuple(row[k] for k in LIKE_KEY), []).append(row)
    return [_range_row(group) for group in groups.values() if len(group) > 1]


def _range_row(source_rows: list[dict]) -> dict:
    """Lowest low to highest figure across sources: compared, never added."""
    low = min(r["latest_low"] for r in source_rows)
    top = max(
        r["latest_high"] if r["latest_high"] is not None else r["latest_low"] for r in source_rows
    )
    open_high = any(r["latest_high"] is None for r in source_rows)
    first = source_rows[0]
    return {
        **{k: first[k] for k in ("metric", "population_group", "unit", "basis", "anchor")},
        "source_id": f"all sources ({len(source_rows)})",
        "latest": spread_text(low, top, open_high),
        "latest_low": low,
        "latest_best": None,
        "latest_high": None if open_high else top,
        "latest_open": open_high,
        "period_end": max(r["period_end"] for r in source_rows),
        "reported_on": max(r["reported_on"] for r in source_rows),
        "publication": "",
        **NO_CHANGE,
        "flags": [],
        # Sources' subsets have parents of their own: the range stands after them all.
        "parent_id": "",
        "depth": first["depth"],
        "_parent": None,
        "sources": len(source_rows),
        "ids": SEP.join(i for r in source_rows for i in r["ids"].split(SEP)),
        "_range": True,
    }


def _ordered(rows: list[dict]) -> list[dict]:
    """Metrics and groups in vocabulary order, sources before their range, subsets under parents."""
    metrics = {m: i for i, m in enumerate(contract.terms("metric"))}
    groups = {g: i for i, g in enumerate(contract.terms("population_group"))}

    def rank(row: dict) -> tuple:
        return (
            metrics.get(row["metric"], 99),
            groups.get(row["population_group"], 99),
            row["unit"],
            row["basis"],
            row["anchor"],
            row.get("_range", False),
            row.get("_aside", False),
            row["source_id"],
        )

    index = {id(row): n for n, row in enumerate(rows)}
    children: dict[int | None, list[dict]] = {}
    for row in rows:
        children.setdefault(row["_parent"], []).append(row)
    ordered: list[dict] = []

    def place(parent: int | None) -> None:
        for row in sorted(children.get(parent, []), key=rank):
            ordered.append(row)
            if not row.get("_range"):
                place(index[id(row)])

    place(None)
    for row in ordered:
        row["flags"] = "; ".join(row["flags"])
    return ordered


def display_table(summary: pd.DataFrame, ids: bool = False) -> pd.DataFrame:
    """The summary as a reader's table: subsets indented under their parent, `of which`."""
    shown = [*TABLE_COLUMNS, *(ID_COLUMNS if ids else ())]
    table = summary[shown].copy()
    depth = summary["depth"].fillna(0).astype(int)
    table["population_group"] = [
        ("  " * d + "of which " + g) if d else g
        for g, d in zip(summary["population_group"], depth, strict=True)
    ]
    table["basis"] = [
        f"since {a}" if b == "cumulative" and a else b
        for b, a in zip(summary["basis"], summary["anchor"], strict=True)
    ]
    return table
