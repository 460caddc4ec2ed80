"""Benchmark: `derive build` against `mkdocs build` alone, on the same generated docs.

Prints, from one run, the two ratios of issue 3 item 9:

* cold: a full `derive build` with an empty cache (derive, check, plot,
  render, MkDocs) over `mkdocs build --strict` alone;
* warm: a second `derive build` with nothing changed over `mkdocs build`.

Every command runs as a subprocess, as a user would run it, into temporary
site directories.  The user's cache is moved aside for the cold build and put
back afterwards.  Usage: python benchmarks/site_build.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "derive-site"


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each warm measurement (best is kept)")
    args = parser.parse_args()
    derive = [sys.executable, "-m", "derive", "build", "--quiet", "--site-dir"]
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir"]
    with tempfile.TemporaryDirectory() as scratch:
        site = str(Path(scratch) / "site")
        backup = Path(scratch) / "cache-backup"
        if CACHE.exists():
            shutil.move(str(CACHE), backup)
        try:
            cold = timed([*derive, site])
        finally:
            if backup.exists():
                shutil.rmtree(CACHE, ignore_errors=True)
                shutil.move(str(backup), CACHE)
        timed([*derive, site])  # fill the user's cache for this exact code, if it was stale
        warm = min(timed([*derive, site]) for _ in range(args.repeat))
        alone = min(timed([*mkdocs, str(Path(scratch) / "plain")]) for _ in range(args.repeat))
    print(f"mkdocs build alone            {alone:7.2f} s")
    print(f"derive build, empty cache     {cold:7.2f} s   ratio {cold / alone:5.2f}  (target <= 3)")
    print(f"derive build, nothing changed {warm:7.2f} s   ratio {warm / alone:5.2f}  (target <= 1.3)")


if __name__ == "__main__":
    main()
