"""Stable NumPy functions for the catalogue's results: losses, gradients, information measures.

Conventions (those of the common frameworks): logits where the name says so;
shape (N, K) with classes on the last axis; ``reduction`` "mean" (default),
"sum" or "none"; a ``*_grad`` function returns the gradient of the reduced
loss with respect to its first argument, with that argument's shape.  Results
have the first argument's dtype (float16, float32, float64; float16 is
computed in float32), a scalar input of an elementwise function gives a
NumPy scalar, and labels take the dtype of the first argument.  Bad input
raises a ValueError that names the argument: mismatched shapes, an unknown
reduction, labels that are not finite or out of their range (y in [0, 1]
for the sigmoid losses; y >= 0 for the softmax losses; integer class
indices for the sparse ones).  Logits are not checked: NaN in gives NaN out,
as in NumPy.

Each function implements the result of the catalogue entry named in
:data:`SOURCES`, and its docstring states the formula and every stable
rewrite (log-sum-exp, softplus, log1p) made where the naive form overflows
or cancels; the tests compare each one with that entry's SymPy result
evaluated in 50-digit arithmetic.

>>> import numpy as np
>>> z = np.array([[1000.0, -1000.0], [3.0, 1.0]], dtype=np.float32)
>>> loss = softmax_cross_entropy(z, np.eye(2, dtype=np.float32))
>>> loss.dtype, bool(np.isfinite(loss))
(dtype('float32'), True)
>>> source("bce_with_logits_grad")
'bce_sigmoid_grad'
"""

from __future__ import annotations

from derive.numeric.activations import log_softmax, sigmoid, softmax
from derive.numeric.information import cross_entropy, entropy, kl_divergence
from derive.numeric.losses import bce_with_logits, bce_with_logits_grad, mse, mse_sigmoid_grad
from derive.numeric.softmax_losses import (
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    sparse_softmax_cross_entropy,
    sparse_softmax_cross_entropy_grad,
)
from derive.numeric.softmax_mse import softmax_mse, softmax_mse_grad

#: Each function and the catalogue derivation whose result it implements.
SOURCES: dict[str, str] = {
    "sigmoid": "sigmoid_derivative",
    "softmax": "softmax_jacobian",
    "log_softmax": "softmax_jacobian",
    "bce_with_logits": "bernoulli_nll_bce",
    "bce_with_logits_grad": "bce_sigmoid_grad",
    "mse": "mse_sigmoid_grad",
    "mse_sigmoid_grad": "mse_sigmoid_grad",
    "softmax_cross_entropy": "categorical_nll_cce",
    "softmax_cross_entropy_grad": "cce_softmax_grad",
    "sparse_softmax_cross_entropy": "sparse_cce",
    "sparse_softmax_cross_entropy_grad": "sparse_cce",
    "softmax_mse": "mse_softmax_grad",
    "softmax_mse_grad": "mse_softmax_grad",
    "entropy": "entropy",
    "cross_entropy": "cross_entropy",
    "kl_divergence": "kl_divergence",
}


def source(function: str) -> str:
    """The name of the catalogue derivation a function of this module implements.

    >>> source("kl_divergence")
    'kl_divergence'
    >>> source("hinge")
    Traceback (most recent call last):
    ...
    ValueError: derive.numeric has no function 'hinge'
    """
    try:
        return SOURCES[function]
    except KeyError:
        raise ValueError(f"derive.numeric has no function {function!r}") from None


__all__ = [
    "SOURCES",
    "bce_with_logits",
    "bce_with_logits_grad",
    "cross_entropy",
    "entropy",
    "kl_divergence",
    "log_softmax",
    "mse",
    "mse_sigmoid_grad",
    "sigmoid",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "softmax_mse",
    "softmax_mse_grad",
    "source",
    "sparse_softmax_cross_entropy",
    "sparse_softmax_cross_entropy_grad",
]
