"""Compilers for the calculus and the loops: Derivative, Limit, Subs, Sum, Product, softmax.

Part of the dispatch table of :mod:`derive.verify.evaluate` (which see for
environments).  Each compiler takes an expression and the kind of numbers
(:mod:`derive.verify.numbers`) and returns a closure over an environment.

* ``Derivative``: central finite differences of the expression inside, so a
  gradient is compared with the loss it came from, never with itself.  The
  step is a power of two, about a third of the working bits.  With balls,
  the enclosure is certified for the difference quotient; the quotient's own
  error (about h^2) is what the verifier's tolerance for derivatives covers.
* ``Limit``: evaluated along a sequence of points going to the limit
  (10^10, 10^20, ..., 10^60 for an infinite one, x0 +- 10^-10 ... 10^-60 for a
  finite one).  The steps between successive values must shrink; a sequence
  whose values drift apart is not converging, and evaluation fails saying so.
  The last value is the limit's value.

>>> import sympy as sp
>>> from derive.verify.evaluate import compile_expr
>>> from derive.verify.numbers import ARB
>>> z = sp.Symbol("z")
>>> with ARB.precision(200):
...     print(compile_expr(sp.Limit(1 + 1 / z, z, sp.oo), ARB)({}).contains(1 + 10**-60))
True
>>> with ARB.precision(200):
...     compile_expr(sp.Limit(sp.exp(-z / 10**80), z, sp.oo), ARB)({})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
derive.errors.EvaluationError: the values along z = 1e10, 1e20, ..., 1e60 do not settle: ...
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Any

import sympy as sp

from derive.errors import EvaluationError

if TYPE_CHECKING:
    from derive.verify.numbers import Numbers

Env = MutableMapping[Any, Any]
Compiled = Callable[[Env], Any]

# The exponents n of the points 10^n (or 10^-n) along which a limit is evaluated.
LIMIT_EXPONENTS = (10, 20, 30, 40, 50, 60)


def _compile(expr: sp.Basic, nb: Numbers) -> Compiled:
    from derive.verify.evaluate import compile_inner  # the table refers to this module

    return compile_inner(expr, nb)


def _lookup(env: Env, key: Any) -> Any:
    from derive.verify.evaluate import lookup

    return lookup(env, key)


def fd_step(x0: Any, nb: Numbers) -> Any:
    """Finite-difference step at ``x0``: 2^-(bits/3), scaled by a power of two to |x0| when larger.

    Truncation error is about h^2 (2^-132 at 200 bits); rounding, about
    2^-bits / h per difference, is in the ball's radius, so nested (second)
    differences keep about a third of the bits.  The step shrinks as the
    precision grows, so evaluating again at more bits shrinks both.
    """
    size = nb.upper_abs(x0)
    scale = math.frexp(size)[1] if size > 1 else 0
    return nb.ldexp(scale - nb.bits() // 3)


def compile_derivative(expr: sp.Derivative, nb: Numbers) -> Compiled:
    inner = _compile(expr.expr, nb)
    for variable, count in expr.variable_count:
        for _ in range(int(count)):
            inner = _central_difference(inner, variable, nb)
    return inner


def _central_difference(f: Compiled, variable: sp.Basic, nb: Numbers) -> Compiled:
    """d f / d variable by a central difference; ``variable`` may be ``z[i]``."""
    if isinstance(variable, sp.Indexed):
        base, index = variable.base, _compile(variable.indices[0], nb)

        # The perturbed vector is a new list, never the point's own one changed in
        # place: points stay as drawn, and a list's identity keys the softmax cache.
        def run(env: Env) -> Any:
            vector = _lookup(env, base)
            position = int(index(env))
            x0 = vector[position]
            h = fd_step(x0, nb)
            try:
                moved = list(vector)
                moved[position] = x0 + h
                env[base] = moved
                up = f(env)
                moved = list(vector)
                moved[position] = x0 - h
                env[base] = moved
                down = f(env)
            finally:
                env[base] = vector
            return (up - down) / (2 * h)

        return run

    def run_scalar(env: Env) -> Any:
        x0 = _lookup(env, variable)
        h = fd_step(x0, nb)
        try:
            env[variable] = x0 + h
            up = f(env)
            env[variable] = x0 - h
            down = f(env)
        finally:
            env[variable] = x0
        return (up - down) / (2 * h)

    return run_scalar


def compile_limit(expr: sp.Limit, nb: Numbers) -> Compiled:
    inner = _compile(expr.args[0], nb)
    variable, point, direction = expr.args[1], expr.args[2], str(expr.args[3])
    if point in (sp.S.Infinity, sp.S.NegativeInfinity):
        sign = 1 if point is sp.S.Infinity else -1
        where: Callable[[Env, int], Any] = lambda env, n: sign * nb.number(10**n, 1)
        minus = "-" if sign < 0 else ""
        first, second, last = (f"{minus}1e{n}" for n in (*LIMIT_EXPONENTS[:2], LIMIT_EXPONENTS[-1]))
        shown = f"{variable} = {first}, {second}, ..., {last}"
    else:
        at = _compile(point, nb)
        sign = -1 if direction == "-" else 1
        where = lambda env, n: at(env) + sign * nb.number(1, 10**n)
        side = "-" if sign < 0 else "+"
        shown = f"{variable} = {point} {side} 1e-{LIMIT_EXPONENTS[0]}, ..., {point} {side} 1e-{LIMIT_EXPONENTS[-1]}"

    def run(env: Env) -> Any:
        had, saved = variable in env, env.get(variable)
        values = []
        try:
            for n in LIMIT_EXPONENTS:
                env[variable] = where(env, n)
                values.append(inner(env))
        finally:
            if had:
                env[variable] = saved
            else:
                env.pop(variable, None)
        _require_settling(values, shown, nb)
        return values[-1]

    return run


def _require_settling(values: list[Any], shown: str, nb: Numbers) -> None:
    """Successive values along the sequence must move less and less (up to rounding)."""
    for value in values:
        if not nb.is_finite(value):
            raise EvaluationError(f"the values along {shown} are not all finite real numbers")
    noise = 2.0 ** (24 - nb.bits()) * max(1.0, nb.upper_abs(values[-1]))
    moves = [nb.upper_abs(b - a) for a, b in itertools.pairwise(values)]
    for before, after in itertools.pairwise(moves):
        if after > before + noise:
            raise EvaluationError(
                f"the values along {shown} do not settle: successive values move by {before:.0e}, then by {after:.0e}"
            )


def compile_subs(expr: sp.Subs, nb: Numbers) -> Compiled:
    inner = _compile(expr.expr, nb)
    values = [_compile(v, nb) for v in expr.point]
    variables = list(expr.variables)

    def run(env: Env) -> Any:
        new = [v(env) for v in values]
        saved = {var: env[var] for var in variables if var in env}
        env.update(zip(variables, new, strict=True))
        try:
            return inner(env)
        finally:
            for var in variables:
                env.pop(var, None)
            env.update(saved)

    return run


def compile_loop(expr: sp.Sum | sp.Product, nb: Numbers) -> Compiled:
    ((dummy, lower, upper), *rest) = expr.limits
    body = _compile(type(expr)(expr.function, *rest) if rest else expr.function, nb)
    lo, hi = _compile(lower, nb), _compile(upper, nb)
    is_sum = isinstance(expr, sp.Sum)

    def run(env: Env) -> Any:
        total: Any = 0 if is_sum else 1
        had, saved = dummy in env, env.get(dummy)
        try:
            for n in range(int(lo(env)), int(hi(env)) + 1):
                env[dummy] = n
                if is_sum:
                    total += body(env)
                else:
                    total *= body(env)
        finally:
            if had:
                env[dummy] = saved
            else:
                env.pop(dummy, None)
        return total

    return run


# Key under which an environment keeps its softmax values (see below).
_SOFTMAX_CACHE = "softmax values"


def _softmax_values(env: Env, vector: list[Any], n: int, nb: Numbers) -> list[Any]:
    """softmax of ``vector[1..n]`` as a list indexed from 1, cached in ``env``.

    A sum over k of an expression in softmax(z, k, K) needs all K components,
    each with the same normaliser: computing the vector once turns O(K^2)
    work into O(K).  The cache is keyed on the identity of the list (kept
    alive beside the values, so an identity is never reused) and on the
    precision: vectors are never changed in place (a finite difference makes
    a new list), so the same list always holds the same logits.
    """
    cache = env.get(_SOFTMAX_CACHE)
    if cache is None:
        cache = env[_SOFTMAX_CACHE] = {}
    key = (nb.bits(), id(vector), n)
    hit = cache.get(key)
    if hit is None:
        logits = vector[1 : n + 1]
        # Shift by (an exact number near) the largest logit: exact, since the
        # shift cancels, and it never overflows.
        top = nb.midpoint(max(logits, key=lambda v: float(nb.midpoint(v))))
        shifted = [nb.exp(v - top) for v in logits]
        total = shifted[0]
        for e in shifted[1:]:
            total = total + e
        hit = cache[key] = (vector, [None, *(e / total for e in shifted)])
    return hit[1]


def compile_softmax(expr: Any, nb: Numbers) -> Compiled:
    base, size, index = expr.logits, _compile(expr.size, nb), _compile(expr.index, nb)

    def soft(env: Env) -> Any:
        return _softmax_values(env, _lookup(env, base), int(size(env)), nb)[int(index(env))]

    return soft


def compile_tempered_softmax(expr: Any, nb: Numbers) -> Compiled:
    """softmax(z/T)_i: the softmax of the logits times 1/T, cached like the softmax.

    The scaled logits are a new list, so they are cached beside the vector they
    came from and the temperature's value (the list is kept alive with them).
    """
    base, size, index = expr.logits, _compile(expr.size, nb), _compile(expr.index, nb)
    inverse = _compile(1 / expr.temperature, nb)  # compiled as a power: a number of nb's kind, not a float

    def soft(env: Env) -> Any:
        vector, t = _lookup(env, base), inverse(env)
        cache = env.get(_TEMPERED_CACHE)
        if cache is None:
            cache = env[_TEMPERED_CACHE] = {}
        key = (nb.bits(), id(vector), str(t))
        hit = cache.get(key)
        if hit is None:
            hit = cache[key] = (vector, [None, *(v * t for v in vector[1:])])
        return _softmax_values(env, hit[1], int(size(env)), nb)[int(index(env))]

    return soft


# Key under which an environment keeps the logits divided by a temperature.
_TEMPERED_CACHE = "tempered logits"
