"""What the interactive figures and exercises are built from, without a browser."""

from __future__ import annotations

import json
import math

import pytest

import derive
from derive.errors import BuildError
from derive.site import exercises
from derive.site.collect import collect
from derive.site.data import SiteData
from derive.site.figures import interactive
from derive.site.keys import interactive_key


def test_exercise_points_are_drawn_from_the_results_domain() -> None:
    for point in exercises.points("cce_softmax_grad"):
        size = len(point["z"])
        assert 2 <= size and len(point["y"]) == size and 0 <= point["i"] < size
        assert math.isclose(sum(point["y"]), 1.0)  # result 2 holds for labels summing to one (its `where`)
    for point in exercises.points("bce_sigmoid_grad"):
        assert 0 <= point["y"] <= 1 and -6 <= point["z"] <= 6
    jacobian = exercises.points("softmax_jacobian")
    assert any(p["i"] == p["j"] for p in jacobian) and any(p["i"] != p["j"] for p in jacobian)


def test_exercise_points_do_not_depend_on_the_precision_mpmath_was_left_at() -> None:
    import mpmath

    name = "cce_softmax_grad"  # a probability vector, drawn by normalising in mpmath
    with mpmath.workdps(15):
        low = exercises.points(name)
    with mpmath.workdps(120):
        high = exercises.points(name)
    assert json.dumps(low) == json.dumps(high)


def test_each_exercise_checks_against_the_verified_result_it_names() -> None:
    for name, exercise in exercises.EXERCISES.items():
        reference = exercises.functions(name)[0]
        assert reference.name == f"exercise_{name}"
        assert reference.expression == str(derive.get(name).results[exercise.result].rhs)


def test_an_exercise_block_carries_its_points_and_loads_the_parser() -> None:
    data = exercises.page_data("two_layer_sigmoid_grad")
    assert data is not None and data.label == "result 1"
    assert "jsep.iife.min.js" in data.html and "derive-exercise.js" in data.html
    assert exercises.page_data("entropy") is None


def _site(names: list[str]) -> SiteData:
    return SiteData(collect(), {n: None for n in names}, figures={"training": None})  # type: ignore[arg-type]


def test_unknown_figure_is_a_build_error_and_a_missing_result_shows_none() -> None:
    site = _site(["bce_sigmoid_grad", "mse_sigmoid_grad"])
    with pytest.raises(BuildError, match="no such figure"):
        interactive.interactive("nonesuch", site)
    assert interactive.interactive("sigmoid", site) == ""  # sigmoid_losses_curvature is not in this build
    block = interactive.interactive("training", site)
    config = json.loads(block.split('data-config="')[1].split('"')[0].replace("&quot;", '"'))
    assert config["functions"]["ce"]["loss"] == "training_ce_loss"
    assert 'src="../../plots/training.svg"' in block


def test_the_scripts_cache_key_follows_the_derivations_of_the_build() -> None:
    assert interactive_key(["a", "b"]) == interactive_key(["b", "a"])
    assert interactive_key(["a", "b"]) != interactive_key(["a"])
