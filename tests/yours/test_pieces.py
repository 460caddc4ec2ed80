"""Piecewise-smooth losses through gradient_through: each piece differentiated and checked on its own region."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from derive.errors import ThroughError
from derive.model.derivation import Derivation, Step
from derive.model.domain import LOGIT, Domain
from derive.model.symbols import a, y
from derive.verify.regions import points_inside, robustly
from derive.yours.pieces import split_pieces, to_pieces
from derive.yours.safe_parse import parse_loss, prediction_symbol
from derive.yours.through import gradient_through

x, label = sp.Symbol("a", real=True), sp.Symbol("y", real=True)
delta, beta, gamma = (sp.Symbol(name, positive=True) for name in ("delta", "beta", "gamma"))
margin = sp.Max(a - sp.Rational(1, 20), 0)

LOSSES = {
    "huber": (
        sp.Piecewise(
            ((x - label) ** 2 / 2, sp.Abs(x - label) <= delta), (delta * (sp.Abs(x - label) - delta / 2), True)
        ),
        x,
        "identity",
    ),
    "smooth_l1": (
        sp.Piecewise(((x - label) ** 2 / (2 * beta), sp.Abs(x - label) < beta), (sp.Abs(x - label) - beta / 2, True)),
        x,
        "identity",
    ),
    "mae": (sp.Abs(x - label), x, "identity"),
    "hinge": (sp.Max(0, 1 - label * x), x, "identity"),
    "squared_hinge": (sp.Max(0, 1 - label * x) ** 2, x, "identity"),
    "mae_sigmoid": (sp.Abs(a - y), a, "sigmoid"),
    "clipped_focal": (
        -(
            y * (1 - a) ** gamma * sp.log(sp.Max(a, sp.Rational(1, 100)))
            + (1 - y) * a**gamma * sp.log(1 - sp.Min(a, sp.Rational(99, 100)))
        ),
        a,
        "sigmoid",
    ),
    "asymmetric_margin": (
        -(y * (1 - a) ** gamma * sp.log(a) + (1 - y) * margin**gamma * sp.log(1 - margin)),
        a,
        "sigmoid",
    ),
}


@pytest.mark.parametrize("name", list(LOSSES))
def test_piecewise_losses_build_and_pass(name: str) -> None:
    loss, prediction, activation = LOSSES[name]
    derivation = gradient_through(loss, prediction, activation, name=name)
    assert isinstance(derivation.result.rhs, sp.Piecewise)
    report = derivation.check(points=40)
    assert report.passed, report.first_failure and report.first_failure.describe()
    # every step holding a finite difference of the kinked loss is checked inside a region
    for step in (*derivation.steps, *derivation.conclusions):
        if step.eq.has(sp.Derivative) and any(
            f.has(sp.Piecewise, sp.Max, sp.Abs) for f in step.eq.atoms(sp.Derivative)
        ):
            assert step.region is not None


def test_huber_gradient_and_kinks() -> None:
    d = gradient_through(LOSSES["huber"][0], x, "identity")
    z = sp.Symbol("z", real=True)
    gradient = d.result.rhs
    assert [piece.expr for piece in gradient.args] == [z - label, delta, -delta]
    assert "differentiable" in d.summary
    kink_results = [r for r in d.conclusions[1:]]
    assert len(kink_results) == 2 and all("equal" in r.why for r in kink_results)


def test_mae_states_a_convex_corner() -> None:
    d = gradient_through(LOSSES["mae"][0], x, "identity")
    (corner,) = d.conclusions[1:]
    assert isinstance(corner.eq, sp.Le) and "subgradient" in corner.why
    assert d.check(points=30).passed


def test_a_wrong_piece_is_caught_on_its_region() -> None:
    d = gradient_through(LOSSES["huber"][0], x, "identity")
    result = d.conclusions[0]
    z = sp.Symbol("z", real=True)
    wrong_rhs = sp.Piecewise((z - label, sp.Abs(label - z) <= delta), (delta, z >= label), (delta, True))
    wrong = Step(sp.Eq(result.eq.lhs, wrong_rhs), "a wrong sign on the last piece", region=result.region)
    bad = Derivation("bad", "bad", d.domain, (), (wrong,))
    report = bad.check(points=40)
    assert not report.passed


def test_regions_keep_points_away_from_kinks() -> None:
    s, t = sp.symbols("s t", real=True)
    domain = Domain({s: LOGIT, t: LOGIT})
    inside = points_inside(domain, sp.Abs(s - t) > 1, 50, seed=0)
    assert len(inside) == 50 and all(abs(p[s] - p[t]) > 1 for p in inside)
    assert robustly(s > t, {s: mpmath.mpf(1), t: mpmath.mpf(1)}) is None
    assert robustly(sp.Eq(s, t), {s: mpmath.mpf(1), t: mpmath.mpf(1)}) is None
    assert points_inside(domain, sp.And(s > 1, s < 1), 10, seed=0) == []


def test_a_region_no_point_reaches_fails_clearly() -> None:
    s = sp.Symbol("s", real=True)
    thin = Step(sp.Eq(sp.Derivative(s**2, s), 2 * s), "the slope", region=sp.And(s > 100, s < 101))
    report = Derivation("thin", "thin", Domain({s: LOGIT}), (), (thin,)).check(points=10)
    assert not report.passed and "no sampled point" in report.first_failure.describe()


def test_pieces_are_smooth_and_unreachable_pieces_dropped() -> None:
    assert to_pieces(sp.sign(x)) == sp.Piecewise((1, x > 0), (-1, x < 0), (0, True))
    _whole, pieces = split_pieces(sp.log(sp.Max(a, sp.Rational(1, 100))) + sp.log(1 - sp.Min(a, sp.Rational(99, 100))))
    assert len(pieces) == 3  # a <= 1/100 and a >= 99/100 at once is dropped
    assert not any(p.expr.has(sp.Max, sp.Min, sp.Abs) for p in pieces)


def test_the_guard_is_semantic() -> None:
    # sqrt((a - y)^2) is |a - y|: the same kinked loss, accepted and handled the same way
    assert sp.sqrt((x - label) ** 2) == sp.Abs(x - label)
    d = gradient_through(sp.sqrt((x - label) ** 2), x, "identity")
    assert isinstance(d.result.rhs, sp.Piecewise)
    # a kink in the label only is no kink in the prediction: an ordinary smooth derivation
    smooth = gradient_through(sp.Abs(label) * (x - label) ** 2, x, "identity")
    assert not smooth.result.rhs.has(sp.Piecewise)
    with pytest.raises(ThroughError, match="not differentiable"):
        gradient_through(sp.floor(x), x, "identity")


@pytest.mark.parametrize(
    "text",
    [
        "Piecewise(((a - y)**2/2, abs(a - y) <= delta), (delta*(abs(a - y) - delta/2), True))",
        "(a - y)**2/(2*beta) if abs(a - y) < beta else abs(a - y) - beta/2",
        "max(0, 1 - y*a)",
        "max(0, 1 - y*a)**2",
        "abs(a - y)",
        "Piecewise((0, -1 < a - y < 1), (abs(a - y) - 1, True))",
    ],
)
def test_parsed_piecewise_losses_pass(text: str) -> None:
    loss = parse_loss(text, "a", "identity")
    d = gradient_through(loss, prediction_symbol("a", "identity"), "identity")
    assert d.check(points=30).passed


# ---- kinds that hold ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "-sum(y[k]*log(a[k]), k) - sum(a[k]*log(y[k]), k)",  # symmetric cross-entropy
        "-sum(a[k]*log(y[k]), k)",  # reverse cross-entropy
    ],
)
def test_a_log_of_the_label_gets_a_label_kind_that_holds(text: str) -> None:
    from derive.model.domain import PROBABILITY_VECTOR
    from derive.model.symbols import yv

    d = gradient_through(parse_loss(text, "a", "softmax"), prediction_symbol("a", "softmax"), "softmax")
    assert d.domain.kinds[yv] is PROBABILITY_VECTOR
    assert "{y} is a probability vector" in d.summary
    assert d.check(points=40).passed


def test_no_kind_holds_names_the_point() -> None:
    with pytest.raises(ThroughError, match=r"not real and finite at z = .*a = .*y = .*for every kind tried"):
        gradient_through(sp.log(y - a), a, "sigmoid")


def test_kinds_override_the_inference() -> None:
    from derive.model.domain import POSITIVE

    d = gradient_through(sp.log(x) * label, x, "identity", kinds={label: POSITIVE})
    assert d.domain.kinds[label] is POSITIVE
    assert "{y}" not in d.summary  # only inferred kinds are described as inferred


# ---- through softmax -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "-log(max(a[c], 0.01))",  # clipped cross-entropy, sparse label
        "-sum(y[k]*log(max(a[k], 0.001)), k)",  # clipped cross-entropy
        "sum(abs(a[k] - y[k]), k)",  # MAE of the probabilities
        "sum(max(0, a[k] - y[k] - 0.1)**2, k)",  # squared margin hinge per class
    ],
)
def test_piecewise_losses_through_softmax(text: str) -> None:
    d = gradient_through(parse_loss(text, "a", "softmax"), prediction_symbol("a", "softmax"), "softmax")
    assert d.result.rhs.has(sp.Piecewise) and not d.result.rhs.has(sp.Heaviside)
    assert d.conclusions[0].region is not None and "within a millionth of a kink" in d.summary
    report = d.check(points=30)
    assert report.passed, report.first_failure and report.first_failure.describe()


@pytest.mark.parametrize(
    ("loss", "activation"),
    [
        ("max(0, 1 - y*a)**2", "identity"),
        ("Piecewise(((a - y)**2/2, abs(a - y) <= delta), (delta*(abs(a - y) - delta/2), True))", "identity"),
        ("abs(a - y)", "sigmoid"),
        ("-log(max(a[c], 0.01))", "softmax"),
    ],
)
def test_cli_derives_and_checks_piecewise_losses(
    loss: str, activation: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from derive.cli.main import main

    assert main(["through", loss, "--activation", activation, "--points", "20"]) == 0
    out = capsys.readouterr().out
    assert "check: passed" in out and "Piecewise" not in out  # printed as math, not as SymPy's repr
