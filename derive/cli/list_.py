"""``derive list``: every derivation's name and title."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register this subcommand and its options on ``subparsers``."""
    parser = subparsers.add_parser("list", help="list the derivations")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand; return its exit status."""
    from derive.registry import lookup, names

    width = max(map(len, names()))
    for name in names():
        print(f"{name:<{width}}  {lookup(name).title}")
    return 0
