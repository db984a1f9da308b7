"""Writes: versions instead of deletions, supersession, citations, atomicity."""

import pandas as pd
import pytest

from casualties.errors import AlreadyStored, UnknownFigure, ValidationFailed
from casualties.store.database import FigureFilter
from casualties.store.ledger import (
    add_figures,
    amend_figure,
    cite_figure,
    retract_figure,
    store_problems,
)
from casualties.store.query import version_changes
from tests.conftest import store_dump
from tests.test_validation import PARENT, figure


def current(store, figure_id):
    return store.figures(FigureFilter(ids=(figure_id,))).iloc[0]


def test_amendment_keeps_the_old_version(example_store):
    amend_figure(example_store, PARENT, {"value_low": 27}, "the source says 27", "analyst-a")
    versions = example_store.figure_versions(PARENT)
    assert list(versions["version"]) == [1, 2]
    assert list(versions["value_low"]) == [25, 27]
    assert versions["change_reason"].iloc[1] == "the source says 27"
    assert versions["entered_by"].iloc[1] == "analyst-a"
    assert current(example_store, PARENT)["value_low"] == 27
    assert example_store.counts()["figures"] == 7
    changes = version_changes(versions)
    assert changes[1]["changes"] == "value_low: 25 → 27; people_low: 25 → 27"


def test_amendment_that_breaks_a_rule_changes_nothing(example_store):
    before = store_dump(example_store)
    with pytest.raises(ValidationFailed):
        amend_figure(example_store, PARENT, {"period_end": "2024-11-01"}, "oops")
    assert store_dump(example_store) == before


def test_parent_cannot_be_amended_below_its_stored_subsets(example_store):
    before = store_dump(example_store)
    with pytest.raises(ValidationFailed) as failure:
        amend_figure(
            example_store, PARENT, {"value_high": 12, "qualifier": "between", "value_low": 5}, "cap"
        )
    rows = {p.row for p in failure.value.problems}
    assert "syr-wh-children-killed-2024-12-01" in rows or "syr-wh-women-killed-2024-12-01" in rows
    assert store_dump(example_store) == before


def test_retraction_keeps_the_row_and_reason(example_store):
    retract_figure(example_store, "syr-afp-homs-killed-2014-04", "background, not a new report")
    row = current(example_store, "syr-afp-homs-killed-2014-04")
    assert row["status"] == "retracted"
    assert row["change_reason"] == "background, not a new report"
    assert len(example_store.figure_versions("syr-afp-homs-killed-2014-04")) == 2


def test_a_correction_supersedes_the_figure_it_replaces(example_store):
    correction = figure(
        id="sohr-correction",
        source_id="sohr",
        value_low=109,
        value_best=109,
        value_high=109,
        supersedes="syr-sohr-civilians-killed-2024-12-06",
    )
    add_figures(example_store, pd.DataFrame([correction]))
    old = current(example_store, "syr-sohr-civilians-killed-2024-12-06")
    assert old["status"] == "superseded"
    assert old["change_reason"] == "superseded by sohr-correction"
    assert old["version"] == 2
    assert store_problems(example_store) == []


def test_citing_adds_a_publication_not_a_figure(example_store):
    example_store.insert(
        "publications",
        pd.DataFrame(
            [
                {
                    "id": "afp-2024-12-07",
                    "publisher": "AFP",
                    "title": None,
                    "url": None,
                    "published_on": "2024-12-07",
                    "retrieved_on": None,
                    "language": "en",
                }
            ]
        ),
    )
    cite_figure(example_store, PARENT, "afp-2024-12-07", "At least 25 civilians died on Sunday.")
    row = current(example_store, PARENT)
    assert row["publication_ids"] == "upi-2024-12-06;afp-2024-12-07"
    assert example_store.counts()["figures"] == 7
    assert example_store.table("citations", [PARENT])["quote"].tolist() == [
        "At least 25 civilians died on Sunday."
    ]
    with pytest.raises(AlreadyStored):
        cite_figure(example_store, PARENT, "afp-2024-12-07", "again")


def test_citing_an_unknown_publication_writes_nothing(example_store):
    before = store_dump(example_store)
    with pytest.raises(ValidationFailed):
        cite_figure(example_store, PARENT, "nowhere", "words")
    assert store_dump(example_store) == before


def test_same_content_twice_is_recognised(example_store):
    add_figures(example_store, pd.DataFrame([figure()]))
    with pytest.raises(AlreadyStored):
        add_figures(example_store, pd.DataFrame([figure()]))
    assert len(add_figures(example_store, pd.DataFrame([figure()]), skip_existing=True)) == 0


def test_unknown_figure_is_named(example_store):
    with pytest.raises(UnknownFigure, match="no-such"):
        retract_figure(example_store, "no-such", "x")


def test_households_are_turned_into_people(example_store):
    stored = add_figures(
        example_store,
        pd.DataFrame(
            [
                figure(
                    metric="displaced",
                    unit="households",
                    household_size=5.5,
                    value_low=101,
                    value_best=101,
                    value_high=101,
                )
            ]
        ),
    )
    assert stored["people_best"].iloc[0] == 556  # 555.5 rounded half up


def test_store_problems_finds_a_row_broken_behind_the_contract(example_store):
    example_store.connection.execute(
        "UPDATE figures SET value_best = 30, value_high = 20 WHERE id = ?", [PARENT]
    )
    problems = store_problems(example_store)
    assert {(p.row, p.column) for p in problems} >= {(PARENT, "value_low")}
