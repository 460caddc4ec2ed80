"""Benchmark: derive.numeric against straightforward hand-written NumPy, forward plus gradient.

Run ``python benchmarks/numeric.py`` (``--n`` and ``--k`` change the size).
At N = 10^6 samples and K = 10 classes (float64) it times, for softmax
cross-entropy with one-hot labels, with sparse integer labels, and BCE with
logits on an (N, K) multi-label batch: one call of the loss plus one call of
its gradient, against the same two functions written the plain way a user
would (max-shift softmax, ``np.log``, no care for cancellation).  Each timing
is the best of several repeats, all measured in this one run, and the ratios
are printed with the targets: time <= 1.2x the hand-written version, and peak
extra memory (tracemalloc) <= 3 arrays the size of the input.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from derive import numeric

TIME_TARGET = 1.2
MEMORY_TARGET = 3.0


def plain_cce(z: np.ndarray, y: np.ndarray) -> float:
    shifted = z - z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-(y * log_probs).sum(axis=1).mean())


def plain_cce_grad(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True) - y) / len(z)


def plain_sparse(z: np.ndarray, labels: np.ndarray) -> float:
    shifted = z - z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(z)), labels].mean())


def plain_sparse_grad(z: np.ndarray, labels: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    grad = e / e.sum(axis=1, keepdims=True)
    grad[np.arange(len(z)), labels] -= 1
    return grad / len(z)


def plain_bce(z: np.ndarray, y: np.ndarray) -> float:
    return float((np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))).mean())


def plain_bce_grad(z: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (1 / (1 + np.exp(-z)) - y) / z.size


def best_times(first: Callable[[], object], second: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Best time of each, measured alternately so that both see the same load on a shared machine."""
    best = [float("inf"), float("inf")]
    for _ in range(repeats):
        for slot, run in enumerate((first, second)):
            start = time.perf_counter()
            run()
            best[slot] = min(best[slot], time.perf_counter() - start)
    return best[0], best[1]


def peak_bytes(run: Callable[[], object]) -> int:
    """Peak memory allocated while ``run`` executes (tracemalloc tracks NumPy's buffers)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10**6, help="samples N (default 10^6)")
    parser.add_argument("--k", type=int, default=10, help="classes K (default 10)")
    parser.add_argument("--repeats", type=int, default=5, help="timings per case; the best is kept")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    z = rng.normal(0, 3, (args.n, args.k))
    labels = rng.integers(0, args.k, args.n)
    one_hot = np.eye(args.k)[labels]
    binary = (rng.random((args.n, args.k)) < 0.3).astype(np.float64)
    input_bytes = z.nbytes

    cases = {
        "softmax cross-entropy, one-hot": (
            lambda: (numeric.softmax_cross_entropy(z, one_hot), numeric.softmax_cross_entropy_grad(z, one_hot)),
            lambda: (plain_cce(z, one_hot), plain_cce_grad(z, one_hot)),
        ),
        "softmax cross-entropy, sparse": (
            lambda: (
                numeric.sparse_softmax_cross_entropy(z, labels),
                numeric.sparse_softmax_cross_entropy_grad(z, labels),
            ),
            lambda: (plain_sparse(z, labels), plain_sparse_grad(z, labels)),
        ),
        "BCE with logits": (
            lambda: (numeric.bce_with_logits(z, binary), numeric.bce_with_logits_grad(z, binary)),
            lambda: (plain_bce(z, binary), plain_bce_grad(z, binary)),
        ),
    }
    print(f"N = {args.n}, K = {args.k}, float64; input {input_bytes / 2**20:.0f} MiB; best of {args.repeats}")
    print(f"{'case':34} {'ours s':>8} {'plain s':>8} {'ratio':>6} {'peak (inputs)':>14}  targets")
    failed = False
    for name, (ours, plain) in cases.items():
        ours()  # warm up (page faults, caches)
        ours_time, plain_time = best_times(ours, plain, args.repeats)
        ratio = ours_time / plain_time
        peak = peak_bytes(ours) / input_bytes
        plain_peak = peak_bytes(plain) / input_bytes
        ok = ratio <= TIME_TARGET and peak <= MEMORY_TARGET
        failed |= not ok
        verdict = "met" if ok else "MISSED"
        print(f"{name:34} {ours_time:8.3f} {plain_time:8.3f} {ratio:6.2f} {peak:6.2f} ({plain_peak:4.2f})  {verdict}")
    print(f"targets: ratio <= {TIME_TARGET}, peak <= {MEMORY_TARGET:.0f} inputs (plain version's peak in brackets)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
