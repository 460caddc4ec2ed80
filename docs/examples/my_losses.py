"""My own losses, derived and checked by derive.

    derive check --with my_losses.py pseudo_huber_grad log_cosh_grad smooth_l1_grad
    derive build --with my_losses.py

Every Derivation (and every @entry) at the top level of this file joins the
catalogue for that run: it is checked like the built-in ones and gets a page.
"""

import sympy as sp

import derive
from derive.model.symbols import a, y

# The threshold of the pseudo-Huber loss: `delta` is one of the parameter names
# gradient_through knows (drawn as a positive real in the checks).
delta = sp.Symbol("delta", positive=True)

# Quadratic near the target, linear far from it, and smooth everywhere (unlike Huber).
pseudo_huber_grad = derive.gradient_through(
    delta**2 * (sp.sqrt(1 + ((a - y) / delta) ** 2) - 1),
    a,
    "identity",
    name="pseudo_huber_grad",
    title="Gradient of the pseudo-Huber loss",
)

# log cosh(a - y): also quadratic near the target and linear far from it.
log_cosh_grad = derive.gradient_through(
    sp.log(sp.cosh(a - y)),
    a,
    "identity",
    name="log_cosh_grad",
    title="Gradient of the log-cosh loss",
)

# Smooth-L1: quadratic within beta of the target and linear beyond, written as
# pieces. The derivation differentiates each piece on its own region and checks
# what holds at the two kinks (here both one-sided slopes agree).
error = a - y
beta = sp.Symbol("beta", positive=True)
smooth_l1_grad = derive.gradient_through(
    sp.Piecewise((error**2 / (2 * beta), sp.Abs(error) < beta), (sp.Abs(error) - beta / 2, True)),
    a,
    "identity",
    name="smooth_l1_grad",
    title="Gradient of the smooth-L1 loss",
)
