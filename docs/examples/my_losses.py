"""My own losses, derived and checked by derive.

    derive check --with my_losses.py pseudo_huber_grad log_cosh_grad
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
