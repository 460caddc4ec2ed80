"""Command-line options shared by several subcommands, with no heavy imports.

The command line builds its parser from these without importing SymPy, so a
build with nothing to derive does not pay for it.

>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_with_option(parser)
>>> parser.parse_args(["--with", "mine.py"]).with_files
[PosixPath('mine.py')]
>>> add_points_option(parser)
>>> parser.parse_args(["--points", "50"]).points
50
"""

from __future__ import annotations

import argparse
from pathlib import Path

# The backends `derive export` prints code for.
BACKEND_NAMES = ("numpy", "jax", "torch")
DEFAULT_POINTS = 200
# More points than this take hours and gigabytes per derivation; 100 million ended in a MemoryError.
MAX_POINTS = 100_000


def points_count(text: str) -> int:
    """The value of ``--points``: a whole number from 1 to :data:`MAX_POINTS`.

    >>> points_count("200")
    200
    >>> points_count("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: takes a whole number from 1 to 100000, got '0'
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_POINTS:
        raise argparse.ArgumentTypeError(f"takes a whole number from 1 to {MAX_POINTS}, got {text!r}")
    return value


def add_points_option(parser: argparse.ArgumentParser) -> None:
    """The ``--points N`` option of ``derive build``, ``check`` and ``through``, bounded by :func:`points_count`."""
    parser.add_argument(
        "--points",
        type=points_count,
        default=DEFAULT_POINTS,
        metavar="N",
        help=f"points per relation in the checks, hard ones first (default {DEFAULT_POINTS}, at most {MAX_POINTS})",
    )


def add_with_option(parser: argparse.ArgumentParser) -> None:
    """The ``--with FILE`` option of ``derive build``, ``show`` and ``check``."""
    parser.add_argument(
        "--with",
        dest="with_files",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a Python module of your own derivations to add (repeatable)",
    )
