"""JavaScript from verified results, printed by SymPy's own JavaScript code printer.

The site's interactive figures and exercises compute with the functions made
here, so what a reader plays with is the verified result itself, not a
formula typed again in JavaScript.  A function takes scalars as numbers and
vectors (``z[k]``, ``y[k]``) as arrays; SymPy's classes 1..K are the arrays'
entries 0..K-1, so class indices (``i``, ``j``) are passed counting from 0.
That shift is exact because an index only ever selects an entry (of a vector,
a softmax, a Kronecker delta or a sum), which :func:`javascript` checks.  K is
read from the first vector's length.

As in the NumPy export (:mod:`derive.codegen`), sigmoid and softmax are stable and
ln sigma, ln(1 - sigma), ln softmax never form the probability; those forms are
SymPy expressions too (:data:`HELPERS`), proved equal to what they replace in the tests.

>>> import derive
>>> print(javascript("bce_grad", derive.get("bce_sigmoid_grad").result.rhs).source)
function bce_grad(y, z) {
  return -y + _sigmoid(z);
}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import sympy as sp
from sympy.codegen.cfunctions import log1p
from sympy.printing.jscode import JavascriptCodePrinter

from derive.errors import ExportError
from derive.model.activations import sigmoid, softmax, tempered_softmax
from derive.model.kinds import SIZE_SYMBOL_NAME


# Placeholders for the stable helpers (real Function classes: printers dispatch on the class name).
class Sigmoid(sp.Function):
    """The logistic function, made stable."""


class LogSigmoid(sp.Function):
    """ln sigma, without forming sigma."""


class Softmax(sp.Function):
    """Entry ``i`` of the softmax of the vector ``z`` (arguments z, i)."""


class LogSoftmax(sp.Function):
    """ln of entry ``i`` of the softmax of ``z``, without forming the softmax."""


class VectorMax(sp.Function):
    """The largest entry of a vector (``Math.max(...z)``)."""


@dataclass(frozen=True)
class Helper:
    """A stable helper: its JavaScript name, parameters, named intermediates and value, all SymPy."""

    name: str
    parameters: tuple[sp.Basic, ...]
    intermediates: tuple[tuple[sp.Symbol, sp.Expr], ...]
    value: sp.Expr
    why: str


_x = sp.Symbol("x", real=True)
_vector = sp.IndexedBase("z")
_i, _k = sp.symbols("i k", integer=True)
_size = sp.Symbol(SIZE_SYMBOL_NAME, integer=True, positive=True)
_largest = sp.Symbol("m", real=True)
_shifted_total = sp.Sum(sp.exp(_vector[_k] - _largest), (_k, 1, _size))

HELPERS: dict[str, Helper] = {
    "Sigmoid": Helper(
        "_sigmoid",
        (_x,),
        (),
        sp.Piecewise((1 / (1 + sp.exp(-_x)), _x >= 0), (sp.exp(_x) / (1 + sp.exp(_x)), True)),
        "exp is taken of -|x| only, so it never overflows",
    ),
    "LogSigmoid": Helper(
        "_log_sigmoid",
        (_x,),
        (),
        -(sp.Max(-_x, 0) + log1p(sp.exp(-sp.Abs(_x)))),
        "ln sigma(x) = -softplus(-x); ln(1 - sigma(x)) is _log_sigmoid(-x)",
    ),
    "Softmax": Helper(
        "_softmax",
        (_vector, _i),
        ((_largest, VectorMax(_vector)),),
        sp.exp(_vector[_i] - _largest) / _shifted_total,
        "shifted by the largest logit (log-sum-exp): every exponent <= 0",
    ),
    "LogSoftmax": Helper(
        "_log_softmax",
        (_vector, _i),
        ((_largest, VectorMax(_vector)),),
        _vector[_i] - _largest - sp.log(_shifted_total),
        "shifted by the largest logit, and the logarithm taken of a sum >= 1",
    ),
}

# Plumbing, not formulas: a sum over the classes 0..n-1 of a term.
_RUNTIME = (
    "function _sum(n, term) {\n  let total = 0;\n  for (let k = 0; k < n; k++) total += term(k);\n  return total;\n}"
)


class DerivePrinter(JavascriptCodePrinter):
    """SymPy's JavaScript printer, taught the vectors, sums and stable helpers of this module."""

    def __init__(self) -> None:
        super().__init__({"strict": True})

    def _print_Indexed(self, expr: sp.Indexed) -> str:  # noqa: N802 (SymPy printer naming)
        (index,) = expr.indices
        return f"{expr.base.label}[{self._print(index)}]"

    def _print_IndexedBase(self, expr: sp.IndexedBase) -> str:  # noqa: N802 (SymPy printer naming)
        return self._print(expr.label)

    def _print_KroneckerDelta(self, expr: sp.KroneckerDelta) -> str:  # noqa: N802 (SymPy printer naming)
        first, second = (self._print(a) for a in expr.args)
        return f"(({first} === {second}) ? 1 : 0)"

    def _print_Sum(self, expr: sp.Sum) -> str:  # noqa: N802 (SymPy printer naming)
        (index, _low, high), *_ = expr.limits
        return f"_sum({self._print(high)}, ({self._print(index)}) => {self._print(expr.function)})"

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:  # noqa: N802 (SymPy printer naming)
        *cases, (last, _) = expr.args
        out = self._print(last)
        for value, condition in reversed(cases):
            out = f"(({self._print(condition)}) ? ({self._print(value)}) : ({out}))"
        return out

    def _print_log1p(self, expr: sp.Expr) -> str:
        return f"Math.log1p({self._print(expr.args[0])})"

    def _print_VectorMax(self, expr: sp.Expr) -> str:  # noqa: N802 (SymPy printer naming)
        return f"Math.max(...{self._print(expr.args[0])})"

    def _helper_call(self, expr: sp.Expr) -> str:
        return f"{HELPERS[type(expr).__name__].name}({', '.join(self._print(a) for a in expr.args)})"

    _print_Sigmoid = _print_LogSigmoid = _print_Softmax = _print_LogSoftmax = _helper_call  # noqa: N815


def stable(expr: sp.Basic) -> sp.Basic:
    """``expr`` with sigmoid and softmax as the stable helpers, their logarithms never formed from a probability.

    >>> from derive.model.symbols import y, z
    >>> stable(-y * sp.log(sigmoid(z)) - (1 - y) * sp.log(1 - sigmoid(z)))
    -y*LogSigmoid(z) - (1 - y)*LogSigmoid(-z)
    """
    if isinstance(expr, sp.log) and isinstance(expr.args[0], softmax):
        inner = expr.args[0]
        return LogSoftmax(inner.logits, inner.index)
    if isinstance(expr, sp.log) and isinstance(expr.args[0], sigmoid):
        return LogSigmoid(stable(expr.args[0].args[0]))
    if isinstance(expr, sp.log) and (1 - expr.args[0]).func is sigmoid:
        return LogSigmoid(-stable((1 - expr.args[0]).args[0]))  # ln(1 - sigma(x)) = ln sigma(-x)
    if isinstance(expr, softmax):
        return Softmax(expr.logits, expr.index)
    if isinstance(expr, sigmoid):
        return Sigmoid(stable(expr.args[0]))
    if isinstance(expr, (sp.Derivative, sp.Limit, sp.Subs, sp.Product, sp.Integral, tempered_softmax)):
        raise ExportError(f"{expr} is a {type(expr).__name__}, which has no JavaScript form here")
    if not expr.args or isinstance(expr, (sp.Indexed, sp.IndexedBase)):
        return expr
    return expr.func(*(stable(a) for a in expr.args))


def _check_indices(expr: sp.Basic, size: sp.Symbol | None) -> None:
    """An error if a class index is not a plain symbol, enters arithmetic, or a sum is not over 1..K."""
    indices: set[sp.Basic] = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Sum):
            if any(low != 1 or high != size for _, low, high in node.limits):
                raise ExportError(f"cannot print {node}: only sums over the classes 1..K")
            indices |= {limit[0] for limit in node.limits}
        selected = node.indices if isinstance(node, sp.Indexed) else ()
        selected = node.args[1:] if isinstance(node, (Softmax, LogSoftmax)) else selected
        selected = node.args if isinstance(node, sp.KroneckerDelta) else selected
        for index in selected:
            if not isinstance(index, sp.Symbol):
                raise ExportError(f"cannot print an index {index}: only a plain index selects a class")
            indices.add(index)
    selecting = (sp.Indexed, Softmax, LogSoftmax, sp.KroneckerDelta)
    hidden = sp.sympify(expr).replace(lambda e: isinstance(e, selecting), lambda e: sp.S.One)
    leaked = indices & hidden.replace(lambda e: isinstance(e, sp.Sum), lambda e: e.function).free_symbols
    if leaked:
        names = ", ".join(sorted(map(str, leaked)))
        raise ExportError(f"the index {names} enters the arithmetic: classes counted from 0 would change the value")


@dataclass(frozen=True)
class JsFunction:
    """One generated function: its name, its parameters in call order, its source, the helpers it calls."""

    name: str
    parameters: tuple[str, ...]
    source: str
    helpers: frozenset[str]
    expression: str


def javascript(name: str, expr: sp.Expr, parameters: Iterable[str] | None = None) -> JsFunction:
    """A JavaScript function ``name`` computing ``expr``, printed by SymPy's JavaScript printer.

    ``parameters`` fixes the call order; it must name every free variable but K, and may
    name more (ignored: a family of functions can share one signature). By default the
    free variables sorted by name.

    >>> from derive.model.symbols import y, z
    >>> f = javascript("loss", -y * sp.log(sigmoid(z)) - (1 - y) * sp.log(1 - sigmoid(z)), ["z", "y"])
    >>> f.parameters, sorted(f.helpers)
    (('z', 'y'), ['_log_sigmoid'])
    """
    if not name.isidentifier():
        raise ExportError(f"{name!r} is not a JavaScript function name")
    translated = stable(sp.sympify(expr))
    bases = sorted(translated.atoms(sp.IndexedBase), key=str)
    size = next((s for s in translated.free_symbols if s.name == SIZE_SYMBOL_NAME), None)
    bound = {limit[0] for loop in translated.atoms(sp.Sum) for limit in loop.limits}
    labels = {base.label for base in bases}
    _check_indices(translated, size)
    symbols = {s for s in translated.free_symbols if isinstance(s, sp.Symbol)}
    free = {s.name for s in symbols - bound - labels if s != size} | {b.name for b in bases}
    order = tuple(parameters) if parameters is not None else tuple(sorted(free))
    if not free <= set(order) or len(set(order)) != len(order):
        raise ExportError(f"{name}: parameters {', '.join(order)} but the expression's variables are {sorted(free)}")
    if size is not None and not bases:
        raise ExportError(f"{name}: K appears but no vector gives its length")
    shared, (final,) = sp.cse(translated, symbols=sp.numbered_symbols("t"), ignore=tuple(bound))
    printer = DerivePrinter()
    lines = [f"function {name}({', '.join(order)}) {{"]
    if size is not None:
        lines.append(f"  const K = {bases[0].name}.length;")
    lines += [f"  const {symbol} = {printer.doprint(value)};" for symbol, value in shared]
    lines += [f"  return {printer.doprint(final)};", "}"]
    used = {HELPERS[type(f).__name__].name for f in translated.atoms(Sigmoid, LogSigmoid, Softmax, LogSoftmax)}
    return JsFunction(name, order, "\n".join(lines), frozenset(used), sp.sstr(expr))


def helper_source(helper: Helper) -> str:
    """The JavaScript of one stable helper, printed from its SymPy form."""
    printer = DerivePrinter()
    names = ", ".join(str(p.label if isinstance(p, sp.IndexedBase) else p) for p in helper.parameters)
    lines = [f"// {helper.why}", f"function {helper.name}({names}) {{"]
    if helper.value.has(_size):
        lines.append(f"  const K = {_vector.label}.length;")
    lines += [f"  const {symbol} = {printer.doprint(value)};" for symbol, value in helper.intermediates]
    lines += [f"  return {printer.doprint(helper.value)};", "}"]
    return "\n".join(lines)


def module(functions: Iterable[JsFunction], header: str, global_name: str = "deriveFunctions") -> str:
    """A script defining the functions, the runtime and the helpers they need.

    In a browser it sets ``window[global_name]``; under node, ``require`` returns the same object:
    ``{name: {parameters: [...], expression: "...", call: function}}``.

    >>> text = module([javascript("slope", sigmoid(sp.Symbol("z")) ** 2)], "// demo")
    >>> "function _sigmoid(x)" in text, "function _softmax(" in text
    (True, False)
    """
    functions = list(functions)
    seen: set[str] = set()
    for function in functions:
        if function.name in seen:
            raise ExportError(f"two generated functions are called {function.name}")
        seen.add(function.name)
    needed = set().union(*(f.helpers for f in functions)) if functions else set()
    body = [_RUNTIME] + [helper_source(h) for h in HELPERS.values() if h.name in needed]
    body += [f"// {f.expression}\n{f.source}" for f in functions]
    table = ",\n".join(
        f"    {f.name}: {{parameters: [{', '.join(repr(p) for p in f.parameters)}], "
        f"expression: {json.dumps(f.expression)}, call: {f.name}}}"
        for f in functions
    )
    indented = "\n".join("  " + line if line else line for line in "\n\n".join(body).splitlines())
    return (
        f"{header}\n"
        "(function (root, factory) {\n"
        '  if (typeof module === "object" && module.exports) module.exports = factory();\n'
        f"  else root.{global_name} = factory();\n"
        '})(typeof self !== "undefined" ? self : this, function () {\n'
        '  "use strict";\n'
        f"{indented}\n"
        "  return {\n"
        f"{table}\n"
        "  };\n"
        "});\n"
    )
