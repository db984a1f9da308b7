"""The lines under the bench's table: each target, what was measured against it, met
or not, and the import's ratio to its typed read and validation at each size."""

from __future__ import annotations

from .report import (
    EVERYDAY_TARGET,
    TARGET_CHART_SECONDS,
    TARGET_DTM_IMPORT_SECONDS,
    TARGET_EVERYDAY_SECONDS,
    TARGET_EXTRACT_SECONDS,
    TARGET_HELP_SECONDS,
    TARGET_INSERT_MB,
    TARGET_INSERT_SECONDS,
    TARGET_ROWS,
    TARGET_SUMMARY_SECONDS,
    TARGET_WORKBOOK_MB,
    TARGET_WORKBOOK_RATIO,
    TARGET_XLSX_IMPORT_SECONDS,
    WORKBOOK_ROWS,
    Outcome,
    find_outcome,
    shown_seconds,
)


def verdict_lines(outcomes: list[Outcome]) -> list[str]:
    """One line per target: what was measured against it, met or not."""
    lines = [
        _million_verdict(outcomes, "insert", "validate+insert 1M"),
        _million_verdict(outcomes, "import csv", "import of a 1M-row CSV"),
    ]
    lines += _import_beside_read_lines(outcomes)
    lines += _summary_verdicts(outcomes) + [_workbook_verdict(outcomes), _chart_verdict(outcomes)]
    lines.append(_xlsx_import_verdict(outcomes))
    lines.append(_fixed_size_verdict(outcomes, "import IOM DTM", TARGET_DTM_IMPORT_SECONDS, "rows"))
    lines.append(
        _fixed_size_verdict(outcomes, "extract 5 MB text", TARGET_EXTRACT_SECONDS, "characters")
    )
    lines += _everyday_verdicts(outcomes)
    shown = find_outcome(outcomes, "--help", None)
    if shown is None:
        lines.append("--help: not run")
    elif shown.measure is None:
        lines.append(f"--help: failed ({shown.error})")
    else:
        seconds = shown.measure.seconds
        lines.append(
            f"--help: {seconds:.3f} s (target < {TARGET_HELP_SECONDS:g} s): "
            f"{_met(seconds < TARGET_HELP_SECONDS)}"
        )
    return lines


def _million_verdict(outcomes: list[Outcome], case: str, label: str) -> str:
    """The 15 s and 2 GB targets of a million rows stored."""
    found = find_outcome(outcomes, case, TARGET_ROWS)
    if found is None or found.measure is None:
        return f"{label}: {'not run' if found is None else f'failed ({found.error})'}"
    m = found.measure
    met = m.seconds < TARGET_INSERT_SECONDS and m.peak_mb < TARGET_INSERT_MB
    return (
        f"{label}: {m.seconds:.1f} s (target < {TARGET_INSERT_SECONDS:g} s), "
        f"peak {m.peak_mb:,.0f} MB (target < {TARGET_INSERT_MB} MB): {_met(met)}"
    )


def _import_beside_read_lines(outcomes: list[Outcome]) -> list[str]:
    """The CSV import at each size against the typed read and validation of its file.

    No target: what storing costs on top of reading and checking, the part of
    the import that no faster reader or validator would take away.
    """
    lines = []
    for imported in (o for o in outcomes if o.case == "import csv" and o.measure and o.rows):
        read = find_outcome(outcomes, "read+validate csv", imported.rows)
        if read is None or read.measure is None:
            continue
        seconds, read_seconds = imported.measure.seconds, read.measure.seconds
        lines.append(
            f"import csv {_size(imported.rows)}: {shown_seconds(seconds)} s = "
            f"{seconds / read_seconds:.1f}x the typed read + pandera validation of the same "
            f"file ({shown_seconds(read_seconds)} s)"
        )
    return lines


def _size(rows: int) -> str:
    """1M, 100k, 10k: a size as the verdicts name it."""
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}M"
    return f"{rows // 1000}k" if rows % 1000 == 0 else f"{rows:,}"


def _summary_verdicts(outcomes: list[Outcome]) -> list[str]:
    lines = []
    for case in ("summary", "summary (CLI)"):
        found = find_outcome(outcomes, case, TARGET_ROWS)
        if found is None or found.measure is None:
            why = "not run" if found is None else f"failed ({found.error})"
            lines.append(f"{case} 1M: {why}")
            continue
        seconds = found.measure.seconds
        lines.append(
            f"{case} 1M: {seconds:.1f} s (target < {TARGET_SUMMARY_SECONDS:g} s end to end): "
            f"{_met(seconds < TARGET_SUMMARY_SECONDS)}"
        )
    return lines


def _workbook_verdict(outcomes: list[Outcome]) -> str:
    found = find_outcome(outcomes, "workbook", WORKBOOK_ROWS)
    if found is None or found.measure is None or found.floor is None:
        why = "not run" if found is None else f"failed ({found.error or 'skipped'})"
        return f"workbook 100k: {why}"
    m = found.measure
    ratio = m.seconds / found.floor.seconds
    over = m.peak_mb - (m.start_mb or 0)
    met = ratio <= TARGET_WORKBOOK_RATIO and over < TARGET_WORKBOOK_MB
    return (
        f"workbook 100k: {m.seconds:.1f} s = {ratio:.1f}x floor (target <= "
        f"{TARGET_WORKBOOK_RATIO:g}x), {over:,.0f} MB above the data (target < "
        f"{TARGET_WORKBOOK_MB} MB): {_met(met)}"
    )


def _xlsx_import_verdict(outcomes: list[Outcome]) -> str:
    found = find_outcome(outcomes, "import xlsx", WORKBOOK_ROWS)
    if found is None or found.measure is None:
        return f"import xlsx 100k: {'not run' if found is None else f'failed ({found.error})'}"
    seconds = found.measure.seconds
    floor = f" (calamine alone {found.floor.seconds:.1f} s)" if found.floor else ""
    return (
        f"import xlsx 100k: {seconds:.1f} s{floor} (target < {TARGET_XLSX_IMPORT_SECONDS:g} s): "
        f"{_met(seconds < TARGET_XLSX_IMPORT_SECONDS)}"
    )


def _fixed_size_verdict(outcomes: list[Outcome], case: str, target: float, unit: str) -> str:
    """The verdict of a case run once at its own size (a real file, a long text)."""
    found = next((o for o in outcomes if o.case == case), None)
    if found is None or found.measure is None:
        return f"{case}: {'not run' if found is None else f'failed ({found.error})'}"
    seconds = found.measure.seconds
    return (
        f"{case} ({found.rows:,} {unit}): {seconds:.1f} s "
        f"(target < {target:g} s): {_met(seconds < target)}"
    )


def _everyday_verdicts(outcomes: list[Outcome]) -> list[str]:
    """The everyday commands (whole processes, median of alternated runs): wall and CPU."""
    lines = []
    for o in outcomes:
        if o.rows is not None or o.measure is None or o.target != EVERYDAY_TARGET:
            continue
        floor = f", import click {o.floor.seconds:.3f} s" if o.floor else ""
        met = _met(o.measure.seconds < TARGET_EVERYDAY_SECONDS)
        lines.append(
            f"{o.case}: {o.measure.seconds:.3f} s, CPU {o.measure.cpu_seconds:.3f} s{floor}"
            f" (target {EVERYDAY_TARGET}): {met}"
        )
    return lines


def _chart_verdict(outcomes: list[Outcome]) -> str:
    charts = [o for o in outcomes if o.case == "one chart" and o.rows]
    if not charts:
        return "one chart: not run"
    found = max(charts, key=lambda o: o.rows or 0)
    if found.measure is None:
        return f"one chart {found.rows:,}: failed ({found.error})"
    seconds = found.measure.seconds
    return (
        f"one chart {found.rows:,}: {seconds:.2f} s (target < {TARGET_CHART_SECONDS:g} s): "
        f"{_met(seconds < TARGET_CHART_SECONDS)}"
    )


def _met(met: bool) -> str:
    return "met" if met else "NOT met"
