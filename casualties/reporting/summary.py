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
from ..model.missing import count_or_none
from ..model.notation import change_text, fall_text, range_text, spread_text
from ..model.series import SERIES_KEY, SOURCE_KEY, recency
from ..model.weeks import Week, week_of
from .aggregation import weekly_table_of_eligible
from .bounds import SEP, Bounds, row_bounds
from .candidates import RULE_COLUMNS, eligible, week_candidates

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
    return week, flag_beyond(
        table, query.places, {**_places_by_id(figures), **_places_by_id(aside)}
    )


def _places_by_id(figures: pd.DataFrame) -> dict[str, str]:
    return dict(zip(figures["id"].tolist(), figures["place_codes"].tolist(), strict=True))


def flag_beyond(table: pd.DataFrame, places: tuple[str, ...], codes_of: dict) -> pd.DataFrame:
    """Flag the rows whose figures reach beyond the places asked for (`--place`).

    A figure of "Idlib and rural Aleppo" is in a summary for Idlib in full:
    the flag says so, and a summary for Aleppo says the same, so the reader
    knows the two are one count, never to be added.
    """
    if not places:
        return table
    from ..model.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    areas = [gazetteer.resolve(p, broadest=True).code for p in places]

    def outside(ids: str) -> list[str]:
        codes = {c for i in ids.split(SEP) if i for c in codes_of.get(i, "").split(SEP) if c}
        return sorted(c for c in codes if not any(gazetteer.within(c, a) for a in areas))

    flags = []
    for ids, flagged in zip(table["ids"], table["flags"], strict=True):
        beyond = outside(ids)
        note = f"beyond place: also counts {', '.join(beyond)}" if beyond else ""
        flags.append("; ".join(filter(None, [flagged, note])))
    return table.assign(flags=flags)


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
    return flag_beyond(table, places, _places_by_id(figures))


def set_aside(
    figures: pd.DataFrame, week: Week, as_of: date | None, window: int = DEFAULT_WINDOW
) -> pd.DataFrame:
    """Figures standing but not counted (triangulation, discounted), ending in the window."""
    from .candidates import eligible_mask

    standing = eligible_mask(figures.assign(role="recommended", grade="fair"), as_of)
    aside = standing & ~counts_mask(figures)
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
        self.back_dated = _back_dated(known, week)
        # Before the week a series brings only its newest report: twins are the week's.
        self.conflicts = _same_day_conflicts(known[known["period_end"] >= str(week.start)])
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


def _back_dated(known: pd.DataFrame, week: Week) -> dict[tuple, list[str]]:
    """Per source key, the reports made in the week about an earlier one.

    A source's correction for last week changes last week's numbers; it is
    flagged here, in the week it became known, naming the week it is for.
    """
    first, last = week.start.isoformat(), week.end.isoformat()
    late = known[
        (known["period_end"] < first)
        & (known["reported_on"] >= first)
        & (known["reported_on"] <= last)
    ]
    flags: dict[tuple, list[str]] = {}
    for row in late.sort_values("id").to_dict("records"):
        label = week_of(date.fromisoformat(row["period_end"]), week.start.weekday()).label
        text = f"back-dated: for {label}, reported {row['reported_on']} ({row['id']})"
        flags.setdefault(tuple(row[k] for k in SOURCE_KEY), []).append(text)
    return flags


def _same_day_conflicts(known: pd.DataFrame) -> dict[str, str]:
    """Reports of one series, same period end and report day, that disagree: id -> both values.

    Neither is more right than the other; the row shows the one the order
    rule picks and says what the other said.
    """
    standing = known[standing_mask(known)]
    keys = [*SERIES_KEY, "period_end", "reported_on"]
    twins = standing[standing.duplicated(keys, keep=False)]
    conflicts = {}
    for _, group in twins.groupby(keys, sort=False):
        if len(group[["value_low", "value_high"]].drop_duplicates()) < 2:
            continue
        said = [
            f"{range_text(r.value_low, r.value_high, r.value_best)} ({r.id})"
            for r in group.sort_values("id").itertuples(index=False)
        ]
        text = f"conflict: {' vs '.join(said)}, both for {group['period_end'].iloc[0]}"
        conflicts.update(dict.fromkeys(group["id"].tolist(), text))
    return conflicts


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
    newest = recency(candidates).groupby([candidates[k] for k in SOURCE_KEY]).idxmax()
    return candidates.loc[newest.to_numpy()].set_index(SOURCE_KEY)


def _keys_of(frame: pd.DataFrame) -> pd.MultiIndex:
    from ..model.frames import pd

    return pd.MultiIndex.from_frame(frame[SOURCE_KEY])


def _source_row(key: tuple, shown, week: dict | None, facts: _Facts) -> dict:
    """One source's row: its standing total (else its newest incident) and the week's change."""
    source, metric, group, unit, kind = key
    standing = week is not None and bool(week["standing_ids"])
    bounds = _week_bounds(week, "standing") if standing else row_bounds(shown)
    basis = "stock" if kind == "stock" else ("cumulative" if standing else "incident")
    anchors = [facts.anchor[i] for i in bounds.ids if facts.anchor.get(i)]
    # The flag that changes how a row is read comes first: a terminal cuts long flags.
    flags = []
    if shown.period_end < facts.window_start:
        flags.append(f"stale: latest ends {shown.period_end}")
    flags += dict.fromkeys(facts.conflicts[i] for i in bounds.ids if i in facts.conflicts)
    flags += facts.back_dated.get(key, [])
    row = {
        "metric": metric,
        "population_group": group,
        "source_id": source,
        "unit": unit,
        "basis": basis,
        "anchor": min(anchors) if basis == "cumulative" and anchors else "",
        **_latest_columns(bounds),
        "period_end": shown.period_end,
        "reported_on": shown.reported_on,
        "publication": shown.publication_ids.split(SEP)[0],
        **_change_columns(week, kind),
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


def _week_bounds(week: dict, part: str) -> Bounds:
    """A weekly-table row's bounds of one part (standing, new, change) with its ids."""
    return Bounds(
        int(week[f"{part}_low"]) if count_or_none(week[f"{part}_low"]) is not None else 0,
        count_or_none(week[f"{part}_best"]),
        count_or_none(week[f"{part}_high"]),
        tuple(i for i in week[f"{part}_ids"].split(SEP) if i),
    )


def _latest_columns(bounds: Bounds) -> dict:
    return {
        "latest": range_text(bounds.low, bounds.high, bounds.best),
        "latest_low": bounds.low,
        "latest_best": bounds.best,
        "latest_high": bounds.high,
        "latest_open": bounds.high is None,
    }


NO_CHANGE = {
    "week_change": "",
    "change_low": None,
    "change_best": None,
    "change_high": None,
    "change_open": False,
    "change_since": "",
    "revision_low": None,
    "revision_high": None,
    "change_ids": "",
    "revision_ids": "",
}


def _change_columns(week: dict | None, kind: str) -> dict:
    """The week's change with its bounds, any revision, and their ids.

    A flow's change is what was new ('+28', '+30–100', '+≥80'); a stock's is
    its net rise or fall ('net −5,000'). A certain fall of a running total is
    a revision ('revised −33'); a week that rose and was revised says both
    ('+747 net (rose 780, revised −33)'). A change over more than a week says
    since when.
    """
    if week is None:
        return dict(NO_CHANGE)
    part = "change" if kind == "stock" else "new"
    ids = week[f"{part}_ids"]
    change = _week_bounds(week, part) if ids else None
    revised = bool(week["revision"])
    fall = (count_or_none(week["revision_low"]), count_or_none(week["revision_high"]))
    text = ""
    if change is not None:
        low = change.low if kind != "stock" else count_or_none(week["change_low"])
        text = change_text(low, change.high, change.best)
        if kind == "stock":
            text = "net " + text
        elif revised:
            rose = change_text(low + fall[0], _sum_or_none(change.high, fall[1]))
            text = f"{text} net (rose {rose.lstrip('+')}, revised {fall_text(*fall)})"
    elif revised:
        text = f"revised {fall_text(*fall)}"
    since = week["change_since"] if change is not None else ""
    if since:
        text += f" since {since}"
    if change is not None and week["change_partial"]:
        text += ", partly unknown"
    return {
        "week_change": text,
        "change_low": None if change is None else (low if kind == "stock" else change.low),
        "change_best": None if change is None else change.best,
        "change_high": None if change is None else change.high,
        "change_open": change is not None and change.high is None,
        "change_since": since,
        "revision_low": fall[0] if revised else None,
        "revision_high": fall[1] if revised else None,
        "change_ids": ids,
        "revision_ids": week["revision_ids"],
    }


def _sum_or_none(first: int | None, second: int | None) -> int | None:
    return None if first is None or second is None else first + second


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
        **_latest_columns(bounds),
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


CHANGE_COLUMNS = (
    "week_change",
    "change_low",
    "change_best",
    "change_high",
    "change_since",
    "revision_low",
    "revision_high",
)
WEEK_ROW_COLUMNS = [
    "week",
    "week_start",
    "week_end",
    "metric",
    "population_group",
    "source_id",
    "unit",
    "basis",
    "total",
    "total_low",
    "total_best",
    "total_high",
    *CHANGE_COLUMNS,
    "ids",
    "change_ids",
    "revision_ids",
]


def week_rows(weekly: pd.DataFrame) -> pd.DataFrame:
    """A weekly table (aggregation.weekly_table) as a reader's rows, in the summary's words.

    One row per week and source key with a total standing or something new:
    the total standing at the week's end and the week's change, each with its
    bounds and ids, written by the same rules as the summary's rows, so the
    two never disagree.
    """
    from ..model.frames import pd

    rows = []
    for week in weekly.to_dict("records"):
        standing = bool(week["standing_ids"])
        change = _change_columns(week, week["kind"])
        if not standing and not change["week_change"]:
            continue
        total = _week_bounds(week, "standing") if standing else None
        basis = "stock" if week["kind"] == "stock" else ("cumulative" if standing else "incident")
        rows.append(
            {
                **{k: week[k] for k in ("week", "week_start", "week_end")},
                **{k: week[k] for k in ("metric", "population_group", "source_id", "unit")},
                "basis": basis,
                "total": "" if total is None else range_text(total.low, total.high, total.best),
                "total_low": None if total is None else total.low,
                "total_best": None if total is None else total.best,
                "total_high": None if total is None else total.high,
                **{k: change[k] for k in CHANGE_COLUMNS},
                "ids": week["standing_ids"],
                "change_ids": change["change_ids"],
                "revision_ids": change["revision_ids"],
            }
        )
    frame = pd.DataFrame(rows, columns=WEEK_ROW_COLUMNS)
    counts = [c for c in WEEK_ROW_COLUMNS if c.endswith(("_low", "_best", "_high"))]
    return frame.astype({c: "Int64" for c in counts})
