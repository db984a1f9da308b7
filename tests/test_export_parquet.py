"""Parquet export: every field, typed by the contract, read back by pyarrow and pandas."""

import csv
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from casualties.cli.app import cli
from casualties.errors import MissingExtra, ValidationFailed
from casualties.files.exports import write_figures_parquet
from casualties.model import contract
from casualties.store.database import FigureFilter
from casualties.store.ledger import add_figures
from casualties.store.query import FigureQuery
from tests.test_validation import figure

ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "datetime": pa.string(),
}
HOUSEHOLDS = "wh-households-displaced"


@pytest.fixture
def households_store(example_store):
    """The example figures and one counted in households, so household_size has a value."""
    row = figure(
        id=HOUSEHOLDS,
        metric="displaced",
        unit="households",
        household_size=5.5,
        value_low=101,
        value_best=101,
        value_high=101,
        quote="101 families fled Idlib.",
    )
    add_figures(example_store, pd.DataFrame([row]))
    return example_store


@pytest.fixture
def run(households_store):
    """Run casualties against the households store; returns the click Result."""

    def invoke(*args: str):
        args = ["--db", str(households_store.path), *args]
        return CliRunner().invoke(cli, args, catch_exceptions=False)

    return invoke


def test_columns_are_typed_and_described_by_the_contract(households_store, tmp_path):
    path = tmp_path / "figures.parquet"
    assert write_figures_parquet(households_store, FigureQuery(), path) == 8
    schema = pq.read_schema(path)
    columns = contract.table("figures").columns
    assert schema.names == [c.name for c in columns]
    for column in columns:
        field = schema.field(column.name)
        assert field.type == ARROW_TYPES[column.type], column.name
        assert field.metadata[b"description"].decode() == column.description
    assert schema.field("value_best").type == pa.int64()
    assert schema.field("household_size").type == pa.float64()
    assert schema.field("period_start").type == pa.date32()


def test_every_value_reads_back_as_stored(households_store, tmp_path):
    path = tmp_path / "figures.parquet"
    write_figures_parquet(households_store, FigureQuery(), path)
    rows = pq.read_table(path).to_pylist()
    stored = households_store.figures()
    assert [r["id"] for r in rows] == stored["id"].tolist()
    kinds = {c.name: c.type for c in contract.table("figures").columns}
    for row, (_, expected) in zip(rows, stored.iterrows(), strict=True):
        for name, value in row.items():
            want, where = expected[name], (row["id"], name, value)
            if pd.isna(want):
                assert value is None, where
            elif kinds[name] == "integer":
                assert type(value) is int and value == want, where
            elif kinds[name] == "number":
                assert type(value) is float and value == want, where
            elif kinds[name] == "date":
                assert value.isoformat() == want, where
            else:
                assert value == want, where
    households = next(r for r in rows if r["id"] == HOUSEHOLDS)
    assert households["household_size"] == 5.5 and households["people_best"] == 556
    wh = next(r for r in rows if r["id"] == "syr-wh-civilians-killed-2024-12-01")
    assert (wh["value_low"], wh["value_best"], wh["value_high"]) == (25, None, None)


def test_pandas_reads_the_same_figures_as_the_csv_export(run, tmp_path):
    assert run("export", "parquet", "--out", str(tmp_path / "f.parquet")).exit_code == 0
    assert run("export", "csv", "--out", str(tmp_path / "f.csv")).exit_code == 0
    frame = pd.read_parquet(tmp_path / "f.parquet", dtype_backend="numpy_nullable")
    with open(tmp_path / "f.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert frame["id"].tolist() == [r["id"] for r in rows]
    assert str(frame["value_low"].dtype) == "Int64"
    assert str(frame["household_size"].dtype) == "Float64"
    for name in ("value_low", "value_best", "people_best", "household_size"):
        in_csv = [float(r[name]) if r[name] else None for r in rows]
        in_parquet = [None if pd.isna(v) else float(v) for v in frame[name]]
        assert in_parquet == in_csv, name
    for name in ("period_start", "period_end", "reported_on"):
        assert [d.isoformat() for d in frame[name]] == [r[name] for r in rows], name
    for name in ("quote", "place_codes", "publication_ids", "entered_at"):
        assert frame[name].tolist() == [r[name] for r in rows], name


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (("--source", "white-helmets"), {"source_id": {"white-helmets"}, "rows": 4}),
        (("--metric", "displaced", "--source", "sohr"), {"metric": {"displaced"}, "rows": 1}),
        (("--place", "Homs"), {"rows": 2}),
    ],
)
def test_filters_narrow_the_export(run, tmp_path, filters, expected):
    path = tmp_path / "some.parquet"
    result = run("export", "parquet", "--out", str(path), *filters)
    assert result.exit_code == 0, result.output
    table = pq.read_table(path)
    assert table.num_rows == expected.pop("rows")
    assert f"Wrote {path}: {table.num_rows} figures." in result.output
    for name, values in expected.items():
        assert set(table.column(name).to_pylist()) == values
    csv_path = tmp_path / "some.csv"
    run("export", "csv", "--out", str(csv_path), *filters)
    with open(csv_path, encoding="utf-8", newline="") as handle:
        assert [r["id"] for r in csv.DictReader(handle)] == table.column("id").to_pylist()


def test_an_empty_export_keeps_its_typed_columns(households_store, tmp_path):
    path = tmp_path / "out" / "none.parquet"
    path.parent.mkdir()
    query = FigureQuery(FigureFilter(sources=("nobody",)))
    assert write_figures_parquet(households_store, query, path) == 0
    table = pq.read_table(path)
    assert table.num_rows == 0
    assert table.schema.field("value_low").type == pa.int64()
    assert table.schema.field("reported_on").type == pa.date32()
    assert [p.name for p in path.parent.iterdir()] == ["none.parquet"]


def test_a_period_with_a_time_or_trailing_text_is_refused_at_entry(example_store):
    for start in ("2024-12-02T10:00", "2024-12-02xyz"):
        row = figure(id="timed", period_start=start, period_end="2024-12-02")
        with pytest.raises(ValidationFailed) as failed:
            add_figures(example_store, pd.DataFrame([row]))
        found = {(p.column, p.reason) for p in failed.value.problems}
        assert ("period_start", "is not a real date in the form YYYY-MM-DD") in found


def test_an_existing_file_is_kept_without_force(run, tmp_path):
    path = tmp_path / "figures.parquet"
    path.write_bytes(b"earlier work")
    refused = run("export", "parquet", "--out", str(path))
    assert refused.exit_code == 2
    assert "exists; pass --force to overwrite it" in refused.output
    assert path.read_bytes() == b"earlier work"
    assert run("export", "parquet", "--out", str(path), "--force").exit_code == 0
    assert pq.read_table(path).num_rows == 8


def test_without_pyarrow_the_command_says_how_to_get_it(run, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    path = tmp_path / "out" / "figures.parquet"
    path.parent.mkdir()
    result = run("export", "parquet", "--out", str(path))
    assert result.exit_code == 1
    assert "Error: export parquet needs pyarrow: pip install 'casualties[parquet]'" in (
        result.output
    )
    assert list(path.parent.iterdir()) == []  # no file, not even a temporary one


def test_without_pyarrow_the_library_raises_a_user_error(example_store, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingExtra, match=r"pip install 'casualties\[parquet\]'"):
        write_figures_parquet(example_store, FigureQuery(), tmp_path / "f.parquet")


def test_the_cli_does_not_import_pyarrow_to_start():
    code = "import sys; import casualties.cli.files; print('pyarrow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
