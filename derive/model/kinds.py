"""The kinds of variable a derivation can declare, each with its relations and samplers.

A kind says what a variable is (a logit, a probability, a label vector ...),
gives the SymPy relations shown as assumptions, draws random values, and
lists the hard values the verifier must try (logits of +-30, probabilities
within 1e-6 of 0 and 1, K = 2 and K = 40).  :mod:`derive.model.domain` combines
them into the domain of one derivation.  The scalar kinds are here, the
vector kinds in :mod:`derive.model.vector_kinds`.

>>> import random, sympy as sp
>>> p = sp.Symbol("p", positive=True)
>>> PROBABILITY.relations(p)
(0 < p, p < 1)
>>> 0 < PROBABILITY.draw(random.Random(0), {}) < 1
True
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

Point = dict[Any, Any]
HARD_LOGIT = 30
NEAR = mpmath.mpf("1e-6")
SIZE_SYMBOL_NAME = "K"

_k = sp.Symbol("k", integer=True, positive=True)


def _mpf(x: float | str) -> Any:
    return mpmath.mpf(x)


@dataclass(frozen=True)
class Kind:
    """A kind of variable: its description, relations, and samplers.

    ``draw(rng, point)`` returns a random value; ``hard(point)`` the hard
    values to try one at a time; ``relations(symbol, size)`` the SymPy
    relations that say what the variable is.  ``box`` says how the kind's
    values are the image of the unit interval, for proofs by interval
    bisection (:mod:`derive.verify.intervals`): ``("logit",)`` (z = logit(t),
    the sigmoid's inverse), ``("unit",)``, ``("positive",)`` (x = t / (1 - t)) or
    ``("between", lo, hi)``; None when it is not (vectors, whole numbers).
    ``("unit", "open")`` is the open interval (a probability), ``("unit",)``
    the closed one (a label); the others are open by nature.
    """

    name: str
    draw: Callable[[random.Random, Point], Any]
    hard: Callable[[Point], Sequence[Any]]
    relations: Callable[[Any, Any], tuple[sp.Basic, ...]]
    vector: bool = False
    length: Any = None  # the variable giving a vector's length, if not K (see vector_of)
    box: tuple[Any, ...] | None = None


def _size(point: Point) -> int:
    for key, value in point.items():
        if isinstance(key, sp.Symbol) and key.name == SIZE_SYMBOL_NAME:
            return int(value)
    raise KeyError("a vector variable needs the class count K among the variables")


def _vec(values: Sequence[Any]) -> list[Any]:
    return [None, *values]


def _uniform(rng: random.Random, lo: float, hi: float) -> Any:
    # The float converts exactly (binary to binary): no string parsing, which is slow.
    return mpmath.mpf(rng.uniform(lo, hi))


# ---- scalars ---------------------------------------------------------------

LOGIT = Kind(
    "a real number (a logit, a weight or an input)",
    lambda rng, pt: _uniform(rng, -6, 6),
    lambda pt: (_mpf(HARD_LOGIT), _mpf(-HARD_LOGIT), _mpf(0)),
    lambda s, n=None: (sp.Contains(s, sp.S.Reals, evaluate=False),),
    box=("logit",),
)

PROBABILITY = Kind(
    "a probability strictly between 0 and 1",
    lambda rng, pt: _uniform(rng, 0.001, 0.999),
    lambda pt: (NEAR, 1 - NEAR, _mpf("0.5")),
    lambda s, n=None: (sp.Lt(0, s, evaluate=False), sp.Lt(s, 1, evaluate=False)),
    box=("unit", "open"),
)

POSITIVE = Kind(
    "a positive real number",
    lambda rng, pt: mpmath.exp(_uniform(rng, -3, 3)),
    lambda pt: (NEAR, 1 / NEAR),
    lambda s, n=None: (sp.Gt(s, 0, evaluate=False),),
    box=("positive",),
)

LABEL = Kind(
    "a soft label, anywhere from 0 to 1",
    lambda rng, pt: _uniform(rng, 0, 1),
    lambda pt: (_mpf(0), _mpf(1)),
    lambda s, n=None: (sp.Le(0, s, evaluate=False), sp.Le(s, 1, evaluate=False)),
    box=("unit",),
)

BINARY = Kind(
    "a binary label, 0 or 1",
    lambda rng, pt: _mpf(rng.randint(0, 1)),
    lambda pt: (_mpf(0), _mpf(1)),
    lambda s, n=None: (sp.Contains(s, sp.FiniteSet(0, 1), evaluate=False),),
)

COUNT = Kind(
    "a whole number of samples, at least 1",
    lambda rng, pt: rng.randint(1, 12),
    lambda pt: (1, 40),
    lambda s, n=None: (sp.Ge(s, 1, evaluate=False), sp.Contains(s, sp.S.Integers, evaluate=False)),
)

CLASS_COUNT = Kind(
    "the number of classes, at least 2",
    lambda rng, pt: rng.randint(2, 8),
    lambda pt: (2, 40),
    lambda s, n=None: (sp.Ge(s, 2, evaluate=False), sp.Contains(s, sp.S.Integers, evaluate=False)),
)

INDEX = Kind(
    "a class index, from 1 to {K}",
    lambda rng, pt: rng.randint(1, _size(pt)),
    lambda pt: (1, _size(pt)),
    lambda s, n=None: (sp.Le(1, s, evaluate=False), sp.Le(s, n, evaluate=False)),
)


NATURAL = Kind(
    "a whole number, zero or more (a count)",
    lambda rng, pt: rng.randint(0, 12),
    lambda pt: (0, 40),
    lambda s, n=None: (sp.Ge(s, 0, evaluate=False), sp.Contains(s, sp.S.Integers, evaluate=False)),
)


def in_interval(lo: float, hi: float, name: str = "") -> Kind:
    """A real in the open interval (lo, hi)."""
    span = hi - lo
    return Kind(
        name or f"a real number strictly between {lo:g} and {hi:g}",
        lambda rng, pt: _uniform(rng, lo + 1e-3 * span, hi - 1e-3 * span),
        lambda pt: (_mpf(lo) + NEAR * span, _mpf(hi) - NEAR * span),
        lambda s, n=None: (sp.Lt(lo, s, evaluate=False), sp.Lt(s, hi, evaluate=False)),
        box=("between", lo, hi),
    )


OUTCOME_COUNT = Kind(
    "an observed count: 0, 1, 2 and so on",
    lambda rng, pt: _mpf(rng.randint(0, 25)),
    lambda pt: (_mpf(0), _mpf(1), _mpf(200)),
    lambda s, n=None: (sp.Ge(s, 0, evaluate=False), sp.Contains(s, sp.S.Integers, evaluate=False)),
)


def apart_from(other: sp.Symbol, gap: float = 1e-3) -> Kind:
    """A real at least ``gap`` away from the variable ``other`` (drawn first).

    For functions with a kink where the two meet (``|y - f|``): finite
    differences of step ~1e-15 are valid only away from the kink.
    """

    def draw(rng: random.Random, pt: Point) -> Any:
        side = 1 if rng.random() < 0.5 else -1
        return pt[other] + side * _uniform(rng, gap, 6)

    return Kind(
        f"a real number other than {{{other}}}",
        draw,
        lambda pt: (pt[other] + _mpf(gap), pt[other] - _mpf(gap), pt[other] + HARD_LOGIT),
        lambda s, n=None: (sp.Ne(s, other, evaluate=False),),
    )
