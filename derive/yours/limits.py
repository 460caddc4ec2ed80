"""Bounded work for a loss string: cheap limits before SymPy sees it, then a time budget and a memory cap.

A loss string of a few characters can make SymPy work for hours or fill the
memory: ``40**(-1.1337806316665746)*a`` asks for an integer root of degree
5 * 10^15, ``(a + y + gamma + 1)**100`` expands into millions of terms,
``softplus(cosh(tanh(100)*exp(17)))`` makes SymPy decide the sign of
e^(e^(e^17)).  Two defences, in order:

1. :func:`check_tree` walks the parsed text (Python's :mod:`ast`, before
   SymPy builds anything) against cheap limits: the size of literals and
   exponents, nesting depth, the number of operations, the estimated size
   of the expanded polynomial, and functions of functions of numbers.
   Each refusal is a :class:`~derive.errors.LimitExceeded` naming the limit.
2. :func:`derive.yours.bounded.run_bounded` runs the costly work (parsing,
   deriving, checking) in a forked child process whose address space is
   capped and which is killed when its time budget is spent (``derive
   through --time-limit``, ``--memory-limit``).

>>> check_tree(parse("(a - y)**2/2"))
>>> check_tree(parse("(a + y + gamma + delta + beta + alpha + eps + epsilon + 1)**100"))
Traceback (most recent call last):
...
derive.errors.LimitExceeded: the expansion limit: a power of a sum would expand into about 3.5e+11 terms (at most 2000)
>>> check_tree(parse("40**(-1.1337806316665746)*a"))
Traceback (most recent call last):
...
derive.errors.LimitExceeded: the exponent limit: -1.1337806316665746 has denominator 5000000000000000 (at most 100)
"""

from __future__ import annotations

import ast
import math
import warnings
from fractions import Fraction

from derive.errors import LimitExceeded

MAX_INTEGER = 10**15  # integer literals below this
FLOAT_RANGE = (1e-15, 1e15)  # decimal literals are 0 or of a magnitude in this range (they become exact fractions)
MAX_EXPONENT = 100  # numeric exponents up to this in magnitude...
MAX_DENOMINATOR = 100  # ...and, when fractions, with denominators up to this
MAX_NESTING = 60  # nesting depth of the formula (a flat sum or product counts once)
MAX_FUNCTION_NESTING = 5  # functions inside functions: log(sigmoid(...)) is 2
MAX_SUM_NESTING = 2  # a sum inside a sum (a distillation KL), not three deep: those ran for minutes
MAX_OPERATIONS = 400  # operators and calls in the whole formula (a flat sum of 400 terms passes)
MAX_EXPANSION = 2000  # estimated terms of the formula with every integer power of a sum multiplied out

_GROWTH_CAP = 10**30  # estimates stop growing here: only "too many" matters


def parse(text: str) -> ast.Expression:
    """``text`` parsed as one Python expression, with no warning printed.

    Python's parser warns (SyntaxWarning) about inputs such as ``1and a``;
    the loss is refused or accepted on its own terms, so the warning is not
    shown.  Raises SyntaxError, ValueError or RecursionError like
    :func:`ast.parse`.

    >>> type(parse("a + 1").body).__name__
    'BinOp'
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text.strip(), mode="eval")


def check_tree(tree: ast.AST) -> None:
    """Raise :class:`LimitExceeded` if the parsed loss is over any of the cheap limits.

    Nothing here builds a SymPy object; numbers are folded with exact Python
    fractions only where they decide an exponent.

    >>> check_tree(parse("sum((a[k] - y[k])**100, k)"))
    >>> check_tree(parse("softplus(cosh(tanh(100)*exp(17)))*a"))
    Traceback (most recent call last):
    ...
    derive.errors.LimitExceeded: the constant-function limit: cosh() of a function of numbers is refused
    """
    _Walker().walk(tree.body if isinstance(tree, ast.Expression) else tree)


class _Walker:
    def __init__(self) -> None:
        self.operations = 0

    def walk(self, node: ast.AST) -> None:
        self.visit(node, nesting=0, functions=0, sums=0)
        terms = self.terms(node)
        if terms > MAX_EXPANSION:
            raise LimitExceeded(
                f"the expansion limit: a power of a sum would expand into about {terms:.2g} terms "
                f"(at most {MAX_EXPANSION})"
            )

    def visit(self, node: ast.AST, nesting: int, functions: int, sums: int) -> bool:
        """Check ``node``'s subtree; return True if it holds a call (used for functions of numbers)."""
        # A chain a + b - c * d ... leans left: walk its spine in a loop, counting one level.
        spine = [node]
        while isinstance(spine[-1], ast.BinOp) and not isinstance(spine[-1].op, ast.Pow):
            spine.append(spine[-1].left)
        if nesting + 1 > MAX_NESTING:
            raise LimitExceeded(f"the nesting limit: the formula is nested more than {MAX_NESTING} levels deep")
        has_call = False
        for link in spine[:-1]:
            self.count()
            has_call |= self.visit(link.right, nesting + 1, functions, sums)
        node = spine[-1]
        if isinstance(node, ast.Constant):
            _check_literal(node.value)
            return has_call
        if isinstance(node, ast.UnaryOp):
            self.count()
            return self.visit(node.operand, nesting + 1, functions, sums) or has_call
        if isinstance(node, ast.BinOp):  # a power
            self.count()
            self.check_exponent(node.right)
            left = self.visit(node.left, nesting + 1, functions, sums)
            right = self.visit(node.right, nesting + 1, functions, sums)
            return left or right or has_call
        if isinstance(node, ast.Call):
            self.count()
            name = node.func.id if isinstance(node.func, ast.Name) else "a function"
            is_sum = name == "sum"
            if is_sum and sums + 1 > MAX_SUM_NESTING:
                raise LimitExceeded(f"the sum-nesting limit: sums nested more than {MAX_SUM_NESTING} deep are refused")
            if not is_sum and functions + 1 > MAX_FUNCTION_NESTING:
                raise LimitExceeded(
                    f"the function-nesting limit: functions nested more than {MAX_FUNCTION_NESTING} deep are refused"
                )
            for arg in node.args:
                inner_call = self.visit(arg, nesting + 1, functions + (not is_sum), sums + is_sum)
                if inner_call and not is_sum and _is_constant(arg):
                    raise LimitExceeded(f"the constant-function limit: {name}() of a function of numbers is refused")
            return True
        for child in ast.iter_child_nodes(node):  # names, subscripts; anything else is refused by the parser
            has_call |= self.visit(child, nesting + 1, functions, sums)
        return has_call

    def count(self) -> None:
        self.operations += 1
        if self.operations > MAX_OPERATIONS:
            raise LimitExceeded(f"the operation limit: more than {MAX_OPERATIONS} operators and functions")

    def check_exponent(self, exponent: ast.AST) -> None:
        value = _fold(exponent)
        if value is None:
            return
        if abs(value) > MAX_EXPONENT:
            raise LimitExceeded(f"the exponent limit: powers above {MAX_EXPONENT} are refused, got {_short(value)}")
        if value.denominator > MAX_DENOMINATOR:
            raise LimitExceeded(
                f"the exponent limit: {_source(exponent)} has denominator "
                f"{value.denominator} (at most {MAX_DENOMINATOR})"
            )

    def terms(self, node: ast.AST) -> int:
        """About how many terms ``node`` has once every integer power of a sum is multiplied out."""
        if isinstance(node, ast.UnaryOp):
            return self.terms(node.operand)
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, (ast.Add, ast.Sub)):
                return min(self.terms(node.left) + self.terms(node.right), _GROWTH_CAP)
            if isinstance(node.op, ast.Pow):
                base, exponent = self.terms(node.left), _fold(node.right)
                self.terms(node.right)
                if exponent is None or exponent.denominator != 1 or base == 1:
                    return base
                power = abs(int(exponent))
                if base > 10**6:
                    return _GROWTH_CAP
                return min(math.comb(base + power - 1, power), _GROWTH_CAP)
            return min(self.terms(node.left) * self.terms(node.right), _GROWTH_CAP)
        if isinstance(node, ast.Call):
            inner = [self.terms(arg) for arg in node.args]
            worst = max(inner, default=1)
            if worst > MAX_EXPANSION:
                raise LimitExceeded(
                    f"the expansion limit: a power of a sum would expand into about {worst:.2g} terms "
                    f"(at most {MAX_EXPANSION})"
                )
            is_sum = isinstance(node.func, ast.Name) and node.func.id == "sum"
            return worst if is_sum else 1
        return 1


def left_spine(node: ast.BinOp, operators: tuple[type, ...]) -> list[ast.BinOp]:
    """``node`` and the chain of its left operands that are operations in ``operators``, ``node`` first.

    A flat sum a + b + c ... is a tree leaning left as deep as the sum is
    long: a loop over this chain reads it without recursing once per term.

    >>> [type(link.op).__name__ for link in left_spine(parse("a + b - c * d").body, (ast.Add, ast.Sub))]
    ['Sub', 'Add']
    """
    spine = [node]
    while isinstance(spine[-1].left, ast.BinOp) and isinstance(spine[-1].left.op, operators):
        spine.append(spine[-1].left)
    return spine


def refused_operator(operator: ast.operator) -> str:
    """The message refusing an operator other than + - * / **.

    >>> refused_operator(ast.BitXor())
    "'^' is refused: write powers as **"
    """
    if isinstance(operator, ast.BitXor):
        return "'^' is refused: write powers as **"
    return f"the operator {type(operator).__name__} is refused: only + - * / **"


def _check_literal(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return  # the parser refuses it with its own message
    if isinstance(value, int) and abs(value) >= MAX_INTEGER:
        raise LimitExceeded(f"the literal limit: integers of {MAX_INTEGER:.0e} and beyond are refused")
    if isinstance(value, float) and value != 0 and math.isfinite(value):
        low, high = FLOAT_RANGE
        if not low <= abs(value) <= high:
            raise LimitExceeded(
                f"the literal limit: decimal numbers are 0 or between {low:g} and {high:g} in size, got {value!r}"
            )


def _is_constant(node: ast.AST) -> bool:
    """No variable anywhere below ``node``: only numbers, pi, e and the functions applied to them."""
    called = {id(c.func) for c in ast.walk(node) if isinstance(c, ast.Call)}
    for child in ast.walk(node):
        if isinstance(child, ast.Subscript):
            return False
        if isinstance(child, ast.Name) and id(child) not in called and child.id not in ("pi", "e"):
            return False
    return True


def _fold(node: ast.AST) -> Fraction | None:
    """The exact value of a formula of numbers and + - * /, or None if it is not one (or not small)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        if isinstance(node.value, float) and not math.isfinite(node.value):
            return None
        if isinstance(node.value, int) and abs(node.value) >= MAX_INTEGER:
            return None
        return Fraction(repr(node.value)) if isinstance(node.value, float) else Fraction(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _fold(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)):
        left, right = _fold(node.left), _fold(node.right)
        if left is None or right is None:
            return None
        if max(left.numerator.bit_length(), left.denominator.bit_length()) > 4000:
            return None
        if isinstance(node.op, ast.Pow):
            if right.denominator != 1 or abs(right) > MAX_EXPONENT or left == 0:
                return None
            return left ** int(right)
        if isinstance(node.op, ast.Div):
            return None if right == 0 else left / right
        return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}[type(node.op)]
    return None


def _source(node: ast.AST) -> str:
    return _short(ast.unparse(node))


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:12]}...({len(text)} characters)"
