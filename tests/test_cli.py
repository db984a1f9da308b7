"""The casualties command, through click's CliRunner and as a real process."""

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from casualties.cli.app import cli


@pytest.fixture
def run(tmp_path):
    """Run casualties against a fresh store; returns the click Result."""
    db = str(tmp_path / "cli.db")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def loaded(run):
    assert run("init", "--example").exit_code == 0
    return run


def test_init_and_load_example_twice_adds_nothing(run):
    first = run("init", "--example")
    assert first.exit_code == 0
    assert "7 figures, 3 sources and 2 publications added" in first.output
    again = run("load-example")
    assert "0 figures, 0 sources and 0 publications added" in again.output


def test_list_csv_has_a_column_per_schema_field(loaded):
    from casualties.model.contract import table

    result = loaded("list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0]) == table("figures").column_names
    assert len(rows) == 7
    wh = next(r for r in rows if r["id"] == "syr-wh-civilians-killed-2024-12-01")
    assert (wh["value_low"], wh["value_best"], wh["value_high"]) == ("25", "", "")


def test_list_filters(loaded):
    def ids(*args):
        out = loaded("list", "--format", "json", *args).output
        return sorted(r["id"] for r in json.loads(out))

    assert ids("--metric", "displaced") == ["syr-sohr-homs-displaced-2024-12-05"]
    assert ids("--source", "sohr", "--group", "combatants") == [
        "syr-sohr-combatants-killed-2024-12-06"
    ]
    assert len(ids("--place", "Idleb")) == 3
    assert ids("--place", "Homs", "--from", "2024-01-01") == ["syr-sohr-homs-displaced-2024-12-05"]
    assert ids("--to", "2014-12-31") == ["syr-afp-homs-killed-2014-04"]
    assert ids("--status", "retracted") == []


def test_piped_table_is_plain_tab_separated(loaded):
    lines = loaded("list").output.splitlines()
    assert lines[0].split("\t")[:4] == ["id", "metric", "population_group", "value"]
    assert "≥25" in loaded("list").output


def test_add_prints_the_stored_figure(loaded):
    result = loaded(
        "add",
        "--metric",
        "killed",
        "--group",
        "civilians",
        "--low",
        "3",
        "--qualifier",
        "at_least",
        "--source",
        "white-helmets",
        "--publication",
        "upi-2024-12-06",
        "--place",
        "Idleb",
        "--precision",
        "admin1",
        "--start",
        "2024-12-02",
        "--quote",
        "At least three civilians were killed Monday.",
        "--by",
        "tester",
    )
    assert result.exit_code == 0, result.output
    assert "≥3" in result.output
    assert "At least three civilians were killed Monday." in result.output
    assert "place_codes        SY07" in result.output


def test_a_bad_add_is_one_line_per_problem_and_exit_1(loaded):
    result = loaded(
        "add",
        "--metric",
        "murdered",
        "--group",
        "civilians",
        "--value",
        "3",
        "--source",
        "nobody",
        "--publication",
        "upi-2024-12-06",
        "--place",
        "SY07",
        "--start",
        "2024-12-02",
        "--quote",
        "q",
    )
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert any(":metric: not a metric term" in e for e in errors)
    assert any(":source_id: names no stored source" in e for e in errors)
    assert "Traceback" not in result.output
    assert "Nothing was written" in result.output


def test_unknown_place_is_one_clear_line(loaded):
    result = loaded(
        "add",
        "--metric",
        "killed",
        "--value",
        "1",
        "--publication",
        "upi-2024-12-06",
        "--place",
        "Atlantis",
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: place 'Atlantis' is not in the gazetteer")


def test_show_has_everything_and_the_quote(loaded):
    out = loaded("show", "syr-sohr-homs-displaced-2024-12-05").output
    assert "Tens of thousands of members of President Bashar al-Assad’s" in out
    assert "Ten of thousands of civilians have been streaming out" in out
    assert "Syrian Observatory for Human Rights" in out
    assert "date_resolution" in out


def test_amend_retract_and_history(loaded):
    figure = "syr-afp-homs-killed-2014-04"
    assert loaded("amend", figure, "--grade", "fair", "--reason", "AFP checked").exit_code == 0
    assert loaded("retract", figure, "--reason", "background figure").exit_code == 0
    history = loaded("history", figure, "--format", "json").output
    versions = json.loads(history)
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[1]["changes"] == "grade: weak → fair"
    assert versions[2]["changes"] == "status: active → retracted"
    assert versions[2]["change_reason"] == "background figure"


def test_amend_without_reason_is_refused(loaded):
    result = loaded("amend", "syr-afp-homs-killed-2014-04", "--grade", "fair")
    assert result.exit_code == 2
    assert "--reason" in result.output


def test_sources_and_publications_add_and_list(loaded):
    added = loaded(
        "sources",
        "add",
        "--id",
        "snhr",
        "--name",
        "Syrian Network for Human Rights",
        "--kind",
        "local_monitor",
        "--reliability",
        "medium",
    )
    assert added.exit_code == 0
    assert "snhr" in loaded("sources", "list").output
    bad = loaded(
        "publications", "add", "--id", "x-1", "--publisher", "X", "--published-on", "yesterday"
    )
    assert bad.exit_code == 1
    assert "published_on: is not a real date" in bad.output
    twice = loaded(
        "sources", "add", "--id", "snhr", "--name", "again", "--kind", "ngo", "--reliability", "low"
    )
    assert twice.exit_code == 1 and "already stored" in twice.output


def test_cite_adds_a_publication(loaded):
    loaded(
        "publications",
        "add",
        "--id",
        "afp-2024-12-07",
        "--publisher",
        "AFP",
        "--published-on",
        "2024-12-07",
    )
    result = loaded(
        "cite",
        "syr-sohr-civilians-killed-2024-12-06",
        "--publication",
        "afp-2024-12-07",
        "--quote",
        "111 civilians, the monitor said.",
    )
    assert result.exit_code == 0
    out = loaded("show", "syr-sohr-civilians-killed-2024-12-06").output
    assert "111 civilians, the monitor said." in out


def test_validate_reports_a_clean_store(loaded):
    result = loaded("validate")
    assert result.exit_code == 0
    assert "The store is valid: 7 figures" in result.output


def test_commands_without_a_store_say_to_run_init(run):
    result = run("list")
    assert result.exit_code == 1
    assert "casualties init" in result.output


def test_summary_shows_subsets_under_their_parent_and_no_sum(loaded):
    out = loaded("summary").output
    lines = out.splitlines()
    assert lines[0].startswith("Week 2024-W49 (2024-12-02 to 2024-12-08)")
    parent = next(i for i, line in enumerate(lines) if "\t≥25\t" in line)
    assert "of which children\twhite-helmets\t10" in lines[parent + 1]
    assert "of which women\twhite-helmets\t4" in lines[parent + 2]
    # Sunday's one-day toll (week 48) is not set beside SOHR's running total of week 49.
    assert "stale: latest ends 2024-12-01" in lines[parent]
    assert "all sources" not in out
    for false_total in ("39", "136", "826", "25–111"):  # 25+10+4, 25+111, 111+715, unlike
        assert false_total not in out


def test_summary_markdown_with_ids(loaded):
    out = loaded("summary", "--format", "markdown", "--ids").output
    assert "| metric | population_group | source_id | latest | unit | basis |" in out
    assert "| since 2024-11-25 |" in out
    assert "| syr-sohr-civilians-killed-2024-12-06 |" in out


def test_vocab_and_place_lookups(run):
    assert "New displacement" in run("vocab", "metric").output
    assert '"Civil-defence staff" Members of a civil-defence' in run("vocab").output
    assert "SY09" in run("place", "Deir al-Zour").output


def test_help_does_not_import_pandas():
    code = (
        "import sys; from casualties.cli.app import cli; "
        "print(any(m in sys.modules for m in ('pandas', 'pandera', 'matplotlib')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_file_that_is_not_a_store_is_one_line(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database " * 100)
    result = CliRunner().invoke(cli, ["--db", str(path), "list"])
    assert result.exit_code == 1
    assert (
        result.output == f"Error: cannot use {path} as a casualties store: file is not a database\n"
    )


def test_retracting_twice_is_refused(loaded):
    assert loaded("retract", "syr-afp-homs-killed-2014-04", "--reason", "r").exit_code == 0
    again = loaded("retract", "syr-afp-homs-killed-2014-04", "--reason", "r")
    assert again.exit_code == 1 and "already retracted" in again.output


def test_an_id_cannot_be_amended(loaded):
    result = loaded("amend", "syr-afp-homs-killed-2014-04", "--id", "new", "--reason", "r")
    assert result.exit_code == 2 and "never changes" in result.output


def test_show_gives_places_and_report_lag(loaded):
    out = loaded("show", "syr-wh-civilians-killed-2024-12-01").output
    assert "SY07: Idleb (admin1, ISO SY-ID, in Syria)" in out
    assert "SY02: Aleppo (admin1, ISO SY-HL, in Syria)" in out
    assert "report lag (days)  5" in out  # Sunday 1 December to Friday 6 December


def test_a_failure_no_check_foresaw_is_one_line_not_a_traceback(loaded, monkeypatch):
    from casualties.cli import figures
    from casualties.cli.shell import UNFORESEEN

    def broken(card: dict) -> str:
        raise TypeError("unsupported operand")

    monkeypatch.setattr(figures, "show_figure", broken)
    result = loaded("show", "syr-afp-homs-killed-2014-04")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: {UNFORESEEN} (TypeError: unsupported operand).",
        "Run it again with --debug to see where, and report it.",
    ]
    with pytest.raises(TypeError):
        loaded("--debug", "show", "syr-afp-homs-killed-2014-04")


@pytest.mark.parametrize(
    ("args", "option", "hint"),
    [
        (["summary", "--metric", "kills"], "--metric", "did you mean killed?"),
        (["summary", "--group", "woman"], "--group", "did you mean women?"),
        (["summary", "--source", "SOHR"], "--source", "did you mean sohr?"),
        (["list", "--from", "2024-13-01"], "--from", "is not a day in the form YYYY-MM-DD"),
        (["list", "--to", "1 Dec"], "--to", "is not a day"),
        (["list", "--status", "gone"], "--status", "known: active, superseded, retracted"),
        (["export", "csv", "--metric", "killd", "--out", "x.csv"], "--metric", "killed"),
        (["report", "weekly", "--group", "kids", "--out", "pack"], "--group", "known:"),
    ],
)
def test_a_typo_in_a_filter_is_refused_with_the_close_matches(loaded, args, option, hint):
    result = loaded(*args)
    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output and hint in result.output


@pytest.mark.parametrize(
    ("args", "starts"),
    [
        (["export", "csv"], b"id,version,metric"),
        (["export", "json"], b"{"),
        (["export", "hxl"], b"id,"),
        (["export", "xlsx"], b"PK"),
        (["export", "parquet"], b"PAR1"),
        (["template"], b"PK"),
    ],
)
def test_out_dash_writes_to_standard_output_and_the_tally_to_standard_error(tmp_path, args, starts):
    db = str(tmp_path / "cli.db")
    command = [sys.executable, "-m", "casualties", "--db", db]
    subprocess.run([*command, "init", "--example"], check=True, capture_output=True)
    done = subprocess.run([*command, *args, "--out", "-"], capture_output=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(starts)
    assert done.stderr.decode().startswith("Wrote -:")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("kind", ["csv", "hxl"])
def test_excel_csv_has_a_byte_order_mark_and_imports_back_unchanged(loaded, tmp_path, kind):
    from tests.conftest import store_digest

    out = tmp_path / f"for-excel-{kind}.csv"
    assert loaded("export", kind, "--excel", "--out", str(out)).exit_code == 0
    written = out.read_bytes()
    assert written.startswith(b"\xef\xbb\xbfid,")
    db = str(tmp_path / "cli.db")
    before = store_digest(db)
    result = loaded("import", str(out))
    assert result.exit_code == 0, result.output
    assert store_digest(db) == before
