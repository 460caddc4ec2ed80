"""Benchmark for issue 2: the cost of ``import derive`` and of ``derive check``.

Prints, measured in this one run:

* ``import derive`` time over ``import sympy`` time (fresh interpreters, best of 5);
* the wall time of ``derive check`` over the whole catalogue, against the
  20 s budget (ratio < 1 means within budget).

Run: ``python benchmarks/check_speed.py``.
"""

from __future__ import annotations

import subprocess
import sys
import time

CHECK_BUDGET_SECONDS = 20.0


def best_of(command: list[str], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    python = sys.executable
    sympy_import = best_of([python, "-c", "import sympy"], 5)
    derive_import = best_of([python, "-c", "import derive"], 5)
    print(f"import sympy : {sympy_import:.3f} s")
    print(f"import derive: {derive_import:.3f} s  (ratio {derive_import / sympy_import:.2f}x)")
    check = best_of([python, "-m", "derive", "check"], 1)
    names = subprocess.run([python, "-m", "derive", "list"], capture_output=True, text=True, check=True)
    count = len(names.stdout.splitlines())
    print(
        f"derive check : {check:.1f} s for {count} derivations  (ratio to the {CHECK_BUDGET_SECONDS:.0f} s budget: "
        f"{check / CHECK_BUDGET_SECONDS:.2f})"
    )


if __name__ == "__main__":
    main()
