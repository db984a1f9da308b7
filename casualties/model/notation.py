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


def range_text(low, high, best=None) -> str:
    """A computed count with its bounds: 136, ≥136, ≤40, 20,000–99,999, ~16 (5–18).

    A best estimate inside wider bounds is written first, with `~`, and the
    bounds after it; an open upper bound stays open.
    """
    if is_missing(low):
        return "?" if is_missing(high) else f"≤{grouped(high)}"
    if not is_missing(high) and int(low) == int(high):
        return grouped(low)
    bounds = f"≥{grouped(low)}" if is_missing(high) else f"{grouped(low)}–{grouped(high)}"
    if is_missing(best):
        return bounds
    return f"~{grouped(best)} ({bounds})"


def spread_text(low, high, open_high: bool) -> str:
    """The range across figures, lowest low to highest figure: 25–111, 111 to ≥200."""
    if open_high:
        return (
            f"{grouped(low)} to ≥{grouped(high)}" if int(low) != int(high) else f"≥{grouped(low)}"
        )
    return grouped(low) if int(low) == int(high) else f"{grouped(low)}–{grouped(high)}"


def signed(number) -> str:
    """+1,200, −300, 0: a change with its sign (a true minus sign)."""
    number = int(number)
    if number == 0:
        return "0"
    return ("+" if number > 0 else "−") + grouped(abs(number))


def change_text(low, high, best=None) -> str:
    """A change with its bounds: +28, +30–100, +≥80, −1,000 to +3,000, ~+45 (+30 to +100).

    A missing low or high is an open side ("+≥80": at least 80 more).
    """
    if is_missing(low) and is_missing(high):
        return "?"
    if is_missing(high):
        return f"≥{signed(low)}" if int(low) < 0 else f"+≥{grouped(low)}"
    if is_missing(low):
        return f"≤{signed(high)}"
    if int(low) == int(high):
        return signed(low)
    if int(low) >= 0:
        bounds = f"+{grouped(low)}–{grouped(high)}"
    else:
        bounds = f"{signed(low)} to {signed(high)}"
    return bounds if is_missing(best) else f"~{signed(best)} ({bounds})"


def fall_text(low, high) -> str:
    """A certain fall (a revision) with its bounds: −33, −10 to −40, −≥10."""
    if is_missing(high):
        return f"−≥{grouped(low)}"
    if int(low) == int(high):
        return f"−{grouped(low)}"
    return f"−{grouped(low)} to −{grouped(high)}"
