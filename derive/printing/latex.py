r"""SymPy's LaTeX printer taught a textbook's notation (the rules are in :mod:`derive.printing.rules`).

>>> import sympy as sp
>>> from derive.model.symbols import z, y, zv, yv, i, j, K
>>> from derive.model.activations import sigmoid, softmax, tempered_softmax
>>> DeriveLatexPrinter().doprint(sigmoid(z) - y)
'a - y'
>>> DeriveLatexPrinter().doprint(sp.Derivative(softmax(zv, i, K), zv[j]))
'\\frac{\\partial {a}_{i}}{\\partial {z}_{j}}'
>>> DeriveLatexPrinter().doprint(sp.Derivative(sigmoid(z), z))
'\\frac{d a}{d z}'
"""

from __future__ import annotations

from typing import Any, ClassVar

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

import derive.printing.rules as rules
from derive.model.activations import sigmoid, softmax, tempered_softmax
from derive.printing.order import (
    chain_order,
    factor_order,
    flip_for_display,
    is_label_term,
    is_ordinary_derivative,
    one_minus_delta,
)
from derive.printing.short import short_symbol


class DeriveLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with predictions named and a textbook's order and symbols."""

    _default_settings: ClassVar[dict[str, Any]] = {**LatexPrinter._default_settings, "short": True}

    # --- activations: a = sigma(z), a_k = softmax(z)_k
    def _print_sigmoid(self, expr: sigmoid, exp: Any = None) -> str:
        short = short_symbol(expr) if self._settings["short"] else None
        text = self._print(short) if short is not None else rf"\sigma\left({self._print(expr.args[0])}\right)"
        return f"{text}^{{{exp}}}" if exp else text

    def _print_softmax(self, expr: softmax, exp: Any = None) -> str:
        short = short_symbol(expr) if self._settings["short"] else None
        if short is not None:
            text = self._print(short)
        else:
            text = rf"\operatorname{{softmax}}\left({self._print(expr.logits)}\right)_{{{self._print(expr.index)}}}"
        return f"{text}^{{{exp}}}" if exp else text

    def _print_tempered_softmax(self, expr: tempered_softmax, exp: Any = None) -> str:
        temperature = self.parenthesize(expr.temperature, PRECEDENCE["Mul"])
        text = rules.fill(rules.TEMPERED_SOFTMAX_FORM, [self._print(expr.logits), temperature, self._print(expr.index)])
        return rf"\left({text}\right)^{{{exp}}}" if exp else text

    # --- order: prediction before label, symbols before brackets before functions
    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
        terms = super()._as_ordered_terms(expr, order=order)
        if not isinstance(expr, sp.Add):
            return terms
        first = [t for t in terms if not is_label_term(t)]
        last = [t for t in terms if is_label_term(t)]
        if (
            first
            and last
            and first[0].could_extract_minus_sign()
            and not any(t.could_extract_minus_sign() for t in first[1:])
        ):
            # -f + y with a lone negative prediction: keep a positive term first
            return terms
        return first + last

    def _print_Pow(self, expr: sp.Pow, exp: Any = None) -> str:  # noqa: N802  (SymPy's printer dispatch names)
        flipped = flip_for_display(expr)
        if flipped is not None:
            return self._print_Pow(flipped, exp)
        return super()._print_Pow(expr, exp) if exp is not None else super()._print_Pow(expr)

    def _print_Abs(self, expr: sp.Abs, exp: Any = None) -> str:  # noqa: N802  (SymPy's printer dispatch names)
        inner = flip_for_display(sp.Pow(expr.args[0], 2, evaluate=False))
        arg = inner.base if inner is not None else expr.args[0]
        tex = rf"\left|{self._print(arg)}\right|"
        return f"{tex}^{{{exp}}}" if exp else tex

    def _print_Mul(self, expr: sp.Mul) -> str:  # noqa: N802  (SymPy's printer dispatch names)
        if self.order in ("old", "none") or not isinstance(expr, sp.Mul):
            return super()._print_Mul(expr)
        gaussian = self._gaussian(expr)
        if gaussian is not None:
            return gaussian
        chain = chain_order(expr)
        if chain is not None:
            return rules.CHAIN_SEPARATOR.join(self._print(d) for d in chain)
        coefficient, factors = expr.as_coeff_mul()
        if not coefficient.is_Integer or any(_is_denominator(f) for f in factors):
            return super()._print_Mul(expr)
        ordered = factor_order(factors)
        sign = "- " if coefficient < 0 else ""
        if abs(coefficient) != 1:
            ordered = [abs(coefficient), *ordered]
        parts = []
        for n, factor in enumerate(ordered):
            tex = self._print(factor)
            if self._needs_mul_brackets(factor, first=(n == 0), last=(n == len(ordered) - 1)):
                tex = rf"\left({tex}\right)"
            parts.append(tex)
        return sign + " ".join(parts)

    def _gaussian(self, expr: sp.Mul) -> str | None:
        """1/(sqrt(2 pi) sigma) e^{...}: the density's constant in front, as a textbook prints it."""
        constant = 1 / sp.sqrt(2 * sp.pi)
        rest = sp.Mul(*[f for f in expr.args]) / constant
        if rest.has(sp.pi) or not expr.has(sp.pi) or not expr.has(sp.exp):
            return None
        factors = sp.Mul.make_args(rest)
        numerator = sp.Mul(*[f for f in factors if not _is_denominator(f)])
        denominator = sp.Mul(*[1 / f for f in factors if _is_denominator(f)])
        below = "" if denominator == 1 else " " + self._print(denominator)
        above = "" if numerator == 1 else " " + self._print(numerator)
        return rf"\frac{{1}}{{{rules.GAUSSIAN_CONSTANT}{below}}}{above}"

    # --- derivatives: d for a function of one variable, otherwise the partial sign; a named quantity on top
    def _print_Derivative(self, expr: sp.Derivative) -> str:  # noqa: N802  (SymPy's printer dispatch names)
        mark = "d" if is_ordinary_derivative(expr) else r"\partial"
        order = sum(count for _, count in expr.variable_count)
        below = " ".join(
            f"{mark} {self._print(v)}" if c == 1 else f"{mark} {self.parenthesize_super(self._print(v))}^{{{c}}}"
            for v, c in reversed(expr.variable_count)
        )
        top = mark if order == 1 else f"{mark}^{{{order}}}"
        if _is_atomic(expr.expr):
            return rf"\frac{{{top} {self._print(expr.expr)}}}{{{below}}}"
        return rf"\frac{{{top}}}{{{below}}} \left({self._print(expr.expr)}\right)"

    # --- sums: the sum over k != p rather than a factor (1 - delta_kp)
    def _print_Sum(self, expr: sp.Sum) -> str:  # noqa: N802  (SymPy's printer dispatch names)
        if len(expr.limits) == 1:
            index = expr.limits[0][0]
            rest = one_minus_delta(expr.function, index)
            if rest is not None:
                other, body = rest
                inner = self._print(body)
                if isinstance(body, sp.Add):
                    inner = rf"\left({inner}\right)"
                return rf"\sum_{{{self._print(index)} \neq {self._print(other)}}} {inner}"
        return super()._print_Sum(expr)

    # --- functions: log p without brackets, D_KL(p || q), plain f(x)
    def _print_log(self, expr: sp.log, exp: Any = None) -> str:
        arg = expr.args[0]
        bare = (arg.is_number and arg.is_Atom) or (_is_atomic(arg) and not isinstance(arg, AppliedUndef))
        if rules.LOG_BARE_ARGUMENT and bare:
            tex = rf"\log {self._print(arg)}"
        else:
            tex = rf"\log\left({self._print(arg)}\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_Function(self, expr: Any, exp: Any = None) -> str:  # noqa: N802  (SymPy's printer dispatch names)
        name = type(expr).__name__
        if isinstance(expr, AppliedUndef):
            args = [self._print(a) for a in expr.args]
            form = rules.FUNCTION_FORMS.get(name)
            if form is not None:
                tex = rules.fill(form, args)
            else:
                tex = rf"{self._print(sp.Symbol(name))}\left({', '.join(args)}\right)"
            return f"{tex}^{{{exp}}}" if exp else tex
        return super()._print_Function(expr, exp)

    def _print_Subs(self, subs: sp.Subs) -> str:  # noqa: N802  (SymPy's printer dispatch names)
        expr, old, new = subs.args
        # f(x) at x = v is f(v) for an undefined function of exactly those variables
        if isinstance(expr, AppliedUndef) and set(expr.args) == set(old):
            return self._print(expr.xreplace(dict(zip(old, new, strict=True))))
        return super()._print_Subs(subs)


def _is_denominator(factor: sp.Basic) -> bool:
    """A factor written below the fraction bar: a negative power (not e^{-x})."""
    return isinstance(factor, sp.Pow) and factor.base != sp.E and bool(factor.exp.is_negative)


def _is_atomic(expr: sp.Basic) -> bool:
    """Printed as one symbol: a symbol, an entry of a vector, an activation with a short name, f(x)."""
    if isinstance(expr, (sp.Symbol, sp.Indexed, AppliedUndef)):
        return True
    return isinstance(expr, (sigmoid, softmax)) and short_symbol(expr) is not None
