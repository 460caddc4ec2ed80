"""Mean squared error through softmax, ``mse(softmax(z), y)``, and its gradient.

The catalogue's ``mse_softmax_grad`` uses the per-sample loss
L = sum_k (a_k - y_k)^2; :func:`softmax_mse` is the frameworks' mean over all
N K elements, so with "mean" its value is the catalogue's L averaged over
samples and divided by K, and so is its gradient.  Label rows y are finite
and >= 0, as in :mod:`~derive.numeric.softmax_losses` (the catalogue's
``LABEL_VECTOR``).

>>> float(softmax_mse(np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]])))
0.25
"""

from __future__ import annotations

from typing import Any

import numpy as np

from derive.numeric._checks import NONNEGATIVE_LABELS, gradient_scale, paired, reduce_loss
from derive.numeric.activations import shifted_exp


def _softmax_minus(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(a, a - y, top, 1 - a_top) with a = softmax(z), the top entry of a - y kept accurate.

    a_top = 1 / (1 + rest) rounds to 1 for confident rows, so
    a_top - y_top = ((1 - y_top) - y_top rest) / (1 + rest) and
    1 - a_top = rest / (1 + rest) are formed without subtracting from 1.
    """
    _, a, top, _, rest = shifted_exp(z)
    denominator = 1 + rest
    a /= denominator
    np.put_along_axis(a, top, 1 / denominator, axis=-1)
    diff = a - y
    y_top = np.take_along_axis(y, top, axis=-1)
    np.put_along_axis(diff, top, ((1 - y_top) - y_top * rest) / denominator, axis=-1)
    return a, diff, top, rest / denominator


def softmax_mse(z: Any, y: Any, reduction: str = "mean") -> np.ndarray | np.floating:
    """``mse(softmax(z), y)``: the mean of (softmax(z)_k - y_k)^2 over all N K elements.

    Catalogue: the loss of ``mse_softmax_grad`` (per sample, summed over k).
    "none" returns the (N, K) squares, like :func:`~derive.numeric.losses.mse`.

    >>> softmax_mse(np.array([[1000.0, 0.0]]), np.array([[1.0, 0.0]]), "none").tolist()
    [[0.0, 0.0]]
    """
    z, y, form = paired(z, y, ("z", "y"), reduction, NONNEGATIVE_LABELS, classes=True)
    _, squares, _, _ = _softmax_minus(z, y)
    np.square(squares, out=squares)
    return form.give(reduce_loss(squares, reduction))


def softmax_mse_grad(z: Any, y: Any, reduction: str = "mean") -> np.ndarray:
    """Gradient of :func:`softmax_mse` with respect to ``z``.

    Catalogue: ``mse_softmax_grad`` gives, for L = sum_k (a_k - y_k)^2,
    dL/dz_i = 2 a_i [(a_i - y_i) - s] with s = sum_k a_k (a_k - y_k); "mean"
    divides by N K.

    Stable rewrite: s nearly cancels whenever the top probabilities match
    their labels (a confident correct row, or tied logits such as
    [30, 30, -30] with labels [1, 0, 0], where s = -e^{-60}/4 comes out of
    -1/4 + 1/4), and the small entries' brackets are then all error.  With
    e_k = e^{z_k - m} (exactly 1 at the c tied maxima T) and E = sum_k e_k,
    s = M / E^2, M = sum_k e_k^2 - E sum_k e_k y_k, and splitting each sum
    into T and the rest S (E_S = sum_S e_k, Q_S = sum_S e_k^2, P_S = sum_S e_k y_k,
    Y_T = sum_T y_k):

        M = c (1 - Y_T) + Q_S - c P_S - E_S Y_T - E_S P_S,

    whose first term is exact, so the cancellation happens in exact
    arithmetic.  At a maximum, (a_i - y_i) - s is also taken over E^2 and
    simplified the same way:

        c (Y_T - c y_i) + E_S (1 - 2 c y_i + Y_T) - y_i E_S^2 - Q_S + c P_S + E_S P_S.

    Y_T is summed with the rounding error of each addition kept
    (:func:`_two_part_sum`), so 1 - Y_T is right even for labels such as 0.3
    and 0.7, whose sum rounds to 1.  Tested against 50-digit arithmetic to
    1e-12 relative per entry on tied rows.

    >>> softmax_mse_grad(np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]]), "sum").tolist()
    [[-0.5, 0.5]]
    >>> g = softmax_mse_grad(np.array([[30.0, 30.0, -30.0]]), np.array([[1.0, 0.0, 0.0]]), "sum")
    >>> print(f"{g[0, 2]:.6e}")  # 3 e^-120 / 4 to first order; the naive bracket gives 2/3 of it
    5.750736e-53
    """
    z, y, form = paired(z, y, ("z", "y"), reduction, NONNEGATIVE_LABELS, classes=True)
    _, e, top, _, _ = shifted_exp(z)
    np.put_along_axis(e, top, 1, axis=-1)  # e_k = e^{z_k - m}: exactly 1 at every maximum
    tied = e == 1
    c = tied.sum(axis=-1, keepdims=True).astype(z.dtype)
    small = np.where(tied, 0, e)
    y_tied, y_tied_low = _two_part_sum(np.where(tied, y, 0))  # Y_T = y_tied + y_tied_low, nearly exactly
    e_small = small.sum(axis=-1, keepdims=True)
    q_small = np.square(small).sum(axis=-1, keepdims=True)
    p_small = (small * y).sum(axis=-1, keepdims=True)
    total = c + e_small
    squared = total * total
    m = c * ((1 - y_tied) - y_tied_low) + q_small - c * p_small - e_small * y_tied - e_small * p_small
    a = e / total
    bracket = (a - y) - m / squared
    at_maximum = (
        c * ((y_tied - c * y) + y_tied_low)
        + e_small * (((y_tied - c * y) + (1 - c * y)) + y_tied_low)
        - y * (e_small * e_small)
        - q_small
        + c * p_small
        + e_small * p_small
    ) / squared
    np.copyto(bracket, at_maximum, where=tied)
    bracket *= a
    bracket *= z.dtype.type(2) / z.dtype.type(gradient_scale(z.size, reduction))
    return form.give(bracket)


def _two_part_sum(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sum over the last axis as ``(high, low)``: high + low is the sum with each rounding error kept.

    Knuth's TwoSum, one class at a time: t = h + x loses exactly
    (h - (t - b)) + (x - b) with b = t - h, which is added to ``low``.

    >>> high, low = _two_part_sum(np.array([[0.3, 0.7]]))
    >>> float(high[0, 0]), float(low[0, 0])
    (1.0, -5.551115123125783e-17)
    """
    high = np.zeros((*values.shape[:-1], 1), values.dtype)
    low = np.zeros_like(high)
    for k in range(values.shape[-1]):
        x = values[..., k : k + 1]
        total = high + x
        part = total - high
        low += (high - (total - part)) + (x - part)
        high = total
    return high, low
