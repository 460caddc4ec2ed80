"""Shifting the logits: log-sum-exp moves by the shift, softmax does not move at all.

>>> import derive
>>> derive.get("logsumexp_shift").result.rhs
b + log(Sum(exp(z[k]), (k, 1, K)))
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import softmax
from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import CLASS_COUNT, INDEX, LOGIT, LOGIT_VECTOR, Domain
from derive.model.symbols import K, b, i, k, zv
from derive.recipes.sums import sum_split


def split_exponentials(expr: sp.Expr) -> sp.Expr:
    """Write every ``exp(u + v)`` as ``exp(u) * exp(v)``.

    >>> from derive.model.symbols import b, k, zv
    >>> split_exponentials(sp.exp(zv[k] + b))
    exp(b)*exp(z[k])
    """
    return expr.replace(lambda e: isinstance(e, sp.exp), lambda e: sp.expand(e, power_exp=True))


def log_sum_exp(shift: sp.Expr = sp.S.Zero) -> sp.Expr:
    """``log sum_k exp(z_k + shift)`` over the K classes, as an explicit SymPy sum."""
    return sp.log(sp.Sum(sp.exp(zv[k] + shift), (k, 1, K)))


@entry("logsumexp_shift", "Shifting the logits: log-sum-exp moves by the shift, softmax does not")
def logsumexp_shift() -> Body:
    """Adding the same number {b} to every logit multiplies every exponential by the same factor, so the sum is
    multiplied by it and its logarithm grows by exactly {b}. In softmax the factor appears in the numerator and
    in the denominator and cancels, so softmax does not change. Together these make the stable forms exact:
    shifting by minus the largest logit makes every exponent at most zero (nothing overflows) and one term equal
    to one (the sum cannot underflow to zero), and adding the largest logit back corrects the answer exactly, not
    approximately. Written without the shift on one side, the identity is false: the two sides differ by exactly
    the shift, so it holds only for a zero shift.
    """
    shifted_sum = sp.Sum(sp.exp(zv[k] + b), (k, 1, K))
    factored_terms = split_exponentials(shifted_sum)
    pulled_out = sum_split(factored_terms)
    expanded = sp.expand_log(sp.log(pulled_out), force=True)
    stable = sp.expand_log(sp.log(sum_split(split_exponentials(sp.Sum(sp.exp(zv[k] - b), (k, 1, K))))), force=True)

    shifted_softmax = sp.exp(zv[i] + b) / shifted_sum
    # Unevaluated, or SymPy would cancel e^b before the step that says so.
    split_softmax = sp.Mul(
        sp.Mul(sp.exp(b), sp.exp(zv[i]), evaluate=False),
        sp.Pow(sp.Mul(sp.exp(b), pulled_out / sp.exp(b), evaluate=False), -1, evaluate=False),
        evaluate=False,
    )
    cancelled = sp.cancel(split_softmax)
    explicit = sp.exp(zv[i]) / sp.Sum(sp.exp(zv[k]), (k, 1, K))
    if cancelled != explicit:
        raise AssertionError("e^b did not cancel from the shifted softmax")
    steps = (
        Step(eq(shifted_sum, factored_terms), "the exponential of a sum is the product of the exponentials"),
        Step(
            eq(factored_terms, pulled_out),
            "the shift's exponential does not depend on the class: take it out of the sum",
        ),
        Step(
            eq(sp.log(pulled_out), expanded),
            "the logarithm of a product is the sum of the logarithms, and it undoes the exponential",
        ),
        Step(
            eq(shifted_softmax, split_softmax),
            "in softmax the shift's exponential appears in the numerator and the denominator",
        ),
        Step(eq(split_softmax, cancelled), "and cancels"),
        Step(eq(log_sum_exp(-b), stable), "the same identity with the opposite shift"),
    )
    results = (
        Step(eq(log_sum_exp(b), expanded), "shifting every logit by {b} shifts log-sum-exp by exactly {b}"),
        Step(eq(shifted_softmax, softmax(zv, i, K)), "softmax does not change when every logit is shifted by {b}"),
        Step(
            eq(log_sum_exp(), b + log_sum_exp(-b)),
            "the stable form, exact for every shift: with the largest logit as {b}, every exponent is at most zero",
        ),
        Step(
            eq(log_sum_exp(b) - log_sum_exp(), sp.expand(expanded - log_sum_exp())),
            "the identity without the shift on the right is wrong by exactly {b}: it holds only for a zero shift",
        ),
    )
    return Body(Domain({K: CLASS_COUNT, i: INDEX, zv: LOGIT_VECTOR, b: LOGIT}), steps, results)
