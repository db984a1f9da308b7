"""HDX datasets tagged by others: each count of the wide layout becomes a figure.

An HDX file carries an HXL hashtag row but none of this tool's fields: a row
per place and date, a column per count (#affected+killed,
#affected+killed+children, #affected+idps, #affected+idps+m). It says
nothing of who counted or where it was published, so the analyst says those
(`--source`, `--publication`), and whether counts of a flow run from an
anchor or cover the day (`--basis`, `--since`; a stock such as IDPs present
stands at its day). Which hashtag means which metric and group is
`schemas/hxl.yaml`'s, as for the export.

Publishers split one count over several rows: IOM DTM gives a place's IDPs
on a day as one row per displacement reason (#cause+type) and place of
origin (#adm1+code+origin). Rows that agree on every other tagged column are
parts of one count: their sum is the figure, each part named in its notes,
never a figure of its own that a total could take for the whole. A column
splitting another of the same row (+m, +f of #affected+idps) is a subset of
it. Rows at different admin levels stay apart: the places rule keeps a
country's count from being added to its provinces'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import CasualtiesError, InvalidInput, UnknownPlace
from .hxl import hashtags, is_hashtag_row, tag_key

if TYPE_CHECKING:
    from ..model.frames import pd

# Where a row says its day and its place, the finest first.
DATE_TAGS = {
    "start": ("#date+start",),
    "end": ("#date+end", "#date", "#date+reported", "#date+occurred"),
    "reported": ("#date+reported",),
}
PLACE_CODE_TAGS = ("#adm3+code", "#adm2+code", "#adm1+code", "#adm+code", "#loc+code")
PLACE_CODE_TAGS += ("#country+code",)
PLACE_NAME_TAGS = ("#adm3+name", "#adm2+name", "#adm1+name", "#adm+name", "#loc+name")
PLACE_NAME_TAGS += ("#country+name",)
BASES = ("incident", "cumulative", "stock")
# Attributes HDX files add to a count that say nothing of whom it counts.
NEUTRAL_ATTRIBUTES = frozenset({"num", "total", "ind"})
# Columns whose values split one count into parts: the cause, a place of origin.
SPLITTING_NAMES = frozenset({"#cause"})
SPLITTING_ATTRIBUTES = frozenset({"origin"})
# Columns that name a row, not what it counts: they never keep parts apart.
ROW_ID_NAMES = frozenset({"#id"})
# How many parts a figure's notes list before saying how many more.
PARTS_LISTED = 50
# How many runs of rows a warning names before saying how many more.
RUNS_SHOWN = 6


@dataclass(frozen=True)
class Provenance:
    """What an HDX file does not say about its counts, as the analyst tells it."""

    source_id: str
    publication_id: str
    # incident: each row's own day; cumulative: running totals; stock: standing at the
    # row's day. None: a stock metric's (IDPs present) own, any other refused.
    basis: str | None
    since: str | None = None  # the anchor of cumulative counts, unless the file has #date+start
    # Hashtags of columns the analyst leaves unread (`--skip`): never a count, a part
    # or a note, and never keeping rows apart.
    skipped: tuple[str, ...] = ()

    def __post_init__(self):
        if self.basis is not None and self.basis not in BASES:
            raise InvalidInput(f"--basis must be one of {', '.join(BASES)}, not {self.basis!r}")

    def basis_of(self, metric: str, column: str) -> str:
        """The basis of a count of `metric`: the analyst's, else a stock metric's own."""
        from ..model.counting import default_basis

        if self.basis is not None:
            return self.basis
        if default_basis(metric) == "stock":
            return "stock"
        raise InvalidInput(
            f"{column} counts {metric}: give --basis incident or cumulative (the file does not "
            "say whether each row is its own day's count or a running total)"
        )


class NotAnHdxFile(CasualtiesError):
    pass


@dataclass
class HdxRead:
    """The figures an HDX file holds (`_row`: the position of the row each comes from,
    the first where it sums several) and what the analyst should know of the reading."""

    figures: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def hdx_figures(rows: list[list], provenance: Provenance, file_name: str) -> HdxRead:
    """A figure per count of the tagged rows, parts of one count summed into it."""
    from ..model.frames import pd
    from ..store.figures import content_ids

    at = hashtag_row(rows, file_name)
    layout = _Layout(rows[at], rows[at - 1] if at > 0 else rows[at], file_name, provenance.skipped)
    if provenance.basis == "cumulative" and provenance.since is None and layout.start is None:
        raise InvalidInput(
            f"{file_name}: cumulative counts run from an anchor: give --since DATE "
            "(the file has no #date+start)"
        )
    places = _Places(file_name)
    groups: dict[tuple, list[tuple[int, list]]] = {}
    for position, row in enumerate(rows[at + 1 :]):
        if any(_cell(row, c) is not None for c in layout.counts):
            groups.setdefault(layout.key(row), []).append((position, row))
    figures = []
    for members in groups.values():
        figures.extend(_group_figures(members, layout, places, provenance, file_name, at))
    frame = pd.DataFrame(figures)
    if len(frame):
        frame["id"] = content_ids(frame)
        ids = dict(zip(frame["_key"], frame["id"], strict=True))
        frame["part_of"] = [ids.get(key) for key in frame.pop("_parent")]
        frame = frame.drop(columns="_key")
    return HdxRead(frame, [*layout.warnings, *places.warnings])


def _group_figures(members, layout, places, provenance, file_name: str, at: int) -> list[dict]:
    """The figures of rows that are parts of one count: one per count column, summed."""
    first_position, first_row = members[0]
    common = layout.row_fields(first_row, provenance)
    code, precision, words, note = places.of(layout, first_row, at + 2 + first_position)
    common |= {"place_codes": code, "place_precision": precision, "place_reported": words}
    numbers = [at + 2 + position for position, _ in members]
    parts = [layout.part_words(row) for _, row in members]
    figures = []
    for column, (metric, group) in layout.counts.items():
        rows = [row for _, row in members]
        cells = [(n, w, _cell(r, column)) for n, w, r in zip(numbers, parts, rows, strict=True)]
        given = [(n, w, c) for n, w, c in cells if c is not None]
        if not given:
            continue
        low, high, quote = _summed(given, len(cells), layout.label(column), file_name)
        parent = layout.parents.get(column)
        notes = [f"HDX column {layout.tag_text(column)}", layout.row_notes(first_row)]
        if len(members) > 1:
            notes.append(_parts_note(given))
        figures.append(
            {
                "metric": metric,
                "population_group": group,
                "value_low": low,
                "value_best": low if high is not None else None,
                "value_high": high,
                "qualifier": "exact" if high is not None else "at_least",
                "quote": quote,
                "source_term": layout.label(column),
                "cause": layout.cause(row for _, row in members),
                "notes": "; ".join(filter(None, [*notes, note])),
                "_row": first_position,
                "_key": (first_position, column),
                "_parent": None if parent is None else (first_position, parent),
                **common,
                "basis": provenance.basis_of(metric, layout.tag_text(column)),
            }
        )
    return _without_orphans(figures)


def _summed(given: list[tuple], rows: int, label: str, file_name: str) -> tuple:
    """Low, high (None where open) and quote of a count over the rows giving it."""
    from .cells import whole_number

    counts = [whole_number(str(c).strip()) for _, _, c in given]
    if len(given) == rows == 1:
        (number, _, cell), count = given[0], counts[0]
        return count, count, f"{label}: {str(cell).strip()} ({file_name}, row {number})"
    if not all(isinstance(c, int) for c in counts):
        bad = next(c for c in counts if not isinstance(c, int))
        return bad, bad, f"{label}: {bad} ({file_name}, rows {_spans([n for n, _, _ in given])})"
    total = sum(counts)
    where = f"{file_name}, rows {_spans([n for n, _, _ in given])}"
    if len(given) < rows:
        # A row of the count that leaves this cell empty: the sum is a floor, not the count.
        quote = f"{label}: at least {total:,}, the sum of {len(given)} of {rows} rows ({where})"
        return total, None, quote
    return total, total, f"{label}: {total:,}, the sum of {len(given)} rows ({where})"


def _parts_note(given: list[tuple]) -> str:
    """The parts a summed figure is made of, as the file split them."""
    from .cells import whole_number

    listed = [f"{w or 'row ' + str(n)}: {whole_number(str(c).strip())}" for n, w, c in given]
    more = len(listed) - PARTS_LISTED
    shown = "; ".join(listed[:PARTS_LISTED]) + (f"; and {more} more" if more > 0 else "")
    return f"parts: {shown}"


def _spans(numbers: list[int], shown: int | None = None) -> str:
    """Row numbers as runs: 5–9, 12; past `shown` runs, how many rows more."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs[:shown])
    rest = sum(b - a + 1 for a, b in runs[shown:]) if shown is not None else 0
    return text + (f" and {rest} more" if rest else "")


def _without_orphans(figures: list[dict]) -> list[dict]:
    """A subset whose whole has no figure in the row stands on its own."""
    keys = {f["_key"] for f in figures}
    for figure in figures:
        if figure["_parent"] not in keys:
            figure["_parent"] = None
    return figures


def _cell(row: list, position: int | None):
    if position is None or position >= len(row):
        return None
    value = row[position]
    return None if value is None or str(value).strip() == "" else value


def hashtag_row(rows: list[list], file_name: str) -> int:
    """Where the file's hashtag row is, from 0."""
    at = next((n for n, r in enumerate(rows[:20]) if is_hashtag_row(r)), None)
    if at is None:
        raise NotAnHdxFile(f"{file_name}: no HXL hashtag row in the first 20 rows")
    return at


class _Layout:
    """What each tagged column holds: counts, dates, places, parts, the rest."""

    def __init__(self, tag_row: list, labels: list, file_name: str, skipped=()):
        self.tag_row, self.labels = tag_row, labels
        tags = [tag_key(str(v)) if str(v or "").strip() else None for v in tag_row]
        self.warnings: list[str] = []
        unread = {tag_key(t) for t in skipped}
        left_out = [n for n, tag in enumerate(tags) if tag is not None and tag in unread]
        if left_out:
            named = self.columns_named(left_out)
            self.warnings.append(f"{file_name}: columns left unread, as asked: {named}")
        tags = [None if n in left_out else tag for n, tag in enumerate(tags)]
        self.left_out = set(left_out)
        self.skipped: set[int] = set()
        self.counts = self._counts(tags, file_name)
        if not self.counts:
            wanted = ", ".join(hashtags()["metrics"].values())
            raise NotAnHdxFile(
                f"{file_name}: no column of counts ({wanted}, with group attributes)"
            )
        self.parents = _parent_columns(self.counts)
        where = {tag: n for n, tag in enumerate(tags) if tag is not None}

        def first(candidates):
            return next((where[tag_key(t)] for t in candidates if tag_key(t) in where), None)

        self.start = first(DATE_TAGS["start"])
        self.end = first(DATE_TAGS["end"])
        self.reported = first(DATE_TAGS["reported"])
        self.codes = [where[tag_key(t)] for t in PLACE_CODE_TAGS if tag_key(t) in where]
        self.names = [where[tag_key(t)] for t in PLACE_NAME_TAGS if tag_key(t) in where]
        # Each code column's name column of the same level (#adm2+code, #adm2+name).
        self.name_beside = {
            where[tag_key(code)]: where.get(tag_key(code.replace("+code", "+name")))
            for code in PLACE_CODE_TAGS
            if tag_key(code) in where
        }
        self.splitting = [
            n
            for n, tag in enumerate(tags)
            if tag is not None and (tag[0] in SPLITTING_NAMES or tag[1] & SPLITTING_ATTRIBUTES)
        ]
        self.causes = [n for n in self.splitting if tags[n][0] in SPLITTING_NAMES]
        used = {*self.counts, *self.skipped, *self.splitting, self.start, self.end, self.reported}
        used |= {*self.codes, *self.names}
        # Tagged columns that neither place, date nor split a count, kept in the notes
        # (a survey round, an operation, an assessment type) and keeping counts apart.
        self.keeping = [
            n
            for n, tag in enumerate(tags)
            if tag is not None
            and n not in used
            and tag[0] not in ROW_ID_NAMES
            and not tag[0].startswith("#date")
        ]
        unused = [
            n
            for n, tag in enumerate(tags)
            if n not in {*used, *self.keeping, *self.left_out}
            and (tag is not None or _text(tag_row[n]))
        ]
        if unused:
            named = self.columns_named(unused)
            self.warnings.append(
                f"{file_name}: columns not read (a row id, a date beside the one used, or no "
                f"hashtag): {named}"
            )

    def columns_named(self, positions: list[int]) -> str:
        """Columns as a spreadsheet numbers them, with their hashtag (else their header)."""
        return ", ".join(f"{n + 1} ({self.tag_text(n) or self.label(n)})" for n in positions)

    def _counts(self, tags: list, file_name: str) -> dict[int, tuple[str, str]]:
        """Column position → (metric, population group) for each column of counts."""
        mapping = hashtags()
        metrics = {tag_key(tag): metric for metric, tag in mapping["metrics"].items()}
        groups = {frozenset(tag_key("#x" + a)[1]): g for g, a in mapping["groups"].items()}
        found = {}
        for position, tag in enumerate(tags):
            if tag is None:
                continue
            name, attributes = tag
            metric = next(
                (m for (n, a), m in metrics.items() if n == name and a <= attributes), None
            )
            if metric is None:
                continue
            own = next(a for (n, a), m in metrics.items() if m == metric)
            group = groups.get(frozenset(attributes - own - NEUTRAL_ATTRIBUTES))
            if group is None:
                known = ", ".join(f"+{'+'.join(sorted(a))}" for a in groups if a)
                self.warnings.append(
                    f"{file_name}: column {position + 1} ({self.tag_text(position)}) skipped: "
                    f"no population group in schemas/hxl.yaml has those attributes ({known})"
                )
                self.skipped.add(position)
                continue
            found[position] = (metric, group)
        return found

    def key(self, row: list) -> tuple:
        """What rows must agree on to be parts of one count: all but parts and counts."""
        columns = [*self.keeping, self.start, self.end, self.reported, *self.codes, *self.names]
        return tuple(_text(_cell(row, c)).casefold() for c in columns)

    def part_words(self, row: list) -> str:
        """What sets a part apart: its cause and origin, as the file says them."""
        return " / ".join(_text(_cell(row, c)) for c in self.splitting if _cell(row, c) is not None)

    def cause(self, rows) -> str | None:
        """The causes the rows give, each once (HXL lists are ';'-joined), in order met."""
        found: dict[str, str] = {}
        for row in rows:
            for column in self.causes:
                for term in _text(_cell(row, column)).split(";"):
                    if term.strip():
                        found.setdefault(term.strip().casefold(), term.strip())
        return "; ".join(found.values()) or None

    def row_notes(self, row: list) -> str:
        return "; ".join(
            f"{self.label(c)}: {_text(_cell(row, c))}"
            for c in self.keeping
            if _cell(row, c) is not None
        )

    def label(self, column: int) -> str:
        label = self.labels[column] if column < len(self.labels) else None
        return str(label or "").strip() or self.tag_text(column)

    def tag_text(self, column: int) -> str:
        return str(self.tag_row[column]).strip()

    def row_fields(self, row: list, provenance: Provenance) -> dict:
        from .cells import iso_day

        end = iso_day(_cell(row, self.end)) if _cell(row, self.end) is not None else None
        start = iso_day(_cell(row, self.start)) if _cell(row, self.start) is not None else None
        if start is None:
            # A toll of the day, or a level standing on it, runs from the day itself.
            start = end if provenance.basis in ("incident", "stock", None) else provenance.since
        reported = _cell(row, self.reported)
        return {
            "period_start": start,
            "period_end": end,
            "date_precision": "day",
            "reported_on": iso_day(reported) if reported is not None else end,
            "source_id": provenance.source_id,
            "publication_ids": provenance.publication_id,
        }


def _parent_columns(counts: dict[int, tuple[str, str]]) -> dict[int, int]:
    """Each count column splitting another of its row (+m of #affected+idps): that one.

    The whole is the column of the same metric whose group is broader and,
    of those, the narrowest (children of civilians before children of people).
    """
    from ..model import contract

    parents = {}
    for column, (metric, group) in counts.items():
        broader = [
            (len(contract.broader_groups(g)), c)
            for c, (m, g) in counts.items()
            if c != column and m == metric and g != group and g in contract.broader_groups(group)
        ]
        if broader:
            parents[column] = max(broader)[1]
    return parents


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class _Places:
    """The finest place a row names that the gazetteer knows, and what was done to find it."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self._noted: dict[str, list[int]] = {}
        self._found: dict[tuple, tuple] = {}

    def of(self, layout: _Layout, row: list, number: int) -> tuple:
        """place_codes, place_precision, place_reported and a note (None if none needed)."""
        codes = [
            (_text(_cell(row, c)), _text(_cell(row, layout.name_beside[c]))) for c in layout.codes
        ]
        names = [_text(_cell(row, c)) for c in layout.names]
        key = (tuple(codes), tuple(names))
        if key not in self._found:
            self._found[key] = self._resolved([c for c in codes if c[0]], names)
        code, precision, words, note = self._found[key]
        if note:
            self._noted.setdefault(note, []).append(number)
        return code, precision, words, note

    @property
    def warnings(self) -> list[str]:
        """Each note once, with the rows it is about."""
        return [
            f"{self.file_name}, rows {_spans(numbers, RUNS_SHOWN)}: {note}"
            for note, numbers in self._noted.items()
        ]

    def _resolved(self, codes: list[tuple[str, str]], names: list[str]) -> tuple:
        """The place of the finest code the gazetteer knows (else of its name at that
        level, in that country), else of the finest name; an unknown code is noted."""
        from ..model.gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
        words = next((n for n in names if n), None)
        country = next((gazetteer.places[c].country for c, _ in codes if c in gazetteer), None)
        for code, name in codes:
            if code in gazetteer:
                place = gazetteer.places[code]
                note = None
                if code != codes[0][0]:
                    note = f"{_unknown(codes[0][0])}: placed at {code}"
                return place.code, place.level, words or place.name, note
            named = _named_in(gazetteer, name, country)
            if named is not None:
                return (
                    named.code,
                    named.level,
                    words or named.name,
                    (f"{_unknown(code)}: placed by its name at {named.code}"),
                )
        for text in names:
            if text:
                try:
                    place = gazetteer.resolve(text, broadest=True)
                except (UnknownPlace, InvalidInput):
                    continue
                return place.code, place.level, words or place.name, None
        # Left empty: validation names the row, with the place it could not find.
        return None, None, words or next((c for c, _ in codes), None), None


def _unknown(code: str) -> str:
    """An unknown P-code, with what its length says it is."""
    from ..model.gazetteer import pcode_level

    shape = pcode_level(code)
    said = f" (an {shape[1]} code of {shape[0]} by its length)" if shape else ""
    return f"P-code {code}{said} is not in the gazetteer"


def _named_in(gazetteer, name: str, country: str | None):
    """The one admin area of `country` so named, if there is exactly one.

    P-codes change when OCHA redraws a country (Chad's Lac was TD07): the
    name beside the code still says where.
    """
    if country is None:
        return None
    admin = gazetteer.named_in(name, country, ("admin1", "admin2"))
    return admin[0] if len(admin) == 1 else None
