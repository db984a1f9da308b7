"""HXL: the hashtag row HDX reads, declared in schemas/hxl.yaml, and read back on import.

libhxl (a dev dependency) reads the exports as an HXL user would: its
validation with the built-in schema, and its count filter for sums.
"""

import csv

import pytest
from click.testing import CliRunner

from casualties.bundled.gaza_daily import DEFAULT_PATH
from casualties.cli.app import cli
from casualties.files.exports import related_tables, write_json
from casualties.files.hxl import (
    fields_of,
    ground,
    hashtags,
    hxl_rows,
    is_hashtag_row,
    summed_counts,
    summed_header,
    tag_key,
    write_hxl,
)
from casualties.files.importing import import_file
from casualties.model import contract
from casualties.store.database import Store
from casualties.store.query import FigureQuery


def hxl_dataset(path):
    import hxl

    return hxl.data(str(path), hxl.InputOptions(allow_local=True))


def hxl_errors(path) -> list[str]:
    """What libhxl's validation (its built-in schema, as hxlvalidate) calls an error."""
    import hxl

    report = hxl.validate(hxl_dataset(path))
    return [
        f"{issue['description']}: {location['hashtag']} {location['location_value']!r}"
        for issue in report["issues"]
        if issue["severity"] == "error"
        for location in issue["locations"]
    ]


def hxl_sum(path, pattern: str):
    """What an HXL user gets from `hxlcount -a 'sum(PATTERN)'` over the whole file."""
    ((total,),) = hxl_dataset(path).count(aggregators=f"sum({pattern})").values
    return total


def is_core(tag: str) -> bool:
    """A core HXL hashtag with core attributes (bounds as +min/+max), or #meta with any."""
    core = hashtags()["core"]
    name, attributes = tag_key(tag)
    name = name.removeprefix("#")
    allowed = set(core["attributes"]) | set(core["bounds"])
    return name == "meta" or (name in core["hashtags"] and attributes <= allowed)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """`casualties export hxl` of the example store and of the real Gaza series."""
    folder = tmp_path_factory.mktemp("hxl")
    made = {}
    loads = {"example": ["init", "--example"], "gaza": ["load-gaza", str(DEFAULT_PATH)]}
    for name, load in loads.items():
        db, out = str(folder / f"{name}.db"), folder / f"{name}-hxl.csv"
        assert CliRunner().invoke(cli, ["--db", db, *load]).exit_code == 0
        exported = CliRunner().invoke(cli, ["--db", db, "export", "hxl", "--out", str(out)])
        assert exported.exit_code == 0, exported.output
        made[name] = out
    return made


def read_export(path) -> tuple[list, list, dict]:
    header, tags, *rows = list(csv.reader(path.open(encoding="utf-8")))
    return header, tags, {row[0]: dict(zip(header, row, strict=True)) for row in rows}


def test_every_field_and_term_has_a_hashtag():
    tags = hashtags()
    assert list(tags["columns"]) == contract.table("figures").column_names
    assert set(tags["metrics"]) == set(contract.terms("metric"))
    assert set(tags["groups"]) == set(contract.terms("population_group"))
    keys = [fields_of([t])[0] for t in tags["columns"].values()]
    assert keys == list(tags["columns"])  # each hashtag names one field
    assert set(tags["read_also"].values()) <= set(tags["columns"])
    assert set(tags["summed"]) <= set(tags["metrics"])


@pytest.mark.parametrize("name", ["example", "gaza"])
def test_every_export_passes_libhxl_validation(exports, name):
    assert hxl_errors(exports[name]) == []


@pytest.mark.parametrize("name", ["example", "gaza"])
def test_every_exported_hashtag_is_core_hxl(exports, name):
    header, tags, _ = read_export(exports[name])
    assert is_hashtag_row(tags) and not is_hashtag_row(header)
    assert [t for t in tags if not is_core(t)] == []
    # Some the export wrote before, whose attributes HXL's core list lacks.
    assert not any(is_core(t) for t in ("#date+precision", "#description+quote", "#household+size"))


def test_a_users_hxl_sum_counts_each_top_level_incident_once(exports):
    # AFP's Homs toll for April 2014 ("at least 100": its lowest, no best) and the White
    # Helmets' 25 civilians in Idlib and Aleppo on 1 December. Not SOHR's 111 civilians
    # and 715 combatants: running totals since 25 November. Not the 10 children and
    # 4 women: part of the 25. The export before this counted all seven: 965.
    assert hxl_sum(exports["example"], "#affected+killed") == 100 + 25
    assert hxl_sum(exports["example"], "#affected+displaced") == 20000  # at least 20,000
    header, tags, rows = read_export(exports["example"])
    killed = summed_header("killed")
    assert tags[header.index(killed)] == "#affected+killed"
    assert rows["syr-wh-children-killed-2024-12-01"][killed] == ""
    assert rows["syr-sohr-civilians-killed-2024-12-06"][killed] == ""
    assert rows["syr-sohr-civilians-killed-2024-12-06"]["value_best"] == "111"  # kept long
    # The Gaza series is running totals only: nothing to add (it summed 53,829,584).
    assert hxl_sum(exports["gaza"], "#affected+killed") in ("", None)


@pytest.mark.parametrize(
    ("change", "summed"),
    [
        ({}, 25),
        ({"role": "triangulation"}, ""),
        ({"grade": "discounted"}, ""),
        ({"status": "superseded"}, ""),
        ({"basis": "cumulative"}, ""),
        ({"basis": "stock"}, ""),
        ({"part_of": "syr-sohr-civilians-killed-2024-12-06"}, ""),
        ({"unit": "households"}, ""),  # no household size: not people
        ({"unit": "households", "household_size": 5.0, "people_low": 125}, 125),
    ],
)
def test_only_top_level_incidents_that_count_are_summed(example_store, change, summed):
    figures = example_store.figures().set_index("id", drop=False)
    for column, value in change.items():
        figures.loc["syr-wh-civilians-killed-2024-12-01", column] = value
    counts = dict(zip(figures["id"], summed_counts(figures), strict=True))
    assert counts["syr-wh-civilians-killed-2024-12-01"] == summed


def test_places_stand_at_each_admin_level_from_the_gazetteer(exports):
    header, tags, rows = read_export(exports["example"])
    assert [tags[header.index(c)] for c in hashtags()["places"]] == [
        "#country+code",
        "#country+name",
        "#adm1+code",
        "#adm1+name",
        "#adm2+code",
        "#adm2+name",
    ]

    def levels(figure_id):
        return tuple(rows[figure_id][c] for c in hashtags()["places"])

    homs = ("SYR", "Syria", "SY04", "Homs", "SY0401", "Homs")  # Homs city, in its district
    assert levels("syr-afp-homs-killed-2014-04") == homs
    # Idlib and Aleppo governorates: both codes at admin1, none at admin2; one row.
    assert levels("syr-wh-civilians-killed-2024-12-01") == (
        "SYR",
        "Syria",
        "SY07;SY02",
        "Idleb;Aleppo",
        "",
        "",
    )
    assert levels("syr-sohr-civilians-killed-2024-12-06") == ("SYR", "Syria", "", "", "", "")
    assert rows["syr-afp-homs-killed-2014-04"]["place_codes"] == "SYR.homs"  # our own, kept
    _, _, gaza = read_export(exports["gaza"])
    assert {tuple(r[c] for c in hashtags()["places"]) for r in gaza.values()} == {
        ("PSE", "Palestine", "PS02", "Gaza Strip", "", "")  # the region stands on PS02
    }


def test_a_figure_over_a_finer_and_a_coarser_place_stops_at_the_coarser():
    assert ground("SY0200;SY07") == ("SYR", "Syria", "SY02;SY07", "Aleppo;Idleb", "", "")
    assert ground("SYR;SY07")[2:] == ("", "", "", "")
    assert ground(None) == ("", "", "", "", "", "")


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
    expected = example_store.figures().sort_values("id").reset_index(drop=True)
    got = target.figures().sort_values("id").reset_index(drop=True)
    assert got.equals(expected)  # every field, the places and summed counts set aside


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
        ("#indicator+min+num", "value_low"),  # attributes in any order
        ("#Meta+Id", "id"),
        ("#affected+num+min", "value_low"),  # as exports before standard HXL wrote it
        ("#population+type", "population_group"),
        ("#affected+killed", ""),  # a summed column: the long fields hold the figure
        ("#adm1+code", ""),  # the ground, from the gazetteer: place_codes holds the places
        ("#sector+cluster", ""),
    ],
)
def test_hashtags_compare_as_hxl_does(tag, field):
    assert fields_of([tag]) == [field]
