"""Symbolic proofs of inequalities: signs of factors, monotonicity about the equality case, a rule termwise.

Each method shows that the *gap* (rhs - lhs for ``<``, ``<=``; lhs - rhs
for ``>``, ``>=``) is non-negative (positive, for a strict inequality) on
the whole domain, and fails fast otherwise:

* **sign by factors** (:func:`sign_of`): each variable is replaced by a
  form whose sign SymPy and the domain fix (a logit ``z`` by ``u = exp(-z)
  > 0``, so that ``sigmoid(z) = 1/(1 + u)``; a probability in (0, 1) by
  ``1/(1 + v)``, ``v > 0``); the gap is factored, and every factor must have
  a known sign: a positive number, ``exp``, an even power (a square
  completed: ``1/4 - sigma'(z) = (u - 1)^2 / (4 (u + 1)^2)``), ``|x|``, a
  polynomial with non-negative coefficients in non-negative variables (``y``
  in [0, 1] also read as ``1 - y'``), or in one bounded ``u`` with no real
  root in its range (certified in arb).  ``|X| <= R``: ``R -+ X >= 0``.
* **monotonicity about the equality case** (one variable ``t``, stated case
  ``t = c`` inside the domain): the gap is zero at ``c`` and ``(t - c)``
  times its derivative is non-negative by signs of factors, so the gap falls
  to zero at ``c`` and rises after it.  This proves ``ln t <= t - 1``.
* **a stated rule termwise** (:mod:`derive.verify.log_rule`: ``ln t <= t - 1``
  under a sum with non-negative weights, closed by the domain's sums).

A strict inequality is proved only where every factor is strictly signed.

>>> z = sp.Symbol("z", real=True)
>>> from derive.model.activations import sigmoid
>>> slope = sp.Derivative(sigmoid(z), z)
>>> prove_by_rules(sp.Le(slope, sp.Rational(1, 4)), (sp.Contains(z, sp.Reals),))
'sign by factors (a square completed)'
>>> prove_by_rules(sp.Le(slope, sp.Rational(1, 5)), (sp.Contains(z, sp.Reals),)) is None
True
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sympy as sp
from flint import arb, ctx

from derive.errors import DeriveError, ProofTimeout
from derive.model.activations import in_exp

SECONDS = 1.0  # CPU seconds for all the methods on one relation (the slowest proof takes about 0.3 s cold)

_STRICT = (sp.Lt, sp.Gt)
_Range = tuple[Any, bool, Any, bool]  # lower bound, lower strict, upper bound, upper strict (None: unbounded)


def _gap(relation: sp.Basic) -> sp.Expr:
    if isinstance(relation, (sp.Lt, sp.Le)):
        return relation.rhs - relation.lhs
    return relation.lhs - relation.rhs


def _ranges(relations: Iterable[sp.Basic]) -> dict[Any, _Range]:
    """Each variable's bounds as the domain states them (an indexed entry under its base)."""
    ranges: dict[Any, list[Any]] = {}
    for fact in relations:
        if not isinstance(fact, (sp.Lt, sp.Le, sp.Gt, sp.Ge)):
            if isinstance(fact, sp.Contains) and fact.args[1] == sp.Reals:
                ranges.setdefault(_key(fact.args[0]), [None, False, None, False])
            continue
        small, big = (fact.lhs, fact.rhs) if isinstance(fact, (sp.Lt, sp.Le)) else (fact.rhs, fact.lhs)
        strict = isinstance(fact, _STRICT)
        if small.is_number and not big.is_number:
            ranges.setdefault(_key(big), [None, False, None, False])[0:2] = [small, strict]
        elif big.is_number and not small.is_number:
            ranges.setdefault(_key(small), [None, False, None, False])[2:4] = [big, strict]
    return {k: tuple(v) for k, v in ranges.items()}


def _key(atom: sp.Basic) -> Any:
    return atom.base if isinstance(atom, sp.Indexed) else atom


def _assumed(atom: sp.Basic) -> _Range:
    """A range from SymPy's assumptions on a variable the domain gives none (``Contains`` of a real is True)."""
    if atom.is_positive:
        return (sp.Integer(0), True, None, False)
    if atom.is_real:
        return (None, False, None, False)
    raise DeriveError(f"no range for {atom}")


class _Variables:
    """The substitution that gives every variable a known sign, and what each new symbol ranges over."""

    def __init__(self, expr: sp.Expr, ranges: Mapping[Any, _Range]) -> None:
        self.mapping: dict[sp.Basic, sp.Expr] = {}
        self.bounded: dict[sp.Symbol, tuple[Any, Any]] = {}  # u = exp(-z) over a bounded z
        self.strict: set[sp.Symbol] = set()  # symbols that are > 0 (the others are >= 0)
        self.unit: set[sp.Symbol] = set()  # symbols in [0, 1]: may be read as 1 - y'
        atoms = {a for a in sp.sympify(expr).atoms(sp.Symbol, sp.Indexed) if not isinstance(a, sp.Idx)}
        atoms -= {i for a in atoms if isinstance(a, sp.Indexed) for i in (*a.indices, a.base.label)}
        for n, atom in enumerate(sorted(atoms, key=sp.default_sort_key)):
            lo, lo_strict, hi, hi_strict = ranges.get(_key(atom)) or _assumed(atom)
            # w > 0 unless the variable may sit at a lower bound >= 0 (w = exp(-z) is always positive)
            open_below = bool(lo_strict) or not (lo is not None and lo.is_number and lo >= 0)
            new = sp.Symbol(f"w{n}", positive=True) if open_below else sp.Symbol(f"w{n}", nonnegative=True)
            if open_below:
                self.strict.add(new)
            if lo == 0 and lo_strict and hi == 1 and hi_strict:
                self.mapping[atom] = 1 / (1 + new)
            elif lo is not None and lo.is_number and lo > 0 and hi is None:  # K >= 2: K = 2 + w
                self.mapping[atom] = lo + new
            elif lo == 0 and hi is None:
                self.mapping[atom] = new
            elif lo == 0 and hi == 1:
                self.mapping[atom] = new
                self.unit.add(new)
            else:  # a real number: its exponential is positive (bounded if the number is)
                self.mapping[atom] = -sp.log(new)
                if lo is not None or hi is not None:
                    # exact bounds (a float bound is its binary value), exponentiated in arb when needed
                    exact = [None if b is None else sp.Rational(b) for b in (hi, lo)]
                    self.bounded[new] = (exact[0], exact[1])

    def apply(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` in the new symbols: activations to exp, derivatives taken, then substituted."""
        expr = in_exp(expr).doit()
        return sp.expand_log(expr.xreplace(self.mapping), force=False)


def sign_of(expr: sp.Expr, variables: _Variables) -> int | None:
    """1 if ``expr`` is positive, 0 if non-negative, by its factors; None if not shown (or negative).

    >>> w = sp.Symbol("w0", positive=True)
    >>> v = _Variables(sp.Integer(0), {})
    >>> v.strict.add(w)
    >>> sign_of((w - 1) ** 2 / (w + 1), v), sign_of(w - 1, v)
    (0, None)
    """
    expr = sp.factor(sp.cancel(sp.together(expr)))
    if expr == 0:
        return 0
    sign, strict = 1, True
    for factor in sp.Mul.make_args(expr):
        base, power = factor.as_base_exp() if isinstance(factor, sp.Pow) else (factor, sp.Integer(1))
        if not power.is_integer:
            if power.is_real and _factor_sign(base, variables) == 1:
                continue  # a real power of a positive number is positive
            return None
        if power.is_even:
            inner = _factor_sign(base, variables)
            strict = strict and inner in (1, -1)
            continue
        inner = _factor_sign(base, variables)
        if inner is None:
            return None
        if inner < 0 and power.is_odd:
            sign = -sign
        if inner == 0 or inner == -2:
            strict = False
    if sign < 0:
        return None
    return 1 if strict else 0


def _factor_sign(base: sp.Expr, variables: _Variables) -> int | None:
    """1 positive, 0 non-negative, -1 negative, -2 non-positive, None unknown."""
    if base.is_number:
        return 1 if base > 0 else -1 if base < 0 else None
    if isinstance(base, sp.exp):
        return 1
    if isinstance(base, sp.Abs):
        return 0
    for sign, candidate in ((1, base), (-1, -base)):
        found = _polynomial_sign(candidate, variables)
        if found is not None:
            return found if sign == 1 else {1: -1, 0: -2}[found]
    return None


def _polynomial_sign(poly: sp.Expr, variables: _Variables) -> int | None:
    """1 or 0 for a polynomial shown positive or non-negative, else None."""
    symbols = sorted(poly.free_symbols, key=sp.default_sort_key)
    if not symbols or not poly.is_polynomial(*symbols):
        return None
    if any(s in variables.bounded for s in symbols):
        return _arb_sign(poly, symbols, variables)
    units = [s for s in symbols if s in variables.unit]
    for flips in itertools.product((False, True), repeat=len(units)):
        flipped = sp.expand(poly.xreplace({s: 1 - s for s, f in zip(units, flips, strict=True) if f}))
        terms = sp.Poly(flipped, *symbols).terms()
        if all(c >= 0 for _, c in terms):
            strict_symbols = {s for s, f in zip(units, flips, strict=True) if not f} & variables.strict
            strict_symbols |= variables.strict - set(units)
            positive = any(
                c > 0 and all(e == 0 or s in strict_symbols for s, e in zip(symbols, m, strict=True)) for m, c in terms
            )
            return 1 if positive else 0
    return None


def _arb_sign(poly: sp.Expr, symbols: Sequence[sp.Symbol], variables: _Variables) -> int | None:
    """The sign of a polynomial in one bounded variable ``u = exp(-z)``: no real root in the range, sign at one end.

    The ends are balls of ``exp`` at the exact bounds of ``z`` (200 bits); each
    real root (exact, by SymPy) must be certified outside the range.
    """
    if len(symbols) != 1:
        return None
    (symbol,) = symbols
    high_z, low_z = variables.bounded.get(symbol, (None, None))  # u = exp(-z): its low end from z's high end
    if high_z is None or low_z is None:
        return None
    saved, ctx.prec = ctx.prec, 200
    try:
        low, high = [(-(arb(int(b.p)) / arb(int(b.q)))).exp() for b in (high_z, low_z)]
        for root in sp.Poly(poly, symbol).real_roots():
            ball = arb(str(sp.N(root, 70))) + arb(
                0, 1e-60
            )  # 70 digits of an exact root, a radius well above their error
            if not (ball < low or ball > high):
                return None
        value = arb(0)
        for (power,), coefficient in sp.Poly(poly, symbol).terms():
            value += arb(int(coefficient.p)) / arb(int(coefficient.q)) * low ** int(power)
        return 1 if value > 0 else -1 if value < 0 else None
    finally:
        ctx.prec = saved


def prove_by_rules(
    relation: sp.Basic,
    relations: Iterable[sp.Basic],
    equality_cases: Sequence[Mapping[Any, Any]] = (),
    identities: Mapping[sp.Basic, sp.Basic] | None = None,
) -> str | None:
    """The first method of the module doc that proves ``relation`` on the domain, named; or None.

    ``identities`` are the domain's sums (:func:`derive.verify.normal_form.domain_identities`).
    """
    from derive.verify.log_rule import termwise_log_rule
    from derive.verify.prove import time_limit

    ranges = _ranges(relations)
    strict = isinstance(relation, _STRICT)
    try:
        with time_limit(SECONDS):
            return (
                _signs(relation, ranges, strict)
                or _monotone(relation, ranges, equality_cases, strict)
                or termwise_log_rule(relation, ranges, strict, identities or {})
            )
    except (ProofTimeout, DeriveError, NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
        return None


def _signs(relation: sp.Basic, ranges: Mapping[Any, _Range], strict: bool) -> str | None:
    if relation.has(sp.Sum, sp.Product, sp.Limit):  # not a product of signed factors: fail fast
        return None
    small, big = (relation.lhs, relation.rhs) if isinstance(relation, (sp.Lt, sp.Le)) else (relation.rhs, relation.lhs)
    options = [[big - small]]
    if isinstance(small, sp.Abs):
        options.append([big - small.args[0], big + small.args[0]])
    for gaps in options:
        variables = _Variables(sp.Tuple(*gaps), ranges)
        shown = [sp.factor(sp.cancel(sp.together(variables.apply(gap)))) for gap in gaps]
        signs = [sign_of(gap, variables) for gap in shown]
        if any(s is None or (strict and s == 0) for s in signs):
            continue
        squared = any(
            isinstance(f, sp.Pow) and f.exp.is_even and _factor_sign(f.base, variables) not in (1, -1)
            for g in shown
            for f in sp.Mul.make_args(g)
        )
        split = ", the absolute value bounded on both sides" if len(gaps) == 2 else ""
        return "sign by factors" + (" (a square completed)" if squared else "") + split
    return None


def _monotone(
    relation: sp.Basic, ranges: Mapping[Any, _Range], cases: Sequence[Mapping[Any, Any]], strict: bool
) -> str | None:
    gap = _gap(relation)
    if strict or len(gap.free_symbols) != 1 or gap.has(sp.Indexed, sp.Sum):
        return None
    (t,) = gap.free_symbols
    centre = next((sp.sympify(c[t]) for c in cases if t in c and sp.sympify(c[t]).is_number), None)
    if centre is None or not centre > 0:  # t > 0 (checked below) with the centre inside
        return None
    gap = in_exp(gap).doit()
    if sp.cancel(sp.together(gap.subs(t, centre))) != 0:
        return None
    variables = _Variables(t, ranges)
    if variables.mapping[t] != sp.Symbol("w0", positive=True):
        return None  # t itself must be the variable (no change of variable in the derivative)
    # The gap continuous on the domain (no jump past a pole): denominators, logs' and roots' arguments positive.
    guards = [sp.fraction(sp.together(gap))[1], *(g.args[0] for g in gap.atoms(sp.log))]
    guards += [p.base for p in gap.atoms(sp.Pow) if not p.exp.is_integer]
    if gap.has(sp.Abs, sp.Piecewise) or any(sign_of(variables.apply(g), variables) != 1 for g in guards):
        return None
    if sign_of(variables.apply((t - centre) * sp.diff(gap, t)), variables) is None:
        return None
    return "monotonicity: zero at the stated equality case, falling before it and rising after (signs of factors)"
