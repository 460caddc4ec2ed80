"""``derive show NAME``: the steps and results of a derivation in the terminal."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from derive.cli.options import add_with_option

if TYPE_CHECKING:
    from derive.model.derivation import Derivation


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register this subcommand and its options on ``subparsers``."""
    parser = subparsers.add_parser("show", help="print a derivation's steps and results")
    parser.add_argument("name", help="the derivation's name (see `derive list`)")
    parser.add_argument("--latex", action="store_true", help="print LaTeX instead of unicode art")
    add_with_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand; return its exit status."""
    from derive.registry import get
    from derive.yours.modules import load_requested

    load_requested(args)
    print_derivation(get(args.name), use_latex=args.latex)
    return 0


def print_derivation(d: Derivation, use_latex: bool = False) -> None:
    """Print a derivation: title, summary, assumptions, notation, steps and results."""
    from derive.printing import definition, latex, notation, pairs, pretty, render_text

    names = pairs(d.named)

    def render(expr: object, own: object = names) -> str:
        return latex(expr, names=own) if use_latex else pretty(expr, names=own)

    def words(text: str) -> str:  # symbol placeholders such as {a_i} printed like the math
        return render_text(text, (lambda s: f"${latex(s)}$") if use_latex else pretty)

    print(f"{d.name}: {words(d.title)}")
    if d.summary:
        print(words(d.summary))
    print("\nAssumptions:")
    for relation in d.assumptions:
        print(f"  {render(relation)}")
    symbols = notation([s.eq for _, s in d.labelled()])
    if symbols:
        print("\nNotation:")
        for abbreviation in symbols:
            print(f"  {render(abbreviation)}")
    if d.named:
        print("\nNamed quantities:")
        for n, named in enumerate(d.named, 1):
            earlier = pairs(d.named[: n - 1])
            sides = [named.symbol, named.meaning] + ([named.value] if named.value is not None else [])
            print(f"\n  {words(named.why)}")
            print(_indent(definition(sides, earlier, use_latex)))
    in_steps = pairs(d.named, steps=True)
    for heading, items, own in (("Steps", d.steps, in_steps), ("Results", d.conclusions, names)):
        print(f"\n{heading}:")
        for number, step in enumerate(items, 1):
            print(f"\n({number}) {words(step.why)}")
            print(_indent(render(step.eq, own)))


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
