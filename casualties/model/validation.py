"""Validation of tables against the data contract, with pandera.

The pandera schemas are built from `schemas/tables/*.yaml` (see `contract`):
column types, required values, patterns, vocabularies, minimums, and the
named rules, each implemented once here. Failures are collected lazily and
returned as `Problem` records, one per offending cell.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import Problem, ValidationFailed
from . import contract
from .gazetteer import Gazetteer, default_gazetteer
from .missing import is_missing, plain
from .rules import RULES

if TYPE_CHECKING:
    import pandera.pandas as pa

    from .frames import pd

PANDAS_DTYPES = {
    "string": "str",
    "integer": "Int64",
    "number": "Float64",
    "date": "str",
    "datetime": "str",
}


@dataclass
class References:
    """What rows of a table may point to, beyond the rows being validated."""

    source_ids: set[str] = field(default_factory=set)
    publication_ids: set[str] = field(default_factory=set)
    # Current, active figures that a batch's part_of or supersedes may name,
    # and the other subsets of the same parents.
    figures: pd.DataFrame | None = None
    gazetteer: Gazetteer = field(default_factory=default_gazetteer)
    # Results several rules share (each subset's parent), computed once per frame.
    shared: dict = field(default_factory=dict)


def frame_dtypes(table_name: str) -> dict[str, object]:
    """The pandas dtype of every column of a table."""
    return {c.name: pandas_dtype(c.type) for c in contract.table(table_name).columns}


def pandas_dtype(kind: str):
    """The dtype a contract type is held in; text always in Python objects.

    Named as a dtype, not as "str": pandera resolves "str" once, when it is
    first imported, to Arrow-backed text if pyarrow is installed, whose isin
    made validating 100k figures four times slower (0.5 s -> 2.0 s).
    """
    import numpy as np

    from .frames import pd

    named = PANDAS_DTYPES[kind]
    return pd.StringDtype("python", na_value=np.nan) if named == "str" else named


def conform(frame: pd.DataFrame, table_name: str) -> pd.DataFrame:
    """The frame with a table's columns in declared order, missing ones empty."""
    from .frames import pd

    frame = frame.copy(deep=False)  # copy-on-write: the caller's frame stays as it was
    for name in contract.table(table_name).column_names:
        if name not in frame.columns:
            frame[name] = pd.NA
    return frame


def typed(frame: pd.DataFrame, table_name: str) -> pd.DataFrame:
    """The frame with each column cast to its contract dtype where the values allow."""
    frame = frame.copy(deep=False)
    for name, dtype in frame_dtypes(table_name).items():
        if name in frame.columns and frame[name].dtype != dtype:
            # A column that will not cast is left as it is: its check reports the bad values.
            with contextlib.suppress(TypeError, ValueError, OverflowError):
                frame[name] = frame[name].astype(dtype)
    return frame


def schema_for(table_name: str, references: References | None = None) -> pa.DataFrameSchema:
    """The pandera schema of a table, its rules bound to `references`."""
    import pandera.pandas as pa

    table = contract.table(table_name)
    columns = {c.name: _column_schema(c, references) for c in table.columns}
    rules = RULES.get(table_name, {})
    # The rules handle missing values themselves; pandera's NA filtering would
    # re-scan every column for each rule (6 s of 14 at a million rows).
    checks = [
        pa.Check(_bind(rules[rule.name], references, table_name), name=rule.name, ignore_na=False)
        for rule in table.rules
    ]
    return pa.DataFrameSchema(
        columns, checks=checks, strict=True, coerce=True, name=table_name, ordered=False
    )


def _bind(rule: Callable, references: References | None, table_name: str) -> Callable:
    return lambda frame: rule(_counts_as_numbers(frame, table_name), references or References())


def _counts_as_numbers(frame: pd.DataFrame, table_name: str) -> pd.DataFrame:
    """The frame with numeric columns that failed their type as numbers, bad cells missing.

    A count typed 'three' or '1.5' is reported by its column's type check; the rules
    comparing counts then see it as missing instead of failing on text.
    """
    from .frames import pd

    declared = frame_dtypes(table_name)
    loose = [
        name
        for name in frame.columns
        if declared.get(name) in ("Int64", "Float64")
        and not pd.api.types.is_numeric_dtype(frame[name].dtype)
    ]
    if not loose:
        return frame
    fixed = {n: _as_numbers(frame[n], declared[n]) for n in loose}
    return frame.assign(**fixed)


def _as_numbers(values: pd.Series, dtype: str) -> pd.Series:
    """The values that read as numbers of the dtype (whole ones for Int64), others missing."""
    from .frames import pd

    numbers = pd.to_numeric(values, errors="coerce")
    if dtype == "Int64":
        numbers = numbers.where(numbers % 1 == 0)
    return numbers.astype(dtype)


def _column_schema(column: contract.Column, references: References | None) -> pa.Column:
    import pandera.pandas as pa

    checks = []
    if column.vocabulary:
        terms = contract.terms(column.vocabulary)
        checks.append(_check(_in(terms), "isin", {"allowed_values": terms}))
    if column.pattern:
        checks.append(_check(_matching(column.pattern), "str_matches", {"pattern": column.pattern}))
    if column.min is not None:
        checks.append(
            _check(_at_least(column.min), "greater_than_or_equal_to", {"min_value": column.min})
        )
    if column.type == "date":
        checks.append(_check(_is_iso_day, "date_is_iso"))
    if column.type == "datetime":
        checks.append(_check(_is_iso_date, "datetime_is_iso"))
    if column.type in ("date", "datetime"):
        checks.append(_check(_plausible_days, "date_plausible"))
    if column.type == "string" and not column.vocabulary:
        # A vocabulary's terms are neither blank nor long: checking its terms is enough.
        checks.append(_check(_says_something_a_cell_holds, "text_is_a_value"))
    if column.gazetteer:
        checks.append(_check(_places_known(references), "places_in_gazetteer"))
    if column.references and references is not None:
        checks.append(_reference_check(column, references))
    return pa.Column(
        pandas_dtype(column.type),
        checks=checks,
        nullable=not column.required,
        unique=column.unique,
        required=True,
        description=column.description,
    )


def _check(function: Callable, name: str, statistics: dict | None = None) -> pa.Check:
    """A column check that lets missing values pass itself (nullability is checked apart).

    pandera's own NA filtering costs a scan of the column per check: 1.5 s of
    validating a million figures.
    """
    import pandera.pandas as pa

    return pa.Check(function, name=name, ignore_na=False, statistics=statistics)


def _passing(values: pd.Series, bad_among: Callable[[list], list]) -> pd.Series:
    """True where a value passes: each distinct value is tested once, missing ones pass.

    Valid columns, the usual case, cost one `unique()` and no mask arithmetic
    (a million figures hold a few thousand distinct values per column).
    """
    import numpy as np

    from .frames import pd

    # As a plain object array: iterating pandas' string array goes value by value.
    distinct = np.asarray(values.unique(), dtype=object)
    bad = bad_among(distinct[~pd.isna(distinct)].tolist())
    if not bad:
        return pd.Series(True, index=values.index)
    return ~values.isin(bad)


def _in(terms: list[str]) -> Callable:
    allowed = set(terms)
    return lambda values: _passing(values, lambda d: [v for v in d if v not in allowed])


def _at_least(minimum: float) -> Callable:
    def check(values: pd.Series) -> pd.Series:
        from .frames import pd

        # Text where a number belongs is its type check's to report, not this one's
        # (held as objects, or as strings when no cell of the column was a number).
        numeric = pd.api.types.is_numeric_dtype(values.dtype)
        numbers = values if numeric else pd.to_numeric(values, errors="coerce")
        return ((numbers >= minimum) | numbers.isna()).fillna(True).astype(bool)

    return check


def _is_iso_date(values: pd.Series) -> pd.Series:
    return _passing(values, _not_iso_dates)


def _is_iso_day(values: pd.Series) -> pd.Series:
    """A real day written YYYY-MM-DD and nothing more (a time belongs in no date column)."""
    return _passing(values, lambda distinct: _not_iso_dates(distinct, whole=True))


def _not_iso_dates(distinct: list, whole: bool = False) -> list:
    from .frames import pd

    text = pd.Series(distinct, dtype="object").astype("str")
    days = text if whole else text.str.slice(0, 10)
    parsed = pd.to_datetime(days, format="%Y-%m-%d", errors="coerce")
    if whole:
        parsed = parsed.where(text.str.len() == 10)
    return [v for v, ok in zip(distinct, parsed.notna(), strict=True) if not ok]


def _plausible_days(values: pd.Series) -> pd.Series:
    """Days from contract.EARLIEST_DAY to tomorrow (a day ahead somewhere on Earth).

    0000-01-01 or 9999-12-31 is a typo, and breaks every spreadsheet the store
    is written to; a report from the future is one too.
    """
    first, last = contract.EARLIEST_DAY, latest_plausible_day()
    return _passing(values, lambda d: [v for v in d if not first <= str(v)[:10] <= last])


def latest_plausible_day() -> str:
    from datetime import date, timedelta

    return (date.today() + timedelta(days=1)).isoformat()


def _says_something_a_cell_holds(values: pd.Series) -> pd.Series:
    """Text is a value only if it says something (empty or only spaces is not), and no
    longer than a spreadsheet cell holds: every text must survive `export xlsx`.

    One check, one pass over the distinct values, for both: each costs a
    `unique()` of columns like quote, a million distinct texts.
    """
    return _passing(values, lambda d: [v for v in d if _text_fault(v)])


def _text_fault(value) -> str | None:
    """Why a text is no value ('blank', 'too long'), or None."""
    text = str(value)
    if len(text) > contract.LONGEST_TEXT:
        return "too long"
    return None if text.strip() else "blank"


def _matching(pattern: str) -> Callable:
    """A check that every value matches `pattern`, testing each distinct value once."""
    compiled = re.compile(pattern)

    def check(values: pd.Series) -> pd.Series:
        if values.nunique() * 2 > len(values):
            # Mostly unique (ids): one vectorised match beats a Python loop.
            return values.astype("str").str.fullmatch(pattern) | values.isna()
        return _passing(values, lambda d: [v for v in d if not compiled.fullmatch(str(v))])

    return check


def _places_known(references: References | None) -> Callable:
    gazetteer = (references or References()).gazetteer

    def check(values: pd.Series) -> pd.Series:
        return _each_listed_in(values, gazetteer.places)

    return check


def _each_listed_in(values: pd.Series, known) -> pd.Series:
    """True where every ';'-separated item of the value is in `known`."""
    sep = contract.LIST_SEPARATOR
    return _passing(
        values, lambda d: [v for v in d if not all(p in known for p in str(v).split(sep))]
    )


def _reference_check(column: contract.Column, references: References) -> pa.Check:

    target_table = column.references.split(".")[0]

    def check(values: pd.Series) -> pd.Series:
        if target_table == "sources":
            known = references.source_ids
            return _passing(values, lambda d: [v for v in d if v not in known])
        if target_table == "publications":
            return _each_listed_in(values, references.publication_ids)
        if references.figures is None:
            return values.isna()
        return values.isna() | values.isin(references.figures["id"])

    return _check(check, f"references_{target_table}")


def problems_in(
    table_name: str,
    frame: pd.DataFrame,
    references: References | None = None,
    row_labels: pd.Series | None = None,
    file: str | None = None,
) -> list[Problem]:
    """Every violation of the contract in `frame`, one Problem per cell."""
    import pandera.pandas as pa

    schema = schema_for(table_name, references)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return _problems_from(errors.failure_cases, table_name, frame, row_labels, file)
    return []


def raise_problems(problems: list[Problem]) -> None:
    if problems:
        raise ValidationFailed(problems)


def _problems_from(cases, table_name, frame, row_labels, file) -> list[Problem]:
    table = contract.table(table_name)
    rule_columns = {r.name: r.columns[0] for r in table.rules}
    rule_text = {r.name: r.description for r in table.rules}
    labels = row_labels if row_labels is not None else _default_labels(frame, table_name)
    problems, seen = [], set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = rule_columns.get(check, case.column)
        key = (check, column, case.index)
        if key in seen:
            continue
        seen.add(key)
        row = None if is_missing(case.index) else labels.get(case.index)
        value = (
            frame.at[case.index, column]
            if row is not None and column in frame
            else case.failure_case
        )
        reason = rule_text.get(check) or _describe(check, table, column, value)
        problems.append(
            Problem(table_name, str(row or "-"), str(column or "-"), plain(value), reason, file)
        )
    return problems


def _default_labels(frame, table_name) -> pd.Series:
    key = "id" if "id" in frame.columns else None
    if key is None or frame[key].isna().any():
        return frame.index.to_series().map(
            lambda i: f"row {i + 1}" if isinstance(i, int) else str(i)
        )
    return frame[key].astype(str)


def _describe(check: str, table: contract.Table, column: str, value=None) -> str:
    """A sentence a user understands for a pandera check name (and the value it failed)."""
    try:
        declared = table.column(column)
    except KeyError:
        return f"{check}"
    if check == "text_is_a_value":
        if _text_fault(value) == "too long":
            limit = contract.LONGEST_TEXT
            return f"is longer than {limit:,} characters, what a spreadsheet cell holds"
        return "is blank: give the text, or leave the cell empty where it is optional"
    if check.startswith("isin"):
        return (
            f"not a {declared.vocabulary} term ({', '.join(contract.terms(declared.vocabulary))})"
        )
    if check.startswith("str_matches"):
        return f"does not have the form {declared.pattern}"
    if check.startswith("greater_than_or_equal_to"):
        return f"must be ≥ {declared.min:g}"
    if check == "not_nullable":
        return "is required"
    if check == "field_uniqueness":
        return "is not unique"
    if check.endswith("_is_iso"):
        return "is not a real date in the form YYYY-MM-DD"
    if check == "date_plausible":
        return f"is not between {contract.EARLIEST_DAY} and {latest_plausible_day()}"
    if check == "places_in_gazetteer":
        return "names a place code not in the gazetteer (data/gazetteer/*.csv)"
    if check.startswith("references_"):
        return f"names no stored {check.removeprefix('references_')[:-1]}"
    if check.startswith("coerce_dtype") or check.startswith("dtype"):
        return f"is not a{'n' if declared.type[0] in 'aeiou' else ''} {declared.type}"
    if check == "column_in_dataframe":
        return "column is missing"
    if check == "column_in_schema":
        return "is not a column of this table"
    return check
