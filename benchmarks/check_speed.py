"""Benchmark for issues 2 and 9: the cost of ``import derive`` and of ``derive check``.

Prints, measured in this one run:

* ``import derive`` time over ``import sympy`` time (fresh interpreters, best of 5);
* the wall time of ``derive check`` over the whole catalogue against the 5 s
  budget of issue 9 (ratio <= 1 means within budget): once with an empty
  proof cache (every symbolic proof attempted: a fresh machine), once with the
  proofs of that first run kept (any later run with the prover unchanged);
* the CPU time of each, since the machine may be shared.

Run: ``python benchmarks/check_speed.py``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time

CHECK_BUDGET_SECONDS = 5.0


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (children included) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best_of(command: list[str], repeats: int) -> float:
    return min(run(command)[0] for _ in range(repeats))


def main() -> None:
    python = sys.executable
    sympy_import = best_of([python, "-c", "import sympy"], 5)
    derive_import = best_of([python, "-c", "import derive"], 5)
    print(f"import sympy : {sympy_import:.3f} s")
    print(f"import derive: {derive_import:.3f} s  (ratio {derive_import / sympy_import:.2f}x)")
    names = subprocess.run([python, "-m", "derive", "list"], capture_output=True, text=True, check=True)
    count = len(names.stdout.splitlines())
    with tempfile.TemporaryDirectory() as proofs:
        env = {**os.environ, "DERIVE_PROOF_CACHE": proofs}
        cold, cold_cpu = run([python, "-m", "derive", "check"], env)
        warm, warm_cpu = run([python, "-m", "derive", "check"], env)
    for label, wall, cpu in (("no proofs kept", cold, cold_cpu), ("proofs kept", warm, warm_cpu)):
        print(
            f"derive check, {label:<14}: {wall:5.1f} s wall, {cpu:5.1f} s CPU for {count} derivations  "
            f"(ratio to the {CHECK_BUDGET_SECONDS:.0f} s budget: {wall / CHECK_BUDGET_SECONDS:.2f})"
        )


if __name__ == "__main__":
    main()
