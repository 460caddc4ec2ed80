"""Variable kinds for numeric checks of second derivatives: logits with their hard points at +-10, not +-30.

Shared by the curvature entries (:mod:`derive.catalogue.softmax_curvature`,
:mod:`derive.catalogue.sigmoid_curvature`); this module declares no derivations.

>>> [float(value) for value in MODERATE_LOGIT.hard({})]
[10.0, -10.0, 0.0]
"""

from __future__ import annotations

from derive.model.domain import LOGIT, LOGIT_VECTOR, Kind


def _moderate(vector: list) -> list:
    return [None, *(value / 3 for value in vector[1:])]


# Nested finite differences resolve about DPS/2 = 30 digits of the loss, whose value is O(1) to O(30), and
# fewer where ln(1 - sigma(z)) cancels: a curvature of e^-30 (sigmoid at z = 30) or e^-60 (the Hessian at
# logits of +-30) is at or below that. Second derivatives are therefore compared at logits up to +-10
# (curvatures down to e^-20); the closed forms keep the hard points at +-30.
MODERATE_LOGIT = Kind(
    "a real logit, checked at values up to 10 in size",
    LOGIT.draw,
    lambda pt: [value / 3 for value in LOGIT.hard(pt)],
    LOGIT.relations,
)
MODERATE_LOGIT_VECTOR = Kind(
    "a vector of real logits, one per class, checked at values up to 10 in size",
    LOGIT_VECTOR.draw,
    lambda pt: [_moderate(vector) for vector in LOGIT_VECTOR.hard(pt)],
    LOGIT_VECTOR.relations,
    vector=True,
)
