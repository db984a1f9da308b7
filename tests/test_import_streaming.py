"""A CSV imported a chunk at a time: the same figures, problems and rejects as whole."""

import csv

import pytest

from casualties.errors import ValidationFailed
from casualties.files import reading
from casualties.files.exports import write_figures_csv
from casualties.files.importing import Progress, import_file
from casualties.store.query import FigureQuery
from tests.conftest import store_dump
from tests.test_importing import MESSY, messy_csv, same_figures


@pytest.fixture
def small_chunks(monkeypatch):
    """Two rows a chunk: the example's seven figures cross four chunks."""
    monkeypatch.setattr(reading, "CHUNK_ROWS", 2)


@pytest.fixture
def exported(example_store, tmp_path):
    path = tmp_path / "figures.csv"
    write_figures_csv(example_store, FigureQuery(), path)
    return path


def rows_of(path) -> list[list[str]]:
    return list(csv.reader(path.open(encoding="utf-8")))


def test_subsets_before_their_parent_wait_for_it(
    small_chunks, example_store, with_references, exported
):
    rows = rows_of(exported)
    ids = [r[0] for r in rows[1:]]
    parent = rows[0].index("part_of")
    subsets = [i for i, r in enumerate(rows[1:]) if r[parent]]
    parents = {ids.index(rows[1:][i][parent]) for i in subsets}
    assert min(subsets) < max(parents)  # the file names a parent that comes in a later chunk
    seen, expected = [], []
    progress = Progress(expected.append, seen.append)
    done = import_file(with_references, exported, progress=progress)
    assert done.added == {"figures": 7} and sum(seen) == 7 and len(seen) == 4
    assert expected == [8]  # the file's lines, counted before reading
    same_figures(example_store, with_references)


def test_problems_in_every_chunk_are_reported_at_their_rows(
    small_chunks, with_references, exported
):
    rows = rows_of(exported)
    metric = rows[0].index("metric")
    rows[1][metric] = "murdered"  # file row 2, the first chunk
    rows[7][metric] = "slain"  # file row 8, the last
    with exported.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    before = store_dump(with_references)
    with pytest.raises(ValidationFailed) as failed:
        import_file(with_references, exported)
    found = {(p.row, p.column, p.value) for p in failed.value.problems}
    assert ("row 2", "metric", "murdered") in found and ("row 8", "metric", "slain") in found
    assert store_dump(with_references) == before


def test_keep_valid_gathers_the_rejects_of_every_chunk(
    small_chunks, with_references, exported, tmp_path
):
    rows = rows_of(exported)
    metric, ident = rows[0].index("metric"), rows[0].index("id")
    rows[1][metric], rows[7][metric] = "murdered", "slain"
    with exported.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    rejects = tmp_path / "rejects.csv"
    done = import_file(with_references, exported, keep_valid=rejects)
    assert done.added == {"figures": 5} and done.rejected == 2
    back = rows_of(rejects)
    assert [r[ident] for r in back[1:]] == [rows[1][ident], rows[7][ident]]
    assert all(r[-1].startswith("metric: not a metric term") for r in back[1:])


def test_a_subset_whose_parent_never_comes_is_reported(small_chunks, with_references, exported):
    rows = rows_of(exported)
    parent = rows[0].index("part_of")
    child = next(i for i, r in enumerate(rows) if i and r[parent])
    rows[child][parent] = "syr-no-such-figure"
    with exported.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    with pytest.raises(ValidationFailed) as failed:
        import_file(with_references, exported)
    problems = [str(p) for p in failed.value.problems]
    assert f"figures.csv:figures:row {child + 1}:part_of: names no stored figure" in " ".join(
        problems
    )


def test_a_european_count_is_refused_with_a_hint_or_read_when_told(with_references, tmp_path):
    path = messy_csv(tmp_path, MESSY.replace(";1,200;", ";1.200;"))
    with pytest.raises(ValidationFailed) as failed:
        import_file(with_references, path, dayfirst=True)
    reasons = {
        p.reason for p in failed.value.problems if (p.row, p.column) == ("row 4", "value_low")
    }
    assert (
        "is not an integer (twelve hundred written 1.200? import the file with --decimal-comma)"
        in reasons
    )
    done = import_file(with_references, path, dayfirst=True, decimal_comma=True)
    assert done.added == {"figures": 2}
    assert 1200 in set(with_references.figures()["value_low"])


def test_a_comma_count_in_a_european_file_is_refused(with_references, tmp_path):
    path = messy_csv(tmp_path, MESSY)  # holds "1,200": 1.2 people where the comma is decimal
    with pytest.raises(ValidationFailed) as failed:
        import_file(with_references, path, dayfirst=True, decimal_comma=True)
    found = {(p.row, p.column, p.reason, p.value) for p in failed.value.problems}
    assert ("row 4", "value_low", "is not an integer", "1,200") in found


def test_a_windows_csv_with_its_first_accent_far_down_is_read(with_references, tmp_path):
    injured = next(line for line in MESSY.splitlines() if line.startswith("injured"))
    more = [injured.replace("45 were injured", f"45 were injured, report {n}") for n in range(300)]
    accented = (
        MESSY
        + "\n".join(more)
        + "\n"
        + injured.replace("were injured", "were injured near the café")
    )
    path = tmp_path / "windows.csv"
    path.write_bytes(accented.encode("cp1252"))
    assert path.read_bytes().index("é".encode("cp1252")) > reading.SAMPLE_BYTES
    done = import_file(with_references, path, dayfirst=True)
    assert done.added == {"figures": 2 + 300 + 1}
    assert "45 were injured near the café" in set(with_references.figures()["quote"])


def test_a_large_csv_shows_a_bar_on_a_terminal(
    small_chunks, with_references, exported, monkeypatch
):
    import io
    import sys

    from casualties.cli.files import _progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with _progress_bar(exported) as progress:
        assert progress is not None  # eight lines, more than a chunk of two
        done = import_file(with_references, exported, progress=progress)
    assert done.added == {"figures": 7}
    assert "Importing figures.csv" in screen.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal: no bar
    with _progress_bar(exported) as progress:
        assert progress is None


def test_a_json_cell_holding_an_object_is_refused_where_it_is(with_references, tmp_path):
    import json

    from tests.test_importing import entry_row

    row = entry_row(notes={"desk": ["Idlib", 2]})
    row |= {k: v.date().isoformat() for k, v in row.items() if hasattr(v, "date")}
    path = tmp_path / "figures.json"
    path.write_text(json.dumps([row]), encoding="utf-8")
    # Stored as Python's text of it, it would say what the file does not (issue 13).
    with pytest.raises(ValidationFailed, match="figures.json:figures:row 2:notes: a JSON object"):
        import_file(with_references, path)
    assert with_references.figures().empty
