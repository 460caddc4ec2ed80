"""Proofs of inequalities over the whole domain by interval bisection in arb (placeholder being written)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from derive.model.domain import Domain


def prove_inequality(relation: sp.Basic, domain: Domain, equality_cases: Sequence[Mapping[Any, Any]] = ()) -> str:
    return ""
