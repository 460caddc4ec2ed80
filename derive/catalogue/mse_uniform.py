"""Why MSE is a poor judge of a classifier: it prefers the wrong classes to be spread evenly.

For a one-hot label of class c and a fixed a_c, the squared error still moves
with how the rest, 1 - a_c, is shared among the other K - 1 classes; a
Lagrange multiplier shows it is smallest for an even share.  Cross-entropy
-ln a_c does not look at the other classes at all.

>>> explicit_lagrange_share(3)
1/2 - a[1]/2
"""

from __future__ import annotations

import sympy as sp

from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import CLASS_COUNT, INDEX, LOGIT, PROBABILITY_VECTOR, Domain, one_hot_at
from derive.model.symbols import K, av, j, k, yv
from derive.recipes.one_hot import TRUE_CLASS as P
from derive.recipes.one_hot import one_hot_label
from derive.recipes.sums import sum_over_others, tidy_sums

LAMBDA = sp.Symbol("lambda", real=True)


def _agree(derived: sp.Expr, claimed: sp.Expr, what: str) -> None:
    """Refuse to build if a closed form stated for display differs from what SymPy derived."""
    difference = sp.expand(derived - claimed)
    # a delta picks its index: a_c delta_cj is a_j delta_cj, whichever of the two SymPy wrote
    difference = difference.replace(
        lambda e: isinstance(e, sp.Mul) and any(isinstance(f, sp.KroneckerDelta) for f in e.args),
        _delta_picks,
    )
    if sp.cancel(sp.expand(difference)) != 0:
        raise AssertionError(f"the derivation did not give {what}")


def _delta_picks(term: sp.Mul) -> sp.Expr:
    """In a product with a Kronecker delta of two indices, write every entry with the delta's larger index."""
    (delta, *_) = [f for f in term.args if isinstance(f, sp.KroneckerDelta)]
    first, second = sorted(delta.args, key=sp.default_sort_key)
    return term.xreplace({first: second}) if first.is_Symbol and second.is_Symbol else term


def explicit_lagrange_share(classes: int) -> sp.Expr:
    """Solve the Lagrange system at a concrete K with c = 1; return the share of each other class.

    Minimises (1 - a_1)^2 + a_2^2 + ... + a_K^2 over a_2..a_K with the a_k
    summing to 1, and checks that every other class gets the same share.
    """
    others = [av[n] for n in range(2, classes + 1)]
    lagrangian = (1 - av[1]) ** 2 + sum(x**2 for x in others) - LAMBDA * (av[1] + sum(others) - 1)
    equations = [sp.diff(lagrangian, x) for x in others] + [av[1] + sum(others) - 1]
    (solution,) = sp.solve(equations, [*others, LAMBDA], dict=True)
    shares = {solution[x] for x in others}
    if len(shares) != 1:
        raise AssertionError(f"unequal shares at K = {classes}: {shares}")
    return shares.pop()


@entry("mse_prefers_uniform", "Squared error prefers spreading the wrong probability evenly")
def mse_prefers_uniform() -> Body:
    """With a one-hot label, the squared error depends not only on the true class's probability but also on how
    the remaining probability is shared among the other classes. Holding the true class's probability fixed and
    minimising with a Lagrange multiplier for probabilities summing to one gives every other class the same share,
    and completing the square shows that the excess over that minimum is the spread of the other probabilities
    around their mean. The squared error therefore rewards an even spread of the wrong classes, an opinion about
    classes the label says nothing about, while cross-entropy depends on the true class's probability alone.
    """
    a_c = av[P]
    mse = sp.Sum((av[k] - yv[k]) ** 2, (k, 1, K))
    hot = one_hot_label(mse, P)
    expanded = tidy_sums(hot)
    others_squared = sum_over_others(av[k] ** 2, k, P, K)
    regrouped = (1 - a_c) ** 2 + others_squared
    _agree(tidy_sums(regrouped), expanded, "(1 - a_c)^2 + sum_(k != c) a_k^2")

    # Lagrange: a_c held fixed, the other a_k free, subject to sum_k a_k = 1.
    lagrangian = others_squared - LAMBDA * (sp.Sum(av[k], (k, 1, K)) - 1)
    slope = tidy_sums(sp.diff(lagrangian, av[j]))
    slope_claim = 2 * (1 - sp.KroneckerDelta(j, P)) * av[j] - LAMBDA
    others_total = sum_over_others(av[k], k, P, K)
    remaining = tidy_sums(others_total).subs(sp.Sum(av[k], (k, 1, K)), 1)
    equal_share = LAMBDA / 2
    shared_total = sp.factor(tidy_sums(sum_over_others(equal_share, k, P, K)))
    (multiplier,) = sp.solve(shared_total - remaining, LAMBDA)
    share = (1 - a_c) / (K - 1)
    least = (1 - a_c) ** 2 / (K - 1)
    minimum = (1 - a_c) ** 2 + least
    spread = sum_over_others((av[k] - share) ** 2, k, P, K)
    excess = tidy_sums(spread).subs(sp.Sum(av[k], (k, 1, K)), 1)
    _agree(slope, slope_claim, "the slope of the Lagrangian")
    _agree(equal_share.subs(LAMBDA, multiplier), share, "the share (1 - a_c)/(K - 1)")
    _agree(tidy_sums(sum_over_others(share**2, k, P, K)), least, "the least sum of squares")
    _agree(tidy_sums(regrouped - minimum), excess, "the completed square")
    if any(explicit_lagrange_share(n) != share.subs({K: n, P: 1}) for n in (3, 4)):
        raise AssertionError("the explicit Lagrange systems disagree with the symbolic share")

    cross_entropy = -sp.Sum(yv[k] * sp.log(av[k]), (k, 1, K))
    ce_hot = tidy_sums(one_hot_label(cross_entropy, P))
    ce_slope = tidy_sums(sp.diff(ce_hot, av[j]))
    steps = (
        Step(eq(mse, hot), "the label is one-hot at the class {c}: a Kronecker delta", symbolic=False),
        Step(
            eq(hot, expanded),
            "expand the square and split the sum; the Kronecker delta keeps the term of class {c}",
            symbolic=False,
        ),
        Step(eq(expanded, regrouped), "regroup: the true class, and the sum over the other classes", symbolic=False),
        Step(
            eq(sp.Derivative(lagrangian, av[j]), slope),
            "Lagrangian for a fixed true-class probability, all probabilities summing to one: its slope in {a_j}",
            symbolic=False,
        ),
        Step(
            eq(slope, slope_claim),
            "regroup: for any other class it vanishes where the probability is half the multiplier",
        ),
        Step(eq(others_total, remaining), "the other classes share what the true class leaves", symbolic=False),
        Step(
            eq(sum_over_others(equal_share, k, P, K), shared_total),
            "so every other class has the same stationary probability: put it into their total",
            symbolic=False,
        ),
        Step(eq(sp.Subs(shared_total - remaining, LAMBDA, multiplier), 0), "solve for the multiplier {lambda}"),
        Step(eq(sp.Subs(equal_share, LAMBDA, multiplier), share), "so each other class gets an equal share"),
        Step(
            eq(sum_over_others(share**2, k, P, K), least),
            "add up the equal squares of the other classes",
            symbolic=False,
        ),
    )
    # The even split (here with a third on the true class), where the bound is reached.
    even_split = sp.Lambda(k, sp.KroneckerDelta(k, P) / 3 + (1 - sp.KroneckerDelta(k, P)) * 2 / (3 * (K - 1)))
    results = (
        Step(
            sp.Ge(mse, minimum),
            "at a fixed true-class probability, the squared error is never below the even split's value",
            symbolic=False,
            equality_cases=({av: even_split},),
        ),
        Step(eq(mse, regrouped), "the squared error for a one-hot label of class {c}", symbolic=False),
        Step(eq(regrouped - minimum, spread), "complete the square: the excess is the others' spread", symbolic=False),
        Step(
            eq(cross_entropy, ce_hot),
            "cross-entropy for the same label reads the true class's probability alone",
            symbolic=False,
        ),
        Step(
            eq(sp.Derivative(cross_entropy, av[j]), ce_slope),
            "and does not move with any other class's probability",
            symbolic=False,
        ),
    )
    domain = Domain({K: CLASS_COUNT, P: INDEX, j: INDEX, av: PROBABILITY_VECTOR, yv: one_hot_at(P), LAMBDA: LOGIT})
    return Body(domain, steps, results)
