"""The one list of catalogue modules, and lookup by name.

Every catalogue module is named here explicitly, in reading order.  A module
declares its derivations with :func:`derive.model.derivation.entry`; importing it is
cheap, because nothing is derived until a derivation is asked for.

>>> "sigmoid_derivative" in names()
True
>>> get("sigmoid_derivativ")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
derive.errors.UnknownDerivation: unknown derivation 'sigmoid_derivativ'; did you mean: sigmoid_derivative...?
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterable

from derive.errors import UnknownDerivation
from derive.model.derivation import Body, Derivation, Entry

# Each catalogue module, in reading order, with its section in the site's navigation.
CATALOGUE: tuple[tuple[str, str], ...] = (
    ("derive.catalogue.information", "Information theory"),
    ("derive.catalogue.divergence", "Information theory"),
    ("derive.catalogue.likelihood", "Losses from likelihood"),
    ("derive.catalogue.activations", "Activations"),
    ("derive.catalogue.sigmoid_grads", "Gradients"),
    ("derive.catalogue.two_layer", "Gradients"),
    ("derive.catalogue.softmax_grads", "Gradients"),
    ("derive.catalogue.sparse", "Gradients"),
    ("derive.catalogue.mse_uniform", "MSE against cross-entropy"),
    ("derive.catalogue.saturation", "MSE against cross-entropy"),
    ("derive.catalogue.glm", "Losses from likelihood"),
    ("derive.catalogue.scaled_loss", "Losses from likelihood"),
    ("derive.catalogue.label_smoothing", "Gradients"),
    ("derive.catalogue.logsumexp", "Numerics and curvature"),
    ("derive.catalogue.softmax_curvature", "Numerics and curvature"),
    ("derive.catalogue.sigmoid_curvature", "Numerics and curvature"),
    ("derive.catalogue.exponential_family", "Losses from likelihood"),
    ("derive.catalogue.focal", "Gradients"),
    ("derive.catalogue.robust", "Gradients"),
)
CATALOGUE_MODULES: tuple[str, ...] = tuple(module for module, _ in CATALOGUE)
# The section of derivations a user added (``--with`` modules, :func:`add`).
USER_SECTION = "Your own derivations"


def section(module: str) -> str:
    """The navigation section of a module's derivations.

    >>> section("derive.catalogue.focal"), section("my_losses")
    ('Gradients', 'Your own derivations')
    """
    return dict(CATALOGUE).get(module, USER_SECTION)


_entries: dict[str, Entry] = {}
_extra: dict[str, Entry] = {}


def entries_in(module_name: str) -> list[Entry]:
    """The entries a module declares, in the order it declares them."""
    module = importlib.import_module(module_name)
    return [v for v in vars(module).values() if isinstance(v, Entry) and v.module == module.__name__]


def _load() -> dict[str, Entry]:
    if not _entries:
        for module_name in CATALOGUE_MODULES:
            for found in entries_in(module_name):
                if found.name in _entries:
                    raise ValueError(f"two derivations are named {found.name!r}")
                _entries[found.name] = found
    return _entries


def all_entries() -> dict[str, Entry]:
    """Every entry by name: the catalogue plus any added with :func:`add`."""
    return {**_load(), **_extra}


def add(extra: Iterable[Entry | Derivation]) -> None:
    """Add entries or built derivations (a user's own) to the catalogue for this process."""
    known = all_entries()
    for item in extra:
        found = item if isinstance(item, Entry) else as_entry(item)
        if found.name in known:
            raise ValueError(f"a derivation named {found.name!r} exists already")
        _extra[found.name] = found
        known[found.name] = found


def as_entry(derivation: Derivation, module: str = "") -> Entry:
    """An entry holding an already built derivation (so it is never built twice)."""
    body = Body(derivation.domain, derivation.steps, derivation.conclusions, derivation.summary)
    found = Entry(derivation.name, derivation.title, derivation.uses, lambda: body, module)
    found.__dict__["derivation"] = derivation  # fills the cached_property
    return found


def added() -> list[str]:
    """Names of the derivations added for this process with :func:`add` (a user's own), sorted."""
    return sorted(_extra)


def names() -> list[str]:
    """Every derivation's name, sorted."""
    return sorted(all_entries())


def lookup(name: str) -> Entry:
    """The entry called ``name``; an unknown name lists the closest ones; a name that is not text is a TypeError."""
    if not isinstance(name, str):
        raise TypeError(f"a derivation's name is a string such as 'cce_softmax_grad', not {type(name).__name__}")
    known = all_entries()
    if name not in known:
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.75)
        close = close or sorted(n for n in known if name.lower() in n)[:3]
        hint = f"; did you mean: {', '.join(close)}?" if close else "; `derive list` shows them all"
        raise UnknownDerivation(f"unknown derivation {name!r}{hint}")
    return known[name]


def get(name: str) -> Derivation:
    """The derivation called ``name``, built on first use and cached."""
    return lookup(name).derivation
