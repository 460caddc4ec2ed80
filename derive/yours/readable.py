"""Make a derived gradient read as a person would write it: equal sums cancel, labels that sum to one drop out.

Each rule is a targeted rewrite (no ``simplify``), and each is a step of the
derivation with its reason, so the reader sees why a term went away.

>>> import sympy as sp
>>> from derive.model.symbols import K, av, j, k, n, yv
>>> ratio = sp.Sum(av[n] ** 2, (n, 1, K)) / sp.Sum(av[j] ** 2, (j, 1, K))
>>> same_dummies(sp.Sum(yv[k], (k, 1, K)) - ratio * sp.Sum(yv[j], (j, 1, K)))
0
"""

from __future__ import annotations

from typing import Any

import sympy as sp

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
    return out
