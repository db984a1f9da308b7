"""Missing values as pandas, numpy and Python spell them."""

from __future__ import annotations

import math


def is_missing(value: object) -> bool:
    """True for None, NaN, pd.NA and NaT."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def plain(value: object) -> object:
    """The value as a plain Python object, missing as None (numpy scalars unwrapped)."""
    if is_missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def count_or_none(value: object) -> int | None:
    """A count as an int, or None where it is missing."""
    return None if is_missing(value) else int(value)


def plain_row(row: dict) -> dict:
    return {k: plain(v) for k, v in row.items()}
