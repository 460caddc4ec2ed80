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

from derive.numeric._checks import check_axis, first_argument


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


def shifted_exp(z: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """e^{z - max z} along ``axis``, without its top term, and the sum of the rest.

    Returns ``(z, e, top, peak, rest)``: ``e`` is e^{z_k - m} with 0 at the
    position ``top`` of the largest logit (its true value there is exactly 1),
    ``peak`` is m = max_k z_k and ``rest`` = sum_{k != top} e^{z_k - m} (both
    with ``axis`` kept).  Then sum_k e^{z_k} = e^m (1 + rest).  ``z`` is the
    input, or a copy in which each row whose largest logit is +inf is
    replaced by its limit (see below): use it, not the input, from then on.

    Numerical choices: subtracting the maximum makes every exponent <= 0, so
    nothing overflows (log-sum-exp); keeping the top term out of ``rest``
    keeps its digits when it is tiny, so ln(1 + rest) = log1p(rest) and
    1 - softmax_top = rest / (1 + rest) stay accurate for confident logits.

    Infinite logits: -inf is a masked class (e^{-inf} = 0, no special case),
    but a row with every class at -inf has no softmax: a ValueError names
    the row.  A row whose largest logit is +inf has the limit of softmax as
    those logits grow: the +inf classes share the probability equally.  As
    softmax does not change when a constant is added to a row, that row is
    replaced by 0 at its +inf logits and -inf elsewhere (m - z_k would be
    inf - inf there).  These checks look at the N row maxima only.

    >>> _, e, top, peak, rest = shifted_exp(np.array([[0.0, 40.0]]))
    >>> top.tolist(), peak.tolist(), float(rest[0, 0]) == float(np.exp(-40.0))
    ([[1]], [[40.0]], True)
    >>> shifted_exp(np.array([[1.0, 2.0], [-np.inf, -np.inf]]))
    Traceback (most recent call last):
    ...
    ValueError: z has every class masked (-inf) in row (1,): the softmax of that row is undefined
    """
    top = np.expand_dims(np.argmax(z, axis=axis), axis)
    peak = np.take_along_axis(z, top, axis=axis)
    if not np.isfinite(peak).all():  # rare: only rows with an infinite (or NaN) maximum
        z, top, peak = _infinite_rows(z, peak, axis)
    with np.errstate(over="ignore"):  # -1e308 - 1e308 = -inf: e^{-inf} = 0 is right
        e = np.subtract(z, peak)
    np.exp(e, out=e)
    np.put_along_axis(e, top, 0, axis=axis)
    rest = e.sum(axis=axis, keepdims=True)
    return z, e, top, peak, rest


def _infinite_rows(z: np.ndarray, peak: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    masked = np.isneginf(peak)
    if masked.any():
        position = np.argwhere(masked)[0]
        row = tuple(int(p) for d, p in enumerate(position) if d != axis % z.ndim)
        raise ValueError(f"z has every class masked (-inf) in row {row}: the softmax of that row is undefined")
    rows = np.broadcast_to(np.isposinf(peak), z.shape)
    z = z.copy()
    z[rows] = np.where(z[rows] == np.inf, 0, -np.inf)  # the limit, shifted by the row's (infinite) maximum
    top = np.expand_dims(np.argmax(z, axis=axis), axis)
    return z, top, np.take_along_axis(z, top, axis=axis)


def softmax(z: Any, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """softmax(z/T)_i = e^{z_i/T} / sum_k e^{z_k/T} along ``axis`` (classes last by default), T = ``temperature``.

    Stable rewrite (log-sum-exp shift): with m = max_k z_k,
    softmax(z)_i = e^{z_i - m} / sum_k e^{z_k - m}, the same number with
    every exponent <= 0; see :func:`shifted_exp`.  A temperature other than 1
    gives the softened probabilities of knowledge distillation (the
    ``tempered_softmax`` of results such as the distillation KL's gradient).

    >>> softmax(np.array([[1.0, 1.0], [0.0, np.log(3.0)]])).round(12).tolist()
    [[0.5, 0.5], [0.25, 0.75]]
    >>> softmax(np.array([0.0, 2 * np.log(3.0)]), temperature=2.0).round(12).tolist()
    [0.25, 0.75]
    """
    z, form = first_argument(z, "z")
    axis = check_axis(z, axis, "z")
    if temperature != 1.0:
        if not (isinstance(temperature, (int, float, np.floating, np.integer)) and 0 < temperature < np.inf):
            raise ValueError(f"temperature must be a positive finite number, got {temperature!r}")
        z = z / temperature  # a Python float keeps a float32 array float32
    _check_classes(z, axis)
    _, e, top, _, rest = shifted_exp(z, axis)
    denominator = 1 + rest
    e /= denominator
    np.put_along_axis(e, top, 1 / denominator, axis=axis)
    return form.give(e)


def log_softmax(z: Any, axis: int = -1) -> np.ndarray:
    """ln softmax(z)_i = z_i - ln sum_k e^{z_k} along ``axis``.

    Stable rewrite: ln sum_k e^{z_k} = m + log1p(rest) (see
    :func:`shifted_exp`), so ln softmax(z)_i = (z_i - m) - log1p(rest): two
    terms of the same sign, no overflow and no cancellation.  A masked
    class (-inf) gets -inf.

    >>> log_softmax(np.array([1000.0, 0.0])).tolist()
    [0.0, -1000.0]
    >>> log_softmax(np.array([np.inf, 0.0, np.inf])).tolist()  # the two +inf classes share
    [-0.6931471805599453, -inf, -0.6931471805599453]
    """
    z, form = first_argument(z, "z")
    axis = check_axis(z, axis, "z")
    _check_classes(z, axis)
    z, _, _, peak, rest = shifted_exp(z, axis)
    with np.errstate(over="ignore"):  # -1e308 - 1e308 = -inf, the right log-probability in float
        out = np.subtract(z, peak)
    out -= np.log1p(rest)
    return form.give(out)


def _check_classes(z: np.ndarray, axis: int) -> None:
    if z.shape[axis] == 0:
        raise ValueError(f"z has no classes along axis {axis} (shape {z.shape})")
