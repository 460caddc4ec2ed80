"""No false failures where large terms cancel; wrong results still fail; a failure shows a consistent point."""

from __future__ import annotations

import dataclasses

import sympy as sp

import derive
from derive.model.derivation import Step, eq
from derive.model.symbols import K, av, i, k, zv
from derive.yours.through import gradient_through

SUM_OF_PROBABILITIES = sp.Sum(av[k], (k, 1, K))


def test_large_terms_that_cancel_are_not_a_failure() -> None:
    """K**100 times a sum that is always 1: terms of 40**100 cancel to a gradient of 0."""
    for power in (30, 100):
        derived = gradient_through(K**power * SUM_OF_PROBABILITIES, av, "softmax", name=f"k_power_{power}")
        report = derived.check(points=60)
        assert report.passed, report.first_failure.describe()


def test_a_wrong_result_with_large_terms_still_fails() -> None:
    derived = gradient_through(K**100 * SUM_OF_PROBABILITIES, av, "softmax", name="k_power_wrong")
    wrong = Step(eq(derived.result.lhs, K**100 * derive.softmax(zv, i, K)), "a wrong closed form")
    report = dataclasses.replace(derived, conclusions=(wrong,)).check(points=40)
    assert not report.passed


def test_a_failure_shows_only_the_variables_of_its_relation() -> None:
    """The point of a failed relation in the logits z shows no probabilities a drawn beside them."""
    derived = gradient_through(-sp.Sum(sp.log(av[k]), (k, 1, K)), av, "softmax", name="wrong_point")
    wrong = Step(eq(derived.result.lhs, derive.softmax(zv, i, K)), "a wrong closed form")
    failure = dataclasses.replace(derived, conclusions=(wrong,)).check(points=40).first_failure
    assert failure is not None
    assert "z" in failure.point and "a" not in failure.point
