"""LaTeX and terminal printing of derivations: the only source of math on the site.

The printers are SymPy's, with two changes: an activation applied to a plain
logit prints as the prediction it stands for (``sigmoid(z)`` as ``a``,
``sigmoid(z_2)`` as ``a_2``, ``softmax(z, i, K)`` as ``a_i``), and
:func:`notation` lists those abbreviations so a page can say what ``a`` means.
With ``short=False`` they print in full.

>>> import sympy as sp
>>> from derive.symbols import z, zv, i, K
>>> from derive.functions import sigmoid, softmax
>>> latex(sigmoid(z) * (1 - sigmoid(z)))
'\\\\left(1 - a\\\\right) a'
>>> latex(sigmoid(z), short=False)
'\\\\sigma\\\\left(z\\\\right)'
>>> latex(softmax(zv, i, K))
'{a}_{i}'
>>> [latex(e) for e in notation(softmax(zv, i, K) + sigmoid(z))]
['a = \\\\sigma\\\\left(z\\\\right)', '{a}_{k} = \\\\operatorname{softmax}\\\\left(z\\\\right)_{k}']
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm

from derive.functions import sigmoid, softmax

_LOGIT_NAME = re.compile(r"^z(_?\w*)$")


def _short_name(arg: sp.Basic) -> str | None:
    """``z`` -> ``a``, ``z2``/``z_2`` -> ``a_2``; anything else has no short name."""
    if isinstance(arg, sp.Symbol):
        match = _LOGIT_NAME.match(arg.name)
        if match:
            suffix = match.group(1).lstrip("_")
            return f"a_{suffix}" if suffix else "a"
    return None


def short_symbol(expr: sp.Basic) -> sp.Basic | None:
    """The symbol or indexed symbol an activation prints as, or None."""
    if isinstance(expr, sigmoid):
        name = _short_name(expr.args[0])
        return sp.Symbol(name) if name else None
    if isinstance(expr, softmax) and isinstance(expr.logits, sp.IndexedBase):
        label = expr.logits.label.name
        if label.startswith("z"):
            return sp.IndexedBase("a" + label[1:])[expr.index]
    return None


class DeriveLatexPrinter(LatexPrinter):
    """SymPy's LaTeX printer with the activations printed as predictions."""

    _default_settings: ClassVar[dict[str, Any]] = {**LatexPrinter._default_settings, "short": True}

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


class DerivePrettyPrinter(PrettyPrinter):
    """SymPy's unicode pretty printer with the same abbreviations."""

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


def latex(expr: Any, short: bool = True) -> str:
    """LaTeX for a SymPy object; ``short`` prints activations as predictions."""
    return DeriveLatexPrinter({"short": short}).doprint(expr)


def pretty(expr: Any, short: bool = True) -> str:
    """Unicode art for the terminal, with the same abbreviations as :func:`latex`."""
    return DerivePrettyPrinter({"short": short, "use_unicode": True, "wrap_line": False}).doprint(expr)


def notation(expr: Any) -> list[sp.Eq]:
    """The abbreviations used when printing ``expr``, as equations ``a = sigma(z)``.

    Each equation prints its right side in full, its left side as the
    abbreviation; the list is sorted by the printed left side.
    """
    found: dict[str, sp.Eq] = {}
    if isinstance(expr, (list, tuple)):
        expr = sp.Tuple(*expr)
    # One line per softmax vector, whatever indices it appears with: a_k = softmax(z)_k.
    generic_index = sp.Symbol("k", integer=True, positive=True)
    for f in sp.sympify(expr).atoms(sigmoid, softmax):
        if isinstance(f, softmax):
            f = softmax(f.logits, generic_index, f.size)
        short = short_symbol(f)
        if short is not None:
            found.setdefault(str(short), _Abbreviation(short, f))
    return [found[key] for key in sorted(found)]


class _Abbreviation(sp.Eq):
    """An equation whose right side always prints in full."""

    def __new__(cls, lhs: sp.Basic, rhs: sp.Basic) -> _Abbreviation:
        return sp.Eq.__new__(cls, lhs, rhs, evaluate=False)

    def _latex(self, printer: LatexPrinter) -> str:
        return f"{printer._print(self.lhs)} = {DeriveLatexPrinter({'short': False}).doprint(self.rhs)}"

    def _pretty(self, printer: PrettyPrinter) -> prettyForm:
        text = f"{pretty(self.lhs)} = {pretty(self.rhs, short=False)}"
        return prettyForm(text)
