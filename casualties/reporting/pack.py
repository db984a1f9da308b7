"""The weekly report pack: summary, charts, workbook, a brief and a manifest, in one folder.

Every file of the pack is built from the same figures, week and as-of day;
the manifest lists which figure ids went into each file and which store they
came from, so every number can be traced back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CasualtiesError
from ..model import contract
from ..model.gazetteer import default_gazetteer
from ..model.weeks import Week, week_of
from .aggregation import weekly_table
from .chart_tables import (
    compared_rows,
    latest_by_place,
    sources_compared,
    standing_over_time,
)

if TYPE_CHECKING:
    from ..model.frames import pd

WEEKS_CHARTED = 26
MOST_CHARTS = 30


class PackExists(CasualtiesError):
    def __init__(self, path: Path):
        super().__init__(f"{path} already holds files; choose another --out or pass --force")


@dataclass(frozen=True)
class PackRequest:
    """What a weekly pack covers and where it goes."""

    week: Week
    out: Path
    store_path: str
    as_of: date | None = None
    filters: dict[str, str] = field(default_factory=dict)
    # The store's time the pack is made from (--as-stored, else its newest entry).
    store_time: str | None = None
    # The places the figures were chosen for (--place): rows reaching beyond are flagged.
    places: tuple[str, ...] = ()
    weeks_charted: int = WEEKS_CHARTED
    overwrite: bool = False


@dataclass(frozen=True)
class ChartPlan:
    """One chart of the pack: its kind, metric and group, and the table it draws."""

    kind: str
    metric: str
    group: str
    table: pd.DataFrame

    @property
    def file_name(self) -> str:
        return f"{self.kind}-{self.metric}-{self.group}.png".replace("_", "-")


def chart_context(
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    metric: str,
    group: str,
    as_of: date | None,
):
    """The title, footnote and colour facts every chart of a selection shares (the period
    is each chart's own: `charts.drawn_period`)."""
    from .chart_words import ChartContext

    return ChartContext(
        metric=metric,
        population_group=group,
        place_label=place_label(figures),
        as_of=as_of,
        sources=dict(zip(sources["id"], sources["name"], strict=True)),
        period="",
    )


def place_label(figures: pd.DataFrame) -> str:
    """The countries (or regions) the figures lie in, by name."""
    gazetteer = default_gazetteer()
    names = []
    for codes in figures["place_codes"].dropna().unique():
        for code in codes.split(contract.LIST_SEPARATOR):
            place = gazetteer.places.get(code)
            top = place and (
                gazetteer.places.get(place.country) if place.level != "region" else place
            )
            if top and top.name not in names:
                names.append(top.name)
    return " and ".join(sorted(names)) or "all places"


def chart_plans(
    figures: pd.DataFrame,
    week: Week,
    as_of: date | None,
    weeks_charted: int,
    summary: pd.DataFrame,
) -> list[ChartPlan]:
    """The pack's charts: a toll and a by-place chart per cumulative group, weekly bars for
    all, and a comparison of sources from the pack's own `summary` rows.

    Every chart ends with the week: a pack for an earlier week made today
    draws nothing counted after it.
    """
    weekly = charted_weeks(figures, week, as_of, weeks_charted)
    through = through_week(figures, week)
    plans = []
    groups = figures[["metric", "population_group"]].drop_duplicates()
    for metric, group in _in_vocabulary_order(groups):
        steps = standing_over_time(through, metric, group, as_of)
        if not steps.empty:
            plans.append(ChartPlan("toll", metric, group, steps))
        chosen = weekly_rows_drawn(weekly, metric, group)
        if chosen["new_ids"].str.len().gt(0).any() or chosen["revision"].any():
            plans.append(ChartPlan("weekly", metric, group, chosen))
        places = latest_by_place(through, metric, group, as_of)
        if places["place_codes"].nunique() > 1:
            plans.append(ChartPlan("place", metric, group, places))
        compared = compared_rows(summary, metric, group)
        if compared["source_id"].nunique() > 1:
            plans.append(ChartPlan("compare", metric, group, compared))
        if len(plans) >= MOST_CHARTS:
            break
    return plans[:MOST_CHARTS]


def through_week(figures: pd.DataFrame, week: Week) -> pd.DataFrame:
    """The figures whose periods end by the week's last day."""
    return figures[figures["period_end"] <= week.end.isoformat()]


def chart_plan_table(
    kind: str,
    figures: pd.DataFrame,
    metric: str,
    group: str,
    week: Week,
    as_of: date | None,
    weeks_charted: int,
    places: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The table one chart of `kind` draws (ending with the week, as chart_plans)."""
    if kind == "toll":
        return standing_over_time(through_week(figures, week), metric, group, as_of)
    if kind == "place":
        return latest_by_place(through_week(figures, week), metric, group, as_of)
    if kind == "compare":
        return sources_compared(figures, metric, group, week, as_of, places)
    return weekly_rows_drawn(charted_weeks(figures, week, as_of, weeks_charted), metric, group)


def weekly_rows_drawn(weekly: pd.DataFrame, metric: str, group: str) -> pd.DataFrame:
    """The weekly-table rows a weekly chart of `metric` and `group` draws.

    Flows in people only: a stock's level is no week's new count, and
    households of unknown size are not people.
    """
    chosen = (weekly["metric"] == metric) & (weekly["population_group"] == group)
    chosen &= (weekly["unit"] == "people") & (weekly["kind"] == "flow")
    return weekly[chosen]


def charted_weeks(
    figures: pd.DataFrame, week: Week, as_of: date | None, weeks_charted: int
) -> pd.DataFrame:
    """weekly_table over the `weeks_charted` weeks that end with `week`."""
    first = week_of(week.start - timedelta(weeks=weeks_charted - 1), week.start.weekday())
    return weekly_table(figures, first, week, as_of)


def _in_vocabulary_order(groups: pd.DataFrame) -> list[tuple[str, str]]:
    metrics = contract.terms("metric")
    order = contract.terms("population_group")
    pairs = list(zip(groups["metric"], groups["population_group"], strict=True))
    return sorted(pairs, key=lambda p: (metrics.index(p[0]), order.index(p[1])))


def publication_names(
    figures: pd.DataFrame, figure_ids: list[str], publications: pd.DataFrame | None
) -> tuple[str, ...]:
    """The publications the figures `figure_ids` came from, for a chart's source line:
    'publisher, title (published_on)', in the order of their ids."""
    if publications is None or publications.empty:
        return ()
    chosen = figures.loc[figures["id"].isin(figure_ids), "publication_ids"].dropna()
    ids = sorted({p for listed in chosen for p in listed.split(contract.LIST_SEPARATOR) if p})
    rows = publications.set_index("id")
    names = []
    for publication in ids:
        if publication not in rows.index:
            names.append(publication)
            continue
        row = rows.loc[publication]
        named = ", ".join(str(v) for v in (row["publisher"], row["title"]) if isinstance(v, str))
        when = f" ({row['published_on']})" if isinstance(row["published_on"], str) else ""
        names.append((named or publication) + when)
    return tuple(names)


def write_charts(
    plans: list[ChartPlan],
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    as_of: date | None,
    out: Path,
    file_name: str | None = None,
    publications: pd.DataFrame | None = None,
    filters: dict[str, str] | None = None,
) -> list[dict]:
    """Draw and save each planned chart with its manifest beside it; return the manifests.

    A plan with nothing to draw is refused (NothingToChart, naming the filters):
    no empty PNG is written.
    """
    from dataclasses import replace

    from .chart_compare import compare_chart
    from .chart_manifests import chart_manifest, figure_ids
    from .chart_words import drawn_period, last_drawn_day
    from .charts import (
        NothingToChart,
        place_chart,
        save_chart,
        toll_chart,
        weekly_chart,
        within_palette,
    )

    builders = {
        "toll": toll_chart,
        "weekly": weekly_chart,
        "place": place_chart,
        "compare": compare_chart,
    }
    manifests = []
    for plan in plans:
        chosen = figures[
            (figures["metric"] == plan.metric) & (figures["population_group"] == plan.group)
        ]
        context = chart_context(chosen, sources, plan.metric, plan.group, as_of)
        if plan.table.empty:
            raise NothingToChart(context.what(), context.place_label, filters)
        table, left_out = within_palette(plan.kind, plan.table)
        context = replace(
            context,
            left_out=left_out,
            period=drawn_period(plan.kind, table),
            last_day=last_drawn_day(plan.kind, table),
            publications=publication_names(chosen, figure_ids(table), publications),
        )
        path = out / (file_name or plan.file_name)
        save_chart(builders[plan.kind](table, context), path)
        manifest = chart_manifest(plan.kind, table, context, path)
        path.with_suffix(".json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        manifests.append(manifest)
    return manifests


def prepared_folder(out: Path, overwrite: bool) -> Path:
    """The pack's folder, created; refuses one that already holds files unless told."""
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise PackExists(out)
    out.mkdir(parents=True, exist_ok=True)
    return out


PACK_STEPS = ("summary", "charts", "brief", "workbook", "manifest")


def write_weekly_pack(
    store, figures: pd.DataFrame, request: PackRequest, step: Callable[[str], None] | None = None
) -> dict:
    """Write summary.md, the charts, the workbook, brief.html and manifest.json; return that.

    Nothing in the pack depends on the clock: made again from the store as it
    stood at the manifest's store_time (--as-stored), every file is the same.
    `step` is told each of PACK_STEPS as it begins (a progress bar).
    """
    from .brief import BriefFacts, write_brief
    from .summary import weekly_summary
    from .workbook import write_workbook
    from .workbook_about import provenance_rows
    from .workbook_tables import workbook_tables

    out = prepared_folder(request.out, request.overwrite)
    sources, publications = store.table("sources"), store.table("publications")
    store_time = request.store_time or store.stored_until() or ""
    step = step or (lambda _: None)
    step("summary")
    # One summary feeds summary.md and the brief: they cannot disagree.
    summary = weekly_summary(figures, request.week, request.as_of, places=request.places)
    summary_ids = _write_summary(summary, request, out / "summary.md")
    step("charts")
    plans = chart_plans(figures, request.week, request.as_of, request.weeks_charted, summary)
    charts = write_charts(plans, figures, sources, request.as_of, out, publications=publications)
    step("brief")
    facts = BriefFacts(
        request.week, request.store_path, store_time, request.as_of, place_label(figures)
    )
    brief_ids = write_brief(summary, charts, figures, sources, publications, facts, out)
    step("workbook")
    workbook = out / f"casualties-{request.week.label}.xlsx"
    about = provenance_rows(request.store_path, request.filters, store_time)
    tables = workbook_tables(figures, sources, publications, about, request.as_of)
    write_workbook(tables, workbook, overwrite=request.overwrite, stamped=store_time or None)
    files = [
        {"file": "summary.md", "kind": "summary", "figure_ids": summary_ids},
        *(
            {"file": c["file"], "kind": f"chart:{c['kind']}", "figure_ids": c["figure_ids"]}
            for c in charts
        ),
        {"file": workbook.name, "kind": "workbook", "figure_ids": sorted(figures["id"])},
        {"file": "brief.html", "kind": "brief", "figure_ids": brief_ids},
    ]
    manifest = {
        "week": request.week.label,
        "week_start": request.week.start.isoformat(),
        "week_end": request.week.end.isoformat(),
        "as_of": request.as_of.isoformat() if request.as_of else None,
        "store": request.store_path,
        "store_time": store_time,
        "filters": request.filters,
        "figure_ids": sorted({i for f in files for i in f["figure_ids"]}),
        "files": files,
    }
    step("manifest")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


def _write_summary(table: pd.DataFrame, request: PackRequest, path: Path) -> list[str]:
    """summary.md: the weekly summary as a Markdown table, ids included; returns the ids."""
    from .render import to_markdown
    from .summary import ID_COLUMNS, display_table

    week = request.week
    known = f"figures reported by {request.as_of}" if request.as_of else "every figure reported"
    text = [
        f"# Casualty and displacement figures, week {week.label} ({week.start} to {week.end})",
        "",
        f"From {request.store_path}, {known}. Sources are compared, never added: an "
        "'all sources' row gives the range (lowest low to highest figure) of like figures "
        "only (same metric, group, unit, basis, anchor and places, this week). Subsets stand "
        "under their parent and are never added to it. A certain fall in a running total "
        "is a revision, never negative deaths; a stock's change is net. `ids` lists the "
        "figures behind each number.",
        "",
        to_markdown(display_table(table, ids=True)),
        "",
    ]
    path.write_text("\n".join(text), encoding="utf-8")
    ids = {i for column in ID_COLUMNS for v in table[column] for i in v.split(";") if i}
    return sorted(ids)
