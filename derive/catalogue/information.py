"""Self-information and entropy, derived from what information should satisfy.

``I`` and ``H`` are unknown functions here: the steps about them are checked
numerically under a concrete family (``Step.model``), which the report names.

>>> import derive
>>> derive.get("self_information").result
Eq(I(p)/I(exp(-1)), -log(p))
>>> derive.get("entropy").result
Eq(H(p), -Sum(log(p[k])*p[k], (k, 1, K)))
"""

from __future__ import annotations

import sympy as sp

from derive.core import Body, Step, entry, eq
from derive.domain import CLASS_COUNT, INDEX, LOGIT, POSITIVE, PROBABILITY, PROBABILITY_VECTOR, Domain
from derive.registry import get
from derive.rules import collapse_delta_sums, sum_split
from derive.symbols import K, i, j, k, p, pv, q

# The unknown functions: I(p) the information in an event of probability p,
# H(p) the entropy and H(p, q) the cross-entropy (two functions that print as H).
I = sp.Function("I", nargs=1)  # noqa: E741  (the usual name)
H = sp.Function("H", nargs=1)
H2 = sp.Function("H", nargs=2)

C = sp.Symbol("C", positive=True)  # the unit of information: I(1/e) = C
t = sp.Symbol("t", positive=True)
lam = sp.Symbol("lambda", real=True)  # Lagrange multiplier of sum_k p_k = 1

# The decreasing solutions of I(pq) = I(p) + I(q), used to check the steps about I.
INFORMATION_FAMILY = {I: sp.Lambda(t, -C * sp.log(t))}


def expected(weights: sp.IndexedBase, value: sp.Expr) -> sp.Sum:
    """The expectation ``sum_k weights_k * value_k`` over the classes 1..K."""
    return sp.Sum(weights[k] * value, (k, 1, K))


def about_i(relation: sp.Basic, why: str) -> Step:
    """A step about the unknown I, checked under its family of solutions."""
    return Step(relation, why, model=INFORMATION_FAMILY)


def nats(variable: sp.Expr) -> sp.Expr:
    """The self-information of an event of probability ``variable``, from ``self_information``."""
    return get("self_information").result.rhs.subs(p, variable)


@entry("self_information", "Self-information from additivity")
def self_information() -> Body:
    """If the information in independent events adds up, I(pq) = I(p) + I(q), and a likelier event
    tells less, then I(p) = -C ln p for some C > 0. Differentiating the functional equation in q and
    setting q = 1 gives an ODE, which sp.dsolve solves with I(1) = 0; the constant C only fixes the
    unit: measured in nats (the information of an event of probability 1/e) I(p) = -ln p, in bits
    (that of a fair coin toss) -log2 p, and bits are nats divided by ln 2."""
    additive = eq(I(p * q), I(p) + I(q))
    chained = sp.diff(I(p * q), q)
    differentiated = eq(chained, sp.diff(I(p) + I(q), q))
    at_one = (differentiated.lhs.subs(q, 1).doit(), differentiated.rhs.subs(q, 1))
    slope = sp.solve(eq(at_one[0], -C), sp.Derivative(I(p), p))[0]
    ode = eq(sp.Derivative(I(p), p), slope)
    zero = sp.solve(eq(additive.lhs.subs({p: 1, q: 1}), additive.rhs.subs({p: 1, q: 1})), I(1))[0]
    solution = sp.dsolve(ode, I(p), ics={I(1): zero}).rhs
    nat, bit = solution.subs(p, sp.exp(-1)), solution.subs(p, sp.Rational(1, 2))
    at_pq = solution.subs(p, p * q)
    steps = (
        about_i(additive, "postulate: the information in two independent events adds up"),
        about_i(sp.Lt(sp.Derivative(I(p), p), 0), "postulate: a likelier event tells less, so I decreases"),
        about_i(eq(sp.Derivative(I(p * q), q), chained), "chain rule: d/dq I(pq) = p I'(pq)"),
        about_i(differentiated, "differentiate the additivity postulate with respect to q"),
        about_i(eq(*at_one), "set q = 1: p I'(p) = I'(1)"),
        about_i(eq(at_one[1], -C), "name the slope at 1: I'(1) = -C, and C > 0 because I decreases"),
        about_i(ode, "divide by p: an ODE for I"),
        about_i(eq(I(1), zero), "additivity at p = q = 1 gives I(1) = 2 I(1), so I(1) = 0 (sp.solve)"),
        about_i(eq(I(p), solution), "solve the ODE with I(1) = 0 (sp.dsolve)"),
        Step(eq(at_pq, sp.expand_log(at_pq, force=True)), "the solution is indeed additive (expand_log)"),
        about_i(eq(I(sp.exp(-1)), nat), "an event of probability 1/e carries C: this unit is the nat"),
        about_i(eq(I(sp.Rational(1, 2)), bit), "a fair coin toss carries C ln 2: this unit is the bit"),
    )
    results = (
        about_i(
            eq(I(p) / I(sp.exp(-1)), sp.expand(solution / nat)),
            "in nats, units of I(1/e): the self-information is -ln p",
        ),
        about_i(
            eq(I(p) / I(sp.Rational(1, 2)), sp.expand_log(solution / bit, force=True)),
            "in bits, units of I(1/2) (a fair coin toss): -log2 p",
        ),
        about_i(eq(I(p) / I(sp.Rational(1, 2)), I(p) / I(sp.exp(-1)) / sp.log(2)), "bits are nats divided by ln 2"),
        about_i(eq(I(p), solution), "every decreasing additive I is a positive multiple of -ln p"),
    )
    return Body(Domain({p: PROBABILITY, q: PROBABILITY, C: POSITIVE}), steps, results)


@entry("entropy", "Entropy, and its maximum ln K", uses=("self_information",))
def entropy() -> Body:
    """The entropy of a distribution p over K outcomes is the expected self-information,
    H(p) = -sum_k p_k ln p_k. On the simplex its only stationary point (Lagrange condition
    -ln p_j - 1 - lambda = 0, the same for every j) is the uniform distribution, and its Hessian
    -delta_ij / p_j is negative definite, so that point is the maximum: H(p) <= ln K, with equality
    exactly at p_k = 1/K. Equivalently H(p) = ln K - D_KL(p || uniform)."""
    term = pv[k] * nats(pv[k])
    closed = sp.factor_terms(sp.Sum(term, (k, 1, K)))
    definition = {H: sp.Lambda(pv, expected(pv, nats(pv[k])))}
    lagrangian = closed - lam * (sp.Sum(pv[k], (k, 1, K)) - 1)
    gradient = collapse_delta_sums(sp.diff(lagrangian, pv[j]))
    stationary = sp.solve(eq(gradient, 0), pv[j])[0]
    total = sp.Sum(stationary, (k, 1, K))
    multiplier = sp.solve(eq(total.doit(), 1), lam)[0]
    hessian = sp.diff(gradient, pv[i])
    uniform = sp.Sum(term.subs(pv[k], 1 / K), (k, 1, K))
    against_uniform = sp.Sum(pv[k] * sp.log(pv[k] / (1 / K)), (k, 1, K))
    expanded = sum_split(sp.expand_log(against_uniform, force=True))
    steps = (
        Step(eq(H(pv), expected(pv, nats(pv[k]))), "definition: the expected self-information", model=definition),
        Step(eq(sp.Derivative(lagrangian, pv[j]), gradient), "Lagrange condition for sum_k p_k = 1 (delta sums)"),
        Step(eq(total, total.doit()), "p_j = exp(-1 - lambda) for all j (sp.solve): the p_k sum to K exp(-1 - lambda)"),
        Step(eq(sp.Subs(total.doit(), lam, multiplier), 1), "the p_j sum to 1 for lambda = ln K - 1 (sp.solve)"),
        Step(eq(sp.Subs(stationary, lam, multiplier), 1 / K), "so the stationary point is uniform: p_j = 1/K"),
        Step(eq(sp.Derivative(gradient, pv[i]), hessian), "the Hessian is diagonal and negative: H is concave"),
        Step(eq(uniform, uniform.doit()), "the entropy of the uniform distribution"),
        Step(eq(against_uniform, expanded), "expand_log the divergence from uniform; split the sum"),
    )
    results = (
        Step(eq(H(pv), closed), "the entropy: expected self-information, in nats", model=definition),
        Step(sp.Le(H(pv), sp.log(K)), "at most ln K: the maximum of a concave function", model=definition),
        Step(eq(uniform, sp.log(K)), "reached at the uniform distribution"),
        Step(eq(H(pv), sp.log(K) - against_uniform), "H(p) = ln K - D_KL(p || uniform)", model=definition),
    )
    return Body(Domain({K: CLASS_COUNT, i: INDEX, j: INDEX, pv: PROBABILITY_VECTOR, lam: LOGIT}), steps, results)
