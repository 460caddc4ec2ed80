"""A scan of the LaTeX of every formula on the site for notation a textbook would not print."""

from __future__ import annotations

import json
import re
from pathlib import Path

from derive.site.pipeline import project_root

# -y + a: the label printed before the prediction (y, y_i, {y}_{i})
LABEL_FIRST = re.compile(r"(?:^|[=({&]|\\left\()\s*-\s*(?:\{y\}_\{[^}]*\}|y(?:_\{[^}]*\})?)\s*\+")
# \frac{d ...}{d z_i}: an ordinary d with respect to an entry of a vector, or on top of a loss L
ORDINARY_D = re.compile(r"\\frac\{d(?:\^\{\d+\})?\s*([^{}]*)\}\{d\s*(\{[^}]*\}_|[^}]*_\{)")
ORDINARY_D_OF_LOSS = re.compile(r"\\frac\{d(?:\^\{\d+\})?\s*L")


def offending(tex: str) -> list[str]:
    """What in ``tex`` reads badly: a label-first difference or an ordinary d in a partial derivative.

    >>> offending(r"\\frac{\\partial L}{\\partial z} = - y + a")
    ['label first']
    >>> offending(r"\\frac{d}{d {z}_{j}} {a}_{i}")
    ['ordinary d']
    >>> offending(r"\\frac{\\partial L}{\\partial z} = a - y")
    []
    """
    found = []
    if LABEL_FIRST.search(tex):
        found.append("label first")
    if ORDINARY_D.search(tex) or ORDINARY_D_OF_LOSS.search(tex):
        found.append("ordinary d")
    return found


def test_the_scan_catches_what_the_site_printed_before() -> None:
    assert offending(r"\frac{\partial}{\partial z} \frac{\left(- y + a\right)^{2}}{2}") == ["label first"]
    assert offending(r"{a}_{i} = - {y}_{i} + {a}_{i}") == ["label first"]
    assert offending(r"\frac{d}{d {z}_{j}} {a}_{i} = \left(\delta_{i j} - {a}_{j}\right) {a}_{i}") == ["ordinary d"]
    assert offending(r"\frac{d a}{d z} = a \left(1 - a\right)") == []
    assert offending(r"1 - y + a") == []


def test_no_formula_on_the_site_prints_label_first_or_an_ordinary_d_in_a_partial(built_site: Path) -> None:
    record = json.loads((project_root() / "docs" / "generated" / "math-record.json").read_text())
    from derive.site.pages.laid_out import QUOTED

    # the claims audit's quotations are the source's own LaTeX, kept as written: they are not the site's notation
    formulas = {entry["tex"] for entry in record["math"] if not entry["source"].endswith(QUOTED)}
    assert len(formulas) > 300
    bad = {tex[:120]: offending(tex) for tex in formulas if offending(tex)}
    assert bad == {}
