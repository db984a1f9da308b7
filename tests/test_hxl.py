"""HXL: the hashtag row HDX reads, declared in schemas/hxl.yaml, and read back on import."""

import csv

import pytest

from casualties.files.exports import related_tables, write_json
from casualties.files.hxl import fields_of, hashtags, hxl_rows, is_hashtag_row, write_hxl
from casualties.files.importing import import_file
from casualties.model import contract
from casualties.store.database import Store
from casualties.store.query import FigureQuery


def test_every_field_and_term_has_a_hashtag():
    tags = hashtags()
    assert list(tags["columns"]) == contract.table("figures").column_names
    assert set(tags["metrics"]) == set(contract.terms("metric"))
    assert set(tags["groups"]) == set(contract.terms("population_group"))
    keys = [fields_of([t])[0] for t in tags["columns"].values()]
    assert keys == list(tags["columns"])  # each hashtag names one field


def test_export_has_the_hashtag_row_and_hdx_value_columns(example_store, tmp_path):
    path = tmp_path / "figures-hxl.csv"
    write_hxl(example_store.figures(), path)
    header, tags, *rows = list(csv.reader(path.open(encoding="utf-8")))
    assert is_hashtag_row(tags) and not is_hashtag_row(header)
    assert tags[header.index("reported_on")] == "#date+reported"
    assert tags[header.index("source_id")] == "#meta+source+code"
    assert tags[header.index("killed children")] == "#affected+killed+children"
    assert tags[header.index("displaced civilians")] == "#affected+displaced+civilians"
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    children = by_id["syr-wh-children-killed-2024-12-01"]
    assert children["killed children"] == "10" and children["killed civilians"] == ""
    homs = by_id["syr-sohr-homs-displaced-2024-12-05"]
    assert homs["displaced civilians"] == "20000"  # no best figure: the lowest, bounds beside
    assert (homs["value_low"], homs["value_high"]) == ("20000", "99999")
    assert len(rows) == 7


def test_hxl_export_imports_back(example_store, tmp_path):
    path = tmp_path / "figures-hxl.csv"
    write_hxl(example_store.figures(), path)
    references = tmp_path / "references.json"
    tables = related_tables(example_store, FigureQuery())
    write_json({k: tables[k] for k in ("sources", "publications")}, references)
    target = Store.create(tmp_path / "target.db")
    import_file(target, references)
    done = import_file(target, path)
    assert done.added == {"figures": 7}
    columns = ["id", "metric", "population_group", "value_low", "value_best", "quote"]
    expected = example_store.figures()[columns].sort_values("id").reset_index(drop=True)
    got = target.figures()[columns].sort_values("id").reset_index(drop=True)
    assert got.equals(expected)


def test_a_file_tagged_only_by_hashtags_is_read_by_them(example_store, tmp_path):
    rows = hxl_rows(example_store.figures())
    path = tmp_path / "tags-only.csv"
    # Other words in the text header (another language): the hashtags still say it.
    rows[0] = [f"col {n}" for n in range(len(rows[0]))]
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    done = import_file(example_store, path, dry_run=True)
    assert done.read == {"figures": 7} and done.added == {"figures": 0}


@pytest.mark.parametrize(
    ("tag", "field"),
    [
        ("#date+reported", "reported_on"),
        ("#DATE+REPORTED", "reported_on"),
        ("#date +reported", "reported_on"),
        ("#affected+min+num", "value_low"),  # attributes in any order
        ("#Meta+Id", "id"),
        ("#affected+killed+children", ""),  # a wide value column: the long fields hold it
        ("#sector+cluster", ""),
    ],
)
def test_hashtags_compare_as_hxl_does(tag, field):
    assert fields_of([tag]) == [field]
