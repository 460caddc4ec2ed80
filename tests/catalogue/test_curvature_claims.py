"""Wrong versions of the curvature, shift, smoothing and exponential-family claims are rejected."""

from __future__ import annotations

import sympy as sp

from derive.catalogue.exponential_family import FINITE_FAMILY, A, T, density, eta, y
from derive.catalogue.glm import prediction as f
from derive.catalogue.glm import scale, target
from derive.catalogue.label_smoothing import eps, smoothed
from derive.catalogue.logsumexp import log_sum_exp
from derive.model.activations import sigmoid, softmax
from derive.model.derivation import Derivation, Step, eq
from derive.model.domain import (
    CLASS_COUNT,
    INDEX,
    LOGIT,
    LOGIT_VECTOR,
    POSITIVE,
    PROBABILITY_VECTOR,
    Domain,
    apart_from,
    in_interval,
)
from derive.model.symbols import K, b, i, j, k, yv, z, zv
from derive.recipes.curvature_kinds import MODERATE_LOGIT_VECTOR


def _passes(step: Step, domain: Domain) -> bool:
    return Derivation("probe", "probe", domain, (), (step,)).check(points=200).passed


def test_logsumexp_without_the_shift_is_rejected() -> None:
    domain = Domain({K: CLASS_COUNT, zv: LOGIT_VECTOR, b: LOGIT})
    assert _passes(Step(eq(log_sum_exp(b), b + log_sum_exp()), "right"), domain)
    # The textbook statement: log sum exp(z_k + b) = log sum exp(z_k).
    assert not _passes(Step(eq(log_sum_exp(b), log_sum_exp()), "textbook, without + b"), domain)
    assert not _passes(Step(eq(log_sum_exp(b), log_sum_exp() - b), "wrong sign"), domain)


def test_softmax_moves_if_only_the_numerator_is_shifted() -> None:
    domain = Domain({K: CLASS_COUNT, i: INDEX, zv: LOGIT_VECTOR, b: LOGIT})
    shifted_numerator = sp.exp(zv[i] + b) / sp.Sum(sp.exp(zv[k]), (k, 1, K))
    assert not _passes(Step(eq(shifted_numerator, softmax(zv, i, K)), "half a shift"), domain)


def test_hessian_without_the_outer_product_is_rejected() -> None:
    loss = -sp.Sum(yv[k] * sp.log(softmax(zv, k, K)), (k, 1, K))
    hessian = sp.Derivative(loss, zv[i], zv[j])
    domain = Domain({K: CLASS_COUNT, i: INDEX, j: INDEX, zv: MODERATE_LOGIT_VECTOR, yv: PROBABILITY_VECTOR})
    a_i, a_j = softmax(zv, i, K), softmax(zv, j, K)
    assert _passes(Step(eq(hessian, a_i * (sp.KroneckerDelta(i, j) - a_j)), "right"), domain)
    assert not _passes(Step(eq(hessian, a_i * sp.KroneckerDelta(i, j)), "diag(a) only"), domain)
    assert not _passes(Step(eq(hessian, a_i * (1 - a_i) * sp.KroneckerDelta(i, j)), "diagonal only"), domain)


def test_squared_error_through_sigmoid_is_not_convex() -> None:
    curvature = sp.Derivative((sigmoid(z) - 1) ** 2 / 2, (z, 2))
    assert not _passes(Step(sp.Ge(curvature, 0), "claimed convex"), Domain({z: in_interval(-10, 10)}))
    bce = -sp.log(sigmoid(z))
    assert _passes(Step(sp.Ge(sp.Derivative(bce, (z, 2)), 0), "BCE is convex"), Domain({z: in_interval(-10, 10)}))


def test_smoothed_gradient_needs_the_uniform_share() -> None:
    loss = -sp.Sum(smoothed(yv[k]) * sp.log(softmax(zv, k, K)), (k, 1, K))
    domain = Domain({K: CLASS_COUNT, i: INDEX, zv: LOGIT_VECTOR, yv: PROBABILITY_VECTOR, eps: in_interval(0, 1)})
    gradient = sp.Derivative(loss, zv[i])
    assert _passes(Step(eq(gradient, softmax(zv, i, K) - smoothed(yv[i])), "right"), domain)
    assert not _passes(Step(eq(gradient, softmax(zv, i, K) - (1 - eps) * yv[i]), "no eps/K"), domain)
    assert not _passes(Step(eq(gradient, softmax(zv, i, K) - yv[i]), "unsmoothed"), domain)


def test_laplace_subgradient_sign_matters() -> None:
    nll = sp.Abs(target - f) / scale + sp.log(2 * scale)
    domain = Domain({f: LOGIT, target: apart_from(f), scale: POSITIVE})
    assert _passes(Step(eq(sp.Derivative(nll, f), sp.sign(f - target) / scale), "right"), domain)
    assert not _passes(Step(eq(sp.Derivative(nll, f), sp.sign(target - f) / scale), "target minus prediction"), domain)
    assert not _passes(Step(eq(sp.Derivative(nll, f), (f - target) / scale), "squared-error gradient"), domain)


def test_exponential_family_gradient_sign_is_checked_on_the_model() -> None:
    from derive.catalogue.exponential_family import statistics, weights

    nll = -sp.log(density(y))
    domain = Domain({K: CLASS_COUNT, y: INDEX, eta: LOGIT, weights: PROBABILITY_VECTOR, statistics: LOGIT_VECTOR})
    right = Step(eq(sp.Derivative(nll, eta), sp.Derivative(A(eta), eta) - T(y)), "right", model=FINITE_FAMILY)
    wrong = Step(eq(sp.Derivative(nll, eta), T(y) - sp.Derivative(A(eta), eta)), "sign flipped", model=FINITE_FAMILY)
    assert _passes(right, domain)
    assert not _passes(wrong, domain)
