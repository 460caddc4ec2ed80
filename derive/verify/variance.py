"""A quadratic form proved non-negative as a variance: ``sum w f^2 - (sum w f)^2 >= 0``.

The stated rule (Jensen's inequality for the square, or Cauchy-Schwarz): for
weights ``w_k >= 0`` with ``sum_k w_k = 1`` and real ``f_k``,
``sum_k w_k f_k^2 - (sum_k w_k f_k)^2 = sum_k w_k (f_k - m)^2 >= 0`` with
``m = sum_k w_k f_k``.  The gap is brought to the normal form of
:mod:`derive.verify.rules` (the softmax kept whole, deltas collapsed where
the domain puts the index in range); it must then be exactly ``c`` times
that difference, ``c > 0``, with the weights' sum fixed at one by the domain
and each weight bounded below by 0.  This proves that ``v^T H v >= 0`` for
the softmax cross-entropy Hessian ``H = diag(a) - a a^T``.

>>> K, k, i, j = sp.symbols("K k i j", integer=True, positive=True)
>>> a, v = sp.IndexedBase("a"), sp.IndexedBase("v")
>>> facts = (K >= 2, 0 < a[k], a[k] < 1, sp.Eq(sp.Sum(a[k], (k, 1, K)), 1), sp.Contains(v[k], sp.Reals))
>>> form = sp.Sum(a[k] * v[k] ** 2, (k, 1, K)) - sp.Sum(a[k] * v[k], (k, 1, K)) ** 2
>>> prove_variance(sp.Ge(form, 0), facts)[:11]
'a variance:'
>>> prove_variance(sp.Ge(-form, 0), facts) is None
True
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp

from derive.errors import DeriveError, ProofTimeout

SECONDS = 0.5  # CPU seconds for the normal form and the match


def prove_variance(relation: sp.Basic, relations: Iterable[sp.Basic]) -> str | None:
    """How the variance rule proves the non-strict ``relation`` on the domain, or None."""
    from derive.verify.inequalities import _ranges
    from derive.verify.normal_form import domain_identities, sum_normal_form
    from derive.verify.prove import time_limit
    from derive.verify.rules import facts_of, rule_normal_form

    if not isinstance(relation, (sp.Le, sp.Ge)) or not relation.has(sp.Sum):
        return None
    relations = tuple(relations)
    gap = relation.rhs - relation.lhs if isinstance(relation, sp.Le) else relation.lhs - relation.rhs
    identities, ranges = domain_identities(relations), _ranges(relations)
    try:
        with time_limit(SECONDS):
            gap = sp.expand(rule_normal_form(gap, identities, facts_of(relations)))
            squares = [t for t in sp.Add.make_args(gap) if t.has(sp.Pow) and _squared_sum(t) is not None]
            if len(squares) != 1:
                return None
            scale, first = _squared_sum(squares[0])
            (index, lower, upper) = first.limits[0]
            for weight in sorted(first.function.atoms(sp.Indexed), key=sp.default_sort_key):
                value = sp.cancel(first.function / weight)
                second = sp.Sum(weight * value**2, (index, lower, upper))
                if sp.expand(gap - scale * (second - first**2)) != 0:
                    continue
                low = ranges.get(weight.base, (None,))[0]
                if low is None or not (low.is_number and low >= 0):
                    continue
                if sp.cancel(sum_normal_form(sp.Sum(weight, (index, lower, upper)), identities)) != 1:
                    continue
                if any(x.base not in ranges for x in value.atoms(sp.Indexed)):
                    continue  # every entry of f real (a variable of the domain)
                # Words only: the method is printed in prose on the pages.
                return (
                    "a variance: a weighted mean square less the squared weighted mean, the weights non-negative "
                    "and summing to one (Jensen's inequality for the square)"
                )
    except (ProofTimeout, DeriveError, NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
        return None
    return None


def _squared_sum(term: sp.Expr) -> tuple[sp.Expr, sp.Sum] | None:
    """``(-c, S)`` for a term ``-c * S**2`` with ``c > 0`` a number and ``S`` a single sum; else None."""
    coefficient, power = term.as_independent(sp.Sum, as_Add=False)
    if not (isinstance(power, sp.Pow) and power.exp == 2 and isinstance(power.base, sp.Sum)):
        return None
    if not (coefficient.is_number and coefficient < 0) or len(power.base.limits) != 1:
        return None
    return -coefficient, power.base
