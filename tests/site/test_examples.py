"""The worked examples: their values, the source's rounded numbers, and where each expression comes from."""

from __future__ import annotations

import pytest
import sympy as sp

import derive
from derive.site.content.examples import WorkedExample, evaluate_result, worked_examples

R = sp.Rational

# name -> (the value the issue states, to its digits; the inputs put into the derivation's result; which result)
EXPECTED: dict[str, tuple[str, dict, int]] = {
    "self_information_0.7": ("0.357", {"p": R("0.7")}, 0),
    "self_information_0.2": ("1.609", {"p": R("0.2")}, 0),
    "self_information_0.1": ("2.303", {"p": R("0.1")}, 0),
    "entropy_0.7_0.2_0.1": ("0.8018", {"K": 3, "p": (R("0.7"), R("0.2"), R("0.1"))}, 0),
    "bce_0.6_y1": ("0.511", {"a": R("0.6"), "y": 1}, 0),
    "bce_0.7_y1": ("0.357", {"a": R("0.7"), "y": 1}, 0),
    "cce_0.2_0.5_0.3_class3": ("1.204", {"K": 3, "y": (0, 0, 1), "a": (R("0.2"), R("0.5"), R("0.3"))}, 0),
    "cce_0.2_0.2_0.6_class3": ("0.511", {"K": 3, "y": (0, 0, 1), "a": (R("0.2"), R("0.2"), R("0.6"))}, 0),
    "mse_0.8_0.1_0.1": ("0.06", {"K": 3, "c": 1, "a": (R("0.8"), R("0.1"), R("0.1"))}, 1),
    "mse_0.8_0.15_0.05": ("0.065", {"K": 3, "c": 1, "a": (R("0.8"), R("0.15"), R("0.05"))}, 1),
    "ce_0.8_0.1_0.1": ("0.2231", {"K": 3, "y": (1, 0, 0), "a": (R("0.8"), R("0.1"), R("0.1"))}, 0),
    "ce_0.8_0.15_0.05": ("0.2231", {"K": 3, "y": (1, 0, 0), "a": (R("0.8"), R("0.15"), R("0.05"))}, 0),
    # KL divergence both ways (worked by hand: 0.7 ln 3.5 + 0.2 ln 0.4 + 0.1 ln(1/3), and the swap): not symmetric
    "kl_p_q": ("0.5838", {"K": 3, "p": (R("0.7"), R("0.2"), R("0.1")), "q": (R("0.2"), R("0.5"), R("0.3"))}, 0),
    "kl_q_p": ("0.5372", {"K": 3, "p": (R("0.2"), R("0.5"), R("0.3")), "q": (R("0.7"), R("0.2"), R("0.1"))}, 0),
}
ROUNDED = "entropy_0.7_0.2_0.1_rounded"

EXAMPLES = {example.name: example for example in worked_examples()}


def rounds_to(value: float, text: str) -> bool:
    """Whether ``value`` rounded to the decimals of ``text`` gives ``text``."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"{value:.{decimals}f}" == text


def test_every_example_is_listed() -> None:
    assert set(EXAMPLES) == {*EXPECTED, ROUNDED}
    assert len(EXAMPLES) == len(worked_examples()), "example names are unique"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_value_matches_the_issue(name: str) -> None:
    stated, _, _ = EXPECTED[name]
    assert rounds_to(EXAMPLES[name].value, stated)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expression_comes_from_the_derivation(name: str) -> None:
    example = EXAMPLES[name]
    _, inputs, result = EXPECTED[name]
    rhs = derive.get(example.derivation).results[result].rhs
    assert example.expression == evaluate_result(example.derivation, inputs, result)
    assert not example.expression.free_symbols, "every variable of the result got a number"
    # Independently of evaluate_result: the result's right-hand side, unrolled, at the same numbers.
    assert float(sp.N(example.expression, 30)) == pytest.approx(float(_by_hand(rhs, inputs)), rel=1e-25)
    assert example.value == pytest.approx(float(sp.N(example.expression, 30)), rel=1e-15)


def _by_hand(rhs: sp.Expr, inputs: dict) -> sp.Expr:
    by_name = {s.name: s for s in rhs.free_symbols if isinstance(s, sp.Symbol)}
    sizes = {by_name[n]: v for n, v in inputs.items() if not isinstance(v, tuple) and n in by_name}
    expr = rhs.xreplace(sizes).doit()
    for base in expr.atoms(sp.IndexedBase):
        values = inputs[base.label.name]
        expr = expr.xreplace({base[n]: v for n, v in enumerate(values, 1)})
    return sp.N(expr, 40)


def test_quoted_numbers_are_the_rounded_values() -> None:
    """Where the source prints a number, our value rounds to it, except the entropy (rounded intermediates)."""
    for example in EXAMPLES.values():
        if example.quoted is None or example.name == "entropy_0.7_0.2_0.1":
            continue
        assert rounds_to(example.value, example.quoted), example.name


def test_entropy_is_0_8018_and_not_0_804() -> None:
    exact = EXAMPLES["entropy_0.7_0.2_0.1"]
    assert exact.quoted == "0.804"
    assert rounds_to(exact.value, "0.8018")
    assert not rounds_to(exact.value, "0.804")
    assert "0.804" in exact.note and "0.8018" in exact.note


def test_the_source_got_0_804_by_rounding_the_self_informations_first() -> None:
    rounded = EXAMPLES[ROUNDED]
    assert rounds_to(rounded.value, "0.804") and rounded.quoted == "0.804"
    assert sp.nsimplify(rounded.expression.doit()) == R("0.7") * R("0.36") + R("0.2") * R("1.61") + R("0.1") * R("2.30")
    # The rounded factors are the self-information examples, rounded to the source's two decimals.
    factors = sorted(
        f for term in rounded.expression.args for f in term.args if f not in (R("0.7"), R("0.2"), R("0.1"))
    )
    quoted = sorted(R(EXAMPLES[f"self_information_{p}"].quoted) for p in ("0.7", "0.2", "0.1"))
    assert factors == quoted


def test_mse_prefers_the_spread_prediction_while_ce_cannot_tell() -> None:
    mse_spread, mse_peaked = EXAMPLES["mse_0.8_0.1_0.1"], EXAMPLES["mse_0.8_0.15_0.05"]
    ce_spread, ce_peaked = EXAMPLES["ce_0.8_0.1_0.1"], EXAMPLES["ce_0.8_0.15_0.05"]
    assert mse_spread.value < mse_peaked.value
    assert sp.nsimplify(mse_spread.expression.doit()) == R(3, 50)
    assert sp.nsimplify(mse_peaked.expression.doit()) == R(13, 200)
    assert ce_spread.expression == ce_peaked.expression == -sp.log(R(4, 5))


def test_expressions_are_exact() -> None:
    for example in EXAMPLES.values():
        assert not example.expression.atoms(sp.Float), example.name
        assert isinstance(example, WorkedExample)
        assert example.group and example.note and "\n" not in example.note


def test_a_wrong_input_name_is_refused() -> None:
    with pytest.raises(ValueError, match="no variable named 'q'"):
        evaluate_result("self_information", {"q": R(1, 2)})
