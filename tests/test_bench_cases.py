"""Every case of `make bench`, and its floor, runs and gives its result on a small store.

The bench is not run by CI (it takes hours); without this, a change
of a library signature breaks a case unseen until the next `make bench`.
"""

import argparse

import pytest

from benchmarks.cases import CASE_ORDER, CASES, FLOOR_FROM, REAL_FILES
from benchmarks.options import case_names, cases_to_run

ROWS = 300
# Cases of a fixed size run smaller here (the 5 MB text takes half a minute).
SMALLER = {"extract 5 MB text": 20_000}


def test_every_bench_case_and_its_floor_give_their_result(tmp_path):
    # In CASE_ORDER, as the bench runs them: the cases after insert read the store it
    # writes, the xlsx import the workbook the workbook case wrote.
    for case in [*CASE_ORDER, *REAL_FILES]:
        job, floor, wanted, check = CASES[case]
        rows = SMALLER.get(case, REAL_FILES.get(case, ROWS))
        assert check(rows, job(rows, 0, tmp_path)()), f"{case}: not {wanted}"
        if case not in FLOOR_FROM:
            floor(rows, 0, tmp_path)()


def test_every_everyday_command_runs_beside_its_floor(tmp_path):
    from benchmarks.everyday import COMMANDS, MADE_AFRESH, everyday_outcomes

    outcomes = everyday_outcomes(tmp_path, runs=1)
    assert [o.case for o in outcomes] == [*COMMANDS, *MADE_AFRESH]
    assert all(o.error is None and o.measure.cpu_seconds > 0 and o.floor for o in outcomes)


def test_each_case_alternates_with_its_floor_and_shows_the_medians(tmp_path, monkeypatch):
    # A fake child: each run of a job takes the next of its seconds, so the order
    # of the runs and the median of what they gave can both be seen.
    from benchmarks import run
    from benchmarks.report import Measure
    from benchmarks.verdicts import verdict_lines

    given = {False: [3.0, 1.0, 2.0], True: [10.0, 30.0, 20.0]}
    calls = []

    def measured(case, floor, rows, seed, work, timeout):
        number = sum(1 for c, f in calls if c == case and f == floor)
        calls.append((case, floor))
        seconds = given[floor][number]
        return Measure(seconds, peak_mb=seconds * 10, cpu_seconds=seconds / 2), None

    monkeypatch.setattr(run, "measure_in_child", measured)
    outcomes = run.size_outcomes(300, 0, tmp_path, 60, repeats=3)

    validate = [call for call in calls if call[0] == "validate"]
    assert validate == [("validate", False), ("validate", True)] * 3
    # A floor made of other cases' floors is not run: only the case, three times.
    assert [f for c, f in calls if c == "pack"] == [False] * 3
    by_case = {o.case: o for o in outcomes}
    first = by_case["validate"]
    assert (first.measure.seconds, first.measure.cpu_seconds, first.measure.peak_mb) == (2, 1, 30)
    assert (first.floor.seconds, first.floor.cpu_seconds, first.floor.peak_mb) == (20, 10, 300)
    # The pack's floor: the summary's and the workbook's medians added.
    assert (by_case["pack"].floor.seconds, by_case["pack"].floor.cpu_seconds) == (40, 20)
    assert all(o.error is None for o in outcomes)
    beside = "import csv 300: 2.000 s = 1.0x the typed read + pandera validation"
    assert any(line.startswith(beside) for line in verdict_lines(outcomes))


def test_a_failed_run_fails_the_outcome_and_is_not_run_again():
    from benchmarks.report import Measure
    from benchmarks.run import alternated

    calls = []

    def run_once(floor):
        calls.append(floor)
        if not floor and calls.count(False) == 2:
            return None, "boom"
        return Measure(1.0 + len(calls), 100.0), None

    case, floor = alternated(run_once, 3, "a case")
    assert calls == [False, True, False, True, True]
    assert case.error == "boom" and case.measure.seconds == 2.0  # the one run that went through
    assert floor.error is None and floor.measure.seconds == 5.0  # median of 3.0, 5.0, 6.0


def test_cases_run_again_start_afresh(tmp_path):
    # The bench runs each case several times in one work directory: the insert
    # case must leave one store of its rows (not twice as many), and each import
    # must start from an empty store (else the second run adds nothing).
    import sqlite3

    from benchmarks.workdir import library_db

    for case in ("insert", "insert", "import csv", "import csv", "read+validate csv"):
        job, floor, wanted, check = CASES[case]
        assert check(ROWS, job(ROWS, 0, tmp_path)()), f"{case} run again: not {wanted}"
        assert floor(ROWS, 0, tmp_path)() == ROWS, f"{case}'s floor run again"
    with sqlite3.connect(library_db(tmp_path, ROWS)) as connection:
        assert connection.execute("SELECT count(*) FROM figures").fetchone() == (ROWS,)


def test_only_the_cases_asked_for_run_with_the_store_they_read():
    assert cases_to_run(case_names("import csv, read+validate csv")) == {
        "import csv",
        "read+validate csv",
        "insert",
    }
    assert cases_to_run(case_names("import IOM DTM")) == {"import IOM DTM"}
    assert {"everyday", "--help", "pack"} <= cases_to_run(frozenset())
    with pytest.raises(argparse.ArgumentTypeError, match="no such case"):
        case_names("import cvs")
