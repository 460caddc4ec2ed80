"""What each variable of a derivation may be, and how to draw points from it.

A derivation declares its variables with a *kind* each (``LOGIT``,
``PROBABILITY``, ``PROBABILITY_VECTOR`` ...).  The kind gives the SymPy
relations shown as the derivation's assumptions and draws random and hard
points for the numeric checks, so the two can never disagree.

Vectors are :class:`~sympy.IndexedBase` objects over classes ``1..K``; their
values are lists indexed from 1 (element 0 is unused).

The kinds themselves live in :mod:`derive.model.kinds` and are re-exported here.

>>> import sympy as sp
>>> K, i = sp.symbols("K i", integer=True, positive=True)
>>> z = sp.IndexedBase("z")
>>> domain = Domain({K: CLASS_COUNT, i: INDEX, z: LOGIT_VECTOR})
>>> [len(point[z]) - 1 == point[K] for point in domain.points(4, seed=0)]
[True, True, True, True]
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from derive.model.kinds import (
    BINARY,
    CLASS_COUNT,
    COUNT,
    HARD_LOGIT,
    INDEX,
    LABEL,
    LABEL_VECTOR,
    LOGIT,
    LOGIT_VECTOR,
    NATURAL,
    NEAR,
    OUTCOME_COUNT,
    POSITIVE,
    PROBABILITY,
    PROBABILITY_VECTOR,
    SIZE_SYMBOL_NAME,
    Kind,
    Point,
    apart_from,
    in_interval,
    index_up_to,
    one_hot_at,
    vector_of,
)

__all__ = [
    "BINARY",
    "CLASS_COUNT",
    "COUNT",
    "HARD_LOGIT",
    "INDEX",
    "LABEL",
    "LABEL_VECTOR",
    "LOGIT",
    "LOGIT_VECTOR",
    "NATURAL",
    "NEAR",
    "OUTCOME_COUNT",
    "POSITIVE",
    "PROBABILITY",
    "PROBABILITY_VECTOR",
    "SIZE_SYMBOL_NAME",
    "Domain",
    "Kind",
    "Point",
    "apart_from",
    "in_interval",
    "index_up_to",
    "one_hot_at",
    "vector_of",
]


@dataclass(frozen=True)
class Domain:
    """The variables of a derivation, in sampling order, each with its kind."""

    kinds: Mapping[Any, Kind] = field(default_factory=dict)

    def __post_init__(self) -> None:
        size = self.size
        if size is not None and next(iter(self.kinds)) is not size:
            raise ValueError("the class count K must be the first variable of a domain")

    @property
    def size(self) -> sp.Symbol | None:
        for s in self.kinds:
            if isinstance(s, sp.Symbol) and s.name == SIZE_SYMBOL_NAME:
                return s
        return None

    def relations(self) -> tuple[sp.Basic, ...]:
        """Every assumption as a SymPy relation, in declaration order."""
        out: list[sp.Basic] = []
        for symbol, kind in self.kinds.items():
            out.extend(kind.relations(symbol, self.size))
        return tuple(out)

    def override(self, changes: Mapping[Any, Kind]) -> Domain:
        """This domain with some kinds replaced or added (order kept)."""
        merged = dict(self.kinds)
        merged.update(changes)
        return Domain(merged)

    def points(self, count: int, seed: int) -> list[Point]:
        """``count`` points: first the hard ones, one variable at a time, then random.

        Hard points put one variable at each of its hard values (the others
        random); sizes take their hard values (K = 2, K = 40) too.
        """
        rng = random.Random(seed)
        points: list[Point] = []
        for symbol, kind in self.kinds.items():
            base = self._draw(rng)
            for value in kind.hard(base):
                pin = {symbol: value}
                if self.size is not None and symbol is not self.size:
                    pin[self.size] = base[self.size]
                if kind.length is not None:
                    pin[kind.length] = base[kind.length]
                points.append(self._draw(rng, pin=pin))
        points = points[: count // 2]
        while len(points) < count:
            points.append(self._draw(rng))
        return points

    def _draw(self, rng: random.Random, pin: Mapping[Any, Any] | None = None) -> Point:
        pin = pin or {}
        point: Point = {}
        for symbol, kind in self.kinds.items():
            if symbol in pin:
                point[symbol] = pin[symbol]
            else:
                point[symbol] = kind.draw(rng, point)
        return point
