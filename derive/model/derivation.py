"""The declarative unit of this project: a :class:`Derivation` made of :class:`Step`.

A catalogue module declares each derivation with the :func:`entry` decorator
on a builder function.  The builder runs SymPy (``diff``, ``subs``,
``expand_log`` ...) and returns a :class:`Body`: the variables with their
kinds, the steps and the results.  Building is lazy: nothing is computed
until someone asks for the derivation, and then only once.

>>> import sympy as sp
>>> from derive.model.domain import Domain, PROBABILITY
>>> p = sp.Symbol("p", positive=True)
>>> @entry("demo_log", "A demonstration")
... def demo() -> Body:
...     step = Step(sp.Eq(sp.log(p**2), sp.expand_log(sp.log(p**2), force=True)), "expand_log")
...     return Body(Domain({p: PROBABILITY}), steps=(step,), results=(step,))
>>> demo.derivation.result
Eq(log(p**2), 2*log(p))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import sympy as sp

from derive.errors import DerivationError
from derive.model import POINTS
from derive.model.domain import Domain, Kind

if TYPE_CHECKING:
    from derive.verify.check import CheckReport


@dataclass(frozen=True)
class Step:
    """One step: a SymPy relation and the one-line reason it holds.

    ``where`` changes the kinds of some variables for this step only (for
    example a label that must sum to 1); ``symbolic=False`` skips the
    symbolic attempt for relations SymPy cannot be expected to simplify.

    ``model`` gives the *unknown functions* of a step (``I(p)`` in the
    functional equation ``I(pq) = I(p) + I(q)``) a concrete family, used by
    the numeric check only: ``{I: Lambda(t, -C*log(t))}``, each free symbol
    of the family (here ``C``) a variable of the domain.  The symbolic
    attempt still sees the step as stated, and the report names the model.

    ``equality_cases`` says where a non-strict inequality is tight, each case
    a mapping from variables to values in terms of the others: ``{q: p}``
    (the two distributions equal), ``{p: sp.Lambda(k, 1 / K)}`` (a vector
    given per component: the uniform distribution), ``{z: 0}``.  The
    verifier checks that the two sides are equal there and that the
    inequality holds at points approaching it.
    ``region`` restricts the step to one piece of a piecewise loss: a SymPy
    condition (relations joined by ``And``, ``Or``, ``Not``); the step is
    checked only at points robustly inside it (see :mod:`derive.verify.regions`).
    """

    eq: sp.Basic
    why: str
    where: Mapping[Any, Kind] = field(default_factory=dict)
    symbolic: bool = True
    model: Mapping[Any, sp.Lambda] = field(default_factory=dict)
    equality_cases: tuple[Mapping[Any, Any], ...] = ()
    region: sp.Basic | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.eq, sp.core.relational.Relational):
            raise DerivationError(f"a step must be a SymPy relation, got {type(self.eq).__name__}: {self.eq}")
        if self.equality_cases and not isinstance(self.eq, (sp.Le, sp.Ge)):
            raise DerivationError(f"only a non-strict inequality has equality cases: {self.eq}")
        if not self.why or "\n" in self.why:
            raise DerivationError(f"a step needs a one-line reason: {self.eq}")


@dataclass(frozen=True)
class Named:
    """A named intermediate quantity: ``symbol`` stands for ``meaning`` on the page.

    Pages print ``meaning`` as ``symbol`` wherever it occurs (after the names
    declared before it), so a long result reads as a short formula in named
    pieces: ``L`` for the loss, ``z_2`` for the output logit, ``delta_2`` for the
    output error.  When ``value`` is given, the defining relation
    ``meaning = value`` is verified like any step (its label is
    ``definition N``) and ``value``, not ``meaning``, prints as ``symbol``
    (so ``dL/dz_2`` stays a derivative in a chain rule, and its closed form
    ``(a_2 - y) a_2 (1 - a_2)`` becomes ``delta_2``).

    >>> import sympy as sp
    >>> t = sp.Symbol("t", real=True)
    >>> Named(sp.Symbol("u"), t**2, "the square").relation() is None
    True
    >>> Named(sp.Symbol("v"), sp.Derivative(t**2, t), "the slope", 2 * t).relation()
    Eq(Derivative(t**2, t), 2*t)
    """

    symbol: sp.Basic
    meaning: sp.Basic
    why: str
    value: sp.Basic | None = None
    where: Mapping[Any, Kind] = field(default_factory=dict)
    # False: the name is used in the results only (the steps show the expression being worked on)
    in_steps: bool = True

    def __post_init__(self) -> None:
        if not self.why or "\n" in self.why:
            raise DerivationError(f"a named quantity needs a one-line reason: {self.symbol}")
        if self.meaning == self.symbol:
            raise DerivationError(f"{self.symbol} is named as itself")

    def relation(self) -> sp.Eq | None:
        """The defining relation to verify, or None for a pure definition."""
        return None if self.value is None else eq(self.meaning, self.value)

    def patterns(self) -> tuple[sp.Basic, ...]:
        """What prints as ``symbol``: the value when one is given (the meaning keeps its own form), else the meaning."""
        return (self.meaning,) if self.value is None else (self.value,)


@dataclass(frozen=True)
class Body:
    """What a builder returns: the domain, the steps, the results and the named quantities."""

    domain: Domain
    steps: Sequence[Step] = ()
    results: Sequence[Step] = ()
    summary: str = ""
    named: Sequence[Named] = ()


@dataclass(frozen=True)
class Derivation:
    """A verified-on-demand derivation: name, title, assumptions, steps, results.

    ``result`` is the headline relation; ``results`` every stated result with
    ``result`` first; ``check()`` runs the verifier and returns its report.
    """

    name: str
    title: str
    domain: Domain
    steps: tuple[Step, ...]
    conclusions: tuple[Step, ...]
    uses: tuple[str, ...] = ()
    summary: str = ""
    named: tuple[Named, ...] = ()

    def __post_init__(self) -> None:
        if not self.conclusions:
            raise DerivationError(f"{self.name}: a derivation needs at least one result")
        known = set(self.domain.kinds)
        for label, step in self.labelled():
            missing = _variables(step.eq) - known - set(step.where)
            for family in step.model.values():
                missing |= _variables(family.expr) - set(family.variables) - known - set(step.where)
            if step.region is not None:
                missing |= _variables(step.region) - known - set(step.where)
            if missing:
                names = ", ".join(sorted(map(str, missing)))
                raise DerivationError(f"{self.name}, {label}: {names} has no kind in the domain")
            if isinstance(step.eq, sp.Eq) and step.eq.lhs == step.eq.rhs:
                raise DerivationError(f"{self.name}, {label}: both sides are the same expression, nothing is derived")
        stated = [c.eq for c in self.conclusions]
        if len(set(stated)) != len(stated):
            raise DerivationError(f"{self.name}: the same result is stated twice")

    @property
    def result(self) -> sp.Basic:
        """The headline result (a SymPy relation, usually an ``Eq``)."""
        return self.conclusions[0].eq

    @property
    def results(self) -> tuple[sp.Basic, ...]:
        """Every stated result, the headline first."""
        return tuple(c.eq for c in self.conclusions)

    @property
    def assumptions(self) -> tuple[sp.Basic, ...]:
        """What the variables are, as SymPy relations."""
        return self.domain.relations()

    def labelled(self) -> list[tuple[str, Step]]:
        """Steps, results and defining relations with labels: ``step 1`` ..., ``result 1`` ..., ``definition 1`` ...

        A named quantity with a value contributes its defining relation, checked like a step.
        """
        return (
            [(f"step {n}", s) for n, s in enumerate(self.steps, 1)]
            + [(f"result {n}", r) for n, r in enumerate(self.conclusions, 1)]
            + [(f"definition {n}", s) for n, s in self.definitions()]
        )

    def definitions(self) -> list[tuple[int, Step]]:
        """The defining relations of the named quantities that have a value, numbered from 1 among all names."""
        found = []
        for n, named in enumerate(self.named, 1):
            relation = named.relation()
            if relation is not None:
                found.append((n, Step(relation, named.why, where=named.where)))
        return found

    def check(self, points: int = POINTS, seed: int = 0) -> CheckReport:
        """Verify every step and result; see :func:`derive.verify.check`.

        ``points`` is a whole number of at least 1: a check at no point would pass anything.
        """
        from derive.verify.check import check

        if isinstance(points, bool) or not isinstance(points, int) or points < 1:
            raise ValueError(f"points must be a whole number of at least 1, got {points!r}")

        return check(self, points=points, seed=seed)

    def to_function(self, backend: str = "numpy") -> Callable[..., Any]:
        """A NumPy callable for the headline result's right side; see :mod:`derive.codegen`."""
        from derive.codegen import to_function

        return to_function(self, backend)


@dataclass
class Entry:
    """A registered derivation: its name, title and dependencies, built lazily."""

    name: str
    title: str
    uses: tuple[str, ...]
    builder: Callable[[], Body]
    module: str = ""

    @cached_property
    def derivation(self) -> Derivation:
        body = self.builder()
        return Derivation(
            name=self.name,
            title=self.title,
            domain=body.domain,
            steps=tuple(body.steps),
            conclusions=tuple(body.results),
            uses=self.uses,
            named=tuple(body.named),
            # One paragraph: a docstring wrapped over several lines reads as one line.
            summary=" ".join((body.summary or self.builder.__doc__ or "").split()),
        )


def entry(name: str, title: str, uses: Sequence[str] = ()) -> Callable[[Callable[[], Body]], Entry]:
    """Declare a derivation: decorate its builder, which returns a :class:`Body`."""

    def wrap(builder: Callable[[], Body]) -> Entry:
        return Entry(name, title, tuple(uses), builder, builder.__module__)

    return wrap


def _variables(expr: sp.Basic) -> set[Any]:
    """Free variables of a relation: symbols and vector bases, without summation indices."""
    bound: set[Any] = set()
    for loop in expr.atoms(sp.Sum, sp.Product):
        bound |= {limit[0] for limit in loop.limits}
    for limit in expr.atoms(sp.Limit):
        bound.add(limit.args[3])  # the direction, stored as a Symbol '+' or '-'
    for substitution in expr.atoms(sp.Subs):
        bound |= set(substitution.variables)  # e.g. the _xi_1 of sp.diff(I(p*q), q)

    bases = expr.atoms(sp.IndexedBase)
    labels = {base.label for base in bases}
    symbols = {s for s in expr.atoms(sp.Symbol) if s not in bound and s not in labels}
    return symbols | bases


def eq(lhs: Any, rhs: Any) -> sp.Eq:
    """An unevaluated equation ``lhs = rhs``: SymPy must not collapse a step to ``True``.

    >>> import sympy as sp
    >>> eq(sp.Integer(1) / 4, sp.Rational(1, 4))
    Eq(1/4, 1/4)
    """
    return sp.Eq(sp.sympify(lhs), sp.sympify(rhs), evaluate=False)
