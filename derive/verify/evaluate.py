"""Evaluate SymPy expressions in high precision with mpmath.

:func:`compile_expr` turns an expression into a Python closure once, so that
the verifier can evaluate it at hundreds of points cheaply.  It understands
the expressions the catalogue uses: arithmetic, ``exp``/``log``, ``Sum`` and
``Product`` with symbolic bounds (bound at evaluation time), ``Indexed``
vectors, ``KroneckerDelta``, ``Piecewise``, the activations of
:mod:`derive.model.activations`, ``Derivative`` (by central finite differences of the
inner expression) and ``Limit`` (by evaluation far out or very close in).

An environment maps each ``Symbol`` to a number and each ``IndexedBase`` to a
list indexed from 1 (element 0 is unused).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> f = compile_expr(sp.log(1 + x**2))
>>> with mpmath.workdps(30):
...     print(f({x: mpmath.mpf(2)}))
1.60943791243410037460075933323
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

import mpmath
import sympy as sp

from derive.errors import EvaluationError
from derive.model.activations import sigmoid, softmax

Env = MutableMapping[Any, Any]
Compiled = Callable[[Env], Any]


def _mp_sigmoid(x: Any) -> Any:
    # 1/(1 + e^-x) for x >= 0 and e^x/(1 + e^x) otherwise: no overflow either way.
    if x >= 0:
        return 1 / (1 + mpmath.exp(-x))
    e = mpmath.exp(x)
    return e / (1 + e)


_UNARY: dict[type, Callable[[Any], Any]] = {
    sp.exp: mpmath.exp,
    sp.log: mpmath.log,
    sp.Abs: abs,
    sp.sign: mpmath.sign,
    sp.tanh: mpmath.tanh,
    sp.cosh: mpmath.cosh,
    sp.sinh: mpmath.sinh,
    sp.factorial: mpmath.factorial,
    sp.Heaviside: lambda x: mpmath.mpf(1) if x > 0 else (mpmath.mpf(0) if x < 0 else mpmath.mpf("0.5")),
    sigmoid: _mp_sigmoid,
}

_RELATIONS: dict[type, Callable[[Any, Any], bool]] = {
    sp.Eq: lambda a, b: a == b,
    sp.Ne: lambda a, b: a != b,
    sp.Lt: lambda a, b: a < b,
    sp.Le: lambda a, b: a <= b,
    sp.Gt: lambda a, b: a > b,
    sp.Ge: lambda a, b: a >= b,
}

# How far out a limit at infinity is evaluated, and how close in a finite one.
LIMIT_FAR = mpmath.mpf(10) ** 60
LIMIT_NEAR = mpmath.mpf(10) ** -60


def _lookup(env: Env, key: Any) -> Any:
    try:
        return env[key]
    except KeyError:
        raise EvaluationError(f"no value for {key} at this point") from None


def _fd_step() -> Any:
    """Finite-difference step: a quarter of the working digits.

    Truncation error is about h^2 and rounding error about 10^-dps / h, so
    nested (second) differences keep about half the digits.
    """
    return mpmath.mpf(10) ** (-(mpmath.mp.dps // 4))


def _compile_derivative(expr: sp.Derivative) -> Compiled:
    inner = compile_expr(expr.expr)
    for variable, count in expr.variable_count:
        for _ in range(int(count)):
            inner = _central_difference(inner, variable)
    return inner


def _central_difference(f: Compiled, variable: sp.Basic) -> Compiled:
    """d f / d variable by a central difference; ``variable`` may be ``z[i]``."""
    if isinstance(variable, sp.Indexed):
        base = variable.base
        index_fns = [compile_expr(ix) for ix in variable.indices]

        def get_set(env: Env) -> tuple[Callable[[], Any], Callable[[Any], None]]:
            vec = _lookup(env, base)
            pos = int(index_fns[0](env))

            def setter(v: Any) -> None:
                vec[pos] = v

            return (lambda: vec[pos]), setter
    else:

        def get_set(env: Env) -> tuple[Callable[[], Any], Callable[[Any], None]]:
            def setter(v: Any) -> None:
                env[variable] = v

            return (lambda: _lookup(env, variable)), setter

    def run(env: Env) -> Any:
        getter, setter = get_set(env)
        x0 = getter()
        h = _fd_step() * max(1, abs(x0))
        try:
            setter(x0 + h)
            up = f(env)
            setter(x0 - h)
            down = f(env)
        finally:
            setter(x0)
        return (up - down) / (2 * h)

    return run


def _compile_limit(expr: sp.Limit) -> Compiled:
    inner = compile_expr(expr.args[0])
    variable, point, direction = expr.args[1], expr.args[2], str(expr.args[3])
    if point is sp.S.Infinity:
        where: Compiled = lambda env: LIMIT_FAR
    elif point is sp.S.NegativeInfinity:
        where = lambda env: -LIMIT_FAR
    else:
        at = compile_expr(point)
        sign = -1 if direction == "-" else 1
        where = lambda env: at(env) + sign * LIMIT_NEAR

    def run(env: Env) -> Any:
        saved = env.get(variable, None)
        env[variable] = where(env)
        try:
            return inner(env)
        finally:
            if saved is None:
                env.pop(variable, None)
            else:
                env[variable] = saved

    return run


def _compile_subs(expr: sp.Subs) -> Compiled:
    inner = compile_expr(expr.expr)
    values = [compile_expr(v) for v in expr.point]
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


def _compile_loop(expr: sp.Sum | sp.Product) -> Compiled:
    body = compile_expr(expr.function)
    ((dummy, lower, upper), *rest) = expr.limits
    if rest:
        inner_expr = type(expr)(expr.function, *rest)
        body = compile_expr(inner_expr)
    lo, hi = compile_expr(lower), compile_expr(upper)
    is_sum = isinstance(expr, sp.Sum)

    def run(env: Env) -> Any:
        total = mpmath.mpf(0) if is_sum else mpmath.mpf(1)
        saved = env.get(dummy, None)
        for n in range(int(lo(env)), int(hi(env)) + 1):
            env[dummy] = n
            total = total + body(env) if is_sum else total * body(env)
        if saved is None:
            env.pop(dummy, None)
        else:
            env[dummy] = saved
        return total

    return run


# Key under which an environment keeps its softmax normalisers (see below).
_SOFTMAX_CACHE = "softmax normalisers"


def _softmax_values(env: Env, vec: list[Any], n: int) -> list[Any]:
    """softmax of ``vec[1..n]`` as a list indexed from 1, cached in ``env``.

    A sum over k of an expression in softmax(z, k, K) needs all K components,
    each with the same normaliser: computing the vector once turns O(K^2)
    work into O(K).  The cache is keyed on the values themselves (and the
    precision), so a finite-difference perturbation of z gets its own entry,
    and each component is computed exactly as without the cache.
    """
    cache = env.get(_SOFTMAX_CACHE)
    if cache is None:
        cache = env[_SOFTMAX_CACHE] = {}
    logits = vec[1 : n + 1]
    # Hash mpmath's raw (sign, mantissa, exponent, bits) tuples: hashing mpf objects is slow.
    key = (mpmath.mp.prec, tuple(getattr(v, "_mpf_", v) for v in logits))
    values = cache.get(key)
    if values is None:
        # Shift by the largest logit: exact (the shift cancels) and never overflows.
        top = max(logits)
        shifted = [mpmath.exp(v - top) for v in logits]
        total = mpmath.fsum(shifted)
        values = cache[key] = [None, *(e / total for e in shifted)]
    return values


def compile_expr(expr: sp.Basic) -> Compiled:
    """Compile ``expr`` into a function of an environment; see the module doc."""
    expr = sp.sympify(expr)
    if isinstance(expr, sp.Integer):
        value = int(expr)
        return lambda env: value
    if isinstance(expr, sp.Rational):
        p, q = int(expr.p), int(expr.q)
        by_precision: dict[int, Any] = {}  # the value depends on the working precision

        def rational(env: Env) -> Any:
            prec = mpmath.mp.prec
            if prec not in by_precision:
                by_precision[prec] = mpmath.mpf(p) / q
            return by_precision[prec]

        return rational
    if isinstance(expr, sp.Float):
        text = str(expr)
        return lambda env: mpmath.mpf(text)
    if expr is sp.pi:
        return lambda env: +mpmath.pi
    if expr is sp.E:
        return lambda env: mpmath.e + 0
    if expr in (sp.S.Infinity, sp.S.NegativeInfinity):
        value = mpmath.inf if expr is sp.S.Infinity else -mpmath.inf
        return lambda env: value
    if expr is sp.true or expr is sp.false:
        flag = bool(expr)
        return lambda env: flag
    if isinstance(expr, (sp.Symbol, sp.Dummy, sp.IndexedBase)):
        return lambda env: _lookup(env, expr)
    if isinstance(expr, sp.Indexed):
        base = expr.base
        index = compile_expr(expr.indices[0])
        return lambda env: _lookup(env, base)[int(index(env))]
    if isinstance(expr, sp.Add):
        first, *rest = [compile_expr(a) for a in expr.args]

        # Plain left-to-right addition: at the verifier's 60 digits the
        # rounding is far below its tolerance, and fsum costs several times more.
        def add(env: Env) -> Any:
            total = first(env)
            for p in rest:
                total += p(env)
            return total

        return add
    if isinstance(expr, sp.Mul):
        first, *rest = [compile_expr(a) for a in expr.args]

        def mul(env: Env) -> Any:
            out = first(env)
            for p in rest:
                out *= p(env)
            return out

        return mul
    if isinstance(expr, sp.Pow):
        base_fn, exp_fn = compile_expr(expr.base), compile_expr(expr.exp)
        if expr.exp == 2:
            return lambda env: base_fn(env) ** 2
        if expr.exp == -1:
            return lambda env: mpmath.mpf(1) / base_fn(env)
        return lambda env: mpmath.power(base_fn(env), exp_fn(env))
    if isinstance(expr, (sp.Sum, sp.Product)):
        return _compile_loop(expr)
    if isinstance(expr, sp.Derivative):
        return _compile_derivative(expr)
    if isinstance(expr, sp.Limit):
        return _compile_limit(expr)
    if isinstance(expr, sp.Subs):
        return _compile_subs(expr)
    if isinstance(expr, sp.KroneckerDelta):
        a, b = (compile_expr(x) for x in expr.args)
        return lambda env: 1 if int(a(env)) == int(b(env)) else 0
    if isinstance(expr, softmax):
        base, size = expr.logits, compile_expr(expr.size)
        index = compile_expr(expr.index)

        def soft(env: Env) -> Any:
            vec = _lookup(env, base)
            n = int(size(env))
            return _softmax_values(env, vec, n)[int(index(env))]

        return soft
    if isinstance(expr, sp.Piecewise):
        pieces = [(compile_expr(e), compile_expr(c)) for e, c in expr.args]

        def piecewise(env: Env) -> Any:
            for value, cond in pieces:
                if cond(env):
                    return value(env)
            raise EvaluationError(f"no branch of {expr} applies")

        return piecewise
    if isinstance(expr, (sp.Max, sp.Min)):
        parts = [compile_expr(a) for a in expr.args]
        pick = max if isinstance(expr, sp.Max) else min
        return lambda env: pick(p(env) for p in parts)
    if isinstance(expr, (sp.And, sp.Or, sp.Not)):
        parts = [compile_expr(a) for a in expr.args]
        if isinstance(expr, sp.And):
            return lambda env: all(p(env) for p in parts)
        if isinstance(expr, sp.Or):
            return lambda env: any(p(env) for p in parts)
        return lambda env: not parts[0](env)
    for rel, test in _RELATIONS.items():
        if isinstance(expr, rel):
            lhs, rhs = compile_expr(expr.lhs), compile_expr(expr.rhs)
            return lambda env: test(lhs(env), rhs(env))
    for func, fn in _UNARY.items():
        if isinstance(expr, func):
            if len(expr.args) != 1:
                break
            arg = compile_expr(expr.args[0])
            return lambda env: fn(arg(env))
    raise EvaluationError(f"cannot evaluate {type(expr).__name__}: {expr}")


def evaluate(expr: sp.Basic, env: Env, dps: int = 50) -> Any:
    """Evaluate ``expr`` once at ``env`` with ``dps`` decimal digits.

    >>> import sympy as sp
    >>> z = sp.Symbol("z")
    >>> float(evaluate(sigmoid(z), {z: 0}))
    0.5
    """
    with mpmath.workdps(dps):
        return compile_expr(expr)(dict(env))
