"""The rule ``ln t <= t - 1`` (``t > 0``) applied termwise under a sum with non-negative weights.

The rule itself is proved in the catalogue (``kl_divergence`` step 6, by
monotonicity about ``t = 1``, :mod:`derive.verify.inequalities`).  A gap
``sum_k g_k + c`` is shown non-negative when each ``g_k`` is
``w_k (t_k - 1 - ln t_k)`` plus a remainder whose sum the domain fixes at
zero (``sum p = sum q = 1``), with ``w_k >= 0`` and ``t_k > 0`` by signs of
factors; a constant ``c`` is first spread over the terms as
``c w_k / sum_k w_k`` where the domain fixes that sum.  The logarithms of a
term are merged (``ln a - ln b = ln(a/b)``) only when every argument is
positive.  This gives Gibbs' inequality (``t = q/p``, weights ``p``) and
``H(p) <= ln K`` (``t = 1/(K p)``).

>>> K, k = sp.symbols("K k", integer=True, positive=True)
>>> p = sp.IndexedBase("p")
>>> facts = (K >= 2, 0 < p[k], p[k] < 1, sp.Eq(sp.Sum(p[k], (k, 1, K)), 1))
>>> from derive.verify.inequalities import _ranges
>>> from derive.verify.normal_form import domain_identities
>>> entropy = sp.Le(-sp.Sum(p[k] * sp.log(p[k]), (k, 1, K)), sp.log(K))
>>> termwise_log_rule(entropy, _ranges(facts), False, domain_identities(facts)).endswith("the domain's sums")
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp

from derive.verify.inequalities import _gap, _Range, _Variables, sign_of
from derive.verify.normal_form import sum_normal_form

# Words only: the method is printed in prose on the pages.
LOG_RULE = "that a logarithm lies below its tangent at one (kl_divergence step 6)"


def termwise_log_rule(
    relation: sp.Basic, ranges: Mapping[Any, _Range], strict: bool, identities: Mapping[sp.Basic, sp.Basic]
) -> str | None:
    """How the rule proves ``relation`` termwise (for the report), or None."""
    if strict or not relation.has(sp.Sum) or not relation.has(sp.log):
        return None
    # The gap as one sum (each part a number times a sum over one range, the index renamed) plus a constant.
    limits, term, constant = None, sp.Integer(0), sp.Integer(0)
    for part in sp.Add.make_args(sp.expand(_gap(relation))):
        coefficient, inner = part.as_independent(sp.Sum, as_Add=False)
        if not isinstance(inner, sp.Sum):
            constant += part
            continue
        if not coefficient.is_number or len(inner.limits) != 1:
            return None
        index, lower, upper = inner.limits[0]
        limits = limits or (index, lower, upper)
        if (lower, upper) != limits[1:]:
            return None
        term += coefficient * inner.function.xreplace({index: limits[0]})
    if limits is None or constant.has(limits[0], sp.Sum, sp.Indexed):
        return None
    term = sp.expand(term)
    logs = sorted(term.atoms(sp.log), key=sp.default_sort_key)
    if not logs:
        return None

    def summed_to_zero(expr: sp.Expr) -> bool:  # the domain's sums (sum p = 1) applied; they are linear
        entries = sorted(expr.atoms(sp.Indexed), key=sp.default_sort_key)
        if not entries or not expr.is_polynomial(*entries) or sp.Poly(expr, *entries).total_degree() > 1:
            return False
        return sp.cancel(sp.together(sum_normal_form(sp.Sum(expr, limits), identities))) == 0

    weight_of_log = term.coeff(logs[0])
    if constant != 0:
        # c = c * sum(w) / S when the domain fixes S = sum(w): the constant spread over the terms.
        total = sp.cancel(sum_normal_form(sp.Sum(weight_of_log, limits), identities))
        if not total.is_number or total == 0:
            return None
        term = sp.expand(sp.expand_log(term + constant * weight_of_log / total))
        logs = sorted(term.atoms(sp.log), key=sp.default_sort_key)
    # c ln X1 - c ln X2 ... is c ln(X1 / X2 ...): each X positive (checked below), each coefficient +-c.
    rest, inside = term.subs({g: 0 for g in logs}), sp.Integer(1)
    for logarithm in logs:
        ratio_of_weights = sp.cancel(term.coeff(logarithm) / weight_of_log)
        if ratio_of_weights not in (1, -1) or term.coeff(logarithm).has(sp.log):
            return None
        inside *= logarithm.args[0] ** ratio_of_weights
    variables = _Variables(sp.Tuple(*(g.args[0] for g in logs)), ranges)
    if any(sign_of(variables.apply(g.args[0]), variables) != 1 for g in logs):
        return None
    # term = c ln X + rest = w (t - 1 - ln t) with (w, t) = (-c, X) or (c, 1/X): the rest must be w (t - 1),
    # termwise or once summed by the domain's sums.
    for weight, ratio in ((-weight_of_log, inside), (weight_of_log, 1 / inside)):
        residual = sp.cancel(sp.together(rest - weight * (ratio - 1)))
        if residual != 0 and not summed_to_zero(residual):
            continue
        variables = _Variables(sp.Tuple(weight, ratio), ranges)
        if sign_of(variables.apply(weight), variables) is not None and sign_of(variables.apply(ratio), variables) == 1:
            closed = " and the domain's sums" if residual != 0 or constant != 0 else ""
            return f"the rule {LOG_RULE}, termwise with non-negative weights{closed}"
    return None
