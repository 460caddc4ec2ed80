"""LaTeX and terminal printing of derivations: the only source of math on the site.

The printers are SymPy's, subclassed, with a textbook's notation whose rules
are data in :mod:`derive.printing.rules`:

- an activation applied to a plain logit prints as the prediction it stands
  for (``sigmoid(z)`` as ``a``, ``softmax(z, i, K)`` as ``a_i``), and
  :func:`notation` lists those abbreviations; with ``short=False`` they print
  in full;
- differences print prediction first (``a - y``), products read symbols,
  brackets, then functions (``y_k log a_k``);
- derivatives print with the partial sign unless they are of a function of
  one variable, with a named quantity on top (``dL/dz``);
- a sum with a factor ``1 - delta_kp`` is the sum over ``k != p``; ``D_KL(p || q)``;
- names declared by a derivation (:class:`derive.model.derivation.Named`)
  replace what they stand for;
- :func:`display` breaks a long relation over aligned lines.

>>> import sympy as sp
>>> from derive.model.symbols import z, zv, i, K, y
>>> from derive.model.activations import sigmoid, softmax
>>> latex(sigmoid(z) * (1 - sigmoid(z)))
'a \\\\left(1 - a\\\\right)'
>>> latex(sigmoid(z) - y)
'a - y'
>>> latex(sigmoid(z), short=False)
'\\\\sigma\\\\left(z\\\\right)'
>>> latex(softmax(zv, i, K))
'{a}_{i}'
>>> [latex(e) for e in notation(softmax(zv, i, K) + sigmoid(z))]
['a = \\\\sigma\\\\left(z\\\\right)', '{a}_{k} = \\\\operatorname{softmax}\\\\left(z\\\\right)_{k}']
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from derive.model.activations import sigmoid, softmax
from derive.printing.latex import DeriveLatexPrinter
from derive.printing.layout import display as _display
from derive.printing.names import Names, abbreviate, pairs
from derive.printing.pretty import DerivePrettyPrinter
from derive.printing.prose import render_text
from derive.printing.short import short_symbol

__all__ = [
    "DeriveLatexPrinter",
    "DerivePrettyPrinter",
    "abbreviate",
    "definition",
    "display",
    "latex",
    "notation",
    "pairs",
    "pretty",
    "render_text",
    "short_symbol",
]


def latex(expr: Any, short: bool = True, names: Names = ()) -> str:
    """LaTeX for a SymPy object; ``short`` prints activations as predictions, ``names`` as (symbol, pattern) pairs."""
    return DeriveLatexPrinter({"short": short}).doprint(abbreviate(expr, names))


def display(expr: Any, names: Names = (), columns: int | None = None) -> str:
    """LaTeX for a display formula: like :func:`latex`, broken over aligned lines when wider than ``columns``."""
    return _display(abbreviate(expr, names), columns=columns)


def pretty(expr: Any, short: bool = True, names: Names = ()) -> str:
    """Unicode art for the terminal, with the same notation as :func:`latex`."""
    printer = DerivePrettyPrinter({"short": short, "use_unicode": True, "wrap_line": False})
    return printer.doprint(abbreviate(expr, names))


def definition(sides: list[Any], names: Names = (), use_latex: bool = True) -> str:
    """A chain of equal quantities ``symbol = meaning = value``, each side printed with ``names``.

    >>> import sympy as sp
    >>> u, t = sp.symbols("u t")
    >>> definition([u, sp.Derivative(t**2, t), 2 * t])
    'u = \\\\frac{d}{d t} \\\\left(t^{2}\\\\right) = 2 t'
    """
    if use_latex:
        return " = ".join(latex(side, names=names) for side in sides)
    printer = DerivePrettyPrinter({"use_unicode": True, "wrap_line": False})
    form = printer._print(abbreviate(sides[0], names))
    for side in sides[1:]:
        form = prettyForm(*stringPict.next(form, " = ", printer._print(abbreviate(side, names))))
    return str(form.render(wrap_line=False))


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
