"""Why the squared error stalls on confidently wrong predictions and cross-entropy does not.

The gradients come from the catalogue (``mse_sigmoid_grad``, ``bce_sigmoid_grad``,
``mse_softmax_grad``, ``cce_softmax_grad``); this module rewrites them in
exponentials and lets ``sympy.limit`` push the logit to infinity.

>>> import derive
>>> derive.get("saturation_limits").result.rhs
0
"""

from __future__ import annotations

import sympy as sp

from derive.model.activations import sigmoid, softmax
from derive.model.derivation import Body, Step, entry, eq
from derive.model.domain import CLASS_COUNT, INDEX, LOGIT, LOGIT_VECTOR, POSITIVE, Domain
from derive.model.symbols import K, i, k, y, yv, z, zv
from derive.recipes.losses import bce_in, squared_error_in
from derive.registry import get

# The true class c of a one-hot label (an index), the logit z_c as a plain
# symbol t that a limit can move, and the other classes' exponentials.
P = sp.Symbol("c", integer=True, positive=True)
t = sp.Symbol("t", real=True)
R = sp.Symbol("R", positive=True)
Q = sp.Symbol("Q", positive=True)
# The exponential that a logit's limit sends to 0 from above: u = e^z as z -> -oo, u = e^-z as z -> +oo.
u = sp.Symbol("u", positive=True)
# The logit at which the experiment's saturated neuron starts: w x + b = 2 * 1 + 2.
SATURATED_LOGIT = 4


def limit_at_infinity(expr: sp.Expr, variable: sp.Symbol, direction: sp.Expr) -> sp.Expr:
    """``sp.limit`` of an expression in e^variable, taken as u -> 0+ on the rational function of u it becomes.

    Gruntz's algorithm on the exponentials takes seconds; the rational form takes milliseconds.

    >>> limit_at_infinity(1 / (1 + sp.exp(-z)), z, -sp.oo)
    0
    """
    towards = {sp.exp(variable): u, sp.exp(-variable): 1 / u}
    if direction is sp.S.Infinity:
        towards = {sp.exp(-variable): u, sp.exp(variable): 1 / u}
    rational = sp.cancel(expr.xreplace(towards))
    if variable in rational.free_symbols:
        raise ValueError(f"{expr} is not a function of e^{variable} alone")
    return sp.limit(rational, u, 0, "+")


def _sigmoid_case(name: str, loss: sp.Expr, label: int, direction: sp.Expr) -> tuple[list[Step], Step, sp.Expr]:
    """Steps and limit result for one sigmoid-output gradient at a fixed label, logit to ``direction``."""
    gradient = get(name).result.rhs.subs(y, label)
    in_exp = gradient.rewrite(sp.exp)
    steps = [
        Step(eq(sp.Derivative(loss.subs(y, label), z), gradient), f"`{name}` with the label set to {label}"),
        Step(eq(gradient, in_exp), "write the sigmoid in exponentials, by its definition"),
    ]
    limit = Step(
        eq(sp.Limit(in_exp, z, direction), limit_at_infinity(in_exp, z, direction)), "the limit", symbolic=False
    )
    return steps, limit, gradient


def _titled(step: Step, why: str) -> Step:
    return Step(step.eq, why, symbolic=step.symbolic)


def _others(term: sp.Expr) -> sp.Expr:
    """sum over the classes k != c of ``term``, as a full sum with a 1 - delta factor."""
    return sp.Sum((1 - sp.KroneckerDelta(k, P)) * term, (k, 1, K))


def _softmax_case() -> tuple[list[Step], list[Step]]:
    """The true class's gradient under squared error and CE as its logit t = z_c goes to -oo."""
    a_c = softmax(zv, P, K)
    others_squared = _others(softmax(zv, k, K) ** 2)
    mse = get("mse_softmax_grad").results[1]
    if others_squared not in mse.rhs.atoms(sp.Sum):
        raise AssertionError("mse_softmax_grad no longer states its one-hot form with sum_(k != c) a_k^2")
    cce = get("cce_softmax_grad").results[1]
    cce_at_p = cce.rhs.xreplace({i: P}).subs(yv[P], 1)

    rest, rest_squared = _others(sp.exp(zv[k])), _others(sp.exp(2 * zv[k]))
    unknowns, values = (t, R, Q), (zv[P], rest, rest_squared)
    a_c_in_t = sp.exp(t) / (sp.exp(t) + R)
    squares_in_t = Q / (sp.exp(t) + R) ** 2
    mse_in_t = mse.rhs.xreplace({a_c: a_c_in_t, others_squared: squares_in_t})
    cce_in_t = cce_at_p.xreplace({a_c: a_c_in_t})
    if mse_in_t.has(softmax, zv) or cce_in_t.has(softmax, zv):
        raise AssertionError("the softmax gradients did not come out in t, R and Q alone")
    # Only these steps need the logit vector: the others run on scalars, which are cheaper to draw.
    vectors = {P: INDEX, zv: LOGIT_VECTOR}
    rewritten = [
        Step(
            eq(a_c, sp.Subs(a_c_in_t, unknowns[:2], values[:2])),
            "the true class's softmax: its logit named {t}, the other classes' exponentials summed into {R}",
            symbolic=False,
            where=vectors,
        ),
        Step(
            eq(mse.rhs, sp.Subs(mse_in_t, unknowns, values)),
            "`mse_softmax_grad` for a one-hot label, in {t}, {R} and {Q}, summing the others' squared exponentials",
            symbolic=False,
            where=vectors,
        ),
        Step(
            eq(cce_at_p, sp.Subs(cce_in_t, unknowns[:2], values[:2])),
            "`cce_softmax_grad` at the true class, whose label entry is 1, written in {t} and {R}",
            symbolic=False,
            where=vectors,
        ),
    ]
    far = -sp.oo
    in_logits = dict(zip(unknowns[1:], values[1:], strict=True))
    steps = []
    results = []
    for expr, name, why in (
        (
            a_c_in_t,
            "the true class's probability",
            "the true class's probability goes to zero as its logit falls, the other logits fixed",
        ),
        (mse_in_t, "the squared error's gradient", "so the squared error's gradient at the true class vanishes"),
        (
            cce_in_t,
            "the cross-entropy gradient",
            "while the cross-entropy gradient at the true class tends to minus one",
        ),
    ):
        value = limit_at_infinity(expr, t, far)
        steps.append(
            Step(
                eq(sp.Limit(expr, t, far), value),
                f"{name} as {{t}} goes to minus infinity, for any {{R}} and {{Q}}",
                symbolic=False,
            )
        )
        # The same limit with R and Q written out as the sums over the other classes' logits.
        results.append(Step(eq(sp.Limit(expr.xreplace(in_logits), t, far), value), why, symbolic=False, where=vectors))
    return [*rewritten, *steps], results


@entry(
    "saturation_limits",
    "Confidently wrong: where the squared error stops learning",
    uses=("sigmoid_derivative", "mse_sigmoid_grad", "bce_sigmoid_grad", "mse_softmax_grad", "cce_softmax_grad"),
)
def saturation_limits() -> Body:
    """When a sigmoid output is confidently wrong (a label of 1 while the logit goes to minus infinity), the
    gradient of the squared error with respect to the logit tends to zero, because its factor, the sigmoid's
    slope, vanishes, while the BCE gradient tends to minus one: cross-entropy pushes hardest exactly where the
    squared error stops. At the experiment's saturated start (a logit of 4) the sigmoid's slope is already below
    one fiftieth. Softmax behaves the same: as the true class's logit goes to minus infinity with the other logits
    fixed, its probability goes to zero, the squared error's gradient at that logit goes to zero, and the
    cross-entropy gradient goes to minus one.
    """
    s = sigmoid(z)
    mse_steps, mse_limit, mse_gradient = _sigmoid_case("mse_sigmoid_grad", squared_error_in(s), 1, -sp.oo)
    bce_steps, bce_limit, bce_gradient = _sigmoid_case("bce_sigmoid_grad", bce_in(s), 1, -sp.oo)

    slope = get("sigmoid_derivative").result.rhs
    ratio = sp.cancel(mse_gradient / bce_gradient)
    if sp.expand(ratio - slope) != 0:
        raise AssertionError("the ratio of the two gradients is not the sigmoid's slope")
    at_start = sp.diff(sigmoid(z).rewrite(sp.exp), z).subs(z, SATURATED_LOGIT)
    softmax_steps, softmax_results = _softmax_case()
    steps = [
        *mse_steps,
        *bce_steps,
        Step(
            eq(mse_steps[0].eq.lhs / bce_steps[0].eq.lhs, slope),
            "their ratio, simplified, is the sigmoid's slope",
        ),
        Step(
            eq(sp.Subs(slope, z, SATURATED_LOGIT), at_start),
            "the slope at the saturated start, a logit of 4, in exponentials",
        ),
        *softmax_steps,
    ]
    results = [
        _titled(mse_limit, "label 1, logit to minus infinity: the squared error's gradient vanishes"),
        _titled(bce_limit, "label 1, logit to minus infinity: the BCE gradient tends to minus one"),
        Step(
            sp.Lt(sp.Subs(slope, z, SATURATED_LOGIT), sp.Rational(1, 50), evaluate=False),
            "at a logit of 4 the squared error passes on less than 2% of the BCE step",
        ),
        *softmax_results,
    ]
    domain = Domain({K: CLASS_COUNT, z: LOGIT, t: LOGIT, R: POSITIVE, Q: POSITIVE})
    return Body(domain, steps, results)
