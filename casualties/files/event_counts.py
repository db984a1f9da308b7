"""An event's counts as a figure's low, best and high, put in order where the dataset's are not.

UCDP gives each event a low, a best and a high estimate; a few real events
break their own order (event 84006 of GED 19.1: low 0, best 3, high 0). Such
an event is kept, its bounds widened to hold every count given (0–3 around
best 3), and the mending is said: the contract's bounds stay ordered and no
count of the dataset is lost. A cell that is no count is left as it is, for
validation to name.
"""

from __future__ import annotations

from itertools import pairwise

BOUNDS = ("low", "best", "high")


def event_counts(record: dict, counted: dict, dataset: str) -> tuple[dict | None, str | None]:
    """The counts of one figure of an event ({low, best, high}), and how they were mended.

    None when the event gives no count, or counts no one (every count 0).
    """
    from .cells import is_blank

    cells = {p: record.get(counted[p]) if p in counted else None for p in BOUNDS}
    counts = {p: None if v is None or is_blank(v) else _count(v) for p, v in cells.items()}
    given = [c for c in counts.values() if c is not None]
    if not given or all(c == 0 for c in given):
        return None, None
    if not all(isinstance(c, int) for c in given) or _in_order(counts):
        return counts, None
    return _widened(counts, dataset)


def _count(value):
    """A whole number, or the cell as text for validation to name (a count beyond
    what is stored exactly too: 10^30 fatalities is no count)."""
    from .cells import MAX_COUNT, whole_number

    count = whole_number(value)
    if isinstance(count, int) and not isinstance(count, bool) and abs(count) <= MAX_COUNT:
        return count
    return str(value)


def qualifier_of(counts: dict) -> str | None:
    """How the counts bound the number: one count, a range, or one side of one."""
    low, best, high = (counts[p] for p in BOUNDS)
    if not all(isinstance(c, int) for c in (low, best, high) if c is not None):
        return None  # a cell that is no count: validation names it
    if low is not None and high is not None:
        return "exact" if low == high and best in (None, low) else "between"
    if low is not None:
        return "at_least"
    if high is not None:
        return "at_most"
    return "about"


def _in_order(counts: dict) -> bool:
    given = [counts[p] for p in BOUNDS if counts[p] is not None]
    return all(a <= b for a, b in pairwise(given))


def _widened(counts: dict, dataset: str) -> tuple[dict, str]:
    """Bounds widened to hold every count given; the words that say so."""
    given = [c for c in counts.values() if c is not None]
    low, best, high = (counts[p] for p in BOUNDS)
    widened = {
        "low": None if low is None else min(given),
        "best": best,
        "high": None if high is None else max(given),
    }
    written = ", ".join(f"{p} {'empty' if c is None else c}" for p, c in counts.items())
    kept = "–".join(str(widened[p]) for p in ("low", "high") if widened[p] is not None)
    around = f" around best {best}" if best is not None else ""
    said = f"{dataset} gives {written}, out of order: kept as {kept}{around}, "
    return widened, said + "the bounds widened to hold every count given"
