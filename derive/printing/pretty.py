"""SymPy's unicode pretty printer with the same notation as the LaTeX printer, for ``derive show``.

>>> import sympy as sp
>>> from derive.model.symbols import z, y
>>> from derive.model.activations import sigmoid
>>> DerivePrettyPrinter({"use_unicode": True}).doprint(sigmoid(z) - y)
'a - y'
"""

from __future__ import annotations

from typing import Any, ClassVar

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm, stringPict

import derive.printing.rules as rules
from derive.model.activations import sigmoid, softmax, tempered_softmax
from derive.printing.order import flip_for_display, is_label_term, is_ordinary_derivative
from derive.printing.short import short_symbol


class DerivePrettyPrinter(PrettyPrinter):
    """SymPy's unicode pretty printer with the same abbreviations and order as the LaTeX printer."""

    _default_settings: ClassVar[dict[str, Any]] = {**PrettyPrinter._default_settings, "short": True}

    def _print_sigmoid(self, expr: sigmoid) -> prettyForm:
        short = short_symbol(expr) if self._settings["short"] else None
        if short is not None:
            return self._print(short)
        return self._print_Function(expr, func_name="σ")

    def _print_softmax(self, expr: softmax) -> prettyForm:
        short = short_symbol(expr) if self._settings["short"] else None
        if short is not None:
            return self._print(short)
        return self._print(sp.Function("softmax")(expr.logits, expr.index))

    def _print_tempered_softmax(self, expr: tempered_softmax) -> prettyForm:
        temperature = self._print(expr.temperature)
        if not isinstance(expr.temperature, (sp.Symbol, sp.Integer)):
            temperature = prettyForm(*temperature.parens())
        args = [str(self._print(expr.logits)), str(temperature), str(self._print(expr.index))]
        return prettyForm(rules.fill(rules.TEMPERED_SOFTMAX_TEXT, args))

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
        terms = super()._as_ordered_terms(expr, order=order)
        if not isinstance(expr, sp.Add):
            return terms
        return [t for t in terms if not is_label_term(t)] + [t for t in terms if is_label_term(t)]

    def _print_Pow(self, power: sp.Pow) -> prettyForm:  # noqa: N802  (SymPy's printer dispatch names)
        flipped = flip_for_display(power)
        return super()._print_Pow(flipped if flipped is not None else power)

    def _print_Function(self, expr: Any, sort: bool = False, func_name: str | None = None, **kwargs: Any) -> Any:  # noqa: N802  (SymPy's printer dispatch names)
        form = rules.FUNCTION_TEXT.get(type(expr).__name__) if isinstance(expr, AppliedUndef) else None
        if form is not None:
            return prettyForm(rules.fill(form, [str(self._print(a)) for a in expr.args]))
        return super()._print_Function(expr, sort=sort, func_name=func_name, **kwargs)

    def _print_Derivative(self, deriv: sp.Derivative) -> prettyForm:  # noqa: N802  (SymPy's printer dispatch names)
        mark = "d" if is_ordinary_derivative(deriv) else "∂"
        below = None
        total = 0
        for sym, num in reversed(deriv.variable_count):
            part = prettyForm(*self._print(sym).left(mark))
            total += num
            if (not num.is_Integer) or num > 1:
                part = part ** prettyForm(str(num))
            below = part if below is None else prettyForm(*prettyForm(*below.right(" ")).right(part))
        top = prettyForm(mark)
        if total > 1:
            top = top ** prettyForm(str(total))
        atomic = isinstance(deriv.expr, (sp.Symbol, sp.Indexed, AppliedUndef)) or (
            isinstance(deriv.expr, (sigmoid, softmax)) and short_symbol(deriv.expr) is not None
        )
        if atomic:  # dL/dz: the quantity on top
            top = prettyForm(*top.right(self._print(deriv.expr)))
        pform = prettyForm(*top.below(stringPict.LINE, below))
        pform.baseline = pform.baseline + 1
        if not atomic:
            operand = prettyForm(*self._print(deriv.expr).parens(), binding=prettyForm.FUNC)
            pform = prettyForm(*stringPict.next(pform, operand))
        pform.binding = prettyForm.MUL
        return pform
