"""The `casualties` command: a thin shell over the library.

Heavy libraries (pandas, pandera) are imported by the commands that need
them, inside the core modules, so `casualties --help` starts at once.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from .errors import CasualtiesError, ValidationFailed

DEFAULT_DB = Path("data") / "casualties.db"
FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table: aligned on a terminal, tab-separated when piped.",
)


class Shell(click.Group):
    """Turns the core's errors into one line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ValidationFailed as failed:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            for problem in failed.problems:
                click.echo(f"Error: {problem}", err=True)
            click.echo(f"Nothing was written ({len(failed.problems)} problems).", err=True)
            sys.exit(1)
        except (CasualtiesError, sqlite3.Error) as error:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            where = "" if isinstance(error, CasualtiesError) else f"the store {ctx.obj['db']}: "
            click.echo(f"Error: {where}{error}", err=True)
            sys.exit(1)


@click.group(cls=Shell)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    envvar="CASUALTIES_DB",
    default=str(DEFAULT_DB),
    show_default=True,
    help="The store (also CASUALTIES_DB).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.version_option(package_name="casualties")
@click.pass_context
def cli(ctx: click.Context, db: str, debug: bool) -> None:
    """Casualty and displacement figures, kept with their provenance.

    \b
    Example:
      casualties init --example
      casualties list --metric killed --format csv
    """
    ctx.obj = {"db": db, "debug": debug}


def open_store(ctx: click.Context):
    from .store import Store

    return Store.open(ctx.obj["db"])


def emit(text: str) -> None:
    click.echo(text)


def terminal() -> bool:
    return sys.stdout.isatty()


def main() -> None:
    cli(prog_name="casualties")


# -- the store ---------------------------------------------------------------


@cli.command()
@click.option("--example", is_flag=True, help="Also load the example data.")
@click.pass_context
def init(ctx: click.Context, example: bool) -> None:
    """Create the store, or bring an old one to the current schema.

    \b
    Example:
      casualties init --example
      casualties --db data/syria.db init
    """
    from .store import Store

    store = Store.create(ctx.obj["db"])
    emit(f"Store ready at {ctx.obj['db']} (schema version {store.schema_version()}).")
    if example:
        ctx.invoke(load_example)


@cli.command("load-example")
@click.pass_context
def load_example(ctx: click.Context) -> None:
    """Load every figure of the two seed articles; already loaded rows are kept as they are.

    \b
    Example:
      casualties load-example
    """
    from .examples import load_example as load
    from .store import Store

    loaded = load(Store.create(ctx.obj["db"]))
    emit(
        f"Example data: {loaded.figures} figures, {loaded.sources} sources and "
        f"{loaded.publications} publications added (rows already there are left alone)."
    )


@cli.command("load-gaza")
@click.argument("path", type=click.Path(exists=True, dir_okay=False), required=False)
@click.pass_context
def load_gaza(ctx: click.Context, path: str | None) -> None:
    """Load the real Gaza daily series (Ministry of Health and Government Media Office).

    PATH defaults to ../shared/data/tfp_gaza_casualties_daily.json
    (TechForPalestine/palestine-datasets, Unlicense).

    \b
    Example:
      casualties load-gaza
      casualties --db data/gaza.db load-gaza ../shared/data/tfp_gaza_casualties_daily.json
    """
    from .gaza_daily import DEFAULT_PATH, load_gaza_daily
    from .store import Store

    loaded = load_gaza_daily(Store.create(ctx.obj["db"]), Path(path) if path else DEFAULT_PATH)
    emit(
        f"Gaza daily series: {loaded.figures} figures, {loaded.sources} sources and "
        f"{loaded.publications} publications added (rows already there are left alone)."
    )


@cli.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Check the whole store against the data contract; list every violation.

    \b
    Example:
      casualties validate
    """
    from .ledger import store_problems

    problems = store_problems(open_store(ctx))
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if problems:
        click.echo(f"{len(problems)} problems found.", err=True)
        sys.exit(1)
    counts = open_store(ctx).counts()
    emit(
        f"The store is valid: {counts['figures']} figures, {counts['sources']} sources, "
        f"{counts['publications']} publications."
    )


# -- figures -------------------------------------------------------------------

# (flag, column, type, help): one option per field of the figures table.
FIGURE_FIELDS = [
    ("--id", "id", str, "Figure id (default: derived from its content)."),
    ("--metric", "metric", str, "What was counted: killed, injured, displaced, idps…"),
    ("--group", "population_group", str, "Who: people, civilians, combatants, children…"),
    ("--low", "value_low", int, "Lowest number the report allows."),
    ("--best", "value_best", int, "The number as reported."),
    ("--high", "value_high", int, "Highest number the report allows."),
    (
        "--qualifier",
        "qualifier",
        str,
        "exact, about, at_least, more_than, at_most, fewer_than, between, vague.",
    ),
    ("--words", "value_words", str, "The words used ('at least 25', 'tens of thousands')."),
    ("--unit", "unit", str, "people (default), households or families."),
    ("--household-size", "household_size", float, "People per household or family."),
    (
        "--place-reported",
        "place_reported",
        str,
        "The place as worded (default: the --place values).",
    ),
    ("--precision", "place_precision", str, "point, city, admin2, admin1, country, region."),
    ("--start", "period_start", str, "First day counted (YYYY-MM-DD)."),
    ("--end", "period_end", str, "Last day counted (default: --start)."),
    ("--date-precision", "date_precision", str, "day (default), week, month, year."),
    ("--basis", "basis", str, "incident (default) or cumulative."),
    (
        "--anchor",
        "anchor_words",
        str,
        "Anchor of a cumulative count ('since the fighting broke out').",
    ),
    ("--date-words", "date_words", str, "The date words as reported ('Sunday')."),
    ("--date-resolution", "date_resolution", str, "How the date words became dates."),
    ("--reported-on", "reported_on", str, "When the source gave it (default: publication date)."),
    ("--source", "source_id", str, "Id of who counted (see `casualties sources list`)."),
    ("--quote", "quote", str, "The verbatim sentence from the first publication."),
    ("--source-term", "source_term", str, "The source's own word ('fled', 'fatalities')."),
    ("--cause", "cause", str, "Perpetrator or cause as reported."),
    ("--notes", "notes", str, "Anything else."),
    ("--role", "role", str, "recommended (default) or triangulation."),
    ("--grade", "grade", str, "confirmed, fair, weak (default), contested, discounted."),
    ("--grade-note", "grade_note", str, "How you read the figure."),
    ("--part-of", "part_of", str, "Id of the figure this is a subset of."),
    ("--supersedes", "supersedes", str, "Id of the figure this replaces (a correction)."),
]


def figure_options(command):
    """Add one option per figure field, plus --value, --place and --publication."""
    for flag, column, kind, text in reversed(FIGURE_FIELDS):
        command = click.option(flag, column, type=kind, help=text)(command)
    command = click.option("--value", type=int, help="Sets low = best = high (qualifier exact).")(
        command
    )
    command = click.option(
        "--place", "places", multiple=True, help="A place: code, name or alias (repeatable)."
    )(command)
    command = click.option(
        "--publication",
        "publications",
        multiple=True,
        help="Publication id (repeatable; the first is the quote's).",
    )(command)
    return command


def figure_changes(options: dict) -> dict:
    """The figure fields the user set, with --value, --place and --publication unfolded."""
    from .gazetteer import place_fields

    fields = {
        column: options[column] for _, column, _, _ in FIGURE_FIELDS if options[column] is not None
    }
    if options["value"] is not None:
        fields = {
            "value_low": options["value"],
            "value_best": options["value"],
            "value_high": options["value"],
            **fields,
        }
    if options["places"]:
        resolved = place_fields(list(options["places"]), fields.get("place_precision"))
        fields = {**resolved, **fields}
    if options["publications"]:
        fields["publication_ids"] = ";".join(options["publications"])
    return fields


def show_figure(card: dict) -> str:
    from .render import card as card_text

    figure = card["figure"]
    derived = [("value", card["value"]), ("report lag (days)", card["report_lag_days"])]
    lines = [card_text([*derived, *figure.items()])]
    lines.append("\nPlaces:\n" + "\n".join(f"  {p}" for p in card["places"]))
    source = card["source"]
    lines.append(
        f"\nSource: {source['name']} ({source['kind']}, reliability {source['reliability']})"
    )
    for publication in card["publications"]:
        lines.append(
            f"\nPublication {publication['id']}: {publication['publisher']}, "
            f"{publication['published_on']}: {publication.get('title') or ''}"
        )
        if publication.get("url"):
            lines.append(f"  {publication['url']}")
        lines.append(f"  “{publication['quote'] or '(no quote kept)'}”")
    for subset in card["subsets"]:
        what = f"{subset['value']} {subset['population_group']}"
        lines.append(f"\nSubset {subset['id']}: {what} ({subset['status']})")
    lines.append(f"\n{card['versions']} version(s): see `casualties history {figure['id']}`.")
    return "\n".join(lines)


@cli.command()
@figure_options
@click.option("--by", "entered_by", help="Who enters it (default: CASUALTIES_USER or login).")
@click.pass_context
def add(ctx: click.Context, entered_by: str | None, **options) -> None:
    """Add one figure, validated against the contract, and print it as stored.

    \b
    Example:
      casualties add --metric killed --group civilians --low 25 --qualifier at_least \\
        --source white-helmets --publication upi-2024-12-06 --place SY07 --place "rural Aleppo" \\
        --start 2024-12-01 --date-words Sunday --quote "Ten children and four women were among..."
    """
    import pandas as pd

    from .ledger import add_figures
    from .query import figure_card

    store = open_store(ctx)
    stored = add_figures(store, pd.DataFrame([figure_changes(options)]), entered_by=entered_by)
    emit(show_figure(figure_card(store, stored["id"].iloc[0])))


@cli.command()
@click.argument("figure_id")
@figure_options
@click.option("--reason", required=True, help="Why the figure is amended.")
@click.option("--by", "entered_by", help="Who amends it.")
@click.pass_context
def amend(
    ctx: click.Context, figure_id: str, reason: str, entered_by: str | None, **options
) -> None:
    """Store a corrected version of a figure; the old version stays in its history.

    \b
    Example:
      casualties amend syr-wh-civilians-killed-2024-12-01 --low 27 --reason "typo: 27 in the source"
    """
    from .ledger import amend_figure
    from .query import figure_card

    changes = figure_changes(options)
    if "id" in changes:
        raise click.UsageError("a figure's id never changes; add a new figure with --supersedes")
    if not changes:
        raise click.UsageError("give at least one field to change")
    store = open_store(ctx)
    amend_figure(store, figure_id, changes, reason, entered_by)
    emit(show_figure(figure_card(store, figure_id)))


@cli.command()
@click.argument("figure_id")
@click.option("--reason", required=True, help="Why it is withdrawn.")
@click.option("--by", "entered_by", help="Who retracts it.")
@click.pass_context
def retract(ctx: click.Context, figure_id: str, reason: str, entered_by: str | None) -> None:
    """Mark a figure retracted; it is kept, with the reason, and leaves every total.

    \b
    Example:
      casualties retract syr-afp-homs-killed-2014-04 --reason "background figure, not a report"
    """
    from .ledger import retract_figure

    row = retract_figure(open_store(ctx), figure_id, reason, entered_by)
    emit(f"{figure_id} retracted (version {row['version']}): {reason}")


@cli.command()
@click.argument("figure_id")
@click.option("--publication", required=True, help="Id of the publication that reported it too.")
@click.option("--quote", required=True, help="The verbatim sentence in that publication.")
@click.option("--by", "entered_by", help="Who records it.")
@click.pass_context
def cite(
    ctx: click.Context, figure_id: str, publication: str, quote: str, entered_by: str | None
) -> None:
    """Record that one more publication reported a stored figure (one figure, not two).

    \b
    Example:
      casualties cite syr-sohr-civilians-killed-2024-12-06 --publication afp-2024-12-07 \\
        --quote "The Syrian Observatory for Human Rights said 111 civilians..."
    """
    from .ledger import cite_figure

    cite_figure(open_store(ctx), figure_id, publication, quote, entered_by)
    emit(f"{figure_id} is now also cited by {publication}.")


@cli.command("list")
@click.option("--metric", "metrics", multiple=True, help="Only these metrics (repeatable).")
@click.option("--group", "groups", multiple=True, help="Only these population groups.")
@click.option("--source", "sources", multiple=True, help="Only figures counted by these sources.")
@click.option("--place", "places", multiple=True, help="Only figures in this place or inside it.")
@click.option("--from", "start", help="Only figures whose period ends on or after this day.")
@click.option("--to", "end", help="Only figures whose period starts on or before this day.")
@click.option("--status", "statuses", multiple=True, help="active, superseded, retracted.")
@FORMAT
@click.pass_context
def list_(ctx: click.Context, fmt: str, places: tuple[str, ...], **filters) -> None:
    """List figures; csv and json carry every field, named as in the schema.

    \b
    Example:
      casualties list --metric killed --place Idlib
      casualties list --source sohr --format csv > sohr.csv
    """
    from .query import LIST_COLUMNS, FigureQuery, matching_figures, with_value_text
    from .render import render
    from .store import FigureFilter

    query = FigureQuery(FigureFilter(**filters), places)
    if fmt == "csv":  # streamed: a million figures never sit in memory at once
        from .contract import table
        from .query import matching_rows
        from .render import csv_lines

        lines = csv_lines(table("figures").column_names, matching_rows(open_store(ctx), query))
        for text in lines:
            click.echo(text, nl=False)
        return
    frame = matching_figures(open_store(ctx), query)
    if fmt == "table":
        frame = with_value_text(frame)[LIST_COLUMNS]
    emit(render(frame, fmt, terminal()))


@cli.command()
@click.argument("figure_id")
@FORMAT
@click.pass_context
def show(ctx: click.Context, figure_id: str, fmt: str) -> None:
    """Everything about one figure: fields, source, publications with their quotes, subsets.

    \b
    Example:
      casualties show syr-wh-civilians-killed-2024-12-01
    """
    import json

    from .query import figure_card

    card = figure_card(open_store(ctx), figure_id)
    emit(json.dumps(card, ensure_ascii=False, indent=2) if fmt == "json" else show_figure(card))


@cli.command()
@click.argument("figure_id")
@FORMAT
@click.pass_context
def history(ctx: click.Context, figure_id: str, fmt: str) -> None:
    """Every version of a figure: who changed what, when and why.

    \b
    Example:
      casualties history syr-wh-civilians-killed-2024-12-01
    """
    import pandas as pd

    from .query import version_changes
    from .render import render

    rows = version_changes(open_store(ctx).figure_versions(figure_id))
    frame = pd.DataFrame(rows)
    if fmt == "table":
        frame = frame[["version", "status", "entered_at", "entered_by", "change_reason", "changes"]]
    emit(render(frame, fmt, terminal(), max_width=100))


def week_options(command):
    """--week, --week-start and --as-of, shared by the weekly outputs."""
    command = click.option(
        "--as-of", help="Replay the report as it stood on this day: figures reported by then."
    )(command)
    command = click.option(
        "--week-start", default="monday", show_default=True, help="First day of a week."
    )(command)
    return click.option(
        "--week", help="2024-W49, or any day in the week (default: the latest week with figures)."
    )(command)


def figure_filters(command):
    """--metric, --group, --source and --place, shared by the weekly outputs."""
    for flag, name, text in reversed(
        [
            ("--metric", "metrics", "Only these metrics (repeatable)."),
            ("--group", "groups", "Only these population groups."),
            ("--source", "sources", "Only these sources."),
            ("--place", "places", "Only figures in this place or inside it (SY-HM, Hama…)."),
        ]
    ):
        command = click.option(flag, name, multiple=True, help=text)(command)
    return command


def selected(
    ctx: click.Context, metrics, groups, sources, places, week, week_start, as_of, columns=None
):
    """The figures, week and as-of day the weekly outputs work on."""
    from .query import FigureQuery, matching_figures
    from .store import FigureFilter
    from .summary import default_week
    from .weeks import parse_day, parse_week, parse_week_start

    store = open_store(ctx)
    where = FigureFilter(metrics=metrics, groups=groups, sources=sources)
    figures = matching_figures(store, FigureQuery(where, places), columns)
    as_of_day = parse_day(as_of, "--as-of") if as_of else None
    start = parse_week_start(week_start)
    chosen = parse_week(week, start) if week else default_week(figures, as_of_day, start)
    return store, figures, chosen, as_of_day


@cli.command()
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
@click.pass_context
def summary(ctx: click.Context, fmt: str, ids: bool, **options) -> None:
    """Each source's latest figure, the range across sources, the change in the week.

    Nothing is added across sources; subsets are shown under their parent.

    \b
    Example:
      casualties summary
      casualties summary --week 2024-W49 --metric killed --place SY-ID --ids
      casualties summary --as-of 2024-12-05 --format markdown
    """
    from .aggregation import RULE_COLUMNS
    from .render import render, to_markdown
    from .summary import TABLE_COLUMNS, weekly_summary

    store, figures, week, as_of = selected(ctx, **options, columns=RULE_COLUMNS)
    table = weekly_summary(figures, week, as_of)
    if fmt in ("table", "markdown"):
        table = table[[*TABLE_COLUMNS, "ids"] if ids else TABLE_COLUMNS]
        emit(summary_heading(week, as_of, len(figures)) + "\n")
    emit(to_markdown(table) if fmt == "markdown" else render(table, fmt, terminal(), 50))


def summary_heading(week, as_of, count: int) -> str:
    known = f"figures reported by {as_of}" if as_of else "every figure reported so far"
    return (
        f"Week {week.label} ({week.start} to {week.end}), {known} ({count} in the selection).\n"
        "Sources are compared, never added; subsets stand under their parent."
    )


def filters_given(options: dict) -> dict[str, str]:
    """The filters a user gave, as text for an About sheet or a manifest."""
    names = ("metrics", "groups", "sources", "places", "week", "week_start", "as_of")
    return {
        name: ", ".join(value) if isinstance(value, tuple) else str(value)
        for name, value in options.items()
        if name in names and value
    }


@cli.command()
@click.argument("kind", type=click.Choice(["toll", "weekly", "place"]))
@click.option("--metric", required=True, help="What was counted (killed, displaced…).")
@click.option("--group", required=True, help="Who (people, civilians, children…).")
@click.option("--source", "sources", multiple=True, help="Only these sources.")
@click.option("--place", "places", multiple=True, help="Only figures in this place or inside it.")
@week_options
@click.option(
    "--weeks",
    "weeks_charted",
    default=26,
    show_default=True,
    help="Weekly chart: how many weeks, ending with --week.",
)
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="The PNG to write.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
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
    \b
    Example:
      casualties chart toll --metric killed --group people --out reports/toll.png
      casualties chart weekly --metric displaced --group civilians --weeks 12 --out w.png
    """
    from .pack import ChartPlan, chart_plan_table, write_charts

    path = Path(out)
    if path.exists() and not force:
        raise click.UsageError(f"{path} exists; pass --force to overwrite it")
    store, figures, week, as_of = selected(
        ctx, (metric,), (group,), options.pop("sources"), options.pop("places"), **options
    )
    table = chart_plan_table(kind, figures, metric, group, week, as_of, weeks_charted)
    plan = ChartPlan(kind, metric, group, table)
    period = f"{figures['period_start'].min()} to {week.end}" if len(figures) else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    (manifest,) = write_charts(
        [plan], figures, store.table("sources"), as_of, path.parent, period, file_name=path.name
    )
    emit(f"Wrote {path} ({len(manifest['figure_ids'])} figures) and {path.with_suffix('.json')}.")


@cli.group()
def export() -> None:
    """Write the store's figures to a file for others.

    \b
    Example:
      casualties export xlsx --out reports/figures.xlsx
    """


@export.command("xlsx")
@figure_filters
@click.option("--as-of", help="Only figures reported by this day.")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="The .xlsx to write.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@click.pass_context
def export_xlsx(ctx: click.Context, out: str, force: bool, **options) -> None:
    """An Excel workbook: About, Latest, Weekly, Figures, Sources and Publications.

    \b
    Example:
      casualties export xlsx --out reports/syria.xlsx --place Syria
    """
    from datetime import UTC, datetime

    from .workbook import provenance_rows, workbook_tables, write_workbook

    store, figures, _, as_of = selected(ctx, **options, week=None, week_start="monday")
    about = provenance_rows(ctx.obj["db"], filters_given(options), datetime.now(UTC))
    tables = workbook_tables(
        figures, store.table("sources"), store.table("publications"), about, as_of
    )
    write_workbook(tables, Path(out), overwrite=force)
    emit(f"Wrote {out}: {len(tables.figures)} figures, {len(tables.weekly)} weeks.")


@cli.group()
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
    """The weekly pack: summary.md, PNG charts, the workbook and manifest.json.

    \b
    Example:
      casualties report weekly --week 2024-W49 --out reports/2024-W49/
      casualties report weekly --as-of 2024-12-08 --place SY-ID
    """
    from .pack import PackRequest, write_weekly_pack

    store, figures, week, as_of = selected(ctx, **options)
    folder = Path(out) if out else Path("reports") / week.label
    request = PackRequest(
        week, folder, ctx.obj["db"], as_of, filters_given(options), overwrite=force
    )
    manifest = write_weekly_pack(store, figures, request)
    emit(
        f"Wrote the {week.label} pack to {folder}/: {len(manifest['files'])} files from "
        f"{len(manifest['figure_ids'])} figures (see manifest.json)."
    )


# -- sources and publications ----------------------------------------------------


def keyed_table_group(table: str, fields: list[tuple[str, str, str]], example: str):
    """A `sources` or `publications` command group with list and add."""

    @cli.group(table)
    def group() -> None:
        pass

    group.help = f"List or add {table}.\n\n\b\nExample:\n  casualties {table} list\n  {example}"

    @group.command("list")
    @FORMAT
    @click.pass_context
    def list_rows(ctx: click.Context, fmt: str) -> None:
        from .render import render

        emit(render(open_store(ctx).table(table), fmt, terminal()))

    list_rows.help = (
        f"List every stored row of {table}.\n\n\b\nExample:\n  casualties {table} list --format csv"
    )

    def add_rows(ctx: click.Context, **values) -> None:
        import pandas as pd

        from . import ledger

        adder = getattr(ledger, f"add_{table}")
        row = {column: value for column, value in values.items() if value is not None}
        adder(open_store(ctx), pd.DataFrame([row]))
        emit(f"Added to {table}: {row['id']}")

    for flag, column, text in reversed(fields):
        add_rows = click.option(flag, column, help=text)(add_rows)
    add_rows.__doc__ = f"Add one row to {table}.\n\n\b\nExample:\n  {example}"
    group.command("add")(click.pass_context(add_rows))
    return group


sources = keyed_table_group(
    "sources",
    [
        ("--id", "id", "Short id, lower case (sohr)."),
        ("--name", "name", "Full name."),
        ("--aliases", "aliases", "Other names, ';'-separated."),
        (
            "--kind",
            "kind",
            "local_monitor, ngo, un, government, party_to_conflict, media, dataset.",
        ),
        ("--reliability", "reliability", "low, medium or high."),
        ("--url", "url", "Website or methodology page."),
        ("--notes", "notes", "Method, coverage, bias."),
    ],
    'casualties sources add --id snhr --name "Syrian Network for Human Rights" '
    "--kind local_monitor --reliability medium",
)
publications = keyed_table_group(
    "publications",
    [
        ("--id", "id", "Short id, lower case (upi-2024-12-06)."),
        ("--publisher", "publisher", "Who published it (UPI, AFP via TDT)."),
        ("--title", "title", "Headline."),
        ("--url", "url", "Where it can be read."),
        ("--published-on", "published_on", "Publication date (YYYY-MM-DD)."),
        ("--retrieved-on", "retrieved_on", "When you read it (YYYY-MM-DD)."),
        ("--language", "language", "ISO 639 code (en, ar)."),
    ],
    "casualties publications add --id afp-2024-12-07 --publisher AFP --published-on 2024-12-07",
)


# -- reference -------------------------------------------------------------------


@cli.command()
@click.argument("name", required=False)
def vocab(name: str | None) -> None:
    """Show the controlled vocabularies with each term's definition.

    \b
    Example:
      casualties vocab metric
    """
    from .contract import vocabularies

    known = vocabularies()
    if name and name not in known:
        raise click.BadParameter(f"no vocabulary {name!r}; known: {', '.join(known)}")
    for vocabulary in [known[name]] if name else known.values():
        emit(f"{vocabulary.name}: {vocabulary.description}")
        for term in vocabulary.terms:
            emit(f"  {term:<16} {vocabulary.definition(term)}")


@cli.command()
@click.argument("text")
def place(text: str) -> None:
    """Look a place up in the gazetteer: code, level and the areas it lies in.

    \b
    Example:
      casualties place "Deir al-Zour"
    """
    from .errors import UnknownPlace
    from .gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    found = gazetteer.matches(text)
    if not found:
        gazetteer.resolve(text)  # raises UnknownPlace with suggestions
        raise UnknownPlace(text, [])
    for match in found:
        iso = f"  ISO {match.iso_3166_2}" if match.iso_3166_2 else ""
        within = [gazetteer.places[c] for c in match.ancestors[1:] if c in gazetteer]
        inside = ", ".join(f"{p.name} ({p.code})" for p in within)
        emit(
            f"{match.code}  {match.name}  {match.level}{iso}" + (f"  in {inside}" if inside else "")
        )
