"""Benchmark: `derive build` against `mkdocs build` alone, on the same generated docs.

Prints, from one run, the ratios of issues 3 and 9:

* cold: a full `derive build` with an empty build cache and no proofs kept
  (derive, check, plot, render, MkDocs) over `mkdocs build --strict` alone
  (target <= 3); the same with the proofs of earlier runs kept;
* one module edited: a rebuild after a change to one catalogue module (a
  comment appended, removed afterwards) over `mkdocs build` (target <= 2);
* warm: a second `derive build` with nothing changed over `mkdocs build`.

Every command runs as a subprocess, as a user would run it, into temporary
site directories.  The user's cache is moved aside for the cold build and put
back afterwards; the edited module is restored byte for byte.
Usage: python benchmarks/site_build.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "derive-site"
EDITED = ROOT / "derive" / "catalogue" / "sigmoid_grads.py"


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr.strip()}")
    return elapsed


def cold_build(derive: list[str], site: str, proofs: str) -> float:
    """A build with the build cache moved aside, proofs from ``proofs``."""
    with tempfile.TemporaryDirectory() as scratch:
        backup = Path(scratch) / "cache-backup"
        if CACHE.exists():
            shutil.move(str(CACHE), backup)
        try:
            return timed([*derive, site], {**os.environ, "DERIVE_PROOF_CACHE": proofs})
        finally:
            shutil.rmtree(CACHE, ignore_errors=True)
            if backup.exists():
                shutil.move(str(backup), CACHE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each warm measurement (best is kept)")
    args = parser.parse_args()
    derive = [sys.executable, "-m", "derive", "build", "--quiet", "--site-dir"]
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir"]
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryDirectory() as proofs:
        site = str(Path(scratch) / "site")
        cold = cold_build(derive, site, proofs)  # no proofs kept: every proof attempted
        cold_kept = cold_build(derive, site, proofs)  # the proofs of the first run kept
        env = {**os.environ, "DERIVE_PROOF_CACHE": proofs}
        timed([*derive, site], env)  # fill the user's cache for this exact code, if it was stale
        original = EDITED.read_bytes()
        try:
            # A new comment in each run: with a fixed one, every run after the first would find the
            # edited module's checks in the cache from the run before, and measure no rebuild at all.
            EDITED.write_bytes(original + f"\n# an edit made by benchmarks/site_build.py, {time.time_ns()}\n".encode())
            edited = timed([*derive, site], env)
        finally:
            EDITED.write_bytes(original)
        timed([*derive, site], env)
        warm = min(timed([*derive, site], env) for _ in range(args.repeat))
        alone = min(timed([*mkdocs, str(Path(scratch) / "plain")]) for _ in range(args.repeat))
    rows = (
        ("mkdocs build alone", alone, ""),
        ("derive build, empty cache, no proofs kept", cold, "3"),
        ("derive build, empty cache, proofs kept", cold_kept, "3"),
        ("derive build, one catalogue module edited", edited, "2"),
        ("derive build, nothing changed", warm, "1.3"),
    )
    for label, seconds, target in rows:
        ratio = f"   ratio {seconds / alone:5.2f}  (target <= {target})" if target else ""
        print(f"{label:<42} {seconds:7.2f} s{ratio}")


if __name__ == "__main__":
    main()
