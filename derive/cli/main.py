"""The ``derive`` command: a thin layer over the library.

Each subcommand lives in a module of :mod:`derive.cli` with two
functions, ``add_parser(subparsers)`` and ``run(args) -> int``; this module
lists them and is the one place that turns the project's errors
(:mod:`derive.errors`) into one line on stderr and an exit status: 2 for bad
input, 1 for a derivation that fails or a build that cannot go on.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from derive.errors import DeriveError, UsageError

COMMANDS: tuple[str, ...] = (
    "derive.cli.list_",
    "derive.cli.show",
    "derive.cli.check",
    "derive.cli.build",
    "derive.cli.through",
    "derive.cli.export",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    """The ``derive`` parser, with every subcommand of :data:`COMMANDS`."""
    parser = _Parser(prog="derive", description="Derived and verified losses and gradients.")
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module_name in COMMANDS:
        importlib.import_module(module_name).add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        return int(args.run(args))
    except DeriveError as exc:  # every error of derive.errors; its class says the exit status
        print(f"derive: error: {exc}", file=sys.stderr)
        return exc.exit_status
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("derive: interrupted", file=sys.stderr)
        return 130
