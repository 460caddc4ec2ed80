"""``derive through "LOSS" --activation sigmoid|softmax|identity``: derive your own loss's gradient.

The loss is read by :mod:`derive.yours.safe_parse` (never executed), derived by
:func:`derive.gradient_through`, printed like ``derive show`` and checked
like every catalogue entry.  A refused or underivable loss is one line and
exit status 2, before anything runs; a failed check is exit status 1.
"""

from __future__ import annotations

import argparse
import re

from derive.cli.options import add_points_option
from derive.yours import ACTIVATIONS

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,60}$")


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
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand; return its exit status."""
    from derive.cli.show import print_derivation
    from derive.errors import UsageError
    from derive.yours.safe_parse import parse_loss, prediction_symbol
    from derive.yours.through import gradient_through

    if not _NAME.match(args.name):
        raise UsageError("--name takes lower-case letters, digits and underscores, starting with a letter")
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
