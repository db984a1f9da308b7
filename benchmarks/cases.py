"""The bench's case list: each case's job, its floor, the result it must give.

The runner runs the cases in CASE_ORDER (the later ones read the store the insert
case writes), each job and its floor in turn, a few times, each run in a process
of its own. A few cases have no floor of their own but the sum of others'
(FLOOR_FROM), and the xlsx import stops where a sheet's rows do (ONLY_UP_TO).
The jobs live in `store_cases`, `report_cases` and `file_cases`.
"""

from __future__ import annotations

from collections.abc import Callable

from .extract_cases import TEXT_CHARACTERS, extract_floor_job, extract_job
from .file_cases import (
    DTM_ROWS,
    export_csv_job,
    import_csv_floor_job,
    import_csv_job,
    import_dtm_floor_job,
    import_dtm_job,
    import_xlsx_floor_job,
    import_xlsx_job,
    read_csv_floor_job,
    read_validate_csv_job,
)
from .report_cases import chart_floor_job, chart_job, pack_job, workbook_floor_job, workbook_job
from .store_cases import (
    insert_floor_job,
    insert_job,
    list_floor_job,
    list_job,
    summary_cli_job,
    summary_floor_job,
    summary_job,
    validate_floor_job,
    validate_job,
)

# list and the cases after it read the store insert wrote
CASE_ORDER = ("validate", "insert", "list", "summary", "summary (CLI)", "workbook", "pack")
CASE_ORDER += ("one chart", "export csv", "import csv", "read+validate csv", "import xlsx")
# Cases whose floor is not run but made of other cases' floors at the same size (summed).
FLOOR_FROM = {"summary (CLI)": ("summary",), "pack": ("summary", "workbook")}
FLOOR_FROM["export csv"] = ("list",)  # read_sql_query + to_csv of the same figures
SKIPPED_BY_WORKBOOK_FLAG = ("workbook", "pack")  # the pack writes the workbook too
# Excel holds 1,048,576 rows a sheet: a million-figure workbook is not imported.
ONLY_UP_TO = {"import xlsx": 100_000}


def csv_rows(text: object) -> int:
    """Rows of CSV text, its header not counted."""
    return str(text).rstrip("\n").count("\n")


# case: (library job, floor job, what the result should be, how to read the result)
CASES: dict[str, tuple[Callable, Callable, str, Callable[[int, object], bool]]] = {
    "validate": (validate_job, validate_floor_job, "no problems", lambda n, r: r == 0),
    "insert": (insert_job, insert_floor_job, "every row stored", lambda n, r: r == n),
    "list": (list_job, list_floor_job, "every row listed", lambda n, r: csv_rows(r) == n),
    "summary": (summary_job, summary_floor_job, "a summary", lambda n, r: r > 0),
    "summary (CLI)": (summary_cli_job, summary_floor_job, "exit code 0", lambda n, r: r == 1),
    "workbook": (workbook_job, workbook_floor_job, "every figure", lambda n, r: r == n),
    "pack": (pack_job, summary_floor_job, "a pack", lambda n, r: r > 0),
    "one chart": (chart_job, chart_floor_job, "a chart", lambda n, r: r > 0),
    "export csv": (export_csv_job, list_floor_job, "every row", lambda n, r: csv_rows(r) == n),
    "import csv": (import_csv_job, import_csv_floor_job, "every row", lambda n, r: r == n),
    # The import csv case's file read typed and validated, not stored: every row passes.
    "read+validate csv": (
        read_validate_csv_job,
        read_csv_floor_job,
        "every row",
        lambda n, r: r == n,
    ),
    "import xlsx": (import_xlsx_job, import_xlsx_floor_job, "every row", lambda n, r: r == n),
    # A real file of fixed size, run at that size only (REAL_FILES): every row of it read.
    "import IOM DTM": (import_dtm_job, import_dtm_floor_job, "every row", lambda n, r: r == n),
    # A long text of fixed size, likewise: drafts proposed and written.
    "extract 5 MB text": (extract_job, extract_floor_job, "drafts", lambda n, r: r > 0),
}
# Cases on a real file: run at the file's own size only, whatever sizes are asked.
REAL_FILES = {"import IOM DTM": DTM_ROWS, "extract 5 MB text": TEXT_CHARACTERS}
