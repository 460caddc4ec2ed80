"""Stage 1: what the catalogue holds and who uses whom.

Nothing is derived here: the registry's entries know their names, titles,
modules and dependencies without building anything.

>>> catalogue = collect()
>>> "sigmoid_derivative" in catalogue.names
True
>>> catalogue.used_by["softmax_jacobian"] == sorted(catalogue.used_by["softmax_jacobian"])
True
"""

from __future__ import annotations

from dataclasses import dataclass

from derive.registry import CATALOGUE_MODULES, all_entries


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
