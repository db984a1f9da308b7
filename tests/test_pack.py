"""The weekly pack and the chart, export and report commands, on the real data."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from casualties.bundled.gaza_daily import DEFAULT_PATH
from casualties.cli.app import cli


@pytest.fixture
def example_db(tmp_path):
    db = str(tmp_path / "example.db")
    assert CliRunner().invoke(cli, ["--db", db, "init", "--example"]).exit_code == 0
    return db


@pytest.fixture(scope="module")
def gaza_db(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("gaza") / "gaza.db")
    assert CliRunner().invoke(cli, ["--db", db, "load-gaza", str(DEFAULT_PATH)]).exit_code == 0
    return db


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def test_weekly_pack_of_the_example_data(example_db, tmp_path):
    out = tmp_path / "2024-W49"
    result = run(example_db, "report", "weekly", "--week", "2024-W49", "--out", str(out))
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["week"] == "2024-W49"
    assert manifest["store"] == example_db
    files = {f["file"]: f for f in manifest["files"]}
    assert {"summary.md", "casualties-2024-W49.xlsx"} <= set(files)
    assert all((out / name).exists() for name in files)
    charts = [name for name in files if name.endswith(".png")]
    assert "toll-killed-civilians.png" in charts
    for chart in charts:
        beside = json.loads((out / chart).with_suffix(".json").read_text())
        assert beside["figure_ids"] == files[chart]["figure_ids"]
    summary = (out / "summary.md").read_text()
    assert "| killed | civilians | sohr | 111 | people | since 2024-11-25 |" in summary
    assert "| all sources" not in summary  # a one-day toll is never ranged with a running total
    assert "syr-wh-civilians-killed-2024-12-01" in summary
    assert set(manifest["figure_ids"]) >= set(files["summary.md"]["figure_ids"])


def test_a_pack_never_overwrites_without_force(example_db, tmp_path):
    out = tmp_path / "pack"
    assert run(example_db, "report", "weekly", "--out", str(out)).exit_code == 0
    before = (out / "summary.md").read_bytes()
    again = run(example_db, "report", "weekly", "--out", str(out))
    assert again.exit_code == 1
    assert "already holds files" in again.output and "--force" in again.output
    assert (out / "summary.md").read_bytes() == before
    assert run(example_db, "report", "weekly", "--out", str(out), "--force").exit_code == 0


def test_gaza_pack_shows_the_revision(gaza_db, tmp_path):
    out = tmp_path / "gaza"
    result = run(
        gaza_db,
        "report",
        "weekly",
        "--week",
        "2023-W42",
        "--out",
        str(out),
        "--metric",
        "killed",
        "--group",
        "women",
    )
    assert result.exit_code == 0, result.output
    summary = (out / "summary.md").read_text()
    assert "+747 net (rose 780, revised −33)" in summary
    assert "pse-moh-women-killed-2023-10-21" in summary
    toll = json.loads((out / "toll-killed-women.json").read_text())
    assert "pse-moh-women-killed-2023-10-21" in toll["figure_ids"]


def test_chart_command_writes_png_and_manifest(gaza_db, tmp_path):
    from matplotlib.image import imread

    png = tmp_path / "toll.png"
    result = run(
        gaza_db, "chart", "toll", "--metric", "killed", "--group", "people", "--out", str(png)
    )
    assert result.exit_code == 0, result.output
    assert imread(png).shape[:2] == (900, 1600)
    manifest = json.loads(png.with_suffix(".json").read_text())
    assert "pse-moh-killed-2026-08-22" in manifest["figure_ids"]
    refused = run(
        gaza_db, "chart", "toll", "--metric", "killed", "--group", "people", "--out", str(png)
    )
    assert refused.exit_code == 2 and "--force" in refused.output


def test_export_xlsx_with_filters(gaza_db, tmp_path):
    from python_calamine import CalamineWorkbook

    path = tmp_path / "women.xlsx"
    result = run(
        gaza_db, "export", "xlsx", "--group", "women", "--source", "gaza-moh", "--out", str(path)
    )
    assert result.exit_code == 0, result.output
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names[:3] == ["About", "Latest", "Weekly"]
    figures = book.get_sheet_by_name("Figures").to_python()
    assert len(figures) - 1 == 112  # the Ministry's women killed reports
    about = book.get_sheet_by_name("About").to_python()
    assert any("groups = women" in str(cell) for row in about for cell in row)


def test_summary_as_of_replays_the_past(gaza_db):
    now = run(gaza_db, "summary", "--week", "2023-W42", "--group", "women", "--format", "json")
    then = run(
        gaza_db,
        "summary",
        "--week",
        "2023-W42",
        "--group",
        "women",
        "--as-of",
        "2023-10-20",
        "--format",
        "json",
    )
    moh_now = next(r for r in json.loads(now.output) if r["source_id"] == "gaza-moh")
    moh_then = next(r for r in json.loads(then.output) if r["source_id"] == "gaza-moh")
    assert (moh_now["latest_low"], moh_then["latest_low"]) == (1023, 1000)
    assert moh_then["ids"] == "pse-moh-women-killed-2023-10-19"


def test_a_pack_made_again_as_stored_is_the_same_bytes(example_db, tmp_path):
    import time

    first = tmp_path / "first"
    assert (
        run(example_db, "report", "weekly", "--week", "2024-W49", "--out", str(first)).exit_code
        == 0
    )
    store_time = json.loads((first / "manifest.json").read_text())["store_time"]
    time.sleep(1.1)  # entered_at counts whole seconds: what follows is after the store time
    sohr = "syr-sohr-civilians-killed-2024-12-06"
    amended = run(
        example_db,
        "amend",
        sohr,
        "--low",
        "120",
        "--best",
        "120",
        "--high",
        "120",
        "--reason",
        "test: a later amendment",
    )
    assert amended.exit_code == 0, amended.output
    run(example_db, "retract", "syr-wh-women-killed-2024-12-01", "--reason", "test: later")
    changed = run(example_db, "summary", "--week", "2024-W49", "--metric", "killed").output
    assert "\t120\t" in changed
    again = tmp_path / "again"
    args = ["report", "weekly", "--week", "2024-W49", "--as-stored", store_time]
    assert run(example_db, *args, "--out", str(again)).exit_code == 0
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in again.iterdir()) and len(names) > 4
    for name in names:
        assert (first / name).read_bytes() == (again / name).read_bytes(), name
    replayed = run(example_db, "summary", "--week", "2024-W49", "--as-stored", store_time)
    assert "\t111\t" in replayed.output and "of which women" in replayed.output
    for kind in ("csv", "json", "hxl"):
        out = tmp_path / f"then.{kind}"
        args = ["export", kind, "--out", str(out), "--source", "sohr", "--as-stored", store_time]
        assert run(example_db, *args).exit_code == 0
        text = out.read_text(encoding="utf-8")
        assert "111" in text and "test: a later amendment" not in text, kind


def test_as_stored_must_be_a_moment(example_db):
    result = run(example_db, "summary", "--as-stored", "yesterday")
    assert result.exit_code != 0
    assert "--as-stored 'yesterday' is not a moment" in result.output


def test_a_pack_for_one_place_flags_figures_reaching_beyond_it(example_db, tmp_path):
    out = tmp_path / "idlib"
    args = ["report", "weekly", "--week", "2024-W48", "--place", "Idlib", "--out", str(out)]
    assert run(example_db, *args).exit_code == 0
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "beyond place: also counts SY02" in summary


def test_exports_as_of_hold_only_what_was_reported_by_then(example_db, tmp_path):
    # The seed figures were all reported on 2024-12-06.
    for day, expected in (("2024-12-05", 0), ("2024-12-06", 7)):
        out = tmp_path / f"{day}.csv"
        assert run(example_db, "export", "csv", "--as-of", day, "--out", str(out)).exit_code == 0
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert len(rows) == expected and all(r["reported_on"] <= day for r in rows), day


def test_a_pack_for_an_earlier_week_charts_up_to_it_and_titles_say_what_is_drawn(gaza_db, tmp_path):
    """Made today for 2024-W10, the toll stops on the week's last report (the Ministry's
    women series runs on to 2025); each title's dates are those of the points drawn."""
    from casualties.model.weeks import parse_week

    out = tmp_path / "w10"
    args = ("--metric", "killed", "--group", "women", "--out", str(out))
    assert run(gaza_db, "report", "weekly", "--week", "2024-W10", *args).exit_code == 0
    toll = json.loads((out / "toll-killed-women.json").read_text())
    days = sorted(p["x"] for p in toll["points"])
    assert days[-1] <= "2024-03-10"
    assert toll["context"]["period"] == f"{days[0]} to {days[-1]}" == "2023-10-08 to 2024-03-09"
    weekly = json.loads((out / "weekly-killed-women.json").read_text())
    weeks = sorted((parse_week(p["x"]) for p in weekly["points"]), key=lambda w: w.start)
    assert weekly["context"]["period"] == f"{weeks[0].start} to {weeks[-1].end}"
    assert weeks[-1].label <= "2024-W10"


@pytest.mark.parametrize(
    ("args", "label"),
    [
        (["report", "weekly", "--week", "2024-W49", "--out", "pack"], "Writing the 2024-W49 pack"),
        (["export", "xlsx", "--out", "book.xlsx"], "Writing book.xlsx"),
    ],
)
def test_a_long_job_shows_a_bar_of_its_steps_on_a_terminal(example_db, tmp_path, args, label):
    import shlex
    import subprocess
    import sys

    command = shlex.join([sys.executable, "-m", "casualties", "--db", example_db, *args])
    # `script` gives the command a terminal, as an analyst's is.
    done = subprocess.run(
        ["script", "-qec", command, "/dev/null"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout
    frames = done.stdout.replace("\r", "\n")
    assert label in frames and "100%" in frames
    piped = subprocess.run(
        [sys.executable, "-m", "casualties", "--db", example_db, *args, "--force"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert piped.returncode == 0 and label not in piped.stderr


def test_a_chart_of_an_empty_selection_is_an_error_naming_the_filters(gaza_db, tmp_path):
    png = tmp_path / "none.png"
    args = ("--metric", "killed", "--group", "people", "--place", "SY", "--out", str(png))
    result = run(gaza_db, "chart", "toll", *args)
    assert result.exit_code == 1
    assert "Error: no figures to chart for People killed" in result.output
    assert "places SY" in result.output
    assert not png.exists() and not png.with_suffix(".json").exists()


def test_pack_charts_say_what_they_draw_in_plain_words(gaza_db, tmp_path):
    """Titles from the vocabulary's labels, civil-defence staff apart from aid workers, the
    'as of' day and the publication, all in each chart's manifest."""
    out = tmp_path / "pack"
    made = run(gaza_db, "report", "weekly", "--as-of", "2026-08-22", "--out", str(out))
    assert made.exit_code == 0, made.output
    assert not list(out.glob("*aid-workers*"))
    civil = json.loads((out / "toll-killed-civil-defence-staff.json").read_text())
    assert civil["title"].startswith("Civil-defence staff killed, Gaza Strip, 2023-10-")
    assert civil["as_of_text"] == "as of 2026-08-22"
    (publication,) = civil["context"]["publications"]
    assert publication.startswith("Tech For Palestine (palestine-datasets), casualties_daily.json")
    people = json.loads((out / "toll-killed-people.json").read_text())
    assert people["title"] == "People killed, Gaza Strip, 2023-10-07 to 2026-08-22"
