"""What each variable of a derivation may be, and how to draw points from it.

A derivation declares its variables with a *kind* each (``LOGIT``,
``PROBABILITY``, ``PROBABILITY_VECTOR`` ...).  The kind gives the SymPy
relations shown as the derivation's assumptions and draws random and hard
points for the numeric checks, so the two can never disagree.

Vectors are :class:`~sympy.IndexedBase` objects over classes ``1..K``; their
values are lists indexed from 1 (element 0 is unused).

The kinds themselves live in :mod:`derive.model.kinds` (scalars) and
:mod:`derive.model.vector_kinds`, and are re-exported here; the boundary
points (joint extremes, coincidences, points near an equality case) are made
in :mod:`derive.model.extremes`.

>>> import sympy as sp
>>> K, i = sp.symbols("K i", integer=True, positive=True)
>>> z = sp.IndexedBase("z")
>>> domain = Domain({K: CLASS_COUNT, i: INDEX, z: LOGIT_VECTOR})
>>> [len(point[z]) - 1 == point[K] for point in domain.points(4, seed=0)]
[True, True, True, True]
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from derive.model.extremes import approaching, coincidences, joint_extremes
from derive.model.kinds import (
    BINARY,
    CLASS_COUNT,
    COUNT,
    HARD_LOGIT,
    INDEX,
    LABEL,
    LOGIT,
    NATURAL,
    NEAR,
    OUTCOME_COUNT,
    POSITIVE,
    PROBABILITY,
    SIZE_SYMBOL_NAME,
    Kind,
    Point,
    apart_from,
    in_interval,
)
from derive.model.vector_kinds import (
    LABEL_VECTOR,
    LOGIT_VECTOR,
    PROBABILITY_VECTOR,
    differing_from,
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
    "differing_from",
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
        """``count`` points: the hard ones first, then random.

        The hard points, a quarter of the budget each: every variable alone at
        each of its hard values (the others random; sizes K = 2 and K = 40
        too); joint extremes, the hard values of all variables combined
        (logits at both ends with labels at 0 and at 1); coincidences, two
        variables of the same kind equal (p = q), the place where many
        inequalities between them are tight.
        """
        rng = random.Random(seed)
        alone: list[Point] = []
        for symbol, kind in self.kinds.items():
            base = self.draw(rng)
            for value in kind.hard(base):
                pin = {symbol: value}
                if self.size is not None and symbol is not self.size:
                    pin[self.size] = base[self.size]
                if kind.length is not None:
                    pin[kind.length] = base[kind.length]
                alone.append(self.draw(rng, pin=pin))
        quarter = max(1, count // 4)
        points = alone[:quarter] + joint_extremes(self, rng, quarter) + coincidences(self, rng, quarter // 2)
        points = points[: count - count // 4] if count > 3 else points[:count]
        while len(points) < count:
            points.append(self.draw(rng))
        return points

    def at_case(self, pins: Mapping[Any, Callable[[Point], Any]], count: int, seed: int) -> list[Point]:
        """``count`` points of an equality case: the pinned variables computed from the others.

        The others take joint extreme values first, then random ones.
        """
        rng = random.Random(seed)
        bases = joint_extremes(self, rng, count // 2)
        while len(bases) < count:
            bases.append(self.draw(rng))
        return [self.draw(rng, pin={**{s: v for s, v in base.items() if s not in pins}, **pins}) for base in bases]

    def near_case(self, pins: Mapping[Any, Callable[[Point], Any]], count: int, seed: int) -> list[Point]:
        """Points approaching an equality case from random directions, closer and closer."""
        rng = random.Random(seed + 1)
        return approaching(self, self.at_case(pins, count, seed), pins, rng)

    def draw(self, rng: random.Random, pin: Mapping[Any, Any] | None = None) -> Point:
        """One random point; variables in ``pin`` take its values (a callable gets the point so far)."""
        pin = pin or {}
        point: Point = {}
        for symbol, kind in self.kinds.items():
            if symbol in pin:
                value = pin[symbol]
                point[symbol] = value(point) if callable(value) else value
            else:
                point[symbol] = kind.draw(rng, point)
        return point
