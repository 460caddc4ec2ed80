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
('\\\\frac{d}{d z} a = \\\\left(1 - a\\\\right) a', 'sigmoid_derivative, result 1')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from derive.site.data import Assumption, DerivationData, Math, Relation, Report

if TYPE_CHECKING:
    from derive.model.derivation import Derivation, Step
    from derive.model.kinds import Kind
    from derive.verify.check import CheckReport, RelationReport


def tex(expr: Any, short: bool = True) -> str:
    """LaTeX of a SymPy object by the project's printer (:func:`derive.printing.latex`)."""
    from derive.printing import latex

    return latex(expr, short=short)


def derivation_data(derivation: Derivation, report: CheckReport) -> DerivationData:
    """Everything a page shows about one checked derivation, printed."""
    from derive.printing import notation

    name, passed = derivation.name, report.passed
    by_label = {r.label: r for r in report.relations}
    labelled = derivation.labelled()
    relations = tuple(_relation(label, step, by_label[label], derivation) for label, step in labelled)
    count = len(derivation.steps)
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
        results=relations[count:],
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


def _relation(label: str, step: Step, checked: RelationReport, derivation: Derivation) -> Relation:
    source = f"{derivation.name}, {label}"
    size = derivation.domain.size
    return Relation(
        label=label,
        anchor=label.replace(" ", "-"),
        why=step.why,
        math=Math(tex(step.eq), source, checked.passed),
        lhs=tex(step.eq.lhs),
        rhs=tex(step.eq.rhs),
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
