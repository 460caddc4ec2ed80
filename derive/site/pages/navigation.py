"""The navigation: ``nav.json``, which the MkDocs hook reads to place the generated pages."""

from __future__ import annotations

import json
from typing import Any

from derive.registry import section
from derive.site.data import SiteData
from derive.site.pages import DERIVATIONS_DIR
from derive.site.render import MARKER, GeneratedFiles


def sections(site: SiteData) -> list[tuple[str, list[str]]]:
    """Derivations grouped by their registry section, in registry order; a user's own last."""
    merged: dict[str, list[str]] = {}
    for info in site.catalogue.entries:
        if info.name in site.derivations:
            merged.setdefault(section(info.module), []).append(info.name)
    return list(merged.items())


def write_navigation(files: GeneratedFiles, site: SiteData, guide: dict[str, list[dict[str, str]]]) -> None:
    """``nav.json``: the guide's and the contributors' pages, the derivations' overview and their sections."""
    derivations: list[Any] = [{"Overview": f"generated/{DERIVATIONS_DIR}/index.md"}]
    for title, names in sections(site):
        derivations.append({title: [{site.derivations[n].title: f"generated/{DERIVATIONS_DIR}/{n}.md"} for n in names]})
    nav = {"generated_by": MARKER, "sections": {**guide, "Derivations": derivations}}
    files.write("nav.json", json.dumps(nav, indent=1, sort_keys=True) + "\n")
