"""An event's low, best and high as a figure's bounds, mended where out of order."""

import pytest

from casualties.files.event_counts import event_counts, qualifier_of

UCDP = {"low": "low", "best": "best", "high": "high"}


def counts(low, best, high):
    record = {"low": low, "best": best, "high": high}
    return event_counts(record, UCDP, "UCDP GED")


def test_ordered_counts_are_kept_as_given():
    assert counts("18", "20", "25") == ({"low": 18, "best": 20, "high": 25}, None)


@pytest.mark.parametrize(
    ("given", "kept", "said"),
    [
        # UCDP GED 19.1's event 84006.
        (("0", "3", "0"), (0, 3, 3), "low 0, best 3, high 0, out of order: kept as 0–3 around"),
        (("5", "3", "6"), (3, 3, 6), "kept as 3–6 around best 3"),
        (("9", "", "2"), (2, None, 9), "low 9, best empty, high 2, out of order: kept as 2–9,"),
    ],
)
def test_counts_out_of_order_are_widened_to_hold_every_count(given, kept, said):
    mended, note = counts(*given)
    assert tuple(mended.values()) == kept and said in note
    assert note.endswith("the bounds widened to hold every count given")


def test_an_event_counting_no_one_is_no_figure():
    assert counts("0", "0", "0") == (None, None)
    assert counts("", "", "") == (None, None)


def test_a_cell_that_is_no_count_is_left_for_validation():
    mended, note = counts("three", "2", "1")
    assert mended["low"] == "three" and note is None
    assert qualifier_of(mended) is None


@pytest.mark.parametrize(
    ("values", "qualifier"),
    [
        ((3, 3, 3), "exact"),
        ((0, 3, 3), "between"),
        ((2, None, 9), "between"),
        ((4, None, 4), "exact"),
        ((4, None, None), "at_least"),
        ((None, None, 4), "at_most"),
        ((None, 4, None), "about"),
    ],
)
def test_the_qualifier_follows_the_bounds(values, qualifier):
    assert qualifier_of(dict(zip(("low", "best", "high"), values, strict=True))) == qualifier
