"""LaTeX and terminal printing of derivations: the only source of math on the site.

The printers are SymPy's, with two changes: an activation applied to a plain
logit prints as the prediction it stands for (``sigmoid(z)`` as ``a``,
``sigmoid(z_2)`` as ``a_2``, ``softmax(z, i, K)`` as ``a_i``), and
:func:`notation` lists those abbreviations so a page can say what ``a`` means.
With ``short=False`` they print in full.

>>> import sympy as sp
>>> from derive.model.symbols import z, zv, i, K
>>> from derive.model.activations import sigmoid, softmax
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
from collections.abc import Callable
from typing import Any, ClassVar

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm

from derive.errors import DerivationError
from derive.model.activations import sigmoid, softmax

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


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# Written next to a placeholder, these would make an expression of it ("{a_i} - {y_i}"): math belongs in math.
_OPERATORS = frozenset("=+-−*/^<>≤≥≠·×|′!_")


def render_text(text: str, symbol: Callable[[sp.Symbol], str], prose: Callable[[str], str] = str) -> str:
    """Prose from the catalogue (a title, summary or reason) with its symbol placeholders printed.

    ``{j}``, ``{K}``, ``{a_i}`` name a symbol: each becomes ``symbol(sp.Symbol(name))``,
    the printer's output for that symbol, so prose can name a symbol without
    typing math.  Only symbol names are allowed, never expressions: a brace
    pair holding anything but an identifier, a lone brace, or a placeholder
    with an operator beside it (``{a} - {y}``) is an error.
    Text between backticks is code and stays as it is; every other piece of
    text goes through ``prose`` (for example an escaper for Markdown).

    >>> render_text("the delta keeps the term {j} of the sum, as in `cce_softmax_grad`", pretty)
    'the delta keeps the term j of the sum, as in `cce_softmax_grad`'
    >>> render_text("the probability {a_i} of class {i}", lambda s: f"${latex(s)}$")
    'the probability $a_{i}$ of class $i$'
    >>> render_text("write {1 - a} for the rest", pretty)
    Traceback (most recent call last):
    ...
    derive.errors.DerivationError: '{1 - a}' in 'write {1 - a} for the rest': a placeholder names one symbol, as {a_i}
    >>> render_text("the error {a} - {y}", pretty)
    Traceback (most recent call last):
    ...
    derive.errors.DerivationError: '{a}' in 'the error {a} - {y}': a symbol in an expression; say it in words
    """
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        parts = [text.replace("`", "'")]
    return "`".join(part if n % 2 else _fill(part, text, symbol, prose) for n, part in enumerate(parts))


def _fill(part: str, text: str, symbol: Callable[[sp.Symbol], str], prose: Callable[[str], str]) -> str:
    pieces = _PLACEHOLDER.split(part)  # prose, name, prose, name, ..., prose
    out = []
    for n, piece in enumerate(pieces):
        if n % 2:
            if not piece.isidentifier():
                raise DerivationError(f"'{{{piece}}}' in {text!r}: a placeholder names one symbol, as {{a_i}}")
            before, after = pieces[n - 1].rstrip()[-1:], pieces[n + 1].lstrip()[:1]
            if before in _OPERATORS or after in _OPERATORS:
                raise DerivationError(f"'{{{piece}}}' in {text!r}: a symbol in an expression; say it in words")
            out.append(symbol(sp.Symbol(piece)))
        elif "{" in piece or "}" in piece:
            raise DerivationError(f"a lone brace in {text!r}: braces are only for placeholders such as {{a_i}}")
        else:
            out.append(prose(piece))
    return "".join(out)
