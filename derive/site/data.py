"""The typed data the templates receive: frozen dataclasses of strings, numbers and :class:`Math`.

Stage 2 (:mod:`derive.site.printed`) makes these from verified SymPy objects;
the cache stores them as JSON (:func:`to_json`, :func:`from_json`), and the
templates read their fields by name.  No SymPy object and no LaTeX typed by
hand ever reaches a template: math is a :class:`Math`, printed by SymPy and
carrying where it came from and whether its check passed.

>>> m = Math("a - y", "bce_sigmoid_grad, result 1", True)
>>> from_json(Math, to_json(m)) == m
True
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from derive.errors import BuildError
from derive.site.collect import Catalogue

T = TypeVar("T")


@dataclass(frozen=True)
class Math:
    """A LaTeX string printed from a verified SymPy object, with its provenance."""

    tex: str
    source: str
    passed: bool

    def __str__(self) -> str:  # a template printing Math without a filter is a mistake
        raise BuildError(f"math from {self.source} must go through the `display` or `inline` filter")


@dataclass(frozen=True)
class Assumption:
    """What one variable is: its symbol, the name of its kind, and the kind's relations."""

    symbol: Math
    kind: str
    relations: tuple[Math, ...]


@dataclass(frozen=True)
class Relation:
    """One checked step or result, ready to print: the relation, its reason and its verdict."""

    label: str  # "step 1", "result 2"
    anchor: str  # "step-1", an HTML id
    why: str  # the one-line reason, prose with symbol placeholders
    math: Math
    lhs: str  # LaTeX of each side, for prose that quotes one side
    rhs: str
    where: tuple[Assumption, ...]  # kinds changed for this step only
    passed: bool
    symbolic: str | None  # how it was proved symbolically, if it was
    status: str  # "proved symbolically", ..., or "checked at N points"
    points: int
    max_rel_error: float
    finite_differences: bool
    methods: tuple[str, ...]
    narrow: Math | None = None  # the same relation laid out for a phone, when that layout differs


@dataclass(frozen=True)
class NamedQuantity:
    """A named intermediate quantity: its definition (name = meaning [= value]) and, if it has one, its check."""

    symbol: str  # LaTeX of the name
    math: Math  # the defining chain, printed with the names declared before it
    why: str
    check: Relation | None  # the verified defining relation (``definition N``), or None for a pure definition


@dataclass(frozen=True)
class Report:
    """The verdict on a whole derivation, as a page summarises it."""

    passed: bool
    points: int
    max_rel_error: float
    methods: tuple[str, ...]
    relations: int
    symbolic: tuple[str, ...]  # labels of the relations proved symbolically


@dataclass(frozen=True)
class DerivationData:
    """Everything a page shows about one checked derivation."""

    name: str
    title: str
    summary: str
    uses: tuple[str, ...]
    assumptions: tuple[Assumption, ...]
    notation: tuple[Math, ...]
    steps: tuple[Relation, ...]
    results: tuple[Relation, ...]
    report: Report
    named: tuple[NamedQuantity, ...] = ()

    def relations(self) -> tuple[Relation, ...]:
        """Steps, then results."""
        return self.steps + self.results


@dataclass(frozen=True)
class Link:
    """Another derivation named on a page: its name, title, and whether this build has it."""

    name: str
    title: str
    present: bool


@dataclass(frozen=True)
class DerivationPage:
    """A derivation page's context: the checked data plus its links both ways."""

    data: DerivationData
    uses: tuple[Link, ...]
    used_by: tuple[Link, ...]

    def __getattr__(self, name: str) -> Any:  # d.title, d.steps ... read through to the data
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.data, name)


@dataclass(frozen=True)
class Example:
    """A worked example: its expression printed by SymPy, its value, and the source's figure."""

    name: str
    group: str
    derivation: str
    math: Math
    value: float
    quoted: str | None
    note: str
    passed: bool
    inputs: Math | None = None  # the values put in, printed as relations (data, not a claim)


@dataclass(frozen=True)
class Run:
    """One run of the single-neuron training experiment."""

    start: str
    loss: str
    w0: float
    b0: float
    losses: tuple[float, ...]
    outputs: tuple[float, ...]
    steps_to_below: int | None


@dataclass(frozen=True)
class Figure:
    """A drawn figure: its file name, alt text and SVG."""

    name: str
    alt: str
    svg: bytes


def to_json(value: Any) -> Any:
    """A dataclass (or tuple of them) as JSON-ready dicts and lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    return value


def from_json(cls: type[T], value: Any) -> T:
    """The inverse of :func:`to_json` for dataclass ``cls``, from the field types."""
    return typing.cast(T, _convert(cls, value))


def _convert(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = [f for f in dataclasses.fields(kind) if f.name in value]
        return kind(**{f.name: _convert(hints[f.name], value[f.name]) for f in fields})
    origin = typing.get_origin(kind)
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(kind)
        return tuple(_convert(item, v) for v in value)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return _convert(options[0], value)
    return value


@dataclass(frozen=True)
class SiteData:
    """Everything stage 4 renders, gathered by the earlier stages."""

    catalogue: Catalogue
    derivations: Mapping[str, DerivationData]
    examples: tuple[Example, ...] = ()
    experiment: tuple[Run, ...] = ()
    figures: Mapping[str, Figure] = dataclasses.field(default_factory=dict)
