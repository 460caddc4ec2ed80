"""The verifier must be able to fail: wrong formulas are rejected."""

from __future__ import annotations

import sympy as sp

import derive
from derive.model.activations import sigmoid, softmax
from derive.model.derivation import Derivation, Step, eq
from derive.model.domain import CLASS_COUNT, INDEX, LABEL_VECTOR, LOGIT, LOGIT_VECTOR, PROBABILITY, Domain
from derive.model.symbols import K, i, j, k, yv, z, zv


def _verdict(relation: sp.Basic, domain: Domain) -> bool:
    d = Derivation("probe", "probe", domain, (), (Step(relation, "under test"),))
    return d.check(points=200).passed


def test_sigmoid_rule_without_its_factor_is_rejected() -> None:
    domain = Domain({z: LOGIT})
    assert _verdict(eq(sp.Derivative(sigmoid(z), z), sigmoid(z) * (1 - sigmoid(z))), domain)
    assert not _verdict(eq(sp.Derivative(sigmoid(z), z), sigmoid(z)), domain)
    assert not _verdict(eq(sp.Derivative(sigmoid(z), z), -sigmoid(z) * (1 - sigmoid(z))), domain)


def test_cross_entropy_gradient_needs_the_label_sum_off_the_simplex() -> None:
    loss = -sp.Sum(yv[k] * sp.log(softmax(zv, k, K)), (k, 1, K))
    grad = sp.Derivative(loss, zv[i])
    domain = Domain({K: CLASS_COUNT, i: INDEX, zv: LOGIT_VECTOR, yv: LABEL_VECTOR})
    right = softmax(zv, i, K) * sp.Sum(yv[k], (k, 1, K)) - yv[i]
    assert _verdict(eq(grad, right), domain)
    # a - y is right only on the simplex: labels drawn off it expose it.
    assert not _verdict(eq(grad, softmax(zv, i, K) - yv[i]), domain)
    assert not _verdict(eq(grad, yv[i] - softmax(zv, i, K) * sp.Sum(yv[k], (k, 1, K))), domain)


def test_softmax_jacobian_without_cross_term_is_rejected() -> None:
    domain = Domain({K: CLASS_COUNT, i: INDEX, j: INDEX, zv: LOGIT_VECTOR})
    derivative = sp.Derivative(softmax(zv, i, K), zv[j])
    assert not _verdict(eq(derivative, softmax(zv, i, K) * sp.KroneckerDelta(i, j)), domain)
    assert not _verdict(eq(derivative, softmax(zv, i, K) * (1 - softmax(zv, j, K))), domain)


def test_small_relative_errors_are_caught() -> None:
    domain = Domain({z: LOGIT})
    assert not _verdict(eq(sigmoid(z), 1 / (1 + sp.exp(-z)) * (1 + sp.Float("1e-10"))), domain)


def test_inequalities_can_fail() -> None:
    from derive.model.symbols import p

    domain = Domain({p: PROBABILITY})
    assert _verdict(sp.Le(-sp.log(p), 1 / p), domain)
    assert not _verdict(sp.Le(1 / p, -sp.log(p)), domain)


def test_report_names_the_failing_point() -> None:
    domain = Domain({z: LOGIT})
    d = Derivation("probe", "probe", domain, (), (Step(eq(sigmoid(z), sp.S.Half), "wrong"),))
    failure = d.check().first_failure
    assert failure is not None and "z=" in failure.describe()


def test_builtin_rules_agree_with_the_catalogue() -> None:
    sig = derive.get("sigmoid_derivative").result
    assert sp.diff(sigmoid(z), z) == sig.rhs
    jac = derive.get("softmax_jacobian").result
    assert sp.expand(sp.diff(softmax(zv, i, K), zv[j]) - jac.rhs) == 0


def test_strict_inequality_must_hold_by_more_than_the_noise() -> None:
    """sigma'(z) < 1/4 is false at z = 0 (a hard point), even though finite differences land just below."""
    domain = Domain({z: LOGIT})
    assert _verdict(sp.Le(sp.Derivative(sigmoid(z), z), sp.Rational(1, 4)), domain)
    assert not _verdict(sp.Lt(sp.Derivative(sigmoid(z), z), sp.Rational(1, 4)), domain)


def test_slowly_decaying_limits_are_accepted_and_wrong_ones_rejected() -> None:
    domain = Domain({z: LOGIT})
    assert _verdict(eq(sp.Limit(1 / z, z, sp.oo), 0), domain)
    assert _verdict(eq(sp.Limit(1 / sp.sqrt(z), z, sp.oo), 0), domain)
    assert not _verdict(eq(sp.Limit(1 + 1 / z, z, sp.oo), 0), domain)


def test_exact_relations_are_held_to_more_digits_than_gradients() -> None:
    """Without finite differences, a relative error of 1e-15 is far above 60-digit noise: rejected."""
    domain = Domain({z: LOGIT})
    off = sigmoid(z) * (1 - sigmoid(z)) * (1 + sp.Float("1e-15", 60))
    assert not _verdict(eq(sp.exp(-z) / (1 + sp.exp(-z)) ** 2, off), domain)
    assert _verdict(eq(sp.exp(-z) / (1 + sp.exp(-z)) ** 2, sigmoid(z) * (1 - sigmoid(z))), domain)
