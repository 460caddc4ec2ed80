"""A normal form for expressions with sums: the targeted rewrites the prover tries before giving up.

:func:`sum_normal_form` rewrites the activations to ``exp``, takes the
derivatives (``doit``), splits logarithms of products (only where SymPy's
assumptions allow it: never ``force``), and brings every single sum to one
shape: the summand expanded and split over its terms, factors free of the
index pulled out, a Kronecker delta in the index collapsed, the index renamed
to one canonical symbol, and the identities the domain states applied (a
probability vector sums to 1).  Two sides with the same normal form are equal.

>>> import sympy as sp
>>> K, k = sp.symbols("K k", integer=True, positive=True)
>>> p, q = sp.IndexedBase("p", positive=True), sp.IndexedBase("q", positive=True)
>>> lhs = sp.Sum(p[k] * sp.log(p[k] / q[k]), (k, 1, K))
>>> rhs = sp.Sum(p[k] * sp.log(p[k]), (k, 1, K)) - sp.Sum(p[k] * sp.log(q[k]), (k, 1, K))
>>> sp.expand(sum_normal_form(lhs) - sum_normal_form(rhs))
0
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp

from derive.model.activations import in_exp

INDEX = sp.Symbol("k_", integer=True, positive=True)


def _collapse_delta(factor: sp.Expr, index: sp.Symbol) -> sp.Expr | None:
    """``factor`` with a delta(index, c) collapsed (index := c), or None if it has none."""
    for part in sp.Mul.make_args(factor):
        if isinstance(part, sp.KroneckerDelta) and index in part.free_symbols:
            other = part.args[0] if part.args[1] == index else part.args[1]
            if index in other.free_symbols:
                return None
            return (factor / part).subs(index, other)
    return None


def _split_sum(s: sp.Sum, identities: Mapping[sp.Basic, sp.Basic]) -> sp.Expr:
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
            continue
        collapsed = _collapse_delta(inside, index)
        if collapsed is not None:
            out += outside * collapsed  # the other index lies in lower..upper: the domain says so
            continue
        piece = sp.Sum(inside, (index, lower, upper))
        out += outside * identities.get(piece, piece)
    return out


def sum_normal_form(expr: sp.Expr, identities: Mapping[sp.Basic, sp.Basic] | None = None) -> sp.Expr:
    """``expr`` in the normal form of the module doc; ``identities`` maps canonical sums to their values."""
    identities = identities or {}
    expr = apply_entries(expr, identities)
    expr = in_exp(expr)
    expr = sp.expand(sp.expand_log(expr.doit()))
    for _ in range(2):  # a pulled-out factor can open a logarithm for a second round
        expr = expr.replace(lambda e: isinstance(e, sp.Sum), lambda s: _split_sum(s, identities))
        expr = sp.expand(sp.expand_log(expr))
    return expr


def domain_identities(relations: tuple[sp.Basic, ...]) -> dict[sp.Basic, sp.Basic]:
    """What a domain's relations fix: sums (``Sum(p[k], (k, 1, K)) = 1``) and entries (``y[k] = delta(k, c)``).

    Sums are keyed in normal form; an entry is keyed by its vector, with a
    ``Lambda`` of the index as its value.
    """
    out: dict[sp.Basic, sp.Basic] = {}
    for relation in relations:
        if not isinstance(relation, sp.Eq):
            continue
        if isinstance(relation.lhs, sp.Sum) and len(relation.lhs.limits) == 1:
            (dummy, lower, upper) = relation.lhs.limits[0]
            key = sp.Sum(relation.lhs.function.xreplace({dummy: INDEX}), (INDEX, lower, upper))
            out[key] = relation.rhs
        elif isinstance(relation.lhs, sp.Indexed) and isinstance(relation.lhs.indices[0], sp.Symbol):
            out[relation.lhs.base] = sp.Lambda(relation.lhs.indices[0], relation.rhs)
    return out


def apply_entries(expr: sp.Expr, identities: Mapping[sp.Basic, sp.Basic]) -> sp.Expr:
    """``expr`` with each vector whose entries the domain fixes replaced entry by entry (y[i] -> delta(i, c))."""
    entries = {base: rule for base, rule in identities.items() if isinstance(base, sp.IndexedBase)}
    if not entries:
        return expr
    return expr.replace(
        lambda e: isinstance(e, sp.Indexed) and e.base in entries, lambda e: entries[e.base](*e.indices)
    )
