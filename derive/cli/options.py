"""Command-line options shared by several subcommands, with no heavy imports.

The command line builds its parser from these without importing SymPy, so a
build with nothing to derive does not pay for it.

>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_with_option(parser)
>>> parser.parse_args(["--with", "mine.py"]).with_files
[PosixPath('mine.py')]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from derive.model import POINTS

# The backends `derive export` prints code for.
BACKEND_NAMES = ("numpy", "jax", "torch")


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


# More points than this would only exhaust memory: 200 is the default, and a few thousand is already thorough.
MAX_POINTS = 100_000


def point_count(text: str) -> int:
    """An ``--points`` value: a whole number from 1 to :data:`MAX_POINTS`.

    >>> point_count("50")
    50
    >>> point_count("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --points takes a whole number from 1 to 100000, not '0'
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_POINTS:
        raise argparse.ArgumentTypeError(f"--points takes a whole number from 1 to {MAX_POINTS}, not {text!r}")
    return value


def add_points_option(parser: argparse.ArgumentParser, what: str) -> None:
    """The ``--points N`` option of ``derive build``, ``check`` and ``through``."""
    parser.add_argument("--points", type=point_count, default=POINTS, metavar="N", help=f"{what} (default {POINTS})")
