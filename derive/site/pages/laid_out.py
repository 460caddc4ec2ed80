"""Display formulas with a second layout for a phone, and the source's quoted formulas laid out to fit.

A :class:`LaidOut` is a :class:`~derive.site.data.Math` that carries its phone layout; the ``display``
filter prints both, and the stylesheet shows one (``derive-wide`` or ``derive-narrow``).
"""

from __future__ import annotations

from dataclasses import dataclass

from derive.printing.layout import split_at_equals
from derive.site.data import Math

# How a quoted formula of the source material names its provenance in the math record.
QUOTED = "the source's formula as the source writes it"


@dataclass(frozen=True)
class LaidOut(Math):
    """A verified display formula with its phone layout: the ``display`` filter prints both, CSS shows one."""

    narrow: Math | None = None


# A quotation longer than this many characters of LaTeX breaks its equality chain over lines: on a laptop,
# and (the second number) on a phone.
QUOTED_WIDE_CHARS, QUOTED_NARROW_CHARS = 200, 50


def quoted_math(claim: str, tex: str) -> Math:
    """A formula quoted from the source for ``claim``: never checked, its long chains over lines (text unchanged).

    >>> m = quoted_math("x", r"a = b = c")
    >>> m.passed, m.source.endswith(QUOTED), m.narrow is None
    (False, True, True)
    """
    source = f"claim {claim}, {QUOTED}"
    wide = split_at_equals(tex, QUOTED_WIDE_CHARS)
    narrow = split_at_equals(tex, QUOTED_NARROW_CHARS)
    return LaidOut(wide, source, False, None if narrow == wide else Math(narrow, source, False))
