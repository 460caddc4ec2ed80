"""The single-neuron experiment: its numbers, and that it trains on the catalogue's gradients."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from derive.site.content.experiment import STARTS, Run, compiled, run_experiment, stable_sigmoid

Runs = dict[tuple[str, str], Run]


@pytest.fixture(scope="module")
def runs() -> Runs:
    return {(r.start, r.loss): r for r in run_experiment()}


def test_every_start_under_every_loss_in_order() -> None:
    order = [(r.start, r.loss) for r in run_experiment(steps=3)]
    assert order == [("saturated", "mse"), ("saturated", "bce"), ("mild", "mse"), ("mild", "bce")]


def test_records_step_zero_and_every_step(runs: Runs) -> None:
    for run in runs.values():
        assert len(run.losses) == len(run.outputs) == 301
        assert (run.w0, run.b0) == STARTS[run.start]
        assert run.outputs[0] == pytest.approx(stable_sigmoid(run.w0 + run.b0), rel=1e-15)


def test_starting_values(runs: Runs) -> None:
    saturated, mild = stable_sigmoid(4.0), stable_sigmoid(1.5)
    assert saturated == pytest.approx(0.98201379, rel=1e-8)
    assert mild == pytest.approx(0.81757448, rel=1e-8)
    assert runs["saturated", "mse"].losses[0] == pytest.approx(saturated**2 / 2, rel=1e-14)
    # BCE against the target 0 is -ln(1 - sigma(z)) = z + ln(1 + e^-z).
    assert runs["saturated", "bce"].losses[0] == pytest.approx(4 + math.log1p(math.exp(-4)), rel=1e-13)
    assert runs["mild", "bce"].losses[0] == pytest.approx(1.5 + math.log1p(math.exp(-1.5)), rel=1e-13)


def test_steps_to_bring_the_output_below_a_tenth(runs: Runs) -> None:
    assert runs["saturated", "mse"].steps_to_below is None
    assert runs["saturated", "bce"].steps_to_below == 50
    assert runs["mild", "mse"].steps_to_below == 273
    assert runs["mild", "bce"].steps_to_below == 41
    for run in runs.values():
        n = run.steps_to_below
        if n is not None:
            assert run.outputs[n] < 0.1 <= run.outputs[n - 1]


def test_saturated_squared_error_barely_moves_while_bce_is_done(runs: Runs) -> None:
    mse, bce = runs["saturated", "mse"], runs["saturated", "bce"]
    assert mse.outputs[100] > 0.96
    assert mse.outputs[-1] == pytest.approx(0.2028484, abs=1e-6)
    assert bce.outputs[100] < 0.05
    assert bce.outputs[-1] == pytest.approx(0.0120087, abs=1e-6)


def test_mild_start_both_arrive_but_bce_far_sooner(runs: Runs) -> None:
    mse, bce = runs["mild", "mse"], runs["mild", "bce"]
    assert bce.steps_to_below * 6 < mse.steps_to_below
    assert mse.outputs[-1] == pytest.approx(0.0939557, abs=1e-6)
    assert bce.outputs[-1] == pytest.approx(0.0116382, abs=1e-6)


def test_every_loss_decreases_at_every_step(runs: Runs) -> None:
    for run in runs.values():
        assert all(later < earlier for earlier, later in zip(run.losses, run.losses[1:], strict=False))


def test_the_first_squared_error_step_is_the_bce_step_times_the_sigmoid_slope() -> None:
    a = stable_sigmoid(4.0)
    _, mse_w, _ = compiled("mse")
    _, bce_w, _ = compiled("bce")
    ratio = mse_w(2.0, 2.0, 1.0, 0.0) / bce_w(2.0, 2.0, 1.0, 0.0)
    assert ratio == pytest.approx(a * (1 - a), rel=1e-12)
    assert ratio < 1 / 50


def _central(f: Callable[..., float], *args: float, at: int, h: float = 1e-6) -> float:
    up, down = list(args), list(args)
    up[at] += h
    down[at] -= h
    return (f(*up) - f(*down)) / (2 * h)


@pytest.mark.parametrize("loss", ["mse", "bce"])
@pytest.mark.parametrize(("w", "b", "x", "y"), [(2.0, 2.0, 1.0, 0.0), (0.6, 0.9, 1.0, 0.0), (-1.3, 0.4, 2.5, 0.7)])
def test_gradients_match_finite_differences_of_the_loss(loss: str, w: float, b: float, x: float, y: float) -> None:
    value, grad_w, grad_b = compiled(loss)
    assert grad_w(w, b, x, y) == pytest.approx(_central(value, w, b, x, y, at=0), rel=1e-7, abs=1e-10)
    assert grad_b(w, b, x, y) == pytest.approx(_central(value, w, b, x, y, at=1), rel=1e-7, abs=1e-10)


def test_a_wrong_gradient_would_be_caught_by_the_same_check() -> None:
    """The finite-difference check above can fail: BCE's gradient with an extra a(1 - a) does not pass it."""
    value, grad_w, _ = compiled("bce")
    a = stable_sigmoid(4.0)
    wrong = grad_w(2.0, 2.0, 1.0, 0.0) * a * (1 - a)
    assert wrong != pytest.approx(_central(value, 2.0, 2.0, 1.0, 0.0, at=0), rel=1e-7)


def test_threshold_and_length_are_parameters() -> None:
    short = run_experiment(steps=0)
    assert all(len(r.losses) == 1 and r.steps_to_below is None for r in short)
    loose = {(r.start, r.loss): r.steps_to_below for r in run_experiment(threshold=0.99)}
    assert loose["saturated", "mse"] == 0


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="learning rate"):
        run_experiment(learning_rate=0)
    with pytest.raises(ValueError, match="unknown loss"):
        compiled("hinge")
