"""Commands on figures: add, amend, retract, cite, list, show, history."""

from __future__ import annotations

import click

from .options import FORMAT, checked
from .shell import emit, open_store, terminal

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
    (
        "--basis",
        "basis",
        str,
        "incident, cumulative or stock (default: stock for a stock metric such as"
        " idps, else incident).",
    ),
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
    from ..model.gazetteer import place_fields

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
    from ..reporting.render import card as card_text

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


@click.command()
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
    from ..model.frames import pd
    from ..store.ledger import add_figures
    from ..store.query import figure_card

    if not options["publications"]:
        # Every figure keeps where it was read (see `casualties publications list`).
        raise click.UsageError("Missing option '--publication': the publication that reported it.")
    store = open_store(ctx)
    stored = add_figures(store, pd.DataFrame([figure_changes(options)]), entered_by=entered_by)
    emit(show_figure(figure_card(store, stored["id"].iloc[0])))


@click.command()
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
    from ..store.ledger import amend_figure
    from ..store.query import figure_card

    changes = figure_changes(options)
    if "id" in changes:
        raise click.UsageError("a figure's id never changes; add a new figure with --supersedes")
    if not changes:
        raise click.UsageError("give at least one field to change")
    store = open_store(ctx)
    amend_figure(store, figure_id, changes, reason, entered_by)
    emit(show_figure(figure_card(store, figure_id)))


@click.command()
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
    from ..store.ledger import active_subsets, retract_figure

    store = open_store(ctx)
    row = retract_figure(store, figure_id, reason, entered_by)
    emit(f"{figure_id} retracted (version {row['version']}): {reason}")
    left = active_subsets(store, figure_id)
    if left:
        emit(
            f"Its subsets stay active and now stand on their own: {', '.join(left)}. "
            "Re-link each to the figure that replaces it (amend --part-of) or retract it; "
            "`casualties validate` lists them until then."
        )


@click.command()
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
    from ..store.ledger import cite_figure

    cite_figure(open_store(ctx), figure_id, publication, quote, entered_by)
    emit(f"{figure_id} is now also cited by {publication}.")


@click.command("list")
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
    from ..reporting.render import render
    from ..store.database import FigureFilter
    from ..store.query import LIST_COLUMNS, FigureQuery, listed_rows, matching_figures

    store = open_store(ctx)
    query = checked(store, FigureQuery(FigureFilter(**filters), places))
    if fmt == "csv":  # streamed: a million figures never sit in memory at once
        from ..files.csv_text import csv_lines
        from ..model.contract import table
        from ..store.query import matching_rows

        lines = csv_lines(table("figures").column_names, matching_rows(store, query))
        for text in lines:
            emit(text, nl=False)
        return
    if fmt == "table":
        from ..reporting.render import display_texts, table_text

        texts = display_texts(listed_rows(store, query))
        numeric = [c == "value" for c in LIST_COLUMNS]
        emit(table_text(LIST_COLUMNS, texts, terminal(), numeric))
        return
    emit(render(matching_figures(store, query), fmt, terminal()))


@click.command()
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

    from ..store.query import figure_card

    card = figure_card(open_store(ctx), figure_id)
    emit(json.dumps(card, ensure_ascii=False, indent=2) if fmt == "json" else show_figure(card))


@click.command()
@click.argument("figure_id")
@FORMAT
@click.pass_context
def history(ctx: click.Context, figure_id: str, fmt: str) -> None:
    """Every version of a figure: who changed what, when and why.

    \b
    Example:
      casualties history syr-wh-civilians-killed-2024-12-01
    """
    from ..model.frames import pd
    from ..reporting.render import render
    from ..store.query import version_changes

    rows = version_changes(open_store(ctx).figure_versions(figure_id))
    frame = pd.DataFrame(rows)
    if fmt == "table":
        frame = frame[["version", "status", "entered_at", "entered_by", "change_reason", "changes"]]
    emit(render(frame, fmt, terminal(), max_width=100))
