"""Self-information and entropy, derived from what information should satisfy.

``I`` and ``H`` are unknown functions here: the steps about them are checked
numerically under a concrete family (``Step.model``), which the report names:
calculus on a function that is not additive, consequences of additivity on its
solutions, and entropy under its definition as the expected self-information.

>>> import derive
>>> derive.get("self_information").result
Eq(-C*log(p)/Subs(-C*log(p), p, exp(-1)), -log(p))
>>> derive.get("entropy").result
Eq(H(p), -Sum(log(p[k])*p[k], (k, 1, K)))
"""

from __future__ import annotations

import sympy as sp

from derive.model.derivation import Body, Named, Step, entry, eq
from derive.model.domain import CLASS_COUNT, INDEX, LOGIT, POSITIVE, PROBABILITY, PROBABILITY_VECTOR, Domain
from derive.model.symbols import K, i, j, k, p, pv, q
from derive.recipes.losses import H, expected, nats
from derive.recipes.sums import collapse_delta_sums, sum_split

# The unknown functions: I(p) the information in an event of probability p,
# H(p) the entropy and H(p, q) the cross-entropy (two functions that print as H).
I = sp.Function("I", nargs=1)  # noqa: E741  (the usual name)

C = sp.Symbol("C", positive=True)  # the unit of information: I(1/e) = C
t = sp.Symbol("t", positive=True)
lam = sp.Symbol("lambda", real=True)  # Lagrange multiplier of sum_k p_k = 1

# The decreasing solutions of I(pq) = I(p) + I(q), used to check the steps about I.
INFORMATION_FAMILY = {I: sp.Lambda(t, -C * sp.log(t))}
# A smooth function that is not additive (unless alpha = kappa = 0): calculus that holds for every I
# holds for it, while a step that secretly needs additivity fails on it.
alpha, beta, kappa = sp.symbols("alpha beta kappa", real=True)
GENERIC_FAMILY = {I: sp.Lambda(t, alpha * t**2 + beta * sp.log(t) + kappa * t)}
GENERIC_PARAMETERS = {alpha: LOGIT, beta: LOGIT, kappa: LOGIT}


def on_solutions(relation: sp.Basic, why: str) -> Step:
    """A consequence of additivity, checked on the family of its solutions ``-C ln t``."""
    return Step(relation, why, model=INFORMATION_FAMILY)


def calculus(relation: sp.Basic, why: str) -> Step:
    """Pure calculus about the unknown I, checked on a function that is *not* additive, so it can fail."""
    return Step(relation, why, model=GENERIC_FAMILY)


@entry("self_information", "Self-information from additivity")
def self_information() -> Body:
    """If the information in independent events adds up, and a likelier event tells less, then the information
    in an event is a negative multiple of the logarithm of its probability. Differentiating the additivity rule
    and setting one probability to one gives a differential equation, which has one family of solutions; putting its
    solutions back into the rule leaves only those that vanish for a certain event. The constant only fixes the
    unit: nats (the information of an event of probability one over e) or bits (that of a fair coin toss), and
    bits are nats divided by the logarithm of 2. The calculus steps are checked on a function that is not
    additive, the consequences of additivity on the solutions, and the results are stated with the solution
    itself."""
    additive = eq(I(p * q), I(p) + I(q))
    chained = sp.diff(I(p * q), q)
    differentiated = eq(chained, sp.diff(I(p) + I(q), q))
    at_one = (differentiated.lhs.subs(q, 1).doit(), differentiated.rhs.subs(q, 1))
    slope = sp.solve(eq(at_one[0], -C), sp.Derivative(I(p), p))[0]
    ode = eq(sp.Derivative(I(p), p), slope)
    general = sp.dsolve(ode, I(p)).rhs
    (constant,) = general.free_symbols - {p, C}
    gap = general.subs(p, p * q) - general - general.subs(p, q)
    collected = sp.expand(sp.expand_log(gap, force=True))
    (zero,) = sp.solve(eq(collected, 0), constant)
    solution = general.subs(constant, zero)
    nat, bit = sp.Subs(solution, p, sp.exp(-1)), sp.Subs(solution, p, sp.Rational(1, 2))
    in_nats, in_bits = solution / nat, solution / bit
    steps = (
        on_solutions(additive, "postulate: the information in two independent events adds up"),
        on_solutions(
            sp.Lt(sp.Derivative(I(p), p), 0), "postulate: a likelier event tells less, so the information decreases"
        ),
        calculus(
            eq(sp.Derivative(I(p * q), q), chained),
            "chain rule on the information of a joint event, differentiated with respect to the second probability {q}",
        ),
        on_solutions(
            differentiated, "differentiate the additivity postulate with respect to the second probability {q}"
        ),
        calculus(
            eq(sp.Subs(chained, q, 1), at_one[0]),
            "set the second probability to one: the left side becomes the first probability times the slope there",
        ),
        on_solutions(eq(*at_one), "so that product equals the slope at one, a constant"),
        on_solutions(
            eq(at_one[1], -C),
            "write the slope at one as minus a constant {C}, which is positive because the information decreases",
        ),
        on_solutions(ode, "divide by the probability: a differential equation for the information"),
        Step(
            eq(sp.Derivative(general, p), slope.subs(I(p), general)),
            f"solve the differential equation: a multiple of the logarithm plus any constant {{{constant}}}",
        ),
        Step(
            eq(gap, collected),
            "put the solution into the additivity postulate and expand the logarithms: they cancel",
        ),
        Step(
            eq(sp.Subs(gap, constant, zero), 0),
            f"so additivity holds only when the constant {{{constant}}} is zero",
        ),
    )
    results = (
        Step(
            eq(in_nats, sp.expand(in_nats.doit())),
            "in nats, the information of an event of probability one over e: minus the natural logarithm",
        ),
        Step(
            eq(in_bits, sp.expand_log(in_bits.doit(), force=True)),
            "in bits, the information of a fair coin toss: minus the base-2 logarithm",
        ),
        Step(eq(in_bits, in_nats / sp.log(2)), "bits are nats divided by the logarithm of 2"),
        Step(
            eq(solution.subs(p, p * q), solution + solution.subs(p, q)),
            "every decreasing additive information is a positive multiple of minus the logarithm, and these do add up",
        ),
        Step(sp.Lt(sp.Derivative(solution, p), 0, evaluate=False), "and decrease, since {C} is positive"),
    )
    # The results print with the solution named: I(p) / I(1/e) rather than the expression over itself at a point.
    named = (
        Named(
            I(p), solution, "the information the postulates leave: a positive multiple of minus the log", in_steps=False
        ),
    )
    return Body(
        Domain({p: PROBABILITY, q: PROBABILITY, C: POSITIVE, constant: LOGIT, **GENERIC_PARAMETERS}),
        steps,
        results,
        named=named,
    )


@entry("entropy", "Entropy, and where it is largest", uses=("self_information",))
def entropy() -> Body:
    """The entropy of a distribution over {K} outcomes is its expected self-information. Among distributions,
    its only stationary point (from a Lagrange multiplier for the constraint that the probabilities sum to one)
    is the uniform distribution, and its Hessian is negative definite, so that point is the maximum: the entropy
    is at most the logarithm of {K}, with equality exactly for the uniform distribution. Equivalently, the
    entropy is the logarithm of {K} less the divergence from the uniform distribution."""
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
        Step(
            eq(sp.Derivative(lagrangian, pv[j]), gradient),
            "Lagrange condition for probabilities that sum to one (the Kronecker deltas collapse the sums)",
        ),
        Step(
            eq(total, total.doit()),
            "every stationary probability is the same, fixed by the multiplier: sum the {K} equal terms",
        ),
        Step(
            eq(sp.Subs(total.doit(), lam, multiplier), 1),
            "they sum to one for a single value of the multiplier",
        ),
        Step(
            eq(sp.Subs(stationary, lam, multiplier), 1 / K),
            "so the stationary point is uniform: every class gets one over {K}",
        ),
        Step(
            eq(sp.Derivative(gradient, pv[i]), hessian), "the Hessian is diagonal and negative: the entropy is concave"
        ),
        Step(eq(uniform, uniform.doit()), "the entropy of the uniform distribution"),
        Step(
            eq(against_uniform, expanded),
            "expand the logarithm in the divergence from the uniform distribution and split the sum",
        ),
    )
    results = (
        Step(eq(H(pv), closed), "the entropy: expected self-information, in nats", model=definition),
        Step(
            sp.Le(H(pv), sp.log(K)),
            "at most the logarithm of {K}: the maximum of a concave function",
            model=definition,
            equality_cases=({pv: sp.Lambda(k, 1 / K)},),
        ),
        Step(eq(uniform, sp.log(K)), "reached at the uniform distribution"),
        Step(
            eq(H(pv), sp.log(K) - against_uniform),
            "the entropy is the logarithm of {K} less the divergence from the uniform distribution",
            model=definition,
        ),
    )
    return Body(Domain({K: CLASS_COUNT, i: INDEX, j: INDEX, pv: PROBABILITY_VECTOR, lam: LOGIT}), steps, results)
