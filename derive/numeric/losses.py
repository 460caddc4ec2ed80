"""Binary losses and MSE in NumPy, from the catalogue's results.

Conventions (those of the common frameworks): inputs are logits where the name
says so; classes are on the last axis, shape (N, K); ``reduction`` is "mean"
(default), "sum" or "none"; a ``*_grad`` function returns the gradient of the
*reduced* loss with respect to its first argument, with that argument's shape
("none" gives each element's own gradient, which is the gradient of the sum).
Labels are cast to the dtype of the first argument, so float32 logits give
float32 results (float16 is computed in float32 and rounded at the end), and
a scalar input gives a scalar.  Labels are checked (finite, and in [0, 1]
where the loss is a binary cross-entropy or its sigmoid input is compared
with them: the catalogue's ``LABEL`` kind); logits are not, as in NumPy: NaN
in gives NaN out (checking them would cost a pass over the input).

Each function names its catalogue entry and the formula it implements; where
the naive transcription overflows or cancels, the stable rewrite is stated at
the place it is made.

>>> float(bce_with_logits(np.array([-1000.0]), np.array([1.0])))
1000.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from derive.numeric._checks import REAL_TARGETS, UNIT_LABELS, gradient_scale, paired, reduce_loss


def _sigmoid_minus(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sigma(z) - y, s) with s = sigma(-|z|), computed without forming 1 - sigma(z).

    sigma(z) - y = (1 - y) - s for z >= 0 and s - y for z < 0: sigma(z)
    rounds to 1 from z = 37 on, so the naive difference loses sigma(-z)
    entirely when y = 1.  Both branches at once: (1 - y or -y) - copysign(s, z),
    the branch chosen by the sign bit so that z = -0.0 is consistent too.
    """
    s = np.abs(z)
    with np.errstate(over="ignore"):  # e^{|z|} = inf past 709 gives s = 1 / inf = 0, the right limit
        np.exp(s, out=s)
    s += 1
    np.reciprocal(s, out=s)  # s = 1 / (1 + e^{|z|}) = sigma(-|z|)
    diff = np.subtract(~np.signbit(z), y, dtype=z.dtype)  # 1 - y or -y
    np.copysign(s, z, out=s)
    diff -= s
    np.abs(s, out=s)
    return diff, s


def bce_with_logits(z: Any, y: Any, reduction: str = "mean") -> np.ndarray | np.floating:
    """Binary cross-entropy of labels ``y`` in [0, 1] against probabilities sigma(z).

    Catalogue: ``bernoulli_nll_bce`` gives L = -[y ln a + (1 - y) ln(1 - a)]
    with a = sigma(z) (the loss of ``bce_sigmoid_grad``).  Stable rewrite:
    ln sigma(z) = -softplus(-z) and ln(1 - sigma(z)) = -softplus(z), so
    L = softplus(z) - y z = z ((z >= 0) - y) + log1p(e^{-|z|}): for y in
    [0, 1] both terms are >= 0 (no cancellation) and the exponent is <= 0.

    >>> float(bce_with_logits(np.array([0.0]), np.array([1.0])))  # ln 2
    0.6931471805599453
    >>> bce_with_logits(np.float32(-1000.0), 1.0)  # a scalar, of the logits' dtype
    np.float32(1000.0)
    >>> float(bce_with_logits(np.array([-np.inf, np.inf]), np.array([0.0, 1.0])))  # the limits: 0
    0.0
    """
    z, y, form = paired(z, y, ("z", "y"), reduction, UNIT_LABELS)
    losses = np.subtract(z >= 0, y, dtype=z.dtype)
    with np.errstate(invalid="ignore"):  # 0 * inf at infinite logits: repaired below
        losses *= z
    softplus_tail = np.abs(z)
    np.negative(softplus_tail, out=softplus_tail)
    np.exp(softplus_tail, out=softplus_tail)
    np.log1p(softplus_tail, out=softplus_tail)
    losses += softplus_tail
    result = reduce_loss(losses, reduction)
    if np.isnan(result).any():  # a scalar, or the N K losses only for "none"
        # z ((z >= 0) - y) is 0 * inf at z = +inf with y = 1 and z = -inf with y = 0: its limit there is 0.
        fixed = np.isinf(z) & np.isnan(losses)
        if fixed.any():
            losses[fixed] = 0
            result = reduce_loss(losses, reduction)
    return form.give(result)


def bce_with_logits_grad(z: Any, y: Any, reduction: str = "mean") -> np.ndarray:
    """Gradient of :func:`bce_with_logits` with respect to the logits ``z``.

    Catalogue: ``bce_sigmoid_grad`` gives dL/dz = a - y with a = sigma(z),
    computed as in :func:`_sigmoid_minus`; "mean" divides by the number of
    elements.

    >>> grad = bce_with_logits_grad(np.array([0.0, 40.0]), np.array([1.0, 1.0]), "sum")
    >>> print(f"{grad[0]} {grad[1]:.10e}")  # -sigma(-40), not the 0 of 1 - 1
    -0.5 -4.2483542553e-18
    """
    z, y, form = paired(z, y, ("z", "y"), reduction, UNIT_LABELS)
    grad, _ = _sigmoid_minus(z, y)
    grad /= gradient_scale(z.size, reduction)
    return form.give(grad)


def mse(a: Any, y: Any, reduction: str = "mean") -> np.ndarray | np.floating:
    """Mean squared error: the mean of (a - y)^2 over *all* elements, as the frameworks define it.

    Scaling: the catalogue's ``gaussian_nll_mse`` sums (y - f)^2 over samples
    and ``mse_sigmoid_grad`` uses (a - y)^2 / 2 per sample; this is their
    per-element mean, with no 1/2.

    >>> round(float(mse(np.array([0.8, 0.1, 0.1]), np.array([1.0, 0.0, 0.0]))), 15)
    0.02
    >>> mse(0.5, 1.0, "none")
    np.float64(0.25)
    """
    a, y, form = paired(a, y, ("a", "y"), reduction, REAL_TARGETS)
    squares = np.subtract(a, y)
    np.square(squares, out=squares)
    return form.give(reduce_loss(squares, reduction))


def mse_sigmoid_grad(z: Any, y: Any, reduction: str = "mean") -> np.ndarray:
    """Gradient of ``mse(sigmoid(z), y)`` with respect to ``z``.

    Labels y in [0, 1] (the catalogue's ``LABEL``), the range of sigmoid.
    Catalogue: ``mse_sigmoid_grad`` gives d/dz (a - y)^2 / 2 = (a - y) a (1 - a).
    The mean of (a - y)^2 over n elements is 2/n times the sum of those
    halves, so the gradient is 2 (a - y) a (1 - a) / n.  Stable rewrite:
    a (1 - a) = sigma(z) sigma(-z) = s (1 - s) with s = sigma(-|z|) (the
    product is symmetric in z), and a - y as in :func:`_sigmoid_minus`.

    >>> mse_sigmoid_grad(np.array([0.0]), np.array([1.0])).tolist()  # 2 (-1/2)(1/4)
    [-0.25]
    """
    z, y, form = paired(z, y, ("z", "y"), reduction, UNIT_LABELS)
    grad, s = _sigmoid_minus(z, y)
    grad *= s
    np.subtract(1, s, out=s)
    grad *= s
    grad *= z.dtype.type(2) / z.dtype.type(gradient_scale(z.size, reduction))
    return form.give(grad)
