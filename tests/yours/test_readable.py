"""Results a person can read: the printed size of known losses' gradients is bounded."""

from __future__ import annotations

import dataclasses

import mpmath
import pytest
import sympy as sp

from derive.model.activations import softmax, tempered_softmax
from derive.model.symbols import K, av, i, j, k, n, yv, zv
from derive.printing import latex, pretty
from derive.verify.check import check_relation
from derive.verify.evaluate import evaluate
from derive.yours.readable import same_dummies, with_temperature
from derive.yours.safe_parse import parse_loss, prediction_symbol
from derive.yours.through import gradient_through

# loss, activation, at most this many lines printed as text, at most this many LaTeX characters
KNOWN = {
    "distillation_kl": (
        "beta**2*sum(y[k]*(log(y[k]) - log(a[k]**(1/beta)/sum(a[j]**(1/beta), j))), k)",
        "softmax",
        1,
        80,
    ),
    "symmetric_ce": ("-sum(y[k]*log(a[k]), k) - sum(a[k]*log(y[k]), k)", "softmax", 8, 120),
    "huber": (
        "Piecewise(((a - y)**2/2, abs(a - y) <= delta), (delta*(abs(a - y) - delta/2), True))",
        "identity",
        5,
        150,
    ),
    "focal": ("-(y*(1 - a)**gamma*log(a) + (1 - y)*a**gamma*log(1 - a))", "sigmoid", 2, 190),
    "hinge": ("max(0, 1 - y*a)", "identity", 3, 80),
    "smooth_l1": ("(a-y)**2/(2*beta) if abs(a - y) < beta else abs(a - y) - beta/2", "identity", 7, 150),
}


@pytest.mark.parametrize("name", list(KNOWN))
def test_printed_size_is_bounded(name: str) -> None:
    text, activation, lines, characters = KNOWN[name]
    derivation = gradient_through(parse_loss(text, "a", activation), prediction_symbol("a", activation), activation)
    gradient = derivation.result.rhs
    assert len(pretty(gradient).splitlines()) <= lines, pretty(gradient)
    assert len(latex(gradient)) <= characters, latex(gradient)


def test_distillation_kl_has_no_zero_term_and_passes() -> None:
    text = KNOWN["distillation_kl"][0]
    d = gradient_through(parse_loss(text, "a", "softmax"), prediction_symbol("a", "softmax"), "softmax")
    beta = sp.Symbol("beta", positive=True)
    gradient = d.result.rhs
    # beta (q_i - y_i), q the softmax with temperature beta: the common factor out, nothing that adds up to zero
    assert gradient == beta * (tempered_softmax(zv, i, K, beta) - yv[i])
    assert pretty(gradient) == "β⋅(softmax(z/β)[i] - y[i])"
    assert latex(gradient) == r"\beta \left(\operatorname{softmax}\left(z / \beta\right)_{i} - {y}_{i}\right)"
    assert any("equal sums cancel" in s.why for s in d.steps)
    assert any("temperature" in s.why for s in d.steps)
    assert d.check(points=30).passed


def test_a_wrong_temperature_rewrite_is_rejected() -> None:
    d = gradient_through(
        parse_loss(KNOWN["distillation_kl"][0], "a", "softmax"), prediction_symbol("a", "softmax"), "softmax"
    )
    beta = sp.Symbol("beta", positive=True)
    (at,) = [n for n, s in enumerate(d.steps) if "temperature" in s.why]
    step = d.steps[at]
    wrong = dataclasses.replace(
        step, eq=step.eq.xreplace({tempered_softmax(zv, i, K, beta): tempered_softmax(zv, i, K, 2 * beta)})
    )
    assert wrong.eq != step.eq
    assert not check_relation("wrong", wrong, d, 20, 0).passed
    assert check_relation("right", step, d, 20, 0).passed


def test_normalised_exponentials_are_the_softmax_with_temperature() -> None:
    t = sp.Symbol("T", positive=True)
    ratio = sp.exp(zv[i] / t) / sp.Sum(sp.exp(zv[k] / t), (k, 1, K))
    assert with_temperature(ratio) == tempered_softmax(zv, i, K, t)
    assert with_temperature(
        2 * softmax(zv, i, K) ** 3 / sp.Sum(softmax(zv, j, K) ** 3, (j, 1, K))
    ) == 2 * tempered_softmax(zv, i, K, sp.Rational(1, 3))
    # a different power above and below, or another vector, is not a softmax
    assert not with_temperature(softmax(zv, i, K) ** 2 / sp.Sum(softmax(zv, j, K) ** 3, (j, 1, K))).has(
        tempered_softmax
    )
    assert not with_temperature(sp.exp(yv[i] / t) / sp.Sum(sp.exp(zv[k] / t), (k, 1, K))).has(tempered_softmax)


def test_the_tempered_softmax_evaluates_as_its_definition() -> None:
    t = sp.Symbol("T", positive=True)
    for temperature, logits in [(2.5, [0.3, -1.2, 2.0]), (0.25, [1000.0, -1000.0, 3.0]), (7.0, [0.0, 0.0, 0.0])]:
        env = {K: 3, i: 2, t: temperature, zv: [None, *logits]}
        by_definition = evaluate(tempered_softmax(zv, i, K, t).rewrite(sp.exp), env)
        with mpmath.workdps(50):  # the values carry 50 digits; compare them at that precision
            assert (
                abs(evaluate(tempered_softmax(zv, i, K, t), env) - by_definition) <= 1e-30 * abs(by_definition) + 1e-300
            )


def test_equal_sums_under_different_indices_cancel() -> None:
    ratio = sp.Sum(av[n] ** 2, (n, 1, K)) / sp.Sum(av[j] ** 2, (j, 1, K))
    assert same_dummies(ratio) == 1
    assert same_dummies(sp.Sum(yv[k], (k, 1, K)) - sp.Sum(yv[j], (j, 1, K))) == 0
