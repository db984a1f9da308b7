"""The everyday commands as an analyst feels them: whole processes on the example store.

Each command (`show`, `list` of a few figures, the example's `summary`,
`place`, `vocab`, `extract` of one article) runs as its own process, alternated
with its floor, `python -c "import click"` (what any click command pays to
start); the median of the runs is shown, wall and CPU seconds. Each runs once
untimed first, so a summary asked again is answered from memory, as at an
analyst's prompt; the summary made afresh (memory off, as after a write) is
timed too. The package's bytecode is compiled first, as a regular install
does: under PYTHONDONTWRITEBYTECODE an editable install would compile every
module at every start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from .report import EVERYDAY_TARGET, Measure, Outcome, median_of

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_cc54087b8b804d8c.txt"
COMMANDS = {
    "show": ["show", "syr-wh-civilians-killed-2024-12-01"],
    "list (one source)": ["list", "--source", "afp"],
    "summary (example)": ["summary"],
    "place": ["place", "Idlib"],
    "vocab": ["vocab"],
    "extract (one article)": ["extract", str(SEED), "--published", "2024-12-06"],
}
# Timed with answers off: what the first summary after a write costs.
MADE_AFRESH = {"summary (example, made)": ["summary"]}
RUNS = 3


def everyday_outcomes(work: Path, runs: int = RUNS) -> list[Outcome]:
    """Each everyday command's median beside its floor's, on the example store."""
    casualties = str(Path(sys.executable).with_name("casualties"))
    db = work / "everyday.db"
    package = Path(__file__).resolve().parents[1] / "casualties"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    subprocess.run(
        [casualties, "--db", str(db), "init", "--example"], check=True, capture_output=True
    )
    floor_argv = [sys.executable, "-c", "import click"]
    remembered = {**os.environ, "CASUALTIES_CACHE_DIR": str(work / "answers")}
    afresh = {**remembered, "CASUALTIES_NO_CACHE": "1"}
    timed = [(name, args, remembered) for name, args in COMMANDS.items()]
    timed += [(name, args, afresh) for name, args in MADE_AFRESH.items()]
    outcomes = []
    for name, args, env in timed:
        argv = [casualties, "--db", str(db), *args]
        try:
            timed_run(argv, env)
            measure, floor = in_turn(argv, floor_argv, runs, env)
        except (OSError, RuntimeError) as error:
            outcomes.append(Outcome(name, None, None, None, error=str(error)))
            continue
        outcomes.append(Outcome(name, None, measure, floor, EVERYDAY_TARGET))
    return outcomes


def in_turn(
    argv: list[str], floor_argv: list[str], runs: int, env: dict[str, str] | None = None
) -> tuple[Measure, Measure]:
    """The command and its floor run in turn `runs` times: each one's median (wall, CPU)."""
    case, floor = [], []
    for _ in range(runs):
        case.append(timed_run(argv, env))
        floor.append(timed_run(floor_argv, env))
    return median_of(case), median_of(floor)


def timed_run(argv: list[str], env: dict[str, str] | None = None) -> Measure:
    """Wall seconds, CPU seconds and peak MB of one run of `argv` (from wait4)."""
    to_null = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_WRONLY, 0) for fd in (1, 2)]
    started = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env or os.environ, file_actions=to_null)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {os.waitstatus_to_exitcode(status)}")
    return Measure(elapsed, usage.ru_maxrss / 1024, cpu_seconds=usage.ru_utime + usage.ru_stime)
