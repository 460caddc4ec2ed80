"""Stage 4: every generated file under docs/generated/, page kind by page kind.

Figures go to ``plots/NAME.svg``, derivation pages to ``derivations/NAME.md``
(:mod:`~derive.site.pages.derivation_pages`), narrative pages to
``guide/SLUG.md`` (:mod:`~derive.site.pages.guide_pages`); ``nav.json``
(:mod:`~derive.site.pages.navigation`) tells the MkDocs hook where they go,
and ``math-record.json`` lists every formula the templates emitted with its
source and check status.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from derive.site.cache import DEFAULT_DIR, Cache
from derive.site.data import SiteData
from derive.site.figures import interactive
from derive.site.keys import GENERATED
from derive.site.pages import PLOTS_DIR
from derive.site.pages.derivation_pages import write_derivation_pages
from derive.site.pages.guide_pages import NARRATIVE, GuideFunctions, NarrativePage, write_guide_pages, write_home
from derive.site.pages.navigation import write_navigation
from derive.site.render import MARKER, GeneratedFiles, MathRecord, environment


def write_all(
    site: SiteData,
    root: Path,
    progress: Callable[[str], None] = lambda _: None,
    guide: tuple[NarrativePage, ...] = NARRATIVE,
) -> int:
    """Write every generated file; return how many files the build owns."""
    files = GeneratedFiles(root / GENERATED)
    record = MathRecord()
    env = environment(root / "templates", record, root / ".cache" / "derive-site" / "jinja")
    functions = GuideFunctions(site)
    env.globals.update(functions.as_globals())
    env.globals.update(interactive.template_globals(site))
    env.filters["cited"] = functions.cite

    for name, figure in site.figures.items():
        files.write(f"{PLOTS_DIR}/{name}.svg", figure.svg)
    files.write(interactive.FUNCTIONS_SCRIPT, interactive.script_text(site, Cache(root / DEFAULT_DIR)))
    write_derivation_pages(env, files, site)
    guide_nav = write_guide_pages(env, files, site, root / "templates", guide)
    if guide is NARRATIVE:  # the whole site: its home page too
        write_home(env, files, site)
    write_navigation(files, site, guide_nav)
    files.write("math-record.json", json.dumps({"generated_by": MARKER, "math": record.entries}, indent=0) + "\n")
    for stale in files.finish():
        progress(f"  removed {stale.relative_to(root)} (no longer generated)")
    return len(files.written)
