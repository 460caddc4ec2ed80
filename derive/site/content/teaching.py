"""What a derivation page says around the mathematics: the question it answers, what the result means, the
common mistake, the figure that helps, and where to read more.

Prose only, in our own words; the formulas stay on the derivation's own page, printed from verified
objects.  The entries live in one module per family of derivations; this module joins them.

>>> TEACHING["two_layer_sigmoid_grad"].figure
'gradient-sigmoid'
>>> all(r.url.startswith("https://") or not r.url for t in TEACHING.values() for r in t.references)
True
"""

from __future__ import annotations

from derive.site.content import teaching_basics, teaching_gradients, teaching_likelihood
from derive.site.content.teaching_types import Reference, Teaching

__all__ = ["TEACHING", "Reference", "Teaching"]


def _joined(*families: dict[str, Teaching]) -> dict[str, Teaching]:
    joined: dict[str, Teaching] = {}
    for family in families:
        twice = joined.keys() & family.keys()
        if twice:
            raise ValueError(f"teaching given twice for {sorted(twice)}")
        joined.update(family)
    return joined


TEACHING: dict[str, Teaching] = _joined(
    teaching_basics.ENTRIES, teaching_likelihood.ENTRIES, teaching_gradients.ENTRIES
)
