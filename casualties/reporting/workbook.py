"""The Excel workbook laid out: real numbers and dates, frozen headers and ids, print set-up.

`write_workbook` only lays out the tables `workbook_tables` built, with
rustpy-xlsxwriter. Every text cell is written as a string, so a quote
beginning with '=' stays text and is never run as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CasualtiesError, FileExists

if TYPE_CHECKING:
    from ..model.frames import pd

EXCEL_CELL_LIMIT = 32_767
SHEETS = ("About", "Latest", "Weekly", "Chart", "Figures", "Sources", "Publications")
# Excel refuses more hyperlinks than this on one sheet; xlsxwriter stops there.
MAX_LINKS_PER_SHEET = 65_530
MAX_URL_LENGTH = 2_079
DATE_FORMAT = "yyyy-mm-dd"
COUNT_FORMAT = "#,##0"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
WRAPPED_COLUMNS = ("quote", "notes", "grade_note", "date_resolution", "text")
WRAPPED_WIDTH = 80
# Whole numbers that are not counts: no thousands separator.
UNCOUNTED_COLUMNS = ("version", "depth")
MAX_WIDTH = 60
MIN_WIDTH = 8
WIDTH_SAMPLE = 2_000
EXCEL_EPOCH = "1899-12-30"
# The last column frozen on the left of each sheet: what names a row stays in view.
FROZEN_THROUGH = {
    "Latest": "population_group",
    "Weekly": "source_id",
    "Chart": "week",
    "Figures": "population_group",
    "Sources": "name",
    "Publications": "id",
}
A4_PAPER = 9  # Excel's paper size code
# Every sheet prints across one page, in landscape on A4, its header row on each page.
PAGE_SETUP = {
    "landscape": True,
    "paper_size": A4_PAPER,
    "fit_to_pages": (1, 0),
    "repeat_rows": 0,
    "margins": {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.5},
    "footer": "&L&A&RPage &P of &N",
}


class WorkbookNotWritten(CasualtiesError):
    def __init__(self, path: Path, reason: str):
        super().__init__(f"cannot write the workbook {path}: {reason}")


class CellTooLong(CasualtiesError):
    def __init__(self, sheet: str, row: int, column: str, length: int):
        super().__init__(
            f"{sheet}:row {row}:{column}: {length:,} characters, more than the "
            f"{EXCEL_CELL_LIMIT:,} Excel holds in a cell; nothing was written. Export fewer "
            "figures at once (--metric, --group, --source, --place)."
        )


@dataclass(frozen=True)
class WorkbookTables:
    """The tables of the workbook's sheets, built and ready to lay out."""

    about: list[tuple[str, str]]
    latest: pd.DataFrame
    weekly: pd.DataFrame
    chart: pd.DataFrame  # a week column, then one column of counts per source
    figures: pd.DataFrame
    sources: pd.DataFrame
    publications: pd.DataFrame
    chart_title: str = ""


def write_workbook(
    tables: WorkbookTables, path: Path, overwrite: bool = False, stamped: str | None = None
) -> None:
    """Lay the tables out as an .xlsx file at `path`; refuses to replace a file unless told.

    `stamped` (a UTC moment) becomes the file's created and modified times,
    so the same tables give the same bytes: a report made again with
    --as-stored is the file it was.

    Written with rustpy-xlsxwriter (rust_xlsxwriter underneath): 100k figures in
    about 2 s where xlsxwriter, the fastest pure-Python writer, takes 15 s. The
    file is written beside `path` and moved into place whole, so a failure
    leaves no partial workbook (and an existing one as it was).
    """
    import rustpy_xlsxwriter as xlsx

    from ..files.atomic import write_whole
    from ..model.frames import pd

    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExists(path)
    about = pd.DataFrame(tables.about, columns=["item", "text"], dtype=object)
    sheets = dict(zip(SHEETS, [about, *_data_tables(tables)], strict=True))
    layout = _Layout()
    for name, frame in sheets.items():
        layout.add(name, frame)
    layout.chart(tables.chart, tables.chart_title)
    cells = [(name, _cell_values(name, frame)) for name, frame in sheets.items()]

    def write(at: str) -> None:
        if stamped is None:
            xlsx.write_worksheets(cells, at, **layout.options())
            return
        raw = Path(at).with_suffix(".raw.xlsx")
        try:
            xlsx.write_worksheets(cells, str(raw), **layout.options())
            _restamped(raw, Path(at), stamped)
        finally:
            raw.unlink(missing_ok=True)

    try:
        write_whole(path, write, ".xlsx")
    except (OSError, ValueError, RuntimeError) as error:
        raise WorkbookNotWritten(path, str(error)) from error


def _restamped(source: Path, target: Path, moment: str) -> None:
    """`source` copied to `target` with `moment` as its created and modified times.

    rust_xlsxwriter dates a workbook's properties by the clock and has no
    option for it; every other part it writes is the same for the same cells.
    Each part is streamed, so a large sheet is never held whole.
    """
    import re
    import shutil
    import zipfile

    times = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            if info.filename == "docProps/core.xml":
                text = times.sub(lambda m: m.group(1) + moment.encode(), old.read(info))
                new.writestr(entry, text)
                continue
            large = info.file_size >= 1 << 31
            with old.open(info) as part, new.open(entry, "w", force_zip64=large) as copy:
                shutil.copyfileobj(part, copy, 1 << 20)


def _data_tables(tables: WorkbookTables) -> list[pd.DataFrame]:
    return [
        tables.latest,
        tables.weekly,
        tables.chart,
        tables.figures,
        tables.sources,
        tables.publications,
    ]


class _Layout:
    """Per-sheet widths, formats, links, filters, panes and charts, for rustpy-xlsxwriter."""

    def __init__(self):
        self.widths: dict[str, dict[str, float]] = {}
        self.formats: dict[str, dict] = {}
        self.links: dict[str, list[str]] = {}
        self.filters: dict[str, bool] = {}
        self.panes: dict[str, dict[str, int]] = {"general": {"row": 1, "col": 0}}
        self.charts: dict[str, list[dict]] = {}

    def add(self, name: str, frame: pd.DataFrame) -> None:
        if name == "About":
            self.widths[name] = {"item": 24, "text": 100}
            self.formats[name] = {"text": _format("wrap")}
            return
        self.filters[name] = True
        self.panes[name] = {"row": 1, "col": frozen_columns(name, frame)}
        self.widths[name] = {str(c): _width(str(c), frame[c]) for c in frame.columns}
        self.formats[name] = {
            str(c): _format(kind) for c in frame.columns if (kind := _column_kind(str(c), frame[c]))
        }
        urls = url_columns(frame)
        if urls and _linkable(frame[urls]):
            self.links[name] = urls

    def chart(self, table: pd.DataFrame, title: str) -> None:
        """A native column chart of the Chart sheet's counts, one series per source."""
        if table.empty or len(table.columns) < 2:
            return
        self.charts["Chart"] = [
            {
                "type": "column",
                "series": [str(c) for c in table.columns[1:]],
                "categories": str(table.columns[0]),
                "title": title,
                "x_axis": "week",
                "y_axis": "people",
                "width": 960,
                "height": 480,
            }
        ]

    def options(self) -> dict:
        return {
            "freeze_panes": self.panes,
            "bold_headers": True,
            "column_widths": self.widths,
            "column_formats": self.formats,
            "url_columns": self.links,
            "autofilter": self.filters,
            "page_setup": {"general": PAGE_SETUP},
            "charts": self.charts,
        }


def frozen_columns(sheet_name: str, frame: pd.DataFrame) -> int:
    """How many columns stay in view on the left: those naming what a row is."""
    last = FROZEN_THROUGH.get(sheet_name)
    names = [str(c) for c in frame.columns]
    return names.index(last) + 1 if last in names else 0


def _format(kind: str):
    from rustpy_xlsxwriter import Format

    if kind == "wrap":
        return Format().set_text_wrap().set_align("top")
    formats = {"date": DATE_FORMAT, "datetime": DATETIME_FORMAT, "count": COUNT_FORMAT}
    return Format().set_num_format(formats[kind])


def _linkable(urls: pd.DataFrame) -> bool:
    """Whether every url can be a link: Excel allows 65,530 on a sheet, 2,079 characters each."""
    values = urls.stack().dropna()
    return len(values) <= MAX_LINKS_PER_SHEET and bool((values.str.len() <= MAX_URL_LENGTH).all())


def _cell_values(sheet_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as Python values (None where missing), texts checked against the cell limit."""
    values = frame.astype(object).where(frame.notna(), None)
    values = values.where(values != "", None)  # an empty text is an empty cell
    values.columns = [str(c) for c in frame.columns]
    for name in values.columns:
        texts = values[name]
        if texts.map(lambda v: isinstance(v, str), na_action="ignore").any():
            _refuse_long_texts(sheet_name, name, texts.tolist())
    return values


def _refuse_long_texts(sheet_name: str, name: str, texts: list) -> None:
    """A longer text would be cut short or spoil the file: refuse it instead."""
    for row, text in enumerate(texts, start=2):
        if isinstance(text, str) and len(text) > EXCEL_CELL_LIMIT:
            raise CellTooLong(sheet_name, row, name, len(text))


def _column_kind(name: str, column: pd.Series) -> str | None:
    """'date', 'datetime', 'count', 'wrap' or None: how a column's cells are shown."""
    from ..model.frames import pd

    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        stamps = column.dropna()
        return "date" if (stamps == stamps.dt.normalize()).all() else "datetime"
    if name in WRAPPED_COLUMNS:
        return "wrap"
    if name not in UNCOUNTED_COLUMNS and pd.api.types.is_integer_dtype(column.dtype):
        return "count"
    return None


def _width(name: str, column: pd.Series) -> float:
    """Wide enough for the header and most values of a sample, within bounds."""
    from ..model.frames import pd

    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return max(len(name), 19 if column.dt.hour.fillna(0).any() else 11) + 1
    if name in WRAPPED_COLUMNS:
        return WRAPPED_WIDTH
    sample = column.head(WIDTH_SAMPLE).dropna().astype(str).str.len()
    longest = int(sample.quantile(0.95)) if len(sample) else 0
    return float(min(MAX_WIDTH, max(MIN_WIDTH, len(name), longest) + 2))


def url_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if str(c) == "url" or str(c).endswith("_url")]
