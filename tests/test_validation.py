"""Every rule of the contract, each with an input that breaks it."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casualties.errors import ValidationFailed
from casualties.model import contract
from casualties.model.validation import References, problems_in, schema_for
from casualties.store.ledger import add_figures
from tests.conftest import store_dump

PARENT = "syr-wh-civilians-killed-2024-12-01"  # at least 25 civilians; 10 children, 4 women


def exact(number: int) -> dict:
    """The three values of a figure given as one exact number."""
    return {"value_low": number, "value_best": number, "value_high": number}


def figure(**changes) -> dict:
    """A valid new figure of the White Helmets, changed as the test needs."""
    row = {
        "metric": "killed",
        "population_group": "civilians",
        "value_low": 7,
        "value_best": 7,
        "value_high": 7,
        "place_codes": "SY07",
        "place_reported": "Idlib",
        "place_precision": "admin1",
        "period_start": "2024-12-02",
        "source_id": "white-helmets",
        "publication_ids": "upi-2024-12-06",
        "quote": "Seven civilians were killed on Monday in Idlib.",
    }
    return {**row, **changes}


def rejected(store, *rows) -> list:
    """The problems of a rejected write, after checking that it changed nothing."""
    before = store_dump(store)
    with pytest.raises(ValidationFailed) as failure:
        add_figures(store, pd.DataFrame(list(rows)))
    assert store_dump(store) == before
    return failure.value.problems


def test_a_valid_figure_is_stored(example_store):
    stored = add_figures(example_store, pd.DataFrame([figure()]))
    assert stored["id"].iloc[0].startswith("f-")
    assert stored["qualifier"].iloc[0] == "exact"
    assert stored["reported_on"].iloc[0] == "2024-12-06"  # the publication's date


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"value_low": 9, "value_best": 8, "value_high": 9, "qualifier": "about"}, "value_low"),
        (
            {"value_low": -1, "value_best": None, "value_high": None, "qualifier": "at_least"},
            "value_low",
        ),
        (
            {"value_low": None, "value_best": None, "value_high": None, "qualifier": "about"},
            "value_low",
        ),
        ({"period_start": "2024-12-05", "period_end": "2024-12-04"}, "period_end"),
        ({"period_start": "2024-12-08"}, "reported_on"),
        ({"period_start": "2024-02-30"}, "period_start"),
        ({"period_start": "06/12/2024"}, "period_start"),
        ({"metric": "murdered"}, "metric"),
        ({"population_group": "elderly"}, "population_group"),
        ({"qualifier": "roughly"}, "qualifier"),
        ({"source_id": "nobody"}, "source_id"),
        ({"publication_ids": "upi-2024-12-06;nowhere-2024"}, "publication_ids"),
        ({"place_codes": "SY99"}, "place_codes"),
        ({"quote": None}, "quote"),
        ({"part_of": "no-such-figure"}, "part_of"),
        ({"supersedes": "no-such-figure"}, "supersedes"),
        ({"household_size": 5.0}, "household_size"),
        (
            {"qualifier": "between", "value_low": 5, "value_best": None, "value_high": 5},
            "qualifier",
        ),
        ({"qualifier": "at_most", "value_high": None, "value_best": None}, "qualifier"),
        ({"id": "Bad Id!"}, "id"),
    ],
)
def test_each_rule_rejects_what_breaks_it(example_store, changes, column):
    problems = rejected(example_store, figure(**changes))
    assert column in {p.column for p in problems}, problems


def test_subset_must_count_the_same_metric(example_store):
    problems = rejected(
        example_store, figure(part_of=PARENT, metric="injured", population_group="children")
    )
    assert any(
        p.column == "part_of" and p.reason.startswith("A subset counts the same metric")
        for p in problems
    )


def test_subset_group_must_be_narrower(example_store):
    problems = rejected(example_store, figure(part_of=PARENT, population_group="combatants"))
    assert "population_group" in {p.column for p in problems}


def test_subset_cannot_exceed_parent_high(store):
    parent = figure(
        id="parent",
        **exact(20),
    )
    child = figure(
        id="child",
        part_of="parent",
        population_group="children",
        **exact(21),
    )
    from casualties.bundled.examples import example_tables
    from casualties.store.ledger import add_publications, add_sources

    tables = example_tables()
    add_sources(store, tables["sources"])
    add_publications(store, tables["publications"])
    problems = rejected(store, parent, child)
    # the child alone breaks its parent's bound, and so do the parent's parts together
    assert {(p.row, p.column) for p in problems} == {("child", "value_low"), ("child", "part_of")}


def test_disjoint_subsets_together_fit_in_their_parent(example_store):
    # 10 children and 4 women are stored; 12 men would make 26 of at least 25... unbounded: fine.
    add_figures(
        example_store,
        pd.DataFrame(
            [
                figure(
                    part_of=PARENT,
                    population_group="men",
                    **exact(12),
                )
            ]
        ),
    )
    parent = figure(
        id="bounded",
        **exact(20),
    )
    kids = figure(id="kids", part_of="bounded", population_group="children")  # 7
    women = figure(
        id="women",
        part_of="bounded",
        population_group="women",
        **exact(14),
    )
    problems = rejected(example_store, parent, kids, women)
    assert {p.row for p in problems} == {"kids", "women"}
    assert {p.column for p in problems} == {"part_of"}


def test_a_batch_with_one_bad_row_writes_nothing(example_store):
    rows = [figure(quote=f"Quote number {i}.") for i in range(5)]
    rows[3]["metric"] = "murdered"
    problems = rejected(example_store, *rows)
    assert len(problems) == 1


def test_every_violation_is_reported_not_only_the_first(example_store):
    problems = rejected(example_store, figure(metric="x", population_group="y", source_id="z"))
    assert {"metric", "population_group", "source_id"} <= {p.column for p in problems}


def test_problem_names_row_column_value_and_reason(example_store):
    (problem,) = rejected(example_store, figure(id="bad-metric", metric="murdered"))
    assert (problem.table, problem.row, problem.column, problem.value) == (
        "figures",
        "bad-metric",
        "metric",
        "murdered",
    )
    assert "killed" in problem.reason  # the allowed terms are listed


@settings(max_examples=60, deadline=None)
@given(st.tuples(*[st.one_of(st.none(), st.integers(0, 50))] * 3))
def test_bounds_are_accepted_exactly_when_ordered(values):
    low, best, high = values
    frame = pd.DataFrame(
        [figure(id="f-x", value_low=low, value_best=best, value_high=high, qualifier="about")]
    )
    from casualties.store.figures import complete_new_figures

    complete = complete_new_figures(frame, {"upi-2024-12-06": "2024-12-06"}, "tester")
    refs = References({"white-helmets"}, {"upi-2024-12-06"}, complete)
    problems = problems_in("figures", complete, refs)
    given_values = [v for v in values if v is not None]
    ordered = given_values == sorted(given_values)
    bounds_broken = any(p.reason.startswith("value_low ≤ value_best") for p in problems)
    assert bounds_broken == (not ordered)


def test_pandera_schema_agrees_with_the_yaml_contract():
    for name in contract.TABLE_NAMES:
        table = contract.table(name)
        schema = schema_for(name)
        assert list(schema.columns) == table.column_names
        for column in table.columns:
            built = schema.columns[column.name]
            assert built.nullable == (not column.required), column.name
            assert built.unique == column.unique, column.name
            checks = {c.name for c in built.checks}
            if column.vocabulary:
                isin = next(c for c in built.checks if c.name == "isin")
                assert list(isin.statistics["allowed_values"]) == contract.terms(column.vocabulary)
            if column.pattern:
                assert "str_matches" in checks
            if column.min is not None:
                assert "greater_than_or_equal_to" in checks
        assert [c.name for c in schema.checks] == [r.name for r in table.rules]


def test_every_declared_rule_has_one_implementation_and_no_more():
    from casualties.model.rules import RULES

    for name in contract.TABLE_NAMES:
        declared = {r.name for r in contract.table(name).rules}
        assert declared == set(RULES.get(name, {})), name


def test_vocabulary_columns_name_known_vocabularies():
    known = contract.vocabularies()
    for name in contract.TABLE_NAMES:
        for column in contract.table(name).columns:
            assert column.vocabulary is None or column.vocabulary in known
    for vocabulary in known.values():
        assert all(vocabulary.definition(t).strip() for t in vocabulary.terms)


def test_households_without_a_size_stay_households(example_store):
    stored = add_figures(example_store, pd.DataFrame([figure(unit="households")]))
    row = stored.iloc[0]
    assert (row["unit"], row["value_low"]) == ("households", 7)
    assert pd.isna(row["household_size"]) and pd.isna(row["people_low"])


def test_every_metric_and_group_has_a_plain_english_label():
    """Charts and briefs title a series by the vocabulary's labels, never by its terms."""
    from casualties.model import contract

    vocab = contract.vocabularies()
    assert all("label" in t and "{group}" in t["label_of"] for t in vocab["metric"].terms.values())
    assert all("label" in t for t in vocab["population_group"].terms.values())
    assert contract.series_label("killed", "civilians") == "Civilians killed"
    assert contract.series_label("killed", "people") == "People killed"
    assert contract.series_label("idps", "people") == "IDPs"
    assert contract.series_label("idps", "children") == "Children among IDPs"
