"""The source's worked examples, recomputed from the catalogue's verified results.

Each example puts exact numbers (SymPy ``Rational``) into the right-hand side
of a catalogue result and evaluates it, so the number shown next to a formula
is the formula's own value.  ``quoted`` is the rounded number the source
prints, where it prints one.

>>> first = worked_examples()[0]
>>> first.name, first.expression, round(first.value, 3), first.quoted
('self_information_0.7', -log(7/10), 0.357, '0.36')
>>> evaluate_result("categorical_nll_cce", {"K": 3, "y": (0, 0, 1), "a": (R("0.2"), R("0.5"), R("0.3"))})
-log(3/10)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import sympy as sp

from derive.registry import get

R = sp.Rational
Value = int | sp.Rational | tuple[int | sp.Rational, ...]


@dataclass(frozen=True)
class WorkedExample:
    """One number from the source, recomputed: which result, the exact expression, its value."""

    name: str  # slug, e.g. "self_information_0.7"
    group: str  # e.g. "Self-information", "Entropy", "MSE vs CE"
    derivation: str  # catalogue entry whose result is evaluated
    expression: sp.Expr  # exact SymPy expression of the evaluated quantity (with Rationals)
    value: float  # its value, computed
    quoted: str | None  # the rounded number the source quotes, as text, e.g. "0.804"
    note: str  # one line: what it shows, or why the quoted number differs
    inputs: tuple[sp.Basic, ...] = ()  # the values put in, as relations name = value (printed as math)


def evaluate_result(derivation: str, values: Mapping[str, Value], result: int = 0) -> sp.Expr:
    """The right-hand side of ``results[result]`` of ``derivation`` at exact ``values``.

    ``values`` maps variable names to numbers, and vector names to tuples
    (entries 1, 2, ...).  Sizes and indices go in first and the sums are
    unrolled (``doit``); then the entries of the vectors.
    """
    rhs = get(derivation).results[result].rhs
    labels = {base.label for base in rhs.atoms(sp.IndexedBase)}
    scalars = {s.name: s for s in rhs.free_symbols if isinstance(s, sp.Symbol) and s not in labels}
    expr = rhs
    for name, value in values.items():
        if not isinstance(value, tuple):
            if name not in scalars:
                raise ValueError(f"{derivation}: no variable named {name!r} in {rhs}")
            expr = expr.subs(scalars[name], sp.sympify(value))
    expr = expr.doit()
    bases = {base.label.name: base for base in expr.atoms(sp.IndexedBase)}
    entries = {}
    for name, value in values.items():
        if isinstance(value, tuple):
            if name not in bases:
                raise ValueError(f"{derivation}: no vector named {name!r} in {expr}")
            entries.update({bases[name][n]: sp.sympify(v) for n, v in enumerate(value, 1)})
    evaluated = expr.subs(entries)
    if not evaluated.is_Rational:
        return evaluated
    # A bare fraction would hide where it comes from: keep the arithmetic, e.g. (1 - 4/5)^2 + ...
    with sp.evaluate(False):
        return expr.subs(entries)


def _example(
    name: str, group: str, derivation: str, values: Mapping[str, Value], quoted: str | None, note: str, result: int = 0
) -> WorkedExample:
    expression = evaluate_result(derivation, values, result)
    value = float(sp.N(expression, 30))
    return WorkedExample(name, group, derivation, expression, value, quoted, note, _inputs(values))


def _inputs(values: Mapping[str, Value]) -> tuple[sp.Basic, ...]:
    """The values as relations ``a = (0.8, 0.1, 0.1)``, decimals as the source writes them; sizes left out."""

    def number(v: int | sp.Rational) -> sp.Basic:
        return sp.Integer(v) if sp.sympify(v).is_Integer else sp.Float(str(float(v)), 3)

    out = []
    for name, value in values.items():
        if name == "K":
            continue
        shown = sp.Tuple(*map(number, value)) if isinstance(value, tuple) else number(value)
        out.append(sp.Eq(sp.Symbol(name), shown, evaluate=False))
    return tuple(out)


def _entropy_with_rounded_terms(probabilities: tuple[sp.Rational, ...], digits: int) -> sp.Expr:
    """The source's arithmetic: sum_k p_k * I(p_k), each self-information rounded first.

    The terms are kept unevaluated, so the expression prints as the source wrote it.
    """
    information = [evaluate_result("self_information", {"p": p}) for p in probabilities]
    rounded = [R(round(float(sp.N(i, 30)), digits)).limit_denominator(10**digits) for i in information]
    return sp.Add(*(sp.Mul(p, i, evaluate=False) for p, i in zip(probabilities, rounded, strict=True)), evaluate=False)


@cache
def _all() -> tuple[WorkedExample, ...]:
    grades = (R("0.7"), R("0.2"), R("0.1"))
    out = [
        _example(
            f"self_information_{p}",
            "Self-information",
            "self_information",
            {"p": R(p)},
            quoted,
            "the less likely the event, the more information it carries",
        )
        for p, quoted in zip(("0.7", "0.2", "0.1"), ("0.36", "1.61", "2.30"), strict=True)
    ]
    out.append(
        _example(
            "entropy_0.7_0.2_0.1",
            "Entropy",
            "entropy",
            {"K": 3, "p": grades},
            "0.804",
            "exact: 0.8018 nats; the source's 0.804 sums self-informations already rounded to 0.36, 1.61, 2.30",
        )
    )
    rounded = _entropy_with_rounded_terms(grades, 2)
    out.append(
        WorkedExample(
            "entropy_0.7_0.2_0.1_rounded",
            "Entropy",
            "entropy",
            rounded,
            float(sp.N(rounded.doit(), 30)),
            "0.804",
            "the source's own arithmetic, each self-information rounded to two decimals: that moves the third digit",
            _inputs({"p": grades}),
        )
    )
    for a, quoted in (("0.6", "0.51"), ("0.7", "0.36")):
        out.append(
            _example(
                f"bce_{a}_y1",
                "Binary cross-entropy",
                "bernoulli_nll_bce",
                {"a": R(a), "y": 1},
                quoted,
                f"a positive label predicted with probability {a}: only its surprise counts, "
                "and the surer prediction costs less",
            )
        )
    for prediction, quoted in (((R("0.2"), R("0.5"), R("0.3")), "1.2"), ((R("0.2"), R("0.2"), R("0.6")), "0.51")):
        out.append(
            _example(
                "cce_" + "_".join(map(str, map(float, prediction))) + "_class3",
                "Categorical cross-entropy",
                "categorical_nll_cce",
                {"K": 3, "y": (0, 0, 1), "a": prediction},
                quoted,
                f"true class 3 predicted with probability {float(prediction[2])}: only the surprise at it counts",
            )
        )
    spread, peaked = (R("0.8"), R("0.1"), R("0.1")), (R("0.8"), R("0.15"), R("0.05"))
    for prediction, note in (
        (spread, "MSE prefers this prediction: the wrong classes are spread evenly"),
        (peaked, "MSE scores this worse, though the true class has the same 0.8"),
    ):
        label = "_".join(str(float(v)) for v in prediction)
        out.append(
            _example(
                f"mse_{label}", "MSE vs CE", "mse_prefers_uniform", {"K": 3, "c": 1, "a": prediction}, None, note, 1
            )
        )
        out.append(
            _example(
                f"ce_{label}",
                "MSE vs CE",
                "categorical_nll_cce",
                {"K": 3, "y": (1, 0, 0), "a": prediction},
                None,
                "cross-entropy sees only the true class: the surprise at 0.8 for both predictions",
            )
        )
    p, q = (R("0.7"), R("0.2"), R("0.1")), (R("0.2"), R("0.5"), R("0.3"))
    for name, first, second, note in (
        ("kl_p_q", p, q, "KL divergence of the second distribution from the first"),
        ("kl_q_p", q, p, "the same two distributions swapped: a different value, so it is no distance"),
    ):
        out.append(_example(name, "KL divergence", "kl_divergence", {"K": 3, "p": first, "q": second}, None, note))
    return tuple(out)


def worked_examples() -> list[WorkedExample]:
    """Every worked example, in the order the site shows them."""
    return list(_all())
