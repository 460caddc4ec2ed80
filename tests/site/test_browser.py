"""The built site in a real browser: Debian's Chromium, driven by Playwright, fully offline.

Every page is opened; every formula must have been rendered by KaTeX without
an error, every image must have loaded, the console must stay free of
errors, and no request may leave 127.0.0.1.  A click on a navigation link
must lead to another page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")


def _pages(site: Path) -> list[str]:
    return sorted(
        str(path.parent.relative_to(site)) + "/" if path.parent != site else ""
        for path in site.rglob("index.html")
        if "assets" not in path.parts and path.parent.name != "404"
    )


def test_every_page_renders_offline(built_site: Path, server: str, browser: object) -> None:
    pages = _pages(built_site)
    assert len(pages) > 20, pages
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"failed request {r.url}: {r.failure}"))

    def route(r: object) -> None:
        if r.request.url.startswith("http://127.0.0.1:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    formulas = 0
    for relative in pages:
        # networkidle: let the favicon and fonts finish, so leaving the page aborts nothing
        page.goto(server + relative, wait_until="networkidle")
        page.wait_for_function(
            "document.querySelectorAll('.arithmatex').length === "
            "document.querySelectorAll('.arithmatex .katex').length",
            timeout=10_000,
        )
        state = page.evaluate(
            """() => ({
                math: document.querySelectorAll('.arithmatex').length,
                rendered: document.querySelectorAll('.arithmatex .katex').length,
                katexErrors: Array.from(document.querySelectorAll('.katex-error')).map(e => e.title || e.textContent),
                rawMath: document.querySelector('article').innerText.includes('$$'),
                images: Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0]),
            })"""
        )
        assert state["katexErrors"] == [], f"{relative}: {state['katexErrors'][:3]}"
        assert state["rendered"] == state["math"], f"{relative}: {state['math'] - state['rendered']} formulas left"
        assert not state["rawMath"], f"{relative}: math left as raw $$ text"
        broken = [src for src, ok in state["images"] if not ok]
        assert broken == [], f"{relative}: images did not load: {broken}"
        formulas += state["math"]
    assert formulas > 200
    assert errors == []
    assert outside == []
    context.close()


def test_navigation_link_leads_to_another_page(server: str, browser: object) -> None:
    page = browser.new_page()
    page.goto(server, wait_until="load")
    link = page.locator("nav.md-nav--primary a.md-nav__link[href*='derivations']").first
    link.click()
    page.wait_for_load_state("load")
    assert "derivations" in page.url
    assert page.locator("h1").first.inner_text().startswith("Derivations")
    page.close()
