"""The experiment: one sigmoid neuron trained by gradient descent, squared error against BCE.

The neuron computes a = sigma(w x + b) for the input x = 1 and should output
the target y = 0.  It starts either saturated (w = b = 2, so a = sigma(4) is
about 0.98, confidently wrong) or mild (w = 0.6, b = 0.9, a = sigma(1.5) about
0.82), and is trained by plain gradient descent under the squared error
(a - y)^2 / 2 and under BCE.

Nothing here is typed by hand: the losses are the ones the catalogue states
(the expression inside ``Derivative`` on the left of ``mse_sigmoid_grad`` and
``bce_sigmoid_grad``), and the gradients are those entries' verified results
dL/dz times dz/dw and dz/db, which SymPy computes from z = w x + b.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import sympy as sp

from derive.model.symbols import b, w, x, y, z
from derive.registry import get

INPUT = 1.0
TARGET = 0.0
STARTS: dict[str, tuple[float, float]] = {"saturated": (2.0, 2.0), "mild": (0.6, 0.9)}
LOSSES: dict[str, str] = {"mse": "mse_sigmoid_grad", "bce": "bce_sigmoid_grad"}

Scalar = Callable[[float, float, float, float], float]


@dataclass(frozen=True)
class Run:
    """One training run: where it started, under which loss, and what happened at every step."""

    start: str  # "saturated" or "mild"
    loss: str  # "mse" or "bce"
    w0: float
    b0: float
    losses: tuple[float, ...]  # length steps + 1
    outputs: tuple[float, ...]  # length steps + 1
    steps_to_below: int | None  # first step index at which output < threshold


def stable_sigmoid(value: float) -> float:
    """sigma(value) without overflow: exp is only ever taken of a non-positive number.

    >>> stable_sigmoid(0.0), stable_sigmoid(-1000.0), stable_sigmoid(1000.0)
    (0.5, 0.0, 1.0)
    """
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    e = math.exp(value)
    return e / (1.0 + e)


def _compile(expr: sp.Expr) -> Scalar:
    # The catalogue's BCE takes log(1 - sigma(z)) literally; in float64 that is accurate to about
    # 1e-16 / (1 - a) relative, ample here, where z = w x + b stays below 4 and 1 - a above 0.018.
    return sp.lambdify((w, b, x, y), expr, modules=[{"sigmoid": stable_sigmoid}, "math"])


def expressions(loss: str) -> tuple[sp.Expr, sp.Expr, sp.Expr, sp.Expr]:
    """The output, the loss and its gradients in w and b, as SymPy expressions in (w, b, x, y), from the catalogue.

    The in-browser replay of the experiment computes with JavaScript printed from these.

    >>> output, value, grad_w, grad_b = expressions("bce")
    >>> output
    sigmoid(b + w*x)
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of: {', '.join(LOSSES)}")
    result = get(LOSSES[loss]).result
    logit = w * x + b
    (prediction,) = [s for s in result.rhs.atoms(sp.Function) if s.args == (z,)]  # sigma(z), as the result has it
    loss_expr = result.lhs.expr.subs(z, logit)
    dloss_dz = result.rhs.subs(z, logit)
    return prediction.subs(z, logit), loss_expr, dloss_dz * sp.diff(logit, w), dloss_dz * sp.diff(logit, b)


@cache
def compiled(loss: str) -> tuple[Scalar, Scalar, Scalar]:
    """The loss and its gradients in w and b, as functions of (w, b, x, y), from the catalogue.

    >>> value, grad_w, grad_b = compiled("bce")
    >>> round(grad_w(0.0, 0.0, 1.0, 0.0), 12)  # dL/dz = a - y = 1/2, times dz/dw = x = 1
    0.5
    """
    _output, loss_expr, grad_w, grad_b = expressions(loss)
    return _compile(loss_expr), _compile(grad_w), _compile(grad_b)


def train(start: str, loss: str, learning_rate: float, steps: int, threshold: float) -> Run:
    """Train the neuron from ``start`` under ``loss``; record the loss and output before every update."""
    w0, b0 = STARTS[start]
    return train_from(w0, b0, loss, learning_rate, steps, threshold, start)


def train_from(
    w0: float, b0: float, loss: str, learning_rate: float, steps: int, threshold: float, start: str = ""
) -> Run:
    """Train the neuron from weight ``w0`` and bias ``b0`` (the in-browser replay lets a reader pick them).

    >>> run = train_from(2.0, 2.0, "bce", 0.15, 300, 0.1)
    >>> run.steps_to_below
    50
    """
    value, grad_w, grad_b = compiled(loss)
    weight, bias = w0, b0
    losses, outputs = [], []
    for _ in range(steps + 1):
        losses.append(value(weight, bias, INPUT, TARGET))
        outputs.append(stable_sigmoid(weight * INPUT + bias))
        step_w, step_b = grad_w(weight, bias, INPUT, TARGET), grad_b(weight, bias, INPUT, TARGET)
        weight, bias = weight - learning_rate * step_w, bias - learning_rate * step_b
    below = next((n for n, output in enumerate(outputs) if output < threshold), None)
    return Run(start, loss, w0, b0, tuple(losses), tuple(outputs), below)


def run_experiment(learning_rate: float = 0.15, steps: int = 300, threshold: float = 0.1) -> list[Run]:
    """Every start under every loss: saturated then mild, squared error then BCE.

    >>> runs = run_experiment()
    >>> [(r.start, r.loss, r.steps_to_below) for r in runs]
    [('saturated', 'mse', None), ('saturated', 'bce', 50), ('mild', 'mse', 273), ('mild', 'bce', 41)]
    >>> len(runs[0].losses), round(runs[0].outputs[0], 4)
    (301, 0.982)
    """
    if learning_rate <= 0 or steps < 0:
        raise ValueError("the learning rate must be positive and the number of steps non-negative")
    return [train(start, loss, learning_rate, steps, threshold) for start in STARTS for loss in LOSSES]
