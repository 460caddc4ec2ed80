"""One-hot labels: the true class as an index, and a label vector replaced by Kronecker deltas.

>>> from derive.model.symbols import c, k, yv
>>> one_hot_label(yv[k], c)
KroneckerDelta(c, k)
"""

from __future__ import annotations

import sympy as sp

from derive.model.symbols import yv

# The true class of a one-hot label: an index c, never p (p names a distribution on this site).
TRUE_CLASS = sp.Symbol("c", integer=True, positive=True)


def one_hot_label(expr: sp.Expr, true_class: sp.Expr) -> sp.Expr:
    """``expr`` with every label entry ``y[k]`` replaced by ``KroneckerDelta(k, true_class)``."""
    return expr.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base == yv,
        lambda e: sp.KroneckerDelta(e.indices[0], true_class),
    )
