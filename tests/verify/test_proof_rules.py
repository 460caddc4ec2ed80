"""The proof methods are sound: wrong relations get no proof, and the numeric check still rejects them.

Each wrong relation is a near miss of one the catalogue proves (a factor
dropped, a sign flipped, a sum that is not 1, a delta collapsed where the
domain does not put the index in range); none may be "proved".
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import softmax
from derive.model.derivation import Derivation, Step
from derive.model.domain import CLASS_COUNT, INDEX, LABEL_VECTOR, LOGIT_VECTOR, PROBABILITY_VECTOR, Domain
from derive.model.symbols import K, av, c, i, j, k, yv, zv
from derive.verify.prove import prove_equal, prove_step
from derive.verify.rules import JACOBIAN_SOURCE, facts_of, holds, resolve_piecewise, rule_normal_form

CE = -sp.Sum(yv[k] * sp.log(softmax(zv, k, K)), (k, 1, K))


def _domain() -> Domain:
    return Domain({K: CLASS_COUNT, i: INDEX, j: INDEX, c: INDEX, zv: LOGIT_VECTOR, yv: LABEL_VECTOR})


def _prove(relation: sp.Eq, domain: Domain | None = None, name: str = "demo") -> str | None:
    step = Step(relation, "under test")
    return prove_step(step, Derivation(name, "demo", domain or _domain(), (), (step,)))[0]


def test_the_rules_prove_the_cross_entropy_gradient() -> None:
    right = sp.Eq(sp.Derivative(CE, zv[i]), softmax(zv, i, K) * sp.Sum(yv[k], (k, 1, K)) - yv[i])
    assert _prove(right) == "sum rules with the softmax Jacobian"


def test_wrong_gradients_get_no_proof_and_fail_the_check() -> None:
    wrong = [
        sp.Eq(sp.Derivative(CE, zv[i]), softmax(zv, i, K) - yv[i]),  # y need not sum to 1 here
        sp.Eq(sp.Derivative(CE, zv[i]), softmax(zv, i, K) * sp.Sum(yv[k], (k, 1, K)) + yv[i]),  # sign flipped
        sp.Eq(sp.Derivative(CE, zv[i]), 2 * softmax(zv, i, K) * sp.Sum(yv[k], (k, 1, K)) - yv[i]),  # a factor 2
        sp.Eq(sp.Sum(softmax(zv, k, K), (k, 1, K - 1)), 1),  # a softmax sums to 1 over all K classes only
        sp.Eq(sp.Sum(softmax(zv, k, K) ** 2, (k, 1, K)), 1),
        sp.Eq(
            sp.Derivative(softmax(zv, i, K), zv[j]), softmax(zv, i, K) * (sp.KroneckerDelta(i, j) - softmax(zv, i, K))
        ),
    ]
    for relation in wrong:
        assert _prove(relation) is None, relation
        derivation = Derivation("demo", "demo", _domain(), (), (Step(relation, "wrong"),))
        assert not derivation.check(points=12).passed, relation


def test_a_delta_collapses_only_where_the_domain_puts_the_index_in_range() -> None:
    collapsed = sp.Eq(sp.Sum(sp.KroneckerDelta(c, k) * sp.log(av[k]), (k, 1, K)), sp.log(av[c]))
    in_range = Domain({K: CLASS_COUNT, c: INDEX, av: PROBABILITY_VECTOR})
    assert _prove(collapsed, in_range) == "sum rules with the softmax Jacobian"
    facts = facts_of(in_range.relations())
    # Over 1..K-1 the class c = K is outside: the sum is 0 there, so no proof.
    short = sp.Sum(sp.KroneckerDelta(c, k) * sp.log(av[k]), (k, 1, K - 1)) - sp.log(av[c])
    assert sp.cancel(rule_normal_form(short, {}, facts)) != 0
    # With no fact about c, nothing collapses either.
    assert sp.cancel(rule_normal_form(collapsed.lhs - collapsed.rhs, {}, frozenset())) != 0


def test_piecewise_conditions_resolve_only_from_stated_facts() -> None:
    piece = sp.Piecewise((sp.log(av[c]), c <= K), (0, True))
    assert resolve_piecewise(piece, facts_of([K >= c])) == sp.log(av[c])
    assert resolve_piecewise(piece, frozenset()) == piece
    assert not holds(c <= K - 1, facts_of([c <= K]))


def test_the_jacobian_is_no_rule_in_the_derivation_that_proves_it() -> None:
    jacobian = sp.Eq(
        sp.Derivative(softmax(zv, i, K), zv[j]), softmax(zv, i, K) * (sp.KroneckerDelta(i, j) - softmax(zv, j, K))
    )
    assert _prove(jacobian) == "sum rules with the softmax Jacobian"
    assert _prove(jacobian, name=JACOBIAN_SOURCE) != "sum rules with the softmax Jacobian"


def test_no_proof_for_wrong_scalar_relations() -> None:
    x = sp.Symbol("x", real=True)
    s = 1 / (1 + sp.exp(-x))
    wrong = [
        sp.Eq(sp.Derivative(s, x), s * (1 - s) * (1 + sp.Rational(1, 10**8))),  # scaled by 1 + 1e-8
        sp.Eq(sp.Derivative(s, x), s * (1 + s)),  # a sign flipped
        sp.Eq(sp.exp(2 * x) / (1 + sp.exp(x)), sp.exp(x)),  # an exp power wrong
        sp.Eq(sp.log(sp.exp(x) + 1), x),  # a term dropped
    ]
    for relation in wrong:
        assert prove_equal(relation) is None, relation
