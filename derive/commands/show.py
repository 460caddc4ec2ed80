"""``derive show NAME``: the steps and results of a derivation in the terminal."""

from __future__ import annotations

import argparse

from derive.printing import latex, notation, pretty
from derive.registry import get


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("show", help="print a derivation's steps and results")
    parser.add_argument("name", help="the derivation's name (see `derive list`)")
    parser.add_argument("--latex", action="store_true", help="print LaTeX instead of unicode art")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    d = get(args.name)
    render = latex if args.latex else pretty
    print(f"{d.name}: {d.title}")
    if d.summary:
        print(d.summary)
    print("\nAssumptions:")
    for relation in d.assumptions:
        print(f"  {render(relation)}")
    symbols = notation([s.eq for _, s in d.labelled()])
    if symbols:
        print("\nNotation:")
        for abbreviation in symbols:
            print(f"  {render(abbreviation)}")
    for heading, items in (("Steps", d.steps), ("Results", d.conclusions)):
        print(f"\n{heading}:")
        for number, step in enumerate(items, 1):
            print(f"\n({number}) {step.why}")
            print(_indent(render(step.eq)))
    return 0


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
