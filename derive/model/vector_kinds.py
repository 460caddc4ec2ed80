"""The kinds of vector variable: logits, probabilities and labels over classes 1..K, and vectors of a scalar kind.

Split from :mod:`derive.model.kinds` (the :class:`~derive.model.kinds.Kind`
class and the scalar kinds); :mod:`derive.model.domain` re-exports both.

>>> import random, sympy as sp
>>> K = sp.Symbol("K", integer=True, positive=True)
>>> p = PROBABILITY_VECTOR.draw(random.Random(0), {K: 3})
>>> len(p), abs(sum(p[1:]) - 1) < 1e-12
(4, True)
"""

from __future__ import annotations

import random
from typing import Any

import mpmath
import sympy as sp

from derive.model.kinds import HARD_LOGIT, NEAR, Kind, Point, _k, _mpf, _size, _uniform, _vec


def _logits_draw(rng: random.Random, pt: Point) -> list[Any]:
    return _vec([_uniform(rng, -6, 6) for _ in range(_size(pt))])


def _logits_hard(pt: Point) -> list[list[Any]]:
    n = _size(pt)
    big = _vec([_mpf(HARD_LOGIT if k % 2 == 0 else -HARD_LOGIT) for k in range(n)])
    one_high = _vec([_mpf(HARD_LOGIT)] + [_mpf(-HARD_LOGIT)] * (n - 1))
    one_low = _vec([_mpf(-HARD_LOGIT)] + [_mpf(HARD_LOGIT)] * (n - 1))
    return [big, one_high, one_low, _vec([_mpf(0)] * n)]


LOGIT_VECTOR = Kind(
    "a vector of real logits, one per class",
    _logits_draw,
    _logits_hard,
    lambda s, n=None: (sp.Contains(s[_k], sp.S.Reals, evaluate=False),),
    vector=True,
)


def _simplex_draw(rng: random.Random, pt: Point) -> list[Any]:
    weights = [mpmath.exp(_uniform(rng, -4, 4)) for _ in range(_size(pt))]
    total = mpmath.fsum(weights)
    return _vec([w / total for w in weights])


def _simplex_hard(pt: Point) -> list[list[Any]]:
    n = _size(pt)
    rest = NEAR / (n - 1)
    nearly_one_first = _vec([1 - NEAR] + [rest] * (n - 1))
    nearly_one_last = _vec([rest] * (n - 1) + [1 - NEAR])
    uniform = _vec([_mpf(1) / n] * n)
    return [nearly_one_first, nearly_one_last, uniform]


PROBABILITY_VECTOR = Kind(
    "a probability vector: one entry per class, each strictly between 0 and 1, summing to 1",
    _simplex_draw,
    _simplex_hard,
    lambda s, n=None: (
        sp.Lt(0, s[_k], evaluate=False),
        sp.Lt(s[_k], 1, evaluate=False),
        sp.Eq(sp.Sum(s[_k], (_k, 1, n)), 1, evaluate=False),
    ),
    vector=True,
)


def _nonneg_draw(rng: random.Random, pt: Point) -> list[Any]:
    return _vec([_uniform(rng, 0, 2) for _ in range(_size(pt))])


LABEL_VECTOR = Kind(
    "a label vector with non-negative entries, not necessarily summing to 1",
    _nonneg_draw,
    lambda pt: [_vec([_mpf(0)] * _size(pt)), _vec([_mpf(2)] * _size(pt))],
    lambda s, n=None: (sp.Ge(s[_k], 0, evaluate=False),),
    vector=True,
)


def one_hot_at(index: sp.Symbol) -> Kind:
    """A one-hot label vector whose 1 sits at the class ``index`` (drawn first)."""

    def draw(rng: random.Random, pt: Point) -> list[Any]:
        n, c = _size(pt), int(pt[index])
        return _vec([_mpf(1) if k == c else _mpf(0) for k in range(1, n + 1)])

    return Kind(
        f"a one-hot label vector: 1 at the class {{{index}}}, 0 elsewhere",
        draw,
        lambda pt: [],
        lambda s, n=None: (sp.Eq(s[_k], sp.KroneckerDelta(_k, index), evaluate=False),),
        vector=True,
    )


def vector_of(scalar: Kind, length: sp.Symbol, name: str = "") -> Kind:
    """A vector ``v_1..v_length`` of independent values of the kind ``scalar``.

    Its description names ``length`` with a placeholder, printed as math where it is shown.

    ``length`` is a variable declared earlier in the domain (the sample count
    ``m``, or ``K``); hard points repeat each hard value of ``scalar``.

    >>> import random, sympy as sp
    >>> from derive.model.domain import COUNT, LOGIT, Domain
    >>> m, f = sp.Symbol("m"), sp.IndexedBase("f")
    >>> draws = Domain({m: COUNT, f: vector_of(LOGIT, m)}).points(4, seed=1)
    >>> all(len(pt[f]) == pt[m] + 1 for pt in draws)
    True
    """

    def draw(rng: random.Random, pt: Point) -> list[Any]:
        return _vec([scalar.draw(rng, pt) for _ in range(int(pt[length]))])

    def hard(pt: Point) -> list[list[Any]]:
        return [_vec([value] * int(pt[length])) for value in scalar.hard(pt)]

    return Kind(
        name or f"a vector of {{{length}}} values, each {scalar.name}",
        draw,
        hard,
        lambda s, n=None: scalar.relations(s[_k], length),
        vector=True,
        length=length,
    )


def index_up_to(length: sp.Symbol) -> Kind:
    """An index in 1..length, for a vector made by :func:`vector_of` (``length`` drawn first)."""
    return Kind(
        f"an index from 1 to {{{length}}}",
        lambda rng, pt: rng.randint(1, int(pt[length])),
        lambda pt: (1, int(pt[length])),
        lambda s, n=None: (sp.Le(1, s, evaluate=False), sp.Le(s, length, evaluate=False)),
        length=length,
    )


def differing_from(kind: Kind, other: sp.IndexedBase, name: str = "") -> Kind:
    """Values of the vector ``kind``, never all equal to the vector ``other`` (drawn first).

    For results that divide by a distance between the two (the
    maximum-likelihood variance, the mean of the squared residuals, is 0
    where they coincide): where a draw or a hard value equals ``other``, its
    first entry moves by 1.

    >>> import random, sympy as sp
    >>> from derive.model.domain import COUNT, LOGIT, Domain
    >>> m, y, f = sp.Symbol("m"), sp.IndexedBase("y"), sp.IndexedBase("f")
    >>> scalars = vector_of(LOGIT, m)
    >>> domain = Domain({m: COUNT, y: scalars, f: differing_from(scalars, y)})
    >>> any(pt[f] == pt[y] for pt in domain.points(40, seed=0))
    False
    """

    def apart(value: list[Any], pt: Point) -> list[Any]:
        if value[1:] != pt[other][1:]:
            return value
        return [None, value[1] + 1, *value[2:]]

    return Kind(
        name or f"{kind.name}, not all equal to {{{other}}}",
        lambda rng, pt: apart(kind.draw(rng, pt), pt),
        lambda pt: [apart(list(v), pt) for v in kind.hard(pt)],
        lambda s, n=None: (*kind.relations(s, n), sp.Ne(s, other, evaluate=False)),
        vector=True,
        length=kind.length,
    )
