"""One source's incidents in a week: added up only where they cannot be the same dead.

Incident figures of one source are summed over a week only when neither is a
subset of the other, their places and days don't overlap, and no cumulative
series of the same source covers them (the cumulative wins). Overlapping
incidents count as at least the largest and at most their sum: two reports
may tell of the same dead, and a place's count may hold a place inside it.
Incidents of one publication in the very same places are its distinct
events, added: a dataset's export lists each event once (UCDP's battle and
its attack on civilians in one district on one day are two events), and an
article does not tell one strike twice.
"""

from __future__ import annotations

from ..model.gazetteer import places_overlap, places_within
from ..model.missing import count_or_none
from .bounds import ZERO, Bounds, row_bounds

INCIDENT_COLUMNS = [
    "id",
    "part_of",
    "place_codes",
    "period_start",
    "period_end",
    "value_low",
    "value_best",
    "value_high",
    "publication_ids",
]


def incident_total(rows: list, spans: list[tuple[str, str, str]]) -> tuple[Bounds, tuple]:
    # Plain tuples: a week holds a handful of incidents, and pandas costs more than the work.
    ids = {row.id for row in rows}
    rows = [row for row in rows if row.part_of not in ids]  # a subset never adds to its whole
    covered = [row for row in rows if _covered(row, spans)]
    counted = [row for row in rows if row not in covered]
    total = ZERO
    for cluster in _overlapping_clusters(counted):
        total = total + _cluster_bounds(cluster)
    return total, tuple(row.id for row in covered)


def _covered(row, spans: list[tuple[str, str, str]]) -> bool:
    """Whether a cumulative series of the same source already counts this incident."""
    return any(
        anchor <= row.period_start <= last and places_within(row.place_codes, places)
        for places, anchor, last in spans
    )


def _overlapping_clusters(rows: list) -> list[list]:
    """Groups of incidents linked by sharing days and ground."""
    clusters: list[list] = []
    for row in rows:
        joined = [c for c in clusters if any(_incidents_overlap(row, other) for other in c)]
        merged = [row, *(r for c in joined for r in c)]
        clusters = [c for c in clusters if c not in joined] + [merged]
    return clusters


def _incidents_overlap(first, second) -> bool:
    if first.publication_ids == second.publication_ids and first.place_codes == second.place_codes:
        return False
    days_meet = first.period_start <= second.period_end and second.period_start <= first.period_end
    return days_meet and places_overlap(first.place_codes, second.place_codes)


def _cluster_bounds(cluster: list) -> Bounds:
    """Overlapping counts: at least the largest, at most all of them together."""
    total = ZERO
    for row in cluster:
        total = total + row_bounds(row)
    if len(cluster) == 1:
        return total
    largest = max(count_or_none(row.value_low) or 0 for row in cluster)
    return Bounds(largest, None, total.high, total.ids)
