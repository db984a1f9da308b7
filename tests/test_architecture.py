"""The package's walls: each wing imports only what its docstring allows, and nothing circles.

A wing is a folder of `casualties/`; its `__init__.py` ends with a line
"May import: `model`, `store`." naming the wings it may use (`errors` is open
to all). Every import is counted, those inside functions and under
TYPE_CHECKING too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "casualties"
SHARED = {"errors"}
# Modules at the package's top: the errors every wing raises, and `python -m casualties`.
TOP_MODULES = {"__init__", "__main__", "errors"}
ALLOWED = re.compile(r"May import:(.*?)(?:\.\s*$|\.\s+[A-Z(])", re.S)


def wings() -> list[str]:
    return sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())


def allowed_wings(wing: str) -> set[str]:
    """The wings a wing's docstring says it may import."""
    docstring = ast.get_docstring(ast.parse((PACKAGE / wing / "__init__.py").read_text())) or ""
    found = ALLOWED.search(docstring)
    assert found, f"casualties/{wing}/__init__.py: no 'May import: ...' line in its docstring"
    return set(re.findall(r"`(\w+)`", found.group(1))) - SHARED


@cache
def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name, packages by their own name."""
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imported_modules(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that the module `name` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "casualties")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            elif (node.module or "").split(".")[0] == "casualties":
                target = node.module
            else:
                continue
            # `from ..model import contract` imports the module, not the package.
            submodules = {f"{target}.{a.name}" for a in node.names} & known.keys()
            found.update(submodules or {target})
    return found & known.keys()


@cache
def import_graph() -> dict[str, set[str]]:
    known = module_names()
    return {name: imported_modules(name, path, known) - {name} for name, path in known.items()}


def wing_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle once, as the modules it passes through (Tarjan's components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_lives_in_a_wing():
    strays = [
        name
        for name in module_names()
        if name != "casualties"
        and wing_of(name) not in wings()
        and name.split(".")[-1] not in TOP_MODULES
    ]
    assert strays == []


def test_no_wing_imports_against_its_walls():
    graph = import_graph()
    breaches = []
    for module, targets in sorted(graph.items()):
        wing = wing_of(module)
        if wing not in wings():
            continue
        allowed = allowed_wings(wing) | {wing} | SHARED
        breaches += [f"{module} imports {t}" for t in sorted(targets) if wing_of(t) not in allowed]
    assert not breaches, "\n".join(breaches)


def test_no_import_circles():
    found = circles(import_graph())
    assert not found, "\n".join(" <-> ".join(c) for c in found)


def test_the_walls_themselves_stand_in_layers():
    walls = {wing: allowed_wings(wing) for wing in wings()}
    assert all(set(allowed) <= set(walls) for allowed in walls.values())
    graph = {f"casualties.{w}": {f"casualties.{a}" for a in walls[w]} for w in walls}
    assert circles(graph) == []


def test_only_the_entry_point_imports_the_cli():
    importers = {
        module
        for module, targets in import_graph().items()
        if wing_of(module) != "cli" and any(wing_of(t) == "cli" for t in targets)
    }
    assert importers == {"casualties.__main__"}


def test_errors_stand_on_nothing_of_the_package():
    assert import_graph()["casualties.errors"] == set()


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_circles_are_found(graph, expected):
    assert circles(graph) == expected


def test_imports_are_resolved_as_python_resolves_them():
    graph = import_graph()
    # `from ..model import contract` (a module) and `from .shell import emit` (a name).
    assert "casualties.model.contract" in graph["casualties.store.ledger"]
    assert "casualties.cli.shell" in graph["casualties.cli.app"]
    assert "casualties.cli.figures" in graph["casualties.cli.app"]


def package_names_imported(folder: Path) -> list[tuple[str, str, str]]:
    """(file, module, name) for every `from casualties... import name` in the folder's files."""
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = getattr(node, "module", None) or ""
            if isinstance(node, ast.ImportFrom) and module.split(".")[0] == "casualties":
                found += [(path.name, module, alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("folder", ["benchmarks", "tests"])
def test_every_name_imported_from_the_package_is_there(folder):
    """Imports inside functions run only when a case runs: a move must not break them unseen."""
    import importlib

    modules = module_names()
    missing = []
    for file, module, name in package_names_imported(PACKAGE.parent / folder):
        found = importlib.import_module(module)
        if not hasattr(found, name) and f"{module}.{name}" not in modules:
            missing.append(f"{folder}/{file}: {module} has no {name}")
    assert not missing, "\n".join(missing)
