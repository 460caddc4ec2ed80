"""Small, targeted rewriting rules used by derivations instead of ``simplify()``.

Each rule does one thing a derivation step names in its reason.

>>> import sympy as sp
>>> from derive.model.symbols import K, j, k, zv
>>> collapse_delta_sums(sp.Sum(sp.KroneckerDelta(j, k) * sp.exp(zv[k]), (k, 1, K)))
exp(z[j])
"""

from __future__ import annotations

import sympy as sp


def collapse_delta_sums(expr: sp.Expr) -> sp.Expr:
    """Replace ``Sum(delta(k, j) * f(k), (k, lo, hi))`` by ``f(j)``.

    Valid when ``j`` lies in ``lo..hi``: the step that uses it must say so.
    """

    def collapse(s: sp.Sum) -> sp.Expr:
        (dummy, _lo, _hi), *rest = s.limits
        if rest:
            return s
        body = sp.expand(s.function)
        terms = sp.Add.make_args(body)
        out = sp.S.Zero
        leftover = sp.S.Zero
        for term in terms:
            delta = next(
                (f for f in sp.Mul.make_args(term) if isinstance(f, sp.KroneckerDelta) and dummy in f.free_symbols),
                None,
            )
            if delta is None:
                leftover += term
                continue
            other = delta.args[0] if delta.args[1] == dummy else delta.args[1]
            out += (term / delta).subs(dummy, other)
        if leftover != 0:
            out += sp.Sum(leftover, *s.limits)
        return out

    return expr.replace(lambda e: isinstance(e, sp.Sum), collapse)


def sum_split(expr: sp.Expr) -> sp.Expr:
    """Split sums over sums of terms and pull out factors free of the index.

    >>> import sympy as sp
    >>> from derive.model.symbols import K, k, yv, av, i
    >>> sum_split(sp.Sum(yv[k] * av[i] - yv[k], (k, 1, K)))
    a[i]*Sum(y[k], (k, 1, K)) - Sum(y[k], (k, 1, K))
    """

    def split(s: sp.Sum) -> sp.Expr:
        (dummy, lo, hi), *rest = s.limits
        if rest:
            return s
        total = sp.S.Zero
        for term in sp.Add.make_args(sp.expand(s.function)):
            free, bound = sp.S.One, sp.S.One
            for f in sp.Mul.make_args(term):
                if dummy in f.free_symbols:
                    bound *= f
                else:
                    free *= f
            total += free * (sp.Sum(bound, (dummy, lo, hi)) if bound != 1 else (hi - lo + 1))
        return total

    return expr.replace(lambda e: isinstance(e, sp.Sum), split)


def sum_over_others(term: sp.Expr, index: sp.Symbol, excluded: sp.Expr, size: sp.Expr) -> sp.Expr:
    """``sum_{index != excluded} term``, written as a full sum with a ``1 - delta`` factor.

    >>> from derive.model.symbols import K, k, zv
    >>> from derive.model.activations import softmax
    >>> from derive.recipes.one_hot import TRUE_CLASS
    >>> sum_over_others(softmax(zv, k, K) ** 2, k, TRUE_CLASS, K)
    Sum((1 - KroneckerDelta(c, k))*softmax(z, k, K)**2, (k, 1, K))
    """
    return sp.Sum((1 - sp.KroneckerDelta(index, excluded)) * term, (index, 1, size))


def tidy_sums(expr: sp.Expr) -> sp.Expr:
    """Split sums and collapse their deltas: the bookkeeping that steps through softmax repeat.

    >>> from derive.model.symbols import K, k, yv
    >>> from derive.recipes.one_hot import TRUE_CLASS
    >>> tidy_sums(sp.Sum(sp.KroneckerDelta(k, TRUE_CLASS) * yv[k] - yv[k], (k, 1, K)))
    y[c] - Sum(y[k], (k, 1, K))
    """
    return sp.expand(collapse_delta_sums(sum_split(sp.expand(expr))))
