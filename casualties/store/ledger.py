"""Writing to the store: every change validated as a whole, then committed at once.

Each public function is one transaction: it reads what the change may refer
to, builds the rows, validates them with the rows they touch (parents,
sibling subsets, superseded figures), and writes only if nothing is wrong.
Nothing is ever deleted: amendments, retractions and supersessions add
versions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import AlreadyRetracted, AlreadyStored, Problem, UnknownFigure, ValidationFailed
from ..model import contract
from ..model.missing import plain_row
from ..model.validation import References, conform, problems_in, raise_problems, typed
from .database import FigureFilter, Store
from .figures import complete_new_figures, derive_people, next_version

if TYPE_CHECKING:
    from ..model.frames import pd


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
        dates = _publication_dates(store, frame)
        new = complete_new_figures(frame, dates, entered_by)
        labels = _row_labels(frame, new)
        existing = store.existing_figure_ids(new["id"].tolist())
        if existing and not skip_existing:
            raise AlreadyStored("figures", sorted(existing))
        if existing:
            new = new[~new["id"].isin(existing)]
        superseded = _superseded_versions(store, new, entered_by)
        _check_figures(store, _concat(new, superseded), superseded["id"].tolist(), labels)
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
    from ..model.frames import pd

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
    return problems + orphaned_subsets(figures)


def orphaned_subsets(figures: pd.DataFrame) -> list[Problem]:
    """Active subsets whose parent is retracted or superseded: they stand under nothing.

    The summary shows such a subset on its own, never under another parent;
    the analyst re-links it to the figure that replaced its parent (amend
    --part-of) or retracts it.
    """
    status = figures.set_index("id")["status"]
    parts = figures[(figures["status"] == "active") & figures["part_of"].notna()]
    parents = parts["part_of"].map(status)
    gone = parts[parents.isin(["retracted", "superseded"])]
    return [
        Problem(
            "figures",
            figure_id,
            "part_of",
            parent,
            f"is part of {parent}, which is {status[parent]}: re-link it to the figure that "
            "replaced its parent (amend --part-of) or retract it",
        )
        for figure_id, parent in zip(gone["id"], gone["part_of"], strict=True)
    ]


def active_subsets(store: Store, figure_id: str) -> list[str]:
    """The ids of the active figures that are part of `figure_id`."""
    related = store.related_figures([figure_id])
    chosen = (related["part_of"] == figure_id) & (related["status"] == "active")
    return sorted(related.loc[chosen, "id"])


def _write_version(store: Store, row: dict) -> dict:
    from ..model.frames import pd

    frame = derive_people(conform(pd.DataFrame([row]), "figures"))
    _check_figures(store, frame, [row["id"]])
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
    from ..model.frames import pd

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
    """How problems name rows whose id was made here: 'row N' (others keep their id)."""
    if "id" not in given:
        return {made: f"row {n}" for n, made in enumerate(new["id"], start=1)}
    unnamed = given["id"].isna().to_numpy()
    numbers = (unnamed.nonzero()[0] + 1).tolist()
    return {made: f"row {n}" for n, made in zip(numbers, new["id"][unnamed], strict=True)}


def _check_figures(
    store: Store, frame: pd.DataFrame, stored_ids: list[str], labels: dict | None = None
) -> None:
    """Validate figures with the stored figures they touch: parents, siblings, subsets.

    `stored_ids` are those of the frame's figures already in the store (new
    versions); only they can have stored subsets that must still fit.
    """
    referenced = [*frame["part_of"].dropna(), *frame["supersedes"].dropna(), *stored_ids]
    related = store.related_figures(list(dict.fromkeys(referenced)))
    in_frame = related["id"].isin(frame["id"])
    children = related[related["part_of"].isin(stored_ids) & ~in_frame]
    checked = _concat(frame, children).reset_index(drop=True)
    # The batch may point to itself: subsets entered with their parent.
    others = typed(_concat(checked, related[~in_frame]), "figures")
    references = _references(store, others)
    row_labels = checked["id"]
    if labels:
        row_labels = row_labels.map(labels).fillna(row_labels)
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


def _publication_dates(store: Store, frame: pd.DataFrame) -> dict[str, str]:
    """Each publication's date, for the figures of `frame` without their own."""
    if "reported_on" in frame and frame["reported_on"].notna().all():
        return {}
    publications = store.table("publications")
    return dict(zip(publications["id"], publications["published_on"], strict=True))


def _concat(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    from ..model.frames import pd

    if second.empty:
        return first
    return pd.concat([first, second], ignore_index=True)
