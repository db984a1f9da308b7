"""A count with its bounds and the ids of the figures it came from.

Bounds travel: lows add, highs add only when all are known ("at least 25" +
"111" = "at least 136"), and a missing best makes the total's best missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import contract
from ..model.missing import count_or_none

SEP = contract.LIST_SEPARATOR


@dataclass(frozen=True)
class Bounds:
    """A count with its bounds and the figures it came from; high None = unbounded."""

    low: int
    best: int | None
    high: int | None
    ids: tuple[str, ...]

    def __add__(self, other: Bounds) -> Bounds:
        return Bounds(
            self.low + other.low,
            None if self.best is None or other.best is None else self.best + other.best,
            None if self.high is None or other.high is None else self.high + other.high,
            self.ids + other.ids,
        )


ZERO = Bounds(0, 0, 0, ())


def row_bounds(row) -> Bounds:
    """A figure's own bounds, a missing low read as 0."""
    return Bounds(
        count_or_none(row.value_low) or 0,
        count_or_none(row.value_best),
        count_or_none(row.value_high),
        (row.id,),
    )


def joined_ids(ids) -> str:
    """Ids as one text, each once, in the order first met."""
    return SEP.join(dict.fromkeys(ids))
