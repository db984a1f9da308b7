"""Flags a summary row carries: what a reader must know before using its number.

`stale` and `spans weeks` come with the rows (summary); here: a figure
reaching beyond the places asked for (`flag_beyond`), reports made this week
about an earlier one (`back_dated`), and same-day reports that disagree
(`same_day_conflicts`). Each flag begins with a code of schemas/summary.yaml.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ..model.counting import standing_mask
from ..model.notation import range_text
from ..model.series import SERIES_KEY, SOURCE_KEY
from ..model.weeks import Week, week_of
from .bounds import SEP

if TYPE_CHECKING:
    from ..model.frames import pd


def flag_beyond(table: pd.DataFrame, places: tuple[str, ...], *figures: pd.DataFrame):
    """Flag the rows whose figures (among `figures`) reach beyond the places asked for.

    A figure of "Idlib and rural Aleppo" is in a summary for Idlib in full:
    the flag says so, and a summary for Aleppo says the same, so the reader
    knows the two are one count, never to be added.
    """
    if not places:
        return table
    from ..model.gazetteer import default_gazetteer

    codes_of = {
        i: codes
        for frame in figures
        for i, codes in zip(frame["id"].tolist(), frame["place_codes"].tolist(), strict=True)
    }
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


def back_dated(known: pd.DataFrame, week: Week) -> dict[tuple, list[str]]:
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
        corrects = row.get("supersedes")
        also = f", correcting {corrects}" if isinstance(corrects, str) and corrects else ""
        text = f"back-dated: for {label}, reported {row['reported_on']} ({row['id']}{also})"
        flags.setdefault(tuple(row[k] for k in SOURCE_KEY), []).append(text)
    return flags


def same_day_conflicts(known: pd.DataFrame) -> dict[str, str]:
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
