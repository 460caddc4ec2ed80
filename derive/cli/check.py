"""``derive check [NAME ...]``: verify derivations and print a table."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from derive.cli.options import add_points_option, add_with_option

if TYPE_CHECKING:
    from derive.verify.check import CheckReport


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register this subcommand and its options on ``subparsers``."""
    parser = subparsers.add_parser("check", help="verify derivations (all by default)")
    parser.add_argument("names", nargs="*", metavar="NAME", help="derivations to check (default: all)")
    add_points_option(parser, "points per relation, hard ones first")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    add_with_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand; return its exit status."""
    from derive.errors import UsageError
    from derive.registry import lookup, names
    from derive.verify.parallel import check_many
    from derive.yours.modules import load_requested

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs takes a whole number of at least 1")
    load_requested(args)
    chosen = args.names or names()
    for name in chosen:
        lookup(name)  # unknown names fail before any work starts
    width = max(map(len, chosen))
    print(
        f"{'derivation':<{width}}  {'verdict':<7}  {'relations':>9}  {'symbolic':>8}  {'interval':>8}  "
        f"{'checked':>7}  {'points':>6}  certified bound"
    )

    def row(report: CheckReport) -> None:
        verdict = "ok" if report.passed else "FAILED"
        print(
            f"{report.name:<{width}}  {verdict:<7}  {len(report.relations):>9}  {report.symbolic_count:>8}  "
            f"{report.interval_count:>8}  {report.checked_count:>7}  {report.points:>6}  {report.max_rel_error:.1e}",
            flush=True,
        )
        if report.first_failure:
            print(f"  {report.first_failure.describe()}", flush=True)

    reports = check_many(chosen, points=args.points, jobs=args.jobs, on_done=row)
    failed = sum(not r.passed for r in reports)
    print(f"{len(reports) - failed} passed, {failed} failed")
    print(status_summary(reports))
    return 1 if failed else 0


def status_summary(reports: list[CheckReport]) -> str:
    """How many relations have each status, in one line.

    >>> print(status_summary([]))
    relations: 0 proved symbolically, 0 proved on the domain by interval arithmetic, 0 checked at points only
    """
    relations = [r for report in reports for r in report.relations]
    total = len(relations) or 1
    symbolic = sum(report.symbolic_count for report in reports)
    interval = sum(report.interval_count for report in reports)
    checked = len(relations) - symbolic - interval

    def share(n: int) -> str:
        return f"{n}" if not relations else f"{n} ({100 * n / total:.0f} %)"

    return (
        f"relations: {share(symbolic)} proved symbolically, {share(interval)} proved on the domain by interval "
        f"arithmetic, {share(checked)} checked at points only"
    )
