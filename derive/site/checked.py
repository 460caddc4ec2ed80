"""Stage 2: build and check every derivation, and print it as LaTeX strings.

The output of this stage is plain data (JSON-ready dicts of strings and
numbers): templates never see a SymPy object, and every LaTeX string in it
was printed by :func:`derive.printing.latex` from a relation whose check
passed.  The data is cached under a key made of the engine's source, the
entry's module and the modules of what it uses, so a second build with
nothing changed neither derives nor checks anything.

>>> from derive.site.collect import collect
>>> data = verify_all(collect(), names=["sigmoid_derivative"], points=20, cache=None)
>>> page = data["sigmoid_derivative"]
>>> page["report"]["passed"], page["results"][0]["latex"]
(True, '\\\\frac{d}{d z} a = \\\\left(1 - a\\\\right) a')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derive.errors import BuildError
from derive.registry import get
from derive.site.cache import Cache, hash_files
from derive.site.collect import ENGINE_FILES, Catalogue, source_files

if TYPE_CHECKING:  # the printers and the verifier are imported only when something must be checked
    from derive.model.derivation import Derivation, Step
    from derive.verify.check import CheckReport, RelationReport

Progress = Callable[[str], None]
__all__ = ["BuildError", "key_files", "page_data", "verify_all"]


def verify_all(
    catalogue: Catalogue,
    names: Sequence[str] | None = None,
    points: int = 200,
    cache: Cache | None = None,
    progress: Progress = lambda _: None,
) -> dict[str, dict[str, Any]]:
    """Page data for each derivation, checked; raises :class:`BuildError` on a failed check."""
    chosen = list(names or catalogue.names)
    keys = {n: _key(catalogue, n, points) for n in chosen}
    data: dict[str, dict[str, Any]] = {}
    for name in chosen:
        cached = cache.get_json("derivations", keys[name]) if cache else None
        if cached is not None:
            data[name] = cached
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
        data[report.name] = page_data(derivations[report.name], report)
        if cache:
            cache.put_json("derivations", keys[report.name], data[report.name])
    return {n: data[n] for n in chosen}


def key_files(catalogue: Catalogue, name: str) -> set[Path]:
    """The files whose contents are part of the cache key of ``name``'s checked page data."""
    return set(ENGINE_FILES) | source_files(catalogue, name) | {Path(__file__).resolve()}


def _key(catalogue: Catalogue, name: str, points: int) -> str:
    return hash_files(key_files(catalogue, name), name, f"points={points}")


def _check(names: list[str], points: int, progress: Progress) -> list[CheckReport]:
    if not names:
        return []

    def done(report: CheckReport) -> None:
        verdict = "ok" if report.passed else "FAILED"
        progress(f"  checked {report.name}: {verdict}, {len(report.relations)} relations, {report.points} points")

    from derive.verify.parallel import check_many  # parallel worker processes, as `derive check` uses

    return check_many(names, points=points, on_done=done)


def page_data(derivation: Derivation, report: CheckReport) -> dict[str, Any]:
    """Everything a page shows about one checked derivation, as strings and numbers."""
    from derive.printing import latex, notation, pairs

    names = pairs(derivation.named)
    by_label = {r.label: r for r in report.relations}
    labelled = derivation.labelled()
    in_steps = pairs(derivation.named, steps=True)
    relations = [
        _relation(label, step, by_label[label], derivation, in_steps if label.startswith("step") else names)
        for label, step in labelled
    ]
    count, stated = len(derivation.steps), len(derivation.conclusions)
    every = [s.eq for _, s in labelled]
    return {
        "name": derivation.name,
        "title": derivation.title,
        "summary": derivation.summary,
        "uses": list(derivation.uses),
        "assumptions": _assumptions(derivation),
        "notation": [latex(n) for n in notation(every)],
        "steps": relations[:count],
        "results": relations[count : count + stated],
        "named": _named(derivation, {r["label"]: r for r in relations[count + stated :]}),
        "report": {
            "passed": report.passed,
            "points": report.points,
            "max_rel_error": report.max_rel_error,
            "methods": list(report.methods),
            "relations": len(report.relations),
            "symbolic": [r.label for r in report.relations if r.symbolic],
        },
    }


def _assumptions(derivation: Derivation) -> list[dict[str, Any]]:
    from derive.printing import latex

    size = derivation.domain.size
    return [
        {"symbol": latex(symbol), "kind": kind.name, "relations": [latex(r) for r in kind.relations(symbol, size)]}
        for symbol, kind in derivation.domain.kinds.items()
    ]


def _named(derivation: Derivation, checked: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each named quantity: its definition printed with the names before it, and its check if it has a relation."""
    from derive.printing import latex, pairs

    out = []
    for n, named in enumerate(derivation.named, 1):
        earlier = pairs(derivation.named[: n - 1])
        if any(latex(named.symbol) == latex(other.symbol) for other in derivation.named[: n - 1]):
            continue  # the same name for another form of the same quantity (the loss in a and in z)
        sides = [named.symbol, named.meaning] + ([named.value] if named.value is not None else [])
        tex = " = ".join(latex(side, names=earlier) for side in sides)
        found = checked.get(f"definition {n}")
        out.append({"symbol": latex(named.symbol), "latex": tex, "why": named.why, "check": found})
    return out


def _relation(
    label: str, step: Step, checked: RelationReport, derivation: Derivation, names: Any = ()
) -> dict[str, Any]:
    from derive.printing import display, latex

    size = derivation.domain.size
    where = [
        {"symbol": latex(symbol), "kind": kind.name, "relations": [latex(r) for r in kind.relations(symbol, size)]}
        for symbol, kind in step.where.items()
    ]
    return {
        "label": label,
        "anchor": label.replace(" ", "-"),
        "why": step.why,
        "latex": display(step.eq, names),
        "inline": latex(step.eq, names=names),
        "lhs": latex(step.eq.lhs, names=names),
        "rhs": latex(step.eq.rhs, names=names),
        "where": where,
        "passed": checked.passed,
        "status": checked.status,
        "symbolic": checked.symbolic,
        "points": checked.points,
        "max_rel_error": checked.max_rel_error,
        "finite_differences": checked.finite_differences,
        "methods": list(checked.methods),
    }
