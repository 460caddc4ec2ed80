"""Symbolic proof attempts: cheap, targeted, time-boxed; never ``simplify()`` on sums.

The verifier calls :func:`prove_equal` on every equation before its numeric
check.  A proof is a bonus recorded in the report: the numeric check is the
gate, so a relation SymPy cannot prove in time is still verified.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

import sympy as sp

from derive.errors import ProofTimeout
from derive.model.activations import sigmoid, softmax
from derive.recipes.sums import collapse_delta_sums

# CPU seconds one relation may spend on its proof attempts.
SYMBOLIC_SECONDS = 1.0


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise ProofTimeout after ``seconds`` of this process's CPU time.

    CPU time, not wall-clock time: on a busy machine the same proof gets the
    same budget, so the report does not change with the load.  The limit
    needs a signal, hence the main thread; elsewhere no limit is set.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise ProofTimeout

    previous = signal.signal(signal.SIGVTALRM, on_alarm)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


_CANONICAL_INDEX = sp.Symbol("k_", integer=True, positive=True)


def _to_exp(expr: sp.Expr) -> sp.Expr:
    """Activations rewritten to exp, every single sum over the same index name."""
    expr = expr.replace(lambda e: isinstance(e, (sigmoid, softmax)), lambda e: e.rewrite(sp.exp))

    def rename(s: sp.Sum) -> sp.Sum:
        if len(s.limits) != 1 or _CANONICAL_INDEX in s.free_symbols:
            return s
        return s.xreplace({s.limits[0][0]: _CANONICAL_INDEX})

    return expr.replace(lambda e: isinstance(e, sp.Sum), rename)


def prove_equal(relation: sp.Eq, seconds: float = SYMBOLIC_SECONDS) -> str | None:
    """Try to show ``lhs - rhs == 0`` symbolically; return the method that did, or None.

    >>> x = sp.Symbol("x", positive=True)
    >>> prove_equal(sp.Eq(sp.log(x**2), 2*sp.log(x)))
    'expand'
    """
    # The activations are rewritten to exp *before* derivatives are taken, so a
    # proof never leans on the derivative rules that the catalogue proves.
    attempts = (
        ("structural", lambda d: d),
        ("expand", lambda d: sp.expand(d)),
        ("expand_log", lambda d: sp.expand(sp.expand_log(d, force=True))),
        ("cancel", lambda d: sp.cancel(sp.together(d))),
        ("delta sums", lambda d: sp.expand(collapse_delta_sums(sp.expand(d)))),
        ("simplify", lambda d: sp.simplify(d) if not d.has(sp.Sum, sp.Product) else d),
    )
    try:
        with _time_limit(seconds):
            difference = _to_exp(relation.lhs - relation.rhs).doit()
            for method, attempt in attempts:
                try:
                    if attempt(difference) == 0:
                        return method
                except (NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
                    continue
    except ProofTimeout:
        return None
    return None
