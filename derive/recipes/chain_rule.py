"""The chain rule through softmax, as the catalogue's gradients take it.

``dL/dz_i = sum_k dL/da_k * da_k/dz_i`` with the Jacobian of the verified
``softmax_jacobian`` substituted in, then the sums split and the Kronecker
delta collapsed: the bookkeeping a textbook does by hand.
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import softmax
from derive.model.derivation import Step, eq
from derive.model.symbols import K, av, i, j, k, zv
from derive.recipes.sums import collapse_delta_sums, sum_split
from derive.registry import get

CHAIN_RULE = "chain rule: the logit {z_i} reaches the loss through every class's probability"
JACOBIAN = "substitute the softmax Jacobian, from `softmax_jacobian`"


def chain_through_softmax(loss_term: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr, sp.Expr]:
    """The chain rule for ``L = sum_k loss_term`` (in ``a[k]``, ``y[k]``) with ``a = softmax(z)``.

    Returns ``dL/da_i`` (derived by ``sp.diff`` and a collapsed delta sum, in
    ``a[i]``), the factor ``dL/da_k`` with ``a_k`` written as softmax, the
    chain-rule sum with the Jacobian left as a ``Derivative``, and the same
    sum with the Jacobian of ``softmax_jacobian`` substituted in.
    """
    outer_i = collapse_delta_sums(sp.diff(sp.Sum(loss_term, (k, 1, K)), av[i]))
    outer_k = outer_i.xreplace({i: k}).subs(av[k], softmax(zv, k, K))
    jacobian = get("softmax_jacobian").result
    # softmax_jacobian states d a_i / d z_j; here the roles are d a_k / d z_i.
    inner = jacobian.rhs.xreplace({i: k, j: i})
    chain = sp.Sum(outer_k * sp.Derivative(softmax(zv, k, K), zv[i]), (k, 1, K))
    substituted = sp.Sum(outer_k * inner, (k, 1, K))
    return outer_i, outer_k, chain, substituted


def split_and_collapse(substituted: sp.Expr) -> tuple[sp.Expr, tuple[Step, Step]]:
    """Expand and split the chain-rule sum, then let the Kronecker delta pick its term: two steps every
    gradient through the softmax Jacobian takes. Returns the collapsed expression and the two steps."""
    split = sum_split(sp.expand(substituted))
    collapsed = collapse_delta_sums(split)
    steps = (
        Step(
            eq(substituted, split),
            "expand and split the sum; {a_i} does not depend on the summation index",
            symbolic=False,
        ),
        Step(
            eq(split, collapsed),
            "the Kronecker delta keeps only the term of class {i}, one of the {K} classes",
            symbolic=False,
        ),
    )
    return collapsed, steps
