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
  polynomial whose coefficients are all non-negative in variables that are
  (a label ``y`` in [0, 1] may be read as ``1 - y'``), or one evaluated in
  arb over the bounded range of its variables.  ``|X| <= R`` is ``R - X`` and
  ``R + X`` both non-negative.
* **monotonicity about the equality case** (one variable ``t``, stated case
  ``t = c`` inside the domain): the gap is zero at ``c`` and ``(t - c)``
  times its derivative is non-negative by signs of factors, so the gap falls
  to zero at ``c`` and rises after it.  This proves ``ln t <= t - 1``.
* **a stated rule termwise** (:data:`LOG_RULE`, ``ln t <= t - 1`` for ``t >
  0``, proved by monotonicity in the catalogue's ``kl_divergence``): two sums
  over the same range whose terms differ by ``w (t - 1 - ln t)`` with the
  weight ``w >= 0`` and ``t > 0`` by signs of factors.

A strict inequality is proved only where every factor is strictly signed;
one with an equality case never is (it is false there).

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
from derive.model.activations import sigmoid, softmax

LOG_RULE = "ln t <= t - 1 for t > 0 (kl_divergence step 6)"
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


class _Variables:
    """The substitution that gives every variable a known sign, and what each new symbol ranges over."""

    def __init__(self, expr: sp.Expr, ranges: Mapping[Any, _Range]) -> None:
        self.mapping: dict[sp.Basic, sp.Expr] = {}
        self.bounded: dict[sp.Symbol, tuple[Any, Any]] = {}  # u = exp(-z) over a bounded z
        self.strict: set[sp.Symbol] = set()  # symbols that are > 0 (the others are >= 0)
        self.unit: set[sp.Symbol] = set()  # symbols in [0, 1]: may be read as 1 - y'
        atoms = {a for a in sp.sympify(expr).atoms(sp.Symbol, sp.Indexed) if not isinstance(a, sp.Idx)}
        atoms -= {i for a in atoms if isinstance(a, sp.Indexed) for i in (*a.indices, a.base.label)}
        atoms = {
            a
            for a in atoms
            if not (isinstance(a, sp.Symbol) and any(a in x.indices for x in atoms if isinstance(x, sp.Indexed)))
        }
        for n, atom in enumerate(sorted(atoms, key=sp.default_sort_key)):
            if _key(atom) not in ranges:
                raise DeriveError(f"no range for {atom}")
            lo, lo_strict, hi, hi_strict = ranges[_key(atom)]
            new = sp.Symbol(f"w{n}", positive=True)
            if lo == 0 and lo_strict and hi == 1 and hi_strict:
                self.mapping[atom] = 1 / (1 + new)
                self.strict.add(new)
            elif lo is not None and lo.is_number and lo > 0 and hi is None:  # K >= 2: K = 2 + w
                self.mapping[atom] = lo + new
                self.strict.add(new)
            elif lo == 0 and hi is None:
                self.mapping[atom] = new
                if lo_strict:
                    self.strict.add(new)
            elif lo == 0 and hi == 1:
                self.mapping[atom] = new
                self.unit.add(new)
                if lo_strict:
                    self.strict.add(new)
            else:  # a real number: its exponential is positive (bounded if the number is)
                self.mapping[atom] = -sp.log(new)
                self.strict.add(new)
                if lo is not None or hi is not None:
                    # exact bounds (a float bound is its binary value), exponentiated in arb when needed
                    exact = [None if b is None else sp.Rational(b) for b in (hi, lo)]
                    self.bounded[new] = (exact[0], exact[1])

    def apply(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` in the new symbols: activations to exp, derivatives taken, then substituted."""
        expr = expr.replace(lambda e: isinstance(e, (sigmoid, softmax)), lambda e: e.rewrite(sp.exp)).doit()
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
            if sign == 1:
                return found
            return -1 if found == 1 else -2
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
            ball = ctx.prec and _ball_of(root)
            if not (ball < low or ball > high):
                return None
        value = arb(0)
        for (power,), coefficient in sp.Poly(poly, symbol).terms():
            value += arb(int(coefficient.p)) / arb(int(coefficient.q)) * low ** int(power)
        return 1 if value > 0 else -1 if value < 0 else None
    finally:
        ctx.prec = saved


def _ball_of(number: sp.Expr) -> arb:
    """A ball around a real algebraic number, from a 70-digit evaluation (radius well above its error)."""
    digits = sp.N(number, 70)
    return arb(str(digits)) + arb(0, sp.Float("1e-60"))


def prove_by_rules(
    relation: sp.Basic,
    relations: Iterable[sp.Basic],
    equality_cases: Sequence[Mapping[Any, Any]] = (),
    identities: Mapping[sp.Basic, sp.Basic] | None = None,
) -> str | None:
    """The first method of the module doc that proves ``relation`` on the domain, named; or None.

    ``identities`` are the domain's sums (:func:`derive.verify.normal_form.domain_identities`).
    """
    from derive.verify.prove import time_limit

    ranges = _ranges(relations)
    strict = isinstance(relation, _STRICT)
    try:
        with time_limit(SECONDS):
            return (
                _signs(relation, ranges, strict)
                or _monotone(relation, ranges, equality_cases, strict)
                or _termwise(relation, ranges, strict, identities or {})
            )
    except (ProofTimeout, DeriveError, NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
        return None


def _signs(relation: sp.Basic, ranges: Mapping[Any, _Range], strict: bool) -> str | None:
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
        split = ", |x| <= r as -r <= x <= r" if len(gaps) == 2 else ""
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
    lo, _, hi, _ = ranges.get(t, (None, False, None, False))
    if centre is None or (lo is not None and not centre > lo) or (hi is not None and not centre < hi):
        return None
    gap = gap.replace(lambda e: isinstance(e, (sigmoid, softmax)), lambda e: e.rewrite(sp.exp)).doit()
    if sp.cancel(sp.together(gap.subs(t, centre))) != 0:
        return None
    variables = _Variables(t, ranges)
    if variables.mapping[t] != sp.Symbol("w0", positive=True):
        return None  # t itself must be the variable (no change of variable in the derivative)
    slope = (t - centre) * sp.diff(gap, t)
    if sign_of(variables.apply(slope), variables) is None:
        return None
    return f"monotonicity: zero at {t} = {centre}, falling before and rising after (signs of factors)"


def _termwise(
    relation: sp.Basic, ranges: Mapping[Any, _Range], strict: bool, identities: Mapping[sp.Basic, sp.Basic]
) -> str | None:
    from derive.verify.normal_form import sum_normal_form

    if strict:
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

    def summed_to_zero(expr: sp.Expr) -> bool:  # the domain's sums (sum p = 1) applied
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
            return f"the rule {LOG_RULE} termwise, t = {ratio}, weight {weight} >= 0{closed}"
    return None
