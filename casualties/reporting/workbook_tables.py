"""The workbook's sheets as tables: the figures, their latest values and weekly ranges.

Built from `aggregation` and `candidates`, with the About sheet's notes (what
the workbook holds, the rules in plain words, every term's definition);
`workbook.write_workbook` lays them out.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from ..model import contract
from ..model.counting import standing_mask
from ..model.series import SOURCE_KEY, recency
from ..model.weeks import Week, week_of
from . import aggregation, candidates, week_words
from .chart_tables import weekly_changes_by_source
from .workbook import WorkbookTables
from .workbook_about import SHEET_NOTES, definition_rows, link_notes, rule_rows

if TYPE_CHECKING:
    from ..model.frames import pd

LATEST_COLUMNS = {
    "id": "ids",
    "source_id": "source_id",
    "metric": "metric",
    "population_group": "population_group",
    "value_low": "value_low",
    "value_best": "value_best",
    "value_high": "value_high",
    "qualifier": "qualifier",
    "value_words": "value_words",
    "unit": "unit",
    "household_size": "household_size",
    "people_low": "people_low",
    "people_best": "people_best",
    "people_high": "people_high",
    "place_codes": "place_codes",
    "period_start": "period_start",
    "period_end": "period_end",
    "reported_on": "reported_on",
    "basis": "basis",
    "incidents": "incidents",
    "incidents_from": "incidents_from",
    "publication_id": "publication_id",
    "status": "status",
}
CHART_WEEKS = 26  # the weekly chart's longest span, as the pack's weekly chart
PLACE_SEPARATOR = "; "


def workbook_tables(
    figures: pd.DataFrame,
    sources: pd.DataFrame,
    publications: pd.DataFrame,
    about: list[tuple[str, str]],
    as_of: date | None = None,
    weeks: tuple[Week, Week] | None = None,
) -> WorkbookTables:
    """Every sheet's table from the figures, sources and publications given."""
    first, last = weeks or default_weeks(figures)
    weekly = weekly_long(figures, first, last, as_of)
    chart, drawn = weekly_changes_by_source(weekly, last, CHART_WEEKS)
    tables = {
        "latest": with_place_names(latest_table(figures, as_of)),
        "weekly": weekly,
        "chart": chart,
        "figures": with_place_names(figures_sheet_table(figures, publications)),
        "sources": dated(sources, "sources"),
        "publications": dated(publications, "publications"),
    }
    shown = weekly["week"].nunique()
    notes = [
        *about,
        ("As of", as_of.isoformat() if as_of else "every report stored"),
        (
            "Weeks",
            f"{first.label} ({first.start}) to {last.label} ({last.end}); "
            f"{shown:,} of them with a change (the Weekly sheet's rows)",
        ),
        *((f"Sheet {name}", text) for name, text in SHEET_NOTES.items()),
        *link_notes(tables),
        *rule_rows(),
        *definition_rows(figures),
    ]
    return WorkbookTables(about=notes, chart_title=chart_title(drawn), **tables)


def chart_title(drawn: tuple[str, str] | None) -> str:
    """The weekly chart's title: what is drawn, in the vocabularies' words."""
    if drawn is None:
        return ""
    metric, group = drawn
    return f"{metric.capitalize()} ({group.replace('_', ' ')}): each source's change in the week"


def default_weeks(figures: pd.DataFrame) -> tuple[Week, Week]:
    """The weeks of the figures' first and last period_end (today's if none).

    A figure counts in the week its period ends, so the first week is the
    first any figure counts in: a running total anchored years back does not
    start the weeks at its anchor.
    """
    if figures.empty:
        today = week_of(date.today())
        return today, today
    ends = figures["period_end"]
    first, last = (date.fromisoformat(str(day)) for day in (ends.min(), ends.max()))
    return week_of(first), week_of(last)


def latest_table(figures: pd.DataFrame, as_of: date | None = None) -> pd.DataFrame:
    """Each standing series' current figure, and each source's newest incident with a count.

    Incidents are summarised per source, metric, group and unit, as the
    summary shows them: an incident import of thousands of events gives a
    row per source key here, and lists every event on the Figures sheet.
    """
    latest = candidates.latest_by_series(candidates.eligible(figures, as_of))
    counted = incident_counts(latest[~standing_mask(latest)])
    shown = [*latest.loc[standing_mask(latest), "id"], *counted.index]
    rows = figures[figures["id"].isin(shown)]
    rows = rows.assign(
        publication_id=rows["publication_ids"].str.split(contract.LIST_SEPARATOR).str[0],
        incidents=rows["id"].map(counted["incidents"]).astype("Int64"),
        incidents_from=rows["id"].map(counted["incidents_from"]),
    )
    rows = rows[list(LATEST_COLUMNS)].rename(columns=LATEST_COLUMNS)
    rows = rows.iloc[_vocabulary_order(rows)].reset_index(drop=True)
    return _as_dates(rows, ["period_start", "period_end", "reported_on", "incidents_from"])


def incident_counts(incidents: pd.DataFrame) -> pd.DataFrame:
    """By each source key's newest incident's id: how many incidents, and the first's start."""
    from ..model.frames import pd

    if incidents.empty:
        return pd.DataFrame({"incidents": [], "incidents_from": []}, index=pd.Index([]))
    keys = [incidents[k] for k in SOURCE_KEY]
    newest = recency(incidents).groupby(keys).idxmax()
    grouped = incidents.groupby(keys)
    return pd.DataFrame(
        {
            "incidents": grouped.size().to_numpy(),
            "incidents_from": grouped["period_start"].min().to_numpy(),
        },
        index=pd.Index(incidents.loc[newest.to_numpy(), "id"].to_numpy()),
    )


def with_place_names(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with the gazetteer's names of its place codes beside them (unknown codes stay)."""
    from ..model.gazetteer import default_gazetteer

    places = default_gazetteer().places
    codes = frame["place_codes"]

    def names(text: str) -> str:
        parts = text.split(contract.LIST_SEPARATOR)
        return PLACE_SEPARATOR.join(places[c].name if c in places else c for c in parts)

    # Each distinct code list once: a million figures name a few hundred places.
    named = {text: names(text) for text in codes.dropna().unique()}
    at = list(frame.columns).index("place_codes") + 1
    frame = frame.copy()
    frame.insert(at, "place_names", codes.map(named))
    return frame


def weekly_long(
    figures: pd.DataFrame, first: Week, last: Week, as_of: date | None = None
) -> pd.DataFrame:
    """Per week and source key: the total standing, the week's change and any revision.

    The summary's own rows (week_words.week_rows) for every week: never a sum
    or a range across sources, so an analyst filters one source and reads its
    weeks down the sheet. Week days are real dates.
    """
    from ..model.frames import pd

    rows = week_words.week_rows(aggregation.weekly_table(figures, first, last, as_of))
    rows = rows.iloc[_weekly_order(rows)].reset_index(drop=True)
    return rows.assign(
        week_start=pd.to_datetime(rows["week_start"]), week_end=pd.to_datetime(rows["week_end"])
    )


def _weekly_order(rows: pd.DataFrame) -> list[int]:
    """Positions of the rows by week, metric and group in vocabulary order, source, unit, basis."""
    names = ("metric", "population_group", "source_id", "unit", "basis")
    # Plain tuples: a row at a time through pandas costs seconds on a large store.
    keys = [
        (start, *_vocabulary_key(rest))
        for start, *rest in zip(rows["week_start"], *(rows[n] for n in names), strict=True)
    ]
    return sorted(range(len(keys)), key=keys.__getitem__)


def _vocabulary_key(row: tuple) -> tuple:
    """Sort key of (metric, group, *rest): metrics and groups in vocabulary order."""
    metrics, groups = _vocabulary_positions()
    return (metrics.get(row[0], 99), groups.get(row[1], 99), *row)


@cache
def _vocabulary_positions() -> tuple[dict[str, int], dict[str, int]]:
    metrics = {m: i for i, m in enumerate(contract.terms("metric"))}
    return metrics, {g: i for i, g in enumerate(contract.terms("population_group"))}


def _vocabulary_order(rows: pd.DataFrame) -> list[int]:
    """Positions of the rows by metric and group in vocabulary order, then source, place, end."""
    keys = list(
        zip(
            *(rows[c] for c in ("metric", "population_group", "source_id", "place_codes")),
            rows["period_end"],
            strict=True,
        )
    )
    return sorted(range(len(keys)), key=lambda i: _vocabulary_key(keys[i]))


def figures_sheet_table(figures: pd.DataFrame, publications: pd.DataFrame) -> pd.DataFrame:
    """Every figure in contract order, with its first publication's url after publication_ids."""
    first = figures["publication_ids"].str.split(contract.LIST_SEPARATOR).str[0]
    urls = first.map(publications.set_index("id")["url"])
    names = contract.table("figures").column_names
    frame = figures[names].copy()
    frame.insert(names.index("publication_ids") + 1, "publication_url", urls)
    return dated(frame, "figures")


def dated(frame: pd.DataFrame, table_name: str) -> pd.DataFrame:
    """The table with its date and datetime columns (ISO text) as real timestamps."""
    table = contract.table(table_name)
    frame = _as_dates(frame, [c.name for c in table.columns if c.type == "date"])
    for column in (c.name for c in table.columns if c.type == "datetime"):
        frame = _as_datetimes(frame, column)
    return frame


def _as_dates(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    from ..model.frames import pd

    return frame.assign(
        **{c: pd.to_datetime(frame[c], format="%Y-%m-%d") for c in columns if c in frame}
    )


def _as_datetimes(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    from ..model.frames import pd

    if column not in frame:
        return frame
    # Stored in UTC; Excel has no time zones, so the sheet shows UTC.
    stamps = pd.to_datetime(frame[column], format="ISO8601", utc=True).dt.tz_localize(None)
    return frame.assign(**{column: stamps})
