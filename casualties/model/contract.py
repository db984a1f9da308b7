"""The data contract: tables and vocabularies, read from the files in `schemas/`.

`schemas/` is the one source of truth; the pandera schemas (`validation`) and
the SQL tables (`store`) are built from, or tested against, what is read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
TABLE_NAMES = ("sources", "publications", "figures", "citations")
LIST_SEPARATOR = ";"
# What every column of every table keeps (schemas/README.md, "Every value"): no
# day before this one, and no text longer than a spreadsheet cell holds.
EARLIEST_DAY = "1900-01-01"
LONGEST_TEXT = 32_767


@dataclass(frozen=True)
class Column:
    """One column of a table as declared in `schemas/tables/*.yaml`."""

    name: str
    type: str
    description: str
    required: bool = False
    unique: bool = False
    vocabulary: str | None = None
    pattern: str | None = None
    min: float | None = None
    references: str | None = None
    gazetteer: bool = False


@dataclass(frozen=True)
class Rule:
    """A named cross-column or cross-row rule; `validation` implements each."""

    name: str
    columns: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


@dataclass(frozen=True)
class Vocabulary:
    name: str
    description: str
    terms: dict[str, dict] = field(default_factory=dict)

    def definition(self, term: str) -> str:
        return self.terms[term]["definition"]


@dataclass(frozen=True)
class VagueWord:
    words: str
    low: int
    high: int


def read_yaml(path: Path) -> dict:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


@cache
def table(name: str) -> Table:
    """The declared table `name` (sources, publications, figures, citations)."""
    raw = read_yaml(SCHEMAS_DIR / "tables" / f"{name}.yaml")
    columns = tuple(Column(**c) for c in raw["columns"])
    rules = tuple(
        Rule(r["name"], tuple(r["columns"]), r["description"]) for r in raw.get("rules", [])
    )
    return Table(raw["table"], raw["description"].strip(), columns, rules)


@cache
def vocabularies() -> dict[str, Vocabulary]:
    """Every controlled vocabulary, by name."""
    raw = read_yaml(SCHEMAS_DIR / "vocabularies.yaml")
    return {
        name: Vocabulary(name, body["description"].strip(), body["terms"])
        for name, body in raw.items()
    }


def terms(vocabulary: str) -> list[str]:
    """The allowed values of one vocabulary, in their declared order."""
    return list(vocabularies()[vocabulary].terms)


def term_label(vocabulary: str, term: str) -> str:
    """A term as a reader reads it: its vocabulary label where one is given, else the
    term itself in words (a store older than its vocabulary)."""
    given = vocabularies()[vocabulary].terms.get(term, {}).get("label")
    return given or term.replace("_", " ")


def series_label(metric: str, group: str) -> str:
    """What a metric of a group is called in plain English: "Civilians killed", "IDPs"."""
    if group == "people":
        label = term_label("metric", metric)
    else:
        measured = vocabularies()["metric"].terms.get(metric, {})
        of = measured.get("label_of", "{group} " + metric.replace("_", " "))
        label = of.format(group=term_label("population_group", group))
    return label[:1].upper() + label[1:]


def broader_groups(group: str) -> list[str]:
    """The population groups a figure of `group` may be a subset of, itself included."""
    return [group, *vocabularies()["population_group"].terms[group]["broader"]]


@cache
def vague_words() -> dict[str, VagueWord]:
    """Vague number words (lower case, every spelling) and the range each is read as."""
    raw = read_yaml(SCHEMAS_DIR / "vague_numbers.yaml")
    table_: dict[str, VagueWord] = {}
    for words, body in raw["words"].items():
        entry = VagueWord(words, int(body["low"]), int(body["high"]))
        for spelling in [words, *body.get("also", [])]:
            table_[spelling.strip().lower()] = entry
    return table_


@cache
def approximate_margin() -> float:
    """How far 'about N' may be from N, as a share of N (schemas/vague_numbers.yaml)."""
    raw = read_yaml(SCHEMAS_DIR / "vague_numbers.yaml")
    return float(raw["approximate"]["margin"])
