"""Stage 1: what the catalogue holds, who uses whom, and which code makes each entry.

Nothing is derived here: the registry's entries know their names, titles,
modules and dependencies without building anything.

>>> catalogue = collect()
>>> "sigmoid_derivative" in catalogue.names
True
>>> catalogue.used_by["softmax_jacobian"] == sorted(catalogue.used_by["softmax_jacobian"])
True
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
from dataclasses import dataclass
from pathlib import Path

from derive.registry import CATALOGUE_MODULES, all_entries

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The engine: every module outside the catalogue whose change can change a
# derivation or its check (the site, the command line and numeric cannot).
ENGINE_FILES = tuple(
    sorted(
        p
        for p in PACKAGE_DIR.rglob("*.py")
        if p.relative_to(PACKAGE_DIR).parts[0] not in ("catalogue", "site", "cli", "numeric")
        and "__pycache__" not in p.parts
    )
)


@dataclass(frozen=True)
class EntryInfo:
    """An entry as the site sees it, before it is built."""

    name: str
    title: str
    module: str
    uses: tuple[str, ...]
    builtin: bool


@dataclass(frozen=True)
class Catalogue:
    """Every entry in reading order, and the reverse of ``uses``."""

    entries: tuple[EntryInfo, ...]
    used_by: dict[str, list[str]]

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.entries]

    def info(self, name: str) -> EntryInfo:
        return next(e for e in self.entries if e.name == name)

    def has(self, name: str) -> bool:
        return any(e.name == name for e in self.entries)


def collect() -> Catalogue:
    """The registry's entries: catalogue modules in registry order, then added ones."""
    order = {module: n for n, module in enumerate(CATALOGUE_MODULES)}
    infos = [EntryInfo(e.name, e.title, e.module, tuple(e.uses), e.module in order) for e in all_entries().values()]
    infos.sort(key=lambda e: (not e.builtin, order.get(e.module, len(order)), e.module))
    used_by: dict[str, list[str]] = {e.name: [] for e in infos}
    for e in infos:
        for used in e.uses:
            used_by.setdefault(used, []).append(e.name)
    return Catalogue(tuple(infos), {k: sorted(v) for k, v in used_by.items()})


def module_file(module: str) -> Path:
    """The source file of an imported module."""
    found = inspect.getsourcefile(sys.modules[module]) if module in sys.modules else None
    if found is None:
        raise FileNotFoundError(f"cannot find the source of module {module}")
    return Path(found).resolve()


def source_files(catalogue: Catalogue, name: str) -> set[Path]:
    """The files whose contents decide ``name``: its module and, transitively, those it uses."""
    files: set[Path] = set()
    todo, seen = [name], set()
    while todo:
        current = todo.pop()
        if current in seen or not catalogue.has(current):
            continue
        seen.add(current)
        info = catalogue.info(current)
        files |= catalogue_imports(module_file(info.module))
        todo.extend(info.uses)
    return files


def catalogue_imports(path: Path) -> set[Path]:
    """``path`` and, transitively, the catalogue modules it imports helpers from.

    A catalogue module may take helpers (kinds, sums, symbols) from another one
    it does not list in ``uses``; a change there must still change its key.

    >>> names = {p.name for p in catalogue_imports(PACKAGE_DIR / "catalogue" / "two_layer.py")}
    >>> sorted(names)
    ['sigmoid_grads.py', 'two_layer.py']
    """
    found: set[Path] = set()
    todo = [path]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        stat = current.stat()
        todo.extend(_direct_catalogue_imports(current, stat.st_mtime_ns, stat.st_size))
    return found


@functools.cache
def _direct_catalogue_imports(path: Path, mtime_ns: int, size: int) -> tuple[Path, ...]:
    """The catalogue modules ``path`` imports from; parsed once per version of the file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        modules = [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        for module in modules:
            if module.startswith("derive.catalogue."):
                out.append(PACKAGE_DIR / "catalogue" / (module.split(".", 2)[2].replace(".", "/") + ".py"))
    return tuple(out)
