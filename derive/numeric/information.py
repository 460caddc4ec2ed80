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

from derive.numeric._checks import as_floats, check_range, first_argument, same_shape


def _distribution(values: Any, name: str, axis: int, dtype: np.dtype | None = None) -> np.ndarray:
    array = as_floats(values, name, dtype)
    if array.ndim == 0 or not -array.ndim <= axis < array.ndim:
        raise ValueError(f"axis {axis} is out of range for {name} of shape {array.shape}")
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

    Catalogue: ``kl_divergence``.  Stable rewrite of ln(p/q): where q/2 < p < 2q
    (p close to q, where D_KL is small) it is log1p((p - q) / q), whose
    subtraction p - q is exact (Sterbenz); elsewhere ln p - ln q, which cannot
    overflow the way p / q can.

    >>> float(kl_divergence(np.array([0.5, 0.5]), np.array([0.5, 0.5])))
    0.0
    """
    p, form = first_argument(p, "p")
    p = _distribution(p, "p", axis)
    q = _distribution(q, "q", axis, p.dtype)
    same_shape(p, q, ("p", "q"))
    positive = p > 0
    close = positive & (p < 2 * q) & (2 * p > q)
    far = positive & ~close
    log_ratio = np.zeros_like(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.log1p((p - q) / q, out=log_ratio, where=close)
        np.subtract(
            np.log(p, where=far, out=np.zeros_like(p)),
            np.log(q, where=far, out=np.zeros_like(p)),
            out=log_ratio,
            where=far,
        )
    return form.give((p * log_ratio).sum(axis=axis))
