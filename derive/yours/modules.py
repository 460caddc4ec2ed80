"""A user's own module of derivations, added to the catalogue for this process.

The module is the user's own Python code, so it is imported (run) as usual,
with the user's rights: ``--with`` runs whatever the file does.
Every :class:`~derive.model.derivation.Derivation` (for example from
:func:`derive.gradient_through`) and every ``@entry`` defined at its top level
joins the catalogue: ``derive build --with my_losses.py`` gives them pages,
``derive check --with my_losses.py`` checks them, ``derive show --with
my_losses.py NAME`` prints one.  A missing file, a syntax error or an
exception inside the module is one line naming the file and the line.  So is
a module or a builder that calls ``sys.exit`` (whatever the code: it must not
pass for a successful run that checked nothing), raises any BaseException
but an interrupt, or a builder that returns something other than a
:class:`~derive.model.derivation.Body`: each is a :class:`UserModuleError`,
exit status 2.

>>> load_module("no/such/file.py")
Traceback (most recent call last):
...
derive.errors.UserModuleError: no/such/file.py: no such file
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import hashlib
import importlib.util
import sys
import traceback
from pathlib import Path

from derive.errors import UserModuleError
from derive.model.derivation import Body, Derivation, Entry
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
    except KeyboardInterrupt:  # Ctrl-C while the module loads: an interrupt, not the module's doing
        sys.modules.pop(module_name, None)
        raise
    except BaseException as exc:  # the user's code may raise anything, sys.exit included: one line
        sys.modules.pop(module_name, None)
        raise UserModuleError(f"{path}:{_line_in(exc, resolved)}: {_what_it_did(exc)}") from None
    found = _collect(vars(module), module_name)
    if not found:
        raise UserModuleError(f"{path}: defines no Derivation and no @entry at its top level")
    try:
        # Entries keep the user module's name, so a build can group them and find their source.
        add(
            _guarded(item, path, resolved) if isinstance(item, Entry) else as_entry(item, module_name) for item in found
        )
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


def _guarded(entry: Entry, path: Path, resolved: Path) -> Entry:
    """``entry`` with a builder that turns whatever the user's builder does wrong into one line."""
    builder = entry.builder

    @functools.wraps(builder)
    def build() -> Body:
        try:
            body = builder()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            where = f"{path}:{_line_in(exc, resolved)}"
            raise UserModuleError(f"{where}: the builder of {entry.name!r}: {_what_it_did(exc)}") from None
        if not isinstance(body, Body):
            raise UserModuleError(
                f"{path}: the builder of {entry.name!r}: returned {type(body).__name__}, not a derive Body "
                "(domain, steps, results)"
            )
        return body

    return dataclasses.replace(entry, builder=build)


def _what_it_did(exc: BaseException) -> str:
    """What a user's code did, in words: a call of sys.exit, or the exception it raised."""
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r}); nothing was checked"
    return f"{type(exc).__name__}: {_one_line(exc)}"


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
