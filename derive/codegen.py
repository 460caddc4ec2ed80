"""Turn a derivation's result into code: a NumPy callable, or source text for NumPy, JAX or PyTorch.

The exported function computes the right-hand side of the derivation's
headline result.  Its arguments are the result's free variables sorted by
name; a vector (``z[k]``, ``y[k]``) is an array with classes on its last axis,
so one call handles a whole batch of shape (N, K), and K is read from the
arrays.  A result with a free class index i (``dL/dz_i = ...``) returns the
whole vector over i, on the last axis; a sum over classes reduces that axis.
sigmoid and softmax are printed in their numerically stable forms (exponents
<= 0 only; ln sigma and ln softmax without forming the probability), and
common subexpressions are computed once (``sympy.cse``).

>>> import numpy as np, derive
>>> grad = to_function(derive.get("bce_sigmoid_grad"))
>>> grad(y=np.array([1.0]), z=np.array([0.0])).tolist()
[-0.5]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sympy as sp

from derive.errors import ExportError
from derive.model.activations import sigmoid, softmax, tempered_softmax

if TYPE_CHECKING:
    from derive.model.derivation import Derivation

# Each backend: the module its code imports.  The printers are imported when used: SymPy's PyTorch
# printer imports torch itself, which is slow, and must not break NumPy exports where torch is broken.
BACKENDS: dict[str, str] = {"numpy": "numpy", "jax": "jax.numpy", "torch": "torch"}


def _printer_class(backend: str) -> type:
    if backend == "torch":
        from sympy.printing.pytorch import TorchPrinter

        return TorchPrinter
    from sympy.printing.numpy import JaxPrinter, NumPyPrinter

    return JaxPrinter if backend == "jax" else NumPyPrinter


# Vector and stable operations, as placeholders the printers below know (real
# Function classes: printers dispatch on the class name, which SymPy ignores
# for undefined functions made by sp.Function("name")).
class RowSum(sp.Function):
    """Sum over the class axis, kept for broadcasting."""


class Softmax(sp.Function):
    """softmax over the class axis."""


class LogSoftmax(sp.Function):
    """ln softmax over the class axis."""


class Sigmoid(sp.Function):
    """The logistic function, elementwise."""


class LogSigmoid(sp.Function):
    """ln sigma, elementwise."""


# The stable helpers of the NumPy and JAX exports, each emitted only where the expression calls it.
_ARRAY_HELPERS: dict[str, str] = {
    "Sigmoid": """
def _sigmoid(x):
    # e = exp(-|x|) never overflows: 1/(1 + e) for x >= 0, e/(1 + e) below.
    e = {xp}.exp(-{xp}.abs(x))
    return {xp}.where(x >= 0, 1.0, e) / (1 + e)
""",
    "LogSigmoid": """
def _log_sigmoid(x):
    # ln sigma(x) = -softplus(-x); ln(1 - sigma(x)) is _log_sigmoid(-x).
    return -({xp}.maximum(-x, 0) + {xp}.log1p({xp}.exp(-{xp}.abs(x))))
""",
    "Softmax": """
def _softmax(z):
    # Shift by the largest logit (log-sum-exp): every exponent <= 0.
    e = {xp}.exp(z - {xp}.max(z, axis=-1, keepdims=True))
    return e / {xp}.sum(e, axis=-1, keepdims=True)
""",
    "LogSoftmax": """
def _log_softmax(z):
    s = z - {xp}.max(z, axis=-1, keepdims=True)
    return s - {xp}.log({xp}.sum({xp}.exp(s), axis=-1, keepdims=True))
""",
}

_CALLS: dict[str, dict[str, str]] = {
    "array": {
        "RowSum": "{xp}.sum({0}, axis=-1, keepdims=True)",
        "Softmax": "_softmax({0})",
        "LogSoftmax": "_log_softmax({0})",
        "Sigmoid": "_sigmoid({0})",
        "LogSigmoid": "_log_sigmoid({0})",
    },
    "torch": {
        "RowSum": "torch.sum({0}, dim=-1, keepdim=True)",
        "Softmax": "torch.softmax({0}, dim=-1)",
        "LogSoftmax": "torch.log_softmax({0}, dim=-1)",
        "Sigmoid": "torch.sigmoid({0})",
        "LogSigmoid": "torch.nn.functional.logsigmoid({0})",
    },
}


def _printer(backend: str) -> sp.printing.printer.Printer:
    if backend not in BACKENDS:
        raise ExportError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    base, module = _printer_class(backend), BACKENDS[backend]
    calls = _CALLS["torch" if backend == "torch" else "array"]

    def method(template: str) -> Callable[[Any, sp.Basic], str]:
        return lambda self, e: template.format(*(self._print(a) for a in e.args), xp=module)

    methods = {f"_print_{name}": method(template) for name, template in calls.items()}
    return type(f"{base.__name__}ForDerive", (base,), methods)({"fully_qualified_modules": True})


def _translate(expr: sp.Basic, free_index: sp.Symbol | None, bound: frozenset[sp.Symbol]) -> sp.Basic:
    """``expr`` with vectors as whole arrays over the class axis, and the activations made stable."""
    indices = bound | ({free_index} if free_index is not None else set())
    if isinstance(expr, sp.Indexed):
        if set(expr.indices) - indices:
            raise ExportError(f"cannot vectorise {expr}: its index is neither the result's class index nor summed")
        return sp.Symbol(expr.base.name)
    if isinstance(expr, softmax):
        if expr.index not in indices:
            raise ExportError(f"cannot vectorise {expr}")
        return Softmax(sp.Symbol(expr.logits.name))
    if isinstance(expr, tempered_softmax):
        if expr.index not in indices:
            raise ExportError(f"cannot vectorise {expr}")
        # softmax(z/T): the stable softmax of the scaled logits.
        return Softmax(sp.Symbol(expr.logits.name) / _translate(expr.temperature, free_index, bound))
    if isinstance(expr, sp.log) and isinstance(expr.args[0], softmax):
        return LogSoftmax(_translate(expr.args[0], free_index, bound).args[0])
    if isinstance(expr, sp.log) and isinstance(expr.args[0], sigmoid):
        return LogSigmoid(_translate(expr.args[0].args[0], free_index, bound))
    if isinstance(expr, sp.log) and (1 - expr.args[0]).func is sigmoid:
        return LogSigmoid(-_translate((1 - expr.args[0]).args[0], free_index, bound))  # ln(1 - sigma(x)) = ln sigma(-x)
    if isinstance(expr, sigmoid):
        return Sigmoid(_translate(expr.args[0], free_index, bound))
    if isinstance(expr, sp.Sum):
        (summed, low, _upper), *rest = expr.limits
        if rest or low != 1 or free_index in expr.function.free_symbols:
            raise ExportError(f"cannot vectorise {expr}: only single sums over the classes 1..K")
        return RowSum(_translate(expr.function, free_index, bound | {summed}))
    if isinstance(expr, (sp.Derivative, sp.Limit, sp.Subs, sp.KroneckerDelta, sp.Product)):
        raise ExportError(f"the result holds {type(expr).__name__}, which has no array form here")
    if isinstance(expr, sp.Symbol):
        return sp.Symbol(expr.name)
    if not expr.args:
        return expr
    return expr.func(*(_translate(a, free_index, bound) for a in expr.args))


def constants_as_floats(expr: sp.Basic) -> sp.Basic:
    """``expr`` with every constant that is not a plain rational (``log(2*pi)``, ``sqrt(2)``) as a float.

    A backend's functions take arrays, not Python numbers: ``torch.log(2*pi)``
    raises ``TypeError``.  The constant is computed once, here, to 17 digits,
    and a Python float keeps a float32 array float32 in every backend.

    >>> constants_as_floats(sp.log(2 * sp.pi) / 2 + sp.Symbol("x") / 3)
    x/3 + 0.91893853320467274
    """
    if isinstance(expr, sp.Rational):
        return expr
    if isinstance(expr, sp.Expr) and expr.is_number:
        return sp.Float(expr.evalf(30), 17)
    if not expr.args:
        return expr
    return expr.func(*(constants_as_floats(arg) for arg in expr.args))


def _free_index(expr: sp.Basic) -> sp.Symbol | None:
    bound = {limit[0] for loop in expr.atoms(sp.Sum) for limit in loop.limits}
    free = {i for ix in expr.atoms(sp.Indexed) for i in ix.indices if isinstance(i, sp.Symbol)} - bound
    free |= {f.index for f in expr.atoms(softmax, tempered_softmax) if isinstance(f.index, sp.Symbol)} - bound
    if len(free) > 1:
        names = ", ".join(sorted(map(str, free)))
        raise ExportError(f"the result has several free class indices ({names}): a matrix, which is not exported")
    return next(iter(free), None)


def source(derivation: Derivation, backend: str = "numpy") -> str:
    """Self-contained source of a function computing the derivation's result with ``backend``.

    >>> import derive
    >>> print(source(derive.get("sigmoid_derivative")).splitlines()[-1])
        return x0*(1 - x0)
    """
    printer = _printer(backend)
    result = derivation.result
    if not isinstance(result, sp.Equality):
        kind = "an inequality" if isinstance(result, sp.core.relational.Relational) else "not an equation"
        raise ExportError(
            f"{derivation.name}: the result is {kind}, a statement about the formula rather than a formula to compute"
        )
    expr = result.rhs
    free_index = _free_index(expr)
    array_expr = constants_as_floats(_translate(expr, free_index, frozenset()))
    vectors = sorted({b.name for b in expr.atoms(sp.IndexedBase)})
    names = sorted({s.name for s in array_expr.free_symbols} - {"K"})
    if not names:
        raise ExportError(f"{derivation.name}: the result has no variables to make a function of")
    shared, (final,) = sp.cse(array_expr, symbols=sp.numbered_symbols("x"))
    module = BACKENDS[backend]
    lines = [f"import {module}", "", ""]
    if backend != "torch":
        used = {type(call).__name__ for call in array_expr.atoms(Softmax, LogSoftmax, Sigmoid, LogSigmoid)}
        for name in (name for name in _ARRAY_HELPERS if name in used):
            lines += [*_ARRAY_HELPERS[name].format(xp=module).splitlines()[1:], "", ""]
    lines += [f"def {derivation.name}({', '.join(names)}):"]
    lines.append(f'    """{_describe(derivation, expr, free_index, vectors)}"""')
    if "K" in {s.name for s in array_expr.free_symbols}:
        lines.append(f"    K = {vectors[0]}.shape[-1]")
    lines += [f"    {symbol} = {printer.doprint(value)}" for symbol, value in shared]
    body = printer.doprint(final)
    if vectors and free_index is None:
        body = f"({body})[..., 0]"  # the class axis was summed away (kept until now for broadcasting)
    lines.append(f"    return {body}")
    return "\n".join(lines) + "\n"


def _describe(derivation: Derivation, expr: sp.Basic, free_index: sp.Symbol | None, vectors: list[str]) -> str:
    text = f"{derivation.title} (derive: {derivation.name}): {sp.sstr(expr)}."
    if vectors:
        text += f" Vectors ({', '.join(vectors)}) have the classes on their last axis"
        text += f"; the result is over index {free_index} on that axis." if free_index is not None else "."
    return text.replace("\\", "\\\\").replace('"""', "'''")


def to_function(derivation: Derivation, backend: str = "numpy") -> Callable[..., Any]:
    """A NumPy callable for the derivation's result; arguments as in :func:`source`, by name or in order.

    >>> import numpy as np, derive
    >>> slope = to_function(derive.get("sigmoid_derivative"))  # sigma'(z) = sigma(z) (1 - sigma(z))
    >>> slope(np.array([0.0, 1000.0])).tolist()
    [0.25, 0.0]
    """
    if backend != "numpy":
        raise ExportError(f"to_function runs NumPy code only; use source(..., {backend!r}) for {backend}")
    namespace: dict[str, Any] = {}
    exec(compile(source(derivation, backend), f"<derive export {derivation.name}>", "exec"), namespace)
    return namespace[derivation.name]
