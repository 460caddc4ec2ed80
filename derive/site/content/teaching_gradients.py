"""Teaching for the Jacobians, Hessians, curvature and limits of the gradients, and the robust and focal losses.

>>> all(entry.question for entry in ENTRIES.values())
True
"""

from __future__ import annotations

from derive.site.content.teaching_types import Teaching

ENTRIES: dict[str, Teaching] = {}
