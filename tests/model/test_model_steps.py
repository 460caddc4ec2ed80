"""Steps about unknown functions (Step.model), and wrong information-theory and likelihood claims, are rejected."""

from __future__ import annotations

import pytest
import sympy as sp

import derive
from derive.catalogue.divergence import D, definitions
from derive.catalogue.information import INFORMATION_FAMILY, C, I
from derive.catalogue.likelihood import outputs, targets
from derive.errors import DerivationError
from derive.model.derivation import Derivation, Step, eq
from derive.model.domain import PROBABILITY, Domain
from derive.model.symbols import K, av, k, m, n, p, pv, q, qv, sigma, yv
from derive.recipes.losses import H2, H


def _verdict(relation: sp.Basic, name: str, model: dict | None = None, where: dict | None = None) -> bool:
    """Put ``relation`` in place of the results of the catalogue entry ``name`` and check it."""
    original = derive.get(name)
    step = Step(relation, "a claim under test", where=where or {}, model=model or {})
    trial = Derivation("trial", "trial", original.domain, (), (step,))
    report = trial.check(points=200)
    if not report.passed:
        # rejected for a wrong value, not because something could not be evaluated
        assert report.first_failure.message == "", report.first_failure.describe()
    return report.passed


def test_the_model_is_used_and_named() -> None:
    report = derive.get("self_information").check(points=20)
    assert report.passed
    assert any("I(t) = -C*log(t)" in method for method in report.methods)


def test_a_wrong_chain_rule_is_rejected_under_the_model() -> None:
    missing_factor = eq(sp.Derivative(I(p * q), q), sp.Subs(sp.Derivative(I(t := sp.Dummy("t")), t), t, p * q))
    assert not _verdict(missing_factor, "self_information", model=INFORMATION_FAMILY)


def test_a_step_about_an_unknown_function_needs_a_model() -> None:
    report = Derivation(
        "trial", "trial", Domain({p: PROBABILITY, q: PROBABILITY}), (), (Step(eq(I(p * q), I(p) + I(q)), "postulate"),)
    ).check(points=5)
    assert not report.passed
    assert "cannot be evaluated" in report.first_failure.message


def test_the_model_symbols_need_kinds() -> None:
    with pytest.raises(DerivationError, match="C has no kind"):
        Derivation(
            "trial",
            "trial",
            Domain({p: PROBABILITY}),
            (),
            (Step(eq(I(p), -C * sp.log(p)), "x", model=INFORMATION_FAMILY),),
        )


def test_a_model_that_is_not_additive_is_caught() -> None:
    """The postulate itself is checked: a family that is not additive fails it."""
    wrong = {I: sp.Lambda(sp.Symbol("t", positive=True), C * (1 - sp.Symbol("t", positive=True)))}
    assert not _verdict(eq(I(p * q), I(p) + I(q)), "self_information", model=wrong)


ENTROPY = {H: sp.Lambda(pv, derive.get("entropy").result.rhs)}
DIVERGENCE = {**definitions(), D: sp.Lambda((pv, qv), derive.get("kl_divergence").result.rhs)}


@pytest.mark.parametrize(
    ("name", "claim", "model"),
    [
        ("self_information", eq(I(p) / I(sp.exp(-1)), -sp.log(p) / 2), INFORMATION_FAMILY),
        ("self_information", eq(I(p) / I(sp.Rational(1, 2)), -sp.log(p) * sp.log(2)), INFORMATION_FAMILY),
        ("entropy", sp.Le(H(pv), sp.log(K) - sp.Rational(1, 100)), ENTROPY),
        ("entropy", eq(H(pv), -sp.Sum(sp.log(pv[k]), (k, 1, K))), ENTROPY),
        ("kl_divergence", sp.Le(D(pv, qv), 0), DIVERGENCE),
        ("kl_divergence", eq(D(pv, qv), H2(pv, qv) + H(pv)), DIVERGENCE),
    ],
)
def test_wrong_information_claims_are_rejected(name: str, claim: sp.Basic, model: dict) -> None:
    assert not _verdict(claim, name, model=model)


def test_wrong_likelihood_claims_are_rejected() -> None:
    nll = derive.get("gaussian_nll_mse").result.lhs
    squares = sp.Sum((targets[n] - outputs[n]) ** 2, (n, 1, m))
    halved_missing = squares / sigma**2 + m * sp.log(sigma) + m * sp.log(2 * sp.pi) / 2
    assert not _verdict(eq(nll, halved_missing), "gaussian_nll_mse")
    bce = derive.get("bernoulli_nll_bce").result
    assert not _verdict(eq(bce.lhs, -bce.rhs), "bernoulli_nll_bce")
    cce = derive.get("categorical_nll_cce").result
    assert not _verdict(eq(cce.lhs, -sp.Sum(yv[k] * sp.log(1 - av[k]), (k, 1, K))), "categorical_nll_cce")


def test_calculus_steps_are_checked_on_a_function_that_is_not_additive() -> None:
    """Under the solution family -C ln t anything additivity implies passes; the generic family catches it."""
    from derive.catalogue.information import GENERIC_FAMILY

    needs_additivity = eq(I(p), I(p**2) / 2)
    assert _verdict(needs_additivity, "self_information", model=INFORMATION_FAMILY)
    assert not _verdict(needs_additivity, "self_information", model=GENERIC_FAMILY)
    missing_factor = eq(sp.Derivative(I(p * q), q), sp.Subs(sp.Derivative(I(t := sp.Dummy("t")), t), t, p * q))
    assert not _verdict(missing_factor, "self_information", model=GENERIC_FAMILY)


def test_kl_only_if_bound_is_tight_enough_to_fail() -> None:
    """D_KL >= sum_k p_k (p_k - q_k)^2 / (2 (p_k + q_k)^2) holds; eight times that bound does not."""
    squares = derive.get("kl_divergence").results[3].rhs
    assert _verdict(sp.Ge(D(pv, qv), squares), "kl_divergence", model=DIVERGENCE)
    assert not _verdict(sp.Ge(D(pv, qv), 8 * squares), "kl_divergence", model=DIVERGENCE)


def test_a_step_or_result_that_derives_nothing_is_refused() -> None:
    same = Step(eq(p**2, p**2), "nothing")
    with pytest.raises(DerivationError, match="both sides are the same expression"):
        Derivation("trial", "trial", Domain({p: PROBABILITY}), (same,), (Step(eq(sp.log(p**2), 2 * sp.log(p)), "x"),))
    twice = Step(eq(sp.log(p**2), 2 * sp.log(p)), "expand_log")
    with pytest.raises(DerivationError, match="stated twice"):
        Derivation("trial", "trial", Domain({p: PROBABILITY}), (), (twice, twice))
