"""New figures and new versions: defaults, vague words, people counts, ids.

Everything here turns what a user gave into complete rows of the figures
table; nothing is written and nothing is judged (that is `validation`).
"""

from __future__ import annotations

import getpass
import hashlib
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..model import contract
from ..model.counting import default_basis
from ..model.rules import LARGEST_COUNT, people_from

if TYPE_CHECKING:
    from ..model.frames import pd

DEFAULTS = {
    "version": 1,
    "status": "active",
    "unit": "people",
    "role": "recommended",
    "grade": "weak",
    "date_precision": "day",
}
# The fields that make two entries the same reported figure.
CONTENT_KEY = (
    "source_id",
    "metric",
    "population_group",
    "place_codes",
    "period_start",
    "period_end",
    "reported_on",
    "value_low",
    "value_best",
    "value_high",
    "quote",
)
VALUE_COLUMNS = ("value_low", "value_best", "value_high")


def current_user() -> str:
    """Who is entering figures: CASUALTIES_USER, else the login name."""
    try:
        return os.environ.get("CASUALTIES_USER") or getpass.getuser()
    except OSError:
        return "unknown"


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def complete_new_figures(
    frame: pd.DataFrame, publication_dates: dict[str, str], entered_by: str | None = None
) -> pd.DataFrame:
    """New figures with defaults filled, vague words read, people derived and ids given."""
    from ..model.validation import conform, typed

    frame = typed(conform(frame, "figures"), "figures")
    for column, value in DEFAULTS.items():
        frame[column] = frame[column].fillna(value)
    frame["basis"] = frame["basis"].fillna(frame["metric"].map(default_basis))
    frame["period_end"] = frame["period_end"].fillna(frame["period_start"])
    undated = frame["reported_on"].isna()
    if undated.any():  # the first publication's date, where the source's own is not known
        # As text: a column with no value at all (no publication given) is read as numbers.
        named = frame.loc[undated, "publication_ids"].astype("string")
        first = named.str.split(contract.LIST_SEPARATOR).str[0]
        frame.loc[undated, "reported_on"] = first.map(publication_dates)
    frame = read_vague_words(frame)
    frame["qualifier"] = frame["qualifier"].fillna(_plain_qualifier(frame))
    frame["entered_by"] = frame["entered_by"].fillna(entered_by or current_user())
    frame["entered_at"] = frame["entered_at"].fillna(now_utc())
    frame = derive_people(frame)
    missing = frame["id"].isna()
    if missing.any():
        frame.loc[missing, "id"] = content_ids(frame[missing])
    return frame


def _plain_qualifier(frame: pd.DataFrame) -> pd.Series:
    """'exact' where one number was given for all three values, else empty."""
    low, best, high = (frame[c] for c in VALUE_COLUMNS)
    single = low.notna() & (low == high).fillna(False) & (best.isna() | (best == low))
    return single.map({True: "exact", False: None})


def read_vague_words(frame: pd.DataFrame) -> pd.DataFrame:
    """Bounds for vague figures ('tens of thousands') from schemas/vague_numbers.yaml."""
    words = contract.vague_words()
    unbounded = frame["value_low"].isna() & frame["value_high"].isna()
    unbounded &= frame["value_words"].notna()
    unbounded &= frame["qualifier"].isna() | (frame["qualifier"] == "vague")
    if not unbounded.any():
        return frame
    looked_up = frame.loc[unbounded, "value_words"].str.strip().str.lower().map(words)
    vague = looked_up.notna().reindex(frame.index, fill_value=False)
    if vague.any():
        frame.loc[vague, "qualifier"] = "vague"
        frame.loc[vague, "value_low"] = looked_up[vague].map(lambda w: w.low)
        frame.loc[vague, "value_high"] = looked_up[vague].map(lambda w: w.high)
    return frame


def derive_people(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill people_low/best/high from the values, the unit and the household size."""
    from ..model.frames import pd

    for part in ("low", "best", "high"):
        # A count that is not a whole number yet ('three', '1.200' in an imported file)
        # derives nothing; validation then names its cell.
        numbers = pd.to_numeric(frame[f"value_{part}"], errors="coerce")
        whole = (numbers % 1 == 0) & (numbers.abs() <= LARGEST_COUNT)
        values = numbers.where(whole).astype("Int64")
        frame[f"people_{part}"] = people_from(values, frame["unit"], frame["household_size"])
    return frame


def content_ids(frame: pd.DataFrame) -> pd.Series:
    """Short ids derived from what makes a figure itself, so re-entry is recognised."""
    parts = [frame[c].astype("string").fillna("") for c in CONTENT_KEY]
    keys = parts[0].str.cat(parts[1:], sep="\x1f")
    return keys.map(lambda key: "f-" + hashlib.sha1(key.encode()).hexdigest()[:10])


def next_version(current: dict, changes: dict, reason: str, entered_by: str | None = None) -> dict:
    """The row of a figure's next version: `current` with `changes`, explained."""
    row = {**current, **changes}
    row["version"] = int(current["version"]) + 1
    row["change_reason"] = reason
    row["entered_by"] = entered_by or current_user()
    row["entered_at"] = now_utc()
    return row
