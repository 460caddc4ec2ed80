"""Teaching for the maximum-likelihood derivations beyond the Gaussian (Bernoulli, categorical, Laplace, Poisson,
the exponential family), sparse labels, label smoothing and the log-sum-exp shift.

>>> all(entry.question for entry in ENTRIES.values())
True
"""

from __future__ import annotations

from derive.site.content.teaching_types import Teaching

ENTRIES: dict[str, Teaching] = {}
