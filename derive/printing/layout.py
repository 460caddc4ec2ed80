r"""Long relations broken over aligned lines, so that a display formula fits the text column.

The width of a formula is estimated by SymPy's own pretty printer (its
widest line, in characters); a relation wider than
:data:`derive.printing.rules.LAYOUT` ``.columns`` prints as a KaTeX
``aligned`` block: the left side, then ``= first part`` and one line per
further group of terms (or factors), each starting after the alignment point.

>>> import sympy as sp
>>> x = sp.symbols("x1:30")
>>> tex = display(sp.Eq(sp.Symbol("S"), sp.Add(*x)), columns=40)
>>> tex.startswith(r"\begin{aligned}") and tex.count(r"\\") >= 2
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp

import derive.printing.rules as rules
from derive.printing.latex import DeriveLatexPrinter
from derive.printing.order import factor_order, one_minus_delta

_SYMBOLS = {sp.Eq: "=", sp.Le: r"\leq", sp.Ge: r"\geq", sp.Lt: "<", sp.Gt: ">", sp.Ne: r"\neq"}


def display(
    relation: Any,
    printer: DeriveLatexPrinter | None = None,
    width: Callable[[Any], int] | None = None,
    columns: int | None = None,
) -> str:
    """LaTeX for a display formula: one line if it fits, else aligned lines."""
    printer = printer or DeriveLatexPrinter()
    width = width or _pretty_width
    limit = columns or rules.LAYOUT.columns
    if type(relation) not in _SYMBOLS or width(relation) <= limit:
        return printer.doprint(relation)
    lhs, rhs = relation.args
    symbol = _SYMBOLS[type(relation)]
    left = width(lhs)
    lines = []
    if left <= limit // 3:
        # a short left side: the right side's first part beside it, the rest aligned under it
        right_lines = _pieces(rhs, printer, width, limit - left - 3)
        lines.append(f"{printer.doprint(lhs)} &{symbol} {right_lines[0]}")
    else:
        left_lines = _pieces(lhs, printer, width, limit)
        right_lines = _pieces(rhs, printer, width, limit - 3)
        lines.extend(["& " + left_lines[0], *(f"&{rules.LAYOUT.indent}{p}" for p in left_lines[1:])])
        lines.append(f"&{symbol} {right_lines[0]}")
    lines.extend(f"&{rules.LAYOUT.indent}{p}" for p in right_lines[1:])
    # one line of LaTeX: a page may indent a display formula, and KaTeX needs no newlines
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def _pieces(expr: sp.Basic, printer: DeriveLatexPrinter, width: Callable[[Any], int], limit: int) -> list[str]:
    """``expr`` as LaTeX pieces, each about ``limit`` wide: groups of terms of a sum, or of factors of a product."""
    if width(expr) <= limit:
        return [printer.doprint(expr)]
    bracketed = _operator_over_sum(expr, printer)
    if bracketed is not None:
        # a sum or a derivative of a long sum: its terms over several lines, inside large brackets
        prefix, inner = bracketed
        terms = printer._as_ordered_terms(inner)
        texts = [_term(t, n, printer) for n, t in enumerate(terms)]
        lines = _pack(texts, [width(t) + 3 for t in terms], limit - 6)
        lines[0] = prefix + r"\Bigl(" + lines[0]
        lines[-1] = lines[-1] + r"\Bigr)"
        return lines
    if isinstance(expr, sp.Add):
        terms = printer._as_ordered_terms(expr)
        return _pack([_term(t, n, printer) for n, t in enumerate(terms)], [width(t) + 3 for t in terms], limit)
    if isinstance(expr, sp.Mul):
        coefficient, factors = expr.as_coeff_mul()
        if not coefficient.is_Integer or any(isinstance(f, sp.Pow) and f.exp.is_negative for f in factors):
            return [printer.doprint(expr)]
        ordered = factor_order(factors)
        texts = [_factor(f, printer, n, len(ordered)) for n, f in enumerate(ordered)]
        if abs(coefficient) != 1:
            texts[0] = f"{printer.doprint(abs(coefficient))} {texts[0]}"
        if coefficient < 0:
            texts[0] = "- " + texts[0]
        packed = _pack(texts, [width(f) + 1 for f in ordered], limit)
        return [packed[0], *(r"\cdot " + p for p in packed[1:])]
    return [printer.doprint(expr)]


def _operator_over_sum(expr: sp.Basic, printer: DeriveLatexPrinter) -> tuple[str, sp.Add] | None:
    """For a sum over an index of a sum of terms, or a first derivative of a sum of terms: (the operator, the terms)."""
    if isinstance(expr, sp.Sum) and len(expr.limits) == 1 and isinstance(expr.function, sp.Add):
        if one_minus_delta(expr.function, expr.limits[0][0]) is None:
            (index, low, high), *_ = expr.limits
            prefix = rf"\sum_{{{printer.doprint(index)}={printer.doprint(low)}}}^{{{printer.doprint(high)}}} "
            return prefix, expr.function
    if isinstance(expr, sp.Derivative) and isinstance(expr.expr, sp.Add) and len(expr.variable_count) == 1:
        variable, count = expr.variable_count[0]
        if count == 1:
            tex = printer.doprint(sp.Derivative(expr.expr, variable))
            mark = r"\partial" if tex.startswith(r"\frac{\partial") else "d"
            return rf"\frac{{{mark}}}{{{mark} {printer.doprint(variable)}}} ", expr.expr
    return None


def _term(term: sp.Basic, position: int, printer: DeriveLatexPrinter) -> str:
    if position and term.could_extract_minus_sign():
        sign, term = "- ", -term
    else:
        sign = "+ " if position else ""
    tex = printer.doprint(term)
    if printer._needs_add_brackets(term):
        tex = rf"\left({tex}\right)"
    return sign + tex


def _factor(factor: sp.Basic, printer: DeriveLatexPrinter, position: int, count: int) -> str:
    tex = printer.doprint(factor)
    if printer._needs_mul_brackets(factor, first=position == 0, last=position == count - 1) or isinstance(
        factor, sp.Add
    ):
        tex = rf"\left({tex}\right)"
    return tex


def _pack(texts: list[str], widths: list[int], limit: int) -> list[str]:
    """Greedy lines: as many pieces on a line as fit in ``limit``."""
    lines: list[list[str]] = [[]]
    used = 0
    for tex, size in zip(texts, widths, strict=True):
        if lines[-1] and used + size > limit:
            lines.append([])
            used = 0
        lines[-1].append(tex)
        used += size
    return [" ".join(line) for line in lines]


def _pretty_width(expr: Any) -> int:
    from derive.printing.pretty import DerivePrettyPrinter

    text = DerivePrettyPrinter({"use_unicode": True, "wrap_line": False}).doprint(expr)
    return max(len(line) for line in text.splitlines()) if text else 0


def split_at_equals(tex: str, longer_than: int) -> str:
    r"""LaTeX typed by someone else (a quotation), its equality chain over aligned lines if it is long.

    Only the layout changes: the text between the top-level equals signs stays as written, so a quotation
    keeps its typos. A chain shorter than ``longer_than`` characters, or one that is already an aligned
    block, comes back as it is.

    >>> split_at_equals(r"L = \frac{a}{b} = c", 10)
    '\\begin{aligned}L &= \\frac{a}{b} \\\\ &= c\\end{aligned}'
    >>> split_at_equals(r"L = \frac{a=1}{b} = c", 5)  # an equals sign inside braces is not a break
    '\\begin{aligned}L &= \\frac{a=1}{b} \\\\ &= c\\end{aligned}'
    """
    if len(tex) <= longer_than or tex.lstrip().startswith(r"\begin{"):
        return tex
    parts, depth, start = [], 0, 0
    for position, character in enumerate(tex):
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
        elif character == "=" and depth == 0 and not tex[:position].endswith(("\\left", "\\right")):
            parts.append(tex[start:position].strip())
            start = position + 1
    parts.append(tex[start:].strip())
    if len(parts) < 3:
        return tex
    lines = [f"{parts[0]} &= {parts[1]}", *(f"&= {p}" for p in parts[2:])]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
