"""Shifting the logits: log-sum-exp moves by the shift, softmax does not move at all.

>>> import derive
>>> derive.get("logsumexp_shift").result.rhs
b + log(Sum(exp(z[k]), (k, 1, K)))
"""

from __future__ import annotations

import sympy as sp

from derive.core import Body, Step, entry, eq
from derive.domain import CLASS_COUNT, INDEX, LOGIT, LOGIT_VECTOR, Domain
from derive.functions import softmax
from derive.rules import sum_split
from derive.symbols import K, b, i, k, zv


def split_exponentials(expr: sp.Expr) -> sp.Expr:
    """Write every ``exp(u + v)`` as ``exp(u) * exp(v)``.

    >>> from derive.symbols import b, k, zv
    >>> split_exponentials(sp.exp(zv[k] + b))
    exp(b)*exp(z[k])
    """
    return expr.replace(lambda e: isinstance(e, sp.exp), lambda e: sp.expand(e, power_exp=True))


def log_sum_exp(shift: sp.Expr = sp.S.Zero) -> sp.Expr:
    """``log sum_k exp(z_k + shift)`` over the K classes, as an explicit SymPy sum."""
    return sp.log(sp.Sum(sp.exp(zv[k] + shift), (k, 1, K)))


@entry("logsumexp_shift", "Shifting the logits: log-sum-exp moves by the shift, softmax does not")
def logsumexp_shift() -> Body:
    """Adding the same number b to every logit multiplies every e^{z_k} by e^b, so the sum is multiplied by e^b
    and its logarithm grows by exactly b: log sum_k e^{z_k + b} = b + log sum_k e^{z_k}. In softmax the factor
    e^b appears in the numerator and in the denominator and cancels, so softmax(z + b) = softmax(z). Together
    these make the stable forms exact: choosing b = -max_k z_k makes every exponent at most 0 (nothing
    overflows) and one term equal to 1 (the sum cannot underflow to 0), and the answer is corrected by adding
    the maximum back, exactly, not approximately. Written without the + b, the identity is false: the two sides
    differ by exactly b, so it holds only for b = 0.
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
        Step(eq(shifted_sum, factored_terms), "e^{z_k + b} = e^b e^{z_k}"),
        Step(eq(factored_terms, pulled_out), "e^b does not depend on k: take it out of the sum"),
        Step(eq(sp.log(pulled_out), expanded), "the logarithm of a product is the sum of the logarithms; ln e^b = b"),
        Step(
            eq(shifted_softmax, split_softmax),
            "in softmax the same factor e^b appears in the numerator and the denominator",
        ),
        Step(eq(split_softmax, cancelled), "and cancels (sp.cancel)"),
        Step(eq(log_sum_exp(-b), stable), "the same identity with the shift -b"),
    )
    results = (
        Step(eq(log_sum_exp(b), expanded), "shifting every logit by b shifts log-sum-exp by exactly b"),
        Step(eq(shifted_softmax, softmax(zv, i, K)), "softmax does not change when every logit is shifted by b"),
        Step(
            eq(log_sum_exp(), b + log_sum_exp(-b)),
            "the stable form, exact for every b: with b = max_k z_k every exponent is at most 0",
        ),
        Step(
            eq(log_sum_exp(b) - log_sum_exp(), sp.expand(expanded - log_sum_exp())),
            "the identity without + b is wrong by exactly b: it holds only when b = 0",
        ),
    )
    return Body(Domain({K: CLASS_COUNT, i: INDEX, zv: LOGIT_VECTOR, b: LOGIT}), steps, results)
