"""Backpropagation through a two-layer sigmoid network with one unit per layer.

The network is z1 = w1 x + b1, a1 = sigma(z1), z2 = w2 a1 + b2, a2 = sigma(z2).
Each gradient is a product of local derivatives (chain rule), each local
derivative a verified result: the output error dL/dz2 from
``mse_sigmoid_grad`` or ``bce_sigmoid_grad``, the hidden slope from
``sigmoid_derivative``.  Every gradient is then checked against finite
differences of the composed loss in w1, b1, w2, b2, x and y.

>>> import derive
>>> derive.get("two_layer_sigmoid_grad").result.lhs.variables
(w2,)
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from derive.model.activations import sigmoid
from derive.model.derivation import Body, Named, Step, entry, eq
from derive.model.domain import LABEL, LOGIT, Domain
from derive.model.symbols import x, y, z
from derive.recipes.losses import bce_in, squared_error_in
from derive.registry import get

w1, b1, w2, b2, z1, z2 = sp.symbols("w1 b1 w2 b2 z1 z2", real=True)
L_SE, L_CE = sp.symbols("L_SE L_CE")
DELTA_SE, DELTA_CE = sp.symbols("delta_SE delta_CE")
PARAMETERS = (w2, b2, w1, b1)


def forward() -> dict[sp.Symbol, sp.Expr]:
    """The pre-activations in terms of the inputs: z1 = w1 x + b1 and z2 = w2 sigma(z1) + b2.

    >>> forward()[z2]
    b2 + w2*sigmoid(b1 + w1*x)
    """
    first = w1 * x + b1
    return {z1: first, z2: w2 * sigmoid(first) + b2}


def _output_error(name: str) -> sp.Expr:
    """dL/dz2 from a verified sigmoid-output gradient, with z renamed z2."""
    return get(name).result.rhs.subs(z, z2)


def _loss_steps(
    loss: Callable[[sp.Expr], sp.Expr], grad_name: str, local: dict[sp.Symbol, sp.Expr], label: str
) -> tuple[list[Step], list[Step]]:
    """The chain for w1 (the output error itself is a named, verified definition) and closed results for one loss."""
    delta = _output_error(grad_name)
    to_inputs = forward()
    composed = loss(sigmoid(to_inputs[z2]))
    output_error = sp.Derivative(loss(sigmoid(z2)), z2)
    # The deepest chain, written with the intermediate z1 and z2 so it reads as backpropagation.
    hidden_chain = output_error * sp.Derivative(w2 * sigmoid(z1) + b2, z1) * sp.Derivative(w1 * x + b1, w1)
    steps = [
        Step(
            eq(hidden_chain, delta * local[w1]),
            "chain rule for the hidden weight {w1}: the output error times the two local slopes above",
            where={z1: LOGIT, z2: LOGIT},
        ),
    ]
    results = []
    for parameter in PARAMETERS:
        chained = delta * local[parameter]
        gradient = sp.Derivative(composed, parameter)
        closed = chained.xreplace({z2: to_inputs[z2]}).xreplace({z1: to_inputs[z1]})
        results.append(
            Step(
                eq(gradient, closed),
                f"the gradient for {{{parameter}}} under {label}: the output error times the slopes on the way",
                symbolic=False,
            )
        )
    return steps, results


@entry(
    "two_layer_sigmoid_grad",
    "Backpropagation in a two-layer sigmoid network",
    uses=("sigmoid_derivative", "mse_sigmoid_grad", "bce_sigmoid_grad"),
)
def two_layer_sigmoid_grad() -> Body:
    """For a network of two sigmoid units in a row, each with one weight and one bias, backpropagation is the chain
    rule. The output error, the gradient in the output logit, comes from `mse_sigmoid_grad` under half the squared
    error and from `bce_sigmoid_grad` under BCE; the output weight's gradient multiplies it by the hidden
    activation and the output bias's by one; the hidden layer multiplies it by the output weight times the hidden
    sigmoid's slope, then by the input for the hidden weight and by one for the hidden bias. Under the squared
    error every gradient carries the output sigmoid's slope; under BCE only the hidden parameters carry a slope,
    the hidden sigmoid's.
    """
    slope = get("sigmoid_derivative").result.rhs
    hidden = sigmoid(z1)
    second = w2 * hidden + b2
    first = w1 * x + b1
    activation = sp.Dummy("a1")
    through_hidden = sp.diff(w2 * activation + b2, activation) * slope.subs(z, z1)
    hid = {z1: LOGIT}
    local = {
        w2: sp.diff(second, w2),
        b2: sp.diff(second, b2),
        w1: through_hidden * sp.diff(first, w1),
        b1: through_hidden * sp.diff(first, b1),
    }
    steps = [
        Step(
            eq(sp.Derivative(second, w2), local[w2]),
            "the output logit is linear in the output weight {w2}, with the hidden activation as slope",
            where=hid,
        ),
        Step(eq(sp.Derivative(second, b2), local[b2]), "and in the output bias {b2}, with slope one", where=hid),
        Step(
            eq(sp.Derivative(second, z1), through_hidden),
            "through the hidden unit: the output weight times the sigmoid's slope, from `sigmoid_derivative`",
            where=hid,
        ),
        Step(
            eq(sp.Derivative(first, w1), sp.diff(first, w1)),
            "the hidden logit is linear in the hidden weight {w1}, with the input {x} as slope",
        ),
        Step(eq(sp.Derivative(first, b1), sp.diff(first, b1)), "and in the hidden bias {b1}, with slope one"),
    ]
    mse_steps, mse_results = _loss_steps(squared_error_in, "mse_sigmoid_grad", local, "half the squared error")
    bce_steps, bce_results = _loss_steps(bce_in, "bce_sigmoid_grad", local, "BCE")
    results = [mse_results[0], bce_results[0], *mse_results[1:], *bce_results[1:]]
    domain = Domain({w1: LOGIT, b1: LOGIT, w2: LOGIT, b2: LOGIT, x: LOGIT, y: LABEL})
    return Body(domain, steps + mse_steps + bce_steps, results, named=_names())


def _names() -> tuple[Named, ...]:
    """The forward pass and the output errors by name, so each gradient prints as a short product."""
    logits = forward()
    output = {z2: LOGIT}
    return (
        Named(z1, logits[z1], "the hidden logit"),
        Named(z2, w2 * sigmoid(z1) + b2, "the output logit, from the hidden activation"),
        Named(L_SE, squared_error_in(sigmoid(z2)), "half the squared error of the output"),
        Named(L_CE, bce_in(sigmoid(z2)), "the binary cross-entropy of the output"),
        Named(
            DELTA_SE,
            sp.Derivative(squared_error_in(sigmoid(z2)), z2),
            "the output error under the squared error, from `mse_sigmoid_grad`",
            _output_error("mse_sigmoid_grad"),
            where=output,
        ),
        Named(
            DELTA_CE,
            sp.Derivative(bce_in(sigmoid(z2)), z2),
            "the output error under BCE, from `bce_sigmoid_grad`",
            _output_error("bce_sigmoid_grad"),
            where=output,
        ),
    )
