"""Softmax cross-entropy (one-hot, soft or sparse labels) and MSE through softmax, in NumPy.

Logits z have shape (N, K), classes on the last axis (any leading shape
works: every position but the last is a sample).  "mean" averages the
cross-entropies over the N samples, and :func:`softmax_mse` over all N K
elements, as the frameworks do.  Label rows y must be finite and >= 0: one-hot
or soft, not necessarily summing to 1 (the catalogue's ``LABEL_VECTOR``; its
``cce_softmax_grad`` holds for any such rows, and every term of the stable
loss below is >= 0 only for them).  Everything starts from
:func:`~derive.numeric.activations.shifted_exp`: exponents <= 0 and the top
term kept out of the sum, so ln sum_k e^{z_k} = m + log1p(rest).

>>> z = np.array([[1000.0, -1000.0]])
>>> float(softmax_cross_entropy(z, np.array([[0.0, 1.0]])))
2000.0
>>> float(sparse_softmax_cross_entropy(z, np.array([0])))
0.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from derive.numeric._checks import (
    NONNEGATIVE_LABELS,
    check_reduction,
    class_axis,
    class_labels,
    first_argument,
    gradient_scale,
    paired,
    reduce_loss,
)
from derive.numeric.activations import shifted_exp


def _samples(z: np.ndarray) -> int:
    return z.size // z.shape[-1]


def softmax_cross_entropy(z: Any, y: Any, reduction: str = "mean") -> np.ndarray | np.floating:
    """Cross-entropy -sum_k y_k ln softmax(z)_k of label rows ``y`` (one-hot or soft) per sample.

    Catalogue: ``categorical_nll_cce`` gives L = -sum_k y_k ln a_k, the loss of
    ``cce_softmax_grad``.  Stable rewrite: -ln a_k = (m - z_k) + log1p(rest)
    (log-sum-exp), so L = sum_k y_k (m - z_k) + (sum_k y_k) log1p(rest):
    every term >= 0 for y >= 0, no overflow, and confident correct rows keep
    their small loss instead of rounding it to 0.

    >>> float(softmax_cross_entropy(np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]])))  # ln 2
    0.6931471805599453
    >>> float(softmax_cross_entropy(np.array([[0.0, -np.inf, 1.0]]), np.array([[1.0, 0.0, 0.0]])))  # masked class
    1.3132616875182228
    """
    z, y, form = paired(z, y, ("z", "y"), reduction, NONNEGATIVE_LABELS, classes=True)
    z, e, _, peak, rest = shifted_exp(z)
    with np.errstate(over="ignore", invalid="ignore"):  # 0 * inf for classes labelled 0 that are masked
        np.subtract(peak, z, out=e)  # e is reused: m - z_k >= 0
        e *= y
    losses = e.sum(axis=-1)
    losses += y.sum(axis=-1) * np.log1p(rest[..., 0])
    bad = np.isnan(losses)  # N values: cheap
    if bad.any():  # 0 * inf in some term: a class labelled 0 whose logit is -inf or about 2e308 below the top
        losses[bad] = _careful_rows(z[bad], y[bad], peak[bad], rest[bad])
    return form.give(reduce_loss(losses, reduction))


def _careful_rows(z: np.ndarray, y: np.ndarray, peak: np.ndarray, rest: np.ndarray) -> np.ndarray:
    """The loss of rows where the fast form met 0 * inf: terms with y_k = 0 are 0, as their limit is.

    NaN logits still give NaN (through ``peak``).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        terms = np.where(y > 0, (peak - z) * y, 0)
    return terms.sum(axis=-1) + y.sum(axis=-1) * np.log1p(rest[..., 0]) + 0 * peak[..., 0]


def softmax_cross_entropy_grad(z: Any, y: Any, reduction: str = "mean") -> np.ndarray:
    """Gradient of :func:`softmax_cross_entropy` with respect to ``z``.

    Catalogue: ``cce_softmax_grad`` gives dL/dz_i = a_i sum_j y_j - y_i (a_i - y_i
    for rows summing to 1).  At the top logit, a_top = 1 / (1 + rest) rounds to
    1 for confident rows, so a_top Y - y_top is computed as
    ((Y - y_top) - y_top rest) / (1 + rest), which keeps its digits.

    >>> softmax_cross_entropy_grad(np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]])).tolist()
    [[-0.5, 0.5]]
    """
    z, y, form = paired(z, y, ("z", "y"), reduction, NONNEGATIVE_LABELS, classes=True)
    _, grad, top, _, rest = shifted_exp(z)
    total = y.sum(axis=-1, keepdims=True)
    denominator = 1 + rest
    grad *= total / denominator
    grad -= y
    y_top = np.take_along_axis(y, top, axis=-1)
    np.put_along_axis(grad, top, ((total - y_top) - y_top * rest) / denominator, axis=-1)
    grad /= gradient_scale(_samples(z), reduction)
    return form.give(grad)


def sparse_softmax_cross_entropy(z: Any, labels: Any, reduction: str = "mean") -> np.ndarray | np.floating:
    """Cross-entropy -ln softmax(z)_c of integer class ``labels`` c in 0..K-1, shape (N,).

    Catalogue: ``sparse_cce`` shows it equals :func:`softmax_cross_entropy`
    with the one-hot label e_c, in value and gradient.  Stable rewrite:
    -ln a_c = (m - z_c) + log1p(rest), two terms >= 0.

    >>> float(sparse_softmax_cross_entropy(np.array([[0.0, 0.0]]), np.array([1])))  # ln 2
    0.6931471805599453
    """
    check_reduction(reduction)
    z, form = first_argument(z, "z")
    classes = class_axis(z, "z")
    labels = class_labels(labels, z.shape[:-1], classes)[..., None]
    z, _, _, peak, rest = shifted_exp(z)
    losses = peak - np.take_along_axis(z, labels, axis=-1)
    losses += np.log1p(rest)
    return form.give(reduce_loss(losses[..., 0], reduction))


def sparse_softmax_cross_entropy_grad(z: Any, labels: Any, reduction: str = "mean") -> np.ndarray:
    """Gradient of :func:`sparse_softmax_cross_entropy` with respect to ``z``: softmax(z) - e_c.

    Catalogue: ``sparse_cce`` (the one-hot case of ``cce_softmax_grad``).  When
    the label is the top logit, a_c - 1 is computed as -rest / (1 + rest)
    instead of a difference that rounds to 0.

    >>> sparse_softmax_cross_entropy_grad(np.array([[0.0, 0.0]]), np.array([1])).tolist()
    [[0.5, -0.5]]
    """
    check_reduction(reduction)
    z, form = first_argument(z, "z")
    classes = class_axis(z, "z")
    labels = class_labels(labels, z.shape[:-1], classes)[..., None]
    _, grad, top, _, rest = shifted_exp(z)
    # One pass over the (N, K) array: softmax and the 1/N of the mean together.
    count = z.dtype.type(gradient_scale(_samples(z), reduction))
    denominator = (1 + rest) * count
    grad /= denominator
    np.put_along_axis(grad, top, 1 / denominator, axis=-1)
    # a_c - 1 <= -1/2 off the top: no cancellation there.
    at_label = np.take_along_axis(grad, labels, axis=-1) - 1 / count
    at_label = np.where(labels == top, -rest / denominator, at_label)
    np.put_along_axis(grad, labels, at_label, axis=-1)
    return form.give(grad)
