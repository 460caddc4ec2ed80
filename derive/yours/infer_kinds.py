"""What :func:`derive.gradient_through` accepts, and the kinds it gives the variables.

A loss is refused here, before any derivation, when it cannot be derived
through an activation: the prediction is missing or of the wrong shape, a
symbol has no known role, or a piece is not differentiable.  The kinds of the
prediction and the label are *inferred*: the first kind in a short list (the
widest first) at which the loss is real and finite at every sampled point.

>>> import sympy as sp
>>> from derive.model.symbols import a, y
>>> parameter_kind(sp.Symbol("gamma")).name
'a positive real number'
>>> check_loss(sp.log(y), a, "sigmoid")
Traceback (most recent call last):
...
derive.errors.ThroughError: the loss does not contain the prediction a
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import mpmath
import sympy as sp

from derive.errors import EvaluationError, ThroughError
from derive.model import POINTS
from derive.model.domain import (
    LABEL,
    LABEL_VECTOR,
    LOGIT,
    POSITIVE,
    PROBABILITY,
    PROBABILITY_VECTOR,
    Domain,
    Kind,
    Point,
    in_interval,
)
from derive.verify.evaluate import compile_expr
from derive.yours import ACTIVATIONS

LABEL_NAME = "y"
SIZE_NAME = "K"

# Parameters a loss may use by name, with the kind their values are drawn from.
PARAMETERS: dict[str, Kind] = {
    "gamma": POSITIVE,  # focal loss focusing parameter
    "delta": POSITIVE,  # Huber / pseudo-Huber threshold
    "beta": POSITIVE,  # temperatures, smooth-L1 width
    "alpha": in_interval(0, 1, "a weight strictly between 0 and 1"),  # class-balance weights
    "eps": in_interval(0, 1, "a smoothing weight strictly between 0 and 1"),  # label smoothing
    "epsilon": in_interval(0, 1, "a smoothing weight strictly between 0 and 1"),
}

# Pieces with no derivative worth stating (constant between jumps, or not real): refused in the prediction.
# Abs, Max, Min, sign, Heaviside and Piecewise are split into smooth pieces (derive.yours.pieces).
NOT_SMOOTH: tuple[type, ...] = (sp.floor, sp.ceiling, sp.frac, sp.re, sp.im, sp.arg)
NOT_EXPRESSIONS: tuple[type, ...] = (sp.Derivative, sp.Integral, sp.Limit, sp.Subs)


def parameter_kind(symbol: sp.Symbol) -> Kind | None:
    """The kind of a named parameter (``gamma``, ``eps`` ...), or None."""
    return PARAMETERS.get(symbol.name)


def check_loss(loss: Any, prediction: Any, activation: str) -> sp.Expr:
    """Refuse what cannot be derived; return the loss as a SymPy expression."""
    if activation not in ACTIVATIONS:
        raise ThroughError(f"unknown activation {activation!r}; use one of: {', '.join(ACTIVATIONS)}")
    if not isinstance(loss, sp.Expr):
        raise ThroughError(f"the loss must be a SymPy expression, got {type(loss).__name__}")
    vector = activation == "softmax"
    if vector and not isinstance(prediction, sp.IndexedBase):
        raise ThroughError(f"through softmax the prediction must be an IndexedBase such as a[k], got {prediction}")
    if not vector and not isinstance(prediction, sp.Symbol):
        raise ThroughError(f"through {activation} the prediction must be a Symbol, got {prediction!r}")
    if prediction.name.startswith("z") or prediction.name == LABEL_NAME:
        raise ThroughError(f"the prediction cannot be named {prediction.name}: z is the logit, y the label")
    uses = loss.has(prediction) if vector else prediction in loss.free_symbols
    if not uses:
        raise ThroughError(f"the loss does not contain the prediction {prediction}")
    if not vector and any(isinstance(x, sp.Indexed) for x in loss.atoms(sp.Indexed)):
        raise ThroughError(f"vectors such as {next(iter(loss.atoms(sp.Indexed)))} need --activation softmax")
    for piece in loss.atoms(*NOT_EXPRESSIONS):
        raise ThroughError(f"the loss contains {type(piece).__name__}, which is not an expression to differentiate")
    for piece in loss.atoms(*NOT_SMOOTH):
        if piece.has(prediction):
            raise ThroughError(f"{piece} is not differentiable everywhere in the prediction")
    if any(s.name.startswith("z") for s in loss.free_symbols):
        raise ThroughError("symbols named z are reserved for the logits")
    if vector:
        _check_sums(loss)
    return loss


def _check_sums(loss: sp.Expr) -> None:
    for s in loss.atoms(sp.Sum):
        for dummy, lo, hi in s.limits:
            if lo != 1 or not (isinstance(hi, sp.Symbol) and hi.name == SIZE_NAME):
                raise ThroughError(f"sums must run over the classes {dummy} = 1..K, not {lo}..{hi}")


def roles(
    loss: sp.Expr, prediction: Any, bound_indices: Sequence[sp.Symbol], kinds: Mapping[Any, Kind]
) -> tuple[list[Any], list[sp.Symbol], dict[Any, Kind]]:
    """Split the loss's variables into labels, free class indices and parameters (with kinds)."""
    labels: list[Any] = []
    indices: list[sp.Symbol] = []
    parameters: dict[Any, Kind] = {}
    bound = {limit[0] for s in loss.atoms(sp.Sum) for limit in s.limits}
    vector_bases = {x.base for x in loss.atoms(sp.Indexed)}
    index_symbols = {ix for x in loss.atoms(sp.Indexed) for ix in x.indices}
    for base in sorted(vector_bases - {prediction}, key=str):
        if base in kinds:
            parameters[base] = kinds[base]
        elif base.label.name == LABEL_NAME:
            labels.append(base)
        else:
            raise ThroughError(f"unknown vector {base}: the prediction is {prediction}, the label vector y")
    plain = {s for s in loss.free_symbols if isinstance(s, sp.Symbol)}
    for s in sorted(plain - bound - {prediction} - {b.label for b in vector_bases}, key=str):
        if s in kinds:
            parameters[s] = kinds[s]
        elif s.name == LABEL_NAME and not isinstance(prediction, sp.IndexedBase):
            labels.append(s)
        elif s.name == SIZE_NAME and isinstance(prediction, sp.IndexedBase):
            continue
        elif s in index_symbols and s.is_integer and s not in bound_indices:
            indices.append(s)
        elif parameter_kind(s) is not None:
            parameters[s] = parameter_kind(s)  # type: ignore[assignment]
        else:
            known = ", ".join(PARAMETERS)
            raise ThroughError(
                f"unknown symbol {s} in the loss: the prediction is {prediction}, the label {LABEL_NAME}, "
                f"parameters may be {known}; pass kinds={{{s}: KIND}} for others"
            )
    return labels, indices, parameters


def candidates(activation: str, role: str) -> tuple[Kind, ...]:
    """The kinds tried, widest first, for the prediction or the label through ``activation``."""
    table = {
        ("sigmoid", "prediction"): (PROBABILITY,),
        ("sigmoid", "label"): (LABEL, PROBABILITY),
        ("identity", "prediction"): (LOGIT, POSITIVE, PROBABILITY),
        ("identity", "label"): (LOGIT, POSITIVE, LABEL, PROBABILITY),
        ("softmax", "prediction"): (PROBABILITY_VECTOR,),
        ("softmax", "label"): (LABEL_VECTOR, PROBABILITY_VECTOR),
    }
    return table[(activation, role)]


def first_feasible(
    fixed: Mapping[Any, Kind],
    choices: Mapping[Any, Sequence[Kind]],
    expressions: Sequence[sp.Expr],
    tie: Callable[[Mapping[Any, Kind]], Mapping[Any, Kind]] = lambda kinds: kinds,
) -> Domain:
    """The first combination of kinds at which every expression is real and finite.

    ``tie`` adds kinds that follow from the chosen ones (the logit through
    the identity has the kind of the prediction).  The points tried include
    every hard point the verifier will use (ends of intervals, logits of
    +-30, all-zero label vectors, K = 2 and K = 40) and some random ones, so
    the kinds chosen hold in the real check.  When no combination holds, the
    error names the variables and the point where the narrowest one failed.
    """
    compiled = [compile_expr(e) for e in expressions]
    symbols = list(choices)
    failure: tuple[Domain, Point] | None = None
    for combination in itertools.product(*(choices[s] for s in symbols)):
        kinds = dict(fixed)
        kinds.update(zip(symbols, combination, strict=True))
        kinds.update(tie(kinds))
        size = [s for s in kinds if isinstance(s, sp.Symbol) and s.name == SIZE_NAME]
        ordered = {s: kinds[s] for s in size} | {s: k for s, k in kinds.items() if s not in size}
        domain = Domain(ordered)
        bad = first_undefined(domain, compiled)
        if bad is None:
            return domain
        failure = (domain, bad)
    assert failure is not None
    domain, point = failure
    where = ", ".join(f"{symbol} = {_show(value)}" for symbol, value in point.items())
    kinds_tried = "; ".join(f"{symbol}: {' or '.join(k.name for k in choices[symbol])}" for symbol in symbols)
    raise ThroughError(
        f"the loss is not real and finite at {where}, a point the check uses, for every kind tried "
        f"({kinds_tried}); pass kinds={{symbol: KIND}} for a narrower one"
    )


# Every hard point the verifier draws (at most POINTS // 2 of them come first), then some random ones.
CHECKED_POINTS = POINTS // 2 + 16


def first_undefined(domain: Domain, compiled: Sequence[Callable[[Any], Any]]) -> Point | None:
    """The first point of ``domain`` (hard points first) where an expression is not a finite real, or None."""
    with mpmath.workdps(30):
        for point in domain.points(POINTS, seed=1)[:CHECKED_POINTS]:
            env = {k: (list(v) if isinstance(v, list) else v) for k, v in point.items()}
            for fn in compiled:
                try:
                    value = fn(env)
                except (EvaluationError, ZeroDivisionError, ValueError, OverflowError, TypeError):
                    return point
                if not isinstance(value, (int, mpmath.mpf)) or not mpmath.isfinite(value):
                    return point
    return None


def _show(value: Any) -> str:
    if isinstance(value, list):
        entries = [mpmath.nstr(v, 6) for v in value[1:4]]
        return "(" + ", ".join(entries) + (", ...)" if len(value) > 4 else ")")
    return mpmath.nstr(value, 6) if isinstance(value, mpmath.mpf) else str(value)


def describe_kinds(domain: Domain, inferred: Sequence[Any]) -> str:
    """A sentence for the page: the kind chosen for each inferred variable.

    >>> from derive.model.symbols import a, y
    >>> describe_kinds(Domain({a: PROBABILITY, y: LABEL}), [a, y]).split(": ")[1]
    '{a} is a probability strictly between 0 and 1; {y} is a soft label, anywhere from 0 to 1.'
    """
    parts = [f"{{{symbol}}} is {domain.kinds[symbol].name}" for symbol in inferred if symbol in domain.kinds]
    if not parts:
        return ""
    return "Kinds inferred so that the loss is real and finite at every point the check uses: " + "; ".join(parts) + "."
