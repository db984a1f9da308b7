"""How well `casualties extract` reads news text: `make eval` (python -m benchmarks.eval).

Truth is typed by hand: every figure of the two seed articles
(`data/examples/seed_articles.yaml`) and the real sentences of
`tests/data/extraction_cases.yaml` with theirs. Each true figure is paired
with the draft that states its values (the closest when several do), then
every field is compared. Precision of a field: drafts with it right / drafts
proposed; recall: true figures with a draft getting it right / true figures.
A draft paired with no true figure is a non-figure proposed. It also times
the extraction of a 1,000-word article.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from casualties.bundled.examples import example_tables
from casualties.extract.drafting import Article, extract
from casualties.extract.drafts import known_sources
from casualties.extract.merging import Draft, merged
from casualties.model import contract
from casualties.model.frames import pd
from casualties.model.gazetteer import default_gazetteer, fold
from casualties.store.figures import complete_new_figures

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
CASES = ROOT / "tests" / "data" / "extraction_cases.yaml"
SEED_FILES = {
    "upi-2024-12-06": "000_cc54087b8b804d8c.txt",
    "tdt-afp-2024-12-06": "004_d67a68d6dca394b7.txt",
}
FIELDS = ("value", "bounds", "metric", "group", "source", "dates", "place")
TARGET_SECONDS = 0.5  # a 1,000-word article


@dataclass
class Truth:
    """One true figure, in the terms the fields are compared in."""

    low: int | None
    best: int | None
    high: int | None
    qualifier: str
    metric: str
    group: str
    source: str | None  # an id (seeds) or the name as written (cases)
    dates: tuple | str | None  # (start, end) for the seeds, the date words for the cases
    place: set | str | None  # codes for the seeds, the words for the cases


@dataclass
class Score:
    right: dict = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    found: dict = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    drafts: int = 0
    truths: int = 0
    non_figures: list = field(default_factory=list)
    missed: list = field(default_factory=list)


def seed_runs() -> list[tuple[list[Draft], list[Truth]]]:
    tables = example_tables()
    sources = known_sources(tables["sources"].to_dict("records"))
    publications = tables["publications"].set_index("id")
    articles = [
        Article(
            (SEEDS / name).read_text(encoding="utf-8"),
            date.fromisoformat(str(publications.loc[pid, "published_on"])),
            pid,
            str(publications.loc[pid, "publisher"]),
        )
        for pid, name in SEED_FILES.items()
    ]
    drafts = merged([d for a in articles for d in extract(a, sources)])
    # The store reads vague words into bounds when it completes a figure: so does the truth.
    figures = complete_new_figures(tables["figures"], {}, "eval")
    truths = [
        Truth(
            _int(row["value_low"]),
            _int(row["value_best"]),
            _int(row["value_high"]),
            row["qualifier"],
            row["metric"],
            row["population_group"],
            row["source_id"],
            (str(row["period_start"]), str(row["period_end"])),
            set(str(row["place_codes"]).split(";")),
        )
        for row in figures.to_dict("records")
    ]
    return [(drafts, truths)]


def case_runs() -> list[tuple[list[Draft], list[Truth], list[str]]]:
    if not CASES.is_file():
        return []
    runs = []
    sources = known_sources(example_tables()["sources"].to_dict("records"))
    for case in contract.read_yaml(CASES):
        article = Article(
            case["text"], date.fromisoformat(str(case["published"])), case["id"], case["publisher"]
        )
        truths = [
            Truth(
                f.get("value_low"),
                f.get("value_best"),
                f.get("value_high"),
                f["qualifier"],
                f["metric"],
                f["population_group"],
                f.get("source"),
                f.get("date_words"),
                f.get("place"),
            )
            for f in case.get("figures") or []
        ]
        runs.append((extract(article, sources), truths, case.get("not_figures") or []))
    return runs


def scored(runs) -> Score:
    score = Score()
    for run in runs:
        drafts, truths = run[0], run[1]
        score.drafts += len(drafts)
        score.truths += len(truths)
        paired = _pairs(drafts, truths)
        for truth, draft in paired.items():
            for name in FIELDS:
                if _right(name, truths[truth], drafts[draft]):
                    score.right[name] += 1
                    score.found[name] += 1
        unpaired = set(range(len(drafts))) - set(paired.values())
        score.non_figures += [drafts[i].fields["value_words"] for i in sorted(unpaired)]
        score.missed += [
            f"{t.metric} {t.group} {t.low}/{t.best}/{t.high}"
            for i, t in enumerate(truths)
            if i not in paired
        ]
    return score


def _pairs(drafts: list[Draft], truths: list[Truth]) -> dict[int, int]:
    """True figure → the draft stating its values (greedy, exact values first)."""
    taken, pairs = set(), {}
    for exact in (True, False):
        for t, truth in enumerate(truths):
            if t in pairs:
                continue
            for d, draft in enumerate(drafts):
                if d in taken:
                    continue
                if _values_match(truth, draft, exact):
                    pairs[t], _ = d, taken.add(d)
                    break
    return pairs


def _values_match(truth: Truth, draft: Draft, exact: bool) -> bool:
    given = [draft.fields[f"value_{p}"] for p in ("low", "best", "high")]
    wanted = [truth.low, truth.best, truth.high]
    if exact:
        return given == wanted
    return bool({v for v in given if v is not None} & {v for v in wanted if v is not None})


def _right(name: str, truth: Truth, draft: Draft) -> bool:
    fields = draft.fields
    if name == "value":
        return _values_match(truth, draft, exact=True)
    if name == "bounds":
        return fields["qualifier"] == truth.qualifier
    if name == "metric":
        return fields["metric"] == truth.metric
    if name == "group":
        return fields["population_group"] == truth.group
    if name == "source":
        return _same_source(truth.source, draft)
    if name == "dates":
        if isinstance(truth.dates, tuple):
            return (fields["period_start"], fields["period_end"]) == truth.dates
        return _same_words(truth.dates, fields["date_words"])
    return _same_place(truth.place, fields)


def _same_source(truth: str | None, draft: Draft) -> bool:
    said = draft.told_by
    if truth is None:
        return said is None and draft.fields["source_id"] is None
    if truth == draft.fields["source_id"]:
        return True
    return said is not None and _same_words(truth, said)


def _same_words(truth: str | None, said: str | None) -> bool:
    if truth is None or said is None:
        return truth is None and said is None
    a, b = fold(truth), fold(said)
    return a in b or b in a


def _same_place(truth, fields: dict) -> bool:
    codes = set((fields["place_codes"] or "").split(";")) - {""}
    if isinstance(truth, set):
        return bool(codes & truth)
    if truth is None:
        return not codes
    known = {p.code for p in default_gazetteer().matches(truth)}
    return bool(codes & known) or _same_words(truth, fields["place_reported"])


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def article_seconds() -> tuple[float, int]:
    """The fastest of five extractions of the two seed articles run together (~1,000 words)."""
    sources = known_sources(example_tables()["sources"].to_dict("records"))
    text = "\n\n".join((SEEDS / n).read_text(encoding="utf-8") for n in SEED_FILES.values())
    article = Article(text, date(2024, 12, 6), "upi-2024-12-06", "UPI")
    extract(article, sources)  # the gazetteer and patterns, loaded once
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        extract(article, sources)
        best = min(best, time.perf_counter() - started)
    return best, len(text.split())


def table(label: str, score: Score) -> list[str]:
    lines = [f"{label}: {score.truths} true figures, {score.drafts} drafts"]
    lines.append(f"{'field':8} {'precision':>9} {'recall':>7}")
    for name in FIELDS:
        precision = score.right[name] / score.drafts if score.drafts else 0.0
        recall = score.found[name] / score.truths if score.truths else 0.0
        lines.append(f"{name:8} {precision:9.2f} {recall:7.2f}")
    lines.append(f"non-figures proposed: {len(score.non_figures)} {score.non_figures}")
    lines.append(f"figures missed: {len(score.missed)} {score.missed}")
    return lines


def main() -> int:
    seeds = scored(seed_runs())
    lines = table("seed articles", seeds)
    cases = case_runs()
    if cases:
        lines += ["", *table(f"real cases ({len(cases)} reports)", scored(cases))]
    seconds, words = article_seconds()
    verdict = "met" if seconds < TARGET_SECONDS else "NOT met"
    lines += [
        "",
        f"{words:,}-word article: {seconds:.3f} s (target < {TARGET_SECONDS} s): {verdict}",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
