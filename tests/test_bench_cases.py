"""Every case of `make bench`, and its floor, runs and gives its result on a small store.

The bench is not run by CI (it takes most of an hour); without this, a change
of a library signature breaks a case unseen until the next `make bench`.
"""

from benchmarks.cases import CASE_ORDER, CASES, FLOOR_FROM, REAL_FILES

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
