"""Entropy, cross-entropy and KL divergence of probability vectors, in nats.

Probabilities lie along ``axis`` (the last by default), which the result
drops; they must be finite and >= 0 (rows need not sum to 1: the formulas
are the catalogue's, for any such vectors).  By the usual convention
0 ln 0 = 0: a class with p_k = 0 adds nothing, even where q_k = 0; where
p_k > 0 and q_k = 0 the cross-entropy and KL divergence are +inf, as the
mathematics says.

>>> float(entropy(np.array([0.5, 0.5, 0.0])))  # ln 2
0.6931471805599453
"""

from __future__ import annotations

from typing import Any

import numpy as np

from derive.numeric._checks import as_floats, check_axis, check_range, first_argument, same_shape

# u - ln(1 + u) for |u| < 0.1 is 2s^2/(1 - s) - 2 s^3 (1/3 + s^2/5 + ... + s^10/13) with s = u/(2 + u);
# |s| < 0.053, so the first term left out (s^15/15) is below 1e-18 of the result.
_ATANH_TAIL = tuple(1.0 / n for n in range(13, 1, -2))  # 1/13, 1/11, ..., 1/3: Horner order


def _distribution(values: Any, name: str, axis: int, dtype: np.dtype | None = None) -> np.ndarray:
    array = as_floats(values, name, dtype)
    check_axis(array, axis, name)
    check_range(array, name, 0.0, np.inf, "probabilities >= 0")
    return array


def _log_where_positive(values: np.ndarray, positive: np.ndarray) -> np.ndarray:
    """ln(values) where ``positive``, 0 elsewhere (so that 0 * ln 0 gives 0, not nan)."""
    return np.log(values, out=np.zeros_like(values), where=positive)


def entropy(p: Any, axis: int = -1) -> np.ndarray:
    """H(p) = -sum_k p_k ln p_k.

    Catalogue: ``entropy`` (the expected self-information -ln p).  Every term
    -p_k ln p_k is >= 0 for p_k in [0, 1] and computed to a few ulps (ln is
    accurate even for p_k near 1): a well-conditioned sum, nothing to rewrite.

    >>> round(float(entropy(np.array([0.7, 0.2, 0.1]))), 4)
    0.8018
    >>> entropy(np.array([[0.5, 0.5]], np.float16)).dtype
    dtype('float16')
    """
    p, form = first_argument(p, "p")
    p = _distribution(p, "p", axis)
    terms = p * _log_where_positive(p, p > 0)
    return form.give(-terms.sum(axis=axis))


def cross_entropy(p: Any, q: Any, axis: int = -1) -> np.ndarray:
    """H(p, q) = -sum_k p_k ln q_k.

    Catalogue: ``cross_entropy``.  Terms with p_k = 0 are 0 whatever q_k is.
    As for :func:`entropy`, every term is >= 0 for q_k in [0, 1]: no
    cancellation, even when p = q.

    >>> round(float(cross_entropy(np.array([0.0, 0.0, 1.0]), np.array([0.2, 0.5, 0.3]))), 3)
    1.204
    """
    p, form = first_argument(p, "p")
    p = _distribution(p, "p", axis)
    q = _distribution(q, "q", axis, p.dtype)
    same_shape(p, q, ("p", "q"))
    with np.errstate(divide="ignore"):  # ln 0 = -inf where p_k > 0 is the true value
        terms = p * _log_where_positive(q, p > 0)
    return form.give(-terms.sum(axis=axis))


def kl_divergence(p: Any, q: Any, axis: int = -1) -> np.ndarray:
    """D_KL(p || q) = sum_k p_k ln(p_k / q_k) = H(p, q) - H(p).

    Catalogue: ``kl_divergence``.  Stable rewrite: the terms p_k ln(p_k/q_k)
    have both signs and nearly cancel when p is close to q (D_KL is then of
    the order of (p - q)^2, far below the terms), so the sum is split as

        D_KL = sum_k [p_k ln(p_k/q_k) - p_k + q_k] + sum_k (p_k - q_k).

    Each bracket is >= 0 (it is q phi(p/q), phi(t) = t ln t - t + 1 >= 0),
    so the first sum cannot cancel; each bracket is computed without
    cancellation (:func:`_bracket`).  The second sum is 0 for exactly
    normalised rows, but float rows are normalised only to rounding, which
    can be as large as D_KL itself: it is summed with error-free additions
    (:func:`_accurate_sum`).

    >>> float(kl_divergence(np.array([0.5, 0.5]), np.array([0.5, 0.5])))
    0.0
    >>> print(f"{kl_divergence([0.5, 0.5], [0.5 + 1e-9, 0.5 - 1e-9]):.12e}")
    5.751115122915e-17
    """
    p, form = first_argument(p, "p")
    p = _distribution(p, "p", axis)
    q = _distribution(q, "q", axis, p.dtype)
    same_shape(p, q, ("p", "q"))
    with np.errstate(over="ignore", invalid="ignore"):
        brackets = _bracket(p, q)
        result = brackets.sum(axis=axis) + _accurate_sum(p - q, axis)
    if not np.isfinite(result).all():  # huge p or q overflowed a bracket or p - q: the plain sum there
        result = np.where(np.isfinite(result), result, _plain_kl(p, q, axis))
    return form.give(np.asarray(result))


def _plain_kl(p: np.ndarray, q: np.ndarray, axis: int) -> np.ndarray:
    """sum_k p_k (ln p_k - ln q_k) term by term: +inf where it diverges (q_k = 0 < p_k, or overflow)."""
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        positive = p > 0
        terms = p * (_log_where_positive(p, positive) - _log_where_positive(q, positive))
    return np.asarray(terms.sum(axis=axis))


def _bracket(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """p ln(p/q) - p + q, elementwise, each >= 0 and accurate to a few ulps.

    p = 0: q (0 ln 0 = 0).  q/2 < p < 2q: p (u - ln(1 + u)) with
    u = (q - p)/p in (-1/2, 1), where q - p is exact (Sterbenz) and
    u - ln(1 + u) comes from :func:`_u_minus_log1p`.  Elsewhere the ratio is
    at least 2 either way, and p ln(p/q) - (p - q) loses at most 3 bits;
    ln(p/q) is ln p - ln q only where p/q leaves the normal range.
    """
    brackets = np.where(p > 0, 0, q)
    close = (p > 0) & (p < 2 * q) & (2 * p > q)
    near_p, near_q = p[close], q[close]
    brackets[close] = near_p * _u_minus_log1p((near_q - near_p) / near_p)
    far = (p > 0) & ~close
    far_p, far_q = p[far], q[far]
    with np.errstate(divide="ignore", over="ignore", under="ignore"):
        ratio = far_p / far_q
        log_ratio = np.log(ratio)
        extreme = ~((ratio >= np.finfo(p.dtype).tiny) & np.isfinite(ratio))
        log_ratio[extreme] = np.log(far_p[extreme]) - np.log(far_q[extreme])  # q = 0 gives +inf, as it should
    brackets[far] = far_p * log_ratio - (far_p - far_q)
    return brackets


def _u_minus_log1p(u: np.ndarray) -> np.ndarray:
    """u - ln(1 + u) >= 0 for u > -1, to a few ulps also where it is ~u^2/2.

    Directly for |u| >= 0.1: the subtraction loses log2(4/|u|) <= 6 bits.
    Below, with s = u/(2 + u) (so 1 + u = (1 + s)/(1 - s) and ln(1 + u) =
    2 atanh s), u - ln(1 + u) = 2s^2/(1 - s) - 2s^3 (1/3 + s^2/5 + ...): the
    second term is < 2% of the first, no cancellation.

    >>> _u_minus_log1p(np.array([1e-9, 1.0])).tolist()  # 1e-18/2 - 1e-27/3, and 1 - ln 2
    [4.999999996666667e-19, 0.3068528194400547]
    """
    result = u - np.log1p(u)
    small = np.abs(u) < 0.1
    s = u[small] / (2 + u[small])
    s2 = s * s
    tail = np.full_like(s, _ATANH_TAIL[0])
    for coefficient in _ATANH_TAIL[1:]:
        tail *= s2
        tail += coefficient
    result[small] = 2 * s2 / (1 - s) - 2 * s * s2 * tail
    return result


def _accurate_sum(values: np.ndarray, axis: int) -> np.ndarray:
    """The sum along ``axis`` as if in twice the working precision, then rounded.

    Pairwise sums, each with its exact rounding error (Knuth's TwoSum:
    a + b = s + e exactly); the errors, tiny next to the sums, are added
    plainly.  A plain sum of values of both signs is off by up to eps times
    the sum of their sizes, which for nearly equal p and q exceeds D_KL.

    >>> float(_accurate_sum(np.array([1.0, 1e-17, -1.0]), 0))
    1e-17
    """
    high = np.moveaxis(values, axis, -1)
    low = np.zeros(high.shape[:-1], values.dtype)
    if high.shape[-1] == 0:
        return low
    while high.shape[-1] > 1:
        half = high.shape[-1] // 2
        first, second = high[..., :half], high[..., half : 2 * half]
        total = first + second
        second_part = total - first
        low += ((first - (total - second_part)) + (second - second_part)).sum(axis=-1)
        high = np.concatenate([total, high[..., 2 * half :]], axis=-1)
    return high[..., 0] + low
