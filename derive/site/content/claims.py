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
from derive.site.content.claims_quoted import QUOTED_FORMULAS

__all__ = ["CLAIMS", "SEVERITY", "SOURCES", "VERDICTS", "Claim", "Evidence", "Source", "by_severity", "source_formulas"]

CLAIMS: tuple[Claim, ...] = INFORMATION_CLAIMS + GRADIENT_CLAIMS


def by_severity() -> list[Claim]:
    """The claims, most severe verdict first (wrong, incomplete, rounded, imprecise, holds); stable within one.

    >>> [c.verdict for c in by_severity()][:1]
    ['wrong']
    """
    return sorted(CLAIMS, key=lambda c: SEVERITY.index(c.verdict))


def source_formulas() -> dict[str, tuple[str, ...]]:
    """The source's own formulas of each claim whose source writes any, quoted as the source's LaTeX.

    >>> quoted = source_formulas()
    >>> len(quoted) >= 15 and set(quoted) <= {c.id for c in CLAIMS}
    True
    """
    known = {c.id for c in CLAIMS}
    unknown = sorted(set(QUOTED_FORMULAS) - known)
    if unknown:
        raise ValueError(f"quoted formulas for claims that do not exist: {', '.join(unknown)}")
    return dict(QUOTED_FORMULAS)
