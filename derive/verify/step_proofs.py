"""Every proof attempt of one step, with an inequality's outcomes kept between runs.

Equations keep their outcomes in the prover (:mod:`derive.verify.prove`); an
inequality's proofs (symbolic, or by interval bisection) are kept here, under
a key made of the relation, the boxes of the domain's kinds, the stated
equality cases, the derivation (whose stated rules apply) and the code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sympy as sp

from derive.model.derivation import Derivation, Step
from derive.model.domain import Domain
from derive.verify.proof_cache import PROOF_CACHE, PROVER_VERSION
from derive.verify.prove import prove_step

# The code an interval proof's outcome depends on, hashed into its key in the proof cache.
_HERE = Path(__file__).resolve().parent
_INTERVAL_FILES = ("intervals.py", "evaluate.py", "atoms.py", "numbers.py", "calculus.py", "branches.py", "prove.py")
_INTERVAL_VERSION = hashlib.sha256(
    b"".join((_HERE / name).read_bytes() for name in _INTERVAL_FILES if (_HERE / name).exists())
).hexdigest()[:16]


def interval_key(
    relation: sp.Basic, domain: Domain, equality_cases: tuple[Mapping[Any, Any], ...], derivation: str = ""
) -> str | None:
    """The proof cache's key of the proofs of inequality ``relation``; None if its inputs have no stable text.

    An interval proof is deterministic given the relation, the boxes of the
    domain's kinds, the stated equality cases and the code (its file hashes):
    a second ``derive check`` or build reads its outcome instead of bisecting again.

    >>> from derive.model.domain import LOGIT
    >>> z = sp.Symbol("z", real=True)
    >>> key = interval_key(sp.Le(z, 2 * z), Domain({z: LOGIT}), ())
    >>> key == interval_key(sp.Le(z, 2 * z), Domain({z: LOGIT}), ()), len(key)
    (True, 64)
    >>> key == interval_key(sp.Le(z, 3 * z), Domain({z: LOGIT}), ())
    False
    """
    boxes = [f"{sp.srepr(symbol)}:{kind.box!r}" for symbol, kind in domain.kinds.items()]
    cases = [
        ";".join(sorted(f"{sp.srepr(sp.sympify(s))}={sp.srepr(sp.sympify(v))}" for s, v in case.items()))
        for case in equality_cases
    ]
    versions = ["inequality", _INTERVAL_VERSION, PROVER_VERSION, sp.__version__]
    text = "|".join([*versions, derivation, sp.srepr(relation), *boxes, "cases", *cases])
    if " at 0x" in text:  # an object printed by its address: not the same text in the next run
        return None
    return hashlib.sha256(text.encode()).hexdigest()


def proofs(step: Step, derivation: Derivation, domain: Domain) -> tuple[str | None, str]:
    """:func:`prove_step`; an inequality's outcome kept in the proof cache (equations keep theirs in the prover).

    The outcome is stored as ``symbolic method`` and ``interval proof`` on two lines.
    """
    relation = step.eq
    if isinstance(relation, sp.Eq) or step.model:
        return prove_step(step, derivation)
    try:
        key = interval_key(relation, domain, step.equality_cases, derivation.name)
    except (sp.SympifyError, TypeError, ValueError, AttributeError):
        key = None
    cached = PROOF_CACHE.get(key) if key else None
    if cached is not None and cached.count("\n") == 1:
        symbolic, interval = cached.split("\n")
        return symbolic or None, interval
    symbolic_found, interval_found = prove_step(step, derivation)
    if key:
        PROOF_CACHE.put(key, f"{symbolic_found or ''}\n{interval_found}")
    return symbolic_found, interval_found
