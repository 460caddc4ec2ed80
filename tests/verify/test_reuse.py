"""What the verifier keeps between relations and runs to save time, and that keeping it changes no verdict.

* interval proofs and SymPy's limits are kept in the proof cache: a second
  check reads them, and reports the same status;
* the points of a domain are drawn once per process, and the same for every
  relation over it;
* a passing verdict carries no printed balls, a failing one both sides.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

import derive.verify.cases as cases
import derive.verify.check as check
import derive.verify.step_proofs as step_proofs
from derive.model.activations import sigmoid
from derive.model.derivation import Derivation, Step
from derive.model.domain import LABEL, LOGIT, Domain
from derive.model.symbols import y, z
from derive.verify.compare import decide
from derive.verify.evaluate import compile_expr
from derive.verify.numbers import ARB
from derive.verify.proof_cache import ProofCache

SLOPE = sigmoid(z) * (1 - sigmoid(z))


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ProofCache:
    """An empty proof cache in a temporary directory, used by the checks of this test."""
    cache = ProofCache(tmp_path / "proofs")
    monkeypatch.setattr(step_proofs, "PROOF_CACHE", cache)
    monkeypatch.setattr(cases, "PROOF_CACHE", cache)
    return cache


def _count_calls(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    calls: list[int] = []
    original = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_an_inequalitys_proofs_are_read_from_the_cache_the_second_time(
    store: ProofCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_calls(monkeypatch, step_proofs, "prove_step")
    step = Step(sp.Le(SLOPE, sp.Rational(1, 4)), "max at 0", equality_cases=({z: 0},))
    first = Derivation("probe", "probe", Domain({z: LOGIT}), (), (step,)).check(points=20)
    second = Derivation("probe", "probe", Domain({z: LOGIT}), (), (step,)).check(points=20)
    assert len(calls) == 1
    # proved symbolically (a square completed, derive.verify.inequalities), the same outcome both times
    assert first.relations[0].symbolic and first.relations[0].symbolic == second.relations[0].symbolic
    assert first.relations[0].status == second.relations[0].status == "proved symbolically"


def test_an_interval_proof_of_another_relation_or_case_is_not_reused(store: ProofCache) -> None:
    key = step_proofs.interval_key(sp.Le(SLOPE, sp.Rational(1, 4)), Domain({z: LOGIT}), ({z: 0},))
    assert key != step_proofs.interval_key(sp.Le(SLOPE, sp.Rational(1, 5)), Domain({z: LOGIT}), ({z: 0},))
    assert key != step_proofs.interval_key(sp.Le(SLOPE, sp.Rational(1, 4)), Domain({z: LOGIT}), ({z: 1},))
    assert key != step_proofs.interval_key(sp.Le(SLOPE, sp.Rational(1, 4)), Domain({z: LABEL}), ({z: 0},))


def test_a_wrong_inequality_is_still_rejected_with_its_outcome_cached(store: ProofCache) -> None:
    wrong = Step(sp.Le(SLOPE, sp.Rational(1, 5)), "a bound too low")
    for _ in range(2):  # the second run reads whatever the first one kept
        report = Derivation("probe", "probe", Domain({z: LOGIT}), (), (wrong,)).check(points=20)
        assert not report.passed and not report.relations[0].interval


def test_sympy_limits_are_computed_once_and_read_back_equal(store: ProofCache, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_calls(monkeypatch, cases, "time_limit")  # entered once per limit SymPy computes
    assert cases.sympy_limit(sp.Limit(sigmoid(z) - 1, z, sp.oo)) == 0
    assert cases.sympy_limit(sp.Limit(sigmoid(z) - 1, z, sp.oo)) == 0
    assert cases.sympy_limit(sp.Limit(z, z, sp.oo)) is None  # infinite: no value, and that is kept too
    assert cases.sympy_limit(sp.Limit(z, z, sp.oo)) is None
    assert len(calls) == 2


def test_a_wrong_limit_is_rejected_with_sympys_value_from_the_cache(store: ProofCache) -> None:
    # Right at 1e60 by construction (the term vanishes there), wrong in the limit: SymPy's value tells.
    wrong = Step(sp.Eq(sp.Limit(sp.exp(-z / 10**80), z, sp.oo), 1), "read at one far point")
    for _ in range(2):
        report = Derivation("probe", "probe", Domain({z: LOGIT}), (), (wrong,)).check(points=20)
        assert not report.passed


def test_a_domain_is_drawn_once_for_all_its_relations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "_POINTS_BY_DOMAIN", {})
    calls = _count_calls(monkeypatch, Domain, "points")
    domain = Domain({z: LOGIT, y: LABEL})
    steps = (
        Step(sp.Eq(sp.Derivative(sigmoid(z), z), SLOPE), "the slope"),
        Step(sp.Eq(y * sigmoid(z) + (1 - y) * sigmoid(z), sigmoid(z)), "y cancels"),
    )
    first = Derivation("one", "one", domain, (), steps).check(points=30)
    second = Derivation("two", "two", Domain({z: LOGIT, y: LABEL}), (), steps).check(points=30)
    assert first.passed and second.passed
    assert len(calls) == 1
    assert first.points == second.points


def test_a_passing_verdict_prints_nothing_and_a_failing_one_both_sides() -> None:
    lhs, rhs = compile_expr(sp.exp(2 * z), ARB), compile_expr(sp.exp(z) ** 2, ARB)
    passed = decide("==", lhs, rhs, {z: 3}, tolerance=1e-25, floor=1e-10)
    assert passed.passed and passed.lhs == passed.rhs == ""
    failed = decide("==", lhs, compile_expr(sp.exp(z) ** 2 + 1, ARB), {z: 3}, tolerance=1e-25, floor=1e-10)
    assert not failed.passed and failed.lhs.startswith("[403.428") and failed.rhs.startswith("[404.428")
    strict = decide("<", lhs, rhs, {z: 3}, tolerance=1e-25, floor=1e-10)
    assert not strict.passed and strict.lhs and strict.rhs
