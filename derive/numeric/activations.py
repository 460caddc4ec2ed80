"""sigmoid, softmax and log-softmax in NumPy, from the catalogue's definitions.

The catalogue defines sigma(z) = 1 / (1 + e^{-z}) (entry ``sigmoid_derivative``)
and softmax(z)_i = e^{z_i} / sum_k e^{z_k} (entry ``softmax_jacobian``).  Both
naive forms overflow: e^{-z} is inf from z = -710 on (float64), and e^{z_k}
from z_k = 710.  The rewrites below only ever exponentiate numbers <= 0.

>>> float(sigmoid(-1000.0)), float(sigmoid(1000.0))
(0.0, 1.0)
>>> softmax(np.array([1000.0, 0.0])).tolist()
[1.0, 0.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from derive.numeric._checks import first_argument


def sigmoid(z: Any) -> np.ndarray:
    """The logistic function sigma(z) = 1 / (1 + e^{-z}), elementwise.

    Stable rewrite: with e = e^{-|z|} <= 1, sigma(z) = 1 / (1 + e) for z >= 0
    and e / (1 + e) for z < 0 (multiply through by e^{z}); neither overflows.

    >>> sigmoid(np.array([0.0, 2.0], np.float32)).dtype
    dtype('float32')
    >>> sigmoid(np.float16(12.0))  # computed in float32, rounded once to float16
    np.float16(1.0)
    """
    z, form = first_argument(z, "z")
    e = np.exp(-np.abs(z))
    return form.give(np.where(z >= 0, 1, e) / (1 + e))


def log_sigmoid(z: Any) -> np.ndarray:
    """ln sigma(z) = -softplus(-z) = -(max(-z, 0) + ln(1 + e^{-|z|})), elementwise.

    Also gives ln(1 - sigma(z)) = log_sigmoid(-z) without forming 1 - sigma(z),
    which is 0 in float64 from z = 37 on.

    >>> float(log_sigmoid(-1000.0))
    -1000.0
    """
    z, form = first_argument(z, "z")
    return form.give(-(np.maximum(-z, 0) + np.log1p(np.exp(-np.abs(z)))))


def shifted_exp(z: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """e^{z - max z} along ``axis``, without its top term, and the sum of the rest.

    Returns ``(e, top, peak, rest)``: ``e`` is e^{z_k - m} with 0 at the
    position ``top`` of the largest logit (its true value there is exactly 1),
    ``peak`` is m = max_k z_k and ``rest`` = sum_{k != top} e^{z_k - m} (both
    with ``axis`` kept).  Then sum_k e^{z_k} = e^m (1 + rest).

    Numerical choices: subtracting the maximum makes every exponent <= 0, so
    nothing overflows (log-sum-exp); keeping the top term out of ``rest``
    keeps its digits when it is tiny, so ln(1 + rest) = log1p(rest) and
    1 - softmax_top = rest / (1 + rest) stay accurate for confident logits.

    >>> e, top, peak, rest = shifted_exp(np.array([[0.0, 40.0]]))
    >>> top.tolist(), peak.tolist(), float(rest[0, 0]) == float(np.exp(-40.0))
    ([[1]], [[40.0]], True)
    """
    top = np.expand_dims(np.argmax(z, axis=axis), axis)
    peak = np.take_along_axis(z, top, axis=axis)
    e = np.subtract(z, peak)
    np.exp(e, out=e)
    np.put_along_axis(e, top, 0, axis=axis)
    rest = e.sum(axis=axis, keepdims=True)
    return e, top, peak, rest


def softmax(z: Any, axis: int = -1) -> np.ndarray:
    """softmax(z)_i = e^{z_i} / sum_k e^{z_k} along ``axis`` (classes last by default).

    Stable rewrite (log-sum-exp shift): with m = max_k z_k,
    softmax(z)_i = e^{z_i - m} / sum_k e^{z_k - m}, the same number with
    every exponent <= 0; see :func:`shifted_exp`.

    >>> softmax(np.array([[1.0, 1.0], [0.0, np.log(3.0)]])).round(12).tolist()
    [[0.5, 0.5], [0.25, 0.75]]
    """
    z, form = first_argument(z, "z")
    _check_axis(z, axis)
    e, top, _, rest = shifted_exp(z, axis)
    denominator = 1 + rest
    e /= denominator
    np.put_along_axis(e, top, 1 / denominator, axis=axis)
    return form.give(e)


def log_softmax(z: Any, axis: int = -1) -> np.ndarray:
    """ln softmax(z)_i = z_i - ln sum_k e^{z_k} along ``axis``.

    Stable rewrite: ln sum_k e^{z_k} = m + log1p(rest) (see
    :func:`shifted_exp`), so ln softmax(z)_i = (z_i - m) - log1p(rest): two
    terms of the same sign, no overflow and no cancellation.

    >>> log_softmax(np.array([1000.0, 0.0])).tolist()
    [0.0, -1000.0]
    """
    z, form = first_argument(z, "z")
    _check_axis(z, axis)
    top = np.expand_dims(np.argmax(z, axis=axis), axis)
    peak = np.take_along_axis(z, top, axis=axis)
    out = np.subtract(z, peak)
    e = np.exp(out)
    np.put_along_axis(e, top, 0, axis=axis)
    out -= np.log1p(e.sum(axis=axis, keepdims=True))
    return form.give(out)


def _check_axis(z: np.ndarray, axis: int) -> None:
    if z.ndim == 0 or not -z.ndim <= axis < z.ndim:
        raise ValueError(f"axis {axis} is out of range for z of shape {z.shape}")
    if z.shape[axis] == 0:
        raise ValueError(f"z has no classes along axis {axis} (shape {z.shape})")
