"""A page per derivation, and the derivations index, from the checked page data."""

from __future__ import annotations

import jinja2

from derive.site.collect import Catalogue
from derive.site.data import DerivationData, DerivationPage, Link, SiteData
from derive.site.pages import DERIVATIONS_DIR
from derive.site.pages.navigation import sections
from derive.site.render import GeneratedFiles, render


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
    for name, data in site.derivations.items():
        files.write(
            f"{DERIVATIONS_DIR}/{name}.md", render(env, "derivation.md.j2", {"d": page_view(data, site.catalogue)})
        )
    groups = [{"title": title, "pages": [site.derivations[n] for n in names]} for title, names in sections(site)]
    files.write(f"{DERIVATIONS_DIR}/index.md", render(env, "derivations_index.md.j2", {"groups": groups}))
