"""The layers of docs/architecture.md import downward only; an upward import is a design bug."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "sekisho"
# What each layer may import from sekisho (besides itself and the shared top-level modules).
ALLOWED: dict[str, set[str]] = {
    "extract": set(),
    "detect": set(),
    "scan": {"extract", "detect"},
    "policy": {"extract", "detect", "scan"},
    "store": set(),
    "minimise": {"extract", "detect"},
    "actions": {"extract", "detect", "scan", "policy", "minimise"},
    "incident": {"extract", "detect", "scan", "policy", "store"},
    "gateway": {"extract", "detect", "scan", "policy", "actions", "store", "minimise"},
    "web": {"extract", "detect", "scan", "policy", "actions", "store", "incident", "minimise"},
    "cli": {
        "extract",
        "detect",
        "scan",
        "policy",
        "actions",
        "store",
        "gateway",
        "web",
        "incident",
        "minimise",
    },
}
SHARED = {"errors", "addresses", "japan_time", "__init__"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sekisho"):
            parts = node.module.split(".")
            found.add(parts[1] if len(parts) > 1 else "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "sekisho":
                    found.add(parts[1] if len(parts) > 1 else "__init__")
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_point_down(layer: str) -> None:
    files = list((SRC / layer).rglob("*.py"))
    assert files, f"layer {layer} has no modules"
    for path in files:
        upward = _imports(path) - ALLOWED[layer] - SHARED - {layer}
        assert not upward, f"{path.relative_to(SRC)} imports {sorted(upward)}"


def _runtime_imports(path: Path, package: str) -> set[str]:
    """Modules of ``package`` that ``path`` imports when it runs (not for type checking)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
        for n in ast.walk(node)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and id(node) not in typing_only
            and (node.module or "").startswith(f"{package}.")
        ):
            found.add((node.module or "").split(".")[2])
    return found


@pytest.mark.parametrize("package", ["detect", "extract"])
def test_no_import_cycle_inside_a_layer(package: str) -> None:
    graph = {
        p.stem: _runtime_imports(p, f"sekisho.{package}")
        for p in (SRC / package).glob("*.py")
        if p.stem != "__init__"
    }

    def visit(module: str, path: tuple[str, ...]) -> None:
        for target in graph.get(module, ()):
            assert target not in path, f"import cycle: {' → '.join((*path, target))}"
            visit(target, (*path, target))

    for module in graph:
        visit(module, (module,))
