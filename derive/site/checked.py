"""Stage 2: build and check every derivation, and print it as page data.

The output of this stage is typed, printed data
(:class:`~derive.site.data.DerivationData`): templates never see a SymPy
object, and every LaTeX string in it was printed by :mod:`derive.site.printed`
from a relation whose check passed.  The data is cached as JSON under
:func:`derive.site.keys.entry_key`, so a second build with nothing changed
neither derives nor checks anything.

>>> from derive.site.collect import collect
>>> data = verify_all(collect(), names=["sigmoid_derivative"], points=20, cache=None)
>>> page = data["sigmoid_derivative"]
>>> page.report.passed, page.results[0].math.tex
(True, '\\\\frac{d a}{d z} = a \\\\left(1 - a\\\\right)')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from derive.errors import BuildError
from derive.model import POINTS
from derive.registry import get
from derive.site.cache import Cache
from derive.site.collect import Catalogue
from derive.site.data import DerivationData, from_json, to_json
from derive.site.keys import entry_key

if TYPE_CHECKING:  # the verifier is imported only when something must be checked
    from derive.verify.check import CheckReport

Progress = Callable[[str], None]


def verify_all(
    catalogue: Catalogue,
    names: Sequence[str] | None = None,
    points: int = POINTS,
    cache: Cache | None = None,
    progress: Progress = lambda _: None,
) -> dict[str, DerivationData]:
    """Page data for each derivation, checked; raises :class:`BuildError` on a failed check."""
    from derive.site.printed import derivation_data

    chosen = list(names or catalogue.names)
    keys = {n: entry_key(catalogue, n, points) for n in chosen}
    data: dict[str, DerivationData] = {}
    for name in chosen:
        cached = cache.get_json("derivations", keys[name]) if cache else None
        if cached is not None:
            data[name] = from_json(DerivationData, cached)
    todo = [n for n in chosen if n not in data]
    if len(data):
        progress(f"  {len(data)} derivations unchanged since the last build (cached checks)")
    derivations = {}
    for name in todo:
        progress(f"  deriving {name}")
        derivations[name] = get(name)  # built here, so forked check workers inherit it
    for report in _check(todo, points, progress):
        if not report.passed:
            failure = report.first_failure
            raise BuildError(f"derivation {report.name!r} fails its check: {failure.describe()}")
        data[report.name] = derivation_data(derivations[report.name], report)
        if cache:
            cache.put_json("derivations", keys[report.name], to_json(data[report.name]))
    return {n: data[n] for n in chosen}


def _check(names: list[str], points: int, progress: Progress) -> list[CheckReport]:
    if not names:
        return []

    def done(report: CheckReport) -> None:
        verdict = "ok" if report.passed else "FAILED"
        progress(f"  checked {report.name}: {verdict}, {len(report.relations)} relations, {report.points} points")

    from derive.verify.parallel import check_many  # parallel worker processes, as `derive check` uses

    return check_many(names, points=points, on_done=done)
