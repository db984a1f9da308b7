"""Commands that look things up: the vocabularies and the gazetteer."""

from __future__ import annotations

import click

from .shell import emit


@click.command()
@click.argument("name", required=False)
def vocab(name: str | None) -> None:
    """Show the controlled vocabularies with each term's label and definition.

    \b
    Example:
      casualties vocab metric
    """
    from ..model.contract import vocabularies

    known = vocabularies()
    if name and name not in known:
        raise click.BadParameter(f"no vocabulary {name!r}; known: {', '.join(known)}")
    for vocabulary in [known[name]] if name else known.values():
        emit(f"{vocabulary.name}: {vocabulary.description}")
        for term in vocabulary.terms:
            label = vocabulary.terms[term].get("label")
            named = f'"{label}" ' if label else ""
            emit(f"  {term:<20} {named}{vocabulary.definition(term)}")


@click.command()
@click.argument("text")
def place(text: str) -> None:
    """Look a place up in the gazetteer: code, level and the areas it lies in.

    \b
    Example:
      casualties place "Deir al-Zour"
    """
    from ..errors import UnknownPlace
    from ..model.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    found = gazetteer.matches(text)
    if not found:
        raise UnknownPlace(text, lambda: gazetteer.close_names(text))
    for match in found:
        iso = f"  ISO {match.iso_3166_2}" if match.iso_3166_2 else ""
        within = [gazetteer.places[c] for c in match.ancestors[1:] if c in gazetteer]
        inside = ", ".join(f"{p.name} ({p.code})" for p in within)
        emit(
            f"{match.code}  {match.name}  {match.level}{iso}" + (f"  in {inside}" if inside else "")
        )
