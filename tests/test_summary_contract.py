"""`summary --format json` and `--format csv` hold to schemas/summary.yaml."""

import csv
import io
import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from casualties.cli.app import cli
from casualties.model import contract
from casualties.store.ledger import add_figures
from tests.test_honest_numbers import exact, level, running

CONTRACT = contract.read_yaml(contract.SCHEMAS_DIR / "summary.yaml")
COLUMNS = CONTRACT["columns"]
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture
def summary_of(example_store):
    """The summary of week 2024-W50 of the example store with every kind of row added."""
    add_figures(
        example_store,
        pd.DataFrame(
            [
                running("sohr-1", "2024-11-25", "2024-12-12", 111, 111, 111, source="sohr"),
                running("wh-1", "2024-11-25", "2024-12-13", 200, qualifier="at_least"),
                running("wh-0", "2024-11-25", "2024-12-05", 150, None, 190),
                exact("kids", "2024-12-13", 9, population_group="children", part_of="wh-1"),
                exact("tri", "2024-12-11", 60, role="triangulation", place_codes="SY05"),
                level("idp-1", "2024-12-06", 52_000),
                level("idp-2", "2024-12-13", 47_000),
            ]
        ),
    )
    db = example_store.path

    def summary(fmt: str) -> str:
        args = ["--db", db, "summary", "--week", "2024-W50", "--format", fmt]
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return summary


def test_json_records_hold_the_contract_fields_in_order_and_types(summary_of):
    records = json.loads(summary_of("json"))
    assert len(records) >= 8
    for record in records:
        assert list(record) == [c["name"] for c in COLUMNS]
        for column in COLUMNS:
            assert _fits(record[column["name"]], column), (column["name"], record)
    groups = {r["population_group"] for r in records}
    assert "children" in groups and not any(g.strip() != g for g in groups)
    kinds = {(r["source_id"], r["basis"]) for r in records}
    assert {("white-helmets", "cumulative"), ("white-helmets", "stock")} <= kinds
    assert any(r["source_id"].startswith("all sources") for r in records)
    assert any(r["flags"].startswith("not counted") for r in records)


def test_csv_has_the_contract_header_and_whole_numbers(summary_of):
    rows = list(csv.DictReader(io.StringIO(summary_of("csv"))))
    assert list(rows[0]) == [c["name"] for c in COLUMNS]
    integers = [c["name"] for c in COLUMNS if c["type"] == "integer"]
    for row in rows:
        for name in integers:
            assert re.fullmatch(r"-?\d*", row[name]), (name, row[name])


def test_every_flag_begins_with_a_contract_code(summary_of):
    codes = tuple(CONTRACT["flags"])
    for record in json.loads(summary_of("json")):
        for flag in filter(None, record["flags"].split("; ")):
            assert flag.startswith(codes), flag


def _fits(value, column: dict) -> bool:
    kind = column["type"]
    if value is None or value == "":
        return column.get("nullable", False) or kind == "text"
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "date":
        return bool(DAY.fullmatch(value))
    if kind == "term":
        return value in contract.terms(column["vocabulary"])
    return isinstance(value, str)


def test_the_contract_names_every_summary_column():
    from casualties.reporting.summary import SUMMARY_COLUMNS

    assert [c["name"] for c in COLUMNS] == SUMMARY_COLUMNS
