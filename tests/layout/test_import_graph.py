"""The tree is the architecture: these tests fail when a change blurs the layers.

The import graph is read from the source (top-level imports only: an import
inside a function is a lazy use, not a layer's dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "derive"
# Modules allowed over 300 lines while being split; nothing may be added here.
OVER_SIZE_FOR_NOW: set[str] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _top_level_imports(path: Path) -> set[str]:
    """The derive modules ``path`` imports at module level (outside functions and TYPE_CHECKING)."""
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = list(tree.body)
    while body:
        node = body.pop(0)
        if isinstance(node, ast.If):
            test = ast.unparse(node.test)
            if "TYPE_CHECKING" not in test:
                body.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            body.extend(node.body)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "derive"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "derive":
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in MODULES}
    return {name for name in found if name in MODULES}


GRAPH = {name: _top_level_imports(path) for name, path in MODULES.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and f"{module}.__init__" not in MODULES) else parts[-1]


def test_catalogue_modules_are_leaves() -> None:
    """A catalogue module imports the model and the recipes, never another catalogue module."""
    for name, imports in GRAPH.items():
        if name.startswith("derive.catalogue."):
            others = {i for i in imports if i.startswith("derive.catalogue.") and i != name}
            assert not others, f"{name} imports {sorted(others)}: move the shared part to derive/recipes"


def test_no_module_level_import_cycle() -> None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        assert name not in visiting, "import cycle: " + " -> ".join([*visiting[visiting.index(name) :], name])
        visiting.append(name)
        for imported in sorted(GRAPH[name]):
            visit(imported)
        visiting.pop()
        done.add(name)

    for name in sorted(GRAPH):
        visit(name)


def test_the_engine_never_imports_the_command_line() -> None:
    """Only derive.cli (and python -m derive) may import derive.cli, even lazily."""
    for name, path in MODULES.items():
        if name.startswith("derive.cli") or name == "derive.__main__":
            continue
        source = path.read_text(encoding="utf-8")
        assert "derive.cli" not in {
            n.module.rsplit(".", 1)[0] if n.module and n.module.count(".") > 1 else n.module
            for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.ImportFrom)
        }, f"{name} imports the command line"


def test_every_exception_type_is_defined_in_the_errors_module() -> None:
    for name, path in MODULES.items():
        if name == "derive.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {ast.unparse(b) for b in node.bases}
                assert not any(b.endswith(("Error", "Exception", "Warning")) for b in bases), (
                    f"{name} defines the exception {node.name}: define it in derive/errors.py"
                )


def test_the_top_of_the_package_is_small_and_modules_are_short() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, f"{len(top)} modules at the top of derive/: {top}"
    for path in MODULES.values():
        relative = path.relative_to(PACKAGE).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if relative not in OVER_SIZE_FOR_NOW:
            assert lines <= 300, f"{relative} has {lines} lines (at most 300)"


@pytest.mark.parametrize(
    ("layer", "may_import"),
    [
        ("model", {"model", "errors"}),
        ("recipes", {"model", "recipes", "registry", "errors"}),
        ("verify", {"model", "recipes", "verify", "errors", "registry"}),
        ("catalogue", {"model", "recipes", "registry", "yours", "errors", "verify"}),
    ],
)
def test_lower_layers_import_only_lower_layers(layer: str, may_import: set[str]) -> None:
    for name, imports in GRAPH.items():
        if name.startswith(f"derive.{layer}.") or name == f"derive.{layer}":
            for imported in imports:
                first = imported.split(".")[1] if imported.count(".") else imported
                assert first in may_import, f"{name} imports {imported}"
