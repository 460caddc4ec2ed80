"""``derive export NAME --backend numpy|jax|torch``: print a function computing a derivation's result."""

from __future__ import annotations

import argparse

from derive.cli.options import BACKEND_NAMES


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="print a self-contained function for a derivation's result")
    parser.add_argument("name", help="the derivation's name (see `derive list`)")
    parser.add_argument("--backend", choices=BACKEND_NAMES, default="numpy", help="array library (default numpy)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from derive.codegen import source
    from derive.registry import get

    print(source(get(args.name), args.backend), end="")
    return 0
