"""A page per derivation, and the derivations index with each headline result, from the checked page data."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import jinja2

from derive.site.collect import Catalogue
from derive.site.data import DerivationData, DerivationPage, Link, Math, SiteData
from derive.site.pages import DERIVATIONS_DIR
from derive.site.pages.navigation import sections
from derive.site.render import GeneratedFiles, render


@dataclass(frozen=True)
class IndexEntry:
    """One line of the derivations index: the page, the first sentence of its summary, its headline result."""

    name: str
    title: str
    lead: str
    result: Math

    @classmethod
    def of(cls, data: DerivationData) -> IndexEntry:
        match = re.search(r"^(.+?[.])\s", data.summary + " ")
        return cls(data.name, data.title, match.group(1) if match else data.summary, data.results[0].math)


def page_view(data: DerivationData, catalogue: Catalogue) -> DerivationPage:
    """A derivation page's context: its data, and links to what it uses and what uses it."""

    def link(other: str) -> Link:
        present = catalogue.has(other)
        return Link(other, catalogue.info(other).title if present else other, present)

    return DerivationPage(
        data,
        uses=tuple(link(u) for u in data.uses),
        used_by=tuple(link(u) for u in catalogue.used_by.get(data.name, [])),
    )


def write_derivation_pages(env: jinja2.Environment, files: GeneratedFiles, site: SiteData) -> None:
    """``derivations/NAME.md`` for every derivation, and ``derivations/index.md``."""
    from derive.site.content.teaching import TEACHING

    for name, data in site.derivations.items():
        teaching = TEACHING.get(name)
        if teaching and teaching.figure and teaching.figure not in site.figures:
            teaching = dataclasses.replace(teaching, figure="")  # a build without that figure: no figure
        context = {"d": page_view(data, site.catalogue), "t": teaching}
        files.write(f"{DERIVATIONS_DIR}/{name}.md", render(env, "derivation.md.j2", context))
    groups = [
        {"title": title, "pages": [IndexEntry.of(site.derivations[n]) for n in names]}
        for title, names in sections(site)
    ]
    files.write(f"{DERIVATIONS_DIR}/index.md", render(env, "derivations_index.md.j2", {"groups": groups}))
