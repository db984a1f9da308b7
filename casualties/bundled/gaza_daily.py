"""The Gaza daily casualty reports of Tech For Palestine, as figures of the store.

Origin: TechForPalestine/palestine-datasets @ 9ea6456f : casualties_daily.json,
Unlicense (public domain), copied unchanged to
../shared/data/tfp_gaza_casualties_daily.json. One row per report date: the
running totals the Gaza Ministry of Health (`mohtel`) or the Government Media
Office (`gmotel`) reported that day, or `missing` where neither did and the
publisher gap-filled the series.

Only what an office reported becomes a figure: `missing` rows and every
`ext_*` field are the publisher's extrapolation, not a report. Running totals
that fall from one report to the next (revisions) are kept as reported.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.rules import DISJOINT_GROUPS
from ..store.database import FigureFilter, Store
from ..store.ledger import add_figures, add_publications, add_sources, retract_figure
from .examples import Loaded

if TYPE_CHECKING:
    from ..model.frames import pd

# The file stays in ../shared beside the checkout; the repo keeps no copy.
DEFAULT_PATH = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "tfp_gaza_casualties_daily.json"
)
COMMIT = "9ea6456f"
PUBLICATION_ID = f"tfp-casualties-daily-{COMMIT}"
# The office is the row's report_source, breakdowns included: the publisher's docs
# say breakdowns came from GMO releases, but the file credits each row to one office.
SOURCE_IDS = {"mohtel": "gaza-moh", "gmotel": "gaza-gmo"}
ID_PREFIXES = {"mohtel": "pse-moh", "gmotel": "pse-gmo"}
PARENT_FIELD = "killed_cum"
# The report's own cumulative fields: field -> (metric, population group).
# Every subset of killed is part_of the same report's killed_cum figure.
FIELDS = {
    "killed_cum": ("killed", "people"),
    "injured_cum": ("injured", "people"),
    "killed_children_cum": ("killed", "children"),
    "killed_women_cum": ("killed", "women"),
    "med_killed_cum": ("killed", "health_workers"),
    "press_killed_cum": ("killed", "journalists"),
    "civdef_killed_cum": ("killed", "civil_defence_staff"),
}
# Loads before civil-defence staff had a group of their own filed them as aid workers,
# whom readers set against UN aid-worker counts: a load finds and retracts those.
MISFILED = {"civdef_killed_cum": "aid_workers"}
# Every report is a running total for the whole Strip since the war began.
CONSTANT_COLUMNS = {
    "basis": "cumulative",
    "anchor_words": "since 7 October 2023",
    "period_start": "2023-10-07",
    "date_precision": "day",
    "qualifier": "exact",
    "unit": "people",
    "place_codes": "PSE.gaza-strip",
    "place_precision": "region",
    "place_reported": "Gaza Strip",
    "publication_ids": PUBLICATION_ID,
    "role": "recommended",
    # One office's own count, not corroborated here.
    "grade": "weak",
}
SOURCES = [
    {
        "id": "gaza-moh",
        "name": "Gaza Ministry of Health",
        "aliases": "MoH Gaza;Palestinian Ministry of Health in Gaza",
        "kind": "party_to_conflict",
        "reliability": "medium",
        "url": "https://t.me/s/MOHMediaGaza",
        "notes": (
            "A ministry of the Hamas-run authority in Gaza, so a party to the conflict; "
            "UN agencies (OCHA, WHO) have used its figures. Counts only deaths it links "
            "directly to acts of war. Reports via its Telegram channel."
        ),
    },
    {
        "id": "gaza-gmo",
        "name": "Gaza Government Media Office",
        "aliases": "GMO;Government Media Office in Gaza",
        "kind": "party_to_conflict",
        "reliability": "low",
        "url": "https://t.me/s/mediagovps",
        "notes": (
            "The media office of the Hamas-run authority in Gaza, a party to the conflict. "
            "Reported when the Ministry of Health could not, and issued the periodic "
            "breakdowns (children, women, medical, press, civil defence)."
        ),
    },
]


def gaza_daily_tables(path: Path) -> dict[str, pd.DataFrame]:
    """The file's sources, publication and figures as frames, by table name."""
    from ..model.frames import pd

    reports = _reports(path)
    return {
        "sources": pd.DataFrame(SOURCES),
        "publications": _publications(reports),
        "figures": _figures(reports),
    }


def load_gaza_daily(store: Store, path: Path) -> Loaded:
    """Load the file into the store; what is already stored is left as it is."""
    tables = gaza_daily_tables(path)
    with store.transaction():
        sources = add_sources(store, tables["sources"], skip_existing=True)
        publications = add_publications(store, tables["publications"], skip_existing=True)
        figures = add_figures(store, tables["figures"], skip_existing=True)
        retracted = _retract_misfiled(store)
    return Loaded(sources, publications, len(figures), retracted)


def _retract_misfiled(store: Store) -> int:
    """Retract the figures an earlier load filed under a group since corrected."""
    retracted = 0
    for field, group in MISFILED.items():
        now = FIELDS[field][1]
        if now == group:
            continue
        where = FigureFilter(groups=(group,), sources=tuple(SOURCE_IDS.values()))
        stored = store.figures(where, ["id", "source_term", "publication_ids", "status"])
        misfiled = stored[
            (stored["source_term"] == field)
            & (stored["publication_ids"] == PUBLICATION_ID)
            & (stored["status"] != "retracted")
        ]
        reason = f"{field} counts {now.replace('_', ' ')}, not {group.replace('_', ' ')}"
        for figure_id in misfiled["id"]:
            retract_figure(store, figure_id, f"{reason}: stored again as {now}")
        retracted += len(misfiled)
    return retracted


def _reports(path: Path) -> pd.DataFrame:
    """Every row of the file, all fields, in file order."""
    from ..model.frames import pd

    return pd.DataFrame(json.loads(Path(path).read_text(encoding="utf-8")))


def _publications(reports: pd.DataFrame) -> pd.DataFrame:
    """The one publication: the file at its commit, dated by its last report."""
    from ..model.frames import pd

    row = {
        "id": PUBLICATION_ID,
        "publisher": "Tech For Palestine (palestine-datasets)",
        # The table has no notes column: the commit goes in the title.
        "title": f"casualties_daily.json @ {COMMIT}",
        "url": "https://github.com/TechForPalestine/palestine-datasets",
        "published_on": reports["report_date"].max(),
        "language": "en",
    }
    return pd.DataFrame([row])


def _figures(reports: pd.DataFrame) -> pd.DataFrame:
    """One figure per reported field of every office's report."""
    from ..model.frames import pd

    values = _reported_values(reports)
    metric, group = zip(*values["field"].map(FIELDS), strict=True)
    figures = pd.DataFrame(
        {
            "metric": metric,
            "population_group": group,
            "report_date": values["report_date"],
            "report_source": values["report_source"],
        },
        index=values.index,
    )
    number = values["value"].astype("int64")
    text = number.astype(str)
    figures["id"] = _figure_ids(figures)
    figures["value_low"] = figures["value_best"] = figures["value_high"] = number
    figures["value_words"] = text
    figures["period_end"] = figures["reported_on"] = values["report_date"]
    figures["source_id"] = values["report_source"].map(SOURCE_IDS)
    figures["source_term"] = values["field"]
    figures["quote"] = _quotes(values, text)
    for column, value in CONSTANT_COLUMNS.items():
        figures[column] = value
    figures["part_of"] = _parent_ids(figures, values)
    figures = _unlinked_where_above_parent(figures)
    return figures.drop(columns=["report_date", "report_source"]).reset_index(drop=True)


def _reported_values(reports: pd.DataFrame) -> pd.DataFrame:
    """Long form (report_date, report_source, field, value) of the offices' own numbers."""
    # `missing` rows are the publisher's gap-fill; an absent field gives no figure.
    own = reports[reports["report_source"].isin(list(SOURCE_IDS))]
    fields = [f for f in FIELDS if f in own.columns]
    values = own.melt(
        id_vars=["report_date", "report_source"],
        value_vars=fields,
        var_name="field",
        value_name="value",
    )
    return values.dropna(subset=["value"])


def _figure_ids(figures: pd.DataFrame) -> pd.Series:
    """Ids like pse-moh-killed-2024-01-05 and pse-moh-children-killed-2024-01-05."""
    group = figures["population_group"].str.replace("_", "-") + "-"
    group = group.where(figures["population_group"] != "people", "")
    prefix = figures["report_source"].map(ID_PREFIXES)
    return prefix + "-" + group + figures["metric"] + "-" + figures["report_date"]


def _quotes(values: pd.DataFrame, text: pd.Series) -> pd.Series:
    """The file's record of each number: its date, its office and the field, as JSON."""
    return (
        '{"report_date": "'
        + values["report_date"]
        + '", "report_source": "'
        + values["report_source"]
        + '", "'
        + values["field"]
        + '": '
        + text
        + "}"
    )


def _parent_ids(figures: pd.DataFrame, values: pd.DataFrame) -> pd.Series:
    """The same report's killed figure for subsets of killed, where the report gives one."""
    from ..model.frames import pd

    is_parent = values["field"] == PARENT_FIELD
    parents = figures.loc[is_parent].set_index(["report_date", "report_source"])["id"]
    keys = pd.MultiIndex.from_frame(figures[["report_date", "report_source"]])
    parent = pd.Series(parents.reindex(keys).to_numpy(), index=figures.index, dtype="object")
    is_subset = (figures["metric"] == "killed") & ~is_parent
    return parent.where(is_subset)


def _unlinked_where_above_parent(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures with part_of dropped, and a note, where the store would reject the link."""
    # A subset above its parent, or disjoint subsets adding up to more than it,
    # break the contract's subset rules; keep the numbers, drop only the link.
    parent_value = figures["part_of"].map(figures.set_index("id")["value_high"])
    above = figures["value_low"] > parent_value
    disjoint = figures["population_group"].isin(DISJOINT_GROUPS)
    disjoint_total = figures["value_low"].where(disjoint).groupby(figures["part_of"]).sum()
    together_above = disjoint & (figures["part_of"].map(disjoint_total) > parent_value)
    unlink = (above | together_above).fillna(False).astype(bool)
    figures = figures.copy()
    figures["notes"] = None
    figures.loc[unlink, "notes"] = (
        "Not linked as part_of the same report's killed_cum figure ("
        + figures.loc[unlink, "part_of"]
        + "): its value exceeds that figure's, or the disjoint subsets together do."
    )
    figures.loc[unlink, "part_of"] = None
    return figures
