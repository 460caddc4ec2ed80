"""Printing for the site: the one module of the site that turns SymPy objects into LaTeX.

Stage 2 hands each checked derivation to :func:`derivation_data`, which
prints every relation, side, assumption and notation entry once, as
:class:`~derive.site.data.Math` carrying its source and verdict.  The other
stages that need a printed symbol (prose placeholders, figure legends, a
worked example's expression) call :func:`tex` here rather than the printer.

>>> import derive
>>> d = derive.get("sigmoid_derivative")
>>> data = derivation_data(d, d.check(points=2))
>>> data.results[0].math.tex, data.results[0].math.source
('\\\\frac{d a}{d z} = a \\\\left(1 - a\\\\right)', 'sigmoid_derivative, result 1')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from derive.site.data import Assumption, DerivationData, Math, NamedQuantity, Relation, Report

if TYPE_CHECKING:
    from derive.model.derivation import Derivation, Step
    from derive.model.kinds import Kind
    from derive.verify.check import CheckReport, RelationReport


def tex(expr: Any, short: bool = True, names: Any = ()) -> str:
    """LaTeX of a SymPy object by the project's printer (:func:`derive.printing.latex`), ``names`` abbreviated."""
    from derive.printing import latex

    return latex(expr, short=short, names=names)


def display_tex(expr: Any, names: Any = (), narrow: bool = False) -> str:
    """LaTeX of a display formula: broken over aligned lines when too wide (:func:`derive.printing.display`).

    ``narrow`` lays it out for a phone's column.
    """
    from derive.printing import display
    from derive.printing.rules import LAYOUT

    return display(expr, names, columns=LAYOUT.narrow_columns if narrow else None)


def derivation_data(derivation: Derivation, report: CheckReport) -> DerivationData:
    """Everything a page shows about one checked derivation, printed."""
    from derive.printing import notation, pairs

    name, passed = derivation.name, report.passed
    by_label = {r.label: r for r in report.relations}
    labelled = derivation.labelled()
    names, in_steps = pairs(derivation.named), pairs(derivation.named, steps=True)
    relations = tuple(
        _relation(label, step, by_label[label], derivation, in_steps if label.startswith("step") else names)
        for label, step in labelled
    )
    count, stated = len(derivation.steps), len(derivation.conclusions)
    size = derivation.domain.size
    return DerivationData(
        name=name,
        title=derivation.title,
        summary=derivation.summary,
        uses=tuple(derivation.uses),
        assumptions=tuple(
            _assumption(symbol, kind, size, f"{name}, assumptions", passed)
            for symbol, kind in derivation.domain.kinds.items()
        ),
        notation=tuple(Math(tex(n), f"{name}, notation", passed) for n in notation([s.eq for _, s in labelled])),
        steps=relations[:count],
        results=relations[count : count + stated],
        named=_named(derivation, {r.label: r for r in relations[count + stated :]}),
        report=Report(
            passed=passed,
            points=report.points,
            max_rel_error=report.max_rel_error,
            methods=tuple(report.methods),
            relations=len(report.relations),
            symbolic=tuple(r.label for r in report.relations if r.symbolic),
        ),
    )


def _assumption(symbol: Any, kind: Kind, size: Any, source: str, passed: bool) -> Assumption:
    relations = tuple(Math(tex(r), source, passed) for r in kind.relations(symbol, size))
    return Assumption(Math(tex(symbol), source, passed), kind.name, relations)


def _narrow(relation: Any, names: Any, source: str, passed: bool) -> Math | None:
    """The phone's layout of a display formula, when it differs from the laptop's."""
    wide, narrow = display_tex(relation, names), display_tex(relation, names, narrow=True)
    return None if narrow == wide else Math(narrow, f"{source} (narrow)", passed)


def _named(derivation: Derivation, checked: dict[str, Relation]) -> tuple[NamedQuantity, ...]:
    """Each named quantity: its definition printed with the names before it, and its check if it has a relation."""
    from derive.printing import definition, pairs

    out = []
    for n, named in enumerate(derivation.named, 1):
        symbol = tex(named.symbol)
        if any(symbol == tex(other.symbol) for other in derivation.named[: n - 1]):
            continue  # the same name for another form of the same quantity (the loss in a and in z)
        sides = [named.symbol, named.meaning] + ([named.value] if named.value is not None else [])
        found = checked.get(f"definition {n}")
        passed = found.passed if found else True  # a pure definition states a name, nothing to check
        printed = definition(sides, pairs(derivation.named[: n - 1]))
        math = Math(printed, f"{derivation.name}, named {symbol}", passed)
        out.append(NamedQuantity(symbol, math, named.why, found))
    return tuple(out)


def _relation(label: str, step: Step, checked: RelationReport, derivation: Derivation, names: Any = ()) -> Relation:
    source = f"{derivation.name}, {label}"
    size = derivation.domain.size
    return Relation(
        label=label,
        anchor=label.replace(" ", "-"),
        why=step.why,
        math=Math(display_tex(step.eq, names), source, checked.passed),
        narrow=_narrow(step.eq, names, source, checked.passed),
        lhs=tex(step.eq.lhs, names=names),
        rhs=tex(step.eq.rhs, names=names),
        where=tuple(
            _assumption(symbol, kind, size, f"{source} (where)", checked.passed) for symbol, kind in step.where.items()
        ),
        passed=checked.passed,
        symbolic=checked.symbolic,
        status=checked.status,
        points=checked.points,
        max_rel_error=checked.max_rel_error,
        finite_differences=checked.finite_differences,
        methods=tuple(checked.methods),
    )
