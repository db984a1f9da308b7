"""How a count is written for a reader: 20,000, ≥25, ~1,000, 20,000–99,999."""

from __future__ import annotations

from .missing import is_missing

QUALIFIER_SIGNS = {"at_least": "≥", "more_than": ">", "at_most": "≤", "fewer_than": "<"}


def grouped(number) -> str:
    """A count with thousands separators ('20,000'); '' when missing."""
    if is_missing(number):
        return ""
    return f"{int(number):,}"


def value_text(row: dict) -> str:
    """A figure's number as an analyst writes it: 111, ≥25, ~1,000, 20,000–99,999."""
    low, best, high = row.get("value_low"), row.get("value_best"), row.get("value_high")
    qualifier = row.get("qualifier")
    if qualifier in ("at_least", "more_than"):
        return QUALIFIER_SIGNS[qualifier] + grouped(low)
    if qualifier in ("at_most", "fewer_than"):
        return QUALIFIER_SIGNS[qualifier] + grouped(high)
    if qualifier == "about":
        return "~" + grouped(best)
    if qualifier in ("between", "vague"):
        return f"{grouped(low)}–{grouped(high)}"
    return grouped(low if is_missing(best) else best)


def range_text(low, high) -> str:
    """A computed count with its bounds: 136, ≥136, ≤40, 20,000–99,999."""
    if is_missing(low):
        return "?" if is_missing(high) else f"≤{grouped(high)}"
    if is_missing(high):
        return f"≥{grouped(low)}"
    if int(low) == int(high):
        return grouped(low)
    return f"{grouped(low)}–{grouped(high)}"
