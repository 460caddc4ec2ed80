"""Gradients of BCE and of the squared error through a sigmoid output, with respect to the logit.

Both follow the same chain rule, dL/dz = dL/da * da/dz, with da/dz = a(1 - a)
taken from ``sigmoid_derivative``.  Under BCE the factor a(1 - a) cancels
against the loss's own denominators; under the squared error it stays.

>>> import derive
>>> derive.get("bce_sigmoid_grad").result.rhs
-y + sigmoid(z)
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import sigmoid
from derive.model.derivation import Body, Named, Step, entry, eq
from derive.model.domain import LABEL, LOGIT, PROBABILITY, Domain
from derive.model.symbols import a, y, z
from derive.recipes.chain_rule import scalar_chain
from derive.recipes.losses import bce_in, squared_error_in
from derive.registry import get


def _sigmoid_slope() -> sp.Expr:
    """da/dz as a function of sigma(z), from the verified ``sigmoid_derivative``."""
    return get("sigmoid_derivative").result.rhs


CHAIN_RULE = "chain rule: the loss's slope in the prediction times the prediction's slope in the logit"


L = sp.Symbol("L")
L_CE = sp.Symbol("L_CE")


def loss_names(symbol: sp.Symbol, loss: sp.Expr, what: str) -> tuple[Named, Named]:
    """The loss of a page named ``symbol``, whether written in the prediction {a} or in the logit."""
    return (
        Named(symbol, loss.xreplace({sigmoid(z): a}), f"the loss on this page, {what}, of the prediction"),
        Named(symbol, loss, f"the same loss, {what}, with the prediction a sigmoid of the logit"),
    )


def _domain() -> Domain:
    return Domain({z: LOGIT, y: LABEL, a: PROBABILITY})


@entry("bce_sigmoid_grad", "Gradient of BCE through a sigmoid", uses=("bernoulli_nll_bce", "sigmoid_derivative"))
def bce_sigmoid_grad() -> Body:
    """Binary cross-entropy of a sigmoid prediction, differentiated with respect to the logit: by the chain rule,
    the loss's slope in the prediction times the sigmoid's slope. The sigmoid's slope cancels both denominators of
    the loss's slope, leaving the prediction minus the label, for any label from 0 to 1. The gradient is the plain
    prediction error: it is large when the prediction is far from the label, however saturated the sigmoid is.
    """
    s = sigmoid(z)
    loss_in_a = bce_in(a)
    chain = scalar_chain(loss_in_a, a, "sigmoid")
    dloss_da, slope, chained = chain.dloss, _sigmoid_slope(), chain.substituted
    # Kept unevaluated, so the page shows the two cancelled terms before the y*a terms cancel each other.
    distributed = sp.Add(*(sp.cancel(term.subs(a, s) * slope) for term in sp.Add.make_args(dloss_da)), evaluate=False)
    closed = sp.Add(*distributed.args)
    gradient = sp.Derivative(bce_in(s), z)
    likelihood = get("bernoulli_nll_bce").result
    steps = (
        Step(
            eq(likelihood.lhs, loss_in_a), "the loss: the Bernoulli negative log-likelihood, from `bernoulli_nll_bce`"
        ),
        Step(eq(sp.Derivative(loss_in_a, a), dloss_da), "differentiate the BCE with respect to the prediction {a}"),
        Step(eq(sp.Derivative(s, z), slope), "the sigmoid's slope, from `sigmoid_derivative`"),
        Step(eq(gradient, chain.chained), CHAIN_RULE),
        Step(eq(gradient, chained), "substitute the sigmoid's slope, from `sigmoid_derivative`"),
        Step(eq(chained, distributed), "multiply out: each factor of the slope cancels one denominator"),
        Step(eq(distributed, closed), "add the two terms: the products of label and prediction cancel"),
    )
    results = (
        Step(eq(gradient, closed), "the BCE gradient with respect to the logit is the prediction error"),
        Step(
            sp.Le(sp.Abs(gradient), 1),
            "it never exceeds 1 in size, since the prediction and the label both lie between 0 and 1",
        ),
    )
    return Body(_domain(), steps, results, named=loss_names(L, bce_in(s), "binary cross-entropy"))


@entry(
    "mse_sigmoid_grad",
    "Gradient of the squared error through a sigmoid",
    uses=("sigmoid_derivative", "bce_sigmoid_grad"),
)
def mse_sigmoid_grad() -> Body:
    """Half the squared error of a sigmoid prediction, differentiated with respect to the logit: by the chain rule,
    the prediction error times the sigmoid's slope, which nothing cancels. That slope is at most a quarter, so this
    gradient is at most a quarter of the BCE gradient, and far smaller wherever the sigmoid saturates.
    """
    s = sigmoid(z)
    loss_in_a = squared_error_in(a)
    chain = scalar_chain(loss_in_a, a, "sigmoid")
    dloss_da, slope, closed = chain.dloss, _sigmoid_slope(), chain.substituted
    gradient = sp.Derivative(squared_error_in(s), z)
    bce_gradient = get("bce_sigmoid_grad").result
    steps = (
        Step(
            eq(sp.Derivative(loss_in_a, a), dloss_da),
            "differentiate the squared error with respect to the prediction {a}",
        ),
        Step(eq(sp.Derivative(s, z), slope), "the sigmoid's slope, from `sigmoid_derivative`"),
        Step(eq(gradient, chain.chained), CHAIN_RULE),
        Step(eq(gradient, closed), "substitute the sigmoid's slope, from `sigmoid_derivative`: nothing cancels it"),
    )
    results = (
        Step(eq(gradient, closed), "the squared-error gradient keeps the sigmoid's slope as a factor"),
        Step(
            eq(gradient, bce_gradient.lhs * slope),
            "it is the BCE gradient (from `bce_sigmoid_grad`) times the sigmoid's slope",
        ),
        Step(
            sp.Le(sp.Abs(gradient), sp.Abs(bce_gradient.rhs) / 4),
            "so it is at most a quarter of the BCE gradient, as the sigmoid's slope never exceeds a quarter",
            equality_cases=({z: 0},),
        ),
    )
    named = (*loss_names(L, squared_error_in(s), "half the squared error"), *loss_names(L_CE, bce_in(s), "BCE"))
    return Body(_domain(), steps, results, named=named)
