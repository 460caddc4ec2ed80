"""Stage 4 in full: every generated file under docs/generated/, and the navigation.

Derivation pages go to ``derivations/NAME.md``, narrative pages to
``guide/SLUG.md``, plots to ``plots/NAME.svg``; ``nav.json`` tells the MkDocs
hook where they go in the navigation, and ``math-record.json`` lists every
formula the templates emitted with its source and check status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from derive.site.pages import (
    DERIVATIONS_DIR,
    GUIDE_DIR,
    NARRATIVE,
    PLOTS_DIR,
    SiteData,
    available,
    wrap_derivation,
    wrap_example,
)
from derive.site.render import MARKER, GeneratedFiles, Math, MathRecord, environment, render

GENERATED = Path("docs") / "generated"
USER_GROUP = "Your own derivations"


def write_all(data: SiteData, root: Path, progress: Callable[[str], None] = lambda _: None) -> int:
    """Write every generated file; return how many files the build owns."""
    files = GeneratedFiles(root / GENERATED)
    record = MathRecord()
    env = environment(root / "templates", record, root / ".cache" / "derive-site" / "jinja")
    env.globals.update(data.globals())
    env.filters["cited"] = data.cite

    for name, svg in data.svg.items():
        files.write(f"{PLOTS_DIR}/{name}.svg", svg)

    groups = _groups(data)
    for name, page in data.derivations.items():
        context = {"d": wrap_derivation(page, data.catalogue)}
        files.write(f"{DERIVATIONS_DIR}/{name}.md", render(env, "derivation.md.j2", context))
    index = {"groups": [{"title": t, "pages": [_summary(data.derivations[n]) for n in ns]} for t, ns in groups]}
    files.write(f"{DERIVATIONS_DIR}/index.md", render(env, "derivations_index.md.j2", index))

    guide = []
    for page in NARRATIVE:
        reason = available(page, data, root / "templates")
        if reason:
            progress(f"  skipping page {page.slug}: {reason}")
            continue
        context = {"page": {"title": page.title, "slug": page.slug}, **_narrative_context(data)}
        files.write(f"{GUIDE_DIR}/{page.slug}.md", render(env, page.template, context))
        guide.append({page.title: f"generated/{GUIDE_DIR}/{page.slug}.md"})

    derivations_nav: list[Any] = [{"Overview": f"generated/{DERIVATIONS_DIR}/index.md"}]
    for title, names in groups:
        derivations_nav.append({title: [{data.derivations[n]["title"]: _page(n)} for n in names]})
    nav = {"generated_by": MARKER, "sections": {"Guide": guide, "Derivations": derivations_nav}}
    files.write("nav.json", json.dumps(nav, indent=1, sort_keys=True) + "\n")
    files.write("math-record.json", json.dumps({"generated_by": MARKER, "math": record.entries}, indent=0) + "\n")
    for stale in files.finish():
        progress(f"  removed {stale.relative_to(root)} (no longer generated)")
    return len(files.written)


def _page(name: str) -> str:
    return f"generated/{DERIVATIONS_DIR}/{name}.md"


def _summary(page: dict[str, Any]) -> dict[str, Any]:
    headline = page["results"][0]
    return {
        "name": page["name"],
        "title": page["title"],
        "summary": page["summary"],
        "lead": _first_sentence(page["summary"]),
        "result": Math(headline["latex"], f"{page['name']}, {headline['label']}", headline["passed"]),
        "relations": page["report"]["relations"],
        "symbolic": len(page["report"]["symbolic"]),
        "points": page["report"]["points"],
        "max_rel_error": page["report"]["max_rel_error"],
    }


def _first_sentence(text: str) -> str:
    """The first sentence of a summary: up to the first full stop followed by a space, or all of it."""
    match = re.search(r"^(.+?[.])\s", text + " ")
    return match.group(1) if match else text


def _groups(data: SiteData) -> list[tuple[str, list[str]]]:
    """Derivations grouped by catalogue module, in registry order; user modules last."""
    order: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    for info in data.catalogue.entries:
        if info.name not in data.derivations:
            continue
        order.setdefault(info.module, []).append(info.name)
        titles[info.module] = _group_title(info.module) if info.builtin else USER_GROUP
    merged: dict[str, list[str]] = {}
    for module, names in order.items():
        merged.setdefault(titles[module], []).extend(names)
    return list(merged.items())


# Navigation sections for the catalogue's modules; a module not listed here gets
# a section named after the start of its docstring (or its file name).
SECTIONS = {
    "information": "Information theory",
    "divergence": "Information theory",
    "likelihood": "Losses from likelihood",
    "glm": "Losses from likelihood",
    "exponential_family": "Losses from likelihood",
    "activations": "Activations",
    "sigmoid_grads": "Gradients",
    "two_layer": "Gradients",
    "softmax_grads": "Gradients",
    "sparse": "Gradients",
    "label_smoothing": "Gradients",
    "focal": "Gradients",
    "mse_uniform": "MSE against cross-entropy",
    "saturation": "MSE against cross-entropy",
    "logsumexp": "Numerics and curvature",
    "softmax_curvature": "Numerics and curvature",
    "sigmoid_curvature": "Numerics and curvature",
}


def _group_title(module: str) -> str:
    """A catalogue module's section in the navigation."""
    import sys

    short = module.rsplit(".", 1)[-1]
    if short in SECTIONS:
        return SECTIONS[short]
    doc = (sys.modules[module].__doc__ or "").strip().splitlines()
    head = re.split(r"[:.;]", doc[0])[0].strip() if doc else ""
    if head and len(head) <= 40:
        return head[0].upper() + head[1:]
    return short.replace("_", " ").capitalize()


QUOTED = "the source's formula as the source writes it"


def _narrative_context(data: SiteData) -> dict[str, Any]:
    from derive.site.content.claims import SOURCES, VERDICTS, by_severity, source_formulas

    # The source's own formulas are quoted, never checked: they carry passed=False and a source saying so.
    quoted = {name: Math(tex, f"claim {name}, {QUOTED}", False) for name, tex in source_formulas().items()}
    return {
        "examples": [wrap_example(e) for e in data.examples],
        "experiment": data.experiment,
        "claims": by_severity(),
        "quoted": quoted,
        "sources": SOURCES,
        "verdicts": VERDICTS,
        "derivation_names": list(data.derivations),
    }
