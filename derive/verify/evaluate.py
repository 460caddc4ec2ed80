"""Evaluate SymPy expressions in high precision: arb balls for the verifier, mpmath for the rest.

:func:`compile_expr` turns an expression into a Python closure once, so that
it can be evaluated at hundreds of points cheaply.  It is a dispatch table:
each SymPy class maps to a compiler (:data:`COMPILERS`), found along the
class's method resolution order, so a subclass (an activation) can have its
own entry.  The calculus (``Derivative``, ``Limit``, ``Subs``), the loops
(``Sum``, ``Product``) and ``softmax`` live in :mod:`derive.verify.calculus`;
the branches and comparisons (``Piecewise``, ``Max``, relations, logic) in
:mod:`derive.verify.branches`.

The numbers are those of :mod:`derive.verify.numbers`: ``ARB`` (certified
balls, what the verifier uses) or ``MPMATH`` (the default, plain floats).

An environment maps each ``Symbol`` to a number and each ``IndexedBase`` to a
list indexed from 1 (element 0 is unused).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> f = compile_expr(sp.log(1 + x**2))
>>> with mpmath.workdps(30):
...     print(f({x: mpmath.mpf(2)}))
1.60943791243410037460075933323
>>> from derive.verify.numbers import ARB
>>> with ARB.precision(200):
...     ball = compile_expr(sp.log(1 + x**2), ARB)({x: 2})
>>> ball.rad() < 1e-55
True
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

import mpmath
import sympy as sp

from derive.errors import EvaluationError
from derive.model.activations import sigmoid, softmax, tempered_softmax
from derive.verify import branches, calculus
from derive.verify.numbers import MPMATH, Numbers

Env = MutableMapping[Any, Any]
Compiled = Callable[[Env], Any]
Compiler = Callable[[Any, Numbers], Compiled]

__all__ = ["COMPILERS", "EvaluationError", "compile_expr", "evaluate", "lookup"]


def lookup(env: Env, key: Any) -> Any:
    """The value of ``key`` at this point; a clear error if the point has none."""
    try:
        return env[key]
    except KeyError:
        raise EvaluationError(f"no value for {key} at this point") from None


def _integer(expr: sp.Integer, nb: Numbers) -> Compiled:
    value = int(expr)
    return lambda env: value


def _rational(expr: sp.Rational, nb: Numbers) -> Compiled:
    p, q = int(expr.p), int(expr.q)
    by_precision: dict[int, Any] = {}  # the value depends on the working precision

    def rational(env: Env) -> Any:
        bits = nb.bits()
        if bits not in by_precision:
            by_precision[bits] = nb.number(p, q)
        return by_precision[bits]

    return rational


def _float(expr: sp.Float, nb: Numbers) -> Compiled:
    text = str(expr)
    return lambda env: nb.text(text)


def _constant(expr: sp.Basic, nb: Numbers) -> Compiled:
    if expr is sp.pi:
        return lambda env: nb.pi()
    if expr is sp.E:
        return lambda env: nb.e()
    if expr in (sp.S.Infinity, sp.S.NegativeInfinity):
        sign = 1 if expr is sp.S.Infinity else -1
        return lambda env: nb.infinity(sign)
    if expr in (sp.true, sp.false):
        flag = bool(expr)
        return lambda env: flag
    raise EvaluationError(f"cannot evaluate the constant {expr}")


# Variables are looked up with env[...] directly (a KeyError is turned into an
# EvaluationError by compile_expr's caller, :func:`guarded`): lookups are the
# commonest operation, and a function call around each costs a third of the time.
def _symbol(expr: sp.Basic, nb: Numbers) -> Compiled:
    return lambda env: env[expr]


def _indexed(expr: sp.Indexed, nb: Numbers) -> Compiled:
    base, index = expr.base, expr.indices[0]
    if isinstance(index, sp.Symbol):
        return lambda env: env[base][env[index]]
    if isinstance(index, sp.Integer):
        position = int(index)
        return lambda env: env[base][position]
    index_fn = compile_inner(index, nb)
    return lambda env: env[base][int(index_fn(env))]


def _add(expr: sp.Add, nb: Numbers) -> Compiled:
    first, *rest = [compile_inner(a, nb) for a in expr.args]

    # Plain left-to-right addition: for balls the radius accounts for every
    # rounding, and for mpmath at 200 bits the rounding is far below the tolerance.
    def add(env: Env) -> Any:
        total = first(env)
        for term in rest:
            total += term(env)
        return total

    return add


def _mul(expr: sp.Mul, nb: Numbers) -> Compiled:
    first, *rest = [compile_inner(a, nb) for a in expr.args]

    def mul(env: Env) -> Any:
        out = first(env)
        for factor in rest:
            out *= factor(env)
        return out

    return mul


def _pow(expr: sp.Pow, nb: Numbers) -> Compiled:
    base = compile_inner(expr.base, nb)
    if expr.exp == 2 and nb.name == "mpmath":
        return lambda env: base(env) ** 2
    if expr.exp == -1:
        one = nb.number(1, 1)  # exact at every precision
        return lambda env: one / base(env)
    if expr.exp == sp.S.Half:
        return lambda env: nb.sqrt(base(env))
    exponent = compile_inner(expr.exp, nb)
    return lambda env: nb.power(base(env), exponent(env))


def _unary(function: Callable[[Numbers], Callable[[Any], Any]]) -> Compiler:
    def compiler(expr: sp.Function, nb: Numbers) -> Compiled:
        if len(expr.args) != 1:
            raise EvaluationError(f"cannot evaluate {expr}: one argument expected")
        fn, arg = function(nb), compile_inner(expr.args[0], nb)
        return lambda env: fn(arg(env))

    compiler.unary = function  # type: ignore[attr-defined]  # read by the code generator below
    return compiler


def _heaviside(nb: Numbers) -> Callable[[Any], Any]:
    def step(x: Any) -> Any:
        if nb.compare(">", x, 0):
            return 1
        return 0 if nb.compare("<", x, 0) else nb.number(1, 2)

    return step


def _sign(nb: Numbers) -> Callable[[Any], Any]:
    return lambda x: 1 if nb.compare(">", x, 0) else (-1 if nb.compare("<", x, 0) else 0)


def _factorial(nb: Numbers) -> Callable[[Any], Any]:
    return lambda x: nb.gamma(x + 1)


def _kronecker(expr: sp.KroneckerDelta, nb: Numbers) -> Compiled:
    a, b = (compile_inner(x, nb) for x in expr.args)
    return lambda env: 1 if int(a(env)) == int(b(env)) else 0


# SymPy class -> compiler.  The first class along an expression's MRO wins.
COMPILERS: dict[type, Compiler] = {
    sp.Integer: _integer,
    sp.Rational: _rational,
    sp.Float: _float,
    sp.NumberSymbol: _constant,
    sp.logic.boolalg.BooleanAtom: _constant,
    sp.core.numbers.Infinity: _constant,
    sp.core.numbers.NegativeInfinity: _constant,
    sp.Symbol: _symbol,
    sp.IndexedBase: _symbol,
    sp.Indexed: _indexed,
    sp.Add: _add,
    sp.Mul: _mul,
    sp.Pow: _pow,
    sp.exp: _unary(lambda nb: nb.exp),
    sp.log: _unary(lambda nb: nb.log),
    sp.Abs: _unary(lambda nb: abs),
    sp.sign: _unary(_sign),
    sp.tanh: _unary(lambda nb: nb.tanh),
    sp.cosh: _unary(lambda nb: nb.cosh),
    sp.sinh: _unary(lambda nb: nb.sinh),
    sp.factorial: _unary(_factorial),
    sp.Heaviside: _unary(_heaviside),
    sigmoid: _unary(lambda nb: nb.sigmoid),
    softmax: calculus.compile_softmax,
    tempered_softmax: calculus.compile_tempered_softmax,
    sp.KroneckerDelta: _kronecker,
    sp.Piecewise: branches.compile_piecewise,
    sp.Max: branches.compile_extremum,
    sp.Min: branches.compile_extremum,
    sp.And: branches.compile_logic,
    sp.Or: branches.compile_logic,
    sp.Not: branches.compile_logic,
    sp.Eq: branches.compile_relation,
    sp.Ne: branches.compile_relation,
    sp.Lt: branches.compile_relation,
    sp.Le: branches.compile_relation,
    sp.Gt: branches.compile_relation,
    sp.Ge: branches.compile_relation,
    sp.Sum: calculus.compile_loop,
    sp.Product: calculus.compile_loop,
    sp.Derivative: calculus.compile_derivative,
    sp.Limit: calculus.compile_limit,
    sp.Subs: calculus.compile_subs,
}


def _compiler_for(expr: sp.Basic) -> Compiler:
    for cls in type(expr).__mro__:
        compiler = COMPILERS.get(cls)
        if compiler is not None:
            return compiler
    raise EvaluationError(f"cannot evaluate {type(expr).__name__}: {expr}")


def compile_inner(expr: sp.Basic, numbers: Numbers) -> Compiled:
    """The compiled function of ``expr`` from the table, without the guard of :func:`compile_expr`.

    The arithmetic of an expression (sums, products, powers, the functions
    of one argument, variables and integers) becomes one generated Python
    function (:func:`_generate`): the same operations on the same numbers in
    the same order as the closures of the table, without a call per node.
    Every other node (a ``Sum``, a ``Derivative``, ``Piecewise``...) is its
    table's closure, called from the generated code.
    """
    expr = sp.sympify(expr)
    compiler = _compiler_for(expr)
    if compiler in (_add, _mul, _pow) or (getattr(compiler, "unary", None) and len(expr.args) == 1):
        return _generate(expr, numbers)
    return compiler(expr, numbers)


# Deeper arithmetic than this is split into nested generated functions (Python's parser limits nesting).
_MAX_DEPTH = 40


def _generate(expr: sp.Basic, nb: Numbers) -> Compiled:
    """One Python function evaluating the arithmetic of ``expr``; see :func:`compile_inner`.

    >>> x = sp.Symbol("x")
    >>> f = _generate(2 * x + sp.exp(x) ** 3 - 1 / x, MPMATH)
    >>> with mpmath.workdps(20):
    ...     print(f({x: mpmath.mpf(1)}))
    21.085536923187667741
    """
    bound: dict[str, Any] = {}

    def bind(value: Any) -> str:
        name = f"_v{len(bound)}"
        bound[name] = value
        return name

    def emit(node: sp.Basic, depth: int) -> str:
        compiler = _compiler_for(node)
        if depth > _MAX_DEPTH:
            return f"{bind(_generate(node, nb) if _inlined(node, compiler) else compiler(node, nb))}(env)"
        if compiler is _integer:
            return f"({int(node)})"
        if compiler is _symbol:
            return f"env[{bind(node)}]"
        if compiler is _add:
            return "(" + " + ".join(emit(arg, depth + 1) for arg in node.args) + ")"
        if compiler is _mul:
            return "(" + " * ".join(emit(arg, depth + 1) for arg in node.args) + ")"
        if compiler is _pow:
            base = emit(node.base, depth + 1)
            if node.exp == 2 and nb.name == "mpmath":
                return f"({base} ** 2)"
            if node.exp == -1:
                return f"({bind(nb.number(1, 1))} / {base})"  # exact at every precision
            if node.exp == sp.S.Half:
                return f"{bind(nb.sqrt)}({base})"
            return f"{bind(nb.power)}({base}, {emit(node.exp, depth + 1)})"
        if _inlined(node, compiler):
            return f"{bind(compiler.unary(nb))}({emit(node.args[0], depth + 1)})"
        return f"{bind(compiler(node, nb))}(env)"  # a node of its own: its closure, called here

    code = emit(expr, 0)
    namespace = dict(bound)
    exec(compile(f"def generated(env):\n    return {code}\n", "<derive.verify.evaluate>", "exec"), namespace)
    return namespace["generated"]


def _inlined(node: sp.Basic, compiler: Compiler) -> bool:
    """Whether ``node`` is arithmetic the generated code writes out (not a closure of its own)."""
    unary = getattr(compiler, "unary", None) is not None and len(node.args) == 1
    return unary or compiler in (_add, _mul, _pow, _integer, _symbol)


def guarded(compiled: Compiled) -> Compiled:
    """``compiled``, with a variable missing from the environment reported as an EvaluationError."""

    def run(env: Env) -> Any:
        try:
            return compiled(env)
        except KeyError as exc:
            raise EvaluationError(f"no value for {exc.args[0]} at this point") from None

    return run


def compile_expr(expr: sp.Basic, numbers: Numbers = MPMATH) -> Compiled:
    """Compile ``expr`` into a function of an environment; see the module doc."""
    return guarded(compile_inner(expr, numbers))


def evaluate(expr: sp.Basic, env: Env, dps: int = 50) -> Any:
    """Evaluate ``expr`` once at ``env`` with ``dps`` decimal digits (mpmath).

    >>> import sympy as sp
    >>> z = sp.Symbol("z")
    >>> float(evaluate(sigmoid(z), {z: 0}))
    0.5
    """
    with mpmath.workdps(dps):
        return compile_expr(expr)(dict(env))
