"""The piecewise part of the safe parser: ``max``/``min``, ``Piecewise`` and conditions, never executed.

A mixin of :class:`derive.yours.safe_parse._Reader`: the node walker there
calls :meth:`PiecewiseSyntax.variadic`, :meth:`PiecewiseSyntax.piecewise`
and :meth:`PiecewiseSyntax.condition`, which build SymPy objects from the
AST nodes and refuse anything else with a one-line :class:`LossSyntaxError`.

>>> from derive.yours.safe_parse import parse_loss
>>> parse_loss("max(0, 1 - y*a)")
Max(0, -a*y + 1)
>>> parse_loss("0 if -1 < a - y < 1 else abs(a - y)", activation="identity")
Piecewise((0, (a - y > -1) & (a - y < 1)), (Abs(a - y), True))
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

import sympy as sp

from derive.errors import LossSyntaxError

MAX_DEPTH = 200
# Functions of two or more arguments (the loss may be clipped: max(0, 1 - y*a)).
VARIADIC: dict[str, type] = {"max": sp.Max, "Max": sp.Max, "min": sp.Min, "Min": sp.Min}
PIECEWISE_NAMES = ("Piecewise", "piecewise")
MAX_ARGUMENTS = 20  # of max/min, and pieces of a Piecewise
_COMPARISONS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: sp.Lt,
    ast.LtE: sp.Le,
    ast.Gt: sp.Gt,
    ast.GtE: sp.Ge,
    ast.Eq: sp.Eq,
    ast.NotEq: sp.Ne,
}


def _describe_condition(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return repr(node.value)
    kinds = {ast.BinOp: "arithmetic", ast.UnaryOp: "arithmetic", ast.Name: "a name", ast.Call: "a function call"}
    kinds |= {ast.Subscript: "an entry of a vector", ast.IfExp: "a conditional expression"}
    return kinds.get(type(node), "an expression")


class PiecewiseSyntax:
    """Methods of the safe parser for piecewise losses (mixed into its reader)."""

    vectors: dict[str, Any]

    def build(self, node: ast.AST, depth: int) -> Any:  # provided by the reader
        raise NotImplementedError

    def variadic(self, node: ast.Call, depth: int) -> Any:
        name = node.func.id  # type: ignore[attr-defined]
        for arg in node.args:
            if isinstance(arg, ast.Name) and arg.id in self.vectors:
                raise LossSyntaxError(
                    f"{name}() of the vector {arg.id} is refused: {name} takes two or more numbers, "
                    f"such as {name}(0, 1 - y*a), or entries such as {arg.id}[k]"
                )
        if not 2 <= len(node.args) <= MAX_ARGUMENTS:
            raise LossSyntaxError(f"{name}() takes 2 to {MAX_ARGUMENTS} arguments, got {len(node.args)}")
        return VARIADIC[name](*(self.build(arg, depth) for arg in node.args))

    def piecewise(self, node: ast.Call, depth: int) -> Any:
        usage = "write Piecewise((EXPR, CONDITION), ..., (EXPR, True))"
        if not 1 <= len(node.args) <= MAX_ARGUMENTS:
            raise LossSyntaxError(f"Piecewise takes 1 to {MAX_ARGUMENTS} pieces: {usage}")
        pieces = []
        for number, arg in enumerate(node.args, 1):
            if not isinstance(arg, ast.Tuple) or len(arg.elts) != 2:
                raise LossSyntaxError(f"piece {number} of the Piecewise is not a pair (EXPR, CONDITION): {usage}")
            value, test = arg.elts
            last = number == len(node.args)
            if isinstance(test, ast.Constant) and test.value is True:
                if not last:
                    raise LossSyntaxError(f"piece {number} of the Piecewise has the condition True but is not last")
                pieces.append((self.build(value, depth), sp.true))
            else:
                if last:
                    raise LossSyntaxError(
                        "a Piecewise needs a default piece, (EXPR, True) last: the loss must be defined everywhere"
                    )
                pieces.append((self.build(value, depth), self.condition(test, depth, number)))
        return sp.Piecewise(*pieces)

    def condition(self, node: ast.AST, depth: int, number: int) -> Any:
        """A condition: comparisons (chained ones too) joined by and, or, not."""
        if depth > MAX_DEPTH:
            raise LossSyntaxError("the formula is nested too deeply")
        depth += 1
        if isinstance(node, ast.BoolOp):
            parts = [self.condition(value, depth, number) for value in node.values]
            return sp.And(*parts) if isinstance(node.op, ast.And) else sp.Or(*parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return sp.Not(self.condition(node.operand, depth, number))
        if isinstance(node, ast.Compare):
            sides = [self.build(node.left, depth), *(self.build(c, depth) for c in node.comparators)]
            relations = []
            for op, lhs, rhs in zip(node.ops, sides, sides[1:], strict=False):
                if type(op) not in _COMPARISONS:
                    raise LossSyntaxError(f"the comparison {type(op).__name__} is refused: only < <= > >= == !=")
                relation = _COMPARISONS[type(op)](lhs, rhs)
                if not isinstance(relation, sp.core.relational.Relational) and relation not in (sp.true, sp.false):
                    raise LossSyntaxError(f"the condition of piece {number} does not compare numbers")
                relations.append(relation)
            return sp.And(*relations)
        raise LossSyntaxError(
            f"the condition of piece {number} must be a comparison such as abs(a - y) <= delta, "
            f"not {_describe_condition(node)}"
        )
