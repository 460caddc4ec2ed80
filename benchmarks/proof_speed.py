"""Benchmark for issue 9: the CPU time of every proof attempt of the catalogue, with an empty proof cache.

Runs the prover exactly as ``derive check`` calls it (equalities through
:func:`derive.verify.prove.prove_equal`, inequalities through
:func:`derive.verify.intervals.prove_inequality`) on every step and result of
the catalogue, with ``DERIVE_PROOF_CACHE`` pointing at a fresh empty
directory, and prints:

* the total CPU seconds of the proof attempts against the 3 s budget (ratio <= 1 is within budget);
* how many relations each method proved, and how many were not proved, equalities and inequalities apart;
* with ``--slow N``, the N relations whose attempts took longest.

Run: ``python benchmarks/proof_speed.py [--slow 10]``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter

PROOF_BUDGET_SECONDS = 3.0


def main() -> None:
    slow = int(sys.argv[sys.argv.index("--slow") + 1]) if "--slow" in sys.argv else 0
    with tempfile.TemporaryDirectory() as empty:
        os.environ["DERIVE_PROOF_CACHE"] = empty  # read when the prover is imported: set it first
        from derive import registry
        from derive.verify.prove import prove_step

        methods: dict[str, Counter[str]] = {"equalities": Counter(), "inequalities": Counter()}
        times: list[tuple[float, str, str]] = []
        for name in registry.names():
            derivation = registry.get(name)
            for label, step in derivation.labelled():
                start = time.process_time()
                symbolic, interval = prove_step(step, derivation)
                spent = time.process_time() - start
                kind = "equalities" if step.eq.func.__name__ == "Equality" else "inequalities"
                method = symbolic or (interval.split(" (")[0] if interval else "") or "not proved"
                methods[kind][method] += 1
                times.append((spent, f"{name} {label}", method))
    total = sum(t for t, _, _ in times)
    print(
        f"proof attempts: {len(times)} relations, {total:.2f} CPU s "
        f"(budget {PROOF_BUDGET_SECONDS:.0f} s, ratio {total / PROOF_BUDGET_SECONDS:.2f})"
    )
    for kind, counter in methods.items():
        proved = sum(n for m, n in counter.items() if m != "not proved")
        count = sum(counter.values())
        print(f"{kind}: {proved} of {count} proved ({100 * proved / max(count, 1):.0f} %)")
        for method, n in counter.most_common():
            print(f"  {n:4d}  {method}")
    if slow:
        print(f"slowest {slow}:")
        for spent, where, method in sorted(times, reverse=True)[:slow]:
            print(f"  {spent:6.3f} s  {where}  [{method}]")


if __name__ == "__main__":
    main()
