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
    """The files whose contents decide ``name``: its module and, transitively, those of what it uses.

    Catalogue modules are leaves (they import the model and the recipes, never
    each other), so the modules of the entries it uses are all there is.
    """
    files: set[Path] = set()
    todo, seen = [name], set()
    while todo:
        current = todo.pop()
        if current in seen or not catalogue.has(current):
            continue
        seen.add(current)
        info = catalogue.info(current)
        files.add(module_file(info.module))
        todo.extend(info.uses)
    return files
