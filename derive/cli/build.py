"""``derive build``: derive, check, plot and render everything into the MkDocs site."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from derive.cli.options import add_points_option, add_with_option


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register this subcommand and its options on ``subparsers``."""
    parser = subparsers.add_parser("build", help="build the documentation site (checks every derivation)")
    parser.add_argument("--site-dir", type=Path, default=None, metavar="DIR", help="where to build (default: site/)")
    add_with_option(parser)
    add_points_option(parser, "points per relation in the checks")
    parser.add_argument("--quiet", action="store_true", help="print only errors and the final line")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the subcommand; return its exit status."""
    from derive.site.pipeline import build_site, project_root

    started = time.perf_counter()
    root = project_root()
    site_dir = (args.site_dir or root / "site").resolve()
    progress = (lambda _: None) if args.quiet else (lambda line: print(line, flush=True))
    build_site(root, site_dir, tuple(args.with_files), progress=progress, points=args.points)
    print(f"built {site_dir} in {time.perf_counter() - started:.1f} s")
    return 0
