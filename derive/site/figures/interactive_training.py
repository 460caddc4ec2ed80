"""Interactive figure (c): the single-neuron experiment, replayed in the browser.

The reader sets the starting weight and bias, the learning rate and the number
of steps; the page trains the neuron under both losses by plain gradient
descent and shows the output at every step, the losses, and the steps until
the output falls below the experiment's threshold.  The output, losses and
gradients are printed from the expressions of
:func:`derive.site.content.experiment.expressions` (the catalogue's
``bce_sigmoid_grad`` and ``mse_sigmoid_grad`` through z = w x + b); the static
figure is the experiment's own training plot.

>>> config()["functions"]["ce"]["gradient_w"]
'training_ce_gradient_w'
"""

from __future__ import annotations

import inspect
from typing import Any

from derive.codegen_js import JsFunction, javascript
from derive.site.content import experiment

REQUIRES = ("bce_sigmoid_grad", "mse_sigmoid_grad")
STATIC = "training"  # the experiment's own figure (derive/site/figures/training.py)
ALT = "Training curves of the experiment: output against step, both starts, both losses"
CAPTION = (
    "Set the starting weight and bias, the learning rate and the number of steps: the neuron is trained again "
    "in your browser under both losses. From a saturated start (a large weight and bias) the squared error "
    "barely moves; cross-entropy brings the output below the dashed line within a few dozen steps."
)
PARAMETERS = ("w", "b", "x", "y")
LOSSES = {"ce": "bce", "se": "mse"}  # the figure's names -> the experiment's
MAX_STEPS = 5000


def _default(name: str) -> Any:
    """A setting of the experiment as the site's static figure ran it (run_experiment's default)."""
    return inspect.signature(experiment.run_experiment).parameters[name].default


def functions() -> list[JsFunction]:
    out = []
    for short, loss in LOSSES.items():
        output, value, grad_w, grad_b = experiment.expressions(loss)
        for key, expr in (("output", output), ("loss", value), ("gradient_w", grad_w), ("gradient_b", grad_b)):
            out.append(javascript(f"training_{short}_{key}", expr, PARAMETERS))
    return out


def config() -> dict[str, Any]:
    weight, bias = experiment.STARTS["saturated"]
    keys = ("output", "loss", "gradient_w", "gradient_b")
    return {
        "functions": {short: {key: f"training_{short}_{key}" for key in keys} for short in LOSSES},
        "weight": weight,
        "bias": bias,
        "learning_rate": _default("learning_rate"),
        "steps": _default("steps"),
        "max_steps": MAX_STEPS,
        "threshold": _default("threshold"),
        "input": experiment.INPUT,
        "target": experiment.TARGET,
    }
