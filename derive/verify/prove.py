"""Symbolic proof attempts: cheap, targeted, time-boxed; never ``simplify()``.

The verifier calls :func:`prove_equal` on every equation before its numeric
check.  A proof is a bonus recorded in the report: the numeric check is the
gate, so a relation SymPy cannot prove in time is still verified.
"""

from __future__ import annotations

import contextlib
import hashlib
import signal
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import sympy as sp

from derive.errors import ProofTimeout
from derive.model.activations import in_exp, softmax
from derive.recipes.sums import collapse_delta_sums
from derive.verify.normal_form import domain_identities, sum_normal_form
from derive.verify.proof_cache import PROOF_CACHE, PROVER_VERSION
from derive.verify.rules import JACOBIAN_SOURCE, doit_except_sums, facts_of, rule_normal_form

# CPU seconds one relation may spend on its proof attempts.
# Every method is a targeted rewrite that succeeds fast or fails fast: the
# slowest proof of the catalogue takes about 0.4 s (a limit SymPy computes).
SYMBOLIC_SECONDS = 0.5
# A step that says SymPy cannot be expected to simplify it (``symbolic=False``).
SHORT_SECONDS = 0.5


def _cache_key(
    relation: sp.Eq,
    identities: Mapping[sp.Basic, sp.Basic] | None,
    seconds: float,
    facts: frozenset[sp.Basic] | None = None,
) -> str:
    """The relation, what the prover may use, and the prover's own code: what decides the outcome."""
    rules = sorted(f"{sp.srepr(k)}={sp.srepr(v)}" for k, v in (identities or {}).items())
    rules += sorted(sp.srepr(fact) for fact in (facts or ()))
    rules.append("facts" if facts is not None else "no facts")
    return hashlib.sha256(
        "|".join([PROVER_VERSION, sp.srepr(relation), *rules, str(seconds), sp.__version__]).encode()
    ).hexdigest()


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
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
    expr = in_exp(expr)

    def rename(s: sp.Sum) -> sp.Sum:
        if len(s.limits) != 1 or _CANONICAL_INDEX in s.free_symbols:
            return s
        return s.xreplace({s.limits[0][0]: _CANONICAL_INDEX})

    return expr.replace(lambda e: isinstance(e, sp.Sum), rename)


def prove_equal(
    relation: sp.Eq,
    seconds: float = SYMBOLIC_SECONDS,
    identities: Mapping[sp.Basic, sp.Basic] | None = None,
    facts: frozenset[sp.Basic] | None = None,
) -> str | None:
    """Try to show ``lhs - rhs == 0`` symbolically; return the method that did, or None.

    ``identities`` are sums the domain fixes (a probability vector sums to 1,
    see :func:`derive.verify.normal_form.domain_identities`); a proof that
    uses them says so.  ``facts`` are the domain's inequalities
    (:func:`derive.verify.rules.facts_of`); given them, the rules of
    :mod:`derive.verify.rules` are tried first (the softmax Jacobian among
    them, so never for the derivation that proves it).  No ``simplify()``:
    every method is a targeted rewrite, within ``seconds`` of CPU time in all.

    >>> x = sp.Symbol("x", positive=True)
    >>> prove_equal(sp.Eq(sp.log(x**2), 2*sp.log(x)))
    'expand'
    """
    # The activations are rewritten to exp *before* derivatives are taken, so a
    # proof never leans on the derivative rules that the catalogue proves.
    attempts: list[tuple[str, Callable[[sp.Expr], sp.Expr]]] = [
        ("structural", lambda d: d),
        ("expand", lambda d: sp.expand(d)),
        ("cancel", lambda d: sp.cancel(sp.together(d))),
        ("exp powers and cancel", lambda d: sp.cancel(sp.powsimp(sp.expand(d))) if d.has(sp.exp) else d),
        ("expand_log", lambda d: sp.expand(sp.expand_log(d))),
        ("delta sums", lambda d: sp.expand(collapse_delta_sums(sp.expand(d))) if d.has(sp.KroneckerDelta) else d),
        ("sum rules", lambda d: sp.cancel(sp.together(sum_normal_form(d))) if d.has(sp.Sum) else d),
    ]
    if identities and relation.has(sp.Sum, sp.Indexed):
        attempts.append(
            ("sum rules and the domain's sums", lambda d: sp.cancel(sp.together(sum_normal_form(d, identities))))
        )
    key = _cache_key(relation, identities, seconds, facts)
    cached = PROOF_CACHE.get(key)
    if cached is not None:
        return cached or None
    method = None
    if facts is not None and relation.has(sp.Sum, sp.Indexed, softmax):
        # First: fast where it applies, and it keeps the softmax whole (no sums of deltas from its exp form).
        rules = [("sum rules with the softmax Jacobian", lambda d: d)]
        method = _attempt(relation, rules, seconds, _rules_zero, facts, identities or {})
    method = method or _attempt(relation, attempts, seconds)
    PROOF_CACHE.put(key, method or "")
    return method


def _rules_zero(relation: sp.Eq, facts: frozenset[sp.Basic], identities: Mapping[sp.Basic, sp.Basic]) -> sp.Expr:
    """lhs - rhs in the normal form of :mod:`derive.verify.rules` (softmax kept whole, its Jacobian a rule)."""
    return sp.cancel(sp.together(rule_normal_form(relation.lhs - relation.rhs, identities, facts)))


def _attempt(
    relation: sp.Eq,
    attempts: list[tuple[str, Callable[[sp.Expr], sp.Expr]]],
    seconds: float,
    prepare: Callable[..., sp.Expr] | None = None,
    *rules: Any,
) -> str | None:
    """The first method that brings ``prepare(relation)`` (by default lhs - rhs in exp form) to 0 in time."""
    try:
        with time_limit(seconds):
            if prepare is None:
                difference = doit_except_sums(_to_exp(relation.lhs - relation.rhs))
            else:
                difference = prepare(relation, *rules)
            for method, attempt in attempts:
                try:
                    if attempt(difference) == 0:
                        return method
                except (NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
                    continue
    except ProofTimeout:
        return None
    return None


def prove_step(step: Any, derivation: Any) -> tuple[str | None, str]:
    """Every proof attempt the verifier makes on one step: (symbolic method or None, interval proof or "").

    An equation gets :func:`prove_equal` (never one whose unknown functions a
    ``model`` fills in: that model is for the numbers only); an inequality
    without a model or region gets the interval bisection of
    :mod:`derive.verify.intervals`.
    """
    from derive.verify.inequalities import prove_by_rules  # both build on this module's time_limit
    from derive.verify.intervals import prove_inequality
    from derive.verify.variance import prove_variance

    domain = derivation.domain.override(step.where) if step.where else derivation.domain
    relation = step.eq
    if step.model:
        relation = _defined(step, derivation)
        if relation is None or isinstance(relation, sp.Eq):
            return None, ""
    if isinstance(relation, sp.Eq):
        identities = domain_identities(domain.relations())
        # The softmax Jacobian is a stated rule everywhere but in the derivation that proves it.
        facts = facts_of(domain.relations()) if derivation.name != JACOBIAN_SOURCE else None
        # A step that says SymPy cannot simplify it gets the targeted rewrites only, on a shorter budget.
        symbolic = prove_equal(
            relation, identities=identities, seconds=SYMBOLIC_SECONDS if step.symbolic else SHORT_SECONDS, facts=facts
        )
        return symbolic, ""
    if isinstance(relation, (sp.Lt, sp.Le, sp.Gt, sp.Ge)) and step.region is None:
        # Symbolic first (signs of factors, monotonicity, a stated rule termwise: each fails fast), then bisection.
        symbolic = prove_by_rules(
            relation, domain.relations(), step.equality_cases, domain_identities(domain.relations())
        ) or prove_variance(relation, domain.relations())
        if symbolic and step.model:
            symbolic += " (with the definitions the catalogue states)"
        if symbolic or not step.symbolic or step.model:
            return symbolic, ""
        return None, prove_inequality(relation, domain, step.equality_cases)
    return None, ""


def _defined(step: Any, derivation: Any) -> sp.Basic | None:
    """The step with its unknown functions replaced by their models, if the derivation defines each by its model.

    A model is only one family for the numbers, unless the derivation states
    ``F(x) = body`` with ``body`` the model's (as ``D_KL(p, q) = sum p ln(p/q)``),
    or a derivation it uses has that as its result (the entropy's ``H(p)``):
    then the step may be proved with it.  None otherwise.
    """
    from derive import registry

    stated = [s.eq for _, s in derivation.labelled() if isinstance(s.eq, sp.Eq) and s is not step]
    for name in getattr(derivation, "uses", ()):
        with contextlib.suppress(Exception):  # a missing dependency only means no definition from it
            stated.append(registry.get(name).result)
    relation = step.eq
    for function, family in step.model.items():
        if not relation.has(function):
            continue
        call = function(*family.variables)
        if not any(
            isinstance(eq, sp.Eq) and eq.lhs == call and sp.cancel(sum_normal_form(eq.rhs - family.expr)) == 0
            for eq in stated
        ):
            return None
        relation = relation.replace(function, family)
    return relation
