"""Claims about gradients through softmax: the verifier accepts the derived ones and rejects the wrong ones."""

from __future__ import annotations

import mpmath
import sympy as sp

import derive
from derive.catalogue.mse_uniform import explicit_lagrange_share
from derive.catalogue.softmax_grads import P, sum_over_others
from derive.model.activations import softmax
from derive.model.derivation import Derivation, Step, eq
from derive.model.domain import CLASS_COUNT, INDEX, LABEL_VECTOR, LOGIT_VECTOR, Domain, one_hot_at
from derive.model.symbols import K, av, c, i, k, yv, zv
from derive.verify.evaluate import evaluate

ONE_HOT = Domain({K: CLASS_COUNT, P: INDEX, zv: LOGIT_VECTOR, yv: one_hot_at(P)})
ANY_LABEL = Domain({K: CLASS_COUNT, i: INDEX, zv: LOGIT_VECTOR, yv: LABEL_VECTOR})


def _verdict(relation: sp.Basic, domain: Domain) -> bool:
    probe = Derivation("probe", "probe", domain, (), (Step(relation, "under test"),))
    return probe.check(points=200).passed


def _a(index: sp.Expr) -> sp.Expr:
    return softmax(zv, index, K)


def test_source_mse_gradient_keeps_only_the_direct_path_and_is_rejected() -> None:
    mse = derive.get("mse_softmax_grad").result.lhs.expr
    gradient_p = sp.Derivative(mse, zv[P])
    derived = -2 * _a(P) * ((1 - _a(P)) ** 2 + sum_over_others(_a(k) ** 2, k, P, K))
    source = -2 * _a(P) * (1 - _a(P)) ** 2
    assert _verdict(eq(gradient_p, derived), ONE_HOT)
    assert not _verdict(eq(gradient_p, source), ONE_HOT)


def test_the_catalogue_states_the_source_formula_only_with_its_shortfall() -> None:
    d = derive.get("mse_softmax_grad")
    source = -2 * _a(P) * (1 - _a(P)) ** 2
    shortfall = d.results[2]
    assert shortfall.rhs == -2 * _a(P) * sum_over_others(_a(k) ** 2, k, P, K)
    assert sp.expand(shortfall.lhs - d.results[1].lhs) == sp.expand(-source)
    assert not any(isinstance(r, sp.Eq) and r.rhs == source and r.lhs.has(sp.Derivative) for r in d.results)


def test_prediction_minus_label_is_rejected_off_the_simplex() -> None:
    gradient = derive.get("cce_softmax_grad").result.lhs
    assert _verdict(eq(gradient, _a(i) * sp.Sum(yv[k], (k, 1, K)) - yv[i]), ANY_LABEL)
    assert not _verdict(eq(gradient, _a(i) - yv[i]), ANY_LABEL)


def test_mse_gradient_without_its_cross_term_is_rejected() -> None:
    gradient = derive.get("mse_softmax_grad").result.lhs
    cross = sp.Sum(_a(k) * (_a(k) - yv[k]), (k, 1, K))
    assert _verdict(eq(gradient, 2 * _a(i) * ((_a(i) - yv[i]) - cross)), ANY_LABEL)
    # Only the diagonal of the Jacobian, a_i (1 - a_i): the paths through the other a_k are lost.
    assert not _verdict(eq(gradient, 2 * (_a(i) - yv[i]) * _a(i) * (1 - _a(i))), ANY_LABEL)
    # The cross term with a flipped sign.
    assert not _verdict(eq(gradient, 2 * _a(i) * ((_a(i) - yv[i]) + cross)), ANY_LABEL)


def test_sparse_gradient_needs_the_delta() -> None:
    domain = Domain({K: CLASS_COUNT, c: INDEX, i: INDEX, zv: LOGIT_VECTOR})
    gradient = sp.Derivative(-sp.log(_a(c)), zv[i])
    assert _verdict(eq(gradient, _a(i) - sp.KroneckerDelta(i, c)), domain)
    assert not _verdict(eq(gradient, _a(i) - 1), domain)


def test_mse_minimum_matches_the_even_split_example() -> None:
    """Label (1, 0, 0): (0.8, 0.1, 0.1) scores 0.06, the least MSE for a_1 = 0.8; (0.8, 0.15, 0.05) scores 0.065."""
    d = derive.get("mse_prefers_uniform")
    bound, ce = d.result, d.results[3].rhs
    env = {K: 3, P: 1, yv: [None, 1, 0, 0]}
    with mpmath.workdps(50):
        first, second = ([None, *(mpmath.mpf(x) for x in v)] for v in (("0.8", "0.1", "0.1"), ("0.8", "0.15", "0.05")))
        assert mpmath.almosteq(evaluate(bound.rhs, {**env, av: first}), mpmath.mpf("0.06"), 1e-40)
        assert mpmath.almosteq(evaluate(bound.lhs, {**env, av: first}), mpmath.mpf("0.06"), 1e-40)
        assert mpmath.almosteq(evaluate(bound.lhs, {**env, av: second}), mpmath.mpf("0.065"), 1e-40)
        # Cross-entropy reads a_1 alone: both predictions score -ln 0.8.
        for prediction in (first, second):
            assert mpmath.almosteq(evaluate(ce, {**env, av: prediction}), -mpmath.log(mpmath.mpf("0.8")), 1e-40)


def test_the_mse_bound_is_attained_so_a_larger_one_is_rejected() -> None:
    d = derive.get("mse_prefers_uniform")
    assert _verdict(d.result, d.domain)
    # At the uniform point of the simplex the even split holds and MSE equals the bound.
    assert not _verdict(sp.Ge(d.result.lhs, d.result.rhs * (1 + sp.Rational(1, 10**9))), d.domain)


def test_explicit_lagrange_systems_give_equal_shares() -> None:
    a_1 = av[1]
    for classes in (2, 3, 5):
        assert sp.expand(explicit_lagrange_share(classes) - (1 - a_1) / (classes - 1)) == 0
