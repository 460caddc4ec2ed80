"""Proofs by stated rules over sums: the softmax kept whole, its Jacobian and its sum as rules.

Rewriting a softmax to ``exp(z_i) / Sum(exp(z_k))`` and differentiating
buries a derivation in sums of Kronecker deltas that SymPy cannot finish.
:func:`rule_normal_form` keeps each softmax as it is and uses, as stated
rules,

* the softmax Jacobian ``d softmax_k / d z_i = softmax_k (delta_ki - softmax_i)``
  (proved by the catalogue entry ``softmax_jacobian``; it is
  :meth:`derive.model.activations.softmax._eval_derivative`);
* a softmax sums to 1 over its classes (true of its definition);
* ``Sum(delta(k, c) f(k), (k, lo, hi)) = f(c)`` only where the domain states
  ``lo <= c <= hi`` (a class index is between 1 and K); a ``Piecewise`` that
  SymPy leaves, such as ``Piecewise((f(c), c <= K), (0, True))``, is resolved
  only when the domain states its condition;
* the domain's own sums and entries (a probability vector sums to 1, a
  one-hot label is ``delta(k, c)``: :func:`derive.verify.normal_form.domain_identities`).

Two sides with the same normal form are equal wherever those rules hold.

>>> import sympy as sp
>>> from derive.model.activations import softmax
>>> K, k, i = sp.symbols("K k i", integer=True, positive=True)
>>> z = sp.IndexedBase("z", real=True)
>>> facts = facts_of((i <= K,))
>>> rule_normal_form(sp.Sum(sp.Derivative(softmax(z, k, K), z[i]), (k, 1, K)), {}, facts)
0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sympy as sp

from derive.model.activations import softmax
from derive.verify.normal_form import INDEX, apply_entries

# The catalogue entry that proves the softmax Jacobian: its own relations may not use it as a rule.
JACOBIAN_SOURCE = "softmax_jacobian"


def facts_of(relations: Iterable[sp.Basic]) -> frozenset[sp.Basic]:
    """The domain's inequalities, in SymPy's canonical form, for :func:`holds`."""
    return frozenset(r.canonical for r in relations if isinstance(r, (sp.Le, sp.Lt, sp.Ge, sp.Gt)))


def holds(condition: sp.Basic, facts: frozenset[sp.Basic]) -> bool:
    """Whether ``condition`` is true by SymPy's own evaluation or is one of the stated facts (or an And of them).

    >>> c, K = sp.symbols("c K", integer=True, positive=True)
    >>> holds(sp.And(1 <= c, c <= K), facts_of([K >= c])), holds(c <= K, frozenset())
    (True, False)
    """
    if condition is sp.true:
        return True
    if isinstance(condition, sp.And):
        return all(holds(part, facts) for part in condition.args)
    return isinstance(condition, sp.core.relational.Relational) and condition.canonical in facts


def resolve_piecewise(expr: sp.Expr, facts: frozenset[sp.Basic]) -> sp.Expr:
    """Each ``Piecewise`` whose first condition the domain states, replaced by its first piece."""

    def first(pw: sp.Piecewise) -> sp.Expr:
        value, condition = pw.args[0]
        return value if holds(condition, facts) else pw

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), first)


def _delta_collapsed(factor: sp.Expr, index: sp.Symbol, lower: sp.Expr, upper: sp.Expr, facts: frozenset) -> sp.Expr:
    for part in sp.Mul.make_args(factor):
        if isinstance(part, sp.KroneckerDelta) and index in part.free_symbols:
            other = part.args[0] if part.args[1] == index else part.args[1]
            if index in other.free_symbols or not holds(sp.And(lower <= other, other <= upper), facts):
                return None
            return (factor / part).subs(index, other)
    return None


def _is_softmax_sum(inside: sp.Expr, index: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> bool:
    return isinstance(inside, softmax) and inside.index == index and lower == 1 and upper == inside.size


def _split(s: sp.Sum, identities: Mapping[sp.Basic, sp.Basic], facts: frozenset) -> sp.Expr:
    if len(s.limits) != 1:
        return s
    (dummy, lower, upper) = s.limits[0]
    index = dummy if INDEX in s.function.free_symbols else INDEX
    body = sp.expand(sp.expand_log(s.function.xreplace({dummy: index})))
    out = sp.S.Zero
    for term in sp.Add.make_args(body):
        outside, inside = term.as_independent(index, as_Add=False)
        if inside == 1:
            out += outside * (upper - lower + 1)
        elif (collapsed := _delta_collapsed(inside, index, lower, upper, facts)) is not None:
            out += outside * collapsed
        elif _is_softmax_sum(inside, index, lower, upper):
            out += outside
        else:
            piece = sp.Sum(inside, (index, lower, upper))
            out += outside * identities.get(piece, piece)
    return out


UNEVALUATED = (sp.Derivative, sp.Subs, sp.Limit, sp.Product)


def doit_except_sums(expr: sp.Expr) -> sp.Expr:
    """Derivatives, substitutions, limits and products evaluated, innermost first; sums left to the rules.

    ``Sum.doit`` hunts for a closed form (Gosper's algorithm) for every sum
    it meets: slow, and never what a proof over ``K`` classes needs.

    >>> k, K = sp.symbols("k K", integer=True, positive=True)
    >>> x = sp.IndexedBase("x")
    >>> doit_except_sums(sp.Derivative(sp.Sum(x[k] ** 2, (k, 1, K)), x[1]))
    Sum(2*KroneckerDelta(1, k)*x[k], (k, 1, K))
    """
    return expr.replace(lambda e: isinstance(e, UNEVALUATED), lambda e: e.doit(deep=False))


def rule_normal_form(expr: sp.Expr, identities: Mapping[sp.Basic, sp.Basic], facts: frozenset[sp.Basic]) -> sp.Expr:
    """``expr`` with the derivatives taken by the rules of the module doc, every sum split and collapsed."""
    expr = apply_entries(expr, identities)
    expr = resolve_piecewise(doit_except_sums(expr), facts)
    expr = sp.expand(sp.expand_log(expr))
    for _ in range(3):  # a collapsed delta or a pulled-out factor can open another round
        expr = expr.replace(lambda e: isinstance(e, sp.Sum), lambda s: _split(s, identities, facts))
        expr = sp.expand(sp.expand_log(resolve_piecewise(expr, facts)))
    return expr
