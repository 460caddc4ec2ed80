"""The chain rule through an activation, one implementation for the catalogue and for ``gradient_through``.

Through the sigmoid (or the identity), ``dL/dz = dL/da * da/dz`` with the
sigmoid's slope taken from the verified ``sigmoid_derivative``; through the
softmax, ``dL/dz_i = sum_k dL/da_k * da_k/dz_i`` with the Jacobian of the
verified ``softmax_jacobian`` substituted in, then the sums split and the
Kronecker delta collapsed: the bookkeeping a textbook does by hand.

>>> from derive.model.symbols import a, y
>>> chain = scalar_chain((a - y) ** 2 / 2, a, "sigmoid")
>>> chain.chained
(-y + sigmoid(z))*Derivative(sigmoid(z), z)
>>> chain.substituted
(1 - sigmoid(z))*(-y + sigmoid(z))*sigmoid(z)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from derive.model.activations import sigmoid, softmax
from derive.model.derivation import Step, eq
from derive.model.symbols import K, av, i, j, k, z, zv
from derive.recipes.sums import collapse_delta_sums, sum_split
from derive.registry import get

CHAIN_RULE = "chain rule: the logit {z_i} reaches the loss through every class's probability"
JACOBIAN = "substitute the softmax Jacobian, from `softmax_jacobian`"
SCALAR_ACTIVATIONS = ("sigmoid", "identity")


@dataclass(frozen=True)
class ScalarChain:
    """The chain rule for a loss of one prediction ``a = activation(z)``.

    ``dloss`` is dL/da in ``a``; ``chained`` is dL/da at ``a = activation(z)``
    times ``Derivative(activation(z), z)`` (just dL/da at ``a = z`` through the
    identity); ``substituted`` has the verified slope put in; ``slope`` is
    da/dz written in ``a`` (1 through the identity).
    """

    activated: sp.Expr
    dloss: sp.Expr
    chained: sp.Expr
    substituted: sp.Expr
    slope: sp.Expr


def scalar_chain(loss: sp.Expr, prediction: sp.Symbol, activation: str, logit: sp.Symbol = z) -> ScalarChain:
    """dL/dz for ``L(a)`` with ``a = sigmoid(z)`` or ``a = z``; see :class:`ScalarChain`."""
    if activation not in SCALAR_ACTIVATIONS:
        raise ValueError(f"no scalar chain rule through {activation!r}")
    dloss = sp.diff(loss, prediction)
    if activation == "identity":
        substituted = dloss.subs(prediction, logit)
        return ScalarChain(logit, dloss, substituted, substituted, sp.S.One)
    activated = sigmoid(logit)
    slope_rule = get("sigmoid_derivative").result
    if logit != z:
        slope_rule = slope_rule.xreplace({z: logit})
    chained = dloss.subs(prediction, activated) * sp.Derivative(activated, logit)
    substituted = chained.xreplace({slope_rule.lhs: slope_rule.rhs})
    return ScalarChain(activated, dloss, chained, substituted, slope_rule.rhs.xreplace({activated: prediction}))


@dataclass(frozen=True)
class SoftmaxChain:
    """The chain rule for a loss of the probabilities ``a[k] = softmax(z, k, K)``.

    ``raw`` is dL/da at one class as SymPy gives it, ``outer`` the same with
    its Kronecker deltas collapsed (both in the class index the derivative was
    taken at), ``activated`` the outer factor at the class index with every
    probability written as softmax; ``chained`` is the chain-rule sum with the
    Jacobian left as a ``Derivative`` and ``substituted`` the same sum with the
    Jacobian of ``softmax_jacobian`` put in.
    """

    raw: sp.Expr
    outer: sp.Expr
    activated: sp.Expr
    chained: sp.Expr
    substituted: sp.Expr


def as_softmax(expr: sp.Expr, prediction: Any = av, logits: Any = zv) -> sp.Expr:
    """``expr`` with every probability ``a[x]`` written as ``softmax(z, x, K)``.

    >>> as_softmax(av[k] ** 2)
    softmax(z, k, K)**2
    """
    return expr.replace(
        lambda x: isinstance(x, sp.Indexed) and x.base == prediction,
        lambda x: softmax(logits, x.indices[0], K),
    )


def softmax_chain(
    loss: sp.Expr,
    prediction: Any = av,
    *,
    logit_index: sp.Symbol = i,
    class_index: sp.Symbol = k,
    differentiate_at: sp.Symbol | None = None,
) -> SoftmaxChain:
    """dL/dz_{logit_index} for a loss of the probabilities ``prediction[k]`` through softmax.

    The loss is differentiated in ``prediction[differentiate_at]`` (an index
    not bound in the loss; by default ``class_index``), the outer factor then
    renamed to ``class_index``, the summation index of the chain rule.
    """
    at = class_index if differentiate_at is None else differentiate_at
    raw = sp.diff(loss, prediction[at])
    outer = collapse_delta_sums(split_sums_keeping_pieces(deltas_out_of_pieces(raw)))
    activated = as_softmax(outer.xreplace({at: class_index}) if at != class_index else outer, prediction)
    chained, substituted = chain_sum(activated, logit_index=logit_index, class_index=class_index)
    return SoftmaxChain(raw, outer, activated, chained, substituted)


def deltas_out_of_pieces(expr: sp.Expr) -> sp.Expr:
    """Take a Kronecker delta shared by every nonzero piece of a ``Piecewise`` out in front of it.

    The derivative of a piecewise loss in one probability has the delta inside each piece; outside, the
    delta can pick its term of a sum (:func:`~derive.recipes.sums.collapse_delta_sums`).

    >>> from derive.model.symbols import yv
    >>> deltas_out_of_pieces(sp.Piecewise((0, av[k] < 1), (sp.KroneckerDelta(j, k) * yv[k], True)))
    Piecewise((0, a[k] < 1), (y[k], True))*KroneckerDelta(j, k)
    """

    def pull(piecewise: sp.Piecewise) -> sp.Expr:
        shared = None
        for value, _ in piecewise.args:
            if value == 0:
                continue
            deltas = {f for f in sp.Mul.make_args(value) if isinstance(f, sp.KroneckerDelta)}
            shared = deltas if shared is None else shared & deltas
        if not shared:
            return piecewise
        delta = sorted(shared, key=sp.default_sort_key)[0]
        return delta * sp.Piecewise(*((value / delta if value != 0 else value, cond) for value, cond in piecewise.args))

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), pull)


def split_sums_keeping_pieces(expr: sp.Expr) -> sp.Expr:
    """Split each sum over a ``Piecewise`` into a part a Kronecker delta picks and a sum of the rest,
    with the factors common to the pieces and free of the index taken out.

    SymPy folds every factor of a sum's body into the pieces of a ``Piecewise`` there, so the delta of the
    chain rule ends up inside each piece; :func:`~derive.recipes.sums.collapse_delta_sums` cannot see it.
    Sums without a ``Piecewise`` are left as they are.

    >>> p = sp.Piecewise((av[k], av[k] > sp.S.Half), (-av[k], True))
    >>> split_sums_keeping_pieces(sp.Sum(p * (sp.KroneckerDelta(j, k) - av[i]), (k, 1, K)))
    Piecewise((a[j], a[j] > 1/2), (-a[j], True)) + a[i]*Sum(Piecewise((-a[k], a[k] > 1/2), (a[k], True)), (k, 1, K))
    """

    def split(s: sp.Sum) -> sp.Expr:
        if len(s.limits) != 1 or not isinstance(s.function, sp.Piecewise):
            return s
        ((dummy, lo, hi),) = s.limits
        picked: dict[sp.Basic, list[sp.Expr]] = {}
        rest: list[sp.Expr] = []
        conditions = [c for _, c in s.function.args]
        for n, (value, _) in enumerate(s.function.args):
            rest.append(sp.S.Zero)
            for term in sp.Add.make_args(sp.expand_mul(value)):
                delta = next(
                    (f for f in sp.Mul.make_args(term) if isinstance(f, sp.KroneckerDelta) and dummy in f.free_symbols),
                    None,
                )
                if delta is None:
                    rest[n] += term
                else:
                    picked.setdefault(delta, [sp.S.Zero] * len(conditions))[n] += term / delta
        out = sp.S.Zero
        for delta, values in picked.items():
            other = delta.args[0] if delta.args[1] == dummy else delta.args[1]
            out += sp.Piecewise(*zip(values, conditions, strict=True)).xreplace({dummy: other})
        common = _common_factor_free_of(rest, dummy)
        remainder = sp.Piecewise(*((value / common, c) for value, c in zip(rest, conditions, strict=True)))
        if remainder != 0:
            out += common * sp.Sum(remainder, (dummy, lo, hi))
        return out

    return expr.replace(lambda e: isinstance(e, sp.Sum), split)


def _common_factor_free_of(values: list[sp.Expr], index: sp.Symbol) -> sp.Expr:
    """The product of the factors free of ``index`` that every nonzero value has (1 if none)."""
    shared: set[sp.Expr] | None = None
    for value in values:
        if value == 0:
            continue
        factors = {f for f in sp.Mul.make_args(value) if not f.has(index) and not f.is_Number}
        shared = factors if shared is None else shared & factors
    return sp.Mul(*sorted(shared or (), key=sp.default_sort_key))


def chain_sum(outer: sp.Expr, *, logit_index: sp.Symbol = i, class_index: sp.Symbol = k) -> tuple[sp.Sum, sp.Sum]:
    """``sum_k outer_k * d a_k / d z_i``, with the Jacobian as a ``Derivative`` and with it substituted.

    ``outer`` is dL/da_k, in ``class_index``, with the probabilities written as softmax.

    >>> from derive.model.symbols import yv
    >>> chained, substituted = chain_sum(-yv[k] / softmax(zv, k, K))
    >>> substituted
    Sum(-(KroneckerDelta(i, k) - softmax(z, i, K))*y[k], (k, 1, K))
    """
    chained = sp.Sum(outer * sp.Derivative(softmax(zv, class_index, K), zv[logit_index]), (class_index, 1, K))
    # softmax_jacobian states d a_i / d z_j; here the roles are d a_{class} / d z_{logit}.
    inner = get("softmax_jacobian").result.rhs.xreplace({i: class_index, j: logit_index})
    return chained, sp.Sum(outer * inner, (class_index, 1, K))


def chain_through_softmax(loss_term: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr, sp.Expr]:
    """The chain rule for ``L = sum_k loss_term`` (in ``a[k]``, ``y[k]``) with ``a = softmax(z)``.

    Returns ``dL/da_i`` (derived by ``sp.diff`` and a collapsed delta sum, in
    ``a[i]``), the factor ``dL/da_k`` with ``a_k`` written as softmax, the
    chain-rule sum with the Jacobian left as a ``Derivative``, and the same
    sum with the Jacobian of ``softmax_jacobian`` substituted in.
    """
    chain = softmax_chain(sp.Sum(loss_term, (k, 1, K)), logit_index=i, class_index=k, differentiate_at=i)
    return chain.outer, chain.activated, chain.chained, chain.substituted


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
