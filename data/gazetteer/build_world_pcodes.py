"""Write world_pcodes.csv, its keys and lengths/pcode_lengths.csv from OCHA's P-code files.

Run from the repository root, in the project's environment (the keys are folded
as the package folds names), when OCHA publishes new P-codes:

    .venv/bin/python data/gazetteer/build_world_pcodes.py ../shared/data

The hand-made files of this folder (syria.csv, countries.csv) stay on top: a
P-code they already define is left out here, so their names and aliases win.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["code", "name", "level", "country", "admin1", "admin2", "iso_3166_2", "aliases"]
LEVELS = {"1": "admin1", "2": "admin2"}


def published_rows(path: Path) -> list[dict[str, str]]:
    """The rows of an OCHA file, its HXL hashtag row (the first after the header) left out."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if not next(iter(r.values()), "").startswith("#")]


def curated_codes() -> set[str]:
    """Codes the hand-made gazetteer files define already."""
    codes = set()
    for path in HERE.glob("*.csv"):
        if path.name != "world_pcodes.csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                codes.update(row["code"] for row in csv.DictReader(handle))
    return codes


def gazetteer_rows(pcodes: list[dict[str, str]], known: set[str]) -> list[list[str]]:
    """One gazetteer row per P-code not known already, sorted by code."""
    rows = []
    for row in pcodes:
        code, level = row["P-Code"].strip(), LEVELS[row["Admin Level"].strip()]
        # A placeholder whose code is its name ("Unspecified") names no place; Lesotho's
        # letter codes (LSA, Maseru) are real.
        if code in known or code.casefold() == row["Name"].strip().casefold():
            continue
        parent = row["Parent P-Code"].strip()
        admin1 = code if level == "admin1" else parent
        admin2 = code if level == "admin2" else ""
        name = row["Name"].strip()
        rows.append([code, name, level, row["Location"].strip(), admin1, admin2, "", ""])
    return sorted(rows)


def main(shared: Path) -> None:
    pcodes = published_rows(shared / "global_pcodes_adm1-2.csv")
    rows = gazetteer_rows(pcodes, curated_codes())
    with (HERE / "world_pcodes.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    from casualties.model.gazetteer import WORLD_KEYS_FILE, world_keys_text

    (HERE / WORLD_KEYS_FILE).write_text(world_keys_text(HERE / "world_pcodes.csv"), "utf-8")
    lengths = published_rows(shared / "global_pcode_lengths.csv")
    (HERE / "lengths").mkdir(exist_ok=True)
    with (HERE / "lengths" / "pcode_lengths.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["country", "country_length", "admin1_length", "admin2_length"])
        for row in sorted(lengths, key=lambda r: r["Location"]):
            parts = ("Country Length", "Admin 1 Length", "Admin 2 Length")
            writer.writerow([row["Location"], *(row[p] for p in parts)])
    print(f"{len(rows):,} P-codes, {len(lengths)} countries' code lengths written to {HERE}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / "shared" / "data")
