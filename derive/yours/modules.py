"""A user's own module of derivations, added to the catalogue for this process.

The module is the user's own Python code, so it is imported (run) as usual.
Every :class:`~derive.model.derivation.Derivation` (for example from
:func:`derive.gradient_through`) and every ``@entry`` defined at its top level
joins the catalogue: ``derive build --with my_losses.py`` gives them pages,
``derive check --with my_losses.py`` checks them, ``derive show --with
my_losses.py NAME`` prints one.  A missing file, a syntax error or an
exception inside the module is one line naming the file and the line.

>>> load_module("no/such/file.py")
Traceback (most recent call last):
...
derive.errors.UserModuleError: no/such/file.py: no such file
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import sys
import traceback
from pathlib import Path

from derive.errors import UserModuleError
from derive.model.derivation import Derivation, Entry
from derive.registry import add, all_entries, as_entry

_loaded: dict[Path, list[Entry | Derivation]] = {}


def load_module(path: str | Path) -> list[Entry | Derivation]:
    """Import the user's file, register its top-level derivations, return them in order.

    Loading the same file twice in a process returns the first result.
    """
    path = Path(path)
    if path.is_dir():
        raise UserModuleError(f"{path}: a directory, not a Python file of derivations")
    if not path.is_file():
        raise UserModuleError(f"{path}: no such file")
    resolved = path.resolve()
    if resolved in _loaded:
        return _loaded[resolved]
    module_name = "derive_user_" + hashlib.sha1(str(resolved).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(module_name, resolved)
    if spec is None or spec.loader is None:
        raise UserModuleError(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        sys.modules.pop(module_name, None)
        raise UserModuleError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    except Exception as exc:  # the user's code may raise anything: report it in one line
        sys.modules.pop(module_name, None)
        raise UserModuleError(f"{path}:{_line_in(exc, resolved)}: {type(exc).__name__}: {_one_line(exc)}") from None
    found = _collect(vars(module), module_name)
    if not found:
        raise UserModuleError(f"{path}: defines no Derivation and no @entry at its top level")
    try:
        # Entries keep the user module's name, so a build can group them and find their source.
        add(item if isinstance(item, Entry) else as_entry(item, module_name) for item in found)
    except ValueError as exc:
        raise UserModuleError(f"{path}: {exc}") from None
    _loaded[resolved] = found
    return found


def _collect(namespace: dict[str, object], module_name: str) -> list[Entry | Derivation]:
    """Top-level derivations and entries of the module, without ones it imported from the catalogue."""
    built_elsewhere = {id(e.__dict__["derivation"]) for e in all_entries().values() if "derivation" in e.__dict__}
    found: list[Entry | Derivation] = []
    seen: set[int] = set()
    for value in namespace.values():
        if id(value) in seen:
            continue
        if isinstance(value, Entry) and value.module == module_name:
            found.append(value)
        elif isinstance(value, Derivation) and id(value) not in built_elsewhere:
            found.append(value)
        seen.add(id(value))
    return found


def _line_in(exc: BaseException, path: Path) -> int | str:
    """The last line of ``path`` in the exception's traceback (where the user's code failed)."""
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if Path(frame.filename) == path]
    return lines[-1] if lines else "?"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or "(no message)"


def load_requested(args: argparse.Namespace) -> None:
    """Load every ``--with`` file named on the command line."""
    for path in getattr(args, "with_files", []):
        load_module(path)
