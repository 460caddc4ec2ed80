"""``derive check [NAME ...]``: verify derivations and print a table."""

from __future__ import annotations

import argparse

from derive.registry import get, lookup, names


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("check", help="verify derivations (all by default)")
    parser.add_argument("names", nargs="*", metavar="NAME", help="derivations to check (default: all)")
    parser.add_argument("--points", type=int, default=200, help="random and hard points per relation (default 200)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    chosen = args.names or names()
    for name in chosen:
        lookup(name)  # unknown names fail before any work starts
    width = max(map(len, chosen))
    print(f"{'derivation':<{width}}  {'verdict':<7}  {'relations':>9}  {'symbolic':>8}  {'points':>6}  max rel. error")
    failed = 0
    for name in chosen:
        report = get(name).check(points=args.points)
        verdict = "ok" if report.passed else "FAILED"
        print(
            f"{name:<{width}}  {verdict:<7}  {len(report.relations):>9}  {report.symbolic_count:>8}  "
            f"{report.points:>6}  {report.max_rel_error:.1e}",
            flush=True,
        )
        if not report.passed:
            failed += 1
            print(f"  {report.first_failure.describe()}")
    print(f"{len(chosen) - failed} passed, {failed} failed")
    return 1 if failed else 0
