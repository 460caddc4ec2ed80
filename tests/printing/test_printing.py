"""Golden tests of the textbook notation: one line per rule, through one helper."""

from __future__ import annotations

import pytest
import sympy as sp

import derive
from derive.model.activations import sigmoid, softmax
from derive.model.symbols import K, i, j, k, p, pv, qv, y, yv, z, zv
from derive.printing import display, latex, pairs, pretty

C = sp.Symbol("c", integer=True, positive=True)
D_KL = sp.Function("D_KL", nargs=2)
L = sp.Symbol("L")

CASES = [
    ("prediction first", sigmoid(z) - y, "a - y"),
    ("prediction first, vectors", softmax(zv, i, K) - yv[i], "{a}_{i} - {y}_{i}"),
    ("prediction first in a square", (y - sigmoid(z)) ** 2, r"\left(a - y\right)^{2}"),
    (
        "partial sign for a vector entry",
        sp.Derivative(softmax(zv, i, K), zv[j]),
        r"\frac{\partial {a}_{i}}{\partial {z}_{j}}",
    ),
    ("d for a function of one variable", sp.Derivative(sigmoid(z), z), r"\frac{d a}{d z}"),
    (
        "sum over the other classes",
        sp.Sum((1 - sp.KroneckerDelta(k, C)) * softmax(zv, k, K) ** 2, (k, 1, K)),
        r"\sum_{k \neq c} {a}_{k}^{2}",
    ),
    ("KL divergence", D_KL(pv, qv), r"D_{\mathrm{KL}}\left(p \,\middle\|\, q\right)"),
    ("label after log", -yv[k] * sp.log(softmax(zv, k, K)), r"- {y}_{k} \log {a}_{k}"),
    ("sigma by name", sigmoid(2 * z), r"\sigma\left(2 z\right)"),
]


@pytest.mark.parametrize(("rule", "expr", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(rule: str, expr: sp.Basic, expected: str) -> None:
    assert latex(expr) == expected


def test_gaussian_density_prints_its_constant_in_front() -> None:
    sigma = sp.Symbol("sigma", positive=True)
    density = sp.exp(-((y - p) ** 2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2)
    assert latex(density).startswith(r"\frac{1}{\sqrt{2 \pi} \sigma} e^{")


def test_named_loss_prints_as_its_name_in_a_derivative() -> None:
    d = derive.get("bce_sigmoid_grad")
    assert latex(d.result, names=pairs(d.named)) == r"\frac{\partial L}{\partial z} = a - y"


def test_two_layer_results_are_short_products_of_named_quantities() -> None:
    d = derive.get("two_layer_sigmoid_grad")
    names = pairs(d.named)
    printed = [latex(r, names=names) for r in d.results]
    assert printed[0] == r"\frac{\partial L_{SE}}{\partial w_{2}} = \delta_{SE} a_{1}"
    assert all(len(tex) < 90 for tex in printed), printed


def test_named_definitions_are_verified_like_steps() -> None:
    d = derive.get("two_layer_sigmoid_grad")
    labels = [label for label, _ in d.labelled()]
    assert {"definition 5", "definition 6"} <= set(labels)
    report = d.check(points=20)
    assert report.passed
    assert {r.label for r in report.relations} >= {"definition 5", "definition 6"}


def test_a_wrong_definition_is_rejected() -> None:
    from derive.model.derivation import Named

    wrong = Named(sp.Symbol("delta"), sp.Derivative((sigmoid(z) - y) ** 2 / 2, z), "wrong", sigmoid(z) - y)
    body = derive.get("mse_sigmoid_grad")
    import dataclasses

    broken = dataclasses.replace(body, named=(*body.named, wrong))
    assert not broken.check(points=20).passed


def test_long_relations_break_over_aligned_lines() -> None:
    d = derive.get("mse_softmax_grad")
    tex = display(d.steps[3].eq, pairs(d.named))
    assert tex.startswith(r"\begin{aligned}") and r"\\" in tex


def test_terminal_uses_the_same_rules() -> None:
    d = derive.get("bce_sigmoid_grad")
    assert pretty(d.result.rhs) == "a - y"
    assert "∂L" in pretty(d.result, names=pairs(d.named))
