"""The verifier's weak spots of issue 9, each fed a wrong relation and seen rejected with a report, never an exception.

* a strict inequality at its equality point (D_KL(p||q) > 0 at p = q);
* a bound false only where two variables are extreme together (z large with y = 0);
* a limit right at 1e60 but wrong in the limit;
* a step that leaves the reals (or is undefined, or cannot be evaluated);
* an equality case that is not one.
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import sigmoid
from derive.model.derivation import Derivation, Step, eq
from derive.model.domain import CLASS_COUNT, LABEL, LOGIT, PROBABILITY, PROBABILITY_VECTOR, Domain
from derive.model.symbols import K, k, p, pv, qv, y, z
from derive.verify.check import CheckReport
from derive.verify.intervals import prove_inequality

SIMPLEX = Domain({K: CLASS_COUNT, pv: PROBABILITY_VECTOR, qv: PROBABILITY_VECTOR})
KL = sp.Sum(pv[k] * sp.log(pv[k] / qv[k]), (k, 1, K))
CROSS = -sp.Sum(pv[k] * sp.log(qv[k]), (k, 1, K))
ENTROPY = -sp.Sum(pv[k] * sp.log(pv[k]), (k, 1, K))


def _report(step: Step, domain: Domain, points: int = 200) -> CheckReport:
    return Derivation("probe", "probe", domain, (), (step,)).check(points=points)


def _rejected(step: Step, domain: Domain, *words: str) -> str:
    report = _report(step, domain)
    assert not report.passed
    failure = report.first_failure
    assert failure is not None
    text = failure.describe()
    for word in words:
        assert word in text, text
    return text


def test_strict_inequalities_fail_at_their_equality_point() -> None:
    _rejected(Step(sp.Gt(KL, 0), "Gibbs, stated too strongly"), SIMPLEX, "p=", "q=")
    _rejected(Step(sp.Gt(CROSS, ENTROPY), "stated too strongly"), SIMPLEX)
    # the non-strict forms hold, equality included
    assert _report(Step(sp.Ge(KL, 0), "Gibbs", equality_cases=({qv: pv},)), SIMPLEX).passed
    assert _report(Step(sp.Ge(CROSS, ENTROPY), "Gibbs", equality_cases=({qv: pv},)), SIMPLEX).passed


def test_a_stated_equality_case_must_be_tight() -> None:
    uniform = sp.Lambda(k, 1 / K)
    text = _rejected(
        Step(sp.Ge(KL, 0), "Gibbs", equality_cases=({qv: uniform},)), SIMPLEX, "equality at its stated case"
    )
    assert "`q[k] = 1/K`" in text
    ok = Step(sp.Le(ENTROPY, sp.log(K)), "H <= ln K", equality_cases=({pv: uniform},))
    assert _report(ok, Domain({K: CLASS_COUNT, pv: PROBABILITY_VECTOR})).passed


def test_scalar_equality_case_of_the_sigmoid_slope() -> None:
    slope = sp.Derivative(sigmoid(z), z)
    assert _report(
        Step(sp.Le(slope, sp.Rational(1, 4)), "max at 0", equality_cases=({z: 0},)), Domain({z: LOGIT})
    ).passed
    wrong = Step(sp.Le(slope, sp.Rational(1, 4)), "max at 1", equality_cases=({z: 1},))
    _rejected(wrong, Domain({z: LOGIT}), "equality at its stated case `z = 1`")


def test_a_bound_false_only_at_a_joint_extreme_is_rejected() -> None:
    """|dBCE/dz| = |sigma(z) - y| <= 1 - 1e-8 fails only for z >= 19 with y = 0 (or z <= -19 with y = 1)."""
    bce = -y * sp.log(sigmoid(z)) - (1 - y) * sp.log(1 - sigmoid(z))
    bound = sp.Le(sp.Abs(sp.Derivative(bce, z)), 1 - sp.Rational(1, 10**8))
    text = _rejected(Step(bound, "too tight"), Domain({z: LOGIT, y: LABEL, p: PROBABILITY}), "relative error")
    assert "z=30" in text.replace(".0", "") or "z=-30" in text.replace(".0", "")


def test_a_limit_right_at_1e60_but_wrong_in_the_limit_is_rejected() -> None:
    far = sp.Limit(sp.exp(-z / sp.Integer(10) ** 80), z, sp.oo)
    _rejected(Step(eq(far, 1), "wrong", symbolic=False), Domain({z: LOGIT}), "result 1")
    # ... even where SymPy is not asked: the values along the sequence drift apart
    report = _report(Step(eq(far, 1), "wrong", symbolic=False), Domain({z: LOGIT}), points=4)
    assert "do not settle" in report.first_failure.describe() or "SymPy computes the limit as `0`" in (
        report.first_failure.describe()
    )
    assert _report(Step(eq(sp.Limit(1 / z, z, sp.oo), 0), "right"), Domain({z: LOGIT})).passed


def test_a_limit_sympy_computes_differently_is_rejected() -> None:
    """The sequence alone is fooled by a function that moves only beyond 1e60; SymPy's limit is not."""
    late = sp.Limit(sp.exp(-(sp.Integer(10) ** 70) / z), z, sp.oo)  # about 0 up to z = 1e60, then 1
    text = _rejected(Step(eq(late, 0), "wrong", symbolic=False), Domain({z: LOGIT}), "SymPy computes the limit as `1`")
    assert "do not settle" not in text


def test_a_step_that_leaves_the_reals_is_a_failed_report() -> None:
    leaves = Step(eq(sp.sqrt(sigmoid(z) - 1), sp.sqrt(1 - sigmoid(z)) * sp.I), "a wrong move into the complex plane")
    _rejected(leaves, Domain({z: LOGIT}))
    ordering = Step(sp.Le(sp.log(sigmoid(z) - 1), 0), "log of a negative number")
    _rejected(ordering, Domain({z: LOGIT}), "not a finite real number")
    undefined = Step(eq(1 / (z - z), 1), "division by zero", symbolic=False)
    _rejected(undefined, Domain({z: LOGIT}))


def test_a_step_the_evaluator_cannot_read_is_a_failed_report() -> None:
    f = sp.Function("f")
    _rejected(Step(eq(f(z), z), "an unknown function without a model"), Domain({z: LOGIT}), "cannot")


def test_reports_carry_the_certified_bound_and_status() -> None:
    product = sp.Mul(sp.exp(z), sp.exp(z), evaluate=False)
    report = _report(Step(eq(sp.exp(2 * z), product), "exp rule", symbolic=False), Domain({z: LOGIT}))
    (relation,) = report.relations
    assert relation.passed and relation.max_rel_error < 1e-50
    assert relation.status == "proved symbolically"  # the targeted rewrites run even where simplify would not
    assert any("certified ball arithmetic" in m for m in relation.methods)
    # an unknown function taken as a model is checked, never proved
    f = sp.Function("f")
    modelled = Step(eq(f(2 * z), 2 * f(z)), "f is linear", model={f: sp.Lambda(p, 3 * p)})
    (relation,) = _report(modelled, Domain({z: LOGIT})).relations
    assert relation.passed and relation.status == f"checked at {relation.points} points"


def test_inequalities_proved_by_interval_arithmetic_say_so() -> None:
    slope = sp.Derivative(sigmoid(z), z)
    proved = _report(Step(sp.Le(slope, sp.Rational(1, 4)), "max at 0", equality_cases=({z: 0},)), Domain({z: LOGIT}))
    (relation,) = proved.relations
    # a square completed proves it symbolically now (derive.verify.inequalities); bisection also would
    assert relation.status == "proved symbolically"
    assert prove_inequality(proved_relation := sp.Le(slope, sp.Rational(1, 4)), Domain({z: LOGIT}), ({z: 0},))
    assert proved_relation == relation.relation
    # a bound that is false somewhere is never "proved", and the points find where
    false = _report(Step(sp.Le(slope, sp.Rational(1, 5)), "too low"), Domain({z: LOGIT}))
    assert not false.passed and false.relations[0].status.startswith("checked at")
