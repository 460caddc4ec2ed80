"""The order a textbook writes things in, shared by the LaTeX and the terminal printers.

>>> import sympy as sp
>>> a, y = sp.symbols("a y")
>>> is_label_term(-y), is_label_term(a)
(True, False)
>>> flip_for_display((y - a) ** 2)
(a - y)**2
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

import derive.printing.rules as rules


def _is_label(atom: sp.Basic) -> bool:
    if isinstance(atom, sp.Symbol):
        return atom.name in rules.LABEL_NAMES
    if isinstance(atom, sp.Indexed):
        return atom.base.label.name in rules.LABEL_NAMES
    return False


def is_label_term(term: sp.Basic) -> bool:
    """A term made of labels alone: y, -y_i, the one-hot delta_kp, T(y), 2 y_k."""
    if term.is_Number:
        return False
    if isinstance(term, sp.KroneckerDelta):
        return True
    if isinstance(term, (sp.Symbol, sp.Indexed)):
        return _is_label(term)
    if isinstance(term, AppliedUndef):
        return all(is_label_term(arg) for arg in term.args)
    if isinstance(term, (sp.Mul, sp.Pow)):
        parts = [p for p in term.args if not p.is_Number]
        return bool(parts) and all(is_label_term(p) for p in parts)
    return False


def flip_for_display(power: sp.Pow) -> sp.Pow | None:
    """(y - a)^2 as (a - y)^2: an even power of a label-first difference, negated inside; else None."""
    base, exponent = power.args
    if not (isinstance(base, sp.Add) and exponent.is_integer and exponent.is_even):
        return None
    labels = [t for t in base.args if is_label_term(t)]
    others = [t for t in base.args if not is_label_term(t)]
    if labels and others and all(not t.could_extract_minus_sign() for t in labels):
        if all(t.could_extract_minus_sign() for t in others):
            return sp.Pow(-base, exponent, evaluate=False)
    return None


def _rank(factor: sp.Basic) -> int:
    """Where a factor goes in a product: numbers, symbols and their powers, brackets, sums, functions."""
    base = factor.base if isinstance(factor, sp.Pow) else factor
    if factor.is_Number:
        return 0
    if isinstance(factor, sp.Symbol) and factor.name.startswith(rules.LEADING_NAMES):
        return 1  # an error term leads: delta w_2 x

    if isinstance(base, (sp.Symbol, sp.Indexed, sp.KroneckerDelta)) or base.func.__name__ in ("sigmoid", "softmax"):
        return 2
    if isinstance(factor, sp.exp) or (isinstance(factor, sp.Pow) and base == sp.E):
        return 2
    if isinstance(base, sp.Add):
        return 4 if is_label_term(base) else 3
    if isinstance(base, sp.Sum):
        return 5
    if isinstance(base, sp.Derivative):
        return 6
    return 7  # log and other functions last: y_k log a_k


def factor_order(factors: Sequence[sp.Basic]) -> list[sp.Basic]:
    """The factors of a product in reading order, stable within a rank: a (1 - a), y_k log a_k."""
    return sorted(factors, key=_rank)


def chain_order(product: sp.Mul) -> list[sp.Derivative] | None:
    """A product of first derivatives in chain-rule order (dL/dz2, dz2/dz1, dz1/dw1), or None."""
    factors = list(product.args)
    if len(factors) < 2 or not all(isinstance(f, sp.Derivative) for f in factors):
        return None
    variables = {f.variables[0] for f in factors if len(f.variables) == 1}
    tops = [f for f in factors if f.expr not in variables]
    if len(tops) != 1:
        return None
    ordered = [tops[0]]
    rest = [f for f in factors if f is not tops[0]]
    while rest:
        following = [f for f in rest if f.expr == ordered[-1].variables[0]]
        if len(following) != 1:
            return None
        ordered.append(following[0])
        rest.remove(following[0])
    return ordered


def one_minus_delta(summand: sp.Basic, index: sp.Symbol) -> tuple[sp.Basic, sp.Basic] | None:
    """For a summand (1 - delta_kp) * rest: (p, rest), so the sum prints over k != p; else None."""
    for factor in sp.Mul.make_args(summand):
        if isinstance(factor, sp.Add) and len(factor.args) == 2 and sp.S.One in factor.args:
            other = factor - 1
            if isinstance(-other, sp.KroneckerDelta) and index in (-other).args:
                (excluded,) = [arg for arg in (-other).args if arg != index] or [index]
                rest = sp.Mul(*[f for f in sp.Mul.make_args(summand) if f is not factor])
                return excluded, rest
    return None


def is_ordinary_derivative(derivative: sp.Derivative) -> bool:
    """True for d/dx of a function of ``x`` alone (printed with d); otherwise the partial sign is right.

    >>> x, y = sp.symbols("x y")
    >>> is_ordinary_derivative(sp.Derivative(sp.exp(x), x)), is_ordinary_derivative(sp.Derivative(x * y, x))
    (True, False)
    """
    (variable, _), *_ = derivative.variable_count
    return (
        len(derivative.variable_count) == 1
        and isinstance(variable, sp.Symbol)
        and derivative.expr.free_symbols == {variable}
        and not derivative.expr.atoms(sp.Indexed)
    )
