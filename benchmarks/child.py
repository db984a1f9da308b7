"""One case, timed alone in its own process: what `python -m benchmarks.run --child`
runs, printing its Measure on a line of its own for the runner to read.

Its input is prepared untimed, then the process's peak-RSS mark is reset
(Linux /proc/self/clear_refs), so the peak reported is that of the timed call
alone, with its input already held; CPU seconds count the processes it waited
for (a case that runs the CLI).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import resource
import time
from pathlib import Path

from .cases import CASES, csv_rows

RUSAGE_SELF, RUSAGE_CHILDREN = resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN


RESULT_PREFIX = "RESULT "


def run_case(case: str, floor: bool, rows: int, seed: int, work: Path) -> dict:
    """Prepare a case untimed, then time it alone; the measure as a dict."""
    library, floor_job, expected, as_expected = CASES[case]
    job = (floor_job if floor else library)(rows, seed, work)
    reset = _reset_peak_memory()
    start_mb = _current_rss_mb()
    cpu_before = _cpu_seconds()
    started = time.perf_counter()
    result = job()
    seconds = time.perf_counter() - started
    cpu_seconds = _cpu_seconds() - cpu_before
    # A case that runs the CLI: its peak is the child's (RUSAGE_CHILDREN is 0 otherwise).
    peak_kb = max(resource.getrusage(who).ru_maxrss for who in (RUSAGE_SELF, RUSAGE_CHILDREN))
    peak_mb = peak_kb / 1024
    measure = {"seconds": seconds, "peak_mb": peak_mb, "start_mb": start_mb, "peak_reset": reset}
    measure["cpu_seconds"] = cpu_seconds
    if not as_expected(rows, result):
        shown = result if isinstance(result, int) else f"{csv_rows(result):,} rows"
        measure["error"] = f"expected {expected}, got {shown}"
    return measure


def _cpu_seconds() -> float:
    """User + system seconds of this process and of the processes it has waited for.

    A case that runs the CLI spends its CPU in a child, counted once it has ended.
    """
    usages = (resource.getrusage(who) for who in (RUSAGE_SELF, RUSAGE_CHILDREN))
    return sum(usage.ru_utime + usage.ru_stime for usage in usages)


def _reset_peak_memory() -> bool:
    """Free what preparing the input left behind and restart the peak-RSS mark."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _current_rss_mb() -> float | None:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
    return int(kilobytes) / 1024
