"""One parametrised test over the whole registry: every derivation builds and verifies."""

from __future__ import annotations

import re

import pytest
import sympy as sp

import derive
from derive.model.derivation import Derivation
from derive.registry import lookup
from derive.verify.reports import STATUSES

NAMES = derive.names()


@pytest.fixture(scope="module", params=NAMES)
def derivation(request: pytest.FixtureRequest) -> Derivation:
    return derive.get(request.param)


def test_builds_with_steps_and_results(derivation: Derivation) -> None:
    assert derivation.title
    assert derivation.steps, "a derivation derives: it needs steps"
    assert derivation.results[0] == derivation.result
    for _, step in derivation.labelled():
        assert isinstance(step.eq, sp.core.relational.Relational)
        assert step.why.strip()


def test_check_passes(derivation: Derivation) -> None:
    """Every relation passes, and says how it is established: one of the three statuses."""
    report = derivation.check()
    failure = report.first_failure
    assert report.passed, failure.describe() if failure else ""
    assert report.points >= 200
    assert report.max_rel_error <= 1e-12
    for relation in report.relations:
        assert relation.status in STATUSES[:2] or re.fullmatch(r"checked at \d+ points", relation.status), (
            relation.label,
            relation.status,
        )


def test_dependencies_are_known(derivation: Derivation) -> None:
    for used in derivation.uses:
        assert used in NAMES, f"{derivation.name} uses unknown {used}"


def test_gradients_are_checked_against_the_loss(derivation: Derivation) -> None:
    """A gradient result states d(loss)/d(x) on its left, so finite differences check it."""
    if derivation.name.endswith("_grad"):
        assert derivation.result.lhs.has(sp.Derivative)


def test_results_are_closed_in_their_inputs(derivation: Derivation) -> None:
    """No free symbol named like an activation's output stands in for sigmoid or softmax."""
    for result in derivation.results:
        names = {str(s) for s in result.free_symbols}
        assert not names & {"sigma(z)", "softmax"}


def test_unknown_name_lists_the_closest() -> None:
    with pytest.raises(derive.UnknownDerivation, match="did you mean: softmax_jacobian"):
        derive.get("softmax_jacobain")


def test_entries_know_their_titles_without_building() -> None:
    entry = lookup(NAMES[0])
    assert entry.title
