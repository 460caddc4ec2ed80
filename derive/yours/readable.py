"""Make a derived gradient read as a person would write it: equal sums cancel, labels that sum to one drop out.

Each rule is a targeted rewrite (no ``simplify``), and each is a step of the
derivation with its reason, so the reader sees why a term went away.

>>> import sympy as sp
>>> from derive.model.symbols import K, av, j, k, n, yv
>>> ratio = sp.Sum(av[n] ** 2, (n, 1, K)) / sp.Sum(av[j] ** 2, (j, 1, K))
>>> same_dummies(sp.Sum(yv[k], (k, 1, K)) - ratio * sp.Sum(yv[j], (j, 1, K)))
0
>>> from derive.model.activations import softmax
>>> from derive.model.symbols import i, zv
>>> T = sp.Symbol("T", positive=True)
>>> with_temperature(softmax(zv, i, K) ** (1 / T) / sp.Sum(softmax(zv, k, K) ** (1 / T), (k, 1, K)))
tempered_softmax(z, i, K, T)
"""

from __future__ import annotations

from typing import Any

import sympy as sp

from derive.model.activations import softmax, tempered_softmax
from derive.model.domain import PROBABILITY_VECTOR, Domain

_NAMES = ("k", "j", "n", "l", "r", "s", "t", "u", "v")


def same_dummies(expr: sp.Expr) -> sp.Expr:
    """Rename the index of every innermost single sum to one shared name, so equal sums are equal objects.

    The shared name is the first of k, j, n, ... that is not a free symbol of ``expr``; a sum holding
    another sum keeps its own index.
    """
    taken = {s.name for s in expr.free_symbols}
    name = next(candidate for candidate in _NAMES if candidate not in taken)
    shared = sp.Symbol(name, integer=True, positive=True)

    def rename(s: sp.Sum) -> sp.Expr:
        if len(s.limits) != 1 or s.function.has(sp.Sum):
            return s
        ((dummy, lo, hi),) = s.limits
        return sp.Sum(s.function.xreplace({dummy: shared}), (shared, lo, hi))

    return expr.replace(lambda e: isinstance(e, sp.Sum), rename)


def label_totals(expr: sp.Expr, domain: Domain) -> dict[sp.Sum, Any]:
    """The sums ``Sum(y[k], (k, 1, K))`` of label vectors that the domain makes probability vectors: each is 1.

    >>> from derive.model.symbols import K, k, yv
    >>> label_totals(sp.Sum(yv[k], (k, 1, K)) - 1, Domain({K: PROBABILITY_VECTOR, yv: PROBABILITY_VECTOR}))
    {Sum(y[k], (k, 1, K)): 1}
    """
    totals: dict[sp.Sum, Any] = {}
    for s in expr.atoms(sp.Sum):
        body = s.function
        if len(s.limits) == 1 and isinstance(body, sp.Indexed) and body.indices == (s.limits[0][0],):
            if domain.kinds.get(body.base) is PROBABILITY_VECTOR:
                totals[s] = sp.S.One
    return totals


def readable_steps(closed: sp.Expr, domain: Domain, own: sp.Expr) -> list[tuple[sp.Expr, sp.Expr, str]]:
    """The rewrites that make ``closed`` readable, as (before, after, reason); empty if none applies.

    ``own`` is the probability of the gradient's own class, which the terms are collected in.
    """
    out: list[tuple[sp.Expr, sp.Expr, str]] = []
    current = closed
    renamed = sp.factor_terms(same_dummies(current))
    if renamed != current and sp.count_ops(renamed) < sp.count_ops(current):
        out.append((current, renamed, "a sum is the same whatever its index is called: equal sums cancel"))
        current = renamed
    totals = label_totals(current, domain)
    if totals:
        replaced = current.xreplace(totals)
        forms = [
            replaced,
            sp.factor_terms(replaced),
            sp.factor_terms(sp.expand(replaced)),
            sp.collect(sp.expand(replaced), own, func=sp.factor_terms),
        ]
        summed = min(forms, key=sp.count_ops)
        if summed != current:
            out.append((current, summed, "the label is a probability vector: its entries sum to one"))
            current = summed
    tempered = sp.factor_terms(with_temperature(current))
    if tempered != current:
        reason = "a power of the softmax, normalised over the classes, is the softmax at temperature T = 1/power"
        out.append((current, tempered, reason))
    return out


def _tempered_numerator(term: sp.Expr, k: sp.Symbol, size: sp.Expr) -> tuple[Any, sp.Expr] | None:
    """For the summand ``softmax(z, k, K)**c`` or ``exp(c*z[k])``: (``z``, ``c``); else None."""
    base, power = term.as_base_exp()
    if isinstance(base, softmax) and base.index == k and base.size == size and not power.has(k):
        return base.logits, power
    if isinstance(term, sp.exp):
        for z in {ix.base for ix in term.args[0].atoms(sp.Indexed) if ix.indices == (k,)}:
            c = sp.cancel(term.args[0] / z[k])
            if not c.has(k) and not c.has(z):
                return z, c
    return None


def _matches(term: sp.Expr, z: Any, c: sp.Expr, size: sp.Expr) -> sp.Expr | None:
    """The class index ``i`` if ``term`` is ``softmax(z, i, K)**c`` or ``exp(c*z[i])``, else None."""
    base, power = term.as_base_exp()
    if isinstance(base, softmax) and base.logits == z and base.size == size and power == c:
        return base.index
    if isinstance(term, sp.exp):
        for ix in term.args[0].atoms(sp.Indexed):
            if ix.base == z and len(ix.indices) == 1 and sp.expand(term.args[0] - c * ix) == 0:
                return ix.indices[0]
    return None


def with_temperature(expr: sp.Expr) -> sp.Expr:
    """``expr`` with every ``x_i**c / Sum(x_k**c)`` (``x`` the softmax of ``z``) and ``exp(c z_i)/Sum(exp(c z_k))``
    as the softmax at temperature ``T = 1/c``: ``tempered_softmax(z, i, K, T)``.

    The softmax's own normaliser cancels from a normalised power of it, so both are ``softmax(z/T)_i``.
    """

    def rewrite(product: sp.Mul) -> sp.Expr:
        factors = list(sp.Mul.make_args(product))
        for at, factor in enumerate(factors):
            base, power = factor.as_base_exp()
            if power != -1 or not isinstance(base, sp.Sum) or len(base.limits) != 1:
                continue
            ((k, lo, size),) = base.limits
            found = _tempered_numerator(base.function, k, size) if lo == 1 else None
            if found is None:
                continue
            z, c = found
            for other, numerator in enumerate(factors):
                index = _matches(numerator, z, c, size) if other != at else None
                if index is not None:
                    rest = [f for n, f in enumerate(factors) if n not in (at, other)]
                    return sp.Mul(*rest, tempered_softmax(z, index, size, 1 / c))
        return product

    return expr.replace(lambda e: isinstance(e, sp.Mul), rewrite)
