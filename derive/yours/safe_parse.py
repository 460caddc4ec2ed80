"""Parse a user's loss, typed as text, into SymPy without executing any of it.

The text is read by Python's :mod:`ast` parser and walked node by node
against a whitelist; the SymPy expression is built here, never by ``eval``,
``sympify`` or ``parse_expr``.  Allowed:

* numbers (``2``, ``0.5``: decimals become exact fractions), ``+ - * / **``
  and unary minus;
* calls of the functions in :data:`FUNCTIONS` (``log``, ``exp``, ``sqrt``,
  ``sigmoid``, ``tanh``, ``abs``, ``sign``, ``Heaviside`` ...), and the constants ``pi`` and ``e``;
* piecewise losses: ``max(0, 1 - y*a)`` and ``min(...)`` of two or more
  numbers, ``Piecewise((EXPR, CONDITION), ..., (EXPR, True))`` (a default
  piece last) and ``EXPR if CONDITION else EXPR``, where a condition is a
  comparison (``<``, ``<=``, ``>``, ``>=``, ``==``, ``!=``, chained ones too)
  or comparisons joined by ``and``, ``or``, ``not``;
* the names of the prediction (``a`` by default), the label ``y`` and the
  parameters of :data:`derive.yours.infer_kinds.PARAMETERS` (``gamma``, ``eps`` ...);
* through softmax: ``a[k]`` and ``y[k]`` with an index ``i, j, k, n`` or ``c``,
  ``K`` (the number of classes) and ``sum(EXPR, k)``, the sum over
  ``k = 1..K`` (``sum(EXPR)`` sums over ``k``).  An index not summed over is
  a class, e.g. ``-log(a[c])`` for a sparse label ``c``.

Everything else (attribute access, other names, strings, lambdas,
comprehensions, keyword arguments ...) is refused with a one-line
:class:`LossSyntaxError` naming what was refused.

>>> parse_loss("-(y*log(a) + (1 - y)*log(1 - a))")
-y*log(a) - (1 - y)*log(1 - a)
>>> parse_loss("-sum(y[k]*log(a[k]), k)", activation="softmax")
-Sum(log(a[k])*y[k], (k, 1, K))
>>> huber = "Piecewise(((a - y)**2/2, abs(a - y) <= delta), (delta*(abs(a - y) - delta/2), True))"
>>> parse_loss(huber, activation="identity")
Piecewise(((a - y)**2/2, delta >= Abs(a - y)), (delta*(-delta/2 + Abs(a - y)), True))
>>> parse_loss("Piecewise((a, a > y))")
Traceback (most recent call last):
...
derive.errors.LossSyntaxError: a Piecewise needs a default piece, (EXPR, True) last: the loss must be defined everywhere
>>> parse_loss("a.__class__")
Traceback (most recent call last):
...
derive.errors.LossSyntaxError: attribute access '.__class__' is refused
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

import sympy as sp

from derive.errors import LossSyntaxError
from derive.model import symbols
from derive.model.activations import sigmoid
from derive.yours.infer_kinds import LABEL_NAME, PARAMETERS
from derive.yours.safe_pieces import PIECEWISE_NAMES, VARIADIC, PiecewiseSyntax

MAX_LENGTH = 1000
MAX_DEPTH = 200
MAX_EXPONENT = 100  # a numeric power above this would make cancel/factor expand huge polynomials
MAX_DIGITS = 1000  # numbers are refused beyond this many digits (a power of numbers is estimated first)

FUNCTIONS: dict[str, tuple[Callable[..., sp.Expr], int]] = {
    "log": (sp.log, 1),
    "ln": (sp.log, 1),
    "exp": (sp.exp, 1),
    "sqrt": (sp.sqrt, 1),
    "abs": (sp.Abs, 1),
    "Abs": (sp.Abs, 1),
    "sign": (sp.sign, 1),
    "Heaviside": (sp.Heaviside, 1),
    "heaviside": (sp.Heaviside, 1),
    "sigmoid": (sigmoid, 1),
    "tanh": (sp.tanh, 1),
    "cosh": (sp.cosh, 1),
    "sinh": (sp.sinh, 1),
    "softplus": (lambda x: sp.log(1 + sp.exp(x)), 1),
    "log1p": (lambda x: sp.log(1 + x), 1),
}
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "e": sp.E}
INDEX_NAMES = ("i", "j", "k", "n", "c")
_OPERATORS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda x, y: x + y,
    ast.Sub: lambda x, y: x - y,
    ast.Mult: lambda x, y: x * y,
    ast.Div: lambda x, y: x / y,
}


def parse_loss(text: str, prediction: str = "a", activation: str = "sigmoid") -> sp.Expr:
    """The SymPy expression of ``text``; see the module doc for what is allowed."""
    return _Reader(prediction, activation).read(text)


def prediction_symbol(prediction: str = "a", activation: str = "sigmoid") -> sp.Symbol | sp.IndexedBase:
    """The SymPy object :func:`parse_loss` uses for the prediction."""
    return _Reader(prediction, activation).prediction


class _Reader(PiecewiseSyntax):
    def __init__(self, prediction: str, activation: str) -> None:
        if not prediction.isidentifier() or prediction.startswith("_"):
            raise LossSyntaxError(f"the prediction must be a plain name, not {prediction!r}")
        reserved = {LABEL_NAME, "K", "z", "sum", *FUNCTIONS, *CONSTANTS, *PARAMETERS, *INDEX_NAMES}
        if prediction in reserved:
            raise LossSyntaxError(f"the prediction cannot be called {prediction!r}: that name is taken")
        self.vector = activation == "softmax"
        self.names: dict[str, Any] = dict(CONSTANTS)
        self.names.update({name: sp.Symbol(name, positive=True) for name in PARAMETERS})
        if self.vector:
            self.prediction: Any = symbols.av if prediction == "a" else sp.IndexedBase(prediction, positive=True)
            self.vectors = {prediction: self.prediction, LABEL_NAME: symbols.yv}
            self.indices = {name: getattr(symbols, name) for name in INDEX_NAMES}
            self.names["K"] = symbols.K
        else:
            real = activation == "identity"
            if prediction == "a" and not real:
                self.prediction = symbols.a
            else:
                self.prediction = sp.Symbol(prediction, real=True) if real else sp.Symbol(prediction, positive=True)
            self.names[prediction] = self.prediction
            self.names[LABEL_NAME] = sp.Symbol(LABEL_NAME, real=True) if real else symbols.y
            self.vectors, self.indices = {}, {}
        self.summing: list[str] = []

    def read(self, text: str) -> sp.Expr:
        if not isinstance(text, str):
            raise LossSyntaxError("the loss must be text")
        if len(text) > MAX_LENGTH:
            raise LossSyntaxError(f"the loss is longer than {MAX_LENGTH} characters")
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as exc:
            where = f" (column {exc.offset})" if exc.offset else ""
            raise LossSyntaxError(f"not a formula: {exc.msg}{where}") from None
        except (ValueError, RecursionError, MemoryError):
            raise LossSyntaxError("not a formula (nested too deeply or unreadable)") from None
        try:
            expr = self.build(tree.body, 0)
        except (TypeError, ValueError, ArithmeticError, RecursionError, MemoryError) as exc:
            if isinstance(exc, LossSyntaxError):
                raise
            raise LossSyntaxError(f"cannot build the formula: {type(exc).__name__}") from None
        if not isinstance(expr, sp.Expr):
            raise LossSyntaxError("the loss must be a formula")
        if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise LossSyntaxError("the formula is undefined somewhere it was simplified (a division by zero?)")
        for power in expr.atoms(sp.Pow):
            if power.exp.is_Number and abs(power.exp) > MAX_EXPONENT:
                raise LossSyntaxError(f"powers above {MAX_EXPONENT} are refused: {_short(power.exp)}")
        return expr

    def build(self, node: ast.AST, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise LossSyntaxError("the formula is nested too deeply")
        depth += 1
        if isinstance(node, ast.Constant):
            return _number(node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = self.build(node.operand, depth)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            return self.binary(node, depth)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.IfExp):
            # "EXPR if CONDITION else OTHER": a Piecewise of two pieces.
            pieces = ((self.build(node.body, depth), self.condition(node.test, depth, 1)),)
            return sp.Piecewise(*pieces, (self.build(node.orelse, depth), True))
        if isinstance(node, (ast.Compare, ast.BoolOp)):
            raise LossSyntaxError(
                "a comparison is refused outside a condition: write Piecewise((EXPR, CONDITION), (EXPR, True))"
            )
        if isinstance(node, ast.Attribute):
            raise LossSyntaxError(f"attribute access '.{node.attr}' is refused")
        raise LossSyntaxError(f"{_describe(node)} is refused: only numbers, names, + - * / ** and functions")

    def name(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        if name in self.vectors:
            raise LossSyntaxError(f"{name} is a vector through softmax: write {name}[k]")
        if name in self.indices:
            raise LossSyntaxError(f"{name} is an index: use it as in a[{name}] or sum(..., {name})")
        allowed = ", ".join([*self.names, *(f"{v}[k]" for v in self.vectors)])
        raise LossSyntaxError(f"the name {name!r} is refused; allowed names: {allowed}")

    def binary(self, node: ast.BinOp, depth: int) -> Any:
        if isinstance(node.op, ast.BitXor):
            raise LossSyntaxError("'^' is refused: write powers as **")
        if not isinstance(node.op, (*_OPERATORS, ast.Pow)):
            raise LossSyntaxError(f"the operator {type(node.op).__name__} is refused: only + - * / **")
        left, right = self.build(node.left, depth), self.build(node.right, depth)
        if isinstance(node.op, ast.Pow):
            return _power(left, right)
        return _OPERATORS[type(node.op)](left, right)

    def call(self, node: ast.Call, depth: int) -> Any:
        if isinstance(node.func, ast.Attribute):
            raise LossSyntaxError(f"attribute access '.{node.func.attr}' is refused")
        if not isinstance(node.func, ast.Name):
            raise LossSyntaxError(f"calling {_describe(node.func)} is refused")
        name = node.func.id
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise LossSyntaxError(f"{name}(): keyword and starred arguments are refused")
        if name == "sum" and self.vector:
            return self.sum(node, depth)
        if name in VARIADIC:
            return self.variadic(node, depth)
        if name in PIECEWISE_NAMES:
            return self.piecewise(node, depth)
        if name not in FUNCTIONS:
            allowed = ", ".join([*FUNCTIONS, *VARIADIC, "Piecewise", *(["sum"] if self.vector else [])])
            raise LossSyntaxError(f"the function {name!r} is refused; allowed functions: {allowed}")
        function, arity = FUNCTIONS[name]
        if len(node.args) != arity:
            raise LossSyntaxError(f"{name}() takes {arity} argument, got {len(node.args)}")
        return function(*(self.build(arg, depth) for arg in node.args))

    def sum(self, node: ast.Call, depth: int) -> Any:
        if len(node.args) not in (1, 2):
            raise LossSyntaxError("write sums as sum(EXPR, k): the sum over k = 1..K")
        index_name = "k"
        if len(node.args) == 2:
            index = node.args[1]
            if not isinstance(index, ast.Name) or index.id not in self.indices:
                raise LossSyntaxError(f"the sum index must be one of {', '.join(INDEX_NAMES)}")
            index_name = index.id
        if index_name in self.summing:
            raise LossSyntaxError(f"nested sums over the same index {index_name}")
        self.summing.append(index_name)
        try:
            body = self.build(node.args[0], depth)
        finally:
            self.summing.pop()
        return sp.Sum(body, (self.indices[index_name], 1, symbols.K))

    def subscript(self, node: ast.Subscript) -> Any:
        if not self.vector:
            raise LossSyntaxError("subscripts such as a[k] need --activation softmax")
        if not isinstance(node.value, ast.Name) or node.value.id not in self.vectors:
            raise LossSyntaxError(f"only {' and '.join(self.vectors)} can be subscripted")
        index = node.slice
        if not isinstance(index, ast.Name) or index.id not in self.indices:
            raise LossSyntaxError(f"subscripts must be one of the indices {', '.join(INDEX_NAMES)}")
        return self.vectors[node.value.id][self.indices[index.id]]


def _number(value: Any) -> sp.Expr:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LossSyntaxError(f"the literal {type(value).__name__} {value!r:.40} is refused: only numbers")
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise LossSyntaxError("numbers must be finite")
    if isinstance(value, int) and abs(value) >= 10**15:
        raise LossSyntaxError("integers beyond 10**15 are refused")
    # Decimals become exact fractions (0.1 -> 1/10), so the derivation stays exact.
    return sp.Integer(value) if isinstance(value, int) else sp.Rational(repr(value))


def _power(base: Any, exponent: Any) -> Any:
    if exponent.is_Number and abs(exponent) > MAX_EXPONENT:
        raise LossSyntaxError(f"powers above {MAX_EXPONENT} are refused: {_short(exponent)}")
    if base.is_Rational and exponent.is_Number and base != 0:
        digits = max(len(str(abs(base.p))), len(str(base.q)))
        if digits * abs(float(exponent)) > MAX_DIGITS:
            raise LossSyntaxError(f"a power of numbers with more than {MAX_DIGITS} digits is refused")
    return base**exponent


def _short(number: Any) -> str:
    text = str(number)
    return text if len(text) <= 20 else f"{text[:8]}...({len(text)} characters)"


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Lambda: "lambda",
        ast.ListComp: "a list comprehension",
        ast.GeneratorExp: "a generator expression",
        ast.SetComp: "a set comprehension",
        ast.DictComp: "a dict comprehension",
        ast.Compare: "a comparison",
        ast.BoolOp: "and/or",
        ast.IfExp: "if/else",
        ast.NamedExpr: "':='",
        ast.JoinedStr: "an f-string",
        ast.Await: "await",
    }
    for kind, text in kinds.items():
        if isinstance(node, kind):
            return text
    return f"{type(node).__name__} syntax"
