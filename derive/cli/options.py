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
