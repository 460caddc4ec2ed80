"""Results a person can read: the printed size of known losses' gradients is bounded."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.model.symbols import K, av, j, k, n, yv
from derive.printing import latex, pretty
from derive.yours.readable import same_dummies
from derive.yours.safe_parse import parse_loss, prediction_symbol
from derive.yours.through import gradient_through

# loss, activation, at most this many lines printed as text, at most this many LaTeX characters
KNOWN = {
    "distillation_kl": (
        "beta**2*sum(y[k]*(log(y[k]) - log(a[k]**(1/beta)/sum(a[j]**(1/beta), j))), k)",
        "softmax",
        11,
        110,
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
    assert beta in sp.Mul.make_args(gradient)
    assert len(sp.Add.make_args(sp.expand(gradient))) == 2
    assert any("equal sums cancel" in s.why for s in d.steps)
    assert d.check(points=30).passed


def test_equal_sums_under_different_indices_cancel() -> None:
    ratio = sp.Sum(av[n] ** 2, (n, 1, K)) / sp.Sum(av[j] ** 2, (j, 1, K))
    assert same_dummies(ratio) == 1
    assert same_dummies(sp.Sum(yv[k], (k, 1, K)) - sp.Sum(yv[j], (j, 1, K))) == 0
