"""Commands that report: summary, chart, export xlsx, report weekly."""

from __future__ import annotations

from pathlib import Path

import click

from .options import (
    STDOUT,
    as_stored_option,
    checked,
    figure_filters,
    new_file,
    output_file,
    output_path,
    query_of,
    selected,
    steps_bar,
    tell,
    week_choice,
    week_options,
)
from .shell import emit, open_store, terminal


@click.command()
@figure_filters
@week_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "markdown"]),
    default="table",
    show_default=True,
)
@click.option("--ids", is_flag=True, help="Show the figure ids behind every number.")
@click.option(
    "--window",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Weeks, ending with the week shown, whose figures a range across sources holds;"
    " a source's figure older than that is shown as stale and left out of ranges.",
)
@click.pass_context
def summary(ctx: click.Context, fmt: str, ids: bool, window: int, **options) -> None:
    """Each source's latest figure, the range across like sources, the change in the week.

    Nothing is added across sources; a range holds like with like only (same
    metric, group, unit, basis, anchor and places, periods ending in the
    window); subsets are shown under their parent. --format json and csv
    follow schemas/summary.yaml.

    \b
    Example:
      casualties summary
      casualties summary --week 2024-W49 --metric killed --place SY-ID --ids
      casualties summary --as-of 2024-12-05 --format markdown
    """
    from ..store.answers import answer_key, recalled, remember

    # The same question of a store in the same state: the answer made before.
    key = answer_key("summary", ctx.params, ctx.obj["db"], terminal())
    text = recalled(key)
    if text is None:
        text = summary_text(ctx, fmt, ids, window, options)
        remember(key, text)
    emit(text, nl=False)


def summary_text(ctx: click.Context, fmt: str, ids: bool, window: int, options: dict) -> str:
    """The summary as printed: a heading over the table, or CSV or JSON."""
    import threading

    # pandas loads on a second thread while SQLite picks the week's figures: SQLite
    # releases the GIL, so the two overlap (a quarter of a second at the prompt).
    threading.Thread(target=__import__, args=("pandas",), daemon=True).start()
    from ..reporting.render import render, to_markdown
    from ..reporting.summary import display_table, summary_from_store

    store = open_store(ctx)
    query = checked(store, query_of(options))
    as_of, start, week = week_choice(options["week"], options["week_start"], options["as_of"])
    week, table = summary_from_store(store, query, week, as_of, start, window)
    if fmt not in ("table", "markdown"):
        return render(table, fmt, terminal(), 50) + "\n"
    table = display_table(table, ids)
    shown = to_markdown(table) if fmt == "markdown" else render(table, fmt, terminal(), 50)
    return summary_heading(week, as_of) + "\n\n" + shown + "\n"


def summary_heading(week, as_of) -> str:
    known = f"figures reported by {as_of}" if as_of else "every figure reported so far"
    return (
        f"Week {week.label} ({week.start} to {week.end}), {known}.\n"
        "Sources are compared, never added: a range holds like with like only;"
        " subsets stand under their parent."
    )


def stored_time(store, options: dict) -> str:
    """The store's time an output is made from: --as-stored, else its newest entry."""
    from ..model.weeks import parse_moment

    if options.get("as_stored"):
        return parse_moment(options["as_stored"], "--as-stored")
    return store.stored_until() or ""


def filters_given(options: dict) -> dict[str, str]:
    """The filters a user gave, as text for an About sheet or a manifest."""
    names = ("metrics", "groups", "sources", "places", "week", "week_start", "as_of")
    return {
        name: ", ".join(value) if isinstance(value, tuple) else str(value)
        for name, value in options.items()
        if name in names and value
    }


@click.command()
@click.argument("kind", type=click.Choice(["toll", "weekly", "place", "compare"]))
@click.option("--metric", required=True, help="What was counted (killed, displaced…).")
@click.option("--group", required=True, help="Who (people, civilians, children…).")
@click.option("--source", "sources", multiple=True, help="Only these sources.")
@click.option("--place", "places", multiple=True, help="Only figures in this place or inside it.")
@week_options
@click.option(
    "--weeks",
    "weeks_charted",
    type=click.IntRange(min=1),
    default=26,
    show_default=True,
    help="Weekly chart: how many weeks, ending with --week.",
)
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="The PNG to write.")
@click.option("--force", is_flag=True, help="Overwrite --out and its .json manifest if they exist.")
@click.pass_context
def chart(
    ctx: click.Context,
    kind: str,
    metric: str,
    group: str,
    out: str,
    force: bool,
    weeks_charted: int,
    **options,
) -> None:
    """Draw one chart as a 1600×900 PNG, with a JSON manifest of figure ids beside it.

    \b
    KIND is one of:
      toll    the running total over time, one step line per source
      weekly  the new figures of each week as bars, revisions marked
      place   the latest figure by place, with range whiskers
      compare every source's latest count side by side, bounds and dates
              (the rows `casualties summary` prints)
    \b
    Example:
      casualties chart toll --metric killed --group people --out reports/toll.png
      casualties chart weekly --metric displaced --group civilians --weeks 12 --out w.png
      casualties chart compare --metric killed --group civilians --place SY --out c.png
    """
    from ..reporting.pack import ChartPlan, chart_plan_table, write_charts

    if out == STDOUT:
        raise click.BadParameter(
            "a chart is a PNG with its JSON manifest beside it: give a file name",
            param_hint="'--out'",
        )
    path = new_file(out, force)
    # The manifest beside the PNG is written too: it is refused like the PNG.
    new_file(str(path.with_suffix(".json")), force)
    sources, places = options.pop("sources"), options.pop("places")
    store, figures, week, as_of = selected(ctx, (metric,), (group,), sources, places, **options)
    table = chart_plan_table(kind, figures, metric, group, week, as_of, weeks_charted, places)
    plan = ChartPlan(kind, metric, group, table)
    path.parent.mkdir(parents=True, exist_ok=True)
    (manifest,) = write_charts(
        [plan],
        figures,
        store.table("sources"),
        as_of,
        path.parent,
        file_name=path.name,
        publications=store.table("publications"),
        filters=filters_given({**options, "sources": sources, "places": places, "week_start": ""}),
    )
    emit(f"Wrote {path} ({len(manifest['figure_ids'])} figures) and {path.with_suffix('.json')}.")


@click.command("xlsx")
@figure_filters
@click.option("--as-of", help="Only figures reported by this day.")
@as_stored_option
@output_file(".xlsx")
@click.pass_context
def export_xlsx(ctx: click.Context, out: str, force: bool, **options) -> None:
    """An Excel workbook: About, Latest, Weekly, Figures, Sources and Publications.

    \b
    Example:
      casualties export xlsx --out reports/syria.xlsx --place Syria
    """
    from ..reporting.workbook import write_workbook
    from ..reporting.workbook_about import provenance_rows
    from ..reporting.workbook_tables import workbook_tables

    store, figures, _, as_of = selected(ctx, **options, week=None, week_start="monday")
    store_time = stored_time(store, options)
    about = provenance_rows(ctx.obj["db"], filters_given(options), store_time)
    with steps_bar(f"Writing {out}", ("tables", "workbook")) as step:
        step("tables")
        tables = workbook_tables(
            figures, store.table("sources"), store.table("publications"), about, as_of
        )
        step("workbook")
        with output_path(out, force, ".xlsx") as path:
            write_workbook(tables, path, overwrite=True, stamped=store_time or None)
    weeks, rows = tables.weekly["week"].nunique(), len(tables.weekly)
    said = f"{len(tables.figures)} figures, {weeks} weeks with a change ({rows} weekly rows)"
    tell(out, f"Wrote {out}: {said}.")


@click.group()
def report() -> None:
    """Write report packs.

    \b
    Example:
      casualties report weekly --week 2024-W49 --out reports/2024-W49/
    """


@report.command("weekly")
@figure_filters
@week_options
@click.option(
    "--out", type=click.Path(file_okay=False), help="The folder to write (default: reports/WEEK/)."
)
@click.option("--force", is_flag=True, help="Write into a folder that already holds files.")
@click.pass_context
def report_weekly(ctx: click.Context, out: str | None, force: bool, **options) -> None:
    """The weekly pack: summary.md, PNG charts, the workbook, brief.html and manifest.json.

    \b
    Example:
      casualties report weekly --week 2024-W49 --out reports/2024-W49/
      casualties report weekly --as-of 2024-12-08 --place SY-ID
    """
    from ..reporting.pack import PACK_STEPS, PackRequest, write_weekly_pack

    store, figures, week, as_of = selected(ctx, **options)
    folder = Path(out) if out else Path("reports") / week.label
    request = PackRequest(
        week,
        folder,
        ctx.obj["db"],
        as_of,
        filters_given(options),
        store_time=stored_time(store, options),
        places=options["places"],
        overwrite=force,
    )
    with steps_bar(f"Writing the {week.label} pack", PACK_STEPS) as step:
        manifest = write_weekly_pack(store, figures, request, step)
    emit(f"Wrote the {week.label} pack to {folder}/: {pack_tally(manifest)}.")


def pack_tally(manifest: dict) -> str:
    """What a pack's folder received, every file counted: each chart has its JSON beside it."""
    files = manifest["files"]
    charts = [f for f in files if f["kind"].startswith("chart")]
    others = [f["file"] for f in files if not f["kind"].startswith("chart")]
    written = len(files) + len(charts) + 1  # and manifest.json
    parts = [f"{len(charts)} charts with their JSON manifests", *others, "manifest.json"]
    return f"{written} files ({', '.join(parts)}) from {len(manifest['figure_ids'])} figures"
