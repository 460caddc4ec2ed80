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
    a, top, _, rest = shifted_exp(z)
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
    divides by N K.  At the top logit the bracket is computed as
    (a_top - y_top)(1 - a_top) - sum_{k != top} a_k (a_k - y_k) (the same
    number, as s = a_top (a_top - y_top) + that sum): for a confident
    correct row both terms are tiny and of one sign, where the naive
    bracket subtracts two nearly equal numbers.

    >>> softmax_mse_grad(np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]]), "sum").tolist()
    [[-0.5, 0.5]]
    """
    z, y, form = paired(z, y, ("z", "y"), reduction, NONNEGATIVE_LABELS, classes=True)
    a, grad, top, below_one = _softmax_minus(z, y)
    d_top = np.take_along_axis(grad, top, axis=-1)
    a_top = np.take_along_axis(a, top, axis=-1)
    weighted = a * grad
    np.put_along_axis(weighted, top, 0, axis=-1)
    off_top = weighted.sum(axis=-1, keepdims=True)
    grad -= a_top * d_top + off_top
    np.put_along_axis(grad, top, d_top * below_one - off_top, axis=-1)
    grad *= a
    grad *= z.dtype.type(2) / z.dtype.type(gradient_scale(z.size, reduction))
    return form.give(grad)
