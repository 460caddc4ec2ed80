"""The arithmetic of an expression is evaluated by one generated function: same balls, same failures as before."""

from __future__ import annotations

import sympy as sp

from derive.errors import EvaluationError
from derive.model.activations import sigmoid
from derive.verify.compare import decide
from derive.verify.evaluate import compile_expr
from derive.verify.numbers import ARB

x, n = sp.Symbol("x"), sp.Symbol("n", integer=True)


def _ball(expr: sp.Basic, value: int = 2) -> object:
    with ARB.precision(200):
        return compile_expr(expr, ARB)({x: ARB.convert(value)})


def test_a_nested_expression_deeper_than_one_function_is_exact() -> None:
    deep = x
    for _ in range(150):  # a continued fraction nested far deeper than one generated expression may be
        deep = 1 / (1 + deep)
    golden = (sp.sqrt(5) - 1) / 2  # its limit, reached within 0.382**150 < 1e-62
    verdict = decide("==", compile_expr(deep, ARB), compile_expr(golden, ARB), {x: ARB.convert(2)}, 1e-50, 1e-10)
    assert verdict.passed, verdict
    assert _ball(deep).rad() < 1e-50


def test_arithmetic_around_a_sum_and_a_sigmoid_matches_the_closed_form() -> None:
    expr = 3 * sp.Sum(x**n / sp.factorial(n), (n, 0, 60)) * sigmoid(x) - 1 / x
    closed = 3 * sp.exp(x) / (1 + sp.exp(-x)) - sp.Rational(1, 2)
    verdict = decide("==", compile_expr(expr, ARB), compile_expr(closed, ARB), {x: ARB.convert(2)}, 1e-25, 1e-10)
    assert verdict.passed, verdict


def test_a_wrong_coefficient_inside_generated_code_is_rejected() -> None:
    wrong = decide(
        "==",
        compile_expr(sigmoid(x) * (1 - sigmoid(x)), ARB),
        compile_expr(sigmoid(x) * (1 - sigmoid(x)) * (1 + sp.Rational(1, 10**8)), ARB),
        {x: ARB.convert(2)},
        1e-25,
        1e-10,
    )
    assert not wrong.passed and wrong.lhs and wrong.rhs


def test_a_missing_variable_is_an_evaluation_error_not_a_key_error() -> None:
    try:
        compile_expr(sp.exp(x) + sp.Symbol("w"), ARB)({x: 1})
    except EvaluationError as exc:
        assert "no value for w" in str(exc)
    else:
        raise AssertionError("a missing variable must be reported")
