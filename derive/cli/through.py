"""``derive through "LOSS" --activation sigmoid|softmax|identity``: derive your own loss's gradient.

The loss is read by :mod:`derive.yours.safe_parse` (never executed), derived by
:func:`derive.gradient_through`, printed like ``derive show`` and checked
like every catalogue entry.  A refused or underivable loss is one line and
exit status 2, before anything runs; a failed check is exit status 1.

Parsing, deriving and checking run in a child process under a time budget
and a memory cap (``--time-limit``, ``--memory-limit``; see
:mod:`derive.yours.limits` and :mod:`derive.yours.bounded`): a loss that exceeds one is one line naming the
limit and exit status 2, and no process is left behind.  A loss may start
with ``-`` (``derive through "-log(a[c])" --activation softmax``).
"""

from __future__ import annotations

import argparse
import re

from derive.cli.options import add_points_option
from derive.yours import ACTIVATIONS

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,60}$")
# argparse reads any word starting with "-" as an option unless it looks like a negative number;
# a loss such as -log(a[c]) is not an option of this command, so it counts as "negative" too.
_NOT_AN_OPTION = re.compile(r"^-(?!-).+$")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register this subcommand and its options on ``subparsers``."""
    parser = subparsers.add_parser(
        "through",
        help="derive the gradient of your own loss through an activation",
        description='Example: derive through "-(y*log(a) + (1 - y)*log(1 - a))" --activation sigmoid',
    )
    parser.add_argument("loss", help='the loss in the prediction and the label y, e.g. "(a - y)**2/2"')
    parser.add_argument("--prediction", default="a", help="the name of the prediction in LOSS (default a)")
    parser.add_argument("--activation", required=True, choices=ACTIVATIONS, help="how the prediction comes from z")
    parser.add_argument("--name", default="your_loss_grad", help="a name for the derivation (default your_loss_grad)")
    parser.add_argument("--latex", action="store_true", help="print LaTeX instead of unicode art")
    add_points_option(parser, "points per relation in the check")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="time budget for parsing, deriving and checking (default 60)",
    )
    parser.add_argument(
        "--memory-limit",
        default="2G",
        metavar="SIZE",
        help="memory cap for parsing, deriving and checking, e.g. 2G or 512M (default 2G)",
    )
    parser._negative_number_matcher = _NOT_AN_OPTION  # a loss may start with "-"
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand; return its exit status."""
    from derive.errors import UsageError
    from derive.yours import bounded

    if not _NAME.match(args.name):
        raise UsageError("--name takes lower-case letters, digits and underscores, starting with a letter")
    if not 0 < args.time_limit <= 24 * 3600:
        raise UsageError("--time-limit takes a number of seconds above 0 and up to 86400")
    try:
        memory = bounded.parse_memory(args.memory_limit)
    except ValueError as exc:
        raise UsageError(f"--memory-limit: {exc}") from None
    if memory < 256 * 1024**2:
        raise UsageError("--memory-limit must be at least 256M (SymPy alone needs about 200M)")
    return bounded.run_bounded(lambda: _derive_and_check(args), seconds=args.time_limit, memory=memory)


def _derive_and_check(args: argparse.Namespace) -> int:
    """Parse, derive, print and check the loss (in the bounded child process)."""
    from derive.cli.show import print_derivation
    from derive.yours.safe_parse import parse_loss, prediction_symbol
    from derive.yours.through import gradient_through

    loss = parse_loss(args.loss, args.prediction, args.activation)
    prediction = prediction_symbol(args.prediction, args.activation)
    derivation = gradient_through(loss, prediction, args.activation, name=args.name)
    print_derivation(derivation, use_latex=args.latex)
    report = derivation.check(points=args.points)
    print()
    if report.passed:
        print(
            f"check: passed: {len(report.relations)} relations at {report.points} points each, "
            f"{report.symbolic_count} also proved symbolically; largest relative error {report.max_rel_error:.1e}"
        )
        return 0
    failure = report.first_failure
    print(f"check: FAILED: {failure.describe() if failure else 'unknown failure'}")
    return 1
