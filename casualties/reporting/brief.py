"""brief.html: the weekly pack on one printable page, every number footnoted to its source.

The page is laid out from the summary rows and the chart files the pack has
already made: it computes no number of its own. It is one self-contained file
(charts as PNG data URIs, the style sheet inline) and holds no script, so a
browser shows and prints it as it is, offline. Nothing in it depends on the
moment it is written: made again from the same store time, it is the same bytes.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING

from ..model import contract
from ..model.weeks import Week
from .bounds import SEP
from .brief_notes import Notes

if TYPE_CHECKING:
    from ..model.frames import pd

# The vocabularies whose terms a brief's table shows, defined under it.
DEFINED = ("metric", "population_group", "unit", "basis")
MOST_KEY_FIGURES = 8
# Two rows of three fit a printed page beside the key figures; the pack holds the rest.
MOST_CHARTS = 6
STYLE = Path(__file__).with_name("brief.css")
PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$title</title>
<style>
$style</style>
</head>
<body>
<header>
<h1>$title</h1>
<p class="made">$made</p>
</header>
$key_figures
$charts
<section class="week">
<h2>The week's figures</h2>
<p class="how">$how</p>
$table
</section>
<section class="notes">
<h2>Sources</h2>
$notes
</section>
<section class="definitions">
<h2>Definitions</h2>
$definitions
</section>
</body>
</html>
"""
)
HOW_TO_READ = (
    "Sources are compared, never added: an “all sources” row gives the range (lowest low "
    "to highest figure) of like figures only. Subsets stand under their parent and are never "
    "added to it. A certain fall in a running total is a revision, never negative deaths; a "
    "stock's change is net. Each number's note names the figures behind it."
)


@dataclass(frozen=True)
class BriefFacts:
    """What the page says it was made from."""

    week: Week
    store_path: str
    store_time: str
    as_of: date | None
    place_label: str


def write_brief(
    summary: pd.DataFrame,
    charts: list[dict],
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    publications: pd.DataFrame,
    facts: BriefFacts,
    out: Path,
) -> list[str]:
    """Write out/brief.html from the pack's summary and charts; return the ids it shows."""
    notes = Notes(figures, sources, publications)
    drawn = charts_of_key_figures(summary, charts)
    title = f"Casualty and displacement figures, {facts.place_label}, week {facts.week.label}"
    page = PAGE.substitute(
        title=escape(title),
        style=STYLE.read_text(encoding="utf-8"),
        made=_made_line(facts),
        key_figures=key_figures_html(summary, notes),
        charts=charts_html(drawn, len(charts), out),
        how=escape(HOW_TO_READ),
        table=table_html(summary, notes),
        notes=notes.html(),
        definitions=definitions_html(summary),
    )
    (out / "brief.html").write_text(page, encoding="utf-8")
    return sorted({*notes.numbers, *(i for chart in drawn for i in chart["figure_ids"])})


def _made_line(facts: BriefFacts) -> str:
    week = facts.week
    known = (
        f"figures reported by {facts.as_of} (--as-of)" if facts.as_of else "every figure reported"
    )
    stored = f"as it stood at {facts.store_time}" if facts.store_time else "(empty)"
    return escape(
        f"{week.start} to {week.end}. Made from the store {facts.store_path} {stored}, {known}."
    )


def _key_rows(summary: pd.DataFrame) -> pd.DataFrame:
    """The rows a key figure may stand on: of their own (no subsets), counted, not stale."""
    flags = summary["flags"]
    aside = flags.str.contains("not counted", regex=False) | flags.str.startswith("stale")
    return summary[(summary["depth"] == 0) & ~aside]


def key_figures_html(summary: pd.DataFrame, notes: Notes) -> str:
    """A box per metric and group: the range across sources, else each source's latest."""
    rows = _key_rows(summary)
    boxes = [
        _key_box(metric, group, shown, notes)
        for (metric, group), shown in rows.groupby(["metric", "population_group"], sort=False)
    ]
    if not boxes:
        where = "see the table" if len(summary) else "nothing was counted in it"
        return f'<p class="none">No figure of this week stands on its own: {where}.</p>'
    more = len(boxes) - MOST_KEY_FIGURES
    tail = f'<p class="more">{more} more in the table.</p>' if more > 0 else ""
    shown = "\n".join(boxes[:MOST_KEY_FIGURES])
    return f'<section class="keys">\n{shown}\n</section>{tail}'


def _key_box(metric: str, group: str, shown: pd.DataFrame, notes: Notes) -> str:
    """One metric and group: a big number where there is one, then each source's line."""
    ranged = shown[shown["sources"] > 1]
    singles = shown[shown["sources"] == 1]
    heading = contract.series_label(metric, group)  # "Civilians killed", as the charts say
    parts = [f"<h3>{escape(heading)}</h3>"]
    if not ranged.empty:
        row = ranged.iloc[0]
        parts.append(f'<p class="big">{_number(row, notes)}</p>')
        parts.append(f'<p class="under">range across {int(row["sources"])} sources</p>')
    elif len(singles) == 1:
        row = singles.iloc[0]
        parts.append(f'<p class="big">{_number(row, notes)}</p>')
        parts.append(f'<p class="under">{escape(_source_words(row))}</p>')
        parts.append(_change_line(row, notes))
        return f'<div class="key">{"".join(parts)}</div>'
    lines = "".join(
        f"<li><b>{_number(r, notes)}</b> {escape(_source_words(r))}{_change_line(r, notes)}</li>"
        for _, r in singles.iterrows()
    )
    parts.append(f"<ul>{lines}</ul>")
    return f'<div class="key">{"".join(parts)}</div>'


def _number(row, notes: Notes) -> str:
    return f"{escape(row['latest'])}{notes.mark(row['ids'])}"


def _source_words(row) -> str:
    """Who counted, and what kind of count it is: 'sohr, running total since 2024-11-25'."""
    if row["basis"] == "cumulative" and row["anchor"]:
        return f"{row['source_id']}, running total since {row['anchor']}"
    return f"{row['source_id']}, {row['basis']} to {row['period_end']}"


def _change_line(row, notes: Notes) -> str:
    if not row["week_change"]:
        return ""
    ids = SEP.join(i for i in (row["change_ids"], row["revision_ids"]) if i)
    return f'<p class="change">week: {escape(row["week_change"])}{notes.mark(ids)}</p>'


def charts_of_key_figures(summary: pd.DataFrame, charts: list[dict]) -> list[dict]:
    """The pack's charts of the key figures' metrics and groups, in the pack's order."""
    keys = set(zip(*(_key_rows(summary)[c] for c in ("metric", "population_group")), strict=True))
    chosen = [
        chart
        for chart in charts
        if (chart["context"]["metric"], chart["context"]["population_group"]) in keys
    ]
    return chosen[:MOST_CHARTS]


def charts_html(charts: list[dict], made: int, out: Path) -> str:
    """The charts chosen, each embedded as a PNG data URI, and how many more the pack holds."""
    if not charts:
        return ""
    shown = []
    for manifest in charts:
        data = base64.b64encode((out / manifest["file"]).read_bytes()).decode("ascii")
        context = manifest["context"]
        alt = (
            f"{manifest['kind']} chart: {context['metric']}, {context['population_group']}, "
            f"{context['period']}"
        )
        shown.append(f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}">')
    more = made - len(charts)
    tail = f'<p class="more">{more} more charts in the pack\'s folder.</p>' if more else ""
    return '<section class="charts">\n' + "\n".join(shown) + "\n</section>" + tail


TABLE_HEAD = (
    "Metric",
    "Group",
    "Source",
    "Latest",
    "Unit",
    "Basis",
    "Ends",
    "Reported",
    "Week's change",
)
# Numbers right-aligned; ids and dates never broken at their hyphens.
CELL_CLASSES = {2: "day", 3: "n", 5: "day", 6: "day", 7: "day", 8: "n"}


def table_html(summary: pd.DataFrame, notes: Notes) -> str:
    """The summary's rows with each number footnoted; subsets indented under their parent.

    A row's flags stand on a line of their own under it, the table's width:
    in a column they would stretch every row to a dozen lines.
    """
    from .summary import display_table

    if summary.empty:
        return '<p class="none">No figure stands in this week.</p>'
    shown = display_table(summary)
    head = "".join(f"<th>{h}</th>" for h in TABLE_HEAD)
    pairs = zip(summary.to_dict("records"), shown.to_dict("records"), strict=True)
    body = "\n".join(_table_row(row, words, notes) for row, words in pairs)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n{body}\n</table>"


def _table_row(row: dict, shown: dict, notes: Notes) -> str:
    """One summary row (a tbody, so a page never parts it from its flags)."""
    depth = int(row["depth"])
    change_ids = SEP.join(i for i in (row["change_ids"], row["revision_ids"]) if i)
    cells = [
        escape(contract.term_label("metric", row["metric"])),
        f'<span class="d{min(depth, 3)}">{escape(_group_words(row, depth))}</span>',
        escape(row["source_id"]),
        f"{escape(row['latest'])}{notes.mark(row['ids'])}",
        escape(row["unit"]),
        escape(shown["basis"]),
        escape(row["period_end"]),
        escape(row["reported_on"]),
        f"{escape(row['week_change'])}{notes.mark(change_ids) if row['week_change'] else ''}",
    ]
    tds = "".join(
        f'<td class="{CELL_CLASSES[i]}">{c}</td>' if i in CELL_CLASSES else f"<td>{c}</td>"
        for i, c in enumerate(cells)
    )
    flags = ""
    if row["flags"]:
        span = len(cells) - 1
        flags = f'<tr class="flags"><td></td><td colspan="{span}">{escape(row["flags"])}</td></tr>'

    kind = (
        "range" if int(row["sources"]) > 1 else ("aside" if "not counted" in row["flags"] else "")
    )
    return f'<tbody class="{kind}"><tr>{tds}</tr>{flags}</tbody>'


def _group_words(row, depth: int) -> str:
    """The group as the table reads it: a subset is 'of which' its label."""
    group = contract.term_label("population_group", row["population_group"])
    return f"of which {group}" if depth else group


def definitions_html(summary: pd.DataFrame) -> str:
    """The definition of each term and flag the table uses, from the schemas."""
    vocabularies = contract.vocabularies()
    items = []
    for name in DEFINED:
        used = set(summary[name])
        # "people" is a group and a unit, defined apart.
        suffix = " (unit)" if name == "unit" else ""
        items += [
            (contract.term_label(name, term) + suffix, vocabularies[name].definition(term))
            for term in vocabularies[name].terms
            if term in used
        ]
    codes = contract.read_yaml(contract.SCHEMAS_DIR / "summary.yaml")["flags"]
    written = [flag for flags in summary["flags"] for flag in flags.split("; ") if flag]
    items += [
        (f"flag “{code}”", text)
        for code, text in codes.items()
        if any(flag.startswith(code) for flag in written)
    ]
    # The schemas write option names in Markdown's backticks; a page shows them plain.
    shown = "\n".join(
        f"<dt>{escape(term)}</dt><dd>{escape(text.replace('`', ''))}</dd>" for term, text in items
    )
    return f"<dl>\n{shown}\n</dl>"
