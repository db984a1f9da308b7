"""Writing to the store: every change validated as a whole, then committed at once.

Each public function is one transaction: it reads what the change may refer
to, builds the rows, validates them with the rows they touch (parents,
sibling subsets, superseded figures), and writes only if nothing is wrong.
Nothing is ever deleted: amendments, retractions and supersessions add
versions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import contract
from .errors import AlreadyRetracted, AlreadyStored, Problem, UnknownFigure, ValidationFailed
from .figures import complete_new_figures, derive_people, next_version
from .missing import plain_row
from .store import FigureFilter, Store
from .validation import References, conform, problems_in, raise_problems, typed

if TYPE_CHECKING:
    import pandas as pd


def add_sources(store: Store, frame: pd.DataFrame, skip_existing: bool = False) -> int:
    """Store new sources; returns how many were added."""
    return _add_keyed(store, "sources", frame, skip_existing)


def add_publications(store: Store, frame: pd.DataFrame, skip_existing: bool = False) -> int:
    """Store new publications; returns how many were added."""
    return _add_keyed(store, "publications", frame, skip_existing)


def _add_keyed(store: Store, table: str, frame: pd.DataFrame, skip_existing: bool) -> int:
    frame = conform(frame, table)
    with store.transaction():
        existing = store.ids(table)
        clash = frame["id"].isin(existing)
        if clash.any() and not skip_existing:
            raise AlreadyStored(table, frame.loc[clash, "id"].tolist())
        frame = frame[~clash]
        raise_problems(problems_in(table, frame))
        return store.insert(table, frame)


def add_figures(
    store: Store,
    frame: pd.DataFrame,
    citations: pd.DataFrame | None = None,
    entered_by: str | None = None,
    skip_existing: bool = False,
) -> pd.DataFrame:
    """Store new figures (and further publications' quotes of them); returns what was stored."""
    with store.transaction():
        dates = _publication_dates(store)
        new = complete_new_figures(frame, dates, entered_by)
        labels = _row_labels(frame, new)
        existing = store.existing_figure_ids(new["id"].tolist())
        if existing and not skip_existing:
            raise AlreadyStored("figures", sorted(existing))
        new = new[~new["id"].isin(existing)]
        superseded = _superseded_versions(store, new, entered_by)
        _check_figures(store, _concat(new, superseded), labels)
        store.retire_versions(superseded["id"].tolist())
        store.insert("figures", _concat(new, superseded))
        if citations is not None:
            _add_citations(store, citations[citations["figure_id"].isin(new["id"])])
        return new


def amend_figure(
    store: Store, figure_id: str, changes: dict, reason: str, entered_by: str | None = None
) -> dict:
    """Store a new version of a figure with `changes`; returns it."""
    with store.transaction():
        current = _current_row(store, figure_id)
        if current["status"] != "active":
            changes = {"status": current["status"], **changes}
        return _write_version(store, next_version(current, changes, reason, entered_by))


def retract_figure(
    store: Store, figure_id: str, reason: str, entered_by: str | None = None
) -> dict:
    """Mark a figure retracted, keeping it and the reason; returns the new version."""
    with store.transaction():
        current = _current_row(store, figure_id)
        if current["status"] == "retracted":
            raise AlreadyRetracted(figure_id, current["change_reason"])
        row = next_version(current, {"status": "retracted"}, reason, entered_by)
        return _write_version(store, row)


def cite_figure(
    store: Store, figure_id: str, publication_id: str, quote: str, entered_by: str | None = None
) -> dict:
    """Record that one more publication reported a stored figure, with its words."""
    import pandas as pd

    with store.transaction():
        current = _current_row(store, figure_id)
        listed = current["publication_ids"].split(contract.LIST_SEPARATOR)
        if publication_id in listed:
            raise AlreadyStored("citations", [f"{figure_id} in {publication_id}"])
        changes = {"publication_ids": contract.LIST_SEPARATOR.join([*listed, publication_id])}
        reason = f"also reported by {publication_id}"
        row = _write_version(store, next_version(current, changes, reason, entered_by))
        cited = {"figure_id": figure_id, "publication_id": publication_id, "quote": quote}
        _add_citations(store, pd.DataFrame([cited]))
        return row


def store_problems(store: Store) -> list[Problem]:
    """Every violation of the contract in the whole store (current versions)."""
    problems = problems_in("sources", store.table("sources"))
    problems += problems_in("publications", store.table("publications"))
    figures = store.figures()
    references = _references(store, figures)
    problems += problems_in("figures", figures, references)
    problems += problems_in("citations", store.table("citations"), references)
    return problems


def figure_history(store: Store, figure_id: str) -> pd.DataFrame:
    """Every version of a figure, oldest first."""
    return store.figure_versions(figure_id)


def _write_version(store: Store, row: dict) -> dict:
    import pandas as pd

    frame = derive_people(conform(pd.DataFrame([row]), "figures"))
    _check_figures(store, frame)
    store.retire_versions([row["id"]])
    store.insert("figures", frame)
    return row


def _current_row(store: Store, figure_id: str) -> dict:
    frame = store.figures(FigureFilter(ids=(figure_id,)))
    if frame.empty:
        raise UnknownFigure(figure_id)
    return plain_row(frame.iloc[0].to_dict())


def _superseded_versions(store: Store, new: pd.DataFrame, entered_by: str | None) -> pd.DataFrame:
    """New versions, status superseded, of the stored figures `new` replaces."""
    import pandas as pd

    targets = new.dropna(subset=["supersedes"])
    if targets.empty:
        return new.iloc[0:0]
    stored = store.figures(FigureFilter(ids=tuple(targets["supersedes"])))
    replaced_by = dict(zip(targets["supersedes"], targets["id"], strict=True))
    rows = [
        next_version(
            plain_row(row),
            {"status": "superseded"},
            f"superseded by {replaced_by[row['id']]}",
            entered_by,
        )
        for row in stored.to_dict("records")
    ]
    return conform(pd.DataFrame(rows), "figures") if rows else new.iloc[0:0]


def _row_labels(given: pd.DataFrame, new: pd.DataFrame) -> dict[str, str]:
    """How problems name new rows: their id if the user gave one, else 'row N'."""
    ids = given["id"] if "id" in given else [None] * len(given)
    return {
        made: (str(own) if isinstance(own, str) else f"row {number}")
        for number, (own, made) in enumerate(zip(ids, new["id"], strict=True), start=1)
    }


def _check_figures(store: Store, frame: pd.DataFrame, labels: dict | None = None) -> None:
    """Validate figures together with their stored subsets, parents and siblings."""
    ids = frame["id"].tolist()
    referenced = [*frame["part_of"].dropna(), *frame["supersedes"].dropna()]
    related = store.related_figures([*ids, *referenced])
    children = related[related["part_of"].isin(ids) & ~related["id"].isin(ids)]
    checked = _concat(frame, children)
    # The batch may point to itself: subsets entered with their parent.
    others = typed(_concat(checked, related[~related["id"].isin(ids)]), "figures")
    references = _references(store, others)
    checked = checked.reset_index(drop=True)
    row_labels = checked["id"].map(lambda i: (labels or {}).get(i, i))
    raise_problems(problems_in("figures", checked, references, row_labels))


def _references(store: Store, figures: pd.DataFrame | None) -> References:
    return References(
        source_ids=store.ids("sources"),
        publication_ids=store.ids("publications"),
        figures=figures,
    )


def _add_citations(store: Store, citations: pd.DataFrame) -> None:
    if citations.empty:
        return
    citations = conform(citations, "citations")
    references = _references(store, store.related_figures(citations["figure_id"].tolist()))
    problems = problems_in("citations", citations, references)
    if problems:
        raise ValidationFailed(problems)
    store.insert("citations", citations)


def _publication_dates(store: Store) -> dict[str, str]:
    publications = store.table("publications")
    return dict(zip(publications["id"], publications["published_on"], strict=True))


def _concat(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    if second.empty:
        return first
    return pd.concat([first, second], ignore_index=True)
