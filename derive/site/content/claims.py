"""The claims audit: what the source material states, and what the derivations say about it.

Each claim is data: the claim in our own words, which source makes it, a
verdict, the catalogue results (by derivation name and relation label) or
worked examples that settle it, and a short explanation.  The site's audit
page renders this table; the build fails if a cited result does not exist.

>>> by_id = {c.id: c for c in CLAIMS}
>>> by_id["mse-softmax-gradient"].verdict, by_id["mse-softmax-gradient"].title
('incomplete', 'MSE softmax gradient')
>>> all(c.verdict in VERDICTS for c in CLAIMS)
True
"""

from __future__ import annotations

from derive.site.content.claim_types import SEVERITY, SOURCES, VERDICTS, Claim, Evidence, Source
from derive.site.content.claims_gradients import GRADIENT_CLAIMS
from derive.site.content.claims_information import INFORMATION_CLAIMS

__all__ = ["CLAIMS", "SEVERITY", "SOURCES", "VERDICTS", "Claim", "Evidence", "Source", "by_severity", "source_formulas"]

CLAIMS: tuple[Claim, ...] = INFORMATION_CLAIMS + GRADIENT_CLAIMS


def by_severity() -> list[Claim]:
    """The claims, most severe verdict first (wrong, incomplete, rounded, imprecise, holds); stable within one.

    >>> [c.verdict for c in by_severity()][:1]
    ['wrong']
    """
    return sorted(CLAIMS, key=lambda c: SEVERITY.index(c.verdict))


def source_formulas() -> dict[str, str]:
    """The source's own formula of each claim that has one, as LaTeX from the project's printer."""
    from derive.site.printed import tex

    return {c.id: tex(c.source_formula()) for c in CLAIMS if c.source_formula is not None}
