"""The bench's cases that write reports: the Excel workbook, the weekly pack, one chart.

Each reads the store the insert case left, untimed, and times only the writing;
the floors are bare xlsxwriter (a column at a time, no formats) and a bare
matplotlib step plot saved as the same PNG. The pack has no floor of its own:
the runner adds the summary's and the workbook's.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from .workdir import existing, fresh, library_db


def workbook_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """workbook_tables + write_workbook of every figure (read untimed) into a temp .xlsx."""
    import xlsxwriter  # noqa: F401  (imported untimed, as for the floor)

    from casualties.reporting.workbook import write_workbook
    from casualties.reporting.workbook_about import provenance_rows
    from casualties.reporting.workbook_tables import workbook_tables
    from casualties.store.database import Store

    store = Store.open(existing(library_db(work, rows)))
    figures, sources = store.figures(), store.table("sources")
    publications = store.table("publications")
    store_time = store.stored_until() or ""
    store.close()
    out = fresh(work / f"workbook-{rows}.xlsx")
    about = provenance_rows(str(library_db(work, rows)), {}, store_time)

    def job() -> int:
        tables = workbook_tables(figures, sources, publications, about)
        write_workbook(tables, out)
        return len(tables.figures)

    return job


def workbook_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """The same rows as the Figures sheet, column by column with bare xlsxwriter."""
    import xlsxwriter

    from casualties.store.database import Store

    store = Store.open(existing(library_db(work, rows)))
    figures = store.figures()
    store.close()
    out = fresh(work / f"workbook-floor-{rows}.xlsx")

    def job() -> int:
        book = xlsxwriter.Workbook(str(out), {"strings_to_urls": False})
        sheet = book.add_worksheet("Figures")
        sheet.write_row(0, 0, [str(c) for c in figures.columns])
        for number, name in enumerate(figures.columns):
            column = figures[name]
            values = column.astype(object).where(column.notna(), None).tolist()
            sheet.write_column(1, number, values)
        book.close()
        return len(figures)

    return job


def pack_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """write_weekly_pack for the default week, every figure read untimed as the CLI reads it."""
    import matplotlib  # noqa: F401  (imported untimed)
    import xlsxwriter  # noqa: F401

    from casualties.reporting.pack import PackRequest, write_weekly_pack
    from casualties.reporting.summary import default_week
    from casualties.store.database import Store
    from casualties.store.query import FigureQuery, matching_figures

    path = existing(library_db(work, rows))
    store = Store.open(path)
    figures = matching_figures(store, FigureQuery())
    week = default_week(figures, None)
    out = work / f"pack-{rows}"
    shutil.rmtree(out, ignore_errors=True)

    def job() -> int:
        manifest = write_weekly_pack(store, figures, PackRequest(week, out, str(path)))
        store.close()
        return len(manifest["files"])

    return job


def chart_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """standing_over_time of the largest metric and group, toll_chart, save_chart."""
    from dataclasses import replace

    from casualties.reporting.chart_tables import standing_over_time
    from casualties.reporting.chart_words import drawn_period
    from casualties.reporting.charts import save_chart, toll_chart, within_palette
    from casualties.reporting.pack import chart_context

    figures, sources, metric, group = _chart_input(rows, work)
    out = fresh(work / f"chart-{rows}.png")

    def job() -> int:
        steps = standing_over_time(figures, metric, group)
        chosen = figures[(figures["metric"] == metric) & (figures["population_group"] == group)]
        context = chart_context(chosen, sources, metric, group, None)
        drawn, left_out = within_palette("toll", steps)
        context = replace(context, left_out=left_out, period=drawn_period("toll", drawn))
        save_chart(toll_chart(drawn, context), out)
        return len(drawn)

    return job


def chart_floor_job(rows: int, seed: int, work: Path) -> Callable[[], object]:
    """The same steps (computed untimed) as bare matplotlib step lines, saved as the same PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from casualties.reporting.chart_tables import standing_over_time
    from casualties.reporting.charts import DPI, SIZE_INCHES

    figures, _, metric, group = _chart_input(rows, work)
    steps = standing_over_time(figures, metric, group)
    lines = [
        (of_source["day"].to_numpy().astype("datetime64[D]"), of_source["low"].to_numpy(float))
        for _, of_source in steps.groupby("source_id", sort=True)
    ]
    out = fresh(work / f"chart-floor-{rows}.png")

    def job() -> int:
        chart = Figure(figsize=SIZE_INCHES, dpi=DPI)
        FigureCanvasAgg(chart)
        axes = chart.add_subplot()
        for days, values in lines:
            axes.step(days, values, where="post")
        chart.savefig(out, dpi=DPI, format="png")
        return len(steps)

    return job


def _chart_input(rows: int, work: Path):
    """The figures of the metric and group most counted (rule columns), and the sources."""
    import matplotlib.backends.backend_agg  # noqa: F401  (imported untimed)

    from casualties.reporting.candidates import RULE_COLUMNS
    from casualties.store.database import Store

    store = Store.open(existing(library_db(work, rows)))
    figures, sources = store.figures(columns=RULE_COLUMNS), store.table("sources")
    store.close()
    cumulative = figures[figures["basis"] == "cumulative"]
    metric, group = cumulative.groupby(["metric", "population_group"]).size().idxmax()
    # What `casualties chart toll --metric M --group G` reads: the store filters by both.
    chosen = figures[(figures["metric"] == metric) & (figures["population_group"] == group)]
    return chosen, sources, metric, group
