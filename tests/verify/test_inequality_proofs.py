"""The symbolic inequality methods (derive.verify.inequalities): true ones proved, wrong ones never."""

from __future__ import annotations

import sympy as sp

from derive.model.activations import sigmoid
from derive.verify.inequalities import prove_by_rules

z = sp.Symbol("z")  # as the catalogue: no assumptions, the domain states the range
y, t, v = sp.symbols("y t v")
K = sp.Symbol("K", integer=True, positive=True)
k = sp.Symbol("k", integer=True, positive=True)
p, q, w = sp.IndexedBase("p"), sp.IndexedBase("q"), sp.IndexedBase("w")
LOGIT = (sp.Contains(z, sp.Reals),)
LABEL = (sp.Contains(z, sp.Reals), 0 <= y, y <= 1)
POSITIVE = (t > 0,)
VECTORS = (K >= 2, 0 < p[k], p[k] < 1, 0 < q[k], q[k] < 1, sp.Contains(w[k], sp.Reals))
slope = sp.Derivative(sigmoid(z), z)


def test_square_completed_proves_the_slope_bound_and_not_a_wrong_constant() -> None:
    assert "square" in prove_by_rules(sp.Le(slope, sp.Rational(1, 4)), LOGIT, ({z: 0},))
    assert prove_by_rules(sp.Le(slope, sp.Rational(1, 5)), LOGIT) is None
    assert prove_by_rules(sp.Ge(slope, sp.Rational(1, 4)), LOGIT) is None  # reversed
    assert prove_by_rules(sp.Lt(slope, sp.Rational(1, 4)), LOGIT) is None  # strict, but equal at z = 0


def test_sign_by_factors_needs_every_factor_signed() -> None:
    assert prove_by_rules(sp.Gt(sigmoid(z) * (1 - sigmoid(z)), 0), LOGIT) is not None
    assert prove_by_rules(sp.Gt(sigmoid(z) * (1 - sigmoid(z)) * (sigmoid(z) - y), 0), LABEL) is None
    assert prove_by_rules(sp.Gt(sigmoid(z) * v, 0), (*LOGIT, sp.Contains(v, sp.Reals))) is None
    assert prove_by_rules(sp.Lt(sigmoid(z) * (1 - sigmoid(z)), 0), LOGIT) is None
    # |sigma(z) - y| <= 1 holds for a label in [0, 1]; < 1 fails at z -> -oo with y = 1 (never shown strictly).
    assert prove_by_rules(sp.Le(sp.Abs(sigmoid(z) - y), 1), LABEL) is not None
    assert prove_by_rules(sp.Le(sp.Abs(sigmoid(z) - y), sp.Rational(1, 2)), LABEL) is None
    assert prove_by_rules(sp.Le(sp.Abs(sigmoid(z) - 2 * y), 1), LABEL) is None


def test_a_sign_on_a_bounded_logit_is_certified_at_the_exact_bound() -> None:
    curvature = sp.Derivative((sigmoid(z) - 1) ** 2 / 2, (z, 2))  # changes sign at z = -ln 2
    right = (sp.Float(-0.6931471805599453) < z, z < 30)  # the float bound lies above -ln 2: right of the zero
    left = (-30 < z, z < sp.Float(-0.6931471805599453))  # includes a sliver right of -ln 2, where it is positive
    assert prove_by_rules(sp.Gt(curvature, 0), right) is not None
    assert prove_by_rules(sp.Lt(curvature, 0), left) is None
    assert prove_by_rules(sp.Lt(curvature, 0), (-30 < z, z < -1)) is not None
    assert prove_by_rules(sp.Gt(curvature, 0), (-30 < z, z < -1)) is None


def test_monotonicity_about_the_equality_case() -> None:
    rule = sp.Le(sp.log(t), t - 1)
    assert prove_by_rules(rule, POSITIVE, ({t: 1},)).startswith("monotonicity")
    assert prove_by_rules(rule, POSITIVE) is None  # no stated equality case: no centre
    assert prove_by_rules(sp.Lt(sp.log(t), t - 1), POSITIVE, ()) is None  # strict: false at t = 1
    assert prove_by_rules(sp.Ge(sp.log(t), t - 1), POSITIVE, ({t: 1},)) is None  # reversed
    assert prove_by_rules(sp.Le(sp.log(t), t - 1), POSITIVE, ({t: 2},)) is None  # a wrong centre
    assert prove_by_rules(sp.Le(sp.log(t), (t - 1) / 2), POSITIVE, ({t: 1},)) is None  # false for t > 1


def test_the_log_rule_termwise_needs_non_negative_weights() -> None:
    gibbs = sp.Le(-sp.Sum(p[k] * sp.log(p[k] / q[k]), (k, 1, K)), sp.Sum(p[k] * (q[k] / p[k] - 1), (k, 1, K)))
    assert "termwise" in prove_by_rules(gibbs, VECTORS)
    reversed_gibbs = sp.Ge(gibbs.lhs, gibbs.rhs)
    assert prove_by_rules(reversed_gibbs, VECTORS) is None
    assert prove_by_rules(sp.Lt(gibbs.lhs, gibbs.rhs), VECTORS, ()) is None  # strict: equal at p = q
    signed = sp.Le(-sp.Sum(w[k] * sp.log(p[k] / q[k]), (k, 1, K)), sp.Sum(w[k] * (q[k] / p[k] - 1), (k, 1, K)))
    assert prove_by_rules(signed, VECTORS) is None  # a weight that may be negative


def test_the_rule_closed_by_the_domains_sums_only_where_the_domain_fixes_them() -> None:
    from derive.verify.normal_form import domain_identities

    divergence = sp.Ge(sp.Sum(p[k] * (sp.log(p[k]) - sp.log(q[k])), (k, 1, K)), 0)
    both = (*VECTORS, sp.Eq(sp.Sum(p[k], (k, 1, K)), 1), sp.Eq(sp.Sum(q[k], (k, 1, K)), 1))
    assert "domain's sums" in prove_by_rules(divergence, both, (), domain_identities(both))
    only_p = (*VECTORS, sp.Eq(sp.Sum(p[k], (k, 1, K)), 1))  # q need not sum to 1: D_KL may be negative
    assert prove_by_rules(divergence, only_p, (), domain_identities(only_p)) is None
    assert prove_by_rules(sp.Gt(divergence.lhs, 0), both, (), domain_identities(both)) is None  # zero at p = q
    entropy = sp.Le(-sp.Sum(p[k] * sp.log(p[k]), (k, 1, K)), sp.log(K))
    assert prove_by_rules(entropy, both, (), domain_identities(both)) is not None
    assert prove_by_rules(sp.Le(entropy.lhs, sp.log(K) / 2), both, (), domain_identities(both)) is None
    assert prove_by_rules(sp.Ge(entropy.lhs, sp.log(K)), both, (), domain_identities(both)) is None


def test_a_model_is_used_in_a_proof_only_where_the_derivation_defines_the_function_by_it() -> None:
    from derive.model.derivation import Derivation, Step
    from derive.model.domain import LOGIT, Domain
    from derive.verify.prove import prove_step

    f = sp.Function("f")
    domain = Domain({z: LOGIT})
    claim = Step(sp.Le(f(z), sp.Rational(1, 4)), "f is at most a quarter", model={f: sp.Lambda(z, slope.doit())})
    defined = Step(sp.Eq(f(z), sigmoid(z) * (1 - sigmoid(z))), "define f")
    assert prove_step(claim, Derivation("probe", "probe", domain, (), (defined, claim)))[0] is not None
    assert prove_step(claim, Derivation("probe", "probe", domain, (), (claim,)))[0] is None  # a family only
    other = Step(sp.Eq(f(z), sigmoid(z)), "define f otherwise")
    assert prove_step(claim, Derivation("probe", "probe", domain, (), (other, claim)))[0] is None


def test_a_variance_needs_weights_that_are_non_negative_and_sum_to_one() -> None:
    from derive.verify.variance import prove_variance

    a, u = sp.IndexedBase("a"), sp.IndexedBase("u")
    sums = (sp.Eq(sp.Sum(a[k], (k, 1, K)), 1), sp.Eq(sp.Sum(u[k], (k, 1, K)), 1))
    facts = (K >= 2, 0 < a[k], a[k] < 1, sp.Contains(u[k], sp.Reals), sp.Contains(w[k], sp.Reals), *sums)

    def form(weight: sp.IndexedBase, scale: int = 1) -> sp.Expr:
        return sp.Sum(weight[k] * w[k] ** 2, (k, 1, K)) - scale * sp.Sum(weight[k] * w[k], (k, 1, K)) ** 2

    assert prove_variance(sp.Ge(form(a), 0), facts) is not None
    assert prove_variance(sp.Le(form(a), 0), facts) is None  # reversed
    assert prove_variance(sp.Ge(form(u), 0), facts) is None  # a weight that may be negative
    assert prove_variance(sp.Ge(form(a, 2), 0), facts) is None  # a wrong constant
    no_sum = (K >= 2, 0 < a[k], a[k] < 1, sp.Contains(w[k], sp.Reals))
    assert prove_variance(sp.Ge(form(a), 0), no_sum) is None  # weights not summing to one


def test_the_numeric_check_still_rejects_what_the_methods_refuse() -> None:
    from derive.model.derivation import Derivation, Step
    from derive.model.domain import Domain
    from derive.model.kinds import LABEL, LOGIT
    from derive.model.kinds import POSITIVE as POSITIVE_KIND

    wrong = [
        (Step(sp.Le(slope, sp.Rational(1, 5)), "too low"), Domain({z: LOGIT})),
        (Step(sp.Ge(sp.log(t), t - 1), "reversed", equality_cases=({t: 1},)), Domain({t: POSITIVE_KIND})),
        (Step(sp.Gt(sigmoid(z) * (sigmoid(z) - y), 0), "a factor of either sign"), Domain({z: LOGIT, y: LABEL})),
    ]
    for step, domain in wrong:
        report = Derivation("probe", "probe", domain, (), (step,)).check(points=20)
        assert not report.passed and report.relations[0].status.startswith("checked at"), step.why
