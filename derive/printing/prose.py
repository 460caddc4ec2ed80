"""Prose from the catalogue with its symbol placeholders printed (see :func:`render_text`)."""

from __future__ import annotations

import re
from collections.abc import Callable

import sympy as sp

from derive.errors import DerivationError

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

    >>> from derive.printing import latex, pretty
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
