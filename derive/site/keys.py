"""Every cache key of the site build, in one place.

A key is a hash of the files whose contents decide a value (see
:mod:`derive.site.cache`).  The folders say which files those are:

- the *engine* is every module of the package outside ``catalogue/``,
  ``site/``, ``cli/`` and ``numeric/``: a change there can change any
  derivation or its check;
- an entry's page data depends on the engine, its own catalogue module and,
  transitively, the modules of the entries it uses (catalogue modules are
  leaves, so nothing else), and on the site modules that check and print it;
- the worked examples and the experiment depend on the engine, the whole
  catalogue and ``site/content/``;
- a figure depends on that, plus its own module; the interactive figures' generated
  JavaScript on that, plus every ``figures/interactive*.py``, ``exercises.py`` and the
  derivations of the build;
- the whole build (the shortcut that skips stages 1 to 4) depends on every
  file of the package and the hand-written inputs.

>>> from derive.site.collect import collect
>>> names = {p.name for p in entry_files(collect(), "two_layer_sigmoid_grad")}
>>> {"two_layer.py", "sigmoid_grads.py", "likelihood.py", "derivation.py"} <= names
True
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterable
from pathlib import Path

from derive.site.cache import hash_files, hash_parts
from derive.site.collect import Catalogue

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SITE_DIR = PACKAGE_DIR / "site"
GENERATED = Path("docs") / "generated"
# Hand-written inputs of the pages, besides the package's own code.
_INPUTS = ("templates", "docs", "mkdocs.yml", "package.json", "package-lock.json")
_SKIPPED = (GENERATED, Path("docs") / "assets" / "vendor")


def _package_files(*, outside: tuple[str, ...] = (), inside: tuple[str, ...] = ()) -> tuple[Path, ...]:
    """Package modules whose top folder is not in ``outside``, plus those under the folders ``inside``."""
    out = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(PACKAGE_DIR)
        if "__pycache__" in relative.parts:
            continue
        if relative.parts[0] not in outside or any(relative.is_relative_to(folder) for folder in inside):
            out.append(path)
    return tuple(out)


# The engine: every module outside the catalogue whose change can change a
# derivation or its check (the site, the command line and numeric cannot).
ENGINE_FILES = _package_files(outside=("catalogue", "site", "cli", "numeric"))
# The site modules that turn a derivation and its report into page data.
_PAGE_DATA_FILES = tuple(SITE_DIR / f for f in ("checked.py", "printed.py", "data.py", "keys.py"))
# What the worked examples and the experiment are computed from.
_CONTENT_FILES = (
    _package_files(outside=("site", "cli", "numeric"), inside=("site/content",))
    + _PAGE_DATA_FILES
    + (SITE_DIR / "content_data.py",)
)


def module_file(module: str) -> Path:
    """The source file of an imported module."""
    found = inspect.getsourcefile(sys.modules[module]) if module in sys.modules else None
    if found is None:
        raise FileNotFoundError(f"cannot find the source of module {module}")
    return Path(found).resolve()


def entry_files(catalogue: Catalogue, name: str) -> set[Path]:
    """The files whose contents decide ``name``'s checked page data."""
    files: set[Path] = set(ENGINE_FILES) | set(_PAGE_DATA_FILES)
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


def entry_key(catalogue: Catalogue, name: str, points: int) -> str:
    """The cache key of ``name``'s checked page data."""
    return hash_files(entry_files(catalogue, name), name, f"points={points}")


def content_key(kind: str) -> str:
    """The cache key of the worked examples (``kind="examples"``) or the experiment's runs."""
    return hash_files(_CONTENT_FILES, kind)


def figure_key(catalogue: Catalogue, module: Path, requires: Iterable[str], experiment: str) -> str:
    """The cache key of one figure: the derivations it draws from (their modules, not the whole catalogue),
    the site's content, its own module and the figures' shared code, and the experiment's runs."""
    files = {f for f in _CONTENT_FILES if f.relative_to(PACKAGE_DIR).parts[0] != "catalogue"}
    for name in requires:
        files |= entry_files(catalogue, name)
    shared = (SITE_DIR / "figures" / "__init__.py", SITE_DIR / "figures" / "curves.py")
    return hash_files((*files, *shared, module), module.name, experiment)  # files hold the engine already


def interactive_key(derivations: Iterable[str]) -> str:
    """The cache key of the interactive figures' generated JavaScript: the content it is printed from,
    the modules that choose what to print, and which derivations this build has."""
    own = (*sorted((SITE_DIR / "figures").glob("interactive*.py")), SITE_DIR / "exercises.py")
    return hash_files((*_CONTENT_FILES, *own), "interactive", *sorted(derivations))


def _tree_files(root: Path, names: tuple[str | Path, ...], skip: tuple[Path, ...] = ()) -> list[Path]:
    out: list[Path] = []
    for name in names:
        start = root / name
        candidates = [start] if start.is_file() else sorted(start.rglob("*")) if start.is_dir() else []
        for path in candidates:
            relative = path.relative_to(root)
            if path.is_file() and "__pycache__" not in path.parts and not any(relative.is_relative_to(s) for s in skip):
                out.append(path)
    return out


def _hash_tree(root: Path, paths: list[Path]) -> str:
    return hash_parts(part for path in paths for part in (str(path.relative_to(root)), path.read_bytes()))


def inputs_key(root: Path, points: int) -> str:
    """A hash of everything the generated pages are made from (the package's code included)."""
    sources = _hash_tree(PACKAGE_DIR, list(_package_files()))
    return hash_parts([sources, _hash_tree(root, _tree_files(root, _INPUTS, _SKIPPED)), f"points={points}"])


def generated_key(root: Path) -> str:
    """A hash of the generated pages as they are now."""
    return _hash_tree(root, _tree_files(root, (GENERATED,)))
